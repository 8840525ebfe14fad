"""Alignment outliers as problems, located at the turn's line (issue 5, item 4).

Rule codes:

* ``ALN001`` timings-turn-count: the sidecar has a different number of turns than the
  transcript (the transcript changed since ``redbox align``); error.
* ``ALN002`` timings-speaker-changed: a turn's speaker differs from the one aligned
  (same language only); warning.
* ``ALN003`` turn-length-outlier: the aligned span is far from what the turn's text
  takes at the episode's pace (:func:`episode_pace` times the synthesized length): over
  :data:`LONG_RATIO` times or under :data:`SHORT_RATIO` times it, and at least
  :data:`MIN_DIFFERENCE_MS` apart; and, in an episode of at least
  :data:`SPREAD_MIN_TURNS` spoken turns, an outlier among the episode's own turns too
  (:class:`_LengthSpread`: real voices vary far more than espeak-ng). Longer: often a
  sentence spoken but missing from the transcript, absorbed by this turn. Shorter: a
  turn squeezed in where it is not spoken (cut in the edit), unless its audio matches
  its text at least as well as the episode's median turn (``match`` <= 1: a fast
  speaker); warning.
* ``ALN004`` uncovered-speech: at least :data:`UNCOVERED_MS` of speech just before
  (or inside) this turn, or after the last turn, that no turn covers; warning.
* ``ALN005`` turn-in-silence: less than :data:`MIN_SPEECH` of the turn's span, or less
  than :data:`RELATIVE_SPEECH` of the median turn's share, sounds like speech, while the
  median turn sounds like speech at least :data:`DETECTOR_MEDIAN` of its span (in heavy
  noise the detector hears nothing anywhere); often a turn the audio lacks, placed over a
  pause; warning.
* ``ALN006`` timings-out-of-order: a turn starts before the previous one ends by more
  than :data:`OVERLAP_MS`, or ends past the audio (hand-edited sidecars); warning.
* ``ALN007`` timings-unreadable: the sidecar cannot be parsed; error.
* ``ALN008`` timings-stale-turn: a turn's words or speaker changed since ``redbox align``
  (its fingerprint is not in the timings file); ``subtitles``/``build`` time it from its
  aligned neighbours; warning (:mod:`toolkit.align.stale`).
* ``ALN009`` timings-without-fingerprints: a timings file from before fingerprints; its
  turns are matched by position, so edits go unnoticed; warning.
* ``ALN010`` turn-in-noise: the turn's speech rises less than :data:`NOISY_DB` over the
  background around it; on real voices such turns land seconds off with nothing else to
  show it (measured: white noise 15 dB under the speech); warning.
* ``ALN012``/``ALN013``: the acoustic-model engine's doubts (:mod:`toolkit.align.sphinx_checks`).
* ``ALN011`` turn-unsure: a second, independent alignment (fewer cepstra, coarse frames)
  puts the turn's start over :data:`DRIFT_MS` away from the first: the audio does not
  decide between the two places (measured: most turns over 500 ms off in music and
  after a music intro); warning.
* ``ALN014`` turn-after-long-turn: the turn before runs longer than the episode's turns
  do (:data:`OVERRUN_MADS` deviations over their median, :class:`_LengthSpread`), past
  what its text takes by at least what this turn's text takes (:data:`ROOM_FACTOR`):
  this turn may be spoken inside it, absorbed by the turn before (measured: the last
  turn after a music intro, 9 s late); warning.
* ``ALN018`` turn-starts-in-music: the sound where the turn starts is as steady as
  played music (``steady`` at least :data:`STEADY_START`, :mod:`toolkit.align.music`):
  the voice may begin later (measured: turns found 0.5-9 s early or late in a music bed
  start there, real voices' onsets stay under 0.80); warning.
* ``ALN015`` turn-between-unsure: the second alignment disagrees (ALN011) on both
  neighbours: the stretch of audio around the turn is in doubt, whatever the two say
  about this one (measured: in music, runs of turns seconds off where the two
  alignments agree on single turns); warning.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from dataclasses import dataclass

from toolkit.align.sidecar import TimingsError, format_time, parse_timings
from toolkit.align.sphinx_checks import sphinx_engine, sphinx_flags
from toolkit.align.stale import has_fingerprints, match_turns, stale_problems, unfingerprinted_problem
from toolkit.align.timings import Alignment, TurnTiming
from toolkit.limits import base_language
from toolkit.model import Problem, Severity, Transcript

LONG_RATIO = 1.8
SHORT_RATIO = 0.55
MIN_DIFFERENCE_MS = 1000
#: The range a speaker's pace may take against espeak-ng's 175 words a minute.
PACE_RANGE = (0.67, 1.5)
UNCOVERED_MS = 1000
MIN_SPEECH = 0.3
#: ALN005 is only trusted when the median turn sounds like speech at least this much.
DETECTOR_MEDIAN = 0.5
#: ALN005 also flags a turn whose share is under this fraction of the median turn's.
RELATIVE_SPEECH = 0.55
OVERLAP_MS = 200
#: Below this signal-to-background ratio (dB) every turn's timing is in doubt (ALN010).
NOISY_DB = 25.0
#: A turn whose start sounds this steady (:mod:`toolkit.align.music`) may start in music
#: (ALN018). Measured on the real-speech sets: 0.61 at the 95th percentile of real turn
#: onsets (0.79 at most); 14 of the 55 turns over 500 ms off start at 0.75 or more, and
#: 1 of the 140 within 250 ms (docs/alignment.md).
STEADY_START = 0.75
#: A second alignment this far (ms) from the first puts the turn in doubt (ALN011).
DRIFT_MS = 500
#: ALN003 also asks a turn to stand out among the episode's own turns when it has at
#: least this many spoken turns (fewer: the fixed ratios alone).
SPREAD_MIN_TURNS = 5
#: ... by over this many median absolute deviations of their log length ratios.
SPREAD_MADS = 3.0
#: The median absolute deviation is taken as at least this (log ratio; about 10 %),
#: so that an episode of near-identical turns does not flag every small difference.
MIN_SPREAD = 0.1
#: ALN014: the turn before runs longer than the episode's median turn (against their
#: synthetic lengths) by this many median absolute deviations ...
OVERRUN_MADS = 1.5
#: ... and past its text's length by this many times what this turn's text takes.
ROOM_FACTOR = 1.0


@dataclass(frozen=True)
class _LengthSpread:
    """How the episode's turns' lengths spread against their synthetic lengths (log
    ratios): a real voice pauses, laughs and hesitates, so one episode's turns may run
    0.6-5x their synthetic length, all correctly placed (measured on recorded clips),
    while on synthetic speech they stay within 10 %. A length is an outlier only
    against the episode's own spread."""

    median: float
    spread: float
    known: bool

    @staticmethod
    def of(alignment: Alignment) -> _LengthSpread:
        logs = [
            math.log((turn.end_ms - turn.start_ms) / turn.synth_ms)
            for turn in alignment.turns
            if turn.synth_ms > 0 and turn.end_ms > turn.start_ms
        ]
        if len(logs) < SPREAD_MIN_TURNS:
            return _LengthSpread(0.0, 0.0, known=False)
        median = statistics.median(logs)
        spread = statistics.median([abs(value - median) for value in logs])
        return _LengthSpread(median, max(spread, MIN_SPREAD), known=True)

    def stands_out(self, length_ms: int, synth_ms: int, mads: float = SPREAD_MADS) -> bool:
        """Whether ``length_ms`` is over ``mads`` deviations from the episode's median
        (always, when the spread is unknown)."""
        if not self.known:
            return True
        value = math.log(max(length_ms, 1) / synth_ms)
        return abs(value - self.median) > mads * self.spread

    def runs_long(self, length_ms: int, synth_ms: int, mads: float) -> bool:
        """Whether ``length_ms`` is longer than the episode's median by ``mads`` deviations."""
        if not self.known:
            return True
        return math.log(max(length_ms, 1) / synth_ms) - self.median > mads * self.spread


def episode_pace(alignment: Alignment) -> float:
    """How much longer the episode's speech takes than the synthetic speech (the median).

    Kept within :data:`PACE_RANGE`, and 1 with fewer than three spoken turns.

    >>> from toolkit.align.timings import TurnTiming
    >>> turns = tuple(TurnTiming(k, k, "Joy", 0, 1200 + 10 * k, synth_ms=1000) for k in range(5))
    >>> episode_pace(Alignment(turns, 9000))
    1.22
    """
    ratios = sorted(
        (turn.end_ms - turn.start_ms) / turn.synth_ms
        for turn in alignment.turns
        if turn.synth_ms > 0 and turn.end_ms > turn.start_ms
    )
    if len(ratios) < 3:
        return 1.0
    middle = len(ratios) // 2
    median = ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2
    return min(max(median, PACE_RANGE[0]), PACE_RANGE[1])


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
    if has_fingerprints(alignment):
        # Only the turns still as aligned are judged; the others are stale (ALN008).
        matched, stale = match_turns(transcript, alignment)
        problems = stale_problems(transcript, stale, timings_source)
        fresh = [index for index in range(len(transcript.turns)) if index not in set(stale)]
        kept = dataclasses.replace(transcript, turns=tuple(transcript.turns[index] for index in fresh))
        judged = dataclasses.replace(matched, turns=tuple(matched.turns[index] for index in fresh))
        return sorted(problems + _outliers(kept, judged, same_language=False), key=Problem.sort_key)
    problems = [unfingerprinted_problem(timings_source)] if timings_source else []
    if len(alignment.turns) != len(transcript.turns):
        return [
            *problems,
            _problem(
                source,
                0,
                "error",
                "ALN001",
                f"the timings{where} have {len(alignment.turns)} turns but the transcript has "
                f"{len(transcript.turns)}; run redbox align again",
            ),
        ]
    aligned_language = dict(alignment.meta).get("language", "")
    same_language = not aligned_language or base_language(aligned_language) == base_language(
        transcript.language or aligned_language
    )
    return sorted(
        problems + _outliers(transcript, alignment, same_language=same_language), key=Problem.sort_key
    )


def _outliers(transcript: Transcript, alignment: Alignment, *, same_language: bool) -> list[Problem]:
    """ALN002-ALN006 and ALN010 for turns that match their timings row by position."""
    source = transcript.source
    problems: list[Problem] = []
    previous: TurnTiming | None = None
    pace = episode_pace(alignment)
    # In heavy noise the energy voice detector hears little speech anywhere; a turn's
    # share then says nothing about that turn.
    shares = sorted(turn.speech for turn in alignment.turns if turn.end_ms > turn.start_ms)
    typical_share = shares[len(shares) // 2] if shares else 0.0
    detector_works = typical_share >= DETECTOR_MEDIAN
    # A turn is "in silence" against the episode's own typical share, or absolutely.
    silent_below = max(MIN_SPEECH, RELATIVE_SPEECH * typical_share)
    by_sphinx = sphinx_engine(alignment)
    lengths = _LengthSpread.of(alignment)
    timings = alignment.turns
    for position, (turn, timing) in enumerate(zip(transcript.turns, timings, strict=True)):
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
        expected = round(timing.synth_ms * pace)
        if timing.synth_ms > 0 and abs(length - expected) >= MIN_DIFFERENCE_MS:
            ratio = length / expected if expected else LONG_RATIO + 1
            # A short turn that matches its text at least as well as the episode's median
            # turn is a fast speaker, not a turn squeezed in where it is not spoken
            # (measured: a real fluent turn at 0.58x, match 0.83; a squeezed synthetic
            # turn at 0.63x, match 1.40, the episode's worst).
            fluent = ratio < 1 and 0 < timing.match <= 1.0
            outlier = ratio > LONG_RATIO or ratio < SHORT_RATIO
            if outlier and not fluent and lengths.stands_out(length, timing.synth_ms):
                kind = "longer" if ratio > 1 else "shorter"
                hint = (
                    "is speech missing from the transcript here?"
                    if ratio > 1
                    else "is this turn really spoken here (cut in the edit?)"
                )
                problems.append(
                    _problem(
                        source,
                        line,
                        "warning",
                        "ALN003",
                        f"turn at {at} lasts {length / 1000:.1f} s, {ratio:.1f}x {kind} than the "
                        f"{expected / 1000:.1f} s its text takes at this episode's pace: {hint}",
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
        if length > 0 and timing.speech < silent_below and detector_works:
            problems.append(
                _problem(
                    source,
                    line,
                    "warning",
                    "ALN005",
                    f"turn at {at} lands in silence ({timing.speech:.0%} speech): check its timing by ear",
                )
            )
        if 0 < timing.snr_db < NOISY_DB and length > 0:
            problems.append(
                _problem(
                    source,
                    line,
                    "warning",
                    "ALN010",
                    f"turn at {at} rises only {timing.snr_db:.0f} dB over the background around it: "
                    "in noise this loud its timing is not reliable; check it by ear",
                )
            )
        # (the sphinx engine's drift is the DTW's opinion: ALN016, toolkit.align.sphinx_checks)
        if timing.drift_ms > DRIFT_MS and length > 0 and not by_sphinx:
            problems.append(
                _problem(
                    source,
                    line,
                    "warning",
                    "ALN011",
                    f"turn at {at}: a second alignment puts its start {timing.drift_ms / 1000:.1f} s away; "
                    "the audio does not decide between them: check it by ear",
                )
            )
        if timing.steady >= STEADY_START and length > 0:
            problems.append(
                _problem(
                    source,
                    line,
                    "warning",
                    "ALN018",
                    f"turn at {at} starts in sound as steady as played music ({timing.steady:.2f}): "
                    "the voice may begin later; check it by ear",
                )
            )
        if length > 0 and previous is not None:
            neighbours = _Neighbours(previous, timings[position + 1] if position + 1 < len(timings) else None)
            problems.extend(
                _neighbour_problems(source, line, at, timing, neighbours, pace, lengths, by_sphinx)
            )
        # ALN012-ALN013: the acoustic-model engine's own doubts (toolkit.align.sphinx_checks).
        for code, message in sphinx_flags(timing, at) if by_sphinx else []:
            problems.append(_problem(source, line, "warning", code, message))
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
    return problems


@dataclass(frozen=True)
class _Neighbours:
    previous: TurnTiming
    following: TurnTiming | None


def _neighbour_problems(
    source: str,
    line: int,
    at: str,
    timing: TurnTiming,
    neighbours: _Neighbours,
    pace: float,
    lengths: _LengthSpread,
    sphinx: bool = False,
) -> list[Problem]:
    """ALN014 and ALN015: doubts its neighbours raise (ALN015 not on sphinx timings: ALN016)."""
    problems: list[Problem] = []
    previous, following = neighbours.previous, neighbours.following
    previous_length = previous.end_ms - previous.start_ms
    overrun = previous_length - previous.synth_ms * pace
    # Room for this turn spoken fluently (its text at espeak-ng's pace, or the episode's
    # when faster), as a "shorter" turn is judged (ALN003).
    room = ROOM_FACTOR * timing.synth_ms * min(pace, 1.0)
    if (
        previous.synth_ms > 0
        and timing.synth_ms > 0
        and overrun >= max(room, MIN_DIFFERENCE_MS)
        and lengths.runs_long(previous_length, previous.synth_ms, OVERRUN_MADS)
    ):
        problems.append(
            _problem(
                source,
                line,
                "warning",
                "ALN014",
                f"turn at {at}: the turn before runs {overrun / 1000:.1f} s past what its text takes, "
                "room for this turn: it may be spoken in there; check it by ear",
            )
        )
    if (
        following is not None
        and not sphinx
        and previous.drift_ms > DRIFT_MS
        and following.drift_ms > DRIFT_MS
        and previous_length > 0
        and following.end_ms > following.start_ms
    ):
        problems.append(
            _problem(
                source,
                line,
                "warning",
                "ALN015",
                f"turn at {at}: a second alignment puts both neighbouring turns elsewhere "
                f"({previous.drift_ms / 1000:.1f} s, {following.drift_ms / 1000:.1f} s): "
                "the audio around this turn is in doubt; check it by ear",
            )
        )
    return problems


def sidecar_problems(transcript: Transcript, timings_text: str, timings_source: str) -> list[Problem]:
    """Parse a sidecar's text and check it against ``transcript`` (for ``redbox check``).

    An unreadable sidecar is one ``ALN007`` error at its own line.
    """
    try:
        alignment = parse_timings(timings_text, timings_source)
    except TimingsError as error:
        return [Problem(timings_source, error.line, 1, "error", "ALN007", error.message)]
    return alignment_problems(transcript, alignment, timings_source=timings_source)
