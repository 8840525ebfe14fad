"""redbox's build backend: setuptools, asking for mypyc only when a wheel may be compiled.

``pip install .`` builds a wheel: mypy (whose mypyc compiles ``setup.py``'s
``NATIVE_MODULES`` to C extensions) and Cython (``CYTHON_MODULES``: the aligner's DTW
rows) are added to the build's requirements, unless ``REDBOX_PURE=1``.
``pip install -e .`` (an editable install) is always pure Python: a
compiled file beside the source would keep running the old code after an edit, so the
editable build neither asks for mypy nor compiles anything (``setup.py`` reads
``REDBOX_PURE``, set here).
"""

from __future__ import annotations

import os
from typing import Any

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F403  (every hook not overridden here)

# the mypy that checks the code (the test extra's, in .venv) compiles it: one version, pinned
MYPYC_REQUIREMENT = "mypy==2.4.1"
# Cython compiles the aligner's DTW rows (setup.py's CYTHON_MODULES), pinned as mypy is
CYTHON_REQUIREMENT = "Cython==3.3.1"


def _pure_requested() -> bool:
    return os.environ.get("REDBOX_PURE", "") not in ("", "0")


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    requires = build_meta.get_requires_for_build_wheel(config_settings)
    return requires if _pure_requested() else [*requires, MYPYC_REQUIREMENT, CYTHON_REQUIREMENT]


def get_requires_for_build_editable(config_settings: dict[str, Any] | None = None) -> list[str]:
    os.environ["REDBOX_PURE"] = "1"
    return build_meta.get_requires_for_build_editable(config_settings)


def prepare_metadata_for_build_editable(
    metadata_directory: str, config_settings: dict[str, Any] | None = None
) -> str:
    os.environ["REDBOX_PURE"] = "1"
    return build_meta.prepare_metadata_for_build_editable(metadata_directory, config_settings)


def build_editable(
    wheel_directory: str, config_settings: dict[str, Any] | None = None, metadata_directory: str | None = None
) -> str:
    os.environ["REDBOX_PURE"] = "1"
    return build_meta.build_editable(wheel_directory, config_settings, metadata_directory)
