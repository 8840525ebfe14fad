"""What the styled formats (TTML, ASS) and the preview share: speaker colours, fonts, language.

Speakers get colours in the BBC's order of legibility on black (white, yellow, cyan, green:
BBC Subtitle Guidelines §8.3), in order of first appearance, unless ``[tool.redbox]
colours`` names one. Korean gets a font family that covers Hangul (Noto Sans CJK KR, the
Debian package ``fonts-noto-cjk``); other languages a common sans-serif.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from toolkit.model import Cue

#: BBC Subtitle Guidelines §8.3: the speaker colours in priority order, always on black.
PALETTE = ("#FFFFFF", "#FFFF00", "#00FFFF", "#00FF00")
#: Font families: Hangul needs a CJK font; libass and TTML renderers fall back by fontconfig.
KOREAN_FONT = "Noto Sans CJK KR"
LATIN_FONT = "Noto Sans"
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
#: Hangul syllables and jamo: text that needs a Korean font.
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


@dataclass(frozen=True)
class Styling:
    """How a styled file looks: its language, title, speaker colours (``#RRGGBB``) and font."""

    language: str = "en"
    title: str = ""
    colours: Mapping[str, str] = field(default_factory=dict)
    font: str = ""

    @property
    def font_family(self) -> str:
        """The font asked for, else the language's default (Korean: a Hangul font)."""
        if self.font:
            return self.font
        return KOREAN_FONT if base_language(self.language) == "ko" else LATIN_FONT


def base_language(language: str) -> str:
    """``ko`` for ``ko-KR``, ``ko_KR`` or ``KO``."""
    return language.replace("_", "-").split("-", 1)[0].lower()


def is_colour(value: str) -> bool:
    """``#RRGGBB``, the only colour form every target format can carry.

    >>> is_colour("#ffff00"), is_colour("yellow")
    (True, False)
    """
    return bool(_HEX_COLOUR.match(value))


def speakers_in_order(cues: Sequence[Cue]) -> list[str]:
    """Every named speaker of ``cues``, in order of first appearance."""
    seen: dict[str, None] = {}
    for cue in cues:
        for part in cue.parts:
            if part.speaker:
                seen.setdefault(part.speaker, None)
    return list(seen)


def speaker_colours(speakers: Sequence[str], configured: Mapping[str, str] = {}) -> dict[str, str]:
    """Each speaker's colour: the configured one, else the next of :data:`PALETTE` (cycling).

    >>> speaker_colours(["Joy", "Dasom", "Ilhyeok"], {"Dasom": "#FF8800"})
    {'Joy': '#FFFFFF', 'Dasom': '#FF8800', 'Ilhyeok': '#FFFF00'}
    """
    colours: dict[str, str] = {}
    next_colour = 0
    for speaker in speakers:
        if speaker in configured:
            colours[speaker] = configured[speaker].upper()
        else:
            colours[speaker] = PALETTE[next_colour % len(PALETTE)]
            next_colour += 1
    return colours
