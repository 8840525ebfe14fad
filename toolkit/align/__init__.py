"""Offline forced alignment of transcripts to episode audio (espeak-ng + MFCC + banded DTW).

The pure core: :mod:`~toolkit.align.aligner` (the method), :mod:`~toolkit.align.timings`
(what it finds, numpy-free), :mod:`~toolkit.align.sidecar`
(the ``.timings.tsv`` file), :mod:`~toolkit.align.rules` (cues from aligned turns) and
:mod:`~toolkit.align.checks` (outliers as problems).
"""

from __future__ import annotations

from collections.abc import Callable

#: A progress callback: the share of the work done so far, from 0 to 1.
Progress = Callable[[float], None]


def progress_stage(progress: Progress | None, start: float, share: float) -> Progress | None:
    """``progress`` for one stage of the work, which runs from ``start`` to ``start + share``
    of the whole: the stage reports its own 0-1."""
    if progress is None:
        return None
    report = progress
    return lambda fraction: report(start + share * fraction)
