"""Which of redbox's modules run compiled and which run as Python source.

``pip install .`` compiles the build's hot modules with mypyc where a C compiler exists
(``setup.py``'s ``NATIVE_MODULES``); an editable install, ``REDBOX_PURE=1`` or a machine
without a compiler gets the pure-Python package. Python imports a module's compiled
extension in preference to its ``.py`` beside it, so a module's spec says which one runs.
Nothing here imports the modules it looks at: ``redbox --version`` stays quick.
"""

from __future__ import annotations

import importlib.machinery
import os
import pkgutil

import toolkit

_EXTENSION_SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)


def compiled_modules() -> list[str]:
    """The dotted names of toolkit's modules that import from a compiled extension, sorted."""
    compiled: list[str] = []
    pending: list[tuple[list[str], str]] = [(list(toolkit.__path__), "toolkit.")]
    while pending:
        paths, prefix = pending.pop()
        for info in pkgutil.iter_modules(paths, prefix):
            finder = info.module_finder
            if info.ispkg and isinstance(finder, importlib.machinery.FileFinder):
                folder = os.path.join(finder.path, info.name.rpartition(".")[2])
                pending.append(([folder], info.name + "."))
            # a package's own module is its __init__ (compiled: __init__.<extension suffix>)
            spec = finder.find_spec(info.name, None) if hasattr(finder, "find_spec") else None
            if spec is not None and (spec.origin or "").endswith(_EXTENSION_SUFFIXES):
                compiled.append(info.name)
    return sorted(compiled)


#: Compiled with Cython, not mypyc (``setup.py``'s ``CYTHON_MODULES``): the aligner's DTW rows.
CYTHON_MODULES = ("toolkit.align._dtw_rows",)


def describe_install() -> str:
    """One phrase for ``redbox --version``: "compiled with mypyc: N modules" (and "the DTW
    with Cython" where that was compiled too) or "pure Python"."""
    compiled = compiled_modules()
    if not compiled:
        return "pure Python"
    by_mypyc = [name for name in compiled if name not in CYTHON_MODULES]
    cython = ", the DTW with Cython" if len(by_mypyc) < len(compiled) else ""
    return f"compiled with mypyc: {len(by_mypyc)} modules{cython}"
