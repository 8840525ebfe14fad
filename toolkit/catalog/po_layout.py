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

from toolkit.catalog.po_decode import po_bytes
from toolkit.catalog.po_read import parse_po_text
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
    if block.startswith(b"#,"):
        start = 0
    else:
        start = block.find(b"\n#,") + 1
        if not start:
            return block
    end = block.find(b"\n", start)
    if end < 0 or block.find(b"\n#,", end) >= 0:
        return _FLAG_LINE.sub(_flags_key, block)  # flags on several lines (or last): the general way
    flags = [flag.strip() for flag in block[start + 2 : end].split(b",")]
    kept = sorted(flag for flag in flags if flag and not flag.startswith(b"max-length:"))
    line = b"#, " + b", ".join(kept) + b"\n" if kept else b""
    return block[:start] + line + block[end + 1 :]


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
    body = po_bytes(data).strip(b"\n")
    return _BLANK_LINES.split(body) if body else []


#: Layout-only differences, undone by plain byte replacements: a string continued on the next
#: line (``msgid ""`` then ``"…"`` lines, also in ``#|`` and ``#~`` lines) and references
#: spread over several ``#:`` lines.
_JOINS = (
    (b'""\n"', b'"'),
    (b'"\n"', b""),
    (b'""\n#| "', b'"'),
    (b'"\n#| "', b""),
    (b'""\n#~ "', b'"'),
    (b'"\n#~ "', b""),
    (b'""\n#~| "', b'"'),
    (b'"\n#~| "', b""),
    (b"\n#: ", b" "),
)


def _unwrapped(block: bytes) -> bytes:
    """:func:`_key` of the block with every string on one line and one ``#:`` line.

    Two blocks with the same result say the same thing; the converse needs the reader
    (:func:`_meaning`), used only when this is not enough.
    """
    for joined, join in _JOINS:
        if joined in block:
            block = block.replace(joined, join)
    return _key(block)


#: A string continued on the next line, and the continuations redbox itself writes: after an
#: embedded line break, or after the empty first string of a keyword (``msgid ""``).
_CONTINUED = (b'"\n"', b'"\n#| "', b'"\n#~ "', b'"\n#~| "')
_REDBOX_CONTINUED = tuple(prefix + continued for prefix in (b"\\n", b' "') for continued in _CONTINUED)


#: What follows ``"\n#`` on a continued line of a ``#|``, ``#~`` or ``#~|`` string.
_CONTINUED_COMMENTS = (b'| "', b'~ "', b'~| "')


def _in_redbox_layout(block: bytes) -> bool:
    """True for a block redbox could have written as it is: a turn with its budget flag, no
    string wrapped, one ``#:`` line. Such a block has no layout of its own to keep (it could
    only differ from what redbox writes in the order of its flags), so it need not be compared.
    """
    if b"max-length:" not in block:
        return False
    references = block.find(b"#: ")
    if references >= 0 and block.find(b"#: ", references + 3) >= 0:
        return False
    if b'"\n"' not in block and b'"\n#' not in block:
        return True  # every string on one line: the usual turn
    continued = sum([block.count(pattern) for pattern in _CONTINUED])
    return continued == sum([block.count(pattern) for pattern in _REDBOX_CONTINUED])


def _context(block: bytes) -> bytes:
    """The block's ``msgctxt`` line (``b""`` without one): a turn's is short, never wrapped."""
    start = block.find(b'msgctxt "')
    if start < 0:
        return b""
    end = block.find(b"\n", start)
    return block[start:] if end < 0 else block[start:end]


def _extracted(block: bytes) -> bytes:
    """The ``#.`` lines of a block redbox wrote (they come together, and no tool wraps them)."""
    start = block.find(b"#.")
    if start < 0:
        return b""
    end = start
    while True:
        end = block.find(b"\n", end)
        if end < 0 or block[end + 1 : end + 3] != b"#.":
            return block[start:] if end < 0 else block[start:end]
        end += 1


def _all_in_redbox_layout(data: bytes, turns: int, messages: int) -> bool:
    """True when every message of a file looks as redbox writes it (:func:`_in_redbox_layout`),
    counted over the whole file at once: then no message has a layout of its own to keep.

    ``turns`` and ``messages``: how many turn messages, and messages with a ``msgctxt``, the
    file has (its reader knows). Each has one ``#:`` line, and each turn one budget flag; every
    string continued on the next line follows an embedded line break or an empty first string.
    """
    if data.count(b"max-length:") != turns or data.count(b"\n#: ") != messages:
        return False
    for pattern in (b'"\n"', b'"\n#'):
        position = data.find(pattern)
        while position >= 0:
            continued = pattern == b'"\n"' or data.startswith(_CONTINUED_COMMENTS, position + 3)
            after_break = data[position - 2 : position] == b"\\n"
            if continued and not after_break and data[position - 2 : position + 1] != b' ""':
                return False
            position = data.find(pattern, position + 3)
    return True


def keep_layout(old: bytes, new: bytes, *, counts: tuple[int, int] | None = None) -> bytes:
    """``new`` (as redbox writes it), with each message that means what a message of ``old``
    means written as ``old`` wrote it; ``old`` itself when every message is unchanged.

    ``counts``: the turn messages and the messages with a ``msgctxt`` of ``old``, when known
    (see :func:`_all_in_redbox_layout`).
    """
    if counts is not None and b"\r" not in old and _all_in_redbox_layout(old, *counts):
        return new  # the file redbox wrote last: nothing of its layout to keep (the usual case)
    old_blocks = blocks(old)
    new_blocks = new[:-1].split(b"\n\n") if new.endswith(b"\n") else new.split(b"\n\n")
    unchanged = set(old_blocks)
    changed = [block for block in new_blocks if block not in unchanged]
    if changed:
        # Only blocks that differ in bytes are compared (the usual update changes few), first
        # by their text with lines joined, then by reading the few left that could still match.
        written = set(new_blocks)
        by_context: dict[bytes, list[bytes]] = {}
        for block in old_blocks:
            if block not in written and not _in_redbox_layout(block):
                by_context.setdefault(_context(block), []).append(block)
        replaced: dict[bytes, bytes] = {}
        used: set[bytes] = set()
        for block in changed if by_context else ():
            candidates = by_context.get(_context(block))
            if not candidates:
                continue
            extracted = _extracted(block)
            wanted: bytes | None = None
            for candidate in candidates:
                # The cheap tests first: no tool wraps `#.` lines, so a block without the new
                # one's is another message (another budget, a renumbered turn).
                if candidate in used or extracted not in candidate:
                    continue
                wanted = wanted or _unwrapped(block)
                if _unwrapped(candidate) == wanted or _meaning(candidate) == _key(block):
                    replaced[block] = candidate
                    used.add(candidate)
                    break
        new_blocks = [replaced.get(block, block) for block in new_blocks]
    if new_blocks == old_blocks:
        return old
    return b"\n\n".join(new_blocks) + b"\n"
