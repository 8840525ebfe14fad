"""English words that decide where a cue or line may end: abbreviations, function words.

Pure word lists and small tests on one word, used by :mod:`toolkit.segment`. Sources:

* **Abbreviations** are the English sentence-break suppressions of Unicode CLDR
  (``common/segments/en.xml``, https://github.com/unicode-org/cldr/blob/main/common/segments/en.xml),
  without the entries that are also everyday words ending a sentence (``In.``, ``Is.``,
  ``On.``, ``Do.``, ``Go.``, ``All.``, ``Ok.`` …), plus titles CLDR lacks (``Dr.``, ``St.``,
  ``Gen.``, ``Gov.``, ``Sen.``, ``Jr.``, ``Sr.``, ``Inc.``, ``Ltd.``, ``Co.``, ``Corp.``).
  Any dotted acronym (``U.S.``, ``D.P.R.K.``) and any single capital with a full stop (an
  initial, ``J.``) count too.
* **Function words** after which a line or cue should not end (Netflix Timed Text Style
  Guide, General Requirements: never separate an article from its noun, a verb from its
  auxiliary or subject pronoun; BBC Subtitle Guidelines §3.4: not article+noun,
  preposition+phrase, pronoun+verb, parts of a complex verb).
"""

from __future__ import annotations

import re
from typing import Final

#: Titles and other abbreviations that sit before a name or number: never end a cue after them.
TITLES: Final = frozenset(
    {
        "mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "mt.", "capt.", "col.", "lt.", "maj.", "sgt.",
        "pvt.", "gen.", "gov.", "sen.", "rep.", "rev.", "mgr.", "vs.", "approx.",
    }
)  # fmt: skip
#: Abbreviations that may sit anywhere: a full stop after them ends no sentence unless a
#: capitalised word follows, and even then only weakly.
ABBREVIATIONS: Final = TITLES | frozenset(
    {
        "jr.", "sr.", "inc.", "ltd.", "co.", "corp.", "etc.", "e.g.", "i.e.", "a.m.", "p.m.", "ph.d.",
        "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
        "fri.", "dept.", "est.", "misc.", "alt.", "cont.", "ed.", "exec.", "min.", "num.", "org.", "yr.",
    }
)  # fmt: skip
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.){2,}")
_INITIAL = re.compile(r"[A-Z]\.")

#: Auxiliary and modal verbs (and their contractions with a pronoun): keep them with the
#: verb or complement after them.
AUXILIARIES: Final = frozenset(
    {
        "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "do", "does",
        "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
        "don't", "doesn't", "didn't", "won't", "wouldn't", "can't", "couldn't", "shouldn't",
        "isn't", "aren't", "wasn't", "weren't", "haven't", "hasn't", "hadn't",
        "i'm", "i've", "i'd", "i'll", "you're", "you've", "you'd", "you'll", "we're", "we've",
        "we'd", "we'll", "they're", "they've", "they'd", "they'll", "he's", "she's", "it's",
        "he'd", "she'd", "there's", "that's", "what's",
    }
)  # fmt: skip
#: Forms of "be" that may end a clause ("those two holidays are | when I miss home").
COPULAS: Final = frozenset({"am", "is", "are", "was", "were", "be", "been"})
#: Object pronouns: a line or cue never starts with one (made | me).
OBJECT_PRONOUNS: Final = frozenset({"me", "him", "us", "them"})
#: Dummy subjects that belong with the verb after them (there | were, it | is).
EXPLETIVES: Final = frozenset({"there", "it"})
#: Words that open a noun phrase: an article, a determiner or a possessive.
DETERMINERS: Final = frozenset(
    {
        "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our",
        "their", "every", "each", "some", "any", "no", "another", "such", "what", "which", "whose",
        "many", "much", "few", "several", "both", "either", "neither",
    }
)  # fmt: skip
#: Degree words between a determiner and an adjective (``a very difficult relationship``).
INTENSIFIERS: Final = frozenset({"very", "so", "too", "quite", "really", "more", "most", "less", "rather"})
#: Words that are not the content word of a noun phrase (the noun or adjective).
FUNCTION_WORDS: Final = (
    DETERMINERS
    | AUXILIARIES
    | INTENSIFIERS
    | frozenset(
        {
            "of", "in", "on", "at", "to", "for", "with", "from", "by", "about", "into", "onto", "over",
            "under", "like", "as", "than", "between", "through", "during", "without", "after", "before",
            "against", "among", "and", "but", "or", "nor", "so", "because", "if", "when", "while", "who",
            "whom", "where", "why", "how", "not", "there", "then", "here", "i", "you", "he", "she", "it",
            "we", "they", "me", "him", "us", "them", "one", "all",
        }
    )
)  # fmt: skip


#: Abbreviations that are titles only before a number (``No. 5``); otherwise a plain ``no.``.
NUMBER_TITLES: Final = frozenset({"no.", "nr.", "pp.", "p."})


def abbreviation_kind(word: str, next_word: str = "") -> str | None:
    """``"title"`` (keep with the next word), ``"abbreviation"`` (not a sentence end), or ``None``.

    ``word`` is the word as written, with its full stop; ``next_word`` the word after it.

    >>> [abbreviation_kind(word) for word in ("Dr.", "U.S.", "J.", "etc.", "home.", "I.", "no.")]
    ['title', 'abbreviation', 'title', 'abbreviation', None, None, None]
    >>> abbreviation_kind("No.", "5")
    'title'
    """
    lowered = word.casefold()
    if lowered in NUMBER_TITLES:
        return "title" if next_word[:1].isdigit() else None
    if lowered in TITLES or (_INITIAL.fullmatch(word) and word != "I."):
        return "title"
    if lowered in ABBREVIATIONS or _DOTTED.fullmatch(word):
        return "abbreviation"
    return None


def opens_noun_phrase(words: list[str], index: int) -> bool:
    """True when ``words[index]`` is a modifier inside a noun phrase opened by a determiner
    within the two words before it (``a very difficult`` | ``relationship``), and the word
    after it is a content word, so that the two belong together.

    ``words`` are casefolded and stripped of punctuation; a word that ended in punctuation
    is given as ``""`` (it closes the phrase).

    >>> words = "it was a very difficult relationship for us".split()
    >>> [opens_noun_phrase(words, index) for index in range(4, 6)]
    [True, False]
    """
    word = words[index]
    if not word or word in FUNCTION_WORDS or index + 1 >= len(words):
        return False
    following = words[index + 1]
    if not following or following in FUNCTION_WORDS or following.endswith("ly"):
        return False
    for back in (1, 2):
        if index - back < 0:
            return False
        previous = words[index - back]
        if previous in DETERMINERS:
            return True
        if previous not in INTENSIFIERS:
            return False
    return False
