"""Translating a transcript by its catalog (:func:`translate_transcript`), turn by turn."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import NamedTuple

from toolkit.catalog.identity import assign_turn_ids, known_turns, normalize_text
from toolkit.catalog.po import SPEAKER_CONTEXT, TITLE_CONTEXT, PoEntry, PoFile, on_screen
from toolkit.catalog.po_read import parse_po
from toolkit.model import Problem, Transcript, Turn


def speaker_names(po: PoFile) -> dict[str, PoEntry]:
    """The speaker messages of a catalog, by source name."""
    return {entry.msgid: entry for entry in po.entries if entry.msgctxt == SPEAKER_CONTEXT}


def match_turns(transcript: Transcript, po: PoFile) -> list[PoEntry | None]:
    """The catalog message of each turn (``None`` when the catalog does not have its current text)."""
    previous = known_turns(po)
    ids = assign_turn_ids([(turn.speaker, turn.text) for turn in transcript.turns], previous)
    by_id = {turn.id: entry for turn, entry in zip(previous, po.turn_entries(), strict=True)}
    matched: list[PoEntry | None] = []
    for turn, turn_id in zip(transcript.turns, ids, strict=True):
        entry = by_id.get(turn_id)
        same = entry is not None and normalize_text(entry.msgid) == normalize_text(turn.text)
        matched.append(entry if same else None)
    return matched


class TurnFacts(NamedTuple):
    """What a catalog's staleness check (CAT013) reads of an up-to-date transcript, kept for
    every transcript of a check run instead of the transcript: its turns' digest
    (:func:`turns_digest`) and the names of its speakers."""

    digest: bytes
    speakers: frozenset[str]


def turns_digest(turns: Iterable[tuple[str, str]]) -> bytes:
    """A digest of ``(speaker, text)`` turns in order, texts normalised as the ids are matched:
    a catalog whose turns have the transcript's digest, each under its own id, gives each
    turn its message at the same place (:func:`match_turns`: the diff keeps every turn)."""
    # Each part prefixed by its length in characters (so no two splits give one text), all of
    # them hashed at once.
    parts = []
    for speaker, text in turns:
        normal = normalize_text(text)
        parts.append(f"{len(speaker)}:{speaker}{len(normal)}:{normal}")
    return hashlib.blake2b("".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def turn_facts(transcript: Transcript) -> TurnFacts:
    """The :class:`TurnFacts` of a parsed transcript."""
    turns = transcript.turns
    return TurnFacts(turns_digest((turn.speaker, turn.text) for turn in turns),
                     frozenset(turn.speaker for turn in turns))  # fmt: skip


def matches_every_turn(po: PoFile, facts: TurnFacts) -> bool:
    """Whether :func:`match_turns` pairs every turn of the transcript of ``facts`` with the
    catalog's message at its place and uses every turn message (no CAT013 for a turn or a
    message): the same turns in the same order, and no id twice."""
    previous = known_turns(po)
    return (len({turn.id for turn in previous}) == len(previous)
            and turns_digest((turn.speaker, turn.text) for turn in previous) == facts.digest)  # fmt: skip


def _problem(source: str, line: int, code: str, message: str) -> Problem:
    return Problem(source, line, 1, "warning", code, message)


#: What opens a turn shown in the source language because it has no (reviewed) translation,
#: in the viewer's language, so nobody takes it for a translation (``【untranslated】`` when
#: the language has no entry). Lenticular brackets, not square ones or parentheses: a
#: bracketed note at the start of a turn is an editorial note, which subtitles drop
#: (:func:`toolkit.subtitles.on_screen_text`).
UNTRANSLATED_MARKS = {"ko": "【번역 안 됨】", "en": "【untranslated】"}


def untranslated_mark(language: str) -> str:
    """The mark of an untranslated turn in ``language``'s subtitles.

    >>> untranslated_mark("ko-KR"), untranslated_mark("fr")
    ('【번역 안 됨】', '【untranslated】')
    """
    return UNTRANSLATED_MARKS.get(language.replace("_", "-").split("-", 1)[0].lower(), "【untranslated】")


def translate_transcript(
    transcript: Transcript, po_data: bytes, po_source: str, language: str
) -> tuple[Transcript, list[Problem]]:
    """The transcript with every turn's text and speaker name translated by a PO catalog.

    Turns keep their order, lines and times. A turn whose message is untranslated (empty
    or only whitespace) or fuzzy, or missing because the catalog is out of date, keeps its
    source text opened by :func:`untranslated_mark`, so a viewer sees it is not a
    translation, with a warning at its line (``CAT001``, ``CAT002``, ``CAT013``; ``build
    --strict`` fails on them). A speaker name keeps its source spelling, with a warning. The header
    ``language`` becomes ``language``; ``title`` and ``speakers`` are translated too.
    Raises :class:`CatalogError` when the catalog does not parse.
    """
    po = parse_po(po_data, po_source)
    problems: list[Problem] = []
    names: dict[str, str] = {}
    for name, entry in speaker_names(po).items():
        if entry.translated and not entry.fuzzy:
            names[name] = on_screen(entry.msgstr)
    for name in sorted({turn.speaker for turn in transcript.turns} - set(names)):
        speaker_entry = speaker_names(po).get(name)
        if speaker_entry is None:
            problems.append(
                _problem(
                    po_source,
                    0,
                    "CAT013",
                    f"speaker {name!r} is not in the catalog; "
                    "run `redbox catalog update`; the source name is used",
                )
            )
        else:
            fuzzy = speaker_entry.fuzzy and speaker_entry.translated
            code, state = ("CAT002", "fuzzy") if fuzzy else ("CAT001", "untranslated")
            problems.append(
                _problem(
                    po_source,
                    speaker_entry.line,
                    code,
                    f"speaker name {name!r} is {state}; the source name is used",
                )
            )
    turns: list[Turn] = []
    mark = untranslated_mark(language)
    for turn, turn_entry in zip(transcript.turns, match_turns(transcript, po), strict=True):
        text = f"{mark} {turn.text}"  # unless a reviewed translation replaces it below
        if turn_entry is None:
            problems.append(
                _problem(
                    transcript.source,
                    turn.line,
                    "CAT013",
                    f"this turn is not in {po_source} with its current text; "
                    f"run `redbox catalog update`; the source text is shown, marked {mark}",
                )
            )
        elif turn_entry.fuzzy and turn_entry.translated:
            problems.append(
                _problem(
                    po_source,
                    turn_entry.line,
                    "CAT002",
                    f"turn {turn_entry.comment('turn')} is fuzzy; the source text is shown, marked {mark}",
                )
            )
        elif not turn_entry.translated:
            problems.append(
                _problem(
                    po_source,
                    turn_entry.line,
                    "CAT001",
                    f"turn {turn_entry.comment('turn')} is untranslated; "
                    f"the source text is shown, marked {mark}",
                )
            )
        else:
            text = on_screen(turn_entry.msgstr)
        turns.append(replace(turn, speaker=names.get(turn.speaker, turn.speaker), text=text))
    title_entry = next((e for e in po.entries if e.msgctxt == TITLE_CONTEXT), None)
    header: list[tuple[str, str]] = []
    for key, value in transcript.header:
        if key == "language":
            value = language
        elif key == "speakers":
            value = ", ".join(names.get(name, name) for name in transcript.speakers)
        elif (
            key == "title"
            and title_entry is not None
            and title_entry.translated
            and not title_entry.fuzzy
            and normalize_text(title_entry.msgid) == normalize_text(value)
        ):
            value = on_screen(title_entry.msgstr)
        header.append((key, value))
    if "language" not in {key for key, _ in header}:
        header.append(("language", language))
    translated = replace(transcript, header=tuple(header), turns=tuple(turns))
    return translated, sorted(problems, key=Problem.sort_key)


def fill_translations(po: PoFile, translations: Mapping[tuple[str | None, str], str]) -> PoFile:
    """A copy of ``po`` with the given msgstrs filled in (non-fuzzy), keyed by ``(msgctxt, msgid)``."""
    entries = [
        replace(
            entry,
            msgstr=translations[entry.key],
            flags=[f for f in entry.flags if f != "fuzzy"],
            previous_msgctxt=None,
            previous_msgid=None,
        )
        if entry.key in translations
        else entry
        for entry in po.entries
    ]
    return replace(po, entries=entries)
