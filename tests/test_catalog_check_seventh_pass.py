"""The catalog checks' shortcuts of issue 16's seventh pass give what the general code gives.

- ``CAT009`` (stray whitespace): a translation with none of the four faults (no space or tab
  at either end, no doubled space, no space or tab before a line break) has no problem,
  tested before the four regex searches of :func:`checks.whitespace_problem_general`.
- A template (``.pot``) is checked for duplicates alone (``CAT014``): it is read without
  its extracted comments, and again with them when a duplicate must be described.
- ``CAT004`` and ``CAT007``: numbers are looked for only in a source with a digit, names only
  when the source holds them.
- ``turns_digest`` hashes every turn at once: still one digest for one list of turns, and
  different ones for different splits.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.catalog import checks
from toolkit.catalog.checks import check_catalog, check_catalog_bytes
from toolkit.catalog.identity import normalize_text
from toolkit.catalog.po import PoEntry, on_screen
from toolkit.catalog.po_read import parse_po
from toolkit.catalog.translate import turns_digest
from toolkit.errors import CatalogError

ROOT = Path(__file__).resolve().parents[1]
_whitespace_texts = st.lists(st.sampled_from([" ", "\t", "\n", "  ", "a", "조", "\u3000", "\xa0", ".", "\r"]),
                             max_size=8).map("".join)  # fmt: skip


@settings(max_examples=600)
@given(original=_whitespace_texts, target=_whitespace_texts)
def test_whitespace_shortcut_is_the_general_rule(original: str, target: str) -> None:
    assert checks._whitespace_problem(original, target) == checks.whitespace_problem_general(original, target)


_TEMPLATE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#. turn: 12
#. budget: at most 20 characters
#: transcripts/a.txt:9
msgctxt "a/t12"
msgid "Hello there."
msgstr ""

#. turn: 12
#~ msgctxt "a/t12"
#~ msgid "Hello there."
#~ msgstr ""
"""


def test_a_template_duplicate_is_described_by_its_turn() -> None:
    data = _TEMPLATE.encode()
    problems = check_catalog_bytes(data, "locales/a.pot", transcripts={})
    # The same as reading it whole: the obsolete copy named by the turn its comment gives.
    assert problems == check_catalog(parse_po(data, "locales/a.pot", any_charset=True), "locales/a.pot",
                                     transcripts={})  # fmt: skip
    assert [(problem.code, problem.line) for problem in problems] == [("CAT014", 14)]
    assert problems[0].message.startswith("turn 12 is defined twice")
    clean = _TEMPLATE.split("#. turn: 12\n#~")[0].encode()
    assert check_catalog_bytes(clean, "locales/a.pot", transcripts={}) == []
    broken = _TEMPLATE.replace('msgid "Hello', 'msgid Hello', 1).encode()
    found = check_catalog_bytes(broken, "locales/a.pot", transcripts={})
    assert [problem.code for problem in found] == ["CAT000"]


def test_templates_of_the_corpus_and_the_project_read_lean_give_the_same_problems() -> None:
    corpus = ROOT / "tests" / "data" / "corpus"
    paths = sorted(corpus.rglob("*.pot")) + sorted((ROOT / "locales").glob("*.pot"))
    assert paths
    for path in paths:
        data = path.read_bytes()
        try:
            whole = check_catalog(parse_po(data, path.name, any_charset=True), path.name, transcripts={})
        except CatalogError:  # (a template that does not parse: CAT000 either way)
            continue
        assert check_catalog_bytes(data, path.name, transcripts={}) == whole, path


_names = st.text(alphabet="ab:1 \n", max_size=4)


@given(st.lists(st.tuples(_names, _names), max_size=4), st.lists(st.tuples(_names, _names), max_size=4))
def test_turn_digests_tell_turns_apart(first: list[tuple[str, str]], second: list[tuple[str, str]]) -> None:
    assert turns_digest(first) == turns_digest(list(first))
    normal = [(speaker, normalize_text(text)) for speaker, text in first]
    other = [(speaker, normalize_text(text)) for speaker, text in second]
    if normal != other:
        assert turns_digest(first) != turns_digest(second)


_pieces = st.sampled_from(["Joy", "Dasom", "조이", "Mr. Kim", " ", "3", "١٢", "2:30", "?", "!", "[laughs]",
                          "the"])
_message_texts = st.lists(_pieces, max_size=8).map(" ".join)


@settings(max_examples=400)
@given(msgid=_message_texts, msgstr=_message_texts, speaker=st.booleans())
def test_message_rules_with_their_shortcuts_are_the_general_ones(msgid: str, msgstr: str, speaker: bool,
                                                                 ) -> None:  # fmt: skip
    # CAT004 looks for numbers only in a source with a digit, and CAT007 tries only the names
    # the source holds: the same problems as every number search and every name (issue 16).
    entry = PoEntry(msgid, msgstr or "x", "speaker" if speaker else "ep/t1", line=7)
    names = checks._name_rules({"Joy": "조이", "Dasom": "다솜", "Mr. Kim": "김 선생", "": "?"})
    reading = checks._Reading("en", "ko")
    found = checks._check_entry(entry, "a.po", "ko", "en", names, "error", reading)
    with mock.patch.object(checks, "_DIGIT", re.compile("")):  # (matches every text)
        assert checks._check_entry(entry, "a.po", "ko", "en", names, "error", reading) == found
    expected = [
        name for name, translated, pattern in names
        if entry.translated and not speaker and pattern.search(msgid) is not None
        and translated not in on_screen(entry.msgstr)
    ]  # fmt: skip
    assert [problem.message.split("'")[1] for problem in found if problem.code == "CAT007"] == expected
