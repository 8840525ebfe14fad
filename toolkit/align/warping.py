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
from toolkit.align.features import Features, cepstra, spectra

FloatArray = npt.NDArray[np.float32]

#: Warp factors tried: the real speakers' formants over espeak-ng's (1.0: as synthesized).
WARPS = (1.0, 1.05, 1.1, 1.15, 1.2)
#: Coarse frames (10 ms each) of the trial alignments, and their band's half-width.
TRIAL_FACTOR = 16
TRIAL_BAND_MS = 60_000
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
    :func:`~toolkit.align.features.mfcc`."""
    coarse_real = _pool(real.values, TRIAL_FACTOR)
    skip = ((coarse_real - real.silence) ** 2).sum(axis=1)
    found = spectra(synthetic, synth_rate, warps)
    plain = cepstra(found[0], background, real.silence, every_frame=every_frame)
    plain_coarse = _pool(plain.values, TRIAL_FACTOR)
    half = max(4, round(TRIAL_BAND_MS / (10 * TRIAL_FACTOR)))
    low, high = dtw.diagonal_band(len(coarse_real), len(plain_coarse), half)
    plain_path = dtw.align(coarse_real, plain_coarse, low, high, None, open_ends=True, skip=skip)
    plain_cost = path_cost(coarse_real, plain_coarse, plain_path, skip)
    # The other warps move the path locally, not by minutes: each is searched near the
    # plain voice's path (a sixth of the cells of the whole band).
    near = max(4, round(NEAR_MS / (10 * TRIAL_FACTOR)))
    low = plain_path.first_col - near
    high = np.minimum(plain_path.last_col + near + 1, len(plain_coarse))
    best: tuple[float, float, Features] = (plain_cost, warps[0], plain)
    for warp, warped in zip(warps[1:], found[1:], strict=True):
        fake = cepstra(warped, background, real.silence, every_frame=every_frame)
        coarse = _pool(fake.values, TRIAL_FACTOR)
        path = dtw.align(coarse_real, coarse, low, high, None, open_ends=True, skip=skip)
        cost = path_cost(coarse_real, coarse, path, skip)
        if cost < best[0]:
            best = (cost, warp, fake)
    # Within MARGIN of the plain voice's cost the trials do not tell the warps apart
    # (measured: docs/alignment.md): the voice stays as it is.
    if best[0] > plain_cost * (1.0 - MARGIN):
        return plain, warps[0]
    return best[2], best[1]


def path_cost(real: FloatArray, synthetic: FloatArray, path: dtw.Path, skip: FloatArray) -> float:
    """The cost per real frame of ``path`` from ``real`` to ``synthetic`` (an open-ended
    DTW path): each matched frame its distance, each frame left unmatched its ``skip``."""
    cols = np.clip((path.first_col + path.last_col) // 2, 0, len(synthetic) - 1)
    distances = ((real - synthetic[cols]) ** 2).sum(axis=1)
    # Rows before the path's first and after its last matched row are left unmatched.
    rows = np.arange(len(real))
    skipped = (rows < path.first_row[0]) | (rows > path.last_row[-1])
    return float(np.where(skipped, skip, distances).mean())


def _pool(values: FloatArray, factor: int) -> FloatArray:
    count = -(-len(values) // factor)
    padded = np.zeros((count * factor, values.shape[1]), dtype=np.float32)
    padded[: len(values)] = values
    padded[len(values) :] = values[-1]
    pooled: FloatArray = padded.reshape(count, factor, values.shape[1]).mean(axis=1)
    return pooled
