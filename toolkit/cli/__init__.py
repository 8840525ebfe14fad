"""The ``redbox`` command line: a thin Click layer over the core.

Only this package prints or exits. Core errors (:class:`~toolkit.errors.ToolkitError`)
propagate out of the commands and become ``file:line: message`` on stderr with exit 1 in
:class:`RedboxGroup`; bad arguments exit 2 (Click's
usage errors). Each subcommand lives in its own module and is listed in that module's
``COMMANDS``.
"""

from __future__ import annotations

import importlib
import signal
import sys
from typing import IO, Any

import click

from toolkit import __version__
from toolkit.errors import ToolkitError

#: Each command and the module whose ``COMMANDS`` list holds it. A module is imported only
#: when one of its commands runs, so `redbox catalog update` never pays for the aligner's
#: or the subtitle engine's imports.
COMMAND_MODULES = {
    "import": "toolkit.cli.transcripts",
    "check": "toolkit.cli.transcripts",
    "fix": "toolkit.cli.fix",
    "subtitles": "toolkit.cli.subtitles",
    "build": "toolkit.cli.subtitles",
    "catalog": "toolkit.cli.catalog",
    "align": "toolkit.cli.align",
    "convert": "toolkit.cli.convert",
    "preview": "toolkit.cli.video",
    "mux": "toolkit.cli.video",
}

#: Each command's summary (the first paragraph of its help), for ``redbox --help``, which would
#: otherwise import every command's module (and the whole core) to list them. A test keeps
#: these equal to the commands' own help.
SUMMARIES = {
    "align": "Time every turn of TRANSCRIPT from the episode's AUDIO, offline.",
    "build": "Build subtitles for every transcript, in its language and each translated one.",
    "catalog": "Gettext catalogs that translators edit (Poedit, Weblate, a text editor).",
    "check": "Check transcripts, subtitle files and catalogs; report every problem found.",
    "convert": "Read an SRT or WebVTT file as players read it and write it as clean SRT, WebVTT or JSON.",
    "fix": "Fix doubled words, quotation marks, spacing and HTML entities in transcripts.",
    "import": "Convert a transcript copied from a web page into redbox's transcript format.",
    "mux": "Put an episode's subtitles into its video with ffmpeg.",
    "preview": "Write one self-contained HTML page to review an episode's subtitles.",
    "subtitles": "Write timed subtitles (SRT, WebVTT, TTML, DFXP or ASS) for one transcript.",
}

EPILOG = """\b
Examples:
  redbox import raw.txt -o transcripts/episode.txt --episode my-episode
  redbox check                      # every transcript in transcripts/
  redbox build                      # subtitles/<episode>.<lang>.srt and .vtt
"""


class ReportedError(click.ClickException):
    """An error already worded as ``file:line: message``: shown as it is, without Click's
    ``Error:`` prefix, so editors and CI can jump to the place it names."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), err=True, file=file)


class RedboxGroup(click.Group):
    """The command group: loads commands lazily and turns every non-usage Click error into a
    :class:`ReportedError`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMAND_MODULES.get(cmd_name)
        if module_name is None:
            return None
        commands: list[click.Command] = importlib.import_module(module_name).COMMANDS
        return next(command for command in commands if command.name == cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``redbox --help``, as Click writes it, from :data:`SUMMARIES`."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        # A bare Command with the same help shortens it with Click's own rule.
        rows = [(name, click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        from toolkit import files  # (not at import: `redbox --help` loads no more than it needs)

        files.forget_reads()  # a run's writes are checked against what that run read
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # Click would say "Aborted!" and exit 1; a shell expects 128 + SIGINT. Temporary
            # files are gone by now: write_bytes_atomic removes its own on any exception.
            click.echo("\nInterrupted.", err=True)
            sys.exit(EXIT_SIGINT)
        except click.UsageError:
            raise
        except ReportedError:
            raise
        except click.ClickException as error:
            raise ReportedError(error.format_message()) from None  # every such error exits 1
        except ToolkitError as error:
            # The one place core errors become exit 1: commands let them propagate.
            if error.details:
                click.echo(error.details, err=True)
            raise ReportedError(str(error)) from None


@click.group(
    cls=RedboxGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda context, _parameter, wanted: _print_version(context) if wanted else None,
    help="Show the version (compiled or pure Python) and exit.",
)
def cli() -> None:
    """redbox: Red Box transcripts to timed SRT/WebVTT subtitles, gettext catalogs and checks."""


def _print_version(context: click.Context) -> None:
    """``redbox 0.1.0 (pure Python)``: which install runs (``pip install .`` compiles where it can)."""
    from toolkit.native import describe_install

    click.echo(f"redbox, version {__version__} ({describe_install()})")
    context.exit()


#: Exit statuses of a run stopped by a signal, as a shell reports them (128 + the signal number).
EXIT_SIGINT = 128 + signal.SIGINT
EXIT_SIGTERM = 128 + signal.SIGTERM


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C does, so ``finally`` blocks remove temporary files."""
    raise SystemExit(EXIT_SIGTERM)


def main() -> None:
    """Entry point of the ``redbox`` console script."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        cli.main(prog_name="redbox")
    except KeyboardInterrupt:  # a Ctrl-C outside a command (while parsing options)
        click.echo("\nInterrupted.", err=True)
        sys.exit(EXIT_SIGINT)
