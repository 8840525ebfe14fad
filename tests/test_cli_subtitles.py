"""``redbox subtitles`` and ``redbox build`` as a video editor and CI run them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.clients import assert_clients_agree, read_with_all_clients
from toolkit.catalog import translate_transcript
from toolkit.cli import cli
from toolkit.config import ConfigError, RedboxConfig, parse_config
from toolkit.model import Cue
from toolkit.subtitles import SubtitleOptions, build_cues
from toolkit.transcript import parse_transcript

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "transcripts" / "misunderstandings-and-stereotypes.txt"
GOLDEN = ROOT / "tests" / "data" / "subtitles"
EPISODE = "misunderstandings-and-stereotypes"

HOSTILE = (
    "---\n"
    "title: Hostile text\n"
    "episode: hostile\n"
    "language: en\n"
    "speakers: Joy, Dasom\n"
    "---\n"
    "Joy: An arrow --> here, <b>bold</b> & more.\n"
    "\n"
    "WEBVTT\n"
    "42\n"
    "00:00:01,000 --> 00:00:02,000\n"
    "Dasom: Zero\u200bwidth\u200c and \u200fright-to-left\u200e marks, & <i>tags</i>.\n"
    "Joy: " + "x" * 800 + "\n"
    "Dasom: Really? <i>&</i>\n"
    "Joy: -->Yes.\n"
)


def cues_of(text: str, options: SubtitleOptions | None = None) -> list[Cue]:
    transcript, _ = parse_transcript(text, "t.txt")
    return build_cues(transcript, options or SubtitleOptions())


def write_transcript(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- redbox subtitles


def test_subtitles_writes_srt_to_stdout_by_default(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["subtitles", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (GOLDEN / f"{EPISODE}.en.srt").read_bytes()


def test_subtitles_picks_vtt_from_the_output_suffix(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out" / "episode.en.vtt"
    result = runner.invoke(cli, ["subtitles", str(SAMPLE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == (GOLDEN / f"{EPISODE}.en.vtt").read_bytes()


def test_crlf_gives_crlf_srt(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["subtitles", str(SAMPLE), "--crlf"])
    assert result.exit_code == 0
    assert result.stdout_bytes.count(b"\r\n") > 10
    assert b"\n" not in result.stdout_bytes.replace(b"\r\n", b"")


def test_every_client_reads_what_the_commands_write(runner: CliRunner, tmp_path: Path) -> None:
    hostile = write_transcript(tmp_path, "hostile.txt", HOSTILE)
    korean_catalog = ROOT / "locales" / "ko" / "LC_MESSAGES" / f"{EPISODE}.po"
    sample, _ = parse_transcript(SAMPLE.read_text(encoding="utf-8"), str(SAMPLE))
    korean, _ = translate_transcript(sample, korean_catalog.read_bytes(), str(korean_catalog), "ko")
    in_korean = ["--lang", "ko", "--locales", str(ROOT / "locales")]
    dialogue = SubtitleOptions(dialogue=True, labels="always")
    runs: list[tuple[Path, list[str], list[Cue]]] = [
        (SAMPLE, [], build_cues(sample, SubtitleOptions())),
        (SAMPLE, in_korean, build_cues(sample, SubtitleOptions(), text_from=korean)),
        (hostile, [], cues_of(HOSTILE)),
        (hostile, ["--dialogue", "--labels", "always", "--crlf"], cues_of(HOSTILE, dialogue)),
    ]
    written: list[tuple[Path, list[Cue]]] = []
    for source, extra, cues in runs:
        for suffix in ("srt", "vtt"):
            target = tmp_path / f"{source.stem}-{len(written)}.{suffix}"
            result = runner.invoke(cli, ["subtitles", str(source), "-o", str(target), *extra])
            assert result.exit_code == 0, result.output
            written.append((target, cues))
    assert any(len(cue.parts) == 2 for cue in runs[-1][2]), "the dialogue run has a dialogue cue"
    results = read_with_all_clients([path for path, _ in written])
    for path, cues in written:
        assert_clients_agree(path, cues, results=results)


def test_hostile_text_survives_intact(runner: CliRunner, tmp_path: Path) -> None:
    hostile = write_transcript(tmp_path, "hostile.txt", HOSTILE)
    result = runner.invoke(cli, ["subtitles", str(hostile), "--format", "vtt"])
    assert result.exit_code == 0, result.output
    vtt = result.stdout_bytes.decode("utf-8")
    assert "--&gt; here, &lt;b&gt;bold&lt;/b&gt; &amp; more." in vtt.replace("\n", " ")
    assert "Zero\u200bwidth\u200c and \u200fright-to-left\u200e" in vtt
    assert "x" * 40 in vtt and "x" * 43 not in vtt  # split hard into even pieces of a line at most
    assert vtt.replace("\n", "").count("x") == 800


def test_lang_reads_the_catalog_of_the_episode(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(
        cli,
        ["subtitles", f"transcripts/{EPISODE}.txt", "--lang", "ko", "--format", "vtt", "--labels", "change"],
    )
    assert result.exit_code == 0, result.output
    vtt = result.stdout_bytes.decode("utf-8")
    assert "<v 조이>조이: " in vtt
    english = runner.invoke(cli, ["subtitles", f"transcripts/{EPISODE}.txt", "--format", "vtt"])
    # Same audio, same times: the Korean cues start where the English turns start.
    assert vtt.splitlines()[2] == english.stdout_bytes.decode("utf-8").splitlines()[2]


def test_lang_without_a_catalog_fails_with_the_path(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(cli, ["subtitles", f"transcripts/{EPISODE}.txt", "--lang", "fr"])
    assert result.exit_code == 1
    assert "locales/fr/LC_MESSAGES/misunderstandings-and-stereotypes.po" in result.stderr
    assert "Traceback" not in result.output


def test_strict_turns_catalog_warnings_into_a_failure(runner: CliRunner, project: Path) -> None:
    transcript = project / "transcripts" / f"{EPISODE}.txt"
    transcript.write_text(
        transcript.read_text(encoding="utf-8").replace("Welcome to the Red Box!", "Welcome back!"),
        encoding="utf-8",
    )
    lenient = runner.invoke(cli, ["subtitles", str(transcript), "--lang", "ko"])
    assert lenient.exit_code == 0
    assert "CAT013" in lenient.stderr
    strict = runner.invoke(cli, ["subtitles", str(transcript), "--lang", "ko", "--strict", "-o", "out.srt"])
    assert strict.exit_code == 1
    assert not (project / "out.srt").exists()


def test_turns_that_read_too_fast_are_reported(runner: CliRunner, tmp_path: Path) -> None:
    tight = write_transcript(
        tmp_path,
        "tight.txt",
        "---\ntitle: T\nepisode: tight\nlanguage: en\nspeakers: Joy, Dasom\n---\n"
        "[00:00:01] Joy: This turn has far too many words to be read in one second flat.\n"
        "[00:00:02] Dasom: Right.\n",
    )
    result = runner.invoke(cli, ["subtitles", str(tight)])
    assert result.exit_code == 0
    assert f"{tight}:7:12: warning TIM001" in result.stderr
    assert runner.invoke(cli, ["subtitles", str(tight), "--strict"]).exit_code == 1


def test_a_transcript_with_errors_is_refused_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = write_transcript(tmp_path, "bad.txt", "---\ntitle: T\nlanguage: en\n---\nhello there\nJoy: hi\n")
    result = runner.invoke(cli, ["subtitles", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:5:" in result.stderr and "TRN008" in result.stderr
    assert result.stdout_bytes == b""
    assert "Traceback" not in result.output


def test_a_missing_transcript_is_an_error_not_a_traceback(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["subtitles", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_bad_option_values_are_usage_errors(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["subtitles", str(SAMPLE), "--labels", "sometimes"]).exit_code == 2
    result = runner.invoke(cli, ["subtitles", str(SAMPLE), "--duration", "ten minutes"])
    assert result.exit_code == 2
    assert "not a time" in result.stderr
    assert runner.invoke(cli, ["subtitles", str(SAMPLE), "--fps", "0"]).exit_code == 2


def test_duration_and_start_move_the_cues(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["subtitles", str(SAMPLE), "--start", "00:00:10", "--duration", "00:10:00"])
    lines = result.stdout_bytes.decode("utf-8").splitlines()
    assert lines[1].startswith("00:00:10,000 --> ")
    last_timing = [line for line in lines if " --> " in line][-1]
    assert last_timing.endswith("00:10:00,000") or last_timing.split(" --> ")[1] <= "00:10:00,000"
    assert last_timing.split(" --> ")[1] >= "00:09:50,000"


def test_every_help_has_an_example(runner: CliRunner) -> None:
    for command in ("subtitles", "build"):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0
        assert "Examples:" in result.output and f"redbox {command}" in result.output


# ---------------------------------------------------------------- redbox build


def outputs(project: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((project / "subtitles").glob("*.*t"))}


def test_build_writes_every_language_and_format(runner: CliRunner, project: Path) -> None:
    for old in (project / "subtitles").glob("*"):
        old.unlink()
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert set(outputs(project)) >= {
        f"{EPISODE}.en.srt",
        f"{EPISODE}.en.vtt",
        f"{EPISODE}.ko.srt",
        f"{EPISODE}.ko.vtt",
    }
    assert outputs(project)[f"{EPISODE}.en.vtt"] == (GOLDEN / f"{EPISODE}.en.vtt").read_bytes()
    again = runner.invoke(cli, ["build"])
    assert again.exit_code == 0
    assert "wrote" not in again.stdout
    assert "0 written" in again.stderr


def test_build_check_lists_missing_and_stale_outputs_and_writes_nothing(
    runner: CliRunner, project: Path
) -> None:
    assert runner.invoke(cli, ["build"]).exit_code == 0
    assert runner.invoke(cli, ["build", "--check"]).exit_code == 0
    (project / "subtitles" / f"{EPISODE}.en.srt").unlink()
    transcript = project / "transcripts" / f"{EPISODE}.txt"
    transcript.write_text(
        transcript.read_text(encoding="utf-8").replace("Welcome to the Red Box!", "Welcome, everyone!"),
        encoding="utf-8",
    )
    before = outputs(project)
    result = runner.invoke(cli, ["build", "--check"])
    assert result.exit_code == 1
    assert f"subtitles/{EPISODE}.en.srt: missing" in result.stdout
    assert f"subtitles/{EPISODE}.en.vtt: stale" in result.stdout
    assert outputs(project) == before


def test_build_check_ignores_file_times(runner: CliRunner, project: Path) -> None:
    assert runner.invoke(cli, ["build"]).exit_code == 0
    for path in (project / "subtitles").iterdir():
        os.utime(path, (1, 1))  # older than every transcript, as after a fresh clone
    assert runner.invoke(cli, ["build", "--check"]).exit_code == 0


def test_build_refuses_a_broken_transcript_but_builds_the_rest(runner: CliRunner, project: Path) -> None:
    write_transcript(
        project / "transcripts", "broken.txt", "---\ntitle: T\nlanguage: en\n---\nhello\nJoy: hi\n"
    )
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    assert "transcripts/broken.txt:5:" in result.stderr
    assert (project / "subtitles" / f"{EPISODE}.en.srt").exists()


def test_build_takes_defaults_from_pyproject(runner: CliRunner, project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.redbox]\nlabels = "none"\nformats = ["vtt"]\n')
    for old in (project / "subtitles").glob("*"):
        old.unlink()
    assert runner.invoke(cli, ["build"]).exit_code == 0
    names = set(outputs(project))
    assert f"{EPISODE}.en.vtt" in names and f"{EPISODE}.en.srt" not in names
    assert "All: Welcome" not in (project / "subtitles" / f"{EPISODE}.en.vtt").read_text(encoding="utf-8")
    # The command line wins over the file.
    result = runner.invoke(cli, ["subtitles", f"transcripts/{EPISODE}.txt", "--labels", "change"])
    assert b"All: Welcome" in result.stdout_bytes


def test_a_bad_pyproject_value_names_the_file_and_line(runner: CliRunner, project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.redbox]\nfps = "fast"\n')
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    assert "pyproject.toml:5: [tool.redbox] fps must be a number above 0" in result.stderr


def test_build_without_a_transcript_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["build", "--transcripts", str(tmp_path / "none")])
    assert result.exit_code == 2


def test_build_shows_progress_on_a_terminal_with_enough_work(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = (project / "transcripts" / f"{EPISODE}.txt").read_text(encoding="utf-8")
    for number in range(6):
        write_transcript(
            project / "transcripts", f"copy-{number}.txt", sample.replace(EPISODE, f"copy-{number}")
        )
    quiet = runner.invoke(cli, ["build", "--check"])
    assert "Building subtitles" not in quiet.output
    monkeypatch.setattr("toolkit.cli.subtitles.stdout_is_terminal", lambda: True)
    shown = runner.invoke(cli, ["build"])
    assert shown.exit_code == 0, shown.output
    assert "Building subtitles" in shown.stdout
    assert (project / "subtitles" / "copy-5.en.vtt").exists()


def test_built_files_pass_redbox_check(runner: CliRunner, project: Path) -> None:
    for old in (project / "subtitles").glob("*"):
        old.unlink()
    assert runner.invoke(cli, ["build"]).exit_code == 0
    result = runner.invoke(cli, ["check", "subtitles"])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.stderr


# ---------------------------------------------------------------- [tool.redbox]


def test_config_reads_every_subtitle_key() -> None:
    config = parse_config(
        "[tool.redbox]\n"
        "fps = 25\n"
        "rate = { en = 14.0, ko = 6 }\n"
        'start = "00:00:05"\n'
        'duration = "00:12:30.5"\n'
        "pause = 200\n"
        'labels = "always"\n'
        "dialogue = true\n"
        "crlf = true\n"
        "strict = true\n"
        'formats = ["vtt"]\n'
        'subtitles = "out"\n'
        'domain = "left for the catalog commands"\n'
    )
    options = config.options
    assert (options.fps, options.start_ms, options.duration_ms, options.pause_ms) == (
        25.0,
        5000,
        750_500,
        200,
    )
    assert (options.labels, options.dialogue, options.crlf, options.strict) == ("always", True, True, True)
    assert config.rate_for("ko-KR") == 6.0 and config.rate_for("fr") is None
    assert config.formats == ("vtt",) and config.subtitles == "out" and config.transcripts == "transcripts"
    assert config.extra == {"domain": "left for the catalog commands"}


def test_config_without_a_table_gives_the_defaults() -> None:
    assert parse_config('[project]\nname = "redbox"\n') == RedboxConfig()


def test_config_errors_name_the_line() -> None:
    with pytest.raises(ConfigError, match=r"^p\.toml:3: \[tool\.redbox\] labels must be one of"):
        parse_config('[tool.redbox]\nfps = 24\nlabels = "sometimes"\n', "p.toml")
    with pytest.raises(ConfigError, match=r"^p\.toml:2: not valid TOML"):
        parse_config("[tool.redbox]\nfps = \n", "p.toml")
    with pytest.raises(ConfigError, match="duration must be a time"):
        parse_config('[tool.redbox]\nduration = "soon"\n', "p.toml")


def test_build_refuses_two_transcripts_of_one_episode(runner: CliRunner, project: Path) -> None:
    sample = (project / "transcripts" / f"{EPISODE}.txt").read_text(encoding="utf-8")
    write_transcript(project / "transcripts", "zz-copy.txt", sample.replace("Welcome", "Hello"))
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    clash = f"transcripts/zz-copy.txt:3:1: error TRN014 episode '{EPISODE}' is also the episode of"
    assert clash in result.stderr
    assert f"transcripts/{EPISODE}.txt:3:1: error TRN014" in result.stderr
    assert b"Hello" not in (project / "subtitles" / f"{EPISODE}.en.srt").read_bytes()


def test_a_legacy_korean_transcript_is_read_and_noted(runner: CliRunner, tmp_path: Path) -> None:
    text = "---\ntitle: 시험\nepisode: legacy\nlanguage: ko\nspeakers: 조이\n---\n조이: 안녕하세요.\n"
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp949"))
    result = runner.invoke(cli, ["subtitles", str(path), "--format", "vtt"])
    assert result.exit_code == 0, result.output
    assert "<v 조이>안녕하세요.</v>" in result.stdout_bytes.decode("utf-8")
    assert "note: read as" in result.stderr


def test_build_reports_a_timing_warning_once_for_all_languages(runner: CliRunner, project: Path) -> None:
    transcript = project / "transcripts" / f"{EPISODE}.txt"
    text = transcript.read_text(encoding="utf-8")
    text = text.replace("All: Welcome", "[00:00:01] All: Welcome").replace(
        "Ilhyeok: Misunderstandings?", "[00:00:02] Ilhyeok: Misunderstandings?"
    )
    transcript.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["build"])
    warnings = [line for line in result.stderr.splitlines() if "TIM001" in line]
    assert warnings and len(warnings) == len(set(warnings)), result.stderr  # English and Korean, said once
    assert runner.invoke(cli, ["build", "--strict"]).exit_code == 1
