"""Turning a transcript copied from a web page into the documented format.

A copied page is the site's chrome, a title, description paragraphs, then the turns (and
maybe a footer). :mod:`toolkit.page` reads each line, :mod:`toolkit.page_cast` decides who
speaks; this module finds where the turns start and end, what the title is, and writes the
header. Every decision a user may want to undo is reported as a
:class:`~toolkit.page.PageNote` on its line of the page; every error names its line too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from toolkit.errors import TranscriptError
from toolkit.limits import HANGUL_RE, is_hangul
from toolkit.model import Transcript, Turn
from toolkit.page import (
    PageLine,
    PageNote,
    diarised_name,
    ends_sentence,
    is_copyright,
    looks_like_person,
    read_page_lines,
    says_something,
    stamp_ms,
    untimed_label,
)
from toolkit.page_cast import Cast, claim_misspelt_labels, decide_cast
from toolkit.romanize import romanize_hangul
from toolkit.transcript import match_label
from toolkit.transcript_write import format_transcript

#: The longest first line taken as the title; a longer one is a paragraph.
TITLE_MAX = 120
#: How many lines of content the title is looked for in (after the page's masthead).
_TITLE_SEARCH = 10
#: A trailing line at most this long, not a sentence, after the last speech is page footer.
_FOOTER_MAX = 40


class PageImportError(TranscriptError):
    """The page cannot be imported as it is; ``problems`` holds every reason, each with its line."""

    def __init__(self, source: str, problems: Sequence[PageNote]) -> None:
        super().__init__(problems[0].message, source, problems[0].line)
        self.problems = tuple(problems)

    def __str__(self) -> str:
        return "\n".join(f"{located(self.source, p.line)}: {p.message}" for p in self.problems)


def located(source: str, line: int) -> str:
    """``source:line``, or ``source`` alone for line 0."""
    return f"{source}:{line}" if line else source


@dataclass(frozen=True)
class ImportResult:
    """The imported transcript and what was guessed on the way (for the user to confirm)."""

    transcript: Transcript
    proposed_speakers: tuple[str, ...] | None
    guessed_language: str | None
    notes: tuple[PageNote, ...] = ()
    #: The transcript as written, and for each of its lines the page line it came from (0: none).
    text: str = ""
    page_lines: tuple[int, ...] = ()


def slugify(title: str) -> str:
    """A lowercase ASCII slug of ``title``, Hangul romanized (empty when nothing is left).

    >>> slugify("The Red Box: Misunderstandings & Stereotypes")
    'the-red-box-misunderstandings-stereotypes'
    >>> slugify("설특집, 남한생활정착기")
    'seolteukjip-namhansaenghwaljeongchakgi'
    """
    latin = unicodedata.normalize("NFKD", romanize_hangul(title))
    ascii_text = latin.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def unromanized_letters(title: str) -> str:
    """The letters of ``title`` a slug cannot spell: neither Latin nor Hangul (``北``, ``Ж``)."""
    found = ""
    for char in title:
        if (char.isalpha() and not is_hangul(char) and char not in found
                and not unicodedata.normalize("NFKD", char).encode("ascii", "ignore")):
            found += char
    return found


def guess_language(text: str) -> str:
    """``ko`` when most letters are Hangul, else ``en``.

    >>> guess_language("조이: 처음 왔을 때"), guess_language("Joy: When I first came")
    ('ko', 'en')
    """
    letters = sum(map(str.isalpha, text))
    hangul = len(HANGUL_RE.findall(text))  # (every Hangul character is a letter)
    return "ko" if letters and hangul / letters > 0.5 else "en"


@dataclass
class _TurnDraft:
    speaker: str
    line: int
    column: int
    anchor: int | None
    pieces: list[tuple[str, int]] = field(default_factory=list)  # (text, page line); "" = paragraph break


def _inline_label_re(keys: Mapping[str, str]) -> re.Pattern[str] | None:
    """Known labels inside a line (``… FIFIELD: …``): after a sentence's end, or in capitals."""
    if not keys:
        return None
    names = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<=\s)(?P<key>{names})(?:[ \t]*\[[^\]]{{1,10}}\])?[ \t]*:(?=\s)")


def _split_inline(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, str, str]]:
    """``text`` cut at the labels inside it: (column, label key or "", text) for each part."""
    parts: list[tuple[int, str, str]] = []
    start, key = 0, ""
    for match in pattern.finditer(text) if pattern else ():
        before = text[start : match.start()].rstrip()
        if not (before[-1:] in ".!?…\"”’)]" or match["key"].isupper()):
            continue
        parts.append((start, key, text[start : match.start()].strip()))
        start, key = match.end(), match["key"]
    parts.append((start, key, text[start:].strip()))
    return [part for index, part in enumerate(parts) if index or part[2]]


def _footer_start(lines: list[PageLine], start: int, speakers: Mapping[int, str]) -> int:
    """Where the page's footer begins: a copyright line, or a trailing run of short non-sentences
    set apart by a blank line (``댓글 (총 0 개)``, ``0 / 1200 bytes``)."""
    for index in range(start, len(lines)):
        if lines[index].kind == "chrome" and is_copyright(lines[index].text):
            return index
    end = len(lines)
    index = end - 1
    while index > start and lines[index].kind != "text":
        index -= 1
    footer = end
    while index > start:
        line = lines[index]
        if line.kind == "text":
            text = line.text.strip()
            if (line.number in speakers or len(text) > _FOOTER_MAX or says_something(text)
                    or (text[:1] in "([<" and text[-1:] in ")]>")):
                break
            footer = index
        index -= 1
    if footer < end and any(lines[i].kind == "blank" for i in range(index + 1, footer)):
        return footer
    return end


def _build_turns(
    lines: list[PageLine], start: int, end: int, cast: Cast, notes: list[PageNote], errors: list[PageNote]
) -> list[_TurnDraft]:
    inline = _inline_label_re(cast.keys)
    turns: list[_TurnDraft] = []
    last_anchor: int | None = None
    for line in lines[start:end]:
        if line.kind in ("blank", "chrome", "html"):
            if line.kind == "blank" and turns:
                turns[-1].pieces.append(("", line.number))
            continue
        speaker = cast.speaker_at.get(line.number)
        text = line.text.strip()
        column = 1
        if speaker is not None:
            label = line.label
            assert label is not None
            anchor, frames = stamp_ms(label.stamp) if label.stamp else (None, False)
            if frames and anchor is not None:
                notes.append(PageNote(line.number, f"timestamp {label.stamp}: frames dropped, the anchor is "
                                      "kept to the second (an export does not give the frame rate)"))
            if label.stamp and (anchor is None or (last_anchor is not None and anchor <= last_anchor)):
                notes.append(PageNote(line.number, f"timestamp [{label.stamp}] dropped: malformed, or not "
                                      "after the one before"))
                anchor = None
            last_anchor = anchor if anchor is not None else last_anchor
            turns.append(_TurnDraft(speaker, line.number, label.column, anchor))
            text, column = label.text, label.column
        elif not turns:
            continue
        for offset, key, part in _split_inline(text, inline):
            if key:
                turns.append(_TurnDraft(cast.keys[key], line.number, column + offset, None))
            if part:
                turns[-1].pieces.append((part, line.number))
    for turn in turns:
        if not any(text for text, _ in turn.pieces):
            errors.append(PageNote(turn.line, f"turn by {turn.speaker} has no text"))
    return turns


def _turn_lines(draft: _TurnDraft, notes: list[PageNote]) -> tuple[str, list[int]]:
    """A turn's text (paragraphs split by blank lines) and the page line of each of its lines.

    A line that the transcript format would read as a new turn is joined to the line before
    (and that one to its own, while the join still reads as a turn); the first line is safe,
    as it follows the turn's own label."""
    texts: list[str] = []
    numbers: list[int] = []
    for text, number in draft.pieces:
        if text or (texts and texts[-1]):
            texts.append(text)
            numbers.append(number)
    while texts and not texts[-1]:
        texts.pop()
        numbers.pop()
    index = 1
    while index < len(texts):
        if not texts[index] or match_label(texts[index]) is None:
            index += 1
            continue
        before = index - 1
        while before > 0 and not texts[before]:
            before -= 1
        texts[before] = f"{texts[before]} {texts[index]}"
        notes.append(PageNote(numbers[index], "this line would read as a turn of its own; joined to the "
                              "line before it"))
        del texts[before + 1 : index + 1], numbers[before + 1 : index + 1]
        index = max(before, 1)
    return "\n".join(texts), numbers


def _find_title(pre: list[PageLine]) -> tuple[int | None, str]:
    """The index in ``pre`` of the title line, or None and why not.

    The title is the first short line of content; a short line followed by page chrome is a
    site's masthead when a later short line is not (``Arizona Public Radio | …`` then the
    player, then the story's title). A paragraph, or a sentence, followed by content ends the
    search: what comes after it is the description."""
    shaped: list[tuple[int, bool]] = []  # (index, followed by chrome)
    reason = "no line before the turns looks like a title"
    for index, line in enumerate(pre):
        if line.kind != "text":
            continue
        text = line.text.strip()
        following = next((other for other in pre[index + 1 :] if other.kind != "blank"), None)
        before_chrome = following is not None and following.kind in ("chrome", "html")
        if len(text) > TITLE_MAX or ends_sentence(text):
            if not shaped:
                reason = (f"the first line of content is {len(text)} characters long (a title is at most "
                          f"{TITLE_MAX})" if len(text) > TITLE_MAX else
                          "the first line of content is a sentence, not a title")
            if not before_chrome:
                break
            continue
        shaped.append((index, before_chrome))
        if not before_chrome or len(shaped) >= _TITLE_SEARCH:
            break
    if not any(line.kind == "text" for line in pre):
        return None, "the page starts with a turn"
    if not shaped:
        return None, reason
    return next((index for index, chrome in shaped if not chrome), shaped[0][0]), ""


def import_raw(
    text: str,
    source: str,
    *,
    speakers: Sequence[str] | None = None,
    episode: str | None = None,
    language: str | None = None,
    title: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> ImportResult:
    """Convert the text of a copied web page into a :class:`Transcript` with a full header.

    Raises :class:`PageImportError` with every reason the page cannot be imported as it is.
    """
    lines = read_page_lines(text)
    # ``Speaker 1`` is written ``Speaker1`` (see toolkit.page.diarised_name): either spelling names it
    aliases = {diarised_name(label): name for label, name in (aliases or {}).items()}
    if speakers is not None:
        speakers = [diarised_name(name) for name in speakers]
    notes: list[PageNote] = []
    errors: list[PageNote] = []
    if all(line.kind == "blank" for line in lines):
        raise PageImportError(source, [PageNote(1, "the file is empty")])
    for name in [*(speakers or ()), *aliases.values()]:
        as_label = match_label(f"{name}: x")
        if as_label is None or as_label.name != name:
            errors.append(PageNote(0, f"{name!r} cannot be a speaker's name in a transcript (one to three "
                                   "capitalised words, or Hangul words)"))
    _read_mixed_as_page(lines, aliases, notes)
    cast = decide_cast(lines, speakers, aliases, notes, errors)
    claim_misspelt_labels(lines, cast, notes, errors)
    first_content = next((line.number for line in lines if line.kind == "text"), 1)
    if not cast.speaker_at:
        errors.append(PageNote(first_content, _no_speaker_message(lines)))
        raise PageImportError(source, errors)
    _note_diarised(lines, cast, notes)
    body = next(index for index, line in enumerate(lines) if line.number in cast.speaker_at)
    end = _footer_start(lines, body, cast.speaker_at)
    if end < len(lines) and any(line.kind == "text" for line in lines[end:]):
        last = max(line.number for line in lines[end:] if line.kind != "blank")
        span = f"lines {lines[end].number}-{last}" if last > lines[end].number else f"line {last}"
        notes.append(PageNote(lines[end].number, f"{span} dropped as the page's footer"))
    drafts = _build_turns(lines, body, end, cast, notes, errors)
    turn_texts = [_turn_lines(draft, notes) for draft in drafts]

    pre = lines[:body]
    title_index, no_title_reason = _find_title(pre)
    found_title = pre[title_index].text.strip() if title_index is not None else None
    title_line = pre[title_index].number if title_index is not None else 0
    description_from = title_index + 1 if title_index is not None else 0
    masthead = [line for line in pre[: title_index or 0] if line.kind == "text"]
    if masthead:
        shown = ", ".join(repr(line.text.strip()) for line in masthead[:3])
        notes.append(PageNote(masthead[0].number, f"{shown}: before the title, dropped as the page's "
                              "masthead"))
    if title is None and found_title is None:
        if episode is None:
            errors.append(PageNote(first_content, f"no title: {no_title_reason}; pass --title 'The title' "
                                   "(the episode slug is made from it) or --episode"))
        else:
            notes.append(PageNote(first_content, f"no title ({no_title_reason}); the episode {episode!r} "
                                  "is used: pass --title to set one"))
    chosen_title = title if title is not None else found_title if found_title is not None else episode or ""
    slug = episode if episode is not None else slugify(chosen_title)
    if episode is None and chosen_title:
        odd = unromanized_letters(chosen_title)
        slug_line = title_line if title is None else 0
        if odd:
            errors.append(PageNote(slug_line, "cannot make an episode slug from a title in this script "
                                   f"({odd}): pass --episode"))
        elif not slug:
            errors.append(PageNote(slug_line, "cannot make an episode slug from the title; pass --episode"))
    _note_dropped(lines[:end], notes)
    if errors:
        raise PageImportError(source, sorted(errors, key=lambda note: note.line))

    description: list[tuple[str, int]] = []
    seen = {chosen_title.casefold()}
    for line in pre[description_from:]:
        value = line.text.strip()
        if line.kind == "text" and value.casefold() not in seen:
            seen.add(value.casefold())
            description.append((value, line.number))

    turns = tuple(
        Turn(draft.speaker, turn_text, draft.line, numbers[-1] if numbers else draft.line, draft.anchor,
             draft.column)
        for draft, (turn_text, numbers) in zip(drafts, turn_texts, strict=True)
    )
    body_text = "\n".join(turn.text for turn in turns)
    guessed = guess_language(body_text) if language is None else None
    cast_names = list(speakers) if speakers is not None else cast.order
    header: list[tuple[str, str]] = [
        ("title", chosen_title),
        ("episode", slug),
        ("language", language or guessed or "en"),
        ("speakers", ", ".join(cast_names)),
    ]
    header_lines = [title_line if title is None else 0, 0, 0, 0]
    if description:
        header.append(("description", "\n".join(value for value, _ in description)))
    transcript = Transcript(source=source, header=tuple(header), turns=turns)
    written = format_transcript(transcript)
    page_lines = [0, *header_lines, *(number for _, number in description), 0]
    for turn, (_, numbers) in zip(turns, turn_texts, strict=True):
        page_lines.extend([turn.line, *numbers[1:]] if numbers else [turn.line])
    proposed = tuple(cast.order) if speakers is None else None
    return ImportResult(transcript, proposed, guessed, tuple(sorted(notes, key=lambda n: n.line)), written,
                        tuple(page_lines))


def _no_speaker_message(lines: list[PageLine]) -> str:
    once = [(line.label.name, line.number) for line in lines
            if line.kind == "text" and line.label is not None and looks_like_person(line.label.name)]
    if not once:
        return "no speaker label found: turns start with 'Name: text' or 'Name:' alone on a line"
    found = ", ".join(f"{name} (line {number})" for name, number in once[:6])
    names = ", ".join(dict.fromkeys(name for name, _ in once))
    return (f"no label starts two turns, so none is taken as a speaker; labels met once: {found}. "
            f"If they are the speakers, pass --speakers '{names}'")


def _read_mixed_as_page(lines: list[PageLine], aliases: Mapping[str, str], notes: list[PageNote]) -> None:
    """A page whose turns are labelled ``Name:`` with no time is read as a page, not an export:
    a line such as ``Morning Edition  4:32`` there (a related story's length) stays what it was."""
    plain: dict[str, int] = {}
    for line in lines:
        label = line.label
        if label is None or label.stamp is not None:
            continue
        if looks_like_person(label.name) or label.name in aliases:
            plain[label.name] = plain.get(label.name, 0) + 1
    if not any(count > 1 for count in plain.values()):
        return
    timed = [line for line in lines if line.label is not None and line.label.style == "timed"
             and untimed_label(line.text) != line.label]
    for line in timed:
        line.label = untimed_label(line.text)
    if timed:
        notes.append(PageNote(timed[0].number, f"{len(timed)} line(s) with a name and a time, as exports "
                              "write turns, read as text: the other turns have no time"))


def _note_diarised(lines: list[PageLine], cast: Cast, notes: list[PageNote]) -> None:
    """Say where a diarisation label (``Speaker 1``) is first written as the transcript holds it."""
    told: set[str] = set()
    for line in lines:
        speaker = cast.speaker_at.get(line.number)
        label = line.label
        if speaker is None or label is None or speaker in told or label.name != speaker:
            continue
        written = re.match(r"(?P<word>[Ss]peaker)[ _](?P<id>\d{1,3})\b", line.text[label.column - 1 :])
        if written and speaker == f"Speaker{written['id']}":
            told.add(speaker)
            shown = f"{written['word']} {written['id']}"
            notes.append(PageNote(line.number, f"{shown!r} written {speaker!r} (a transcript's names are "
                                  f"capitalised words); rename it with --alias '{speaker}=Name'"))


def _note_dropped(lines: list[PageLine], notes: list[PageNote]) -> None:
    chrome = [line for line in lines if line.kind == "chrome"]
    if chrome:
        shown = ", ".join(repr(line.text.strip()) for line in chrome[:4])
        more = f" and {len(chrome) - 4} more" if len(chrome) > 4 else ""
        notes.append(PageNote(chrome[0].number,
                              f"{len(chrome)} line(s) of page chrome dropped: {shown}{more}"))
    for line in lines:
        if line.had_html:
            what = "an HTML fragment dropped" if line.kind == "html" else "HTML markup removed from the line"
            notes.append(PageNote(line.number, what))
