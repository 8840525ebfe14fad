"""An in-breath before a turn's first word is not the turn's start.

A speaker often breathes in audibly just before talking: a few tenths of a second of
breathy noise, a short pause, then the voice. The energy voice detector closes pauses
under 150 ms (stops inside words), so breath and word make one run of "speech", and a
turn start snapped to that run's onset lands on the breath, 300-370 ms early (measured
on a real recording: `tests/test_align_realspeech.py`). What tells them apart is
voicing: a breath is noise (no pitch), a word that follows it soon has a voiced sound.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from toolkit.align.edges import runs

FloatArray = npt.NDArray[np.float32]

#: The breath: unvoiced sound lasting this many 10 ms frames (a word's first
#: fricative, such as the /s/ of "still", is usually shorter).
BREATH_FRAMES = (15, 60)
#: The pause between breath and voice: at least this many frames, at most this many.
PAUSE_FRAMES = (5, 50)
#: Voicing (normalized autocorrelation peak, 60-700 Hz): a breath's median stays under
#: the first, a voice's over the second in the 100 ms after the pause (a whispered word
#: has voiced-looking frames too, but not most of them).
UNVOICED, VOICED = 0.5, 0.8
#: A voiced stretch this long (frames) inside the run is a vowel, not a breath: Korean
#: 저 식당 opens with /tɕ/, a 100 ms vowel and /s/, unvoiced for most of its 280 ms.
VOWEL_FRAMES = 5


def voicing(samples: FloatArray, sample_rate: int, hop: int, frames: range) -> FloatArray:
    """How periodic the sound is at each frame of ``frames`` (0-1): the highest
    normalized autocorrelation over 40 ms at lags of a voice's pitch (60-700 Hz)."""
    window = round(0.040 * sample_rate)
    shortest, longest = max(1, sample_rate // 700), sample_rate // 60
    out = np.zeros(len(frames), dtype=np.float32)
    for index, frame in enumerate(frames):
        piece = samples[frame * hop : frame * hop + window].astype(np.float64)
        if len(piece) < window:
            break
        piece = piece - piece.mean()
        spectrum = np.fft.rfft(piece, 2 * window)
        correlation = np.fft.irfft(np.abs(spectrum) ** 2)[:window]
        if correlation[0] > 0:
            out[index] = float(correlation[shortest:longest].max() / correlation[0])
    return out


def past_breath(
    first: int, last: int, loud: npt.NDArray[np.bool_], samples: FloatArray, sample_rate: int, hop: int
) -> int:
    """``first`` moved past an in-breath it starts on, or as it is.

    The turn starts on a breath when the loud run at ``first`` (``loud``: frames over
    the background, pauses not closed) is unvoiced for 150-600 ms (mostly, and with no
    voiced stretch of 50 ms: no vowel), then comes a pause of 50-500 ms, and the sound
    after the pause is voiced (most of its first 100 ms); the start moves to the end of
    that pause (never into the turn's last 300 ms).
    """
    count = len(loud)
    if not 0 <= first < count or not loud[first]:
        return first
    end = first
    while end < min(count, first + BREATH_FRAMES[1] + 1) and loud[end]:
        end += 1
    if not BREATH_FRAMES[0] <= end - first <= BREATH_FRAMES[1]:
        return first
    voice = end
    while voice < min(count, end + PAUSE_FRAMES[1] + 1) and not loud[voice]:
        voice += 1
    if not PAUSE_FRAMES[0] <= voice - end <= PAUSE_FRAMES[1] or voice >= last - 30:
        return first
    breath = voicing(samples, sample_rate, hop, range(first, end))
    longest_voiced = max((stop - begin for begin, stop in runs(breath >= VOICED)), default=0)
    if float(np.median(breath)) >= UNVOICED or longest_voiced >= VOWEL_FRAMES:
        return first
    after = voicing(samples, sample_rate, hop, range(voice, min(voice + 10, count)))
    return voice if len(after) and float(np.median(after)) >= VOICED else first


#: An unsnapped start (under a music bed) is judged on the loud run it falls in, or on
#: the one beginning this many frames after it at most (the path's own start error).
NEAR_FRAMES = 10


def past_breath_near(
    first: int, last: int, loud: npt.NDArray[np.bool_], samples: FloatArray, sample_rate: int, hop: int
) -> int:
    """:func:`past_breath` for a start the path placed without snapping it to speech
    (a voice under a music bed): the loud run ``first`` falls in, or the one beginning
    within :data:`NEAR_FRAMES` after it, is checked for an in-breath; the start moves to
    the voice after it, or stays where the path put it."""
    count = len(loud)
    if not 0 <= first < count:
        return first
    onset = first
    if loud[onset]:
        while onset > max(0, first - BREATH_FRAMES[1]) and loud[onset - 1]:
            onset -= 1
    else:
        while onset < min(count, first + NEAR_FRAMES + 1) and not loud[onset]:
            onset += 1
        if onset >= count or not loud[onset]:
            return first
    moved = past_breath(onset, last, loud, samples, sample_rate, hop)
    return moved if moved != onset else first
