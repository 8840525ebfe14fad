"""Benchmark ``redbox build`` on a generated archive (run on demand, never in the suite).

    .venv/bin/python tests/benchmarks/bench_build.py            # 100 and 1,000 episodes
    .venv/bin/python tests/benchmarks/bench_build.py --sizes 10

Each size runs in its own process so that its peak memory (``ru_maxrss``) is its own.
Every episode has 40 turns (1,000 episodes = 40,000 turns) made of sentences of the
sample episode, five speakers and an anchor every tenth turn; both SRT and WebVTT are
built. The second build of the same archive (everything up to date) and ``--check``
are timed too.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from toolkit.build import build_project  # noqa: E402
from toolkit.project import find_project  # noqa: E402
from toolkit.subtitles import SubtitleOptions  # noqa: E402

TURNS_PER_EPISODE = 40
CAST = ("Joy", "Dasom", "Jeongyol", "Ilhyeok", "All")


def sample_sentences() -> list[str]:
    text = (ROOT / "transcripts" / "misunderstandings-and-stereotypes.txt").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    sentences: list[str] = []
    for line in body.splitlines():
        line = re.sub(r"^\w+:\s*", "", line.strip())
        sentences.extend(part for part in re.split(r"(?<=[.?!])\s+", line) if part)
    return sentences


def generate(folder: Path, episodes: int) -> int:
    """Write ``episodes`` transcripts into ``folder``; return the number of turns."""
    sentences = sample_sentences()
    chooser = random.Random(20261126)
    folder.mkdir(parents=True, exist_ok=True)
    turns = 0
    for number in range(episodes):
        slug = f"episode-{number:04d}"
        lines = [
            "---",
            f"title: Generated episode {number}",
            f"episode: {slug}",
            "language: en",
            f"speakers: {', '.join(CAST)}",
            "---",
        ]
        clock = 0
        for turn in range(TURNS_PER_EPISODE):
            speaker = chooser.choice(CAST)
            text = " ".join(chooser.choice(sentences) for _ in range(chooser.randint(1, 4)))
            if turn % 10 == 0:
                clock += chooser.randint(90, 150)
                stamp = f"[{clock // 3600:02d}:{clock // 60 % 60:02d}:{clock % 60:02d}] "
            else:
                stamp = ""
            lines.append(f"{stamp}{speaker}: {text}")
            turns += 1
        (folder / f"{slug}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return turns


def measure(episodes: int) -> dict[str, float]:
    """Generate, build, rebuild and check one archive; runs inside its own process."""
    with tempfile.TemporaryDirectory(prefix="redbox-bench-") as temporary:
        base = Path(temporary)
        turns = generate(base / "transcripts", episodes)
        warnings: list[str] = []

        def build(check: bool) -> tuple[float, int]:
            started = time.perf_counter()
            result = build_project(
                find_project(base), ["srt", "vtt"], SubtitleOptions(), check=check, report=warnings.append
            )
            assert not result.failures, result.failures[:3]
            return time.perf_counter() - started, len(result.written) + len(result.current)

        first, outputs = build(False)
        again, _ = build(False)
        checked, _ = build(True)
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "episodes": episodes,
        "turns": turns,
        "outputs": outputs,
        "build_s": round(first, 2),
        "turns_per_s": round(turns / first),
        "rebuild_up_to_date_s": round(again, 2),
        "check_s": round(checked, 2),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "timing_warnings": sum(text.count("TIM001") for text in warnings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one is not None:
        print(json.dumps(measure(arguments.one)))
        return
    rows = []
    for size in arguments.sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True
        ).stdout
        rows.append(json.loads(output))
        print(json.dumps(rows[-1]), flush=True)
    if len(rows) >= 2:
        small, large = rows[0], rows[-1]
        growth = large["build_s"] / small["build_s"] if small["build_s"] else float("nan")
        print(
            f"{small['episodes']} -> {large['episodes']} episodes "
            f"({large['episodes'] / small['episodes']:g}x): build time x{growth:.2f}"
        )


if __name__ == "__main__":
    main()
