"""Flags for turns the acoustic-model engine (:mod:`toolkit.align.sphinx`) is unsure of.

* ``ALN012`` sphinx-poor-match: the turn's words score far worse per frame under the
  acoustic model than the episode's typical turn (``match``): the model hears
  something else there (noise, another voice, words forced onto audio that lacks them).
* ``ALN013`` sphinx-words-unplaced: the decoder squeezed words of the turn to the
  shortest time its model allows (``unplaced``): it found no room for them in the audio.

They apply only to timings the sphinx engine wrote (``# engine: sphinx``); the DTW's
``match`` is another measure on another scale.
"""

from __future__ import annotations

from toolkit.align.timings import Alignment, TurnTiming

#: A turn whose acoustic cost per frame is this many times the episode's median (ALN012).
POOR_MATCH = 2.0
#: A turn with at least this many squeezed words, and at least this share of its words (ALN013).
SQUEEZED_WORDS = 2
SQUEEZED_SHARE = 0.25


def sphinx_engine(alignment: Alignment) -> bool:
    """Whether the acoustic-model engine wrote ``alignment``."""
    return dict(alignment.meta).get("engine") == "sphinx"


def sphinx_flags(timing: TurnTiming, at: str) -> list[tuple[str, str]]:
    """``(code, message)`` for each sphinx flag ``timing`` raises; ``at`` is its start, shown."""
    flags: list[tuple[str, str]] = []
    if timing.end_ms <= timing.start_ms:
        return flags
    if timing.match >= POOR_MATCH:
        flags.append(
            (
                "ALN012",
                f"turn at {at}: its words match the acoustic model {timing.match:.1f}x worse than the "
                "episode's typical turn: noise, another voice or words the audio lacks; check it by ear",
            )
        )
    words = max(len(timing.words), 1)
    if timing.unplaced >= SQUEEZED_WORDS and timing.unplaced >= SQUEEZED_SHARE * words:
        flags.append(
            (
                "ALN013",
                f"turn at {at}: {timing.unplaced} of its {words} words were squeezed to the shortest "
                "time the acoustic model allows (not found in the audio); check it by ear",
            )
        )
    return flags
