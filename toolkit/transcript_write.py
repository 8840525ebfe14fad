"""The transcript format: writing, the inverse of :func:`toolkit.transcript.parse_transcript`.

Kept apart from the parser (the reading job, which the build and check paths run and the
compiled install compiles) because only the commands that write transcripts need it:
``redbox import``, ``redbox align``'s anchored copy and a catalog's translated transcript.
"""

from __future__ import annotations

from toolkit.model import Transcript
from toolkit.transcript import (
    ESCAPE,
    HEADER_FENCE,
    Cast,
    _first_separator,
    _Judgements,
    _line_label,
    cast_of,
    format_timestamp,
)


def format_transcript(transcript: Transcript) -> str:
    """Write a transcript in the documented format (the inverse of :func:`parse_transcript`).

    Each turn is written ``Name: first line``; later lines follow unlabelled and a
    paragraph break is a blank line. A later line that would read as a label (or that
    starts with the escape ``\\``) is escaped with a ``\\``. Multi-line header values
    continue on lines indented by two spaces.

    >>> from toolkit.transcript import parse_transcript
    >>> print(format_transcript(parse_transcript("Joy:\\nHi\\n\\\\Note: x")[0]), end="")
    Joy: Hi
    \\Note: x
    """
    out: list[str] = []
    if transcript.header:
        out.append(HEADER_FENCE)
        for key, value in transcript.header:
            first, *rest = value.split("\n")
            out.append(f"{key}: {first}".rstrip())
            out.extend(f"  {line}" for line in rest if line.strip())
        out.append(HEADER_FENCE)
    cast = cast_of(transcript.header)
    judgements: _Judgements = {}
    for turn in transcript.turns:
        stamp = f"[{format_timestamp(turn.anchor_ms)}] " if turn.anchor_ms is not None else ""
        first, *rest = turn.text.split("\n")
        out.append(f"{stamp}{turn.speaker}: {first}".rstrip())
        for line in rest:
            if needs_escape(line, cast, judgements):
                line = ESCAPE + line
            out.append(line)
    return "\n".join(out) + "\n"


def needs_escape(line: str, cast: Cast, judgements: _Judgements | None = None) -> bool:
    """True when a text line must be written ``\\line`` to be read back as text: it would
    start a turn (well formed or not), or it starts with the escape itself.

    >>> needs_escape("Note: x", Cast()), needs_escape("dasom:x", Cast(["Dasom"]))
    (True, True)
    >>> needs_escape("10:30", Cast()), needs_escape("So he said: go", Cast())
    (False, False)
    """
    stripped = line.lstrip()
    if stripped[:1] == ESCAPE:
        return True
    if _first_separator(line) < 0:
        return False
    return _line_label(line, cast, {} if judgements is None else judgements) is not None
