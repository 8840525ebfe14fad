"""PO bytes to text, as GNU gettext reads them: a BOM dropped, CR line ends made ``\\n``, and
(for ``redbox check``) the charset the header names when the file is not UTF-8.

Used by the reader (:mod:`.po_read`), its fast path (:mod:`.po_fast`) and the layout
checks (:mod:`.po_layout`).
"""

from __future__ import annotations

import codecs
import re

from toolkit.decoding import decode_text
from toolkit.errors import CatalogError, ToolkitError


def po_bytes(data: bytes) -> bytes:
    """PO bytes without a BOM, with ``\\n`` line ends (a CR LF pair is never inside a UTF-8 character).

    GNU gettext reads a CR as a blank: CRs before a line end go (``\\r\\r\\n`` too), and a
    file of CR line ends alone (old Mac files) has them read as line ends.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\r" not in data:  # (the test is a quicker scan)
        return data
    data = _CRS_AT_LINE_END.sub(b"\n", data)
    return data.replace(b"\r", b"\n") if b"\n" not in data else data


_CRS_AT_LINE_END = re.compile(rb"\r++\n")


#: The charset GNU gettext reads from the header: the characters after ``charset=`` up to a blank.
_CHARSET = re.compile(rb'^"Content-Type:[^"\n]*?charset=([^\s"\\;]*)', re.MULTILINE | re.IGNORECASE)


def po_text(data: bytes, source: str, any_charset: bool = False) -> tuple[str, str]:
    """PO bytes as text and the encoding they were read in: UTF-8 (a BOM dropped), ``\\n`` line ends."""
    data = po_bytes(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        failure = CatalogError("not UTF-8 (redbox catalogs are UTF-8; check Content-Type)", source, line)
    if not any_charset:
        raise failure
    found = _CHARSET.search(data, 0, 1 << 16)
    text, name = "", ""
    if found is not None:
        try:
            name = codecs.lookup(found.group(1).decode("ascii")).name
            text = data.decode(name)
        except (LookupError, UnicodeError):
            name = ""  # a charset Python does not know, or bytes that are not in it: guess
    if not name:
        try:
            decoded = decode_text(data, source)
        except ToolkitError:
            raise failure from None
        text, name = decoded.text, decoded.encoding
    if name.replace("_", "-").startswith(("utf-16", "utf-32")):
        # GNU gettext reads only charsets where ASCII is ASCII: msgfmt rejects such a file.
        message = f"{name.upper()}: gettext reads only ASCII-compatible charsets (use UTF-8)"
        raise CatalogError(message, source, 1)
    return text, name
