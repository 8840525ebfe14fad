"""The project: where its root is, its folders and settings, and what files it holds.

Every command starts by finding the project (:func:`find_project`): the nearest folder at or
above the working directory that has a ``pyproject.toml`` with ``[tool.redbox]`` or a
``transcripts/`` folder, the way git and ruff find their roots. So ``redbox build`` run from
``transcripts/`` or ``locales/ko/LC_MESSAGES/`` does what it does from the root, with the
root's settings. Paths given on the command line stay relative to where the user stands;
paths redbox derives itself come from :class:`Project` and pass the gate in
:mod:`toolkit.naming`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from toolkit import files
from toolkit.config import RedboxConfig, parse_config
from toolkit.errors import OutputError
from toolkit.formats import FORMATS, get_format
from toolkit.naming import canonical_language, catalog_folder, checked_slug, language_problem, slug_problem

TRANSCRIPT_SUFFIX = ".txt"
#: Every suffix `redbox build` writes (SRT, WebVTT and the delivery formats): an orphaned
#: `.ko.ass` is as stale as an orphaned `.ko.srt`.
SUBTITLE_SUFFIXES = tuple(subtitle_format.extension for subtitle_format in FORMATS.values())


@dataclass(frozen=True)
class FoundCatalog:
    """A translation catalog found in the project: ``<locales>/<folder>/LC_MESSAGES/<episode>.po``."""

    language: str  # canonical BCP 47 tag (``ko-KR``), whatever the folder's spelling
    episode: str
    path: Path


@dataclass(frozen=True)
class FoundSubtitles:
    """A subtitle file named the way ``redbox build`` names them."""

    language: str
    episode: str
    path: Path


def parse_subtitle_name(name: str) -> tuple[str, str] | None:
    """``(episode, canonical language)`` of a name such as ``episode.ko.srt``, else ``None``.

    >>> parse_subtitle_name("misunderstandings.ko-kr.vtt"), parse_subtitle_name("notes.srt")
    (('misunderstandings', 'ko-KR'), None)
    """
    parts = name.rsplit(".", 2)
    if len(parts) != 3 or f".{parts[2].lower()}" not in SUBTITLE_SUFFIXES:
        return None
    if slug_problem(parts[0]) or language_problem(parts[1]):
        return None
    return parts[0], canonical_language(parts[1])


@dataclass(frozen=True)
class Project:
    """A redbox project: its root, settings and the three folders (absolute paths)."""

    root: Path
    config: RedboxConfig = field(default_factory=RedboxConfig)
    #: The ``pyproject.toml`` the settings came from, if any.
    config_path: Path | None = None
    transcripts: Path = Path()
    subtitles: Path = Path()
    locales: Path = Path()

    # ----------------------------------------------------------------------------- names

    def display(self, path: Path | str) -> str:
        """How to show ``path`` to the user: relative to the project root when it is inside it.

        So a command gives the same output from any subfolder as from the root.
        """
        # String operations: this runs for every file of a large archive, and pathlib's
        # parsing of three paths per call was a fifth of a rebuild with nothing to do.
        absolute = os.path.normpath(os.path.join(os.getcwd(), path))
        root = str(self.root)
        if absolute == root:
            return "."
        prefix = root if root.endswith(os.sep) else root + os.sep
        if absolute.startswith(prefix):
            return absolute[len(prefix):].replace(os.sep, "/")
        return str(path)

    def with_folders(
        self, *, transcripts: Path | None = None, subtitles: Path | None = None, locales: Path | None = None
    ) -> Project:
        """The project with folders given on the command line (relative to the working directory)."""
        def absolute(given: Path | None, default: Path) -> Path:
            return default if given is None else Path(os.path.normpath(Path.cwd() / given))

        return replace(
            self,
            transcripts=absolute(transcripts, self.transcripts),
            subtitles=absolute(subtitles, self.subtitles),
            locales=absolute(locales, self.locales),
        )

    # ------------------------------------------------------------------- derived paths

    def _inside(self, folder: Path, path: Path, source: str, line: int) -> Path:
        """``path``, after checking that it stays inside ``folder`` (the slug gate makes sure of it;
        this is the second lock)."""
        if not Path(os.path.normpath(path)).is_relative_to(os.path.normpath(folder)):
            raise OutputError(f"{self.display(path)} would be outside {self.display(folder)}/", source, line)
        return path

    def template_path(self, episode: str, source: str = "", line: int = 0) -> Path:
        """``<locales>/<episode>.pot``."""
        slug = checked_slug(episode, source, line)
        return self._inside(self.locales, self.locales / f"{slug}.pot", source, line)

    def catalog_path(self, language: str, episode: str, source: str = "", line: int = 0) -> Path:
        """``<locales>/<language as gettext folder>/LC_MESSAGES/<episode>.po``."""
        slug = checked_slug(episode, source, line)
        folder = self.locales / catalog_folder(language, source, line) / "LC_MESSAGES"
        return self._inside(self.locales, folder / f"{slug}.po", source, line)

    def subtitle_path(
        self, episode: str, language: str, format_id: str, source: str = "", line: int = 0
    ) -> Path:
        """``<subtitles>/<episode>.<language>.<srt|vtt|ttml|dfxp|ass>``."""
        slug = checked_slug(episode, source, line)
        tag = canonical_language(language, source, line)
        name = f"{slug}.{tag}{get_format(format_id).extension}"
        return self._inside(self.subtitles, self.subtitles / name, source, line)

    # ------------------------------------------------------------------------ discovery

    def transcript_files(self, paths: Sequence[Path] = ()) -> list[Path]:
        """The transcripts below ``paths`` (default: the transcripts folder), sorted."""
        return list(files.find_files(paths or [self.transcripts], (TRANSCRIPT_SUFFIX,)))

    def catalogs(self, languages: Iterable[str] = (), episodes: Iterable[str] = ()) -> list[FoundCatalog]:
        """Every ``<lang>/LC_MESSAGES/<episode>.po`` below the locales folder, sorted.

        Folders whose name is not a language tag are left out; ``languages`` are compared in
        canonical form, so ``--lang ko_KR`` finds ``locales/ko-KR/``.
        """
        wanted_languages = {canonical_language(language) for language in languages}
        wanted_episodes = set(episodes)
        return [catalog for catalog in self.each_catalog()
                if not (wanted_languages and catalog.language not in wanted_languages)
                and not (wanted_episodes and catalog.episode not in wanted_episodes)]  # fmt: skip

    def each_catalog(self) -> Iterator[FoundCatalog]:
        """:meth:`catalogs`, all of them, one at a time (none held: see :func:`files.find_files`)."""
        if files.modified_ns(self.locales) is None:
            return
        for path in files.find_files([self.locales], (".po",)):
            parts = path.relative_to(self.locales).parts
            if len(parts) != 3 or parts[1] != "LC_MESSAGES" or language_problem(parts[0]):
                continue
            yield FoundCatalog(canonical_language(parts[0]), path.name[: -len(".po")], path)

    def templates(self) -> list[tuple[str, Path]]:
        """Every ``<locales>/<episode>.pot``, as (episode, path)."""
        return list(self.each_template())

    def each_template(self) -> Iterator[tuple[str, Path]]:
        """:meth:`templates`, one at a time."""
        if files.modified_ns(self.locales) is None:
            return
        for path in files.find_files([self.locales], (".pot",)):
            if path.parent == self.locales:
                yield path.name[: -len(".pot")], path

    def subtitle_files(self) -> list[FoundSubtitles]:
        """Every ``<subtitles>/<episode>.<language>.<suffix>`` redbox builds; other names are left out."""
        return list(self.each_subtitle_file())

    def each_subtitle_file(self) -> Iterator[FoundSubtitles]:
        """:meth:`subtitle_files`, one at a time."""
        if files.modified_ns(self.subtitles) is None:
            return
        for path in files.find_files([self.subtitles], SUBTITLE_SUFFIXES):
            parsed = parse_subtitle_name(path.name)
            if parsed is not None and path.parent == self.subtitles:
                yield FoundSubtitles(parsed[1], parsed[0], path)

    def catalog_languages(self, found: Iterable[FoundCatalog] | None = None) -> dict[str, list[str]]:
        """Episode slug -> the languages it has a catalog for (among ``found``, default: all)."""
        languages: dict[str, list[str]] = {}
        for catalog in self.catalogs() if found is None else found:
            languages.setdefault(catalog.episode, []).append(catalog.language)
        return {episode: sorted(set(found)) for episode, found in languages.items()}


def find_project(start: Path | None = None) -> Project:
    """The project the working directory (or ``start``) is in.

    Outside any project, the working directory serves as the root with default settings, so
    ``redbox subtitles some/file.txt`` works anywhere.
    """
    here = (start or Path.cwd()).resolve()
    root = files.find_project_root(here) or here
    pyproject = root / "pyproject.toml"
    config = RedboxConfig()
    config_path: Path | None = None
    if files.has_redbox_table(pyproject):
        config_path = pyproject
        config = parse_config(files.read_text(pyproject).text, "pyproject.toml")
    return Project(
        root=root,
        config=config,
        config_path=config_path,
        transcripts=root / config.transcripts,
        subtitles=root / config.subtitles,
        locales=root / config.locales,
    )
