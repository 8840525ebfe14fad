"""ALN010 (turn in noise) tells a reverberant room from noise (issue 12, honest flags).

A room's echo fills the pauses a background level is read from, so a floor taken from
every pause called each turn of a clean recording in a reverberant room "in noise"
(measured on the Korean real-speech sets: 38 of 45 right turns flagged in a studio flat,
45 of 45 in a dance studio). The echo falls away after each stop; noise does not.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tests.test_align_realspeech import conversation, with_white_noise
from toolkit.align.aligner import align_turns
from toolkit.align.audio import Audio
from toolkit.align.background import settled_frames, turn_snr_db
from toolkit.align.checks import alignment_problems
from toolkit.align.features import local_floor
from toolkit.model import Transcript


def in_a_room(audio: Audio, rt60_s: float, direct_to_reverberant_db: float) -> Audio:
    """``audio`` played in a room: a direct path and an exponentially decaying diffuse
    tail (Gaussian noise falling 60 dB over ``rt60_s``, the usual statistical model of
    a room's impulse response), the tail's energy ``direct_to_reverberant_db`` under the
    direct sound's."""
    rate = audio.sample_rate
    time = np.arange(int(rt60_s * rate)) / rate
    tail = np.random.default_rng(5).normal(0.0, 1.0, len(time)) * 10 ** (-3.0 * time / rt60_s)
    tail[: int(0.005 * rate)] = 0.0  # the first reflections arrive a few ms after the direct sound
    tail *= np.sqrt(10 ** (-direct_to_reverberant_db / 10) / float(np.sum(tail**2)))
    tail[0] = 1.0
    wet = np.convolve(audio.samples.astype(np.float64), tail)[: len(audio.samples)]
    return Audio((wet * (0.5 / np.abs(wet).max())).astype(np.float32), rate)


def noise_flags(transcript: Transcript, audio: Audio) -> list[int]:
    alignment = align_turns(transcript.turns, "en", audio)
    return sorted(p.line for p in alignment_problems(transcript, alignment) if p.code == "ALN010")


def test_real_voices_in_a_reverberant_room_are_not_flagged_as_in_noise() -> None:
    """A 1 s reverberation time with as much echo as direct sound (a phone across a bare
    room). Before: the echo lifted the pauses' floor and 3 of the 6 turns were flagged
    (16-20 dB "over the background"); measured now 62-73 dB."""
    transcript, audio, _truth = conversation()
    assert noise_flags(transcript, in_a_room(audio, 1.0, 0.0)) == []


def test_the_same_voices_in_white_noise_are_still_flagged_as_in_noise() -> None:
    """Noise goes on through every pause: white noise 15 dB under the speech is measured
    as before (2-17 dB), and every turn is flagged."""
    transcript, audio, _truth = conversation()
    assert noise_flags(transcript, with_white_noise(audio, 15.0)) == [turn.line for turn in transcript.turns]


def _talk_in_a_room(background_db: float) -> npt.NDArray[np.float32]:
    """Frame energies (dB): 1 s phrases at 0 dB with 0.4 s pauses, a 1.5 s pause after
    every fourth, each stop followed by a tail falling 0.6 dB a frame (60 dB/s: an RT60
    of 1 s) from -20 dB down to ``background_db``."""
    energy: list[float] = []
    for phrase in range(16):
        pause = 150 if phrase % 4 == 3 else 40
        energy += [0.0] * 100 + [max(background_db, -20.0 - 0.6 * k) for k in range(pause)]
    return np.array(energy, dtype=np.float32)


def test_a_decaying_tail_is_not_background_but_steady_noise_is() -> None:
    turn = (1340, 1440)  # the tenth phrase, mid-recording
    quiet_room = _talk_in_a_room(-70.0)
    # The floor read from every pause is the tail's, 35 dB over the room's -70 dB ...
    assert float(np.median(local_floor(quiet_room)[slice(*turn)])) > -40.0
    # ... the background read where the tail has settled is the room's.
    for background in (-70.0, -15.0):
        energy = _talk_in_a_room(background)
        snr = turn_snr_db(energy, local_floor(energy), settled_frames(energy > background + 10), *turn)
        assert abs(snr + background) <= 1.0, (background, snr)


def test_speech_without_a_settled_pause_falls_back_on_the_local_floor() -> None:
    energy = np.zeros(400, dtype=np.float32)
    assert turn_snr_db(energy, energy - 12.0, settled_frames(energy > -25.0), 100, 300) == 12.0
