"""Timings that cannot go stale: a turn takes its aligned times only while its words and
speaker are those that were aligned.

Every row of a timings file carries the fingerprint of its turn
(:func:`~toolkit.align.timings.turn_fingerprint`). The transcript's turns are matched to
the rows by fingerprint, in order (:class:`difflib.SequenceMatcher`), so an edited,
added or removed turn never shifts the others. A turn without a matching row is timed
from its neighbours:

* turns that replace aligned turns (a typo fixed, a sentence reworded) share the span
  those turns were heard in, by characters: the audio did not change;
* turns added between two aligned turns share the gap between them;
* a turn after the last aligned one runs from there to the end of the audio.

Each such turn is one ``ALN008`` warning at its line, naming the turn to align again.
A file written before fingerprints (``# redbox timings 1``) is matched by position, as
before, with one ``ALN009`` warning: edits cannot be told apart there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from difflib import SequenceMatcher

from toolkit.align.timings import Alignment, TurnTiming, spoken_text, turn_fingerprint
from toolkit.model import Problem, Transcript, Turn

STALE_CODE = "ALN008"
UNFINGERPRINTED_CODE = "ALN009"


def has_fingerprints(alignment: Alignment) -> bool:
    """True when the timings file records its turns' fingerprints (version 2 on)."""
    return any(timing.fingerprint for timing in alignment.turns)


def _weight(turn: Turn) -> int:
    return max(1, sum(1 for char in spoken_text(turn.text) if not char.isspace()))


def _spread(turns: Sequence[Turn], start_ms: int, end_ms: int) -> list[tuple[int, int]]:
    """``turns`` laid end to end over ``[start_ms, end_ms]`` in proportion to their letters."""
    weights = [_weight(turn) for turn in turns]
    total = sum(weights)
    length = max(0, end_ms - start_ms)
    spans = []
    done = 0
    for weight in weights:
        first = start_ms + length * done // total
        done += weight
        spans.append((first, start_ms + length * done // total))
    return spans


def match_turns(transcript: Transcript, alignment: Alignment) -> tuple[Alignment, list[int]]:
    """An alignment with one row per turn of ``transcript``, and the indexes of its stale turns.

    Rows whose fingerprint matches keep their times; the others are estimated (see the
    module documentation) and carry no words and no fingerprint.
    """
    turns = transcript.turns
    wanted = [turn_fingerprint(turn.speaker, turn.text) for turn in turns]
    found = [timing.fingerprint for timing in alignment.turns]
    rows: list[TurnTiming | None] = [None] * len(turns)
    # (first, last) old rows that each unmatched new turn replaced, if any.
    replaced: dict[int, tuple[int, int]] = {}
    matcher = SequenceMatcher(None, found, wanted, autojunk=False)
    for tag, old_first, old_last, new_first, new_last in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(new_last - new_first):
                rows[new_first + offset] = alignment.turns[old_first + offset]
        elif tag == "replace":
            for index in range(new_first, new_last):
                replaced[index] = (old_first, old_last - 1)
    stale = [index for index, row in enumerate(rows) if row is None]
    index = 0
    while index < len(turns):
        if rows[index] is not None:
            index += 1
            continue
        run_end = index
        while run_end < len(turns) and rows[run_end] is None and replaced.get(run_end) == replaced.get(index):
            run_end += 1
        previous = next((row for row in reversed(rows[:index]) if row is not None), None)
        following = next((row for row in rows[run_end:] if row is not None), None)
        if index in replaced:
            old_first, old_last = replaced[index]
            start_ms, end_ms = alignment.turns[old_first].start_ms, alignment.turns[old_last].end_ms
        else:
            start_ms = previous.end_ms if previous is not None else 0
            end_ms = following.start_ms if following is not None else max(alignment.audio_ms, start_ms)
        run = turns[index:run_end]
        for offset, (first, last) in enumerate(_spread(run, start_ms, end_ms)):
            turn = run[offset]
            rows[index + offset] = TurnTiming(index + offset, turn.line, turn.speaker, first, last)
        index = run_end
    timed = tuple(
        dataclasses.replace(row, index=number) for number, row in enumerate(rows) if row is not None
    )
    return dataclasses.replace(alignment, turns=timed), stale


def stale_problems(transcript: Transcript, stale: Sequence[int], timings_source: str) -> list[Problem]:
    """One ``ALN008`` warning per stale turn, at its line."""
    where = f" ({timings_source})" if timings_source else ""
    problems = []
    for index in stale:
        turn = transcript.turns[index]
        problems.append(
            Problem(
                transcript.source,
                turn.line,
                1,
                "warning",
                STALE_CODE,
                f"turn {index + 1} ({turn.speaker}) changed since redbox align: its words or speaker "
                f"differ from the timings file's{where}, so it is timed from its aligned neighbours; "
                "run redbox align again",
            )
        )
    return problems


def unfingerprinted_problem(timings_source: str) -> Problem:
    """The ``ALN009`` warning for a timings file older than fingerprints."""
    return Problem(
        timings_source,
        1,
        1,
        "warning",
        UNFINGERPRINTED_CODE,
        "this timings file predates turn fingerprints (redbox timings 1): turns are matched by "
        "position and an edited turn cannot be detected; run redbox align again",
    )


def fresh_alignment(
    transcript: Transcript, alignment: Alignment, timings_source: str
) -> tuple[Alignment, list[Problem]]:
    """The alignment to time ``transcript`` with, and the warnings about it.

    With fingerprints: :func:`match_turns` and an ``ALN008`` per stale turn. Without:
    the alignment as it is (the caller checks the turn count) and one ``ALN009``.
    """
    if not has_fingerprints(alignment):
        return alignment, [unfingerprinted_problem(timings_source)]
    matched, stale = match_turns(transcript, alignment)
    return matched, stale_problems(transcript, stale, timings_source)
