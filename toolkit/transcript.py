"""The transcript format: parsing (writing is :mod:`toolkit.transcript_write`).

A transcript is UTF-8 text: an optional header between two ``---`` lines of
``key: value`` pairs (the value is everything after the first ``": "``; a line that
starts with whitespace continues the previous value), then the body of speaker turns::

    ---
    title: The Red Box: Misunderstandings and Stereotypes about North Koreans
    episode: misunderstandings-and-stereotypes
    language: en
    speakers: All, Jeongyol, Joy
    ---
    All: Welcome to the Red Box!
    [00:00:04] Jeongyol:
    Are there any misunderstandings…

``Name: text`` or ``Name:`` alone on its line starts a turn; an unlabelled line
continues it; a blank line inside a turn is a paragraph break. ``[hh:mm:ss]`` or
``[mm:ss.f]`` before a label anchors the turn in time. Labels are read against the
header's cast: a line that starts like a label is a turn of a cast member, or a turn with
a problem (TRN021-TRN023) naming the member meant, never silently text; ``\\`` at the
start of a line keeps it as text. The full description lives in ``transcripts/README.md``.

Parsing never raises for content problems: it returns the transcript it could read
plus every :class:`~toolkit.model.Problem` it met, each with its line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.limits import HANGUL_RE
from toolkit.model import Problem, Severity, Transcript, Turn, new_turn, pickled_by_constructor
from toolkit.speaker_names import NameIndex, name_key, suggest_from_index
from toolkit.timecode import format_clock

HEADER_FENCE = "---"
#: What a body line starts with to be text whatever follows (``\Note: …``); the parser drops it.
ESCAPE = "\\"

#: One word of a speaker name as a line is cut: a letter (any script), then anything up to white
#: space, a separator, a bracket or a parenthesis. :func:`_name_chars_ok` then asks for letters,
#: digits, combining marks (a decomposed ``Ü``), ``_``, ``'``, ``’``, ``.`` or ``-``.
_NAME_WORD = r"[^\W\d_][^\s:：;()\[\]]*+"
#: The start of a line that may be a label: optional ``[timestamp]``, a name of up to three words,
#: an optional ``(note)``, then a separator: ``:``, the fullwidth ``：`` of CJK input methods, or
#: ``;`` (only ever an error). A name holds no separator, so without a ``[`` or ``(`` before it
#: the separator is the line's first. The words and the spaces between them are possessive
#: (``*+``, ``++``): what may follow either is never part of it, so giving characters back could
#: never make a match, and a long line that is not a label fails at once.
_LABEL_PREFIX_RE = re.compile(
    r"(?P<indent>\s*)"
    r"(?:\[(?P<stamp>[^\]\n]*)\]\s*)?"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]++{_NAME_WORD}){{0,2}})"
    r"(?P<note>[ \t]*\([^()\n]*\))?"
    r"[ \t]*(?P<sep>[:：;])"
)
#: What a name may hold besides letters, digits and marks (the spaces and tabs between its words too).
_NAME_PUNCTUATION = frozenset("_'’.- \t")
#: A lone ``[timestamp]`` before a label, used to report malformed stamps on lines that
#: otherwise look like turns.
_STAMP_RE = re.compile(r"^(?:(?P<h>\d{1,3}):)?(?P<m>\d{1,2}):(?P<s>\d{2})(?:[.,](?P<f>\d{1,3}))?$")
_HEADER_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
#: The longest word of a caseless script (Han, Arabic, Thai …) that may be a name outside the cast.
_CASELESS_WORD_MAX = 8


def looks_like_name(name: str) -> bool:
    """True when a label-shaped prefix is plausibly a speaker name, not a clause with a colon.

    Latin names are capitalised word by word (``Joy``, ``Kim Jeong``); Hangul names are
    at most two words of at most five syllables (``조이``, ``김 정열``); a word of a script
    without case (``金正日``, ``سارة``) is at most eight letters. ``So he said:`` stays text.
    A cast member's name is a label whatever its shape: this only judges other names.

    >>> looks_like_name("Jeongyol"), looks_like_name("So he said"), looks_like_name("조이")
    (True, False, True)
    >>> looks_like_name("金正日"), looks_like_name("dasom")
    (True, False)
    """
    words = name.split()
    # (HANGUL_RE finds what is_hangul accepts; an ASCII name has none.)
    if not name.isascii() and all(HANGUL_RE.search(word) for word in words):
        return len(words) <= 2 and all(len(word) <= 5 for word in words)
    return all(
        word[0].isupper() or (not word[0].islower() and len(word) <= _CASELESS_WORD_MAX) for word in words
    )


def _name_chars_ok(name: str) -> bool:
    """True when every character of a name as cut by :data:`_NAME_WORD` may be in a name."""
    return all(
        char.isalnum() or char in _NAME_PUNCTUATION or unicodedata.category(char)[0] == "M" for char in name
    )


def parse_timestamp(stamp: str) -> int | None:
    """Milliseconds of a transcript anchor (``01:23``, ``1:02:03``, ``01:23.5``), or ``None``.

    >>> parse_timestamp("00:01:23"), parse_timestamp("01:23.5"), parse_timestamp("1:99")
    (83000, 83500, None)
    """
    match = _STAMP_RE.match(stamp.strip())
    if not match:
        return None
    hours = int(match["h"] or 0)
    minutes = int(match["m"])
    seconds = int(match["s"])
    if seconds > 59 or (match["h"] is not None and minutes > 59):
        return None
    fraction = match["f"] or ""
    millis = int((fraction + "00")[:3]) if fraction else 0
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def format_timestamp(ms: int) -> str:
    """The anchor text for ``ms`` (milliseconds only when needed).

    >>> format_timestamp(83000), format_timestamp(83500)
    ('00:01:23', '00:01:23.500')
    """
    return format_clock(ms, millis_when_needed=True)


class Cast:
    """The speakers a transcript's header names, looked up the way labels are read."""

    __slots__ = ("_index", "members", "spellings")

    def __init__(self, speakers: Sequence[str] = ()) -> None:
        self.members = tuple(speakers)
        self._index: NameIndex | None = None
        #: name_key -> the header's own spelling (the first, if the header lists one twice)
        self.spellings: dict[str, str] = {}
        for member in self.members:
            self.spellings.setdefault(name_key(member), member)

    def member(self, name: str) -> str | None:
        """The cast member a label's name is (``name`` as :func:`~toolkit.speaker_names.name_key`
        gives it), if any."""
        return self.spellings.get(name)

    def nearest(self, name: str) -> str | None:
        """The cast member a name not in the cast is a near miss of, if any."""
        if not self.members:
            return None
        if self._index is None:  # built once, so a large cast is not compared member by member
            self._index = NameIndex(self.members)
        return suggest_from_index(name, self._index)


def cast_of(header: Sequence[tuple[str, str]]) -> Cast:
    """The cast a transcript header names (as :attr:`Transcript.speakers` reads it)."""
    value = next((value for key, value in header if key == "speakers"), "")
    return Cast(tuple(name.strip() for name in value.split(",") if name.strip()))


@dataclass(frozen=True)
class Label:
    """A label found at the start of a body line.

    ``name`` is the speaker the line starts a turn of. ``code`` is the rule a mis-written
    label breaks (``TRN021``-``TRN023``), ``None`` for a well-formed one.
    """

    name: str
    text: str
    stamp: str | None
    name_column: int
    stamp_column: int
    code: str | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


def match_label(line: str, cast: Sequence[str] | Cast = ()) -> Label | None:
    """The speaker label at the start of one ``line``, read against ``cast`` (may be empty).

    >>> match_label("[01:02] Joy: Hi").name
    'Joy'
    >>> match_label("They said: no") is None
    True
    >>> match_label("dasom:Hi", ["Dasom"]).code
    'TRN021'
    """
    found = _line_label(line, cast if isinstance(cast, Cast) else Cast(cast), {})
    if found is None:
        return None
    name, name_column, text_start, stamp, stamp_column, flag = found
    return Label(
        name, line[text_start:].strip(), stamp, name_column, stamp_column, flag[0] if flag else None
    )


#: A mis-written label: its rule code, the column at fault and the message.
_Flag = tuple[str, int, str]
#: What decides a body line's label: its speaker, the name's column, where the label's text
#: starts, the stamp (or None) with its column (the ``"["`` sits just before the stamp), and the
#: flag of a mis-written label (None when well formed).
_Found = tuple[str, int, int, str | None, int, _Flag | None]
#: :func:`_key_label`'s answer for a line whose label must be read whole: ask :func:`_line_label`.
_WHOLE_LINE: _Found = ("", 0, 0, None, 0, None)
#: :func:`_judge`'s answer: the speaker, and the rule code and message of a mis-written label.
_Judged = tuple[str, str | None, str]
#: What a parse has judged, by (name as cut, note, separator, separator followed by a space).
_Judgements = dict[tuple[str, str | None, str, bool], _Judged | None]
_TEXT_HINT = "if the line is text, start it with '\\'"
#: What may follow a ``:`` for a name outside the cast to be a label: a space, a tab, nothing.
_SPACES = ("", " ", "\t")


def _judge(cut: str, note: str | None, separator: str, spaced: bool, cast: Cast) -> _Judged | None:
    """What a line starting ``cut`` ``note`` ``separator`` is: a turn (of whom, and whether its
    label is mis-written) or text (None). The rules are those of transcripts/README.md, "Labels".
    ``spaced``: the separator is ``：`` or is followed by a space, a tab or the end of the line."""
    name = name_key(cut)
    if not _name_chars_ok(name):
        return None
    member = cast.member(name)
    written = " ".join(cut.split())
    if note is None and separator != ";":
        if member is not None:
            return member, None, ""
        if spaced and looks_like_name(name):
            return name, None, ""  # a name outside the cast: the cast checks report it (TRN001)
        near = cast.nearest(name)
        if near is None:
            return None
        return near, "TRN021", (f"{written + separator!r} starts the line like a label but is not "
                                f"a cast name: did you mean '{near}:'? ({_TEXT_HINT})")
    if note is None:
        near = member or cast.nearest(name)
        if near is None:
            return None
        return near, "TRN022", (f"label {written + separator!r} ends with ';': "
                                f"did you mean '{near}:'? ({_TEXT_HINT})")
    labelled = separator != ";" and spaced and looks_like_name(name)
    speaker = member or cast.nearest(name) or (name if labelled else None)
    if speaker is None:
        return None
    as_written = f"{written} {note.strip()}{separator}"
    return speaker, "TRN023", (f"label {as_written!r} holds a note: a label is a name and a colon; "
                               f"write '{speaker}:' and put the note in the text or drop it ({_TEXT_HINT})")


def _line_label(line: str, cast: Cast, judgements: _Judgements) -> _Found | None:
    """The label at the start of a line (without line breaks), or None when the line is text."""
    match = _LABEL_PREFIX_RE.match(line)
    if match is None:
        return None
    end = match.end()
    stamp, cut, note, separator = match.group("stamp", "name", "note", "sep")
    spaced = separator == "：" or line[end : end + 1] in _SPACES
    key = (cut, note, separator, spaced)
    try:
        judged = judgements[key]
    except KeyError:
        judged = judgements[key] = _judge(cut, note, separator, spaced, cast)
    if judged is None:
        return None
    speaker, code, message = judged
    name_column = match.start("name") + 1
    if code is None:
        return speaker, name_column, end, stamp, match.start("stamp"), None
    if code == "TRN021":
        column = name_column
    elif code == "TRN022":
        column = end
    else:
        column = line.index("(", match.start("note")) + 1
    return speaker, name_column, end, stamp, match.start("stamp"), (code, column, message)


def _key_label(key: str, cast: Cast, judgements: _Judgements) -> _Found | None:
    """The label of any line that starts with ``key``: the line up to a separator and the
    character after it (if any). :data:`_WHOLE_LINE` when a ``"["`` or ``"("`` comes before the
    key's first separator.

    Without a stamp or a note a label's separator is the line's first (neither an indent nor a
    name holds one), and :func:`_line_label` reads nothing after the character that follows it.
    So the key decides, and a parse computes this once per distinct key (one per speaker,
    typically) instead of once per line.
    """
    head = key[: _first_separator(key)]
    if "[" in head or "(" in head:
        return _WHOLE_LINE  # a stamp or a note may hold separators: the first need not be the label's
    return _line_label(key, cast, judgements)


def label_by_key(raw: str, cast: Cast, judgements: _Judgements, key_labels: dict[str, _Found | None],
                 ) -> _Found | None:  # fmt: skip
    """:func:`_line_label` of ``raw`` found as :func:`parse_transcript` finds it: through its key
    (the line up to its first colon, or else its first ``;`` or ``：``, and one character more),
    decided once per distinct key in ``key_labels`` (see :func:`_key_label`), read whole only
    for a line whose key holds a stamp or a note."""
    at = raw.find(":")
    if at < 0:
        at = _first_separator(raw)
    return None if at < 0 else _label_at(raw, at, cast, judgements, key_labels)


def _label_at(raw: str, at: int, cast: Cast, judgements: _Judgements, key_labels: dict[str, _Found | None],
              ) -> _Found | None:  # fmt: skip
    """The label of ``raw``, its key ending at ``at`` (its first colon, or else its first ``;``
    or ``：``): decided once per distinct key (the line up to ``at`` and one character more)
    in ``key_labels``, read whole only when the key says so."""
    key = raw[: at + 2]
    try:
        found = key_labels[key]
    except KeyError:
        found = key_labels[key] = _key_label(key, cast, judgements)
    # (_WHOLE_LINE, told by its empty name, not by `is`: compiled by mypyc, a tuple is unboxed
    # and boxed again, never the same object)
    if found is not None and not found[0]:
        found = _line_label(raw, cast, judgements)
    return found


def _first_separator(line: str) -> int:
    """Where the first ``:``, ``;`` or ``：`` of ``line`` is, or -1 (three quick scans)."""
    at = line.find(":")
    semicolon = line.find(";", 0, at) if at >= 0 else line.find(";")
    if semicolon >= 0:
        at = semicolon
    if not line.isascii():  # (O(1) for a str)
        wide = line.find("：", 0, at) if at >= 0 else line.find("：")
        if wide >= 0:
            at = wide
    return at


def _turn_text(lines: list[str]) -> str:
    """A turn's text from its stripped lines ("" for a blank line): lines joined by ``"\\n"``,
    paragraphs (runs of lines between blank ones) by ``"\\n\\n"``; leading and trailing blanks dropped."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line_text in lines:
        if line_text:
            current.append(line_text)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def _problem(source: str, line: int, column: int, severity: Severity, code: str, message: str) -> Problem:
    return Problem(source, line, column, severity, code, message)


#: A header key at the start of a line ("title: ..."), for the hint of :func:`stray_text_message`.
_HEADER_LIKE_RE = re.compile(r"(title|episode|language|speakers)\s*:", re.IGNORECASE)


def stray_text_message(line: str, has_header: bool) -> str:
    """TRN008's message for ``line``, the first text before any speaker label: a header key
    in a file with no header is a header that lost its ``---`` lines.

    >>> print(stray_text_message("title: Misunderstandings", False))  # doctest: +NORMALIZE_WHITESPACE
    text before the first speaker label: 'title: Misunderstandings' looks like a header line,
    but a header goes between two '---' lines (one above it, one below its last line)
    """
    if not has_header and _HEADER_LIKE_RE.match(line):
        shown = line if len(line) <= 40 else line[:39] + "…"
        return (f"text before the first speaker label: {shown!r} looks like a header line, but a header "
                "goes between two '---' lines (one above it, one below its last line)")
    return "text before the first speaker label (start a turn with 'Name: text')"


def _parse_header(
    lines: list[str], source: str, problems: list[Problem]
) -> tuple[list[tuple[str, str]], dict[str, int], int]:
    """Parse the header block; returns its pairs, their lines, and the first body line index."""
    # Blank lines above the header (a paste, an editor's stray newline) do not hide it.
    opening = 0
    while opening < len(lines) - 1 and not lines[opening].strip():
        opening += 1
    if not lines or lines[opening].strip() != HEADER_FENCE:
        return [], {}, 0
    pairs: list[tuple[str, str]] = []
    key_lines: dict[str, int] = {}
    # The last key's value and continuation lines: joined once, when the key is complete
    # (joining at each line made a header with many continuation lines quadratic).
    parts: list[str] = []
    continued = False

    def close_value() -> None:
        if continued:
            pairs[-1] = (pairs[-1][0], "\n".join(parts))

    for index in range(opening + 1, len(lines)):
        raw = lines[index]
        number = index + 1
        if raw.strip() == HEADER_FENCE:
            close_value()
            return pairs, key_lines, index + 1
        if not raw.strip():
            continue
        if raw[0] in " \t" and pairs:
            parts.append(raw.strip())
            continued = True
            continue
        key, separator, value = raw.partition(":")
        key = key.strip()
        if not separator or not _HEADER_KEY_RE.match(key) or (value and not value.startswith(" ")):
            problems.append(
                _problem(source, number, 1, "error", "TRN005", f"malformed header line {raw.strip()!r}: "
                         "expected 'key: value'")
            )
            continue
        if key in key_lines:
            problems.append(
                _problem(source, number, 1, "error", "TRN013",
                         f"header key {key!r} given twice (first on line {key_lines[key]})")
            )
            continue
        close_value()
        pairs.append((key, value.strip()))
        parts, continued = ([value.strip()] if value.strip() else []), False
        key_lines[key] = number
    close_value()
    problems.append(
        _problem(source, opening + 1, 1, "error", "TRN012",
                 "header opened with '---' is never closed by a '---' line")
    )
    return pairs, key_lines, len(lines)


def parse_header(text: str, source: str = "<string>") -> Transcript:
    """Only the header of a transcript (no turns, no problems): enough to know its episode,
    language and cast when a whole project's transcripts are looked over.

    >>> parse_header("---\\nepisode: ep-1\\nlanguage: ko\\n---\\nJoy: Hi\\n").episode
    'ep-1'
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")  # (the header parser stops at its closing fence)
    header, header_lines, _ = _parse_header(lines, source, [])
    return Transcript(source, tuple(header), (), header_lines)


def parse_transcript(text: str, source: str = "<string>") -> tuple[Transcript, list[Problem]]:
    """Parse transcript text into a :class:`~toolkit.model.Transcript` and the problems met.

    The structural problems are reported here (header, timestamps, text before the
    first turn, empty turns); cast checks live in :mod:`toolkit.validate`.

    >>> transcript, problems = parse_transcript("Joy: Hi\\nthere\\n\\nagain\\nAll: Bye")
    >>> [(turn.speaker, turn.text) for turn in transcript.turns]
    [('Joy', 'Hi\\nthere\\n\\nagain'), ('All', 'Bye')]
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:  # (a quicker scan than the replacements)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    problems: list[Problem] = []
    header, header_lines, body_start = _parse_header(lines, source, problems)

    # Large transcripts are mostly one-line turns by a handful of speakers, so the loop keeps the
    # turn being read in locals (not an object), builds the text only for turns of several lines,
    # and decides a line's label once per distinct start (see _key_label), not by regex per line.
    turns: list[Turn] = []
    append_turn = turns.append
    speaker = ""  # of the turn being read, "" before the first label (a name never is)
    turn_line = label_column = end_line = 0
    turn_anchor: int | None = None
    label_text = ""  # the text after the turn's label
    more: list[str] | None = None  # the turn's stripped text lines, once it has more than its label's
    stray_reported = False
    last_anchor: tuple[int, int] | None = None  # (ms, line)
    key_labels: dict[str, _Found | None] = {}
    judgements: _Judgements = {}
    cast = cast_of(header)
    # Most transcripts have no fullwidth colon, and many no semicolon or backslash: then no line
    # is searched for one.
    any_semicolon = ";" in text
    any_wide = "：" in text
    any_escape = ESCAPE in text

    for number, raw in enumerate(lines[body_start:], body_start + 1):
        # The key: the line up to its first colon and one character more (a ";" or "：" before the
        # colon is found in the key, once per distinct key). A line without a colon is cut after
        # its first ";" or "：" instead; a line without any of them is text.
        at = raw.find(":")
        if at < 0:
            if any_semicolon:
                at = raw.find(";")
            if any_wide and not raw.isascii():
                wide = raw.find("：", 0, at) if at >= 0 else raw.find("：")
                if wide >= 0:
                    at = wide
        # (None: the common continuation line, as every label has its separator)
        found = None if at < 0 else _label_at(raw, at, cast, judgements, key_labels)
        if found is None:
            stripped = raw.strip()
            if speaker:
                if any_escape and stripped[:1] == ESCAPE:
                    stripped = stripped[1:].lstrip()
                if more is None:
                    more = [label_text] if label_text else []
                more.append(stripped)
                if stripped:
                    end_line = number
            elif stripped and not stray_reported:
                problems.append(
                    _problem(source, number, len(raw) - len(raw.lstrip()) + 1, "error", "TRN008",
                             stray_text_message(stripped, body_start > 0))
                )
                stray_reported = True
            continue
        if speaker:  # finish the turn before (as after the loop)
            text = label_text if more is None else _turn_text(more)
            if not text:
                problems.append(
                    _problem(source, turn_line, label_column, "error", "TRN009",
                             f"turn by {speaker} has no text")
                )
            append_turn(new_turn(speaker, text, turn_line, end_line or turn_line, turn_anchor, label_column))
        speaker, label_column, text_start, stamp, stamp_column, flag = found
        if flag is not None:
            problems.append(_problem(source, number, flag[1], "error", flag[0], flag[2]))
        turn_anchor = None
        if stamp is not None:
            turn_anchor = parse_timestamp(stamp)
            if turn_anchor is None:
                problems.append(
                    _problem(source, number, stamp_column, "error", "TRN010",
                             f"malformed timestamp [{stamp}]: expected [hh:mm:ss], [mm:ss] "
                             "or [mm:ss.f]")
                )
            elif last_anchor is not None and turn_anchor <= last_anchor[0]:
                problems.append(
                    _problem(source, number, stamp_column, "error", "TRN011",
                             f"timestamp [{stamp}] is not after the previous one "
                             f"[{format_timestamp(last_anchor[0])}] on line {last_anchor[1]}")
                )
                turn_anchor = None
            else:
                last_anchor = (turn_anchor, number)
        turn_line = number
        label_text = raw[text_start:].strip()
        end_line = number if label_text else 0
        more = None
    if speaker:  # finish the last turn (as in the loop)
        text = label_text if more is None else _turn_text(more)
        if not text:
            problems.append(
                _problem(source, turn_line, label_column, "error", "TRN009", f"turn by {speaker} has no text")
            )
        append_turn(new_turn(speaker, text, turn_line, end_line or turn_line, turn_anchor, label_column))

    transcript = Transcript(
        source=source, header=tuple(header), turns=tuple(turns), header_lines=header_lines
    )
    return transcript, problems
