"""Reading the files users really have: BOM, CRLF, CR, UTF-16, CP949, EUC-KR, Windows-1252, binary."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ROOT
from toolkit.decoding import decode_text
from toolkit.errors import DecodeError
from toolkit.transcript import parse_transcript

KOREAN = (ROOT / "tests" / "data" / "transcripts" / "korean-sample.txt").read_text(encoding="utf-8")


def turns_of(text: str) -> list[tuple[str, str, int]]:
    transcript, problems = parse_transcript(text)
    assert problems == []
    return [(turn.speaker, turn.text, turn.line) for turn in transcript.turns]


def test_utf8_bom_and_crlf_give_the_same_turns(sample_text: str) -> None:
    data = codecs.BOM_UTF8 + sample_text.replace("\n", "\r\n").encode("utf-8")
    decoded = decode_text(data)
    assert decoded.had_bom and decoded.newline == "\r\n"
    assert turns_of(decoded.text) == turns_of(sample_text)


def test_old_mac_cr_line_ends(sample_text: str) -> None:
    assert turns_of(decode_text(sample_text.replace("\n", "\r").encode()).text) == turns_of(sample_text)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(sample_text: str, codec: str) -> None:
    bom = {"utf-16": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[codec]
    decoded = decode_text(bom + sample_text.encode(codec))
    assert decoded.encoding.startswith("utf-16") and decoded.had_bom and not decoded.legacy
    assert turns_of(decoded.text) == turns_of(sample_text)


@pytest.mark.parametrize("codec", ["cp949", "euc-kr"])
def test_legacy_korean_is_detected(codec: str) -> None:
    decoded = decode_text(KOREAN.replace("\n", "\r\n").encode(codec))
    assert decoded.legacy
    assert turns_of(decoded.text) == turns_of(KOREAN)


def test_cp949_only_syllables_are_named_cp949() -> None:
    # "똠" is in CP949 (Unified Hangul Code) but not in EUC-KR's 2,350 syllables.
    decoded = decode_text("조이: 똠양꿍 먹었어요".encode("cp949"))
    assert decoded.encoding == "cp949"
    assert decoded.text == "조이: 똠양꿍 먹었어요"


def test_binary_is_refused() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.png")


def test_latin1_is_read_as_windows_1252() -> None:
    decoded = decode_text("Joy: hi\nJoy: café crème brûlée\n".encode("latin-1"), "notes.txt")
    assert (decoded.text, decoded.encoding, decoded.legacy) == ("Joy: hi\nJoy: café crème brûlée\n",
                                                                 "windows-1252", True)


def test_mixed_encodings_are_refused_with_the_line() -> None:
    # UTF-8 Korean with one Windows-1252 apostrophe pasted in: no single encoding reads it.
    data = "조이: 안녕\n".encode() + "Joy: It’s\n".encode("cp1252")
    with pytest.raises(DecodeError) as raised:
        decode_text(data, "notes.txt")
    assert raised.value.line == 2
    assert "notes.txt:2:" in str(raised.value)
    assert "save the file as UTF-8" in str(raised.value)


@given(st.binary(max_size=400))
def test_random_bytes_decode_or_are_refused_cleanly(data: bytes) -> None:
    try:
        decoded = decode_text(data, "random.bin")
    except DecodeError as error:
        assert error.source == "random.bin"
        assert error.message
    else:
        assert "\r" not in decoded.text
        parse_transcript(decoded.text, "random.bin")
