"""A whole ordinary subtitle file's cues read at once, as columns: what ``redbox check`` reads.

The ordinary-file readers (``ordinary_cue_rows`` in :mod:`toolkit.formats.srt` and
:mod:`toolkit.formats.vtt`) split a file at blank lines and match each block; here one
regular-expression pass over the whole file gives every cue's fields, which are then
converted column by column (a list of starts, of ends, of texts) by built-in functions
instead of a dozen Python operations a cue. Only the tidiest files are taken: each block is
separated from the next by exactly one blank line and has at least one line of text, and the
matched cues must tile the whole file (their lengths add up to the file's). Any other file
gets ``None`` and goes to the per-cue readers, which agree with this on every file it takes
(tested).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add
from typing import Any

from toolkit.formats import CLOCK_MS
from toolkit.model import pickled_by_constructor

#: Each of the 1,000 ``ddd`` milliseconds (a lookup costs a tenth of ``int``).
_MILLIS = {f"{millis:03d}": millis for millis in range(1000)}


def times_ms(clocks: Sequence[str], millis: Sequence[str]) -> list[int]:
    """Each time in ms from its ``hh:mm:ss`` clock (already matched) and its 3 digits of ms.

    >>> times_ms(("00:00:01", "01:00:00"), ("500", "007"))
    [1500, 3600007]
    """
    return list(map(add, map(CLOCK_MS.__getitem__, clocks), map(_MILLIS.__getitem__, millis)))


@dataclass(frozen=True)
class CueColumns:
    """The cues of one file, a list a field (cue ``i`` is index ``i``, numbered ``i + 1``).

    A cue's first line in the file is ``first_line`` for cue 0, and each cue's lines, plus the
    blank line after it, come to ``lines_per_cue`` plus the line breaks in its text.
    """

    starts: list[int]
    ends: list[int]
    #: Each cue's text as written (tags and character references included).
    texts: list[str]
    #: What a viewer sees of each cue (tags removed, references decoded).
    plains: list[str]
    first_line: int
    lines_per_cue: int
    #: How many lines the timing line comes after the cue's first line (SRT: 1, its number first).
    timing_offset: int

    def timing_lines(self) -> list[int]:
        """The line of each cue's timing line."""
        breaks = map(str.count, self.texts, repeat("\n"))
        steps = map(add, breaks, repeat(self.lines_per_cue))
        first = self.first_line + self.timing_offset
        return list(accumulate(steps, initial=first))[:-1]

    def first_lines(self) -> list[int]:
        """The first line of each cue (its number in SRT, its timing line in WebVTT)."""
        return [line - self.timing_offset for line in self.timing_lines()]

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


def tidy_split(head: re.Pattern[str], cues: str, fields: int) -> list[list[str]] | None:
    """The columns of a tidy file's cues: ``cues`` (LF line ends) is ``"\\n\\n"``, a cue's
    head, its text, and so on, the last text without line breaks after it; ``head`` matches
    a blank line and what comes before a cue's text (one ``-->``), capturing ``fields - 1``
    fields. Returns each field's column, the texts last, or ``None`` when ``cues`` is not
    that: something before the first cue, an empty text, or a text with a blank line or an
    arrow ``-->`` in it, or starting or ending with a line break.

    >>> head = re.compile(r"\\n\\n(\\d)\\n")
    >>> tidy_split(head, "\\n\\n1\\na\\nb\\n\\n2\\nc", 2)
    [['1', '2'], ['a\\nb', 'c']]
    >>> tidy_split(head, "\\n\\n1\\na\\n\\n\\n2\\nc", 2), tidy_split(head, "\\n\\n1\\na\\n\\nb", 2)
    (None, None)
    """
    pieces = head.split(cues)
    count = len(pieces) // fields
    if count == 0 or pieces[0]:
        return None
    # The texts joined by line breaks hold a blank line, start or end with a line break exactly
    # when a text is empty, holds a blank line or starts or ends with one: when ``cues`` holds
    # a blank line that starts no cue (a blank line of three line breaks included). Searched in
    # the texts alone, which the per-cue readers agree with (tested), not in the whole file
    # twice (a blank line of three, then every blank line counted) and again for arrows.
    joined = "\n".join(pieces[fields::fields])
    if not joined or "\n\n" in joined or joined.startswith("\n") or joined.endswith("\n") or "-->" in joined:
        return None
    return [pieces[field::fields] for field in range(1, fields + 1)]


_NUMBERS: list[str] = []


def cue_numbers(count: int) -> list[str]:
    """``["1", "2", ..., str(count)]``, the numbers of SRT cues in order (kept: files repeat them).

    >>> cue_numbers(3)
    ['1', '2', '3']
    """
    if len(_NUMBERS) < count:
        _NUMBERS.extend(map(str, range(len(_NUMBERS) + 1, count + 1)))
    return _NUMBERS[:count]
