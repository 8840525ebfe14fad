"""Read written subtitle files back in every real client and compare them with the cues meant.

Clients (why each, and what each does with broken files: ``docs/formats.md``):

- ``pysrt``: pysrt with ``ERROR_RAISE`` (SRT). pysrt reads a bad timestamp as 0 even then,
  so its times are also checked against :func:`toolkit.formats.srt.parse_srt`.
- ``srt``: the ``srt`` library's strict parser (SRT).
- ``webvtt-py``: webvtt-py 0.6.0 with ``strict=True`` (VTT): times, shown text, raw payload, voice.
- ``ffprobe``: the packet list (both formats), times only; ``ffmpeg`` must also convert the
  file with ``-v error -xerror`` and print nothing.
- ``chromium``: Chromium's own WebVTT parser through a ``<track>`` (VTT), batched: one
  browser launch reads every file given to :func:`read_with_chromium`.

Typical use::

    results = read_with_all_clients([srt_path, vtt_path])   # one Chromium launch
    assert_clients_agree(vtt_path, cues, results=results)
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pysrt
import pytest
import srt
import webvtt

from toolkit.formats import format_for_name
from toolkit.formats.libass import break_backslash_escapes
from toolkit.formats.srt import parse_srt, srt_safe_text
from toolkit.formats.vtt_write import cue_payload
from toolkit.model import Cue, CuePart

MULTI_HTML = Path(__file__).parent / "data" / "chromium" / "multi.html"
SRT_CLIENTS = ("pysrt", "srt", "ffprobe")
VTT_CLIENTS = ("webvtt-py", "ffprobe", "chromium")


#: Turn texts that break naive writers: each must reach every reader intact.
HOSTILE_TEXTS: dict[str, str] = {
    "arrow": "He said --> then left",
    "tags": "<b>bold</b> and <i>not</i> {\\an8}",
    "ampersand": "Tom & Jerry &amp; &lt;friends&gt; &#60;",
    "signature": "WEBVTT",
    "note": "NOTE this is not a comment",
    "number": "12",
    "number-then-timecode": "12\n00:00:05,000 --> 00:00:06,000",
    "vtt-timecode": "00:00:05.000 --> 00:00:06.000 align:start",
    "zero-width": "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom\u2060joiner",
    "right-to-left": "\u200fRTL mark \u202eoverride\u202c \u2067isolate\u2069",
    "long-word": "x" * 800,
    "korean": "안녕하세요, 저는 조이입니다.\n북한에서 왔어요.",
    "leading-space": "  indented line",
    "edge-whitespace": "\u00a0no-break edges\u3000",
    "tab": "a\tb",
    "voice-like": "<v Joy>not a voice</v>",
}


def hostile_cues(texts: dict[str, str] | None = None) -> list[Cue]:
    """One cue per hostile text (every other one with a hostile voice name), then a dialogue cue."""
    cues = []
    speakers = ("Joy", "A&B > C <D>", None, "정열")
    for number, text in enumerate((texts or HOSTILE_TEXTS).values()):
        start = number * 3000
        cues.append(Cue(start, start + 2000, (CuePart(speakers[number % 4], text),), line=number + 1))
    start = len(cues) * 3000
    cues.append(Cue(start, start + 2500, (CuePart("Joy", "-Hi & bye"), CuePart("Dasom", "-Yes\n-No"))))
    cues.append(Cue(360_000_000, 360_001_000, (CuePart(None, "A hundred hours in"),)))
    return cues


def golden_cues() -> list[Cue]:
    """The cues of the golden files ``tests/data/formats/golden*.{srt,vtt}``."""
    return [
        Cue(1000, 4200, (CuePart("Joy", "Joy: Welcome to The Red Box."),), line=3),
        Cue(
            4284,
            8000,
            (CuePart("Jeongyol", "Jeongyol: We talk about\nmisunderstandings & stereotypes."),),
            line=5,
        ),
        Cue(8084, 10000, (CuePart("Ilhyeok", "-Really?"), CuePart("Dasom", "-Yes --> really.")), line=7),
        Cue(10084, 13000, (CuePart("정열", "정열: 북한에서 왔어요."),), line=9),
        Cue(3_723_004, 3_725_000, (CuePart(None, "<i>[music]</i>"),), line=11),
    ]


@dataclass(frozen=True)
class ReadCue:
    """A cue as one client read it. ``None`` means the client does not report that field."""

    start_ms: int
    end_ms: int
    text: str | None = None
    voices: tuple[str, ...] | None = None
    raw: str | None = None


def require_binary(name: str) -> str:
    """The path of an external program; skip the test without it (fail instead when CI=true)."""
    found = shutil.which(name)
    if found:
        return found
    reason = f"{name} is not installed"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI must run every client check")
    pytest.skip(reason)


def _ms(seconds: float | str) -> int:
    return round(float(seconds) * 1000)


# ---------------------------------------------------------------- Python readers


def read_pysrt(path: Path) -> list[ReadCue]:
    """pysrt with errors raised, guarded: its times must equal our own strict reading."""
    items = pysrt.open(str(path), encoding="utf-8", error_handling=pysrt.ERROR_RAISE)
    cues = [ReadCue(item.start.ordinal, item.end.ordinal, item.text) for item in items]
    ours, problems = parse_srt(path.read_text(encoding="utf-8"), str(path))
    assert not problems, f"{path}: our SRT reader finds problems pysrt hides: {problems}"
    assert [(cue.start_ms, cue.end_ms) for cue in ours] == [(c.start_ms, c.end_ms) for c in cues], (
        f"{path}: pysrt's times differ from a strict reading (pysrt reads bad timestamps as 0)"
    )
    return cues


def read_srt_library(path: Path) -> list[ReadCue]:
    """The ``srt`` library's strict parser, guarded: nothing may follow an end time.

    srt reads ``00:00:0a,000`` as 0 s followed by position data ``a,000``; our files
    never carry position data, so any is a misreading.
    """
    subtitles = list(srt.parse(path.read_text(encoding="utf-8"), ignore_errors=False))
    for sub in subtitles:
        assert not sub.proprietary, (
            f"{path}: srt found {sub.proprietary!r} after the end time of cue {sub.index}"
        )
    one_ms = timedelta(milliseconds=1)
    return [ReadCue(sub.start // one_ms, sub.end // one_ms, sub.content) for sub in subtitles]


def _webvtt_time(stamp: str) -> int:
    hours, minutes, rest = stamp.split(":")
    seconds, millis = rest.split(".")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def read_webvtt_py(path: Path) -> list[ReadCue]:
    """webvtt-py 0.6.0 in strict mode; its ``text`` keeps entities, so they are decoded here."""
    captions = webvtt.read(str(path), strict=True)
    cues = []
    for caption in captions.captions:
        voice = caption.voice
        cues.append(
            ReadCue(
                _webvtt_time(caption.start),
                _webvtt_time(caption.end),
                html.unescape(caption.text),
                (html.unescape(voice),) if voice else (),
                caption.raw_text,
            )
        )
    return cues


# ---------------------------------------------------------------- ffmpeg


def read_ffprobe(path: Path) -> list[ReadCue]:
    """ffprobe's packet list (times only), after checking ffmpeg converts the file silently."""
    ffmpeg = require_binary("ffmpeg")
    ffprobe = require_binary("ffprobe")
    target = "srt" if path.suffix == ".vtt" else "webvtt"
    converted = subprocess.run(
        [ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-xerror", "-i", str(path), "-f", target, "-"],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert converted.returncode == 0 and not converted.stderr, (
        f"{path}: ffmpeg conversion failed: {converted.stderr.decode('utf-8', 'replace')}"
    )
    probed = subprocess.run(
        [ffprobe, "-v", "error", "-of", "json", "-show_entries", "packet=pts_time,duration_time", str(path)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert probed.returncode == 0 and not probed.stderr, (
        f"{path}: ffprobe failed: {probed.stderr.decode('utf-8', 'replace')}"
    )
    packets = json.loads(probed.stdout)["packets"]
    cues = []
    for packet in packets:
        start = _ms(packet["pts_time"])
        cues.append(ReadCue(start, start + _ms(packet["duration_time"])))
    return cues


# ---------------------------------------------------------------- Chromium


@dataclass(frozen=True)
class ChromiumTrack:
    """What Chromium's ``<track>`` made of one file: ``load``/``error``/``timeout`` and its cues."""

    status: str
    cues: tuple[ReadCue, ...]
    ids: tuple[str, ...]


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the base class declares it as a plain dict
        **SimpleHTTPRequestHandler.extensions_map,
        ".vtt": "text/vtt; charset=utf-8",
        ".html": "text/html; charset=utf-8",
    }

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


@contextmanager
def _serve(folder: Path) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_chromium(page_folder: Path, names: Sequence[str], *, budget_ms: int = 10000) -> dict[str, Any]:
    """Load ``names`` (files inside ``page_folder``) as tracks in one headless Chromium; raw JSON."""
    chromium = require_binary("chromium")
    shutil.copyfile(MULTI_HTML, page_folder / "multi.html")
    with tempfile.TemporaryDirectory(prefix="redbox-chromium-") as profile, _serve(page_folder) as port:
        url = f"http://127.0.0.1:{port}/multi.html?srcs={','.join(names)}"
        completed = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--virtual-time-budget={budget_ms}",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            check=False,
            timeout=120,
        )
    dom = completed.stdout.decode("utf-8", "replace")
    match = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    assert match, f"Chromium printed no result page (exit {completed.returncode})"
    printed = html.unescape(match.group(1))
    assert printed != "pending", "Chromium dumped the page before the tracks loaded"
    result: dict[str, Any] = json.loads(printed)
    return result


def read_with_chromium(paths: Sequence[Path]) -> dict[Path, ChromiumTrack]:
    """Every WebVTT file in ``paths`` read by Chromium, in one browser launch."""
    if not paths:
        return {}
    with tempfile.TemporaryDirectory(prefix="redbox-tracks-") as folder:
        names = []
        for number, path in enumerate(paths):
            name = f"track{number}.vtt"
            shutil.copyfile(path, Path(folder) / name)
            names.append(name)
        raw = run_chromium(Path(folder), names)
    tracks = {}
    for path, name in zip(paths, names, strict=True):
        track = raw[name]
        cues = tuple(
            ReadCue(_ms(cue["start"]), _ms(cue["end"]), cue["plain"], tuple(cue["voices"]), cue["text"])
            for cue in track["cues"]
        )
        tracks[path] = ChromiumTrack(track["status"], cues, tuple(cue["id"] for cue in track["cues"]))
    return tracks


# ---------------------------------------------------------------- all clients


def read_with_all_clients(
    paths: Sequence[Path], *, clients: Sequence[str] | None = None
) -> dict[Path, dict[str, list[ReadCue]]]:
    """Every path read by every client of its format (``clients`` limits which), Chromium batched.

    A client that cannot read a file raises (pysrt/srt/webvtt-py errors, failed asserts).
    """
    wanted = set(clients) if clients is not None else set(SRT_CLIENTS) | set(VTT_CLIENTS)
    results: dict[Path, dict[str, list[ReadCue]]] = {}
    vtt_paths = []
    for path in paths:
        kind = format_for_name(path.name)
        by_client: dict[str, list[ReadCue]] = {}
        if kind == "srt":
            if "pysrt" in wanted:
                by_client["pysrt"] = read_pysrt(path)
            if "srt" in wanted:
                by_client["srt"] = read_srt_library(path)
        elif kind == "vtt":
            if "webvtt-py" in wanted:
                by_client["webvtt-py"] = read_webvtt_py(path)
            vtt_paths.append(path)
        else:
            raise ValueError(f"{path}: not an .srt or .vtt file")
        if "ffprobe" in wanted:
            by_client["ffprobe"] = read_ffprobe(path)
        results[path] = by_client
    if "chromium" in wanted and vtt_paths:
        for path, track in read_with_chromium(vtt_paths).items():
            assert track.status == "load", f"{path}: Chromium's track fired {track.status!r}"
            results[path]["chromium"] = list(track.cues)
    return results


def _voices(cue: Cue) -> tuple[str, ...]:
    names = (" ".join((part.speaker or "").split()) for part in cue.parts)
    return tuple(name for name in names if name)


def expected_for(client: str, kind: str, cues: Sequence[Cue]) -> list[ReadCue]:
    """What ``client`` should give for ``cues`` written in format ``kind`` (``srt``/``vtt``)."""
    expected = []
    for cue in cues:
        if client == "ffprobe":
            expected.append(ReadCue(cue.start_ms, cue.end_ms))
        elif kind == "srt":
            expected.append(ReadCue(cue.start_ms, cue.end_ms, srt_safe_text(cue.text)))
        else:
            # The WebVTT writer puts a word joiner after a backslash before N, n, h, { or }
            # (libass reads ``\N`` as a line break): every WebVTT reader shows it.
            text = break_backslash_escapes(cue.text)
            # webvtt-py's ``voice`` is the voice of a span that opens the cue, or None.
            parts = cue.parts[:1] if client == "webvtt-py" else cue.parts
            voices = _voices(Cue(cue.start_ms, cue.end_ms, parts))
            expected.append(ReadCue(cue.start_ms, cue.end_ms, text, voices, cue_payload(cue)))
    return expected


def assert_clients_agree(
    path: Path,
    expected_cues: Sequence[Cue],
    *,
    results: dict[Path, dict[str, list[ReadCue]]] | None = None,
) -> None:
    """Assert that every client read ``path`` as exactly ``expected_cues`` (times, text, voices)."""
    if results is None:
        results = read_with_all_clients([path])
    kind = format_for_name(path.name) or ""
    by_client = results[path]
    assert by_client, f"{path}: no client read it"
    for client, got in by_client.items():
        expected = expected_for(client, kind, expected_cues)
        assert len(got) == len(expected), (
            f"{path}: {client} read {len(got)} cues, {len(expected)} were written"
        )
        for number, (read, meant) in enumerate(zip(got, expected, strict=True), start=1):
            assert read == meant, f"{path}: cue {number} as {client} read it:\n  {read}\nwritten:\n  {meant}"
