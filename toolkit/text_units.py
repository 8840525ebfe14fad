"""Where a transcript's prose sits in its file: the text of each turn and header value, with
the line and column of every character.

The parser keeps each turn's text and its first and last line, but not the columns (it strips
every line and drops the label). The text checks need both: a problem is reported at its exact
``line:col`` and a fix edits exactly the characters it names. A :class:`TextUnit` is one turn's
text (or one header value's) as the file holds it: a run of :class:`Segment` pieces, one per
line, each the line's text without its label, indent and trailing whitespace. Blank lines inside
a turn are empty segments (a paragraph break).

Pure: works on the text and the parsed :class:`~toolkit.model.Transcript`, reads no file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from toolkit.model import Transcript, pickled_by_constructor
from toolkit.transcript import HEADER_FENCE, Cast, _Found, _Judgements, _line_label, label_by_key

#: Header values that are prose (shown to viewers or translators); the other keys are identifiers.
HEADER_TEXT_KEYS = ("title", "description")

UnitKind = Literal["turn", "header"]


@dataclass(frozen=True)
class Segment:
    """The text of one source line: ``line`` is 1-based, ``start`` the 0-based index in the
    line where ``text`` begins."""

    line: int
    start: int
    text: str

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


@dataclass(frozen=True)
class TextUnit:
    """One turn's or header value's text, segment by segment.

    :attr:`text` joins the segments with ``"\\n"``, so an empty segment between two others makes
    ``"\\n\\n"`` (a paragraph break), as in :attr:`toolkit.model.Turn.text`. :meth:`place` turns
    an index into :attr:`text` back into a line and a 0-based index in that line.
    """

    kind: UnitKind
    segments: tuple[Segment, ...]
    #: The speaker of a turn, the key of a header value.
    name: str

    @cached_property
    def text(self) -> str:
        return "\n".join(segment.text for segment in self.segments)

    @cached_property
    def offsets(self) -> list[int]:
        """Where each segment starts in :attr:`text`."""
        starts, position = [], 0
        for segment in self.segments:
            starts.append(position)
            position += len(segment.text) + 1
        return starts

    def place(self, index: int) -> tuple[int, int]:
        """(line, 0-based index in that line) of character ``index`` of :attr:`text`.

        An index at a segment's end (its line break) is placed just after its last character.
        """
        starts = self.offsets
        which = max(bisect.bisect_right(starts, index) - 1, 0)
        segment = self.segments[which]
        return segment.line, segment.start + min(index - starts[which], len(segment.text))

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


def split_lines(text: str) -> list[str]:
    """The lines of a transcript as the parser numbers them (BOM dropped, CR LF and CR as LF)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _segment(line_number: int, raw: str, start: int) -> Segment:
    end = len(raw.rstrip())
    start = min(start, end)
    while start < end and raw[start].isspace():
        start += 1
    return Segment(line_number, start, raw[start:end])


def _label_text_start(raw: str, cast: Cast, judgements: _Judgements | None = None,
                      key_labels: dict[str, _Found | None] | None = None) -> int:  # fmt: skip
    """Where the text after a turn's label begins in its line (the line's end when none); the
    label is read against the ``cast``, as the parser read it (:func:`match_label`).
    ``judgements``: what was judged of the labels of earlier lines, against the same cast;
    ``key_labels``: the labels found by key so far (:func:`label_by_key`, as the parser finds
    them: one dictionary lookup a line instead of a regex match)."""
    judged = {} if judgements is None else judgements
    if key_labels is None:
        found = _line_label(raw, cast, judged)
    else:
        found = label_by_key(raw, cast, judged, key_labels)
    if found is None:  # (the parser said this line starts a turn; keep going if it changes its mind)
        colon = raw.find(":")
        return len(raw) if colon < 0 else colon + 1
    text = raw[found[2] :].strip()  # (match_label's Label.text)
    if not text:
        return len(raw)
    return len(raw.rstrip()) - len(text)


def turn_units(transcript: Transcript, lines: list[str]) -> list[TextUnit]:
    """One unit per turn: its label line's text, then every line up to its last line of text."""
    units = []
    cast = Cast(transcript.speakers)  # once: building it per turn made a large cast quadratic
    judgements: _Judgements = {}  # each distinct label judged once, as the parser does
    key_labels: dict[str, _Found | None] = {}  # each distinct line start read once, as the parser does
    for turn in transcript.turns:
        if not 1 <= turn.line <= len(lines):
            continue
        first = lines[turn.line - 1]
        segments = [_segment(turn.line, first, _label_text_start(first, cast, judgements, key_labels))]
        for number in range(turn.line + 1, max(turn.end_line, turn.line) + 1):
            segments.append(_segment(number, lines[number - 1], 0))
        while segments and not segments[0].text:  # a label alone on its line
            segments.pop(0)
        if segments:
            units.append(TextUnit("turn", tuple(segments), turn.speaker))
    return units


def header_units(transcript: Transcript, lines: list[str]) -> list[TextUnit]:
    """One unit per prose header value (:data:`HEADER_TEXT_KEYS`), continuation lines included."""
    units = []
    for key in HEADER_TEXT_KEYS:
        number = transcript.header_lines.get(key)
        if number is None or not 1 <= number <= len(lines):
            continue
        raw = lines[number - 1]
        colon = raw.find(":")
        segments = [_segment(number, raw, colon + 1)]
        for following in range(number + 1, len(lines) + 1):
            raw = lines[following - 1]
            if raw.strip() == HEADER_FENCE or (raw.strip() and raw[0] not in " \t"):
                break
            if raw.strip():  # the parser skips blank header lines: no paragraph break here
                segments.append(_segment(following, raw, 0))
        segments = [segment for segment in segments if segment.text]
        if segments:
            units.append(TextUnit("header", tuple(segments), key))
    return units


def text_units(transcript: Transcript, text: str) -> list[TextUnit]:
    """Every prose unit of a transcript: the header's title and description, then each turn."""
    lines = split_lines(text)
    return header_units(transcript, lines) + turn_units(transcript, lines)
