"""A transcript's template (:func:`extract`), a new translation of it (:func:`init`), plural forms, stats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from toolkit.catalog.identity import KnownTurn, assign_turn_ids, known_turns
from toolkit.catalog.po import SPEAKER_CONTEXT, TITLE_CONTEXT, PoEntry, PoFile, paused_gc
from toolkit.errors import CatalogError
from toolkit.model import Transcript, pickled_by_constructor
from toolkit.timecode import format_clock

if TYPE_CHECKING:
    from babel import Locale

#: The date written into the ``PO-Revision-Date`` of a catalog nobody has translated yet.
PLACEHOLDER_DATE = "YEAR-MO-DA HO:MI+ZONE"


def episode_slug(transcript: Transcript) -> str:
    """The episode slug of a transcript: its ``episode`` header, else its file name."""
    if transcript.episode:
        return transcript.episode
    name = transcript.source.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _speaker_order(transcript: Transcript) -> list[str]:
    names = list(dict.fromkeys(transcript.speakers))
    for turn in transcript.turns:
        if turn.speaker not in names:
            names.append(turn.speaker)
    return names


def extract(
    transcript: Transcript, *, previous: PoFile | Sequence[KnownTurn] | None = None, creation_date: str
) -> PoFile:
    """The template (POT) of a transcript; turn ids are carried over from ``previous``.

    ``previous`` is the last template (or a translation), or the turns it knows
    (:func:`known_turns`, :func:`read_known_turns`).

    ``creation_date`` is written as ``POT-Creation-Date`` (``YYYY-MM-DD HH:MM+ZZZZ``), so the
    output depends on the inputs alone.
    """
    with paused_gc():
        return _extract(transcript, previous, creation_date)


def _extract(
    transcript: Transcript, previous: PoFile | Sequence[KnownTurn] | None, creation_date: str
) -> PoFile:
    episode = episode_slug(transcript)
    source = transcript.source
    speakers = _speaker_order(transcript)
    first_line: dict[str, int] = {}
    for turn in transcript.turns:
        first_line.setdefault(turn.speaker, turn.line)
    entries: list[PoEntry] = []
    if transcript.title:
        entries.append(
            PoEntry(
                transcript.title,
                msgctxt=TITLE_CONTEXT,
                extracted_comments=["episode title"],
                references=[f"{source}:{transcript.header_lines.get('title', 1)}"],
            )
        )
    for name in speakers:
        line = first_line.get(name, transcript.header_lines.get("speakers", 1))
        entries.append(
            PoEntry(
                name,
                msgctxt=SPEAKER_CONTEXT,
                extracted_comments=[
                    "speaker name: every subtitle label and every mention uses this translation"
                ],
                references=[f"{source}:{line}"],
            )
        )
    if isinstance(previous, PoFile):
        previous = known_turns(previous)
    ids = assign_turn_ids([(turn.speaker, turn.text) for turn in transcript.turns], previous or [])
    for number, (turn, turn_id) in enumerate(zip(transcript.turns, ids, strict=True), start=1):
        comments = [f"speaker: {turn.speaker}", f"turn: {number}"]
        if turn.anchor_ms is not None:
            comments.append(f"time: {format_clock(turn.anchor_ms)}")
        # (positional: msgid, msgstr, msgctxt, msgid_plural, msgstr_plural, translator comments,
        # extracted comments, references, flags)
        context, reference = f"{episode}/{turn_id}", f"{source}:{turn.line}"
        entries.append(PoEntry(turn.text, "", context, None, [], [], comments, [reference], []))
    headers = [
        ("Project-Id-Version", episode),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", creation_date),
        ("PO-Revision-Date", PLACEHOLDER_DATE),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"),
        ("Language", ""),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Source-Language", transcript.language or "en"),
    ]
    title = transcript.title or episode
    comments = [
        f"Translations of the Red Box episode “{title}”.",
        f"Made by redbox from {source}: one message per speaker name and per turn.",
    ]
    return PoFile(headers=headers, header_comments=comments, header_flags=["fuzzy"], entries=entries)


# --------------------------------------------------------------------------------- init


def plural_forms(language: str) -> str:
    """The ``Plural-Forms`` header for a language, from CLDR via Babel.

    >>> plural_forms("ko")
    'nplurals=1; plural=0;'
    """
    from babel.messages.plurals import get_plural  # Babel loads only when a catalog is started

    count, expression = get_plural(_locale(language))
    return f"nplurals={count}; plural={expression};"


def _locale(language: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise CatalogError(f"unknown language {language!r} (use a code such as ko or en)") from None


def init(template: PoFile, language: str, *, revision_date: str, comment: Sequence[str] = ()) -> PoFile:
    """A new, untranslated catalog for ``language`` from a template."""
    locale = _locale(language)
    po = PoFile(
        headers=list(template.headers),
        header_comments=list(comment) or list(template.header_comments),
        header_flags=[flag for flag in template.header_flags if flag != "fuzzy"],
        entries=[
            replace(
                entry,
                msgstr="",
                flags=[f for f in entry.flags if f != "fuzzy"],
                translator_comments=[],
                previous_msgctxt=None,
                previous_msgid=None,
                line=0,
            )
            for entry in template.entries
        ],
    )
    po.set_header("PO-Revision-Date", revision_date)
    po.set_header("Language-Team", f"{locale.english_name} <LL@li.org>".replace("LL", language))
    po.set_header("Language", language)
    _ensure_plural_forms(po, language)
    return po


def _ensure_plural_forms(po: PoFile, language: str) -> None:
    if po.header("Plural-Forms"):
        return
    forms = plural_forms(language)
    names = [name.lower() for name, _ in po.headers]
    if "language" in names:
        po.headers.insert(names.index("language") + 1, ("Plural-Forms", forms))
    else:
        po.headers.append(("Plural-Forms", forms))


# -------------------------------------------------------------------------------- stats


@dataclass(frozen=True)
class CatalogStats:
    """How far a translation has come."""

    total: int
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


def stats(po: PoFile) -> CatalogStats:
    """Counts of translated (not fuzzy), fuzzy and untranslated messages."""
    fuzzy = sum(1 for entry in po.entries if entry.fuzzy and entry.translated)
    translated = sum(1 for entry in po.entries if entry.translated and not entry.fuzzy)
    total = len(po.entries)
    return CatalogStats(total, translated, fuzzy, total - translated - fuzzy, len(po.obsolete))
