"""Hangul to Latin letters by the Revised Romanization of Korean, for episode slugs.

The Revised Romanization (Ministry of Culture and Tourism notice 2000-8, published by the
National Institute of Korean Language: https://www.korean.go.kr/front_eng/roman/roman_01.do)
writes each syllable's initial consonant, vowel and final consonant, and spells the sound
changes between syllables that are regular: a final consonant carried onto a following
vowel (백암 Baegam), nasalisation (백마 Baengma, 왕십리 Wangsimni), ㄹ next to ㄴ or ㄹ
(신라 Silla, 별내 Byeollae), palatalisation (해돋이 haedoji) and ㅎ merging into the next
consonant (좋고 joko). Changes that depend on the word (the ㄴ added in 학여울 Hangnyeoul,
the exception 신문로 Sinmunno) are not guessed: a slug only has to be readable and stable.

A syllable U+AC00 + (initial × 21 + vowel) × 28 + final decomposes by division (Unicode
chapter 3.12, "Conjoining Jamo Behavior").
"""

from __future__ import annotations

_FIRST, _LAST = 0xAC00, 0xD7A3
_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
             "h")
_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
           "wi", "yu", "eu", "ui", "i")
#: Finals by their index (0: none): ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ
#: ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ, as each sounds at the end of a syllable
#: (before a consonant or a pause) ...
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
           "t", "ng", "t", "t", "k", "t", "p", "t")
#: ... and as each is carried onto a following vowel (the syllable's initial is ㅇ): what stays
#: behind and what moves (넋이 neoksi, 앉아 anja, 않아 ana, 싫어 sireo, 좋아 joa).
_CARRIED = (("", ""), ("", "g"), ("", "kk"), ("k", "s"), ("", "n"), ("n", "j"), ("", "n"), ("", "d"),
            ("", "r"), ("l", "g"), ("l", "m"), ("l", "b"), ("l", "s"), ("l", "t"), ("l", "p"), ("", "r"),
            ("", "m"), ("", "b"), ("p", "s"), ("", "s"), ("", "ss"), ("ng", ""), ("", "j"), ("", "ch"),
            ("", "k"), ("", "t"), ("", "p"), ("", ""))
_NIEUN, _RIEUL, _MIEUM, _IEUNG, _HIEUT = 2, 5, 6, 11, 18  # initial indexes
_FINAL_HIEUT, _FINAL_D, _FINAL_T = 27, 7, 25
_NASAL = {"k": "ng", "t": "n", "p": "m"}
_ASPIRATED = {0: "k", 3: "t", 12: "ch"}  # ㅎ before ㄱ ㄷ ㅈ


def _parts(char: str) -> tuple[int, int, int] | None:
    code = ord(char)
    if not _FIRST <= code <= _LAST:
        return None
    index = code - _FIRST
    return index // (21 * 28), index // 28 % 21, index % 28


def _join(final: int, following: tuple[int, int, int] | None) -> tuple[str, str | None]:
    """How a syllable's final is written before ``following`` (None: a pause), and the next
    syllable's initial when the two change each other (None: the initial as it is)."""
    if following is None:
        return _FINALS[final], None
    initial, vowel, _ = following
    if initial == _IEUNG:
        if final in (_FINAL_D, _FINAL_T) and vowel == 20:  # 해돋이 haedoji, 같이 gachi
            return "", "j" if final == _FINAL_D else "ch"
        kept, moved = _CARRIED[final]
        return kept, moved
    if final == _FINAL_HIEUT and initial in _ASPIRATED:
        return "", _ASPIRATED[initial]
    sound = _FINALS[final]
    if initial == _RIEUL:
        if sound in ("n", "l"):  # 신라 Silla, 울릉 Ulleung
            return "l", "l"
        if sound:  # 종로 Jongno, 십리 Simni
            return _NASAL.get(sound, sound), "n"
    if initial in (_NIEUN, _MIEUM):
        if sound == "l" and initial == _NIEUN:  # 별내 Byeollae
            return "l", "l"
        return _NASAL.get(sound, sound), None  # 백마 Baengma
    return sound, None


def romanize_hangul(text: str) -> str:
    """``text`` with every Hangul syllable romanized; anything else is left as it is.

    >>> romanize_hangul("북한 사람들"), romanize_hangul("신라"), romanize_hangul("왕십리")
    ('bukhan saramdeul', 'silla', 'wangsimni')
    >>> romanize_hangul("Red Box: 설특집")
    'Red Box: seolteukjip'
    """
    out: list[str] = []
    carried: str | None = None
    for index, char in enumerate(text):
        parts = _parts(char)
        if parts is None:
            out.append(char)
            carried = None
            continue
        initial, vowel, final = parts
        following = _parts(text[index + 1]) if index + 1 < len(text) else None
        written_final, carried_next = _join(final, following)
        out.append((_INITIALS[initial] if carried is None else carried) + _VOWELS[vowel] + written_final)
        carried = carried_next
    return "".join(out)
