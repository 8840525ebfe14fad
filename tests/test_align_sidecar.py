"""The timings sidecar: round trips, hand edits, and refusals with their line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.align.sidecar import TimingsError, format_timings, parse_timings, timings_path
from toolkit.align.timings import Alignment, TurnTiming

SAMPLE = """# redbox timings 2
# language: ko
# audio_ms: 9000
# trailing_uncovered_ms: 0
turn\tline\tspeaker\tstart\tend\tsynth_ms\tspeech\tuncovered_ms\tmatch\tsnr_db\tdrift_ms\tunplaced\tsteady\tfingerprint\twords
1\t7\t조이\t00:00:01.020\t00:00:02.310\t1290\t0.97\t0\t1.04\t41.5\t40\t0\t0.31\t3f2a9c01b7de\t0 420 800
2\t8\tJoy\t00:00:03.000\t00:00:04.000\t900\t1.00\t0\t0.91\t12.0\t2630\t2\t0.82\t00aa00bb00cc\t0
"""
#: A file written before fingerprints (redbox timings 1).
OLD_SAMPLE = """# redbox timings 1
# language: ko
# audio_ms: 9000
# trailing_uncovered_ms: 0
turn\tline\tspeaker\tstart\tend\tsynth_ms\tspeech\tuncovered_ms\twords
1\t7\t조이\t00:00:01.020\t00:00:02.310\t1290\t0.97\t0\t0 420 800
"""


@st.composite
def alignments(draw: st.DrawFn) -> Alignment:
    count = draw(st.integers(0, 6))
    turns = []
    cursor = 0
    for index in range(count):
        start = cursor + draw(st.integers(0, 5000))
        end = start + draw(st.integers(0, 9000))
        offsets = sorted(draw(st.lists(st.integers(0, end - start), max_size=5)))
        turns.append(
            TurnTiming(
                index=index,
                line=draw(st.integers(1, 500)),
                speaker=draw(st.sampled_from(["Joy", "조이", "Jeong yol", "All"])),
                start_ms=start,
                end_ms=end,
                synth_ms=draw(st.integers(0, 9000)),
                speech=draw(st.integers(0, 100)) / 100,
                uncovered_ms=draw(st.integers(0, 5000)),
                words=tuple(start + offset for offset in offsets),
                fingerprint=draw(st.sampled_from(["", "0123456789ab"])),
                match=draw(st.integers(0, 900)) / 100,
                snr_db=draw(st.integers(0, 990)) / 10,
                drift_ms=draw(st.integers(0, 60_000)),
                steady=draw(st.integers(0, 100)) / 100,
            )
        )
        cursor = end
    meta = (("language", draw(st.sampled_from(["en", "ko"]))), ("audio", "episode one.wav"))
    return Alignment(tuple(turns), cursor + 1000, draw(st.integers(0, 3000)), meta)


@given(alignments())
def test_every_alignment_survives_a_round_trip(alignment: Alignment) -> None:
    assert parse_timings(format_timings(alignment), "t.tsv") == alignment


def test_a_hand_moved_start_moves_the_words_with_it() -> None:
    edited = SAMPLE.replace("00:00:01.020", "00:00:01.520")
    assert parse_timings(edited).turns[0].words == (1520, 1940, 2320)


def test_the_sidecar_sits_next_to_the_transcript() -> None:
    from pathlib import PurePath

    assert str(timings_path(PurePath("t/my-episode.txt"))) == "t/my-episode.timings.tsv"


def test_the_file_is_plain_tab_separated_text_a_person_can_read() -> None:
    alignment = parse_timings(SAMPLE, "t.tsv")
    assert format_timings(alignment) == SAMPLE


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("turn\tline\n", 1, "not a redbox timings file"),
        (SAMPLE.replace("turn\tline", "turns\tline"), 5, "column header"),
        (SAMPLE.replace("00:00:02.310", "later"), 6, "times like"),
        (SAMPLE.replace("00:00:02.310", "00:00:00.500"), 6, "before start"),
        (SAMPLE.replace("\n2\t8", "\n3\t8"), 7, "out of order"),
        (SAMPLE.replace("0.97", "1.5"), 6, "from 0 to 1"),
        (SAMPLE.replace("0 420 800", "0 soon"), 6, "whole ms"),
        (
            SAMPLE.replace("\t1290\t0.97\t0\t1.04\t41.5\t40\t0\t0.31\t3f2a9c01b7de\t0 420 800", ""),
            6,
            "tab-separated columns",
        ),
        (SAMPLE.replace("# audio_ms: 9000", "# audio_ms: long"), 0, "audio_ms"),
        # Numbers Python's int() chokes on, or that str.isdigit() lets through: never a traceback.
        (SAMPLE.replace("# audio_ms: 9000", "# audio_ms: 9" + "0" * 5000), 0, "at most 12 digits"),
        (SAMPLE.replace("# audio_ms: 9000", "# audio_ms: ²"), 0, "audio_ms"),
        (SAMPLE.replace("\t1290\t", "\t12²\t"), 6, "synth_ms must be a whole number"),
        (SAMPLE.replace("\t1290\t", "\t" + "9" * 5000 + "\t"), 6, "at most 12 digits"),
        (SAMPLE.replace("0 420 800", "0 ² 800"), 6, "whole ms"),
        (SAMPLE.replace("0 420 800", "0 " + "4" * 5000), 6, "whole ms"),
        (SAMPLE.replace("\n1\t7\t", "\n1\t" + "7" * 5000 + "\t"), 6, "line must be"),
        (SAMPLE.replace("00:00:01.020", "9" * 5000 + ":00:01.020"), 6, "times like"),
        (SAMPLE.replace("00:00:01.020", "²:00:01.020"), 6, "times like"),
        (SAMPLE.replace("\t0.97\t", "\tnan\t"), 6, "from 0 to 1"),
        (SAMPLE.replace("3f2a9c01b7de", "not-a-hash"), 6, "fingerprint"),
    ],
)
def test_malformed_sidecars_are_refused_at_their_line(text: str, line: int, message: str) -> None:
    with pytest.raises(TimingsError) as caught:
        parse_timings(text, "t.tsv")
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith("t.tsv")


def test_a_file_from_before_fingerprints_is_still_read() -> None:
    alignment = parse_timings(OLD_SAMPLE, "t.tsv")
    assert alignment.turns[0].fingerprint == ""
    assert alignment.turns[0].words == (1020, 1440, 1820)


def test_a_second_opinion_is_kept_and_files_without_it_still_read() -> None:
    assert [turn.drift_ms for turn in parse_timings(SAMPLE, "t.tsv").turns] == [40, 2630]
    without = SAMPLE.replace("\tdrift_ms", "").replace("\t40\t", "\t").replace("\t2630\t", "\t")
    assert [turn.drift_ms for turn in parse_timings(without, "t.tsv").turns] == [0, 0]
    with pytest.raises(TimingsError, match="drift_ms must be a whole number"):
        parse_timings(SAMPLE.replace("\t2630\t", "\tfar\t"), "t.tsv")


def test_the_steadiness_of_a_turn_start_is_kept_and_files_without_it_still_read() -> None:
    assert [turn.steady for turn in parse_timings(SAMPLE, "t.tsv").turns] == [0.31, 0.82]
    without = SAMPLE.replace("\tsteady", "").replace("\t0.31\t", "\t").replace("\t0.82\t", "\t")
    assert [turn.steady for turn in parse_timings(without, "t.tsv").turns] == [0.0, 0.0]
    with pytest.raises(TimingsError, match="steady must be a number from 0 to 1"):
        parse_timings(SAMPLE.replace("\t0.82\t", "\t1.5\t"), "t.tsv")
