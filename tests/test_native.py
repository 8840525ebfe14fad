"""The compiled install (``pip install .`` with mypyc) and the pure one it must match.

The pure modules are the reference: ``.ci/run`` installs the project non-editable into
``.venv-native`` and runs the test suite against it with ``REDBOX_EXPECT_NATIVE=1``, which
makes the last test here check that every module ``setup.py`` lists really runs compiled.
"""

from __future__ import annotations

import ast
import importlib.machinery
import os
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

import toolkit
from tests.conftest import ROOT
from toolkit.cli import cli
from toolkit.native import CYTHON_MODULES, compiled_modules


def _setup_list(name: str) -> list[str]:
    """A list of module paths in setup.py, as dotted names (read, not imported: importing runs setup())."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if not isinstance(node, ast.AnnAssign) or node.value is None:
            continue
        if isinstance(node.target, ast.Name) and node.target.id == name:
            paths: list[str] = ast.literal_eval(node.value)
            return [path.removesuffix(".py").removesuffix(".pyx").replace("/", ".") for path in paths]
    raise AssertionError(f"setup.py has no {name}")


def native_modules() -> list[str]:
    """setup.py's NATIVE_MODULES (compiled with mypyc) as dotted names."""
    return _setup_list("NATIVE_MODULES")


def cython_modules() -> list[str]:
    """setup.py's CYTHON_MODULES (compiled with Cython) as dotted names."""
    return _setup_list("CYTHON_MODULES")


def test_the_source_tree_holds_no_compiled_module() -> None:
    # an editable install imports from here: a compiled file beside a .py would run stale code
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    compiled = [path for path in (ROOT / "toolkit").rglob("*") if path.name.endswith(suffixes)]
    assert compiled == []
    assert list(ROOT.glob("*__mypyc*")) == []


def test_cython_modules_have_a_typed_stub_and_a_pure_counterpart() -> None:
    # mypy reads the stub; the pure install runs the numpy loop the module replaces
    assert cython_modules() == ["toolkit.align._dtw_rows"]
    # the same list twice (setup.py builds from it, `redbox --version` counts by it): kept equal
    assert cython_modules() == list(CYTHON_MODULES)
    for name in cython_modules():
        path = ROOT / name.replace(".", "/")
        assert path.with_suffix(".pyx").is_file() and path.with_suffix(".pyi").is_file()
        assert not path.with_suffix(".py").exists(), "a .py beside it would shadow nothing and mislead"


def test_native_modules_are_build_path_modules_that_exist() -> None:
    names = native_modules()
    assert "toolkit.segment_search" in names
    for name in names:
        assert (ROOT / (name.replace(".", "/") + ".py")).is_file(), name
        assert not name.startswith(("toolkit.cli", "toolkit.align")), f"{name} must stay pure Python"


def test_every_frozen_dataclass_of_a_compiled_module_pickles_by_its_constructor() -> None:
    # Compiled, a frozen dataclass cannot be unpickled field by field (FrozenInstanceError in
    # a build's worker processes: the pool sends options, decoded texts and transcripts), so
    # each defines __reduce__ (model.pickled_by_constructor). A class added later must too.
    missing = []
    for name in native_modules():
        tree = ast.parse((ROOT / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            frozen = any(
                isinstance(decorator, ast.Call)
                and any(k.arg == "frozen" and getattr(k.value, "value", False) for k in decorator.keywords)
                for decorator in node.decorator_list
            )
            methods = {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
            if frozen and "__reduce__" not in methods:
                missing.append(f"{name}.{node.name}")
    assert missing == []


def test_a_decoded_text_and_a_document_survive_pickling() -> None:
    from toolkit.checking import Document
    from toolkit.decoding import DecodedText

    for value in (DecodedText("텍스트", "cp949", True, "\r\n"), Document("a.txt", "Joy: hi", b"x")):
        assert pickle.loads(pickle.dumps(value)) == value


def test_version_says_which_install_runs() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    expected = "compiled with mypyc" if compiled_modules() else "pure Python"
    assert result.output.startswith(f"redbox, version {toolkit.__version__} (")
    assert expected in result.output


def test_editable_and_pure_builds_ask_for_no_compiler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "build_backend"))
    import redbox_build  # type: ignore[import-not-found]  # build_backend/, not a package

    # setuptools' own answer (it runs setup.py) is not what is tested: what the backend adds is
    monkeypatch.setattr(redbox_build.build_meta, "get_requires_for_build_wheel", lambda settings: [])
    monkeypatch.setattr(redbox_build.build_meta, "get_requires_for_build_editable", lambda settings: [])
    monkeypatch.delenv("REDBOX_PURE", raising=False)
    assert redbox_build.get_requires_for_build_wheel() == [
        redbox_build.MYPYC_REQUIREMENT,
        redbox_build.CYTHON_REQUIREMENT,
    ]
    monkeypatch.setenv("REDBOX_PURE", "1")
    assert redbox_build.get_requires_for_build_wheel() == []
    monkeypatch.delenv("REDBOX_PURE")
    assert redbox_build.get_requires_for_build_editable() == []
    assert os.environ["REDBOX_PURE"] == "1"  # and setup.py, run next for the editable wheel, compiles nothing


@pytest.mark.skipif(
    os.environ.get("REDBOX_EXPECT_NATIVE") != "1", reason="set by .ci/run's compiled stage"
)
def test_the_native_install_runs_every_listed_module_compiled() -> None:
    # the tests ran against the installed package, not the source tree beside them
    assert Path(toolkit.__file__).resolve().parent != ROOT / "toolkit", toolkit.__file__
    assert sorted(native_modules() + cython_modules()) == compiled_modules()
    from toolkit import segment_search

    assert segment_search.__file__ is not None
    assert segment_search.__file__.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def test_the_options_and_limits_a_build_sends_to_its_workers_survive_pickling() -> None:
    # compiled, a frozen dataclass is unpickled through its constructor (field by field fails)
    import pickle

    from toolkit.limits import KOREAN
    from toolkit.subtitles import SubtitleOptions
    from toolkit.timing import TimingOptions, TurnSlot

    values = (KOREAN, SubtitleOptions(fps=25.0, labels="change"), TimingOptions(rate=3.0), TurnSlot(5, 9))
    for value in values:
        again = pickle.loads(pickle.dumps(value))
        assert again == value and type(again) is type(value)
