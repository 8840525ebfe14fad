"""Banded dynamic time warping in numpy, memory linear in the band.

Each row of the cost lattice is computed at once: the diagonal and vertical steps are
element-wise minima, and the horizontal run inside the row is a prefix minimum,
``D[j] = S[j] + min_{k<=j}(E[k] - S[k])`` with ``S`` the cumulative cost of the row
and ``E`` the best entry from the previous row. Only the step taken into every cell is
kept (one byte), so an hour of audio at 10 ms frames with a 2 s band is about 70 MB.

A row of the fine pass is about 70 cells, so the numpy loop (:func:`_rows_numpy`) spends
most of its time starting a dozen numpy calls a row. ``pip install .`` compiles the same
loop with Cython (``_dtw_rows.pyx``, the fast path: about 4x less CPU for the DTW), which
gives the same path bit for bit (``tests/test_dtw_kernel.py``); an editable install, or a
machine without a C compiler, runs the numpy loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]

_compiled: ModuleType | None
try:  # the same rows compiled with Cython: only in ``pip install .`` (setup.py), never editable
    from toolkit.align import _dtw_rows as _compiled
except ImportError:
    _compiled = None

_DIAGONAL, _VERTICAL, _HORIZONTAL, _START = 0, 1, 2, 3


@dataclass(frozen=True)
class Path:
    """For every column ``j`` of the second sequence, the first and last row matched to it."""

    first_row: IntArray
    last_row: IntArray
    #: For every row, the first and last column matched to it.
    first_col: IntArray
    last_col: IntArray


def diagonal_band(rows: int, cols: int, half_width: int) -> tuple[IntArray, IntArray]:
    """A band of ``half_width`` columns either side of the straight line corner to corner."""
    centre = np.round(np.arange(rows) * ((cols - 1) / max(rows - 1, 1))).astype(np.int64)
    low = np.clip(centre - half_width, 0, cols - 1)
    high = np.clip(centre + half_width + 1, 1, cols)
    return low, high


def _monotone(low: IntArray, high: IntArray, cols: int) -> tuple[IntArray, IntArray]:
    """Make the band connected: bounds never go back, and each row meets the previous one."""
    low = np.maximum.accumulate(np.clip(low, 0, cols - 1))
    high = np.maximum.accumulate(np.clip(high, 1, cols))
    low[0] = 0
    high[-1] = cols
    # A row must start no later than the previous row ends, or the path breaks.
    previous_high = np.concatenate(([1], high[:-1]))
    low = np.minimum(low, previous_high)
    high = np.maximum(high, low + 1)
    return low, high


def typical_distance(first: FloatArray, second: FloatArray, samples: int = 4000) -> float:
    """The median squared distance between frames of ``first`` and ``second`` picked at random.

    The pick is seeded, so the same inputs always give the same value.
    """
    if len(first) == 0 or len(second) == 0:
        return 1.0
    generator = np.random.default_rng(0)
    rows = generator.integers(0, len(first), samples)
    cols = generator.integers(0, len(second), samples)
    distances = ((first[rows] - second[cols]) ** 2).sum(axis=1)
    return float(np.median(distances)) or 1.0


def align(
    rows_features: FloatArray,
    cols_features: FloatArray,
    low: IntArray,
    high: IntArray,
    progress: object = None,
    *,
    open_ends: bool = False,
    skip: float | FloatArray | None = None,
    rooms: npt.NDArray[np.bool_] | None = None,
    room_cost: float = 0.0,
) -> Path:
    """Align two feature sequences inside the band ``[low[i], high[i])`` of every row.

    The path runs from the first frames of both to the last frames of both; steps are
    diagonal, vertical or horizontal, each cell costing the squared distance of its frames.
    With ``open_ends`` the path may instead start at any row of the first column and end
    at any row of the last: leading and trailing rows (an intro, an outro) are left
    unmatched at a cost of ``skip`` each (by default half the median distance of two
    frames picked at random, :func:`typical_distance`), so that rows are skipped only
    when they match nothing better than chance, and map to the first and last column.
    Columns marked in ``rooms`` (a sound note's place, :mod:`toolkit.align.notes`) match
    any row at ``room_cost``: a filler that may hold a sound of any length.
    ``progress``, when given, is called with the number of rows done since its last call.
    """
    rows, cols = len(rows_features), len(cols_features)
    low, high = _monotone(low.astype(np.int64), high.astype(np.int64), cols)
    offsets = np.concatenate(([0], np.cumsum(high - low)))
    steps = np.empty(int(offsets[-1]), dtype=np.int8)
    if skip is None:
        skip = typical_distance(rows_features, cols_features) / 2.0
    per_row = np.broadcast_to(np.asarray(skip, dtype=np.float64), (rows,))
    # skipped_before[r]: cost of leaving rows 0..r-1 unmatched; skipped_after[r]: rows r+1..end.
    skipped_before = np.concatenate(([0.0], np.cumsum(per_row)))
    skipped_after = skipped_before[-1] - skipped_before[1:]
    report = progress if callable(progress) else None
    col_norms = (cols_features.astype(np.float32) ** 2).sum(axis=1)
    row_norms = (rows_features.astype(np.float32) ** 2).sum(axis=1)
    fill = _rows_numpy
    if _compiled is not None and _kernel_takes(rows_features, cols_features, rooms):
        fill = _compiled.rows
    end_row = fill(
        cols_features,
        rows_features,
        row_norms,
        col_norms,
        low,
        high,
        offsets,
        steps,
        skipped_before,
        skipped_after,
        open_ends,
        rooms,
        float(room_cost),
        report,
    )
    end_row = end_row if open_ends and end_row >= 0 else rows - 1
    return _backtrack(steps, offsets, low, rows, cols, end_row)


def _kernel_takes(
    rows_features: FloatArray, cols_features: FloatArray, rooms: npt.NDArray[np.bool_] | None
) -> bool:
    """Whether the compiled rows take these arrays as they are: single precision, each row
    in one piece (the aligner's features always are; anything else takes the numpy loop)."""
    return all(
        features.dtype == np.float32 and features.ndim == 2 and features.flags.c_contiguous
        for features in (rows_features, cols_features)
    ) and (rooms is None or rooms.dtype == np.bool_)


def _rows_numpy(
    cols_features: FloatArray,
    rows_features: FloatArray,
    row_norms: FloatArray,
    col_norms: FloatArray,
    low: IntArray,
    high: IntArray,
    offsets: IntArray,
    steps: npt.NDArray[np.int8],
    skipped_before: npt.NDArray[np.float64],
    skipped_after: npt.NDArray[np.float64],
    open_ends: bool,
    rooms: npt.NDArray[np.bool_] | None,
    room_cost: float,
    report: Callable[[int], object] | None,
) -> int:
    """Fill ``steps`` row by row (the general path; ``_dtw_rows.rows`` is the same loop
    compiled) and return the row where an open end is cheapest, or -1."""
    rows, cols = len(rows_features), len(cols_features)
    # The previous and current rows' totals by absolute column, shifted by one so that
    # column -1 exists: diagonal = previous[j], vertical = previous[j + 1]. Cells outside
    # a row's band stay infinite.
    previous = np.full(cols + 1, np.inf)
    current = np.full(cols + 1, np.inf)
    previous_low = previous_high = 0
    best_end: tuple[float, int] = (np.inf, -1)
    for row in range(rows):
        lo, hi = int(low[row]), int(high[row])
        # One matrix-vector product per row, as before: synthetic silences are identical
        # frames, so the path rests on exact ties that other arithmetic would break otherwise.
        segment = cols_features[lo:hi]
        cost = (row_norms[row] + col_norms[lo:hi] - 2.0 * (segment @ rows_features[row])).astype(np.float64)
        np.maximum(cost, 0.0, out=cost)
        if rooms is not None:
            np.copyto(cost, room_cost, where=rooms[lo:hi])
        if row == 0:
            entry = np.full(hi - lo, np.inf)
            entry[0] = cost[0]
            from_step = np.zeros(hi - lo, dtype=np.int8)
        else:
            diagonal, vertical = previous[lo:hi], previous[lo + 1 : hi + 1]
            take_vertical = vertical < diagonal
            entry = cost + np.minimum(diagonal, vertical)
            from_step = take_vertical.view(np.int8).copy()
            if open_ends and lo == 0 and skipped_before[row] + cost[0] < entry[0]:
                # Starting afresh here: the rows above go unmatched at ``skip`` each.
                entry[0] = skipped_before[row] + cost[0]
                from_step[0] = _START
        running = np.cumsum(cost)
        best = np.minimum.accumulate(entry - running)
        totals = running + best
        from_step[totals < entry] = _HORIZONTAL
        steps[offsets[row] : offsets[row + 1]] = from_step
        previous[previous_low + 1 : previous_high + 1] = np.inf
        current[lo + 1 : hi + 1] = totals
        previous, current = current, previous
        previous_low, previous_high = lo, hi
        if open_ends and hi == cols:
            ending = float(totals[-1]) + float(skipped_after[row])
            if ending < best_end[0]:
                best_end = (ending, row)
        if report is not None and row % 1000 == 999:
            report(1000)
    if report is not None:
        report(rows % 1000)
    return best_end[1]


def _backtrack(
    steps: npt.NDArray[np.int8], offsets: IntArray, low: IntArray, rows: int, cols: int, end_row: int
) -> Path:
    first_row = np.full(cols, rows, dtype=np.int64)
    last_row = np.full(cols, -1, dtype=np.int64)
    first_col = np.full(rows, cols, dtype=np.int64)
    last_col = np.full(rows, -1, dtype=np.int64)
    row, col = end_row, cols - 1
    while True:
        if first_row[col] > row:
            first_row[col] = row
        if last_row[col] < row:
            last_row[col] = row
        if first_col[row] > col:
            first_col[row] = col
        if last_col[row] < col:
            last_col[row] = col
        if row == 0 and col == 0:
            break
        step = steps[offsets[row] + col - low[row]] if row > 0 else _HORIZONTAL
        if step == _START:
            break
        if step == _DIAGONAL:
            row, col = row - 1, col - 1
        elif step == _VERTICAL:
            row -= 1
        else:
            col -= 1
    # Rows left out by an open start or end belong to the first or last column.
    first_col[:row] = 0
    last_col[:row] = 0
    first_col[end_row + 1 :] = cols - 1
    last_col[end_row + 1 :] = cols - 1
    # Columns never visited (cannot happen on a connected path) inherit their neighbours.
    first_row = np.minimum.accumulate(first_row[::-1])[::-1]
    last_row = np.maximum.accumulate(last_row)
    return Path(first_row, last_row, first_col, last_col)
