"""Shared fixtures: the sample episode, a CLI runner, and a throwaway project tree."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_EPISODE = "misunderstandings-and-stereotypes"
SAMPLE_TRANSCRIPT = ROOT / "transcripts" / f"{SAMPLE_EPISODE}.txt"
SAMPLE_RAW = ROOT / "tests" / "data" / "raw" / f"{SAMPLE_EPISODE}.raw.txt"


def sample_as_imported() -> str:
    """The sample transcript as ``redbox import`` makes it from the raw page, before ``redbox fix``."""
    from toolkit.importer import import_raw
    from toolkit.transcript_write import format_transcript

    result = import_raw(SAMPLE_RAW.read_text(encoding="utf-8"), str(SAMPLE_RAW), episode=SAMPLE_EPISODE)
    return format_transcript(result.transcript)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample_text() -> str:
    return SAMPLE_TRANSCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's data folders in ``tmp_path``, made the working directory.

    Tests that run ``redbox build`` or ``catalog`` commands work here, never in the real
    ``subtitles/`` or ``locales/``.
    """
    for folder in ("transcripts", "locales", "subtitles"):
        source = ROOT / folder
        if source.is_dir():
            shutil.copytree(source, tmp_path / folder)
        else:
            (tmp_path / folder).mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def george() -> list[Any]:
    """George's recorded digits, three to a turn (tests/voice_reels.py)."""
    from tests.voice_reels import reel_turns

    return reel_turns("george")


@pytest.fixture(scope="module")
def jackson() -> list[Any]:
    """Jackson's recorded digits, three to a turn (tests/voice_reels.py)."""
    from tests.voice_reels import reel_turns

    return reel_turns("jackson")
