"""What viewers see through ffmpeg and libass (mpv, ffmpeg burn-in) is exactly the text redbox wrote.

Two ways: frames burnt in with ffmpeg's ``subtitles`` filter (a moved, hidden or broken line
shows in the pixels), and the ASS events for every hostile text: ffmpeg converts each file to
ASS (``ffmpeg -i x.srt -f ass -``, the events its ``subtitles`` filter hands to libass);
:func:`toolkit.formats.libass.libass_shows` then applies libass's own reading of the event
text (override blocks hidden, ``\\N``/``\\n``/``\\h``/``\\{``/``\\}``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.clients import HOSTILE_TEXTS, read_pysrt, require_binary
from toolkit.formats.libass import WORD_JOINER, escape_srt_braces, libass_shows
from toolkit.formats.srt import compose_srt, srt_safe_text
from toolkit.formats.vtt_write import compose_vtt
from toolkit.model import Cue, CuePart

pytestmark = pytest.mark.ffmpeg

#: Text libass or ffmpeg's SRT decoder would read as markup (docs/formats.md, "libass").
LIBASS_TEXTS = [
    "{\\an8}top of the screen?",
    "a {curly} word and } alone and { alone",
    "C:\\New\\hello and \\N and x\\ny and \\h",
    "<1> and < b>bold and <i>it</i> and 1 < 2 > 0",
    "escaped \\{braces\\} already",
    "{Y:i}microdvd and {\\i1}italic{\\i0}",
    "<font color=red>red</font> & &amp; &lt;",
    "two\nlines {a\nb}",
]


def ass_events(path: Path) -> list[str]:
    """The text of every ASS event ffmpeg makes of ``path``, in order."""
    ffmpeg = require_binary("ffmpeg")
    converted = subprocess.run(
        [ffmpeg, "-nostdin", "-v", "error", "-i", str(path), "-f", "ass", "-"],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    lines = converted.stdout.decode("utf-8").splitlines()
    return [line.split(",", 9)[9] for line in lines if line.startswith("Dialogue:")]


def cues_of(texts: list[str]) -> list[Cue]:
    return [Cue(at * 2000, at * 2000 + 1500, (CuePart(None, text),)) for at, text in enumerate(texts)]


@pytest.mark.parametrize("kind", ["srt", "vtt"])
def test_libass_shows_exactly_the_text_written(tmp_path: Path, kind: str) -> None:
    texts = LIBASS_TEXTS + [text for text in HOSTILE_TEXTS.values() if text.strip() == text]
    cues = cues_of(texts)
    path = tmp_path / f"x.{kind}"
    path.write_text(compose_srt(cues) if kind == "srt" else compose_vtt(cues), encoding="utf-8")
    shown = [libass_shows(event).replace(WORD_JOINER, "") for event in ass_events(path)]
    assert shown == [text.replace(WORD_JOINER, "") for text in texts]


def test_without_the_escaping_libass_hides_and_moves_text(tmp_path: Path) -> None:
    """Why the escaping exists: the same texts written raw are misread."""
    path = tmp_path / "raw.srt"
    path.write_text("".join(
        f"{number}\n00:00:0{number},000 --> 00:00:0{number},900\n{text}\n\n"
        for number, text in enumerate(["{\\an8}top", "C:\\New", "<1> and < b>b"], start=1)
    ), encoding="utf-8")  # fmt: skip
    assert [libass_shows(event) for event in ass_events(path)] == ["top", "C:\new", " and b"]


def test_pysrt_reads_the_same_text_but_for_the_brace_escape(tmp_path: Path) -> None:
    """pysrt (and srt) see the written text with invisible joiners; a brace pair is the one
    visible escape (``\\{``), documented in docs/formats.md."""
    cues = cues_of(LIBASS_TEXTS)
    path = tmp_path / "x.srt"
    path.write_text(compose_srt(cues), encoding="utf-8")
    read = [cue.text or "" for cue in read_pysrt(path)]
    assert read == [srt_safe_text(text) for text in LIBASS_TEXTS]
    visible = [text.replace(WORD_JOINER, "") for text in read]
    assert visible == [escape_srt_braces(text).replace(WORD_JOINER, "") for text in LIBASS_TEXTS]


# ---------------------------------------------------------------- frames, as viewers see them

WIDTH, HEIGHT = 320, 240


def lit_rows(subtitle: Path) -> tuple[int, int] | None:
    """The first and last pixel rows with text in a frame burnt in by ffmpeg's ``subtitles`` filter."""
    ffmpeg = require_binary("ffmpeg")
    frame = subtitle.with_suffix(".gray")
    subprocess.run(
        [ffmpeg, "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", f"color=black:s={WIDTH}x{HEIGHT}:d=1",
         "-vf", f"subtitles={subtitle.name}", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray",
         frame.name],
        cwd=subtitle.parent, capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    pixels = frame.read_bytes()
    rows = [y for y in range(HEIGHT) if max(pixels[y * WIDTH : (y + 1) * WIDTH]) > 128]
    return (rows[0], rows[-1]) if rows else None


def burn(tmp_path: Path, name: str, text: str, *, escaped: bool) -> tuple[int, int] | None:
    path = tmp_path / f"{name}.srt"
    if escaped:
        path.write_text(compose_srt([Cue(0, 2000, (CuePart(None, text),))]), encoding="utf-8")
    else:
        path.write_text(f"1\n00:00:00,000 --> 00:00:02,000\n{text}\n", encoding="utf-8")
    return lit_rows(path)


def test_burnt_in_an_override_does_not_move_the_cue(tmp_path: Path) -> None:
    raw = burn(tmp_path, "raw", "{\\an8}top", escaped=False)
    written = burn(tmp_path, "written", "{\\an8}top", escaped=True)
    assert raw is not None and raw[1] < HEIGHT // 2  # moved to the top of the picture
    assert written is not None and written[0] > HEIGHT // 2  # redbox's stays at the bottom


def test_burnt_in_braced_text_is_shown(tmp_path: Path) -> None:
    assert burn(tmp_path, "raw", "{aside}", escaped=False) is None  # hidden: nothing drawn
    assert burn(tmp_path, "written", "{aside}", escaped=True) is not None


def test_burnt_in_a_backslash_n_is_no_line_break(tmp_path: Path) -> None:
    raw = burn(tmp_path, "raw", "C:\\New", escaped=False)
    written = burn(tmp_path, "written", "C:\\New", escaped=True)
    one_line = burn(tmp_path, "one", "C:/New", escaped=True)
    assert raw is not None and written is not None and one_line is not None
    assert raw[1] - raw[0] > 1.5 * (one_line[1] - one_line[0])  # two lines
    assert written[1] - written[0] <= one_line[1] - one_line[0] + 2  # one line, as written
