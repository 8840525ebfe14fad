"""GNU MO files (:func:`compile_mo`), as ``msgfmt`` writes them."""

from __future__ import annotations

import struct

from toolkit.catalog.po import PoFile
from toolkit.catalog.po_write import header_text


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
