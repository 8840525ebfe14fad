"""One Gaussian per voice, built from turns' sufficient statistics.

A turn is summarised by its frame count, mean and (biased) covariance; a model of several
turns is their pooled Gaussian. Leaving one turn out is then a subtraction, and a turn's
mean log-likelihood per frame under a model needs only its statistics:

    mean log N(x; mu, S) = -1/2 (d log 2 pi + log|S| + tr(S^-1 C) + (m - mu)' S^-1 (m - mu))

for a turn of mean ``m`` and covariance ``C``. Covariances are shrunk a little towards
their diagonal (and floored) so that ten short turns still give an invertible model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]
#: Share of the off-diagonal covariance removed (shrinkage towards the diagonal).
SHRINK = 0.1
VARIANCE_FLOOR = 1e-3


@dataclass(frozen=True)
class TurnStats:
    """Sufficient statistics of one turn's speech frames (float64: sums of many frames)."""

    count: int
    total: Matrix
    outer: Matrix

    @cached_property
    def mean(self) -> Matrix:
        return self.total / max(self.count, 1)

    @cached_property
    def covariance(self) -> Matrix:
        mean = self.mean
        covariance: Matrix = self.outer / max(self.count, 1) - np.outer(mean, mean)
        return covariance


def turn_stats(frames: npt.NDArray[np.float32]) -> TurnStats:
    """The statistics of a turn's frames (rows)."""
    # The products in float32, summed into float64 statistics. Both operands C-contiguous:
    # OpenBLAS took 50 times longer on ``frames.T @ frames`` (measured, 600 x 40 frames).
    products = np.dot(np.ascontiguousarray(frames.T), frames)
    # Exactly symmetric (BLAS may round the two triangles apart): the stored statistics
    # keep one triangle (toolkit/voices/store.py) and must give back the same matrix.
    upper = np.triu(products)
    outer = (upper + np.triu(products, 1).T).astype(np.float64)
    return TurnStats(len(frames), frames.sum(axis=0, dtype=np.float64), outer)


def pooled(turns: Sequence[TurnStats]) -> TurnStats:
    """One turn's worth of statistics for several turns together."""
    return TurnStats(
        sum(turn.count for turn in turns),
        np.sum([turn.total for turn in turns], axis=0),
        np.sum([turn.outer for turn in turns], axis=0),
    )


def without(total: TurnStats, turn: TurnStats) -> TurnStats:
    """``total`` less one of its turns (leave-one-out)."""
    return TurnStats(total.count - turn.count, total.total - turn.total, total.outer - turn.outer)


@dataclass(frozen=True)
class Gaussian:
    mean: Matrix
    precision: Matrix
    log_det: float

    def mean_log_likelihood(self, turn: TurnStats, *, centred: bool = False) -> float:
        """Mean log-likelihood per frame of ``turn``'s frames.

        ``centred`` scores the turn as if its own mean were the model's (its covariance
        only): a microphone or room shifts a turn's mean, much less its shape.
        """
        dims = len(self.mean)
        spread = float(np.sum(self.precision * turn.covariance))
        offset = 0.0
        if not centred:
            difference = turn.mean - self.mean
            offset = float(difference @ self.precision @ difference)
        return float(-0.5 * (dims * np.log(2 * np.pi) + self.log_det + spread + offset))


def fit(stats: TurnStats, *, diagonal: bool = False, centred: bool = False) -> Gaussian:
    """The Gaussian of ``stats``.

    ``centred`` fits the within-turn covariance only (each turn about its own mean); it
    needs ``stats`` to be pooled from per-turn *centred* statistics, see :func:`centred`.
    """
    mean = stats.mean
    covariance = stats.covariance if not centred else stats.outer / max(stats.count, 1)
    variances = np.maximum(np.diag(covariance), VARIANCE_FLOOR)
    if diagonal:
        return Gaussian(mean, np.diag(1.0 / variances), float(np.sum(np.log(variances))))
    shrunk = (1.0 - SHRINK) * covariance
    shrunk[np.diag_indices_from(shrunk)] = variances
    try:
        # One Cholesky factor gives both the determinant and the inverse.
        lower = np.linalg.cholesky(shrunk)
    except np.linalg.LinAlgError:
        return Gaussian(mean, np.diag(1.0 / variances), float(np.sum(np.log(variances))))
    inverse_lower = np.linalg.inv(lower)
    precision: Matrix = (inverse_lower.T @ inverse_lower).astype(np.float64)
    return Gaussian(mean, precision, float(2.0 * np.sum(np.log(np.diag(lower)))))


def centred(turn: TurnStats) -> TurnStats:
    """The turn's statistics about its own mean (its mean removed: per-turn normalisation)."""
    return TurnStats(turn.count, np.zeros_like(turn.total), turn.covariance * turn.count)


def fit_many(stats: Sequence[TurnStats], *, centred: bool = False) -> list[Gaussian]:
    """:func:`fit` of each, in one batch of matrix operations (the voice check fits a few
    hundred 40 x 40 models: one call each spent more time in numpy's call overhead than in
    the arithmetic)."""
    if not stats:
        return []
    covariances = np.array(
        [item.covariance if not centred else item.outer / max(item.count, 1) for item in stats]
    )
    diagonals = np.maximum(np.diagonal(covariances, axis1=1, axis2=2), VARIANCE_FLOOR)
    shrunk = (1.0 - SHRINK) * covariances
    rows = np.arange(covariances.shape[1])
    shrunk[:, rows, rows] = diagonals
    try:
        lower = np.linalg.cholesky(shrunk)
    except np.linalg.LinAlgError:  # one of them is not positive definite: each on its own
        return [fit(item, centred=centred) for item in stats]
    inverse_lower = np.linalg.inv(lower)
    precisions = np.matmul(inverse_lower.transpose(0, 2, 1), inverse_lower)
    log_dets = 2.0 * np.sum(np.log(np.diagonal(lower, axis1=1, axis2=2)), axis=1)
    return [
        Gaussian(item.mean, precision, float(log_det))
        for item, precision, log_det in zip(stats, precisions, log_dets, strict=True)
    ]


def mean_log_likelihoods(
    models: Sequence[Gaussian], turns: Sequence[TurnStats], *, centred: bool = False
) -> Matrix:
    """``models[k].mean_log_likelihood(turns[k])`` for every ``k``, in one batch."""
    if not turns:
        return np.zeros(0)
    precisions = np.array([model.precision for model in models])
    covariances = np.array([turn.covariance for turn in turns])
    spread = np.einsum("kij,kij->k", precisions, covariances)
    offset = np.zeros(len(turns))
    if not centred:
        differences = np.array([turn.mean - model.mean for model, turn in zip(models, turns, strict=True)])
        offset = np.einsum("ki,kij,kj->k", differences, precisions, differences)
    dims = len(models[0].mean)
    log_dets = np.array([model.log_det for model in models])
    result: Matrix = -0.5 * (dims * np.log(2 * np.pi) + log_dets + spread + offset)
    return result
