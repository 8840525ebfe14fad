"""``redbox mux``: soft subtitle tracks and burnt-in subtitles, checked with ffprobe and on frames."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.clients import require_binary
from tests.conftest import SAMPLE_EPISODE
from tests.media import built_cue_count, make_video, require_hangul_font
from toolkit.cli import cli
from toolkit.formats.srt import format_timestamp
from toolkit.video import ffmpeg as video_tools
from toolkit.video.episode import iso639_2

pytestmark = pytest.mark.ffmpeg



def stream_md5(path: Path, selector: str) -> str:
    """The MD5 of one stream's packets, copied out: equal for a stream copied, not re-encoded."""
    completed = subprocess.run(
        [require_binary("ffmpeg"), "-nostdin", "-v", "error", "-i", str(path), "-map", selector, "-c", "copy",
         "-f", "md5", "-"],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    return completed.stdout.decode().strip()


def frame(path: Path, at: str) -> bytes:
    """One grey frame (raw bytes) of ``path`` at ``at`` seconds."""
    completed = subprocess.run(
        [require_binary("ffmpeg"), "-nostdin", "-v", "error", "-ss", at, "-i", str(path), "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    return completed.stdout


@pytest.mark.parametrize(
    ("suffix", "codec"), [(".mp4", "mov_text"), (".mov", "mov_text"), (".mkv", "subrip"), (".webm", "webvtt")]
)
def test_mux_adds_a_tagged_track_per_language_and_copies_the_streams(
    runner: CliRunner, project: Path, suffix: str, codec: str
) -> None:
    source = make_video(project / f"{SAMPLE_EPISODE}{'.webm' if suffix == '.webm' else '.mp4'}")
    output = project / f"out{suffix}"
    result = runner.invoke(cli, ["mux", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    info = video_tools.probe(output)
    subtitles = info.of_kind("subtitle")
    assert [(s.codec, s.language, s.title) for s in subtitles] == [
        (codec, "eng", "English"), (codec, "kor", "한국어 Korean")]  # fmt: skip
    cues = video_tools.subtitle_cues(output)
    en_cues, ko_cues = built_cue_count("en"), built_cue_count("ko")
    assert [len(cues[s.index]) for s in subtitles] == [en_cues, ko_cues]
    assert len(info.of_kind("video")) == len(info.of_kind("audio")) == 1
    for selector in ("0:v:0", "0:a:0"):
        assert stream_md5(output, selector) == stream_md5(source, selector), f"{selector} was re-encoded"
    assert f"{codec} kor '한국어 Korean', {ko_cues} cues" in result.output


def test_mux_times_match_the_srt_build(runner: CliRunner, project: Path) -> None:
    source = make_video(project / "clip.mp4")
    output = project / "out.mkv"
    result = runner.invoke(cli, ["mux", str(source), SAMPLE_EPISODE, "-o", str(output), "--lang", "ko"])
    assert result.exit_code == 0, result.output
    srt = runner.invoke(cli, ["subtitles", f"transcripts/{SAMPLE_EPISODE}.txt", "--lang", "ko"]).output
    expected = [line for line in srt.splitlines() if "-->" in line]
    ((_, cues),) = video_tools.subtitle_cues(output).items()
    assert len(cues) == len(expected) == built_cue_count("ko")
    # In sync with the picture: Matroska may shift every stream alike (MP4's audio priming).
    shift = video_tools.probe(output).of_kind("video")[0].start_ms
    times = [f"{format_timestamp(start - shift)} --> {format_timestamp(end - shift)}" for start, end in cues]
    assert times == expected


def test_burn_draws_hangul_into_the_picture(runner: CliRunner, project: Path) -> None:
    require_hangul_font()
    source = make_video(project / "clip.mp4", colour="black", size="640x360")
    output = project / "clip.ko.mp4"
    result = runner.invoke(cli, ["mux", str(source), SAMPLE_EPISODE, "--burn", "ko", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "font Noto Sans CJK KR" in result.output or "font " in result.output
    info = video_tools.probe(output)
    assert not info.of_kind("subtitle") and len(info.of_kind("video")) == 1
    # Cue 2 (정열: 북한 사람들에…) is on screen at 3 s; the frame at 1.79 s falls between cues 1 and 2.
    with_cue, without_cue = frame(output, "3"), frame(output, "1.78")
    plain = frame(source, "3")
    lit = sum(1 for value in with_cue if value > 128)
    assert lit > 300, "no subtitle was drawn at a cue's time"
    assert sum(1 for value in without_cue if value > 128) == 0, "something was drawn between two cues"
    assert sum(1 for value in plain if value > 128) == 0


def test_burn_fails_naming_the_font_package_when_no_font_covers_hangul(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_video(project / "clip.mp4", seconds=2)
    empty = project / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig><cachedir>' + str(project / "fc-cache")
                     + "</cachedir></fontconfig>\n", "utf-8")  # fmt: skip
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    result = runner.invoke(
        cli, ["mux", str(source), SAMPLE_EPISODE, "--burn", "ko", "-o", str(project / "o.mp4")]
    )
    assert result.exit_code == 1
    assert "no installed font covers every character of the ko subtitles" in result.output
    assert "fonts-noto-cjk" in result.output
    assert not (project / "o.mp4").exists()


def test_a_named_font_without_hangul_is_refused(runner: CliRunner, project: Path) -> None:
    source = make_video(project / "clip.mp4", seconds=2)
    covering = video_tools.fonts_covering("A")
    lacking = next(
        (font.family for font in covering if not video_tools.fonts_covering("한", font.family)), None
    )
    if lacking is None:
        pytest.skip("every installed font covers Hangul")
    result = runner.invoke(cli, ["mux", str(source), SAMPLE_EPISODE, "--burn", "ko", "--font", lacking,
                                 "-o", str(project / "o.mp4")])  # fmt: skip
    assert result.exit_code == 1
    assert f"the font {lacking!r} is not installed or does not cover" in result.output


def test_usage_errors_exit_2_and_bad_containers_exit_1(runner: CliRunner, project: Path) -> None:
    source = make_video(project / "clip.mp4", seconds=2)
    assert (
        runner.invoke(cli, ["mux", str(source), SAMPLE_EPISODE, "--font", "X", "-o", "o.mp4"]).exit_code == 2
    )
    result = runner.invoke(cli, ["mux", str(source), SAMPLE_EPISODE, "-o", str(project / "o.avi")])
    assert result.exit_code == 1 and "use .mp4, .mov, .mkv or .webm" in result.output
    result = runner.invoke(cli, ["mux", str(source), SAMPLE_EPISODE, "-o", str(source)])
    assert result.exit_code == 1 and "is also an input" in result.output
    # H.264 cannot be copied into WebM: ffmpeg's reason is shown, and nothing is left behind.
    result = runner.invoke(cli, ["mux", str(source), SAMPLE_EPISODE, "-o", str(project / "o.webm")])
    assert result.exit_code == 1
    assert "ffmpeg cannot add the subtitles: Only VP8 or VP9" in result.output
    assert not list(project.glob("*o.webm*"))


def test_language_tags() -> None:
    assert (iso639_2("en"), iso639_2("ko-KR"), iso639_2("ko_KR")) == ("eng", "kor", "kor")
