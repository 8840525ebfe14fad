"""Shot changes: ffmpeg's scene detection on a video with cuts at known frames, the cache, and
cue edges snapped by the Netflix rules (``toolkit.video.snapping``)."""

from __future__ import annotations

import itertools
import math
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.clients import require_binary
from toolkit.cli import cli
from toolkit.formats.srt import parse_srt
from toolkit.model import Cue, CuePart
from toolkit.video import ffmpeg as video_tools
from toolkit.video.snapping import frames_ms, half_second_frames, snap_end, snap_start, snap_to_shots

FPS = 24
TRANSCRIPT = """---
title: Shots
episode: shots
language: en
speakers: Joy, Dasom
---
[00:00:01] Joy: Hello there, this is a short test of shot changes.
Dasom: Yes, it is, and a cut may come at any time now.
Joy: Right.
[00:00:20] Dasom: And this is the last turn, said just after a cut.
"""


def cue(start: int, end: int) -> Cue:
    return Cue(start, end, (CuePart("Joy", "text"),), line=1)


def at(frame: int) -> int:
    return round(frame * 1000 / FPS)


# ---------------------------------------------------------------- the rules (pure)


def test_half_a_second_and_two_frames_at_the_usual_rates() -> None:
    assert [half_second_frames(fps) for fps in (23.976, 24, 25, 29.97, 30)] == [12, 12, 13, 15, 15]
    assert [frames_ms(2, fps) for fps in (23.976, 25, 30)] == [83, 80, 67]


@pytest.mark.parametrize(
    ("offset_frames", "expected"),
    [
        (+1, 0), (+11, 0),  # starts up to 11 frames after the cut: back onto it
        (+12, None),  # half a second after: left alone
        (-1, 0), (-8, 0),  # 1-8 frames before: onto the cut
        (-9, -12), (-11, -12),  # 9-11 frames before: back to half a second before it
        (-12, None),
    ],
)  # fmt: skip
def test_start_rules_at_24_fps(offset_frames: int, expected: int | None) -> None:
    shot = at(240)
    moved = snap_start(
        shot + at(offset_frames) if offset_frames > 0 else shot - at(-offset_frames), [shot], FPS
    )
    if expected is None:
        assert moved is None
    else:
        assert moved == (shot + at(expected) if expected >= 0 else shot - at(-expected), shot)


@pytest.mark.parametrize("offset_frames", [-11, -3, -1, 1, 5, 11])
def test_an_end_near_a_cut_moves_to_two_frames_before_it(offset_frames: int) -> None:
    shot = at(240)
    end = shot + (at(offset_frames) if offset_frames > 0 else -at(-offset_frames))
    assert snap_end(end, [shot], FPS) == (shot - frames_ms(2, FPS), shot)
    assert snap_end(shot + at(12), [shot], FPS) is None


def test_never_across_the_neighbouring_cue() -> None:
    shot = 10_000
    # The second cue starts 3 frames after the cut; the first ends 1 frame before the second starts.
    first, second = cue(8000, shot + at(2)), cue(shot + at(3), 12_000)
    snapped = snap_to_shots([first, second], [shot], FPS)
    assert snapped.cues[0].end_ms == shot - frames_ms(2, FPS)
    assert snapped.cues[1].start_ms == shot
    assert snapped.cues[1].start_ms - snapped.cues[0].end_ms >= frames_ms(2, FPS)
    # An end cannot be pulled past the start of the next cue's speech.
    blocked = snap_to_shots([cue(8000, shot - at(6)), cue(shot - at(4), 12_000)], [shot], FPS)
    assert blocked.cues[0].end_ms == shot - at(6)
    # A cue is never cut below 5/6 s by a snap.
    short = snap_to_shots([cue(shot - at(20), shot + at(3))], [shot], FPS)
    assert short.cues[0].end_ms == shot + at(3)
    assert [move.edge for move in snapped.moves] == ["end", "start"]
    assert [(held.cue, held.edge, held.from_ms) for held in blocked.held] == [(1, "end", shot - at(6))]


# ---------------------------------------------------------------- with ffmpeg


def make_cut_video(path: Path, cuts: list[int], total: int) -> Path:
    """A 24 fps video whose picture changes colour at each frame number in ``cuts``."""
    ffmpeg = require_binary("ffmpeg")
    edges = [0, *cuts, total]
    colours = ["black", "white", "gray", "white", "black"]  # distinct brightness: scene scores see luma
    parts, labels = [], []
    for number, (first, last) in enumerate(itertools.pairwise(edges)):
        parts.append(f"color=c={colours[number % 5]}:s=96x54:r={FPS},trim=end_frame={last - first},"
                     f"setpts=PTS-STARTPTS[v{number}]")  # fmt: skip
        labels.append(f"[v{number}]")
    graph = ";".join(parts) + ";" + "".join(labels) + f"concat=n={len(labels)}:v=1:a=0[out]"
    subprocess.run(
        [ffmpeg, "-nostdin", "-v", "error", "-y", "-filter_complex", graph, "-map", "[out]",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-r", str(FPS), str(path)],
        check=True, timeout=120,
    )  # fmt: skip
    return path


@pytest.fixture
def shots_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "shots.txt").write_text(TRANSCRIPT, "utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.redbox]\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def srt_times(text: str) -> list[tuple[int, int]]:
    cues, problems = parse_srt(text, "out.srt")
    assert not problems
    return [(one.start_ms, one.end_ms) for one in cues]


@pytest.mark.ffmpeg
def test_scene_detection_finds_the_cuts_at_their_frames(tmp_path: Path) -> None:
    video = make_cut_video(tmp_path / "cuts.mp4", [48, 130, 200], 260)
    assert video_tools.detect_shots(video) == [at(48), at(130), at(200)]
    assert video_tools.probe(video).fps == FPS


@pytest.mark.ffmpeg
def test_subtitles_snap_to_the_videos_cuts_and_cache_them(
    runner: CliRunner, shots_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = runner.invoke(cli, ["subtitles", "transcripts/shots.txt"])
    assert plain.exit_code == 0, plain.output
    times = srt_times(plain.output)
    assert len(times) >= 3
    (_, first_end), (second_start, _) = times[1], times[2]
    assert second_start - first_end > 600  # room for two cuts between cue 2 and cue 3
    # One cut 5 frames after the second cue ends, one 3 frames before the third starts.
    cut_a = math.ceil(first_end * FPS / 1000) + 4
    cut_b = math.floor(second_start * FPS / 1000) - 3
    video = make_cut_video(shots_project / "shots.mp4", [cut_a, cut_b], cut_b + 72)
    snapped = runner.invoke(cli, ["subtitles", "transcripts/shots.txt", "--video", str(video)])
    assert snapped.exit_code == 0, snapped.output
    new = srt_times(snapped.output)
    assert new[1] == (times[1][0], at(cut_a) - frames_ms(2, FPS))  # the end moved to 2 frames before cut A
    assert new[2] == (at(cut_b), times[2][1])  # the start moved back onto cut B
    assert new[:1] + new[3:] == times[:1] + times[3:]  # nothing else moved
    cache = shots_project / "transcripts" / "shots.shots.tsv"
    assert cache.read_text("utf-8").splitlines()[2:] == [str(at(cut_a)), str(at(cut_b))]

    # The cache is used while the video is unchanged: no second scene detection.
    def no_detection(*args: object, **kwargs: object) -> list[int]:
        raise AssertionError("scene detection ran again on an unchanged video")

    monkeypatch.setattr(video_tools, "detect_shots", no_detection)
    again = runner.invoke(cli, ["subtitles", "transcripts/shots.txt", "--video", str(video)])
    assert again.exit_code == 0 and again.output == snapped.output
    # A changed video is detected again.
    os.utime(video, ns=(1, 1))
    changed = runner.invoke(cli, ["subtitles", "transcripts/shots.txt", "--video", str(video)])
    assert changed.exit_code == 1 and "scene detection ran again" in str(changed.exception or changed.output)


@pytest.mark.ffmpeg
def test_build_snaps_with_a_folder_of_videos_from_the_config(runner: CliRunner, shots_project: Path) -> None:
    times = srt_times(runner.invoke(cli, ["subtitles", "transcripts/shots.txt"]).output)
    # A cut 2 frames before cue 3 starts (cue 2 ends more than half a second earlier).
    cut = math.floor(times[2][0] * FPS / 1000) - 2
    assert times[2][0] - times[1][1] > 600
    # A cut 3 frames after cue 1 ends and 1 frame after cue 2 starts (2 frames later): cue 2's
    # start moves onto it, cue 1's end cannot (it would come within 2 frames of cue 2): SUB020.
    held = math.ceil(times[0][1] * FPS / 1000) + 3
    assert times[1][0] < at(held) < times[1][0] + at(2)
    (shots_project / "videos").mkdir()
    make_cut_video(shots_project / "videos" / "shots.mp4", [held, cut], cut + 72)
    (shots_project / "pyproject.toml").write_text('[tool.redbox]\nshots = "videos"\n', "utf-8")
    result = runner.invoke(cli, ["build", "--format", "srt"])
    assert result.exit_code == 0, result.output
    built = srt_times((shots_project / "subtitles" / "shots.en.srt").read_text("utf-8"))
    assert built[2][0] == at(cut)
    assert built[1][0] == at(held) and built[0][1] == times[0][1]
    preview = runner.invoke(cli, ["preview", "shots", "-o", "preview.html"])
    assert preview.exit_code == 0, preview.output
    assert "2 cue edges snapped" in preview.output
    page = (shots_project / "preview.html").read_text("utf-8")
    assert "2 shot changes" in page and "en cue 3 start moved" in page and "en cue 2 start moved" in page
    assert '<code>SUB020</code> [en cue 1] edge-near-shot-change: cue 1 ends' in page
