"""What every benchmark script measures, the same way: one command in its own process.

CPU seconds are user + system time of the process and every child it waited for (a build's
worker processes included), from ``os.wait4``; peak memory is the largest resident set of
that process or any of its children; wall time is the clock around it. Runs of two commands
that are compared (redbox and its peer, or a command and its floor) alternate, and the
median of each is reported, so a burst of load on the shared machine hits both alike.

The redbox measured is the one installed beside the Python that runs the script:
``.venv/bin/python`` measures the editable, pure-Python install, ``.venv-native/bin/python``
the compiled one (``pip install .``, docs/development.md); the first run prints which
(``redbox --version``) on stderr, and ``bench_build.py`` puts it in its output.

Before the first run, the package's bytecode is written (``compileall``): an installed redbox
reads cached bytecode (pip compiles it; a checkout writes it on its first run), but where
``PYTHONDONTWRITEBYTECODE`` is set (CI machines, this project's sandbox) every measured
process would otherwise compile every module it imports again, 0.1-0.2 CPU-s a process.
"""

from __future__ import annotations

import compileall
import functools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDBOX = str(BIN / "redbox")


@dataclass(frozen=True)
class Run:
    cpu_s: float
    wall_s: float
    peak_mib: float


@functools.cache
def compile_package() -> None:
    """Write the package's bytecode once a benchmark (see the module's docstring)."""
    compileall.compile_dir(ROOT / "toolkit", quiet=1)


@functools.cache
def redbox_install() -> str:
    """What ``redbox --version`` says of the redbox measured: its version, compiled or pure Python."""
    done = subprocess.run([REDBOX, "--version"], capture_output=True, text=True, check=True)
    return f"{REDBOX}: {done.stdout.strip()}"


def run_once(command: Sequence[str], cwd: Path, *, ok: tuple[int, ...] = (0, 1)) -> Run:
    """Run ``command`` in ``cwd`` (output discarded) and measure it."""
    if not redbox_install.cache_info().currsize:
        print(f"measuring {redbox_install()}", file=sys.stderr, flush=True)
    compile_package()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode} in {cwd}")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


def median(runs: Sequence[Run]) -> Run:
    return Run(
        statistics.median(run.cpu_s for run in runs),
        statistics.median(run.wall_s for run in runs),
        max(run.peak_mib for run in runs),
    )


def row(work: str, size: str, run: Run, floor: Run | None = None, peer: Run | None = None,
        peer_name: str = "") -> dict[str, object]:  # fmt: skip
    """One line of a benchmark's table, as a dict (printed as JSON by the scripts)."""
    line: dict[str, object] = {"work": work, "size": size, "cpu_s": round(run.cpu_s, 3)}
    line.update(wall_s=round(run.wall_s, 3), peak_mib=round(run.peak_mib, 1))
    if floor is not None:
        line["floor_cpu_s"] = round(floor.cpu_s, 3)
        line["x_floor"] = round(run.cpu_s / floor.cpu_s, 1) if floor.cpu_s else None
    if peer is not None:
        line[f"{peer_name}_cpu_s"] = round(peer.cpu_s, 3)
        line[f"x_{peer_name}"] = round(run.cpu_s / peer.cpu_s, 2) if peer.cpu_s else None
    return line


def python(code: str) -> list[str]:
    """A command running ``code`` in this interpreter (for floors: read inputs, write outputs)."""
    return [sys.executable, "-c", code]


def markdown(rows: Sequence[dict[str, object]]) -> str:
    """The rows as a Markdown table (what docs/benchmarks.md shows)."""
    keys = list(dict.fromkeys(key for one in rows for key in one))
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(one.get(key, "")) for key in keys) + " |" for one in rows]
    return "\n".join(lines)
