"""The writers' quick tests skip only work that changes nothing.

:func:`toolkit.formats.validate_cues` looks for noncharacters only in text holding a character
at or above U+FDD0, and :func:`toolkit.formats.srt.srt_safe_text` escapes only text holding one
of its escape triggers (found by substring tests, not by ``_NEEDS_ESCAPE``).
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.errors import SubtitleError
from toolkit.formats import MAYBE_NONCHARACTER, NONCHARACTER, validate_cues
from toolkit.formats.libass import break_backslash_escapes, break_tag_starts, escape_srt_braces
from toolkit.formats.srt import srt_safe_text
from toolkit.model import Cue, CuePart


def test_every_noncharacter_is_caught_by_the_quick_range() -> None:
    everything = "".join(chr(point) for point in range(sys.maxunicode + 1) if not 0xD800 <= point <= 0xDFFF)
    found = NONCHARACTER.findall(everything)
    assert len(found) == 66 and all(MAYBE_NONCHARACTER.fullmatch(char) for char in found)


@pytest.mark.parametrize("char", ["\ufdd0", "\ufdef", "\ufffe", "\U0001ffff", "\U0010fffe"])
def test_a_cue_holding_a_noncharacter_is_refused_among_plain_cues(char: str) -> None:
    cues = [
        Cue(0, 900, (CuePart(None, "Hello, it’s me."),), 3),
        Cue(1000, 2000, (CuePart(None, f"a{char}b"),), 4),
    ]
    with pytest.raises(SubtitleError, match="cue 2"):
        validate_cues(cues, source="a.txt")


def _escaped_in_full(text: str) -> str:
    """srt_safe_text's escaping path, taken whatever the text holds."""
    lines = [break_tag_starts(break_backslash_escapes(line.strip()).replace("-->", "--\u2060>"))
             for line in text.split("\n")]  # fmt: skip
    return escape_srt_braces("\n".join(lines))


PIECES = ["a", " ", "\n", "-", ">", "-->", "<", "<b>", "}", "{", "\\", "\\N", "’", "\t", "ß"]
texts = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)


@settings(max_examples=500, deadline=None)
@given(texts)
@example("{a} b")
@example("a --> b")
def test_srt_text_skips_escaping_only_when_escaping_would_change_nothing(text: str) -> None:
    assert srt_safe_text(text) == _escaped_in_full(text)
