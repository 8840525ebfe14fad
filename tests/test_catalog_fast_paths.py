"""The quick ways through a catalog give exactly what the slow, general ones give.

``redbox catalog update`` reads large catalogs through regular-expression fast paths;
each is checked here against the general code on PO text built to be awkward: every
comment kind in and out of order, escapes, multi-line strings, empty and missing
contexts, duplicates, obsolete entries, a missing header, CRLF line ends.
"""

from __future__ import annotations

import difflib
import itertools
import re
from unittest import mock

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.interpreted import patching
from toolkit import catalog
from toolkit.catalog import identity, po, po_fast, po_read, po_write
from toolkit.errors import CatalogError

HEADER = 'msgid ""\nmsgstr ""\n"Language: ko\\n"\n"POT-Creation-Date: 2026-11-26 12:00+0000\\n"\n'

_comment_lines = st.lists(
    st.sampled_from(
        [
            "# translator note",
            "#",
            "#. speaker: Joy",
            "#. speaker: Dasom  ",
            "#.speaker: Ilhyeok",
            "#.  speaker: All",
            "#. turn: 3",
            "#.",
            "#: transcripts/ep.txt:4",
            "#: a.txt:1 b.txt:2",
            "#, fuzzy",
            "#, fuzzy, c-format",
            '#| msgid "Old text."',
            '#| msgctxt "ep/old"',
        ]
    ),
    max_size=4,
)
_contexts = st.sampled_from(
    [None, '"ep/a1"', '"ep/a2"', '"speaker"', '"title"', '""', '"ep/a\\"3"', '""\n"ep/a4"']
)
#: Escapes the one-message reader reads (quotes, backslashes, newlines, tabs), others it leaves
#: to the line reader (octal, hex, unknown, a bare quote or backslash, two strings on a line).
_ESCAPED = [
    '"Say \\"hi\\"."', '"a\\\\b"', '"a\\\\"', '"tab\\there"', '"\\"\\n\\"\\t\\\\"',
    '"\\\\n"', '"caf\\xc3\\xa9"', '"\\101"', '"bad \\q"', '"a\\"', '"a" "b"', '"a"b"',
    '"\\"', '"\\\\\\"', '"x\\\\\\"y"', '"\\x04"', '"\\a\\r"',
]
_msgids = st.sampled_from(['"Hi."', '"Hi."', '"Right"', '""', '"Two\\nlines"', '""\n"Wrapped "\n"text."',
                           *_ESCAPED])  # fmt: skip
_msgstrs = st.sampled_from(['""', '"안녕."', '"조이"', '""\n"두 줄"', *_ESCAPED])


@st.composite
def _entries(draw: st.DrawFn) -> str:
    lines = list(draw(_comment_lines))
    context = draw(_contexts)
    if context is not None:
        lines.append(f"msgctxt {context}")
    lines.append(f"msgid {draw(_msgids)}")
    lines.append(f"msgstr {draw(_msgstrs)}")
    text = "\n".join(lines)
    if draw(st.integers(0, 9)) == 0:  # now and then an obsolete entry
        text = "\n".join(f"#~ {line}" for line in text.split("\n") if not line.startswith("#"))
    return text


@st.composite
def _turn_entries(draw: st.DrawFn) -> str:
    """A turn as redbox writes it (ids from a small set, so some repeat)."""
    speaker = draw(st.sampled_from(["Joy", "조이", "Dasom "]))
    turn_id = draw(st.sampled_from(["a1", "a2", "b7", "c9", "d4", "e5", "f6", "g7", "h8"]))
    texts = ["Hi.", "Right", "맞아요", "100% sure", 'He said \\"no\\".', "a\\\\n\\n"]
    text = draw(st.sampled_from(texts))
    comments = f"#. speaker: {speaker}\n#. turn: 1\n#: ep.txt:3\n"
    return f'{comments}msgctxt "ep/{turn_id}"\nmsgid "{text}"\nmsgstr ""'


@st.composite
def po_texts(draw: st.DrawFn) -> str:
    if draw(st.booleans()):  # a tidy file as redbox writes it, maybe with one odd message
        entries = draw(st.lists(_turn_entries(), max_size=8))
        if draw(st.booleans()):
            entries.insert(draw(st.integers(0, len(entries))), draw(_entries()))
        return "\n\n".join([HEADER.rstrip("\n"), *entries]) + "\n"
    # (A lone string: after a blank line it ends the message before it, as in GNU gettext.)
    entries = draw(st.lists(st.one_of(_entries(), _turn_entries(), st.just('"continued"')), max_size=8))
    separators = draw(st.lists(st.sampled_from(["\n\n", "\n", "\n\n\n"]), min_size=len(entries)))
    body = "".join(separator + entry for separator, entry in zip(separators, entries, strict=False))
    header = HEADER + draw(st.sampled_from(["\n", ""])) if draw(st.booleans()) or not body else ""
    text = header + body.lstrip("\n") + draw(st.sampled_from(["\n", "", "\n\n"]))
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    return text


def _outcome(read: object, data: bytes) -> object:
    try:
        return read(data)  # type: ignore[operator]
    except CatalogError as error:
        return ("error", error.message, error.line)


def _slow_known_turns(data: bytes) -> list[catalog.KnownTurn]:
    return catalog.known_turns(catalog.parse_po(data, "x.pot"))


@settings(max_examples=400)
@given(po_texts())
def test_known_turns_read_quickly_are_those_of_the_whole_file(text: str) -> None:
    data = text.encode("utf-8")
    fast = _outcome(lambda d: catalog.read_known_turns(d, "x.pot"), data)
    assert fast == _outcome(_slow_known_turns, data)


_NEVER = re.compile(r"(?!)")


@settings(max_examples=400)
@given(po_texts(), st.booleans())
def test_messages_read_in_one_step_are_those_read_line_by_line(text: str, template_fields: bool) -> None:
    data = text.encode("utf-8")

    def read(d: bytes) -> object:
        return catalog.parse_po(d, "x.po", template_fields=template_fields)

    fast = _outcome(read, data)
    with mock.patch.object(po_read, "_SIMPLE_ENTRY", _NEVER), \
         mock.patch.object(po_read, "_SIMPLE_ENTRY_NO_TEMPLATE_FIELDS", _NEVER), \
         mock.patch.object(po_read, "_SIMPLE_HEADER", _NEVER):  # fmt: skip
        slow = _outcome(read, data)
    assert fast == slow


@patching(po_read)
def test_a_catalog_read_for_an_update_does_not_copy_out_its_template_fields() -> None:
    # Fails if the update's read (template_fields=False) goes back to the pattern that copies
    # out every message's #. and #: lines only to drop them, or to the line reader.
    entries = "".join(f'\n#. speaker: Joy\n#. turn: {i}\n#: ep.txt:{i}\n#, max-length:40\nmsgctxt "ep/a{i}"\n'
                      f'msgid "Hi {i}."\nmsgstr "안녕 {i}."\n' for i in range(5))  # fmt: skip
    data = (HEADER + entries + '\n"!"\n').encode("utf-8")
    with (
        mock.patch.object(po_read, "_SIMPLE_ENTRY", _NEVER),
        mock.patch.object(po_read._Parser, "feed", autospec=True, side_effect=po_read._Parser.feed) as fed,
    ):
        lean = catalog.parse_po(data, "x.po", template_fields=False)
    whole = catalog.parse_po(data, "x.po")
    for entry in whole.entries:
        entry.extracted_comments, entry.references = [], []
    assert lean == whole
    assert [entry.line for entry in lean.entries] == [11, 19, 27, 35, 43]
    assert lean.entries[-1].msgstr == "안녕 4.!"  # the string after the blank line: its msgstr's end
    # Line by line: only the string after the last message (and nothing of the header or messages).
    assert [call.args[1] for call in fed.call_args_list if call.args[1].strip()] == ['"!"']


_header_lines = st.lists(st.sampled_from(["# Translations of the Red Box", "#", "#  two spaces ", "#, fuzzy",
                                          "#,fuzzy, c-format", "#. extracted", "#: a.txt:1", "#~ old"]),
                         max_size=3)  # fmt: skip
_header_strings = st.lists(st.sampled_from(['"Language: ko\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"',
                                            '"X-Note: \\"quoted\\"\\t\\\\\\n"', '"No colon\\n"', '""',
                                            '"Bad: \\q\\n"', '"EOT: \\x04\\n"', '"Bare " quote"',
                                            '"Trailing: space\\n"  ', '"X: \x04\\n"']),
                         max_size=4)  # fmt: skip


@settings(max_examples=400)
@given(_header_lines, _header_strings, st.sampled_from(["\n", "", "\n\n", "\nmsgid \"a\"\nmsgstr \"b\"\n",
                                                        "#, fuzzy\nmsgid \"a\"\nmsgstr \"b\"\n",
                                                        '"continued"\n', "\n\"after a blank\"\n"]),
       st.booleans())  # fmt: skip
def test_a_header_read_in_one_step_is_the_header_read_line_by_line(
    comments: list[str], strings: list[str], after: str, lenient: bool
) -> None:
    text = "".join(f"{line}\n" for line in comments) + 'msgid ""\nmsgstr ""\n'
    text += "".join(f"{string}\n" for string in strings)
    data = (text + after).encode("utf-8")

    def read(d: bytes) -> object:
        return catalog.parse_po(d, "x.po", any_charset=lenient)

    fast = _outcome(read, data)
    with mock.patch.object(po_read, "_SIMPLE_HEADER", re.compile(r"(?!)")):
        assert fast == _outcome(read, data)


@settings(max_examples=300)
@given(po_texts())
def test_reading_for_an_update_drops_only_the_template_fields(text: str) -> None:
    data = text.encode("utf-8")
    whole = _outcome(lambda d: catalog.parse_po(d, "x.po"), data)
    lean = _outcome(lambda d: catalog.parse_po(d, "x.po", template_fields=False), data)
    if isinstance(whole, catalog.PoFile):
        for entry in [*whole.entries, *whole.obsolete]:
            entry.extracted_comments, entry.references = [], []
    assert lean == whole


@patching(po_fast)
def test_a_redbox_template_is_read_quickly() -> None:
    template = catalog.PoFile(
        headers=[("Language", "")],
        entries=[
            catalog.PoEntry("Hi.", msgctxt="ep/a1", extracted_comments=["speaker: Joy", "turn: 1"]),
            catalog.PoEntry("Joy", msgctxt="speaker"),
        ],
    )
    data = catalog.write_po(template)
    with (
        mock.patch.object(po_fast, "parse_po", wraps=catalog.parse_po) as whole_file_reader,
        mock.patch.object(po_fast, "parse_po_text", wraps=catalog.parse_po_text) as reader,
    ):
        turns = catalog.read_known_turns(data)
    assert turns == [catalog.KnownTurn("a1", "Joy", "Hi.")]
    assert not whole_file_reader.called
    assert len(reader.call_args_list) == 1  # the header alone, not the whole file
    assert reader.call_args.args[0].count("msgid") == 1


@given(st.sampled_from(_ESCAPED), st.sampled_from(_ESCAPED), st.sampled_from([None, '"ep/a\\"1"', '"s\\\\"']))
def test_plain_escapes_are_read_as_the_line_reader_reads_them(
    msgid: str, msgstr: str, context: str | None
) -> None:
    # Each string on its own, then all three in one message: the same value, or the same error.
    for literal in (msgid, msgstr, *([context] if context else [])):
        inner = literal[1:-1]
        if po_read._PLAIN_ESCAPES.fullmatch(inner) is not None:
            assert po_read._unescape_plain(inner) == po.unescape(inner)
    text = HEADER + "\n" + (f"msgctxt {context}\n" if context else "") + f"msgid {msgid}\nmsgstr {msgstr}\n"
    data = text.encode("utf-8")
    fast = _outcome(lambda d: catalog.parse_po(d, "x.po"), data)
    with mock.patch.object(po_read, "_SIMPLE_ENTRY", re.compile(r"(?!)")):
        slow = _outcome(lambda d: catalog.parse_po(d, "x.po"), data)
    assert fast == slow


def test_quoted_speech_is_read_a_message_at_a_time() -> None:
    # Fails if the one-message reader stops taking messages with escaped quotes (a silent slow
    # path): only the header goes line by line.
    entries = "".join(f'\nmsgctxt "ep/a{i}"\nmsgid "He said \\"no\\" \\\\ {i}"\nmsgstr "그는 \\"아니\\"\\t"\n'
                      for i in range(5))  # fmt: skip
    text = HEADER + entries
    with mock.patch.object(po_read._Parser, "feed", autospec=True, side_effect=po_read._Parser.feed) as fed:
        parsed = catalog.parse_po(text.encode("utf-8"), "x.po")
    assert [entry.msgid for entry in parsed.entries][:2] == ['He said "no" \\ 0', 'He said "no" \\ 1']
    assert parsed.entries[0].msgstr == '그는 "아니"\t'
    assert all(call.args[2] <= HEADER.count("\n") for call in fed.call_args_list if call.args[1].strip())


@given(
    st.lists(st.sampled_from("abcdefg"), max_size=9),
    st.lists(st.sampled_from("abcdefgxyz"), max_size=9),
    st.booleans(),
)
def test_diff_ratio_is_difflibs(old: list[str], new: list[str], similar: bool) -> None:
    if similar:  # mostly the same words, as an edited turn has
        new = old[: len(new) // 2] + new[len(new) // 2 : len(new) // 2 + 2] + old[len(new) // 2 :]
    expected = difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()
    assert catalog.diff_ratio(old, new) == expected


@given(st.sampled_from("abc"), st.lists(st.sampled_from("abcd"), max_size=9), st.booleans())
def test_one_item_left_on_a_side_is_matched_as_the_general_step_would(
    item: str, others: list[str], item_is_old: bool
) -> None:
    # match_sequences pairs a lone item (left between ends that differ) with its first
    # equal at once; the patience step and the common subsequence (the general code,
    # _match_middle) must agree.
    assume(others[:1] != [item] and others[-1:] != [item])
    old, new = ([item], others) if item_is_old else (others, [item])
    general: list[tuple[int, int]] = []
    stack = [(0, len(old), 0, len(new))] if old and new else []
    while stack:
        stack += identity._match_middle(old, new, *stack.pop(), general)
    assert catalog.match_sequences(old, new) == sorted(general)


def _longest_length(old: list[str], new: list[str]) -> int:
    """The length of a longest common subsequence, by the textbook table."""
    table = [[0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            table[i + 1][j + 1] = table[i][j] + 1 if a == b else max(table[i][j + 1], table[i + 1][j])
    return table[-1][-1]


@given(st.lists(st.sampled_from("abc"), max_size=12), st.lists(st.sampled_from("abcd"), max_size=12))
def test_common_subsequence_is_a_longest_one(old: list[str], new: list[str]) -> None:
    pairs = identity._common_subsequence(old, new)
    assert all(old[i] == new[j] for i, j in pairs)
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(pairs))
    assert len(pairs) == _longest_length(old, new)


def test_template_unchanged_but_for_its_date_keeps_the_date() -> None:
    old = (HEADER + '\nmsgctxt "ep/a1"\nmsgid "Hi."\nmsgstr ""\n').encode()
    new = old.replace(b"2026-11-26 12:00", b"2026-12-01 09:30")
    assert catalog.template_date_if_unchanged(old, new) == "2026-11-26 12:00+0000"
    assert catalog.template_date_if_unchanged(old, new.replace(b"Hi.", b"Hi!")) is None
    assert catalog.template_date_if_unchanged(old, new.replace(b"Language: ko", b"Language: en")) is None
    assert catalog.template_date_if_unchanged(old.replace(b"POT-Creation", b"X-Creation"), new) is None


@patching(po_write)
def test_updated_messages_reuse_the_template_only_where_that_is_exact() -> None:
    def turn(turn_id: str, text: str) -> catalog.PoEntry:
        return catalog.PoEntry(text, msgctxt=f"ep/{turn_id}", extracted_comments=["speaker: Joy", "turn: 1"])

    template = catalog.PoFile(
        headers=[("Language", "")],
        entries=[
            turn("a", "Plain."),
            turn("b", 'Said "hi".'),
            turn("c", "Two\nlines"),
            turn("d", "Edited now."),
            turn("e", "Untranslated."),
            turn("f", "Tab."),
        ],
    )
    old = catalog.PoFile(
        headers=[("Language", "ko")],
        entries=[
            catalog.PoEntry("Plain.", "평범", "ep/a"),
            catalog.PoEntry('Said "hi".', '"안녕"이라고', "ep/b"),
            catalog.PoEntry("Two\nlines", "두\n줄", "ep/c"),
            catalog.PoEntry("Edited.", "고친", "ep/d", translator_comments=["checked"]),
            catalog.PoEntry("Untranslated.", "", "ep/e"),
            catalog.PoEntry("Tab.", "탭\t", "ep/f", flags=["fuzzy"]),
        ],
    )
    updated, _ = catalog.update(old, template)
    template_messages = catalog.encoded_messages(template)
    with mock.patch.object(po_write, "_entry_text", wraps=po_write._entry_text) as writer:
        reused = catalog.updated_messages(updated, template, template_messages)
    assert writer.call_count == 4  # only "Plain." and "Untranslated." come from the template's text
    assert reused == catalog.encoded_messages(updated)
    assert catalog.write_po(updated, reused) == catalog.write_po(updated)
