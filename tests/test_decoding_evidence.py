"""Encodings decided by evidence: Windows-1252 English stays English, CP949 Korean stays Korean,
UTF-32 is not UTF-16, and a file without a BOM is still read when its zero bytes tell."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.conftest import ROOT
from toolkit.decoding import _COMMON_SYLLABLES, decode_text, legacy_readings, sniff_language

DATA = ROOT / "tests" / "data" / "encodings"
KOREAN = (ROOT / "tests" / "data" / "transcripts" / "korean-sample.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "line",
    [
        "Joy: It’s fine.",
        "Jeongyol: If someone asked me that, I’d tell them I might've lived a wealthier life there.",
        "Dasom: Well—maybe. It’s Joy’s.",
        "Joy: They say “It’s because she’s North Korean.”",
        "Joy: I don’t know…",
    ],
)
def test_windows_1252_english_is_not_read_as_korean(line: str) -> None:
    # On main each of these was "plausible Korean": It’s became It뭩.
    decoded = decode_text(line.encode("cp1252"))
    assert decoded.text == line
    assert (decoded.encoding, decoded.legacy, decoded.description) == (
        "windows-1252", True, "legacy Western encoding")


def test_the_sample_transcript_in_windows_1252_reads_back(sample_text: str) -> None:
    data = sample_text.replace("\n", "\r\n").encode("cp1252")
    decoded = decode_text(data, "sample.txt")
    assert (decoded.text, decoded.encoding, decoded.newline) == (sample_text, "windows-1252", "\r\n")


def test_a_real_windows_1252_subtitle_file() -> None:
    data = (DATA / "windows-1252.srt").read_bytes()
    decoded = decode_text(data, "windows-1252.srt")
    assert decoded.encoding == "windows-1252"
    assert decoded.text == data.decode("cp1252").replace("\r\n", "\n")
    assert "LES NOMS, LIEUX ET ÉVÉNEMENTS" in decoded.text


@pytest.mark.parametrize("codec", ["cp949", "euc-kr"])
def test_cp949_korean_is_still_korean(codec: str) -> None:
    decoded = decode_text(KOREAN.encode(codec), "ko.txt")
    assert decoded.text == KOREAN and decoded.encoding == "euc-kr"


def test_english_saved_by_a_korean_editor_is_cp949() -> None:
    # Smart quotes exist in CP949 too (0xA1AE…): an English text saved there reads back.
    line = "They say “It’s because she’s North Korean.”"
    assert decode_text(line.encode("cp949")).text == line


@pytest.mark.parametrize("name", ["bom-utf-32-le.srt", "bom-utf-32-be.srt"])
def test_utf32_with_a_bom_is_not_taken_for_utf16(name: str) -> None:
    # On main the LE file was read as UTF-16 (a NUL between letters) and the BE one refused.
    expected = (DATA / "bom-utf-16-le.srt").read_bytes().decode("utf-16")
    decoded = decode_text((DATA / name).read_bytes(), name)
    assert decoded.text == expected
    assert decoded.encoding == name[4:13] and decoded.had_bom and not decoded.legacy


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", ["sample", "korean"])
def test_utf16_and_utf32_without_a_bom_are_told_by_their_zero_bytes(
    sample_text: str, codec: str, text: str
) -> None:
    original = sample_text if text == "sample" else KOREAN
    decoded = decode_text(original.encode(codec), "nobom.txt")
    assert (decoded.text, decoded.encoding, decoded.legacy) == (original, codec, True)


def test_a_short_text_is_settled_by_the_declared_language() -> None:
    # ¿Él is both natural Spanish in Windows-1252 and a common syllable (옵) in CP949.
    data = "¿Él vino?".encode("cp1252")
    assert {reading.share for reading in legacy_readings(data)} == {1.0}
    assert decode_text(data, language="es").text == "¿Él vino?"
    header = b"---\ntitle: T\nepisode: e\nlanguage: es\nspeakers: Ana\n---\nAna: "
    assert decode_text(header + data).text.endswith("Ana: ¿Él vino?")
    assert decode_text("정열: 형".encode("cp949"), language="ko").text == "정열: 형"


def test_the_language_is_sniffed_from_a_transcript_or_po_header() -> None:
    assert sniff_language(b"---\ntitle: x\nlanguage: ko-KR\n---\n") == "ko"
    assert sniff_language(b'msgid ""\nmsgstr ""\n"Language: en\\n"\n') == "en"
    assert sniff_language(b'"Language-Team: Korean\\n"\n') is None


def test_decoded_text_is_nfc() -> None:
    nfd = unicodedata.normalize("NFD", KOREAN)
    assert nfd != KOREAN
    assert decode_text(nfd.encode("utf-8")).text == KOREAN
    assert decode_text(unicodedata.normalize("NFD", "Joy: café").encode("utf-16")).text == "Joy: café"


# --------------------------------------------------------------------- round trips

#: Korean as people write it: common syllables in words, spaces, punctuation, some English.
KOREAN_WORD = st.lists(st.sampled_from(sorted(_COMMON_SYLLABLES)), min_size=1, max_size=5).map("".join)
ENGLISH_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzJKT", min_size=1, max_size=8)
KOREAN_TEXT = st.lists(
    st.one_of(KOREAN_WORD, KOREAN_WORD, KOREAN_WORD, ENGLISH_WORD, st.sampled_from(["LiNK", "TV", "2019"])),
    min_size=2, max_size=30,
).flatmap(lambda words: st.lists(st.sampled_from([" ", ", ", ". ", "? ", "\n", "… ", " ‘", "’ "]),
                                 min_size=len(words), max_size=len(words))
          .map(lambda gaps: "".join(word + gap for word, gap in zip(words, gaps, strict=True))))

#: Western text: ASCII words, some with one accented letter, smart punctuation between.
ACCENTED = "éèêëàâäîïôöùûüçñßÉÀÇÖÜœŒ"
WESTERN_WORD = st.tuples(
    ENGLISH_WORD, st.one_of(st.just(""), st.sampled_from(list(ACCENTED))), ENGLISH_WORD | st.just("")
).map("".join)
WESTERN_TEXT = st.lists(WESTERN_WORD, min_size=2, max_size=30).flatmap(
    lambda words: st.lists(st.sampled_from([" ", ", ", ". ", "’", "’s ", " — ", " “", "” ", "… ", "\n"]),
                           min_size=len(words), max_size=len(words))
    .map(lambda gaps: "".join(word + gap for word, gap in zip(words, gaps, strict=True))))


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@given(KOREAN_TEXT, st.sampled_from(["cp949", "euc-kr"]))
def test_korean_text_in_a_legacy_encoding_reads_back(text: str, codec: str) -> None:
    data = text.encode(codec)
    # A few syllables of CP949 can happen to be valid UTF-8, which always wins (documented).
    assume(text.isascii() or not _is_utf8(data))
    assert decode_text(data, language="ko").text == text


@given(WESTERN_TEXT)
def test_western_text_in_windows_1252_reads_back(text: str) -> None:
    data = text.encode("cp1252")
    assume(text.isascii() or not _is_utf8(data))
    assert decode_text(data, language="en").text == text


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"))


@given(TEXT, st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]))
def test_any_text_with_a_bom_reads_back_in_nfc(text: str, codec: str) -> None:
    bom = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[codec]
    decoded = decode_text(bom + text.encode(codec))
    assert decoded.text == unicodedata.normalize("NFC", text)
    assert decoded.had_bom


@given(TEXT)
def test_any_utf8_text_reads_back_in_nfc(text: str) -> None:
    assert decode_text(text.encode("utf-8")).text == unicodedata.normalize("NFC", text)
