"""An in-breath before a turn's first word is not its start (toolkit.align.breath)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from toolkit.align.breath import past_breath, past_breath_near, voicing

RATE = 16000
HOP = 160


def sound(*parts: tuple[str, float]) -> npt.NDArray[np.float32]:
    """Pieces of "noise" (a breath, a whisper), "voice" (a 150 Hz buzz with harmonics)
    or "pause" (silence), each so many seconds long."""
    generator = np.random.default_rng(3)
    pieces = []
    for kind, seconds in parts:
        count = round(seconds * RATE)
        if kind == "noise":
            pieces.append(generator.normal(0.0, 0.05, count))
        elif kind == "voice":
            t = np.arange(count) / RATE
            harmonics = [0.2 / k * np.sin(2 * np.pi * 150 * k * t) for k in range(1, 8)]
            pieces.append(np.sum(harmonics, axis=0))
        else:
            pieces.append(np.zeros(count))
    return np.concatenate(pieces).astype(np.float32)


def loud_of(samples: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
    count = len(samples) // HOP
    power = (samples[: count * HOP].astype(np.float64).reshape(count, HOP) ** 2).mean(axis=1)
    loud: npt.NDArray[np.bool_] = power > 1e-5
    return loud


def test_voicing_tells_a_voice_from_noise() -> None:
    samples = sound(("noise", 0.5), ("voice", 0.5))
    measured = voicing(samples, RATE, HOP, range(0, 90))
    assert np.median(measured[:40]) < 0.5 < 0.8 < np.median(measured[55:85])


def test_a_start_on_a_breath_moves_to_the_voice_after_the_pause() -> None:
    samples = sound(("pause", 0.5), ("noise", 0.3), ("pause", 0.1), ("voice", 1.0), ("pause", 0.5))
    loud = loud_of(samples)
    assert past_breath(50, 190, loud, samples, RATE, HOP) == 90


def test_a_start_on_a_voice_or_a_whisper_stays() -> None:
    voiced = sound(("pause", 0.5), ("voice", 0.3), ("pause", 0.1), ("voice", 1.0))
    assert past_breath(50, 190, loud_of(voiced), voiced, RATE, HOP) == 50
    whispered = sound(("pause", 0.5), ("noise", 0.3), ("pause", 0.1), ("noise", 1.0))
    assert past_breath(50, 190, loud_of(whispered), whispered, RATE, HOP) == 50


def test_a_fricative_too_short_for_a_breath_stays() -> None:
    samples = sound(("pause", 0.5), ("noise", 0.1), ("pause", 0.06), ("voice", 1.0))
    assert past_breath(50, 160, loud_of(samples), samples, RATE, HOP) == 50


def test_a_first_syllable_with_a_vowel_stays() -> None:
    """Korean 저 식당: /tɕ/, a short vowel and /s/, unvoiced for most of the run, then the
    stop closure of 식 and the voice of 당. The vowel says it is speech, not a breath."""
    samples = sound(
        ("pause", 0.5), ("noise", 0.05), ("voice", 0.1), ("noise", 0.12), ("pause", 0.12), ("voice", 1.0)
    )
    assert past_breath(50, 190, loud_of(samples), samples, RATE, HOP) == 50


def test_an_unsnapped_start_near_a_breath_moves_to_the_voice() -> None:
    """Under a music bed the path's start is not snapped to the loud run: it may fall in
    the quiet just before the breath or inside it (the falsetto clip under a bed 15 dB
    down started 70 ms before its breath, 349 ms early). Either way it moves on to the
    voice after the pause (frame 90)."""
    samples = sound(("pause", 0.5), ("noise", 0.3), ("pause", 0.1), ("voice", 1.0), ("pause", 0.5))
    loud = loud_of(samples)
    assert past_breath_near(43, 190, loud, samples, RATE, HOP) == 90  # 70 ms before it
    assert past_breath_near(50, 190, loud, samples, RATE, HOP) == 90  # on its onset
    assert past_breath_near(65, 190, loud, samples, RATE, HOP) == 90  # inside it


def test_an_unsnapped_start_away_from_a_breath_stays_where_the_path_put_it() -> None:
    """Not snapped either: far before a breath, or before a voiced run or a whisper, the
    start stays where the path put it (not on the run's onset)."""
    samples = sound(("pause", 0.5), ("noise", 0.3), ("pause", 0.1), ("voice", 1.0), ("pause", 0.5))
    assert past_breath_near(30, 190, loud_of(samples), samples, RATE, HOP) == 30  # 200 ms before it
    voiced = sound(("pause", 0.5), ("voice", 0.3), ("pause", 0.1), ("voice", 1.0))
    assert past_breath_near(45, 190, loud_of(voiced), voiced, RATE, HOP) == 45
    whispered = sound(("pause", 0.5), ("noise", 0.3), ("pause", 0.1), ("noise", 1.0))
    assert past_breath_near(45, 190, loud_of(whispered), whispered, RATE, HOP) == 45
