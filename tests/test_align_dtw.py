"""The banded DTW on small sequences whose best path is known."""

from __future__ import annotations

import numpy as np

from toolkit.align import dtw


def frames(values: list[float]) -> np.ndarray:
    return np.array([[value, -value] for value in values], dtype=np.float32)


def full_band(rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(rows, dtype=np.int64), np.full(rows, cols, dtype=np.int64)


def test_identical_sequences_follow_the_diagonal() -> None:
    sequence = frames([0, 1, 2, 3, 4, 5])
    path = dtw.align(sequence, sequence, *full_band(6, 6))
    assert path.first_row.tolist() == [0, 1, 2, 3, 4, 5]
    assert path.first_col.tolist() == path.last_col.tolist() == [0, 1, 2, 3, 4, 5]


def test_a_slower_copy_maps_each_frame_to_its_repeats() -> None:
    slow = frames([0, 0, 1, 1, 2, 2, 3, 3])
    fast = frames([0, 1, 2, 3])
    path = dtw.align(slow, fast, *full_band(8, 4))
    assert list(zip(path.first_row.tolist(), path.last_row.tolist(), strict=True)) == [
        (0, 1),
        (2, 3),
        (4, 5),
        (6, 7),
    ]


def test_the_band_keeps_the_path_inside_it() -> None:
    sequence = frames(list(range(40)))
    low, high = dtw.diagonal_band(40, 40, 2)
    path = dtw.align(sequence, sequence, low, high)
    assert all(abs(row - col) <= 2 for col, row in enumerate(path.first_row.tolist()))


def test_open_ends_leave_an_unrelated_intro_and_outro_unmatched() -> None:
    talk = [0.0, 1.0, 2.0, 3.0, 2.0, 1.0]
    recording = frames([9.0] * 5 + talk + [9.0] * 4)
    path = dtw.align(recording, frames(talk), *full_band(15, 6), open_ends=True)
    assert path.first_row.tolist() == [5, 6, 7, 8, 9, 10]
    # Without open ends the first and last frames must absorb the intro and outro.
    closed = dtw.align(recording, frames(talk), *full_band(15, 6))
    assert closed.first_row[0] == 0 and closed.last_row[-1] == 14


def test_typical_distance_is_deterministic() -> None:
    rng = np.random.default_rng(3)
    first, second = rng.normal(size=(50, 4)).astype(np.float32), rng.normal(size=(60, 4)).astype(np.float32)
    assert dtw.typical_distance(first, second) == dtw.typical_distance(first, second) > 0
