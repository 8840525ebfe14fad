"""The quick ways through subtitle files give exactly what the general readers give.

``redbox check`` reads thousands of SRT and WebVTT files; the canonical timing line
(``00:00:01,000 --> 00:00:02,500``, or ``.`` in WebVTT) is read by one regular expression.
Each shortcut is checked here against the general, character-by-character reader on lines
built to be awkward (out-of-range fields, wrong separators, extra digits, spaces, settings,
non-ASCII digits), and on every timing line of the corpus and the shipped subtitles.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import TimecodeError
from toolkit.formats import srt, vtt

ROOT = Path(__file__).resolve().parents[1]

_digits = st.text(st.sampled_from("0123456789"), min_size=0, max_size=4) | st.sampled_from(
    ["00", "01", "59", "60", "99", "000", "999", "5", "٣٣"]
)
_separators = st.sampled_from([":", ",", ".", ";", ""])


@st.composite
def _stamps(draw: st.DrawFn) -> str:
    parts = [draw(_digits), draw(_separators), draw(_digits), draw(_separators), draw(_digits)]
    parts += [draw(_separators), draw(_digits)]
    return "".join(parts)


@st.composite
def _timing_lines(draw: st.DrawFn) -> str:
    arrow = draw(st.sampled_from([" --> ", "-->", "  -->  ", " -> ", "\t-->\t", " --> "]))
    tail = draw(st.sampled_from(["", " ", "\r", " X1:10 X2:20 Y1:5 Y2:6", " align:start", " x"]))
    head = draw(st.sampled_from(["", " ", "\ufeff"]))
    return head + draw(_stamps()) + arrow + draw(_stamps()) + tail


def _canonical(separator: str) -> st.SearchStrategy[str]:
    two = st.integers(0, 99).map(lambda n: f"{n:02d}")
    sixty = st.integers(0, 59).map(lambda n: f"{n:02d}")
    three = st.integers(0, 999).map(lambda n: f"{n:03d}")
    stamp = st.tuples(two, sixty, sixty, three).map(lambda t: f"{t[0]}:{t[1]}:{t[2]}{separator}{t[3]}")
    return st.tuples(stamp, stamp).map(lambda pair: f"{pair[0]} --> {pair[1]}")


def _vtt_result(reader: object, line: str) -> object:
    try:
        return reader(line)  # type: ignore[operator]
    except TimecodeError as error:
        return ("error", str(error))


@settings(max_examples=400)
@given(_timing_lines() | _canonical(",") | _canonical("."))
def test_srt_timing_shortcut_equals_general_reader(line: str) -> None:
    assert srt._read_timing(line) == srt._read_timing_general(line)


@settings(max_examples=400)
@given(_timing_lines() | _canonical(".") | _canonical(","))
def test_vtt_timing_shortcut_equals_general_reader(line: str) -> None:
    assert _vtt_result(vtt.parse_timing_line, line) == _vtt_result(vtt.parse_timing_line_general, line)


def _timing_lines_of(folder: Path, suffix: str) -> list[str]:
    lines: list[str] = []
    for path in sorted(folder.rglob(f"*{suffix}")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        lines.extend(line for line in text.splitlines() if "-->" in line)
    return lines


def test_timing_shortcuts_agree_on_the_corpus_and_shipped_files() -> None:
    srt_lines = _timing_lines_of(ROOT / "tests" / "data" / "corpus", ".srt")
    srt_lines += _timing_lines_of(ROOT / "subtitles", ".srt")
    vtt_lines = _timing_lines_of(ROOT / "tests" / "data" / "corpus", ".vtt")
    vtt_lines += _timing_lines_of(ROOT / "subtitles", ".vtt")
    assert len(srt_lines) > 100 and len(vtt_lines) > 100
    for line in srt_lines:
        assert srt._read_timing(line) == srt._read_timing_general(line), line
    for line in vtt_lines:
        assert _vtt_result(vtt.parse_timing_line, line) == _vtt_result(vtt.parse_timing_line_general, line)
    # The shortcut is taken on the shipped files (else this test would prove nothing).
    assert any(srt._CANONICAL_TIMING.fullmatch(line) for line in srt_lines)
    assert any(vtt._CANONICAL_TIMING.fullmatch(line) for line in vtt_lines)
