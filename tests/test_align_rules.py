"""Cues timed from an alignment (issue 5 item 3) and the outlier checks (item 4)."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.align.checks import alignment_problems, sidecar_problems
from toolkit.align.rules import HOLD_MS, aligned_cues, turn_slots
from toolkit.align.sidecar import TimingsError, format_timings
from toolkit.align.timings import Alignment, TurnTiming, word_spans
from toolkit.model import Transcript, Turn
from toolkit.subtitles import SubtitleOptions, build_cues
from toolkit.timing import TimingOptions

GAP = TimingOptions().min_gap_ms  # two frames at 23.976 fps


def episode(*texts: str, language: str = "en", speakers: tuple[str, ...] = ("Joy", "Dasom")) -> Transcript:
    turns = tuple(Turn(speakers[index % len(speakers)], text, 10 + index) for index, text in enumerate(texts))
    return Transcript("ep.txt", (("language", language),), turns)


def timing(
    index: int, turn: Turn, start: int, end: int, *, even_words: bool = True, **extra: float
) -> TurnTiming:
    count = len(word_spans(turn.text))
    words = tuple(start + (end - start) * k // count for k in range(count)) if even_words else ()
    return TurnTiming(
        index,
        turn.line,
        turn.speaker,
        start,
        end,
        synth_ms=int(extra.get("synth_ms", end - start)),
        speech=float(extra.get("speech", 1.0)),
        uncovered_ms=int(extra.get("uncovered_ms", 0)),
        words=words,
    )


def align(transcript: Transcript, *spans: tuple[int, int], audio_ms: int = 600_000) -> Alignment:
    return Alignment(
        tuple(
            timing(index, turn, *span)
            for index, (turn, span) in enumerate(zip(transcript.turns, spans, strict=True))
        ),
        audio_ms,
        meta=(("language", transcript.language),),
    )


OPTIONS = SubtitleOptions(labels="change")


def test_each_turn_starts_when_its_speech_starts_and_holds_after_it_ends() -> None:
    transcript = episode("Welcome to the Red Box!", "Are there any misunderstandings?")
    cues = aligned_cues(transcript, align(transcript, (1020, 2300), (5000, 7100)), OPTIONS)
    assert [(cue.start_ms, cue.end_ms) for cue in cues] == [(1020, 2300 + HOLD_MS), (5000, 7100 + HOLD_MS)]
    assert cues[0].text == "Joy: Welcome to the Red Box!"


def test_the_hold_never_runs_into_the_next_cue_and_short_gaps_close_to_two_frames() -> None:
    spans = (1000, 3000), (3150, 5000), (5600, 6700), (7900, 8900)
    transcript = episode("Welcome to the Red Box!", "Are there any misunderstandings?", "Right.", "Yes.")
    cues = aligned_cues(transcript, align(transcript, *spans), OPTIONS)
    assert cues[0].end_ms == 3150 - GAP  # 150 ms of silence: no hold past the next start
    assert cues[1].end_ms == 5600 - GAP  # 350 ms left after the hold: closed to 2 frames
    assert cues[2].end_ms == 6700 + HOLD_MS  # 950 ms left to the next: kept, with the hold
    assert [cue.start_ms for cue in cues] == [1000, 3150, 5600, 7900]


def test_a_short_turn_lasts_five_sixths_of_a_second_where_the_gap_allows() -> None:
    transcript = episode("Right.", "Misunderstandings?", "Yes.")
    cues = aligned_cues(transcript, align(transcript, (1000, 1200), (4000, 4300), (4700, 5000)), OPTIONS)
    assert cues[0].end_ms - cues[0].start_ms == 833
    # Only 400 ms to the next turn: it keeps the gap rather than the minimum.
    assert cues[1].end_ms <= cues[2].start_ms - GAP


def test_a_long_turn_is_cut_at_its_cue_boundaries_timed_by_its_words() -> None:
    text = (
        "When I first came to South Korea, I was working part-time at a convenience store. "
        "I was still very young and had a very heavy North Korean accent. "
        "People would ask me where I'm from, and I'd tell them that I'm from North Korea."
    )
    transcript = episode(text)
    # The speaker pauses for three seconds after the first sentence.
    turn = transcript.turns[0]
    spans = word_spans(turn.text)
    pause_after = next(index for index, (_s, end) in enumerate(spans) if turn.text[end - 1] == ".")
    words = []
    clock = 2000
    for index in range(len(spans)):
        words.append(clock)
        clock += 300 + (3000 if index == pause_after else 0)
    alignment = Alignment((TurnTiming(0, turn.line, turn.speaker, 2000, clock, words=tuple(words)),), 600_000)
    cues = aligned_cues(transcript, alignment, OPTIONS)
    assert len(cues) >= 3
    assert all(cue.end_ms - cue.start_ms <= 7000 for cue in cues)
    # Every cue starts exactly when its first word is heard.
    first_words = []
    position = 0
    for cue in cues:
        content = cue.text.removeprefix("Joy:").split()
        first_words.append(words[position])
        position += len(content)
    assert [cue.start_ms for cue in cues] == first_words
    # The cue after the pause starts after it, not spread evenly over the turn.
    second_sentence = next(cue for cue in cues if cue.text.startswith("I was still"))
    assert second_sentence.start_ms == words[pause_after + 1]


def test_proportional_turn_slots_match_the_subtitle_engine() -> None:
    transcript = episode("Welcome to the Red Box!", "Are there any misunderstandings?")
    alignment = align(transcript, (1020, 2300), (5000, 7100))
    slots = turn_slots(transcript, alignment)
    assert [(slot.start_ms, slot.pinned) for slot in slots] == [(1020, True), (5000, True)]
    cues = build_cues(transcript, OPTIONS, turn_slots=slots)
    assert [cue.start_ms for cue in cues] == [1020, 5000]


def test_a_translation_takes_the_aligned_times_of_the_source() -> None:
    korean = episode(
        "레드 박스에 오신 것을 환영합니다!",
        "북한 사람들에 대한 오해가 있나요?",
        language="ko",
        speakers=("조이", "다솜"),
    )
    english = episode("Welcome to the Red Box!", "Are there any misunderstandings about North Koreans?")
    alignment = align(korean, (1020, 2900), (5000, 7800))
    cues = aligned_cues(korean, alignment, OPTIONS, text_from=english)
    assert [cue.start_ms for cue in cues] == [1020, 5000]
    assert cues[0].text.startswith("Joy: Welcome")


def test_timings_for_another_number_of_turns_are_refused() -> None:
    transcript = episode("One.", "Two.")
    alignment = align(episode("One."), (0, 500))
    with pytest.raises(TimingsError, match="1 turns but the transcript has 2"):
        turn_slots(transcript, alignment)


# --- outliers -----------------------------------------------------------------------


def codes(transcript: Transcript, alignment: Alignment) -> list[tuple[int, str]]:
    return [(problem.line, problem.code) for problem in alignment_problems(transcript, alignment)]


def test_aln001_a_sidecar_for_another_version_of_the_transcript() -> None:
    transcript = episode("One.", "Two.")
    assert codes(transcript, align(episode("One."), (0, 500))) == [(0, "ALN001")]


def test_aln002_a_turn_given_to_another_speaker_since_alignment() -> None:
    aligned = episode("One.", "Two.")
    edited = episode("One.", "Two.", speakers=("Joy", "Ilhyeok"))
    assert codes(edited, align(aligned, (0, 500), (900, 1500))) == [(11, "ALN002")]


def test_aln003_a_turn_far_longer_than_its_text() -> None:
    transcript = episode("Welcome to the Red Box!", "Some people ask because they don't know.")
    alignment = align(transcript, (0, 1500), (2000, 9000))
    alignment = Alignment(
        (alignment.turns[0], timing(1, transcript.turns[1], 2000, 9000, synth_ms=2100)), 10_000
    )
    assert codes(transcript, alignment) == [(11, "ALN003")]


def test_aln003_a_turn_far_shorter_than_its_text() -> None:
    transcript = episode("Some people ask because they don't know. Not everyone in North Korea is like that.")
    alignment = Alignment((timing(0, transcript.turns[0], 0, 900, synth_ms=4800),), 10_000)
    assert codes(transcript, alignment) == [(10, "ALN003")]


def test_aln004_speech_that_no_turn_covers() -> None:
    transcript = episode("One.", "Two.")
    alignment = Alignment(
        (
            timing(0, transcript.turns[0], 0, 500),
            timing(1, transcript.turns[1], 5000, 5500, uncovered_ms=2400),
        ),
        9000,
        trailing_uncovered_ms=1800,
    )
    assert codes(transcript, alignment) == [(11, "ALN004"), (11, "ALN004")]


def test_aln005_a_turn_that_lands_in_silence() -> None:
    transcript = episode("One.", "Two.")
    alignment = Alignment(
        (timing(0, transcript.turns[0], 0, 500), timing(1, transcript.turns[1], 900, 1500, speech=0.1)), 9000
    )
    assert codes(transcript, alignment) == [(11, "ALN005")]


def test_aln006_hand_edited_times_out_of_order_or_past_the_audio() -> None:
    transcript = episode("One.", "Two.")
    alignment = Alignment(
        (timing(0, transcript.turns[0], 0, 3000), timing(1, transcript.turns[1], 1000, 9500)), 9000
    )
    assert codes(transcript, alignment) == [(11, "ALN006"), (11, "ALN006")]


def test_aln007_an_unreadable_sidecar_is_one_error_at_its_line() -> None:
    transcript = episode("One.")
    text = format_timings(align(transcript, (0, 500))).replace("00:00:00.500", "soon")
    problems = sidecar_problems(transcript, text, "ep.timings.tsv")
    assert [(p.source, p.line, p.severity, p.code) for p in problems] == [
        ("ep.timings.tsv", 6, "error", "ALN007")
    ]


SENTENCES = (
    "Right.",
    "Welcome to the Red Box!",
    "When I first came to South Korea, I was working part-time at a convenience store.",
    "People think that all North Koreans are poor, ignorant, and uneducated. People have told me "
    "that even though I must have starved and lived poorly in North Korea, I don't look the part.",
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(SENTENCES), st.integers(0, 3000), st.integers(30, 150)),
        min_size=1,
        max_size=6,
    )
)
def test_aligned_cues_never_overlap_and_keep_the_limits(turns: list[tuple[str, int, int]]) -> None:
    transcript = episode(*(text for text, _gap, _rate in turns))
    spans = []
    cursor = 500
    # Speech from 7 to 33 characters a second: fast to slow, never impossible.
    for text, gap, ms_per_char in turns:
        length = len(text) * ms_per_char
        spans.append((cursor + gap, cursor + gap + length))
        cursor += gap + length
    cues = aligned_cues(transcript, align(transcript, *spans), OPTIONS)
    assert cues
    for cue, following in itertools.pairwise(cues):
        assert following.start_ms - cue.end_ms >= GAP
    for cue in cues:
        assert 0 < cue.end_ms - cue.start_ms <= 7000
    # Every turn's first cue starts when the turn is heard.
    firsts = {cue.line: cue.start_ms for cue in reversed(cues)}
    assert [firsts[turn.line] for turn in transcript.turns] == [start for start, _end in spans]


def test_cues_come_straight_from_a_timings_file() -> None:
    from toolkit.align.rules import cues_from_timings_text

    transcript = episode("Welcome to the Red Box!", "Are there any misunderstandings?")
    text = format_timings(align(transcript, (1020, 2300), (5000, 7100)))
    # A file without fingerprints (hand-made or older) is used by position, with a warning.
    cues, problems = cues_from_timings_text(transcript, text, "ep.timings.tsv", OPTIONS)
    assert [cue.start_ms for cue in cues] == [1020, 5000]
    assert [problem.code for problem in problems] == ["ALN009"]
    with pytest.raises(TimingsError, match=r"ep\.timings\.tsv: the timings have 2 turns"):
        cues_from_timings_text(episode("One."), text, "ep.timings.tsv", OPTIONS)


def test_aln011_a_turn_a_second_alignment_puts_elsewhere() -> None:
    transcript = episode("Welcome to the Red Box!", "Some people ask because they don't know.")
    first, second = align(transcript, (0, 1500), (2000, 4500)).turns
    unsure = Alignment((first, dataclasses.replace(second, drift_ms=2600)), 10_000)
    assert codes(transcript, unsure) == [(11, "ALN011")]
    problem = alignment_problems(transcript, unsure)[0]
    assert "2.6 s away" in problem.message
    # Within the goal's own tolerance (500 ms) the two alignments agree: no flag.
    agreeing = Alignment((first, dataclasses.replace(second, drift_ms=500)), 10_000)
    assert codes(transcript, agreeing) == []


# Lengths of real voices against espeak-ng (length / synthetic length), as measured on the
# realspeech set en_clips: they pause, laugh and hesitate, and every one of these turns
# was placed within 250 ms of the truth.
REAL_RATIOS = (
    0.91, 1.38, 0.64, 1.88, 1.18, 5.0, 2.47, 2.5, 1.22, 1.12, 1.37, 2.64, 3.04, 1.19,
    2.06, 0.73, 2.73, 2.25, 1.26, 2.23, 0.79, 2.39, 0.88, 1.64, 2.38, 1.37,
)


def spread_episode(ratios: tuple[float, ...], synth_ms: int = 2000) -> tuple[Transcript, Alignment]:
    transcript = episode(*(f"Turn number {k}." for k in range(len(ratios))))
    turns, cursor = [], 1000
    for index, (turn, ratio) in enumerate(zip(transcript.turns, ratios, strict=True)):
        length = round(synth_ms * ratio)
        turns.append(timing(index, turn, cursor, cursor + length, synth_ms=synth_ms))
        cursor += length + 500
    return transcript, Alignment(tuple(turns), cursor + 1000)


def test_aln003_judges_a_length_against_the_episodes_own_spread() -> None:
    # Real voices: 0.64-5x their synthetic length, all correct; none stands out.
    transcript, alignment = spread_episode(REAL_RATIOS)
    assert "ALN003" not in [code for _line, code in codes(transcript, alignment)]
    # The same 5x turn among turns that all keep espeak-ng's pace stands out.
    transcript, alignment = spread_episode((1.0, 1.05, 0.95, 1.0, 5.0, 1.0, 0.98, 1.02))
    # (and the turn after it: the overrun could hold it, ALN014)
    assert codes(transcript, alignment) == [(14, "ALN003"), (15, "ALN014")]


def test_aln003_a_short_turn_that_matches_its_text_well_is_a_fast_speaker() -> None:
    # As measured: a real fluent turn at 0.58x its synthetic length matched its text
    # better than the episode's median turn (0.83); a turn squeezed in where it is not
    # spoken, at 0.63x, matched worst of its episode (1.40).
    transcript = episode(*(f"Turn number {k}." for k in range(3)))
    alignment = align(transcript, (0, 2400), (3000, 4200), (5000, 7400))
    turns = [dataclasses.replace(t, synth_ms=2000, match=1.0) for t in alignment.turns]
    fast = dataclasses.replace(turns[1], match=0.83)
    assert codes(transcript, Alignment((turns[0], fast, turns[2]), 10_000)) == []
    squeezed = dataclasses.replace(turns[1], match=1.4)
    assert codes(transcript, Alignment((turns[0], squeezed, turns[2]), 10_000)) == [(11, "ALN003")]


def test_aln014_a_turn_after_one_that_ran_long_enough_to_hold_it() -> None:
    transcript = episode("Welcome to the Red Box!", "Some people ask.", "Why?")
    first = timing(0, transcript.turns[0], 0, 12_000, synth_ms=1500)
    second = timing(1, transcript.turns[1], 12_500, 14_000, synth_ms=1500)
    third = timing(2, transcript.turns[2], 14_500, 15_000, synth_ms=500)
    found = codes(transcript, Alignment((first, second, third), 20_000))
    assert (11, "ALN014") in found and (12, "ALN014") not in found
    # An overrun with no room for the next turn (1.3 s for its 1.5 s) says nothing about it.
    first = timing(0, transcript.turns[0], 0, 2800, synth_ms=1500)
    found = codes(transcript, Alignment((first, second, third), 20_000))
    assert (11, "ALN014") not in found


def test_aln018_a_turn_that_starts_in_sound_as_steady_as_music() -> None:
    """Real voices' onsets measured stay under 0.80 (0.61 at the 95th percentile); turns
    found early or late in a music bed start in steadier sound (up to 0.87)."""
    transcript = episode("Welcome to the Red Box!", "Some people ask because they don't know.")
    first, second = align(transcript, (0, 1500), (2000, 4500)).turns
    in_music = Alignment((first, dataclasses.replace(second, steady=0.81)), 10_000)
    assert codes(transcript, in_music) == [(11, "ALN018")]
    assert "as steady as played music (0.81)" in alignment_problems(transcript, in_music)[0].message
    voiced = Alignment((first, dataclasses.replace(second, steady=0.6)), 10_000)
    assert codes(transcript, voiced) == []


def test_aln015_a_turn_whose_neighbours_a_second_alignment_puts_elsewhere() -> None:
    transcript = episode("One more.", "Two more.", "Three more.")
    aligned = align(transcript, (0, 1500), (2000, 3500), (4000, 5500)).turns
    unsure = [
        dataclasses.replace(aligned[0], drift_ms=2600),
        aligned[1],
        dataclasses.replace(aligned[2], drift_ms=900),
    ]
    assert codes(transcript, Alignment(tuple(unsure), 10_000)) == [
        (10, "ALN011"),
        (11, "ALN015"),
        (12, "ALN011"),
    ]
    # One unsure neighbour is not enough.
    unsure[2] = aligned[2]
    assert codes(transcript, Alignment(tuple(unsure), 10_000)) == [(10, "ALN011")]
