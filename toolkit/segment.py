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

import itertools
import math
import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import NamedTuple

import regex

from toolkit import english, korean
from toolkit.limits import LanguageLimits, char_width, text_width

# Whitespace that separates words; no-break spaces stay inside a word on purpose.
_SEPARATOR_GROUP = re.compile(r"((?:(?![\u00a0\u2007\u202f])\s)+)")
#: Spacing other than single spaces between words: any other whitespace, two spaces in a
#: row, a space at either end.
_AWKWARD_SPACING = re.compile(r"[^\S ]|  |^ | $")
_CLOSERS = "\"')]}»”’」』》〉"
_OPENING_QUOTES = "\"“‘«「『"
_SENTENCE_ENDS = (".", "?", "!", "…", "。", "？", "！")
_CLAUSE_ENDS = (",", ";", ":", "—", "–", "，", "、", "；", "：")
_DASHES = ("—", "–", "-", "--")
#: A hyphen used as a dash, with spaces around it: a cue or line starting with it reads as
#: a second speaker (the dialogue dash), so it ends the text before it instead.
_SPACED_HYPHENS = ("-", "--")
#: User-perceived characters (Unicode extended grapheme clusters, UAX #29): a hard split
#: never separates a base letter from its marks, a flag's two regional indicators, or the
#: parts of an emoji ZWJ sequence.
_GRAPHEME = regex.compile(r"\X")
#: Words that open a clause: cutting before them reads naturally.
_CONJUNCTIONS = frozenset(
    {
        "and", "but", "or", "so", "because", "although", "though", "while", "whereas",
        "unless", "until", "since", "then", "yet", "which", "who", "whose", "where",
        "when", "if", "nor", "that",
        "그리고", "그런데", "하지만", "그래서", "그러나", "그러니까", "그러면", "또는", "근데",
    }
)  # fmt: skip
#: Words that must stay with the word after them (article+noun, preposition+object,
#: determiner+noun, subject pronoun+verb).
_CLINGERS = frozenset(
    {
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "with", "from", "by",
        "about", "into", "onto", "over", "under", "like", "as", "than", "between",
        "through", "during", "without", "after", "before", "against", "among", "my",
        "your", "his", "her", "its", "our", "their", "this", "these", "those", "i",
        "we", "they", "you", "he", "she", "not", "very", "no", "every", "some", "any",
        "even", "so", "and", "but", "or",
    }
)  # fmt: skip
#: Korean clause endings: a cut after a word ending this way falls between clauses.
_KOREAN_CLAUSE_ENDINGS = ("는데", "지만", "니까", "면서", "어서", "아서", "해서", "고서", "는데요", "지만요")
#: Korean words that lean on the next one: determiners, "about/for" modifiers, the
#: possessive 의, negation and degree adverbs (잘 안 하다, 너무 많이).
_KOREAN_CLINGERS = frozenset(
    {
        "대한", "관한", "위한", "같은", "어떤", "이런", "그런", "저런", "모든", "각", "몇",
        "그", "이", "저", "새", "안", "못", "잘", "너무", "아주", "정말", "더", "가장", "제일",
        "다른", "많은", "어느",
    }
)  # fmt: skip

# Costs of ending a cue at a boundary (lower is better). Tuned on the sample episode.
_CUT_END = 0.0
_CUT_SENTENCE = 1.0
_CUT_SOURCE_LINE = 1.5
_CUT_CLAUSE = 4.0
_CUT_CONJUNCTION = 5.0
_CUT_KOREAN_CLAUSE = 6.0
_CUT_WORD = 10.0
_CUT_CLINGER = 25.0
_CUT_NAME = 25.0
_CUT_HARD = 30.0
#: A modifier before its noun (``a very difficult | relationship``): avoided, a little less
#: firmly than an article, since the word list guesses the part of speech.
_CUT_MODIFIER = 18.0
#: A weak place in Korean: a subject or topic before its predicate (손님이 | 들어와도).
_CUT_SUBJECT = 14.0
#: Breaks the grammar forbids (inside an eojeol's parts, a quotation and its verb, a verb
#: and its auxiliary, an adnominal and its noun, before a spaced dash): only when nothing
#: else fits.
_CUT_GRAMMAR = 200.0
_BREAK_GRAMMAR = 60.0
_CUT_FORBIDDEN = 1e6
_PER_CUE = 3.0
_ORPHAN = 15.0
_EVEN = 4.0
_LINE_WEIGHT = 0.5
#: A sentence that starts inside a line of a two-line cue (break-cost units).
_MIDLINE_SENTENCE = 12.0
#: A cue narrower than half a line that is only part of a sentence (a lead-in such as
#: ``In South Korea,`` or a tail such as ``하고 인사했거든요.``): it flashes by.
_FRAGMENT = 14.0


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


_new_tuple = tuple.__new__


def _bare(word: str) -> str:
    """The word without closing quotes and brackets, for punctuation tests."""
    return word.rstrip(_CLOSERS)


def fast_width(text: str, limits: LanguageLimits) -> float:
    """:func:`toolkit.limits.text_width`, with a shortcut for plain ASCII text (line breaks excluded).

    >>> from toolkit.limits import KOREAN
    >>> fast_width("Joy: hi", KOREAN), fast_width("조이: 안녕", KOREAN)
    (3.5, 5.0)
    """
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
_WORD_WIDTHS: dict[LanguageLimits, dict[str, float]] = {}
_WORD_WIDTHS_MAX = 200_000


def _word_width(word: str, widths: dict[str, float], limits: LanguageLimits) -> float:
    width = widths.get(word)
    if width is None:
        if len(widths) >= _WORD_WIDTHS_MAX:
            widths.clear()
        width = widths[word] = fast_width(word, limits)
    return width


def _tokenize(text: str, label: str, limits: LanguageLimits) -> list[_Token]:
    tokens: list[_Token] = []
    widths = _WORD_WIDTHS.setdefault(limits, {})
    max_line_width = limits.max_line_width
    for part, in_label in ((label, True), (text, False)):
        if part and not _AWKWARD_SPACING.search(part):
            # The common text: words between single spaces, each narrower than a line. The
            # general loop below gives the same tokens; this one skips the regex split.
            kept = len(tokens)
            offset = 0
            for word in part.split(" "):
                width = widths.get(word)
                if width is None:
                    width = _word_width(word, widths, limits)
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
            chunk_width = _word_width(chunk, widths, limits)
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
                width = _word_width(piece, widths, limits)
                tokens.append(_Token(piece, width, piece_index > 0, lead, in_label, offset))
                offset = -1
            separator = ""
    return tokens


def _capitalised(word: str) -> bool:
    stripped = word.lstrip("\"'([{“‘«")
    return bool(stripped) and stripped[0].isupper() and stripped.lower() != "i"


def _name_pairs(names: Sequence[str]) -> set[tuple[str, str]]:
    """Consecutive word pairs inside the cast's multi-word names (case-folded)."""
    pairs: set[tuple[str, str]] = set()
    for name in names:
        words = name.casefold().split()
        pairs.update(itertools.pairwise(words))
    return pairs


def _strip_word(word: str) -> str:
    """The word casefolded, without surrounding punctuation, with a straight apostrophe."""
    return word.strip("\"'()[]{}“”‘’«»,.;:!?…").casefold().replace("’", "'")


#: Per cast (its names), the word rules' costs of a boundary, keyed by everything they read:
#: the two words, whether the second is a hard-split piece, which are in the label, and
#: whether a source line ends between them. Cleared when it grows large.
_CostCache = dict[tuple[str, str, int], tuple[float, float]]
_COSTS: dict[tuple[str, ...], tuple[set[tuple[str, str]], _CostCache]] = {}
#: Per word: (word without closing quotes, that stripped and casefolded, the word stripped
#: and casefolded), as the boundary rules read it.
_WORD_FORMS: dict[str, tuple[str, str, str]] = {}
_CACHE_MAX = 200_000


def _word_forms(word: str) -> tuple[str, str, str]:
    forms = _WORD_FORMS.get(word)
    if forms is None:
        if len(_WORD_FORMS) >= _CACHE_MAX:
            _WORD_FORMS.clear()
        bare = _bare(word)
        forms = _WORD_FORMS[word] = (bare, _strip_word(bare), _strip_word(word))
    return forms


class _Boundaries:
    """What kind of boundary lies before each token, as cue-cut and line-break costs.

    ``grammar`` is the analyser's verdict on the spaces of a Korean text, keyed by the
    offset of the word after the space (:func:`toolkit.korean.boundaries`); it forbids or
    prefers a boundary, and the word rules below order the rest.
    """

    def __init__(
        self, tokens: Sequence[_Token], names: Sequence[str], grammar: Mapping[int, str] | None = None
    ) -> None:
        cast = tuple(names)
        cached = _COSTS.get(cast)
        if cached is None or len(cached[1]) >= _CACHE_MAX:
            cached = _COSTS[cast] = (_name_pairs(names), {})
        pairs, known_costs = cached
        grammar = grammar or {}
        count = len(tokens)
        # Each word casefolded without its punctuation, once: as the word before a boundary
        # (closing quotes and brackets off first) and as the word after it.
        texts = [token.text for token in tokens]
        forms = [_WORD_FORMS.get(text) or _word_forms(text) for text in texts]
        # For the noun-phrase test, a word ending in punctuation closes a phrase.
        words = [
            "" if token.in_label or form[0][-1:] in ",.;:!?…" else form[1]
            for token, form in zip(tokens, forms, strict=True)
        ]
        paragraph = [False] * (count + 1)
        cut_cost = [0.0] * (count + 1)
        break_cost = [0.0] * (count + 1)
        function_words = english.FUNCTION_WORDS
        for index in range(1, count):
            before, after = tokens[index - 1], tokens[index]
            separator = after.separator
            if separator == " ":  # the common boundary: no line end, no flags from it
                source_line = False
            else:
                paragraph[index] = separator.count("\n") >= 2
                source_line = "\n" in separator
            # The costs read only the two words, these flags and the cast: computed once each.
            flags = after.glued + 2 * after.in_label + 4 * before.in_label + 8 * source_line
            key = (texts[index - 1], texts[index], flags)
            costs = known_costs.get(key)
            if costs is None:
                bare_before, next_lowered = forms[index - 1][1], forms[index][2]
                costs = known_costs[key] = self._costs(before, after, pairs, bare_before, next_lowered)
            if costs[0] == _CUT_WORD:
                # english.opens_noun_phrase, its first test inlined (most words fail it).
                word = words[index - 1]
                if word and word not in function_words and english.opens_noun_phrase(words, index - 1):
                    costs = (_CUT_MODIFIER, 8.0)
            if grammar and after.offset >= 0:
                verdict = grammar.get(after.offset)
                if verdict is not None and not source_line and not after.glued:
                    costs = _with_verdict(costs, verdict)
            cut_cost[index], break_cost[index] = costs
        self.paragraph, self.cut_cost, self.break_cost = paragraph, cut_cost, break_cost
        # Sentence ends (and source line ends) before each token, counted for the
        # two-line search: a new sentence should start a line, not sit inside one.
        self.sentence = [
            0 < index < count and cost <= _CUT_SOURCE_LINE for index, cost in enumerate(cut_cost)
        ]
        self.sentences_before = list(itertools.accumulate(self.sentence, initial=0))
        #: Two-line breaks the cut search found, by token range (``None``: none fits).
        self.breaks: dict[tuple[int, int], tuple[float, int] | None] = {}

    @staticmethod
    def _costs(
        before: _Token, after: _Token, pairs: set[tuple[str, str]], bare_before: str, next_lowered: str
    ) -> tuple[float, float]:
        if after.glued:
            return _CUT_HARD, 0.0
        if after.in_label:
            return _CUT_FORBIDDEN, 50.0
        if before.in_label:
            # A label may sit on its own line (BBC §7.8), but never alone in a cue.
            return _CUT_FORBIDDEN, 2.0
        word = _bare(before.text)
        next_word = after.text
        next_starts_lower = next_word[:1].islower()
        if next_word in _SPACED_HYPHENS:
            # `a - b`: a cue or line opening with "- " would read as a second speaker.
            return _CUT_GRAMMAR, _BREAK_GRAMMAR
        if "\n" in after.separator:
            return (_CUT_SOURCE_LINE if not next_starts_lower else _CUT_CLAUSE), -3.0
        abbreviation = english.abbreviation_kind(word, next_word) if word.endswith(".") else None
        if abbreviation == "title":
            return _CUT_CLINGER, 12.0  # Dr. | Kim, J. | Smith, No. | 5
        if word.endswith(_SENTENCE_ENDS) and abbreviation is None and not next_starts_lower:
            return _CUT_SENTENCE, -4.0
        if word.endswith(_CLAUSE_ENDS) or before.text in _SPACED_HYPHENS:
            return _CUT_CLAUSE, -3.0
        if next_word in _DASHES or next_word.startswith(("—", "–")):
            return _CUT_CLAUSE + 1.0, -2.0
        if word.endswith(_SENTENCE_ENDS) and not (abbreviation and next_starts_lower):
            return _CUT_CLAUSE, -1.0  # "U.S. But", "…" before a capital: perhaps a sentence end
        if bare_before in _CLINGERS or bare_before in _KOREAN_CLINGERS or bare_before.endswith("의"):
            return _CUT_CLINGER, 12.0
        if bare_before in english.AUXILIARIES and not (
            bare_before in english.COPULAS and next_lowered in _CONJUNCTIONS
        ):
            return _CUT_CLINGER, 12.0  # was | working, I'm | cheering; but: the holidays are | when
        if next_lowered in english.OBJECT_PRONOUNS or (
            bare_before in english.EXPLETIVES and next_lowered in english.AUXILIARIES
        ):
            return _CUT_CLINGER, 12.0  # made | me, there | were
        if next_word[:1] in _OPENING_QUOTES:
            return _CUT_CLAUSE, -3.0  # a quotation starts a line: like, | “It's because…”
        if (next_lowered in _CONJUNCTIONS and next_starts_lower) or next_word in _CONJUNCTIONS:
            return _CUT_CONJUNCTION, -2.0
        if (bare_before, next_lowered) in pairs or (_capitalised(word) and _capitalised(next_word)):
            return _CUT_NAME, 12.0
        if bare_before.endswith(_KOREAN_CLAUSE_ENDINGS):
            return _CUT_KOREAN_CLAUSE, -1.0
        return _CUT_WORD, 0.0


def _with_verdict(costs: tuple[float, float], verdict: str) -> tuple[float, float]:
    """The word rules' costs, overruled by the Korean analyser's verdict on the space."""
    cut, line_break = costs
    if verdict in korean.FORBIDDEN:
        return max(cut, _CUT_GRAMMAR), max(line_break, _BREAK_GRAMMAR)
    if verdict == korean.CLAUSE:
        return min(cut, _CUT_KOREAN_CLAUSE), min(line_break, -2.0)
    if verdict == korean.LEANING:
        return max(cut, _CUT_CLINGER), max(line_break, 12.0)
    if verdict in (korean.SUBJECT, korean.QUOTED):
        return max(cut, _CUT_SUBJECT), max(line_break, 4.0)
    return costs


class _Layout:
    """Widths of token ranges laid out on one line."""

    def __init__(self, tokens: Sequence[_Token], limits: LanguageLimits) -> None:
        space = text_width(" ", limits)
        self.space = space
        self.lead = [0.0 if index == 0 or token.glued else space for index, token in enumerate(tokens)]
        self.prefix = [0.0]
        for token, lead in zip(tokens, self.lead, strict=True):
            self.prefix.append(self.prefix[-1] + lead + token.width)

    def width(self, start: int, end: int) -> float:
        """Width of tokens ``start`` to ``end - 1`` on one line."""
        return self.prefix[end] - self.prefix[start] - self.lead[start]


def _best_break(
    start: int, end: int, layout: _Layout, boundaries: _Boundaries, limits: LanguageLimits
) -> tuple[float, int] | None:
    """The best place to break tokens ``start:end`` into two lines, with its cost."""
    line = limits.max_line_width
    prefix, lead, break_cost = layout.prefix, layout.lead, boundaries.break_cost
    # Hot loop of the whole build: widths are inlined from _Layout.width, abs() from the
    # evenness term, and the sentence term is left out when no sentence starts inside
    # (it is 0.0 then, and x + 0.0 == x): the same floats as the plain formula.
    top_base = prefix[start] + lead[start]
    end_width = prefix[end]
    best_cost = 0.0
    best_split = -1
    sentence = boundaries.sentence
    inner_sentences = boundaries.sentences_before[end] - boundaries.sentences_before[start + 1]
    # Splits before this one leave a bottom line that is too wide (leads are >= 0).
    first = max(start + 1, bisect_left(prefix, end_width - line - layout.space, start + 1, end))
    for split in range(first, end):
        top = prefix[split] - top_base
        if top > line:
            break
        bottom = end_width - prefix[split] - lead[split]
        if bottom > line:
            continue
        difference = top - bottom
        if difference < 0:
            difference = -difference
        cost = difference / line * 10 + break_cost[split]
        if inner_sentences:
            cost += (inner_sentences - sentence[split]) * _MIDLINE_SENTENCE
        if best_split < 0 or cost < best_cost:
            best_cost, best_split = cost, split
    return None if best_split < 0 else (best_cost, best_split)


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
    # The cut search found the best break of most cues already.
    found = boundaries.breaks.get((start, end))
    if found is None:
        found = _best_break(start, end, layout, boundaries, limits)
    if found is None:  # a label wider than a line with label_every_cue: no break fits
        return _render(tokens, start, end)
    split = found[1]
    return _render(tokens, start, split) + "\n" + _render(tokens, split, end)


def _full_cue_width(limits: LanguageLimits, space: float) -> float:
    """How wide a cue may reach with no cap: every line full, and the space a break replaces."""
    return limits.max_line_width * max(1, limits.max_lines) + space


def _cut_ranges(
    tokens: Sequence[_Token],
    limits: LanguageLimits,
    layout: _Layout,
    boundaries: _Boundaries,
    max_cue_width: float | None,
) -> list[tuple[int, int]]:
    """The best cue cuts as token ranges: a shortest path over the cut costs."""
    count = len(tokens)
    words_before = [0]
    for token in tokens:
        words_before.append(words_before[-1] + (0 if token.glued or token.in_label else 1))
    total_words = words_before[-1]
    reach = _full_cue_width(limits, layout.space)
    if max_cue_width is not None:
        reach = min(reach, max(max_cue_width, limits.max_line_width))
    line = limits.max_line_width
    prefix, lead = layout.prefix, layout.lead
    cut_cost, paragraph, sentence = boundaries.cut_cost, boundaries.paragraph, boundaries.sentence
    break_cost = boundaries.break_cost
    half_line = line / 2
    # The lowest a line layout can cost: the best break bonus, weighted.
    least_line_cost = min(0.0, *boundaries.break_cost) * _LINE_WEIGHT

    best = [0.0] + [float("inf")] * count
    back = [0] * (count + 1)
    # The cost of a cue starting before each token, before its own penalties, plus the least
    # line cost, once the best cut up to that token is known: summed in the order the plain
    # formula sums them (best[start] + _PER_CUE + cut cost), so the floats are the same.
    cut_at = [0.0, *cut_cost[1:count]]
    floor = [0.0] * (count + 1)
    floor[0] = best[0] + _PER_CUE + cut_at[0] + least_line_cost
    several_words = total_words > 1
    two_lines = limits.max_lines > 1
    sentences_before, space = boundaries.sentences_before, layout.space
    breaks = boundaries.breaks
    # Where a cue ending at each token may start: not before a paragraph break ...
    paragraph_before = [0] * (count + 1)
    for index in range(1, count + 1):
        paragraph_before[index] = index if paragraph[index] else paragraph_before[index - 1]
    # ... and not so far back that the cue is wider than ``reach``. A cue's width only grows
    # the further back it starts (prefix[s + 1] + lead[s + 1] = prefix[s] + lead[s] + width of
    # token s + lead[s + 1], all >= 0), and with its end: the last start that is too wide only
    # moves forward, found by a pointer instead of a scan back from every end.
    too_wide = -1  # the last start (before end - 1) whose cue would be wider than reach
    for end in range(1, count + 1):
        end_prefix = prefix[end]
        end_words = words_before[end]
        ends_sentence = end == count or sentence[end]
        while too_wide + 1 < end - 1 and end_prefix - prefix[too_wide + 1] - lead[too_wide + 1] > reach:
            too_wide += 1
        lowest = max(too_wide + 1, paragraph_before[end - 1])
        best_end = math.inf
        back_end = 0
        # The least break cost inside tokens start:end (a two-line layout costs at least
        # that), extended down to start + 1 when a candidate needs it.
        least_inner_break = math.inf
        inner_from = end
        # The start that was best for the previous token usually is for this one too (five
        # times in six): costed first, it lets the bounds below skip most other candidates.
        # The plain search takes the first of equal costs in the order end - 1, end - 2, …;
        # the ties are broken that way here too, whatever the order they are costed in.
        seed = back[end - 1] if end > 1 and lowest <= back[end - 1] < end - 1 else -1
        for phase in (0, 1):
            if phase == 0:
                if seed < 0:
                    continue
                starts: Sequence[int] = (seed,)
            else:
                # The penalties below only add: a cue whose floor is already above the best
                # one found cannot become better (float addition of non-negative terms is
                # monotonic). Filtered at once; the loop tests again as the best improves.
                starts = [
                    one for one in range(end - 1, lowest - 1, -1) if floor[one] <= best_end and one != seed
                ]
            for start in starts:
                bound = floor[start]
                if bound > best_end or (bound == best_end and start < back_end):
                    continue
                cost = best[start] + _PER_CUE + cut_at[start]
                width = end_prefix - prefix[start] - lead[start]
                if end_words - words_before[start] <= 1 and several_words:
                    cost += _ORPHAN
                # Squared widths favour even cues when the cut kinds are equal.
                cost += _EVEN * (width / reach) ** 2
                if width < half_line and 0 < end - start < count:
                    whole_sentence = (start == 0 or sentence[start]) and ends_sentence
                    if not whole_sentence:
                        cost += _FRAGMENT
                bound = cost + least_line_cost
                if bound < best_end or (bound == best_end and start > back_end):
                    if width > line and end - start > 1:
                        while inner_from > start + 1:
                            inner_from -= 1
                            if break_cost[inner_from] < least_inner_break:
                                least_inner_break = break_cost[inner_from]
                        bound = cost + least_inner_break * _LINE_WEIGHT
                        if bound > best_end or (bound == best_end and start < back_end):
                            # Every break adds at least least_inner_break (the other terms of
                            # _best_break's cost are non-negative): it cannot win.
                            continue
                        if not two_lines:
                            cost = math.inf
                        else:
                            # _best_break(start, end, …) inlined (its floats, its order).
                            top_base = prefix[start] + lead[start]
                            inner_sentences = sentences_before[end] - sentences_before[start + 1]
                            split = bisect_left(prefix, end_prefix - line - space, start + 1, end)
                            if split < start + 1:
                                split = start + 1
                            break_best = 0.0
                            break_at = -1
                            while split < end:
                                top = prefix[split] - top_base
                                if top > line:
                                    break
                                bottom = end_prefix - prefix[split] - lead[split]
                                if bottom <= line:
                                    difference = top - bottom
                                    if difference < 0:
                                        difference = -difference
                                    split_cost = difference / line * 10 + break_cost[split]
                                    if inner_sentences:
                                        split_cost += (inner_sentences - sentence[split]) * _MIDLINE_SENTENCE
                                    if break_at < 0 or split_cost < break_best:
                                        break_best, break_at = split_cost, split
                                split += 1
                            if break_at < 0:
                                breaks[start, end] = None
                                cost = math.inf
                            else:
                                breaks[start, end] = (break_best, break_at)
                                cost = cost + break_best * _LINE_WEIGHT
                    if cost < best_end or (cost == best_end and start > back_end and cost < math.inf):
                        best_end, back_end = cost, start
        best[end], back[end] = best_end, back_end
        if end < count:
            floor[end] = best_end + _PER_CUE + cut_at[end] + least_line_cost
    cuts: list[tuple[int, int]] = []
    end = count
    while end > 0:
        cuts.append((back[end], end))
        end = back[end]
    cuts.reverse()
    return cuts


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
_CUTS: dict[tuple[object, ...], tuple[str, ...]] = {}
_CUTS_MAX = 20_000
_CUTS_LONGEST = 200


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
