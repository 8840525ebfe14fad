"""Media for the video tests: short videos made by ffmpeg, and the Hangul font the burn-in needs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.clients import require_binary


def require_hangul_font() -> None:
    """Skip without an installed font that covers Hangul (fail instead when CI=true: .ci/run installs
    fonts-noto-cjk)."""
    require_binary("fc-list")
    from toolkit.video.ffmpeg import fonts_covering

    if fonts_covering("한국어"):
        return
    reason = "no installed font covers Hangul (apt-get install fonts-noto-cjk)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI must run the burn-in tests")
    pytest.skip(reason)


def make_video(path: Path, *, colour: str = "", seconds: int = 8, size: str = "320x180") -> Path:
    """A short video made by ffmpeg: a test pattern (or one colour) and a sine tone; WebM for
    a ``.webm`` path (VP8/Vorbis, which Chromium plays), else H.264/AAC."""
    ffmpeg = require_binary("ffmpeg")
    picture = f"testsrc=s={size}:r=24:d={seconds}"
    if colour:
        picture = f"color=c={colour}:s={size}:r=24:d={seconds}"
    codecs = ["-c:v", "libvpx", "-b:v", "200k", "-c:a", "libvorbis"] if path.suffix == ".webm" else [
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"]  # fmt: skip
    subprocess.run(
        [ffmpeg, "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i",
         f"sine=frequency=440:duration={seconds}", *codecs, "-shortest", str(path)],
        check=True, timeout=120,
    )  # fmt: skip
    return path


def built_cue_count(language: str) -> int:
    """How many cues ``redbox build`` makes for the sample in ``language`` (its SRT's timing lines)."""
    from click.testing import CliRunner

    from tests.conftest import SAMPLE_TRANSCRIPT
    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["subtitles", str(SAMPLE_TRANSCRIPT), "--lang", language])
    assert result.exit_code == 0, result.output
    return sum(1 for line in result.stdout.splitlines() if "-->" in line)
