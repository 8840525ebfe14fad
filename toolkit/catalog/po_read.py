"""The PO reader: :func:`parse_po` (bytes) and :func:`parse_po_text`, with every line number.

Lines are read one by one (:class:`_Parser`), except that between messages a run of
messages in the usual shape (:data:`_SIMPLE_ENTRY`) is taken a whole message per regex
match (:meth:`_Parser.simple_entries`, checked against the line reader by Hypothesis in
``tests/test_catalog_fast_paths.py``).
"""

from __future__ import annotations

import re

from toolkit.catalog.po import PoEntry, PoFile, paused_gc, unescape
from toolkit.catalog.po_decode import po_text
from toolkit.errors import CatalogError

#: One string and the blanks after it; a line may hold several (GNU gettext joins them).
_ONE_STRING = re.compile(r'"((?:[^"\\]|\\.)*+)"\s*+')
_KEYWORDS = frozenset({"msgctxt", "msgid", "msgid_plural", "msgstr"})
#: A keyword and its strings, spaced as GNU gettext allows: ``msgid"a"``, ``msgstr [ 1 ] "b"``.
_KEYWORD_PATTERN = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\s*+\[\s*+(\d++)\s*+\])?\s*+(".*)$')
#: More digits than any plural form index has (GNU gettext reads the index as a C ``unsigned long``).
_MAX_INDEX_DIGITS = 6
#: One string without escapes on its own line: the quotes, nothing after them (captured, or not).
_PLAIN_STRING = r'"([^"\\\n]*+)"\n'
_ANY_PLAIN_STRING = r'"[^"\\\n]*+"\n'
#: One string on its own line, captured, that may still hold a quote or a backslash: the caller
#: checks (``[^\n]`` is scanned several times faster than ``[^"\\\n]``, on the long strings).
_LINE_STRING = r'"([^\n]*)"\n'
#: The comment lines of a message in their usual order: translator, extracted, references, flags.
_TRANSLATOR_LINES = r"(?:#(?:[^.:,|~\n][^\n]*+)?\n)*+"
_EXTRACTED_LINES = r"(?:#\.[^\n]*+\n)*+"
_REFERENCE_LINES = r"(?:#:[^\n]*+\n)*+"
_FLAG_LINES = r"(?:#,[^\n]*+\n)*+"
#: A whole active message in the shape redbox and msgcat write: comments in the usual order,
#: one-line strings without escapes, then a blank line or the end of the file. Read in one
#: step it gives the same entry as the line-by-line reader, which takes every other shape
#: (and so reports every error). Possessive quantifiers: no line can be given back usefully.
#: Its msgctxt, msgid and msgstr may still hold a quote or backslash (see _LINE_STRING): such a
#: message is not in the shape after all.
_SIMPLE_ENTRY_REST = (
    rf"({_FLAG_LINES})"
    rf"(?:#\| msgctxt {_PLAIN_STRING})?"
    rf"(?:#\| msgid {_PLAIN_STRING})?"
    rf"(?:msgctxt {_LINE_STRING})?"
    rf"msgid {_LINE_STRING}"
    rf"msgstr {_LINE_STRING}"
    r"(?:\n|\Z)"
)
_SIMPLE_ENTRY = re.compile(
    rf"({_TRANSLATOR_LINES})({_EXTRACTED_LINES})({_REFERENCE_LINES}){_SIMPLE_ENTRY_REST}"
)
#: :data:`_SIMPLE_ENTRY` for a read without the template fields (``parse_po(template_fields=False)``):
#: the extracted comments and references are matched but not copied out (an empty group
#: stands for each, so the groups line up).
_SIMPLE_ENTRY_NO_TEMPLATE_FIELDS = re.compile(
    rf"({_TRANSLATOR_LINES})(){_EXTRACTED_LINES}(){_REFERENCE_LINES}{_SIMPLE_ENTRY_REST}"
)


#: A header entry in the usual shape: translator comments and flags, ``msgid ""``, ``msgstr ""``
#: and one-line strings whose only escapes are the plain ones (``_PLAIN_ESCAPES``), then a
#: blank line or the end of the file. Read in one step (:meth:`_Parser.simple_header`) it gives
#: what the line-by-line reader gives, which takes every other shape.
_SIMPLE_HEADER = re.compile(
    rf"({_TRANSLATOR_LINES})({_FLAG_LINES})"
    r'msgid ""\nmsgstr ""\n'
    r'((?:"(?:[^"\\\n]++|\\["\\nt])*+"\n)++)'
    r"(?:\n|\Z)"
)


#: String contents whose only escapes are ``\"``, ``\\``, ``\n`` and ``\t`` (no bare quote or
#: backslash): what ``_ONE_STRING`` reads as one whole string, and ``unescape`` maps one to one.
_PLAIN_ESCAPES = re.compile(r'(?:[^"\\]++|\\["\\nt])*+')
_PLAIN_ESCAPE = re.compile(r'\\(["\\nt])')
_PLAIN_ESCAPE_VALUES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def _plain_escapes(msgctxt: str | None, msgid: str, msgstr: str) -> bool:
    """Whether each string's only escapes are the plain ones (each alone: a ``\\`` ending one
    string must not pair with the next string's first character)."""
    match = _PLAIN_ESCAPES.fullmatch
    return (msgctxt is None or match(msgctxt) is not None) and match(msgid) is not None and (
        match(msgstr) is not None
    )


def _unescape_plain(contents: str) -> str:
    """:func:`~toolkit.catalog.po.unescape` of contents ``_PLAIN_ESCAPES`` matches (tested to agree)."""
    if "\\" not in contents:
        return contents
    if "\\\\" not in contents and "\\n" not in contents and "\\t" not in contents:
        return contents.replace('\\"', '"')  # the usual case: quoted speech
    return _PLAIN_ESCAPE.sub(lambda match: _PLAIN_ESCAPE_VALUES[match[1]], contents)


class _Parser:
    """A line-by-line PO reader that keeps every comment, header and line number.

    With ``template_fields`` false the extracted comments and references of the messages
    are read (and checked) but not kept (see :func:`parse_po`).
    """

    def __init__(
        self, source: str, template_fields: bool = True, encoding: str = "utf-8", lenient: bool = False
    ) -> None:
        self.source = source
        self.template_fields = template_fields
        self.encoding = encoding
        #: Header lines that are not ``Name: value`` go to ``PoFile.header_faults`` (msgfmt
        #: ignores them) instead of failing: for ``redbox check``, which reports them.
        self.lenient = lenient
        self.po = PoFile()
        self.seen: dict[tuple[str | None, str], int] = {}
        #: The active message (or header) just read, while nothing else has been: a string
        #: after a blank line still belongs to its last msgstr (GNU gettext ignores blank lines).
        self.finished: PoEntry | None = None
        self._reset()

    def _reset(self) -> None:
        self.fields: dict[str, list[str]] = {}
        self.translator_comments: list[str] = []
        self.extracted_comments: list[str] = []
        self.references: list[str] = []
        self.flags: list[str] = []
        self.previous: dict[str, list[str]] = {}
        self.previous_last: str | None = None
        self.last: str | None = None
        self.msgid_line = 0
        self.first_line = 0
        self.is_obsolete = False
        self.has_msgstr = False
        self.plural_count = 0

    def fail(self, message: str, line: int) -> CatalogError:
        return CatalogError(message, self.source, line)

    def _string(self, text: str, line: int) -> str:
        """The value of a line's strings (usually one: ``"text"``; GNU gettext joins several)."""
        text = text.strip()
        if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
            inner = text[1:-1]
            if '"' not in inner and "\\" not in inner:
                return self._checked(inner, line)
        parts, position, size = [], 0, len(text)
        while position < size:
            match = _ONE_STRING.match(text, position)
            if match is None:
                raise self.fail(f"expected a quoted string, found {text[position:][:40]!r}", line)
            parts.append(unescape(match.group(1), self.source, line, self.encoding))
            position = match.end()
        if not parts:
            raise self.fail("expected a quoted string, found nothing", line)
        return self._checked("".join(parts), line)

    def _checked(self, value: str, line: int) -> str:
        if "\x04" in value:
            # gettext stores msgctxt and msgid as one string joined by EOT: it cannot hold one.
            raise self.fail("context separator <EOT> (U+0004) within a string", line)
        return value

    def feed(self, raw: str, number: int) -> None:
        first = raw[:1]
        if first == "#" and raw[1:2] != "~":
            # The usual comment line: finish the message before it, if any.
            if self.has_msgstr:
                self.finish(number)
            elif self.fields:
                raise self.fail("a comment between msgid and msgstr", number)
            if not self.first_line:
                self.first_line = number
            self.finished = None
            self._comment(raw.rstrip(), number)
            return
        if first == "m" or first == '"':
            if self.is_obsolete:
                self.finish(number)
            self._keyword_or_string(raw.rstrip(), number)
            return
        line = raw.strip()
        if not line:
            if self.has_msgstr:
                self.finish(number)  # (a blank line inside a message is only a blank, for gettext too)
            return
        if line.startswith("#~"):
            rest = line[2:]
            if rest.startswith("|"):
                # An obsolete message's previous text (`#~| msgid`): kept, as msgmerge keeps it.
                if self.has_msgstr:
                    self.finish(number)
                elif self.fields and not self.is_obsolete:
                    raise self.fail("an obsolete #~| line inside an active message", number)
                self.is_obsolete = True
                if not self.first_line:
                    self.first_line = number
                self.finished = None
                self._comment("#" + rest, number)
                return
            if not self.is_obsolete and self.has_msgstr:
                self.finish(number)
            if not self.fields and not self.is_obsolete:
                self.is_obsolete = True
            if not self.is_obsolete:
                raise self.fail("an obsolete #~ line inside an active message", number)
            self.finished = None  # (an obsolete string never continues an active message)
            self._keyword_or_string(rest.strip(), number)
            return
        if line != raw:
            self.feed(line, number)  # indented lines: read as if they were not
            return
        if self.is_obsolete:
            self.finish(number)
        self._keyword_or_string(line, number)

    def _comment(self, line: str, number: int) -> None:
        kind, text = line[1:2], line[2:]
        if kind == ".":
            self.extracted_comments.append(text[1:] if text.startswith(" ") else text)
        elif kind == ":":
            self.references.extend(text.split())
        elif kind == ",":
            self.flags.extend(flag.strip() for flag in text.split(",") if flag.strip())
        elif kind == "|":
            body = text.strip()
            if not body:
                return  # an empty `#|`: nothing to keep (GNU gettext passes over it too)
            match = _KEYWORD_PATTERN.match(body)
            if match and match.group(2) is None:
                self.previous_last = match.group(1)
                self.previous[self.previous_last] = [self._string(match.group(3), number)]
            elif body.startswith('"') and self.previous_last:
                self.previous[self.previous_last].append(self._string(body, number))
            else:
                raise self.fail(f"cannot read the previous-message line {line[:40]!r}", number)
        else:
            body = line[1:]
            self.translator_comments.append(body[1:] if body.startswith(" ") else body)

    def _keyword_or_string(self, line: str, number: int) -> None:
        if line.startswith('"'):
            if self.last is None:
                self._continue_finished(line, number)
                return
            self.fields[self.last].append(self._string(line, number))
            return
        self.finished = None
        keyword, _, value = line.partition(" ")
        if keyword not in _KEYWORDS or value.startswith("["):
            match = _KEYWORD_PATTERN.match(line)  # msgstr[N], or a tab (or nothing) after the keyword
            if match is None:
                raise self.fail(f"expected msgctxt, msgid or msgstr, found {line[:40]!r}", number)
            keyword, value = match.group(1), match.group(3)
            if match.group(2) is not None:
                keyword = self._plural_form(match.group(2), number)
            elif keyword == "msgstr" and "msgid_plural" in self.fields:
                raise self.fail("msgid_plural needs msgstr[0], msgstr[1] …, not msgstr", number)
        elif keyword == "msgstr" and "msgid_plural" in self.fields:
            raise self.fail("msgid_plural needs msgstr[0], msgstr[1] …, not msgstr", number)
        if keyword == "msgid" and "msgid" in self.fields and not self.has_msgstr:
            raise self.fail("msgid without msgstr", self.msgid_line)
        if keyword in ("msgctxt", "msgid") and self.has_msgstr:
            obsolete = self.is_obsolete
            self.finish(number)
            self.is_obsolete = obsolete
        if not self.first_line:
            self.first_line = number
        if keyword in self.fields:
            raise self.fail(f"{keyword} given twice in one message", number)
        if keyword.startswith("msgstr") and "msgid" not in self.fields:
            raise self.fail(f"{keyword} without a msgid before it", number)
        if keyword == "msgid":
            self.msgid_line = number
        elif keyword == "msgctxt" and "msgid" in self.fields:
            raise self.fail("msgctxt after msgid", number)
        self.fields[keyword] = [self._string(value, number)]
        self.last = keyword
        if keyword.startswith("msgstr"):
            self.has_msgstr = True

    def _plural_form(self, digits: str, number: int) -> str:
        """The keyword ``msgstr[N]`` for index ``digits``, which must be the next form (as in GNU gettext)."""
        if "msgid_plural" not in self.fields:
            raise self.fail(f"msgstr[{digits[:10]}] without a msgid_plural before it", number)
        expected = self.plural_count
        digits = digits.lstrip("0") or "0"
        if len(digits) > _MAX_INDEX_DIGITS or int(digits) != expected:
            shown = digits if len(digits) <= 10 else digits[:10] + "…"
            if expected == 0:
                raise self.fail(f"the first plural form is msgstr[{shown}], not msgstr[0]", number)
            raise self.fail(f"plural form msgstr[{shown}] where msgstr[{expected}] belongs", number)
        self.plural_count += 1
        return f"msgstr[{expected}]"

    def _continue_finished(self, line: str, number: int) -> None:
        """A string after the blank line that ended a message: the end of that message's last msgstr."""
        entry = self.finished
        if entry is None or not self.idle:
            raise self.fail("a string with no msgid or msgstr before it", number)
        value = self._string(line, number)
        if entry.msgid_plural is not None:
            entry.msgstr_plural[-1] += value
            return
        entry.msgstr += value
        if entry.msgid == "" and entry.msgctxt is None and entry.line == self.po.header_line:
            self.po.headers = []
            self._header(entry)

    def finish(self, number: int) -> None:
        if not self.fields:
            if self.translator_comments or self.extracted_comments or self.flags or self.references:
                return  # comments waiting for their message: keep them
            if self.previous:
                raise self.fail("a #| previous-text line with no message after it", self.first_line or number)
            self._reset()
            return
        values = {name: "".join(parts) for name, parts in self.fields.items()}
        if "msgid" not in values:
            raise self.fail("a message without msgid", self.first_line or number)
        plural_forms = [values[f"msgstr[{index}]"] for index in range(self.plural_count)]
        if "msgstr" not in values and not plural_forms:
            raise self.fail("msgid without msgstr", self.msgid_line)
        if "msgid_plural" in values and not plural_forms:
            raise self.fail("msgid_plural needs msgstr[0], msgstr[1] …", self.msgid_line)
        entry = PoEntry(
            msgid=values["msgid"],
            msgstr=values.get("msgstr", ""),
            msgctxt=values.get("msgctxt"),
            msgid_plural=values.get("msgid_plural"),
            msgstr_plural=plural_forms,
            translator_comments=self.translator_comments,
            extracted_comments=self.extracted_comments if self.template_fields else [],
            references=self.references if self.template_fields else [],
            flags=self.flags,
            previous_msgctxt="".join(self.previous["msgctxt"]) if "msgctxt" in self.previous else None,
            previous_msgid="".join(self.previous["msgid"]) if "msgid" in self.previous else None,
            line=self.msgid_line,
            previous_msgid_plural=(
                "".join(self.previous["msgid_plural"]) if "msgid_plural" in self.previous else None
            ),
        )
        if self.is_obsolete:
            self.po.obsolete.append(entry)
            self.finished = None
        else:
            self._store(entry)
            self.finished = entry
        self._reset()

    def _store(self, entry: PoEntry) -> None:
        """Add a finished active message (or the header) to the file."""
        if entry.msgid == "" and entry.msgctxt is None and not self.po.entries and not self.po.header_line:
            self._header(entry)
            return
        if entry.msgid == "" and entry.msgctxt is None:
            raise self.fail("a second header entry (empty msgid)", entry.line)
        key = (entry.msgctxt, entry.msgid)
        if key in self.seen:
            raise self.fail(f"duplicate message (first defined on line {self.seen[key]})", entry.line)
        self.seen[key] = entry.line
        self.po.entries.append(entry)

    @property
    def idle(self) -> bool:
        """True between messages, with nothing read of the next one (not even a comment)."""
        return not (
            self.fields
            or self.first_line
            or self.translator_comments
            or self.extracted_comments
            or self.references
            or self.flags
            or self.previous
            or self.is_obsolete
        )

    def simple_entries(self, text: str, position: int, number: int) -> tuple[int, int]:
        """Take the messages ``_SIMPLE_ENTRY`` matches one after another from ``position`` (line ``number``).

        Called while idle; does exactly what :meth:`feed` does with the same lines, comment
        by comment. Returns the position and line number where such messages stop.
        """
        template_fields = self.template_fields
        pattern = _SIMPLE_ENTRY if template_fields else _SIMPLE_ENTRY_NO_TEMPLATE_FIELDS
        match_entry, count, seen, entries = pattern.match, text.count, self.seen, self.po.entries
        start = position
        flag_lists: dict[str, list[str]] = {}  # each distinct `#,` block read once (a catalog repeats them)
        while (match := match_entry(text, position)) is not None:
            end = match.end()
            lines = count("\n", position, end)
            translator, extracted, references, flags, old_context, old_msgid, msgctxt, msgid, msgstr = (
                match.groups()
            )
            strings = msgid + msgstr if msgctxt is None else msgctxt + msgid + msgstr
            if '"' in strings or "\\" in strings:  # (_has_escape, inline: once a message)
                # Quoted speech (\") is common in turns: the plain escapes are read here too.
                # Anything else (another escape, a stray quote or backslash) goes line by line.
                if "\x04" in strings or not _plain_escapes(msgctxt, msgid, msgstr):
                    break
                msgid = _unescape_plain(msgid)
                msgstr = _unescape_plain(msgstr)
                if msgctxt is not None:
                    msgctxt = _unescape_plain(msgctxt)
            elif "\x04" in strings:
                break  # an EOT: the line-by-line reader reports it
            # Each line's words (or comma-separated flags), as if the lines were one.
            reference_list = references.replace("\n#:", " ")[2:].split() if references else []
            if flags:
                known_flags = flag_lists.get(flags)
                if known_flags is None:
                    split = flags.replace("\n#,", ",")[2:].split(",")
                    known_flags = flag_lists[flags] = [flag for flag in map(str.strip, split) if flag]
                flag_list = known_flags.copy()  # each message its own list
            else:
                flag_list = []
            # The msgstr line is the last, or the one before the blank line that ends the message.
            msgid_line = number + lines - (3 if text[end - 2] == "\n" else 2)
            entry = PoEntry(
                msgid,
                msgstr,
                msgctxt,
                None,
                [],
                _comments(translator, "#") if translator else [],
                _comments(extracted, "#.") if extracted else [],
                reference_list,
                flag_list,
                old_context,
                old_msgid,
                msgid_line,
            )
            position, number = end, number + lines
            if msgctxt is None and msgid == "":
                self._store(entry)  # the header, or a second one
                continue
            # What _store does for every other message (one lookup: the line of the first one).
            first_line = seen.setdefault((msgctxt, msgid), msgid_line)
            if first_line != msgid_line:
                raise self.fail(f"duplicate message (first defined on line {first_line})", msgid_line)
            entries.append(entry)
        if position > start:
            self.finished = entry  # the last message taken (what feed leaves there), set once
        return position, number

    def simple_header(self, text: str) -> tuple[int, int]:
        """Take the header at the start of ``text`` when ``_SIMPLE_HEADER`` matches it, as
        :meth:`feed` would line by line; returns the position and line number after it
        (``0, 1``: not in that shape, nothing taken)."""
        match = _SIMPLE_HEADER.match(text)
        if match is None or "\x04" in match.group(3):
            return 0, 1  # (an EOT: the line-by-line reader reports it)
        translator, flags, strings = match.groups()
        msgid_line = 1 + translator.count("\n") + flags.count("\n")
        msgstr = "".join([_unescape_plain(line[1:-1]) for line in strings[:-1].split("\n")])
        split = flags.replace("\n#,", ",")[2:].split(",") if flags else []
        entry = PoEntry("", msgstr, None, None, [], _comments(translator, "#") if translator else [], [], [],
                        [flag.strip() for flag in split if flag.strip()], None, None, msgid_line)  # fmt: skip
        self._store(entry)
        self.finished = entry
        return match.end(), 1 + text.count("\n", 0, match.end())

    def _header(self, entry: PoEntry) -> None:
        self.po.header_line = entry.line
        self.po.header_comments = entry.translator_comments
        self.po.header_flags = entry.flags
        for offset, field_line in enumerate(entry.msgstr.split("\n")):
            if not field_line.strip():
                continue
            name, colon, value = field_line.partition(":")
            if not colon:
                if not self.lenient:
                    message = f"header line {field_line[:40]!r} is not 'Name: value'"
                    raise self.fail(message, entry.line + offset)
                self.po.header_faults.append((entry.line + offset, field_line))
                continue
            self.po.headers.append((name.strip(), value.strip()))


def parse_po_text(
    text: str,
    source: str = "<po>",
    *,
    template_fields: bool = True,
    encoding: str = "utf-8",
    lenient: bool = False,
) -> PoFile:
    """Read a PO or POT file's text; raise :class:`CatalogError` (with its line) when it does not parse.

    ``template_fields``: see :func:`parse_po`; ``encoding``: the file's, for the bytes its
    ``\\ooo`` and ``\\xHH`` escapes name.

    >>> text = 'msgid ""\\nmsgstr "Language: ko\\\\n"\\n\\n'
    >>> po = parse_po_text(text + 'msgctxt "speaker"\\nmsgid "Joy"\\nmsgstr "조이"\\n')
    >>> po.language, po.entries[0].msgstr, po.entries[0].line
    ('ko', '조이', 5)
    """
    parser = _Parser(source, template_fields, encoding, lenient)
    position, number = parser.simple_header(text)
    idle = True
    while True:
        # Messages in the usual shape a whole message at a time, everything else line by line.
        if idle:
            position, number = parser.simple_entries(text, position, number)
        end = text.find("\n", position)
        if end < 0:
            parser.feed(text[position:], number)
            break
        parser.feed(text[position:end], number)
        position, number = end + 1, number + 1
        idle = parser.idle
    parser.finish(number + 1)
    if parser.fields:
        raise CatalogError("the file ends inside a message", source, number)
    if parser.previous:
        message = "a #| previous-text line with no message after it"
        raise CatalogError(message, source, parser.first_line or number)
    # (Comments after the last message belong to no message: gettext drops them too.)
    parser.po.encoding = encoding
    return parser.po


def parse_po(
    data: bytes, source: str = "<po>", *, template_fields: bool = True, any_charset: bool = False,
    utf8: str | None = None,
) -> PoFile:
    """Read PO bytes (UTF-8, as every redbox catalog is written).

    With ``template_fields`` false, the messages' extracted comments (``#.``) and
    references (``#:``) are checked but not kept: :func:`update` replaces them with the
    template's, so a catalog read only to be updated need not build them (about a
    third of the reading time at 20,000 messages).

    With ``any_charset`` (``redbox check``), a header line that is not ``Name: value`` goes
    to ``PoFile.header_faults`` instead of failing, and a file that is not UTF-8 is read in the
    charset its header's ``Content-Type`` names, as GNU gettext reads it (or, when that
    names none Python knows, as :func:`toolkit.decoding.decode_text` guesses);
    ``PoFile.encoding`` says which. Otherwise such a file is an error: every command
    that writes a catalog writes UTF-8.

    ``utf8``: the caller has decoded ``data`` already, as :func:`.po_decode.po_text` would
    have (UTF-8, without a CR: :func:`toolkit.decoding.plain_utf8`), so it is not decoded again.
    """
    with paused_gc():
        text, encoding = (utf8, "utf-8") if utf8 is not None else po_text(data, source, any_charset)
        return parse_po_text(
            text, source, template_fields=template_fields, encoding=encoding, lenient=any_charset
        )


_SPACE_AT_LINE_END = re.compile(r"\s\n")  # \s is what str.rstrip strips
#: Each mark's line start and line separator, made once (``_comments`` runs for most messages).
_MARK_PREFIXES = {"#": ("# ", "\n# "), "#.": ("#. ", "\n#. ")}


def _comments(block: str, mark: str) -> list[str]:
    """The comments of consecutive ``mark`` lines, kept as the reader keeps them.

    Each line is right-stripped, and its mark and one space after it dropped (as ``_comment``).
    """
    prefix, separator = _MARK_PREFIXES.get(mark) or (f"{mark} ", f"\n{mark} ")
    if (
        block.startswith(prefix)
        and block.count(separator) == block.count("\n") - 1
        and _SPACE_AT_LINE_END.search(block) is None
    ):
        # Every line is `mark comment` with nothing to strip: one split (the usual comments).
        return block[len(prefix) : -1].split(separator)
    size = len(mark)
    return [
        text[size + 1 :] if text[size : size + 1] == " " else text[size:]
        for text in map(str.rstrip, block[:-1].split("\n"))
    ]
