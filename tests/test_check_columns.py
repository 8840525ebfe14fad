"""A tidy subtitle file's cues read as columns give what the per-cue readers and rules give.

``redbox check`` reads a tidy SRT or WebVTT file (what redbox writes: one blank line between
cues) by one regex split into columns (``ordinary_cue_columns``), and runs the rules only on
the cues a bound picks out (issue 16, seventh pass). Here the columns are compared with the
per-cue reader's rows, and the problems with the rules as they were
(``test_check_fast_paths.reference_check``), on generated tidy and awkward files in English
and Korean, on the corpus and on the shipped subtitles.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_check_fast_paths import _lines, _subtitle_files, reference_check
from toolkit.formats import CueRow, srt, vtt
from toolkit.formats.cue_columns import CueColumns, cue_numbers
from toolkit.limits import KOREAN, is_wide, text_width
from toolkit.subtitle_check import _from_f000, check_subtitle_text

ROOT = Path(__file__).resolve().parents[1]


def _same_cues(kind: str, text: str) -> CueColumns | None:
    """The columns of ``text`` when it is tidy, checked against the per-cue reader's rows."""
    module = srt if kind == "srt" else vtt
    columns: CueColumns | None = module.ordinary_cue_columns(text)
    if columns is not None:
        rows: list[CueRow] | None = module.ordinary_cue_rows(text)
        assert rows is not None, "a tidy file is an ordinary one"
        assert [row[2] for row in rows] == columns.starts
        assert [row[3] for row in rows] == columns.ends
        assert [row[4] for row in rows] == columns.texts
        assert [row[5] for row in rows] == columns.plains
        assert [row[7] for row in rows] == columns.first_lines()
        assert [row[8] for row in rows] == columns.timing_lines()
        assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    return columns


_korean_lines = st.sampled_from([
    "한국에서는 손님이 들어와도", "아르바이트생들이 인사를 잘 안 하잖아요.", "“그렇죠”", "가" * 17, "가 " * 9,
    "조이: 네…", "ㅋㅋㅋ 漢字 ＡＢ", "\u1100\u1161", "ｱｲｳ", "😀 이모지", "e\u0301 결합",
])
_times = st.integers(0, 3_599_999)


@st.composite
def _tidy_files(draw: st.DrawFn, kind: str) -> str:
    """Files in the tidy form (sometimes broken), with cues timed close together."""
    clock = draw(_times)
    blocks = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        start = clock + draw(st.integers(-100, 3000))
        end = start + draw(st.sampled_from([0, -5, 400, 833, 834, 1500, 3000, 7000, 7001]))
        clock = max(end, 0)
        start, end = max(start, 0), max(end, 0)
        separator = "," if kind == "srt" else "."
        timing = f"{_clock(start, separator)} --> {_clock(end, separator)}"
        lines = draw(st.lists(_lines | _korean_lines, min_size=1, max_size=3))
        if kind == "vtt" and draw(st.booleans()):
            lines = [f"<v {draw(st.sampled_from(['Joy', '조이', 'A B']))}>{line}</v>" for line in lines]
        head = [str(draw(st.sampled_from([number] * 8 + [number + 1, 0])))] if kind == "srt" else []
        blocks.append("\n".join([*head, timing, *lines]))
    body = "\n\n".join(blocks) + draw(st.sampled_from(["\n", "", "\n\n", "\n\n\n"]))
    if kind == "vtt":
        body = "WEBVTT\n\n" + body
    body = draw(st.sampled_from(["", "", "\ufeff"])) + body
    if draw(st.integers(0, 4)) == 0:
        body = body.replace("\n", "\r\n")
    return body


def _clock(ms: int, separator: str) -> str:
    seconds, millis = divmod(ms, 1000)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}{separator}{millis:03d}"


def _same_problems(kind: str, text: str) -> CueColumns | None:
    columns = _same_cues(kind, text)
    for name in (f"a.en.{kind}", f"a.ko.{kind}", f"a.ja.{kind}"):
        assert check_subtitle_text(text, name) == reference_check(text, name)
    return columns


@settings(max_examples=400)
@given(_tidy_files("srt"))
def test_tidy_srt_columns_and_problems_agree_with_the_per_cue_reader(text: str) -> None:
    _same_problems("srt", text)


@settings(max_examples=400)
@given(_tidy_files("vtt"))
def test_tidy_vtt_columns_and_problems_agree_with_the_per_cue_reader(text: str) -> None:
    _same_problems("vtt", text)


@settings(max_examples=300)
@given(_subtitle_files("srt"), _subtitle_files("vtt"))
def test_awkward_files_agree_too(srt_text: str, vtt_text: str) -> None:
    _same_problems("srt", srt_text)
    _same_problems("vtt", vtt_text)


def test_columns_agree_on_the_corpus_and_are_taken_on_the_shipped_files() -> None:
    paths = sorted(path for folder in (ROOT / "tests" / "data" / "corpus", ROOT / "subtitles")
                   for path in folder.rglob("*") if path.suffix in (".srt", ".vtt"))  # fmt: skip
    taken = set()
    for path in paths:
        text = path.read_bytes().decode("utf-8", errors="replace")
        kind = "vtt" if path.suffix == ".vtt" else "srt"
        if _same_problems(kind, text) is not None:
            taken.add(path)
    shipped = set((ROOT / "subtitles").glob("*.*t"))
    assert len(shipped) == 4 and shipped <= taken < set(paths)


def test_a_file_redbox_writes_is_read_as_columns() -> None:
    srt_text = ("1\n00:00:01,000 --> 00:00:02,500\nJoy: Hi.\n\n"
                "2\n00:00:03,000 --> 00:00:04,000\n- Yes.\n- No.\n")
    columns = srt.ordinary_cue_columns(srt_text)
    assert columns is not None
    assert (columns.starts, columns.ends, columns.timing_lines()) == ([1000, 3000], [2500, 4000], [2, 6])
    vtt_text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<v 조이>안녕</v>\n<v Joy>Hi</v>\n"
    columns = vtt.ordinary_cue_columns(vtt_text)
    assert columns is not None and columns.plains == ["안녕\nHi"] and columns.timing_lines() == [3]
    # Not tidy: two blank lines between cues, a cue id, an entity: the per-cue readers take them.
    assert srt.ordinary_cue_columns(srt_text.replace("\n\n", "\n\n\n")) is None
    assert vtt.ordinary_cue_columns(vtt_text.replace("WEBVTT\n\n", "WEBVTT\n\nid\n")) is None
    assert vtt.ordinary_cue_columns(vtt_text.replace("안녕", "&amp;")) is None


@given(st.text(max_size=40).filter(lambda text: "\n" not in text))
def test_the_korean_width_bound_is_never_below_the_width(text: str) -> None:
    # A cue is left out of the rules when this bound is within the limits (issue 16).
    size = len(text.encode("utf-8", "surrogatepass"))
    assert (len(text) + size) / 4 >= text_width(text, KOREAN)


def test_every_wide_character_takes_three_bytes_in_utf8() -> None:
    for code in range(0x110000):
        char = chr(code)
        if is_wide(char):
            assert len(char.encode("utf-8")) == 3, hex(code)


@given(st.text(max_size=30))
def test_the_f000_pretest_never_misses_a_character_from_fdd0(text: str) -> None:
    if any(char >= "\ufdd0" for char in text):
        assert _from_f000(text)
    nfd = unicodedata.normalize("NFD", text)
    assert _from_f000(nfd) or not any(char >= "\uf000" for char in nfd)


def test_cue_numbers_are_kept_and_sliced() -> None:
    assert cue_numbers(3) == ["1", "2", "3"]
    assert cue_numbers(12)[-3:] == ["10", "11", "12"] and cue_numbers(2) == ["1", "2"]
