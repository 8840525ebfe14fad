"""The catalog workflow of a project: extract, init, update, compile and stats over its episodes.

Layout: ``<locales>/<episode>.pot`` and ``<locales>/<lang>/LC_MESSAGES/<episode>.po`` / ``.mo``,
every path derived through :class:`~toolkit.project.Project` (and so through the slug and
language gate). The catalog logic itself lives in :mod:`toolkit.catalog`; this module reads,
decides and writes, and returns one line per file for the CLI to print.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from toolkit import catalog, files
from toolkit.align.sidecar import timings_path
from toolkit.build import (
    STDIN,
    Loaded,
    OnRead,
    add_project_problems,
    episode_languages,
    load_transcript,
    project_headers,
    refuse_errors,
)
from toolkit.catalog import budget
from toolkit.catalog.po_layout import keep_layout
from toolkit.config import with_rate
from toolkit.errors import ToolkitError
from toolkit.limits import base_language
from toolkit.model import Problem, Transcript
from toolkit.naming import canonical_language
from toolkit.orphans import orphaned_catalogs, renamed_from
from toolkit.project import Project


def now() -> str:
    """The current time as a PO date; ``SOURCE_DATE_EPOCH`` pins it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M+0000")


class NoTranscripts(ToolkitError):
    """No transcript was found where the user pointed (a usage problem)."""


def load_transcripts(project: Project, paths: Sequence[Path], on_read: OnRead) -> list[Loaded]:
    """The transcripts below ``paths`` (default: the project's), each refused if it has errors."""
    with catalog.paused_gc():
        found = project.transcript_files(paths)
        if not found:
            raise NoTranscripts("no transcripts found (give .txt files or a folder; default: transcripts/)")
        # Catalog commands only refuse errors; the prose warnings are `redbox check`'s to report.
        loaded = [load_transcript(path, project.display(path), on_read, prose=False) for path in found]
        add_project_problems(project, loaded)
        for one in loaded:
            refuse_errors(one)
        return loaded


def _episode_line(loaded: Loaded) -> int:
    return loaded.transcript.header_lines.get("episode", 0)


@dataclass
class Extracted:
    """An episode's template, each of its messages as written, and what happened to the file."""

    template: catalog.PoFile
    messages: list[bytes]
    summary: str


def extract_one(project: Project, loaded: Loaded) -> Extracted:
    """Write the episode's template (unless it already says the same) and return it."""
    transcript: Transcript = loaded.transcript
    episode = loaded.episode
    target = project.template_path(episode, loaded.source, _episode_line(loaded))
    shown = project.display(target)
    old_bytes = files.read_bytes(target) if files.modified_ns(target) is not None else None
    previous: list[catalog.KnownTurn] = []
    if old_bytes is not None:
        previous = catalog.read_known_turns(old_bytes, shown)
    else:
        # No template yet: take turn ids from a translation, if one exists.
        for found in project.catalogs(episodes=[episode]):
            previous = catalog.read_known_turns(files.read_bytes(found.path), project.display(found.path))
            break
    template = catalog.extract(transcript, previous=previous, creation_date=now())
    texts = catalog.encoded_messages(template)
    new_bytes = catalog.write_po(template, texts)
    if old_bytes is not None:
        old_date = catalog.template_date_if_unchanged(old_bytes, new_bytes)
        if old_date is not None:
            # The file already says this: keep it, and its date, so the translations' stay too.
            template.set_header("POT-Creation-Date", old_date)
            return Extracted(template, texts, f"{shown}: unchanged")
    files.write_bytes_atomic(target, new_bytes)
    return Extracted(template, texts, f"{shown}: {len(template.entries)} messages")


def catalog_language(language: str) -> str:
    """``language`` in canonical form, once Babel has given its plural forms (an unknown language
    fails here, before anything is written)."""
    tag = canonical_language(language)
    catalog.plural_forms(tag)
    return tag


def turn_lengths(project: Project, loaded: Loaded) -> list[int]:
    """How long each turn is on screen (ms): ``redbox align``'s timings when they fit, else the estimate."""
    timings = Path(timings_path(loaded.path))
    if loaded.path != STDIN and files.modified_ns(timings) is not None:
        from toolkit.align.rules import turn_slots as aligned_slots
        from toolkit.align.sidecar import parse_timings

        try:
            alignment = parse_timings(files.read_text(timings).text, project.display(timings))
            slots = aligned_slots(loaded.transcript, alignment, source=project.display(timings))
            return [slot.end_ms - slot.start_ms for slot in slots]
        except ToolkitError:
            pass  # stale or broken timings: `redbox check` reports them (ALN); estimate instead
    options = with_rate(project.config.options, project.config, loaded.language)
    return budget.estimated_lengths(loaded.transcript, options.timing)


@dataclass
class Budgeted:
    """An episode's template with one language's budgets, and its messages as written."""

    template: catalog.PoFile
    messages: list[bytes]


def budgeted(
    extracted: Extracted, transcript: Transcript, lengths: Sequence[int], language: str, *, last: bool = False
) -> Budgeted:
    """The template with the budget in ``language`` of each turn, on screen for ``lengths`` ms
    (see :mod:`toolkit.catalog.budget`). ``last``: no other language's budgets will be made from
    ``extracted``, whose template then takes these (instead of a copy of each message)."""
    budgets = budget.length_budgets(lengths, language)
    template, messages = budget.budgeted_template(
        extracted.template, transcript, budgets, extracted.messages, in_place=last
    )
    return Budgeted(template, messages)


def init_catalogs(
    project: Project,
    language: str,
    loaded: Sequence[Loaded],
    *,
    force: bool,
    named: bool,
    say: Callable[[str], None],
) -> None:
    """Start a ``language`` catalog for each transcript that has none, from a fresh template.

    Existing catalogs are left as they are and reported; ``force`` (only with ``named``
    transcripts: never a whole series by accident) starts the named ones over.
    """
    if force and not named:
        raise ForceNeedsEpisodes("--force replaces translations: name the episodes to start over")
    tag = catalog_language(language)
    for one in loaded:
        target = project.catalog_path(tag, one.episode, one.source, _episode_line(one))
        shown = project.display(target)
        if files.modified_ns(target) is not None and not force:
            say(f"{shown}: exists, left as it is (`redbox catalog update` refreshes it)")
            continue
        extracted = extract_one(project, one)
        with_budgets = budgeted(extracted, one.transcript, turn_lengths(project, one), tag, last=True)
        po = catalog.init(with_budgets.template, tag, revision_date=now())
        files.write_bytes_atomic(target, catalog.write_po(po))
        say(f"{shown}: {len(po.entries)} messages to translate")


class ForceNeedsEpisodes(ToolkitError):
    """``catalog init --force`` without named transcripts (a usage problem)."""


def renamed_po(po: catalog.PoFile, old: str, new: str) -> catalog.PoFile:
    """``po`` with the episode ``old`` renamed ``new`` in every turn's context (and the
    ``Project-Id-Version`` header), so its translations match the renamed episode's turns."""
    prefix = f"{old}/"

    def moved(context: str | None) -> str | None:
        return f"{new}/{context[len(prefix):]}" if context and context.startswith(prefix) else context

    for entry in (*po.entries, *po.obsolete):
        entry.msgctxt = moved(entry.msgctxt)
        entry.previous_msgctxt = moved(entry.previous_msgctxt)
    if po.header("Project-Id-Version") == old:
        po.set_header("Project-Id-Version", new)
    return po


def _orphaned_messages(project: Project, episodes: set[str]) -> dict[str, set[str]]:
    """Each orphaned episode (catalogs, no transcript) and the message texts of its template
    (found first) or of one of its catalogs."""
    messages: dict[str, set[str]] = {}
    for orphan in orphaned_catalogs(project, episodes):
        if orphan.episode not in messages:
            turns = catalog.read_known_turns(files.read_bytes(orphan.path))
            messages[orphan.episode] = {turn.text for turn in turns}
    return messages


def move_renamed_episode(project: Project, loaded: Loaded, say: Callable[[str], None]) -> None:
    """When ``loaded``'s episode has no catalogs yet but an orphaned episode's catalogs hold most of
    its turns, the episode was renamed: move those catalogs to the new name, saying so."""
    episode = loaded.episode
    if files.modified_ns(project.template_path(episode)) is not None or project.catalogs(episodes=[episode]):
        return
    episodes = set(episode_languages(project_headers(project)))
    orphaned = _orphaned_messages(project, episodes)
    old = renamed_from([turn.text for turn in loaded.transcript.turns], orphaned)
    if old is None:
        return
    moves = [(path, project.template_path(episode)) for name, path in project.templates() if name == old]
    moves += [
        (found.path, project.catalog_path(found.language, episode))
        for found in project.catalogs(episodes=[old])
    ]
    for source, target in moves:
        po = renamed_po(catalog.parse_po(files.read_bytes(source), project.display(source)), old, new=episode)
        files.write_bytes_atomic(target, catalog.write_po(po))
        files.remove(source)
        stale_mo = source.with_suffix(".mo")
        if files.modified_ns(stale_mo) is not None:
            files.remove(stale_mo)  # its contexts name the old episode: `catalog compile` makes the new one
        say(f"{project.display(source)}: moved to {project.display(target)} "
            f"(episode {old!r} renamed {episode!r} in {loaded.source})")  # fmt: skip


def update_catalogs(
    project: Project, loaded: list[Loaded], languages: Sequence[str], say: Callable[[str], None]
) -> None:
    """Refresh each episode's template and every translation of it; ``loaded`` is used up."""
    with catalog.paused_gc():  # one pause for the whole command (see paused_gc)
        # Each transcript, and each catalog read, is let go as soon as it has been used: a
        # large episode's objects would otherwise pile up (page faults are a good part of the
        # time at 20,000 messages).
        loaded.reverse()
        while loaded:
            one = loaded.pop()
            episode = one.episode
            move_renamed_episode(project, one, say)
            extracted = extract_one(project, one)
            transcript, lengths = one.transcript, turn_lengths(project, one)
            by_language: dict[str, Budgeted] = {}
            del one
            say(extracted.summary)
            found_catalogs = project.catalogs(languages, [episode])
            left = {base_language(found.language) for found in found_catalogs}
            for found in found_catalogs:
                with_budgets = by_language.get(base_language(found.language))
                if with_budgets is None:
                    left.discard(base_language(found.language))
                    with_budgets = budgeted(extracted, transcript, lengths, found.language, last=not left)
                    by_language[base_language(found.language)] = with_budgets
                _update_one(project, found.path, with_budgets, say)


def _update_one(project: Project, path: Path, with_budgets: Budgeted, say: Callable[[str], None]) -> None:
    """Update one catalog; write it only if it changed, keeping the layout of unchanged messages."""
    shown = project.display(path)
    old_bytes = files.read_bytes(path)
    old_po = catalog.parse_po(old_bytes, shown, template_fields=False)
    contexts = [entry.msgctxt for entry in old_po.entries if entry.msgctxt is not None]
    counts = (sum(1 for context in contexts if "/" in context), len(contexts))
    updated, report = catalog.update(old_po, with_budgets.template)
    del old_po
    new_bytes = catalog.write_po(
        updated, catalog.updated_messages(updated, with_budgets.template, with_budgets.messages)
    )
    del updated
    if new_bytes != old_bytes:
        new_bytes = keep_layout(old_bytes, new_bytes, counts=counts)
    if new_bytes != old_bytes:
        try:
            files.write_bytes_atomic(path, new_bytes)
        except files.ChangedSinceRead as error:
            raise files.ChangedSinceRead(error.message, shown) from None
    say(f"{shown}: {report.summary()}")


def _read_po(project: Project, path: Path) -> catalog.PoFile:
    return catalog.parse_po(files.read_bytes(path), project.display(path))


def _no_catalogs(project: Project) -> ToolkitError:
    return ToolkitError(
        "no catalogs found (run `redbox catalog init LANG` first)", project.display(project.locales)
    )


def compile_catalogs(
    project: Project, languages: Sequence[str], *, use_fuzzy: bool, say: Callable[[str], None]
) -> None:
    """Write the ``.mo`` next to every ``.po`` (untranslated and, unless ``use_fuzzy``, fuzzy left out)."""
    found = project.catalogs(languages)
    if not found:
        raise _no_catalogs(project)
    for one in found:
        po = _read_po(project, one.path)
        target = one.path.with_suffix(".mo")
        files.write_bytes_atomic(target, catalog.compile_mo(po, use_fuzzy=use_fuzzy))
        numbers = catalog.stats(po)
        left_out = numbers.untranslated + (0 if use_fuzzy else numbers.fuzzy)
        note = f" ({left_out} left out: untranslated or fuzzy)" if left_out else ""
        kept = numbers.translated + (numbers.fuzzy if use_fuzzy else 0)
        say(f"{project.display(target)}: {kept} messages{note}")


def catalog_stats(project: Project, languages: Sequence[str], say: Callable[[str], None]) -> None:
    """How much of each catalog is translated, fuzzy, untranslated and obsolete."""
    found = project.catalogs(languages)
    if not found:
        raise _no_catalogs(project)
    for one in found:
        numbers = catalog.stats(_read_po(project, one.path))
        say(
            f"{project.display(one.path)}: {numbers.translated}/{numbers.total} translated "
            f"({numbers.percent:.0f}%), {numbers.fuzzy} fuzzy, {numbers.untranslated} untranslated, "
            f"{numbers.obsolete} obsolete"
        )


def export_episode(
    project: Project, language: str, episode: str | None, form: str, on_read: OnRead
) -> tuple[str, list[Problem]]:
    """``episode`` (the project's only one when ``None``) in ``language``: a transcript, or a
    review sheet (``csv``, ``html``); and the catalog's warnings about untranslated turns."""
    from toolkit.catalog import export
    from toolkit.transcript_write import format_transcript

    tag = canonical_language(language)
    loaded = load_transcripts(project, [], on_read)
    if episode is None:
        if len(loaded) != 1:
            names = ", ".join(sorted(one.episode for one in loaded))
            raise NoTranscripts(f"the project has {len(loaded)} episodes ({names}): name the one to export")
        chosen = loaded[0]
    else:
        found = [one for one in loaded if one.episode == episode]
        if not found:
            raise NoTranscripts(f"no transcript has episode {episode!r}")
        chosen = found[0]
    path = project.catalog_path(tag, chosen.episode, chosen.source, _episode_line(chosen))
    shown = project.display(path)
    if files.modified_ns(path) is None:
        raise ToolkitError(f"no {tag} catalog for this episode (run `redbox catalog init {tag}`)", shown)
    data = files.read_bytes(path)
    translated, problems = catalog.translate_transcript(chosen.transcript, data, shown, tag)
    if form == "transcript":
        return format_transcript(translated), problems
    rows = export.review_rows(chosen.transcript, catalog.parse_po(data, shown), tag)
    if form == "csv":
        return export.review_csv(rows), problems
    title = f"{chosen.transcript.title or chosen.episode} ({tag})"
    return export.review_html(rows, title, chosen.language or "en", tag), problems
