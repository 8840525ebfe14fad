"""Speed-ups that replace general code are tested against it (the general code is kept here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.decoding import _looks_binary
from toolkit.limits import ENGLISH, KOREAN, OTHER, LanguageLimits, char_width, text_width
from toolkit.project import Project


def _display_by_pathlib(root: Path, path: Path | str) -> str:
    """Project.display as it was: three pathlib parses per call."""
    absolute = Path(os.path.normpath(Path.cwd() / path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@pytest.mark.parametrize("root", ["/", "/srv", "/srv/project", "/srv/pro"])
@pytest.mark.parametrize(
    "path",
    ["transcripts/a.txt", "/srv/project", "/srv/project/", "/srv/project/subtitles/x.en.srt",
     "/srv/projectile/x.txt", "../elsewhere/x.txt", ".", "/", "a/../../b", "/srv/project/./a//b.po", "-"],
)  # fmt: skip
def test_display_is_what_pathlib_gave(root: str, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")
    project = Project(root=Path(root))
    assert project.display(path) == _display_by_pathlib(Path(root), path)
    assert project.display(Path(path)) == _display_by_pathlib(Path(root), Path(path))


def _looks_binary_by_loop(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in (0x09, 0x0A, 0x0C, 0x0D))
    return controls > max(2, len(sample) // 100)


@given(st.binary(max_size=300), st.integers(min_value=0, max_value=9000))
def test_binary_sniffing_counts_controls_as_the_loop_did(data: bytes, padding: int) -> None:
    for sample in (data, data + b"a" * padding, (b"\x01\x1b" + data) * 3):
        assert _looks_binary(sample) == _looks_binary_by_loop(sample)


def _width_by_character(text: str, limits: LanguageLimits) -> float:
    """text_width as it was: one char_width call per character (a float, for no text too)."""
    return sum((char_width(char, limits) for char in text if char != "\n"), 0.0)


_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("Joy: hi, it’s “fine” — really… 조이 안녕 다솜\n\u00a0\u200b\u0301\t\x7f漢ｱ–")),
        st.characters(),
    ),
    max_size=60,
)


@given(_TEXT)
def test_width_shortcuts_give_the_per_character_sum(text: str) -> None:
    for limits in (ENGLISH, KOREAN, OTHER):
        expected = _width_by_character(text, limits)
        found = text_width(text, limits)
        assert found == expected and type(found) is type(expected), (text, limits.language)


@pytest.mark.parametrize(
    "text", ["", "\n", "Joy: hello", "It’s “fine” — really…", "조이: 안녕\n다솜", "e\u0301", "\u200b", "漢字"]
)
def test_width_shortcuts_on_examples(text: str) -> None:
    for limits in (ENGLISH, KOREAN):
        assert text_width(text, limits) == _width_by_character(text, limits)
