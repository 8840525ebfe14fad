"""WebVTT reading: a reader that follows the WHATWG/W3C parser algorithm (the writer is
:mod:`toolkit.formats.vtt_write`).

The reader implements "parse a WebVTT file" from https://w3c.github.io/webvtt/ (the
algorithm Chromium's parser follows) and reports as problems what a browser silently
drops: a bad signature (the whole file), cues with malformed timings, text outside any
cue, ``-->`` lines that end a cue early, STYLE/REGION blocks after the first cue,
unknown tags (which swallow text), invalid settings, NULs and duplicate ids.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from toolkit.errors import TimecodeError
from toolkit.formats import (
    CueRow,
    ParsedCue,
    blocks_between_blank_lines,
    canonical_span_ms,
    span_ms,
)
from toolkit.formats.cue_columns import CueColumns, tidy_split, times_ms
from toolkit.model import Problem, Severity, pickled_by_constructor

SIGNATURE = "WEBVTT"
#: WebVTT's whitespace inside a line (spec: space, tab, form feed; LF/CR are line ends).
_WHITESPACE = " \t\x0c"
_KNOWN_TAGS = frozenset({"c", "i", "b", "u", "ruby", "rt", "v", "lang"})
_TIMESTAMP_TAG = re.compile(r"^(\d+:)?\d{2}:\d{2}\.\d{3}$")
#: Hours longer than this are refused (``int`` of an unbounded digit run is slow, or refused past
#: 4,300 digits); 9 digits is over 100,000 years.
MAX_HOUR_DIGITS = 9


# ---------------------------------------------------------------- cue text


@dataclass(frozen=True)
class CueText:
    """What a cue's payload shows: its plain text, voice names and unknown tags."""

    plain: str
    voices: tuple[str, ...]
    unknown_tags: tuple[str, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


def parse_cue_text(payload: str) -> CueText:
    """Run the WebVTT cue text tokenizer far enough to know what a viewer sees.

    Tags vanish, character references are decoded, ``<v>`` annotations are collected
    (whitespace collapsed, references decoded). A ``<`` that does not start a known tag
    still starts a tag, which is how a raw ``<`` swallows the rest of a cue in browsers.

    >>> parse_cue_text("<v A&amp;B  &gt; C>x &lt; y</v> <i>z</i>")
    CueText(plain='x < y z', voices=('A&B > C',), unknown_tags=())
    >>> parse_cue_text("1 < 2 and more").plain
    '1 '
    """
    plain: list[str] = []
    voices: list[str] = []
    unknown: list[str] = []
    position = 0
    length = len(payload)
    while position < length:
        tag_start = payload.find("<", position)
        if tag_start < 0:
            plain.append(html.unescape(payload[position:]))
            break
        plain.append(html.unescape(payload[position:tag_start]))
        tag_end = payload.find(">", tag_start + 1)
        if tag_end < 0:
            tag_end = length
        tag = payload[tag_start + 1 : tag_end]
        position = tag_end + 1
        if tag.startswith("/"):
            name = tag[1:].split(".", 1)[0].strip()
            if name and name not in _KNOWN_TAGS:
                unknown.append(f"<{tag}>")
            continue
        if tag and tag[0].isdigit():
            if not _TIMESTAMP_TAG.match(tag):
                unknown.append(f"<{tag}>")
            continue
        head, _, annotation = _split_tag(tag)
        name = head.split(".", 1)[0]
        if name not in _KNOWN_TAGS:
            unknown.append(f"<{tag}>" if tag_end < length else f"<{tag}")
            continue
        if name == "v":
            voice = " ".join(html.unescape(annotation).split())
            if voice:
                voices.append(voice)
    return CueText("".join(plain), tuple(voices), tuple(unknown))


#: The only tags the fast path reads: a voice span's start (with its annotation) and end.
#: The annotation stops at the next '<' too (a '<' in it goes the long way): each match then
#: scans only to the next tag, so a run of unclosed ``<v `` stays linear.
_VOICE_TAG = re.compile(r"<v[ \t\x0c\n]([^<>]*)>|</v>")
_ONE_VOICE = re.compile(r"<v[ \t\x0c\n]([^<>&]*)>([^<&]*)</v>")


def shown_text(payload: str) -> tuple[str, tuple[str, ...]] | None:
    """(plain text, voices) of a payload whose only tags are ``<v …>`` and ``</v>`` (what redbox
    writes), as :func:`parse_cue_text` reads it; ``None`` for any other tag (tested to agree).

    >>> shown_text("<v Joy>Hi &amp; bye</v>"), shown_text("<i>Hi</i>")
    (('Hi & bye', ('Joy',)), None)
    """
    if "<" not in payload:
        return (html.unescape(payload) if "&" in payload else payload), ()
    one = _ONE_VOICE.fullmatch(payload)
    if one is not None:  # one voice span and no reference: what redbox writes for one speaker
        voice = " ".join(one[1].split())
        return one[2], (voice,) if voice else ()
    parts = _VOICE_TAG.split(payload)
    # Every '<' must start one of the two tags (a '<' inside an annotation goes the long way).
    if len(parts) // 2 != payload.count("<"):
        return None
    texts = parts[0::2]
    plain = "".join(map(html.unescape, texts) if "&" in payload else texts)
    voices = []
    for annotation in parts[1::2]:
        if annotation:  # None for </v>
            voice = " ".join((html.unescape(annotation) if "&" in annotation else annotation).split())
            if voice:
                voices.append(voice)
    return plain, tuple(voices)


def _split_tag(tag: str) -> tuple[str, str, str]:
    """Split a start tag's inside into (name with classes, separator, annotation)."""
    for index, char in enumerate(tag):
        if char in _WHITESPACE or char == "\n":
            return tag[:index], char, tag[index + 1 :]
    return tag, "", ""


# ---------------------------------------------------------------- timestamps


def _collect_timestamp(line: str, position: int) -> tuple[int, int]:
    """Spec "collect a WebVTT timestamp": (milliseconds, new position) or :class:`TimecodeError`."""

    def digits(at: int) -> tuple[str, int]:
        end = at
        while end < len(line) and "0" <= line[end] <= "9":
            end += 1
        return line[at:end], end

    if position >= len(line) or not ("0" <= line[position] <= "9"):
        raise TimecodeError("a timestamp must start with a digit")
    first, position = digits(position)
    if len(first) > MAX_HOUR_DIGITS:
        # Chromium keeps such a cue with an infinite start time: it is never shown.
        raise TimecodeError(f"an hour of {len(first)} digits (more than {MAX_HOUR_DIGITS}) is never reached")
    hours_first = len(first) != 2 or int(first) > 59
    if position >= len(line) or line[position] != ":":
        raise TimecodeError(f"expected ':' after {first!r}")
    second, position = digits(position + 1)
    if len(second) != 2:
        raise TimecodeError(f"minutes and seconds need exactly 2 digits, not {second!r}")
    if hours_first or (position < len(line) and line[position] == ":"):
        if position >= len(line) or line[position] != ":":
            raise TimecodeError("hours need minutes and seconds after them")
        third, position = digits(position + 1)
        if len(third) != 2:
            raise TimecodeError(f"seconds need exactly 2 digits, not {third!r}")
        hours, minutes, seconds = int(first), int(second), int(third)
    else:
        hours, minutes, seconds = 0, int(first), int(second)
    if position >= len(line) or line[position] != ".":
        raise TimecodeError("expected '.' and 3 digits of milliseconds")
    fraction, position = digits(position + 1)
    if len(fraction) != 3:
        raise TimecodeError(f"milliseconds need exactly 3 digits, not {fraction!r}")
    if minutes > 59 or seconds > 59:
        raise TimecodeError("minutes and seconds must be 00 to 59")
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(fraction), position


def _skip_whitespace(line: str, position: int) -> int:
    while position < len(line) and line[position] in _WHITESPACE:
        position += 1
    return position


#: The timing line redbox and most tools write (``00:00:01.000 --> 00:00:02.500``, no
#: settings): read by one match, with the same result as the spec's algorithm.
_CANONICAL_TIMING = re.compile(
    r"(\d\d):([0-5]\d):([0-5]\d)\.(\d\d\d) --> (\d\d):([0-5]\d):([0-5]\d)\.(\d\d\d)", re.ASCII
)
#: The same line, without its fields captured (the fast path reads them at their places).
_CANONICAL_LINE = re.compile(r"\d\d:[0-5]\d:[0-5]\d\.\d\d\d --> \d\d:[0-5]\d:[0-5]\d\.\d\d\d", re.ASCII)


def parse_timing_line(line: str) -> tuple[int, int, str]:
    """(start ms, end ms, settings text) of a cue timing line, or :class:`TimecodeError` saying why not.

    The canonical line is read by one regular expression; any other by
    :func:`parse_timing_line_general` (tested to agree on every line the shortcut takes).

    >>> parse_timing_line("00:00:01.000 --> 00:00:02.500")
    (1000, 2500, '')
    """
    found = _CANONICAL_TIMING.fullmatch(line)
    if found is None:
        return parse_timing_line_general(line)
    return (*span_ms(found.groups()), "")


def parse_timing_line_general(line: str) -> tuple[int, int, str]:
    """(start ms, end ms, settings text) of a cue timing line, or :class:`TimecodeError` saying why not.

    >>> parse_timing_line_general("00:01.000 --> 00:00:02.500 align:start")
    (1000, 2500, 'align:start')
    >>> parse_timing_line_general("00:01,000 --> 00:02.000")
    Traceback (most recent call last):
    ...
    toolkit.errors.TimecodeError: expected '.' and 3 digits of milliseconds
    """
    position = _skip_whitespace(line, 0)
    start, position = _collect_timestamp(line, position)
    position = _skip_whitespace(line, position)
    if line[position : position + 3] != "-->":
        raise TimecodeError("expected '-->' after the start time")
    position = _skip_whitespace(line, position + 3)
    end, position = _collect_timestamp(line, position)
    return start, end, line[position:].strip(_WHITESPACE)


_SETTING_VALUES = {
    "vertical": re.compile(r"^(rl|lr)$", re.ASCII),
    "line": re.compile(r"^(-?\d+(\.\d+)?|\d+(\.\d+)?%)(,(start|center|end))?$", re.ASCII),
    "position": re.compile(r"^\d+(\.\d+)?%(,(line-left|center|line-right))?$", re.ASCII),
    "size": re.compile(r"^\d+(\.\d+)?%$", re.ASCII),
    "align": re.compile(r"^(start|center|end|left|right)$", re.ASCII),
    "region": re.compile(r"^[^\s]+$", re.ASCII),
}


def _bad_settings(settings: str) -> list[str]:
    """The settings a player ignores (unknown names or invalid values)."""
    bad = []
    for setting in settings.replace("\t", " ").replace("\x0c", " ").split(" "):
        if not setting:
            continue
        name, colon, value = setting.partition(":")
        pattern = _SETTING_VALUES.get(name)
        if not colon or pattern is None or not pattern.match(value):
            bad.append(setting)
            continue
        number = re.match(r"^-?\d+(\.\d+)?", value, re.ASCII)
        is_percentage = value.split(",")[0].endswith("%")
        if is_percentage and number and float(number.group()) > 100:
            bad.append(setting)
    return bad


# ---------------------------------------------------------------- reading


@dataclass
class _Block:
    """What "collect a WebVTT block" returns, with where it was found."""

    first_line: int
    kind: str  # "cue", "style", "region", "note", "text", "none"
    identifier: str = ""
    start_ms: int = 0
    end_ms: int = 0
    settings: str = ""
    text: str = ""
    timing_line: int = 0


class _Reader:
    """The spec's parser over a list of lines (LF split), collecting problems as it goes."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        if "\x00" in text:
            line = text[: text.index("\x00")].replace("\r\n", "\n").replace("\r", "\n").count("\n")
            self.problem(
                line + 1,
                "warning",
                "SUB109",
                "vtt-nul-character: NUL characters are read as U+FFFD (�)",
            )
        normalised = text.replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
        self.lines = normalised.split("\n")
        self.position = 0
        self.seen_cue = False

    def problem(self, line: int, severity: Severity, code: str, message: str) -> None:
        self.problems.append(Problem(self.source, line, 0, severity, code, message))

    def collect_block(self, in_header: bool) -> _Block:
        """Spec "collect a WebVTT block"; ``self.position`` is a line index."""
        first_line = self.position + 1
        line_count = 0
        previous_position = self.position
        buffer_lines: list[str] = []
        seen_arrow = False
        block = _Block(first_line, "none")
        kind_from_header = ""
        while True:
            line_index = self.position
            line = self.lines[line_index]
            line_count += 1
            self.position += 1
            seen_eof = self.position >= len(self.lines)
            if "-->" in line:
                # Chromium makes a cue of a header line followed by a timing line too.
                if line_count == 1 or (line_count == 2 and not seen_arrow):
                    seen_arrow = True
                    previous_position = self.position
                    identifier = "\n".join(buffer_lines)
                    if not self.seen_cue and re.fullmatch(r"STYLE[ \t]*", identifier):
                        identifier = ""  # Chromium has started a style block: no id
                    try:
                        start, end, settings = parse_timing_line(line)
                    except TimecodeError as error:
                        self.problem(
                            line_index + 1,
                            "error",
                            "SUB102",
                            f"vtt-bad-timing: {error} in {line.strip()!r}; players drop this cue",
                        )
                        block = _Block(first_line, "dropped", timing_line=line_index + 1)
                    else:
                        block = _Block(
                            first_line,
                            "cue",
                            identifier=identifier,
                            start_ms=start,
                            end_ms=end,
                            settings=settings,
                            timing_line=line_index + 1,
                        )
                        buffer_lines = []
                        self.seen_cue = True
                else:
                    if seen_arrow:
                        self.problem(
                            line_index + 1,
                            "error",
                            "SUB104",
                            "vtt-arrow-in-text: a line containing '-->' ends the cue above; "
                            "players read it as the next cue's timing line",
                        )
                    self.position = previous_position
                    break
            elif line == "":
                break
            else:
                if not in_header and line_count == 2 and not self.seen_cue:
                    joined = "\n".join(buffer_lines)
                    if re.fullmatch(r"STYLE[ \t]*", joined):
                        kind_from_header = "style"
                        buffer_lines = []
                    elif re.fullmatch(r"REGION[ \t]*", joined):
                        kind_from_header = "region"
                        buffer_lines = []
                buffer_lines.append(line)
                previous_position = self.position
            if seen_eof:
                break
        text = "\n".join(buffer_lines)
        if block.kind == "cue":
            block.text = text
            return block
        if block.kind == "dropped":
            return block
        if kind_from_header:
            return _Block(first_line, kind_from_header, text=text)
        if in_header:
            return _Block(first_line, "header", text=text)
        return _Block(first_line, "text" if buffer_lines else "none", text=text)

    def skip_blank_lines(self) -> None:
        while self.position < len(self.lines) and self.lines[self.position] == "":
            self.position += 1


def ordinary_cue_rows(text: str) -> list[CueRow] | None:
    """The cues of an ordinary WebVTT file, or ``None`` when it is not one.

    Ordinary is what redbox and most tools write: ``WEBVTT`` alone on the first line, a
    blank line, then cues, each a canonical timing line (``00:00:01.000 --> 00:00:02.500``, no
    settings, no id) and text lines without ``-->`` whose only tags are voice spans, with
    blank lines between them; no NUL. The spec's parser reads such a file without a single
    problem, and gives these cues (tested to agree); any other file goes to :func:`parse_vtt`.
    """
    body = text.removeprefix("\ufeff")
    if "\x00" in body:
        return None
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    if not body.startswith("WEBVTT\n\n"):
        return None
    rows: list[CueRow] = []
    append = rows.append
    timing = _CANONICAL_LINE.fullmatch
    for first, block in blocks_between_blank_lines(body[8:], 3):
        timing_line, _, payload = block.partition("\n")
        if timing(timing_line) is None:
            return None
        shown = shown_text(payload)
        if shown is None:
            return None
        start, end = canonical_span_ms(timing_line)
        append((len(rows) + 1, "", start, end, payload, shown[0], shown[1], first, first))
    # One "-->" a cue (its timing line's), tested once for the whole file: else a text line has one.
    if body.count("-->") != len(rows):
        return None
    return rows


#: What comes before each cue's text in a tidy WebVTT file (one regex split, see
#: :mod:`.cue_columns`): a blank line and the cue's canonical timing line (its clocks and
#: milliseconds captured).
_TIDY_CUE_HEAD = re.compile(
    r"\n\n(\d\d:[0-5]\d:[0-5]\d)\.(\d\d\d) --> (\d\d:[0-5]\d:[0-5]\d)\.(\d\d\d)\n", re.ASCII
)
#: The tags a tidy file's cue text may hold: a voice span's start and end (a narrower form of
#: the tags :func:`shown_text` reads: a space after ``v``, no line break, ``&`` or NUL inside).
_TIDY_TAG = re.compile("<v [^<>&\n\x00]*>|</v>")


def ordinary_cue_columns(text: str) -> CueColumns | None:
    """The cues of a tidy WebVTT file as columns (one regex split), or ``None`` when it is not one.

    Tidy is ordinary (:func:`ordinary_cue_rows`: the same cues, tested to agree) with exactly
    one blank line between cues, text in every cue, no ``&`` anywhere, and voice tags of the
    narrower form ``<v Name>`` (a space after ``v``; no line break in the tag).

    >>> columns = ordinary_cue_columns("WEBVTT\\n\\n00:00:01.000 --> 00:00:02.500\\n<v Joy>Hi</v>\\n")
    >>> columns.starts, columns.ends, columns.plains, columns.timing_lines()
    ([1000], [2500], ['Hi'], [3])
    """
    body = text.removeprefix("\ufeff")
    if "\x00" in body or "&" in body:
        return None
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    if not body.startswith("WEBVTT\n\n"):
        return None
    split = tidy_split(_TIDY_CUE_HEAD, body[6:].rstrip("\n"), 5)
    if split is None:
        return None
    start_clocks, start_millis, end_clocks, end_millis, texts = split  # (no arrow in a text: tidy_split)
    if "<" in body:
        joined = "\x00".join(texts)  # (no NUL in the file, and none in a tag)
        shown, tags = _TIDY_TAG.subn("", joined)
        if tags != joined.count("<"):
            return None  # a '<' that starts another tag, or a voice tag of another form
        plains = shown.split("\x00")
    else:
        plains = texts
    starts, ends = times_ms(start_clocks, start_millis), times_ms(end_clocks, end_millis)
    return CueColumns(starts, ends, texts, plains, first_line=3, lines_per_cue=3, timing_offset=0)


def parse_vtt(text: str, source: str = "<string>") -> tuple[list[ParsedCue], list[Problem]]:
    """Read WebVTT text the way browsers do: the cues they show, and problems for what they drop.

    A file without a valid ``WEBVTT`` signature gives no cues (browsers fire ``error``).

    >>> cues, problems = parse_vtt("WEBVTT\\n\\n00:01.000 --> 00:02.000\\n<v Joy>Hi</v>\\n")
    >>> cues[0].start_ms, cues[0].plain, cues[0].voices, problems
    (1000, 'Hi', ('Joy',), [])
    """
    rows = ordinary_cue_rows(text)
    if rows is not None:
        return [ParsedCue(*row) for row in rows], []
    return parse_vtt_general(text, source)


def parse_vtt_general(text: str, source: str = "<string>") -> tuple[list[ParsedCue], list[Problem]]:
    """:func:`parse_vtt` without the shortcut for ordinary files (tested to agree with it)."""
    without_bom = text.removeprefix("\ufeff")
    reader = _Reader(without_bom, source)
    lines = reader.lines
    if not without_bom and text:
        return [], reader.problems  # a BOM alone: Chromium loads it, with no cues
    signature = lines[0]
    if not signature.startswith(SIGNATURE) or (
        len(signature) > len(SIGNATURE) and signature[len(SIGNATURE)] not in " \t"
    ):
        reader.problem(
            1,
            "error",
            "SUB101",
            "vtt-bad-signature: a WebVTT file must start with 'WEBVTT' alone or followed by a "
            "space or tab; players reject the whole file",
        )
        return [], reader.problems
    cues: list[ParsedCue] = []
    reader.position = 1
    if reader.position >= len(lines):
        return cues, reader.problems
    in_header = lines[reader.position] != ""
    if not in_header:
        reader.position += 1
        reader.skip_blank_lines()
    identifiers: dict[str, int] = {}
    while reader.position < len(lines):
        block = reader.collect_block(in_header=in_header)
        in_header = False
        if block.kind == "cue":
            shown = parse_cue_text(block.text)
            number = len(cues) + 1
            cues.append(
                ParsedCue(
                    number=number,
                    identifier=block.identifier,
                    start_ms=block.start_ms,
                    end_ms=block.end_ms,
                    text=block.text,
                    plain=shown.plain,
                    voices=shown.voices,
                    line=block.first_line,
                    timing_line=block.timing_line,
                )
            )
            _cue_problems(reader, block, shown, number, identifiers)
        elif block.kind in ("style", "region"):
            pass
        elif block.kind == "text":
            _text_block_problem(reader, block)
        reader.skip_blank_lines()
    return cues, reader.problems


def _cue_problems(
    reader: _Reader, block: _Block, shown: CueText, number: int, identifiers: dict[str, int]
) -> None:
    if block.identifier:
        if block.identifier in identifiers:
            reader.problem(
                block.first_line,
                "warning",
                "SUB108",
                f"vtt-duplicate-id: cue {number} repeats the id {block.identifier!r} "
                f"of line {identifiers[block.identifier]}",
            )
        else:
            identifiers[block.identifier] = block.first_line
    for setting in _bad_settings(block.settings):
        reader.problem(
            block.timing_line,
            "warning",
            "SUB107",
            f"vtt-bad-setting: cue {number}: players ignore the setting {setting!r}",
        )
    for tag in shown.unknown_tags:
        reader.problem(
            block.timing_line + 1,
            "error",
            "SUB105",
            f"vtt-unknown-tag: cue {number}: {tag!r} is read as a tag and its text is not "
            "shown; write '<' as '&lt;'",
        )


def _text_block_problem(reader: _Reader, block: _Block) -> None:
    first = block.text.split("\n", 1)[0]
    if first == "NOTE" or first.startswith(("NOTE ", "NOTE\t")):
        return
    if first.rstrip(" \t") in ("STYLE", "REGION"):
        reader.problem(
            block.first_line,
            "warning",
            "SUB106",
            f"vtt-late-{first.strip().lower()}: a {first.strip()} block after the first cue is "
            "ignored by players",
        )
        return
    reader.problem(
        block.first_line,
        "error",
        "SUB103",
        "vtt-text-outside-cue: these lines belong to no cue (a blank line ends a cue, and a "
        "cue needs a timing line); players ignore them",
    )
