"""Benchmark the transcript parser alone (run on demand, never in the suite).

    .venv/bin/python tests/benchmarks/bench_parse.py             # best of 9 runs
    .venv/bin/python tests/benchmarks/bench_parse.py --runs 25

Four generated transcripts of 40,000 turns made of the sample episode's sentences, with a
continuation line after every third turn: plain English; the same with an anchor on every
tenth turn (those lines are read whole, not through the per-line-start cache); English whose
continuation lines hold ``:`` and ``;`` (every one is a new line start to judge); Korean whose
continuation lines hold ``;``. Prints the best time of each (the machine's other load only
ever adds time).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench_build import sample_sentences  # noqa: E402  (one source of sample text)
from toolkit.transcript import parse_transcript  # noqa: E402

TURNS = 40_000
CAST = ("Joy", "Dasom", "Jeongyol", "Ilhyeok", "All")
KOREAN_CAST = ("정열", "조이", "다 같이")


def english(chooser: random.Random, sentences: list[str], *, stamps: bool, tail: str) -> str:
    lines = ["---", "title: Big", "episode: big", "language: en", f"speakers: {', '.join(CAST)}", "---"]
    for index in range(TURNS):
        stamp = ""
        if stamps and index % 10 == 0:
            stamp = f"[{index // 3600:02d}:{index // 60 % 60:02d}:{index % 60:02d}] "
        words = " ".join(chooser.choice(sentences) for _ in range(chooser.randint(1, 4)))
        lines.append(f"{stamp}{chooser.choice(CAST)}: {words}")
        if index % 3 == 0:
            lines.append(" ".join(chooser.choice(sentences) for _ in range(chooser.randint(1, 4))) + tail)
    return "\n".join(lines) + "\n"


def korean(chooser: random.Random) -> str:
    lines = ["---", "title: K", "episode: k", "language: ko", f"speakers: {', '.join(KOREAN_CAST)}", "---"]
    for index in range(TURNS):
        lines.append(f"{chooser.choice(KOREAN_CAST)}: 처음 한국에 왔을 때 편의점에서 아르바이트를 했어요. "
                     "저는 아직 어렸고 북한 말투가 아주 강했어요.")
        if index % 3 == 0:
            lines.append(f"그래서 사람들이 어디서 왔냐고 물어봤어요; {index}번")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    arguments = parser.parse_args()
    chooser = random.Random(20261126)
    sentences = sample_sentences()
    cases = {
        "english": english(chooser, sentences, stamps=False, tail=""),
        "english_anchored": english(chooser, sentences, stamps=True, tail=""),
        "english_colons_semicolons": english(chooser, sentences, stamps=False, tail=" Ratio 3:1; at 10:30"),
        "korean_semicolons": korean(chooser),
    }
    for name, text in cases.items():
        best = float("inf")
        for _ in range(arguments.runs):
            started = time.perf_counter()
            transcript, _ = parse_transcript(text, f"{name}.txt")
            best = min(best, time.perf_counter() - started)
        assert len(transcript.turns) == TURNS
        print(json.dumps({"case": name, "kib": len(text.encode()) // 1024, "turns": TURNS,
                          "best_ms": round(best * 1000, 1)}), flush=True)


if __name__ == "__main__":
    main()
