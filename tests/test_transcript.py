"""The transcript format: parsing, writing, anchors and the sample episode."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SAMPLE_TRANSCRIPT
from toolkit.transcript import match_label, parse_timestamp, parse_transcript
from toolkit.transcript_write import format_transcript


def test_sample_episode_has_its_seventeen_turns(sample_text: str) -> None:
    transcript, problems = parse_transcript(sample_text, str(SAMPLE_TRANSCRIPT))
    assert problems == []
    assert len(transcript.turns) == 17
    assert Counter(turn.speaker for turn in transcript.turns) == {
        "All": 1, "Jeongyol": 7, "Joy": 4, "Dasom": 3, "Ilhyeok": 2,
    }
    assert transcript.turns[0].speaker == "All"
    assert transcript.title == "The Red Box: Misunderstandings and Stereotypes about North Koreans"
    assert transcript.speakers == ("All", "Jeongyol", "Ilhyeok", "Joy", "Dasom")


def test_continuation_lines_stay_in_their_turn(sample_text: str) -> None:
    transcript, _ = parse_transcript(sample_text)
    last = transcript.turns[-1]
    assert last.speaker == "Dasom"
    assert last.text.startswith("What also made me uncomfortable")
    assert last.text.endswith("I hated hearing that so I wouldn't tell anyone that I was from North Korea.")
    assert last.text.count("\n") == 2
    joy = transcript.turns[3]
    assert joy.speaker == "Joy" and "There's people who live well too" in joy.text


def test_text_keeps_every_character() -> None:
    text = "Joy: “Welcome!” — it’s [in North Korea]… 100%  \n"
    transcript, problems = parse_transcript(text)
    assert problems == []
    assert transcript.turns[0].text == "“Welcome!” — it’s [in North Korea]… 100%"


def test_label_alone_on_its_line_takes_the_following_lines() -> None:
    transcript, _ = parse_transcript("Dasom:\nWhat also made me\nuncomfortable\nJoy: Right")
    assert [(t.speaker, t.text, t.line) for t in transcript.turns] == [
        ("Dasom", "What also made me\nuncomfortable", 1),
        ("Joy", "Right", 4),
    ]


def test_blank_line_inside_a_turn_is_a_paragraph_break() -> None:
    transcript, _ = parse_transcript("Joy: one\n\n\ntwo\n\nJoy: three\n")
    assert [turn.text for turn in transcript.turns] == ["one\n\ntwo", "three"]


def test_hangul_names_and_three_word_names() -> None:
    transcript, problems = parse_transcript("조이: 처음 왔을 때\nKim Jeong Yol: hi\n")
    assert problems == []
    assert [turn.speaker for turn in transcript.turns] == ["조이", "Kim Jeong Yol"]


def test_sentences_with_colons_are_not_labels() -> None:
    assert match_label("So he said: go") is None
    assert match_label("At 10:30 we met") is None
    assert match_label("See https://example.org") is None
    assert match_label("Four Word Long Name: hi") is None


def test_anchors_in_both_forms() -> None:
    transcript, problems = parse_transcript("[00:01:23] Joy: a\n[01:25.5] Dasom: b\nJoy: c\n")
    assert problems == []
    assert [turn.anchor_ms for turn in transcript.turns] == [83_000, 85_500, None]


def test_timestamp_parsing() -> None:
    assert parse_timestamp("1:02:03.25") == 3_723_250
    assert parse_timestamp("00:60") is None
    assert parse_timestamp("1:60:00") is None
    assert parse_timestamp("abc") is None


def test_header_value_keeps_its_colons_and_continuations() -> None:
    text = "---\ntitle: The Red Box: Misunderstandings\ndescription: one\n  two\n---\nJoy: hi\n"
    transcript, problems = parse_transcript(text)
    assert problems == []
    assert transcript.title == "The Red Box: Misunderstandings"
    assert transcript.get("description") == "one\ntwo"
    assert transcript.header_lines == {"title": 2, "description": 3}


def test_format_then_parse_gives_the_same_transcript(sample_text: str) -> None:
    transcript, _ = parse_transcript(sample_text)
    assert format_transcript(transcript) == sample_text


speaker_names = st.sampled_from(["Joy", "Dasom", "조이", "Kim Jeong"])
line_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\x85"),
    min_size=1,
    max_size=40,
).map(str.strip).filter(  # lines that are text as they stand: no label, no escape (see test_labels.py)
    lambda text: bool(text) and match_label(text) is None and not text.startswith("\\")
)


random_turns = st.lists(
    st.tuples(speaker_names, st.lists(line_text, min_size=1, max_size=3)), min_size=1, max_size=8
)


@given(random_turns)
def test_round_trip_of_random_turns(turns: list[tuple[str, list[str]]]) -> None:
    text = "".join(f"{speaker}: " + "\n".join(lines) + "\n" for speaker, lines in turns)
    transcript, problems = parse_transcript(text)
    assert problems == []
    assert [(turn.speaker, turn.text) for turn in transcript.turns] == [
        (speaker, "\n".join(lines)) for speaker, lines in turns
    ]
    assert parse_transcript(format_transcript(transcript))[0].turns == transcript.turns


@given(st.text(max_size=300))
def test_random_text_never_raises_and_every_problem_has_a_line(text: str) -> None:
    transcript, problems = parse_transcript(text, "random.txt")
    line_count = text.count("\n") + text.count("\r") + 1
    for problem in problems:
        assert problem.source == "random.txt"
        assert 1 <= problem.line <= line_count + 1
        assert problem.code.startswith("TRN")
    for turn in transcript.turns:
        assert turn.line >= 1
