"""The ninth pass at ``redbox check`` (issue 16): work a file got twice is done once.

- A catalog is decoded once, by the PO reader: the second pass no longer decodes it into NFC
  text nobody reads only to learn that it decodes (:func:`toolkit.decoding.plain_utf8`, then
  ``check_catalog_bytes(..., utf8=...)``).
- The first pass reads no transcript's alignment timings file (the cross-file rules do not
  need it; the second pass reads it).
- The first pass skips the control-byte scan of a WebVTT file or a catalog: UTF-8 without a NUL
  byte gets no legacy-encoding note from their decoders (:func:`toolkit.checking.may_be_legacy`).

Each shortcut is run here against the general code it stands beside.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.interpreted import patching
from tests.test_check_fast_paths import reference_check
from toolkit import checking, subtitle_check
from toolkit.catalog import checks
from toolkit.catalog.budget import over_budget
from toolkit.catalog.checks import check_catalog_bytes
from toolkit.catalog.po import PoEntry
from toolkit.catalog.po_decode import po_text
from toolkit.catalog.po_read import parse_po
from toolkit.decoding import decode_text, plain_utf8
from toolkit.errors import ToolkitError
from toolkit.limits import base_language
from toolkit.model import Problem
from toolkit.project import find_project

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
SAMPLE = "misunderstandings-and-stereotypes"

#: Bytes that make decoding interesting: BOMs, NUL and other controls, CR, a lone UTF-8 lead
#: byte, CP949 Hangul, Windows-1252 quotes, and ordinary text.
_PIECES = st.sampled_from([
    b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\x00", b"\x01", b"\x1b",
    b"\x0c", b"\t", b"\r", b"\r\n", b"\n", b"\xed", b"\xc3", "안녕".encode(), "안녕".encode("cp949"),
    "It’s".encode("cp1252"), "“é”".encode(), "e\u0301".encode(), b"msgid \"a\"\nmsgstr \"b\"\n",
    b"Joy: hi", b"WEBVTT\n\n", b"\xef\xbf\xbe",
])
_DATA = st.lists(_PIECES, max_size=12).map(b"".join) | st.binary(max_size=60)


def _decodes(data: bytes) -> bool:
    try:
        decode_text(data)
    except ToolkitError:
        return False
    return True


@given(_DATA)
@settings(max_examples=400)
def test_plain_utf8_is_what_the_po_reader_and_decode_text_read(data: bytes) -> None:
    text = plain_utf8(data)
    if text is None:
        return
    # decode_text reads it as UTF-8 (so check calls it readable), and the PO reader reads the
    # same text from the bytes as plain_utf8 hands it.
    assert decode_text(data).encoding == "utf-8"
    assert po_text(data, "x.po", any_charset=True) == (text, "utf-8")


def test_plain_utf8_takes_ordinary_files_and_refuses_the_others() -> None:
    assert plain_utf8("msgid \"안녕\"\n".encode()) == "msgid \"안녕\"\n"
    assert plain_utf8(codecs.BOM_UTF8 + b"x\n") == "x\n"
    for awkward in (b"x\r\n", b"x\x00", b"x\x1b", "안녕".encode("cp949"), codecs.BOM_UTF16_LE + b"x\x00"):
        assert plain_utf8(awkward) is None


def _catalogs() -> list[Path]:
    found = sorted(CORPUS.rglob("*.po")) + sorted(CORPUS.rglob("*.pot"))
    return found + sorted((ROOT / "locales").rglob("*.po")) + sorted((ROOT / "locales").glob("*.pot"))


@pytest.mark.parametrize("path", _catalogs(), ids=lambda path: path.name)
def test_a_catalog_checked_from_its_utf8_gets_the_problems_of_its_bytes(path: Path) -> None:
    data = path.read_bytes()
    utf8 = plain_utf8(data)
    if utf8 is None:
        pytest.skip("not plain UTF-8: checked from its bytes alone")
    source = str(path.relative_to(ROOT))
    assert check_catalog_bytes(data, source, transcripts={}, utf8=utf8) == check_catalog_bytes(
        data, source, transcripts={}
    )
    assert parse_po(data, source, any_charset=True, utf8=utf8) == parse_po(data, source, any_charset=True)


def _problems(project: Path, paths: list[Path]) -> list[Problem]:
    return checking.check_paths(find_project(project), paths, lambda decoded, source: None).problems


def _project_of_awkward_catalogs(tmp_path: Path) -> Path:
    """The sample project with its catalog saved several ways, each beside the transcript."""
    for top in ("transcripts", "locales"):
        (tmp_path / top).mkdir()
    transcript = f"transcripts/{SAMPLE}.txt"
    (tmp_path / transcript).write_bytes((ROOT / transcript).read_bytes())
    catalog = (ROOT / "locales" / "ko" / "LC_MESSAGES" / f"{SAMPLE}.po").read_bytes()
    variants = {
        "plain": catalog,
        "bom": codecs.BOM_UTF8 + catalog,
        "crlf": catalog.replace(b"\n", b"\r\n"),
        "nfd": catalog.decode().replace("안", "\u110b\u1161\u11ab").encode(),
        "cp949": catalog.decode().encode("cp949", "replace"),
        "binary": catalog[:200] + b"\x00\x01\x02" * 200,
        "control": catalog.replace(b"msgstr", b"\x1bmsgstr", 1),
        "broken": catalog[:100] + b"\xff\xfe\xfa" + catalog[100:],
    }
    for name, data in variants.items():
        folder = tmp_path / "locales" / name / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / f"{SAMPLE}.po").write_bytes(data)
    return tmp_path


def test_check_gives_each_awkward_catalog_the_problems_of_the_general_reading(tmp_path: Path) -> None:
    project = _project_of_awkward_catalogs(tmp_path)
    problems = _problems(project, [])
    # The general reading: every catalog decoded into a document first, as before this pass.
    checker = checking._Checker()
    transcript = project / "transcripts" / f"{SAMPLE}.txt"
    document = checking.document_of(transcript.read_bytes(), f"transcripts/{SAMPLE}.txt")[0]
    checker.remember(document, lambda: document.text)
    expected: list[Problem] = []
    for path in sorted((project / "locales").rglob("*.po")):
        source = str(path.relative_to(project))
        expected += checker.problems_of(checking.document_of(path.read_bytes(), source)[0], lambda: None)
    got = [problem for problem in problems if problem.source.startswith("locales/")]
    assert got == sorted([problem for problem in expected if problem.source.startswith("locales/")],
                         key=Problem.sort_key)  # fmt: skip
    assert {problem.code for problem in got} >= {"TRN018", "CAT000"}  # (binary, and not UTF-8 in a catalog)


@patching(checking)
def test_the_first_pass_reads_no_timings_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    looked: list[str] = []
    timings_of = checking._timings_of

    def counted(path: Path, project: object) -> tuple[str, str] | None:
        looked.append(str(path))
        return timings_of(path, project)  # type: ignore[arg-type]

    monkeypatch.setattr(checking, "_timings_of", counted)
    _problems(project, [])
    assert looked == [str(project / "transcripts" / f"{SAMPLE}.txt")]  # the second pass's, once


@patching(checking)
def test_a_plain_catalog_is_decoded_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only by the PO reader: never into a document (neither pass decodes a plain UTF-8 catalog).
    documents: list[str] = []
    document_of = checking.document_of

    def counted(data: bytes, source: str, **options: Any) -> tuple[checking.Document, Any]:
        documents.append(source)
        return document_of(data, source, **options)

    monkeypatch.setattr(checking, "document_of", counted)
    problems = _problems(project, [])
    assert [source for source in documents if source.endswith((".po", ".pot"))] == []
    assert [source for source in documents if source.endswith(".txt")] == [f"transcripts/{SAMPLE}.txt"] * 2
    assert not [problem for problem in problems if problem.severity == "error"]


_NAMES = st.sampled_from(["a.vtt", "a.ko.vtt", "a.po", "b.pot", "a.srt", "a.en.srt", "A.VTT", "x.PO"])


@given(_DATA, _NAMES)
@settings(max_examples=400)
def test_a_file_may_be_legacy_whenever_reading_it_gives_a_note(data: bytes, name: str) -> None:
    decoded = checking.document_of(data, name)[1]
    if decoded is not None and decoded.legacy:
        assert checking.may_be_legacy(data, name)


def test_the_notes_of_the_corpus_are_kept(tmp_path: Path) -> None:
    # Every corpus file that gets a note still gets it (and, with the quick test, no other does).
    for path in sorted(CORPUS.rglob("*")):
        if not checking.is_checked(path) or path.suffix == ".txt":
            continue
        data = path.read_bytes()
        decoded = checking.document_of(data, path.name)[1]
        noted = decoded is not None and decoded.legacy
        assert not noted or checking.may_be_legacy(data, path.name), path


# ------------------------------------------------- CAT010 and CAT030: widths measured past a bound

_WIDTH_PIECES = st.sampled_from([
    "안녕", "하세요", " ", "\n", "Joy", "“", "”", "’", "…", "—", "é", "e\u0301", "\u200b", "\x07", "中",
    "ｶ", "Ａ", "😀", "\ud800", "\u3000", "\u00a0", ".", "ㅋ", "\u1100", "a",
])
_WIDTH_TEXTS = st.lists(st.one_of(_WIDTH_PIECES, st.text(max_size=3)), max_size=14).map("".join)
_TARGETS = st.sampled_from(["ko", "en", "ja", "fr", "zh", ""])


@given(_TARGETS, _WIDTH_TEXTS, _WIDTH_TEXTS, st.sampled_from([0.0, 1.0, 12.0, 17.0, 20.0, 1e9]))
@settings(max_examples=500, deadline=None)
def test_too_fast_is_the_speed_over_its_limit(
    language: str, translation: str, source: str, limit: float
) -> None:
    reading = checks._Reading("en", language)
    assert reading.width(translation) <= reading.at_most(translation)
    speed = reading.speed(translation, source)
    assert reading.too_fast(translation, source, limit) == (speed if speed > limit else None)


@given(_TARGETS, st.lists(_WIDTH_TEXTS, min_size=1, max_size=3), st.integers(0, 40))
@settings(max_examples=300, deadline=None)
def test_a_budget_settled_by_the_bound_is_the_budget_measured(
    language: str, forms: list[str], units: int
) -> None:
    reading = checks._Reading("en", language)
    plural = len(forms) > 1
    comments = [f"budget: at most {units} Hangul", "turn: 1"]
    entry = PoEntry("turn", "" if plural else forms[0], "e/1", "turns" if plural else None,
                    forms if plural else [], extracted_comments=comments)  # fmt: skip
    general = over_budget(entry, language, "x.po")
    assert over_budget(entry, language, "x.po", reading.width, reading.at_most) == general


def test_corpus_and_shipped_catalogs_get_the_same_cat010_and_cat030() -> None:
    compared = 0
    for path in [*sorted(CORPUS.rglob("*.po")), *sorted((ROOT / "locales").rglob("*.po"))]:
        po = parse_po(path.read_bytes(), str(path), any_charset=True)
        language = base_language(po.language) if po.language else ""
        for entry in po.entries:
            entry.extracted_comments = [*entry.extracted_comments, "budget: at most 9 Hangul"]
            for target in entry.msgstr_plural or [entry.msgstr]:
                reading = checks._Reading("en", language)
                for limit in (4.0, 12.0, 20.0):
                    speed = reading.speed(target, entry.msgid)
                    assert reading.too_fast(target, entry.msgid, limit) == (speed if speed > limit else None)
                compared += 1
            reading = checks._Reading("en", language)
            assert over_budget(entry, language, str(path), reading.width, reading.at_most) == over_budget(
                entry, language, str(path)
            )
    assert compared > 1000


# ----------------------------------------- the noncharacter pre-test reads the file's own bytes


def test_nfc_composes_nothing_from_u_f000_on_out_of_characters_below_it() -> None:
    # What subtitle_check._bytes_from_ef rests on: no character below U+F000 decomposes into
    # one from U+F000 on, and every composite from U+F000 on decomposes into some character
    # from U+F000 on; so NFC text holds a character from U+F000 on only where its source did.
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", char)
        if code < 0xF000:
            assert max(decomposed) < "\uf000", hex(code)
        elif decomposed != char and unicodedata.normalize("NFC", decomposed) == char:
            assert max(decomposed) >= "\uf000", hex(code)


_SUBTITLE_PIECES = st.sampled_from([
    "WEBVTT\n\n", "1\n", "00:00:01.000 --> 00:00:02.000\n", "00:00:01,000 --> 00:00:02,000\n",
    "안녕\n", "\n", "\r\n", "\ufeff", "\ufffe", "\ufdd0", "\U0001fffe", "\uffff", "\uf000", "\uefff",
    "e\u0301", "\u1100\u1161", "中", "😀", "\x00", "“x”",
])


@given(st.lists(_SUBTITLE_PIECES, max_size=10).map("".join), st.sampled_from(["a.en.srt", "a.ko.vtt"]))
@settings(max_examples=400, deadline=None)
def test_a_subtitle_checked_with_its_bytes_gets_the_problems_of_its_text(text: str, name: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    document, decoded = checking.document_of(data, name)
    if decoded is None or document.text is None or decoded.encoding != "utf-8":
        return
    assert not subtitle_check._from_f000(document.text) or subtitle_check._bytes_from_ef(data)
    assert checking._check_subtitle(document) == subtitle_check.check_subtitle_text(
        document.text, name, encoding="utf-8")


# --------------------------------------------- SUB004 in Korean: sizes only of the longer lines

_KOREAN_LINE_PIECES = st.sampled_from(
    ["한국에서는", "손님이", " ", "들어와도", "a", "Joy", "“", "…", "😀", "中", ".", "—"]
)
_KOREAN_LINES = st.lists(_KOREAN_LINE_PIECES, min_size=1, max_size=12).map("".join)


@given(st.lists(st.lists(_KOREAN_LINES, min_size=1, max_size=2), min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_korean_lines_measured_only_past_the_limit_give_the_reference_problems(cues: list[list[str]]) -> None:
    blocks = []
    for number, lines in enumerate(cues):
        start = 1000 + number * 4000
        blocks.append(f"{_clock(start)}.000 --> {_clock(start + 3000)}.000\n" + "\n".join(
            line.strip() or "x" for line in lines))
    text = "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"
    assert subtitle_check.check_subtitle_text(text, "a.ko.vtt") == reference_check(text, "a.ko.vtt")


def _clock(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
