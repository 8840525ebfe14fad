"""The faster subtitle writers give exactly what the code they replaced gave.

``compose_srt`` formats its blocks directly instead of building pysrt items; ``srt_safe_text``
and the WebVTT ``escape_text`` return prose with nothing to escape at once; ``compose_vtt``
escapes each speaker's name once a file; ``validate_cues`` looks for refused characters
with one regular expression. The replaced forms are kept below as references and run beside
the new ones on generated cues: awkward text (markup, arrows, backslashes, braces, control
characters, noncharacters, blank lines, whitespace at line ends, Korean), awkward times
(zero, hours past 99, overlaps, negative) and both line ends, in strict and lenient modes,
comparing the text written or the error raised.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pysrt
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import SubtitleError
from toolkit.formats import LINE_BREAKING_CHARACTERS, noncharacters, validate_cues
from toolkit.formats.libass import WORD_JOINER, break_backslash_escapes, break_tag_starts, escape_srt_braces
from toolkit.formats.srt import _srt_clock, compose_srt, srt_safe_text
from toolkit.formats.vtt import SIGNATURE
from toolkit.formats.vtt_write import compose_vtt, escape_text, escape_voice, format_timestamp
from toolkit.model import Cue, CuePart
from toolkit.timecode import format_clock


def _reference_srt_safe_text(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        line = break_backslash_escapes(line.strip()).replace("-->", "--" + WORD_JOINER + ">")
        lines.append(break_tag_starts(line))
    return escape_srt_braces("\n".join(lines))


def _reference_escape_text(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return break_backslash_escapes(escaped)


def _reference_validate(cues: Sequence[Cue], *, source: str, format_name: str, lenient: bool) -> None:
    """``validate_cues`` as it was: the text joined again for every test, a loop per character."""
    previous_end = 0
    for number, cue in enumerate(cues, start=1):
        where = f"cue {number}"
        if cue.start_ms < 0 or cue.end_ms < 0:
            raise SubtitleError(f"{where} starts before zero ({cue.start_ms} ms)", source, cue.line)
        if not lenient:
            if cue.end_ms <= cue.start_ms:
                message = f"{where} ends at {cue.end_ms} ms, not after its start ({cue.start_ms} ms)"
                raise SubtitleError(message, source, cue.line)
            if cue.start_ms < previous_end:
                message = (f"{where} starts at {cue.start_ms} ms, before the previous cue ends "
                           f"({previous_end} ms): cues must be in order without overlaps")  # fmt: skip
                raise SubtitleError(message, source, cue.line)
            if not cue.parts or not cue.text.strip():
                raise SubtitleError(f"{where} has no text", source, cue.line)
        previous_end = cue.end_ms
        if cue.text and any(not line.strip() for line in cue.text.split("\n")):
            message = f"{where} has a blank line, which would end the cue in a {format_name} file"
            raise SubtitleError(message, source, cue.line)
        found = noncharacters(cue.text)
        if found:
            message = (f"{where} holds the noncharacter {found[0]}, which is not for interchange "
                       "(ffmpeg drops a cue holding U+FFFE)")  # fmt: skip
            raise SubtitleError(message, source, cue.line)
        for char in cue.text:
            if char == "\x00" or char in LINE_BREAKING_CHARACTERS:
                message = (f"{where} holds the control character U+{ord(char):04X}, which "
                           f"{format_name} readers take as a line break or refuse")  # fmt: skip
                raise SubtitleError(message, source, cue.line)


def _reference_compose_srt(cues: Sequence[Cue], *, crlf: bool, lenient: bool) -> str:
    """``compose_srt`` as it was: pysrt items written by ``SubRipFile.write_into``."""
    _reference_validate(cues, source="a.txt", format_name="SRT", lenient=lenient)
    items = [
        pysrt.SubRipItem(index, start=pysrt.SubRipTime(milliseconds=cue.start_ms),
                         end=pysrt.SubRipTime(milliseconds=cue.end_ms),
                         text=_reference_srt_safe_text(cue.text))
        for index, cue in enumerate(cues, start=1)
    ]  # fmt: skip
    stream = io.StringIO()
    pysrt.SubRipFile(items=items).write_into(stream, eol="\r\n" if crlf else "\n")
    return stream.getvalue()


def _reference_compose_vtt(cues: Sequence[Cue], *, lenient: bool) -> str:
    _reference_validate(cues, source="a.txt", format_name="WebVTT", lenient=lenient)
    blocks = [SIGNATURE]
    for cue in cues:
        lines = []
        for part in cue.parts:
            body = _reference_escape_text(part.text)
            name = escape_voice(part.speaker or "")
            lines.append(f"<v {name}>{body}</v>" if name else body)
        timing = f"{format_timestamp(cue.start_ms)} --> {format_timestamp(cue.end_ms)}"
        blocks.append(timing + "\n" + "\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _outcome(write: Callable[[], str]) -> str:
    """The text written, or the error raised, as one comparable string."""
    try:
        return write()
    except SubtitleError as error:
        return f"error: {error}"


_PIECES = [
    "It's not anyone's fault.", "North Korea", "a --> b", "<b>bold</b>", "< b>", "<1>", "x > y & z",
    "C:\\New", "\\h", "{\\an8}", "{x}", "}{", "&amp;", " ", "  lead", "trail  ", "\t", "\u00a0", "\u3000",
    "\n", "\n\n", "\r", "\x00", "\x0b", "\u2028", "\x85", "\ufffe", "\ufdd0", "\U0010ffff", "—", "“Hi,”",
    "조이: 안녕하세요", "-Yes", "\u2060", "ok",
]  # fmt: skip
_texts = st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=5).map("".join)
_parts = st.lists(
    st.builds(CuePart, st.sampled_from([None, "", "Joy", "A&B >  C", "조이"]), _texts), min_size=0, max_size=2
).map(tuple)
_times = st.integers(min_value=-5, max_value=400_000_000) | st.sampled_from([0, 999, 1000, 3_600_000])
_cues = st.lists(st.builds(Cue, _times, _times, _parts, st.integers(0, 50)), max_size=6)


@settings(max_examples=400, deadline=None)
@given(_cues, st.booleans(), st.booleans())
def test_writers_equal_the_replaced_code(cues: list[Cue], crlf: bool, lenient: bool) -> None:
    assert _outcome(lambda: compose_srt(cues, crlf=crlf, source="a.txt", lenient=lenient)) == _outcome(
        lambda: _reference_compose_srt(cues, crlf=crlf, lenient=lenient)
    )
    assert _outcome(lambda: compose_vtt(cues, source="a.txt", lenient=lenient)) == _outcome(
        lambda: _reference_compose_vtt(cues, lenient=lenient)
    )
    for name in ("SRT", "TTML"):
        expected = _validation(_reference_validate, cues, name, lenient)
        assert _validation(validate_cues, cues, name, lenient) == expected


def _validation(validate: Callable[..., None], cues: Sequence[Cue], format_name: str, lenient: bool) -> str:
    try:
        validate(cues, source="a.txt", format_name=format_name, lenient=lenient)
    except SubtitleError as error:
        return f"error: {error}"
    return "valid"


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_escapes_equal_the_replaced_code(text: str) -> None:
    assert srt_safe_text(text) == _reference_srt_safe_text(text)
    assert escape_text(text) == _reference_escape_text(text)


def test_a_cue_of_no_text_is_written_as_pysrt_writes_it() -> None:
    """``redbox convert`` (lenient) may carry an empty cue: pysrt adds no second line end after it."""
    cues = [Cue(0, 1000, (CuePart(None, ""),)), Cue(1000, 2000, (CuePart(None, "Hi"),))]
    for crlf in (False, True):
        expected = _reference_compose_srt(cues, crlf=crlf, lenient=True)
        assert compose_srt(cues, crlf=crlf, lenient=True) == expected


def test_a_tuple_of_cues_is_validated_once_and_only_as_strictly_as_it_passed() -> None:
    """``render`` hands every writer one tuple: the second writer skips the checks the first
    passed, and only those (a lenient pass does not excuse a strict check; another tuple,
    even equal, is checked again)."""
    overlapping = (Cue(0, 2000, (CuePart(None, "a"),)), Cue(1000, 3000, (CuePart(None, "b"),)))
    validate_cues(overlapping, lenient=True)
    validate_cues(overlapping, lenient=True)
    try:
        validate_cues(overlapping, format_name="WebVTT")
    except SubtitleError as error:
        assert "before the previous cue ends" in str(error)
    else:
        raise AssertionError("a lenient pass let a strict check through")
    good = (Cue(0, 1000, (CuePart(None, "a"),)),)
    validate_cues(good)
    validate_cues(good, lenient=True)
    bad = (Cue(0, 1000, (CuePart(None, "a\x00"),)),)
    try:
        validate_cues(bad)
    except SubtitleError as error:
        assert "U+0000" in str(error)
    else:
        raise AssertionError("another tuple went unchecked")
    written = compose_srt(good) + compose_vtt(good)
    assert written == _reference_compose_srt(good, crlf=False, lenient=False) + _reference_compose_vtt(
        good, lenient=False
    )


def _reference_clock(ms: int, separator: str, millis_when_needed: bool) -> str:
    """``format_clock`` as it was: three divmods, every field formatted."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return clock if millis_when_needed and not millis else f"{clock}{separator}{millis:03d}"


@settings(max_examples=400, deadline=None)
@given(
    st.integers(min_value=-(10**7), max_value=10**12)
    | st.sampled_from([0, 999, 1000, 59_999, 3_599_999, 3_600_000]),
    st.sampled_from([".", ","]),
    st.booleans(),
)
def test_clocks_equal_the_replaced_code(ms: int, separator: str, millis_when_needed: bool) -> None:
    """Clocks are looked up in tables of ``MM:SS`` and ``mmm``: the same text, hours past 99
    and negative times included; SRT's clock is pysrt's (a negative time written as zero)."""
    assert format_clock(ms, separator=separator, millis_when_needed=millis_when_needed) == _reference_clock(
        ms, separator, millis_when_needed
    )
    if ms < 360_000_000:  # pysrt's time object holds hours up to 99
        assert _srt_clock(ms) == str(pysrt.SubRipTime(milliseconds=max(ms, 0)))
    assert _srt_clock(ms) == _reference_clock(max(ms, 0), ",", False)


_PROSE = ["It's not anyone's fault.", "North Korea", "조이: 안녕하세요", "—", "“Hi,”", "ok", "a --> b",
          "x\u00a0y"]  # fmt: skip
_prose_texts = st.lists(st.sampled_from(_PROSE), min_size=1, max_size=3).map(lambda lines: "\n".join(lines))
_prose_parts = st.lists(st.builds(CuePart, st.just("Joy"), _prose_texts), max_size=2).map(tuple)
_prose_cues = st.lists(st.builds(Cue, _times, _times, _prose_parts, st.integers(0, 50)), max_size=8)


@settings(max_examples=400, deadline=None)
@given(_prose_cues | _cues, st.booleans())
def test_validation_of_plain_prose_equals_the_replaced_code(cues: list[Cue], lenient: bool) -> None:
    """Most files hold prose only: one search of all their text clears the character and
    blank-line rules, and only the times are checked cue by cue; the first problem (a time,
    or a cue of no text, a blank line made of whitespace) is still the one reported."""
    for shape in (cues, tuple(cues)):
        expected = _validation(_reference_validate, shape, "SRT", lenient)
        assert _validation(validate_cues, shape, "SRT", lenient) == expected
