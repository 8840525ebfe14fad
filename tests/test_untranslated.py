"""Never English under Korean names: untranslated, fuzzy and blank turns in a language's subtitles."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import catalog
from toolkit.cli import cli

EPISODE = "misunderstandings-and-stereotypes"
PO = Path("locales") / "ko" / "LC_MESSAGES" / f"{EPISODE}.po"
SRT = Path("subtitles") / f"{EPISODE}.ko.srt"


def _blank_turn(msgstr: str, *, fuzzy: bool = False) -> tuple[str, int]:
    """Give the sample's third turn ``msgstr`` (fuzzy or not); its source text and msgid line."""
    po = catalog.parse_po(PO.read_bytes())
    turn = po.turn_entries()[2]
    turn.msgstr = msgstr
    if fuzzy:
        turn.flags = ["fuzzy", *turn.flags]
    PO.write_bytes(catalog.write_po(po))
    line = next(e.line for e in catalog.parse_po(PO.read_bytes()).entries if e.msgctxt == turn.msgctxt)
    return turn.msgid, line


@pytest.mark.parametrize(("msgstr", "fuzzy", "code"), [(" ", False, "CAT001"), ("", False, "CAT001"),
                                                       ("오해요?", True, "CAT002")])  # fmt: skip
def test_build_strict_fails_and_build_marks_the_turn(
    runner: CliRunner, project: Path, msgstr: str, fuzzy: bool, code: str
) -> None:
    source, line = _blank_turn(msgstr, fuzzy=fuzzy)
    before = SRT.read_bytes()
    strict = runner.invoke(cli, ["build", "--strict"])
    assert strict.exit_code == 1
    assert f"{PO}:{line}:1: warning {code} turn 3 is" in strict.output
    assert SRT.read_bytes() == before  # not built
    draft = runner.invoke(cli, ["build"])
    assert draft.exit_code == 0, draft.output
    assert f"{PO}:{line}:1: warning {code} turn 3 is" in draft.output
    assert "the source text is shown, marked 【번역 안 됨】" in draft.output
    subtitles = SRT.read_text(encoding="utf-8")
    assert f"【번역 안 됨】 {source}" in subtitles.replace("\n", " ")
    check = runner.invoke(cli, ["check", str(PO)])
    assert check.exit_code == 1
    assert f"{PO}:{line}:1: error {code}" in check.output


def test_whitespace_is_not_counted_as_translated(runner: CliRunner, project: Path) -> None:
    _blank_turn("  ")
    result = runner.invoke(cli, ["catalog", "stats"])
    assert "22/23 translated" in result.output and "1 untranslated" in result.output
