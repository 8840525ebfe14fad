"""A voice-activity detector trained on real voices: Silero VAD, run with onnxruntime.

The energy detector (:mod:`toolkit.align.edges`) hears any loud sound as speech, and
the music discriminator (:mod:`toolkit.align.music`) only steady notes. Silero VAD
(MIT, Silero Team; the model file ``data/silero_vad_16k_sequence.onnx`` is copied
unchanged from the ``silero-vad`` 6.2.3 wheel, licence in ``data/SILERO_VAD_LICENSE``)
tells a voice from music and noise: a small recurrent network over 32 ms windows of
16 kHz audio, carrying its state from one window to the next.

The "sequence" export of the model takes a block of up to 512 windows in one call
(the same probabilities as the window-by-window model), so a 10-minute recording is
about 40 calls, not 19,000. onnxruntime is an optional dependency (``redbox[vad]``):
without it :func:`speech_probability` returns ``None`` and the aligner keeps its energy
detector alone.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from toolkit.align.features import Spectrum, mostly_no_voice, with_voice

FloatArray = npt.NDArray[np.float32]

#: The model's rate, window and the context each window carries from the one before.
RATE = 16_000
WINDOW = 512
CONTEXT = 64
#: A window is speech from this probability on (the model's own default threshold; 0.3
#: and 0.7 gave the real-speech sets nearly the same figures, docs/alignment.md).
THRESHOLD = 0.5
#: Windows per call (16.4 s): one block's features at a time, whatever the recording's length.
BLOCK = 512
MODEL = "silero_vad_16k_sequence.onnx"
#: In music, the checks' speech is what lies within this many frames (0.3 s) of a frame
#: the detector calls a voice. 0.15 and 0.5 s flag the same turns off by over 500 ms on
#: the real-speech sets, and 75 and 79 right turns instead of 76 (docs/alignment.md).
VOICE_PAD = 30


@lru_cache(maxsize=1)
def _session() -> Any | None:
    """The model's onnxruntime session (one thread), or ``None`` without onnxruntime."""
    try:
        import onnxruntime
    except ImportError:
        return None
    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = 1
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    model = resources.files("toolkit.align.data").joinpath(MODEL).read_bytes()
    return onnxruntime.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])


def available() -> bool:
    """Whether the detector can run (onnxruntime is installed)."""
    return _session() is not None


def _at_16k(samples: FloatArray, sample_rate: int, first: int, count: int) -> FloatArray:
    """Samples ``first`` to ``first + count`` of the recording at 16 kHz (linear
    interpolation: the recording is 16-24 kHz already, :mod:`toolkit.align.audio`)."""
    if sample_rate == RATE:
        piece = samples[first : first + count]
        out: FloatArray = np.zeros(count, dtype=np.float32)
        out[: len(piece)] = piece
        return out
    times = (np.arange(first, first + count, dtype=np.float64)) * (sample_rate / RATE)
    low = int(times[0])
    high = min(len(samples), int(times[-1]) + 2)
    if low >= len(samples):
        return np.zeros(count, dtype=np.float32)
    source = samples[low:high].astype(np.float64)
    return np.interp(times, np.arange(low, high, dtype=np.float64), source, right=0.0).astype(np.float32)


def window_probability(samples: FloatArray, sample_rate: int) -> FloatArray | None:
    """The probability of speech in every 32 ms window of the recording (window ``j``
    holds 16 kHz samples ``512 j`` to ``512 (j + 1)``), or ``None`` without onnxruntime."""
    session = _session()
    if session is None:
        return None
    total = int(len(samples) * RATE / sample_rate)
    windows = -(-total // WINDOW)
    hidden = np.zeros((1, 1, 128), dtype=np.float32)
    cell = np.zeros((1, 1, 128), dtype=np.float32)
    context = np.zeros(CONTEXT, dtype=np.float32)
    probabilities: FloatArray = np.zeros(windows, dtype=np.float32)
    for first in range(0, windows, BLOCK):
        count = min(BLOCK, windows - first)
        frames = _at_16k(samples, sample_rate, first * WINDOW, count * WINDOW).reshape(count, WINDOW)
        block = np.empty((count, CONTEXT + WINDOW), dtype=np.float32)
        block[0, :CONTEXT] = context
        block[1:, :CONTEXT] = frames[:-1, -CONTEXT:]
        block[:, CONTEXT:] = frames
        context = frames[-1, -CONTEXT:].copy()
        feed = {"input": block, "h": hidden, "c": cell}
        values, hidden, cell = session.run(["speech_probs", "hn", "cn"], feed)
        probabilities[first : first + count] = np.asarray(values, dtype=np.float32).reshape(-1)
    return probabilities


def speech_probability(samples: FloatArray, sample_rate: int, hop: int, frames: int) -> FloatArray | None:
    """The detector's probability of speech at each of ``frames`` feature frames
    (frame ``i`` starts at sample ``i * hop``; read at its centre, 12.5 ms in), or
    ``None`` without onnxruntime."""
    windows = window_probability(samples, sample_rate)
    if windows is None:
        return None
    if len(windows) == 0:
        return np.zeros(frames, dtype=np.float32)
    centre = (np.arange(frames, dtype=np.float64) * hop + 0.0125 * sample_rate) * (RATE / sample_rate)
    index = np.minimum((centre // WINDOW).astype(np.int64), len(windows) - 1)
    result: FloatArray = windows[index]
    return result


def voice_frames(
    samples: FloatArray, sample_rate: int, hop: int, frames: int
) -> npt.NDArray[np.bool_] | None:
    """The feature frames the detector calls speech (:data:`THRESHOLD`), or ``None``
    without onnxruntime."""
    probability = speech_probability(samples, sample_rate, hop, frames)
    return None if probability is None else probability >= THRESHOLD


def around(voice: npt.NDArray[np.bool_], reach: int) -> npt.NDArray[np.bool_]:
    """The frames within ``reach`` frames of a frame of ``voice``.

    >>> around(np.array([0, 0, 0, 1, 0, 0, 0, 0], dtype=bool), 2).astype(int).tolist()
    [0, 1, 1, 1, 1, 1, 0, 0]
    """
    if reach <= 0 or len(voice) == 0:
        return voice.copy()
    counts = np.convolve(voice.astype(np.float32), np.ones(2 * reach + 1, dtype=np.float32), "same")
    result: npt.NDArray[np.bool_] = counts > 0.5
    return result


def voice_speech(
    recording: Spectrum, samples: FloatArray, sample_rate: int
) -> tuple[Spectrum, npt.NDArray[np.bool_] | None]:
    """``recording`` whose speech is its loud frames that are a voice, and the frames near
    a voice (:data:`VOICE_PAD`), when most of its loud frames are no voice (a music bed, an
    intro: :func:`toolkit.align.features.with_voice`); ``(recording, None)`` otherwise or
    without onnxruntime.

    Why: the energy detector counted the music as speech, so the synthetic pauses were
    floored at the room's silence between clips, far under the music, and the music
    matched no pause; and every turn in music had "speech in no turn" (ALN004). Measured
    in docs/alignment.md (a voice detector).
    """
    voiced = voice_frames(samples, sample_rate, recording.hop, len(recording.energy_db))
    speech = with_voice(recording, voiced)
    if speech is recording or voiced is None:
        return recording, None
    return speech, around(voiced, VOICE_PAD)


def under_a_bed(
    heard: npt.NDArray[np.bool_], voice: npt.NDArray[np.bool_], music_alone: npt.NDArray[np.bool_]
) -> bool:
    """Whether what is heard outside the stretches of music alone is mostly no voice
    (:data:`~toolkit.align.features.NOT_VOICE_SHARE`): a music bed under the talk, not
    clean talk after an intro. ``heard`` are the loud frames, ``voice`` those a voice.

    Measured (loud frames outside music alone that are no voice): a bed 15 or 5 dB under
    the talk 0.55-0.87, clean talk after 20 s of music 0.11.

    >>> heard = np.ones(10, dtype=bool)
    >>> under_a_bed(heard, np.arange(10) < 5, np.arange(10) < 2)  # 5 of 8 are no voice
    True
    >>> under_a_bed(heard, np.arange(10) < 8, np.arange(10) >= 8)  # the rest is music
    False
    """
    return mostly_no_voice(heard & ~music_alone, voice)
