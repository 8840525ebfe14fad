"""``redbox import`` and ``redbox check`` as users run them."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE_EPISODE, SAMPLE_RAW, SAMPLE_TRANSCRIPT, sample_as_imported
from toolkit.cli import cli


def test_import_of_the_raw_page_then_fix_and_two_full_stops_give_the_shipped_transcript(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "episode.txt"
    result = runner.invoke(cli, ["import", str(SAMPLE_RAW), "-o", str(out), "--episode", SAMPLE_EPISODE])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == sample_as_imported()
    assert runner.invoke(cli, ["fix", str(out)]).exit_code == 0
    # The page ends two turns without a full stop (TRN033): added by hand, as no tool can know the mark.
    by_hand = (
        out.read_text(encoding="utf-8")
        .replace("people who live well too\n", "people who live well too.\n")
        .replace("feel very uncomfortable\n", "feel very uncomfortable.\n")
    )
    assert by_hand == SAMPLE_TRANSCRIPT.read_text(encoding="utf-8")
    assert "speakers proposed from the labels found: All, Jeongyol, Ilhyeok, Joy, Dasom" in result.stderr
    assert "wrote" in result.stderr and "(17 turns)" in result.stderr


def test_import_to_stdout_with_a_given_cast(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        ["import", str(SAMPLE_RAW), "--speakers", "Jeongyol, Joy, Dasom, Ilhyeok, All", "--language", "en"],
    )
    assert result.exit_code == 0, result.output
    assert "speakers: Jeongyol, Joy, Dasom, Ilhyeok, All\n" in result.stdout
    assert "episode: the-red-box-misunderstandings-and-stereotypes-about-north-koreans\n" in result.stdout
    assert "proposed" not in result.stderr


def test_import_of_ugly_bytes_reads_the_same(runner: CliRunner, tmp_path: Path) -> None:
    ugly = tmp_path / "ugly.txt"
    ugly.write_bytes(b"\xef\xbb\xbf\r\n\r\n" + SAMPLE_RAW.read_bytes().replace(b"\n", b"\r\n"))
    out = tmp_path / "out.txt"
    result = runner.invoke(cli, ["import", str(ugly), "-o", str(out), "--episode", SAMPLE_EPISODE])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == sample_as_imported()


def test_import_of_korean_cp949_notes_the_encoding(runner: CliRunner, tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_bytes("레드 박스: 오해\n\n설명입니다.\n조이: 안녕하세요\n다솜: 반가워요\n".encode("cp949"))
    result = runner.invoke(cli, ["import", str(raw), "--episode", "ko-ep", "--speakers", "조이, 다솜"])
    assert result.exit_code == 0, result.output
    assert "read as EUC-KR (legacy Korean encoding)" in result.stderr
    assert "language: ko\nspeakers: 조이, 다솜\ndescription: 설명입니다.\n" in result.stdout


def test_import_without_any_label_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text("Title\nno turns at all\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(raw)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{raw}:1: no speaker label found")  # no "Error:" prefix
    assert "Traceback" not in result.output


def test_subtitles_refuse_a_misspelt_speaker_with_the_suggestion(
    runner: CliRunner, sample_text: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(sample_text.replace("Dasom: Right", "Dasmo: Right").replace("\n", "\r\n").encode())
    result = runner.invoke(cli, ["subtitles", str(bad)])
    assert result.exit_code == 1
    assert "error TRN001 speaker 'Dasmo' is not in the cast; did you mean 'Dasom'?" in result.stderr
    assert result.stdout == ""


def test_check_passes_on_the_shipped_transcripts(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", str(SAMPLE_TRANSCRIPT.parent), "--strict"])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_check_misspelt_speaker_exits_1_with_a_suggestion(
    runner: CliRunner, sample_text: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(sample_text.replace("Dasom: Right", "Dasmo: Right"), encoding="utf-8")
    result = runner.invoke(cli, ["check", str(bad)])
    assert result.exit_code == 1
    line = sample_text.split("\n").index("Dasom: Right") + 1
    assert f"{bad}:{line}:1: error TRN001 speaker 'Dasmo' is not in the cast; did you mean 'Dasom'?" in (
        result.stdout
    )


def test_check_json_is_one_valid_document(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("---\ntitle: T\n---\nMinjy: hi\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(cli, ["check", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["files_checked"] == 2
    assert document["errors"] == len(document["problems"]) >= 4
    for problem in document["problems"]:
        assert set(problem) == {"file", "line", "column", "severity", "code", "message"}
    assert {"TRN004", "TRN003", "TRN018"} <= {problem["code"] for problem in document["problems"]}


def test_check_github_annotations(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad, file.txt"
    bad.write_text("---\ntitle: T\nepisode: e\nlanguage: en\nspeakers: Joy, Dasom\n---\nJoy: hi\n")
    result = runner.invoke(cli, ["check", str(bad), "--format", "github"])
    assert result.exit_code == 0
    assert result.stdout.startswith("::warning file=")
    assert "bad%2C file.txt,line=5,col=1,title=TRN002::cast member 'Dasom' never speaks" in result.stdout


def test_warnings_fail_only_under_strict(runner: CliRunner, tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.txt"
    quiet.write_text("---\ntitle: T\nepisode: e\nlanguage: en\nspeakers: Joy, Dasom\n---\nJoy: hi\n")
    assert runner.invoke(cli, ["check", str(quiet)]).exit_code == 0
    assert runner.invoke(cli, ["check", str(quiet), "--strict"]).exit_code == 1


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["check", "--format", "xml", str(tmp_path)]).exit_code == 2
    assert runner.invoke(cli, ["import"]).exit_code == 2


def test_check_without_paths_uses_transcripts_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli, ["check"]).exit_code == 2
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "e.txt").write_text("Joy hi\n")
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "transcripts/e.txt:1:1: error TRN008" in result.stdout


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    paths = [list(prefix)]
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, (*prefix, name)))
        else:
            paths.append([*prefix, name])
    return paths


@pytest.mark.parametrize("command", _command_paths(cli), ids=lambda path: " ".join(path) or "redbox")
def test_every_help_explains_itself_with_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "redbox " in result.output.split("Examples:")[1]
