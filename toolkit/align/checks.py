"""Alignment outliers as problems, located at the turn's line (issue 5, item 4).

Rule codes:

* ``ALN001`` timings-turn-count: the sidecar has a different number of turns than the
  transcript (the transcript changed since ``redbox align``); error.
* ``ALN002`` timings-speaker-changed: a turn's speaker differs from the one aligned
  (same language only); warning.
* ``ALN003`` turn-length-outlier: the aligned span is far from the synthesized
  length (over :data:`LONG_RATIO` times or under :data:`SHORT_RATIO` times it, and
  :data:`MIN_DIFFERENCE_MS` apart): often a sentence spoken but missing from the
  transcript, absorbed by this turn, or a turn squeezed by its neighbours; warning.
* ``ALN004`` uncovered-speech: at least :data:`UNCOVERED_MS` of speech just before
  (or inside) this turn, or after the last turn, that no turn covers; warning.
* ``ALN005`` turn-in-silence: less than :data:`MIN_SPEECH` of the turn's span sounds
  like speech; warning.
* ``ALN006`` timings-out-of-order: a turn starts before the previous one ends by more
  than :data:`OVERLAP_MS`, or ends past the audio (hand-edited sidecars); warning.
* ``ALN007`` timings-unreadable: the sidecar cannot be parsed; error.
"""

from __future__ import annotations

from toolkit.align.sidecar import TimingsError, format_time, parse_timings
from toolkit.align.timings import Alignment, TurnTiming
from toolkit.limits import base_language
from toolkit.model import Problem, Severity, Transcript

LONG_RATIO = 2.0
SHORT_RATIO = 0.45
MIN_DIFFERENCE_MS = 1500
UNCOVERED_MS = 1000
MIN_SPEECH = 0.3
OVERLAP_MS = 200


def _problem(source: str, line: int, severity: Severity, code: str, message: str) -> Problem:
    return Problem(source, line, 1, severity, code, message)


def alignment_problems(
    transcript: Transcript, alignment: Alignment, *, timings_source: str = ""
) -> list[Problem]:
    """Every outlier of ``alignment`` as a :class:`Problem` at the transcript's line.

    ``timings_source`` names the sidecar in messages. A count mismatch (``ALN001``) is
    the only problem reported then: the turns cannot be matched.
    """
    source = transcript.source
    where = f" ({timings_source})" if timings_source else ""
    if len(alignment.turns) != len(transcript.turns):
        return [
            _problem(
                source,
                0,
                "error",
                "ALN001",
                f"the timings{where} have {len(alignment.turns)} turns but the transcript has "
                f"{len(transcript.turns)}; run redbox align again",
            )
        ]
    aligned_language = dict(alignment.meta).get("language", "")
    same_language = not aligned_language or base_language(aligned_language) == base_language(
        transcript.language or aligned_language
    )
    problems: list[Problem] = []
    previous: TurnTiming | None = None
    for turn, timing in zip(transcript.turns, alignment.turns, strict=True):
        line = turn.line
        at = format_time(timing.start_ms)
        if same_language and timing.speaker and timing.speaker != turn.speaker:
            problems.append(
                _problem(
                    source,
                    line,
                    "warning",
                    "ALN002",
                    f"turn {timing.index + 1} was aligned as {timing.speaker!r} but is now "
                    f"{turn.speaker!r}; run redbox align again",
                )
            )
        length = timing.end_ms - timing.start_ms
        if timing.synth_ms > 0 and abs(length - timing.synth_ms) >= MIN_DIFFERENCE_MS:
            ratio = length / timing.synth_ms
            if ratio > LONG_RATIO or ratio < SHORT_RATIO:
                kind = "longer" if ratio > 1 else "shorter"
                hint = (
                    "is speech missing from the transcript here?"
                    if ratio > 1
                    else "is this turn spoken in the audio?"
                )
                problems.append(
                    _problem(
                        source,
                        line,
                        "warning",
                        "ALN003",
                        f"turn at {at} lasts {length / 1000:.1f} s, {ratio:.1f}x {kind} than "
                        f"its {timing.synth_ms / 1000:.1f} s of text: {hint}",
                    )
                )
        if timing.uncovered_ms >= UNCOVERED_MS:
            problems.append(
                _problem(
                    source,
                    line,
                    "warning",
                    "ALN004",
                    f"{timing.uncovered_ms / 1000:.1f} s of speech near {at} is in no turn: "
                    "a sentence missing from the transcript?",
                )
            )
        if length > 0 and timing.speech < MIN_SPEECH:
            problems.append(
                _problem(
                    source,
                    line,
                    "warning",
                    "ALN005",
                    f"turn at {at} lands in silence ({timing.speech:.0%} speech): check its timing by ear",
                )
            )
        if previous is not None and timing.start_ms < previous.end_ms - OVERLAP_MS:
            problems.append(
                _problem(
                    source,
                    line,
                    "warning",
                    "ALN006",
                    f"turn starts at {at}, before the previous turn ends ({format_time(previous.end_ms)})",
                )
            )
        if alignment.audio_ms and timing.end_ms > alignment.audio_ms:
            problems.append(
                _problem(
                    source,
                    line,
                    "warning",
                    "ALN006",
                    f"turn ends at {format_time(timing.end_ms)}, after the audio "
                    f"({format_time(alignment.audio_ms)})",
                )
            )
        previous = timing
    if alignment.trailing_uncovered_ms >= UNCOVERED_MS and transcript.turns:
        problems.append(
            _problem(
                source,
                transcript.turns[-1].line,
                "warning",
                "ALN004",
                f"{alignment.trailing_uncovered_ms / 1000:.1f} s of speech after the last turn "
                "is in no turn: is the transcript complete?",
            )
        )
    return sorted(problems, key=Problem.sort_key)


def sidecar_problems(transcript: Transcript, timings_text: str, timings_source: str) -> list[Problem]:
    """Parse a sidecar's text and check it against ``transcript`` (for ``redbox check``).

    An unreadable sidecar is one ``ALN007`` error at its own line.
    """
    try:
        alignment = parse_timings(timings_text, timings_source)
    except TimingsError as error:
        return [Problem(timings_source, error.line, 1, "error", "ALN007", error.message)]
    return alignment_problems(transcript, alignment, timings_source=timings_source)
