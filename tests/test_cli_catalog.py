"""``redbox catalog``: the commands a translator's maintainer runs, on a copy of the project."""

from __future__ import annotations

import gettext
import io
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.clients import require_binary
from toolkit import catalog
from toolkit.cli import cli

EPISODE = "misunderstandings-and-stereotypes"
PO = Path("locales") / "ko" / "LC_MESSAGES" / f"{EPISODE}.po"
POT = Path("locales") / f"{EPISODE}.pot"
TRANSCRIPT = Path("transcripts") / f"{EPISODE}.txt"


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["catalog", *args])
    return result.exit_code, result.stdout, result.stderr


def test_update_of_an_up_to_date_project_changes_nothing(runner: CliRunner, project: Path) -> None:
    before = (PO.read_bytes(), POT.read_bytes())
    code, out, _ = run(runner, "update")
    assert code == 0
    assert f"{POT}: unchanged" in out
    assert "23 kept, 0 edited (fuzzy), 0 new" in out
    assert (PO.read_bytes(), POT.read_bytes()) == before


def test_update_after_an_edit_keeps_the_translation_as_fuzzy(runner: CliRunner, project: Path) -> None:
    text = TRANSCRIPT.read_text(encoding="utf-8")
    old_turn = "Jeongyol: A lot of people think like that."
    assert old_turn in text
    TRANSCRIPT.write_text(
        text.replace(old_turn, "Jeongyol: A lot of people think that way."), encoding="utf-8"
    )
    code, out, _ = run(runner, "update")
    assert code == 0, out
    assert "22 kept, 1 edited (fuzzy), 0 new" in out
    po = catalog.parse_po(PO.read_bytes())
    entry = next(e for e in po.entries if e.msgid == "A lot of people think that way.")
    assert entry.fuzzy and entry.previous_msgid == "A lot of people think like that."
    assert entry.msgstr == "그렇게 생각하는 사람이 많아요."
    msgfmt = require_binary("msgfmt")
    subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(PO)], check=True)


def test_init_leaves_existing_catalogs_and_starts_other_languages(runner: CliRunner, project: Path) -> None:
    before = PO.read_bytes()
    code, out, err = run(runner, "init", "ko")
    assert code == 0, err
    assert f"{PO}: exists, left as it is" in out
    assert PO.read_bytes() == before
    code, _, _ = run(runner, "init", "en")
    assert code == 0
    english = catalog.parse_po((Path("locales") / "en" / "LC_MESSAGES" / f"{EPISODE}.po").read_bytes())
    assert english.header("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert catalog.stats(english).untranslated == len(english.entries)
    code, _, err = run(runner, "init", "zz-nowhere")
    assert code == 2
    assert "'zz-nowhere' is not a BCP 47 tag" in err


def test_compile_writes_an_mo_that_gettext_reads(runner: CliRunner, project: Path) -> None:
    code, out, _ = run(runner, "compile")
    assert code == 0
    assert f"{PO.with_suffix('.mo')}: 23 messages" in out
    translations = gettext.GNUTranslations(io.BytesIO(PO.with_suffix(".mo").read_bytes()))
    assert translations.pgettext("speaker", "Jeongyol") == "정열"


def test_stats_reports_progress(runner: CliRunner, project: Path) -> None:
    code, out, _ = run(runner, "stats")
    assert code == 0
    assert f"{PO}: 23/23 translated (100%), 0 fuzzy, 0 untranslated, 0 obsolete" in out


def test_extract_is_reproducible_with_source_date_epoch(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    POT.unlink()
    assert run(runner, "extract")[0] == 0
    first = POT.read_bytes()
    POT.unlink()
    assert run(runner, "extract")[0] == 0
    assert POT.read_bytes() == first
    assert b"POT-Creation-Date: 2023-11-14 22:13+0000" in first


def test_extract_without_a_template_takes_turn_ids_from_the_translation(
    runner: CliRunner, project: Path
) -> None:
    contexts = [e.msgctxt for e in catalog.parse_po(POT.read_bytes()).entries]
    POT.unlink()
    assert run(runner, "extract")[0] == 0
    assert [e.msgctxt for e in catalog.parse_po(POT.read_bytes()).entries] == contexts


def test_a_broken_catalog_is_reported_with_its_line_not_a_traceback(runner: CliRunner, project: Path) -> None:
    PO.write_text(PO.read_text(encoding="utf-8") + '\nmsgid "dangling"\n', encoding="utf-8")
    code, _, err = run(runner, "update")
    assert code == 1
    assert f"{PO}:" in err and "msgid without msgstr" in err
    assert "Traceback" not in err


def test_no_transcripts_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "transcripts").mkdir()
    code, _, err = run(runner, "extract")
    assert code == 2
    assert "no transcripts found" in err


def test_stats_without_catalogs_fails(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(runner, "stats")
    assert code == 1
    assert "no catalogs found" in err
