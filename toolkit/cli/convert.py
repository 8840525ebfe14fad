"""``redbox convert``: any SRT or WebVTT file to clean SRT, WebVTT or JSON (core: formats/convert.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit import files
from toolkit.formats.convert import OUTPUT_FORMATS, convert, output_format_for
from toolkit.report import format_text


@click.command(
    "convert",
    epilog="""\b
Examples:
  redbox convert old.srt -o clean.srt            # any encoding and lenient timing, written clean
  redbox convert talk.vtt -o talk.srt
  redbox convert talk.srt -o - --format json     # {"cues": [...]} on standard output
  cat x.srt | redbox convert - -o x.vtt
""",
)
@click.argument("source", type=click.Path(path_type=Path, allow_dash=True, dir_okay=False))
@click.option("-o", "--output", required=True,
              type=click.Path(path_type=Path, allow_dash=True, dir_okay=False),
              help="The file to write ('-': standard output); its suffix names the format.")
@click.option("--format", "format_", type=click.Choice(sorted(OUTPUT_FORMATS)),
              help="The output format when the output's suffix does not say it (always with -o -).")
@click.option("--input-format", type=click.Choice(["srt", "vtt"]),
              help="The input's format when its name does not say it (default: vtt when it starts "
                   "with WEBVTT).")
def convert_command(source: Path, output: Path, format_: str | None, input_format: str | None) -> None:
    """Read an SRT or WebVTT file as players read it and write it as clean SRT, WebVTT or JSON.

    Every cue a player shows is kept (times, the text a viewer sees, WebVTT voices); what
    players drop is dropped. The problems `redbox check` finds in SOURCE are listed on stderr
    (they never stop the conversion); exit 1 only when SOURCE cannot be read at all.
    """
    target = output_format_for(str(output), format_)
    if target is None:
        raise click.UsageError(f"cannot tell the output format from {str(output)!r}; pass --format "
                               f"({', '.join(sorted(OUTPUT_FORMATS))})")  # fmt: skip
    name = "<stdin>" if str(source) == "-" else str(source)
    data = sys.stdin.buffer.read() if str(source) == "-" else files.read_bytes(source)
    result = convert(data, name, target, input_format)
    if result.problems:
        click.echo(format_text(result.problems), err=True)
    if str(output) == "-":
        click.echo(result.text, nl=False)
        return
    if str(source) != "-":
        files.refuse_overwriting_inputs(output, (source,))
    files.write_text_atomic(output, result.text)
    click.echo(f"wrote {output} ({len(result.cues)} cues, {target.id})", err=True)


COMMANDS = [convert_command]
