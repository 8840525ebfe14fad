"""Timing without audio: turn slots, anchors, video length and the Netflix cue rules."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.limits import ENGLISH, KOREAN
from toolkit.model import Transcript, Turn
from toolkit.timing import (
    TimingOptions,
    TurnSlot,
    fit_cue_times,
    plan_turn_slots,
    share_slot,
    speech_ms,
    timing_problems,
)


def episode(*turns: Turn, language: str = "en") -> Transcript:
    return Transcript("episode.txt", (("language", language),), turns)


def test_turns_follow_each_other_at_the_speech_rate_with_a_pause() -> None:
    slots = plan_turn_slots(
        episode(Turn("Joy", "a" * 30, 1), Turn("Dasom", "b" * 15, 2)), TimingOptions(rate=15, pause_ms=300)
    )
    assert slots == [TurnSlot(0, 2000), TurnSlot(2300, 3300)]


def test_korean_uses_its_own_default_rate() -> None:
    assert speech_ms("가" * 13, KOREAN, 6.5) == 2000
    slots = plan_turn_slots(episode(Turn("조이", "가" * 13, 1), language="ko"), TimingOptions())
    assert slots == [TurnSlot(0, 2000)]


def test_start_offsets_the_first_turn() -> None:
    slots = plan_turn_slots(episode(Turn("Joy", "a" * 15, 1)), TimingOptions(rate=15, start_ms=5000))
    assert slots == [TurnSlot(5000, 6000)]


def test_duration_stretches_the_episode_to_the_video() -> None:
    turns = (Turn("Joy", "a" * 30, 1), Turn("Dasom", "b" * 30, 2))
    slots = plan_turn_slots(episode(*turns), TimingOptions(rate=15, pause_ms=0, duration_ms=8000))
    assert slots == [TurnSlot(0, 4000), TurnSlot(4000, 8000)]
    squeezed = plan_turn_slots(episode(*turns), TimingOptions(rate=15, pause_ms=0, duration_ms=2000))
    assert squeezed[-1].end_ms == 2000


def test_anchored_turns_start_at_their_anchor_and_the_turns_between_share_the_time() -> None:
    turns = (
        Turn("Joy", "a" * 15, 1, anchor_ms=10_000),
        Turn("Dasom", "b" * 15, 2),
        Turn("Joy", "c" * 15, 3, anchor_ms=20_000),
    )
    slots = plan_turn_slots(episode(*turns), TimingOptions(rate=15, pause_ms=0))
    assert slots[0] == TurnSlot(10_000, 15_000, pinned=True)
    assert slots[1] == TurnSlot(15_000, 20_000)
    assert slots[2] == TurnSlot(20_000, 21_000, pinned=True)


def test_share_slot_is_proportional_to_width() -> None:
    assert share_slot(TurnSlot(1000, 4000), [10, 20]) == [(1000, 2000), (2000, 4000)]


def test_cues_last_at_least_five_sixths_and_at_most_seven_seconds() -> None:
    times = fit_cue_times([(0, 100), (5000, 30_000)], [False, False], ENGLISH, TimingOptions())
    assert times == [(0, 833), (5000, 12_000)]


def test_gaps_of_three_to_eleven_frames_are_closed_to_two_frames() -> None:
    # 300 ms is about 7 frames at 23.976 fps: closed to 2 frames (84 ms).
    times = fit_cue_times([(0, 2000), (2300, 4000)], [False, False], ENGLISH, TimingOptions())
    assert times == [(0, 2216), (2300, 4000)]
    # Half a second or more is a real pause and stays.
    kept = fit_cue_times([(0, 2000), (2600, 4000)], [False, False], ENGLISH, TimingOptions())
    assert kept == [(0, 2000), (2600, 4000)]


def test_two_frames_depend_on_the_frame_rate() -> None:
    times = fit_cue_times([(0, 2000), (2010, 4000)], [False, False], ENGLISH, TimingOptions(fps=25))
    assert times[1][0] - times[0][1] >= 80
    assert TimingOptions(fps=29.97).min_gap_ms == 67


def test_an_anchor_that_leaves_too_little_time_keeps_the_anchor_and_shortens_cues() -> None:
    planned = [(0, 400), (400, 800), (800, 1200), (1500, 3000)]
    times = fit_cue_times(planned, [True, False, False, True], ENGLISH, TimingOptions())
    assert times[3][0] == 1500  # the anchored cue still starts on time
    for (_, end), (start, _) in itertools.pairwise(times):
        assert start - end >= 84


def test_tim001_reports_a_turn_that_reads_too_fast_between_anchors() -> None:
    turns = (
        Turn("Joy", "word " * 40, 4, anchor_ms=0),
        Turn("Dasom", "Fine.", 5, anchor_ms=2000),
    )
    problems = timing_problems(episode(*turns), TimingOptions(), "episode.txt")
    assert [(problem.code, problem.line, problem.severity) for problem in problems] == [
        ("TIM001", 4, "warning")
    ]
    assert "turn-reads-too-fast" in problems[0].message


def test_anchors_that_go_backwards_leave_no_time_and_tim001_says_so() -> None:
    turns = (Turn("Joy", "Hello.", 4, anchor_ms=5000), Turn("Dasom", "Hi.", 5, anchor_ms=1000))
    problems = timing_problems(episode(*turns), TimingOptions(), "episode.txt")
    assert [(problem.code, problem.line) for problem in problems] == [("TIM001", 4)]
    assert "no time at all" in problems[0].message


def test_an_unanchored_episode_reads_at_a_comfortable_speed() -> None:
    turns = tuple(Turn("Joy", "Some words that are said at an ordinary speed.", n) for n in range(1, 6))
    assert timing_problems(episode(*turns), TimingOptions(), "episode.txt") == []


@st.composite
def planned_cues(draw: st.DrawFn) -> tuple[list[tuple[int, int]], list[bool]]:
    count = draw(st.integers(min_value=1, max_value=30))
    cursor = 0
    planned: list[tuple[int, int]] = []
    pinned: list[bool] = []
    for _ in range(count):
        cursor += draw(st.integers(min_value=0, max_value=3000))
        length = draw(st.integers(min_value=0, max_value=12_000))
        planned.append((cursor, cursor + length))
        pinned.append(draw(st.booleans()))
        cursor += length
    return planned, pinned


@settings(max_examples=200, deadline=None)
@given(case=planned_cues(), fps=st.sampled_from([23.976, 24.0, 25.0, 29.97]))
def test_fitted_cues_never_overlap_and_keep_every_rule_they_can(
    case: tuple[list[tuple[int, int]], list[bool]], fps: float
) -> None:
    planned, pinned = case
    options = TimingOptions(fps=fps)
    times = fit_cue_times(planned, pinned, ENGLISH, options)
    assert len(times) == len(planned)
    for start, end in times:
        assert 0 < end - start <= ENGLISH.max_duration_ms
    for (_, end), (start, _) in itertools.pairwise(times):
        gap = start - end
        assert gap >= options.min_gap_ms
    if not any(pinned[1:]):
        # Nothing pins the cues: every minimum is kept.
        assert all(end - start >= ENGLISH.min_duration_ms for start, end in times)


@st.composite
def anchored_episodes(draw: st.DrawFn) -> Transcript:
    turns: list[Turn] = []
    clock = draw(st.integers(min_value=0, max_value=5000))
    for line in range(1, draw(st.integers(min_value=1, max_value=12)) + 1):
        anchor: int | None = None
        if draw(st.booleans()):
            clock += draw(st.integers(min_value=1, max_value=20_000))
            anchor = clock
        turns.append(
            Turn("Joy", "word " * draw(st.integers(min_value=1, max_value=30)), line, anchor_ms=anchor)
        )
    return episode(*turns)


@settings(max_examples=200, deadline=None)
@given(transcript=anchored_episodes(), duration=st.one_of(st.none(), st.integers(1000, 600_000)))
def test_turn_slots_follow_the_anchors_in_order(transcript: Transcript, duration: int | None) -> None:
    slots = plan_turn_slots(transcript, TimingOptions(duration_ms=duration))
    assert len(slots) == len(transcript.turns)
    for turn, slot in zip(transcript.turns, slots, strict=True):
        assert slot.start_ms <= slot.end_ms
        if turn.anchor_ms is not None:
            assert slot.start_ms == turn.anchor_ms and slot.pinned
    for before, after in itertools.pairwise(slots):
        assert before.end_ms <= after.start_ms
    if duration is not None and not any(turn.anchor_ms is not None for turn in transcript.turns):
        assert abs(slots[-1].end_ms - duration) <= 1
