"""A series, not a file: init over many episodes, symlinked language folders, revival of reviewed turns."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from toolkit import catalog
from toolkit.cli import cli

EPISODE = "misunderstandings-and-stereotypes"
PO = Path("locales") / "ko" / "LC_MESSAGES" / f"{EPISODE}.po"
TRANSCRIPT = Path("transcripts") / f"{EPISODE}.txt"
SECOND = Path("transcripts") / "second-episode.txt"
SECOND_TEXT = """---
title: The Red Box: A Second Episode
episode: second-episode
language: en
speakers: Joy, Dasom
---
Joy: Welcome back to the Red Box.
Dasom: Today we talk about food.
"""


def _run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def test_init_on_a_series_starts_the_missing_catalogs_and_leaves_the_others(
    runner: CliRunner, project: Path
) -> None:
    SECOND.write_text(SECOND_TEXT, encoding="utf-8")
    before = PO.read_bytes()
    code, out = _run(runner, "catalog", "init", "ko")
    assert code == 0, out
    assert f"{PO}: exists, left as it is" in out
    second = Path("locales/ko/LC_MESSAGES/second-episode.po")
    assert f"{second}: 5 messages to translate" in out
    assert PO.read_bytes() == before
    assert "#, max-length:" in second.read_text(encoding="utf-8")
    code, out = _run(runner, "catalog", "init", "ko", "--force")
    assert code == 2 and "name the episodes' transcripts" in out
    second.write_text(
        second.read_text(encoding="utf-8").replace(
            'msgstr ""\n\n#. speaker: Joy', 'msgstr "x"\n\n#. speaker: Joy'
        ),
        encoding="utf-8",
    )
    code, out = _run(runner, "catalog", "init", "ko", "--force", str(SECOND))
    assert code == 0, out
    assert PO.read_bytes() == before  # only the named episode started over


def test_a_symlinked_language_folder_is_followed_everywhere_and_written_through(
    runner: CliRunner, project: Path
) -> None:
    team = Path("team")
    team.mkdir()
    shutil.move("locales/ko", team / "ko")
    os.symlink("../team/ko", "locales/ko")
    code, out = _run(runner, "catalog", "stats")
    assert code == 0 and f"{PO}: 23/23 translated" in out
    Path("subtitles", f"{EPISODE}.ko.srt").unlink()
    code, out = _run(runner, "build")
    assert code == 0, out
    assert Path("subtitles", f"{EPISODE}.ko.srt").exists()
    code, out = _run(runner, "check")
    assert code == 0, out
    text = TRANSCRIPT.read_text(encoding="utf-8")
    TRANSCRIPT.write_text(text.replace("think like that.", "think that way."), encoding="utf-8")
    code, out = _run(runner, "catalog", "update")
    assert code == 0 and "1 edited (fuzzy)" in out
    assert Path("locales/ko").is_symlink()
    assert "think that way." in (team / "ko" / "LC_MESSAGES" / f"{EPISODE}.po").read_text(encoding="utf-8")


def test_a_reviewed_turn_comes_back_reviewed_after_delete_all_and_restore(
    runner: CliRunner, project: Path
) -> None:
    original = TRANSCRIPT.read_text(encoding="utf-8")
    edited = original.replace(
        "Jeongyol: A lot of people think like that.", "Jeongyol: A lot of people think that way."
    )
    TRANSCRIPT.write_text(edited, encoding="utf-8")
    assert _run(runner, "catalog", "update")[0] == 0
    po = catalog.parse_po(PO.read_bytes())
    turn = next(entry for entry in po.entries if entry.msgid == "A lot of people think that way.")
    assert turn.fuzzy
    turn.flags = [flag for flag in turn.flags if flag != "fuzzy"]  # the translator reviews it
    turn.previous_msgid = None
    turn.msgstr = "그렇게 생각하는 사람들이 많아요."
    PO.write_bytes(catalog.write_po(po))
    header_end = edited.index("---", 3) + 4
    TRANSCRIPT.write_text(edited[:header_end] + "Joy: Hello.\n", encoding="utf-8")  # body deleted
    assert _run(runner, "catalog", "update")[0] == 0
    TRANSCRIPT.write_text(edited, encoding="utf-8")  # and restored
    code, out = _run(runner, "catalog", "update")
    assert code == 0, out
    assert "0 pre-filled (fuzzy)" in out
    po = catalog.parse_po(PO.read_bytes())
    turn = next(entry for entry in po.entries if entry.msgid == "A lot of people think that way.")
    assert not turn.fuzzy
    assert turn.msgstr == "그렇게 생각하는 사람들이 많아요."


def test_the_budget_follows_the_aligned_timings_when_there_are_some(runner: CliRunner, project: Path) -> None:
    from toolkit.align.sidecar import format_timings, timings_path
    from toolkit.align.timings import Alignment, TurnTiming, turn_fingerprint
    from toolkit.transcript import parse_transcript

    transcript = parse_transcript(TRANSCRIPT.read_text(encoding="utf-8"), str(TRANSCRIPT))[0]
    rows, clock = [], 0
    for index, turn in enumerate(transcript.turns):
        length = 10_000 if index == 0 else 3_000  # the first turn is heard for 10 s
        rows.append(TurnTiming(index, turn.line, turn.speaker, clock, clock + length,
                               fingerprint=turn_fingerprint(turn.speaker, turn.text)))  # fmt: skip
        clock += length + 500
    timings = Path(str(timings_path(TRANSCRIPT)))
    timings.write_text(format_timings(Alignment(tuple(rows), audio_ms=clock)), encoding="utf-8")
    code, out = _run(runner, "catalog", "update")
    assert code == 0, out
    first = catalog.parse_po(PO.read_bytes()).turn_entries()[0]
    # Aligned: 10 s heard plus the 250 ms hold after speech (align.rules), read at 12 a second.
    assert first.comment("budget") == "about 10.2 s on screen: at most 123 Hangul"
