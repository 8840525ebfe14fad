"""WebVTT writing: our own small writer (the reader is :mod:`toolkit.formats.vtt`).

The writer emits ``WEBVTT``, a blank line, then one block per cue: the timing line
``HH:MM:SS.mmm --> HH:MM:SS.mmm`` (hours of two or more digits) and one payload line
per text line. Each part said by a known speaker is wrapped in ``<v Name>…</v>``.
``&``, ``<`` and ``>`` in text become ``&amp;``, ``&lt;`` and ``&gt;`` (so ``-->`` can never
appear in a payload); ``&`` and ``>`` in a voice name become ``&amp;`` and ``&gt;``. LF
line ends, no BOM, no cue ids: the same cues always give the same text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from toolkit.formats import validate_cues
from toolkit.formats.libass import break_backslash_escapes
from toolkit.formats.vtt import SIGNATURE
from toolkit.model import Cue
from toolkit.timecode import format_clock

#: What :func:`escape_text` changes: the three markup characters and the backslash.
_NEEDS_ESCAPE: Final = re.compile(r"[&<>\\]")


def format_timestamp(ms: int) -> str:
    """``HH:MM:SS.mmm`` for a time in milliseconds (hours keep growing past 99).

    >>> format_timestamp(3_723_004), format_timestamp(360_000_000)
    ('01:02:03.004', '100:00:00.000')
    """
    return format_clock(ms)


def escape_text(text: str) -> str:
    """Escape cue text: ``&``, ``<`` and ``>`` become character references, and ``\\N``,
    ``\\n``, ``\\h``, ``\\{``, ``\\}`` get an invisible word joiner after the backslash, which
    libass (mpv, ffmpeg burn-in) would read as a line break, a space or a brace
    (:mod:`toolkit.formats.libass`; ffmpeg escapes braces in WebVTT itself).

    >>> escape_text("a --> <b> & c")
    'a --&gt; &lt;b&gt; &amp; c'
    >>> escape_text("C:\\\\New") == "C:\\\\\\u2060New"
    True
    """
    if not _NEEDS_ESCAPE.search(text):
        return text  # the common line of prose: nothing to escape
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return break_backslash_escapes(escaped)


def escape_voice(name: str) -> str:
    """Escape a voice name for ``<v …>``: ``&`` and ``>``; runs of whitespace become one space.

    The parser collapses whitespace in the annotation anyway; writing it collapsed makes
    what every reader returns equal to what we wrote.

    A name ending in ``--`` gets a space before the ``>``: ``<v -->`` would hold ``-->``,
    which ends the cue (the parser strips the annotation, so the name reads back the same).

    >>> escape_voice("A&B >  C"), escape_voice("--")
    ('A&amp;B &gt; C', '-- ')
    """
    collapsed = " ".join(name.split())
    escaped = collapsed.replace("&", "&amp;").replace(">", "&gt;")
    return escaped + " " if escaped.endswith("--") else escaped


def cue_payload(cue: Cue) -> str:
    """The payload lines of one cue, voice spans included.

    >>> from toolkit.model import CuePart
    >>> cue_payload(Cue(0, 1000, (CuePart("Joy", "-Hi & bye"), CuePart(None, "-Yes"))))
    '<v Joy>-Hi &amp; bye</v>\\n-Yes'
    """
    lines = []
    for part in cue.parts:
        body = escape_text(part.text)
        name = escape_voice(part.speaker or "")
        lines.append(f"<v {name}>{body}</v>" if name else body)
    return "\n".join(lines)


def compose_vtt(cues: Sequence[Cue], *, source: str = "", lenient: bool = False) -> str:
    """The text of a WebVTT file holding ``cues`` (validated first, see :func:`validate_cues`).

    >>> from toolkit.model import CuePart
    >>> print(compose_vtt([Cue(1000, 2500, (CuePart("Joy", "a < b"),))]), end="")
    WEBVTT
    <BLANKLINE>
    00:00:01.000 --> 00:00:02.500
    <v Joy>a &lt; b</v>
    """
    validate_cues(cues, source=source, format_name="WebVTT", lenient=lenient)
    blocks = [SIGNATURE]
    voices: dict[str | None, str] = {}  # each speaker's escaped name, once a file
    for cue in cues:
        timing = f"{format_clock(cue.start_ms)} --> {format_clock(cue.end_ms)}"
        lines = []
        for part in cue.parts:  # cue_payload, with the names escaped once
            name = voices.get(part.speaker)
            if name is None:
                name = voices[part.speaker] = escape_voice(part.speaker or "")
            body = escape_text(part.text)
            lines.append(f"<v {name}>{body}</v>" if name else body)
        blocks.append(timing + "\n" + "\n".join(lines))
    return "\n\n".join(blocks) + "\n"
