"""What libass (mpv, ffmpeg's ``subtitles`` filter, VLC's ASS path) would make of subtitle text,
and the escaping that keeps the text a viewer sees exactly what was written.

ffmpeg turns SRT and WebVTT cues into ASS events, and libass draws those. Three layers
interpret characters on the way (sources: FFmpeg ``libavcodec/htmlsubtitles.c`` and
``webvttdec.c``, libass ``ass_render.c``, ``get_next_char``):

- ffmpeg's SRT decoder reads HTML-like tags: ``<b>``, ``< b>`` (a space is allowed), and
  any other ``<word>`` or ``<1>`` is dropped; ``{\\...}`` blocks other than a first
  ``{\\anN}`` and MicroDVD-style ``{Y:i}`` are dropped too. Its WebVTT decoder writes
  braces as ``\\{`` and ``\\}`` itself.
- libass hides everything from a ``{`` to the next ``}`` (an override block: ``{\\an8}``
  moves the cue to the top), and reads ``\\N`` (line break), ``\\n`` (a space, or a break
  in wrap style 2), ``\\h`` (no-break space), ``\\{`` and ``\\}`` (literal braces) anywhere
  in the text, so ``C:\\New`` shows a line break.

The escaping (:func:`break_backslash_escapes`, :func:`escape_srt_braces`) inserts U+2060
WORD JOINER, which is invisible and keeps words joined, where it breaks a sequence
(``\\⁠N``, ``<⁠b>``): every reader (pysrt, srt, webvtt-py, Chromium) shows the same text.
One case has no invisible escape: a ``{`` with a ``}`` after it in an SRT cue. It is
written ``\\{⁠`` (libass's own escape, the joiner stopping ffmpeg from dropping a
``{\\...}`` or ``{Y:...}`` block), so libass shows ``{``; readers that do not know libass
(pysrt, srt, VLC) show the backslash. WebVTT needs no such escape (ffmpeg escapes braces).
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
#: A backslash libass reads as an escape with the character after it.
_BACKSLASH_ESCAPE = re.compile(r"\\(?=[Nnh{}])")
#: A ``<`` ffmpeg's SRT decoder may read as a tag: before anything but whitespace or the end.
_TAG_START = re.compile(r"<(?=\s*[^\s<>\u2060])")


def break_backslash_escapes(text: str) -> str:
    r"""``\N``, ``\n``, ``\h``, ``\{`` and ``\}`` with a word joiner after the backslash.

    >>> break_backslash_escapes(r"C:\New\hello") == "C:\\\u2060New\\\u2060hello"
    True
    """
    return _BACKSLASH_ESCAPE.sub("\\\\" + WORD_JOINER, text)


def break_tag_starts(text: str) -> str:
    """``<`` followed by a word joiner wherever ffmpeg's SRT decoder could read a tag.

    >>> break_tag_starts("<1> < b>x") == "<\\u20601> <\\u2060 b>x"
    True
    """
    return _TAG_START.sub("<" + WORD_JOINER, text)


def escape_srt_braces(text: str) -> str:
    r"""A ``{`` that a later ``}`` in the cue would make an override block, written ``\{`` + joiner.

    >>> escape_srt_braces("{\\an8} a {b} }{") == "\\{\u2060\\an8} a \\{\u2060b} }{"
    True
    """
    last_close = text.rfind("}")
    if last_close < 0:
        return text
    head = text[:last_close].replace("{", "\\{" + WORD_JOINER)
    return head + text[last_close:]


def libass_shows(event_text: str) -> str:
    r"""The text libass draws for an ASS event's text (override blocks hidden, escapes read).

    Used by the tests to compare what viewers see with what was written; ``\n`` is read as
    a space (the default wrap style).

    >>> libass_shows(r"{\an8}a\Nb\hc\{d\}{hidden}")
    'a\nb\xa0c{d}'
    """
    shown: list[str] = []
    position = 0
    length = len(event_text)
    while position < length:
        char = event_text[position]
        if char == "{":
            close = event_text.find("}", position)
            if close >= 0:
                position = close + 1
                continue
        if char == "\\" and position + 1 < length:
            following = event_text[position + 1]
            replacement = {"N": "\n", "n": " ", "h": "\xa0", "{": "{", "}": "}"}.get(following)
            if replacement is not None:
                shown.append(replacement)
                position += 2
                continue
        shown.append(char)
        position += 1
    return "".join(shown)
