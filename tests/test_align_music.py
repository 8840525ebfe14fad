"""The speech/music discriminator (toolkit.align.music): music alone is background, and a
turn never starts in it. Measured on real recordings in tests/test_align_realspeech.py."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from toolkit.align.features import spectrum
from toolkit.align.music import MUSIC_STEADINESS, find_music, past_music, start_steadiness


def chord(seconds: float, rate: int = 16000) -> npt.NDArray[np.float32]:
    """Held notes, a new one every half second: steady, like played music."""
    time = np.arange(round(seconds * rate)) / rate
    pitch = np.array([220.0, 330.0, 277.2, 440.0])[(time * 2).astype(int) % 4]
    tune: npt.NDArray[np.float32] = (
        0.2 * np.sin(2 * np.pi * pitch * time) + 0.1 * np.sin(4 * np.pi * pitch * time)
    ).astype(np.float32)
    return tune


def hiss(seconds: float, rate: int = 16000) -> npt.NDArray[np.float32]:
    """Bursts of noise, 4 a second: sound whose fine spectrum never holds, as a voice's
    does not (real voices are measured in tests/test_align_realspeech.py)."""
    time = np.arange(round(seconds * rate)) / rate
    gate = (np.sin(2 * np.pi * 4 * time) > -0.6).astype(np.float32)
    return (0.1 * np.random.default_rng(4).normal(size=len(time)) * gate).astype(np.float32)


def test_held_notes_are_music_alone_and_unsteady_sound_is_not() -> None:
    samples = np.concatenate([chord(4.0), hiss(4.0)])
    music = find_music(samples, 16000, spectrum(samples, 16000).energy_db)
    assert music.alone[50:350].all()
    assert not music.alone[450:].any()
    assert np.nanmax(music.steady[450:]) < MUSIC_STEADINESS


def test_a_start_found_in_music_moves_on_to_the_voice() -> None:
    steady = np.full(500, 0.3, dtype=np.float32)
    steady[100:180] = 0.9  # music until frame 180
    steady[180:190] = np.nan  # then a quiet moment
    assert past_music(120, 400, steady) == 190
    assert past_music(200, 400, steady) == 200  # a start in the voice stays
    assert past_music(120, 200, steady) == 120  # never into the turn's last 300 ms
    assert start_steadiness(100, steady) == 0.9
    assert start_steadiness(190, steady) == 0.3
    assert start_steadiness(600, steady) == 0.0


def test_a_start_in_anti_correlated_sound_is_written_as_not_steady() -> None:
    # The median correlation can fall below 0 (-0.39 after the intro of the real-speech
    # set en_clips_intro): written as is, `redbox check` refused the timings file.
    steady = np.full(100, -0.39, dtype=np.float32)
    assert start_steadiness(0, steady) == 0.0
