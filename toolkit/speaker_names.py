"""Speaker names: how two spellings are compared, and which cast member a near miss meant.

Names are compared in Unicode NFC, so a name typed on a system that writes decomposed
text (``다솜`` as jamo, ``Ü`` as ``U`` and a combining diaeresis) is the same name. Both
the transcript parser (to tell a mistyped label from text) and the checks (to suggest
the name meant) use these; they live apart from both so that neither imports the other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import combinations

from toolkit.limits import is_hangul


def nfc(text: str) -> str:
    """``text`` in Unicode NFC (ASCII text as it is, without a copy).

    >>> nfc("U\\u0308nal") == "\\u00dcnal"
    True
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text)


def name_key(name: str) -> str:
    """What makes two spellings the very same name: NFC, words separated by one space.

    >>> name_key("Kim  Jeong") == name_key("Kim Jeong")
    True
    """
    return nfc(" ".join(name.split()))


def _edit_distance(left: str, right: str) -> int:
    """Optimal-string-alignment distance: a swap of two neighbours (``Dasmo``) counts as one edit."""
    rows = [[0] * (len(right) + 1) for _ in range(len(left) + 1)]
    for i in range(len(left) + 1):
        rows[i][0] = i
    for j in range(len(right) + 1):
        rows[0][j] = j
    for i in range(1, len(left) + 1):
        for j in range(1, len(right) + 1):
            cost = left[i - 1] != right[j - 1]
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and left[i - 1] == right[j - 2] and left[i - 2] == right[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def fold(name: str) -> str:
    """A name without what never tells two names apart: case, spacing, Unicode normal form.

    >>> fold("Da som"), fold("DASOM")
    ('dasom', 'dasom')
    """
    return "".join(nfc(name).casefold().split())


#: The digits of a numbered label (``Speaker1``, ``SPEAKER_00``).
_NUMBER_RE = re.compile(r"\d+")


def names_are_close(left: str, right: str) -> bool:
    """True when two different spellings are probably the same person's name.

    Case and spacing never matter; Latin names may differ by one edit (two for names of
    seven letters or more); Hangul names of the same length may differ in one syllable.
    The same name in two Unicode normal forms is one spelling, not two.

    >>> names_are_close("Minjy", "Minji"), names_are_close("jeong yol", "Jeongyol")
    (True, True)
    >>> names_are_close("정열", "정훈"), names_are_close("Joy", "Dasom")
    (True, False)

    Numbered labels (``Speaker1`` and ``Speaker2``, ``SPEAKER_00`` and ``SPEAKER_01``, as
    speaker diarisation names people) differ in their number on purpose: never close.

    >>> names_are_close("Speaker1", "Speaker2"), names_are_close("SPEAKER_00", "SPEAKER_01")
    (False, False)
    """
    if left == right or nfc(left) == nfc(right):
        return False
    a, b = fold(left), fold(right)
    if a == b:
        return True
    if _NUMBER_RE.sub("", a) == _NUMBER_RE.sub("", b) and _NUMBER_RE.search(a) and _NUMBER_RE.search(b):
        return False
    if any(is_hangul(char) for char in a + b):
        if len(a) == len(b) and len(a) >= 2 and sum(x != y for x, y in zip(a, b, strict=True)) == 1:
            return True
        jamo_a = unicodedata.normalize("NFD", a)
        jamo_b = unicodedata.normalize("NFD", b)
        return _edit_distance(jamo_a, jamo_b) <= 1
    allowed = 2 if min(len(a), len(b)) >= 7 else 1
    return min(len(a), len(b)) >= 3 and _edit_distance(a, b) <= allowed


def suggest_name(name: str, cast: Iterable[str]) -> str | None:
    """The cast member ``name`` is closest to, when it is close enough to suggest.

    >>> suggest_name("dasom", ["Joy", "Dasom"]), suggest_name("Note", ["Joy", "Dasom"])
    ('Dasom', None)
    """
    candidates = [member for member in cast if names_are_close(name, member)]
    if not candidates:
        return None
    return min(candidates, key=lambda member: _edit_distance(fold(name), fold(member)))


#: The most edits :func:`names_are_close` allows (two, for Latin names of seven letters or more).
MAX_EDITS = 2


def _deletions(text: str, most: int) -> Iterator[str]:
    """``text`` with every choice of up to ``most`` characters left out."""
    for count in range(min(most, len(text)) + 1):
        for left_out in combinations(range(len(text)), count):
            yield "".join(char for index, char in enumerate(text) if index not in left_out)


def _spelling_keys(name: str) -> set[str]:
    """Keys two close names always share.

    Two names within one edit (a letter changed, added, removed, or two neighbours swapped)
    have a common string left after at most one deletion from each; two Latin names within
    two edits are both seven letters or more, and have one after two deletions. Hangul names
    are also compared as jamo (one edit). So every pair :func:`names_are_close` accepts
    shares a key, and the keys stay few for short names.
    """
    folded = fold(name)
    keys = {"f" + variant for variant in _deletions(folded, MAX_EDITS if len(folded) >= 7 else 1)}
    keys.update("j" + variant for variant in _deletions(unicodedata.normalize("NFD", folded), 1))
    return keys


class NameIndex:
    """Names indexed by their spellings, to find close ones without comparing every two.

    Candidates share a key (:func:`_spelling_keys`); each is confirmed by
    :func:`names_are_close`, so the answers are exactly that function's.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(dict.fromkeys(names))
        self._order = {name: index for index, name in enumerate(self.names)}
        self._by_key: dict[str, list[str]] = {}
        for name in self.names:
            for key in _spelling_keys(name):
                self._by_key.setdefault(key, []).append(name)

    def close_to(self, name: str) -> list[str]:
        """The indexed names close to ``name``, in the order they were given."""
        candidates = {other for key in _spelling_keys(name) for other in self._by_key.get(key, ())}
        close = [other for other in candidates if names_are_close(name, other)]
        return sorted(close, key=self._order.__getitem__)

    def close_pairs(self) -> list[tuple[str, str]]:
        """Every ordered pair of indexed names that are close (both ways round), sorted."""
        pairs: list[tuple[str, str]] = []
        for name in self.names:
            # Each unordered pair is judged once, from its first name in index order.
            position = self._order[name]
            candidates = {other for key in _spelling_keys(name) for other in self._by_key[key]
                          if self._order[other] > position}  # fmt: skip
            for other in candidates:
                if names_are_close(name, other):
                    pairs += [(name, other), (other, name)]
        return sorted(pairs)


def suggest_from_index(name: str, index: NameIndex) -> str | None:
    """:func:`suggest_name` over the names of ``index`` (the same answer, without trying each)."""
    candidates = index.close_to(name)
    if not candidates:
        return None
    return min(candidates, key=lambda member: _edit_distance(fold(name), fold(member)))
