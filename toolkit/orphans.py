"""Files a project holds for episodes it no longer has: catalogs and subtitles left behind.

A transcript deleted or given another ``episode:`` leaves its ``.pot``, its translations
and its subtitle files behind. Nothing reads them any more, so without this module a
stale ``.ko.srt`` would stay next to the video and a translator's work would sit where no
command looks. ``redbox check`` reports them (PRJ001, PRJ002), ``redbox build --check``
lists the subtitle files as ``orphaned``, and ``redbox catalog update`` moves the catalogs
of a renamed episode to its new name (see :func:`renamed_from`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.limits import base_language
from toolkit.model import Problem, Severity
from toolkit.project import FoundCatalog, Project

#: code -> (severity, short name), as in :data:`toolkit.validate.RULES`.
RULES: dict[str, tuple[Severity, str]] = {
    "PRJ001": ("error", "orphaned-catalog"),
    "PRJ002": ("error", "orphaned-subtitles"),
}

#: A renamed episode's catalog is recognised when at least this share of the transcript's
#: turn texts are messages of it (an edited episode keeps most of its lines).
RENAME_OVERLAP = 0.5


@dataclass(frozen=True)
class Orphan:
    """A file the project keeps for an episode (or a language of it) that is gone."""

    path: Path
    code: str
    episode: str
    reason: str

    @property
    def advice(self) -> str:
        """The command (or act) that settles it."""
        if self.code == "PRJ001":
            return "run `redbox catalog update` to move it to a renamed episode, or delete it"
        return "delete it (redbox build makes the files the project has)"


_GONE = "its episode has no transcript (renamed or deleted?)"


def orphaned_catalogs(
    project: Project, episodes: Collection[str], catalogs: Iterable[FoundCatalog] | None = None
) -> list[Orphan]:
    """The templates, then the catalogs (``catalogs``, default: all), of episodes not in
    ``episodes``; both are looked at one at a time."""
    orphans = [Orphan(path, "PRJ001", episode, _GONE) for episode, path in project.each_template()
               if episode not in episodes]  # fmt: skip
    for found in project.each_catalog() if catalogs is None else catalogs:
        if found.episode not in episodes:
            orphans.append(Orphan(found.path, "PRJ001", found.episode, _GONE))
    return orphans


def find_orphans(project: Project, episodes: Mapping[str, str]) -> list[Orphan]:
    """The templates, catalogs and subtitle files of episodes not in ``episodes``.

    ``episodes`` maps each transcript's episode slug to its language. A subtitle file is
    also orphaned when its language is neither the transcript's nor one with a catalog.
    The files are looked at one at a time and only the orphans kept (with the languages
    of each episode's catalogs): the project's file list is never held.
    """
    catalog_languages: dict[str, set[str]] = {}

    def noting_languages(catalogs: Iterable[FoundCatalog]) -> Iterator[FoundCatalog]:
        for found in catalogs:
            catalog_languages.setdefault(found.episode, set()).add(base_language(found.language))
            yield found

    orphans = orphaned_catalogs(project, episodes, noting_languages(project.each_catalog()))
    for subtitles in project.each_subtitle_file():
        own = episodes.get(subtitles.episode)
        if own is None:
            orphans.append(Orphan(subtitles.path, "PRJ002", subtitles.episode, _GONE))
            continue
        if base_language(subtitles.language) not in catalog_languages.get(subtitles.episode, set()) | {
            base_language(own)
        }:
            orphans.append(Orphan(
                subtitles.path, "PRJ002", subtitles.episode,
                f"the episode is in {own} and has no {subtitles.language} catalog any more",
            ))  # fmt: skip
    return sorted(orphans, key=lambda orphan: str(orphan.path))


def orphan_problems(project: Project, orphans: Sequence[Orphan]) -> list[Problem]:
    """One problem per orphaned file, with the command that settles it."""
    return [
        Problem(project.display(orphan.path), 1, 1, RULES[orphan.code][0], orphan.code,
                f"{orphan.reason}; {orphan.advice}")
        for orphan in orphans
    ]  # fmt: skip


def renamed_from(turn_texts: Sequence[str], candidates: Mapping[str, set[str]]) -> str | None:
    """The orphaned episode whose messages hold most of ``turn_texts``, if one holds enough.

    ``candidates`` maps each orphaned episode to the message texts of its catalog.

    >>> renamed_from(["Hi.", "Bye.", "New."], {"old": {"Hi.", "Bye."}, "other": {"New."}})
    'old'
    """
    if not turn_texts:
        return None
    best, best_share = None, 0.0
    for episode, messages in sorted(candidates.items()):
        share = sum(1 for text in turn_texts if text in messages) / len(turn_texts)
        if share > best_share:
            best, best_share = episode, share
    return best if best_share >= RENAME_OVERLAP else None
