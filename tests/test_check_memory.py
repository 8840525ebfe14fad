"""``redbox check`` keeps no list of the project's files beyond its own compact one.

- ``files.find_files`` walks one folder at a time and hands each file out before it reads
  the next folder, in the order of sorting the paths part by part (as sorting ``Path``
  objects gives: a folder's files at its name's place, ``a/b.txt`` before ``a-c.txt``).
- The orphan rules (PRJ001, PRJ002) look at the project's files one at a time and keep only
  the orphans: the same orphans as listing them all first (the rule as it was, kept here).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit import files
from toolkit.limits import base_language
from toolkit.orphans import Orphan, find_orphans
from toolkit.project import Project, find_project


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")


NAMES = ["a-c.txt", "a/b.txt", "a/z/q.txt", "a.txt", "a/c.srt", "b/.hidden/x.txt", ".h.txt",
         "B.txt", "a/y.txt", "ab/x.txt", "a b.txt", "é.txt", "z/a.po"]  # fmt: skip


def test_files_come_in_the_order_sorted_paths_give(tmp_path: Path) -> None:
    _tree(tmp_path, NAMES)
    found = list(files.find_files([tmp_path], (".txt", ".po")))
    assert found == sorted(found)
    assert [path.relative_to(tmp_path).as_posix() for path in found] == [
        "B.txt", "a/b.txt", "a/y.txt", "a/z/q.txt", "a b.txt", "a-c.txt", "a.txt", "ab/x.txt",
        "z/a.po", "é.txt"]  # fmt: skip


def test_a_symlinked_folder_is_followed_once(tmp_path: Path) -> None:
    _tree(tmp_path, ["team/ko/x.po"])
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "ko").symlink_to(tmp_path / "team" / "ko")
    (tmp_path / "locales" / "loop").symlink_to(tmp_path / "locales")
    found = list(files.find_files([tmp_path / "locales"], (".po",)))
    assert found == [tmp_path / "locales" / "ko" / "x.po"]


def test_files_are_handed_out_folder_by_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["a/one.txt", "b/two.txt"])
    events: list[str] = []
    scan = os.scandir

    def scandir(path: str) -> Iterator[os.DirEntry[str]]:
        events.append(f"scan {Path(path).name}")
        return scan(path)

    monkeypatch.setattr(os, "scandir", scandir)
    for path in files.find_files([tmp_path], (".txt",)):
        events.append(f"file {path.name}")
    # (on main every folder was walked, and every path held and sorted, before the first)
    assert events == [f"scan {tmp_path.name}", "scan a", "file one.txt", "scan b", "file two.txt"]


def _orphans_as_they_were(project: Project, episodes: dict[str, str]) -> list[Orphan]:
    """find_orphans as it was: every template, catalog and subtitle file listed first."""
    gone = "its episode has no transcript (renamed or deleted?)"
    orphans = [Orphan(path, "PRJ001", episode, gone) for episode, path in project.templates()
               if episode not in episodes]  # fmt: skip
    catalogs = project.catalogs()
    orphans += [Orphan(found.path, "PRJ001", found.episode, gone) for found in catalogs
                if found.episode not in episodes]  # fmt: skip
    languages = project.catalog_languages(catalogs)
    for subtitles in project.subtitle_files():
        own = episodes.get(subtitles.episode)
        if own is None:
            orphans.append(Orphan(subtitles.path, "PRJ002", subtitles.episode, gone))
            continue
        built = {base_language(own)} | {base_language(one) for one in languages.get(subtitles.episode, [])}
        if base_language(subtitles.language) not in built:
            reason = f"the episode is in {own} and has no {subtitles.language} catalog any more"
            orphans.append(Orphan(subtitles.path, "PRJ002", subtitles.episode, reason))
    return sorted(orphans, key=lambda orphan: str(orphan.path))


def test_orphans_are_the_ones_listing_every_file_finds(tmp_path: Path) -> None:
    _tree(tmp_path, [
        "locales/kept.pot", "locales/gone.pot", "locales/ko/LC_MESSAGES/kept.po",
        "locales/ko_KR/LC_MESSAGES/gone.po", "locales/fr/LC_MESSAGES/other.po", "locales/notes/x.po",
        "locales/ko/extra/kept.po", "subtitles/kept.en.srt", "subtitles/kept.ko.vtt",
        "subtitles/kept.ko-KR.srt", "subtitles/kept.fr.srt", "subtitles/gone.en.srt",
        "subtitles/other.fr.vtt", "subtitles/other.de.srt", "subtitles/notes.srt",
        "subtitles/deep/kept.de.srt", "transcripts/kept.txt",
    ])  # fmt: skip
    project = find_project(tmp_path)
    for episodes in ({"kept": "en", "other": "ko"}, {"kept": "ko-KR"}, {}, {"gone": "fr", "other": "de"}):
        found = find_orphans(project, episodes)
        assert found == _orphans_as_they_were(project, episodes)
    assert [orphan.path.name for orphan in find_orphans(project, {"kept": "en", "other": "ko"})] == [
        "gone.pot", "gone.po", "gone.en.srt", "kept.fr.srt", "other.de.srt"]  # fmt: skip


def test_the_orphan_rules_list_no_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["locales/gone.pot", "locales/ko/LC_MESSAGES/gone.po", "subtitles/gone.en.srt"])
    project = find_project(tmp_path)

    def listed(*args: object, **options: object) -> None:
        raise AssertionError("the project's files listed (a Path each, all at once)")

    for name in ("templates", "catalogs", "subtitle_files", "catalog_languages"):
        monkeypatch.setattr(Project, name, listed)
    assert [orphan.code for orphan in find_orphans(project, {})] == ["PRJ001", "PRJ001", "PRJ002"]
