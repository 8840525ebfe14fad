"""``redbox import`` and ``redbox check``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit import files
from toolkit.checking import check_documents, read_documents
from toolkit.cli import common
from toolkit.cli.common import read_text
from toolkit.importer import import_raw
from toolkit.report import FORMATS, format_github, format_json, format_text
from toolkit.transcript import format_transcript
from toolkit.validate import check_transcript_text


def _split_speakers(value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise click.BadParameter("give at least one name, e.g. --speakers 'Joy, Dasom'")
    return names


@click.command(
    "import",
    epilog="""\b
Examples:
  redbox import page.txt -o transcripts/misunderstandings.txt --episode misunderstandings
  redbox import page.txt --speakers "All, Jeongyol, Joy, Dasom, Ilhyeok"
""",
)
@click.argument("raw", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the transcript here (default: standard output).")
@click.option("--speakers", metavar="A,B,…", help="The cast, comma-separated. Default: the labels found.")
@click.option("--episode", metavar="SLUG", help="Episode slug (default: made from the title).")
@click.option("--language", metavar="TAG", help="BCP 47 language tag (default: guessed, 'en' or 'ko').")
def import_command(
    raw: Path, output: Path | None, speakers: str | None, episode: str | None, language: str | None
) -> None:
    """Convert a transcript copied from a web page into redbox's transcript format.

    The first line becomes the title, the paragraphs before the first speaker label the
    description, and the labels the cast (proposed on stderr when --speakers is omitted).
    """
    decoded = read_text(raw)
    result = import_raw(decoded.text, str(raw), speakers=_split_speakers(speakers),
                        episode=episode, language=language)
    if result.proposed_speakers is not None:
        click.echo(f"{raw}: note: speakers proposed from the labels found: "
                   f"{', '.join(result.proposed_speakers)} (pass --speakers to confirm or correct)", err=True)
    if result.guessed_language is not None:
        click.echo(f"{raw}: note: language guessed as {result.guessed_language!r} "
                   "(pass --language to set it)", err=True)
    text = format_transcript(result.transcript)
    # Check what was written, so the lines reported are the output's own.
    _, problems = check_transcript_text(text, str(output) if output else "<stdout>")
    if output is None:
        click.echo(text, nl=False)
    else:
        files.refuse_overwriting_inputs(output, (raw,))
        files.write_text_atomic(output, text)
        click.echo(f"wrote {output} ({len(result.transcript.turns)} turns)", err=True)
    if problems:
        click.echo(format_text(problems), err=True)
    if any(problem.severity == "error" for problem in problems):
        sys.exit(1)


@click.command(
    "check",
    epilog="""\b
Examples:
  redbox check                                   # everything in transcripts/
  redbox check transcripts/ subtitles/ locales/  # transcripts, subtitles and catalogs
  redbox check --format github --strict          # in CI: annotations, warnings fail too
  redbox check episode.txt --format json > report.json
""",
)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "format_", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: file:line:col lines; json: one document; github: Actions annotations.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
def check_command(paths: tuple[Path, ...], format_: str, strict: bool) -> None:
    """Check transcripts, subtitle files and catalogs; report every problem found.

    A folder means every .txt, .srt, .vtt, .po and .pot file below it; no path means
    transcripts/. Exit 0 when clean, 1 when problems are found (warnings only with
    --strict), 2 on usage errors.
    """
    where = common.project()
    if not paths:
        if not where.transcripts.is_dir():
            raise click.UsageError(
                f"no path given and the project at {where.root} has no transcripts/ folder"
            )
        paths = (where.transcripts,)
    documents = read_documents(where, paths, common.note_encoding)
    problems = check_documents(documents)
    if format_ == "json":
        click.echo(format_json(problems, len(documents)))
    elif format_ == "github":
        if problems:
            click.echo(format_github(problems))
    elif problems:
        click.echo(format_text(problems))
    errors = sum(1 for problem in problems if problem.severity == "error")
    warnings = len(problems) - errors
    if format_ == "text":
        click.echo(f"{len(documents)} file(s) checked: {errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


COMMANDS: list[click.Command] = [import_command, check_command]
