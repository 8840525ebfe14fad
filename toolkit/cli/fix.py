"""``redbox fix``: mend the prose problems ``redbox check`` finds whose repair cannot change
the meaning (see :mod:`toolkit.fixer`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit import files
from toolkit.checking import TRANSCRIPT_SUFFIXES
from toolkit.cli import common
from toolkit.decoding import decode_text
from toolkit.errors import ToolkitError
from toolkit.fixer import fix_transcript_text, unified_diff


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
    if not paths:
        if not where.transcripts.is_dir():
            message = f"no path given and the project at {where.root} has no transcripts/ folder"
            raise click.UsageError(message)
        paths = (where.transcripts,)
    for path in paths:
        if files.modified_ns(path) is None:
            raise ToolkitError("no such file", str(path))
    failed = False
    changed_files = fixes_made = checked = 0
    for path in files.find_files(paths, TRANSCRIPT_SUFFIXES):
        source = where.display(path)
        if not path.name.endswith(TRANSCRIPT_SUFFIXES):
            click.echo(f"{source}: not a transcript (.txt): not fixed", err=True)
            failed = True
            continue
        try:
            decoded = decode_text(files.read_bytes(path), source)
        except ToolkitError as error:
            click.echo(f"{source}: {error.message}", err=True)
            failed = True
            continue
        checked += 1
        common.note_encoding(decoded, source)
        result = fix_transcript_text(decoded.text, source)
        if result.refused:
            click.echo(f"{source}: {result.refused}", err=True)
            failed = True
            continue
        if not result.fixes:
            continue
        changed_files += 1
        fixes_made += len(result.fixes)
        if decoded.encoding != "utf-8":
            verb = "would be" if diff else "was"
            read_as = decoded.encoding.upper()
            click.echo(f"{source}: note: {verb} written as UTF-8 (read as {read_as})", err=True)
        if diff:
            click.echo(unified_diff(decoded.text, result.text, source), nl=False)
            continue
        # A UTF-8 file keeps its byte order mark; other encodings become UTF-8 without one.
        bom = "\ufeff" if decoded.had_bom and decoded.encoding == "utf-8" else ""
        files.write_text_atomic(path, bom + result.text, newline=decoded.newline)
        for fix in result.fixes:
            click.echo(f"{source}:{fix.line}:{fix.column}: fixed {fix.code} {fix.message}")
    verb = "would fix" if diff else "fixed"
    summary = f"{checked} file(s) checked: {verb} {fixes_made} problem(s) in {changed_files} file(s)"
    click.echo(summary, err=True)
    if failed or (diff and changed_files):
        sys.exit(1)


COMMANDS: list[click.Command] = [fix_command]
