# The compiled rows of toolkit.align.dtw (_dtw_rows.pyx, Cython), present only in a compiled
# install: the same signature as the numpy loop they replace, by construction.
from toolkit.align.dtw import _rows_numpy as rows

__all__ = ["rows"]
