"""Cutting a turn's text into subtitle cues and breaking cues into lines.

Pure text work, no timing. The rules (Netflix Timed Text Style Guide: General
Requirements, and the BBC Subtitle Guidelines §3.4; URLs in ``docs/subtitles.md``):

* cut at sentence ends first, then at clause boundaries (commas, semicolons, colons,
  dashes, before a conjunction), then between words, never inside a word;
* a paragraph break in the turn always ends a cue;
* no one-word orphan cue when a better cut exists;
* a two-line cue breaks where the lines are most even, but not after an article, a
  preposition or a determiner, and not inside a name (the cast's names, or two
  capitalised words such as "North Korea");
* a text that fits on one line stays on one line;
* a word longer than a line (a URL, a run without spaces) is split hard.

Every non-whitespace character of the input comes out, in order; only the whitespace
at cut points and line breaks changes. The same word-based approach serves Korean,
whose words (eojeol) are separated by spaces; widths come from :mod:`toolkit.limits`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Final

from toolkit import korean
from toolkit.limits import LanguageLimits, text_width
from toolkit.segment_rules import _Boundaries
from toolkit.segment_search import _best_break, _cut_ranges, _full_cue_width, _Layout
from toolkit.segment_tokens import _Token, _tokenize, fast_width

__all__ = ["break_lines", "cut_text", "fast_width", "visible_characters"]


def _render(tokens: Sequence[_Token], start: int, end: int) -> str:
    if not any(token.glued for token in tokens[start + 1 : end]):
        return " ".join([token.text for token in tokens[start:end]])  # the words, one space apart
    words: list[str] = []
    for index in range(start, end):
        token = tokens[index]
        if index > start and not token.glued:
            words.append(" ")
        words.append(token.text)
    return "".join(words)


def _lines(
    tokens: Sequence[_Token],
    start: int,
    end: int,
    layout: _Layout,
    boundaries: _Boundaries,
    limits: LanguageLimits,
) -> str:
    if layout.width(start, end) <= limits.max_line_width or limits.max_lines < 2:
        return _render(tokens, start, end)
    found = _best_break(start, end, layout, boundaries, limits)
    if found is None:  # a label wider than a line with label_every_cue: no break fits
        return _render(tokens, start, end)
    split = found[1]
    return _render(tokens, start, split) + "\n" + _render(tokens, split, end)


def _layout_lines(
    tokens: Sequence[_Token], limits: LanguageLimits, names: Sequence[str], grammar: Mapping[int, str]
) -> str:
    layout = _Layout(tokens, limits)
    return _lines(tokens, 0, len(tokens), layout, _Boundaries(tokens, names, grammar), limits)


def _grammar(text: str, limits: LanguageLimits) -> Mapping[int, str]:
    """The Korean analyser's verdicts on ``text``'s spaces; none for other languages, so
    that the analyser is loaded only when Korean text is cut."""
    if limits.cjk_counting and korean.has_hangul(text):
        return korean.boundaries(text)
    return {}


#: Cues already cut, keyed by everything a cut reads: a turn said again ("Yes.", "Thank
#: you.", a question asked in every episode) is cut once a process. Only short turns are
#: kept (the ones that repeat; a long turn said twice is rare and would fill the memory).
#: Cleared when it grows large.
_CUTS: Final[dict[tuple[object, ...], tuple[str, ...]]] = {}
_CUTS_MAX: Final = 20_000
_CUTS_LONGEST: Final = 200


def cut_text(
    text: str,
    limits: LanguageLimits,
    *,
    names: Sequence[str] = (),
    label: str = "",
    label_every_cue: bool = False,
    max_cue_width: float | None = None,
) -> list[str]:
    """Cut a turn's text into cue texts of at most ``limits.max_lines`` lines.

    ``label`` (for example ``"Joy:"``) is put in front of the first cue, or of every cue
    with ``label_every_cue``, and is never left alone in a cue. ``max_cue_width`` caps a
    cue's total width (timing passes what can be shown within the longest duration).

    >>> from toolkit.limits import ENGLISH
    >>> cut_text("Welcome to the Red Box!", ENGLISH, label="All:")
    ['All: Welcome to the Red Box!']
    >>> cut_text("Should I say I'm cheering for North Korea or South Korea? "
    ...          "What's my identity? I am just who I am.", ENGLISH)
    ["Should I say I'm cheering\\nfor North Korea or South Korea?", "What's my identity? I am just who I am."]
    """
    # A cap at or above a full cue's width caps nothing (_cut_ranges' reach): the same cut as
    # no cap, so the same entry.
    if max_cue_width is not None and not label_every_cue:
        uncapped = _full_cue_width(limits, text_width(" ", limits))
        if max(max_cue_width, limits.max_line_width) >= uncapped:
            max_cue_width = None
    if len(text) > _CUTS_LONGEST:
        return _cut(text, limits, names, label=label, label_every_cue=label_every_cue,
                    max_cue_width=max_cue_width)  # fmt: skip
    # The cast as given: one tuple an episode, shared by its turns' keys (a set would cost
    # memory in every key; the same cast in another order only misses).
    key = (text, limits, tuple(names), label, label_every_cue, max_cue_width)
    cues = _CUTS.get(key)
    if cues is None:
        if len(_CUTS) >= _CUTS_MAX:
            _CUTS.clear()
        cut = _cut(text, limits, names, label=label, label_every_cue=label_every_cue,
                   max_cue_width=max_cue_width)  # fmt: skip
        cues = _CUTS[key] = tuple(cut)
    return list(cues)


def _cut(
    text: str,
    limits: LanguageLimits,
    names: Sequence[str],
    *,
    label: str,
    label_every_cue: bool,
    max_cue_width: float | None,
) -> list[str]:
    """:func:`cut_text` without the memory of earlier cuts."""
    grammar = _grammar(text, limits)
    if label and label_every_cue:
        label_tokens = _tokenize("", label, limits)
        room = text_width(label + " ", limits)
        narrow = replace(limits, max_line_width=max(limits.max_line_width - room, limits.max_line_width / 2))
        tokens = _tokenize(text, "", narrow)
        if not tokens:
            return []
        cues: list[str] = []
        narrow_layout = _Layout(tokens, narrow)
        narrow_boundaries = _Boundaries(tokens, names, grammar)
        for start, end in _cut_ranges(tokens, narrow, narrow_layout, narrow_boundaries, max_cue_width):
            first = tokens[start]._replace(separator=" ", glued=False)
            cue_tokens = [*label_tokens, first, *tokens[start + 1 : end]]
            cues.append(_layout_lines(cue_tokens, limits, names, grammar))
        return cues
    tokens = _tokenize(text, label, limits)
    if not tokens or all(token.in_label for token in tokens):
        return []
    layout = _Layout(tokens, limits)
    boundaries = _Boundaries(tokens, names, grammar)
    return [
        _lines(tokens, start, end, layout, boundaries, limits)
        for start, end in _cut_ranges(tokens, limits, layout, boundaries, max_cue_width)
    ]


def break_lines(text: str, limits: LanguageLimits, *, names: Sequence[str] = ()) -> str:
    """Re-break one cue's text into at most two even lines (one when it fits).

    >>> from toolkit.limits import ENGLISH
    >>> break_lines("There are poor people and there are rich people too.", ENGLISH)
    'There are poor people\\nand there are rich people too.'
    """
    tokens = _tokenize(text, "", limits)
    if not tokens:
        return ""
    layout = _Layout(tokens, limits)
    return _lines(tokens, 0, len(tokens), layout, _Boundaries(tokens, names, _grammar(text, limits)), limits)


def visible_characters(text: str) -> str:
    """The text without its whitespace: what cutting must keep, in order.

    >>> visible_characters("a b\\n c")
    'abc'
    """
    return "".join(char for char in text if not char.isspace())
