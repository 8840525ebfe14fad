"""A speech/music discriminator: stretches of music alone, which the aligner takes for
background, and how steady the sound is around every frame.

The energy voice detector (:func:`toolkit.align.features.loud_frames`) hears music as
speech. This module tells them apart by the stability of the fine spectrum: a voice's
pitch and formants glide, so its harmonics move between frames 60 ms apart, while a
played note holds its pitch for its whole length (the tonality cue of Sell and Clark,
ICASSP 2014). Scheirer and Slaney's classic features (ICASSP 1997: 4 Hz modulation
energy, the share of low-energy frames, spectral flux) did not separate the real-speech
sets: a tracker module's notes start and stop like syllables (docs/alignment.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.align.features import HOP_S, fft_size, padded_slice

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

#: Fine spectra: 64 ms windows (a voice's harmonics resolved), every third 10 ms frame,
#: each compared with the one 60 ms before, over 100-3000 Hz.
_WINDOW_S = 0.064
_STRIDE = 3
_LAG = 2
_LOW_HZ, _HIGH_HZ = 100.0, 3000.0
_CHUNK = 2048
#: Windows (in strides of 30 ms either side) a frame's steadiness is judged over: half a
#: second for music alone, a quarter for the start of a turn.
_REACH_ALONE = 17
_REACH_EDGE = 8
#: The share of a turn edge's window that must be heard for its steadiness to count.
_EDGE_HEARD = 0.75

#: A stretch is music alone when its steadiness reaches this ...
MUSIC_STEADINESS = 0.82
#: ... for at least this long (10 ms frames: 1 s).
MUSIC_MIN_FRAMES = 100
#: Frames this far (dB) over the recording's quiet level (its 10th percentile) are judged.
_HEARD_DB = 6.0
#: When more than this share of the heard frames counts as music, the discriminator is
#: not trusted (a sung or strangely monotone voice; an episode is mostly talk): nothing
#: is marked. Not lower: 90 s of intro before 100 s of talk must still be found.
_MAX_SHARE = 0.8


@dataclass(frozen=True)
class Music:
    """What the discriminator found, per 10 ms frame."""

    #: Frames in stretches (1 s or more) of music and no voice.
    alone: BoolArray
    #: Steadiness over the quarter second around each frame (NaN where it is quiet).
    steady: FloatArray
    #: The same where sound goes on all around the frame (a bed, not a pause): NaN
    #: where under 3/4 of the quarter second is heard.
    steady_around: FloatArray


def _rates(sample_rate: int) -> tuple[int, int]:
    """How many samples the fine spectra average into one (the rate stays above twice
    3 kHz: a third of the FFT work at 22.05 kHz), and the full rate's 10 ms hop, which
    that factor divides exactly, so that frames line up with the features'."""
    hop = max(1, round(HOP_S * sample_rate))
    factor = max(1, int(sample_rate // (2 * _HIGH_HZ * 1.6)))
    while hop % factor:
        factor -= 1
    return factor, hop


def _similarity(samples: FloatArray, sample_rate: int, heard: BoolArray) -> FloatArray:
    """Every third frame's correlation between its log spectrum and the one 60 ms
    before (NaN where either frame is not ``heard``). Works a chunk at a time: an hour
    never has a second full-length copy."""
    factor, hop = _rates(sample_rate)
    rate = sample_rate // factor
    step = hop * _STRIDE // factor  # in averaged samples
    window = fft_size(round(_WINDOW_S * rate))
    count = -(-len(heard) // _STRIDE)
    bins = np.fft.rfftfreq(window, 1.0 / rate)
    band = (bins > _LOW_HZ) & (bins < _HIGH_HZ)
    taper = np.hanning(window).astype(np.float32)
    similarity = np.full(count, np.nan, dtype=np.float32)
    for start in range(0, count, _CHUNK):
        stop = min(count, start + _CHUNK)
        first = max(0, start - _LAG)  # a chunk's first frames pair with the last chunk's
        # Frame i is centred on sample i * stride + hop / 2, as log_mel centres its frames.
        begin = first * hop * _STRIDE + hop // 2 - window * factor // 2
        length = ((stop - 1 - first) * step + window) * factor
        segment = padded_slice(samples, begin, begin + length)
        if factor > 1:  # neighbours averaged (strided sums: a reshaped mean is slow)
            averaged = segment[::factor].copy()
            for offset in range(1, factor):
                averaged += segment[offset::factor]
            segment = averaged / np.float32(factor)
        frames = np.lib.stride_tricks.sliding_window_view(segment, window)[::step][: stop - first]
        spectra = np.abs(np.fft.rfft(frames * taper, window))[:, band]
        logs = np.log(spectra * spectra + 1e-10).astype(np.float32)
        logs -= logs.mean(axis=1, keepdims=True)
        logs /= np.linalg.norm(logs, axis=1, keepdims=True) + 1e-9
        similarity[first + _LAG : stop] = (logs[_LAG:] * logs[:-_LAG]).sum(axis=1)
    kept = heard[::_STRIDE][:count].copy()
    kept[_LAG:] &= kept[:-_LAG]
    kept[:_LAG] = False
    similarity[~kept] = np.nan
    return similarity


def _window_median(
    similarity: FloatArray, reach: int, frames: int, *, heard_share: float = 0.0
) -> FloatArray:
    """The median of ``similarity`` over ``reach`` strides either side of every 10 ms
    frame, its NaN left out (NaN where the window holds nothing else, or less than
    ``heard_share`` of it is heard)."""
    padded = np.pad(similarity, (reach, reach - 1), constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * reach)
    counts = (~np.isnan(windows)).sum(axis=1)
    counts[counts < heard_share * 2 * reach] = 0
    ordered = np.sort(np.nan_to_num(windows, nan=np.inf), axis=1)  # NaN sort last
    median = np.full(len(similarity), np.nan, dtype=np.float32)
    rows = np.flatnonzero(counts)
    median[rows] = (ordered[rows, (counts[rows] - 1) // 2] + ordered[rows, counts[rows] // 2]) / 2
    result: FloatArray = np.repeat(median, _STRIDE)[:frames]
    return result


def steadiness(
    samples: FloatArray, sample_rate: int, heard: BoolArray, reach: int = _REACH_ALONE
) -> FloatArray:
    """How alike the fine spectrum stays over 60 ms around every 10 ms frame (up to 1;
    NaN where it is quiet): the median correlation between log spectra 60 ms apart over
    the ``heard`` frames within ``reach`` strides of 30 ms (half a second by default).

    On the real-speech sets a voice's value stays under 0.80 (99th percentile; 0.88 at
    most under a music bed 5 dB down), a tracker module's intro over 0.85 (95 %);
    espeak-ng's English and Korean voices stay under 0.84.
    """
    return _window_median(_similarity(samples, sample_rate, heard), reach, len(heard))


def find_music(samples: FloatArray, sample_rate: int, energy_db: FloatArray) -> Music:
    """Stretches of music alone and every frame's steadiness (:class:`Music`)."""
    heard = energy_db > np.float32(np.percentile(energy_db, 10) + _HEARD_DB)
    similarity = _similarity(samples, sample_rate, heard)
    marked = np.nan_to_num(_window_median(similarity, _REACH_ALONE, len(heard)), nan=0.0) >= MUSIC_STEADINESS
    edges = np.flatnonzero(np.diff(np.concatenate(([0], marked.view(np.int8), [0]))))
    alone = np.zeros(len(marked), dtype=np.bool_)
    for begin, end in zip(edges[::2], edges[1::2], strict=True):
        if end - begin >= MUSIC_MIN_FRAMES:
            alone[begin:end] = True
    if alone.sum() > _MAX_SHARE * max(int(heard.sum()), 1):
        alone[:] = False
    # A start is moved (past_music) only where the sound goes on all around it: the
    # few frames of a voice's onset after silence can be as steady as a note (espeak-ng's
    # Korean reaches 0.91 there; moving on them cost a synthetic fixture 24 ms).
    return Music(
        alone,
        _window_median(similarity, _REACH_EDGE, len(heard)),
        _window_median(similarity, _REACH_EDGE, len(heard), heard_share=_EDGE_HEARD),
    )


def past_music(start: int, end: int, steady: FloatArray, *, limit: int = 200) -> int:
    """A turn start moved past steady sound (music) it was found in, onto the first
    frame where a voice could begin (steadiness under :data:`MUSIC_STEADINESS`), at most
    ``limit`` frames on and never into the turn's last 300 ms; ``start`` itself when the
    sound there is not steady. Real turn onsets measured stay under 0.80."""
    if start >= len(steady) or not steady[start] >= MUSIC_STEADINESS:
        return start
    stop = min(start + limit, end - 30, len(steady))
    ahead = steady[start:stop]
    voiced = np.flatnonzero(ahead < MUSIC_STEADINESS)  # NaN (quiet) compares False
    return start + int(voiced[0]) if len(voiced) else start


def start_steadiness(start: int, steady: FloatArray, frames: int = 30) -> float:
    """How steady the first ``frames`` (300 ms) after ``start`` sound: the median of
    their :attr:`Music.steady`, 0 when they are quiet (ALN018 reads it). A negative
    median (log spectra anti-correlated, as under white noise) is 0 too: the timings
    file's ``steady`` column takes 0 to 1."""
    heard = steady[max(start, 0) : max(start, 0) + frames]
    heard = heard[~np.isnan(heard)]
    return max(round(float(np.median(heard)), 2), 0.0) if len(heard) else 0.0
