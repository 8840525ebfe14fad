"""Byte-stable rewrites: a rewritten catalog keeps the old file's text of every message that means the same.

Poedit wraps strings at 79 columns, Weblate (translate-toolkit) at 77, ``msgcat`` at 79 by
display columns; redbox writes unwrapped (``msgcat --no-wrap``). Written naively, every
``catalog update`` after a translator's save would rewrap the whole file. Instead
:func:`keep_layout` compares the file about to be written with the one read, message by
message (a message is a block of lines between blank lines), and where the old block
reads back as the same message (same strings, comments, references and flags, flags in
any order), it keeps the old block's bytes. Only messages that really changed are
written in redbox's layout; a file with nothing changed comes back byte for byte.
"""

from __future__ import annotations

import re

from toolkit.catalog.po_read import _po_bytes, parse_po_text
from toolkit.catalog.po_write import _entry_lines, _entry_text, header_lines
from toolkit.errors import CatalogError

_BLANK_LINES = re.compile(rb"\n(?:[ \t]*\n)+")
_FLAG_LINE = re.compile(rb"^#,[^\n]*(?:\n|\Z)", re.MULTILINE)


def _flags_key(match: re.Match[bytes]) -> bytes:
    line = match.group(0)
    flags = sorted(
        flag
        for flag in (part.strip() for part in line.rstrip(b"\n")[2:].split(b","))
        if flag
        if not flag.startswith(b"max-length:")
    )
    return b"#, " + b", ".join(flags) + b"\n" if flags else b""


def _key(block: bytes) -> bytes:
    """A written block with its flags sorted and without the budget flag.

    Tools keep or sort flags differently; GNU ``msgcat`` (which Poedit runs on every save)
    drops flags it does not know, Weblate's ``max-length`` among them. A message that
    differs from the old one only there keeps its old text: its ``#. budget:`` comment
    still says the budget (and CAT030 checks it), and the flag comes back when the
    message changes.
    """
    return _FLAG_LINE.sub(_flags_key, block) if b"#," in block else block


def _meaning(block: bytes) -> bytes | None:
    """The block as redbox would write what it says (``None`` when it is not exactly one message)."""
    try:
        po = parse_po_text(block.decode("utf-8"), "<block>")
    except (CatalogError, UnicodeDecodeError):
        return None
    count = len(po.entries) + len(po.obsolete) + (1 if po.header_line else 0)
    if count != 1:
        return None
    if po.header_line:
        text = "\n".join(header_lines(po))
    elif po.entries:
        text = _entry_text(po.entries[0])
    else:
        text = "\n".join(_entry_lines(po.obsolete[0], obsolete=True))
    return _key(text.encode("utf-8"))


def blocks(data: bytes) -> list[bytes]:
    """The blank-line-separated blocks of a PO file (a BOM and CR LF line ends normalised)."""
    body = _po_bytes(data).strip(b"\n")
    return _BLANK_LINES.split(body) if body else []


def keep_layout(old: bytes, new: bytes) -> bytes:
    """``new`` (as redbox writes it), with each message that means what a message of ``old``
    means written as ``old`` wrote it; ``old`` itself when every message is unchanged."""
    old_blocks = blocks(old)
    new_blocks = new[:-1].split(b"\n\n") if new.endswith(b"\n") else new.split(b"\n\n")
    unchanged = set(old_blocks)
    changed = [block for block in new_blocks if block not in unchanged]
    if changed:
        # Only blocks that differ in bytes are compared by meaning (the usual update changes few).
        written = set(new_blocks)
        by_meaning: dict[bytes, list[bytes]] = {}
        for block in old_blocks:
            if block not in written and (meaning := _meaning(block)) is not None:
                by_meaning.setdefault(meaning, []).append(block)
        replaced: dict[bytes, bytes] = {}
        for block in changed:
            same = by_meaning.get(_key(block))
            if same:
                replaced[block] = same.pop(0)
        new_blocks = [replaced.get(block, block) for block in new_blocks]
    if new_blocks == old_blocks:
        return old
    return b"\n\n".join(new_blocks) + b"\n"
