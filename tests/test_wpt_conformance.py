"""Our WebVTT reader finds the cues Chromium finds in the W3C web-platform-tests parsing files.

The corpus (``tests/data/formats/wpt-webvtt/``, see its README for origin and licence)
holds 20 byte-exact WPT files and, for each, the cues Chromium 156 produced.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.clients import read_with_chromium
from toolkit.formats.vtt import parse_vtt
from toolkit.subtitle_check import check_subtitle_text

CORPUS = Path(__file__).parent / "data" / "formats" / "wpt-webvtt"
FILES = sorted(CORPUS.glob("*.vtt"))


def expected(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    return result


def test_the_corpus_is_complete() -> None:
    assert len(FILES) == 20


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_reader_finds_the_same_cues_as_chromium(path: Path) -> None:
    cues, _ = parse_vtt(path.read_bytes().decode("utf-8"), path.name)
    found = [
        {"id": cue.identifier, "start": cue.start_ms / 1000, "end": cue.end_ms / 1000, "text": cue.text}
        for cue in cues
    ]
    assert expected(path)["status"] == "load"
    assert found == expected(path)["cues"]


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_check_reads_every_file_without_a_traceback(path: Path) -> None:
    problems = check_subtitle_text(path.read_bytes().decode("utf-8"), path.name)
    assert all(problem.source == path.name and problem.line >= 0 for problem in problems)


@pytest.mark.parametrize(
    ("name", "code", "count"),
    [
        ("timings-too-long", "SUB102", 13),  # 13 invalid timing blocks, all dropped by Chromium
        ("timings-too-short", "SUB102", 30),
        ("whitespace-chars", "SUB102", 1),  # vertical tab is not WebVTT whitespace
        ("nulls", "SUB109", 1),
        ("arrows", "SUB104", 10),  # '-->' lines that end the cue above
    ],
)
def test_what_chromium_drops_is_reported(name: str, code: str, count: int) -> None:
    _, problems = parse_vtt((CORPUS / f"{name}.vtt").read_bytes().decode("utf-8"), name)
    assert Counter(problem.code for problem in problems)[code] == count


def test_cue_lines_are_reported_where_they_are_in_the_file() -> None:
    text = (CORPUS / "timings-too-short.vtt").read_bytes().decode("utf-8")
    _, problems = parse_vtt(text, "t.vtt")
    lines = text.split("\n")
    for problem in problems:
        assert "-->" in lines[problem.line - 1]


@pytest.mark.chromium
def test_local_chromium_still_agrees_with_the_recorded_cues() -> None:
    """The harness itself: today's Chromium reads the corpus as recorded (ids, times, raw text)."""
    tracks = read_with_chromium(FILES)
    for path in FILES:
        track = tracks[path]
        recorded = expected(path)
        assert track.status == recorded["status"], path.name
        got = [
            (identifier, cue.start_ms, cue.end_ms, cue.raw)
            for identifier, cue in zip(track.ids, track.cues, strict=True)
        ]
        want = [
            (cue["id"], round(cue["start"] * 1000), round(cue["end"] * 1000), cue["text"])
            for cue in recorded["cues"]
        ]
        assert got == want, path.name
