"""Benchmark: the cost of the voice check against ``redbox align`` on the same audio.

Run on demand (not collected by pytest)::

    .venv/bin/python tests/benchmarks/bench_voices.py [--sentences 150]

Builds an episode of two alternating espeak-ng voices (:mod:`toolkit.align.fixtures`,
150 sentences is about 10 minutes), then runs, each as its own process under GNU time:
``redbox align`` on it, and ``redbox check --voices`` on the timings it wrote (each
``--repeat`` times, the run with the least CPU time kept). Prints the wall time, CPU time
and peak memory of both, and the voice check's share of the alignment's CPU time.
The issue's budget: at most 10 % of the alignment's time, and no more memory.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from toolkit.align.fixtures import TEST_VOICES, build_episode, sentences_for  # noqa: E402


def run(command: list[str], folder: Path) -> tuple[float, float, float]:
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
    args = parser.parse_args()
    sentences = sentences_for("en", args.sentences)
    episode = build_episode(sentences, "en", voices=TEST_VOICES["en"][:2])
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "transcripts").mkdir()
        soundfile.write(
            folder / "bench.wav", episode.audio.samples, episode.audio.sample_rate, subtype="PCM_16"
        )
        speakers = ("Joy", "Dasom")
        lines = ["---", "title: bench", "episode: bench", "language: en", "speakers: Joy, Dasom", "---"]
        lines += [f"{speakers[k % 2]}: {truth.text}" for k, truth in enumerate(episode.transcript_truths)]
        (folder / "transcripts" / "bench.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        python = [sys.executable, "-m", "toolkit"]
        commands = {
            "align": [*python, "align", "transcripts/bench.txt", "bench.wav", "--no-progress"],
            "voices": [*python, "check", "transcripts/bench.txt", "--voices"],
            "plain": [*python, "check", "transcripts/bench.txt"],
        }
        # Each command --repeat times, interleaved, keeping each one's least CPU time: on a
        # shared machine a run's CPU time also grows with its neighbours' (caches, SMT).
        runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():
                runs[name].append(run(command, folder))
        align, voices, plain = (min(runs[name], key=lambda item: item[1]) for name in commands)
    minutes = episode.audio.duration_ms / 60_000
    print(f"episode: {len(sentences)} turns, {minutes:.1f} min of audio")
    print("command                   wall s   CPU s   peak MB")
    for name, (wall, cpu, peak) in (("redbox align", align), ("redbox check --voices", voices),
                                    ("redbox check", plain)):  # fmt: skip
        print(f"{name:24} {wall:7.1f} {cpu:7.1f} {peak:9.0f}")
    extra = voices[1] - plain[1]
    print(
        f"voice check: {extra:.2f} CPU s over a plain check = {100 * extra / align[1]:.1f} % of the "
        f"alignment's CPU time ({100 * voices[1] / align[1]:.1f} % counting the whole command)"
    )


if __name__ == "__main__":
    main()
