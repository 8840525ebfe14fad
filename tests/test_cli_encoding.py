"""What a user sees of encodings and Unicode forms: notes, TRN019, and NFD files that build like NFC ones."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SAMPLE_TRANSCRIPT
from toolkit.cli import cli

KOREAN_SAMPLE = ROOT / "tests" / "data" / "transcripts" / "korean-sample.txt"

CP1252_ENGLISH = (
    "---\ntitle: Test\nepisode: cp1252\nlanguage: en\nspeakers: Joy, Dasom\n---\n"
    "Joy: It’s fine—mostly. They’d ask “where are you from?” every day.\n"
    "Dasom: I don’t mind… It’s Joy’s café, after all.\n"
)


@pytest.fixture(autouse=True)
def outside_the_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run in ``tmp_path``: copies of the sample are not a second transcript of its episode."""
    monkeypatch.chdir(tmp_path)


def subtitles(runner: CliRunner, path: Path, format_id: str, *options: str) -> bytes:
    result = runner.invoke(cli, ["subtitles", str(path), "--format", format_id, *options])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_check_strict_fails_on_a_transcript_not_in_its_declared_language(
    runner: CliRunner, tmp_path: Path
) -> None:
    korean = KOREAN_SAMPLE.read_text(encoding="utf-8").replace("language: ko", "language: en")
    path = tmp_path / "mislabelled.txt"
    path.write_text(korean, encoding="utf-8")
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 0  # a warning
    expected = "mislabelled.txt:4:1: warning TRN019 declared language 'en' but the text looks like Korean"
    assert expected in result.stdout
    result = runner.invoke(cli, ["check", "--strict", str(path)])
    assert result.exit_code == 1
    assert "TRN019" in result.stdout


def test_check_strict_fails_on_a_korean_transcript_without_hangul(runner: CliRunner, tmp_path: Path) -> None:
    english = SAMPLE_TRANSCRIPT.read_text(encoding="utf-8").replace("language: en", "language: ko")
    path = tmp_path / "mislabelled.txt"
    path.write_text(english, encoding="utf-8")
    result = runner.invoke(cli, ["check", "--strict", str(path)])
    assert result.exit_code == 1
    assert "TRN019 declared language 'ko' but the text looks like Latin-script text" in result.stdout


def test_a_windows_1252_transcript_is_read_as_english(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes(CP1252_ENGLISH.replace("\n", "\r\n").encode("cp1252"))
    result = runner.invoke(cli, ["check", "--strict", str(path)])
    assert result.exit_code == 0, result.output
    note = "cp1252.txt: note: read as WINDOWS-1252 (legacy Western encoding); redbox writes UTF-8"
    assert note in result.stderr
    srt = subtitles(runner, path, "srt").decode("utf-8")
    assert "It’s fine—mostly." in srt and "Joy’s café" in srt
    assert "뭩" not in srt


def test_a_utf32_transcript_is_read(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "utf32.txt"
    path.write_bytes(SAMPLE_TRANSCRIPT.read_text(encoding="utf-8").encode("utf-32"))
    golden = ROOT / "subtitles" / "misunderstandings-and-stereotypes.en.vtt"
    assert subtitles(runner, path, "vtt") == golden.read_bytes()


def nfd_copy(text: str, folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    return path


@pytest.mark.parametrize("format_id", ["srt", "vtt"])
def test_an_nfd_korean_transcript_gives_the_same_subtitles(
    runner: CliRunner, tmp_path: Path, format_id: str
) -> None:
    # Saved by a macOS tool: every syllable as 2-3 jamo. On main that doubled the cues and
    # the cue time, and the label 정열 no longer matched the cast.
    original = KOREAN_SAMPLE.read_text(encoding="utf-8")
    nfd = nfd_copy(original, tmp_path, "korean-sample.txt")
    assert nfd.read_bytes() != KOREAN_SAMPLE.read_bytes()
    assert subtitles(runner, nfd, format_id) == subtitles(runner, KOREAN_SAMPLE, format_id)


def test_an_nfd_korean_transcript_checks_like_the_original(runner: CliRunner, tmp_path: Path) -> None:
    nfd = nfd_copy(KOREAN_SAMPLE.read_text(encoding="utf-8"), tmp_path, "korean-sample.txt")
    result = runner.invoke(cli, ["check", "--strict", str(nfd)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


#: The sample with McCune-Reischauer spellings (ŏ has a breve, which NFD splits off).
ACCENTED = SAMPLE_TRANSCRIPT.read_text(encoding="utf-8").replace("Jeongyol", "Chŏngyŏl").replace(
    "jjajangmyun", "tchajangmyŏn")


@pytest.mark.parametrize("format_id", ["srt", "vtt"])
def test_an_nfd_english_transcript_gives_the_same_subtitles(
    runner: CliRunner, tmp_path: Path, format_id: str
) -> None:
    nfc = tmp_path / "nfc" / "episode.txt"
    nfc.parent.mkdir()
    nfc.write_text(ACCENTED, encoding="utf-8")
    nfd = nfd_copy(ACCENTED, tmp_path, "episode.txt")
    assert nfd.read_bytes() != nfc.read_bytes()
    output = subtitles(runner, nfd, format_id, "--labels", "change")
    assert output == subtitles(runner, nfc, format_id, "--labels", "change")
    assert "Chŏngyŏl".encode() in output


def test_a_transcript_half_nfd_still_matches_its_cast(runner: CliRunner, tmp_path: Path) -> None:
    # The header typed by hand (NFC), the turns pasted from a macOS app (NFD).
    header, body = ACCENTED.split("\n---\n", 1)
    path = tmp_path / "episode.txt"
    path.write_text(header + "\n---\n" + unicodedata.normalize("NFD", body), encoding="utf-8")
    result = runner.invoke(cli, ["check", "--strict", str(path)])
    assert result.exit_code == 0, result.output


def test_an_nfd_catalog_gives_the_same_translated_subtitles(runner: CliRunner, project: Path) -> None:
    # A PO file saved in NFD: before translations were read as NFC, the Korean cues doubled
    # (790 SRT lines instead of 383).
    po = project / "locales" / "ko" / "LC_MESSAGES" / "misunderstandings-and-stereotypes.po"
    po.write_text(unicodedata.normalize("NFD", po.read_text(encoding="utf-8")), encoding="utf-8")
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    for suffix in ("ko.srt", "ko.vtt"):
        name = f"misunderstandings-and-stereotypes.{suffix}"
        assert (project / "subtitles" / name).read_bytes() == (ROOT / "subtitles" / name).read_bytes()
