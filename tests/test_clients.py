"""Hostile text written by our writers reaches every real client intact; broken files are caught."""

from __future__ import annotations

import random
from pathlib import Path

import pysrt
import pytest
import srt
import webvtt

from tests.clients import (
    HOSTILE_TEXTS,
    ReadCue,
    assert_clients_agree,
    hostile_cues,
    read_ffprobe,
    read_pysrt,
    read_srt_library,
    read_webvtt_py,
    read_with_all_clients,
    read_with_chromium,
    require_binary,
)
from toolkit.formats.srt import compose_srt
from toolkit.formats.vtt import parse_vtt
from toolkit.formats.vtt_write import compose_vtt
from toolkit.model import Cue, CuePart

pytestmark = [pytest.mark.ffmpeg, pytest.mark.chromium]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hostile cues written as SRT (LF and CRLF) and WebVTT."""
    folder = tmp_path_factory.mktemp("hostile")
    cues = hostile_cues()
    paths = {
        "srt": folder / "hostile.en.srt",
        "srt-crlf": folder / "hostile-crlf.en.srt",
        "vtt": folder / "hostile.en.vtt",
    }
    paths["srt"].write_bytes(compose_srt(cues).encode("utf-8"))
    paths["srt-crlf"].write_bytes(compose_srt(cues, crlf=True).encode("utf-8"))
    paths["vtt"].write_bytes(compose_vtt(cues).encode("utf-8"))
    return paths


@pytest.fixture(scope="module")
def results(written: dict[str, Path]) -> dict[Path, dict[str, list[ReadCue]]]:
    """Every client's reading of every written file (one Chromium launch for the module)."""
    require_binary("ffmpeg")
    require_binary("chromium")
    return read_with_all_clients(list(written.values()))


@pytest.mark.parametrize("kind", ["srt", "srt-crlf", "vtt"])
def test_hostile_text_reads_back_identically_in_every_client(
    kind: str, written: dict[str, Path], results: dict[Path, dict[str, list[ReadCue]]]
) -> None:
    path = written[kind]
    expected_clients = {"pysrt", "srt", "ffprobe"} if kind.startswith("srt") else {
        "webvtt-py",
        "ffprobe",
        "chromium",
    }
    assert set(results[path]) == expected_clients
    assert_clients_agree(path, hostile_cues(), results=results)


def test_chromium_shows_escaped_text_and_voice_names_as_written(
    written: dict[str, Path], results: dict[Path, dict[str, list[ReadCue]]]
) -> None:
    chromium = results[written["vtt"]]["chromium"]
    by_text = {cue.text: cue for cue in chromium}
    tags = by_text[HOSTILE_TEXTS["tags"]]
    assert tags.voices == ("A&B > C <D>",)
    assert by_text["-Hi & bye\n-Yes\n-No"].voices == ("Joy", "Dasom")
    assert by_text[HOSTILE_TEXTS["long-word"]].text == "x" * 800
    assert chromium[-1].start_ms == 360_000_000


def test_srt_without_the_word_joiner_is_misread_by_ffmpeg(tmp_path: Path) -> None:
    """Why compose_srt neutralises arrows: pysrt alone writes a file ffmpeg splits in two."""
    require_binary("ffmpeg")
    text = "Count with me:\n12\n00:00:05,000 --> 00:00:06,000\nand on"
    item = pysrt.SubRipItem(
        1,
        start=pysrt.SubRipTime(milliseconds=1000),
        end=pysrt.SubRipTime(milliseconds=2000),
        text=text,
    )
    raw = tmp_path / "raw.srt"
    pysrt.SubRipFile(items=[item]).save(str(raw), encoding="utf-8")
    assert [(cue.start_ms, cue.end_ms) for cue in read_ffprobe(raw)] == [(1000, 2000), (5000, 6000)]

    ours = tmp_path / "ours.srt"
    cues = [Cue(1000, 2000, (CuePart(None, text),))]
    ours.write_text(compose_srt(cues), encoding="utf-8")
    assert [(cue.start_ms, cue.end_ms) for cue in read_ffprobe(ours)] == [(1000, 2000)]


# ---------------------------------------------------------------- the harness catches broken files


def test_pysrt_guard_catches_a_timestamp_pysrt_reads_as_zero(tmp_path: Path) -> None:
    path = tmp_path / "bad.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:0a,000\nHi\n", encoding="utf-8")
    assert pysrt.open(str(path), error_handling=pysrt.ERROR_RAISE)[0].end.ordinal == 0
    with pytest.raises(AssertionError, match="problems pysrt hides"):
        read_pysrt(path)


def test_strict_readers_refuse_a_broken_file(tmp_path: Path) -> None:
    srt_path = tmp_path / "bad.srt"
    srt_path.write_text("1\n00:00:01.000 -> 00:00:02,000\nHi\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"(?i)expected|parse"):
        read_srt_library(srt_path)
    vtt_path = tmp_path / "bad.vtt"
    vtt_path.write_text("WEBVTT\n\n00:00:01,000 --> 00:00:02.000\nHi\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"(?i)malformed|invalid"):
        read_webvtt_py(vtt_path)


def test_chromium_reports_a_missing_header_and_drops_bad_cues(tmp_path: Path) -> None:
    no_header = tmp_path / "no-header.vtt"
    no_header.write_text("00:00:01.000 --> 00:00:02.000\nHi\n", encoding="utf-8")
    bad_cue = tmp_path / "bad-cue.vtt"
    bad_cue.write_text(
        "WEBVTT\n\n00:00:01,000 --> 00:00:02.000\nDropped\n\n00:00:03.000 --> 00:00:04.000\nKept\n",
        encoding="utf-8",
    )
    tracks = read_with_chromium([no_header, bad_cue])
    assert tracks[no_header].status == "error"
    assert tracks[bad_cue].status == "load"
    assert [cue.text for cue in tracks[bad_cue].cues] == ["Kept"]


def test_assert_clients_agree_names_the_client_and_cue_that_differ(tmp_path: Path) -> None:
    path = tmp_path / "one.srt"
    cue = Cue(1000, 2000, (CuePart(None, "Hello"),))
    path.write_text(compose_srt([cue]), encoding="utf-8")
    results = read_with_all_clients([path], clients=["srt"])
    wrong = Cue(1000, 2001, (CuePart(None, "Hello"),))
    with pytest.raises(AssertionError, match="cue 1 as srt read it"):
        assert_clients_agree(path, [wrong], results=results)


def test_require_binary_skips_locally_and_fails_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        require_binary("redbox-no-such-program")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run"):
        require_binary("redbox-no-such-program")


_ALPHABET = (
    "abcXYZ019 .,!?'\"-:;<>&/\\{}[]#=%"
    "가나다한국어북조선"
    "\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202e\u2066\u2069"
    "\u0301\u00e9\u00df\U0001f600"
)


def _random_cues(seed: int) -> list[Cue]:
    chooser = random.Random(seed)
    cues = []
    start = chooser.randrange(0, 10_000_000)
    for _ in range(chooser.randint(3, 10)):
        parts = []
        for _ in range(chooser.randint(1, 2)):
            lines = []
            for _ in range(chooser.randint(1, 2)):
                line = "".join(chooser.choice(_ALPHABET) for _ in range(chooser.randint(1, 40)))
                lines.append(line if line.strip() else line + "x")
            parts.append(CuePart(chooser.choice(["Joy", "A & <B>", None, "조이  이"]), "\n".join(lines)))
        start += chooser.randrange(0, 3000)
        end = start + chooser.randrange(1, 8000)
        cues.append(Cue(start, end, tuple(parts)))
        start = end
    return cues


def test_random_unicode_text_reads_back_in_every_client(tmp_path: Path) -> None:
    """A fixed-seed sweep of awkward characters through both writers and all clients at once."""
    require_binary("ffmpeg")
    require_binary("chromium")
    written = []
    for seed in range(6):
        cues = _random_cues(seed)
        for suffix, text in ((".srt", compose_srt(cues)), (".vtt", compose_vtt(cues))):
            path = tmp_path / f"random{seed}{suffix}"
            path.write_bytes(text.encode("utf-8"))
            written.append((path, cues))
    results = read_with_all_clients([path for path, _ in written])
    for path, cues in written:
        assert_clients_agree(path, cues, results=results)


BAD = Path(__file__).parent / "data" / "formats" / "bad"
WPT = Path(__file__).parent / "data" / "formats" / "wpt-webvtt"


def test_our_reader_shows_what_chromium_shows_on_broken_and_conformance_files() -> None:
    """Cue times, shown text and voice names from parse_vtt equal Chromium's, file by file."""
    paths = sorted(BAD.glob("*.vtt")) + sorted(WPT.glob("*.vtt"))
    tracks = read_with_chromium(paths)
    for path in paths:
        cues, _ = parse_vtt(path.read_bytes().decode("utf-8"), path.name)
        ours = [(cue.start_ms, cue.end_ms, cue.plain, cue.voices) for cue in cues]
        theirs = [(cue.start_ms, cue.end_ms, cue.text, cue.voices) for cue in tracks[path].cues]
        assert ours == theirs, path.name
    assert tracks[BAD / "missing-header.en.vtt"].status == "error"


def test_broken_fixtures_fool_lenient_clients_but_not_strict_ones() -> None:
    bad_timestamp = BAD / "bad-timestamp.en.srt"
    assert pysrt.open(str(bad_timestamp), error_handling=pysrt.ERROR_RAISE)[0].end.ordinal == 0
    # The srt library too: it reads "00:00:0a,000" as 0 s plus "a,000" of position data.
    (first, _) = srt.parse(bad_timestamp.read_text(encoding="utf-8"))
    assert (first.end.total_seconds(), first.proprietary) == (0, "a,000")
    with pytest.raises(AssertionError, match="after the end time"):
        read_srt_library(bad_timestamp)
    with pytest.raises(AssertionError, match="Invalid data"):
        read_ffprobe(bad_timestamp)
    glued = pysrt.open(str(BAD / "missing-blank-line.en.srt"), error_handling=pysrt.ERROR_RAISE)
    assert len(glued) == 1 and "00:00:04,000 -->" in glued[0].text
    with pytest.raises(webvtt.errors.MalformedCaptionError):
        read_webvtt_py(BAD / "comma-separator.en.vtt")
    with pytest.raises(webvtt.errors.MalformedFileError):
        read_webvtt_py(BAD / "missing-header.en.vtt")
    # ffmpeg accepts what the checks must refuse: after the comma cue it reads no cue at all,
    # exits 0 and prints nothing, so only a comparison with the cues meant catches it.
    assert read_ffprobe(BAD / "comma-separator.en.vtt") == []
