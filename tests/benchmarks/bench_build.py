"""Benchmark ``redbox build`` on a generated archive (run on demand, never in the suite).

    .venv/bin/python tests/benchmarks/bench_build.py                  # 100 and 1,000 episodes
    .venv/bin/python tests/benchmarks/bench_build.py --sizes 10 100 --runs 3
    .venv/bin/python tests/benchmarks/bench_build.py --korean         # + a Korean catalog each
    .venv-native/bin/python tests/benchmarks/bench_build.py           # the compiled install

Every episode has 40 turns (1,000 episodes = 40,000 turns) made of sentences of the sample
episode (``archive.py``); both SRT and WebVTT are built. Each workload is the whole
``redbox`` command in its own process (CPU of the process and its workers, wall, peak
memory), the median of ``--runs`` runs:

- first build: no outputs, no manifest, on every core (and ``--jobs 1`` for comparison);
- nothing changed: a rebuild, and ``build --check``;
- one edit: one transcript edited, then rebuilt;
- no manifest: ``build --check`` after the cache folder is removed (what a fresh clone does).

The floors are Python processes doing only the unavoidable file work: reading every input and
writing every output (first build), reading every input and output (nothing changed).
Correctness: the outputs of the serial and pooled first builds are compared byte for byte.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for tests.benchmarks

from tests.benchmarks import archive
from tests.benchmarks.measure import REDBOX, Run, markdown, median, python, redbox_install, row, run_once

#: The sample's sentences, for bench_parse.py (one source of sample text).
sample_sentences = archive.sample_sentences

FLOOR_WRITE = """
import sys
from pathlib import Path
root, out = Path(sys.argv[1]), Path(sys.argv[2])
for path in sorted(root.rglob('*')):
    if path.is_file() and path.suffix in ('.txt', '.po'):
        path.read_bytes()
out.mkdir(exist_ok=True)
for path in sorted((root / 'reference').iterdir()):
    (out / path.name).write_bytes(path.read_bytes())
"""
FLOOR_COMPARE = """
import sys
from pathlib import Path
root = Path(sys.argv[1])
for path in sorted(root.rglob('*')):
    if path.is_file() and path.suffix in ('.txt', '.po', '.srt', '.vtt'):
        path.read_bytes()
"""


def outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def measure_size(base: Path, episodes: int, runs: int, korean: bool) -> list[dict[str, object]]:
    source = base / f"source-{episodes}"
    turns = archive.generate(source / "transcripts", episodes)
    if korean:
        archive.add_korean(source)
    size = f"{episodes} episodes, {turns} turns"
    copies = iter(range(1_000_000))

    def fresh() -> Path:
        """A new copy of the source tree. Nothing is deleted until the benchmark ends: on a file
        system that skips recently freed inodes one by one when it creates a file (ext4 without
        a journal, as on this project's machine), a build right after a tree of thousands of
        files was deleted paid 0.3-0.6 ms a file created, 0.5-1.2 CPU-s at 1,000 episodes,
        for the benchmark's own clean-up, not for its work (the floor paid it too)."""
        work = base / f"work-{episodes}-{next(copies)}"
        shutil.copytree(source, work)
        return work

    first: list[Run] = []
    serial: list[Run] = []
    floor_first: list[Run] = []
    for _ in range(runs):
        work = fresh()
        serial.append(run_once([REDBOX, "build", "--jobs", "1"], work))
        reference = outputs(work / "subtitles")
        work = fresh()
        first.append(run_once([REDBOX, "build"], work))
        if outputs(work / "subtitles") != reference:
            raise SystemExit("the pooled build wrote other bytes than the serial one")
        shutil.copytree(work / "subtitles", work / "reference")
        floor_first.append(run_once([*python(FLOOR_WRITE), str(work), str(work / "floor-out")], work))
        shutil.move(work / "reference", base / f"reference-{episodes}-{next(copies)}")
        shutil.move(work / "floor-out", base / f"floor-out-{episodes}-{next(copies)}")
    again = [run_once([REDBOX, "build"], work) for _ in range(runs)]
    check = [run_once([REDBOX, "build", "--check"], work) for _ in range(runs)]
    floor_compare = [run_once([*python(FLOOR_COMPARE), str(work)], work) for _ in range(runs)]
    edited: list[Run] = []
    transcript = work / "transcripts" / "episode-0000.txt"
    for number in range(runs):
        text = transcript.read_text(encoding="utf-8")
        edit = f"\n---\nJoy: Edit number {number}.\n"
        transcript.write_text(text.replace("\n---\n", edit, 1), encoding="utf-8")
        edited.append(run_once([REDBOX, "build"], work))
    shutil.rmtree(work / ".redbox-cache")
    cold_check = [run_once([REDBOX, "build", "--check"], work)]
    floor_w, floor_c = median(floor_first), median(floor_compare)
    return [
        row("build, first", size, median(first), floor_w),
        row("build, first, --jobs 1", size, median(serial), floor_w),
        row("build, nothing changed", size, median(again), floor_c),
        row("build --check, nothing changed", size, median(check), floor_c),
        row("build, one transcript edited", size, median(edited), floor_c),
        row("build --check, no manifest", size, median(cold_check), floor_c),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--korean", action="store_true", help="give every episode a Korean catalog")
    arguments = parser.parse_args()
    rows: list[dict[str, object]] = []
    print(json.dumps({"redbox": redbox_install()}), flush=True)  # compiled or pure Python
    with tempfile.TemporaryDirectory(prefix="redbox-bench-") as temporary:
        for episodes in arguments.sizes:
            for one in measure_size(Path(temporary), episodes, arguments.runs, arguments.korean):
                rows.append(one)
                print(json.dumps(one), flush=True)
    print(markdown(rows))


if __name__ == "__main__":
    main()
