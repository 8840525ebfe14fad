"""Turning the bytes users really have into text.

Accepted: UTF-8 with or without a BOM, UTF-16 with a BOM, and legacy Korean
(EUC-KR and its superset CP949, still what older Windows editors save). Line ends
CRLF and CR become LF. Anything else, binary data included, is refused with a
:class:`~toolkit.errors.DecodeError` that says why.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from toolkit.errors import DecodeError
from toolkit.limits import is_hangul


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
        return self.encoding in ("euc-kr", "cp949")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in (0x09, 0x0A, 0x0C, 0x0D))
    return controls > max(2, len(sample) // 100)


def _plausible_korean(text: str) -> bool:
    """A legacy decoding is only believed when its non-ASCII characters are mostly Hangul.

    Latin-1 or Windows-1252 bytes often decode as CP949 too, into rare Hanja and
    symbols; requiring Hangul keeps those files refused instead of garbled.
    """
    wide = [char for char in text if ord(char) > 0x7F]
    if not wide:
        return False
    hangul = sum(1 for char in wide if is_hangul(char))
    punctuation = sum(1 for char in wide if unicodedata.category(char).startswith(("P", "Z")))
    return (hangul + punctuation) / len(wide) >= 0.9 and hangul > 0


def _newlines(text: str) -> tuple[str, str]:
    if "\r" not in text:  # the usual file, told by the quickest scan
        return text, "\n"
    newline = "\r\n" if "\r\n" in text else "\r"
    return text.replace("\r\n", "\n").replace("\r", "\n"), newline


def decode_text(data: bytes, source: str = "<bytes>") -> DecodedText:
    """Decode ``data`` as described in the module docstring.

    >>> decode_text("\\ufeffJoy: hi\\r\\n".encode("utf-8")).text
    'Joy: hi\\n'
    >>> decode_text("조이: 안녕".encode("cp949")).encoding
    'euc-kr'
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding, body, had_bom = "utf-8", data[3:], True
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body, had_bom = "utf-16", data, True
    else:
        encoding, body, had_bom = "utf-8", data, False

    if encoding == "utf-16":
        try:
            text = body.decode("utf-16")
        except UnicodeDecodeError as error:
            message = f"not valid UTF-16 despite its byte order mark ({error.reason})"
            raise DecodeError(message, source) from None
        text, newline = _newlines(text)
        return DecodedText(text, "utf-16", had_bom, newline)

    if _looks_binary(body):
        raise DecodeError("looks like a binary file, not text", source)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    else:
        text, newline = _newlines(text)
        return DecodedText(text, "utf-8", had_bom, newline)

    for legacy in ("euc-kr", "cp949"):
        try:
            text = body.decode(legacy)
        except UnicodeDecodeError:
            continue
        if _plausible_korean(text):
            text, newline = _newlines(text)
            return DecodedText(text, legacy, False, newline)
    line = body[: utf8_error.start].count(b"\n") + 1
    raise DecodeError(
        f"not UTF-8, UTF-16 or Korean EUC-KR/CP949 text (byte 0x{body[utf8_error.start]:02x} "
        "cannot be decoded); save the file as UTF-8",
        source,
        line,
    )
