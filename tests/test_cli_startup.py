"""Start-up: ``redbox --help`` lists every command without importing any command's module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click

from toolkit.cli import COMMAND_MODULES, SUMMARIES, RedboxGroup, cli


def test_the_summaries_are_the_commands_own_help() -> None:
    context = click.Context(cli)
    assert sorted(SUMMARIES) == sorted(COMMAND_MODULES)
    for name, summary in SUMMARIES.items():
        command = cli.get_command(context, name)
        assert command is not None and command.help is not None
        assert summary == command.help.split("\n\n")[0].strip(), name


def test_help_lists_the_commands_as_click_would() -> None:
    """The list written from SUMMARIES is what Click writes after loading every command."""
    context = click.Context(cli)
    commands: dict[str, click.Command] = {}
    for name in COMMAND_MODULES:
        command = cli.get_command(context, name)
        assert command is not None, name
        commands[name] = command
    loaded = click.Group("redbox", commands=commands)
    for width in (60, 80, 120):
        ours, theirs = click.HelpFormatter(width=width), click.HelpFormatter(width=width)
        RedboxGroup.format_commands(cli, context, ours)
        click.Group.format_commands(loaded, click.Context(loaded), theirs)
        assert ours.getvalue() == theirs.getvalue()


def test_help_imports_no_command_module() -> None:
    code = (
        "import sys, json\n"
        "from toolkit.cli import cli\n"
        "try:\n    cli.main(['--help'], prog_name='redbox')\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('toolkit'))), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "build" in done.stdout and "subtitles" in done.stdout
    assert json.loads(done.stderr.strip().splitlines()[-1]) == ["toolkit", "toolkit.cli", "toolkit.errors"]


def test_check_does_not_import_the_page_importer(tmp_path: Path) -> None:
    """``redbox check`` shares its module with ``redbox import``, whose importer it never runs."""
    (tmp_path / "transcripts").mkdir()
    header = "---\ntitle: One\nepisode: one\nlanguage: en\nspeakers: Ann\n---\n"
    (tmp_path / "transcripts" / "one.txt").write_text(header + "Ann: Hello there.\n", encoding="utf-8")
    code = (
        "import sys, json\n"
        "from toolkit.cli import cli\n"
        "try:\n    cli.main(['check'], prog_name='redbox')\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('toolkit'))), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=tmp_path)
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert "toolkit.cli.transcripts" in loaded and "toolkit.checking" in loaded
    assert "toolkit.importer" not in loaded and "toolkit.page" not in loaded
