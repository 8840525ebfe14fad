"""``redbox fix``: mend the prose problems ``redbox check`` finds whose repair cannot change
the meaning (see :mod:`toolkit.fixer`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli import common
from toolkit.fixing import fix_files


@click.command(
    "fix",
    epilog="""\b
Examples:
  redbox fix                                   # every transcript in transcripts/
  redbox fix --diff                            # show what would change, write nothing
  redbox fix transcripts/episode.txt && redbox build
""",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--diff", is_flag=True,
              help="Print the changes as a unified diff and write nothing; exit 1 if there are any.")
def fix_command(paths: tuple[Path, ...], diff: bool) -> None:
    """Fix doubled words, quotation marks, spacing and HTML entities in transcripts.

    Only repairs that cannot change the meaning are made: a doubled word outside the
    allow-list ("had had", "very very" and Korean doubles stay), a quotation mark turned the
    wrong way or mixing straight and curly marks, runs of spaces, a space before punctuation,
    an entity such as &amp;. Speakers, turns, [hh:mm:ss] anchors and lines never change.
    Files are rewritten atomically as UTF-8 with their own line ends. Run 'redbox check' for
    what is left.

    A folder means every .txt file below it; no path means the project's transcripts folder
    (found from any subfolder). Exit 0 when done (or, with --diff, when nothing would
    change), 1 when --diff shows changes or a file could not be read or fixed, 2 on usage
    errors.
    """
    where = common.project()
    if not paths and not where.transcripts.is_dir():
        raise click.UsageError(f"no path given and the project at {where.root} has no transcripts/ folder")
    run = fix_files(where, paths, write=not diff, on_read=common.note_encoding)
    for one in run.files:
        if one.details:
            click.echo(one.details, err=True)
        if one.refused:
            click.echo(f"{one.source}: {one.refused}", err=True)
            continue
        if one.note:
            click.echo(f"{one.source}: note: {one.note}", err=True)
        if diff:
            click.echo(one.diff, nl=False)
            continue
        for fix in one.fixes:
            click.echo(f"{one.source}:{fix.line}:{fix.column}: fixed {fix.code} {fix.message}")
    verb = "would fix" if diff else "fixed"
    made = sum(len(one.fixes) for one in run.changed)
    click.echo(f"{len(run.files)} file(s) checked: {verb} {made} problem(s) in {len(run.changed)} file(s)",
               err=True)  # fmt: skip
    if run.refused or (diff and run.changed):
        sys.exit(1)


COMMANDS: list[click.Command] = [fix_command]
