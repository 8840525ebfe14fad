"""``redbox catalog extract|init|update|compile|stats``: gettext catalogs of the transcripts.

Layout: ``<locales>/<episode>.pot`` and ``<locales>/<lang>/LC_MESSAGES/<episode>.po`` / ``.mo``.
The logic lives in :mod:`toolkit.catalog`; this module reads, writes and reports.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import click

from toolkit import catalog, files
from toolkit.cli.common import read_text
from toolkit.errors import ToolkitError
from toolkit.model import Transcript
from toolkit.report import format_text
from toolkit.transcript import parse_transcript

DEFAULT_TRANSCRIPTS = Path("transcripts")
DEFAULT_LOCALES = Path("locales")


def _now() -> str:
    """The current time as a PO date; ``SOURCE_DATE_EPOCH`` pins it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def _exists(path: Path) -> bool:
    return files.modified_ns(path) is not None


def _load_transcripts(paths: Sequence[Path]) -> list[Transcript]:
    with catalog.paused_gc():
        return _parse_transcripts(paths)


def _parse_transcripts(paths: Sequence[Path]) -> list[Transcript]:
    found = list(files.find_files(paths or [DEFAULT_TRANSCRIPTS], [".txt"]))
    if not found:
        raise click.UsageError("no transcripts found (give .txt files or a folder; default: transcripts/)")
    transcripts = []
    for path in found:
        decoded = read_text(path)
        transcript, problems = parse_transcript(decoded.text, str(path))
        errors = [problem for problem in problems if problem.severity == "error"]
        if errors:
            click.echo(format_text(errors), err=True)
            raise ToolkitError("fix the transcript first (see `redbox check`)", str(path))
        transcripts.append(transcript)
    return transcripts


def _read_po(path: Path) -> catalog.PoFile:
    return catalog.parse_po(files.read_bytes(path), str(path))


def template_path(locales: Path, episode: str) -> Path:
    return locales / f"{episode}.pot"


def po_path(locales: Path, language: str, episode: str) -> Path:
    return locales / language / "LC_MESSAGES" / f"{episode}.po"


@dataclass(frozen=True)
class FoundCatalog:
    language: str
    episode: str
    path: Path


def find_catalogs(
    locales: Path, languages: Sequence[str] = (), episodes: Sequence[str] = ()
) -> Iterator[FoundCatalog]:
    """Every ``<lang>/LC_MESSAGES/<episode>.po`` below ``locales``, sorted."""
    if not _exists(locales):
        return
    for path in files.find_files([locales], [".po"]):
        parts = path.relative_to(locales).parts
        if len(parts) != 3 or parts[1] != "LC_MESSAGES":
            continue
        found = FoundCatalog(parts[0], path.stem, path)
        if (languages and found.language not in languages) or (episodes and found.episode not in episodes):
            continue
        yield found


def _extract_one(transcript: Transcript, locales: Path) -> tuple[catalog.PoFile, list[bytes], str]:
    """Write the episode's template; return it, each of its messages as written, and what happened."""
    episode = catalog.episode_slug(transcript)
    target = template_path(locales, episode)
    old_bytes = files.read_bytes(target) if _exists(target) else None
    previous: list[catalog.KnownTurn] = []
    if old_bytes is not None:
        previous = catalog.read_known_turns(old_bytes, str(target))
    else:
        # No template yet: take turn ids from a translation, if one exists.
        for found in find_catalogs(locales, episodes=[episode]):
            previous = catalog.read_known_turns(files.read_bytes(found.path), str(found.path))
            break
    template = catalog.extract(transcript, previous=previous, creation_date=_now())
    texts = catalog.encoded_messages(template)
    new_bytes = catalog.write_po(template, texts)
    if old_bytes is not None:
        old_date = catalog.template_date_if_unchanged(old_bytes, new_bytes)
        if old_date is not None:
            # The file already says this: keep it, and its date, so the translations' stay too.
            template.set_header("POT-Creation-Date", old_date)
            return template, texts, f"{target}: unchanged"
    files.write_bytes_atomic(target, new_bytes)
    return template, texts, f"{target}: {len(template.entries)} messages"


locales_option = click.option(
    "--locales",
    "locales",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_LOCALES,
    show_default=True,
    help="Folder of the catalogs.",
)
transcripts_argument = click.argument(
    "transcripts", nargs=-1, type=click.Path(path_type=Path, exists=True, dir_okay=True)
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
def extract_command(transcripts: tuple[Path, ...], locales: Path) -> None:
    """Write locales/<episode>.pot from each transcript (default: transcripts/*.txt)."""
    for transcript in _load_transcripts(transcripts):
        _, _, message = _extract_one(transcript, locales)
        click.echo(message)


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
@click.option("--force", is_flag=True, help="Replace an existing catalog (its translations are lost).")
def init_command(language: str, transcripts: tuple[Path, ...], locales: Path, force: bool) -> None:
    """Start a LANGUAGE catalog (e.g. ko, en) for each transcript, from a fresh template."""
    try:
        catalog.plural_forms(language)
    except ToolkitError as error:
        raise click.BadParameter(error.message, param_hint="LANGUAGE") from None
    for transcript in _load_transcripts(transcripts):
        template, _, _ = _extract_one(transcript, locales)
        target = po_path(locales, language, catalog.episode_slug(transcript))
        if _exists(target) and not force:
            raise ToolkitError(
                "already exists; use `redbox catalog update` (or --force to start over)", str(target)
            )
        po = catalog.init(template, language, revision_date=_now())
        files.write_bytes_atomic(target, catalog.write_po(po))
        click.echo(f"{target}: {len(po.entries)} messages to translate")


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
def update_command(transcripts: tuple[Path, ...], locales: Path, languages: tuple[str, ...]) -> None:
    """Refresh the template and every translation after the transcripts changed.

    Unchanged turns keep their translation; edited turns keep it marked fuzzy with the old
    text as `#| msgid`; new turns are untranslated (or pre-filled, fuzzy, from an identical
    translated line); removed turns go to the obsolete `#~` section and come back from it.
    """
    with catalog.paused_gc():  # one pause for the whole command (see paused_gc)
        _update_all(transcripts, locales, languages)


def _update_all(transcripts: Sequence[Path], locales: Path, languages: Sequence[str]) -> None:
    # Each transcript, and each catalog read, is let go as soon as it has been used: a
    # large episode's objects would otherwise pile up (page faults are a good part of the
    # time at 20,000 messages).
    loaded = _load_transcripts(transcripts)
    loaded.reverse()
    while loaded:
        transcript = loaded.pop()
        episode = catalog.episode_slug(transcript)
        template, texts, message = _extract_one(transcript, locales)
        del transcript
        click.echo(message)
        for found in find_catalogs(locales, languages, [episode]):
            old_bytes = files.read_bytes(found.path)
            updated, report = catalog.update(
                catalog.parse_po(old_bytes, str(found.path), template_fields=False), template
            )
            new_bytes = catalog.write_po(updated, catalog.updated_messages(updated, template, texts))
            del updated
            if new_bytes != old_bytes:
                files.write_bytes_atomic(found.path, new_bytes)
            click.echo(f"{found.path}: {report.summary()}")


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
def compile_command(locales: Path, languages: tuple[str, ...], use_fuzzy: bool) -> None:
    """Write the .mo file next to every .po (untranslated and fuzzy messages left out)."""
    count = 0
    for found in find_catalogs(locales, languages):
        po = _read_po(found.path)
        target = found.path.with_suffix(".mo")
        files.write_bytes_atomic(target, catalog.compile_mo(po, use_fuzzy=use_fuzzy))
        numbers = catalog.stats(po)
        left_out = numbers.untranslated + (0 if use_fuzzy else numbers.fuzzy)
        note = f" ({left_out} left out: untranslated or fuzzy)" if left_out else ""
        click.echo(f"{target}: {numbers.translated + (numbers.fuzzy if use_fuzzy else 0)} messages{note}")
        count += 1
    if not count:
        raise ToolkitError("no catalogs found (run `redbox catalog init LANG` first)", str(locales))


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
def stats_command(locales: Path, languages: tuple[str, ...]) -> None:
    """How much of each catalog is translated, fuzzy, untranslated and obsolete."""
    count = 0
    for found in find_catalogs(locales, languages):
        numbers = catalog.stats(_read_po(found.path))
        click.echo(
            f"{found.path}: {numbers.translated}/{numbers.total} translated ({numbers.percent:.0f}%), "
            f"{numbers.fuzzy} fuzzy, {numbers.untranslated} untranslated, {numbers.obsolete} obsolete"
        )
        count += 1
    if not count:
        raise ToolkitError("no catalogs found (run `redbox catalog init LANG` first)", str(locales))


COMMANDS: list[click.Command] = [catalog_group]
