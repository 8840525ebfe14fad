"""Translators' round trips: a catalog saved by Poedit, Weblate or msgcat survives ``catalog update``.

Each style is made here the way the tool makes it:

- Poedit writes the file, then runs ``msgcat --force-po --width=79`` over it
  (``POCatalog::Save`` in vslavik/poedit ``src/catalog_po.cpp``) and sets ``X-Generator``;
- Weblate serialises with translate-toolkit's ``pypo`` at its default ``po_line_wrap`` of 77;
- ``msgcat`` with its defaults (79 columns, by display width).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.clients import require_binary
from toolkit import catalog
from toolkit.catalog.po_layout import blocks, keep_layout
from toolkit.cli import cli

EPISODE = "misunderstandings-and-stereotypes"
PO = Path("locales") / "ko" / "LC_MESSAGES" / f"{EPISODE}.po"
TRANSCRIPT = Path("transcripts") / f"{EPISODE}.txt"


def _msgcat(data: bytes, *options: str) -> bytes:
    msgcat = require_binary("msgcat")
    return subprocess.run(
        [msgcat, *options, "-o", "-", "-"], input=data, capture_output=True, check=True
    ).stdout


def poedit_style(data: bytes) -> bytes:
    po = catalog.parse_po(data)
    po.set_header("X-Generator", "Poedit 3.4.2")
    po.set_header("PO-Revision-Date", "2026-11-30 20:00+0900")
    po.set_header("Last-Translator", "Kim Translator <kim@example.org>")
    return _msgcat(catalog.write_po(po), "--force-po", "--width=79")


def msgcat_style(data: bytes) -> bytes:
    return _msgcat(data)


def weblate_style(data: bytes) -> bytes:
    pypo = pytest.importorskip("translate.storage.pypo")
    store = pypo.pofile.parsestring(data)
    store.wrapper.width = 77  # Weblate's default po_line_wrap
    for unit in store.units:
        if not unit.isheader() and unit.target:
            unit.target = unit.target + " "  # as if translated in Weblate: the unit is written anew
            unit.target = unit.target[:-1]
    return bytes(store)


STYLES: dict[str, Callable[[bytes], bytes]] = {
    "poedit": poedit_style,
    "msgcat": msgcat_style,
    "weblate": weblate_style,
}


def _update(runner: CliRunner) -> str:
    result = runner.invoke(cli, ["catalog", "update"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_catalog_saved_by_a_translators_tool_survives_update_byte_for_byte(
    runner: CliRunner, project: Path, style: str
) -> None:
    styled = STYLES[style](PO.read_bytes())
    assert styled.count(b"\n") > PO.read_bytes().count(b"\n") + 20  # really wrapped
    PO.write_bytes(styled)
    _update(runner)
    assert PO.read_bytes() == styled
    _update(runner)
    assert PO.read_bytes() == styled


@pytest.mark.parametrize("style", sorted(STYLES))
def test_after_an_edit_only_the_edited_message_and_the_header_change(
    runner: CliRunner, project: Path, style: str
) -> None:
    styled = STYLES[style](PO.read_bytes())
    PO.write_bytes(styled)
    text = TRANSCRIPT.read_text(encoding="utf-8")
    TRANSCRIPT.write_text(
        text.replace(
            "Jeongyol: A lot of people think like that.", "Jeongyol: A lot of people think that way."
        ),
        encoding="utf-8",
    )
    assert "1 edited (fuzzy)" in _update(runner)
    before, after = blocks(styled), blocks(PO.read_bytes())
    assert len(before) == len(after)
    changed = [index for index, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    assert changed[0] == 0  # the header: POT-Creation-Date
    assert len(changed) == 2
    edited = after[changed[1]].decode()
    assert "#, fuzzy" in edited and 'msgid "A lot of people think that way."' in edited
    assert "#, max-length:" in edited or "max-length:" in edited  # the rewritten message has its flag


def test_a_whitespace_only_difference_in_separators_is_not_a_change() -> None:
    old = b'msgid ""\nmsgstr ""\n"Language: ko\\n"\n\n\nmsgctxt "e/1"\nmsgid "Hi"\nmsgstr "\xec\x95\x88"\n'
    new = b'msgid ""\nmsgstr ""\n"Language: ko\\n"\n\nmsgctxt "e/1"\nmsgid "Hi"\nmsgstr "\xec\x95\x88"\n'
    assert keep_layout(old, new) == old


def test_a_changed_message_is_written_and_its_neighbours_kept() -> None:
    old = (
        b'msgid ""\nmsgstr ""\n"Language: ko\\n"\n\n'
        b'#, max-length:9, fuzzy\nmsgctxt "e/1"\nmsgid ""\n"Hello "\n"there"\nmsgstr "a"\n\n'
        b'msgctxt "e/2"\nmsgid "Bye"\nmsgstr "b"\n'
    )
    new = (
        b'msgid ""\nmsgstr ""\n"Language: ko\\n"\n\n'
        b'#, fuzzy, max-length:9\nmsgctxt "e/1"\nmsgid "Hello there"\nmsgstr "a"\n\n'
        b'msgctxt "e/2"\nmsgid "Bye"\nmsgstr "c"\n'
    )
    kept = keep_layout(old, new)
    assert blocks(kept)[1] == blocks(old)[1]  # flags in another order, string wrapped: same message
    assert blocks(kept)[2] == blocks(new)[2]


def test_every_turn_message_carries_a_budget_that_translate_toolkit_reads() -> None:
    pypo = pytest.importorskip("translate.storage.pypo")
    root = Path(__file__).resolve().parent.parent
    data = (root / PO).read_bytes()
    store = pypo.pofile.parsestring(data)
    turns = [unit for unit in store.units if "/" in (unit.getcontext() or "")]
    assert len(turns) == 17
    for unit in turns:
        flags = [flag.strip() for line in unit.typecomments for flag in line[2:].split(",")]
        lengths = [int(flag.split(":")[1]) for flag in flags if flag.startswith("max-length:")]
        assert len(lengths) == 1 and lengths[0] > 0
        notes = unit.getnotes("developer")
        assert "budget: about " in notes and " s on screen: at most " in notes and notes.endswith("Hangul")
        assert len(unit.target) <= lengths[0]  # the shipped translation fits what Weblate enforces


def test_the_budgeted_messages_spliced_into_the_template_are_what_the_writer_writes() -> None:
    from tests.conftest import SAMPLE_TRANSCRIPT
    from toolkit.catalog import budget
    from toolkit.timing import TimingOptions, plan_turn_slots
    from toolkit.transcript import parse_transcript

    transcript = parse_transcript(SAMPLE_TRANSCRIPT.read_text(encoding="utf-8"), "sample.txt")[0]
    template = catalog.extract(transcript, creation_date="2026-11-30 00:00+0000")
    budgets = budget.turn_budgets(plan_turn_slots(transcript, TimingOptions()), "ko")
    spliced_template, spliced = budget.budgeted_template(
        template, transcript, budgets, catalog.encoded_messages(template)
    )
    _, general = budget.budgeted_template(template, transcript, budgets)
    assert spliced == general == catalog.encoded_messages(spliced_template)
    assert sum(b"#, max-length:" in message for message in spliced) == len(transcript.turns) == 17


def test_a_second_update_after_an_edit_changes_nothing(runner: CliRunner, project: Path) -> None:
    text = TRANSCRIPT.read_text(encoding="utf-8")
    TRANSCRIPT.write_text(text.replace("think like that.", "think that way."), encoding="utf-8")
    _update(runner)
    after_edit = PO.read_bytes()
    assert b"#, fuzzy, max-length:" in after_edit
    _update(runner)
    assert PO.read_bytes() == after_edit


@pytest.mark.parametrize("style", ["redbox", *sorted(STYLES)])
def test_the_whole_file_shortcut_gives_what_the_message_by_message_comparison_gives(style: str) -> None:
    root = Path(__file__).resolve().parent.parent
    data = (root / PO).read_bytes()
    old = data if style == "redbox" else STYLES[style](data)
    po = catalog.parse_po(old)
    po.turn_entries()[3].msgstr = "바뀐 번역"
    new = catalog.write_po(po)
    contexts = [entry.msgctxt for entry in po.entries if entry.msgctxt is not None]
    counts = (sum(1 for context in contexts if "/" in context), len(contexts))
    assert keep_layout(old, new, counts=counts) == keep_layout(old, new)
    assert keep_layout(old, old, counts=counts) == old
