"""The shortcuts of the catalog checks (``redbox check`` on ``.po``) give what the general code gives.

- ``CAT007`` (a speaker name in a turn): each name's whole-word pattern is compiled once a
  catalog, and searched only when the name occurs in the source at all (``_has_word``);
  the general form compiles the pattern for every message and searches it.
- ``CAT010`` (reading speed): ``_Reading`` looks the languages' limits and speech rate up
  once a catalog; the general form, :func:`reading_speed`, looks them up for every message.
  Both must give the same float, not a close one: the message prints it and compares it.
- ``CAT016`` (plural forms): the expression's trial on n = 0…1000 is remembered for each
  (expression, nplurals); the uncached ``_evaluate`` gives the same answer.

Each is run against its general form on generated inputs, and on the corpus's catalogs.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.interpreted import patching
from toolkit.catalog import budget, checks, identity, msgfmt_checks, po_plural
from toolkit.catalog.budget import over_budget
from toolkit.catalog.po import PoEntry, PoFile
from toolkit.catalog.po_read import parse_po
from toolkit.limits import base_language, text_width

ROOT = Path(__file__).resolve().parents[1]
CORPUS_CATALOGS = sorted((ROOT / "tests" / "data" / "corpus" / "po").rglob("*.po")) + sorted(
    (ROOT / "locales").rglob("*.po")
)

_NAMES = ["Joy", "Dasom", "Il-hyeok", "Mr. Kim", "A", "김", "조이", "", " ", "a.b", "(x)", "Joy Joy"]
_pieces = st.sampled_from([*_NAMES, " ", "  ", "\n", ".", "-", "_", "Joyful", "xJoy", "1", "é", "Dasom's"])
_texts = st.lists(st.one_of(_pieces, st.text(max_size=4)), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(name=st.one_of(st.sampled_from(_NAMES), st.text(max_size=5)), text=_texts)
def test_name_search_matches_the_pattern(name: str, text: str) -> None:
    pattern = checks._word_pattern(name)
    assert checks._has_word(name, pattern, text) == (pattern.search(text) is not None)


_languages = st.sampled_from(["en", "ko", "ko-KR", "en_US", "fr", "", "zh-Hant", "KO"])


@settings(max_examples=400, deadline=None)
@given(source_language=_languages, target_language=_languages, translation=_texts, source=_texts)
def test_reading_speed_once_a_catalog_is_the_same_float(
    source_language: str, target_language: str, translation: str, source: str
) -> None:
    reading = checks._Reading(source_language, target_language)
    expected = checks.reading_speed(translation, source, source_language, target_language)
    assert reading.speed(translation, source) == expected


_EXPRESSIONS = [
    "n != 1",
    "0",
    "(n > 1)",
    "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2",
    "n==1 ? 0 : n==2 ? 1 : 2",
    "n/0",
    "n%0",
    "n - 1",
    "n ? ",
    "(((n)))",
    "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5",
    "1000 - n",
]


_expressions = st.one_of(st.sampled_from(_EXPRESSIONS), st.text(max_size=12))


@settings(max_examples=200, deadline=None)
@given(expression=_expressions, nplurals=st.integers(0, 120))
def test_remembered_plural_trial_is_the_trial(expression: str, nplurals: int) -> None:
    assert po_plural._evaluated(expression, nplurals) == po_plural._evaluate(expression, nplurals)
    # asked twice: the remembered answer is still the trial's
    assert po_plural._evaluated(expression, nplurals) == po_plural._evaluate(expression, nplurals)


def test_corpus_catalogs_agree_with_the_general_forms() -> None:
    """Every message of the corpus's catalogs and the shipped ones: names, speeds, plural rules."""
    assert CORPUS_CATALOGS
    compared = 0
    for path in CORPUS_CATALOGS:
        po = parse_po(path.read_bytes(), str(path), any_charset=True)
        language = base_language(po.language) if po.language else ""
        source_language = base_language(po.header("X-Source-Language") or "en")
        reading = checks._Reading(source_language, language)
        names = ["Joy", "Dasom", "Python", "GNOME", "the", "a", *(e.msgid for e in po.entries[:20])]
        rules = checks._name_rules(dict.fromkeys(names, ""))
        for entry in po.entries:
            for target in entry.msgstr_plural or [entry.msgstr]:
                assert reading.speed(target, entry.msgid) == checks.reading_speed(
                    target, entry.msgid, source_language, language
                )
                compared += 1
            for name, _, pattern in rules:
                assert checks._has_word(name, pattern, entry.msgid) == (
                    checks._word_pattern(name).search(entry.msgid) is not None
                )
        expression = po.header("Plural-Forms").partition("plural=")[2].split(";", 1)[0]
        for nplurals in (1, 2, 3, 6):
            assert po_plural._evaluated(expression, nplurals) == po_plural._evaluate(expression, nplurals)
    assert compared > 1000


# ------------------------------------------------- issue 16: the second pass at `redbox check`


def _normalize_text_general(text: str) -> str:
    """identity.normalize_text as it was, with its ASCII-only shortcut (the general form)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " " and text.isascii():
        return text
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if identity._CONTROL.search(text) is not None:
        text = identity._CONTROL.sub(" ", text)
    return " ".join(text.split())


_SPACES = [" ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u2028", "\x85", "\x1f", "\u200b", "\x07"]
_TURN_PIECES = ["He said “no.”", "It’s fine…", "조이", "\u1100\u1161", "e\u0301", "\u212a", "Right",
                *_SPACES]  # fmt: skip
_turn_pieces = st.one_of(st.sampled_from(_TURN_PIECES), st.text(max_size=3))
_turn_texts = st.lists(_turn_pieces, max_size=10).map("".join)


@settings(max_examples=500, deadline=None)
@given(_turn_texts)
def test_normalized_text_is_the_general_forms(text: str) -> None:
    assert identity.normalize_text(text) == _normalize_text_general(text)


_po_strings = st.lists(st.sampled_from(["\n", "a", "조", " ", "\n\n"]), max_size=4).map("".join)


@settings(max_examples=300, deadline=None)
@given(msgid=_po_strings, msgstr=_po_strings, plural=st.booleans(),
       flags=st.sampled_from([[], ["c-format"], ["fuzzy"]]))  # fmt: skip
def test_message_checks_skip_only_what_finds_nothing(
    msgid: str, msgstr: str, plural: bool, flags: list[str]
) -> None:
    entry = PoEntry(msgid, "" if plural else msgstr, "ep/a1", "many" if plural else None,
                    [msgstr, msgstr] if plural else [], flags=list(flags), line=3)  # fmt: skip
    assert msgfmt_checks._newline_problems(entry) == msgfmt_checks.newline_problems_general(entry)
    found = msgfmt_checks._message_problems(entry, "x.po", po_plural.plural_problems(PoFile())[1])
    general = msgfmt_checks.newline_problems_general(entry)
    assert [p.message for p in found if p.code == "CAT012"] == [
        f"{msgfmt_checks.describe(entry)}: {message}" for message in general
    ] * bool(msgfmt_checks.translation_forms(entry) and msgfmt_checks.translation_forms(entry)[0])


def test_a_message_is_described_as_before() -> None:
    turn = PoEntry("Hi", "", "ep/a1", extracted_comments=["turn: 4"])
    for entry in (PoEntry("Joy", "조이", "speaker"), turn, PoEntry("Hi", "", "ep/a1"), PoEntry("Ok " * 9)):
        assert f"{checks._Described(entry)}" == msgfmt_checks.describe(entry)


def test_corpus_catalogs_budgets_and_brackets_agree_with_the_general_forms() -> None:
    """CAT030 with the widths CAT010 measured is CAT030 measuring them again; the bracket
    shortcut (no '[' in the source) finds what the two searches find."""
    compared = 0
    for path in CORPUS_CATALOGS:
        po = parse_po(path.read_bytes(), str(path), any_charset=True)
        language = base_language(po.language) if po.language else ""
        reading = checks._Reading("en", language)
        for entry in po.entries:
            entry.extracted_comments = [*entry.extracted_comments, "budget: at most 3 Hangul"]
            measured_once = over_budget(entry, language, str(path), reading.width)
            assert measured_once == over_budget(entry, language, str(path))
            for target in entry.msgstr_plural or [entry.msgstr]:
                source_brackets = checks._BRACKETS.findall(entry.msgid)
                general = len(checks._BRACKETS.findall(target)) < len(source_brackets)
                assert general == bool(("[" in entry.msgid) and source_brackets and general)
                compared += 1
    assert compared > 1000


@patching(checks, budget)
def test_a_translations_width_is_measured_once_for_both_rules() -> None:
    # Fails if CAT030 measures the translation again instead of taking CAT010's width.
    po = parse_po(
        ('msgid ""\nmsgstr "Language: ko\\n"\n\n#. turn: 1\n#. budget: at most 2 Hangul\n'
        'msgctxt "ep/a1"\nmsgid "Hello there, how are you?"\nmsgstr "안녕하세요"\n').encode(),
        "x.po",
    )
    with (
        mock.patch("toolkit.catalog.checks.text_width", wraps=text_width) as measured,
        mock.patch("toolkit.catalog.budget.text_width", wraps=text_width) as measured_again,
    ):
        problems = checks.check_catalog(po, "x.po", transcripts={})
    assert "CAT030" in [problem.code for problem in problems]
    assert measured.call_count + measured_again.call_count == 1
