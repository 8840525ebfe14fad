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

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.catalog import checks, po_plural
from toolkit.catalog.po_read import parse_po
from toolkit.limits import base_language

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
