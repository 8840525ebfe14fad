"""Issue 16's tenth pass at ``redbox check``: each shortcut gives what the general code gives.

The doubled-word pre-test is held to its regex in ``tests/test_text_checks_fast.py``; here the
smaller ones.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import checking
from toolkit.formats.cue_columns import tidy_split
from toolkit.formats.decoding import decode_subtitle
from toolkit.project import find_project


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
