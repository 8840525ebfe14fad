# The compiled rows of toolkit.align.dtw (_dtw_rows.pyx, Cython): present only in a compiled install.
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

def rows(
    cols_features: npt.NDArray[np.float32],
    rows_features: npt.NDArray[np.float32],
    row_norms: npt.NDArray[np.float32],
    col_norms: npt.NDArray[np.float32],
    low: npt.NDArray[np.int64],
    high: npt.NDArray[np.int64],
    offsets: npt.NDArray[np.int64],
    steps: npt.NDArray[np.int8],
    skipped_before: npt.NDArray[np.float64],
    skipped_after: npt.NDArray[np.float64],
    open_ends: bool,
    rooms: npt.NDArray[np.bool_] | None,
    room_cost: float,
    report: Callable[[int], object] | None,
) -> int: ...
