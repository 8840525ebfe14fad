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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.align.features import N_FILTERS, fft_size, mel_filterbank

N_CEPSTRA = 20
HOP_S = 0.010
WINDOW_S = 0.025
_CHUNK_FRAMES = 4096
#: Frames each side used for the deltas (a regression over +-2 frames, as HTK does).
DELTA_SPAN = 2
DIMENSIONS = 2 * N_CEPSTRA
#: A turn longer than this keeps this much of its frames: its most voiced pieces of PIECE_S.
MAX_TURN_S = 3.0
PIECE_S = 0.5
#: Probes of the whole episode for the bands' floors: PROBE_S every PROBE_EVERY_S.
PROBE_S = 0.2
PROBE_EVERY_S = 5.0
#: ... but at least this many probes in a short episode.
MIN_PROBES = 50
#: A speech frame's mean rise over the bands' floors, in dB.
RISE_DB = 5.0
_NEPER_DB = 10.0 / np.log(10.0)

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class VoiceFrames:
    """Feature rows of the frames that were computed (the turns' samples, see
    :func:`voice_frames`); row ``r`` is frame ``index[r]``, which covers ``index[r] * hop``
    samples on."""

    values: FloatArray
    speech: npt.NDArray[np.bool_]
    hop: int
    sample_rate: int
    index: npt.NDArray[np.int64]

    def span(self, start_ms: int, end_ms: int) -> tuple[int, int]:
        """The rows of the frames from ``start_ms`` to ``end_ms``."""
        first, last = frame_span(start_ms, end_ms, self.sample_rate, self.hop)
        return (
            int(np.searchsorted(self.index, first, side="left")),
            int(np.searchsorted(self.index, last, side="left")),
        )

    def speech_of(self, start_ms: int, end_ms: int) -> FloatArray:
        """The computed speech frames between two times."""
        first, last = self.span(start_ms, end_ms)
        rows: FloatArray = self.values[first:last][self.speech[first:last]]
        return rows

    @property
    def frame_ms(self) -> float:
        return self.hop * 1000 / self.sample_rate


def frame_span(start_ms: int, end_ms: int, sample_rate: int, hop: int) -> tuple[int, int]:
    """Frame indices from ``start_ms`` to ``end_ms`` (``last`` excluded, never before ``first``)."""
    scale = sample_rate / (1000 * hop)
    first = max(round(start_ms * scale), 0)
    return first, max(round(end_ms * scale), first)


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
    # The end frames repeated by hand: np.pad took a fifth of the features' time on
    # hundreds of short ranges.
    padded = np.concatenate([values[:1]] * DELTA_SPAN + [values] + [values[-1:]] * DELTA_SPAN)
    out = np.zeros_like(values)
    for step in range(1, DELTA_SPAN + 1):
        out += step * (
            padded[DELTA_SPAN + step : len(padded) - DELTA_SPAN + step]
            - padded[DELTA_SPAN - step : len(padded) - DELTA_SPAN - step]
        )
    out /= 2 * sum(step * step for step in range(1, DELTA_SPAN + 1))
    return out


@dataclass(frozen=True)
class _FrontEnd:
    """The aligner's framing (:func:`toolkit.align.features.log_mel`): the same FFT length,
    frame ``i`` centred on sample ``i * hop + hop / 2``, so that the log mel energies
    ``redbox align`` computed are these frames' (:func:`voice_frames`' ``energies``)."""

    hop: int
    window: int
    n_fft: int
    lead: int
    taper: FloatArray
    bank: FloatArray

    @classmethod
    def at(cls, sample_rate: int) -> _FrontEnd:
        hop = max(1, round(HOP_S * sample_rate))
        window = max(hop, round(WINDOW_S * sample_rate))
        n_fft = fft_size(window)
        bank = mel_filterbank(sample_rate, n_fft).T.astype(np.float32)
        return cls(hop, window, n_fft, (window - hop) // 2, np.hamming(window).astype(np.float32), bank)


def log_mel(
    samples: FloatArray, sample_rate: int, first: int = 0, last: int | None = None
) -> tuple[FloatArray, int]:
    """Log mel energies (natural log) of frames ``first`` to ``last`` (default: every
    frame), and the hop in samples.

    Float32 throughout, a chunk of frames at a time, so that an hour of audio never has a
    second full-length copy.
    """
    front = _FrontEnd.at(sample_rate)
    return _log_mel(samples, front, first, last), front.hop


def frame_count(samples: FloatArray, hop: int) -> int:
    return max(1, -(-len(samples) // hop))


def _log_mel(samples: FloatArray, front: _FrontEnd, first: int, last: int | None) -> FloatArray:
    hop, window = front.hop, front.window
    last = frame_count(samples, hop) if last is None else last
    out = np.empty((max(last - first, 0), N_FILTERS), dtype=np.float32)
    for start in range(first, last, _CHUNK_FRAMES):
        stop = min(last, start + _CHUNK_FRAMES)
        # As the aligner computes them, operation for operation: one sample before the
        # chunk for the pre-emphasis, the frames centred, zeros past either end.
        begin, end = start * hop - front.lead - 1, (stop - 1) * hop - front.lead + window
        segment = np.zeros(end - begin, dtype=np.float32)
        low, high = max(begin, 0), min(end, len(samples))
        if low < high:
            segment[low - begin : high - begin] = samples[low:high]
        emphasized = segment[1:] - 0.97 * segment[:-1]
        frames = np.lib.stride_tricks.sliding_window_view(emphasized, window)[::hop][: stop - start]
        power = np.abs(np.fft.rfft(frames * front.taper, front.n_fft)).astype(np.float32) ** 2
        out[start - first : stop - first] = np.log(power @ front.bank + 1e-12)
    return out


def speech_frames(energies: FloatArray, sample: FloatArray | None = None) -> npt.NDArray[np.bool_]:
    """Frames whose most-risen half of the log mel bands rise on average :data:`RISE_DB`
    over each band's floor.

    >>> quiet = np.zeros((90, N_FILTERS), np.float32)
    >>> loud = np.full((10, N_FILTERS), 2.0, np.float32)  # 2 nepers = 8.7 dB
    >>> int(speech_frames(np.concatenate([quiet, loud])).sum())
    10
    """
    floor = np.percentile(energies if sample is None else sample, 10, axis=0).astype(np.float32)
    rises = np.maximum(energies - floor, 0)
    top = np.partition(rises, N_FILTERS // 2, axis=1)[:, N_FILTERS // 2 :]
    rise = top.mean(axis=1) * np.float32(_NEPER_DB)
    speech: npt.NDArray[np.bool_] = rise > RISE_DB
    return speech


def frame_levels(samples: FloatArray, hop: int, first: int, last: int) -> FloatArray:
    """Each frame's level (dB, mean square of its ``hop`` samples), frames ``first`` to ``last``."""
    segment = samples[first * hop : last * hop]
    blocks = segment[: len(segment) // hop * hop].reshape(-1, hop)
    power = np.einsum("ij,ij->i", blocks, blocks) / np.float32(hop)
    levels: FloatArray = np.float32(_NEPER_DB) * np.log(power + np.float32(1e-12))
    return levels


def sampled_ranges(
    spans: Sequence[tuple[int, int]], samples: FloatArray, sample_rate: int, hop: int
) -> list[tuple[int, int]]:
    """The frame ranges worth computing, sorted and merged: each span's frames, or for a
    span longer than :data:`MAX_TURN_S`, its :data:`MAX_TURN_S` most voiced (pieces of
    :data:`PIECE_S` with the most frames :data:`RISE_DB` over the episode's quietest,
    by their level alone; the earliest among equals); and a probe of :data:`PROBE_S`
    every :data:`PROBE_EVERY_S` over the whole episode, which measures the floors where
    nobody speaks.

    >>> rate, hop = 1000, 10
    >>> hiss = np.full(40 * rate, 0.001, np.float32)
    >>> hiss[31 * rate : 32 * rate] = 0.5  # one loud second in a 10 s turn
    >>> ranges = sampled_ranges([(25_000, 35_000)], hiss, rate, hop)
    >>> any(first <= 3100 and last >= 3200 for first, last in ranges)  # the loud second's frames
    True
    >>> sum(last - first for first, last in ranges if 2500 <= first < 3500) <= 200 + 20 * 13
    True
    """
    count = frame_count(samples, hop)
    per_s = sample_rate / hop
    cap, piece = round(MAX_TURN_S * per_s), max(1, round(PIECE_S * per_s))
    probe, every = probe_layout(sample_rate, hop, count)
    probes = [(at, min(at + probe, count)) for at in range(0, count, every)]
    quiet = float(np.percentile(np.concatenate([frame_levels(samples, hop, *item) for item in probes]), 10))
    ranges: list[tuple[int, int]] = list(probes)
    for start_ms, end_ms in spans:
        first, last = frame_span(start_ms, end_ms, sample_rate, hop)
        first, last = min(first, count), min(last, count)
        if last - first <= cap:
            ranges.append((first, last))
            continue
        pieces = (last - first) // piece
        voiced = frame_levels(samples, hop, first, first + pieces * piece) > quiet + RISE_DB
        chosen = np.argsort(-voiced.reshape(pieces, piece).sum(axis=1), kind="stable")[: -(-cap // piece)]
        ranges.extend((first + k * piece, first + (k + 1) * piece) for k in sorted(chosen.tolist()))
    merged: list[tuple[int, int]] = []
    for first, last in sorted(item for item in ranges if item[1] > item[0]):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def probe_layout(sample_rate: int, hop: int, count: int) -> tuple[int, int]:
    """The probes' length and spacing, in frames."""
    per_s = sample_rate / hop
    probe = max(1, round(PROBE_S * per_s))
    return probe, max(1, min(round(PROBE_EVERY_S * per_s), count // MIN_PROBES))


def voice_frames(
    samples: FloatArray,
    sample_rate: int,
    spans: Sequence[tuple[int, int]] | None = None,
    *,
    energies: FloatArray | None = None,
) -> VoiceFrames:
    """The voice features of the frames in ``spans`` (the turns' times, in ms; default: the
    whole episode), each dimension normalised over the computed speech frames.

    Only what the check scores is computed (:func:`sampled_ranges`): a turn's Gaussian
    needs a few seconds of its frames, not all of them, and the audio between turns only
    tells the bands' floors, which a probe every few seconds measures as well.

    Normalising over the episode (not per turn) keeps what tells voices apart in one
    recording, and removes what the whole recording shares (microphone, level).

    ``energies`` are the log mel energies of every frame of ``samples`` when the caller
    has them already (``redbox align`` does: :attr:`toolkit.align.features.Spectrum.energies`,
    the same frames): the rows are then taken from them instead of transformed again.
    """
    front = _FrontEnd.at(sample_rate)
    count = frame_count(samples, front.hop)
    if energies is not None and energies.shape != (count, N_FILTERS):
        energies = None  # not this signal's frames (another framing): computed here
    ranges = [(0, count)] if spans is None else sampled_ranges(spans, samples, sample_rate, front.hop)
    total = sum(last - first for first, last in ranges)
    levels = np.empty((total, N_FILTERS), dtype=np.float32)
    values = np.empty((total, DIMENSIONS), dtype=np.float32)
    index = np.empty(total, dtype=np.int64)
    dct = _dct_matrix()
    row = 0
    for first, last in ranges:
        # DELTA_SPAN frames of context each side, so the deltas see past the range's ends.
        wide_first, wide_last = max(first - DELTA_SPAN, 0), min(last + DELTA_SPAN, count)
        wide = (
            _log_mel(samples, front, wide_first, wide_last)
            if energies is None
            else energies[wide_first:wide_last]
        )
        cepstra = wide @ dct
        inner = slice(first - wide_first, last - wide_first)
        size = last - first
        levels[row : row + size] = wide[inner]
        values[row : row + size, :N_CEPSTRA] = cepstra[inner]
        values[row : row + size, N_CEPSTRA:] = deltas(cepstra)[inner]
        index[row : row + size] = np.arange(first, last)
        row += size
    # The floors from the probes alone: a uniform sample of the episode, where the turns'
    # frames would leave out most of the pauses between them (and raise the floors).
    probe, every = probe_layout(sample_rate, front.hop, count)
    probes = index % every < probe
    speech = speech_frames(levels, levels[probes] if spans is not None and probes.sum() >= 10 else None)
    del levels
    reference = values[speech] if int(speech.sum()) >= 2 else values
    mean, scale = reference.mean(axis=0), reference.std(axis=0) + np.float32(1e-6)
    values -= mean
    values /= scale
    return VoiceFrames(values, speech, front.hop, sample_rate, index)
