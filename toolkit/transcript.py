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
from toolkit.model import Problem, Severity, Transcript, Turn
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
    found = _label_match(line)
    if found is None:
        return None
    match, text = found
    return Label(
        name=" ".join(match["name"].split()),
        text=text,
        stamp=match["stamp"],
        name_column=match.start("name") + 1,
        stamp_column=match.start("stamp"),  # the "[" sits just before the stamp
    )


def _label_match(line: str) -> tuple[re.Match[str], str] | None:
    """The regex match (groups ``name`` and ``stamp``) and the stripped text of a line that
    starts a turn, else None: what :data:`LABEL_RE` and :func:`looks_like_name` decide."""
    if ":" not in line:
        return None  # the common continuation line: every label has its colon
    if "\n" in line:  # never in a transcript's lines; LABEL_RE's rules for line breaks apply
        match = LABEL_RE.match(line)
        if match is None or not looks_like_name(match["name"]):
            return None
        return match, (match["text"] or "").strip()
    match = _LABEL_PREFIX_RE.match(line)
    if match is None or line[match.end() : match.end() + 1] not in ("", " ", "\t"):
        return None
    if not looks_like_name(match["name"]):
        return None
    return match, line[match.end() :].strip()


class _TurnBuilder:
    """A turn being read: its label, then its text lines (stripped; "" for a blank line)."""

    __slots__ = ("anchor_ms", "end_line", "label_column", "line", "lines", "speaker")

    def __init__(self, speaker: str, line: int, label_column: int, anchor_ms: int | None) -> None:
        self.speaker = speaker
        self.line = line
        self.label_column = label_column
        self.anchor_ms = anchor_ms
        self.lines: list[str] = []
        self.end_line = 0

    def add(self, text: str, line_number: int) -> None:
        self.lines.append(text)
        if text:
            self.end_line = line_number

    def build(self) -> Turn:
        if len(self.lines) == 1:
            text = self.lines[0]  # the usual one-line turn: one paragraph (or none)
        else:
            while self.lines and not self.lines[-1]:
                self.lines.pop()
            paragraphs: list[str] = []
            current: list[str] = []
            for line_text in self.lines:
                if line_text:
                    current.append(line_text)
                elif current:
                    paragraphs.append("\n".join(current))
                    current = []
            if current:
                paragraphs.append("\n".join(current))
            text = "\n\n".join(paragraphs)
        end_line = self.end_line or self.line
        return Turn(self.speaker, text, self.line, end_line, self.anchor_ms, self.label_column)


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
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    problems: list[Problem] = []
    header, header_lines, body_start = _parse_header(lines, source, problems)

    turns: list[Turn] = []
    current: _TurnBuilder | None = None
    stray_reported = False
    last_anchor: tuple[int, int] | None = None  # (ms, line)

    def finish() -> None:
        if current is None:
            return
        turn = current.build()
        if not turn.text:
            problems.append(
                _problem(source, turn.line, turn.label_column, "error", "TRN009",
                         f"turn by {turn.speaker} has no text")
            )
        turns.append(turn)

    for index in range(body_start, len(lines)):
        raw = lines[index]
        number = index + 1
        found = _label_match(raw)  # what match_label finds, without building a Label
        if found is None:
            stripped = raw.strip()
            if current is not None:
                current.add(stripped, number)
            elif stripped and not stray_reported:
                problems.append(
                    _problem(source, number, len(raw) - len(raw.lstrip()) + 1, "error", "TRN008",
                             "text before the first speaker label (start a turn with 'Name: text')")
                )
                stray_reported = True
            continue
        finish()
        label, label_text = found
        stamp = label["stamp"]
        anchor_ms: int | None = None
        if stamp is not None:
            stamp_column = label.start("stamp")
            anchor_ms = parse_timestamp(stamp)
            if anchor_ms is None:
                problems.append(
                    _problem(source, number, stamp_column, "error", "TRN010",
                             f"malformed timestamp [{stamp}]: expected [hh:mm:ss], [mm:ss] "
                             "or [mm:ss.f]")
                )
            elif last_anchor is not None and anchor_ms <= last_anchor[0]:
                problems.append(
                    _problem(source, number, stamp_column, "error", "TRN011",
                             f"timestamp [{stamp}] is not after the previous one "
                             f"[{format_timestamp(last_anchor[0])}] on line {last_anchor[1]}")
                )
                anchor_ms = None
            else:
                last_anchor = (anchor_ms, number)
        current = _TurnBuilder(" ".join(label["name"].split()), number, label.start("name") + 1, anchor_ms)
        if label_text:
            current.add(label_text, number)
    finish()

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
