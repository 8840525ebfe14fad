"""The data every stage shares: transcripts, turns, cues and reported problems.

All times are integer milliseconds. Everything here is immutable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

Severity = Literal["error", "warning"]


def pickled_by_constructor(instance: Any) -> tuple[Any, ...]:
    """``__reduce__`` of a frozen dataclass of a compiled module: rebuilt by its constructor.

    mypyc unpickles a compiled class by setting its fields one by one, which a frozen
    dataclass refuses (``FrozenInstanceError``), and ``redbox build`` sends options and
    limits to its worker processes; the constructor works compiled and pure alike.
    """
    return type(instance), tuple(getattr(instance, one.name) for one in fields(instance))


@dataclass(frozen=True)
class Problem:
    """One finding of a check, located in its source file.

    ``line`` and ``column`` are 1-based; 0 means "the whole file".
    """

    source: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.source, self.line, self.column, self.code)


@dataclass(frozen=True)
class Turn:
    """One speaker turn of a transcript.

    ``text`` keeps the turn's lines joined by ``"\\n"``; a paragraph break (a blank line
    inside the turn) is ``"\\n\\n"``. ``line`` is the source line of the speaker label,
    ``end_line`` the last line of its text. ``anchor_ms`` is the optional ``[hh:mm:ss]``
    time written before the label.
    """

    speaker: str
    text: str
    line: int
    end_line: int = 0
    anchor_ms: int | None = None
    label_column: int = 1


_new_object = object.__new__


def new_turn(
    speaker: str, text: str, line: int, end_line: int, anchor_ms: int | None, label_column: int
) -> Turn:
    """``Turn(speaker, text, line, end_line, anchor_ms, label_column)``, for the parser's loop.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, which
    made building the turns a third of the time of parsing a large transcript; this fills
    the instance's ``__dict__`` at once (the same dict ``__init__`` fills). A test checks it
    stays equal to the constructor, field for field.
    """
    turn = _new_object(Turn)
    turn.__dict__.update(
        speaker=speaker,
        text=text,
        line=line,
        end_line=end_line,
        anchor_ms=anchor_ms,
        label_column=label_column,
    )
    return turn


@dataclass(frozen=True)
class Transcript:
    """A parsed transcript: its header fields, in file order, and its turns."""

    source: str
    header: tuple[tuple[str, str], ...] = ()
    turns: tuple[Turn, ...] = ()
    header_lines: Mapping[str, int] = field(default_factory=dict)

    def get(self, key: str, default: str = "") -> str:
        for name, value in self.header:
            if name == key:
                return value
        return default

    @property
    def title(self) -> str:
        return self.get("title")

    @property
    def episode(self) -> str:
        return self.get("episode")

    @property
    def language(self) -> str:
        return self.get("language")

    @property
    def speakers(self) -> tuple[str, ...]:
        """The cast named in the header, in its order (empty when there is none)."""
        return tuple(name.strip() for name in self.get("speakers").split(",") if name.strip())


@dataclass(frozen=True)
class CuePart:
    """A run of cue text said by one speaker (``None`` when unknown).

    ``text`` may hold ``"\\n"`` line breaks; it never holds a blank line.
    """

    speaker: str | None
    text: str


@dataclass(frozen=True)
class Cue:
    """One subtitle cue. Most cues have one part; a dialogue cue has one part per speaker."""

    start_ms: int
    end_ms: int
    parts: tuple[CuePart, ...]
    line: int = 0

    @property
    def text(self) -> str:
        parts = self.parts
        if len(parts) == 1:  # most cues (the same string the join gives, without a generator)
            return parts[0].text
        return "\n".join(part.text for part in parts)

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms
