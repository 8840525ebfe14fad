"""MFCC features in numpy: 13 cepstra from 40 mel filters (133-6855 Hz, as aeneas uses).

Frames are 25 ms long every 10 ms. The log mel energies are floored 50 dB under the
mean level of the signal's speech, so digital silence (synthesized pauses) and the quiet pauses of
a recording land on comparable values; each cepstrum is then normalized to zero mean
and unit variance over the signal (CMVN), which removes the channel and voice level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

HOP_S = 0.010
WINDOW_S = 0.025
N_FILTERS = 40
N_CEPSTRA = 13
LOW_HZ = 133.0
HIGH_HZ = 6855.0
FLOOR_DB = 50.0
_BLEND_DB = 10.0
_CHUNK_FRAMES = 2048
#: Frames per Fourier transform call inside a chunk.
_FFT_ROWS = 256

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Features:
    """One feature row per frame; frame ``i`` starts at sample ``i * hop``."""

    values: FloatArray
    hop: int
    sample_rate: int
    #: Log energy of every frame, in dB (before flooring), for silence checks.
    energy_db: FloatArray
    #: What a frame of pure background looks like after normalization.
    silence: FloatArray

    def frame_ms(self, frame: int | float) -> int:
        """The time of frame ``frame`` in milliseconds."""
        return round(frame * self.hop * 1000 / self.sample_rate)

    def frame_at(self, ms: int) -> int:
        """The frame nearest to ``ms``, clamped to the signal."""
        frame = round(ms * self.sample_rate / (1000 * self.hop))
        return min(max(frame, 0), max(len(self.values) - 1, 0))


def _hz_to_mel(hz: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 2595.0 * np.log10(1.0 + hz / 700.0)


def _mel_to_hz(mel: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)


def mel_filterbank(sample_rate: int, n_fft: int, warp: float = 1.0) -> npt.NDArray[np.float64]:
    """Triangular mel filters, shape ``(N_FILTERS, n_fft // 2 + 1)``.

    With ``warp`` over 1 every filter's frequencies are divided by it: a voice whose
    formants lie ``warp`` times higher (a shorter vocal tract) reads, through the plain
    filters, as this signal reads through these (:mod:`toolkit.align.warping`).
    """
    edges_mel = np.linspace(
        _hz_to_mel(np.array(LOW_HZ)),
        _hz_to_mel(np.array(min(HIGH_HZ, sample_rate / 2))),
        N_FILTERS + 2,
    )
    edges = _mel_to_hz(edges_mel) / warp
    bins = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)
    bank = np.zeros((N_FILTERS, len(bins)))
    for index in range(N_FILTERS):
        low, centre, high = edges[index], edges[index + 1], edges[index + 2]
        rising = (bins - low) / (centre - low)
        falling = (high - bins) / (high - centre)
        bank[index] = np.maximum(0.0, np.minimum(rising, falling))
    return bank


def _dct_matrix() -> npt.NDArray[np.float64]:
    n = np.arange(N_FILTERS)
    k = np.arange(N_CEPSTRA)[:, None]
    matrix: npt.NDArray[np.float64] = np.cos(np.pi * k * (2 * n + 1) / (2 * N_FILTERS)) * np.sqrt(
        2.0 / N_FILTERS
    )
    return matrix


def padded_slice(samples: FloatArray, begin: int, end: int) -> FloatArray:
    """``samples[begin:end]`` with zeros where the range runs past either end."""
    out = np.zeros(end - begin, dtype=np.float32)
    first, last = max(begin, 0), min(end, len(samples))
    if first < last:
        out[first - begin : last - begin] = samples[first:last]
    return out


def fft_size(window: int) -> int:
    """The FFT length for ``window`` samples: the next power of two, unless a length with
    no prime factor over 5 (as quick to transform) is over a quarter shorter (551 samples
    at 22.05 kHz -> 576, not 1024; 400 at 16 kHz stays 512).

    >>> fft_size(400), fft_size(551), fft_size(1000)
    (512, 576, 1024)
    """
    power = 1 << (window - 1).bit_length()
    smooth = _smooth_size(window)
    return smooth if smooth < 0.75 * power else power


def _smooth_size(window: int) -> int:
    size = window
    while True:
        rest = size
        for prime in (2, 3, 5):
            while rest % prime == 0:
                rest //= prime
        if rest == 1:
            return size
        size += 1


def log_mel(samples: FloatArray, sample_rate: int, warp: float = 1.0) -> tuple[FloatArray, FloatArray, int]:
    """Log mel energies (natural log) of every frame, each frame's log energy, and the hop.

    ``warp`` scales the filters' frequencies down (:func:`mel_filterbank`). Works through
    the signal a chunk of frames at a time, so that an hour of audio never has a second
    full-length copy.
    """
    found, hop = log_mels(samples, sample_rate, (warp,))
    energies, energy = found[0]
    return energies, energy, hop


def log_mels(
    samples: FloatArray, sample_rate: int, warps: Sequence[float], pool: int = 1
) -> tuple[list[tuple[FloatArray, FloatArray]], int]:
    """:func:`log_mel` under each of ``warps``, from one Fourier transform of the signal:
    the first warp's every frame, the others' averaged over groups of ``pool`` frames
    (:func:`pool_frames`; ``pool`` must divide the chunk size, 2048), which take a
    ``pool``-th of the memory."""
    if _CHUNK_FRAMES % pool:
        raise ValueError(f"pool {pool} does not divide {_CHUNK_FRAMES} frames")
    hop = max(1, round(HOP_S * sample_rate))
    window = max(hop, round(WINDOW_S * sample_rate))
    n_fft = fft_size(window)
    # Frame i is centred on sample i * hop + hop / 2: leading padding keeps frame times
    # honest, which matters at the edges of speech.
    lead = (window - hop) // 2
    count = max(1, -(-len(samples) // hop))
    taper = np.hamming(window).astype(np.float32)
    banks = [mel_filterbank(sample_rate, n_fft, warp).T.astype(np.float32) for warp in warps]
    sizes = [count] + [-(-count // pool)] * (len(warps) - 1)
    outs = [np.empty((size, N_FILTERS), dtype=np.float32) for size in sizes]
    energies = [np.empty(size, dtype=np.float32) for size in sizes]
    for start in range(0, count, _CHUNK_FRAMES):
        stop = min(count, start + _CHUNK_FRAMES)
        # One sample before the chunk for the pre-emphasis (flattens the speech tilt).
        begin = start * hop - lead - 1
        segment = padded_slice(samples, begin, (stop - 1) * hop - lead + window)
        emphasized = segment[1:] - 0.97 * segment[:-1]
        frames = np.lib.stride_tricks.sliding_window_view(emphasized, window)[::hop][: stop - start]
        # The transform a few hundred frames at a time (its complex output is 16 bytes a
        # bin): the same numbers, a quarter of the memory; the filter banks then take the
        # whole chunk at once, as the chunk's size decides the matrix product's rounding.
        power = np.empty((stop - start, n_fft // 2 + 1), dtype=np.float32)
        for first_row in range(0, stop - start, _FFT_ROWS):
            part = frames[first_row : first_row + _FFT_ROWS]
            power[first_row : first_row + len(part)] = (
                np.abs(np.fft.rfft(part * taper, n_fft)).astype(np.float32) ** 2
            )
        for index, (bank, out, energy) in enumerate(zip(banks, outs, energies, strict=True)):
            mel = power @ bank
            logs, total = np.log(mel + 1e-12), np.log(mel.sum(axis=1) + 1e-12)
            if index == 0:
                out[start:stop], energy[start:stop] = logs, total
            else:
                first, last = start // pool, -(-stop // pool)
                out[first:last] = pool_frames(logs, pool)
                energy[first:last] = pool_frames(total[:, None], pool)[:, 0]
    return list(zip(outs, energies, strict=True)), hop


def pool_frames(values: FloatArray, factor: int) -> FloatArray:
    """The mean of every group of ``factor`` rows of ``values``; the last group, when
    short, is padded with the last row (the DTW's coarse frames, and the warp trials').

    >>> pool_frames(np.array([[1.0], [3.0], [5.0]], dtype=np.float32), 2).tolist()
    [[2.0], [5.0]]
    """
    if factor <= 1:
        return values
    count = -(-len(values) // factor)
    padded = np.zeros((count * factor, values.shape[1]), dtype=np.float32)
    padded[: len(values)] = values
    padded[len(values) :] = values[-1]
    pooled: FloatArray = padded.reshape(count, factor, values.shape[1]).mean(axis=1)
    return pooled


#: Frames per block of the local background estimate (250 ms).
_BLOCK = 25
#: Blocks either side a frame's background is judged over (5 s).
_REACH_BLOCKS = 20


def local_floor(energy_db: FloatArray) -> FloatArray:
    """The background level around every frame, in dB: local, so that hiss behind one
    speaker and a quiet room behind another each get their own floor.

    The energy's 10th percentile is taken per 250 ms block; a frame's floor is the
    higher of the lowest quarter of those block floors over the 5 s before it and over
    the 5 s after it. Taking the higher side keeps the hiss that starts with a noisy
    recording out of the speech, even right after a quiet one; taking a low quantile on
    each side keeps 5 s of speech without a pause from lifting the floor into it.
    """
    if len(energy_db) == 0:
        return energy_db.copy()
    floor: FloatArray = _local_low(energy_db[:, None])[:, 0]
    return floor


def _local_low(values: FloatArray) -> FloatArray:
    """:func:`local_floor` of every column of ``values`` (frames x channels) at once.

    Edges are padded with the nearest values (not NaN: ``nanpercentile`` loops in Python).
    """
    count, channels = values.shape
    blocks = -(-count // _BLOCK)
    padded = np.pad(values, ((0, blocks * _BLOCK - count), (0, 0)), mode="edge")
    block_floor = np.percentile(padded.reshape(blocks, _BLOCK, channels), 10, axis=1)
    reach = min(_REACH_BLOCKS, blocks)
    extended = np.pad(block_floor, ((reach - 1, reach - 1), (0, 0)), mode="edge")
    # One window of ``reach`` blocks ending at each block, and one starting at each.
    lows = np.percentile(np.lib.stride_tricks.sliding_window_view(extended, reach, axis=0), 25, axis=2)
    before, after = lows[:blocks], lows[reach - 1 : reach - 1 + blocks]
    low: FloatArray = np.repeat(np.maximum(before, after), _BLOCK, axis=0)[:count].astype(np.float32)
    return low


def loud_frames(energy_db: FloatArray) -> npt.NDArray[np.bool_]:
    """Frames louder than the local noise floor by a margin: a simple energy voice detector.

    The floor is :func:`local_floor`; the threshold sits a third of the way from it to
    the signal's 95th percentile, at least 6 dB and at most 20 dB above the floor.
    """
    floor = local_floor(energy_db)
    top = float(np.percentile(energy_db, 95))
    margin = np.clip((top - floor) / 3.0, 6.0, 20.0)
    result: npt.NDArray[np.bool_] = energy_db > floor + margin
    return result


@dataclass(frozen=True)
class Spectrum:
    """Log mel energies of a signal, before flooring and normalization."""

    energies: FloatArray
    hop: int
    sample_rate: int
    energy_db: FloatArray
    loud: npt.NDArray[np.bool_]

    @property
    def background_db(self) -> float:
        """The background's level relative to the speech (dB, negative): a rough SNR.

        >>> rng = np.random.default_rng(1)
        >>> tone = np.sin(np.arange(16000) / 3).astype(np.float32)
        >>> noisy = np.concatenate([tone, np.zeros(16000, np.float32)]) + rng.normal(0, 0.01, 32000)
        >>> round(spectrum(noisy.astype(np.float32), 16000).background_db)
        -27
        """
        energy = self.energy_db
        return float(np.percentile(energy, 10) - np.percentile(energy, 95))

    @property
    def speech_level(self) -> float:
        """Mean log mel energy of the loud frames."""
        return float(self.energies[self.loud].mean())

    def noise_profile(self) -> FloatArray:
        """Per filter, the background level (20th percentile) relative to the speech level."""
        quiet = self.energies[~self.loud] if int((~self.loud).sum()) >= 10 else self.energies
        profile: FloatArray = (np.percentile(quiet, 50, axis=0) - self.speech_level).astype(np.float32)
        return profile


def subtract_background(source: Spectrum, keep_db: float) -> Spectrum:
    """``source`` with its local background taken out of every mel band (spectral subtraction).

    Each band's background is estimated like :func:`local_floor`; its power is subtracted,
    leaving at least the background ``keep_db`` dB down, so that steady noise (hiss, a hum,
    a music bed) weighs far less in the features than the voice over it.
    """
    # In place, one array at a time: an hour is 360,000 frames of 40 bands.
    noise_power = np.exp(_local_low(source.energies))
    energies = np.exp(source.energies)
    np.subtract(energies, noise_power, out=energies)
    noise_power *= np.float32(10 ** (-keep_db / 10))
    np.maximum(energies, noise_power, out=energies)
    energies += np.float32(1e-12)
    np.log(energies, out=energies)
    return Spectrum(energies, source.hop, source.sample_rate, source.energy_db, source.loud)


#: A voice detector's frames replace the loud frames only when they hold this much voice (1 s).
MIN_VOICE_FRAMES = 100
#: ... and when more than this share of the loud frames is no voice: the energy detector's
#: "speech" is then mostly something else (a music bed, an intro). Measured: clean real
#: recordings 0.00-0.19 (English clips with laughter the highest), real voices over a
#: music bed or after a music intro 0.39-0.87, espeak-ng episodes 0.01.
NOT_VOICE_SHARE = 0.3


def with_voice(source: Spectrum, voice: npt.NDArray[np.bool_] | None) -> Spectrum:
    """``source`` whose speech (:attr:`Spectrum.loud`: the speech level, the background
    profile and the cepstra's statistics) is only its loud frames that a voice detector
    (:mod:`toolkit.align.vad`) calls a voice, when most of what is loud is no voice (a
    music bed: :data:`NOT_VOICE_SHARE`). ``source`` itself otherwise, without the
    detector, or when that leaves under a second of speech.

    >>> zeros = np.zeros((400, 2), np.float32)
    >>> heard = Spectrum(zeros, 160, 16000, zeros[:, 0], np.arange(400) >= 100)
    >>> int(with_voice(heard, np.arange(400) < 250).loud.sum())  # half the loud frames a voice
    150
    >>> int(with_voice(heard, np.arange(400) < 350).loud.sum())  # most of them: as it was
    300
    """
    if voice is None or len(voice) != len(source.energies):
        return source
    speech = source.loud & voice
    if int(speech.sum()) < MIN_VOICE_FRAMES or not mostly_no_voice(source.loud, voice):
        return source
    return Spectrum(source.energies, source.hop, source.sample_rate, source.energy_db, speech)


def mostly_no_voice(heard: npt.NDArray[np.bool_], voice: npt.NDArray[np.bool_]) -> bool:
    """Whether more than :data:`NOT_VOICE_SHARE` of the ``heard`` frames are no ``voice``
    (``False`` when nothing is heard).

    >>> mostly_no_voice(np.ones(10, dtype=bool), np.arange(10) < 7)  # 3 of 10 are no voice
    False
    """
    return int((heard & ~voice).sum()) > NOT_VOICE_SHARE * int(heard.sum())


def spectrum(samples: FloatArray, sample_rate: int, warp: float = 1.0) -> Spectrum:
    """The log mel spectrum of ``samples`` and its loud (speech) frames."""
    return spectra(samples, sample_rate, (warp,))[0]


def spectra(samples: FloatArray, sample_rate: int, warps: Sequence[float], pool: int = 1) -> list[Spectrum]:
    """:func:`spectrum` under each of ``warps`` (:func:`mel_filterbank`), transformed once:
    the first at every frame, the others pooled (:func:`log_mels`), their speech frames
    the first's, pooled (a group is speech when most of its frames are)."""
    found, hop = log_mels(samples, sample_rate, warps, pool)
    result: list[Spectrum] = []
    pooled_loud: npt.NDArray[np.bool_] | None = None
    for energies, frame_energy in found:
        energy_db = (frame_energy * np.float32(10.0 / np.log(10.0))).astype(np.float32)
        if not result:
            loud = loud_frames(energy_db)
            if int(loud.sum()) < 10:
                loud = np.ones(len(energies), dtype=np.bool_)
            result.append(Spectrum(energies, hop, sample_rate, energy_db, loud))
            continue
        if pooled_loud is None:
            pooled_loud = pool_frames(result[0].loud.astype(np.float32)[:, None], pool)[:, 0] > 0.5
        result.append(Spectrum(energies, hop * pool, sample_rate, energy_db, pooled_loud))
    return result


def cepstra(
    source: Spectrum,
    noise: FloatArray | None = None,
    silence: FloatArray | None = None,
    *,
    every_frame: bool = False,
    local: bool = False,
) -> Features:
    """Floor, take cepstra and normalize a :class:`Spectrum`: MFCCs, CMVN over the loud
    frames, or over every frame with ``every_frame``.

    ``noise`` is a background profile (:meth:`Spectrum.noise_profile`) of the recording
    this signal is compared with: synthetic speech has digital silence, so it gets the
    recording's background as a per-filter floor (adding noise, in the log-max sense),
    and the two silences look alike. ``silence`` is that recording's
    :attr:`Features.silence`, which this signal's background frames are moved onto.
    With ``local`` and ``every_frame`` (a noisy recording), each frame is normalized by
    the statistics of the frames around it (:func:`_normalize_locally`), not the whole
    signal's.
    """
    energies = source.energies.copy()
    level = source.speech_level
    floor = np.full(energies.shape[1], level - FLOOR_DB * np.log(10.0) / 10.0, dtype=np.float32)
    if noise is not None:
        np.maximum(floor, level + noise, out=floor)
    np.maximum(energies, floor, out=energies)
    dct = _dct_matrix().T.astype(np.float32)
    values = (energies @ dct).astype(np.float32)
    # Clean audio: statistics from the loud frames, the speech itself. Noisy audio: from
    # every frame, as the loud frames are then too few and too random (measured at 5 dB
    # SNR). Both signals of one alignment use the same choice.
    if local and every_frame:
        own_silence = _normalize_locally(values, floor @ dct)
    else:
        reference = values if every_frame else values[source.loud]
        mean, scale = reference.mean(axis=0), reference.std(axis=0) + 1e-6
        values -= mean
        values /= scale
        own_silence = ((floor @ dct - mean) / scale).astype(np.float32)
    if silence is not None:
        # Each signal's silence sits at its own offset after normalization (the voices'
        # means differ); frames at the floor are moved onto the other signal's silence,
        # frames rising up to 10 dB above it partly, so that silence matches silence.
        rise = (energies - floor).mean(axis=1)
        weight = np.clip(rise / (_BLEND_DB * np.log(10.0) / 10.0), 0.0, 1.0)[:, None]
        values += (1.0 - weight) * (silence - own_silence)
        own_silence = silence
    return Features(values, source.hop, source.sample_rate, source.energy_db, own_silence)


def _normalize_locally(values: FloatArray, floor_cepstra: npt.NDArray[np.float32]) -> FloatArray:
    """Normalize ``values`` in place, each frame to zero mean and unit variance over the
    frames within 5 s of it (whole 250 ms blocks, the neighbourhood :func:`local_floor`
    judges the background over); returns the background's cepstra so normalized (the
    median over the blocks), the signal's :attr:`Features.silence`.

    Why: in noise the cepstra of a real voice against espeak-ng's cost about as much as
    the background's, and one mean and variance for the whole file let a stretch where
    the noise or the voice changes weigh on the rest. Measured on the real-speech sets
    (docs/alignment.md): white noise 15 and 5 dB down, median start error 124 -> 77 ms
    and 253 -> 56 ms; windows of 10 s or more either side do worse, 2.5 s about the same.
    """
    count, channels = values.shape
    blocks = -(-count // _BLOCK)
    padded = np.pad(values, ((0, blocks * _BLOCK - count), (0, 0)), mode="edge")
    padded = padded.reshape(blocks, _BLOCK, channels)
    zero = np.zeros((1, channels))
    sums = np.concatenate((zero, np.cumsum(padded.sum(axis=1, dtype=np.float64), axis=0)))
    squares = np.concatenate((zero, np.cumsum(np.square(padded).sum(axis=1, dtype=np.float64), axis=0)))
    del padded
    index = np.arange(blocks)
    low = np.clip(index - _REACH_BLOCKS, 0, blocks)
    high = np.clip(index + _REACH_BLOCKS + 1, 0, blocks)
    frames = ((high - low) * _BLOCK)[:, None]
    mean = (sums[high] - sums[low]) / frames
    scale = np.sqrt(np.maximum((squares[high] - squares[low]) / frames - mean**2, 0.0)) + 1e-6
    for start in range(0, count, 65536):  # in blocks: no second copy of an hour's features
        block = np.arange(start, min(count, start + 65536)) // _BLOCK
        values[start : start + 65536] -= mean[block].astype(np.float32)
        values[start : start + 65536] /= scale[block].astype(np.float32)
    silence: FloatArray = np.median((floor_cepstra - mean) / scale, axis=0).astype(np.float32)
    return silence
