"""The quick ways through a transcript give exactly what the plain line-by-line parse gives.

:func:`toolkit.transcript.parse_transcript` decides labels once per distinct line start and
keeps the turn being read in locals, for speed on large transcripts. Below is a verbatim copy
(renamed) of the parser as it was before those shortcuts: the reference each test compares the
optimised parser against, on text built to be awkward: headers, stamps good and bad, Hangul and
multi-word names, colons that are not labels, indents, blank lines, CR/CRLF line ends, a BOM.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.limits import HANGUL_RE
from toolkit.model import Problem, Severity, Transcript, Turn, new_turn
from toolkit.timecode import format_clock
from toolkit.transcript import _STAMPED, _key_label, _line_label, match_label, parse_transcript

# ---- The reference: toolkit/transcript.py's parser before the fast paths, names prefixed. ----

_REF_HEADER_FENCE = "---"

#: One word of a speaker name: a letter (any script) then letters, digits, ``'``, ``’``, ``.`` or ``-``.
_REF_NAME_WORD = r"[^\W\d_][\w'’.\-]*"
#: A line that may start a turn: optional ``[timestamp]``, a name of up to three words, a colon
#: followed by a space or the end of the line (so ``10:30`` and ``http://`` never match).
_REF_LABEL_RE = re.compile(
    r"^(?P<indent>\s*)"
    r"(?:\[(?P<stamp>[^\]\n]*)\]\s*)?"
    rf"(?P<name>{_REF_NAME_WORD}(?:[ \t]+{_REF_NAME_WORD}){{0,2}})"
    r"[ \t]*:(?:[ \t]+(?P<text>.*?))?[ \t]*$"
)
#: What :data:`_REF_LABEL_RE` matches up to the colon. The colon's place is fixed (a name cannot
#: hold one), so a line matches :data:`_REF_LABEL_RE` exactly when this matches and the rest of the
#: line is empty or starts with a space or tab; the label's text is then that rest, stripped.
#: Much faster than :data:`_REF_LABEL_RE`'s lazy text group on long lines.
_REF_LABEL_PREFIX_RE = re.compile(
    r"(?P<indent>\s*)"
    r"(?:\[(?P<stamp>[^\]\n]*)\]\s*)?"
    rf"(?P<name>{_REF_NAME_WORD}(?:[ \t]+{_REF_NAME_WORD}){{0,2}})"
    r"[ \t]*:"
)
#: A lone ``[timestamp]`` before a label, used to report malformed stamps on lines that
#: otherwise look like turns.
_REF_STAMP_RE = re.compile(r"^(?:(?P<h>\d{1,3}):)?(?P<m>\d{1,2}):(?P<s>\d{2})(?:[.,](?P<f>\d{1,3}))?$")
_REF_HEADER_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _ref_looks_like_name(name: str) -> bool:
    """True when a label-shaped prefix is plausibly a speaker name, not a clause with a colon.

    Latin names are capitalised word by word (``Joy``, ``Kim Jeong``); Hangul names are
    at most two words of at most five syllables (``조이``, ``김 정열``). ``So he said:``
    stays text.

    >>> _ref_looks_like_name("Jeongyol"), _ref_looks_like_name("So he said"), _ref_looks_like_name("조이")
    (True, False, True)
    """
    words = name.split()
    # (HANGUL_RE finds what is_hangul accepts; an ASCII name has none.)
    if not name.isascii() and all(HANGUL_RE.search(word) for word in words):
        return len(words) <= 2 and all(len(word) <= 5 for word in words)
    return all(word[0].isupper() for word in words)


def _ref_parse_timestamp(stamp: str) -> int | None:
    """Milliseconds of a transcript anchor (``01:23``, ``1:02:03``, ``01:23.5``), or ``None``.

    >>> _ref_parse_timestamp("00:01:23"), _ref_parse_timestamp("01:23.5"), _ref_parse_timestamp("1:99")
    (83000, 83500, None)
    """
    match = _REF_STAMP_RE.match(stamp.strip())
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


def _ref_format_timestamp(ms: int) -> str:
    """The anchor text for ``ms`` (milliseconds only when needed).

    >>> _ref_format_timestamp(83000), _ref_format_timestamp(83500)
    ('00:01:23', '00:01:23.500')
    """
    return format_clock(ms, millis_when_needed=True)


def _ref_label_match(line: str) -> tuple[re.Match[str], str] | None:
    """The regex match (groups ``name`` and ``stamp``) and the stripped text of a line that
    starts a turn, else None: what :data:`_REF_LABEL_RE` and :func:`_ref_looks_like_name` decide."""
    if ":" not in line:
        return None  # the common continuation line: every label has its colon
    if "\n" in line:  # never in a transcript's lines; _REF_LABEL_RE's rules for line breaks apply
        match = _REF_LABEL_RE.match(line)
        if match is None or not _ref_looks_like_name(match["name"]):
            return None
        return match, (match["text"] or "").strip()
    match = _REF_LABEL_PREFIX_RE.match(line)
    if match is None or line[match.end() : match.end() + 1] not in ("", " ", "\t"):
        return None
    if not _ref_looks_like_name(match["name"]):
        return None
    return match, line[match.end() :].strip()


class _RefTurnBuilder:
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


def _ref_problem(source: str, line: int, column: int, severity: Severity, code: str, message: str) -> Problem:
    return Problem(source, line, column, severity, code, message)


def _ref_parse_header(
    lines: list[str], source: str, problems: list[Problem]
) -> tuple[list[tuple[str, str]], dict[str, int], int]:
    """Parse the header block; returns its pairs, their lines, and the first body line index."""
    if not lines or lines[0].strip() != _REF_HEADER_FENCE:
        return [], {}, 0
    pairs: list[tuple[str, str]] = []
    key_lines: dict[str, int] = {}
    for index in range(1, len(lines)):
        raw = lines[index]
        number = index + 1
        if raw.strip() == _REF_HEADER_FENCE:
            return pairs, key_lines, index + 1
        if not raw.strip():
            continue
        if raw[0] in " \t" and pairs:
            key, value = pairs[-1]
            pairs[-1] = (key, f"{value}\n{raw.strip()}" if value else raw.strip())
            continue
        key, separator, value = raw.partition(":")
        key = key.strip()
        if not separator or not _REF_HEADER_KEY_RE.match(key) or (value and not value.startswith(" ")):
            problems.append(
                _ref_problem(source, number, 1, "error", "TRN005", f"malformed header line {raw.strip()!r}: "
                         "expected 'key: value'")
            )
            continue
        if key in key_lines:
            problems.append(
                _ref_problem(source, number, 1, "error", "TRN013",
                         f"header key {key!r} given twice (first on line {key_lines[key]})")
            )
            continue
        pairs.append((key, value.strip()))
        key_lines[key] = number
    problems.append(
        _ref_problem(source, 1, 1, "error", "TRN012",
                     "header opened with '---' is never closed by a '---' line")
    )
    return pairs, key_lines, len(lines)


def _reference_parse_transcript(text: str, source: str = "<string>") -> tuple[Transcript, list[Problem]]:
    """Parse transcript text into a :class:`~toolkit.model.Transcript` and the problems met.

    The structural problems are reported here (header, timestamps, text before the
    first turn, empty turns); cast checks live in :mod:`toolkit.validate`.

    >>> transcript, problems = _reference_parse_transcript("Joy: Hi\\nthere\\n\\nagain\\nAll: Bye")
    >>> [(turn.speaker, turn.text) for turn in transcript.turns]
    [('Joy', 'Hi\\nthere\\n\\nagain'), ('All', 'Bye')]
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    problems: list[Problem] = []
    header, header_lines, body_start = _ref_parse_header(lines, source, problems)

    turns: list[Turn] = []
    current: _RefTurnBuilder | None = None
    stray_reported = False
    last_anchor: tuple[int, int] | None = None  # (ms, line)

    def finish() -> None:
        if current is None:
            return
        turn = current.build()
        if not turn.text:
            problems.append(
                _ref_problem(source, turn.line, turn.label_column, "error", "TRN009",
                         f"turn by {turn.speaker} has no text")
            )
        turns.append(turn)

    for index in range(body_start, len(lines)):
        raw = lines[index]
        number = index + 1
        found = _ref_label_match(raw)  # what match_label finds, without building a Label
        if found is None:
            stripped = raw.strip()
            if current is not None:
                current.add(stripped, number)
            elif stripped and not stray_reported:
                problems.append(
                    _ref_problem(source, number, len(raw) - len(raw.lstrip()) + 1, "error", "TRN008",
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
            anchor_ms = _ref_parse_timestamp(stamp)
            if anchor_ms is None:
                problems.append(
                    _ref_problem(source, number, stamp_column, "error", "TRN010",
                             f"malformed timestamp [{stamp}]: expected [hh:mm:ss], [mm:ss] "
                             "or [mm:ss.f]")
                )
            elif last_anchor is not None and anchor_ms <= last_anchor[0]:
                problems.append(
                    _ref_problem(source, number, stamp_column, "error", "TRN011",
                             f"timestamp [{stamp}] is not after the previous one "
                             f"[{_ref_format_timestamp(last_anchor[0])}] on line {last_anchor[1]}")
                )
                anchor_ms = None
            else:
                last_anchor = (anchor_ms, number)
        current = _RefTurnBuilder(" ".join(label["name"].split()), number, label.start("name") + 1, anchor_ms)
        if label_text:
            current.add(label_text, number)
    finish()

    transcript = Transcript(
        source=source, header=tuple(header), turns=tuple(turns), header_lines=header_lines
    )
    return transcript, problems


# ---- Awkward transcripts. ----

_NAMES = [
    "Joy", "Jeongyol", "All", "Kim Jeong", "Kim  Jeong\tYol", "Kim Jeong Yol Lee", "O'Brien", "Dr. Kim",
    "Anne-Marie", "조이", "김 정열", "김 정열 님", "조이조이조이", "So he said", "joy", "J0y", "Joy2", "_Joy",
    "Ünal", "Joy [laughs]", "[00:01] Joy",
]
_STAMPS = [
    "", "", "", "[00:01:23] ", "[01:25.5] ", "[00:00:04]", "[1:02:03]\t", "[1:99] ", "[] ", "[ab:cd] ",
    "[00:00:01] ", "[99:00:00] ", "[01:25,50] ", "[ 00:02:00 ] ", "[00:01:23]  ", "[00:0\x0b1]",
]
_SEPARATORS = [": ", ": ", ":", ":  ", ":\t", " : ", "\t:", ":x", "::", ": :", ":\u00a0", ":\u3000"]
_TEXTS = [
    "Hi", "Welcome to the Red Box!", "", "  spaced  ", "So he said: no", "10:30", "http://example.org",
    "안녕하세요", "[laughs]", "a: b: c", "Joy: again", "\u2028", "tail \t",
]
_INDENTS = ["", "", "", " ", "  ", "\t", "\u3000", "\x0c"]
_OTHER_LINES = [
    "", "", "", "   ", "\t", "continuation", "  indented text", "So he said: no", "10:30", "12:00: lunch",
    "---", "[00:01:23]", "[00:01:23] ", "Joy [laughs]: hi", "title: x", "http://x", ":", ": Joy", "Joy:Bob",
    "조이: 안녕", "Joy", "\u2029", "\x1c",
]


@st.composite
def _label_lines(draw: st.DrawFn) -> str:
    return "".join(
        draw(st.sampled_from(options)) for options in (_INDENTS, _STAMPS, _NAMES, _SEPARATORS, _TEXTS)
    )


_FREE_TEXT = st.text(alphabet=" \t:[]Jjoy조이.-'0129\u00a0\u2028\x0b", max_size=14)
_BODY_LINES = st.one_of(_label_lines(), _label_lines(), st.sampled_from(_OTHER_LINES), _FREE_TEXT)
_HEADER_LINES = st.sampled_from(
    [
        "title: The Red Box: Misunderstandings", "episode: ep", "language: en", "speakers: All, Joy",
        "  continued value", "\tmore", "", "bad line", "title: again", "key:novalue", "key:", "9key: x",
    ]
)


@st.composite
def transcript_texts(draw: st.DrawFn) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["---", "---", " --- ", "---\t"])))
        lines.extend(draw(st.lists(_HEADER_LINES, max_size=5)))
        if draw(st.integers(0, 5)):  # now and then a header never closed
            lines.append("---")
    lines.extend(draw(st.lists(_BODY_LINES, max_size=14)))
    ends = draw(st.lists(st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"]), min_size=len(lines)))
    text = "".join(line + end for line, end in zip(lines, ends, strict=False))
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    if draw(st.integers(0, 4)) == 0:
        text = "\ufeff" + text
    return text


_Parse = Callable[[str, str], tuple[Transcript, list[Problem]]]
_Fields = list[dict[str, tuple[type[object], object]]]


def _parsed(parse: _Parse, text: str) -> tuple[Transcript, list[Problem], _Fields]:
    transcript, problems = parse(text, "ep.txt")
    # Turn values are compared field by field too, so a field of another type (1 vs True) shows.
    fields = [{key: (type(value), value) for key, value in vars(turn).items()} for turn in transcript.turns]
    return transcript, problems, fields


@settings(max_examples=600, deadline=None)
@given(transcript_texts())
def test_parse_is_that_of_the_reference(text: str) -> None:
    assert _parsed(parse_transcript, text) == _parsed(_reference_parse_transcript, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FREE_TEXT, max_size=8).map("\n".join))
def test_parse_of_any_text_is_that_of_the_reference(text: str) -> None:
    assert _parsed(parse_transcript, text) == _parsed(_reference_parse_transcript, text)


@settings(max_examples=600, deadline=None)
@given(st.one_of(_label_lines(), _FREE_TEXT, st.sampled_from(_OTHER_LINES)))
def test_a_line_start_decides_its_label_as_the_whole_line_does(line: str) -> None:
    colon = line.find(":")
    expected = _ref_label_match(line)
    label = match_label(line)  # the public answer, the same way
    if expected is None:
        assert label is None
    else:
        match, text = expected
        assert label is not None
        assert label.name == " ".join(match["name"].split())
        assert (label.text, label.stamp) == (text, match["stamp"])
        assert (label.name_column, label.stamp_column) == (match.start("name") + 1, match.start("stamp"))
    if colon < 0:
        assert expected is None
        return
    found = _key_label(line[: colon + 2], {})
    if found is _STAMPED:  # the line is decided as a whole
        found = _line_label(line, {})
    if expected is None:
        assert found is None
    else:
        match, text = expected
        assert found is not None
        assert found[0] == " ".join(match["name"].split())
        assert found[1] == match.start("name") + 1
        assert line[found[2] :].strip() == text
        assert found[3] == match["stamp"]
        if match["stamp"] is not None:
            assert found[4] == match.start("stamp")


def test_a_long_transcript_is_parsed_as_by_the_reference() -> None:
    names = ["Joy", "Jeongyol", "조이", "Kim Jeong", "All"]
    lines = ["---", "title: Long", "speakers: Joy, Jeongyol", "---"]
    for index in range(3000):
        name = names[index % len(names)]
        if index % 97 == 0:
            lines.append(f"[{index // 60:02d}:{index % 60:02d}] {name}: stamped {index}")
        elif index % 89 == 0:
            lines.extend([f"{name}:", f"line {index}", "", "So he said: no", ""])
        else:
            lines.append(f"{name}: turn {index}")
    text = "\r\n".join(lines) + "\r\n"
    assert _parsed(parse_transcript, text) == _parsed(_reference_parse_transcript, text)


def test_new_turn_is_the_constructor_field_for_field() -> None:
    made = new_turn("Joy", "Hi", 3, 4, 1500, 9)
    built = Turn("Joy", "Hi", 3, 4, 1500, 9)
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert vars(made) == vars(built)  # every field, and nothing else
    assert [field.name for field in dataclasses.fields(Turn)] == list(vars(made))
    assert not hasattr(Turn, "__post_init__")  # new_turn would skip it
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.text = "changed"  # type: ignore[misc]
