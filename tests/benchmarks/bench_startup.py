"""Benchmark start-up: ``redbox --help`` against ``pybabel --help``, and a command's own ``--help``.

    .venv/bin/python tests/benchmarks/bench_startup.py            # 21 alternating runs each
    .venv/bin/python tests/benchmarks/bench_startup.py --runs 51

The peer is Babel's command line (installed with redbox): both are Click-or-optparse Python
programs that print a help page and exit. "Two sizes" here are the group's help and a
command's help (which loads that command's module only).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for tests.benchmarks

from tests.benchmarks.measure import BIN, REDBOX, ROOT, Run, markdown, median, python, row, run_once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    arguments = parser.parse_args()
    commands = {
        "redbox --help": [REDBOX, "--help"],
        "redbox build --help": [REDBOX, "build", "--help"],
        "pybabel --help": [str(BIN / "pybabel"), "--help"],
        "python (floor)": python("pass"),
    }
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(arguments.runs):
        for name, command in commands.items():
            runs[name].append(run_once(command, ROOT))
    floor = median(runs["python (floor)"])
    peer = median(runs["pybabel --help"])
    rows = [
        row(name, "-", median(runs[name]), floor, peer, "pybabel")
        for name in ("redbox --help", "redbox build --help", "pybabel --help")
    ]
    for one in rows:
        print(json.dumps(one))
    print(markdown(rows))


if __name__ == "__main__":
    main()
