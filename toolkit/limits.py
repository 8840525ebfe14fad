"""Per-language subtitle limits and how characters are counted against them.

Sources (listed with their URLs in ``docs/subtitles.md``, "Sources"): the Netflix Timed
Text Style Guides (General Requirements, English (USA), Korean), with the reading speeds as
encoded by Subtitle Edit's Netflix checker (``NetflixQualityController.cs``). English: 42
characters a line, 20 characters a second. Korean: 16 a line and 12 a second, where a Hangul
syllable (or any CJK character) counts 1 and Latin letters, digits, spaces and punctuation
count 0.5. Both: at most 2 lines, 5/6 s to 7 s a cue, 2 frames between cues.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Final

from toolkit.model import pickled_by_constructor


@dataclass(frozen=True)
class LanguageLimits:
    """What one cue may hold in one language."""

    language: str
    max_line_width: float
    max_cps: float
    max_lines: int = 2
    min_duration_ms: int = 833
    max_duration_ms: int = 7000
    #: The dash that opens each line of a two-speaker cue (Netflix: ``-`` in English, ``- `` in Korean).
    dialogue_dash: str = "-"
    #: True when characters are counted the Korean way (CJK 1, everything else 0.5).
    cjk_counting: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails

    def __hash__(self) -> int:
        # The dataclass's own hash of the fields, written out: compiled, instead of the
        # generated Python method (a build hashes limits in every cut's cache key, 75,000
        # times per 1,000 episodes). Equal limits hash equal, as before.
        return hash((self.language, self.max_line_width, self.max_cps, self.max_lines, self.min_duration_ms,
                     self.max_duration_ms, self.dialogue_dash, self.cjk_counting))  # fmt: skip


ENGLISH = LanguageLimits("en", max_line_width=42, max_cps=20)
KOREAN = LanguageLimits("ko", max_line_width=16, max_cps=12, dialogue_dash="- ", cjk_counting=True)
#: Netflix's "other languages" profile, for any language without its own entry.
OTHER = LanguageLimits("und", max_line_width=42, max_cps=17, dialogue_dash="- ")

_BY_LANGUAGE: Final = {"en": ENGLISH, "ko": KOREAN}


def base_language(tag: str) -> str:
    """The primary subtag of a BCP 47 tag, lowercased.

    >>> base_language("ko-KR")
    'ko'
    """
    return tag.replace("_", "-").split("-", 1)[0].lower()


def limits_for(language: str) -> LanguageLimits:
    """The limits for a BCP 47 language tag (``en``, ``ko``, ``ko-KR`` …).

    >>> limits_for("ko-KR").max_line_width
    16
    """
    return _BY_LANGUAGE.get(base_language(language), OTHER)


#: Hangul syllables, jamo and compatibility jamo: what makes text Korean.
HANGUL_RE = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e]")


def is_hangul(char: str) -> bool:
    """True for a Hangul syllable or jamo.

    >>> is_hangul("조"), is_hangul("A"), is_hangul("漢")
    (True, False, False)
    """
    return HANGUL_RE.match(char) is not None


def is_wide(char: str) -> bool:
    """True for Hangul and other CJK characters, which count as one full unit in Korean."""
    code = ord(char)
    return (
        0xAC00 <= code <= 0xD7A3  # Hangul syllables
        or 0x1100 <= code <= 0x11FF  # Hangul jamo
        or 0x3130 <= code <= 0x318F  # Hangul compatibility jamo
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs (Hanja)
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
    )


def char_width(char: str, limits: LanguageLimits) -> float:
    """How much one character counts against a line or reading-speed limit.

    Zero-width and combining characters count nothing: a viewer never sees them.
    """
    if unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
        return 0.0
    if limits.cjk_counting:
        return 1.0 if is_wide(char) else 0.5
    return 1.0


def text_width(text: str, limits: LanguageLimits) -> float:
    """The width of ``text`` (line breaks excluded): the sum of :func:`char_width` over it.

    Two shortcuts give the same sums: text made only of characters that count one unit
    each (printable ASCII, curly quotes, dashes, the ellipsis; in Korean, Hangul syllables
    too) is counted with ``len`` and one regex; anything else goes through a per-language
    table of the characters met so far (``str`` → width), not a function call per character.

    >>> text_width("Joy: hello", ENGLISH)
    10.0
    >>> text_width("조이: 안녕", KOREAN)
    5.0
    >>> text_width("It’s “fine” — really…", ENGLISH)
    21.0
    """
    if limits.cjk_counting:
        if _PLAIN_KOREAN.fullmatch(text):
            count = len(text) - text.count("\n")
            if count:
                # Latin, digits, spaces and punctuation count a half; each syllable a half more.
                return (count + len(_SYLLABLES.findall(text))) * 0.5
            return 0.0
    elif _PLAIN.fullmatch(text):
        count = len(text) - text.count("\n")
        return count * 1.0 if count else 0.0
    if "\n" in text:
        text = text.replace("\n", "")
    # 0.0 + w is w: the same sums as from 0, and a float for no text too (compiled, a
    # function declared to return float always does: the pure one must agree).
    return sum(map(_table(limits).__getitem__, text), 0.0)


#: Characters that count one unit each (a half in Korean): printable ASCII, line breaks (not
#: counted), curly quotes, en and em dashes, the ellipsis and the no-break space.
_PLAIN_CHARACTERS: Final = " -~\n\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0"
_PLAIN: Final = re.compile(f"[{_PLAIN_CHARACTERS}]+")
_PLAIN_KOREAN: Final = re.compile(f"[{_PLAIN_CHARACTERS}\uac00-\ud7a3]+")
_SYLLABLES: Final = re.compile("[\uac00-\ud7a3]")


class _WidthTable(dict[str, float]):
    """Each character's :func:`char_width` in one language, computed the first time it is met."""

    def __init__(self, limits: LanguageLimits) -> None:
        super().__init__()
        self.limits = limits

    def __missing__(self, char: str) -> float:
        width = self[char] = char_width(char, self.limits)
        return width


_TABLES: Final[dict[LanguageLimits, _WidthTable]] = {}


def _table(limits: LanguageLimits) -> _WidthTable:
    table = _TABLES.get(limits)
    if table is None:
        table = _TABLES[limits] = _WidthTable(limits)
    return table
