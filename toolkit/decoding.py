"""Turning the bytes users really have into text.

Accepted:

* UTF-8, with or without a BOM (bytes that are valid UTF-8 are read as UTF-8: legacy
  text almost never forms valid multi-byte UTF-8 sequences by accident);
* UTF-32 and UTF-16 with a BOM (UTF-32 LE's BOM starts like UTF-16 LE's, so it is
  tested first), or without one when the zero bytes of ASCII characters show which;
* two legacy encodings, chosen by evidence rather than by the first that decodes:
  Korean CP949 (and its subset EUC-KR), what older Korean Windows editors save, and
  Windows-1252 (a superset of ISO-8859-1's printable characters), what Western ones
  save. The same bytes often decode in both: English ``It’s`` saved as Windows-1252 is
  also valid CP949 (``It뭩``). Each reading is scored by how natural its non-ASCII
  characters are (:func:`_korean_reading`, :func:`_western_reading`), with the file's
  declared language (the ``language:`` header of a transcript or PO file, sniffed from
  its ASCII bytes, or given by the caller) as a tie-breaker, and the best reading wins.

Line ends CRLF and CR become LF, and the text is put in Unicode normalization form C
(NFC) so that a file saved in decomposed form (NFD, as macOS tools may: Hangul as
separate jamo, ``e`` + combining accent) reads exactly like the same text saved
anywhere else. Anything else, binary data included, is refused with a
:class:`~toolkit.errors.DecodeError` that says why.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from toolkit.errors import DecodeError
from toolkit.limits import base_language
from toolkit.model import pickled_by_constructor

#: Byte order marks, longest first: UTF-32 LE's (FF FE 00 00) begins with UTF-16 LE's (FF FE).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: How each guessed encoding is described to the user.
_GUESSED: dict[str, str] = {
    "euc-kr": "legacy Korean encoding",
    "cp949": "legacy Korean encoding",
    "windows-1252": "legacy Western encoding",
    "utf-16-le": "no byte order mark; told by its zero bytes",
    "utf-16-be": "no byte order mark; told by its zero bytes",
    "utf-32-le": "no byte order mark; told by its zero bytes",
    "utf-32-be": "no byte order mark; told by its zero bytes",
}

#: A legacy reading is only believed when at least this share of its non-ASCII
#: characters is natural (see :func:`_korean_reading` and :func:`_western_reading`).
MIN_NATURAL_SHARE = 0.8
#: What agreeing with the declared language adds to a reading's share when two compete.
LANGUAGE_FIT_BONUS = 0.1

#: The 2,350 Hangul syllables of KS X 1001 (EUC-KR rows 0xB0-0xC8): nearly every syllable
#: real Korean text uses. CP949 adds the other 8,822, which turn up mostly when Western
#: bytes such as Windows-1252's ’ (0x92) are read as the lead byte of a Korean character.
_COMMON_SYLLABLES = frozenset(
    bytes((lead, trail)).decode("euc-kr") for lead in range(0xB0, 0xC9) for trail in range(0xA1, 0xFF)
)

_NON_ASCII = re.compile("[^\x00-\x7f]")
#: Runs of adjacent non-ASCII characters, spaces (NBSP included) excepted.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\s]{2,}")
_LANGUAGE_LINE = re.compile(rb'^"?[Ll]anguage:[ \t]*([A-Za-z]{2,3})(?![A-Za-z])', re.MULTILINE)
#: How far into a file a ``language:`` header is looked for.
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with what was assumed to get it."""

    text: str
    encoding: str
    had_bom: bool = False
    newline: str = "\n"

    @property
    def legacy(self) -> bool:
        """True when the encoding was guessed rather than certain (worth telling the user)."""
        return self.encoding in _GUESSED and not self.had_bom

    @property
    def description(self) -> str:
        """Why the encoding is worth a note (empty when it is not)."""
        return _GUESSED.get(self.encoding, "") if self.legacy else ""

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


@dataclass(frozen=True)
class Reading:
    """One legacy decoding of some bytes and the evidence for it."""

    encoding: str
    text: str
    #: Non-ASCII characters that look like what people write in this encoding's language.
    natural: int
    #: Non-ASCII characters that look like a misreading (mojibake).
    unnatural: int
    #: Hangul syllables in the text.
    hangul: int

    @property
    def share(self) -> float:
        """The share of non-ASCII characters that are natural (1.0 when there are none)."""
        total = self.natural + self.unnatural
        return self.natural / total if total else 1.0

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


def sniff_language(data: bytes) -> str | None:
    """The base language a transcript (``language: ko``) or PO header (``"Language: ko\\n"``) declares.

    Read from the raw bytes, so it works before the encoding is known (the header is ASCII).

    >>> sniff_language(b"---\\ntitle: x\\nlanguage: ko-KR\\n---\\n"), sniff_language(b"no header")
    ('ko', None)
    """
    match = _LANGUAGE_LINE.search(data, 0, _SNIFF_BYTES)
    return match.group(1).decode("ascii").lower() if match else None


def _korean_reading(encoding: str, text: str) -> Reading:
    """Score a CP949/EUC-KR reading.

    Natural: the common KS X 1001 syllables, Hangul jamo, accented Latin letters (names),
    Greek and Cyrillic, and any punctuation, symbol, number or space. Unnatural: every
    other letter, that is what Windows-1252 bytes become when read as CP949: the rare
    CP949-only syllables (’s, —m, “A), Hanja (``éè``, ``ß»``) and kana (``«É``).
    """
    natural = unnatural = hangul = 0
    for char, count in Counter(_NON_ASCII.findall(text)).items():
        if "\uac00" <= char <= "\ud7a3":
            hangul += count
            if char in _COMMON_SYLLABLES:
                natural += count
            else:
                unnatural += count
        elif (
            "\u3131" <= char <= "\u318e"  # compatibility jamo (ㅋㅋ)
            or "\u00c0" <= char <= "\u024f"  # Latin letters with accents, in names
            or "\u0370" <= char <= "\u04ff"  # Greek and Cyrillic (rows that ¥ and ¬ would lead)
            or not unicodedata.category(char).startswith("L")
        ):
            natural += count
        else:
            unnatural += count
    return Reading(encoding, text, natural, unnatural, hangul)


def _western_reading(encoding: str, text: str) -> Reading:
    """Score a Windows-1252 reading.

    Western text has its non-ASCII characters mostly alone between ASCII ones (``It’s``,
    ``café``, ``— ``) or in pairs (``l’été``, ``”—``). Korean bytes read as Windows-1252
    come two per syllable, so a Korean word becomes a run of three or more Latin-1
    letters and symbols (``¾È³ç``); those runs, and pairs holding a symbol or number
    (``°¡``), are unnatural.
    """
    total = len(_NON_ASCII.findall(text))
    unnatural = 0
    for match in _NON_ASCII_RUN.finditer(text):
        run = match.group()
        if len(run) >= 3 or any(unicodedata.category(char)[0] in "SN" for char in run):
            unnatural += len(run)
    return Reading(encoding, text, total - unnatural, unnatural, 0)


def legacy_readings(data: bytes) -> list[Reading]:
    """Every legacy encoding ``data`` decodes in, each with its evidence (for tests and benchmarks)."""
    readings: list[Reading] = []
    try:
        text = data.decode("euc-kr")
    except UnicodeDecodeError:
        with contextlib.suppress(UnicodeDecodeError):
            readings.append(_korean_reading("cp949", data.decode("cp949")))
    else:  # EUC-KR is a subset of CP949: the same text, named for what the file needs
        readings.append(_korean_reading("euc-kr", text))
    with contextlib.suppress(UnicodeDecodeError):
        readings.append(_western_reading("windows-1252", data.decode("cp1252")))
    return readings


def choose_reading(readings: list[Reading], language: str | None) -> Reading | None:
    """The most natural reading, the declared language breaking near-ties; ``None`` if none is believable.

    ``language`` is a BCP 47 tag or ``None``. A Korean transcript is expected to have
    Hangul, anything else not: the reading that agrees gets :data:`LANGUAGE_FIT_BONUS`.
    """
    believable = [reading for reading in readings if reading.share >= MIN_NATURAL_SHARE]
    if not believable:
        return None
    korean = language is not None and base_language(language) == "ko"

    def score(reading: Reading) -> float:
        fits = language is not None and (reading.hangul > 0) == korean
        return reading.share + (LANGUAGE_FIT_BONUS if fits else 0.0)

    return max(believable, key=score)  # the first (Korean) wins a tie, as before


def _plain_share(text: str) -> float:
    """The share of characters that are ordinary text: ASCII, Latin, Hangul, CJK, common punctuation.

    ASCII read in the wrong byte order lands in U+2000-U+7EFF with a zero low byte
    (``a`` becomes U+6100), so such characters never count.
    """
    if not text:
        return 0.0
    plain = 0
    for char in text:
        code = ord(char)
        if 0x2000 <= code <= 0x7EFF and not code & 0xFF:
            continue
        if (
            (0x20 <= code < 0x7F or char in "\t\n\r\f")
            or 0xA0 <= code <= 0x24F  # Latin-1 and Latin Extended
            or 0x2010 <= code <= 0x205E  # dashes, quotes, ellipsis
            or 0x3000 <= code <= 0x9FFF  # CJK punctuation, kana, compatibility jamo, CJK ideographs
            or 0xAC00 <= code <= 0xD7A3  # Hangul syllables
            or 0xFF01 <= code <= 0xFF5E  # full-width forms
        ):
            plain += 1
    return plain / len(text)


def _unicode_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-32 or UTF-16 text without a BOM, told by its zero bytes: ``(encoding, text)`` or ``None``."""
    if b"\x00" not in data[:_SNIFF_BYTES] or len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for encoding, width in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        if len(data) % width:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # The wrong width or byte order turns ASCII into NULs or rare CJK (0x6100 for "a").
        share = _plain_share(text[:2048])
        if share >= 0.95 and (best is None or share > best[0]):
            best = (share, encoding, text)
    return (best[1], best[2]) if best else None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROLS))  # one C pass instead of a Python loop
    return controls > max(2, len(sample) // 100)


#: The bytes :func:`_looks_binary` does not count: all but the C0 controls other than tab, LF, FF, CR.
_NOT_CONTROLS = bytes(byte for byte in range(256) if byte >= 0x20 or byte in (0x09, 0x0A, 0x0C, 0x0D))


#: Bytes that only a binary file holds (the C0 controls but tab, LF, FF and CR): a file without
#: them that is UTF-8 is read as UTF-8 by every decoder, so reading it gives no legacy note.
_CONTROL_BYTES = bytes(byte for byte in range(0x20) if byte not in (0x09, 0x0A, 0x0C, 0x0D))


def has_control_byte(data: bytes) -> bool:
    """Whether ``data`` holds a byte of :data:`_CONTROL_BYTES`."""
    # (deleting them, a table lookup a byte, and comparing lengths takes a seventh of the time
    # of a regex search for them, which tests a character class at every byte; the copy lasts
    # one call)
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


def plain_utf8(data: bytes) -> str | None:
    """``data`` as UTF-8, its BOM dropped, when it is the plainest kind of file: valid UTF-8
    without a C0 control byte (tab, LF, FF and CR aside) or a CR; else ``None``.

    Such bytes are what :func:`decode_text` decodes as UTF-8 whatever else it tries (no other
    byte order mark is valid UTF-8, the UTF-16/32 tests need a NUL, the binary test a control
    byte), so a caller that needs neither NFC nor the line ends made LF, only to know the file
    decodes (``redbox check``'s catalogs, which the PO reader decodes itself), can stop here.
    """
    if has_control_byte(data) or b"\r" in data:
        return None
    try:
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _newlines(text: str) -> tuple[str, str]:
    if "\r" not in text:  # the usual file, told by the quickest scan
        return text, "\n"
    newline = "\r\n" if "\r\n" in text else "\r"
    return text.replace("\r\n", "\n").replace("\r", "\n"), newline


def _finish(text: str, encoding: str, had_bom: bool) -> DecodedText:
    """LF line ends and NFC, the one place every decoded text goes through."""
    text, newline = _newlines(text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return DecodedText(text, encoding, had_bom, newline)


def decode_text(data: bytes, source: str = "<bytes>", *, language: str | None = None) -> DecodedText:
    """Decode ``data`` as described in the module docstring.

    ``language`` (a BCP 47 tag) is the language the text should be in; when it is not
    given, a ``language:`` header in the first bytes is used, if there is one.

    >>> decode_text("\\ufeffJoy: hi\\r\\n".encode("utf-8")).text
    'Joy: hi\\n'
    >>> decode_text("조이: 안녕".encode("cp949")).encoding
    'euc-kr'
    >>> decode_text("Joy: It’s mine.".encode("cp1252"), language="en").text
    'Joy: It’s mine.'
    """
    mark, bom = next(((mark, encoding) for mark, encoding in _BOMS if data.startswith(mark)), (b"", ""))
    body = data[len(mark):]
    if bom and bom != "utf-8":
        try:
            return _finish(body.decode(bom), bom, True)
        except UnicodeDecodeError as error:
            message = f"not valid {bom[:6].upper()} despite its byte order mark ({error.reason})"
            raise DecodeError(message, source) from None
    had_bom = bom == "utf-8"
    if not had_bom and (found := _unicode_without_bom(body)) is not None:
        return _finish(found[1], found[0], False)

    if _looks_binary(body):
        raise DecodeError("looks like a binary file, not text", source)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    else:
        return _finish(text, "utf-8", had_bom)

    declared = language if language is not None else sniff_language(body)
    reading = choose_reading(legacy_readings(body), declared)
    if reading is not None:
        return _finish(reading.text, reading.encoding, False)
    line = body[: utf8_error.start].count(b"\n") + 1
    raise DecodeError(
        f"not UTF-8, UTF-16, UTF-32, Korean CP949/EUC-KR or Windows-1252 text (byte "
        f"0x{body[utf8_error.start]:02x} cannot be decoded as UTF-8, and no legacy reading looks "
        "like real text); save the file as UTF-8",
        source,
        line,
    )
