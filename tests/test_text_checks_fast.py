"""The text checks' quick tests skip only work that finds nothing.

:func:`toolkit.text_checks.text_findings` runs the quotation, bracket, spacing, dash and markup
checks only on a turn holding a character one of them needs, and the final-punctuation check only
on a turn that could end without it. :func:`~toolkit.text_checks.text_findings_general` runs every
check on every turn; the two must give the same findings (problems and edits) on random prose and
on real transcripts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import text_checks
from toolkit.decoding import decode_text
from toolkit.text_checks import text_findings, text_findings_general
from toolkit.transcript import parse_transcript

ROOT = Path(__file__).resolve().parents[1]
REAL = [
    ROOT / "transcripts" / "misunderstandings-and-stereotypes.txt",
    *sorted((ROOT / "tests/data/raw").glob("*.txt")),
]

HEADER = "---\ntitle: {title}\nepisode: x\nlanguage: {language}\nspeakers: Ann, Bo\n---\n"
#: Pieces that reach every rule: quotation marks, brackets, markup, entities, spaces and tabs,
#: dashes, doubles, final marks, combining marks, Hangul, line and paragraph breaks.
PIECES = [
    'the', 'The', 'the the', 'had had', 'is is', 'no no no', 'word',
    'Will will', 'a', 'I I', '네 네', '정말', '말', 'é', 'café', 'ſ', 's', 'ı', 'i',
    "'", '’', '‘', '"', '“', '”', '„', '(', ')', '[', ']', '{', '}', '「', '」',
    '«', '»', ':)', '1)', '<i>', '</b>', '{\\an8}', '&amp;', '&nbsp;',
    '&sect1;', ' ', '  ', '\t', '\xa0', ' ,', ' .', ' !', ' ?', ' ;', ' :',
    '...', '…', ' - ', ' -- ', '--', '-', '—', '–', '.', '!', '?', '\n', '\n\n',
    'http://x.y', 'www.z', '3 - 2', "5'10\"",
    "don’t don't", 'it’s it’s', 'the\xa0the', 'İs is', 'K k', 'well-known well-known', '“so so”', '\ufeff',
]
prose = st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join)


def _same(text: str) -> None:
    transcript, _ = parse_transcript(text, "t.txt")
    assert text_findings(transcript, text) == text_findings_general(transcript, text)


@settings(max_examples=400, deadline=None)
@given(turns=st.lists(st.tuples(st.sampled_from(["Ann", "Bo"]), prose), min_size=1, max_size=6), title=prose,
       language=st.sampled_from(["en", "ko", "fr"]))
def test_fast_path_finds_what_every_check_finds_on_random_prose(turns: list[tuple[str, str]], title: str,
                                                                language: str) -> None:
    title = " ".join(title.split()) or "T"
    body = "".join(f"{speaker}: {text}\n" for speaker, text in turns)
    _same(HEADER.format(title=title, language=language) + body)


@pytest.mark.parametrize("path", REAL, ids=lambda path: path.name)
def test_fast_path_finds_what_every_check_finds_on_real_transcripts(path: Path) -> None:
    text = decode_text(path.read_bytes(), str(path)).text
    transcript, _ = parse_transcript(text, str(path))
    general = text_findings_general(transcript, text)
    assert text_findings(transcript, text) == general


def test_fast_path_still_reports_a_turn_without_final_punctuation_or_with_a_stray_quote() -> None:
    text = HEADER.format(title="T", language="en") + 'Ann: It ends here\nBo: He said "so.\n'
    transcript, _ = parse_transcript(text, "t.txt")
    codes = [finding.problem.code for finding in text_findings(transcript, text)]
    assert codes == ["TRN033", "TRN031"]


#: The quick test for marks as one regex (before issue 16's eighth pass split it).
_MAYBE_MARKS_RE = re.compile(
    "[" + re.escape('"“”„‘' + "".join(text_checks._BRACKETS) + "".join(text_checks._CLOSERS) + "<&") + "]"
    + r"|[ \t\u00a0][ \t\u00a0,.!?;:]|\t| -|--"
)


@settings(max_examples=1000)
@given(st.text(alphabet=st.sampled_from(list(' \t\u00a0,.!?;:-"“”„‘’<&ab가\n') + list(text_checks._BRACKETS)
                                        + list(text_checks._CLOSERS)), max_size=12))  # fmt: skip
def test_the_quick_test_for_marks_is_the_one_regex(text: str) -> None:
    assert text_checks.may_have_marks(text) == (_MAYBE_MARKS_RE.search(text) is not None)


#: Characters that reach every branch of the doubled-word pre-test: word characters (cased,
#: caseless, ones that fold to ASCII: the Kelvin sign, the long s, the dotted I), the
#: apostrophes and hyphen words hold, white space inside and outside ASCII, the usual marks
#: outside ASCII and others, a NUL, a label's colon.
_DOUBLES_ALPHABET = list("aAbB1_'’-  \t\n\r\xa0\u3000…“”‘—«.,:;!?(\x00İıſKk\u212a가é\u0301\ufeff\u2028")


_around = st.lists(st.sampled_from(_DOUBLES_ALPHABET), max_size=4).map("".join)
_word = st.sampled_from(["the", "The", "THE", "is", "İs", "ſo", "so", "don't", "don’t", "well-known",
                         "가", "é", "K", "o\u212a"])


def _pre_test_holds(text: str) -> None:
    found = [match for match in text_checks._DOUBLE_RE.finditer(text)
             if match.group(1).casefold() == match.group(3).casefold()]  # fmt: skip
    if found:
        assert text_checks.may_have_doubled_words(text)


@settings(max_examples=2000)
@given(st.lists(st.sampled_from(["the", "The", "a", "is", "가", *_DOUBLES_ALPHABET]), max_size=14)
       .map("".join))
def test_the_doubled_word_pre_test_misses_no_double_the_regex_finds(text: str) -> None:
    _pre_test_holds(text)


#: A word and the same word (or another) in some case.
_pair = _word.flatmap(lambda word: st.tuples(st.just(word), st.sampled_from(
    [word, word.upper(), word.lower(), word.capitalize(), "the", "가"])))  # fmt: skip


@settings(max_examples=2000)
@given(before=_around, pair=_pair, after=_around,
       between=st.lists(st.sampled_from(list(" \t\n\r\xa0\u3000\u2028")), min_size=1, max_size=3)
       .map("".join))
def test_the_doubled_word_pre_test_finds_a_double_among_any_marks(before: str, pair: tuple[str, str],
                                                                  after: str, between: str) -> None:
    _pre_test_holds(before + pair[0] + between + pair[1] + after)


def test_the_doubled_word_pre_test_settles_the_usual_prose() -> None:
    assert not text_checks.may_have_doubled_words("Ann: It’s “so” — well… fine. Fine!\nBo: No, no.\n")
    assert text_checks.may_have_doubled_words("Ann: It’s “so so” — well.\n")
    assert text_checks.may_have_doubled_words("Ann: no?! ... and and\n")
    assert not text_checks.may_have_doubled_words("Ann: no?! ... and\n")
    assert text_checks.may_have_doubled_words("Ann: 가 가\n")  # (Hangul: left to the regex)
