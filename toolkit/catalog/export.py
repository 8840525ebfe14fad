"""``redbox catalog export``: an episode in a translation's language, as a transcript or a review sheet.

The transcript is :func:`~toolkit.catalog.translate.translate_transcript`'s, written by
:func:`toolkit.transcript_write.format_transcript`: translated title and speaker names, every turn
in its place with its anchor, so ``redbox check`` reads it and ``redbox align --lang``
can use it. The review sheet (CSV or HTML) puts each turn's source and translation side by
side with its budget and status, for a reviewer without a PO editor.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.catalog.budget import budget_units
from toolkit.catalog.po import PoFile, on_screen
from toolkit.catalog.translate import match_turns, speaker_names
from toolkit.limits import limits_for, text_width
from toolkit.model import Transcript

FORMATS = ("transcript", "csv", "html")
COLUMNS = ("turn", "line", "speaker", "source", "translation", "budget", "status")


@dataclass(frozen=True)
class ReviewRow:
    """One turn of a review sheet."""

    turn: int
    line: int
    speaker: str
    source: str
    translation: str
    budget: str
    status: str


def review_rows(transcript: Transcript, po: PoFile, language: str) -> list[ReviewRow]:
    """Each turn: its source, its translation (as the subtitles would show it) and its state.

    ``status`` is ``translated``, ``fuzzy``, ``untranslated``, ``out of date`` (the catalog
    lacks the turn's current text) or ``over budget`` (translated, but longer than its budget).
    """
    names = {name: on_screen(entry.msgstr) for name, entry in speaker_names(po).items() if entry.translated}
    limits = limits_for(language)
    rows: list[ReviewRow] = []
    for number, (turn, entry) in enumerate(
        zip(transcript.turns, match_turns(transcript, po), strict=True), 1
    ):
        speaker = names.get(turn.speaker, turn.speaker)
        if entry is None:
            rows.append(ReviewRow(number, turn.line, speaker, turn.text, "", "", "out of date"))
            continue
        translation = on_screen(entry.msgstr) if entry.translated else ""
        units = budget_units(entry)
        budget = entry.comment("budget")
        if not entry.translated:
            status = "untranslated"
        elif entry.fuzzy:
            status = "fuzzy"
        elif units is not None and text_width(translation, limits) > units:
            status = "over budget"
        else:
            status = "translated"
        rows.append(ReviewRow(number, turn.line, speaker, turn.text, translation, budget, status))
    return rows


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula (as ``po2csv`` does)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def review_csv(rows: Sequence[ReviewRow]) -> str:
    """The review sheet as CSV (RFC 4180, a header row, ``\\r\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.turn, row.line, _cell(row.speaker), _cell(row.source), _cell(row.translation),
                         row.budget, row.status])  # fmt: skip
    return out.getvalue()


def review_html(rows: Sequence[ReviewRow], title: str, source_language: str, language: str) -> str:
    """The review sheet as one self-contained HTML page (no script, no external file)."""
    escape = html.escape
    body = "\n".join(
        f'<tr class="{escape(row.status.replace(" ", "-"))}">'
        f"<td>{row.turn}</td><td>{escape(row.speaker)}</td>"
        f'<td lang="{escape(source_language)}">{escape(row.source)}</td>'
        f'<td lang="{escape(language)}">{escape(row.translation)}</td>'
        f"<td>{escape(row.budget.removeprefix('budget: '))}</td><td>{escape(row.status)}</td></tr>"
        for row in rows
    )
    counts = {
        status: sum(1 for row in rows if row.status == status)
        for status in dict.fromkeys(r.status for r in rows)
    }
    summary = ", ".join(f"{count} {status}" for status, count in counts.items())
    return f"""<!DOCTYPE html>
<html lang="{escape(language)}">
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #999; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }}
td {{ white-space: pre-wrap; }}
tr.untranslated td, tr.out-of-date td {{ background: #fdd; }}
tr.fuzzy td, tr.over-budget td {{ background: #ffd; }}
</style>
</head>
<body>
<h1>{escape(title)}</h1>
<p>{len(rows)} turns: {escape(summary)}</p>
<table>
<thead><tr><th>turn</th><th>speaker</th><th>source</th><th>translation</th><th>budget</th><th>status</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""
