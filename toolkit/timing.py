"""Timing subtitles without audio: a speech-rate model, anchors, and the Netflix timing rules.

Two layers, so that other stages can reuse the first or replace it:

1. **Turn slots.** :func:`plan_turn_slots` gives every turn of a transcript a
   :class:`TurnSlot` from a speech-rate model of the source language plus a pause
   between turns. Anchored turns (``[00:01:23] Joy: …``) start at their anchor and the
   turns between two anchors share the time between them; with no anchor at all,
   ``duration_ms`` stretches or squeezes the episode to the video's length. Forced
   alignment produces slots of its own.
2. **Cue times.** :func:`share_slot` shares a turn's slot between its cues in proportion
   to their width, and :func:`fit_cue_times` enforces the rules on the whole list:
   5/6 s to 7 s a cue, at least 2 frames between cues, gaps of 3 to 11 frames closed to
   2 frames (Netflix Subtitle Timing Guidelines, as Subtitle Edit's Netflix checker
   implements them; URLs in ``docs/subtitles.md``), no overlaps. Pinned cues (the first
   cue of an anchored or aligned turn) keep their start when the text fits; when it
   does not, the minimum duration is given up before the anchor is.

Speech-rate defaults, in the units :func:`toolkit.limits.text_width` counts (characters
in English; in Korean a syllable counts 1 and a space or Latin letter 0.5):

* English: 15 characters a second. Conversational English runs at about 150-180 words a
  minute (the BBC Subtitle Guidelines §4 set their subtitle rate to 160-180 wpm to
  follow speech); at 5.5-6 characters a word with its space that is 14-18 characters a
  second, and we take the slower end because interviews pause.
* Korean: 6.5 units a second, about 5.5 syllables a second plus spaces. Lee, Shin, Yoo &
  Kim, "Speech rate in Korean across region, gender and generation", *Phonetics and
  Speech Sciences* 9(1):27-39 (2017), measure speaking rate including pauses in
  syllables a second over 412 speakers of the Korean Standard Speech Database; the
  5.5 figure is our reading of that range and is **not** quoted from the paper.

Both are overridable with ``rate``. Every time is an integer in milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.limits import LanguageLimits, base_language, limits_for
from toolkit.model import Cue, CuePart, Problem, Transcript, pickled_by_constructor
from toolkit.segment import break_lines, fast_width
from toolkit.timecode import format_clock

#: Default speech rates in width units a second (see the module docstring for sources).
DEFAULT_RATES: dict[str, float] = {"en": 15.0, "ko": 6.5}
#: The rate for languages without their own default.
FALLBACK_RATE = 14.0
#: Pause between two turns, in ms (turn transitions in conversation are ~200 ms,
#: Stivers et al., PNAS 106(26), 2009; an edited interview leaves a little more).
DEFAULT_PAUSE_MS = 300
DEFAULT_FPS = 23.976


@dataclass(frozen=True)
class TimingOptions:
    """How to time cues: frame rate, speech rate, offset, video length and pause."""

    fps: float = DEFAULT_FPS
    rate: float | None = None
    start_ms: int = 0
    duration_ms: int | None = None
    pause_ms: int = DEFAULT_PAUSE_MS

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails

    @property
    def min_gap_ms(self) -> int:
        """Two frames, rounded up so that a gap is never shorter than two frames.

        >>> TimingOptions().min_gap_ms, TimingOptions(fps=25).min_gap_ms
        (84, 80)
        """
        return math.ceil(2000 / self.fps - 1e-9)

    @property
    def close_below_ms(self) -> float:
        """Gaps shorter than 12 frames (half a second) are closed to two frames."""
        return 12000 / self.fps


@dataclass(frozen=True)
class TurnSlot:
    """The time a turn is spoken. ``pinned`` when its start is known (anchor, alignment)."""

    start_ms: int
    end_ms: int
    pinned: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


def speech_rate(language: str, options: TimingOptions) -> float:
    """The speech rate to use for ``language``: ``options.rate`` or the language's default.

    >>> speech_rate("ko-KR", TimingOptions())
    6.5
    """
    if options.rate is not None:
        return options.rate
    return DEFAULT_RATES.get(base_language(language), FALLBACK_RATE)


def speech_ms(text: str, limits: LanguageLimits, rate: float) -> int:
    """How long ``text`` takes to say at ``rate`` width units a second (at least 1 ms).

    >>> from toolkit.limits import ENGLISH
    >>> speech_ms("Welcome to the Red Box!", ENGLISH, 15.0)
    1533
    """
    return speech_ms_of_width(fast_width(text, limits), rate)


def speech_ms_of_width(width: float, rate: float) -> int:
    """How long text ``width`` units wide takes to say at ``rate`` width units a second
    (at least 1 ms): :func:`speech_ms` once the width is known.

    >>> speech_ms_of_width(23.0, 15.0)
    1533
    """
    return max(1, round(width / rate * 1000))


def _runs(transcript: Transcript) -> list[tuple[int, int]]:
    """Index ranges of turns that start at an anchor (or at the beginning)."""
    starts = [0] + [
        index for index, turn in enumerate(transcript.turns) if index and turn.anchor_ms is not None
    ]
    ends = [*starts[1:], len(transcript.turns)]
    return list(zip(starts, ends, strict=True))


def plan_turn_slots(transcript: Transcript, options: TimingOptions) -> list[TurnSlot]:
    """One slot per turn, from the speech-rate model, the anchors and the video length.

    >>> from toolkit.model import Turn
    >>> episode = Transcript("t.txt", (("language", "en"),),
    ...     (Turn("Joy", "Hello there.", 3), Turn("Dasom", "Right.", 4, anchor_ms=10_000)))
    >>> plan_turn_slots(episode, TimingOptions(start_ms=1000))
    [TurnSlot(start_ms=1000, end_ms=9700, pinned=False), TurnSlot(start_ms=10000, end_ms=10400, pinned=True)]
    """
    turns = transcript.turns
    if not turns:
        return []
    limits = limits_for(transcript.language or "en")
    rate = speech_rate(transcript.language or "en", options)
    natural = [speech_ms(turn.text, limits, rate) for turn in turns]
    has_anchor = any(turn.anchor_ms is not None for turn in turns)
    runs = _runs(transcript)
    slots: list[TurnSlot] = []
    for run_index, (first, stop) in enumerate(runs):
        anchor = turns[first].anchor_ms
        start = anchor if anchor is not None else options.start_ms
        length = sum(natural[first:stop]) + options.pause_ms * (stop - first - 1)
        if run_index + 1 < len(runs):
            next_anchor = turns[runs[run_index + 1][0]].anchor_ms
            assert next_anchor is not None
            available: int | None = next_anchor - options.pause_ms - start
        elif options.duration_ms is not None and (not has_anchor or options.duration_ms > start):
            available = options.duration_ms - start
        else:
            available = None
        factor = 1.0 if available is None else max(0.0, available / length)
        cursor = float(start)
        for index in range(first, stop):
            begin = round(cursor)
            cursor += natural[index] * factor
            slots.append(TurnSlot(begin, max(begin, round(cursor)), turns[index].anchor_ms is not None))
            cursor += options.pause_ms * factor
    return slots


def share_slot(slot: TurnSlot, weights: Sequence[float]) -> list[tuple[int, int]]:
    """Share a slot between cues in proportion to ``weights`` (their widths).

    >>> share_slot(TurnSlot(0, 3000), [1.0, 2.0])
    [(0, 1000), (1000, 3000)]
    """
    total = sum(weights) or 1.0
    length = slot.end_ms - slot.start_ms
    times: list[tuple[int, int]] = []
    done = 0.0
    for weight in weights:
        begin = slot.start_ms + round(length * done / total)
        done += weight
        times.append((begin, slot.start_ms + round(length * done / total)))
    return times


def _pack(
    planned: Sequence[tuple[int, int]],
    lows: Sequence[int],
    lo: int,
    hi: int | None,
    limits: LanguageLimits,
    gap: int,
) -> list[tuple[int, int]]:
    """Lay out one run of cues that starts at ``lo`` and must end a gap before ``hi``.

    ``lows`` are the cues' own minimum durations (5/6 s, or the time to read them).
    """
    high = limits.max_duration_ms
    durations = [min(high, max(low, end - start)) for (start, end), low in zip(planned, lows, strict=True)]
    times: list[tuple[int, int]] = []
    for index, ((start, _end), duration) in enumerate(zip(planned, durations, strict=True)):
        begin = max(start, lo)
        if times and begin < times[-1][1] + gap:
            previous_start, previous_end = times[-1]
            if begin - gap - previous_start >= lows[index - 1]:
                # Make room by ending the cue before a little earlier, so that cues do
                # not drift later one gap at a time.
                times[-1] = (previous_start, begin - gap)
            else:
                begin = previous_end + gap
        times.append((begin, begin + duration))
    if hi is None or not times or times[-1][1] + gap <= hi:
        return times
    # Too little time before the next pinned cue: close the planned pauses first, then
    # shorten long cues towards their minimum, and only then go below the minimum.
    count = len(planned)
    available = hi - gap - lo - gap * (count - 1)
    floor_total = sum(lows)
    if available >= sum(durations):
        pass
    elif available >= floor_total:
        spare = sum(durations) - floor_total
        factor = (available - floor_total) / spare if spare else 0.0
        durations = [
            low + math.floor((duration - low) * factor) for duration, low in zip(durations, lows, strict=True)
        ]
    else:
        durations = [max(1, available // count)] * count
    times = []
    cursor = lo
    for duration in durations:
        times.append((cursor, cursor + duration))
        cursor += duration + gap
    return times


def _close_gaps(
    times: list[tuple[int, int]], pinned: Sequence[bool], limits: LanguageLimits, options: TimingOptions
) -> None:
    """Close gaps of 3 to 11 frames to 2 frames by extending (or moving) the earlier cue."""
    gap = options.min_gap_ms
    for index in range(len(times) - 2, -1, -1):
        start, end = times[index]
        following = times[index + 1][0]
        if not gap < following - end < options.close_below_ms:
            continue
        new_end = following - gap
        if new_end - start > limits.max_duration_ms:
            if pinned[index]:
                continue
            previous_end = times[index - 1][1] if index else None
            new_start = new_end - limits.max_duration_ms
            if previous_end is not None and new_start - previous_end < gap:
                continue
            start = new_start
        times[index] = (start, new_end)


def fit_cue_times(
    planned: Sequence[tuple[int, int]],
    pinned: Sequence[bool],
    limits: LanguageLimits,
    options: TimingOptions,
    *,
    end_ms: int | None = None,
    minimums: Sequence[int] | None = None,
) -> list[tuple[int, int]]:
    """Apply the timing rules to planned cue times (in order), keeping pinned starts.

    ``end_ms`` (the video's length) is a limit no cue may pass, where the text allows.
    ``minimums`` are per-cue minimum durations above 5/6 s (the time a cue takes to read
    at the language's reading speed); they are kept wherever the anchors leave room.

    >>> from toolkit.limits import ENGLISH
    >>> fit_cue_times([(0, 300), (400, 20_000)], [False, False], ENGLISH, TimingOptions())
    [(0, 833), (917, 7917)]
    """
    gap = options.min_gap_ms
    if not planned:
        return []
    high = limits.max_duration_ms
    lows = [
        min(high, max(limits.min_duration_ms, minimums[index] if minimums else 0))
        for index in range(len(planned))
    ]
    starts = [0] + [index for index in range(1, len(planned)) if pinned[index]]
    stops = [*starts[1:], len(planned)]
    times: list[tuple[int, int]] = []
    for first, stop in zip(starts, stops, strict=True):
        if first == stop:
            continue
        lo = planned[first][0] if not times else max(planned[first][0], times[-1][1] + gap)
        hi = planned[stop][0] if stop < len(planned) else (None if end_ms is None else end_ms + gap)
        times.extend(_pack(planned[first:stop], lows[first:stop], lo, hi, limits, gap))
    _close_gaps(times, pinned, limits, options)
    return times


def timing_problems(
    transcript: Transcript,
    options: TimingOptions,
    source: str,
    *,
    slots: Sequence[TurnSlot] | None = None,
) -> list[Problem]:
    """Turns that read too fast in the time their anchors leave them (rule TIM001).

    Anchors that go backwards are the transcript parser's TRN011; here they only leave
    the turns between them no time, which TIM001 reports as well.

    ``slots`` are the turns' planned slots when the caller has them already.
    """
    problems: list[Problem] = []
    limits = limits_for(transcript.language or "en")
    if slots is None:
        slots = plan_turn_slots(transcript, options)
    for turn, slot in zip(transcript.turns, slots, strict=True):
        width = fast_width(turn.text, limits)
        seconds = (slot.end_ms - slot.start_ms) / 1000
        if width and (seconds <= 0 or width / seconds > limits.max_cps):
            speed = "no time at all" if seconds <= 0 else f"{width / seconds:.1f} characters a second"
            problems.append(
                Problem(source, turn.line, turn.label_column, "warning", "TIM001",
                        f"turn-reads-too-fast: the anchors leave {seconds:.1f} s for this turn, "
                        f"{speed} (limit {limits.max_cps:g})")
            )  # fmt: skip
    return sorted(problems, key=Problem.sort_key)


#: Rule codes of :func:`keep_reading_limits`: a cue the audio leaves too little time.
SHORT_CUE = "SUB013"
FAST_CUE = "SUB014"


#: How much earlier than planned a cue may start to get its reading time (ms).
EARLY_MS = 500
#: A cue of one word ("Right.") is given a full second where there is room: at 5/6 s it
#: flashes by (issue 13); below 5/6 s is what is reported.
ORPHAN_MS = 1000


def _reading_ms(cue: Cue, limits: LanguageLimits) -> int:
    """The least a cue may last: 5/6 s (1 s for one word), and the time to read it at the
    language's limit."""
    parts = cue.parts
    if len(parts) == 1:  # most cues: the one part's width (sum() of one float is that float)
        text = parts[0].text
        width = fast_width(text, limits)
        least = ORPHAN_MS if len(text.split(None, 1)) == 1 else limits.min_duration_ms
    else:
        width = sum(fast_width(part.text, limits) for part in parts)
        least = limits.min_duration_ms
    return min(limits.max_duration_ms, max(least, math.ceil(width / limits.max_cps * 1000)))


def _merged(first: Cue, second: Cue, limits: LanguageLimits, names: Sequence[str]) -> Cue | None:
    """One cue for two consecutive cues of one turn, when the text still fits a cue."""
    if len(first.parts) != 1 or len(second.parts) != 1 or first.line != second.line:
        return None
    speaker = first.parts[0].speaker
    if speaker != second.parts[0].speaker:
        return None
    joined = " ".join((first.text + " " + second.text).split())
    text = break_lines(joined, limits, names=names)
    lines = text.split("\n")
    too_wide = any(fast_width(line, limits) > limits.max_line_width for line in lines)
    if len(lines) > limits.max_lines or too_wide:
        return None
    return Cue(first.start_ms, second.end_ms, (CuePart(speaker, text),), first.line)


def keep_reading_limits(
    cues: Sequence[Cue],
    limits: LanguageLimits,
    options: TimingOptions,
    *,
    end_ms: int | None = None,
    names: Sequence[str] = (),
) -> list[Cue]:
    """Give every cue at least 5/6 s and the time to read it, whatever timed it.

    Speech-rate slots, anchors and forced alignment can all leave a cue too short to read
    (an aligned word run of 0.5 s). In order, until the cue has its time: extend it into
    the gap after it, then before it (never closer than 2 frames to a neighbour, never past
    ``end_ms``); borrow from a neighbour that has more than its own minimum; merge it with
    the next or previous cue of the same turn when their text fits one cue and 7 s. What
    is still short is left as it is, for :func:`reading_limit_problems` to report.

    >>> from toolkit.limits import ENGLISH
    >>> cues = [Cue(0, 500, (CuePart("Joy", "Hello there."),)), Cue(3000, 5000, (CuePart("Joy", "Hi."),))]
    >>> [(cue.start_ms, cue.end_ms) for cue in keep_reading_limits(cues, ENGLISH, TimingOptions())]
    [(0, 833), (3000, 5000)]
    """
    gap = options.min_gap_ms
    items = list(cues)
    index = 0
    while index < len(items):
        cue = items[index]
        need = _reading_ms(cue, limits)
        start, end = cue.start_ms, cue.end_ms
        if end - start < need:
            ceiling = items[index + 1].start_ms - gap if index + 1 < len(items) else end_ms
            floor = items[index - 1].end_ms + gap if index else 0
            end = max(end, min(start + need, ceiling) if ceiling is not None else start + need)
            if ceiling is not None and 0 < ceiling - end < options.close_below_ms - gap:
                end = min(ceiling, start + limits.max_duration_ms)  # no gap of 3 to 11 frames
            # In-times stay near the words: at most half a second early (BBC §5.2 allows 1.5 s).
            earliest = max(floor, start - EARLY_MS)
            moved = max(end - need, earliest)
            if index and 0 < moved - floor < options.close_below_ms - gap:
                # No gap of 3 to 11 frames: close it, or leave the start where it was.
                moved = floor if start - floor <= EARLY_MS + options.close_below_ms else start
            start = min(start, moved)
            if end - start < need and index:  # borrow from the cue before: it ends earlier
                previous = items[index - 1]
                spare = previous.end_ms - previous.start_ms - _reading_ms(previous, limits)
                shift = min(spare, need - (end - start))
                if shift > 0:
                    shorter = Cue(previous.start_ms, previous.end_ms - shift, previous.parts, previous.line)
                    items[index - 1] = shorter
                    start = min(start, max(end - need, items[index - 1].end_ms + gap))
            if end - start < need and index + 1 < len(items):  # and from the cue after: it starts later
                following = items[index + 1]
                spare = following.end_ms - following.start_ms - _reading_ms(following, limits)
                shift = min(spare, need - (end - start))
                if shift > 0:
                    items[index + 1] = Cue(following.start_ms + shift, following.end_ms, following.parts,
                                           following.line)  # fmt: skip
                    end = min(start + need, items[index + 1].start_ms - gap)
            items[index] = Cue(start, end, cue.parts, cue.line)
        if end - start < need:
            for first, second in ((index, index + 1), (index - 1, index)):
                if first < 0 or second >= len(items):
                    continue
                merged = _merged(items[first], items[second], limits, names)
                if merged is not None and merged.duration_ms <= limits.max_duration_ms:
                    items[first : second + 1] = [merged]
                    index = first - 1
                    break
        index += 1
    return items


def reading_limit_problems(cues: Sequence[Cue], limits: LanguageLimits, source: str) -> list[Problem]:
    """The cues :func:`keep_reading_limits` could not give their time (SUB013, SUB014),
    at the line of the cue's turn in ``source``, naming the cue by its number, language and time."""
    problems: list[Problem] = []
    for number, cue in enumerate(cues, 1):
        width = sum(fast_width(part.text, limits) for part in cue.parts)
        duration = cue.duration_ms
        if duration >= limits.min_duration_ms and not (
            duration > 0 and width / (duration / 1000) > limits.max_cps + 1e-9
        ):
            continue  # the common cue: nothing to say (and no clock text to make)
        where = f"{limits.language} cue {number} at {format_clock(cue.start_ms)}"
        if duration < limits.min_duration_ms:
            message = (f"cue-too-short-for-the-audio: {where} lasts {duration} ms "
                       f"(minimum {limits.min_duration_ms}); its neighbours leave no room")  # fmt: skip
            problems.append(Problem(source, cue.line, 1, "warning", "SUB013", message))
        elif duration > 0 and width / (duration / 1000) > limits.max_cps + 1e-9:
            speed = width / (duration / 1000)
            message = (f"cue-reads-too-fast-for-the-audio: {where} reads at {speed:.1f} characters "
                       f"a second (limit {limits.max_cps:g}); its neighbours leave no room")  # fmt: skip
            problems.append(Problem(source, cue.line, 1, "warning", "SUB014", message))
    return problems

