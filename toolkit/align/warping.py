"""The synthetic voice's spectrum warped towards the recording's speakers (VTLN).

A speaker's formants sit at frequencies set by the length of the vocal tract: a shorter
tract puts every formant higher by about the same factor. espeak-ng's voices are one
tract; real speakers differ from it by up to about 20 %, and a real voice matched
against espeak-ng costs about as much per frame as the background does, so the DTW's
path rests on near-ties (docs/alignment.md). Vocal tract length normalization (Lee and
Rose 1998; Eide and Gish 1996) picks the frequency warp that makes one speaker's
spectra match the model best; here the synthetic episode's mel filters are scaled by
each factor in :data:`WARPS`, a coarse DTW matches it against the recording (the plain
voice over the whole band, the others near the plain voice's path), and the factor whose
path costs least per frame wins if it is clearly cheaper. Nothing in it knows the words
or the language.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from toolkit.align import dtw
from toolkit.align.features import Features, Spectrum, cepstra, pool_frames, spectra, spectrum

FloatArray = npt.NDArray[np.float32]

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


def warped_synthetic(
    synthetic: FloatArray,
    synth_rate: int,
    real: Features,
    background: FloatArray,
    *,
    every_frame: bool,
    warps: tuple[float, ...] = WARPS,
) -> tuple[Features, float]:
    """The synthetic episode's features under the warp that matches ``real`` best, and
    that warp (the first of ``warps``, the plain voice, unless another costs at least
    :data:`MARGIN` less). ``background`` and ``every_frame`` are as for
    :func:`~toolkit.align.features.cepstra`; with one warp there is nothing to try.

    The trials compare coarse frames only: the warped spectra are kept averaged over
    :data:`SPECTRUM_POOL` frames as they are computed (one Fourier transform for all,
    half the memory; over 4 frames one Korean set lost its warp), and the winner, unless
    it is the plain voice, is computed again at every frame."""
    if len(warps) == 1:
        alone = spectrum(synthetic, synth_rate, warps[0])
        return cepstra(alone, background, real.silence, every_frame=every_frame), warps[0]
    coarse_real = pool_frames(real.values, TRIAL_FACTOR)
    skip = ((coarse_real - real.silence) ** 2).sum(axis=1)
    found = spectra(synthetic, synth_rate, warps, SPECTRUM_POOL)
    plain = cepstra(found[0], background, real.silence, every_frame=every_frame)
    trials = [_pooled(found[0], SPECTRUM_POOL), *found[1:]]
    del found
    rest = TRIAL_FACTOR // SPECTRUM_POOL
    coarse = [
        pool_frames(cepstra(trial, background, real.silence, every_frame=every_frame).values, rest)
        for trial in trials
    ]
    half = max(4, round(TRIAL_BAND_MS / (10 * TRIAL_FACTOR)))
    low, high = dtw.diagonal_band(len(coarse_real), len(coarse[0]), half)
    plain_path = dtw.align(coarse_real, coarse[0], low, high, None, open_ends=True, skip=skip)
    plain_cost = path_cost(coarse_real, coarse[0], plain_path, skip)
    # The other warps move the path locally, not by minutes: each is searched near the
    # plain voice's path (a sixth of the cells of the whole band).
    near = max(4, round(NEAR_MS / (10 * TRIAL_FACTOR)))
    low = plain_path.first_col - near
    high = np.minimum(plain_path.last_col + near + 1, len(coarse[0]))
    best_cost, best_warp = plain_cost, warps[0]
    for warp, synthetic_coarse in zip(warps[1:], coarse[1:], strict=True):
        path = dtw.align(coarse_real, synthetic_coarse, low, high, None, open_ends=True, skip=skip)
        cost = path_cost(coarse_real, synthetic_coarse, path, skip)
        if cost < best_cost:
            best_cost, best_warp = cost, warp
    # Within MARGIN of the plain voice's cost the trials do not tell the warps apart
    # (measured: docs/alignment.md): the voice stays as it is.
    if best_cost > plain_cost * (1.0 - MARGIN):
        return plain, warps[0]
    del plain
    warped = spectrum(synthetic, synth_rate, best_warp)
    return cepstra(warped, background, real.silence, every_frame=every_frame), best_warp


def _pooled(source: Spectrum, factor: int) -> Spectrum:
    """``source`` averaged over groups of ``factor`` frames, as :func:`spectra` pools
    the other warps (a group is speech when most of its frames are)."""
    loud = pool_frames(source.loud.astype(np.float32)[:, None], factor)[:, 0] > 0.5
    energy_db = pool_frames(source.energy_db[:, None], factor)[:, 0]
    energies = pool_frames(source.energies, factor)
    return Spectrum(energies, source.hop * factor, source.sample_rate, energy_db, loud)


def path_cost(real: FloatArray, synthetic: FloatArray, path: dtw.Path, skip: FloatArray) -> float:
    """The cost per real frame of ``path`` from ``real`` to ``synthetic`` (an open-ended
    DTW path): each matched frame its distance, each frame left unmatched its ``skip``."""
    cols = np.clip((path.first_col + path.last_col) // 2, 0, len(synthetic) - 1)
    distances = ((real - synthetic[cols]) ** 2).sum(axis=1)
    # Rows before the path's first and after its last matched row are left unmatched.
    rows = np.arange(len(real))
    skipped = (rows < path.first_row[0]) | (rows > path.last_row[-1])
    return float(np.where(skipped, skip, distances).mean())
