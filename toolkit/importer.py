"""Turning a transcript copied from a web page into the documented format.

A raw Red Box transcript is a title line (which has a colon in it, so it is never
taken for a speaker label), description paragraphs, then the turns. The title and
description go into the header; the cast is given or proposed from the labels found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.errors import TranscriptError
from toolkit.limits import is_hangul
from toolkit.model import Transcript
from toolkit.transcript import match_label, parse_transcript


@dataclass(frozen=True)
class ImportResult:
    """The imported transcript and what was guessed on the way (for the user to confirm)."""

    transcript: Transcript
    proposed_speakers: tuple[str, ...] | None
    guessed_language: str | None


def slugify(title: str) -> str:
    """A lowercase ASCII slug of ``title`` (empty when it has no Latin letters or digits).

    >>> slugify("The Red Box: Misunderstandings & Stereotypes")
    'the-red-box-misunderstandings-stereotypes'
    """
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def guess_language(text: str) -> str:
    """``ko`` when most letters are Hangul, else ``en``.

    >>> guess_language("조이: 처음 왔을 때"), guess_language("Joy: When I first came")
    ('ko', 'en')
    """
    letters = [char for char in text if char.isalpha()]
    hangul = sum(1 for char in letters if is_hangul(char))
    return "ko" if letters and hangul / len(letters) > 0.5 else "en"


def import_raw(
    text: str,
    source: str,
    *,
    speakers: Sequence[str] | None = None,
    episode: str | None = None,
    language: str | None = None,
) -> ImportResult:
    """Convert raw transcript text into a :class:`Transcript` with a full header.

    Raises :class:`~toolkit.errors.TranscriptError` when there is no title or no turn.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    non_blank = [index for index, line in enumerate(lines) if line.strip()]
    if not non_blank:
        raise TranscriptError("the file is empty", source, 1)
    title_index = non_blank[0]
    title = lines[title_index].strip()

    first_turn = next(
        (index for index in range(title_index + 1, len(lines)) if match_label(lines[index])), None
    )
    if first_turn is None:
        raise TranscriptError(
            "no speaker label found: turns start with 'Name: text' or 'Name:' alone on a line",
            source,
            title_index + 1,
        )
    description = "\n".join(line.strip() for line in lines[title_index + 1 : first_turn] if line.strip())
    body = "\n".join(lines[first_turn:])
    body_only, _ = parse_transcript(body, source)

    proposed: tuple[str, ...] | None = None
    if speakers is None:
        found: list[str] = []
        for turn in body_only.turns:
            if turn.speaker not in found:
                found.append(turn.speaker)
        proposed = tuple(found)
        cast: Sequence[str] = proposed
    else:
        cast = speakers

    guessed: str | None = None
    if language is None:
        guessed = guess_language(body)
        language = guessed
    slug = episode if episode is not None else slugify(title)
    if not slug:
        raise TranscriptError("cannot make an episode slug from the title; pass --episode", source,
                              title_index + 1)

    header: list[tuple[str, str]] = [
        ("title", title),
        ("episode", slug),
        ("language", language),
        ("speakers", ", ".join(cast)),
    ]
    if description:
        header.append(("description", description))
    transcript = Transcript(source=source, header=tuple(header), turns=body_only.turns)
    return ImportResult(transcript, proposed, guessed)
