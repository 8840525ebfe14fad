"""The PO file model (:class:`PoEntry`, :class:`PoFile`) and PO string literals.

What the reader (:mod:`.po_read`) builds and the writer (:mod:`.po_write`) writes, the
message kinds redbox uses (speaker, title, turn), the escaping of string literals both
share, and :func:`paused_gc`, which every step that builds a large catalog runs under.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from toolkit.errors import CatalogError

SPEAKER_CONTEXT = "speaker"
TITLE_CONTEXT = "title"


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
    #: A fuzzy plural message's previous ``#| msgid_plural`` (after ``line``: positional callers).
    previous_msgid_plural: str | None = None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """True when every msgstr is filled in (fuzzy or not); whitespace alone is never a translation
        (it would make the turn vanish from the subtitles)."""
        if self.msgid_plural is not None:
            forms = self.msgstr_plural
            return bool(forms) and all(form and not form.isspace() for form in forms)
        return bool(self.msgstr) and not self.msgstr.isspace()

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
    #: Header lines that are not ``Name: value``, as (line, text): only when read for a check.
    header_faults: list[tuple[int, str]] = field(default_factory=list, compare=False, repr=False)
    #: The encoding the file was read in ("utf-8" unless its Content-Type named another).
    encoding: str = field(default="utf-8", compare=False, repr=False)

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


# ------------------------------------------------------------------- string literals

_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPE_PATTERN = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]+)|(.))", re.DOTALL)
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
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


#: The largest value an escape may name: one byte (leading zeros are fine: ``\x0041``).
_ONE_BYTE = 0xFF


def unescape(literal: str, source: str = "", line: int = 0, encoding: str = "utf-8") -> str:
    r"""The value of a PO string literal's contents (without the quotes).

    As in GNU gettext, ``\ooo`` and ``\xHH`` name *bytes* of the file's encoding
    (``\xc3\xa9`` is "é" in a UTF-8 file), and ``\x`` takes every hex digit after it.
    An escape that names no single byte (``\x110000``, ``\777``), a NUL (GNU gettext
    silently ends the string there) or bytes that are not text in ``encoding`` raise
    :class:`CatalogError` at ``line``: gettext would keep a different string than the
    one written.

    >>> unescape(r'say \"hi\"\n')
    'say "hi"\n'
    >>> unescape(r'caf\xc3\xa9')
    'café'
    """
    if "\\" not in literal:
        return literal
    high_bytes = False

    def decode(match: re.Match[str]) -> str:
        nonlocal high_bytes
        octal, hexadecimal, char = match.groups()
        if char is not None:
            if char in _ESCAPES:
                return _ESCAPES[char]
            raise CatalogError(f"unknown escape sequence \\{char} in a string", source, line)
        digits = (octal or hexadecimal).lstrip("0")
        # Bounded before any conversion: a million-digit escape is refused, not converted.
        value = int(digits[:3], 8 if octal is not None else 16) if digits else 0
        if len(digits) > 3 or value > _ONE_BYTE:
            shown = match.group(0) if len(match.group(0)) <= 12 else match.group(0)[:12] + "…"
            raise CatalogError(
                f"escape {shown} names no single byte (GNU gettext would keep only its last byte)",
                source,
                line,
            )
        if value == 0:
            raise CatalogError("escape for a NUL byte: GNU gettext ends the string there", source, line)
        if value >= 0x80:
            high_bytes = True
            return chr(0xDC00 + value)  # a lone surrogate: a raw byte until the bytes are decoded
        return chr(value)

    text = _ESCAPE_PATTERN.sub(decode, literal)
    if not high_bytes:
        return text
    try:
        return text.encode(encoding, "surrogateescape").decode(encoding)
    except (UnicodeError, LookupError):
        raise CatalogError(
            f"escaped bytes that are not {encoding} text (as gettext would read them)", source, line
        ) from None


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


def _has_escape(strings: str) -> bool:
    """True when PO string contents hold a quote or a backslash (see ``po_read._LINE_STRING``)."""
    return '"' in strings or "\\" in strings


def on_screen(translation: str) -> str:
    """A translation as subtitles show it and checks measure it: NFC.

    A PO file saved by a macOS tool may hold decomposed Hangul (one jamo per character),
    which would double every length. The file itself is left as the translator wrote it:
    NFC would also rewrite characters a catalog may hold on purpose (the Kelvin sign).

    >>> len(on_screen("\u1112\u1161\u11ab"))
    1
    """
    if unicodedata.is_normalized("NFC", translation):
        return translation
    return unicodedata.normalize("NFC", translation)
