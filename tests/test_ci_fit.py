"""What CI and pre-commit hooks rely on: standard input, missing files, skipped files, hooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SAMPLE_EPISODE, SAMPLE_TRANSCRIPT
from toolkit.cli import cli


def _edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["check", "missing.txt"],
        ["import", "missing.txt"],
        ["subtitles", "missing.txt"],
        ["catalog", "update", "missing.txt"],
        ["catalog", "extract", "missing.txt"],
        ["align", "missing.txt", "episode.wav"],
        ["align", f"transcripts/{SAMPLE_EPISODE}.txt", "missing.wav"],
    ],
    ids=" ".join,
)
def test_a_missing_input_exits_1_naming_the_file(runner: CliRunner, project: Path, args: list[str]) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    missing = next(arg for arg in args if arg.startswith("missing"))
    assert f"{missing}: no such file" in result.stderr
    assert "Traceback" not in result.output


def test_subtitles_read_standard_input(runner: CliRunner) -> None:
    piped = runner.invoke(cli, ["subtitles", "-", "--format", "vtt"], input=SAMPLE_TRANSCRIPT.read_bytes())
    from_file = runner.invoke(cli, ["subtitles", str(SAMPLE_TRANSCRIPT), "--format", "vtt"])
    assert piped.exit_code == 0, piped.stderr
    assert piped.stdout_bytes == from_file.stdout_bytes


def test_check_reads_standard_input_and_names_it(runner: CliRunner) -> None:
    broken = SAMPLE_TRANSCRIPT.read_text(encoding="utf-8").replace("Dasom:", "Dasmo:", 1)
    result = runner.invoke(cli, ["check", "-", "--stdin-name", "episode.txt"], input=broken.encode())
    assert result.exit_code == 1
    assert "episode.txt:" in result.stdout and "TRN001" in result.stdout
    cue = b"1\n00:00:01,000 --> 00:00:02,000\nHi\n"
    srt = runner.invoke(cli, ["check", "-", "--stdin-name", "x.en.srt"], input=cue)
    assert srt.exit_code == 0, srt.output


def test_check_skips_the_files_a_hook_passes_that_it_does_not_check(runner: CliRunner, project: Path) -> None:
    (project / "README.md").write_text("# notes: not a transcript\n", encoding="utf-8")
    (project / "transcripts" / "other.timings.tsv").write_text("x\n", encoding="utf-8")
    mo = project / "locales" / "ko" / "LC_MESSAGES" / "x.mo"
    mo.write_bytes(b"\xde\x12\x04\x95")
    staged = ["README.md", str(mo.relative_to(project)), "transcripts/other.timings.tsv",
              f"transcripts/{SAMPLE_EPISODE}.txt"]  # fmt: skip
    result = runner.invoke(cli, ["check", *staged])
    assert result.exit_code == 0, result.output
    assert "1 file(s) checked, 3 skipped: 0 error(s)" in result.stderr


def test_default_check_covers_the_whole_project(runner: CliRunner, project: Path) -> None:
    (project / "subtitles" / f"{SAMPLE_EPISODE}.en.srt").write_text("not subtitles\n", encoding="utf-8")
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert f"subtitles/{SAMPLE_EPISODE}.en.srt:" in result.stdout
    assert "7 file(s) checked" in result.stderr  # the transcript, 4 subtitle files, the .pot and the .po


def test_check_lang_sets_the_language_of_a_subtitle_file(runner: CliRunner, tmp_path: Path) -> None:
    # 20 syllables on one line: within English's 42 columns, over Korean's 16.
    unnamed = tmp_path / "episode.srt"
    line = "가나다라마바사아자차카타파하가나다라마바"
    unnamed.write_text(f"1\n00:00:01,000 --> 00:00:05,000\n{line}\n", encoding="utf-8")
    as_english = runner.invoke(cli, ["check", str(unnamed), "--strict"])
    as_korean = runner.invoke(cli, ["check", str(unnamed), "--strict", "--lang", "ko"])
    assert as_english.exit_code == 0, as_english.output
    assert as_korean.exit_code == 1
    assert "SUB004" in as_korean.stdout


# ------------------------------------------------------------------------- pre-commit


def test_the_pre_commit_hooks_run_the_commands_the_docs_show() -> None:
    import yaml

    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["redbox-check"]["entry"] == "redbox check --strict"
    assert hooks["redbox-build-check"]["entry"] == "redbox build --check"
    assert hooks["redbox-build-check"]["pass_filenames"] is False


@pytest.mark.parametrize("hook", ["redbox-check", "redbox-build-check"])
def test_the_hooks_pass_on_the_project_and_fail_on_a_broken_transcript(
    runner: CliRunner, project: Path, hook: str
) -> None:
    import yaml

    spec = next(h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()) if h["id"] == hook)
    command = spec["entry"].split()[1:]
    staged = ["README.md", f"transcripts/{SAMPLE_EPISODE}.txt"] if spec.get("pass_filenames", True) else []
    (project / "README.md").write_text("# project\n", encoding="utf-8")
    assert runner.invoke(cli, command + staged).exit_code == 0
    transcript = project / "transcripts" / f"{SAMPLE_EPISODE}.txt"
    _edit(transcript, "Welcome", "Hello")
    broken = runner.invoke(cli, command + staged)
    if hook == "redbox-build-check":
        assert broken.exit_code == 1 and "stale" in broken.stdout
    else:
        assert broken.exit_code == 0  # an edit is not an error; a wrong speaker is
        _edit(transcript, "Dasom:", "Dasmo:")
        assert runner.invoke(cli, command + staged).exit_code == 1


def test_pre_commit_try_repo_runs_the_hooks(tmp_path: Path) -> None:
    beside_python = Path(sys.executable).parent / "pre-commit"
    pre_commit = str(beside_python) if beside_python.exists() else shutil.which("pre-commit")
    if pre_commit is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pre-commit is missing: .ci/run installs the test extras, which include it")
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    work = tmp_path / "episode-project"  # a user's project: the data folders, in git
    for folder in ("transcripts", "subtitles", "locales"):
        shutil.copytree(ROOT / folder, work / folder)
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    # pre-commit pip-installs the repository; REDBOX_PURE=1 skips compiling it with mypyc
    # (minutes), which .ci/run's compiled stage tests on its own.
    env = {**os.environ, "REDBOX_PURE": "1"}
    ok = subprocess.run([pre_commit, "try-repo", str(ROOT), "--all-files"],
                        cwd=work, capture_output=True, text=True, timeout=900, env=env)  # fmt: skip
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "redbox check" in ok.stdout and "redbox build --check" in ok.stdout
    transcript = work / "transcripts" / f"{SAMPLE_EPISODE}.txt"
    _edit(transcript, "Dasom:", "Dasmo:")
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    broken = subprocess.run([pre_commit, "try-repo", str(ROOT), "redbox-check"],
                            cwd=work, capture_output=True, text=True, timeout=900, env=env)  # fmt: skip
    assert broken.returncode == 1
    assert "error TRN001 speaker 'Dasmo' is not in the cast" in broken.stdout
