"""The boundary rules of cue cutting: what a cut or a line break costs before each word.

Part of :mod:`toolkit.segment`; the rules themselves are described there and in
``docs/subtitles.md``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Final

from toolkit import english, korean
from toolkit.segment_tokens import _Token

_CLOSERS: Final = "\"')]}»”’」』》〉"
_OPENING_QUOTES: Final = "\"“‘«「『"
_SENTENCE_ENDS: Final = (".", "?", "!", "…", "。", "？", "！")
_CLAUSE_ENDS: Final = (",", ";", ":", "—", "–", "，", "、", "；", "：")
_DASHES: Final = ("—", "–", "-", "--")
#: A hyphen used as a dash, with spaces around it: a cue or line starting with it reads as
#: a second speaker (the dialogue dash), so it ends the text before it instead.
_SPACED_HYPHENS: Final = ("-", "--")
#: Words that open a clause: cutting before them reads naturally.
_CONJUNCTIONS: Final = frozenset(
    {
        "and", "but", "or", "so", "because", "although", "though", "while", "whereas",
        "unless", "until", "since", "then", "yet", "which", "who", "whose", "where",
        "when", "if", "nor", "that",
        "그리고", "그런데", "하지만", "그래서", "그러나", "그러니까", "그러면", "또는", "근데",
    }
)  # fmt: skip
#: Words that must stay with the word after them (article+noun, preposition+object,
#: determiner+noun, subject pronoun+verb).
_CLINGERS: Final = frozenset(
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
_KOREAN_CLAUSE_ENDINGS: Final = (
    "는데", "지만", "니까", "면서", "어서", "아서", "해서", "고서", "는데요", "지만요"
)  # fmt: skip
#: Korean words that lean on the next one: determiners, "about/for" modifiers, the
#: possessive 의, negation and degree adverbs (잘 안 하다, 너무 많이).
_KOREAN_CLINGERS: Final = frozenset(
    {
        "대한", "관한", "위한", "같은", "어떤", "이런", "그런", "저런", "모든", "각", "몇",
        "그", "이", "저", "새", "안", "못", "잘", "너무", "아주", "정말", "더", "가장", "제일",
        "다른", "많은", "어느",
    }
)  # fmt: skip

# Costs of ending a cue at a boundary (lower is better). Tuned on the sample episode. Final
# here and below: the compiled install inlines them instead of reading the module's globals.
_CUT_END: Final = 0.0
_CUT_SENTENCE: Final = 1.0
_CUT_SOURCE_LINE: Final = 1.5
_CUT_CLAUSE: Final = 4.0
_CUT_CONJUNCTION: Final = 5.0
_CUT_KOREAN_CLAUSE: Final = 6.0
_CUT_WORD: Final = 10.0
_CUT_CLINGER: Final = 25.0
_CUT_NAME: Final = 25.0
_CUT_HARD: Final = 30.0
#: A modifier before its noun (``a very difficult | relationship``): avoided, a little less
#: firmly than an article, since the word list guesses the part of speech.
_CUT_MODIFIER: Final = 18.0
#: A weak place in Korean: a subject or topic before its predicate (손님이 | 들어와도).
_CUT_SUBJECT: Final = 14.0
#: Breaks the grammar forbids (inside an eojeol's parts, a quotation and its verb, a verb
#: and its auxiliary, an adnominal and its noun, before a spaced dash): only when nothing
#: else fits.
_CUT_GRAMMAR: Final = 200.0
_BREAK_GRAMMAR: Final = 60.0
_CUT_FORBIDDEN: Final = 1e6


def _bare(word: str) -> str:
    """The word without closing quotes and brackets, for punctuation tests."""
    return word.rstrip(_CLOSERS)


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


class _CostCache:
    """Per cast (its names), the word rules' costs of a boundary, keyed by everything they read:
    the two words, whether the second is a hard-split piece, which are in the label, and
    whether a source line ends between them (the flags). Replaced when it grows large.

    The common boundary, two words of the text with no flag, is looked up word by word in two
    dicts of strings (whose hashes are cached): no key tuple to build, hash and free for each.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self.pairs = _name_pairs(names)
        #: First word -> second word -> costs, for the boundaries without flags.
        self.plain: dict[str, dict[str, tuple[float, float]]] = {}
        #: (first word, second word, flags) -> costs, for the others.
        self.flagged: dict[tuple[str, str, int], tuple[float, float]] = {}
        #: How many costs both hold.
        self.size = 0


_COSTS: Final[dict[tuple[str, ...], _CostCache]] = {}
#: Per word: (word without closing quotes, that stripped and casefolded, the word stripped
#: and casefolded), as the boundary rules read it.
_WORD_FORMS: Final[dict[str, tuple[str, str, str]]] = {}
_CACHE_MAX: Final = 200_000


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
        cache = _COSTS.get(cast)
        if cache is None or cache.size >= _CACHE_MAX:
            cache = _COSTS[cast] = _CostCache(names)
        pairs, plain, flagged = cache.pairs, cache.plain, cache.flagged
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
        # Sentence ends (and source line ends) before each token, and how many come before
        # each position, counted for the two-line search (a new sentence should start a line,
        # not sit inside one): [0 < index < count and cut_cost[index] <= _CUT_SOURCE_LINE ...]
        # and its accumulate(initial=0), filled in the loop below instead of two more passes.
        sentence = [False] * (count + 1)
        sentences_before = [0] * (count + 2)
        running = 0
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
            if flags == 0:
                following = plain.get(texts[index - 1])
                if following is None:
                    following = plain[texts[index - 1]] = {}
                known = following.get(texts[index])
                if known is None:
                    bare_before, next_lowered = forms[index - 1][1], forms[index][2]
                    known = self._costs(before, after, pairs, bare_before, next_lowered)
                    following[texts[index]] = known
                    cache.size += 1
                costs = known
            else:
                key = (texts[index - 1], texts[index], flags)
                known = flagged.get(key)
                if known is None:
                    bare_before, next_lowered = forms[index - 1][1], forms[index][2]
                    known = flagged[key] = self._costs(before, after, pairs, bare_before, next_lowered)
                    cache.size += 1
                costs = known
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
            if costs[0] <= _CUT_SOURCE_LINE:
                sentence[index] = True
                running += 1
            sentences_before[index + 1] = running
        sentences_before[-1] = running
        self.paragraph, self.cut_cost, self.break_cost = paragraph, cut_cost, break_cost
        self.sentence, self.sentences_before = sentence, sentences_before

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
