"""Cues timed by forced alignment (issue 5, item 3).

* In-time is where the cue's first word is heard: the aligned turn start for a turn's
  first cue, the aligned start of the cue's first word for the others.
* Out-time is where its speech ends (the next cue's first word inside a turn, the
  aligned turn end for its last cue) plus a short hold, :data:`HOLD_MS`, never into the
  next cue (Netflix allows the out-time up to 12 frames past the audio for reading).
* Gaps under half a second are closed to 2 frames, cues last at least 5/6 s where the
  gap allows, and at most 7 s: a cue whose words take longer is cut again, at its own
  boundaries, by the subtitle engine's segmenter, each piece timed by its words.

Cutting, labels and dialogue cues come from :func:`toolkit.subtitles.build_cues`; the
rule enforcement from :func:`toolkit.timing.fit_cue_times` with every cue pinned.
Translations (``text_from``) take the aligned transcript's times: a cue's position in
its translated turn (by characters) is carried to the same position in the aligned
turn's words.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.align.sidecar import TimingsError
from toolkit.align.timings import Alignment, word_spans
from toolkit.limits import LanguageLimits, limits_for
from toolkit.model import Cue, CuePart, Problem, Transcript, Turn
from toolkit.segment import cut_text, fast_width
from toolkit.subtitles import SubtitleOptions, build_cues, label_for
from toolkit.timing import TurnSlot, fit_cue_times

#: Hold after the end of speech, in ms (6 frames at 24 fps, inside Netflix's 12).
HOLD_MS = 250


def turn_slots(
    transcript: Transcript, alignment: Alignment, *, hold_ms: int = HOLD_MS, source: str = ""
) -> list[TurnSlot]:
    """One pinned :class:`TurnSlot` per turn: aligned start, aligned end plus ``hold_ms``.

    Turns match by position, so the slots fit any transcript with the same turns (a
    translation included). :class:`TimingsError` when the counts differ.
    """
    _check_count(transcript, alignment, source)
    slots: list[TurnSlot] = []
    for index, timing in enumerate(alignment.turns):
        end = timing.end_ms + hold_ms
        following = [t.start_ms for t in alignment.turns[index + 1 :] if t.end_ms > t.start_ms]
        if following and timing.end_ms <= following[0]:
            end = min(end, max(timing.end_ms, following[0]))
        slots.append(TurnSlot(timing.start_ms, max(end, timing.start_ms + 1), True))
    return slots


def with_anchors(transcript: Transcript, alignment: Alignment) -> Transcript:
    """``transcript`` with every turn anchored at its aligned start (``[hh:mm:ss.mmm]``).

    Anchors must increase, so a turn that starts no later than the one before (an empty
    turn) keeps no anchor. Subtitles then follow the audio even without the sidecar,
    though only turn starts are kept this way, not word times.
    """
    _check_count(transcript, alignment, "")
    turns = []
    last = -1
    for turn, timing in zip(transcript.turns, alignment.turns, strict=True):
        anchor = timing.start_ms if timing.start_ms > last and timing.end_ms > timing.start_ms else None
        if anchor is not None:
            last = anchor
        turns.append(dataclasses.replace(turn, anchor_ms=anchor))
    return dataclasses.replace(transcript, turns=tuple(turns))


def _check_count(transcript: Transcript, alignment: Alignment, source: str) -> None:
    if len(alignment.turns) != len(transcript.turns):
        raise TimingsError(
            f"the timings have {len(alignment.turns)} turns but the transcript has "
            f"{len(transcript.turns)}: run redbox align again",
            source or transcript.source,
        )


@dataclass(frozen=True)
class _WordClock:
    """Where each non-space character of an aligned turn is heard."""

    word_of_char: tuple[int, ...]
    starts: tuple[int, ...]
    end_ms: int

    @classmethod
    def of(cls, turn: Turn, start_ms: int, end_ms: int, words: Sequence[int]) -> _WordClock:
        spans = word_spans(turn.text)
        owners: list[int] = []
        for index, (first, last) in enumerate(spans):
            owners.extend([index] * (last - first))
        if len(words) != len(spans) or not spans:
            # No word times (hand-made sidecar): spread the turn evenly over its characters.
            count = max(len(owners), 1)
            starts = tuple(start_ms + (end_ms - start_ms) * k // count for k in range(count))
            return cls(tuple(range(len(owners))), starts, end_ms)
        # The turn's edges may have been snapped to the speech; words stay inside them.
        clamped = [min(max(word, start_ms), end_ms) for word in words]
        clamped[0] = start_ms
        return cls(tuple(owners), tuple(clamped), end_ms)

    @property
    def chars(self) -> int:
        return len(self.word_of_char)

    def at(self, fraction: float) -> int:
        """The time the speech reaches ``fraction`` (0-1) of the turn's characters."""
        if fraction >= 1.0 or not self.word_of_char:
            return self.end_ms
        char = min(int(fraction * self.chars + 1e-9), self.chars - 1)
        return self.starts[self.word_of_char[char]]


def _content(part: CuePart, options: SubtitleOptions) -> str:
    """A cue part's text without its speaker label."""
    text = part.text
    if part.speaker is not None and options.labels != "none":
        label = label_for(part.speaker)
        if text.startswith(label):
            text = text[len(label) :]
    return text


def _letters(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


def aligned_cues(
    transcript: Transcript,
    alignment: Alignment,
    options: SubtitleOptions,
    *,
    text_from: Transcript | None = None,
    hold_ms: int = HOLD_MS,
) -> list[Cue]:
    """Cues of ``transcript`` (or its translation ``text_from``) timed by ``alignment``."""
    slots = turn_slots(transcript, alignment, hold_ms=0)
    cues = build_cues(transcript, options, text_from=text_from, turn_slots=slots)
    shown = text_from or transcript
    limits = limits_for(shown.language or transcript.language or "en")
    clocks = [
        _WordClock.of(turn, timing.start_ms, timing.end_ms, timing.words)
        for turn, timing in zip(transcript.turns, alignment.turns, strict=True)
    ]
    line_to_turn = {turn.line: index for index, turn in enumerate(shown.turns)}
    planned: list[tuple[int, int, Cue]] = []
    turn_index, done = -1, 0
    for cue in cues:
        first_turn = line_to_turn.get(cue.line, turn_index)
        if first_turn != turn_index:
            turn_index, done = first_turn, 0
        if len(cue.parts) > 1:
            # A dialogue cue holds two whole turns.
            last_turn = min(turn_index + 1, len(clocks) - 1)
            planned.append((clocks[turn_index].at(0.0), clocks[last_turn].end_ms, cue))
            turn_index, done = last_turn, 0
            continue
        total = max(_letters(shown.turns[turn_index].text), 1)
        size = _letters(_content(cue.parts[0], options))
        clock = clocks[turn_index]
        start = clock.at(done / total)
        done += size
        end = clock.at(done / total)
        span = ((done - size) / total, done / total)
        planned.extend(_within_limit(start, end, cue, clock, span, limits, options))
    gap = options.timing.min_gap_ms
    for index, (start, end, cue) in enumerate(planned):
        following = planned[index + 1][0] if index + 1 < len(planned) else None
        held = end + hold_ms
        if following is not None:
            # Out-times give way to the next in-time, two frames before it, so that
            # in-times stay where the words are heard.
            held = min(held, following - gap)
            held = max(held, min(start + 1, following))
        planned[index] = (start, held, cue)
    times = fit_cue_times(
        [(start, max(end, start + 1)) for start, end, _cue in planned],
        [True] * len(planned),
        limits,
        options.timing,
        end_ms=alignment.audio_ms or None,
    )
    return [
        Cue(start, end, cue.parts, cue.line)
        for (start, end), (_s, _e, cue) in zip(times, planned, strict=True)
    ]


def _within_limit(
    start: int,
    end: int,
    cue: Cue,
    clock: _WordClock,
    span: tuple[float, float],
    limits: LanguageLimits,
    options: SubtitleOptions,
) -> list[tuple[int, int, Cue]]:
    """The cue, or, when its words take longer than 7 s, its pieces, each timed by its words."""
    if end - start <= limits.max_duration_ms:
        return [(start, end, cue)]
    part = cue.parts[0]
    content = _content(part, options)
    label = part.text[: len(part.text) - len(content)]
    width = fast_width(content, limits)
    pieces = cut_text(
        " ".join(content.split()),
        limits,
        label=label.strip(),
        max_cue_width=max(1.0, width * limits.max_duration_ms / (end - start) * 0.9),
    )
    if len(pieces) <= 1:
        return [(start, end, cue)]
    low, high = span
    letters = max(_letters(content), 1)
    result: list[tuple[int, int, Cue]] = []
    done = 0
    for number, piece in enumerate(pieces):
        size = _letters(piece) - (_letters(label) if number == 0 else 0)
        begin = clock.at(low + (high - low) * done / letters)
        done += size
        finish = clock.at(low + (high - low) * done / letters) if done < letters else end
        result.append((begin, finish, Cue(begin, finish, (CuePart(part.speaker, piece),), cue.line)))
    return result


def cues_from_timings_text(
    transcript: Transcript,
    timings_text: str,
    timings_source: str,
    options: SubtitleOptions,
    *,
    text_from: Transcript | None = None,
) -> tuple[list[Cue], list[Problem]]:
    """:func:`aligned_cues` from a timings file's text (``redbox subtitles``/``build``),
    and the warnings about it: turns edited since ``redbox align`` are timed from their
    aligned neighbours, never from stale times (:mod:`toolkit.align.stale`).

    :class:`TimingsError` (file and line) when the file is malformed, or, for a file
    without fingerprints, when its turns do not match the transcript's.
    """
    from toolkit.align.sidecar import parse_timings
    from toolkit.align.stale import fresh_alignment

    alignment, problems = fresh_alignment(
        transcript, parse_timings(timings_text, timings_source), timings_source
    )
    _check_count(transcript, alignment, timings_source)
    return aligned_cues(transcript, alignment, options, text_from=text_from), problems
