"""``redbox catalog export``: the sample in Korean, as a transcript and as a review sheet."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.transcript import parse_transcript

EPISODE = "misunderstandings-and-stereotypes"


def test_export_ko_gives_the_sample_as_a_korean_transcript_that_check_accepts(
    runner: CliRunner, project: Path
) -> None:
    result = runner.invoke(cli, ["catalog", "export", "ko", "-o", "ko.txt"])
    assert result.exit_code == 0, result.output
    text = Path("ko.txt").read_text(encoding="utf-8")
    korean = parse_transcript(text, "ko.txt")[0]
    english = parse_transcript(Path(f"transcripts/{EPISODE}.txt").read_text(encoding="utf-8"), "en.txt")[0]
    assert len(korean.turns) == 17
    assert korean.language == "ko" and korean.title == "레드 박스: 북한 사람들에 대한 오해와 고정관념"
    assert korean.episode == EPISODE
    assert [turn.speaker for turn in korean.turns][:4] == ["다 같이", "정열", "일혁", "조이"]
    assert [turn.anchor_ms for turn in korean.turns] == [turn.anchor_ms for turn in english.turns]
    assert korean.turns[2].text == "오해요?"
    check = runner.invoke(cli, ["check", "ko.txt"])
    assert check.exit_code == 0, check.output
    assert "0 error(s)" in check.output


def test_export_review_sheets_list_every_turn_with_budget_and_status(
    runner: CliRunner, project: Path
) -> None:
    result = runner.invoke(cli, ["catalog", "export", "ko", EPISODE, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 17
    assert rows[2] == {
        "turn": "3", "line": "13", "speaker": "일혁", "source": "Misunderstandings?",
        "translation": "오해요?", "budget": "about 1.2 s on screen: at most 14 Hangul",
        "status": "translated",
    }  # fmt: skip
    result = runner.invoke(cli, ["catalog", "export", "ko", "--format", "html", "-o", "review.html"])
    assert result.exit_code == 0, result.output

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "tr":
                self.rows.append([])

        def handle_data(self, data: str) -> None:
            if self.rows and self.lasttag == "td":
                self.rows[-1].append(data)

    parser = Cells()
    parser.feed(Path("review.html").read_text(encoding="utf-8"))
    assert len(parser.rows) == 18  # the header row and 17 turns
    assert parser.rows[3][:4] == ["3", "일혁", "Misunderstandings?", "오해요?"]


def test_export_an_unknown_episode_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(cli, ["catalog", "export", "ko", "no-such-episode"])
    assert result.exit_code == 2
    assert "no transcript has episode 'no-such-episode'" in result.output
