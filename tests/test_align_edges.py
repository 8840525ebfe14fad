"""Turn edges snapped onto the voice detector's speech (toolkit.align.edges)."""

from __future__ import annotations

import numpy as np

from toolkit.align.edges import Levels, snap, speech_onsets

#: 10 ms frames: a quiet room, then a faint sound or a soft syllable, then a loud voice.
ROOM_DB, VOICE_DB = -60.0, 0.0


def levels(pieces: list[tuple[int, float]]) -> tuple[Levels, np.ndarray]:
    """Frame energies from (frames, dB) pieces; every frame over the room counts as speech
    (as the voice detector, which closes short pauses, hears these runs)."""
    energy = np.concatenate([np.full(count, level, dtype=np.float32) for count, level in pieces])
    loud = energy > ROOM_DB + 20
    return Levels(energy, energy > VOICE_DB - 10), loud


def test_a_start_where_the_voice_rises_is_not_moved_back_over_a_faint_hum() -> None:
    # 1 s of room, 400 ms of hum 25 dB under the voice, then 1 s of voice.
    found, speech = levels([(100, ROOM_DB), (40, VOICE_DB - 25), (100, VOICE_DB), (60, ROOM_DB)])
    spans = snap([(140, 240)], speech, speech_onsets(speech), 75, found)
    assert spans[0][0] == 140
    # Without the levels (as before), the start went back onto the hum's onset.
    assert snap([(140, 240)], speech, speech_onsets(speech), 75)[0][0] == 100


def test_a_start_in_the_pause_after_a_soft_first_syllable_still_moves_back() -> None:
    # A soft syllable 20 dB under the next (Korean 안 before 녕하세요), a 150 ms dip
    # the voice detector closes, and the path's start in that dip.
    found, speech = levels([(100, ROOM_DB), (25, VOICE_DB - 20), (15, ROOM_DB + 25), (100, VOICE_DB)])
    spans = snap([(130, 240)], speech, speech_onsets(speech), 75, found)
    assert spans[0][0] == 100


def test_a_short_weak_consonant_is_kept_as_the_start() -> None:
    # 120 ms of a weak fricative 20 dB under the vowel: shorter than a lead-in.
    found, speech = levels([(100, ROOM_DB), (12, VOICE_DB - 20), (100, VOICE_DB)])
    spans = snap([(112, 212)], speech, speech_onsets(speech), 75, found)
    assert spans[0][0] == 100
