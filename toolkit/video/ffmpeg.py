"""Every call redbox makes to ffmpeg, ffprobe, fc-list and fc-match, in one place.

Each function builds a command line, runs it, and turns a failure into a
:class:`~toolkit.errors.ToolkitError` naming the file (never a traceback). Paths are handed
to the programs; the bytes of subtitles go through files written by :mod:`toolkit.files`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from toolkit.errors import ToolkitError

#: ffmpeg's scene score above which a frame starts a new shot (0..1; hard cuts score near 1).
SCENE_THRESHOLD = 0.3
#: Frames are scored at this width: a cut changes the whole picture, and scoring small frames
#: takes a third of the time on a 720p episode (31 s -> 10 s for 5 minutes, mostly decoding).
SCENE_WIDTH = 192
FONT_PACKAGE = "fonts-noto-cjk"


#: The ``[webm @ 0x55…] `` at the start of an ffmpeg log line.
_LOG_PREFIX = re.compile(r"^\[[^\]]* @ 0x[0-9a-f]+\]\s*")


class VideoError(ToolkitError):
    """ffmpeg, ffprobe or fontconfig failed, or is missing."""


def binary(name: str, source: str = "") -> str:
    """The path of ``name`` on ``PATH``, else a :class:`VideoError` saying how to install it."""
    found = shutil.which(name)
    if found is None:
        package = {
            "ffmpeg": "ffmpeg",
            "ffprobe": "ffmpeg",
            "fc-list": "fontconfig",
            "fc-match": "fontconfig",
        }.get(name, name)
        raise VideoError(f"{name} is not installed (Debian/Ubuntu: apt-get install {package})", source)
    return found


def _run(command: list[str], source: str, what: str) -> subprocess.CompletedProcess[bytes]:
    try:
        completed = subprocess.run(command, capture_output=True, check=False, stdin=subprocess.DEVNULL)
    except OSError as error:
        raise VideoError(f"cannot run {command[0]}: {error.strerror}", source) from None
    if completed.returncode != 0:
        lines = [line for line in completed.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        # ffmpeg says why first ("Only VP8 or VP9 … are supported for WebM"), then what failed.
        reason = _LOG_PREFIX.sub("", lines[0]).strip() if lines else f"exit status {completed.returncode}"
        raise VideoError(f"{what}: {reason}", source)
    return completed


@dataclass(frozen=True)
class Stream:
    """One stream as ffprobe sees it."""

    index: int
    kind: str
    codec: str
    language: str
    title: str
    packets: int | None = None
    #: When the stream starts (ms): a container may shift every stream alike (MKV after MP4's audio priming).
    start_ms: int = 0


@dataclass(frozen=True)
class MediaInfo:
    """What redbox needs to know about a media file."""

    duration_ms: int
    fps: float | None
    width: int | None
    height: int | None
    streams: tuple[Stream, ...]

    def of_kind(self, kind: str) -> list[Stream]:
        return [stream for stream in self.streams if stream.kind == kind]


def parse_probe(data: str) -> MediaInfo:
    """ffprobe's JSON (``-show_streams -show_format``) as :class:`MediaInfo`.

    >>> info = parse_probe('{"streams": [{"index": 0, "codec_type": "video", "codec_name": "h264",'
    ...     ' "avg_frame_rate": "24000/1001", "width": 64, "height": 48}], "format": {"duration": "2.5"}}')
    >>> info.duration_ms, round(info.fps or 0, 3), info.streams[0].codec
    (2500, 23.976, 'h264')
    """
    document = json.loads(data)
    streams: list[Stream] = []
    fps: float | None = None
    width = height = None
    for raw in document.get("streams", []):
        tags = {key.lower(): value for key, value in (raw.get("tags") or {}).items()}
        packets = raw.get("nb_read_packets")
        stream = Stream(
            int(raw.get("index", len(streams))),
            raw.get("codec_type", ""),
            raw.get("codec_name", ""),
            tags.get("language", ""),
            tags.get("title", "") or tags.get("handler_name", ""),
            int(packets) if packets is not None else None,
            round(float(raw.get("start_time", 0) or 0) * 1000),
        )
        streams.append(stream)
        if stream.kind == "video" and fps is None:
            for key in ("avg_frame_rate", "r_frame_rate"):
                rate = raw.get(key, "0/0")
                numerator, _, denominator = rate.partition("/")
                if denominator and int(denominator) and int(numerator):
                    fps = float(Fraction(int(numerator), int(denominator)))
                    break
            width, height = raw.get("width"), raw.get("height")
    duration = document.get("format", {}).get("duration")
    return MediaInfo(round(float(duration) * 1000) if duration else 0, fps, width, height, tuple(streams))


def probe(path: Path, source: str = "", *, count_packets: bool = False) -> MediaInfo:
    """ffprobe's view of ``path`` (with ``count_packets``: packets per stream, i.e. cue counts)."""
    command = [binary("ffprobe", source), "-v", "error", "-of", "json", "-show_streams", "-show_format"]
    if count_packets:
        command.append("-count_packets")
    completed = _run([*command, str(path)], source or str(path), "ffprobe cannot read it")
    return parse_probe(completed.stdout.decode("utf-8", "replace"))


def subtitle_cues(path: Path, source: str = "") -> dict[int, list[tuple[int, int]]]:
    """Each subtitle stream's cues ``(start ms, end ms)`` as ffprobe reads them, by stream index.

    MP4's ``mov_text`` fills the gaps between cues with empty samples (2 bytes: a zero text
    length); those are not cues and are left out.
    """
    command = [
        binary("ffprobe", source),
        "-v",
        "error",
        "-of",
        "json",
        "-select_streams",
        "s",
        "-show_entries",
        "packet=stream_index,size,pts_time,duration_time",
        str(path),
    ]
    completed = _run(command, source or str(path), "ffprobe cannot read it")
    cues: dict[int, list[tuple[int, int]]] = {}
    for packet in json.loads(completed.stdout.decode("utf-8", "replace")).get("packets", []):
        start = round(float(packet["pts_time"]) * 1000)
        end = start + round(float(packet.get("duration_time", 0)) * 1000)
        if int(packet.get("size", 0)) > 2:
            cues.setdefault(int(packet["stream_index"]), []).append((start, end))
    return cues


_PTS_TIME = re.compile(r"\bpts_time:\s*(-?[0-9.]+)")


def parse_scene_log(log: str) -> list[int]:
    """Shot change times (ms) from the ``showinfo`` lines of ffmpeg's scene selection.

    >>> parse_scene_log("[Parsed_showinfo_1 @ 0x1] n:   0 pts:  48 pts_time:2.002 duration: 1\\nother")
    [2002]
    """
    times = [
        round(float(found.group(1)) * 1000)
        for line in log.splitlines()
        if "showinfo" in line and (found := _PTS_TIME.search(line))
    ]
    return sorted(set(times))


def detect_shots(path: Path, source: str = "", *, threshold: float = SCENE_THRESHOLD) -> list[int]:
    """The shot changes of the video at ``path``, in ms, by ffmpeg's scene detection."""
    command = [
        binary("ffmpeg", source),
        "-nostdin",
        "-hide_banner",
        "-v",
        "info",
        "-i",
        str(path),
        "-map",
        "0:v:0",
        "-an",
        "-sn",
        "-filter:v",
        f"scale={SCENE_WIDTH}:-2:flags=fast_bilinear,select='gt(scene,{threshold})',showinfo",
        "-f",
        "null",
        "-",
    ]
    completed = _run(command, source or str(path), "ffmpeg cannot detect the shot changes")
    return parse_scene_log(completed.stderr.decode("utf-8", "replace"))


@dataclass(frozen=True)
class SubtitleInput:
    """A subtitle file to put into a video: its path, ISO 639-2 language and title."""

    path: Path
    language: str
    title: str


def subtitle_codec(container: str) -> str:
    """The subtitle codec a container takes: ``mov_text`` for MP4/MOV, WebVTT for WebM, SRT for MKV.

    >>> subtitle_codec(".mp4"), subtitle_codec(".mkv"), subtitle_codec(".webm")
    ('mov_text', 'srt', 'webvtt')
    """
    suffix = container.lower()
    if suffix in (".mp4", ".m4v", ".mov"):
        return "mov_text"
    if suffix == ".webm":
        return "webvtt"
    if suffix == ".mkv":
        return "srt"
    raise VideoError(
        f"cannot carry subtitle tracks in a {suffix or 'suffix-less'} file (use .mp4, .mov, .mkv or .webm)"
    )


_MUXERS = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".mkv": "matroska", ".webm": "webm"}


def mux_command(video: Path, tracks: Sequence[SubtitleInput], output: Path, container: str) -> list[str]:
    """ffmpeg's command: video and audio copied, one tagged subtitle stream per track."""
    command = [binary("ffmpeg"), "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", str(video)]
    for track in tracks:
        command += ["-i", str(track.path)]
    command += ["-map", "0:v?", "-map", "0:a?"]
    for number in range(len(tracks)):
        command += ["-map", f"{number + 1}:0"]
    command += ["-c:v", "copy", "-c:a", "copy", "-c:s", subtitle_codec(container)]
    for number, track in enumerate(tracks):
        command += [
            f"-metadata:s:s:{number}",
            f"language={track.language}",
            f"-metadata:s:s:{number}",
            f"title={track.title}",
            # MP4 keeps a track's name in its handler, not in a title tag.
            f"-metadata:s:s:{number}",
            f"handler_name={track.title}",
            f"-disposition:s:{number}",
            "default" if number == 0 else "0",
        ]
    return [*command, "-f", _MUXERS[container.lower()], str(output)]


def mux(video: Path, tracks: Sequence[SubtitleInput], output: Path, container: str, source: str) -> None:
    """Write ``output``: ``video``'s streams copied, plus ``tracks`` as soft subtitles."""
    _run(mux_command(video, tracks, output, container), source, "ffmpeg cannot add the subtitles")


def _filter_path(path: Path) -> str:
    r"""A path as a value inside an ffmpeg filter graph (``\``, ``:``, ``'`` escaped)."""
    escaped = str(path).replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")
    return "'" + escaped + "'"


def burn(video: Path, ass: Path, output: Path, container: str, source: str) -> None:
    """Write ``output``: ``video`` with the ASS file rendered into the picture by libass."""
    suffix = container.lower()
    codec = (
        ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "32"]
        if suffix == ".webm"
        else ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p"]
    )
    command = [
        binary("ffmpeg", source),
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-y",
        "-i",
        str(video),
        "-map",
        "0:v:0",
        "-map",
        "0:a?",
        "-vf",
        f"subtitles=filename={_filter_path(ass)}",
        *codec,
        "-c:a",
        "copy",
        "-f",
        _MUXERS.get(suffix, "mp4"),
        str(output),
    ]
    _run(command, source, "ffmpeg cannot burn in the subtitles")


@dataclass(frozen=True)
class Font:
    family: str
    file: str


def fonts_covering(characters: str, family: str = "") -> list[Font]:
    """The installed fonts (of ``family``, when given) that have every one of ``characters``."""
    codepoints = sorted({ord(char) for char in characters if ord(char) > 0x7E and not char.isspace()})
    pattern = (family.replace("-", "\\-").replace(":", "\\:") if family else "") + ":"
    if codepoints:
        pattern += "charset=" + " ".join(f"{point:x}" for point in codepoints)
    command = [binary("fc-list"), "--format", "%{family[0]}\t%{file}\n", pattern]
    completed = _run(command, "", "fc-list failed")
    found = []
    for line in completed.stdout.decode("utf-8", "replace").splitlines():
        name, _, path = line.partition("\t")
        if name:
            found.append(Font(name, path))
    return sorted(set(found), key=lambda font: (font.family, font.file))


def choose_font(text: str, language: str, requested: str = "") -> Font:
    """A font that covers ``text`` (every character): ``requested``, else the best installed.

    For Korean a ``KR`` Sans family is preferred (Noto Sans CJK KR from ``fonts-noto-cjk``).
    """
    candidates = fonts_covering(text, requested)
    if requested:
        exact = [font for font in candidates if font.family.lower() == requested.lower()]
        if not exact:
            raise VideoError(
                f"the font {requested!r} is not installed or does not cover every character "
                f"of the subtitles; install {FONT_PACKAGE} (Debian/Ubuntu) or name another "
                "with --font (fc-list :lang=ko lists Korean fonts)"
            )
        return exact[0]
    if not candidates:
        raise VideoError(
            f"no installed font covers every character of the {language} subtitles; install "
            f"the Debian package {FONT_PACKAGE} (apt-get install {FONT_PACKAGE}) or name a "
            "font with --font"
        )

    def preference(font: Font) -> tuple[int, int, int, str]:
        name = font.family
        return ("KR" not in name.split(), "Sans" not in name, "Mono" in name, name)

    return min(candidates, key=preference)
