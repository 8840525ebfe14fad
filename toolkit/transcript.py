"""The transcript format: parsing and writing.

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
``[mm:ss.f]`` before a label anchors the turn in time. The full description lives in
``transcripts/README.md``.

Parsing never raises for content problems: it returns the transcript it could read
plus every :class:`~toolkit.model.Problem` it met, each with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.limits import HANGUL_RE
from toolkit.model import Problem, Severity, Transcript, Turn, new_turn
from toolkit.timecode import format_clock

HEADER_FENCE = "---"

#: One word of a speaker name: a letter (any script) then letters, digits, ``'``, ``’``, ``.`` or ``-``.
_NAME_WORD = r"[^\W\d_][\w'’.\-]*"
#: A line that may start a turn: optional ``[timestamp]``, a name of up to three words, a colon
#: followed by a space or the end of the line (so ``10:30`` and ``http://`` never match).
LABEL_RE = re.compile(
    r"^(?P<indent>\s*)"
    r"(?:\[(?P<stamp>[^\]\n]*)\]\s*)?"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})"
    r"[ \t]*:(?:[ \t]+(?P<text>.*?))?[ \t]*$"
)
#: What :data:`LABEL_RE` matches up to the colon. The colon's place is fixed (a name cannot
#: hold one), so a line matches :data:`LABEL_RE` exactly when this matches and the rest of the
#: line is empty or starts with a space or tab; the label's text is then that rest, stripped.
#: Much faster than :data:`LABEL_RE`'s lazy text group on long lines.
_LABEL_PREFIX_RE = re.compile(
    r"(?P<indent>\s*)"
    r"(?:\[(?P<stamp>[^\]\n]*)\]\s*)?"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})"
    r"[ \t]*:"
)
#: A lone ``[timestamp]`` before a label, used to report malformed stamps on lines that
#: otherwise look like turns.
_STAMP_RE = re.compile(r"^(?:(?P<h>\d{1,3}):)?(?P<m>\d{1,2}):(?P<s>\d{2})(?:[.,](?P<f>\d{1,3}))?$")
_HEADER_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def looks_like_name(name: str) -> bool:
    """True when a label-shaped prefix is plausibly a speaker name, not a clause with a colon.

    Latin names are capitalised word by word (``Joy``, ``Kim Jeong``); Hangul names are
    at most two words of at most five syllables (``조이``, ``김 정열``). ``So he said:``
    stays text.

    >>> looks_like_name("Jeongyol"), looks_like_name("So he said"), looks_like_name("조이")
    (True, False, True)
    """
    words = name.split()
    # (HANGUL_RE finds what is_hangul accepts; an ASCII name has none.)
    if not name.isascii() and all(HANGUL_RE.search(word) for word in words):
        return len(words) <= 2 and all(len(word) <= 5 for word in words)
    return all(word[0].isupper() for word in words)


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


@dataclass(frozen=True)
class Label:
    """A label found at the start of a body line."""

    name: str
    text: str
    stamp: str | None
    name_column: int
    stamp_column: int


def match_label(line: str) -> Label | None:
    """The speaker label at the start of ``line``, if it has one that looks like a name.

    >>> match_label("[01:02] Joy: Hi").name
    'Joy'
    >>> match_label("They said: no") is None
    True
    """
    if "\n" in line:  # never in a transcript's lines; LABEL_RE's rules for line breaks apply
        match = LABEL_RE.match(line)
        if match is None or not looks_like_name(match["name"]):
            return None
        name, text = " ".join(match["name"].split()), (match["text"] or "").strip()
        return Label(name, text, match["stamp"], match.start("name") + 1, match.start("stamp"))
    found = _line_label(line, {})
    if found is None:
        return None
    name, name_column, text_start, stamp, stamp_column = found
    return Label(name, line[text_start:].strip(), stamp, name_column, stamp_column)


#: What decides a body line's label: its speaker, the name's column, where the label's text
#: starts, and the stamp (or None) with its column (the ``"["`` sits just before the stamp).
_Found = tuple[str, int, int, str | None, int]
#: :func:`_key_label`'s answer for a line that may have a stamp: ask :func:`_line_label`.
_STAMPED: _Found = ("", 0, 0, None, 0)


def _name_of(matched: str, names: dict[str, str | None]) -> str | None:
    """The speaker for a name as :data:`LABEL_RE` matched it, or None when it does not
    :func:`looks_like_name`; remembered in ``names`` (a parse meets few distinct names)."""
    try:
        return names[matched]
    except KeyError:
        name = names[matched] = " ".join(matched.split()) if looks_like_name(matched) else None
        return name


def _line_label(line: str, names: dict[str, str | None]) -> _Found | None:
    """The label at the start of a line (without line breaks), or None: what :data:`LABEL_RE`
    and :func:`looks_like_name` decide.

    :data:`_LABEL_PREFIX_RE` reads the line up to the label's colon; :data:`LABEL_RE` then only
    asks that the colon end the line or be followed by a space or tab.
    """
    match = _LABEL_PREFIX_RE.match(line)
    if match is None:
        return None
    end = match.end()
    if line[end : end + 1] not in ("", " ", "\t"):
        return None
    name = _name_of(match["name"], names)
    if name is None:
        return None
    return name, match.start("name") + 1, end, match["stamp"], match.start("stamp")


def _key_label(key: str, names: dict[str, str | None]) -> _Found | None:
    """The label of any line that starts with ``key``: the line up to its first colon and the
    character after it (if any). :data:`_STAMPED` when ``key`` holds a ``"["`` before its colon.

    Without a stamp a label's colon is the line's first (neither an indent nor a name holds
    one), and :func:`_line_label` reads nothing after the character that follows it. So the
    key decides, and a parse computes this once per distinct key (one per speaker, typically)
    instead of once per line.
    """
    if "[" in key[: key.index(":")]:
        return _STAMPED  # a stamp may hold colons: the first one need not be the label's
    return _line_label(key, names)


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


def _parse_header(
    lines: list[str], source: str, problems: list[Problem]
) -> tuple[list[tuple[str, str]], dict[str, int], int]:
    """Parse the header block; returns its pairs, their lines, and the first body line index."""
    if not lines or lines[0].strip() != HEADER_FENCE:
        return [], {}, 0
    pairs: list[tuple[str, str]] = []
    key_lines: dict[str, int] = {}
    for index in range(1, len(lines)):
        raw = lines[index]
        number = index + 1
        if raw.strip() == HEADER_FENCE:
            return pairs, key_lines, index + 1
        if not raw.strip():
            continue
        if raw[0] in " \t" and pairs:
            key, value = pairs[-1]
            pairs[-1] = (key, f"{value}\n{raw.strip()}" if value else raw.strip())
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
        pairs.append((key, value.strip()))
        key_lines[key] = number
    problems.append(
        _problem(source, 1, 1, "error", "TRN012", "header opened with '---' is never closed by a '---' line")
    )
    return pairs, key_lines, len(lines)


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
    names: dict[str, str | None] = {}  # a name as matched -> the speaker, or None if no name

    for number, raw in enumerate(lines[body_start:], body_start + 1):
        colon = raw.find(":")
        if colon < 0:
            found = None  # the common continuation line: every label has its colon
        else:
            key = raw[: colon + 2]
            try:
                found = key_labels[key]
            except KeyError:
                found = key_labels[key] = _key_label(key, names)
            if found is _STAMPED:
                found = _line_label(raw, names)
        if found is None:
            stripped = raw.strip()
            if speaker:
                if more is None:
                    more = [label_text] if label_text else []
                more.append(stripped)
                if stripped:
                    end_line = number
            elif stripped and not stray_reported:
                problems.append(
                    _problem(source, number, len(raw) - len(raw.lstrip()) + 1, "error", "TRN008",
                             "text before the first speaker label (start a turn with 'Name: text')")
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
        speaker, label_column, text_start, stamp, stamp_column = found
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


def format_transcript(transcript: Transcript) -> str:
    """Write a transcript in the documented format (the inverse of :func:`parse_transcript`).

    Each turn is written ``Name: first line``; later lines follow unlabelled and a
    paragraph break is a blank line. Multi-line header values continue on lines
    indented by two spaces.

    >>> print(format_transcript(parse_transcript("Joy:\\nHi")[0]), end="")
    Joy: Hi
    """
    out: list[str] = []
    if transcript.header:
        out.append(HEADER_FENCE)
        for key, value in transcript.header:
            first, *rest = value.split("\n")
            out.append(f"{key}: {first}".rstrip())
            out.extend(f"  {line}" for line in rest if line.strip())
        out.append(HEADER_FENCE)
    for turn in transcript.turns:
        stamp = f"[{format_timestamp(turn.anchor_ms)}] " if turn.anchor_ms is not None else ""
        first, *rest = turn.text.split("\n")
        out.append(f"{stamp}{turn.speaker}: {first}".rstrip())
        out.extend(rest)
    return "\n".join(out) + "\n"
