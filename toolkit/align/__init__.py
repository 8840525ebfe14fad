"""Offline forced alignment of transcripts to episode audio (espeak-ng + MFCC + banded DTW).

The pure core: :mod:`~toolkit.align.aligner` (the method), :mod:`~toolkit.align.timings`
(what it finds, numpy-free), :mod:`~toolkit.align.sidecar`
(the ``.timings.tsv`` file), :mod:`~toolkit.align.rules` (cues from aligned turns) and
:mod:`~toolkit.align.checks` (outliers as problems).
"""
