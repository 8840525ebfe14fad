"""Words and pronunciations for the acoustic-model aligner (:mod:`toolkit.align.sphinx`).

A turn's spoken text (notes in brackets and parentheses left out) is cut into the
tokens the CMU pronouncing dictionary spells (lower case, apostrophes kept, hyphens and
other punctuation split). A token the dictionary lacks (a name such as Dasom, a Korean
romanisation, a number) is pronounced by espeak-ng (IPA) mapped onto the model's ARPABET
phones; what cannot be mapped is left to the model's generic speech unit ``+SPN+``.

No pocketsphinx import here: this module is plain text work, tested on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.align.timings import spoken_text, word_spans

#: Characters kept in a dictionary token; anything else splits or is dropped.
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*'?")

#: IPA (as espeak-ng writes it for English voices) to ARPABET, longest first. Stress
#: and length marks are dropped; the model's phones carry no stress.
_IPA_TO_ARPABET = (
    ("tʃ", "CH"), ("dʒ", "JH"), ("aɪ", "AY"), ("aʊ", "AW"), ("eɪ", "EY"), ("oʊ", "OW"),
    ("ɔɪ", "OY"), ("əʊ", "OW"), ("ɛə", "EH R"), ("ɪə", "IH R"), ("ʊə", "UH R"), ("ɑː", "AA"),
    ("ɔː", "AO"), ("iː", "IY"), ("uː", "UW"), ("ɜː", "ER"), ("ɚ", "ER"), ("ɝ", "ER"),
    ("æ", "AE"), ("ɐ", "AH"), ("ə", "AH"), ("ʌ", "AH"), ("ɑ", "AA"), ("ɒ", "AA"),
    ("ɔ", "AO"), ("ɛ", "EH"), ("e", "EH"), ("ɪ", "IH"), ("i", "IY"), ("ʊ", "UH"),
    ("u", "UW"), ("a", "AA"), ("o", "OW"), ("ᵻ", "IH"), ("ɾ", "T"), ("ʔ", ""),
    ("b", "B"), ("d", "D"), ("f", "F"), ("ɡ", "G"), ("g", "G"), ("h", "HH"), ("j", "Y"),
    ("k", "K"), ("l", "L"), ("m", "M"), ("n", "N"), ("ŋ", "NG"), ("p", "P"), ("ɹ", "R"),
    ("r", "R"), ("s", "S"), ("ʃ", "SH"), ("t", "T"), ("θ", "TH"), ("ð", "DH"), ("v", "V"),
    ("w", "W"), ("z", "Z"), ("ʒ", "ZH"), ("x", "HH"), ("ç", "HH"), ("ɬ", "L"), ("ɫ", "L"),
)  # fmt: skip
_IGNORED = set("ˈˌːˑ‿.-_ \u0303\u0329\u032f")

#: A note in square brackets naming a sound ("[laughs]", "[sighs]", "[applause]"): heard,
#: though not words. Other notes ("(Through interpreter)", "[in North Korea]") are not heard.
_SOUND_NOTE = re.compile(
    r"\[\s*(?:laugh|chuckl|giggl|sigh|cough|applau|music|cr(?:y|ies)|sob|sniff|gasp|groan|breath|scream)"
    r"[a-z ]*\]",
    re.IGNORECASE,
)

#: The model's generic speech unit: a word nothing else can pronounce.
SPEECH_UNIT = "+SPN+"


@dataclass(frozen=True)
class TurnWords:
    """The tokens of one turn and, for each whitespace word of its text, its first token.

    ``first_token[k]`` is the index (into ``tokens``) of word ``k``'s first token, or
    ``None`` when the word is only a note or punctuation. ``opens_with_note`` is true
    when a sound note (``[laughs]``, :data:`_SOUND_NOTE`) comes before the first spoken
    word: the turn's sound starts before its first word.
    """

    tokens: tuple[str, ...]
    first_token: tuple[int | None, ...]
    opens_with_note: bool


def turn_words(text: str) -> TurnWords:
    """Cut a turn's text into dictionary tokens.

    >>> turn_words("[laughs] Dasom's mother-in-law, 1990s!").tokens
    ("dasom's", 'mother', 'in', 'law', '1990s')
    >>> turn_words("[laughs] Dasom's mother-in-law, 1990s!").first_token
    (None, 0, 1, 4)
    >>> turn_words("[Laughs] Yes.").opens_with_note, turn_words("(Through interpreter) Yes.").opens_with_note
    (True, False)
    """
    spoken = spoken_text(text)
    tokens: list[str] = []
    first: list[int | None] = []
    for start, end in word_spans(text):
        found = _TOKEN.findall(spoken[start:end].lower().replace("\u2019", "'"))
        first.append(len(tokens) if found else None)
        tokens.extend(token.rstrip("'") or token for token in found)
    opens_with_note = bool(_SOUND_NOTE.match(text.lstrip())) and bool(tokens)
    return TurnWords(tuple(tokens), tuple(first), opens_with_note)


def arpabet_from_ipa(ipa: str) -> str:
    """ARPABET phones for espeak-ng's IPA, or ``""`` when a sound has no mapping.

    >>> arpabet_from_ipa("dˈæsəm")
    'D AE S AH M'
    >>> arpabet_from_ipa("pjɑːŋjˈɑːŋ")
    'P Y AA NG Y AA NG'
    """
    phones: list[str] = []
    position = 0
    while position < len(ipa):
        if ipa[position] in _IGNORED:
            position += 1
            continue
        for sound, arpabet in _IPA_TO_ARPABET:
            if ipa.startswith(sound, position):
                phones.extend(arpabet.split())
                position += len(sound)
                break
        else:
            return ""
    return " ".join(phones)
