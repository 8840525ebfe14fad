"""Benchmark ``redbox check`` on generated archives (run on demand, never in the suite).

    .venv/bin/python tests/benchmarks/bench_check.py                   # 100 and 1,000 episodes
    .venv/bin/python tests/benchmarks/bench_check.py --sizes 10 100 --runs 3

The tree is what a project holds: for each episode its transcript, template, Korean
catalog and the four subtitle files ``redbox build`` writes (seven files an episode; see
``archive.py``). Each size is checked by the whole ``redbox check`` command in its own
process (CPU, wall, peak memory: ``measure.py``); the floor reads and decodes every file.
Two more workloads show the cross-file speaker rule (TRN015) is linear: 40 and 400
transcripts whose casts are all different, 4 and 8 names each.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for tests.benchmarks

from tests.benchmarks import archive
from tests.benchmarks.measure import REDBOX, markdown, median, python, row, run_once

FLOOR = """
import sys
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob('*')):
    if path.is_file() and path.suffix in ('.txt', '.po', '.pot', '.srt', '.vtt'):
        path.read_bytes().decode('utf-8')
"""


def measure_tree(base: Path, episodes: int, runs: int) -> dict[str, object]:
    root = base / f"tree-{episodes}"
    archive.generate(root / "transcripts", episodes)
    archive.add_korean(root)
    subprocess.run([REDBOX, "build"], cwd=root, check=False, capture_output=True)
    count = sum(1 for path in root.rglob("*") if path.is_file() and ".redbox-cache" not in path.parts)
    checks = [run_once([REDBOX, "check"], root) for _ in range(runs)]
    floors = [run_once([*python(FLOOR), str(root)], root) for _ in range(runs)]
    return row("check, whole tree", f"{episodes} episodes, {count} files", median(checks), median(floors))


def measure_casts(base: Path, transcripts: int, names: int, runs: int) -> dict[str, object]:
    root = base / f"casts-{transcripts}-{names}"
    archive.generate(root / "transcripts", transcripts, own_casts=names)
    checks = [run_once([REDBOX, "check", "transcripts"], root) for _ in range(runs)]
    floors = [run_once([*python(FLOOR), str(root)], root) for _ in range(runs)]
    return row(f"check, casts of {names} names of their own", f"{transcripts} transcripts", median(checks),
               median(floors))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=1)
    arguments = parser.parse_args()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="redbox-bench-") as temporary:
        base = Path(temporary)
        for episodes in arguments.sizes:
            rows.append(measure_tree(base, episodes, arguments.runs))
            print(json.dumps(rows[-1]), flush=True)
        for transcripts in (40, 400):
            for names in (4, 8):
                rows.append(measure_casts(base, transcripts, names, arguments.runs))
                print(json.dumps(rows[-1]), flush=True)
    print(markdown(rows))


if __name__ == "__main__":
    main()
