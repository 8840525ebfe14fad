"""Gettext catalogs of transcripts: extract, init, update, compile, stats and translate.

Pure: everything works on :class:`PoFile` objects, ``str`` and ``bytes``; the CLI reads
and writes the files. The layout is ``locales/<episode>.pot`` and
``locales/<lang>/LC_MESSAGES/<episode>.po`` (and ``.mo``).

Messages: one per speaker name (``msgctxt "speaker"``), one for the episode title
(``msgctxt "title"``) and one per turn, whose ``msgctxt`` is ``<episode>/<turn id>``.
A turn id is a short hash of the turn's speaker and text when the turn first appears,
and is then carried forward by aligning the new transcript with the previous template
(see ``locales/README.md``). ``update`` merges by that id only: no text similarity is
ever used to pick a translation for a line.

Why not Babel's reader and writer (Babel is used for locales and plural forms): Babel
drops unknown headers such as ``X-Generator``, cannot read or safely write ``#|``
previous msgids, flags ``100%`` as ``python-format``, and writes MO files whose
msgctxt entries GNU libintl cannot find. The small codec here avoids all four.

Speed (``redbox catalog update`` of 20,000 messages in under a second of CPU): the
usual message shape is read a whole message per regular-expression match, a template's
turns in one pass, and the translation is written into the template's already encoded
messages; every such fast path falls back to the general code for any other input and
is checked against it with Hypothesis (``tests/test_catalog_fast_paths.py``).
"""

from __future__ import annotations

import bisect
import difflib
import gc
import hashlib
import re
import struct
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

from toolkit.errors import CatalogError
from toolkit.model import Problem, Transcript, Turn
from toolkit.timecode import format_clock

if TYPE_CHECKING:
    from babel import Locale

SPEAKER_CONTEXT = "speaker"
TITLE_CONTEXT = "title"
#: The date written into the ``PO-Revision-Date`` of a catalog nobody has translated yet.
PLACEHOLDER_DATE = "YEAR-MO-DA HO:MI+ZONE"
#: Two texts of one speaker this similar (0–1, by words) near the same place are one turn, edited.
#: (0.6 is also msgmerge's threshold; one word changed in a four-word line scores 0.75.)
EDIT_SIMILARITY = 0.6
#: With different speakers the text must be nearly the same (a corrected speaker label).
RELABEL_SIMILARITY = 0.9
#: At most this many vanished old turns, nearest first, are compared with one unmatched new turn.
EDIT_CANDIDATES = 16
PREFILL_COMMENT = "redbox: pre-filled from the identical line {context}; check it, then clear fuzzy"


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building large catalogs.

    Reading or merging 20,000 messages allocates hundreds of thousands of objects and
    none of them form cycles; without the pause the collector rescans them over and
    over, about a third of the CPU time of ``redbox catalog update`` at that size.
    On the way out the survivors go straight to the oldest generation (``freeze`` then
    ``unfreeze``), so the next young collection does not scan them all at once either.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


@dataclass(slots=True)
class PoEntry:
    """One message of a PO file (active or obsolete), in the file's own terms."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: list[str] = field(default_factory=list)
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    #: The line of the ``msgid`` keyword in the file read (0 for messages made in memory).
    line: int = 0

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """True when every msgstr is filled in (fuzzy or not)."""
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural)
        return bool(self.msgstr)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def comment(self, name: str) -> str:
        """The value of an extracted ``#. name: value`` comment ("" when absent).

        >>> PoEntry("Hi", extracted_comments=["speaker: Joy"]).comment("speaker")
        'Joy'
        """
        prefix = f"{name}: "
        for comment in self.extracted_comments:
            if comment.startswith(prefix):
                return comment[len(prefix) :]
        return ""


@dataclass(slots=True)
class PoFile:
    """A whole PO or POT file: header entry, messages in file order, obsolete ``#~`` entries."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    header_comments: list[str] = field(default_factory=list)
    header_flags: list[str] = field(default_factory=list)
    entries: list[PoEntry] = field(default_factory=list)
    obsolete: list[PoEntry] = field(default_factory=list)
    header_line: int = 0

    def header(self, name: str) -> str:
        """A header field's value ("" when absent), name matched case-insensitively."""
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return ""

    def set_header(self, name: str, value: str) -> None:
        """Set a header field in place, or append it when it is new."""
        lowered = name.lower()
        for index, (key, _) in enumerate(self.headers):
            if key.lower() == lowered:
                self.headers[index] = (key, value)
                return
        self.headers.append((name, value))

    @property
    def language(self) -> str:
        return self.header("Language")

    def turn_entries(self) -> list[PoEntry]:
        """The active turn messages, in file order."""
        return [entry for entry in self.entries if is_turn_context(entry.msgctxt)]


def is_turn_context(context: str | None) -> bool:
    """True for a turn message's ``msgctxt`` (``<episode>/<id>``)."""
    return context is not None and "/" in context


# --------------------------------------------------------------------------- PO codec

_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPE_PATTERN = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]+)|(.))", re.DOTALL)
_STRING_PATTERN = re.compile(r'"((?:[^"\\]|\\.)*)"\s*$')
_KEYWORDS = frozenset({"msgctxt", "msgid", "msgid_plural", "msgstr"})
_KEYWORD_PATTERN = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)$")
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
#: One string without escapes on its own line: the quotes, nothing after them (captured, or not).
_PLAIN_STRING = r'"([^"\\\n]*+)"\n'
_ANY_PLAIN_STRING = r'"[^"\\\n]*+"\n'
#: One string on its own line, captured, that may still hold a quote or a backslash: the caller
#: checks (``[^\n]`` is scanned several times faster than ``[^"\\\n]``, on the long strings).
_LINE_STRING = r'"([^\n]*)"\n'
#: The comment lines of a message in their usual order: translator, extracted, references, flags.
_TRANSLATOR_LINES = r"(?:#(?:[^.:,|~\n][^\n]*+)?\n)*+"
_EXTRACTED_LINES = r"(?:#\.[^\n]*+\n)*+"
_REFERENCE_LINES = r"(?:#:[^\n]*+\n)*+"
_FLAG_LINES = r"(?:#,[^\n]*+\n)*+"
#: A whole active message in the shape redbox and msgcat write: comments in the usual order,
#: one-line strings without escapes, then a blank line or the end of the file. Read in one
#: step it gives the same entry as the line-by-line reader, which takes every other shape
#: (and so reports every error). Possessive quantifiers: no line can be given back usefully.
#: Its msgctxt, msgid and msgstr may still hold a quote or backslash (see _LINE_STRING): such a
#: message is not in the shape after all.
_SIMPLE_ENTRY = re.compile(
    rf"({_TRANSLATOR_LINES})({_EXTRACTED_LINES})({_REFERENCE_LINES})({_FLAG_LINES})"
    rf"(?:#\| msgctxt {_PLAIN_STRING})?"
    rf"(?:#\| msgid {_PLAIN_STRING})?"
    rf"(?:msgctxt {_LINE_STRING})?"
    rf"msgid {_LINE_STRING}"
    rf"msgstr {_LINE_STRING}"
    r"(?:\n|\Z)"
)
#: The same message, capturing all of it, then its extracted comments, msgctxt and msgid.
_TURN_FIELDS = re.compile(
    rf"({_TRANSLATOR_LINES}({_EXTRACTED_LINES}){_REFERENCE_LINES}{_FLAG_LINES}"
    rf"(?:#\| msgctxt {_ANY_PLAIN_STRING})?"
    rf"(?:#\| msgid {_ANY_PLAIN_STRING})?"
    rf"(?:msgctxt {_LINE_STRING})?"
    rf"msgid {_LINE_STRING}"
    rf"msgstr {_ANY_PLAIN_STRING}"
    r"(?:\n|\Z))"
)
_WRITE_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}


_ESCAPE_TABLE: dict[int, str] = {code: f"\\{code:03o}" for code in [*range(0x20), 0x7F]}
_ESCAPE_TABLE.update({ord(char): escaped for char, escaped in _WRITE_ESCAPES.items()})


def unescape(literal: str, source: str = "", line: int = 0) -> str:
    r"""The value of a PO string literal's contents (without the quotes).

    >>> unescape(r'say \"hi\"\n')
    'say "hi"\n'
    """
    if "\\" not in literal:
        return literal

    def decode(match: re.Match[str]) -> str:
        octal, hexadecimal, char = match.groups()
        if octal is not None:
            return chr(int(octal, 8))
        if hexadecimal is not None:
            return chr(int(hexadecimal, 16))
        if char in _ESCAPES:
            return _ESCAPES[char]
        raise CatalogError(f"unknown escape sequence \\{char} in a string", source, line)

    return _ESCAPE_PATTERN.sub(decode, literal)


def needs_escape(text: str) -> bool:
    r"""True when ``text`` holds a character a PO string literal writes escaped (``\``, ``"``, a control).

    >>> needs_escape("100% sure"), needs_escape('say "hi"'), needs_escape("a\tb")
    (False, True, True)
    """
    # str.isprintable rejects every control character and scans much faster than a
    # character-class regex; only text it rejects for another reason (a no-break space,
    # say) needs the exact test.
    if text.isprintable():
        return _has_escape(text)
    return _NEEDS_ESCAPE.search(text) is not None


def escape(text: str) -> str:
    r"""``text`` as the inside of a PO string literal.

    >>> escape('say "hi"\n')
    'say \\"hi\\"\\n'
    """
    if not needs_escape(text):
        return text
    return text.translate(_ESCAPE_TABLE)


class _Parser:
    """A line-by-line PO reader that keeps every comment, header and line number.

    With ``template_fields`` false the extracted comments and references of the messages
    are read (and checked) but not kept (see :func:`parse_po`).
    """

    def __init__(self, source: str, template_fields: bool = True) -> None:
        self.source = source
        self.template_fields = template_fields
        self.po = PoFile()
        self.seen: dict[tuple[str | None, str], int] = {}
        self._reset()

    def _reset(self) -> None:
        self.fields: dict[str, list[str]] = {}
        self.translator_comments: list[str] = []
        self.extracted_comments: list[str] = []
        self.references: list[str] = []
        self.flags: list[str] = []
        self.previous: dict[str, list[str]] = {}
        self.previous_last: str | None = None
        self.last: str | None = None
        self.msgid_line = 0
        self.first_line = 0
        self.is_obsolete = False
        self.has_msgstr = False

    def fail(self, message: str, line: int) -> CatalogError:
        return CatalogError(message, self.source, line)

    def _string(self, text: str, line: int) -> str:
        text = text.strip()
        if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
            inner = text[1:-1]
            if '"' not in inner and "\\" not in inner:
                return inner
        match = _STRING_PATTERN.match(text)
        if match is None:
            raise self.fail(f"expected a quoted string, found {text.strip()[:40]!r}", line)
        return unescape(match.group(1), self.source, line)

    def feed(self, raw: str, number: int) -> None:
        first = raw[:1]
        if first == "#" and raw[1:2] != "~":
            # The usual comment line: finish the message before it, if any.
            if self.has_msgstr:
                self.finish(number)
            elif self.fields:
                raise self.fail("a comment between msgid and msgstr", number)
            if not self.first_line:
                self.first_line = number
            self._comment(raw.rstrip(), number)
            return
        if first == "m" or first == '"':
            if self.is_obsolete:
                self.finish(number)
            self._keyword_or_string(raw.rstrip(), number)
            return
        line = raw.strip()
        if not line:
            if self.fields:
                self.finish(number)
            return
        if line.startswith("#~"):
            rest = line[2:]
            if rest.startswith("|"):
                return  # a previous msgid of an obsolete entry: worthless once obsolete
            if not self.is_obsolete and self.has_msgstr:
                self.finish(number)
            if not self.fields and not self.is_obsolete:
                self.is_obsolete = True
            if not self.is_obsolete:
                raise self.fail("an obsolete #~ line inside an active message", number)
            self._keyword_or_string(rest.strip(), number)
            return
        if line != raw:
            self.feed(line, number)  # indented lines: read as if they were not
            return
        if self.is_obsolete:
            self.finish(number)
        self._keyword_or_string(line, number)

    def _comment(self, line: str, number: int) -> None:
        kind, text = line[1:2], line[2:]
        if kind == ".":
            self.extracted_comments.append(text[1:] if text.startswith(" ") else text)
        elif kind == ":":
            self.references.extend(text.split())
        elif kind == ",":
            self.flags.extend(flag.strip() for flag in text.split(",") if flag.strip())
        elif kind == "|":
            body = text.strip()
            match = _KEYWORD_PATTERN.match(body)
            if match:
                self.previous_last = match.group(1)
                self.previous[self.previous_last] = [self._string(match.group(3), number)]
            elif body.startswith('"') and self.previous_last:
                self.previous[self.previous_last].append(self._string(body, number))
            else:
                raise self.fail(f"cannot read the previous-message line {line[:40]!r}", number)
        else:
            body = line[1:]
            self.translator_comments.append(body[1:] if body.startswith(" ") else body)

    def _keyword_or_string(self, line: str, number: int) -> None:
        if line.startswith('"'):
            if self.last is None:
                raise self.fail("a string with no msgid or msgstr before it", number)
            self.fields[self.last].append(self._string(line, number))
            return
        keyword, _, value = line.partition(" ")
        if keyword not in _KEYWORDS:
            match = _KEYWORD_PATTERN.match(line)  # msgstr[N], or a tab after the keyword
            if match is None:
                raise self.fail(f"expected msgctxt, msgid or msgstr, found {line[:40]!r}", number)
            keyword, value = match.group(1), match.group(3)
        if keyword in ("msgctxt", "msgid") and self.has_msgstr:
            obsolete = self.is_obsolete
            self.finish(number)
            self.is_obsolete = obsolete
        if not self.first_line:
            self.first_line = number
        if keyword in self.fields:
            raise self.fail(f"{keyword} given twice in one message", number)
        if keyword.startswith("msgstr") and "msgid" not in self.fields:
            raise self.fail(f"{keyword} without a msgid before it", number)
        if keyword == "msgid":
            self.msgid_line = number
        elif keyword == "msgctxt" and "msgid" in self.fields:
            raise self.fail("msgctxt after msgid", number)
        self.fields[keyword] = [self._string(value, number)]
        self.last = keyword
        if keyword.startswith("msgstr"):
            self.has_msgstr = True

    def finish(self, number: int) -> None:
        if not self.fields:
            if self.translator_comments or self.extracted_comments or self.flags or self.references:
                return  # comments waiting for their message: keep them
            self._reset()
            return
        values = {name: "".join(parts) for name, parts in self.fields.items()}
        if "msgid" not in values:
            raise self.fail("a message without msgid", self.first_line or number)
        plural_forms = sorted(
            (int(name[7:-1]), value) for name, value in values.items() if name.startswith("msgstr[")
        )
        if "msgstr" not in values and not plural_forms:
            raise self.fail("msgid without msgstr", self.msgid_line)
        if "msgid_plural" in values and not plural_forms:
            raise self.fail("msgid_plural needs msgstr[0], msgstr[1] …", self.msgid_line)
        entry = PoEntry(
            msgid=values["msgid"],
            msgstr=values.get("msgstr", ""),
            msgctxt=values.get("msgctxt"),
            msgid_plural=values.get("msgid_plural"),
            msgstr_plural=[value for _, value in plural_forms],
            translator_comments=self.translator_comments,
            extracted_comments=self.extracted_comments if self.template_fields else [],
            references=self.references if self.template_fields else [],
            flags=self.flags,
            previous_msgctxt="".join(self.previous["msgctxt"]) if "msgctxt" in self.previous else None,
            previous_msgid="".join(self.previous["msgid"]) if "msgid" in self.previous else None,
            line=self.msgid_line,
        )
        if self.is_obsolete:
            self.po.obsolete.append(entry)
        else:
            self._store(entry)
        self._reset()

    def _store(self, entry: PoEntry) -> None:
        """Add a finished active message (or the header) to the file."""
        if entry.msgid == "" and entry.msgctxt is None and not self.po.entries and not self.po.header_line:
            self._header(entry)
            return
        if entry.msgid == "" and entry.msgctxt is None:
            raise self.fail("a second header entry (empty msgid)", entry.line)
        key = (entry.msgctxt, entry.msgid)
        if key in self.seen:
            raise self.fail(f"duplicate message (first defined on line {self.seen[key]})", entry.line)
        self.seen[key] = entry.line
        self.po.entries.append(entry)

    @property
    def idle(self) -> bool:
        """True between messages, with nothing read of the next one (not even a comment)."""
        return not (
            self.fields
            or self.first_line
            or self.translator_comments
            or self.extracted_comments
            or self.references
            or self.flags
            or self.previous
            or self.is_obsolete
        )

    def simple_entries(self, text: str, position: int, number: int) -> tuple[int, int]:
        """Take the messages ``_SIMPLE_ENTRY`` matches one after another from ``position`` (line ``number``).

        Called while idle; does exactly what :meth:`feed` does with the same lines, comment
        by comment. Returns the position and line number where such messages stop.
        """
        match_entry, count, seen, entries = _SIMPLE_ENTRY.match, text.count, self.seen, self.po.entries
        template_fields = self.template_fields
        while (match := match_entry(text, position)) is not None:
            end = match.end()
            lines = count("\n", position, end)
            translator, extracted, references, flags, old_context, old_msgid, msgctxt, msgid, msgstr = (
                match.groups()
            )
            if _has_escape(msgid + msgstr if msgctxt is None else msgctxt + msgid + msgstr):
                break  # an escape (or a stray quote): the line-by-line reader takes this message
            # Each line's words (or comma-separated flags), as if the lines were one.
            reference_list = (
                references.replace("\n#:", " ")[2:].split() if references and template_fields else []
            )
            flag_list = (
                [flag.strip() for flag in flags.replace("\n#,", ",")[2:].split(",") if flag.strip()]
                if flags
                else []
            )
            # The msgstr line is the last, or the one before the blank line that ends the message.
            msgid_line = number + lines - (3 if text[end - 2] == "\n" else 2)
            entry = PoEntry(
                msgid,
                msgstr,
                msgctxt,
                None,
                [],
                _comments(translator, "#") if translator else [],
                _comments(extracted, "#.") if extracted and template_fields else [],
                reference_list,
                flag_list,
                old_context,
                old_msgid,
                msgid_line,
            )
            position, number = end, number + lines
            if msgctxt is None and msgid == "":
                self._store(entry)  # the header, or a second one
                continue
            # What _store does for every other message (one lookup: the line of the first one).
            first_line = seen.setdefault((msgctxt, msgid), msgid_line)
            if first_line != msgid_line:
                raise self.fail(f"duplicate message (first defined on line {first_line})", msgid_line)
            entries.append(entry)
        return position, number

    def _header(self, entry: PoEntry) -> None:
        self.po.header_line = entry.line
        self.po.header_comments = entry.translator_comments
        self.po.header_flags = entry.flags
        for offset, field_line in enumerate(entry.msgstr.split("\n")):
            if not field_line.strip():
                continue
            name, colon, value = field_line.partition(":")
            if not colon:
                raise self.fail(f"header line {field_line[:40]!r} is not 'Name: value'", entry.line + offset)
            self.po.headers.append((name.strip(), value.strip()))


def parse_po_text(text: str, source: str = "<po>", *, template_fields: bool = True) -> PoFile:
    """Read a PO or POT file's text; raise :class:`CatalogError` (with its line) when it does not parse.

    ``template_fields``: see :func:`parse_po`.

    >>> text = 'msgid ""\\nmsgstr "Language: ko\\\\n"\\n\\n'
    >>> po = parse_po_text(text + 'msgctxt "speaker"\\nmsgid "Joy"\\nmsgstr "조이"\\n')
    >>> po.language, po.entries[0].msgstr, po.entries[0].line
    ('ko', '조이', 5)
    """
    parser = _Parser(source, template_fields)
    position, number, idle = 0, 1, True
    while True:
        # Messages in the usual shape a whole message at a time, everything else line by line.
        if idle:
            position, number = parser.simple_entries(text, position, number)
        end = text.find("\n", position)
        if end < 0:
            parser.feed(text[position:], number)
            break
        parser.feed(text[position:end], number)
        position, number = end + 1, number + 1
        idle = parser.idle
    parser.finish(number + 1)
    if parser.fields or parser.extracted_comments or parser.flags or parser.references:
        raise CatalogError("the file ends inside a message", source, number)
    return parser.po


def parse_po(data: bytes, source: str = "<po>", *, template_fields: bool = True) -> PoFile:
    """Read PO bytes (UTF-8, as every redbox catalog is written).

    With ``template_fields`` false, the messages' extracted comments (``#.``) and
    references (``#:``) are checked but not kept: :func:`update` replaces them with the
    template's, so a catalog read only to be updated need not build them (about a
    third of the reading time at 20,000 messages).
    """
    with paused_gc():
        return parse_po_text(_po_text(data, source), source, template_fields=template_fields)


def _po_bytes(data: bytes) -> bytes:
    """PO bytes without a BOM, with ``\\n`` line ends (a CR LF pair is never inside a UTF-8 character)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.replace(b"\r\n", b"\n") if b"\r" in data else data  # (the test is a quicker scan)


def _po_text(data: bytes, source: str) -> str:
    """PO bytes as text: UTF-8 (a BOM dropped), ``\\n`` line ends."""
    data = _po_bytes(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogError(
            "not UTF-8 (redbox catalogs are UTF-8; check Content-Type)", source, line
        ) from None


def _string_field(keyword: str, value: str, prefix: str = "") -> list[str]:
    """A keyword and its string, unwrapped, split only after embedded newlines (as ``msgcat --no-wrap``)."""
    parts = value.split("\n")
    if len(parts) <= 2 and (len(parts) == 1 or parts[1] == ""):
        return [f'{prefix}{keyword} "{escape(value)}"']
    pieces = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        pieces.append(parts[-1])
    return [f'{prefix}{keyword} ""'] + [f'{prefix}"{escape(piece)}"' for piece in pieces]


def _comment_lines(prefix: str, comments: Iterable[str]) -> list[str]:
    return [f"{prefix} {comment}".rstrip() if comment else prefix for comment in comments]


def _entry_lines(entry: PoEntry, obsolete: bool = False) -> list[str]:
    lines = _comment_lines("#", entry.translator_comments)
    if not obsolete:
        lines += _comment_lines("#.", entry.extracted_comments)
        if entry.references:
            lines.append("#: " + " ".join(entry.references))
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    if not obsolete:
        if entry.previous_msgctxt is not None:
            lines += _string_field("msgctxt", entry.previous_msgctxt, "#| ")
        if entry.previous_msgid is not None:
            lines += _string_field("msgid", entry.previous_msgid, "#| ")
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        lines += _string_field("msgctxt", entry.msgctxt, prefix)
    lines += _string_field("msgid", entry.msgid, prefix)
    if entry.msgid_plural is not None:
        lines += _string_field("msgid_plural", entry.msgid_plural, prefix)
        for index, form in enumerate(entry.msgstr_plural):
            lines += _string_field(f"msgstr[{index}]", form, prefix)
    else:
        lines += _string_field("msgstr", entry.msgstr, prefix)
    return lines


def header_text(po: PoFile) -> str:
    """The header entry's msgstr: one ``Name: value\\n`` per field."""
    return "".join(f"{name}: {value}\n" for name, value in po.headers)


def _entry_text(entry: PoEntry) -> str:
    """An active message's lines (:func:`_entry_lines`), joined, in fewer steps for the usual message."""
    msgctxt, msgid, msgstr = entry.msgctxt, entry.msgid, entry.msgstr
    strings = msgid + msgstr if msgctxt is None else msgctxt + msgid + msgstr
    if (
        needs_escape(strings)  # also finds line breaks
        or entry.msgid_plural is not None
        or entry.previous_msgid is not None
        or entry.previous_msgctxt is not None
    ):
        return "\n".join(_entry_lines(entry))
    # One-line strings without escapes: _string_field would give `keyword "text"` for each.
    translator = entry.translator_comments
    text = "".join([f"{line}\n" for line in _comment_lines("#", translator)]) if translator else ""
    extracted = entry.extracted_comments
    if extracted:
        text += "\n".join([f"#. {comment}".rstrip() if comment else "#." for comment in extracted]) + "\n"
    references = f"#: {' '.join(entry.references)}\n" if entry.references else ""
    flags = f"#, {', '.join(entry.flags)}\n" if entry.flags else ""
    context = "" if msgctxt is None else f'msgctxt "{msgctxt}"\n'
    return f'{text}{references}{flags}{context}msgid "{msgid}"\nmsgstr "{msgstr}"'


def encoded_messages(po: PoFile) -> list[bytes]:
    """Each active message as :func:`write_po` writes it, in UTF-8 (without the blank line)."""
    return [_entry_text(entry).encode("utf-8") for entry in po.entries]


def updated_messages(po: PoFile, template: PoFile, template_messages: Sequence[bytes]) -> list[bytes]:
    """:func:`encoded_messages` of ``po``, made by :func:`update` from ``template``, whose own
    messages are ``template_messages``: most of it is already written there.

    :func:`update` gives one message per template message, in order, and an unchanged one
    shares the template message's strings and comment lists; its text is then the
    template's with the translation in the empty ``msgstr ""`` at its end. Any other
    message is written in full. (In bytes: a Korean translation would otherwise widen every
    English character of the message to two bytes in memory, and back.)
    """
    messages: list[bytes] = []
    append = messages.append
    for entry, source, written in zip(po.entries, template.entries, template_messages, strict=True):
        msgstr = entry.msgstr
        if (
            entry.msgid is source.msgid
            and entry.msgctxt is source.msgctxt
            and entry.extracted_comments is source.extracted_comments
            and entry.references is source.references
            and not entry.flags
            and not entry.translator_comments
            and entry.previous_msgid is None
            and entry.previous_msgctxt is None
            and entry.msgid_plural is None
            and not source.flags
            and not source.translator_comments
            and source.previous_msgid is None
            and source.previous_msgctxt is None
            and source.msgid_plural is None
            and source.msgstr == ""
            and written.endswith(b'\nmsgstr ""')
            and not needs_escape(msgstr)
        ):
            append(b"".join([written[:-1], msgstr.encode("utf-8"), b'"']))
        else:
            append(_entry_text(entry).encode("utf-8"))
    return messages


def generate_po(po: PoFile) -> str:
    """The text of a PO/POT file: unwrapped, messages in their order, obsolete entries last."""
    return write_po(po).decode("utf-8")


def write_po(po: PoFile, messages: Sequence[bytes] | None = None) -> bytes:
    """The UTF-8 bytes of a PO/POT file (see :func:`generate_po`).

    ``messages``: the active messages when they are already written (:func:`encoded_messages`,
    :func:`updated_messages`). Each part is encoded on its own: an English template's
    messages stay a byte per character in memory even when the header holds a curly quote.
    """
    with paused_gc():
        lines = _comment_lines("#", po.header_comments)
        if po.header_flags:
            lines.append("#, " + ", ".join(po.header_flags))
        lines.append('msgid ""')
        lines.append('msgstr ""')
        lines += [f'"{escape(f"{name}: {value}")}\\n"' for name, value in po.headers]
        # One blank line before each message; the file ends with a line break.
        blocks = ["\n".join(lines).encode("utf-8")]
        blocks += encoded_messages(po) if messages is None else messages
        blocks += ["\n".join(_entry_lines(entry, obsolete=True)).encode("utf-8") for entry in po.obsolete]
        blocks[-1] += b"\n"
        return b"\n\n".join(blocks)


# ----------------------------------------------------------------------- turn identity


def normalize_text(text: str) -> str:
    """NFC, single spaces, no control characters: the form texts are compared in.

    >>> normalize_text("  Right \\n there\\x07 ")
    'Right there'
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " " and text.isascii():
        return text  # the usual case, decided without splitting
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _CONTROL.search(text) is not None:
        text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def content_id(speaker: str, text: str) -> str:
    """The id a turn gets when it first appears: 8 hex digits of a hash of speaker and text.

    >>> content_id("Dasom", "Right")
    'd77c55b1'
    """
    digest = hashlib.blake2b(f"{speaker}\x1f{normalize_text(text)}".encode(), digest_size=4)
    return digest.hexdigest()


_WORD = re.compile(r"\w+")


#: Every ASCII character ``\\w`` does not match, as a space.
_ASCII_NON_WORD = {code: " " for code in range(128) if not re.match(r"\w", chr(code))}


def _words(text: str) -> list[str]:
    """The words of ``text``, lower-cased: what ``\\w+`` finds (for ASCII text, without the regex).

    >>> _words("It's 100%, you know—really?")
    ['it', 's', '100', 'you', 'know', 'really']
    """
    if text.isascii():
        return text.lower().translate(_ASCII_NON_WORD).split()  # several times quicker
    return _WORD.findall(text.lower())


def text_similarity(old: str, new: str) -> float:
    """How alike two texts are, 0–1, by their words (case and punctuation ignored).

    Used only to tell an edited turn from a deleted one plus an inserted one near the
    same place (:func:`_pair_edits`), never to search the catalog.

    >>> text_similarity("I was startled.", "I was so startled!")
    0.8571428571428571
    """
    return _word_similarity(_words(old), _words(new), old, new)


class KnownTurn(NamedTuple):
    """A turn as a previous catalog knows it: its id, speaker and text."""

    id: str
    speaker: str
    text: str


def _pair_edits(
    previous: Sequence[KnownTurn],
    turns: Sequence[tuple[str, str]],
    anchors_old: Sequence[int],
    anchors_new: Sequence[int],
    unmatched_new: Sequence[int],
) -> list[tuple[int, int]]:
    """Pair unmatched new turns with unmatched old turns that are the same turn, edited.

    A new turn may only pair with an old turn lying between the unchanged turns two
    places before and two places after it (so an unchanged repeat of a neighbour cannot
    hide its origin), at most :data:`EDIT_CANDIDATES` of them, nearest first; the most
    similar of the same speaker at or above :data:`EDIT_SIMILARITY` wins (another
    speaker's only at :data:`RELABEL_SIMILARITY`).
    """
    matched_old = set(anchors_old)
    free_old = [index for index in range(len(previous)) if index not in matched_old]
    taken: set[int] = set()
    old_words: dict[int, list[str]] = {}
    pairs: list[tuple[int, int]] = []
    for new_index in unmatched_new:
        k = bisect.bisect_left(anchors_new, new_index)
        low = anchors_old[k - 2] if k >= 2 else -1
        high = anchors_old[k + 1] if k + 1 < len(anchors_old) else len(previous)
        estimate = anchors_old[k - 1] + new_index - anchors_new[k - 1] if k >= 1 else new_index
        first = bisect.bisect_right(free_old, low)
        last = bisect.bisect_left(free_old, high)
        if last - first > EDIT_CANDIDATES:
            middle = min(max(bisect.bisect_left(free_old, estimate), first), last)
            first = max(first, middle - EDIT_CANDIDATES // 2)
            last = min(last, first + EDIT_CANDIDATES)
        new_words = _words(turns[new_index][1])
        best, best_score, best_distance = -1, EDIT_SIMILARITY, 0
        for old_index in free_old[first:last]:
            if old_index in taken:
                continue
            if old_index not in old_words:
                old_words[old_index] = _words(previous[old_index].text)
            score = _word_similarity(
                old_words[old_index], new_words, previous[old_index].text, turns[new_index][1]
            )
            if previous[old_index].speaker != turns[new_index][0] and score < RELABEL_SIMILARITY:
                continue
            distance = abs(old_index - estimate)
            if score > best_score or (score == best_score and (best < 0 or distance < best_distance)):
                best, best_score, best_distance = old_index, score, distance
        if best >= 0:
            taken.add(best)
            pairs.append((best, new_index))
    return pairs


def _word_similarity(old_words: list[str], new_words: list[str], old: str, new: str) -> float:
    if not old_words and not new_words:
        return 1.0 if normalize_text(old) == normalize_text(new) else 0.0
    total = len(old_words) + len(new_words)
    # Upper bounds first, so most pairs are rejected without a diff: the shorter text's
    # length, then the words shared (order ignored; a set does when no word repeats).
    if 2 * min(len(old_words), len(new_words)) / total < EDIT_SIMILARITY:
        return 0.0
    old_set, new_set = set(old_words), set(new_words)
    if len(old_set) == len(old_words) and len(new_set) == len(new_words):
        shared = len(old_set & new_set)
    else:  # the multiset intersection, as Counter(old) & Counter(new) (which is slower on short lists)
        shared = sum(min(old_words.count(word), new_words.count(word)) for word in old_set & new_set)
    if 2 * shared / total < EDIT_SIMILARITY:
        return 0.0
    return diff_ratio(old_words, new_words)


def diff_ratio(old: Sequence[str], new: Sequence[str]) -> float:
    """``difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()``, quicker for the usual edit.

    The usual edit leaves a common start and a common end around stretches that share no
    word. Every match off those two runs then pairs words said more than once (on one side
    or the other), in runs no longer than the longest run of such words in ``old``; when
    that is shorter than both common runs, the matcher (longest block first) finds exactly
    the two, so the ratio is theirs. Anything else goes to difflib.

    >>> diff_ratio(["i", "was", "startled"], ["i", "was", "so", "startled"])
    0.8571428571428571
    """
    old_size, new_size = len(old), len(new)
    shorter = min(old_size, new_size)
    start = 0
    while start < shorter and old[start] == new[start]:
        start += 1
    end = 0
    while end < shorter - start and old[old_size - 1 - end] == new[new_size - 1 - end]:
        end += 1
    ratio = 2.0 * (start + end) / (old_size + new_size) if old_size + new_size else 1.0
    if not set(old[start : old_size - end]).isdisjoint(new[start : new_size - end]):
        return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()
    if len(set(old)) == old_size and len(set(new)) == new_size:
        return ratio  # no word said twice: no match off the two runs at all
    repeated = {word for side in (old, new) for word, count in Counter(side).items() if count > 1}
    longest = run = 0
    for word in old:
        run = run + 1 if word in repeated else 0
        longest = max(longest, run)
    if longest < min(start, end):
        return ratio
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()


def match_sequences(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[tuple[int, int]]:
    """The pairs ``(old index, new index)`` of equal items a diff keeps, in order (patience diff).

    Common ends first; then the items that occur once on each side and keep their order
    (the longest increasing run) anchor the match, and the stretches between them are
    matched the same way; a stretch with no such item falls back to :mod:`difflib`.
    Linear-ish for transcripts, whose lines are nearly all distinct.

    >>> match_sequences("abcde", "xabde")
    [(0, 1), (1, 2), (3, 3), (4, 4)]
    """
    pairs: list[tuple[int, int]] = []
    stack = [(0, len(old), 0, len(new))]
    # Stretches are disjoint and each gives pairs increasing on both sides, so the order in
    # which they are matched does not matter: the pairs are sorted once at the end.
    while stack:
        old_start, old_end, new_start, new_end = stack.pop()
        while old_start < old_end and new_start < new_end and old[old_start] == new[new_start]:
            pairs.append((old_start, new_start))
            old_start, new_start = old_start + 1, new_start + 1
        while old_start < old_end and new_start < new_end and old[old_end - 1] == new[new_end - 1]:
            old_end, new_end = old_end - 1, new_end - 1
            pairs.append((old_end, new_end))
        if old_start + 1 == old_end:
            # One item left on a side (the usual edited turn): the patience step and difflib
            # would both pair it with its first equal on the other side, if any.
            item = old[old_start]
            for index in range(new_start, new_end):
                if new[index] == item:
                    pairs.append((old_start, index))
                    break
        elif new_start + 1 == new_end:
            item = new[new_start]
            for index in range(old_start, old_end):
                if old[index] == item:
                    pairs.append((index, new_start))
                    break
        elif old_start < old_end and new_start < new_end:
            stack += _match_middle(old, new, old_start, old_end, new_start, new_end, pairs)
    pairs.sort()
    return pairs


def _match_middle(
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    old_start: int,
    old_end: int,
    new_start: int,
    new_end: int,
    pairs: list[tuple[int, int]],
) -> list[tuple[int, int, int, int]]:
    """Match a stretch with different ends: its anchors go to ``pairs``; returns the stretches left."""
    old_part = old[old_start:old_end]
    new_part = new[new_start:new_end]
    old_count = Counter(old_part)
    new_count = Counter(new_part)
    new_position = {item: index for index, item in enumerate(new_part, new_start) if new_count[item] == 1}
    candidates = [
        (index, new_position[item])
        for index, item in enumerate(old_part, old_start)
        if old_count[item] == 1 and item in new_position
    ]
    anchors = _longest_increasing(candidates)
    if not anchors:
        matcher = difflib.SequenceMatcher(None, old_part, new_part, autojunk=False)
        for block_old, block_new, size in matcher.get_matching_blocks():
            pairs.extend((old_start + block_old + k, new_start + block_new + k) for k in range(size))
        return []
    pairs += anchors
    stretches: list[tuple[int, int, int, int]] = []
    previous_old, previous_new = old_start, new_start
    for anchor_old, anchor_new in anchors:
        if previous_old < anchor_old and previous_new < anchor_new:  # an empty side matches nothing
            stretches.append((previous_old, anchor_old, previous_new, anchor_new))
        previous_old, previous_new = anchor_old + 1, anchor_new + 1
    if previous_old < old_end and previous_new < new_end:
        stretches.append((previous_old, old_end, previous_new, new_end))
    return stretches


def _longest_increasing(candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``candidates`` (sorted by first item) whose second items increase."""
    values = [value for _, value in candidates]
    if values == sorted(values):
        return candidates  # nothing moved (the usual edit): all of them (the values are distinct)
    tails: list[int] = []
    tail_index: list[int] = []
    parent: list[int] = [-1] * len(candidates)
    for position, (_, value) in enumerate(candidates):
        slot = bisect.bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_index.append(position)
        else:
            tails[slot] = value
            tail_index[slot] = position
        parent[position] = tail_index[slot - 1] if slot else -1
    run: list[tuple[int, int]] = []
    position = tail_index[-1] if tail_index else -1
    while position >= 0:
        run.append(candidates[position])
        position = parent[position]
    run.reverse()
    return run


def assign_turn_ids(turns: Sequence[tuple[str, str]], previous: Sequence[KnownTurn]) -> list[str]:
    """The id of each ``(speaker, text)`` turn, carried over from ``previous`` where it is the same turn.

    Unchanged turns are found by aligning the two sequences (a diff, as ``diff`` does for
    lines); a new turn near the place of an old, vanished one of the same speaker whose
    words are at least 60 % the same is that turn, edited (:func:`_pair_edits`). Every other turn is new and
    gets :func:`content_id` (``-2``, ``-3`` … when that id is taken, e.g. by a repeated line).

    >>> old = [KnownTurn("aa", "Joy", "Hello there."), KnownTurn("bb", "Dasom", "Right")]
    >>> assign_turn_ids([("Ilhyeok", "New line."), ("Joy", "Hello there!"), ("Dasom", "Right")], old)
    ['7af58aa7', 'aa', 'bb']
    """
    # One string per turn (hashed once, compared at C speed) rather than a (speaker, text) pair.
    # Most texts are on both sides: each is normalised once.
    normalized = {turn.text: normalize_text(turn.text) for turn in previous}
    old_keys = [f"{turn.speaker}\x1f{normalized[turn.text]}" for turn in previous]
    new_keys = [
        f"{speaker}\x1f{known if (known := normalized.get(text)) is not None else normalize_text(text)}"
        for speaker, text in turns
    ]
    ids: list[str | None] = [None] * len(turns)
    anchors_old: list[int] = []
    anchors_new: list[int] = []
    for old_index, new_index in match_sequences(old_keys, new_keys):
        ids[new_index] = previous[old_index].id
        anchors_old.append(old_index)
        anchors_new.append(new_index)
    unmatched = [index for index, turn_id in enumerate(ids) if turn_id is None]
    for old_index, new_index in _pair_edits(previous, turns, anchors_old, anchors_new, unmatched):
        ids[new_index] = previous[old_index].id
    used = {turn_id for turn_id in ids if turn_id is not None}
    result: list[str] = []
    for index, turn_id in enumerate(ids):
        if turn_id is None:
            base = content_id(*turns[index])
            turn_id, suffix = base, 2
            while turn_id in used:
                turn_id, suffix = f"{base}-{suffix}", suffix + 1
            used.add(turn_id)
        result.append(turn_id)
    return result


def known_turns(po: PoFile) -> list[KnownTurn]:
    """The turns a catalog (template or translation) knows, in order."""
    turns: list[KnownTurn] = []
    for entry in po.entries:
        context = entry.msgctxt
        if context is None or "/" not in context:
            continue  # not a turn (see is_turn_context)
        speaker = ""
        for comment in entry.extracted_comments:  # entry.comment("speaker"), inline
            if comment.startswith("speaker: "):
                speaker = comment[9:]
                break
        turns.append(KnownTurn(context.split("/", 1)[1], speaker, entry.msgid))
    return turns


def read_known_turns(data: bytes, source: str = "<po>") -> list[KnownTurn]:
    """``known_turns(parse_po(data, source))``, without building the messages when it can.

    A template redbox wrote is a header and then messages in the one shape
    :data:`_SIMPLE_ENTRY` reads; for such a file one regular-expression pass gives the
    turns (about a quarter of the time of reading the whole file, which
    ``redbox catalog update`` would do only to learn the turn ids). Any other file, and any
    file with a problem (which the reader then reports with its line), is read in full.
    """
    # The header and the messages are decoded apart: an English template's messages are
    # then ASCII, which Python keeps (and the regex engine reads) a byte per character,
    # even when the header's comment holds a curly quote.
    data = _po_bytes(data)
    header_end = data.find(b"\n\n") + 2
    try:
        head, body = data[:header_end].decode("utf-8"), data[header_end:].decode("utf-8")
    except UnicodeDecodeError:
        header_end = 0  # the reader reports where
    found = _TURN_FIELDS.findall(body) if header_end >= 2 else []
    # The messages found follow one another to the end of the file when their lengths add
    # up to it; anything else (a message in another shape, stray text) leaves a gap.
    if (
        not found
        or sum([len(message[0]) for message in found]) != len(body)
        or _has_escape("".join([context + msgid for _, _, context, msgid in found]))
    ):
        return known_turns(parse_po(data, source))
    try:
        header = parse_po_text(head, source)
    except CatalogError:
        header = PoFile()
    contexts = {context for _, _, context, _ in found}  # all different: no message given twice
    if (
        not header.header_line
        or header.entries
        or (
            (len(contexts) < len(found) or "" in contexts)
            and (
                len({(context, msgid) for _, _, context, msgid in found}) < len(found)
                or any(not context and not msgid for _, _, context, msgid in found)
            )
        )
    ):
        # No header first, a message given twice, or a second header (or an empty msgctxt
        # the pattern cannot tell from none): the reader decides, and reports any problem.
        return known_turns(parse_po(data, source))
    known_turn = tuple.__new__  # KnownTurn(id, speaker, text) without its Python-level __new__
    return [
        known_turn(
            KnownTurn,
            (
                context.partition("/")[2],
                extracted[12:].partition("\n")[0].rstrip()  # the usual first comment
                if extracted.startswith("#. speaker: ")
                else PoEntry("", extracted_comments=_comments(extracted, "#.")).comment("speaker"),
                msgid,
            ),
        )
        for _, extracted, context, msgid in found
        if "/" in context  # a turn (see is_turn_context)
    ]


def _has_escape(strings: str) -> bool:
    """True when PO string contents hold a quote or a backslash (see ``_LINE_STRING``)."""
    return '"' in strings or "\\" in strings


_SPACE_AT_LINE_END = re.compile(r"\s\n")  # \s is what str.rstrip strips


def _comments(block: str, mark: str) -> list[str]:
    """The comments of consecutive ``mark`` lines, kept as the reader keeps them.

    Each line is right-stripped, and its mark and one space after it dropped (as ``_comment``).
    """
    prefix = f"{mark} "
    if (
        block.startswith(prefix)
        and block.count(f"\n{prefix}") == block.count("\n") - 1
        and _SPACE_AT_LINE_END.search(block) is None
    ):
        # Every line is `mark comment` with nothing to strip: one split (the usual comments).
        return block[len(prefix) : -1].split(f"\n{prefix}")
    size = len(mark)
    return [
        text[size + 1 :] if text[size : size + 1] == " " else text[size:]
        for text in map(str.rstrip, block[:-1].split("\n"))
    ]


def template_date_if_unchanged(old: bytes, new: bytes) -> str | None:
    """The ``POT-Creation-Date`` of the template file ``old`` when it equals ``new`` but for that date.

    ``redbox catalog update`` then keeps the file as it is (and its date), so running it
    twice changes nothing.
    """
    old_date = _CREATION_DATE_LINE.search(old)
    new_date = _CREATION_DATE_LINE.search(new)
    if old_date is None or new_date is None:
        return None
    if old[: old_date.start()] != new[: new_date.start()] or old[old_date.end() :] != new[new_date.end() :]:
        return None
    return old_date.group(1).decode("utf-8")


_CREATION_DATE_LINE = re.compile(rb'^"POT-Creation-Date: ([^"\\\n]*)\\n"$', re.MULTILINE)


# ------------------------------------------------------------------------------ extract


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


# ------------------------------------------------------------------------------- update


@dataclass(frozen=True)
class UpdateReport:
    """What an update did, message by message."""

    kept: int = 0
    fuzzied: int = 0
    new: int = 0
    prefilled: int = 0
    revived: int = 0
    obsoleted: int = 0

    def summary(self) -> str:
        return (
            f"{self.kept} kept, {self.fuzzied} edited (fuzzy), {self.new} new, "
            f"{self.prefilled} pre-filled (fuzzy), {self.revived} revived, {self.obsoleted} obsolete"
        )


def _carry(old: PoEntry, new: PoEntry) -> tuple[PoEntry, bool]:
    """``new`` (from the template) with ``old``'s translation; True when it became fuzzy."""
    if (
        not old.flags
        and not new.flags
        and not old.translator_comments
        and old.msgid == new.msgid
        and old.msgid_plural is None
        and new.msgid_plural is None
        and not old.msgstr_plural
    ):
        # The usual unchanged message: what the general case below gives it, in one step.
        return PoEntry(
            new.msgid, old.msgstr, new.msgctxt, None, [], [], new.extracted_comments, new.references, []
        ), False
    flags = (
        [*new.flags, *(flag for flag in old.flags if flag not in new.flags)] if old.flags else list(new.flags)
    )
    merged = PoEntry(
        new.msgid,
        old.msgstr,
        new.msgctxt,
        new.msgid_plural,
        list(old.msgstr_plural),
        list(old.translator_comments),
        new.extracted_comments,
        new.references,
        flags,
    )
    same_text = old.msgid == new.msgid or normalize_text(old.msgid) == normalize_text(new.msgid)
    if same_text and old.msgid_plural == new.msgid_plural:
        if old.fuzzy:
            merged.previous_msgctxt, merged.previous_msgid = old.previous_msgctxt, old.previous_msgid
        return merged, False
    if not old.translated:
        merged.flags = [flag for flag in merged.flags if flag != "fuzzy"]
        return merged, False
    if "fuzzy" not in merged.flags:
        merged.flags.insert(0, "fuzzy")
    if old.fuzzy and old.previous_msgid is not None:
        # The translation still matches the text it was made for, not the one in between.
        merged.previous_msgctxt, merged.previous_msgid = old.previous_msgctxt, old.previous_msgid
    else:
        merged.previous_msgid = old.msgid
        merged.previous_msgctxt = old.msgctxt if old.msgctxt != new.msgctxt else None
    return merged, True


def _translation_memory(po: PoFile) -> dict[str, PoEntry]:
    """Reviewed (non-fuzzy) turn translations by normalised source text; active ones win."""
    memory: dict[str, PoEntry] = {}
    for entry in po.obsolete:
        if entry.translated and not entry.fuzzy and is_turn_context(entry.msgctxt):
            memory.setdefault(normalize_text(entry.msgid), entry)
    for entry in po.entries:
        if entry.translated and not entry.fuzzy and is_turn_context(entry.msgctxt):
            memory[normalize_text(entry.msgid)] = entry
    return memory


def update(po: PoFile, template: PoFile) -> tuple[PoFile, UpdateReport]:
    """Bring a translation up to date with a template, by message identity (``msgctxt``).

    Unchanged messages keep their translation; a turn whose text changed keeps it as
    ``fuzzy`` with the old text as ``#| msgid``; a new turn is untranslated, or pre-filled
    (fuzzy, with a translator comment) from a non-fuzzy translation of the *identical*
    text; messages gone from the template move to the obsolete ``#~`` section and come
    back from there when they return. Header fields and translator comments are kept.
    """
    with paused_gc():
        return _update(po, template)


def _update(po: PoFile, template: PoFile) -> tuple[PoFile, UpdateReport]:
    # (entry.key and is_turn_context, inline: these loops see every message)
    by_key = {(entry.msgctxt, entry.msgid): entry for entry in po.entries}
    by_context: dict[str | None, PoEntry] = {
        entry.msgctxt: entry for entry in po.entries if entry.msgctxt is not None and "/" in entry.msgctxt
    }
    obsolete_by_key = {(entry.msgctxt, entry.msgid): entry for entry in po.obsolete}
    obsolete_by_context: dict[str | None, PoEntry] = {
        entry.msgctxt: entry for entry in po.obsolete if entry.msgctxt is not None and "/" in entry.msgctxt
    }
    memory: dict[str, PoEntry] | None = None  # built on the first new turn
    used: set[int] = set()
    revived: set[int] = set()
    kept = fuzzied = new_turns = prefilled = revived_count = 0
    entries: list[PoEntry] = []
    for new in template.entries:
        context, msgid = new.msgctxt, new.msgid
        is_turn = context is not None and "/" in context
        old = by_key.get((context, msgid))
        if old is None and is_turn:
            old = by_context.get(context)
        if old is not None and id(old) in used:
            old = None
        from_obsolete = False
        if old is None:
            old = obsolete_by_key.get((context, msgid))
            if old is None and is_turn:
                old = obsolete_by_context.get(context)
            if old is not None and id(old) in revived:
                old = None
            from_obsolete = True
        if old is not None:
            (revived if from_obsolete else used).add(id(old))
            merged, made_fuzzy = _carry(old, new)
            entries.append(merged)
            revived_count += from_obsolete
            if made_fuzzy:
                fuzzied += 1
            else:
                kept += 1
            continue
        twin = None
        if is_turn:
            if memory is None:
                memory = _translation_memory(po)
            twin = memory.get(normalize_text(msgid))
        if twin is not None:
            entries.append(
                replace(
                    new,
                    msgstr=twin.msgstr,
                    flags=["fuzzy", *new.flags],
                    translator_comments=[PREFILL_COMMENT.format(context=twin.msgctxt)],
                    line=0,
                )
            )
            prefilled += 1
        else:
            entries.append(_copy(new))
            new_turns += 1
    gone = [
        _copy(entry, keep_previous=False)
        for entry in po.entries
        if id(entry) not in used and (entry.translated or entry.translator_comments)
    ]
    gone_keys = {entry.key for entry in gone}
    kept_obsolete = [
        _copy(entry)
        for entry in po.obsolete
        if id(entry) not in revived and entry.key not in gone_keys  # the newer copy wins
    ]
    result = PoFile(
        headers=list(po.headers),
        header_comments=list(po.header_comments),
        header_flags=list(po.header_flags),
        entries=entries,
        obsolete=kept_obsolete + gone,
    )
    creation = template.header("POT-Creation-Date")
    if creation:
        result.set_header("POT-Creation-Date", creation)
    if po.language:
        _ensure_plural_forms(result, po.language)
    report = UpdateReport(kept, fuzzied, new_turns, prefilled, revived_count, len(gone))
    return result, report


def _copy(entry: PoEntry, *, keep_previous: bool = True) -> PoEntry:
    """``replace(entry, line=0)`` (without ``#|`` when not ``keep_previous``), several times quicker."""
    return PoEntry(
        entry.msgid,
        entry.msgstr,
        entry.msgctxt,
        entry.msgid_plural,
        entry.msgstr_plural,
        entry.translator_comments,
        entry.extracted_comments,
        entry.references,
        entry.flags,
        entry.previous_msgctxt if keep_previous else None,
        entry.previous_msgid if keep_previous else None,
        0,
    )


# ------------------------------------------------------------------------- compile/stats


def compile_mo(po: PoFile, *, use_fuzzy: bool = False) -> bytes:
    """A GNU MO file of the translated (and, with ``use_fuzzy``, fuzzy) messages.

    Entries are sorted by their stored key bytes (``msgctxt\\x04msgid``), which is what
    GNU libintl's binary search needs; Python's ``gettext`` reads it too.
    """
    pairs: list[tuple[bytes, bytes]] = [(b"", header_text(po).encode("utf-8"))]
    for entry in po.entries:
        if not entry.translated or (entry.fuzzy and not use_fuzzy):
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is not None:
            pairs.append(
                ((key + "\x00" + entry.msgid_plural).encode(), "\x00".join(entry.msgstr_plural).encode())
            )
        else:
            pairs.append((key.encode("utf-8"), entry.msgstr.encode("utf-8")))
    pairs.sort(key=lambda pair: pair[0])
    count = len(pairs)
    originals_at = 28
    translations_at = originals_at + 8 * count
    data_at = translations_at + 8 * count
    tables: list[bytes] = []
    blobs: list[bytes] = []
    offset = data_at
    for index in (0, 1):
        for pair in pairs:
            text = pair[index]
            tables.append(struct.pack("<II", len(text), offset))
            blobs.append(text + b"\x00")
            offset += len(text) + 1
    header = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, data_at)
    return header + b"".join(tables) + b"".join(blobs)


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


def stats(po: PoFile) -> CatalogStats:
    """Counts of translated (not fuzzy), fuzzy and untranslated messages."""
    fuzzy = sum(1 for entry in po.entries if entry.fuzzy and entry.translated)
    translated = sum(1 for entry in po.entries if entry.translated and not entry.fuzzy)
    total = len(po.entries)
    return CatalogStats(total, translated, fuzzy, total - translated - fuzzy, len(po.obsolete))


# --------------------------------------------------------------------------- translation


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


def _problem(source: str, line: int, code: str, message: str) -> Problem:
    return Problem(source, line, 1, "warning", code, message)


def translate_transcript(
    transcript: Transcript, po_data: bytes, po_source: str, language: str
) -> tuple[Transcript, list[Problem]]:
    """The transcript with every turn's text and speaker name translated by a PO catalog.

    Turns keep their order, lines and times. A turn whose message is untranslated or
    fuzzy, or missing because the catalog is out of date, keeps its source text with a
    warning (``CAT001``, ``CAT002``, ``CAT013``); so does a speaker name. The header
    ``language`` becomes ``language``; ``title`` and ``speakers`` are translated too.
    Raises :class:`CatalogError` when the catalog does not parse.
    """
    po = parse_po(po_data, po_source)
    problems: list[Problem] = []
    names: dict[str, str] = {}
    for name, entry in speaker_names(po).items():
        if entry.translated and not entry.fuzzy:
            names[name] = entry.msgstr
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
    for turn, turn_entry in zip(transcript.turns, match_turns(transcript, po), strict=True):
        text = turn.text
        if turn_entry is None:
            problems.append(
                _problem(
                    transcript.source,
                    turn.line,
                    "CAT013",
                    f"this turn is not in {po_source} with its current text; "
                    "run `redbox catalog update`; the source text is used",
                )
            )
        elif turn_entry.fuzzy and turn_entry.translated:
            problems.append(
                _problem(
                    po_source,
                    turn_entry.line,
                    "CAT002",
                    f"turn {turn_entry.comment('turn')} is fuzzy; the source text is used",
                )
            )
        elif not turn_entry.translated:
            problems.append(
                _problem(
                    po_source,
                    turn_entry.line,
                    "CAT001",
                    f"turn {turn_entry.comment('turn')} is untranslated; the source text is used",
                )
            )
        else:
            text = turn_entry.msgstr
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
            value = title_entry.msgstr
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
