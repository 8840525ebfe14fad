"""Subtitle quality checks: one failing example per rule, in SRT and WebVTT, ours or anyone's."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.clients import golden_cues
from toolkit.formats.srt import compose_srt
from toolkit.formats.vtt_write import compose_vtt
from toolkit.model import Cue, CuePart
from toolkit.subtitle_check import check_subtitle_text, language_from_name


def vtt(*blocks: str) -> str:
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def codes(text: str, source: str = "ep.en.vtt", language: str | None = None) -> list[tuple[str, int]]:
    return [(p.code, p.line) for p in check_subtitle_text(text, source, language=language)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (vtt("00:00:01.000 --> 00:00:01.800\nShort"), [("SUB001", 3)]),
        (vtt("00:00:01.000 --> 00:00:08.001\nLong enough to read"), [("SUB002", 3)]),
        (vtt("00:00:01.000 --> 00:00:02.000\n" + "Far too many words for one second"), [("SUB003", 3)]),
        (vtt("00:00:01.000 --> 00:00:06.000\n" + "x" * 43), [("SUB004", 4)]),
        (vtt("00:00:01.000 --> 00:00:06.000\none\ntwo\nthree"), [("SUB005", 3)]),
        (vtt("00:00:01.000 --> 00:00:02.000\nOne", "00:00:02.050 --> 00:00:03.000\nTwo"), [("SUB006", 6)]),
        (vtt("00:00:01.000 --> 00:00:03.000\nOne", "00:00:02.000 --> 00:00:04.000\nTwo"), [("SUB007", 6)]),
        (vtt("00:00:05.000 --> 00:00:06.000\nOne", "00:00:01.000 --> 00:00:02.000\nTwo"), [("SUB008", 6)]),
        (vtt("00:00:01.000 --> 00:00:02.000\n<i> </i>"), [("SUB010", 3)]),
        (vtt("00:00:01.000 --> 00:00:03.000\nWell..."), [("SUB011", 4)]),
        (vtt("00:00:02.000 --> 00:00:01.000\nBackwards"), [("SUB012", 3)]),
        (vtt("00:00:01,000 --> 00:00:03.000\nComma"), [("SUB102", 3)]),
    ],
    ids=[
        "too-short",
        "too-long",
        "too-fast",
        "line-too-long",
        "too-many-lines",
        "gap",
        "overlap",
        "order",
        "empty",
        "three-dots",
        "end-before-start",
        "malformed-vtt",
    ],
)
def test_each_rule_has_a_failing_example(text: str, expected: list[tuple[str, int]]) -> None:
    assert codes(text) == expected


def test_findings_name_the_file_the_cue_and_its_line() -> None:
    text = vtt("00:00:01.000 --> 00:00:02.000\nOne", "00:00:05.000 --> 00:00:05.500\nTwo")
    (problem,) = check_subtitle_text(text, "subs/ep.en.vtt")
    assert (problem.source, problem.line, problem.severity) == ("subs/ep.en.vtt", 6, "error")
    assert "cue 2" in problem.message and problem.message.startswith("cue-too-short:")


def test_srt_malformed_timestamp_is_reported_not_read_as_zero() -> None:
    text = "1\n00:00:01,000 --> 00:00:0a,000\nHi\n\n2\n00:00:05,000 --> 00:00:07,000\nThere\n"
    assert codes(text, "ep.en.srt") == [("SUB208", 1), ("SUB201", 2)]  # and ffmpeg refuses the file


def test_srt_rules_use_the_same_cue_numbers_and_lines() -> None:
    text = "1\n00:00:01,000 --> 00:00:03,000\nOne\n\n2\n00:00:03,040 --> 00:00:05,000\nTwo...\n"
    assert codes(text, "ep.en.srt") == [("SUB006", 6), ("SUB011", 7)]


def test_format_is_sniffed_from_content_without_a_known_suffix() -> None:
    text = vtt("00:00:01.000 --> 00:00:01.500\nShort")
    assert codes(text, "<stdin>") == [("SUB001", 3)]


def test_gap_of_two_frames_rounded_up_passes_at_any_frame_rate() -> None:
    text = vtt("00:00:01.000 --> 00:00:02.000\nOne", "00:00:02.084 --> 00:00:03.000\nTwo")
    assert codes(text) == []
    assert codes(text.replace("02.084", "02.083")) == [("SUB006", 6)]
    assert [p.code for p in check_subtitle_text(text.replace("02.084", "02.067"), "e.vtt", fps=30)] == []


def test_korean_counts_hangul_as_one_and_latin_as_half() -> None:
    sixteen = "가" * 16
    fine = vtt(f"00:00:01.000 --> 00:00:03.000\n{sixteen}")
    assert codes(fine, "ep.ko.vtt") == []
    assert codes(fine.replace(sixteen, sixteen + "가"), "ep.ko.vtt") == [("SUB004", 4)]
    assert codes(fine.replace(sixteen, sixteen + "a"), "ep.ko.vtt") == [("SUB004", 4)]
    assert codes(fine.replace(sixteen, "a" * 32), "ep.ko.vtt") == []
    # English limits read the same line as 17 characters: fine.
    assert codes(fine.replace(sixteen, sixteen + "a"), "ep.en.vtt") == []


def test_language_comes_from_the_name_or_the_argument() -> None:
    assert language_from_name("subtitles/misunderstandings-and-stereotypes.ko.vtt") == "ko"
    assert language_from_name("episode.ko-KR.srt") == "ko-KR"
    assert language_from_name("episode.final.srt") == "en"
    text = vtt("00:00:01.000 --> 00:00:03.000\n" + "가" * 20)
    assert codes(text, "episode.vtt", language="ko") == [("SUB004", 4)]
    assert codes(text, "episode.vtt") == []


def test_voice_tags_do_not_count_towards_line_width() -> None:
    line = "x" * 42
    text = vtt(f"00:00:01.000 --> 00:00:04.000\n<v Somebody With A Long Name>{line}</v>")
    assert codes(text) == []


def test_our_golden_files_pass_every_check() -> None:
    cues = [cue for cue in golden_cues() if cue.end_ms - cue.start_ms >= 1000]
    assert check_subtitle_text(compose_vtt(cues), "golden.en.vtt") == []
    assert check_subtitle_text(compose_srt(cues), "golden.en.srt") == []


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(900, 6900), st.integers(84, 3000), st.text("abc ", min_size=1, max_size=10)),
        min_size=1,
        max_size=8,
    )
)
def test_well_formed_cues_give_no_finding_in_either_format(plan: list[tuple[int, int, str]]) -> None:
    cues = []
    start = 0
    for duration, gap, text in plan:
        words = text.strip() or "a"
        cues.append(Cue(start, start + duration, (CuePart("Joy", words),)))
        start += duration + gap
    assert check_subtitle_text(compose_vtt(cues), "x.en.vtt") == []
    assert check_subtitle_text(compose_srt(cues), "x.en.srt") == []


def test_encodings_other_than_utf8_are_reported() -> None:
    text = vtt("00:00:01.000 --> 00:00:03.000\n안녕하세요")
    (problem,) = check_subtitle_text(text, "ep.ko.vtt", encoding="euc-kr")
    assert (problem.code, problem.severity, problem.line) == ("SUB110", "error", 0)
    srt_text = "1\n00:00:01,000 --> 00:00:03,000\n안녕하세요\n"
    (problem,) = check_subtitle_text(srt_text, "ep.ko.srt", encoding="cp949")
    assert (problem.code, problem.severity) == ("SUB206", "warning")
    assert check_subtitle_text(srt_text, "ep.ko.srt", encoding="utf-8") == []


BAD = Path(__file__).parent / "data" / "formats" / "bad"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad-timestamp.en.srt", [("SUB208", 1), ("SUB201", 2)]),  # ffmpeg refuses the file
        ("missing-blank-line.en.srt", [("SUB203", 4)]),
        ("comma-separator.en.vtt", [("SUB102", 3)]),
        ("missing-header.en.vtt", [("SUB101", 1)]),
        ("blank-line-in-cue.en.vtt", [("SUB103", 6)]),
        ("end-before-start.en.vtt", [("SUB012", 3)]),
        ("raw-less-than.en.vtt", [("SUB105", 4)]),
    ],
)
def test_negative_fixtures_are_caught(name: str, expected: list[tuple[str, int]]) -> None:
    text = (BAD / name).read_text(encoding="utf-8")
    assert codes(text, name) == expected
