"""The ``redbox`` command line: a thin Click layer over the core.

Only this package prints or exits. Core errors (:class:`~toolkit.errors.ToolkitError`)
become ``file:line: message`` on stderr with exit 1; bad arguments exit 2 (Click's
usage errors). Each subcommand lives in its own module and is listed in that module's
``COMMANDS``.
"""

from __future__ import annotations

import importlib
import sys

import click

from toolkit import __version__

#: Modules whose ``COMMANDS`` lists are added to the group, in help order.
COMMAND_MODULES = (
    "toolkit.cli.transcripts",
    "toolkit.cli.subtitles",
    "toolkit.cli.catalog",
    "toolkit.cli.align",
)

EPILOG = """\b
Examples:
  redbox import raw.txt -o transcripts/episode.txt --episode my-episode
  redbox check                      # every transcript in transcripts/
  redbox build                      # subtitles/<episode>.<lang>.srt and .vtt
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="redbox")
def cli() -> None:
    """redbox: Red Box transcripts to timed SRT/WebVTT subtitles, gettext catalogs and checks."""


for _module_name in COMMAND_MODULES:
    _module = importlib.import_module(_module_name)
    for _command in getattr(_module, "COMMANDS", ()):
        cli.add_command(_command)


def main() -> None:
    """Entry point of the ``redbox`` console script."""
    try:
        cli.main(prog_name="redbox")
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        click.echo("Aborted by user.", err=True)
        sys.exit(130)
