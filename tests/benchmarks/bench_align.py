"""Benchmark: redbox align against aeneas-ng on the same synthetic episodes.

Run on demand (not collected by pytest)::

    .venv/bin/python tests/benchmarks/bench_align.py [--aeneas AENEAS_VENV/bin/python]
        [--long] [--hour] [--only NAME] [--engines dtw,sphinx]

``AENEAS_VENV`` is a virtual environment of its own with aeneas-ng installed (how:
``docs/benchmarks.md``, "Installing aeneas-ng for the comparison"); without ``--aeneas``
only redbox runs. The redbox measured is the one installed in the Python that runs this
script: ``.venv-native/bin/python tests/benchmarks/bench_align.py …`` measures the compiled
install (``pip install .``: the DTW compiled with Cython), ``.venv/bin/python`` the pure one.
Each aligner runs in the episodes' temporary folder, so that ``python -m toolkit`` imports
the installed package, not the checkout's sources beside the current folder.

Every episode is built by :mod:`toolkit.align.fixtures`: sentences spoken by espeak-ng
voices unlike the aligner's, joined by known silences, optionally with white noise,
a second voice, a sentence missing from the transcript, or intro and outro music. Each aligner runs as its own
process (peak memory is that process's maximum RSS, from GNU ``time``). aeneas-ng is AGPL
and is only ever run as an external command from its own virtual environment, with the
settings that work with espeak-ng (``tts=espeak-ng|ffmpeg_sample_rate=22050``) and head
detection, and non-speech over 0.2 s removed from fragments.

Errors are absolute, in ms, over every turn in the transcript (the first included).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from toolkit.align.fixtures import TEST_VOICES, Episode, build_episode, sentences_for  # noqa: E402
from toolkit.align.sidecar import parse_timings  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    language: str
    sentences: int
    snr_db: float | None = None
    voices: int = 1
    missing: tuple[int, ...] = ()
    intro_ms: int = 0
    outro_ms: int = 0


SHORT = [
    Case("en_clean", "en", 10),
    Case("en_snr15", "en", 10, snr_db=15),
    Case("en_snr5", "en", 10, snr_db=5),
    Case("en_2spk", "en", 10, voices=2),
    Case("en_missing", "en", 10, missing=(4,)),
    Case("en_music", "en", 10, intro_ms=40_000, outro_ms=20_000),
    Case("ko_clean", "ko", 10),
    Case("ko_snr15", "ko", 10, snr_db=15),
    Case("ko_snr5", "ko", 10, snr_db=5),
    Case("ko_2spk", "ko", 10, voices=2),
    Case("ko_missing", "ko", 10, missing=(4,)),
    Case("ko_music", "ko", 10, intro_ms=40_000, outro_ms=20_000),
]
LONG = [
    Case("en_10min", "en", 150),
    Case("en_10min_snr15", "en", 150, snr_db=15),
    Case("ko_10min", "ko", 125),
    Case("ko_10min_snr15", "ko", 125, snr_db=15),
]
HOUR = [Case("en_60min", "en", 725)]


@dataclass(frozen=True)
class Result:
    starts: list[int]
    ends: list[int]
    seconds: float
    cpu_s: float
    peak_mb: float
    failed: str = ""


def run(command: list[str], folder: Path) -> tuple[float, float, float, str]:
    """Wall time, CPU time (user + system, s), peak RSS (MB) and the last stderr line (on
    failure) of one process. CPU is the figure to compare on a shared machine.

    Peak memory comes from GNU time (``%M``): ``wait4`` on a child forked from this big
    process would count the parent's pages copied at fork time.
    """
    with tempfile.NamedTemporaryFile(suffix=".rss") as report:
        started = time.perf_counter()
        completed = subprocess.run(
            ["/usr/bin/time", "-f", "%M %U %S", "-o", report.name, *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
            cwd=folder,  # not the checkout: `python -m toolkit` would import its sources
        )
        elapsed = time.perf_counter() - started
        figures = (Path(report.name).read_text().splitlines() or ["0 0 0"])[-1].split()
        peak_kb, user, system = (float(value) for value in [*figures, "0", "0", "0"][:3])
    error = completed.stderr.decode("utf-8", "replace").strip().splitlines()
    tail = "" if completed.returncode == 0 else (error or ["failed"])[-1]
    return elapsed, user + system, peak_kb / 1024, tail


def write_inputs(case: Case, episode: Episode, folder: Path) -> tuple[Path, Path, Path]:
    audio = folder / f"{case.name}.wav"
    soundfile.write(audio, episode.audio.samples, episode.audio.sample_rate, subtype="PCM_16")
    spoken = [truth.text for truth in episode.transcript_truths]
    speakers = ("Joy", "Dasom")
    lines = [
        "---",
        "title: bench",
        "episode: bench",
        f"language: {case.language}",
        "speakers: Joy, Dasom",
        "---",
    ]
    lines += [f"{speakers[index % 2]}: {text}" for index, text in enumerate(spoken)]
    transcript = folder / f"{case.name}.txt"
    transcript.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plain = folder / f"{case.name}.plain.txt"
    plain.write_text("\n".join(spoken) + "\n", encoding="utf-8")
    return audio, transcript, plain


def errors(episode: Episode, found: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    truths = episode.transcript_truths
    starts = [abs(t.start_ms - s) for t, (s, _e) in zip(truths, found, strict=True)]
    ends = [abs(t.end_ms - e) for t, (_s, e) in zip(truths, found, strict=True)]
    return starts, ends


def run_redbox(
    case: Case, episode: Episode, audio: Path, transcript: Path, folder: Path, engine: str = "dtw"
) -> Result:
    out = folder / f"{case.name}.timings.tsv"
    command = [
        sys.executable,
        "-m",
        "toolkit",
        "align",
        str(transcript),
        str(audio),
        "-o",
        str(out),
        "--no-progress",
        "--engine",
        engine,
    ]
    seconds, cpu, peak, failed = run(command, folder)
    if failed:
        return Result([], [], seconds, cpu, peak, failed)
    alignment = parse_timings(out.read_text(encoding="utf-8"))
    starts, ends = errors(episode, [(t.start_ms, t.end_ms) for t in alignment.turns])
    return Result(starts, ends, seconds, cpu, peak)


def run_aeneas(python: str, case: Case, episode: Episode, audio: Path, plain: Path, folder: Path) -> Result:
    out = folder / f"{case.name}.aeneas.json"
    language = "kor" if case.language == "ko" else "eng"
    config = (
        f"task_language={language}|is_text_type=plain|os_task_file_format=json"
        "|is_audio_file_detect_head_max=3.0"
        "|task_adjust_boundary_nonspeech_min=0.200|task_adjust_boundary_nonspeech_string=REMOVE"
    )
    runtime = "tts=espeak-ng|ffmpeg_sample_rate=22050"
    if case.language == "ko":
        runtime += "|allow_unlisted_languages=True|tts_voice_code=ko"
    command = [
        python,
        "-m",
        "aeneas.tools.execute_task",
        str(audio),
        str(plain),
        config,
        str(out),
        f"-r={runtime}",
    ]
    seconds, cpu, peak, failed = run(command, folder)
    if failed:
        return Result([], [], seconds, cpu, peak, failed)
    fragments = json.loads(out.read_text(encoding="utf-8"))["fragments"]
    found = [
        (round(float(f["begin"]) * 1000), round(float(f["end"]) * 1000))
        for f in fragments
        if any(line.strip() for line in f["lines"])
    ]
    if len(found) != len(episode.transcript_truths):
        return Result(
            [], [], seconds, cpu, peak, f"{len(found)} fragments for {len(episode.transcript_truths)} turns"
        )
    starts, ends = errors(episode, found)
    return Result(starts, ends, seconds, cpu, peak)


def row(name: str, aligner: str, duration_s: float, result: Result) -> str:
    if result.failed:
        return f"| {name} | {aligner} | failed: {result.failed} | | | | | |"
    s, e = np.array(result.starts), np.array(result.ends)
    return (
        f"| {name} | {aligner} | {s.mean():.0f} / {s.max()} | {e.mean():.0f} / {e.max()} "
        f"| {result.seconds:.1f} | {result.cpu_s:.1f} | {result.cpu_s / duration_s:.3f} "
        f"| {result.peak_mb:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aeneas", help="python of a virtual environment with aeneas-ng installed")
    parser.add_argument("--long", action="store_true", help="also the 10-minute episodes")
    parser.add_argument("--hour", action="store_true", help="also a 60-minute episode (redbox only)")
    parser.add_argument("--only", help="run only cases whose name contains this")
    parser.add_argument(
        "--engines", default="dtw", help="redbox engines to run, comma-separated (dtw, sphinx)"
    )
    arguments = parser.parse_args()
    engines = [engine for engine in arguments.engines.split(",") if engine]
    cases = SHORT + (LONG if arguments.long else []) + (HOUR if arguments.hour else [])
    if arguments.only:
        cases = [case for case in cases if arguments.only in case.name]
    print(
        "| episode | aligner | start mean / max (ms) | end mean / max (ms) | wall (s) | CPU (s) | CPU RTF "
        "| peak RSS (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-align-") as temporary:
        folder = Path(temporary)
        for case in cases:
            episode = build_episode(
                sentences_for(case.language, case.sentences),
                case.language,
                voices=TEST_VOICES[case.language][: case.voices],
                snr_db=case.snr_db,
                missing=case.missing,
                intro_ms=case.intro_ms,
                outro_ms=case.outro_ms,
            )
            duration = episode.audio.duration_ms / 1000
            audio, transcript, plain = write_inputs(case, episode, folder)
            label = f"{case.name} ({duration:.0f} s)"
            for engine in engines:
                if engine == "sphinx" and case.language != "en":
                    continue
                name = "redbox" if engine == "dtw" else f"redbox {engine}"
                result = run_redbox(case, episode, audio, transcript, folder, engine)
                print(row(label, name, duration, result), flush=True)
            if arguments.aeneas and case not in HOUR:
                print(
                    row(
                        label,
                        "aeneas-ng",
                        duration,
                        run_aeneas(arguments.aeneas, case, episode, audio, plain, folder),
                    ),
                    flush=True,
                )
            for path in (audio,):
                path.unlink()


if __name__ == "__main__":
    main()
