"""``redbox catalog extract|init|update|compile|stats``: gettext catalogs of the transcripts.

Layout: ``<locales>/<episode>.pot`` and ``<locales>/<lang>/LC_MESSAGES/<episode>.po`` / ``.mo``.
The logic lives in :mod:`toolkit.catalog`; this module reads, writes and reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from toolkit import files
from toolkit.build import Loaded
from toolkit.catalog import workflow
from toolkit.cli import common
from toolkit.errors import ToolkitError
from toolkit.project import Project
from toolkit.report import format_text


def _project(locales: Path | None) -> Project:
    return common.project().with_folders(locales=locales)


def _load(where: Project, transcripts: Sequence[Path]) -> list[Loaded]:
    try:
        return workflow.load_transcripts(where, transcripts, common.note_encoding)
    except workflow.NoTranscripts as error:
        raise click.UsageError(error.message) from None


def _say(line: str) -> None:
    click.echo(line)


def _languages(given: Sequence[str]) -> list[str]:
    """``--lang`` values in canonical form (a tag Babel does not know is a usage error)."""
    return [common.language_option(language, "--lang") for language in given]


locales_option = click.option(
    "--locales",
    "locales",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of the catalogs. Default: locales (or [tool.redbox] locales).",
)
transcripts_argument = click.argument(
    "transcripts", nargs=-1, type=click.Path(path_type=Path, dir_okay=True)
)
language_option = click.option(
    "--lang", "languages", multiple=True, metavar="LANG", help="Only this language (repeatable)."
)


@click.group(
    name="catalog",
    epilog="""\b
Examples:
  redbox catalog extract              # locales/<episode>.pot for every transcript
  redbox catalog init ko              # start a Korean translation
  redbox catalog update               # after editing a transcript: keep every translation
  redbox catalog compile              # .mo files (translated, non-fuzzy messages)
  redbox catalog stats
""",
)
def catalog_group() -> None:
    """Gettext catalogs that translators edit (Poedit, Weblate, a text editor).

    \b
    Layout: locales/<episode>.pot, locales/<lang>/LC_MESSAGES/<episode>.po and .mo.
    One message per turn (msgctxt <episode>/<turn id>), one per speaker name, one for the title.
    """


@catalog_group.command(
    "extract",
    epilog="""\b
Examples:
  redbox catalog extract                       # every transcript in transcripts/
  redbox catalog extract transcripts/ep.txt --locales locales/
""",
)
@transcripts_argument
@locales_option
def extract_command(transcripts: tuple[Path, ...], locales: Path | None) -> None:
    """Write locales/<episode>.pot from each transcript (default: transcripts/*.txt)."""
    where = _project(locales)
    for loaded in _load(where, transcripts):
        click.echo(workflow.extract_one(where, loaded).summary)


@catalog_group.command(
    "init",
    epilog="""\b
Examples:
  redbox catalog init ko                       # Korean catalogs for every transcript
  redbox catalog init en transcripts/ko-episode.txt
""",
)
@click.argument("language")
@transcripts_argument
@locales_option
@click.option(
    "--force",
    is_flag=True,
    help="Start the named transcripts' catalogs over (their translations are lost); needs TRANSCRIPTS.",
)
def init_command(language: str, transcripts: tuple[Path, ...], locales: Path | None, force: bool) -> None:
    """Start a LANGUAGE catalog (e.g. ko, en) for each transcript that has none.

    Existing catalogs are left as they are (and listed), so adding an episode to a translated
    series is `redbox catalog init ko` again.
    """
    try:
        workflow.catalog_language(language)
    except ToolkitError as error:
        raise click.BadParameter(error.message, param_hint="LANGUAGE") from None
    if force and not transcripts:
        raise click.UsageError("--force replaces translations: name the episodes' transcripts to start over")
    where = _project(locales)
    workflow.init_catalogs(
        where, language, _load(where, transcripts), force=force, named=bool(transcripts), say=_say
    )


@catalog_group.command(
    "update",
    epilog="""\b
Examples:
  redbox catalog update                        # after editing transcripts
  redbox catalog update --lang ko
""",
)
@transcripts_argument
@locales_option
@language_option
def update_command(
    transcripts: tuple[Path, ...], locales: Path | None, languages: tuple[str, ...]
) -> None:
    """Refresh the template and every translation after the transcripts changed.

    Unchanged turns keep their translation; edited turns keep it marked fuzzy with the old
    text as `#| msgid`; new turns are untranslated (or pre-filled, fuzzy, from an identical
    translated line); removed turns go to the obsolete `#~` section and come back from it.
    """
    where = _project(locales)
    workflow.update_catalogs(where, _load(where, transcripts), _languages(languages), _say)


@catalog_group.command(
    "compile",
    epilog="""\b
Examples:
  redbox catalog compile
  redbox catalog compile --lang ko --use-fuzzy   # a draft with fuzzy entries
""",
)
@locales_option
@language_option
@click.option("--use-fuzzy", is_flag=True, help="Include fuzzy translations (drafts only).")
def compile_command(locales: Path | None, languages: tuple[str, ...], use_fuzzy: bool) -> None:
    """Write the .mo file next to every .po (untranslated and fuzzy messages left out)."""
    workflow.compile_catalogs(_project(locales), _languages(languages), use_fuzzy=use_fuzzy, say=_say)


@catalog_group.command(
    "stats",
    epilog="""\b
Examples:
  redbox catalog stats
  redbox catalog stats --lang ko
""",
)
@locales_option
@language_option
def stats_command(locales: Path | None, languages: tuple[str, ...]) -> None:
    """How much of each catalog is translated, fuzzy, untranslated and obsolete."""
    workflow.catalog_stats(_project(locales), _languages(languages), _say)


@catalog_group.command(
    "export",
    epilog="""\b
Examples:
  redbox catalog export ko -o ko.txt              # the episode as a Korean transcript
  redbox catalog export ko EPISODE --format csv -o review.csv
  redbox catalog export ko --format html -o review.html
""",
)
@click.argument("language")
@click.argument("episode", required=False)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here (default: stdout)."
)
@click.option(
    "--format",
    "form",
    type=click.Choice(["transcript", "csv", "html"]),
    default="transcript",
    show_default=True,
    help="A transcript in LANGUAGE, or a bilingual review sheet.",
)
@locales_option
def export_command(
    language: str, episode: str | None, output: Path | None, form: str, locales: Path | None
) -> None:
    """Write EPISODE (default: the project's only one) in LANGUAGE, from its catalog.

    \b
    transcript: translated title, speaker names and turns, anchors kept (redbox check reads it).
    csv, html:  turn, speaker, source, translation, budget and status, side by side.
    Untranslated turns keep their source text, marked, and are listed on stderr.
    """
    tag = common.language_option(language, "LANGUAGE")
    where = _project(locales)
    try:
        text, problems = workflow.export_episode(where, tag, episode, form, common.note_encoding)
    except workflow.NoTranscripts as error:
        raise click.UsageError(error.message) from None
    if problems:
        click.echo(format_text(problems), err=True)
    if output is None:
        click.echo(text, nl=False)
        return
    files.refuse_overwriting_inputs(output, [found.path for found in where.catalogs()])
    files.write_text_atomic(output, text)
    click.echo(f"{output}: {form}, {text.count(chr(10))} lines", err=True)


COMMANDS: list[click.Command] = [catalog_group]
