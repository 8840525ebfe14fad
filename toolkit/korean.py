"""Where Korean text may and may not be broken, from its grammar (kiwipiepy).

A Korean cue or line may only end between eojeol (the space-separated words), and not
between every pair of them: a subtitler keeps a quotation with its quoting verb
(``"어서 오세요!" 하고``), a main verb with its auxiliary (``잊지 말고``), an adnominal
with its noun (``가난했냐는 식으로``, ``새로운 변화가``) and ``에 대한`` with what it is
about, and prefers to cut after a connective ending (``-는데``, ``-지만``, ``-고``) or
before a conjunctive adverb, where a new clause starts.

The morphological analyser `kiwipiepy <https://github.com/bab2min/kiwipiepy>`_ (Apache-2.0,
its model in the ``kiwipiepy_model`` wheel, Apache-2.0, no download) tags each morpheme; the
rules here turn the tags around each space into a verdict for that space. The analyser
is only asked, never trusted to rewrite: the text is cut as written, and where its tags
say nothing the segmenter's own rules decide.

The model takes a few seconds to load, so it is loaded once, on the first Korean text
that is cut, and each text is analysed once (:func:`boundaries`), not per candidate cut.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from toolkit.limits import HANGUL_RE

#: Verdicts for a space: breaking there is forbidden (with the reason), or preferred.
QUOTATION: Final = "quotation"  # "어서 오세요!" | 하고
AUXILIARY: Final = "auxiliary"  # 잊지 | 말고, 먹어 | 봤냐고
ADNOMINAL: Final = "adnominal"  # 가난했냐는 | 식으로, 새로운 | 변화가, 그런 | 질문
BOUND: Final = "bound"  # 살았을 수도 | 있다, 오해 | 중에: a dependent noun and what it needs
POSTPOSITION: Final = "postposition"  # 사람들에 | 대한: 대한/관한/위한/통해 lean on the word before
PARTICLE: Final = "particle"  # a space before a particle, an ending or a suffix: inside an eojeol
FORBIDDEN: Final = frozenset({QUOTATION, AUXILIARY, ADNOMINAL, BOUND, POSTPOSITION, PARTICLE})
#: Allowed, but a weak place to end a cue: a subject or topic before its predicate (손님이 | 들어와도),
#: or a space inside a quotation ("어서 | 오세요!").
SUBJECT: Final = "subject"
QUOTED: Final = "quoted"
#: A word that leans on the next like an English conjunction at a line end (그런데 | 지금):
#: avoided as firmly as an article.
LEANING: Final = "leaning"
#: Preferred: after a connective ending (-는데, -지만, -고, -면 …) or before a conjunctive adverb.
CLAUSE: Final = "clause"

#: Connective endings (EC) that end a clause. Not 게/지/어/아 (adverbial or auxiliary
#: connectives, which lean on the next word) nor 고 after a quotation (하고).
_CLAUSE_ENDINGS = frozenset(
    {
        "는데", "은데", "ᆫ데", "ㄴ데", "데", "지만", "고", "면", "으면", "니까", "으니까", "어서", "아서",
        "서", "면서", "으면서", "거나", "어도", "아도", "도록", "려고", "으려고", "다가", "며", "으며",
        "는데도", "ᆫ데도", "더니", "자", "자마자", "든지", "듯이",
    }
)  # fmt: skip
#: Endings of reported speech (-다고, -냐고, -라고, -자고): they lean on the verb after them.
_QUOTATIVE_ENDINGS = frozenset({"다고", "냐고", "라고", "자고", "는다고", "ᆫ다고", "으라고"})
#: Verbs that work as postpositions after a particle: 에 대한, 에 관해, 을 위해, 을 통해, 에 의한.
_POSTPOSITION_VERBS = frozenset({"대하", "관하", "위하", "통하", "의하", "따르", "비하"})
_CLOSING_QUOTES = tuple("\"'”’」』»")
_OPENING_QUOTES = "\"'“‘「『«"
_TRAILING_PUNCTUATION = ",.!?…~"
_PREDICATE_TAGS = ("VV", "VA", "VX", "VCN", "VCP")

_lock = threading.Lock()
_analyser: Any = None


def _kiwi() -> Any:
    """The analyser, loaded on first use (a few seconds) and kept for the process."""
    global _analyser
    with _lock:
        if _analyser is None:
            from kiwipiepy import Kiwi  # loaded only when Korean text is cut

            # The typo and multi-word dictionaries only slow loading: text is never corrected.
            _analyser = Kiwi(load_typo_dict=False, load_multi_dict=False)
        return _analyser


def has_hangul(text: str) -> bool:
    """True when ``text`` has a Hangul syllable or jamo: only then is the analyser needed."""
    return HANGUL_RE.search(text) is not None


@dataclass(frozen=True)
class _Morpheme:
    form: str
    tag: str
    start: int
    end: int


def _morphemes(text: str) -> list[_Morpheme]:
    tokens = _kiwi().tokenize(text)
    return [_Morpheme(token.form, token.tag, token.start, token.start + token.len) for token in tokens]


def _tag(morpheme: _Morpheme) -> str:
    """The tag without kiwi's irregular-conjugation suffix (``VA-I`` -> ``VA``)."""
    return morpheme.tag.split("-", 1)[0]


def _verdict(before: Sequence[_Morpheme], after: Sequence[_Morpheme], word_before: str) -> str | None:
    """What the space between two eojeol (their morphemes, in order) allows."""
    if not before or not after:
        return None
    first = after[0]
    first_tag = _tag(first)
    if first_tag.startswith(("J", "E", "XS")) or first_tag == "VCP":
        return PARTICLE
    bare = word_before.rstrip(_TRAILING_PUNCTUATION)
    if bare.endswith(_CLOSING_QUOTES) and (
        (first_tag in ("VV", "VX") and first.form in ("하", "그러"))
        or first.form.startswith(("라고", "하고", "하며", "하면"))
    ):
        return QUOTATION
    if first_tag == "VX":
        return AUXILIARY
    if first_tag == "NNB":
        return BOUND  # 오해 | 중에, 그럴 | 수: a dependent noun needs the word before it
    if first_tag == "VV" and first.form in _POSTPOSITION_VERBS and _tag(before[-1]) in ("JKB", "JKO"):
        return POSTPOSITION
    # The last morpheme that is not punctuation: a word ending in a comma is a clause end.
    if word_before.endswith(tuple(_TRAILING_PUNCTUATION)) or word_before.endswith(_CLOSING_QUOTES):
        return CLAUSE if word_before.endswith(",") else None
    last = before[-1]
    last_tag = _tag(last)
    if last_tag in ("ETM", "MM"):
        return ADNOMINAL
    if any(_tag(morpheme) == "NNB" for morpheme in before) and first_tag in _PREDICATE_TAGS:
        head = next(morpheme for morpheme in before if _tag(morpheme) == "NNB")
        if head.form in ("수", "줄", "리", "뻔", "법"):
            return BOUND  # -ㄹ 수 있다, -ㄹ 줄 알다, -ㄹ 리가 없다: one predicate
        return SUBJECT  # 판단하는 건 | 옳지 않다: a nominalised topic and its predicate
    if last_tag == "EC" and last.form in _CLAUSE_ENDINGS:
        return CLAUSE
    if first_tag == "MAJ":
        return CLAUSE
    if last_tag == "MAJ" and len(before) == 1:
        return LEANING  # 그런데 | 지금: a conjunctive adverb opens what follows
    if last_tag in ("JKS", "JX") and first_tag in ("VV", "VA"):
        return SUBJECT
    if last_tag == "EC" and last.form in _QUOTATIVE_ENDINGS and first_tag == "VV":
        return QUOTED  # 않다고 | 생각해요, 왔냐고 | 묻더라고요: reported speech and its verb
    if last_tag.startswith(("NN", "NP")) and (first_tag.startswith("NN") or first_tag == "NR"):
        return SUBJECT  # 북한 | 사람들: a compound noun
    return None


@lru_cache(maxsize=4096)
def boundaries(text: str) -> dict[int, str]:
    """The verdict for each space of ``text`` that has one, keyed by the offset of the
    word after the space.

    Analysed once per distinct text (cached): the segmenter asks for a turn's text, then
    looks its candidate cuts up here.

    >>> verdicts = boundaries('그런데 저는 손님들한테 "어서 오세요!" 하고 인사했거든요.')
    >>> verdicts[23]  # before 하고
    'quotation'
    """
    if not has_hangul(text):
        return {}
    words: list[tuple[int, int]] = []
    start = None
    for index, char in enumerate(text):
        if char.isspace():
            if start is not None:
                words.append((start, index))
                start = None
        elif start is None:
            start = index
    if start is not None:
        words.append((start, len(text)))
    if len(words) < 2:
        return {}
    owned: list[list[_Morpheme]] = [[] for _ in words]
    word_index = 0
    for morpheme in _morphemes(text):
        while word_index < len(words) and words[word_index][1] <= morpheme.start:
            word_index += 1
        if word_index == len(words):
            break
        if morpheme.start >= words[word_index][0]:
            owned[word_index].append(morpheme)
    verdicts: dict[int, str] = {}
    quoting = False
    for index in range(1, len(words)):
        word_start, word_end = words[index - 1]
        word = text[word_start:word_end]
        if not quoting and word[:1] in _OPENING_QUOTES:
            quoting = True
        if quoting and word.rstrip(_TRAILING_PUNCTUATION).endswith(_CLOSING_QUOTES):
            quoting = False
        verdict = _verdict(owned[index - 1], owned[index], word)
        ends_sentence = word.rstrip("".join(_CLOSING_QUOTES)).endswith((".", "?", "!", "…"))
        if verdict is None and quoting and not ends_sentence:
            verdict = QUOTED
        if verdict is not None:
            verdicts[words[index][0]] = verdict
    return verdicts


def forbidden_breaks(cue_texts: Sequence[str]) -> list[tuple[int, str, str]]:
    """The breaks of finished cues that the grammar forbids, as (cue index, reason, context).

    ``cue_texts`` are consecutive cues of one turn (or of a file); the line breaks inside
    each cue and the cuts between cues are all looked at, on the text joined back with spaces.
    This is how the docs' before/after table counts forbidden breaks.

    >>> forbidden_breaks(["북한 사람들에", "대한 오해 중에"])
    [(1, 'postposition', '사람들에 | 대한')]
    """
    pieces: list[str] = []
    owners: list[tuple[int, int]] = []  # (offset of the word after a break, cue index)
    offset = 0
    for cue_index, cue in enumerate(cue_texts):
        for line in cue.split("\n"):
            words = line.split()
            if not words:
                continue
            if pieces:
                owners.append((offset, cue_index))
            joined = " ".join(words)
            pieces.append(joined)
            offset += len(joined) + 1
    text = " ".join(pieces)
    verdicts = boundaries(text)
    found: list[tuple[int, str, str]] = []
    for position, cue_index in owners:
        verdict = verdicts.get(position)
        if verdict in FORBIDDEN:
            before = text[:position].split()[-1]
            after = text[position:].split()[0]
            found.append((cue_index, verdict, f"{before} | {after}"))
    return found
