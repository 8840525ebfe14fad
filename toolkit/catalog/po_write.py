"""The PO writer: :func:`write_po` (bytes) and :func:`generate_po` (text), unwrapped as ``msgcat --no-wrap``.

Fast paths, each next to the general code it shortcuts: :func:`_entry_text` writes the
usual message in fewer steps than :func:`_entry_lines`, and :func:`updated_messages` gives
:func:`encoded_messages` of an updated catalog by reusing its template's written messages
(both checked against the general code in ``tests/test_catalog_fast_paths.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from toolkit.catalog.po import PoEntry, PoFile, escape, needs_escape, paused_gc


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
    # The previous text of a fuzzy message, `#~| ` when obsolete (as msgmerge writes it).
    previous = "#~| " if obsolete else "#| "
    if entry.previous_msgctxt is not None:
        lines += _string_field("msgctxt", entry.previous_msgctxt, previous)
    if entry.previous_msgid is not None:
        lines += _string_field("msgid", entry.previous_msgid, previous)
    if entry.previous_msgid_plural is not None:
        lines += _string_field("msgid_plural", entry.previous_msgid_plural, previous)
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


def header_lines(po: PoFile) -> list[str]:
    """The header entry's lines: its comments and flags, ``msgid ""``, then one string per field."""
    lines = _comment_lines("#", po.header_comments)
    if po.header_flags:
        lines.append("#, " + ", ".join(po.header_flags))
    lines.append('msgid ""')
    lines.append('msgstr ""')
    lines += [f'"{escape(f"{name}: {value}")}\\n"' for name, value in po.headers]
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
        or entry.previous_msgid_plural is not None
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
            and (entry.flags is source.flags or not (entry.flags or source.flags))
            and "fuzzy" not in source.flags
            and not entry.translator_comments
            and entry.previous_msgid is None
            and entry.previous_msgid_plural is None
            and entry.previous_msgctxt is None
            and entry.msgid_plural is None
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
        # One blank line before each message; the file ends with a line break.
        blocks = ["\n".join(header_lines(po)).encode("utf-8")]
        blocks += encoded_messages(po) if messages is None else messages
        blocks += ["\n".join(_entry_lines(entry, obsolete=True)).encode("utf-8") for entry in po.obsolete]
        blocks[-1] += b"\n"
        return b"\n\n".join(blocks)
