"""The synthetic voice's spectrum warped towards the recording's speakers (VTLN).

A speaker's formants sit at frequencies set by the length of the vocal tract: a shorter
tract puts every formant higher by about the same factor. espeak-ng's voices are one
tract; real speakers differ from it by up to about 20 %, and a real voice matched
against espeak-ng costs about as much per frame as the background does, so the DTW's
path rests on near-ties (docs/alignment.md). Vocal tract length normalization (Lee and
Rose 1998; Eide and Gish 1996) picks the frequency warp that makes one speaker's
spectra match the model best; here the synthetic episode's mel filters are scaled by
each factor in :data:`WARPS`, a coarse DTW matches it against the recording (the plain
voice over the whole band, the others near the plain voice's path), and for each speaker
the factor whose paths cost least over that speaker's frames wins if it is clearly
cheaper: a man and a woman in one episode each get their own. Only the spectrum's shape
is warped; which frames are speech, and how loud, stay the plain filters'. Nothing in it
knows the words or the language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from toolkit.align import dtw
from toolkit.align.features import Features, Spectrum, cepstra, pool_frames, spectra, spectrum

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

#: Warp factors tried: the real speakers' formants over espeak-ng's (1.0: as synthesized).
WARPS = (1.0, 1.05, 1.1, 1.15, 1.2)
#: Coarse frames (10 ms each) of the trial alignments, and their band's half-width.
TRIAL_FACTOR = 16
TRIAL_BAND_MS = 60_000
#: The warped spectra are kept averaged over this many frames (half the memory).
SPECTRUM_POOL = 2
#: The warps after the first are searched this close (ms) to the plain voice's path.
NEAR_MS = 5_000
#: A warp is taken only when its path costs this share less than the plain voice's.
MARGIN = 0.05
#: A voice heard for less than this (ms) takes the episode's warp, not its own.
VOICE_MIN_MS = 30_000


def warped_synthetic(
    synthetic: FloatArray,
    synth_rate: int,
    real: Features,
    background: FloatArray,
    *,
    every_frame: bool,
    warps: tuple[float, ...] = WARPS,
    voices: Sequence[tuple[int, int, int]] = (),
) -> tuple[Features, tuple[float, ...]]:
    """The synthetic episode's features under the warps that match ``real`` best, and
    those warps, one per voice.

    ``voices`` says who speaks where: ``(start, end, voice)`` spans of synthetic samples
    (a turn's clip and its speaker's index, from 0); a frame in no span (a pause) belongs
    to the voice before it. Without spans the whole episode is voice 0. Each voice keeps
    the first of ``warps``, the plain voice, unless another costs at least
    :data:`MARGIN` less over the recording's frames that voice's words match; a voice
    that speaks under :data:`VOICE_MIN_MS` takes the warp the episode as a whole would
    (too few frames to tell warps apart). ``background`` and ``every_frame`` are as for
    :func:`~toolkit.align.features.cepstra`; with one warp there is nothing to try.

    The trials compare coarse frames only: the warped spectra are kept averaged over
    :data:`SPECTRUM_POOL` frames as they are computed (one Fourier transform for all,
    half the memory; over 4 frames one Korean set lost its warp), and every warp taken,
    unless it is the plain voice, is computed again at every frame."""
    if len(warps) == 1:
        alone = spectrum(synthetic, synth_rate, warps[0])
        features = cepstra(alone, background, real.silence, every_frame=every_frame)
        return features, (warps[0],) * _voice_count(voices)
    coarse_real = pool_frames(real.values, TRIAL_FACTOR)
    skip = ((coarse_real - real.silence) ** 2).sum(axis=1)
    plain_spectrum, *warped_trials = spectra(synthetic, synth_rate, warps, SPECTRUM_POOL)
    rest = TRIAL_FACTOR // SPECTRUM_POOL

    def coarse_of(trial: Spectrum) -> FloatArray:
        return pool_frames(cepstra(trial, background, real.silence, every_frame=every_frame).values, rest)

    # Each warped spectrum is let go once its coarse frames are taken, before the plain
    # voice's cepstra at every frame (the stage's peak memory).
    coarse = [coarse_of(_pooled(plain_spectrum, SPECTRUM_POOL))]
    while warped_trials:
        coarse.append(coarse_of(warped_trials.pop(0)))
    plain = cepstra(plain_spectrum, background, real.silence, every_frame=every_frame)
    half = max(4, round(TRIAL_BAND_MS / (10 * TRIAL_FACTOR)))
    low, high = dtw.diagonal_band(len(coarse_real), len(coarse[0]), half)
    plain_path = dtw.align(coarse_real, coarse[0], low, high, None, open_ends=True, skip=skip)
    row_costs = [frame_costs(coarse_real, coarse[0], plain_path, skip)]
    # The other warps move the path locally, not by minutes: each is searched near the
    # plain voice's path (a sixth of the cells of the whole band).
    near = max(4, round(NEAR_MS / (10 * TRIAL_FACTOR)))
    low = plain_path.first_col - near
    high = np.minimum(plain_path.last_col + near + 1, len(coarse[0]))
    for synthetic_coarse in coarse[1:]:
        path = dtw.align(coarse_real, synthetic_coarse, low, high, None, open_ends=True, skip=skip)
        row_costs.append(frame_costs(coarse_real, synthetic_coarse, path, skip))
    costs = np.stack(row_costs)
    owners = frame_voices(voices, len(plain.values), plain.hop)
    # Whose words each recording frame matches on the plain voice's path (frames it
    # leaves unmatched, an intro or an outro, go with the first or the last column).
    plain_cols = np.clip((plain_path.first_col + plain_path.last_col) // 2, 0, len(coarse[0]) - 1)
    middles = np.minimum(plain_cols * TRIAL_FACTOR + TRIAL_FACTOR // 2, len(owners) - 1)
    row_voices = owners[middles]
    episode_warp = _cheapest(warps, costs.mean(axis=1))
    chosen = []
    for voice in range(_voice_count(voices)):
        rows = row_voices == voice
        if rows.sum() * TRIAL_FACTOR * 10 < VOICE_MIN_MS:
            chosen.append(episode_warp)
        else:
            chosen.append(_cheapest(warps, costs[:, rows].mean(axis=1)))
    if all(warp == warps[0] for warp in chosen):
        return plain, tuple(chosen)
    del plain, coarse
    # Only the spectrum's shape is warped: which frames are speech, and how loud, stay
    # the plain filters' (a warp drops the top band from the frame energy). The plain
    # spectrum is this function's own, so its energies are overwritten in place.
    energies = plain_spectrum.energies
    for warp in sorted(set(chosen) - {warps[0]}):
        frames = np.isin(owners, [voice for voice, taken in enumerate(chosen) if taken == warp])
        warped = spectrum(synthetic, synth_rate, warp).energies
        if frames.all():
            energies = warped
        else:
            energies[frames] = warped[frames]
        del warped
    mixed = replace(plain_spectrum, energies=energies)
    del plain_spectrum, energies
    return cepstra(mixed, background, real.silence, every_frame=every_frame), tuple(chosen)


def _cheapest(warps: tuple[float, ...], costs: FloatArray) -> float:
    """The warp of least cost, if it costs at least :data:`MARGIN` less than the first
    (the plain voice); else the first. Within that margin the trials did not tell the
    warps apart (measured: docs/alignment.md)."""
    best = int(np.argmin(costs))
    if costs[best] > costs[0] * (1.0 - MARGIN):
        return warps[0]
    return warps[best]


def _voice_count(voices: Sequence[tuple[int, int, int]]) -> int:
    return max((voice for _, _, voice in voices), default=0) + 1


def frame_voices(voices: Sequence[tuple[int, int, int]], frames: int, hop: int) -> IntArray:
    """The voice of every synthetic frame: its span's, else the voice before it (the
    first span's before any)."""
    owner = np.full(frames, -1, dtype=np.int64)
    for start, end, voice in voices:
        owner[start // hop : max(start // hop + 1, end // hop)] = voice
    known = np.flatnonzero(owner >= 0)
    if len(known) == 0:
        return np.zeros(frames, dtype=np.int64)
    # Carry each voice forward over the pause after it; frames before the first span
    # take the first span's voice.
    last_known = np.maximum.accumulate(np.where(owner >= 0, np.arange(frames), -1))
    return np.where(last_known >= 0, owner[np.maximum(last_known, 0)], owner[known[0]])


def _pooled(source: Spectrum, factor: int) -> Spectrum:
    """``source`` averaged over groups of ``factor`` frames, as :func:`spectra` pools
    the other warps (a group is speech when most of its frames are)."""
    loud = pool_frames(source.loud.astype(np.float32)[:, None], factor)[:, 0] > 0.5
    energy_db = pool_frames(source.energy_db[:, None], factor)[:, 0]
    energies = pool_frames(source.energies, factor)
    return Spectrum(energies, source.hop * factor, source.sample_rate, energy_db, loud)


def frame_costs(real: FloatArray, synthetic: FloatArray, path: dtw.Path, skip: FloatArray) -> FloatArray:
    """What every real frame costs on ``path`` from ``real`` to ``synthetic`` (an
    open-ended DTW path): a matched frame its distance, a frame left unmatched its ``skip``."""
    cols = np.clip((path.first_col + path.last_col) // 2, 0, len(synthetic) - 1)
    distances = ((real - synthetic[cols]) ** 2).sum(axis=1)
    # Rows before the path's first and after its last matched row are left unmatched.
    rows = np.arange(len(real))
    skipped = (rows < path.first_row[0]) | (rows > path.last_row[-1])
    return np.where(skipped, skip, distances).astype(np.float32)

