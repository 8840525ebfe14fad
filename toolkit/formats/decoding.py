"""Subtitle file bytes to text, the way the players of each format decode them.

WebVTT (Chromium's ``<track>`` loader): UTF-8, one BOM stripped, undecodable bytes become
U+FFFD, and nothing else is touched: NUL and control characters reach the parser (which
reads NUL as U+FFFD, SUB109), text is not normalised. So the text returned keeps its
BOM for :func:`toolkit.formats.vtt.parse_vtt` to strip, exactly one, as Chromium does (a
file starting with two BOMs is rejected). A UTF-16 file with a BOM is decoded by it, as
Chromium does; a UTF-32 file is read as Chromium reads it (its BOM taken for UTF-16's, or
none), so that it fails as it does there. A file that is not UTF-8 is decoded as
:func:`toolkit.decoding.decode_text` decodes it (CP949, Windows-1252), so that
``redbox convert`` keeps its text; ``check`` reports it (SUB110, error): browsers show its
non-ASCII text as U+FFFD.

SRT (pysrt, srt, ffmpeg, mpv): :func:`toolkit.decoding.decode_text` first (BOMs, UTF-16/32,
UTF-8, CP949 against Windows-1252 by evidence); a file in any other encoding (GB2312,
Shift JIS, Windows-1251, ...) is detected with chardet, as mpv detects it with uchardet,
and when nothing fits, undecodable bytes become U+FFFD. Either way ``check`` warns
(SUB206); only a file that looks binary is refused.
"""

from __future__ import annotations

import codecs

from toolkit.decoding import DecodedText, decode_text
from toolkit.errors import DecodeError

#: The encoding recorded when no encoding fits and undecodable bytes were replaced by U+FFFD.
UNKNOWN_ENCODING = "unknown"
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_subtitle(data: bytes, source: str, format_id: str) -> DecodedText:
    """The text of a subtitle file of format ``format_id`` (``srt`` or ``vtt``), see the module docstring.

    >>> decode_subtitle(b"\\xef\\xbb\\xbf\\xef\\xbb\\xbfWEBVTT\\n", "a.vtt", "vtt").text
    '\\ufeff\\ufeffWEBVTT\\n'
    """
    if format_id == "vtt":
        return _decode_vtt(data, source)
    try:
        return decode_text(data, source)
    except DecodeError:
        if b"\x00" in data[:8192]:
            raise
        return _detected(data)


def _decode_vtt(data: bytes, source: str) -> DecodedText:
    if data.startswith(codecs.BOM_UTF32_LE):  # Chromium takes FF FE for UTF-16's BOM
        return DecodedText(data[2:].decode("utf-16-le", "replace"), "utf-32-le", True)
    if data.startswith(codecs.BOM_UTF32_BE):  # no BOM Chromium knows: read as UTF-8
        return DecodedText(data.decode("utf-8", "replace"), "utf-32-be", True)
    if data.startswith(_WIDE_BOMS):
        return decode_text(data, source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # (the bytes asked for a CR, the quickest scan: UTF-8 keeps each CR byte as a CR)
        newline = "\n" if b"\r" not in data else "\r\n" if "\r\n" in text else "\r"
        return DecodedText(text, "utf-8", text.startswith("\ufeff"), newline)
    try:
        return decode_text(data, source)
    except DecodeError:
        return _replaced(data)


def _detected(data: bytes) -> DecodedText:
    """SRT bytes no encoding :func:`decode_text` knows fits: chardet's guess, or U+FFFD replacements."""
    import chardet

    guess = chardet.detect(data).get("encoding")
    if guess:
        try:
            text = data.decode(guess)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            return _lf(text.removeprefix("\ufeff"), guess)
    return _replaced(data)


def _replaced(data: bytes) -> DecodedText:
    return _lf(data.decode("utf-8", "replace").removeprefix("\ufeff"), UNKNOWN_ENCODING)


def _lf(text: str, encoding: str) -> DecodedText:
    newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text else "\n"
    return DecodedText(text.replace("\r\n", "\n").replace("\r", "\n"), encoding, False, newline)
