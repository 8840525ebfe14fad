"""Tests that count calls by patching a module's globals hold only for interpreted modules.

A module compiled by mypyc (the native install, ``setup.py``'s ``NATIVE_MODULES``) calls the
functions of its own group directly, not through its globals, so a patched global is never
called: what such a test counts (parses, reads, widths) is not counted there. The behaviour
those shortcuts keep is tested by the rest of the suite, which runs against both installs.
"""

from __future__ import annotations

from types import ModuleType

import pytest


def patching(*modules: ModuleType) -> pytest.MarkDecorator:
    """Skip the test when one of ``modules`` runs compiled."""
    compiled = [module.__name__ for module in modules if not (module.__file__ or "").endswith(".py")]
    return pytest.mark.skipif(bool(compiled), reason=f"patches globals of compiled {', '.join(compiled)}")
