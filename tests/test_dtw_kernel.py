"""The compiled DTW rows (``toolkit/align/_dtw_rows.pyx``, Cython) against the numpy loop.

``pip install .`` compiles the rows of :func:`toolkit.align.dtw.align` with Cython; the
editable install runs the numpy loop. Both must give the same path bit for bit: the
aligner's paths rest on near-ties in noise, where a last-bit difference in one cost moves
a turn by seconds (docs/alignment.md). Run against the compiled install by ``.ci/run``
(``REDBOX_EXPECT_NATIVE=1``: there the kernel must be present, not skipped).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_align_conversation import hand_segmented
from tests.test_align_realspeech import with_white_noise
from toolkit.align import dtw
from toolkit.align.aligner import align_turns

FloatArray = npt.NDArray[np.float32]
#: dtw.align itself, whatever a test patches in its place
general_align = dtw.align

needs_kernel = pytest.mark.skipif(
    dtw._compiled is None and os.environ.get("REDBOX_EXPECT_NATIVE") != "1",
    reason="the compiled DTW rows exist only in `pip install .` (.ci/run's compiled stage)",
)


def _both(
    real: FloatArray,
    synthetic: FloatArray,
    low: npt.NDArray[np.int64],
    high: npt.NDArray[np.int64],
    **options: Any,
) -> tuple[dtw.Path, dtw.Path]:
    """The path through the numpy loop and through the compiled rows."""
    assert dtw._compiled is not None, "REDBOX_EXPECT_NATIVE=1 but the DTW rows were not compiled"
    compiled = dtw._compiled
    try:
        dtw._compiled = None
        by_numpy = general_align(real, synthetic, low, high, **options)
    finally:
        dtw._compiled = compiled
    return by_numpy, general_align(real, synthetic, low, high, **options)


def _same(first: dtw.Path, second: dtw.Path) -> bool:
    return all(
        np.array_equal(getattr(first, name), getattr(second, name))
        for name in ("first_row", "last_row", "first_col", "last_col")
    )


def _speech_like(rng: np.random.Generator, frames: int, silence_every: int) -> FloatArray:
    """Cepstrum-like frames with runs of identical "silence" frames: exact ties, the case
    the matrix-vector product per row is kept for."""
    values = rng.normal(0.0, 1.0, (frames, 13)).astype(np.float32)
    values[::silence_every] = values[0]
    values[1::silence_every] = values[0]
    return values


@needs_kernel
def test_the_compiled_rows_give_the_numpy_path_on_a_noisy_recording() -> None:
    rng = np.random.default_rng(12)
    synthetic = _speech_like(rng, 700, 5)
    # the recording: the synthetic frames stretched unevenly, noise added, an intro
    stretch = np.sort(rng.integers(0, len(synthetic), 1000))
    real = (synthetic[stretch] + rng.normal(0.0, 0.7, (1000, 13))).astype(np.float32)
    real = np.concatenate([rng.normal(0.0, 1.0, (150, 13)).astype(np.float32), real])
    low, high = dtw.diagonal_band(len(real), len(synthetic), 120)
    for options in (
        {},
        {"open_ends": True},
        {"open_ends": True, "skip": np.linspace(4.0, 9.0, len(real))},
    ):
        by_numpy, compiled = _both(real, synthetic, low, high, **options)
        assert _same(by_numpy, compiled), options


@needs_kernel
def test_the_compiled_rows_give_the_numpy_path_with_rooms_and_a_progress_report() -> None:
    rng = np.random.default_rng(3)
    synthetic = _speech_like(rng, 300, 7)
    real = np.repeat(synthetic, 2, axis=0) + rng.normal(0.0, 0.3, (600, 13)).astype(np.float32)
    rooms = np.zeros(len(synthetic), dtype=bool)
    rooms[100:140] = True
    low, high = dtw.diagonal_band(len(real), len(synthetic), 60)
    reported: list[int] = []
    by_numpy, compiled = _both(
        real, synthetic, low, high, open_ends=True, rooms=rooms, room_cost=3.5, progress=reported.append
    )
    assert _same(by_numpy, compiled)
    assert sum(reported) == 2 * len(real)  # every row reported once by each


@needs_kernel
def test_the_compiled_rows_give_the_numpy_path_on_every_pass_over_a_real_recording_in_noise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Real cepstra in noise rest on near-ties: there, forming the distances in double
    precision instead of numpy's single changes the path (measured), where the synthetic
    bands above do not notice."""
    transcript, audio, _truth = hand_segmented()
    passes: list[bool] = []

    def both(*args: Any, **options: Any) -> dtw.Path:
        options.pop("progress", None)  # the aligner's progress display, given once a pass
        by_numpy, compiled = _both(*args[:4], **options)
        passes.append(_same(by_numpy, compiled))
        return compiled

    monkeypatch.setattr(dtw, "align", both)  # the aligner calls it as dtw.align
    align_turns(transcript.turns, "en", with_white_noise(audio, 15.0))
    assert len(passes) >= 3 and all(passes), passes


@needs_kernel
@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(1, 60),
    cols=st.integers(1, 40),
    width=st.integers(0, 30),
    seed=st.integers(0, 2**32 - 1),
    open_ends=st.booleans(),
    ties=st.booleans(),
)
def test_the_compiled_rows_give_the_numpy_path_on_any_band(
    rows: int, cols: int, width: int, seed: int, open_ends: bool, ties: bool
) -> None:
    rng = np.random.default_rng(seed)
    real = rng.normal(0.0, 1.0, (rows, 13)).astype(np.float32)
    synthetic = rng.normal(0.0, 1.0, (cols, 13)).astype(np.float32)
    if ties:  # identical frames on both sides: exact ties everywhere
        real[::2] = real[0]
        synthetic[::2] = real[0]
    low, high = dtw.diagonal_band(rows, cols, width)
    by_numpy, compiled = _both(real, synthetic, low, high, open_ends=open_ends)
    assert _same(by_numpy, compiled)


def test_features_the_compiled_rows_do_not_take_go_through_the_numpy_loop() -> None:
    # double precision, a strided view or a non-boolean room mask: the compiled rows' typed
    # buffers would refuse them, so align takes the numpy loop and still finds the path
    rng = np.random.default_rng(1)
    features = rng.normal(0.0, 1.0, (40, 13)).astype(np.float32)
    assert dtw._kernel_takes(features, features, None)
    assert not dtw._kernel_takes(features[::2], features, None)
    assert not dtw._kernel_takes(features.astype(np.float64), features, None)
    assert not dtw._kernel_takes(features, features, np.zeros(40, dtype=np.uint8))
    low, high = dtw.diagonal_band(20, 40, 10)
    for real in (features[::2], features[:20].astype(np.float64)):
        path = dtw.align(real, features, low, high)  # type: ignore[arg-type]
        assert path.first_col[0] == 0 and path.last_col[-1] == 39
