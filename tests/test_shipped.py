"""The files the project ships: up to date, clean, and read the same by every real client."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from tests.clients import assert_clients_agree, read_with_all_clients, read_with_chromium
from tests.conftest import ROOT, SAMPLE_EPISODE, SAMPLE_TRANSCRIPT
from toolkit.catalog import translate_transcript
from toolkit.cli import cli
from toolkit.model import Cue
from toolkit.subtitles import SubtitleOptions, build_cues
from toolkit.transcript import parse_transcript

SUBTITLES = ROOT / "subtitles"
KOREAN_CATALOG = ROOT / "locales" / "ko" / "LC_MESSAGES" / f"{SAMPLE_EPISODE}.po"


def sample_cues() -> tuple[list[Cue], list[Cue]]:
    english, _ = parse_transcript(SAMPLE_TRANSCRIPT.read_text(encoding="utf-8"), str(SAMPLE_TRANSCRIPT))
    korean, problems = translate_transcript(
        english, KOREAN_CATALOG.read_bytes(), str(KOREAN_CATALOG), "ko"
    )
    assert problems == []
    options = SubtitleOptions()
    return build_cues(english, options), build_cues(english, options, text_from=korean)


def turn_starts(cues: list[Cue]) -> dict[int, int]:
    """The start of each turn's first cue, keyed by the turn's transcript line."""
    starts: dict[int, int] = {}
    for cue in cues:
        starts.setdefault(cue.line, cue.start_ms)
    return starts


def test_shipped_subtitles_are_up_to_date(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(cli, ["build", "--check"])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (project / "subtitles").iterdir()) == [
        f"{SAMPLE_EPISODE}.{language}.{suffix}" for language in ("en", "ko") for suffix in ("srt", "vtt")
    ]


def test_shipped_files_pass_redbox_check_strictly(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(cli, ["check", "transcripts", "subtitles", "locales", "--strict"])
    assert result.exit_code == 0, result.output


def test_every_client_reads_the_shipped_subtitles() -> None:
    english, korean = sample_cues()
    paths = {
        SUBTITLES / f"{SAMPLE_EPISODE}.{language}.{suffix}": cues
        for language, cues in (("en", english), ("ko", korean))
        for suffix in ("srt", "vtt")
    }
    results = read_with_all_clients(list(paths))
    for path, cues in paths.items():
        assert_clients_agree(path, cues, results=results)


def test_chromium_reads_korean_voices_at_the_english_turn_starts() -> None:
    english, korean = sample_cues()
    assert turn_starts(korean) == turn_starts(english)
    ko_path, en_path = (SUBTITLES / f"{SAMPLE_EPISODE}.{language}.vtt" for language in ("ko", "en"))
    tracks = read_with_chromium([ko_path, en_path])
    ko_track, en_track = tracks[ko_path], tracks[en_path]
    assert ko_track.status == en_track.status == "load"
    voices = {voice for cue in ko_track.cues for voice in cue.voices or ()}
    assert voices == {"다 같이", "정열", "일혁", "조이", "다솜"}
    # Chromium's cue start times for the first cue of each turn match the English ones.
    ko_starts = {cue.start_ms for cue in ko_track.cues}
    en_starts = {cue.start_ms for cue in en_track.cues}
    assert set(turn_starts(english).values()) <= ko_starts & en_starts


def test_docs_show_the_first_cues_of_the_shipped_files() -> None:
    page = (ROOT / "docs" / "subtitles.md").read_text(encoding="utf-8")
    start = page.index("## The sample episode")
    end = page.find("\n## ", start)
    section = page[start : end if end != -1 else len(page)]
    blocks = re.findall(r"```(srt|vtt)\n(.*?)```", section, flags=re.S)
    shipped = {
        ("srt", "en"): SUBTITLES / f"{SAMPLE_EPISODE}.en.srt",
        ("vtt", "en"): SUBTITLES / f"{SAMPLE_EPISODE}.en.vtt",
        ("vtt", "ko"): SUBTITLES / f"{SAMPLE_EPISODE}.ko.vtt",
    }
    assert len(blocks) == len(shipped)
    for (kind, excerpt), ((expected_kind, _), path) in zip(blocks, shipped.items(), strict=True):
        assert kind == expected_kind
        assert path.read_text(encoding="utf-8").startswith(excerpt), path


def test_readme_excerpts_are_cut_from_the_shipped_files() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # Fenced blocks, also inside list items: the fence's indent is taken off every line.
    blocks = re.findall(r"^( *)```(srt|vtt)\n(.*?)^\1```", readme, flags=re.S | re.M)
    assert blocks, "the README shows no subtitle excerpt"
    for indent, kind, block in blocks:
        excerpt = "".join(line.removeprefix(indent) for line in block.splitlines(keepends=True))
        shipped = [path.read_text(encoding="utf-8") for path in SUBTITLES.glob(f"*.{kind}")]
        assert any(excerpt in text for text in shipped), excerpt
