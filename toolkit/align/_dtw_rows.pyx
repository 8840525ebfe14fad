# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The rows of :func:`toolkit.align.dtw.align`, compiled (Cython) for ``pip install .``.

The same recurrence as the numpy loop in :mod:`toolkit.align.dtw`, cell by cell in C
instead of a dozen numpy calls a row: a row of the fine pass is about 70 cells, so
the numpy loop spends most of its time starting those calls. The arithmetic is the
numpy loop's, operation for operation, so the two give the same path bit for bit
(``tests/test_dtw_kernel.py``): each row's distances come from the same numpy
matrix-vector product (BLAS), ``row_norm + col_norm - 2 * dot`` is formed in single
precision as numpy forms it, and the running sums and minima are taken left to right
in double precision, as ``np.cumsum`` and ``np.minimum.accumulate`` take them.
Compiled with ``-ffp-contract=off`` (``setup.py``): a fused multiply-add would round
once where numpy rounds twice.
"""

import numpy as np

cdef double INF = float("inf")
cdef signed char DIAGONAL = 0, VERTICAL = 1, HORIZONTAL = 2, START = 3


def rows(
    object cols_features,
    object rows_features,
    const float[::1] row_norms,
    const float[::1] col_norms,
    const long long[::1] low,
    const long long[::1] high,
    const long long[::1] offsets,
    signed char[::1] steps,
    const double[::1] skipped_before,
    const double[::1] skipped_after,
    bint open_ends,
    object rooms,
    double room_cost,
    object report,
):
    """Fill ``steps`` (the step into every cell of the band) and return the row where an
    open end is cheapest (-1 without ``open_ends``); see ``dtw.align``."""
    cdef Py_ssize_t row_count = low.shape[0]
    cdef Py_ssize_t cols = col_norms.shape[0]
    cdef double[::1] previous = np.full(cols + 1, INF)
    cdef double[::1] current = np.full(cols + 1, INF)
    cdef double[::1] cost = np.empty(cols, dtype=np.float64)
    cdef double[::1] entry = np.empty(cols, dtype=np.float64)
    cdef double[::1] swap
    cdef const unsigned char[::1] room_mask
    cdef bint has_rooms = rooms is not None
    if has_rooms:
        room_mask = np.ascontiguousarray(rooms).view(np.uint8)
    cdef const float[::1] dot
    cdef Py_ssize_t row, j, lo, hi, width, base, previous_low = 0, previous_high = 0
    cdef float norm, pair, twice, single
    cdef double value, diagonal, vertical, running, best, total, start_cost, ending
    cdef double best_end = INF
    cdef Py_ssize_t best_end_row = -1
    cdef bint reporting = report is not None
    for row in range(row_count):
        lo = low[row]
        hi = high[row]
        width = hi - lo
        base = offsets[row]
        # The numpy loop's product, the same call on the same arrays: BLAS sums in its own
        # order, and any other order would break exact ties between identical frames.
        dot = cols_features[lo:hi] @ rows_features[row]
        norm = row_norms[row]
        for j in range(width):
            pair = norm + col_norms[lo + j]
            twice = <float>2.0 * dot[j]
            single = pair - twice
            value = <double>single
            if value < 0.0:
                value = 0.0
            if has_rooms and room_mask[lo + j]:
                value = room_cost
            cost[j] = value
        if row == 0:
            entry[0] = cost[0]
            steps[base] = DIAGONAL
            for j in range(1, width):
                entry[j] = INF
                steps[base + j] = DIAGONAL
        else:
            for j in range(width):
                diagonal = previous[lo + j]
                vertical = previous[lo + j + 1]
                if vertical < diagonal:
                    steps[base + j] = VERTICAL
                    entry[j] = cost[j] + vertical
                else:
                    steps[base + j] = DIAGONAL
                    entry[j] = cost[j] + diagonal
            if open_ends and lo == 0:
                start_cost = skipped_before[row] + cost[0]
                if start_cost < entry[0]:
                    # Starting afresh here: the rows above go unmatched at ``skip`` each.
                    entry[0] = start_cost
                    steps[base] = START
        running = 0.0
        best = INF
        for j in range(width):
            running = cost[j] if j == 0 else running + cost[j]
            value = entry[j] - running
            if j == 0 or value < best:
                best = value
            total = running + best
            if total < entry[j]:
                steps[base + j] = HORIZONTAL
            current[lo + 1 + j] = total
        # The row before is used up: its buffer is all infinite again, for the next row.
        for j in range(previous_low + 1, previous_high + 1):
            previous[j] = INF
        swap = previous
        previous = current
        current = swap
        previous_low = lo
        previous_high = hi
        if open_ends and hi == cols:
            ending = total + skipped_after[row]
            if ending < best_end:
                best_end = ending
                best_end_row = row
        if reporting and row % 1000 == 999:
            report(1000)
    if reporting:
        report(row_count % 1000)
    return best_end_row
