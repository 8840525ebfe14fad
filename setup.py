"""Build redbox: the pure-Python package, with its hot modules compiled by mypyc where it can.

``pip install .`` compiles ``NATIVE_MODULES`` to C extensions with mypyc (part of mypy) when
a C compiler and Python's headers are there, and installs the pure-Python package, saying
so in one line, when they are not or compiling fails. ``REDBOX_PURE=1`` forces the pure
package; editable installs (``pip install -e .``) are always pure (see
``build_backend/redbox_build.py``). The pure modules are the reference: the compiled ones
are the same source, and ``.ci/run`` runs the tests against both. ``redbox --version``
says which is installed.

Everything else (metadata, dependencies) is in ``pyproject.toml``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

# The modules compiled into the native install: the build's hot path (cutting, timing, the
# writers), then the check and catalog paths. One list, here; every module in it must be
# `mypy --strict` clean and behave the same compiled (docs/development.md, "The compiled
# install"). build.py, build_run.py and build_manifest.py stay pure: they only orchestrate,
# and their classes are pickled to the worker processes and subclassed by the video
# commands, which compiled classes refuse.
NATIVE_MODULES: list[str] = [
    "toolkit/segment.py",
    "toolkit/segment_rules.py",
    "toolkit/segment_search.py",
    "toolkit/segment_tokens.py",
    "toolkit/english.py",  # the boundary rules' word tests, called once a word
    "toolkit/limits.py",
    "toolkit/timing.py",
    "toolkit/timecode.py",
    "toolkit/subtitles.py",
    "toolkit/formats/srt.py",
    "toolkit/formats/vtt_write.py",
    # the check and catalog paths: reading, the transcript, subtitle and catalog rules
    "toolkit/transcript.py",
    "toolkit/text_checks.py",
    "toolkit/text_units.py",
    "toolkit/subtitle_check.py",
    "toolkit/checking.py",
    "toolkit/validate.py",
    "toolkit/decoding.py",
    "toolkit/speaker_names.py",
    "toolkit/formats/cue_columns.py",
    "toolkit/formats/vtt.py",
    "toolkit/formats/decoding.py",
    "toolkit/catalog/po.py",
    "toolkit/catalog/po_read.py",
    "toolkit/catalog/po_fast.py",
    "toolkit/catalog/po_write.py",
    "toolkit/catalog/po_layout.py",
    "toolkit/catalog/po_decode.py",
    "toolkit/catalog/po_formats.py",
    "toolkit/catalog/po_plural.py",
    "toolkit/catalog/checks.py",
    "toolkit/catalog/msgfmt_checks.py",
    "toolkit/catalog/merge.py",
    "toolkit/catalog/translate.py",
    "toolkit/catalog/budget.py",
    "toolkit/catalog/identity.py",
    "toolkit/catalog/extract.py",
]

# Compiled with Cython beside them (a numpy loop that mypyc cannot speed up: its time goes
# into starting numpy calls, not into Python): the aligner's DTW rows. The module's pure
# counterpart is the numpy loop it replaces (toolkit/align/dtw.py), used when it is absent.
CYTHON_MODULES: list[str] = ["toolkit/align/_dtw_rows.pyx"]
# A fused multiply-add would round once where numpy rounds twice: the compiled rows must give
# the numpy loop's path bit for bit.
CYTHON_COMPILE_ARGS = ["-O3", "-ffp-contract=off"]

# mypy's view of the code while compiling, the same wherever pip builds: not the packages of
# the environment being installed into (pip installs the dependencies after building the
# wheel, so they may or may not be there); a third-party value is an `Any` to mypyc, and
# the modules compiled are checked as `mypy --strict` checks them (errors in the modules they
# import, typed against the real packages by that check, are not repeated here).
MYPY_OPTIONS = ["--no-site-packages", "--ignore-missing-imports", "--follow-imports=silent"]

# the commands that build extension modules; metadata-only runs (egg_info, dist_info) skip mypyc
_BUILD_COMMANDS = {"bdist_wheel", "build", "build_ext", "install", "bdist"}
# the shared library mypyc writes for NATIVE_MODULES: <GROUP>__mypyc.<ext>, beside the package
GROUP = "toolkit"


def _say(message: str) -> None:
    print(f"redbox: {message}", file=sys.stderr, flush=True)


def _why_pure() -> str | None:
    """Why this build installs the pure-Python package, or None to compile."""
    if os.environ.get("REDBOX_PURE", "") not in ("", "0"):
        return "REDBOX_PURE is set"
    if {"develop", "editable_wheel"} & set(sys.argv[1:]):
        return "an editable install is always pure Python"
    try:
        import mypyc.build  # noqa: F401
    except ImportError:
        return "mypyc (mypy) is not installed in the build environment"
    compiler = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    if not compiler or shutil.which(compiler[0]) is None:
        return f"no C compiler ({compiler[0] if compiler else 'cc'} not found)"
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not headers.is_file():
        return f"no Python headers ({headers} is missing; install python3-dev)"
    return None


def _native_extensions() -> list[Extension]:
    """mypyc's extensions for NATIVE_MODULES, or [] (with one line saying why) for the pure package."""
    if not _BUILD_COMMANDS & set(sys.argv[1:]):
        return []
    reason = _why_pure()
    if reason is None:
        from mypyc.build import mypycify

        try:
            extensions = list(mypycify([*MYPY_OPTIONS, *NATIVE_MODULES], opt_level="3", group_name=GROUP))
        except (Exception, SystemExit) as error:  # mypyc exits on a type error
            reason = f"mypyc could not compile the modules ({error})"
        else:
            return extensions + _cython_extensions()
    _say(f"installing the pure-Python package: {reason}")
    return []


def _cython_extensions() -> list[Extension]:
    """Cython's extensions for CYTHON_MODULES, or [] (with one line saying why): the numpy
    loop they replace runs instead. Cython writes its C into build/, not beside the source."""
    try:
        from Cython.Build import cythonize
    except ImportError:
        _say("the DTW stays a numpy loop: Cython is not installed in the build environment")
        return []
    extensions = [
        Extension(path.removesuffix(".pyx").replace("/", "."), [path], extra_compile_args=CYTHON_COMPILE_ARGS)
        for path in CYTHON_MODULES
    ]
    try:
        return list(cythonize(extensions, build_dir="build/cython", quiet=True))
    except Exception as error:  # a source missing from an unusual sdist, a Cython error
        _say(f"the DTW stays a numpy loop: Cython could not translate it ({error})")
        return []


def _is_extension(path: Path) -> bool:
    return any(path.name.endswith(suffix) for suffix in (".so", ".pyd")) and path.is_file()


class BuildPyWithoutStaleExtensions(build_py):
    """build_py that first removes compiled modules left in the build folder by an earlier build.

    setuptools reuses ``build/lib*``: an extension compiled by a previous ``pip install .``
    (of a module since dropped from NATIVE_MODULES, or before ``REDBOX_PURE=1``) would
    otherwise go into the wheel and shadow its ``.py``.
    """

    def run(self) -> None:
        build_lib = Path(self.build_lib)
        if build_lib.is_dir():
            for path in [*build_lib.glob("*__mypyc*"), *(build_lib / "toolkit").rglob("*")]:
                if _is_extension(path):
                    path.unlink()
        super().run()


class BuildExtOrPure(build_ext):
    """build_ext that falls back to the pure package (one line on stderr) when compiling fails."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # CompileError, LinkError, DistutilsError, OSError
            for output in self.get_outputs():
                Path(output).unlink(missing_ok=True)
            # the first line of the error: a failed compiler command is hundreds of characters
            summary = str(error).splitlines()[0] if str(error) else type(error).__name__
            if len(summary) > 160:
                summary = summary[:160] + "…"
            _say(f"installing the pure-Python package: compiling failed ({summary})")


setup(
    ext_modules=_native_extensions(),
    cmdclass={"build_py": BuildPyWithoutStaleExtensions, "build_ext": BuildExtOrPure},
)
