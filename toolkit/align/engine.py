"""Which aligner runs: the DTW (any language, the default) or the acoustic model
(pocketsphinx, English, ``--engine sphinx``).

The acoustic model places more English turns right in noise and music; on its own it
flagged under half of those it missed. So the sphinx engine runs the DTW first, on the
same audio (under a tenth of the acoustic model's CPU): the DTW's turn times guide the
acoustic model's search where it goes window by window, and each turn's start by the
DTW is its second opinion (``drift_ms``; ``ALN016`` over 500 ms). When the acoustic model
finds no path that says every word through the recording, the DTW's alignment is kept
and the run says so. Measured: docs/alignment.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from toolkit.align import progress_stage
from toolkit.align.aligner import AlignOptions, align_turns
from toolkit.align.audio import Audio
from toolkit.align.features import Spectrum
from toolkit.align.timings import Alignment
from toolkit.errors import ToolkitError
from toolkit.limits import base_language
from toolkit.model import Turn

ENGINES = ("dtw", "sphinx")


class EngineUnavailable(ToolkitError):
    """``--engine sphinx`` where it cannot run (a usage problem)."""


@dataclass(frozen=True)
class EngineResult:
    """An alignment, the engine that made it, and a note when it is not the one asked for."""

    alignment: Alignment
    engine: str
    note: str = ""


def pick_engine(requested: str, language: str) -> str:
    """The engine that aligns speech in ``language`` when ``requested`` is asked for.

    >>> pick_engine("dtw", "en")
    'dtw'
    """
    if requested == "sphinx":
        from toolkit.align import sphinx

        if base_language(language or "en") != "en":
            raise EngineUnavailable(
                f"--engine sphinx aligns English speech only (its model is US English), not {language!r}: "
                "use --engine dtw"
            )
        if not sphinx.available():
            raise EngineUnavailable(
                "--engine sphinx needs the pocketsphinx package "
                "(pip install pocketsphinx, or the sphinx extra: pip install -e '.[sphinx]')"
            )
        return "sphinx"
    if requested != "dtw":
        raise EngineUnavailable(f"unknown engine {requested!r} (choose one of {', '.join(ENGINES)})")
    return "dtw"


def align_with(
    requested: str,
    turns: Sequence[Turn],
    language: str,
    audio: Audio,
    options: AlignOptions,
    progress: Callable[[float], None] | None = None,
    on_spectrum: Callable[[Spectrum], None] | None = None,
) -> EngineResult:
    """Align with the engine :func:`pick_engine` chooses (the DTW when pocketsphinx fails).

    ``on_spectrum`` is given the DTW's spectrum of the audio (the sphinx engine has none)."""
    engine = pick_engine(requested, language)
    if engine == "sphinx":
        from toolkit.align.sphinx import align_turns_sphinx
        from toolkit.align.sphinx_checks import with_second_opinion

        # The DTW first (under a tenth of the acoustic model's CPU): it says where to
        # search (window by window) and gives each turn a second opinion (ALN016).
        guide = align_turns(turns, language, audio, options, progress_stage(progress, 0.0, 0.2), on_spectrum)
        spans = [(timing.start_ms, timing.end_ms) for timing in guide.turns]
        found = align_turns_sphinx(turns, language, audio, progress_stage(progress, 0.2, 0.8), spans)
        if found is not None:
            return EngineResult(with_second_opinion(found, guide), "sphinx")
        return EngineResult(
            _tagged(guide, "dtw"),
            "dtw",
            "pocketsphinx found no path through the audio that says every word: aligned with the DTW",
        )
    aligned = align_turns(turns, language, audio, options, progress, on_spectrum)
    return EngineResult(_tagged(aligned, "dtw"), "dtw")


def _tagged(alignment: Alignment, engine: str) -> Alignment:
    return replace(alignment, meta=(*alignment.meta, ("engine", engine)))
