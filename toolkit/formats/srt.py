"""SubRip (SRT): a guarded writer in pysrt's layout, and a reader that reports what it cannot read.

SRT has no escaping, and pysrt writes whatever it is given, so :func:`compose_srt`
validates the cues first (:func:`toolkit.formats.validate_cues`) and then makes each
text line safe with :func:`srt_safe_text`:

- ``-->`` becomes ``--⁠>`` (U+2060 WORD JOINER between ``--`` and ``>``): ffmpeg takes a
  number line followed by a line with a timing arrow as a new cue even without a blank
  line, and no reader sees an arrow any more. The joiner is invisible.
- What ffmpeg and libass (mpv, ffmpeg burn-in) would read as markup is escaped as
  :mod:`toolkit.formats.libass` says: ``<`` that could start a tag (``<b>``, ``< b>``,
  ``<1>``) becomes ``<⁠``; ``\\N``, ``\\n``, ``\\h``, ``\\{``, ``\\}`` get a joiner after the
  backslash; a ``{`` with a ``}`` after it in the cue (an override block, ``{\\an8}``)
  becomes libass's ``\\{`` and a joiner, the one escape other readers show (as ``\\{``).
- Whitespace at either end of a line (spaces, tabs, no-break and ideographic spaces) is
  dropped: pysrt drops it at the end of a cue, ffmpeg at the start of every line, so no
  SRT file can promise it.

A line of digits or a timecode inside a cue is harmless once no line holds ``-->``
(every reader then ends a cue only at a blank line), and blank lines are refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from toolkit.formats import (
    CueRow,
    ParsedCue,
    blocks_between_blank_lines,
    canonical_span_ms,
    span_ms,
    validate_cues,
)
from toolkit.formats.cue_columns import CueColumns, cue_numbers, tidy_split, times_ms
from toolkit.formats.libass import (
    WORD_JOINER,
    break_backslash_escapes,
    break_tag_starts,
    escape_srt_braces,
)
from toolkit.model import Cue, Problem, Severity
from toolkit.timecode import HOURS, MILLIS, MINUTES_SECONDS, format_clock

_FORMATTING_TAG: Final = re.compile(r"</?(?:b|i|u|s)>|<font(?:\s[^>]*)?>|</font>|\{\\[^}]*\}", re.IGNORECASE)
#: A timing line with a broken arrow (``->``, ``-->>``) at the start of a block: still meant as
#: one, so reported as a bad timing line. Bounded digit runs keep the match linear.
_ARROWISH: Final = re.compile(r"\s*\d{1,20}:\d{1,20}[:.,\d]{0,40}\s{0,20}-{1,5}>", re.ASCII)
#: More digits than this in one field of a timestamp or an index is no time anyone meant (and
#: ``int`` of an unbounded digit run is slow, or refused past 4,300 digits).
MAX_FIELD_DIGITS = 9
#: What :func:`srt_safe_text` may change beyond the whitespace at line ends: a backslash, a
#: ``<``, a closing brace (an override block needs one), an arrow.
_NEEDS_ESCAPE: Final = re.compile(r"[\\<}]|-->")


def srt_safe_text(text: str) -> str:
    """The text :func:`compose_srt` writes for ``text`` (see the module docstring).

    >>> srt_safe_text(" a --> b \\n<b>&</b>") == "a --\\u2060> b\\n<\\u2060b>&<\\u2060/b>"
    True
    >>> srt_safe_text("{\\\\an8}C:\\\\New") == "\\\\{\\u2060\\\\an8}C:\\\\\\u2060New"
    True
    """
    # (``_NEEDS_ESCAPE``'s characters found by substring tests: a third of the regex's time)
    if not ("\\" in text or "<" in text or "}" in text or "-->" in text):
        # Nothing to escape (the common line of prose): only the whitespace at line ends.
        return "\n".join(line.strip() for line in text.split("\n"))
    lines = []
    for line in text.split("\n"):
        line = break_backslash_escapes(line.strip()).replace("-->", "--" + WORD_JOINER + ">")
        lines.append(break_tag_starts(line))
    return escape_srt_braces("\n".join(lines))


def format_timestamp(ms: int) -> str:
    """``HH:MM:SS,mmm`` for a time in milliseconds.

    >>> format_timestamp(3_723_004)
    '01:02:03,004'
    """
    return format_clock(ms, separator=",")


def compose_srt(cues: Sequence[Cue], *, crlf: bool = False, source: str = "", lenient: bool = False) -> str:
    """The text of an SRT file holding ``cues``, numbered from 1, as pysrt writes it.

    The blocks are formatted directly, byte for byte what ``pysrt.SubRipFile.write_into``
    writes for the same items (tested against it: ``tests/test_writer_fast_paths.py``),
    without building pysrt's objects for every cue and time.

    >>> from toolkit.model import CuePart
    >>> compose_srt([Cue(1000, 2500, (CuePart("Joy", "Joy: Hi"),))])
    '1\\n00:00:01,000 --> 00:00:02,500\\nJoy: Hi\\n\\n'
    """
    validate_cues(cues, source=source, format_name="SRT", lenient=lenient)
    eol = "\r\n" if crlf else "\n"
    blank = eol + eol
    blocks: list[str] = []
    for index, cue in enumerate(cues, start=1):
        # pysrt: "%s\n%s --> %s%s\n%s\n" % (index, start, end, position, text), its "\n"
        # replaced by the file's line end, then one more line end unless it ends a blank line.
        timing = f"{_srt_clock(cue.start_ms)} --> {_srt_clock(cue.end_ms)}"
        block = f"{index}\n{timing}\n{srt_safe_text(cue.text)}\n"
        if crlf:
            block = block.replace("\n", eol)
        blocks.append(block if block.endswith(blank) else block + eol)
    return "".join(blocks)


def _srt_clock(ms: int) -> str:
    """pysrt's ``%02d:%02d:%02d,%03d`` of a time (zero for a negative one, which it writes as zero)."""
    if ms < 0:
        ms = 0
    seconds, millis = ms // 1000, ms % 1000
    hours, within = seconds // 3600, seconds % 3600
    hours_text = HOURS[hours] if hours < 100 else f"{hours:02d}"
    return hours_text + ":" + MINUTES_SECONDS[within] + "," + MILLIS[millis]


def plain_text(text: str) -> str:
    """What a player shows for SRT text: formatting tags and ``{\\…}`` overrides removed, and the
    brace escape redbox writes (``\\{`` + word joiner, see :mod:`toolkit.formats.libass`) read
    as the brace libass shows.

    >>> plain_text("<i>Hi</i> {\\\\an8}there \\\\{\\u2060x}")
    'Hi there {x}'
    """
    return _FORMATTING_TAG.sub("", text).replace("\\{" + WORD_JOINER, "{")


def _digit_run(text: str, position: int) -> int:
    """The end of the run of ASCII digits starting at ``position``."""
    end = position
    while end < len(text) and "0" <= text[end] <= "9":
        end += 1
    return end


def _parse_timestamp(text: str) -> tuple[int, list[str]]:
    """(milliseconds, warnings) for an SRT timestamp, read as pysrt, srt and ffmpeg read it.

    The three agree on ``H:M:S,F`` and ``H:M:S.F`` with any number of digits in each field,
    the digits after the separator being whole milliseconds (``,5`` is 5 ms, ``,1234`` is
    1.234 s); anything but ``HH:MM:SS,mmm`` is a warning. ``ValueError`` (with the reason,
    and what players do) for what they do not agree on.
    """
    shown = _shorten(text)
    fields: list[str] = []
    separators: list[str] = []
    position = 0
    while True:
        end = _digit_run(text, position)
        if end == position:
            break
        fields.append(text[position:end])
        position = end
        if position < len(text) and text[position] in ":,." and len(fields) < 4:
            separators.append(text[position])
            position += 1
            continue
        break
    if position != len(text) or len(fields) < 3 or separators[:2] != [":", ":"]:
        raise ValueError(f"{shown!r} is not HH:MM:SS,mmm")
    if any(len(field) > MAX_FIELD_DIGITS for field in fields):
        raise ValueError(f"{shown!r} has a number of more than {MAX_FIELD_DIGITS} digits")
    if len(fields) == 3:
        raise ValueError(
            f"{shown!r} has no milliseconds; pysrt drops such a cue and ffmpeg shows its lines "
            "as text of the cue above"
        )
    if separators[2] == ":":
        raise ValueError(f"{shown!r} has ':' before the milliseconds; ffmpeg cannot read it")
    hours, minutes, seconds, millis = (int(field) for field in fields)
    value = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
    warnings = []
    if separators[2] != ",":
        warnings.append(f"{shown!r} uses '.' before the milliseconds; SRT uses ','")
    if len(fields[0]) < 2:
        warnings.append(f"{shown!r} has a one-digit hour; SRT uses two")
    if len(fields[1]) != 2 or len(fields[2]) != 2 or minutes > 59 or seconds > 59:
        warnings.append(
            f"{shown!r}: minutes and seconds should be two digits, 00 to 59; players read "
            f"{minutes} min {seconds} s"
        )
    if len(fields[3]) != 3:
        warnings.append(
            f"{shown!r} has {len(fields[3])} digits of milliseconds; players (pysrt, srt, ffmpeg) "
            f"read them as {millis} ms, not as a fraction of a second"
        )
    return value, warnings


def _is_timing_line(line: str) -> bool:
    return "-->" in line or bool(_ARROWISH.match(line))


def _starts_cue(lines: list[str], index: int) -> bool:
    """True when ``lines[index]`` is a timing line or an index line right above one."""
    if _is_timing_line(lines[index]):
        return True
    return _is_index(lines[index]) and index + 1 < len(lines) and _is_timing_line(lines[index + 1])


def _is_index(line: str) -> bool:
    """True for a cue number line (ASCII digits only: ``int`` refuses superscripts)."""
    stripped = line.strip()
    return stripped.isascii() and stripped.isdigit()


#: A line of nothing but whitespace (not empty) anywhere in a file: SRT readers end a cue at it.
_WHITESPACE_LINE: Final = re.compile(r"^[^\S\n]+$", re.MULTILINE)


def ordinary_cue_rows(text: str) -> list[CueRow] | None:
    """The cues of an ordinary SRT file, or ``None`` when it is not one.

    Ordinary is what redbox and most tools write: blocks separated by blank lines, each the
    cue's number (1, 2, 3, ...), a canonical timing line (``00:00:01,000 --> 00:00:02,500``)
    and text lines that are not blank and hold no ``-->``. :func:`parse_srt` reads such a
    file without a single problem and gives these cues (tested to agree); any other file
    goes to it.
    """
    body = text.removeprefix("\ufeff")
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    # Two tests made once for the whole file instead of once a cue (the same verdicts): a line of
    # nothing but whitespace makes a block that is not a cue (its number, its timing line, or a
    # blank-looking text line); and the file holds one "-->" a cue unless some text line has one.
    if _WHITESPACE_LINE.search(body) is not None:
        return None
    rows: list[CueRow] = []
    append = rows.append
    timing = _CANONICAL_LINE.fullmatch
    for first, block in blocks_between_blank_lines(body, 1):
        number, _, rest = block.partition("\n")
        timing_line, _, payload = rest.partition("\n")
        count = len(rows) + 1
        if timing(timing_line) is None or number != str(count):
            return None
        start, end = canonical_span_ms(timing_line)
        plain = payload if "<" not in payload and "{" not in payload else plain_text(payload)
        append((count, number, start, end, payload, plain, (), first, first + 1))
    if body.count("-->") != len(rows):
        return None  # an arrow in a cue's text
    if rows and not _ffmpeg_recognises(body.lstrip("\n").split("\n", 2)):
        return None
    return rows


#: What comes before each cue's text in a tidy SRT file (one regex split, see
#: :mod:`.cue_columns`): a blank line, the cue's number, its canonical timing line (its clocks
#: and milliseconds captured). (At most 9 digits in a number: no longer run is matched.)
_TIDY_CUE_HEAD: Final = re.compile(
    r"\n\n(\d{1,9})\n(\d\d:[0-5]\d:[0-5]\d),(\d\d\d) --> (\d\d:[0-5]\d:[0-5]\d),(\d\d\d)\n", re.ASCII
)
#: A line that starts with whitespace: a whole-file test before the slower one for a line of
#: nothing but whitespace.
_INDENTED_LINE: Final = re.compile(r"\n[^\S\n]")


def ordinary_cue_columns(text: str) -> CueColumns | None:
    """The cues of a tidy SRT file as columns (one regex split), or ``None`` when it is not one.

    Tidy is ordinary (:func:`ordinary_cue_rows`: the same tests, the same cues, tested to
    agree) with exactly one blank line between cues, none before the first, and text in
    every cue.

    >>> columns = ordinary_cue_columns("1\\n00:00:01,000 --> 00:00:02,500\\n<i>Hi</i>\\n")
    >>> columns.starts, columns.ends, columns.plains, columns.timing_lines()
    ([1000], [2500], ['Hi'], [2])
    """
    body = text.removeprefix("\ufeff")
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    split = tidy_split(_TIDY_CUE_HEAD, "\n\n" + body.rstrip("\n"), 6)
    if split is None:
        return None
    numbers, start_clocks, start_millis, end_clocks, end_millis, texts = split
    if numbers != cue_numbers(len(texts)):
        return None  # a number out of sequence (an arrow in a cue's text: tidy_split)
    if _INDENTED_LINE.search(body) is not None and _WHITESPACE_LINE.search(body) is not None:
        return None  # a line of nothing but whitespace (the first line is a cue's number)
    if not _ffmpeg_recognises(body.split("\n", 2)):
        return None
    if "<" in body or "{" in body:
        plains = [plain_text(text) if "<" in text or "{" in text else text for text in texts]
    else:
        plains = texts
    starts, ends = times_ms(start_clocks, start_millis), times_ms(end_clocks, end_millis)
    return CueColumns(starts, ends, texts, plains, first_line=1, lines_per_cue=4, timing_offset=1)


def parse_srt(text: str, source: str = "<string>") -> tuple[list[ParsedCue], list[Problem]]:
    """Read SRT text leniently: every cue that can be read, and a problem for everything else.

    Unlike pysrt, a malformed timestamp is a problem (the cue is skipped), never time 0.

    >>> bad = "2\\n00:00:03,000 --> 00:00:0a,000\\nBye\\n"
    >>> cues, problems = parse_srt("1\\n00:00:01,000 --> 00:00:02,000\\nHi\\n\\n" + bad)
    >>> [(cue.number, cue.start_ms, cue.text) for cue in cues], [p.code for p in problems]
    ([(1, 1000, 'Hi')], ['SUB201'])
    """
    rows = ordinary_cue_rows(text)
    if rows is not None:
        return [ParsedCue(*row) for row in rows], []
    return parse_srt_general(text, source)


def parse_srt_general(text: str, source: str = "<string>") -> tuple[list[ParsedCue], list[Problem]]:
    """:func:`parse_srt` without the shortcut for ordinary files (tested to agree with it)."""
    problems: list[Problem] = []

    def problem(line: int, severity: Severity, code: str, message: str) -> None:
        problems.append(Problem(source, line, 0, severity, code, message))

    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cues: list[ParsedCue] = []
    index = 0
    expected_number = 1
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        block_start = index
        identifier = ""
        if _is_index(lines[index]) and index + 1 < len(lines) and _is_timing_line(lines[index + 1]):
            identifier = lines[index].strip()
            index += 1
        elif not _is_timing_line(lines[index]):
            junk_start = index
            while index < len(lines) and lines[index].strip() and not _starts_cue(lines, index):
                index += 1
            problem(
                junk_start + 1,
                "error",
                "SUB204",
                "srt-text-outside-cue: lines that belong to no cue (no index and timing line "
                "above them); readers skip them or glue them to the previous cue",
            )
            continue
        if not identifier:
            problem(
                index + 1,
                "warning",
                "SUB205",
                "srt-index: the cue has no index line above its timing line",
            )
        elif identifier != str(expected_number):
            problem(
                block_start + 1,
                "warning",
                "SUB205",
                f"srt-index: cue index {_shorten(identifier)} where {expected_number} was expected",
            )
        timing_index = index
        timing = lines[index]
        index += 1
        text_lines: list[str] = []
        while index < len(lines) and lines[index].strip():
            line = lines[index]
            if "-->" in line and not isinstance(_read_timing(line), str):
                if text_lines and _is_index(text_lines[-1]):
                    text_lines.pop()
                    index -= 1
                problem(
                    index + 1,
                    "error",
                    "SUB203",
                    "srt-missing-blank-line: a new cue starts without a blank line before it; "
                    "ffmpeg and srt read two cues, pysrt glues it to the cue above as text",
                )
                break
            text_lines.append(line)
            index += 1
        start_end = _read_timing(timing)
        if isinstance(start_end, str):
            problem(
                timing_index + 1,
                "error",
                "SUB201",
                f"srt-bad-timing: {start_end}; redbox skips the cue",
            )
            expected_number += 1
            continue
        start, end, warnings = start_end
        for warning in warnings:
            problem(timing_index + 1, "warning", "SUB202", f"srt-timing-format: {warning}")
        body = "\n".join(text_lines)
        cues.append(
            ParsedCue(
                number=len(cues) + 1,
                identifier=identifier,
                start_ms=start,
                end_ms=end,
                text=body,
                plain=plain_text(body),
                voices=(),
                line=block_start + 1,
                timing_line=timing_index + 1,
            )
        )
        expected_number = _next_number(identifier, expected_number)
    if cues and not _ffmpeg_recognises(lines):
        problem(
            1,
            "error",
            "SUB208",
            "srt-not-recognised: ffmpeg (and so mpv and ffmpeg burn-in) does not load this file as "
            "SRT: its first lines must be a cue number and a timing line 'HH:MM:SS,mmm --> "
            "HH:MM:SS,mmm'",
        )
    return cues, problems


#: The timing line ffmpeg's SRT probe (``srt_probe`` in libavformat/srtdec.c) looks for on
#: the second line of a file: bounded digit runs keep it linear.
_FFMPEG_PROBE_TIMING: Final = re.compile(
    r"-?\d{1,20}:\d{1,20}:\d{1,20}[,.]\d{1,20} --> \s*-?\d{1,20}:\d{1,20}:\d{1,20}[,.]\d", re.ASCII
)


def _ffmpeg_recognises(lines: list[str]) -> bool:
    """Whether ffmpeg's probe takes these lines for SRT: the first non-blank line starts with a
    number (anything may follow it), the next one with a timing line."""
    index = 0
    while index < len(lines) and not lines[index]:
        index += 1
    if index + 1 >= len(lines):
        return False
    number = lines[index].lstrip(" \t")
    if not number[:1].isascii() or not number[:1].isdigit():
        return False
    return bool(_FFMPEG_PROBE_TIMING.match(lines[index + 1]))


def _next_number(identifier: str, expected_number: int) -> int:
    """The index the next cue should have: one more than this one's (bounded: no ``int`` of
    thousands of digits)."""
    if identifier and len(identifier) <= MAX_FIELD_DIGITS:
        return int(identifier) + 1
    return expected_number + 1


#: The timing line redbox and most tools write (``00:00:01,000 --> 00:00:02,500``): read by
#: one match, with the same result as the general reader, which gives it no warning.
_CANONICAL_TIMING: Final = re.compile(
    r"(\d\d):([0-5]\d):([0-5]\d),(\d\d\d) --> (\d\d):([0-5]\d):([0-5]\d),(\d\d\d)", re.ASCII
)
#: The same line, without its fields captured (the fast path reads them at their places).
_CANONICAL_LINE: Final = re.compile(r"\d\d:[0-5]\d:[0-5]\d,\d\d\d --> \d\d:[0-5]\d:[0-5]\d,\d\d\d", re.ASCII)


def _read_timing(line: str) -> tuple[int, int, list[str]] | str:
    """(start, end, warnings) of a timing line, or the reason it cannot be read.

    The canonical line is read by one regular expression; any other goes to
    :func:`_read_timing_general` (tested to agree on every line the shortcut takes).
    """
    found = _CANONICAL_TIMING.fullmatch(line)
    if found is None:
        return _read_timing_general(line)
    return (*span_ms(found.groups()), [])


def _read_timing_general(line: str) -> tuple[int, int, list[str]] | str:
    """(start, end, warnings) of any timing line, or the reason it cannot be read."""
    before, arrow, after = line.partition("-->")
    start_text = before.strip()
    after = after.lstrip()
    split_at = next((at for at, char in enumerate(after) if char.isspace()), len(after))
    end_text, rest = after[:split_at], after[split_at:].strip()
    if not arrow or not start_text or not end_text:
        return f"cannot read the timing line {_shorten(line.strip())!r}"
    if rest and not re.fullmatch(r"(?:[XY][12]:\d{1,9}\s*){1,4}", rest, re.ASCII):
        return f"unexpected text {_shorten(rest)!r} after the end time"
    try:
        start, start_warnings = _parse_timestamp(start_text)
        end, end_warnings = _parse_timestamp(end_text)
    except ValueError as error:
        return str(error)
    return start, end, start_warnings + end_warnings


def _shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters for a message (a 1 MB line is not repeated whole)."""
    return text if len(text) <= limit else text[:limit] + "…"
