"""Voice features: 20 MFCCs plus their deltas, every 10 ms, normalised over the episode.

The log mel energies use the aligner's filter bank (:func:`toolkit.align.features.mel_filterbank`,
40 filters, 133-6855 Hz, read-only) on 25 ms frames every 10 ms, computed in float32 (a
20 ms step was tried: with half the frames, a short turn's covariance is too poorly
estimated and one voice split into short and long turns). The cepstra differ from the
aligner's: 20 of them (c1-c20; c0, the loudness, says more about the microphone distance
than the voice) and their deltas, so that the spectral envelope's shape and motion both
count. Speech frames are those whose most-risen half of the mel bands rise, on average, :data:`RISE_DB` above
each band's own floor (its 10th percentile over the episode): white noise lifts the high
bands and hides speech from a total-energy detector, and telephone-band speech never
reaches the top bands; neither hides it from this one. Each turn keeps only its own speech
frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.align.features import N_FILTERS, mel_filterbank

N_CEPSTRA = 20
HOP_S = 0.010
WINDOW_S = 0.025
_CHUNK_FRAMES = 4096
#: Frames each side used for the deltas (a regression over +-2 frames, as HTK does).
DELTA_SPAN = 2
DIMENSIONS = 2 * N_CEPSTRA
#: A speech frame's mean rise over the bands' floors, in dB.
RISE_DB = 5.0
_NEPER_DB = 10.0 / np.log(10.0)

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class VoiceFrames:
    """Feature rows of the whole episode; frame ``i`` covers ``i * hop`` samples on."""

    values: FloatArray
    speech: npt.NDArray[np.bool_]
    hop: int
    sample_rate: int

    def span(self, start_ms: int, end_ms: int) -> tuple[int, int]:
        """The frames from ``start_ms`` to ``end_ms``, clamped to the episode."""
        scale = self.sample_rate / (1000 * self.hop)
        first = min(max(round(start_ms * scale), 0), len(self.values))
        last = min(max(round(end_ms * scale), first), len(self.values))
        return first, last

    def speech_of(self, start_ms: int, end_ms: int) -> FloatArray:
        """The speech frames between two times."""
        first, last = self.span(start_ms, end_ms)
        rows: FloatArray = self.values[first:last][self.speech[first:last]]
        return rows

    @property
    def frame_ms(self) -> float:
        return self.hop * 1000 / self.sample_rate


def _dct_matrix() -> npt.NDArray[np.float32]:
    n = np.arange(N_FILTERS)
    k = np.arange(1, N_CEPSTRA + 1)[:, None]
    matrix = np.cos(np.pi * k * (2 * n + 1) / (2 * N_FILTERS)) * np.sqrt(2.0 / N_FILTERS)
    result: npt.NDArray[np.float32] = np.ascontiguousarray(matrix.T, dtype=np.float32)
    return result


def deltas(values: FloatArray) -> FloatArray:
    """Regression deltas over +-:data:`DELTA_SPAN` frames (edges repeat the end frames).

    >>> ramp = np.arange(6, dtype=np.float32)[:, None]
    >>> deltas(ramp)[2:4, 0].tolist()
    [1.0, 1.0]
    """
    padded = np.pad(values, ((DELTA_SPAN, DELTA_SPAN), (0, 0)), mode="edge")
    out = np.zeros_like(values)
    for step in range(1, DELTA_SPAN + 1):
        out += step * (
            padded[DELTA_SPAN + step : len(padded) - DELTA_SPAN + step]
            - padded[DELTA_SPAN - step : len(padded) - DELTA_SPAN - step]
        )
    out /= 2 * sum(step * step for step in range(1, DELTA_SPAN + 1))
    return out


def log_mel(samples: FloatArray, sample_rate: int) -> tuple[FloatArray, int]:
    """Log mel energies (natural log) of every frame, and the hop in samples.

    Float32 throughout, a chunk of frames at a time, so that an hour of audio never has a
    second full-length copy.
    """
    hop = max(1, round(HOP_S * sample_rate))
    window = max(hop, round(WINDOW_S * sample_rate))
    n_fft = 1 << (window - 1).bit_length()
    count = max(1, -(-len(samples) // hop))
    taper = np.hamming(window).astype(np.float32)
    bank = np.ascontiguousarray(mel_filterbank(sample_rate, n_fft).T, dtype=np.float32)
    out = np.empty((count, N_FILTERS), dtype=np.float32)
    for start in range(0, count, _CHUNK_FRAMES):
        stop = min(count, start + _CHUNK_FRAMES)
        # One sample before the chunk for the pre-emphasis; zeros past the end.
        begin, end = start * hop - 1, (stop - 1) * hop + window
        segment = np.zeros(end - begin, dtype=np.float32)
        first, last = max(begin, 0), min(end, len(samples))
        if first < last:
            segment[first - begin : last - begin] = samples[first:last]
        emphasized = segment[1:] - np.float32(0.97) * segment[:-1]
        frames = np.lib.stride_tricks.sliding_window_view(emphasized, window)[::hop][: stop - start]
        spectrum = np.fft.rfft(frames * taper, n_fft)
        power = spectrum.real**2 + spectrum.imag**2
        out[start:stop] = np.log(power @ bank + np.float32(1e-12))
    return out, hop


def speech_frames(energies: FloatArray) -> npt.NDArray[np.bool_]:
    """Frames whose most-risen half of the log mel bands rise on average :data:`RISE_DB`
    over each band's floor.

    >>> quiet = np.zeros((90, N_FILTERS), np.float32)
    >>> loud = np.full((10, N_FILTERS), 2.0, np.float32)  # 2 nepers = 8.7 dB
    >>> int(speech_frames(np.concatenate([quiet, loud])).sum())
    10
    """
    floor = np.percentile(energies, 10, axis=0).astype(np.float32)
    rises = np.maximum(energies - floor, 0)
    top = np.partition(rises, N_FILTERS // 2, axis=1)[:, N_FILTERS // 2 :]
    rise = top.mean(axis=1) * np.float32(_NEPER_DB)
    speech: npt.NDArray[np.bool_] = rise > RISE_DB
    return speech


def voice_frames(samples: FloatArray, sample_rate: int) -> VoiceFrames:
    """The episode's voice features, each dimension normalised over its speech frames.

    Normalising over the episode (not per turn) keeps what tells voices apart in one
    recording, and removes what the whole recording shares (microphone, level).
    """
    energies, hop = log_mel(samples, sample_rate)
    speech = speech_frames(energies)
    cepstra = energies @ _dct_matrix()
    del energies
    values = np.empty((len(cepstra), DIMENSIONS), dtype=np.float32)
    values[:, :N_CEPSTRA] = cepstra
    values[:, N_CEPSTRA:] = deltas(cepstra)
    del cepstra
    reference = values[speech] if int(speech.sum()) >= 2 else values
    mean, scale = reference.mean(axis=0), reference.std(axis=0) + np.float32(1e-6)
    values -= mean
    values /= scale
    return VoiceFrames(values, speech, hop, sample_rate)
