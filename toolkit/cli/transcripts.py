"""``redbox import`` and ``redbox check``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from toolkit import files
from toolkit.checking import Document, check_paths, document_of, is_checked
from toolkit.cli import common
from toolkit.cli.common import read_text
from toolkit.decoding import decode_text
from toolkit.model import Problem
from toolkit.project import Project
from toolkit.report import FORMATS, format_github, format_json, format_text
from toolkit.validate import check_transcript_text


def _split_speakers(value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise click.BadParameter("give at least one name, e.g. --speakers 'Joy, Dasom'")
    return names


def _split_aliases(values: tuple[str, ...]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for value in values:
        label, equals, speaker = value.partition("=")
        if not equals or not label.strip() or not speaker.strip():
            raise click.BadParameter(f"{value!r}: write it LABEL=SPEAKER, e.g. --alias 'KIM=KIM HYUN WOO'",
                                     param_hint="--alias")
        aliases[" ".join(label.split())] = " ".join(speaker.split())
    return aliases


@click.command(
    "import",
    epilog="""\b
Examples:
  redbox import page.txt -o transcripts/misunderstandings.txt --episode misunderstandings
  redbox import page.txt --speakers "All, Jeongyol, Joy, Dasom, Ilhyeok"
  redbox import page.txt --alias "KIM=KIM HYUN WOO" --title "A defector's view"
  pbpaste | redbox import - -o transcripts/episode.txt
""",
)
@click.argument("raw", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the transcript here (default: standard output).")
@click.option("--speakers", metavar="A,B,…", help="The cast, comma-separated. Default: the labels found.")
@click.option("--alias", "aliases", metavar="LABEL=SPEAKER", multiple=True,
              help="Read LABEL as SPEAKER (repeatable): --alias 'KIM=KIM HYUN WOO'.")
@click.option("--title", metavar="TEXT", help="The title (default: the page's first short line).")
@click.option("--episode", metavar="SLUG", help="Episode slug (default: made from the title).")
@click.option("--language", metavar="TAG", help="BCP 47 language tag (default: guessed, 'en' or 'ko').")
def import_command(
    raw: Path, output: Path | None, speakers: str | None, aliases: tuple[str, ...], title: str | None,
    episode: str | None, language: str | None,
) -> None:
    """Convert a transcript copied from a web page into redbox's transcript format.

    RAW is the copied text ('-' reads standard input). Page chrome (players, share buttons,
    HTML) is dropped; the first short line is the title; a label that starts two turns or
    more is a speaker (the cast is proposed on stderr when --speakers is omitted). Every
    note and error names its line of the page.
    """
    # (imported here: ``redbox check`` loads this module too, and needs neither the importer
    # nor the web-page reader it brings)
    from toolkit.importer import import_raw, located

    if str(raw) == "-":
        source = "<stdin>"
        decoded = decode_text(sys.stdin.buffer.read(), source)
        common.note_encoding(decoded, source)
    else:
        source = str(raw)
        decoded = read_text(raw)
    result = import_raw(decoded.text, source, speakers=_split_speakers(speakers), episode=episode,
                        language=language, title=title, aliases=_split_aliases(aliases))
    for note in result.notes:
        click.echo(f"{located(source, note.line)}: note: {note.message}", err=True)
    if result.proposed_speakers is not None:
        click.echo(f"{source}: note: speakers proposed from the labels found: "
                   f"{', '.join(result.proposed_speakers)} (pass --speakers to confirm or correct)", err=True)
    if result.guessed_language is not None:
        click.echo(f"{source}: note: language guessed as {result.guessed_language!r} "
                   "(pass --language to set it)", err=True)
    # Check what is written, and report each problem at the page line it came from.
    _, problems = check_transcript_text(result.text, source)
    if output is None:
        click.echo(result.text, nl=False)
    else:
        if str(raw) != "-":
            files.refuse_overwriting_inputs(output, (raw,))
        files.write_text_atomic(output, result.text)
        click.echo(f"wrote {output} ({len(result.transcript.turns)} turns)", err=True)
    for problem in problems:
        line = result.page_lines[problem.line - 1] if 0 < problem.line <= len(result.page_lines) else 0
        click.echo(f"{located(source, line)}: {problem.severity} {problem.code} {problem.message}", err=True)
    if any(problem.severity == "error" for problem in problems):
        sys.exit(1)


@click.command(
    "check",
    epilog="""\b
Examples:
  redbox check                                   # the whole project: transcripts, subtitles, catalogs
  redbox check transcripts/episode.txt           # one file (README, .mo, .timings.tsv are skipped)
  redbox check --format github --strict          # in CI: annotations, warnings fail too
  redbox check episode.txt --format json > report.json
  redbox check out/episode.srt --lang ko         # a subtitle file whose name does not say its language
  cat episode.txt | redbox check -               # standard input (a transcript unless --stdin-name says)
  redbox check transcripts/episode.txt --voices --audio episode.wav   # labels against the voices
""",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--format", "format_", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: file:line:col lines; json: one document; github: Actions annotations.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--lang", "language", metavar="TAG",
              help="Language of the subtitle files checked (default: from the name, episode.ko.srt).")
@click.option("--stdin-name", metavar="NAME", default="<stdin>", show_default=True,
              help="Name for '-' in reports; its suffix (.srt, .vtt, .po) says what it is.")
@click.option("--voices", is_flag=True,
              help="Also check aligned transcripts' speaker labels against the voices in the audio (VOI).")
@click.option("--audio", type=click.Path(dir_okay=False, path_type=Path),
              help="The episode's audio for --voices (default: the one its timings file names).")
def check_command(paths: tuple[Path, ...], format_: str, strict: bool, language: str | None,
                  stdin_name: str, voices: bool, audio: Path | None) -> None:  # fmt: skip
    """Check transcripts, subtitle files and catalogs; report every problem found.

    A folder means every .txt, .srt, .vtt, .po and .pot file below it; other files named
    are skipped. No path means the whole project (its transcripts, subtitles and locales
    folders, found from any subfolder). Exit 0 when clean, 1 when problems are found
    (warnings only with --strict), 2 on usage errors.
    """
    where = common.project()
    folders = (where.transcripts, where.subtitles, where.locales)
    if not paths and not any(folder.is_dir() for folder in folders):
        raise click.UsageError(f"no path given and the project at {where.root} has no transcripts/ folder")
    if language is not None:
        language = common.language_option(language, "--lang")
    stdin: Document | None = None
    if Path("-") in paths:
        kind = None if is_checked(Path(stdin_name)) else "transcript"
        stdin, decoded = document_of(sys.stdin.buffer.read(), stdin_name, language=language, kind=kind)
        if decoded is not None:
            common.note_encoding(decoded, stdin_name)
    # Text and GitHub annotations go out file by file as each is checked; JSON (counts first)
    # and --voices (problems merged with the voice check's) need them all.
    streamed = format_ in ("text", "github") and not voices
    echo = (lambda found: click.echo(format_text(found) if format_ == "text" else format_github(found))
            ) if streamed else None  # fmt: skip
    run = check_paths(where, [path for path in paths if path != Path("-")], common.note_encoding,
                      language=language, stdin=stdin, on_problems=echo)  # fmt: skip
    problems = run.problems
    errors, warnings = run.errors, run.warnings
    if voices:
        problems = sorted(problems + _voice_problems(where, paths, audio), key=lambda p: p.sort_key())
        errors = sum(1 for problem in problems if problem.severity == "error")
        warnings = len(problems) - errors
    if format_ == "json":
        click.echo(format_json(problems, len(run.checked)))
    elif problems:  # not streamed
        click.echo(format_text(problems) if format_ == "text" else format_github(problems))
    if format_ == "text":
        skipped = f", {len(run.skipped)} skipped" if run.skipped else ""
        click.echo(f"{len(run.checked)} file(s) checked{skipped}: {errors} error(s), {warnings} warning(s)",
                   err=True)  # fmt: skip
    if errors or (strict and warnings):
        sys.exit(1)


def _voice_problems(where: Project, paths: tuple[Path, ...], audio: Path | None) -> list[Problem]:
    """``--voices``: every aligned transcript's labels against its audio; notes on stderr."""
    # The voice check multiplies only small matrices: BLAS worker threads cost more CPU than
    # they save (as for redbox align: 2.2 s against 0.6 s for the features of a 12-minute
    # episode). Set before numpy loads.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    from toolkit.voices.workflow import check_episodes  # numpy loads only when asked for

    transcripts = where.transcript_files([path for path in paths if path != Path("-")])
    if audio is not None and len(transcripts) != 1:
        raise click.UsageError(f"--audio goes with one transcript, not {len(transcripts)}")
    run = check_episodes(where, transcripts, audio, common.note_encoding)
    for note in run.notes:
        click.echo(str(note), err=True)
    unchecked = sum(1 for note in run.notes if note.line)  # the others are about files, not turns
    click.echo(f"voices: {run.checked_turns} turn(s) checked, {unchecked} not checked", err=True)
    return run.problems


COMMANDS: list[click.Command] = [import_command, check_command]
