"""The project model: found from any subfolder, its settings applied, one name per language."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SAMPLE_EPISODE
from toolkit.cli import cli
from toolkit.errors import NamingError, OutputError
from toolkit.naming import canonical_language, catalog_folder, language_problem, slug_problem
from toolkit.project import find_project

SUBFOLDERS = [".", "transcripts", "locales/ko/LC_MESSAGES", "subtitles"]
COMMANDS = [["check"], ["build", "--check"], ["catalog", "stats"], ["check", "--format", "json"]]


def _run(
    runner: CliRunner, folder: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    monkeypatch.chdir(folder)
    result = runner.invoke(cli, args)
    return result.exit_code, result.stdout + "\n--stderr--\n" + result.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_subfolder_gives_the_root_s_output_and_exit_code(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    # A stale subtitle and an untranslated message make the outputs worth comparing.
    (project / "subtitles" / f"{SAMPLE_EPISODE}.en.srt").write_text("stale\n", encoding="utf-8")
    at_root = _run(runner, project, args, monkeypatch)
    for folder in SUBFOLDERS[1:]:
        assert _run(runner, project / folder, args, monkeypatch) == at_root, folder
    if args[:2] == ["build", "--check"]:
        assert at_root[0] == 1
        assert f"subtitles/{SAMPLE_EPISODE}.en.srt: stale" in at_root[1]


def test_the_root_is_the_nearest_folder_with_tool_redbox_even_without_transcripts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.redbox]\ntranscripts = "episodes"\n', encoding="utf-8")
    (tmp_path / "episodes" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "episodes" / "deep")
    found = find_project()
    assert found.root == tmp_path.resolve()
    assert found.transcripts == tmp_path.resolve() / "episodes"


def test_outside_any_project_the_working_folder_is_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    found = find_project()
    assert found.root == tmp_path.resolve()
    assert found.display(tmp_path / "a.txt") == "a.txt"
    assert found.display(Path("/elsewhere/b.txt")) == "/elsewhere/b.txt"


def test_tool_redbox_settings_apply_from_a_subfolder(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.redbox]\nformats = ["vtt"]\nsubtitles = "out"\nlabels = "none"\n', encoding="utf-8"
    )
    monkeypatch.chdir(project / "transcripts")
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.stderr
    written = sorted(path.name for path in (project / "out").iterdir())
    assert written == [f"{SAMPLE_EPISODE}.en.vtt", f"{SAMPLE_EPISODE}.ko.vtt"]
    english = (project / "out" / f"{SAMPLE_EPISODE}.en.vtt").read_text(encoding="utf-8")
    assert "Joy:" not in english  # labels = "none" applied
    assert f"wrote out/{SAMPLE_EPISODE}.en.vtt" in result.stdout


def test_a_bad_setting_names_the_project_file_and_line(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "pyproject.toml").write_text("[tool.redbox]\n\nfps = 'fast'\n", encoding="utf-8")
    monkeypatch.chdir(project / "locales")
    result = runner.invoke(cli, ["build", "--check"])
    assert result.exit_code == 1
    assert "pyproject.toml:3: [tool.redbox] fps must be a number above 0" in result.stderr


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize("spelling", ["ko-KR", "ko_KR", "KO-kr", "ko_kr"])
def test_every_spelling_of_a_language_names_one_folder_and_one_file(spelling: str) -> None:
    assert canonical_language(spelling) == "ko-KR"
    assert catalog_folder(spelling) == "ko_KR"


def test_catalog_init_with_two_spellings_makes_one_catalog(runner: CliRunner, project: Path) -> None:
    assert runner.invoke(cli, ["catalog", "init", "ko_KR"]).exit_code == 0
    again = runner.invoke(cli, ["catalog", "init", "KO-kr"])
    assert again.exit_code == 0
    assert "exists, left as it is" in again.stdout
    assert sorted(path.name for path in (project / "locales").iterdir() if path.is_dir()) == ["ko", "ko_KR"]
    stats = runner.invoke(cli, ["catalog", "stats", "--lang", "ko-KR"])
    assert stats.stdout.count("\n") == 1 and "ko_KR/LC_MESSAGES" in stats.stdout


@pytest.mark.parametrize("slug", ["../../escape", "/tmp/x", "Episode One", "a/b", "", "a--b", "-a", "é"])
def test_a_slug_that_could_leave_its_folder_is_refused(slug: str) -> None:
    assert slug_problem(slug) is not None
    with pytest.raises(NamingError):
        find_project().template_path(slug)


@given(st.text(max_size=30))
def test_a_derived_path_is_inside_its_folder_or_refused(slug: str) -> None:
    project = find_project()
    try:
        path = project.subtitle_path(slug, "ko", "srt")
    except (NamingError, OutputError):
        return
    assert path.parent == project.subtitles
    assert path.name == f"{slug}.ko.srt"


@pytest.mark.parametrize("tag", ["english", "../ko", "ko/KR", "xx-YY-ZZ", "", "zz"])
def test_a_language_babel_does_not_know_is_refused(tag: str) -> None:
    assert language_problem(tag) is not None


# --------------------------------------------------------- one episode, one transcript

KOREAN_COPY = (
    "---\ntitle: 레드박스\nepisode: misunderstandings-and-stereotypes\nlanguage: ko\nspeakers: 조이\n---\n"
    "조이: 안녕하세요.\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["build"],
        ["build", "--check"],
        ["catalog", "update"],
        ["catalog", "extract"],
        ["subtitles", f"transcripts/{SAMPLE_EPISODE}.txt"],
        ["subtitles", "transcripts/korean.txt"],
        ["align", f"transcripts/{SAMPLE_EPISODE}.txt", "episode.wav"],
    ],
    ids=" ".join,
)
def test_a_second_transcript_of_an_episode_is_refused_by_every_command(
    runner: CliRunner, project: Path, args: list[str]
) -> None:
    (project / "transcripts" / "korean.txt").write_text(KOREAN_COPY, encoding="utf-8")
    (project / "episode.wav").write_bytes(b"RIFF")
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    said = result.stderr + result.stdout
    assert "error TRN014 episode 'misunderstandings-and-stereotypes' is also the episode of" in said
    assert "its other languages live in catalogs" in said
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


# ------------------------------------------------------------------------------ orphans

RENAMED = "stereotypes-about-north-koreans"


def _rename_episode(project: Path) -> None:
    transcript = project / "transcripts" / f"{SAMPLE_EPISODE}.txt"
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text.replace(f"episode: {SAMPLE_EPISODE}", f"episode: {RENAMED}"), encoding="utf-8")


def test_a_renamed_episode_keeps_its_catalogs(runner: CliRunner, project: Path) -> None:
    old_po = project / "locales" / "ko" / "LC_MESSAGES" / f"{SAMPLE_EPISODE}.po"
    translations = old_po.read_text(encoding="utf-8").count('msgstr "') - 1
    _rename_episode(project)
    result = runner.invoke(cli, ["catalog", "update"])
    assert result.exit_code == 0, result.output
    assert f"locales/ko/LC_MESSAGES/{SAMPLE_EPISODE}.po: moved to locales/ko/LC_MESSAGES/{RENAMED}.po" in (
        result.stdout
    )
    assert "23 kept, 0 edited (fuzzy), 0 new" in result.stdout
    assert not old_po.exists() and not (project / "locales" / f"{SAMPLE_EPISODE}.pot").exists()
    new_po = (project / "locales" / "ko" / "LC_MESSAGES" / f"{RENAMED}.po").read_text(encoding="utf-8")
    assert f'msgctxt "{RENAMED}/' in new_po and f'msgctxt "{SAMPLE_EPISODE}/' not in new_po
    assert new_po.count('msgstr "') - 1 == translations
    built = runner.invoke(cli, ["build"])
    assert built.exit_code == 0, built.output
    assert (project / "subtitles" / f"{RENAMED}.ko.srt").exists()


def test_orphans_are_reported_by_check_and_build_check(runner: CliRunner, project: Path) -> None:
    _rename_episode(project)
    check = runner.invoke(cli, ["check"])
    assert check.exit_code == 1
    assert f"locales/{SAMPLE_EPISODE}.pot:1:1: error PRJ001 its episode has no transcript" in check.stdout
    assert f"locales/ko/LC_MESSAGES/{SAMPLE_EPISODE}.po:1:1: error PRJ001" in check.stdout
    assert f"subtitles/{SAMPLE_EPISODE}.ko.srt:1:1: error PRJ002" in check.stdout
    build_check = runner.invoke(cli, ["build", "--check"])
    assert build_check.exit_code == 1
    assert f"subtitles/{SAMPLE_EPISODE}.en.vtt: orphaned" in build_check.stdout
    orphaned_catalog = (f"locales/ko/LC_MESSAGES/{SAMPLE_EPISODE}.po: orphaned (its episode has no "
                        "transcript (renamed or deleted?); run `redbox catalog update` to move it")
    assert orphaned_catalog in build_check.stdout
    assert "run `redbox build`" in build_check.stderr


def test_subtitles_of_a_language_that_lost_its_catalog_are_orphaned(runner: CliRunner, project: Path) -> None:
    (project / "locales" / "ko" / "LC_MESSAGES" / f"{SAMPLE_EPISODE}.po").unlink()
    result = runner.invoke(cli, ["build", "--check"])
    assert result.exit_code == 1
    assert f"subtitles/{SAMPLE_EPISODE}.ko.srt: orphaned (the episode is in en and has no ko catalog" in (
        result.stdout
    )
    assert f"subtitles/{SAMPLE_EPISODE}.en.srt" not in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["build"],
        ["build", "--check"],
        ["subtitles", f"transcripts/{SAMPLE_EPISODE}.txt"],
        ["catalog", "update"],
        ["catalog", "init", "en"],
        ["align", f"transcripts/{SAMPLE_EPISODE}.txt", "episode.wav"],
    ],
    ids=" ".join,
)
def test_every_command_refuses_what_check_rejects_with_check_s_lines(
    runner: CliRunner, project: Path, args: list[str]
) -> None:
    transcript = project / "transcripts" / f"{SAMPLE_EPISODE}.txt"
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text.replace("Dasom:", "Dasmo:", 1).replace("language: en", "language: english"),
                          encoding="utf-8")  # fmt: skip
    (project / "episode.wav").write_bytes(b"RIFF")
    check = runner.invoke(cli, ["check", "transcripts/"])
    errors = [line for line in check.stdout.splitlines() if ": error " in line]
    assert {line.split(" ")[2] for line in errors} == {"TRN001", "TRN007"}
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    for line in errors:
        assert line in result.stderr
