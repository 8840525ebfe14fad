"""Timings rows matched to turns by fingerprint: edits never shift or reuse stale times."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from toolkit.align.stale import fresh_alignment, match_turns
from toolkit.align.timings import Alignment, TurnTiming, turn_fingerprint
from toolkit.model import Transcript, Turn

TEXTS = ("Welcome to the Red Box!", "Are there any misunderstandings?", "Yes, many.", "Thank you.")


def transcript(*texts: str) -> Transcript:
    return Transcript(
        "ep.txt", (("language", "en"),), tuple(Turn("Joy", t, 10 + i) for i, t in enumerate(texts))
    )


def aligned(*texts: str) -> Alignment:
    rows = tuple(
        TurnTiming(i, 10 + i, "Joy", 1000 + 3000 * i, 3000 + 3000 * i, fingerprint=turn_fingerprint("Joy", t))
        for i, t in enumerate(texts)
    )
    return Alignment(rows, 20_000)


def test_unchanged_turns_keep_their_rows() -> None:
    matched, stale = match_turns(transcript(*TEXTS), aligned(*TEXTS))
    assert stale == [] and [t.start_ms for t in matched.turns] == [1000, 4000, 7000, 10000]


def test_a_reworded_turn_takes_the_span_it_was_heard_in_not_its_old_words() -> None:
    matched, stale = match_turns(
        transcript(TEXTS[0], "Is there a misunderstanding?", *TEXTS[2:]), aligned(*TEXTS)
    )
    assert stale == [1]
    assert (matched.turns[1].start_ms, matched.turns[1].end_ms) == (4000, 6000)
    assert matched.turns[1].words == () and matched.turns[1].fingerprint == ""


def test_an_inserted_turn_fills_the_gap_and_shifts_nothing() -> None:
    matched, stale = match_turns(transcript(TEXTS[0], "Hm.", *TEXTS[1:]), aligned(*TEXTS))
    assert stale == [1]
    assert (matched.turns[1].start_ms, matched.turns[1].end_ms) == (3000, 4000)
    assert [t.start_ms for t in matched.turns[2:]] == [4000, 7000, 10000]


def test_a_removed_turn_leaves_the_others_as_aligned() -> None:
    matched, stale = match_turns(transcript(TEXTS[0], *TEXTS[2:]), aligned(*TEXTS))
    assert stale == [] and [t.start_ms for t in matched.turns] == [1000, 7000, 10000]


def test_a_file_without_fingerprints_is_used_by_position_with_one_warning() -> None:
    old = Alignment(tuple(TurnTiming(i, 10 + i, "Joy", 1000 * i, 1000 * i + 500) for i in range(4)), 9000)
    result, problems = fresh_alignment(transcript(*TEXTS), old, "ep.timings.tsv")
    assert result is old and [(p.code, p.source, p.line) for p in problems] == [
        ("ALN009", "ep.timings.tsv", 1)
    ]


@given(st.lists(st.sampled_from([*TEXTS, "New words.", "Other words."]), max_size=8))
def test_any_edit_gives_one_row_per_turn_in_order(texts: list[str]) -> None:
    matched, stale = match_turns(transcript(*texts), aligned(*TEXTS))
    assert len(matched.turns) == len(texts)
    starts = [t.start_ms for t in matched.turns]
    assert starts == sorted(starts)
    assert all(t.end_ms >= t.start_ms for t in matched.turns)
    # A row is only ever used for the very words and speaker it was aligned with.
    for index, timing in enumerate(matched.turns):
        assert (index in stale) == (timing.fingerprint == "")
        if index not in stale:
            assert timing.fingerprint == turn_fingerprint("Joy", texts[index])
