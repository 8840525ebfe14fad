"""Subtitle file formats: the registry of writers (SRT, WebVTT, TTML/IMSC, DFXP, ASS) and readers.

Writers turn :class:`~toolkit.model.Cue` lists into text (``str``); readers turn text
into :class:`ParsedCue` lists plus the :class:`~toolkit.model.Problem` list of what a
real player would drop, reject or misread. Nothing here touches the filesystem.

>>> format_for_name("subtitles/episode.en.vtt")
'vtt'
>>> get_format("srt").extension
'.srt'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from toolkit.errors import SubtitleError
from toolkit.formats.styling import Styling
from toolkit.model import Cue, Problem

#: Characters some reader takes as a line break (Python's ``str.splitlines`` and players
#: that follow it); neither format can carry them inside a cue line.
LINE_BREAKING_CHARACTERS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

#: Unicode's 66 noncharacters (U+FDD0-U+FDEF and the last two code points of every plane):
#: not for interchange. ffmpeg drops a cue holding U+FFFE ("Invalid UTF-8"), fonts have no
#: glyph for any of them; redbox reports them (SUB111, SUB207) and never writes them.
NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                               for plane in range(17)) + "]"
)


def noncharacters(text: str) -> list[str]:
    """The noncharacters in ``text``, in order, as ``U+XXXX``.

    >>> noncharacters("a\ufffeb\U0010ffff\ufdd0")
    ['U+FFFE', 'U+10FFFF', 'U+FDD0']
    """
    return [f"U+{ord(match.group()):04X}" for match in NONCHARACTER.finditer(text)]


@dataclass(frozen=True)
class ParsedCue:
    """One cue as read from a subtitle file.

    ``number`` is the cue's 1-based position among the cues read; ``identifier`` is the
    SRT index line or the WebVTT cue id as written (``""`` when there is none).
    ``text`` is the payload exactly as written (WebVTT markup included); ``plain`` is what
    a viewer sees (tags removed, character references decoded); ``voices`` are the WebVTT
    ``<v>`` names in order. ``line`` is the first line of the cue's block and
    ``timing_line`` the line holding its ``-->``, both 1-based.
    """

    number: int
    identifier: str
    start_ms: int
    end_ms: int
    text: str
    plain: str
    voices: tuple[str, ...]
    line: int
    timing_line: int


#: A cue as the readers' fast paths give it: the fields of :class:`ParsedCue`, in order, as a
#: tuple (``ParsedCue(*row)``), which costs a tenth of building the frozen dataclass; the
#: subtitle checks read these.
CueRow = tuple[int, str, int, int, str, str, tuple[str, ...], int, int]


def blocks_between_blank_lines(body: str, line: int) -> Iterator[tuple[int, str]]:
    r"""Each non-empty block of ``body`` (``\n`` line ends) between blank lines, with the
    1-based line it starts on, ``body`` starting at ``line``: the ordinary-file readers' split.

    >>> list(blocks_between_blank_lines("a\nb\n\n\n\nc\n", 1))
    [(1, 'a\nb'), (6, 'c')]
    """
    for block in body.split("\n\n"):
        lines_in_block = block.count("\n") + 2
        if block[:1] == "\n" or block[-1:] == "\n":  # more blank lines before it, or the end
            stripped = block.lstrip("\n")
            first = line + len(block) - len(stripped)
            block = stripped.rstrip("\n")
        else:
            first = line
        line += lines_in_block
        if block:
            yield first, block


def span_ms(fields: Sequence[str]) -> tuple[int, int]:
    """Start and end in ms from a canonical timing line's eight fields (h, m, s, ms twice).

    >>> span_ms(("00", "01", "02", "003", "01", "00", "00", "000"))
    (62003, 3600000)
    """
    h1, m1, s1, f1, h2, m2, s2, f2 = map(int, fields)
    return ((h1 * 60 + m1) * 60 + s1) * 1000 + f1, ((h2 * 60 + m2) * 60 + s2) * 1000 + f2


class _ClockTable(dict[str, int]):
    """Milliseconds of the whole seconds of a canonical clock (``"00:01:59"``), by its text,
    computed the first time it is met: the readers' fast paths look a clock up instead of
    converting three fields for every cue (an archive's files share their clocks)."""

    def __missing__(self, clock: str) -> int:
        if len(self) >= 100_000:  # (bounded: every clock of 27 hours)
            self.clear()
        found = self[clock] = ((int(clock[0:2]) * 60 + int(clock[3:5])) * 60 + int(clock[6:8])) * 1000
        return found


#: The one table of clocks (:func:`canonical_span_ms` and :mod:`.cue_columns` read it).
CLOCK_MS = _ClockTable()


def clock_ms(clock: str) -> int:
    """``span_ms``'s milliseconds of an ``hh:mm:ss`` clock already matched (``\\d\\d:[0-5]\\d:[0-5]\\d``).

    >>> clock_ms("01:00:02")
    3602000
    """
    return CLOCK_MS[clock]


def canonical_span_ms(timing_line: str) -> tuple[int, int]:
    """Start and end (ms) of a canonical timing line (``hh:mm:ss,mmm --> hh:mm:ss,mmm``, or
    with ``.``), already matched: its fields sit at fixed places, so they are sliced, not
    captured (the ordinary readers' loop; :func:`span_ms` is the general form).

    >>> canonical_span_ms("00:01:02,003 --> 01:00:00.500")
    (62003, 3600500)
    """
    clocks = CLOCK_MS
    return (
        clocks[timing_line[:8]] + int(timing_line[9:12]),
        clocks[timing_line[17:25]] + int(timing_line[26:29]),
    )


class Writer(Protocol):
    """A writer: cues in, file text out (LF line ends unless the format says otherwise)."""

    def __call__(self, cues: Sequence[Cue], *, source: str = "") -> str: ...


Reader = Callable[[str, str], tuple[list[ParsedCue], list[Problem]]]


@dataclass(frozen=True)
class SubtitleFormat:
    """A format id, its file suffix and its media type."""

    id: str
    extension: str
    media_type: str


FORMATS: dict[str, SubtitleFormat] = {
    "srt": SubtitleFormat("srt", ".srt", "application/x-subrip"),
    "vtt": SubtitleFormat("vtt", ".vtt", "text/vtt"),
    # Delivery formats: written, never read back by redbox (independent tools do that).
    "ttml": SubtitleFormat("ttml", ".ttml", "application/ttml+xml"),
    "dfxp": SubtitleFormat("dfxp", ".dfxp", "application/ttml+xml"),
    "ass": SubtitleFormat("ass", ".ass", "text/x-ssa"),
}
#: The formats redbox can read back and check (``redbox check``); the others are write-only.
READABLE_FORMATS = ("srt", "vtt")


def get_format(format_id: str) -> SubtitleFormat:
    """The format registered as ``format_id`` (``KeyError`` for an unknown id)."""
    return FORMATS[format_id]


def format_for_name(name: str, *, writable: bool = False) -> str | None:
    """The format id for a file name by its suffix, or ``None`` when it is not a subtitle file
    redbox reads (SRT, WebVTT); with ``writable``, also the formats it only writes.

    >>> format_for_name("a.SRT"), format_for_name("notes.txt"), format_for_name("a.ko.ass")
    ('srt', None, None)
    >>> format_for_name("a.ko.ttml", writable=True)
    'ttml'
    """
    lowered = name.lower()
    for subtitle_format in FORMATS.values():
        readable = subtitle_format.id in READABLE_FORMATS
        if (writable or readable) and lowered.endswith(subtitle_format.extension):
            return subtitle_format.id
    return None


def sniff_format(text: str) -> str:
    """Guess the format of subtitle text from its content: ``vtt`` when it starts with ``WEBVTT``.

    >>> sniff_format("\\ufeffWEBVTT\\n"), sniff_format("1\\n00:00:01,000 --> 00:00:02,000\\nHi\\n")
    ('vtt', 'srt')
    """
    return "vtt" if text.lstrip("\ufeff").startswith("WEBVTT") else "srt"


def get_writer(format_id: str, *, crlf: bool = False, styling: Styling | None = None) -> Writer:
    """The writer for ``format_id``; ``crlf`` asks for CRLF line ends (SRT only; WebVTT is always LF).

    ``styling`` (language, title, speaker colours, font) shapes the styled formats: TTML,
    DFXP and ASS; SRT and WebVTT ignore it.
    """
    if format_id == "srt":
        from toolkit.formats.srt import compose_srt

        def write_srt(cues: Sequence[Cue], *, source: str = "") -> str:
            return compose_srt(cues, crlf=crlf, source=source)

        return write_srt
    if format_id == "vtt":
        from toolkit.formats.vtt_write import compose_vtt

        return compose_vtt
    if format_id in ("ttml", "dfxp", "ass"):
        return _styled_writer(format_id, styling or Styling())
    raise KeyError(format_id)


def _styled_writer(format_id: str, styling: Styling) -> Writer:
    from toolkit.formats.ass import compose_ass
    from toolkit.formats.ttml import compose_dfxp, compose_imsc

    compose = {"ttml": compose_imsc, "dfxp": compose_dfxp, "ass": compose_ass}[format_id]

    def write_styled(cues: Sequence[Cue], *, source: str = "") -> str:
        return compose(cues, source=source, styling=styling)

    return write_styled


def get_reader(format_id: str) -> Reader:
    """The reader for ``format_id``: ``reader(text, source) -> (cues, problems)``."""
    if format_id == "srt":
        from toolkit.formats.srt import parse_srt

        return parse_srt
    if format_id == "vtt":
        from toolkit.formats.vtt import parse_vtt

        return parse_vtt
    raise KeyError(format_id)


def validate_cues(
    cues: Sequence[Cue], *, source: str = "", format_name: str = "subtitle", lenient: bool = False
) -> None:
    """Refuse cues that no file can carry faithfully (raises :class:`SubtitleError` at the cue's line).

    Checked: start >= 0, end > start, non-empty text, no blank (or whitespace-only) line,
    no NUL, line-breaking control character or noncharacter, and cues in order without overlaps.
    ``lenient`` (``redbox convert``: cues players already accepted) keeps only what the file
    itself could not carry: a negative time, a blank line inside a text, the characters.
    A tuple of cues that passed is not checked again by the next call (``build.render``
    hands every writer the same tuple), unless that call is stricter than the one it passed.

    >>> from toolkit.model import CuePart
    >>> validate_cues([Cue(0, 0, (CuePart(None, "Hi"),), line=3)], source="a.txt")
    Traceback (most recent call last):
    ...
    toolkit.errors.SubtitleError: a.txt:3: cue 1 ends at 0 ms, not after its start (0 ms)
    """
    if isinstance(cues, tuple) and _passed and _passed[0][0] is cues and (lenient or not _passed[0][1]):
        return  # this very tuple passed already, as strictly: a build writes it in every format
    joined = "\n".join([cue.text for cue in cues])
    noncharacter = (
        not joined.isascii()
        and MAYBE_NONCHARACTER.search(joined) is not None
        and NONCHARACTER.search(joined) is not None
    )
    if not (_BLANK_LINE.search(joined) or noncharacter or _CONTROL_CHARACTER.search(joined)):
        # The common file: every cue has text and no blank line, no refused character (one
        # search of all the text for each); only the times are left to check, cue by cue.
        _validate_times(cues, source, lenient)
    else:
        _validate_each(cues, source, format_name, lenient)
    if isinstance(cues, tuple):
        # A tuple of frozen cues cannot change: the next writer of the same tuple need not
        # check it again (held here, so its id cannot be reused by another object).
        _passed[:] = [(cues, lenient)]


def _validate_times(cues: Sequence[Cue], source: str, lenient: bool) -> None:
    """:func:`validate_cues` of cues known to have text, no blank line, no refused character."""
    previous_end = 0
    for number, cue in enumerate(cues, start=1):
        start, end = cue.start_ms, cue.end_ms
        if start < 0 or end < 0:
            raise SubtitleError(f"cue {number} starts before zero ({start} ms)", source, cue.line)
        if not lenient and (end <= start or start < previous_end):
            _check_times_and_text(cue, f"cue {number}", previous_end, source)
        previous_end = end


def _validate_each(cues: Sequence[Cue], source: str, format_name: str, lenient: bool) -> None:
    """:func:`validate_cues`, every test on every cue in turn (the first problem is raised)."""
    previous_end = 0
    for number, cue in enumerate(cues, start=1):
        if cue.start_ms < 0 or cue.end_ms < 0:
            raise SubtitleError(f"cue {number} starts before zero ({cue.start_ms} ms)", source, cue.line)
        text = cue.text
        if not lenient and (
            cue.end_ms <= cue.start_ms or cue.start_ms < previous_end or not cue.parts or not text.strip()
        ):
            _check_times_and_text(cue, f"cue {number}", previous_end, source)
        previous_end = cue.end_ms
        if text and any(not line.strip() for line in text.split("\n")):
            raise SubtitleError(
                f"cue {number} has a blank line, which would end the cue in a {format_name} file",
                source,
                cue.line,
            )
        if NONCHARACTER.search(text):
            raise SubtitleError(
                f"cue {number} holds the noncharacter {noncharacters(text)[0]}, which is not for "
                "interchange (ffmpeg drops a cue holding U+FFFE)",
                source,
                cue.line,
            )
        control = _CONTROL_CHARACTER.search(text)
        if control:
            raise SubtitleError(
                f"cue {number} holds the control character U+{ord(control.group()):04X}, which "
                f"{format_name} readers take as a line break or refuse",
                source,
                cue.line,
            )


#: The last tuple of cues that passed :func:`validate_cues`, and whether leniently.
_passed: list[tuple[tuple[Cue, ...], bool]] = []
#: The characters :func:`validate_cues` refuses in a cue's text: NUL and the line-breaking ones.
_CONTROL_CHARACTER = re.compile("[\x00" + re.escape(LINE_BREAKING_CHARACTERS) + "]")
#: An empty or whitespace-only line (``\\s`` is what ``str.strip`` strips), in cue texts
#: joined by line breaks: an empty text makes one too, and is then checked cue by cue.
_BLANK_LINE = re.compile(r"^[^\S\n]*$", re.MULTILINE)
#: Every noncharacter is at or above U+FDD0: one range tested per character before the 36-member
#: class of :data:`NONCHARACTER` (which the regex engine tests member by member: 0.8 CPU-s of
#: a 1,000-episode build, against 0.04 s for this range).
MAYBE_NONCHARACTER = re.compile("[\ufdd0-\U0010ffff]")


def _check_times_and_text(cue: Cue, where: str, previous_end: int, source: str) -> None:
    """What redbox's own files promise beyond the format: positive durations, order, text."""
    if cue.end_ms <= cue.start_ms:
        raise SubtitleError(
            f"{where} ends at {cue.end_ms} ms, not after its start ({cue.start_ms} ms)",
            source,
            cue.line,
        )
    if cue.start_ms < previous_end:
        raise SubtitleError(
            f"{where} starts at {cue.start_ms} ms, before the previous cue ends "
            f"({previous_end} ms): cues must be in order without overlaps",
            source,
            cue.line,
        )
    if not cue.parts or not cue.text.strip():
        raise SubtitleError(f"{where} has no text", source, cue.line)
