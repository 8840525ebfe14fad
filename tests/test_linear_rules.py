"""The linear forms of the cross-file and per-file rules find exactly what the pairwise forms found."""

from __future__ import annotations

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.model import Problem, Transcript
from toolkit.speaker_names import NameIndex, names_are_close, suggest_from_index, suggest_name
from toolkit.transcript import parse_transcript
from toolkit.validate import (
    check_across_transcripts,
    check_transcript_text,
    cross_file_summary,
    spelling_problems,
)

NAMES = ["Joy", "joy", "Dasom", "Dasmo", "Da som", "Jeongyol", "Jeongyeol", "jeong yol", "Ilhyeok", "Ilhyuk",
         "정열", "정훈", "조이", "All", "Minji", "Minjy", "Kim Jeong", "Kim  Jeong", "A", "Bo"]  # fmt: skip


def _spelling_pairwise(transcripts: list[Transcript]) -> list[Problem]:
    """TRN015 as it was: every transcript against every earlier one."""
    problems: list[Problem] = []
    names_by_file = [(t, set(t.speakers) | {turn.speaker for turn in t.turns}) for t in transcripts]
    reported: set[tuple[str, str]] = set()
    for index, (transcript, names) in enumerate(names_by_file):
        for other, other_names in names_by_file[:index]:
            for name in sorted(names - other_names):
                for other_name in sorted(other_names - names):
                    if (name, other_name) in reported or not names_are_close(name, other_name):
                        continue
                    reported.add((name, other_name))
                    line = transcript.header_lines.get("speakers", 1)
                    if name not in transcript.speakers:
                        line = next(turn.line for turn in transcript.turns if turn.speaker == name)
                    message = f"speaker {name!r} here is spelt {other_name!r} in {other.source}"
                    problems.append(Problem(transcript.source, line, 1, "warning", "TRN015", message))
    return problems


def _transcript(number: int, cast: list[str], speakers: list[str]) -> Transcript:
    body = "".join(f"{speaker}: Line {index}.\n" for index, speaker in enumerate(speakers))
    text = f"---\ntitle: T\nepisode: e{number}\nlanguage: en\nspeakers: {', '.join(cast)}\n---\n{body}"
    return parse_transcript(text, f"t{number}.txt")[0]


_FILE = st.tuples(st.lists(st.sampled_from(NAMES), max_size=4), st.lists(st.sampled_from(NAMES), max_size=5))


@settings(max_examples=150, deadline=None)
@given(st.lists(_FILE, max_size=7))
def test_spelling_through_the_index_is_the_pairwise_check(files: list[tuple[list[str], list[str]]]) -> None:
    transcripts = [_transcript(number, cast, speakers) for number, (cast, speakers) in enumerate(files)]
    assert spelling_problems(transcripts) == _spelling_pairwise(transcripts)
    summaries = [cross_file_summary(transcript) for transcript in transcripts]
    assert check_across_transcripts(summaries) == check_across_transcripts(transcripts)


def test_a_summary_keeps_a_turn_only_for_a_name_outside_the_cast() -> None:
    # What `check` keeps of every transcript until the end (issue 16: memory flat in the files):
    # names of the cast are found and placed by the header.
    summary = cross_file_summary(_transcript(1, ["Joy", "Dasom"], ["Joy", "Dasom", "Zed", "Joy", "Zed"]))
    assert [(turn.speaker, turn.line) for turn in summary.turns] == [("Zed", 9)]


@given(
    st.sampled_from([*NAMES, "Dasomm", "Jongyol", "정얼", "Zed"]),
    st.lists(st.sampled_from(NAMES), max_size=8),
)
def test_suggestions_through_the_index_are_suggest_name(name: str, cast: list[str]) -> None:
    assert suggest_from_index(name, NameIndex(cast)) == suggest_name(name, cast)


def test_spelling_grows_with_the_files_not_their_square() -> None:
    """Hang guard (generous): 400 transcripts of 8 speakers each, every one with names of its own."""
    chooser = random.Random(16)

    def name() -> str:
        return "".join(
            chooser.choice("bcdfghjklmnprstvwz") + chooser.choice("aeiou") for _ in range(3)
        ).title()

    transcripts = []
    for number in range(400):
        cast = [name() for _ in range(8)]
        transcripts.append(_transcript(number, cast, cast))
    started = time.process_time()
    found = spelling_problems(transcripts)
    assert time.process_time() - started < 20
    # The first 60 files' problems are what the pairwise check finds in those files alone.
    first = {f"t{number}.txt" for number in range(60)}
    assert [problem for problem in found if problem.source in first] == _spelling_pairwise(transcripts[:60])


def _join_as_before(lines: list[str]) -> dict[str, str]:
    """Header values with continuation lines joined as the parser did, one line at a time."""
    pairs: list[tuple[str, str]] = []
    for raw in lines:
        if raw and raw[0] in " \t" and pairs:
            key, value = pairs[-1]
            pairs[-1] = (key, f"{value}\n{raw.strip()}" if value else raw.strip())
        elif ":" in raw and raw.strip():
            key, _, value = raw.partition(":")
            if key.strip() not in dict(pairs):
                pairs.append((key.strip(), value.strip()))
    return dict(pairs)


_HEADER_LINE = st.sampled_from(["description: d", "notes:", "  more", "\tand more", "", "title: T", "  x y"])


@given(st.lists(_HEADER_LINE, max_size=12))
def test_continuation_lines_join_as_before(extra: list[str]) -> None:
    lines = ["episode: e", "language: en", "speakers: Joy", *extra]
    text = "---\n" + "\n".join(lines) + "\n---\nJoy: Hi.\n"
    transcript = parse_transcript(text, "x.txt")[0]
    expected = _join_as_before(lines)
    assert {key: transcript.get(key) for key in expected} == expected


def test_many_continuation_lines_and_a_large_cast_are_read_in_linear_time() -> None:
    """Hang guards (generous): 80,000 continuation lines; 2,000 turns by names outside a cast of 2,000."""
    header = "---\ntitle: T\nepisode: e\nlanguage: en\nspeakers: Joy, Dasom\ndescription: d\n"
    text = header + "  more words here\n" * 80_000 + "---\nJoy: Hi.\nDasom: Yo.\n"
    started = time.process_time()
    transcript, _ = check_transcript_text(text, "x.txt")
    assert transcript.get("description").count("\n") == 80_000
    cast = ", ".join(f"Name{number:04d}" for number in range(2000))
    body = "".join(f"Zed{number % 50}: hello there.\n" for number in range(2000))
    header = f"---\ntitle: T\nepisode: e\nlanguage: en\nspeakers: {cast}\n---\n"
    _, problems = check_transcript_text(header + body, "y.txt")
    assert sum(problem.code == "TRN001" for problem in problems) == 2000
    assert time.process_time() - started < 30
