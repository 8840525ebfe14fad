"""Issue 16's tenth pass at ``redbox check``: each shortcut gives what the general code gives.

The doubled-word pre-test is held to its regex in ``tests/test_text_checks_fast.py``; here the
smaller ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import compress, count, repeat
from operator import add, gt, mul, sub, truediv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import checking
from toolkit.formats.cue_columns import tidy_split
from toolkit.formats.decoding import decode_subtitle
from toolkit.limits import ENGLISH, KOREAN, LanguageLimits
from toolkit.project import find_project
from toolkit.subtitle_check import _CueRules, _maybe_too_wide_or_fast


def _newline_of_text(text: str) -> str:
    """How the WebVTT decoder told a file's line ends before: by searching the decoded text."""
    return "\r\n" if "\r\n" in text else "\r" if "\r" in text else "\n"


@pytest.mark.parametrize("data", [
    b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n",
    b"WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nHi\r\n",
    b"WEBVTT\r\r00:00:01.000 --> 00:00:02.000\rHi\r",
    b"WEBVTT\r\n\n00:00:01.000 --> 00:00:02.000\rHi\n",
    b"WEBVTT\r\r\n",
    "\ufeffWEBVTT\n\nIt’s\r\n".encode(),
    "WEBVTT\n\n…\u2028\r".encode(),
    b"",
])  # fmt: skip
def test_a_webvtt_files_line_ends_are_told_by_its_bytes_as_by_its_text(data: bytes) -> None:
    decoded = decode_subtitle(data, "a.vtt", "vtt")
    assert decoded.encoding == "utf-8"
    assert decoded.newline == _newline_of_text(decoded.text)


_HEAD = re.compile(r"\n\n(\d) --> (\d)\n")


def _tidy_split_before(head: re.Pattern[str], cues: str, fields: int) -> list[list[str]] | None:
    """``tidy_split`` as it was, with its callers' test for an arrow in a text: the whole
    ``cues`` searched for a blank line of three line breaks, its blank lines counted, its
    arrows counted (a head holds one)."""
    if "\n\n\n" in cues:
        return None
    pieces = head.split(cues)
    count = len(pieces) // fields
    if count == 0 or pieces[0] or cues.count("\n\n") != count:
        return None
    columns = [pieces[field::fields] for field in range(1, fields + 1)]
    return None if cues.count("-->") != len(columns[-1]) else columns


@settings(max_examples=3000)
@given(st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n", "a", "b c", "-", ">", "-->", "--->", " ", "1",
                                 "\n\n1 --> 2\n", "\n\n3 --> 4\n", "\n1 --> 2\n"]), max_size=12).map("".join))
def test_tidy_split_agrees_with_the_whole_file_searches_it_replaced(cues: str) -> None:
    cues = cues.rstrip("\n")  # (as its callers hand it: no line break after the last text)
    assert tidy_split(_HEAD, cues, 3) == _tidy_split_before(_HEAD, cues, 3)


@settings(max_examples=3000)
@given(st.lists(st.sampled_from(["a", "b c", "-", ">", "-->", "\n", "\n\n", ""]), min_size=1, max_size=5))
def test_tidy_split_agrees_on_well_formed_heads_around_any_texts(texts: list[str]) -> None:
    cues = "".join(f"\n\n{index % 10} --> 0\n{text}" for index, text in enumerate(texts)).rstrip("\n")
    assert tidy_split(_HEAD, cues, 3) == _tidy_split_before(_HEAD, cues, 3)


def _project_with_a_catalog(root: Path) -> None:
    header = "---\ntitle: One\nepisode: {slug}\nlanguage: en\nspeakers: Ann\n---\nAnn: Hello there.\n"
    (root / "transcripts").mkdir()
    (root / "transcripts" / "one.txt").write_text(header.format(slug="one"), encoding="utf-8")
    (root / "transcripts" / "two.txt").write_text(header.format(slug="two"), encoding="utf-8")
    for slug in ("one", "two", "gone"):
        (root / "locales" / "ko" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
        (root / "locales" / "ko" / "LC_MESSAGES" / f"{slug}.po").write_text(
            'msgid ""\nmsgstr ""\n"Language: ko\\n"\n', encoding="utf-8")
    (root / "through").symlink_to(root / "transcripts")


@pytest.mark.parametrize("named", [
    [],
    ["transcripts", "locales"],
    ["through/one.txt", "locales"],
    ["through", "transcripts/one.txt", "locales"],
    ["locales", "through/two.txt", "through/one.txt"],
])  # fmt: skip
def test_the_orphan_rule_knows_a_transcript_read_through_a_link(tmp_path: Path, named: list[str]) -> None:
    """The first pass keeps the headers by path as found; the orphan rule finds a project
    transcript there, or by real path when it was named through a link."""
    _project_with_a_catalog(tmp_path)
    project = find_project(tmp_path)
    run = checking.check_paths(project, [tmp_path / name for name in named], lambda decoded, source: None)
    orphaned = sorted(problem.source for problem in run.problems if problem.code == "PRJ001")
    assert orphaned == ["locales/ko/LC_MESSAGES/gone.po"]


def _maybe_too_wide_or_fast_before(plains: list[str], breaks: list[int], durations: list[int],
                                   rules: _CueRules) -> list[int]:  # fmt: skip
    """``subtitle_check._maybe_too_wide_or_fast`` as it was: every Korean cue's UTF-8 size."""
    max_cps, max_width = rules.max_cps, rules.max_width
    lengths = list(map(sub, map(len, plains), breaks))
    bounds: Iterable[float] = lengths
    if rules.limits.cjk_counting:
        sizes = map(sub, map(len, map(str.encode, plains, repeat("utf-8"), repeat("surrogatepass"))), breaks)
        bounds = map(truediv, map(add, lengths, sizes), repeat(4))
        lines = [line for line in "\n".join(plains).split("\n") if len(line) > max_width]
        line_sizes = map(len, map(str.encode, lines, repeat("utf-8"), repeat("surrogatepass")))
        longest: float = max(map(add, map(len, lines), line_sizes), default=0) / 4
    else:
        longest = float(max(map(len, "\n".join(plains).split("\n"))))
    if min(durations) > 0:
        speeds = map(truediv, map(mul, bounds, repeat(1000)), durations)
        found = list(compress(count(), map(gt, speeds, repeat(max_cps))))
    else:
        found = [index for index, (bound, duration) in enumerate(zip(bounds, durations, strict=True))
                 if duration > 0 and bound * 1000 / duration > max_cps]  # fmt: skip
    if longest > max_width:
        found.extend(index for index, plain in enumerate(plains) if len(plain) > max_width)
    return found


_CUE_PIECES = ["가", "한국", "a", "word", " ", "\n", "…", "ｱ", "漢", "😀", "e\u0301", "\ud800"]
_cue_text = st.lists(st.sampled_from(_CUE_PIECES), min_size=1, max_size=30).map("".join)
_durations = st.sampled_from([-5, 0, 1, 200, 833, 1000, 1500, 2999, 3000, 7000])


@settings(max_examples=1500)
@given(cues=st.lists(st.tuples(_cue_text, _durations), min_size=1, max_size=8),
       limits=st.sampled_from([KOREAN, ENGLISH]))  # fmt: skip
def test_the_korean_speed_bound_is_taken_only_where_the_length_leaves_a_cue_too_fast(
        cues: list[tuple[str, int]], limits: LanguageLimits) -> None:  # fmt: skip
    """The cues picked out are the old ones, less some the length (a bound as well) clears,
    which the rules find nothing in (emoji: four bytes, so the Korean bound is above the
    length)."""
    plains = [plain for plain, _ in cues]
    durations = [duration for _, duration in cues]
    breaks = [plain.count("\n") for plain in plains]
    rules = _CueRules("a.srt", limits, 23.976)
    picked = set(_maybe_too_wide_or_fast(plains, breaks, durations, rules))
    before = set(_maybe_too_wide_or_fast_before(plains, breaks, durations, rules))
    assert picked <= before
    for index in before - picked:
        rules.check(index + 1, 0, durations[index], plains[index], plains[index], 1, None)
    assert not [problem for problem in rules.problems if problem.code in ("SUB003", "SUB004")]
    if limits is ENGLISH or all(plain.isascii() or max(plain) < "\U00010000" for plain in plains):
        assert picked == before  # (no character beyond U+FFFF: the Korean bound is the smaller)
