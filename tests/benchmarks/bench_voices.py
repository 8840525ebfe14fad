"""Benchmark: the cost of the voice check against ``redbox align`` on the same audio.

Run on demand (not collected by pytest)::

    .venv/bin/python tests/benchmarks/bench_voices.py [--sentences 150] [--before ../main]

Builds an episode of two alternating espeak-ng voices (:mod:`toolkit.align.fixtures`,
150 sentences is about 10 minutes), then runs, each as its own process under GNU time:
``redbox align`` on it (which stores the turns' voice statistics), ``redbox align
--voices``, ``redbox check --voices`` on the timings it wrote (from the stored statistics,
and from the audio with the statistics file moved away) and a plain ``redbox check``.
Each command runs ``--repeat`` times, interleaved, and the run with the least CPU time is
kept. With ``--before`` (another checkout of redbox, e.g. main), the same commands of that
code run in their own copy of the episode, interleaved with these: before and after side
by side. The issue's budget: the voice check at most 10 % of the alignment's time, and
no more memory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from toolkit.align.fixtures import TEST_VOICES, build_episode, sentences_for  # noqa: E402


def run(command: list[str], folder: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall time (s), CPU time (user + system, s) and peak RSS (MB), from GNU time, of one
    process run in ``folder``. On a shared machine the CPU time is the fair comparison: the
    wall time also counts the waits for a core."""
    with tempfile.NamedTemporaryFile(suffix=".rss") as report:
        started = time.perf_counter()
        completed = subprocess.run(
            ["/usr/bin/time", "-f", "%U %S %M", "-o", report.name, *command],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
            env=env,
        )
        elapsed = time.perf_counter() - started
        user, system, peak_kb = (float(value) for value in Path(report.name).read_text().split()[-3:])
    if completed.returncode not in (0, 1):
        sys.exit(completed.stderr.decode("utf-8", "replace"))
    return elapsed, user + system, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sentences", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (least CPU time kept)")
    parser.add_argument("--before", type=Path, help="another redbox checkout to measure side by side")
    args = parser.parse_args()
    # Compiled first: with PYTHONDONTWRITEBYTECODE a checkout without __pycache__ compiles
    # every module in every run (0.1 CPU s a command, measured), one with it does not.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "toolkit")], check=False)
    sentences = sentences_for("en", args.sentences)
    episode = build_episode(sentences, "en", voices=TEST_VOICES["en"][:2])
    with tempfile.TemporaryDirectory() as name:
        versions = {"now": Path(name) / "now"} | ({"before": Path(name) / "before"} if args.before else {})
        speakers = ("Joy", "Dasom")
        lines = ["---", "title: bench", "episode: bench", "language: en", "speakers: Joy, Dasom", "---"]
        lines += [f"{speakers[k % 2]}: {truth.text}" for k, truth in enumerate(episode.transcript_truths)]
        for folder in versions.values():
            (folder / "transcripts").mkdir(parents=True)
            soundfile.write(
                folder / "bench.wav", episode.audio.samples, episode.audio.sample_rate, subtype="PCM_16"
            )
            (folder / "transcripts" / "bench.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        python = [sys.executable, "-m", "toolkit"]
        align = [*python, "align", "transcripts/bench.txt", "bench.wav", "--no-progress"]
        check = [*python, "check", "transcripts/bench.txt"]
        stats = Path("transcripts") / "bench.voices.bin"
        # name -> (version, command, statistics file present)
        commands: dict[str, tuple[str, list[str], bool]] = {
            "redbox align": ("now", align, True),
            "redbox align --voices": ("now", [*align, "--voices"], True),
            "check --voices (stored)": ("now", [*check, "--voices"], True),
            "check --voices (audio)": ("now", [*check, "--voices"], False),
            "redbox check": ("now", check, True),
        }
        if args.before:
            commands |= {
                "before: redbox align": ("before", align, True),
                "before: check --voices": ("before", [*check, "--voices"], True),
                "before: redbox check": ("before", check, True),
            }
        # Each command --repeat times, interleaved, keeping each one's least CPU time: on a
        # shared machine a run's CPU time also grows with its neighbours' (caches, SMT).
        runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for label, (version, command, with_stats) in commands.items():
                folder = versions[version]
                # Both versions imported the same way (an editable install's import hook
                # cost every command of this checkout 0.1 CPU s more than a path).
                env = dict(os.environ, PYTHONPATH=str(args.before.resolve() if version == "before" else ROOT))
                aside = folder / "aside.bin"
                if not with_stats and (folder / stats).exists():
                    (folder / stats).rename(aside)
                runs[label].append(run(command, folder, env))
                if aside.exists():
                    aside.rename(folder / stats)
        best = {label: min(found, key=lambda item: item[1]) for label, found in runs.items()}
    minutes = episode.audio.duration_ms / 60_000
    print(f"episode: {len(sentences)} turns, {minutes:.1f} min of audio")
    print("command                          wall s   CPU s   peak MB")
    for label, (wall, cpu, peak) in best.items():
        print(f"{label:30} {wall:7.1f} {cpu:7.2f} {peak:9.0f}")
    for prefix, voices in (("", "check --voices (stored)"), ("", "check --voices (audio)"),
                           ("before: ", "before: check --voices")):  # fmt: skip
        if voices not in best:
            continue
        extra = best[voices][1] - best[f"{prefix}redbox check"][1]
        base = best[f"{prefix}redbox align"][1]
        print(f"{voices}: {extra:.2f} CPU s over a plain check = {100 * extra / base:.1f} % of its align")
    extra = best["redbox align --voices"][1] - best["redbox align"][1]
    print(f"align --voices over align: {extra:.2f} CPU s = {100 * extra / best['redbox align'][1]:.1f} %")
    if args.before:
        extra = best["redbox align"][1] - best["before: redbox align"][1]
        print(f"align now over before (the stored statistics): {extra:.2f} CPU s")


if __name__ == "__main__":
    main()
