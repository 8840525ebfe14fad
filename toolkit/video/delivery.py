"""``redbox mux``: an episode's subtitles put into its video, as soft tracks or burnt in.

Soft tracks: one per language, tagged with its ISO 639-2 code (``eng``, ``kor``) and a
title, as ``mov_text`` in MP4/MOV, SRT in MKV and WebVTT in WebM; the video and audio
streams are copied, never re-encoded. Burn-in: one language drawn into the picture by
libass from the ASS writer's output, with a font that covers every character of it
(checked with fontconfig before ffmpeg runs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import files
from toolkit.errors import ToolkitError
from toolkit.formats.ass import compose_ass
from toolkit.formats.srt import compose_srt
from toolkit.formats.styling import Styling, base_language
from toolkit.formats.vtt_write import compose_vtt
from toolkit.video import ffmpeg
from toolkit.video.episode import LanguageCues, iso639_2, language_title


@dataclass(frozen=True)
class Delivered:
    """What was written: the output's streams as ffprobe reads them back, and the font burnt in."""

    streams: tuple[ffmpeg.Stream, ...]
    font: ffmpeg.Font | None = None
    #: Cues per subtitle stream index, as ffprobe reads them back.
    cues: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


def mux_soft(
    video: Path, output: Path, languages: Sequence[LanguageCues], *, source: str, title: str
) -> Delivered:
    """``output``: ``video``'s streams copied and one tagged subtitle track per language."""
    container = output.suffix.lower()
    codec = ffmpeg.subtitle_codec(container)
    files.refuse_overwriting_inputs(output, [video])
    with files.temporary_folder() as folder:
        inputs = []
        for number, one in enumerate(languages):
            if codec == "webvtt":
                path, text = folder / f"{number}.vtt", compose_vtt(one.cues, source=source)
            else:
                path, text = folder / f"{number}.srt", compose_srt(one.cues, source=source)
            files.write_text_atomic(path, text)
            inputs.append(ffmpeg.SubtitleInput(path, iso639_2(one.language), language_title(one.language)))
        with files.atomic_output(output) as temporary:
            ffmpeg.mux(video, inputs, temporary, container, source)
    shown = str(output)
    return Delivered(ffmpeg.probe(output, shown).streams, None, ffmpeg.subtitle_cues(output, shown))


def burn_in(
    video: Path,
    output: Path,
    one: LanguageCues,
    *,
    source: str,
    title: str,
    font: str = "",
    colours: dict[str, str] | None = None,
) -> Delivered:
    """``output``: ``video`` with ``one``'s cues drawn into the picture (re-encoded, audio copied)."""
    container = output.suffix.lower()
    if container not in (".mp4", ".m4v", ".mov", ".mkv", ".webm"):
        raise ToolkitError(
            f"cannot write a {container or 'suffix-less'} video (use .mp4, .mov, .mkv or .webm)", str(output)
        )
    files.refuse_overwriting_inputs(output, [video])
    chosen = ffmpeg.choose_font("".join(cue.text for cue in one.cues), one.language, font)
    styling = Styling(base_language(one.language), title, colours or {}, chosen.family)
    with files.temporary_folder() as folder:
        subtitles = folder / "burn.ass"
        files.write_text_atomic(subtitles, compose_ass(one.cues, source=source, styling=styling))
        with files.atomic_output(output) as temporary:
            ffmpeg.burn(video, subtitles, temporary, container, source)
    return Delivered(ffmpeg.probe(output, str(output)).streams, chosen)
