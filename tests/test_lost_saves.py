"""No lost save: a command never replaces a file someone else saved after the command read it."""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import toolkit.catalog
from toolkit import catalog, files
from toolkit.cli import cli

EPISODE = "misunderstandings-and-stereotypes"
PO = Path("locales") / "ko" / "LC_MESSAGES" / f"{EPISODE}.po"
TRANSCRIPT = Path("transcripts") / f"{EPISODE}.txt"
SAVED = "번역가가 저장한 문장"


def _translators_save(original: bytes) -> bytes:
    """The catalog as a translator saves it: one turn retranslated, written by rename (as Poedit does)."""
    po = catalog.parse_po(original)
    turn = po.turn_entries()[2]
    turn.msgstr = SAVED
    return catalog.write_po(po)


def _save(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.poedit")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _save_after(delay: float, data: bytes) -> None:
    time.sleep(delay)
    _save(PO, data)


def _edit_transcript() -> None:
    text = TRANSCRIPT.read_text(encoding="utf-8")
    TRANSCRIPT.write_text(text.replace("think like that.", "think that way."), encoding="utf-8")


def test_a_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"old")
    files.forget_reads()
    assert files.read_bytes(path) == b"old"
    path.write_bytes(b"theirs")
    with pytest.raises(files.ChangedSinceRead, match="changed on disk since redbox read it"):
        files.write_bytes_atomic(path, b"ours")
    assert path.read_bytes() == b"theirs"
    assert [found.name for found in tmp_path.iterdir()] == ["a.po"]  # no temporary left behind


def test_a_file_touched_but_not_changed_is_written(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"same")
    files.forget_reads()
    files.read_bytes(path)
    os.utime(path, ns=(1, 1))
    files.write_bytes_atomic(path, b"ours")
    files.write_bytes_atomic(path, b"ours again")  # what this run wrote is its own
    assert path.read_bytes() == b"ours again"


def test_update_refuses_when_a_translator_saves_during_it(runner: CliRunner, project: Path) -> None:
    _edit_transcript()
    theirs = _translators_save(PO.read_bytes())
    real_update = catalog.update

    def update_while_the_translator_saves(po: catalog.PoFile, template: catalog.PoFile) -> object:
        _save(PO, theirs)  # after the command read the file, before it writes
        return real_update(po, template)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(toolkit.catalog, "update", update_while_the_translator_saves)
        result = runner.invoke(cli, ["catalog", "update"])
    assert result.exit_code == 1
    assert (
        f"{PO}: changed on disk since redbox read it (its size, modification time and content changed)"
        in result.stderr
    )
    assert "not replaced, so that save is kept" in result.stderr
    assert PO.read_bytes() == theirs
    result = runner.invoke(cli, ["catalog", "update"])  # run again: the save is merged
    assert result.exit_code == 0, result.output
    assert SAVED in PO.read_text(encoding="utf-8")


def test_a_racing_translator_never_loses_a_save(runner: CliRunner, project: Path) -> None:
    original = PO.read_bytes()
    theirs = _translators_save(original)
    _edit_transcript()
    randomly = random.Random(14)
    outcomes = []
    for _ in range(20):
        PO.write_bytes(original)  # out of date again: the update will rewrite it
        delay = randomly.uniform(0, 0.15)
        racer = threading.Thread(target=_save_after, args=(delay, theirs))
        racer.start()
        result = runner.invoke(cli, ["catalog", "update"])
        racer.join()
        outcomes.append(result.exit_code)
        assert result.exit_code in (0, 1), result.output
        assert SAVED in PO.read_text(encoding="utf-8"), (
            f"the translator's save was lost (delay {delay:.3f} s)"
        )
