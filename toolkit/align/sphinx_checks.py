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

import dataclasses

from toolkit.align.timings import Alignment, TurnTiming

#: A turn whose acoustic cost per frame is this many times the episode's median (ALN012).
POOR_MATCH = 2.0
#: A turn with at least this many squeezed words, and at least this share of its words (ALN013).
SQUEEZED_WORDS = 2
SQUEEZED_SHARE = 0.25
#: The DTW puts the turn's start more than this far (ms) away (ALN016).
DISAGREE_MS = 500


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
    if timing.drift_ms > DISAGREE_MS:
        flags.append(
            (
                "ALN016",
                f"turn at {at}: the DTW, run on the same audio, puts its start "
                f"{timing.drift_ms / 1000:.1f} s away: the two engines disagree; check it by ear",
            )
        )
    return flags


def with_second_opinion(found: Alignment, dtw: Alignment) -> Alignment:
    """``found`` (the acoustic model's) with each turn's ``drift_ms``, how far the DTW, run
    on the same audio, puts its start (ALN016), and the DTW's ``snr_db``, how far the
    turn's speech rises over the background around it (ALN010).

    Why the noise too: where both engines go wrong the same way, their agreement is no
    evidence. Measured on the 11 English real-speech sets: 28 of the 31 turns the acoustic
    model put over 500 ms off were flagged, the 3 others in noise (the hand-segmented
    conversation's turn that opens with *uh*, 1.63 s late, the DTW 1.26 s late); with
    ``ALN010`` 31 of 31 (docs/alignment.md, "The acoustic-model engine on real speech").
    """
    turns = tuple(
        dataclasses.replace(timing, drift_ms=abs(timing.start_ms - other.start_ms), snr_db=other.snr_db)
        if timing.end_ms > timing.start_ms and other.end_ms > other.start_ms
        else timing
        for timing, other in zip(found.turns, dtw.turns, strict=True)
    )
    return dataclasses.replace(found, turns=turns)
