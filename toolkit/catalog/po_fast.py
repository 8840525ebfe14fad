"""Whole-file shortcuts of ``redbox catalog update`` on PO bytes in the shape redbox writes.

- :func:`read_known_turns` is ``known_turns(parse_po(data))``
  (:func:`toolkit.catalog.identity.known_turns` of :func:`toolkit.catalog.po_read.parse_po`)
  in one regular-expression pass, and falls back to exactly that for any other file;
  Hypothesis checks the two agree (``tests/test_catalog_fast_paths.py``).
- :func:`template_date_if_unchanged` compares a template file with the one about to be
  written as bytes, but for ``POT-Creation-Date``, instead of reading both.
"""

from __future__ import annotations

import re

from toolkit.catalog.identity import KnownTurn, known_turns
from toolkit.catalog.po import PoEntry, PoFile, _has_escape
from toolkit.catalog.po_decode import po_bytes
from toolkit.catalog.po_read import (
    _ANY_PLAIN_STRING,
    _EXTRACTED_LINES,
    _FLAG_LINES,
    _LINE_STRING,
    _REFERENCE_LINES,
    _TRANSLATOR_LINES,
    _comments,
    parse_po,
    parse_po_text,
)
from toolkit.errors import CatalogError

#: The message :data:`toolkit.catalog.po_read._SIMPLE_ENTRY` reads, capturing all of it, then its
#: extracted comments, msgctxt and msgid.
_TURN_FIELDS = re.compile(
    rf"({_TRANSLATOR_LINES}({_EXTRACTED_LINES}){_REFERENCE_LINES}{_FLAG_LINES}"
    rf"(?:#\| msgctxt {_ANY_PLAIN_STRING})?"
    rf"(?:#\| msgid {_ANY_PLAIN_STRING})?"
    rf"(?:msgctxt {_LINE_STRING})?"
    rf"msgid {_LINE_STRING}"
    rf"msgstr {_ANY_PLAIN_STRING}"
    r"(?:\n|\Z))"
)


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
    data = po_bytes(data)
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


def template_date_if_unchanged(old: bytes, new: bytes) -> str | None:
    """The ``POT-Creation-Date`` of the template file ``old`` when it equals ``new`` but for that date.

    ``redbox catalog update`` then keeps the file as it is (and its date), so running it
    twice changes nothing.
    """
    old_date = _CREATION_DATE_LINE.search(old)
    new_date = _CREATION_DATE_LINE.search(new)
    if old_date is None or new_date is None:
        return None
    if len(old) - len(old_date.group(0)) != len(new) - len(new_date.group(0)):
        return None  # different lengths (the usual update): no need to copy out the parts to compare
    if old[: old_date.start()] != new[: new_date.start()] or old[old_date.end() :] != new[new_date.end() :]:
        return None
    return old_date.group(1).decode("utf-8")


_CREATION_DATE_LINE = re.compile(rb'^"POT-Creation-Date: ([^"\\\n]*)\\n"$', re.MULTILINE)
