"""Tokenising a turn for cue cutting: words with their widths and separators.

Part of :mod:`toolkit.segment` (the cut's tokens and widths; the boundary rules are in
:mod:`toolkit.segment_rules`, the cue search in :mod:`toolkit.segment_search`).
"""

from __future__ import annotations

import math
import re
from typing import Final, NamedTuple

import regex

from toolkit.limits import LanguageLimits, char_width, text_width

# Whitespace that separates words; no-break spaces stay inside a word on purpose.
_SEPARATOR_GROUP: Final = re.compile(r"((?:(?![\u00a0\u2007\u202f])\s)+)")
#: Spacing other than single spaces between words: any other whitespace, two spaces in a
#: row, a space at either end.
_AWKWARD_SPACING: Final = re.compile(r"[^\S ]|  |^ | $")
#: User-perceived characters (Unicode extended grapheme clusters, UAX #29): a hard split
#: never separates a base letter from its marks, a flag's two regional indicators, or the
#: parts of an emoji ZWJ sequence.
_GRAPHEME: Final = regex.compile(r"\X")


class _Token(NamedTuple):
    """A word (or a piece of an over-long word) with what separates it from the one before.

    A named tuple, not a frozen dataclass: a build makes one for every word of every turn,
    and a tuple is made several times faster.
    """

    text: str
    width: float
    glued: bool  # a hard-split piece: no space before it
    separator: str  # the whitespace before it in the source ("" for the first)
    in_label: bool  # part of the visible speaker label
    offset: int = -1  # where it starts in the turn's text (-1 in the label)


_new_tuple: Final = tuple.__new__


#: Widths of texts measured lately, by the way widths are counted (``cjk_counting``: a
#: character's width depends on nothing else, see :func:`toolkit.limits.char_width`). A build
#: measures each cue's and turn's text three times (cutting, timing, the reading limits), the
#: same string each time: its hash is cached on it, so a repeat costs one dict lookup instead
#: of a scan of every character. Cleared when it grows large (repeats come close together).
_TEXT_WIDTHS: Final[tuple[dict[str, float], dict[str, float]]] = ({}, {})
_TEXT_WIDTHS_MAX: Final = 4096


def fast_width(text: str, limits: LanguageLimits) -> float:
    """:func:`toolkit.limits.text_width`, with a shortcut for plain ASCII text (line breaks
    excluded), remembered for the texts measured lately.

    >>> from toolkit.limits import KOREAN
    >>> fast_width("Joy: hi", KOREAN), fast_width("조이: 안녕", KOREAN)
    (3.5, 5.0)
    """
    return _remembered_width(text, _TEXT_WIDTHS[1 if limits.cjk_counting else 0], _TEXT_WIDTHS_MAX, limits)


def _measured_width(text: str, limits: LanguageLimits) -> float:
    """:func:`fast_width` without the memory of earlier texts."""
    if text.isascii():
        plain = text.replace("\n", "")
        if plain.isprintable():
            return len(plain) * (0.5 if limits.cjk_counting else 1.0)
    return text_width(text, limits)


def _split_hard(word: str, limits: LanguageLimits, width: float) -> list[str]:
    """Split a word wider than ``width`` into pieces that fit, never before a zero-width mark."""
    total = fast_width(word, limits)
    if total <= width:
        return [word]
    # Even pieces read better than full lines and a crumb: 800 characters in 42-wide lines
    # become 20 pieces of 40, not 19 of 42 and one of 2.
    width = min(width, math.ceil(total / math.ceil(total / width)))
    pieces: list[str] = []
    current = ""
    current_width = 0.0
    for cluster in _GRAPHEME.findall(word):
        cluster_w = sum(char_width(char, limits) for char in cluster)
        if current and cluster_w > 0 and current_width + cluster_w > width:
            pieces.append(current)
            current, current_width = "", 0.0
        current += cluster
        current_width += cluster_w
    if current:
        pieces.append(current)
    # A piece of no-break spaces alone would be a blank line; it is whitespace at a cut.
    return [piece for piece in pieces if piece.strip()]


#: Widths of words already measured, per language's limits: an archive repeats its words,
#: and a build measures each distinct word once (cleared when it grows large).
_WORD_WIDTHS: Final[dict[LanguageLimits, dict[str, float]]] = {}
_WORD_WIDTHS_MAX: Final = 200_000


def _remembered_width(text: str, widths: dict[str, float], most: int, limits: LanguageLimits) -> float:
    """``text``'s width from ``widths``, measured and kept there when it is not (the memory
    cleared once it holds ``most``: repeats come close together)."""
    width = widths.get(text)
    if width is None:
        if len(widths) >= most:
            widths.clear()
        width = widths[text] = _measured_width(text, limits)
    return width


def _tokenize(text: str, label: str, limits: LanguageLimits) -> list[_Token]:
    tokens: list[_Token] = []
    widths = _WORD_WIDTHS.setdefault(limits, {})
    max_line_width = limits.max_line_width
    for part, in_label in ((label, True), (text, False)):
        # Not _AWKWARD_SPACING.search(part), without the regex: the words split at any
        # whitespace (str.split's whitespace is the regex's \s) and joined by single spaces
        # give the text back only when it has no other spacing.
        words = part.split()
        if part and " ".join(words) == part:
            # The common text: words between single spaces, each narrower than a line. The
            # general loop below gives the same tokens; this one skips the regex split.
            kept = len(tokens)
            offset = 0
            for word in words:
                width = widths.get(word)
                if width is None:
                    width = _remembered_width(word, widths, _WORD_WIDTHS_MAX, limits)
                if width > max_line_width:
                    del tokens[kept:]  # an over-long word: the general loop splits it
                    break
                lead = " " if tokens else ""
                # _Token(word, width, …) without the named tuple's Python-level __new__.
                fields = (word, width, False, lead, in_label, -1 if in_label else offset)
                tokens.append(_new_tuple(_Token, fields))
                offset += len(word) + 1
            else:
                continue
        # re.split with a group alternates word, separator, word, …
        chunks = _SEPARATOR_GROUP.split(part)
        separator = ""
        position = 0
        for index, chunk in enumerate(chunks):
            start, position = position, position + len(chunk)
            if index % 2:
                separator += chunk
                continue
            if not chunk.strip():
                # Only no-break spaces: a line of them would read as blank, so drop them.
                continue
            offset = -1 if in_label else start
            chunk_width = _remembered_width(chunk, widths, _WORD_WIDTHS_MAX, limits)
            if chunk_width <= max_line_width:
                # The common case: _split_hard would give the word back whole.
                lead = (separator or " ") if tokens else ""
                tokens.append(_Token(chunk, chunk_width, False, lead, in_label, offset))
                separator = ""
                continue
            for piece_index, piece in enumerate(_split_hard(chunk, limits, max_line_width)):
                if piece_index:
                    lead = ""
                elif tokens:
                    lead = separator or " "
                else:
                    lead = ""
                width = _remembered_width(piece, widths, _WORD_WIDTHS_MAX, limits)
                tokens.append(_Token(piece, width, piece_index > 0, lead, in_label, offset))
                offset = -1
            separator = ""
    return tokens
