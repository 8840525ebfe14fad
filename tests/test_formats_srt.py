"""The SRT writer (guarded pysrt) and the lenient SRT reader."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pysrt
import pytest
import srt
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.clients import golden_cues
from toolkit.errors import SubtitleError
from toolkit.formats import NONCHARACTER, get_reader, get_writer
from toolkit.formats.libass import WORD_JOINER
from toolkit.formats.srt import compose_srt, parse_srt, srt_safe_text
from toolkit.model import Cue, CuePart

DATA = Path(__file__).parent / "data" / "formats"


def cue(start: int, end: int, text: str, line: int = 0) -> Cue:
    return Cue(start, end, (CuePart(None, text),), line=line)


# ---------------------------------------------------------------- writer


def test_golden_files_are_reproduced_byte_for_byte() -> None:
    assert compose_srt(golden_cues()).encode("utf-8") == (DATA / "golden.srt").read_bytes()
    crlf = compose_srt(golden_cues(), crlf=True).encode("utf-8")
    assert crlf == (DATA / "golden-crlf.srt").read_bytes()
    assert b"\n" not in crlf.replace(b"\r\n", b"")


def test_output_is_deterministic_and_numbered_from_one() -> None:
    first = compose_srt(golden_cues())
    assert first == compose_srt(golden_cues())
    assert [block.split("\n", 1)[0] for block in first.strip().split("\n\n")] == ["1", "2", "3", "4", "5"]
    assert not first.startswith("\ufeff")


def test_registry_gives_the_same_writer_and_reader() -> None:
    assert get_writer("srt", crlf=True)(golden_cues()) == compose_srt(golden_cues(), crlf=True)
    assert get_reader("srt") is parse_srt


@pytest.mark.parametrize(
    ("cues", "message"),
    [
        ([cue(-1, 1000, "Hi", line=4)], "starts before zero"),
        ([cue(1000, 1000, "Hi", line=4)], "not after its start"),
        ([cue(2000, 1000, "Hi", line=4)], "not after its start"),
        ([cue(0, 1000, " ", line=4)], "has no text"),
        ([Cue(0, 1000, (), line=4)], "has no text"),
        ([cue(0, 1000, "a\n\nb", line=4)], "blank line"),
        ([cue(0, 1000, "a\n  \nb", line=4)], "blank line"),
        ([cue(0, 1000, "a\rb", line=4)], r"U\+000D"),
        ([cue(0, 1000, "a\u2028b", line=4)], r"U\+2028"),
        ([cue(0, 1000, "a\x00b", line=4)], r"U\+0000"),
        ([cue(0, 2000, "a"), cue(1000, 3000, "b", line=4)], "before the previous cue ends"),
        ([cue(5000, 6000, "a"), cue(1000, 3000, "b", line=4)], "before the previous cue ends"),
    ],
)
def test_writer_refuses_what_srt_cannot_carry(cues: list[Cue], message: str) -> None:
    with pytest.raises(SubtitleError, match=message) as raised:
        compose_srt(cues, source="ep.txt")
    assert raised.value.line == 4
    assert str(raised.value).startswith("ep.txt:4: ")


def test_text_is_made_safe_without_losing_visible_characters() -> None:
    unsafe = " 12 \n00:00:05,000 --> 00:00:06,000\n<b>x</b> {\\an8}"
    safe = srt_safe_text(unsafe)
    # the one visible escape: libass's \{ for a brace that would open an override block
    assert safe.replace(WORD_JOINER, "") == "12\n00:00:05,000 --> 00:00:06,000\n<b>x</b> \\{\\an8}"
    assert "-->" not in safe and "<b>" not in safe and "{\\" not in safe
    assert srt_safe_text("Tom & Jerry < 3").replace(WORD_JOINER, "") == "Tom & Jerry < 3"


# ---------------------------------------------------------------- reader


def test_reader_reads_our_golden_file() -> None:
    cues, problems = parse_srt((DATA / "golden.srt").read_text(encoding="utf-8"), "golden.srt")
    assert problems == []
    assert [(c.number, c.identifier, c.start_ms, c.end_ms, c.line, c.timing_line) for c in cues][:2] == [
        (1, "1", 1000, 4200, 1, 2),
        (2, "2", 4284, 8000, 5, 6),
    ]
    assert cues[4].start_ms == 3_723_004
    assert cues[3].text == "정열: 북한에서 왔어요."


@pytest.mark.parametrize(
    ("timing", "reason"),
    [
        ("00:00:01,000 --> 00:00:0a,000", "not HH:MM:SS,mmm"),
        ("00:00:01,000 -> 00:00:02,000", "cannot read"),
        ("00:00:01,000 --> 00:00:02,000 junk", "unexpected text"),
        ("00:01:39 --> 00:01:41,000", "pysrt drops such a cue and ffmpeg shows its lines"),
        ("00:00:01:500 --> 00:00:02,000", "ffmpeg cannot read it"),
        ("1" * 5000 + ":00:01,000 --> 00:00:02,000", "more than 9 digits"),
    ],
)
def test_malformed_timestamp_is_a_problem_never_time_zero(timing: str, reason: str) -> None:
    text = f"1\n{timing}\nBroken\n\n2\n00:00:03,000 --> 00:00:04,000\nFine\n"
    cues, problems = parse_srt(text, "x.srt")
    assert [(c.start_ms, c.text) for c in cues] == [(3000, "Fine")]
    # SUB208 too: a first timing line ffmpeg cannot read makes it refuse the whole file
    assert [(p.code, p.line) for p in problems if p.code != "SUB208"] == [("SUB201", 2)]
    assert reason in next(p.message for p in problems if p.code == "SUB201")


@pytest.mark.parametrize(
    "stamp",
    ["00:00:013,567", "00:00:01,08", "00:00:01.16", "0:0:7,560", "00:00:01,5", "00:00:01,1234",
     "1:02:03,4", "00:60:00,000", "00:00:75,000", "000:00:01,500", "00:00:01.500000"],
)
def test_lenient_timestamps_are_read_as_pysrt_and_srt_read_them(stamp: str) -> None:
    """pysrt, srt and ffmpeg agree on these (docs/formats.md); redbox reads them alike, with a warning."""
    text = f"1\n{stamp} --> 99:00:00,000\nHi\n\n2\n99:00:01,000 --> 99:00:02,000\nBye\n"
    cues, problems = parse_srt(text, "x.srt")
    theirs = pysrt.from_string(text)
    assert [(c.start_ms, c.end_ms, c.text) for c in cues] == [
        (item.start.ordinal, item.end.ordinal, item.text) for item in theirs
    ]
    one_ms = timedelta(milliseconds=1)
    assert [c.start_ms for c in cues] == [sub.start // one_ms for sub in srt.parse(text)]
    assert {p.code for p in problems} <= {"SUB202"}
    assert all(p.severity == "warning" for p in problems)


def test_a_text_line_with_an_arrow_and_a_clock_stays_text() -> None:
    """``10:30 -> then we left.`` is text to pysrt, srt and ffmpeg; so it is to redbox."""
    cue = Cue(1000, 3000, (CuePart(None, "10:30 -> then we left.\n12:00 --> lunch"),))
    cues, problems = parse_srt(compose_srt([cue]), "x.srt")
    assert problems == []
    assert cues[0].text.replace(WORD_JOINER, "") == "10:30 -> then we left.\n12:00 --> lunch"


def test_a_huge_index_is_a_problem_not_a_traceback() -> None:
    text = "1" * 5000 + "\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n"
    cues, problems = parse_srt(text, "x.srt")
    assert [c.text for c in cues] == ["Hi", "Bye"]
    assert [p.code for p in problems] == ["SUB205"]
    assert len(problems[0].message) < 200


def test_a_file_ffmpeg_does_not_recognise_as_srt_is_an_error() -> None:
    """ffmpeg's probe wants a number line, then a timing line with milliseconds (pysrt's
    no-indexes.srt: pysrt reads it, ffmpeg and mpv refuse it)."""
    text = "00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n"
    cues, problems = parse_srt(text, "x.srt")
    assert len(cues) == 2
    assert ("SUB208", 1, "error") in [(p.code, p.line, p.severity) for p in problems]
    _, problems = parse_srt("\n\n7 junk\n" + text, "x.srt")
    assert "SUB208" not in [p.code for p in problems]


def test_dot_separator_is_read_with_a_warning() -> None:
    cues, problems = parse_srt("1\n00:00:01.000 --> 00:00:02,000\nHi\n", "x.srt")
    assert cues[0].start_ms == 1000
    assert [(p.code, p.severity) for p in problems] == [("SUB202", "warning")]


def test_missing_blank_line_starts_a_new_cue_and_is_reported() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n"
    cues, problems = parse_srt(text, "x.srt")
    assert [(c.identifier, c.text) for c in cues] == [("1", "One"), ("2", "Two")]
    assert [(p.code, p.line) for p in problems] == [("SUB203", 4)]


def test_text_outside_any_cue_and_bad_indexes_are_reported() -> None:
    text = "stray words\n\n5\n00:00:01,000 --> 00:00:02,000\nOne\n\n00:00:03,000 --> 00:00:04,000\nTwo\n"
    cues, problems = parse_srt(text, "x.srt")
    assert [c.text for c in cues] == ["One", "Two"]
    found = [(p.code, p.line) for p in problems]
    assert found == [("SUB204", 1), ("SUB205", 3), ("SUB205", 7), ("SUB208", 1)]


def test_crlf_bom_and_formatting_tags_are_read() -> None:
    text = "\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\n<i>Hi</i> {\\an8}there\r\n"
    cues, problems = parse_srt(text, "x.srt")
    assert problems == []
    assert (cues[0].text, cues[0].plain) == ("<i>Hi</i> {\\an8}there", "Hi there")


# ---------------------------------------------------------------- round trips

_line = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"], blacklist_characters="\x85"),
    min_size=1,
    max_size=30,
).filter(lambda line: line.strip() != "" and not NONCHARACTER.search(line))  # the writer refuses those
_texts = st.lists(_line, min_size=1, max_size=3).map("\n".join)


@st.composite
def cue_lists(draw: st.DrawFn) -> list[Cue]:
    texts = draw(st.lists(_texts, min_size=1, max_size=6))
    cues = []
    start = draw(st.integers(0, 400_000_000))
    for text in texts:
        start += draw(st.integers(0, 5000))
        end = start + draw(st.integers(1, 8000))
        cues.append(Cue(start, end, (CuePart(None, text),)))
        start = end
    return cues


@settings(max_examples=150, deadline=None)
@given(cue_lists())
def test_round_trip_through_our_reader_and_the_srt_library(cues: list[Cue]) -> None:
    written = compose_srt(cues)
    expected = [(c.start_ms, c.end_ms, srt_safe_text(c.text)) for c in cues]
    ours, problems = parse_srt(written, "x.srt")
    assert problems == []
    assert [(c.start_ms, c.end_ms, c.text) for c in ours] == expected
    one_ms = timedelta(milliseconds=1)
    theirs = list(srt.parse(written))
    assert [(s.start // one_ms, s.end // one_ms, s.content) for s in theirs] == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789²١:,.-> \n\r\tab<i>")), max_size=200))
def test_reader_never_raises_and_every_problem_points_into_the_file(text: str) -> None:
    cues, problems = parse_srt(text, "x.srt")
    line_count = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    assert all(1 <= problem.line <= line_count for problem in problems)
    assert all(1 <= cue.line <= cue.timing_line <= line_count for cue in cues)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789:,.-> \n\t\r{}\\<b/WEBVT\ufeff\x00\ufffeé한"),
               max_size=200))
def test_any_text_is_read_without_an_exception(text: str) -> None:
    """The readers and checks report problems; they never raise, whatever the text."""
    from toolkit.formats.vtt import parse_vtt
    from toolkit.subtitle_check import check_subtitle_text

    for name in ("x.srt", "x.vtt"):
        problems = check_subtitle_text(text, name)
        assert all(problem.source == name for problem in problems)
    parse_srt(text, "x.srt")
    parse_vtt("WEBVTT\n\n" + text, "x.vtt")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_decoded_or_refused_with_a_reason(data: bytes) -> None:
    from toolkit.errors import DecodeError
    from toolkit.formats.decoding import decode_subtitle

    for kind in ("srt", "vtt"):
        try:
            decode_subtitle(data, "x", kind)
        except DecodeError as error:
            assert error.message
