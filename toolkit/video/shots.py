"""Shot changes of an episode's video: found by ffmpeg once, cached next to the timings.

The cache ``transcripts/<episode>.shots.tsv`` (beside ``<episode>.timings.tsv``) records
the video's name, size and modification time, its frame rate and the scene threshold,
then one shot change per line in milliseconds. It is used while the video is unchanged;
otherwise ffmpeg's scene detection runs again and the cache is rewritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from toolkit import files
from toolkit.errors import ToolkitError
from toolkit.model import Cue
from toolkit.video.snapping import Snapped, snap_to_shots

SUFFIX = ".shots.tsv"
HEADER = "# redbox shots"
VIDEO_SUFFIXES = (".mp4", ".mkv", ".mov", ".webm", ".m4v")


@dataclass(frozen=True)
class Shots:
    """The shot changes (ms) of a video, its frame rate, and what identifies the video."""

    video: str
    size: int
    modified_ns: int
    fps: float
    threshold: float
    times: tuple[int, ...]


def shots_path(transcript: PurePath) -> PurePath:
    """Where the shot cache of ``transcript`` lives.

    >>> str(shots_path(PurePath("transcripts/episode.txt")))
    'transcripts/episode.shots.tsv'
    """
    return transcript.with_name(transcript.stem + SUFFIX)


def format_shots(shots: Shots) -> str:
    """The cache file's text.

    >>> format_shots(Shots("ep.mp4", 10, 5, 24.0, 0.3, (2000, 4500))).splitlines()[1:]
    ['video\\tep.mp4\\tsize\\t10\\tmodified_ns\\t5\\tfps\\t24.0\\tthreshold\\t0.3', '2000', '4500']
    """
    lines = [
        f"{HEADER}: shot changes (ms) found by ffmpeg scene detection; remove to detect again",
        f"video\t{shots.video}\tsize\t{shots.size}\tmodified_ns\t{shots.modified_ns}\t"
        f"fps\t{shots.fps!r}\tthreshold\t{shots.threshold!r}",
    ]
    lines += [str(time) for time in shots.times]
    return "\n".join(lines) + "\n"


def parse_shots(text: str, source: str) -> Shots:
    """The cache file read back (a :class:`ToolkitError` at the bad line otherwise)."""
    lines = text.splitlines()
    if len(lines) < 2 or not lines[0].startswith(HEADER):
        raise ToolkitError("not a redbox shots file (remove it to detect the shot changes again)", source, 1)
    fields = lines[1].split("\t")
    try:
        values = dict(zip(fields[2::2], fields[3::2], strict=True))
        times = tuple(int(line) for line in lines[2:] if line.strip())
        return Shots(
            fields[1],
            int(values["size"]),
            int(values["modified_ns"]),
            float(values["fps"]),
            float(values["threshold"]),
            times,
        )
    except (ValueError, KeyError, IndexError):
        raise ToolkitError(
            "unreadable shots file (remove it to detect the shot changes again)", source, 2
        ) from None


def video_for(episode: str, given: Path | None) -> Path | None:
    """The video of ``episode``: ``given`` itself when it is a file, ``<given>/<episode>.<ext>`` in a
    folder, ``None`` when there is none."""
    if given is None:
        return None
    if not files.is_folder(given):
        return given
    for suffix in VIDEO_SUFFIXES:
        candidate = given / f"{episode}{suffix}"
        if files.size_and_time(candidate) is not None:
            return candidate
    return None


def load_shots(video: Path, transcript: Path, shown: str, *, threshold: float = 0.3) -> Shots:
    """The shot changes of ``video``: from the cache beside ``transcript`` when it matches, else
    from ffmpeg (and the cache is written)."""
    from toolkit.video import ffmpeg

    identity = files.size_and_time(video)
    if identity is None:
        raise ToolkitError("the video does not exist", shown)
    cache = Path(shots_path(transcript))
    if files.modified_ns(cache) is not None:
        try:
            cached = parse_shots(files.read_text(cache).text, str(cache))
        except ToolkitError:
            cached = None
        if cached and (cached.video, cached.size, cached.modified_ns, cached.threshold) == (
            video.name,
            *identity,
            threshold,
        ):
            return cached
    info = ffmpeg.probe(video, shown)
    if info.fps is None:
        raise ToolkitError("has no video stream, so no shot changes", shown)
    times = ffmpeg.detect_shots(video, shown, threshold=threshold)
    shots = Shots(video.name, identity[0], identity[1], info.fps, threshold, tuple(times))
    if transcript.name != "-":
        files.write_text_atomic(cache, format_shots(shots))
    return shots


def snap_cues(cues: Sequence[Cue], shots: Shots) -> Snapped:
    """``cues`` snapped to ``shots`` at the video's own frame rate."""
    return snap_to_shots(cues, shots.times, shots.fps)
