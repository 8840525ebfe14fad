"""``redbox preview`` (an HTML page to review an episode) and ``redbox mux`` (subtitles into a video)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import click

from toolkit.cli import common
from toolkit.config import merged_options
from toolkit.preview import build_preview
from toolkit.video.episode import (
    episode_cues,
    episode_languages,
    find_transcript,
    load_episode,
    preview_page,
)
from toolkit.video.shots import video_for

MEDIA = click.Path(dir_okay=False, exists=True, path_type=Path)


def _relative_url(target: Path, page: Path) -> str:
    """``target`` as a URL relative to the page's folder (the page opens wherever both are moved)."""
    relative = os.path.relpath(target.resolve(), page.resolve().parent)
    return quote(Path(relative).as_posix())


@click.command(
    "preview",
    epilog="""\b
Examples:
  redbox preview misunderstandings-and-stereotypes -o preview.html
  redbox preview transcripts/episode.txt --video episode.mp4 -o episode.preview.html
  redbox preview episode --audio episode.m4a -o review.html --lang ko
""",
)
@click.argument("episode", required=False)
@click.option("--video", type=MEDIA, help="The episode's video, linked from the page (not copied).")
@click.option("--audio", type=MEDIA, help="The episode's audio, when there is no video.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML page to write.",
)
@click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="TAG",
    help="Languages to show (repeatable). Default: the transcript's and every catalog's.",
)
@click.option(
    "--snap/--no-snap",
    default=True,
    show_default=True,
    help="With --video, snap cues to its shot changes as `redbox subtitles --video` does.",
)
def preview_command(
    episode: str | None,
    video: Path | None,
    audio: Path | None,
    output: Path,
    languages: tuple[str, ...],
    snap: bool,
) -> None:
    """Write one self-contained HTML page to review an episode's subtitles.

    The player carries every language as a <track>; the transcript sits beside it with
    every language side by side, each turn and cue clickable, the current cue highlighted
    and every QC finding (reading speed, alignment, untranslated turns) at its cue. It
    needs no network; without --video or --audio it plays on a silent timeline.
    """
    if video and audio:
        raise click.UsageError("give --video or --audio, not both")
    where = common.project()
    options = merged_options(where.config, {})
    loaded = load_episode(where, find_transcript(where, episode, video or audio), common.note_encoding)
    wanted = [common.language_option(tag, "--lang") for tag in languages]
    shots_video = video if (video and snap) else None
    if shots_video is None and where.config.shots:
        shots_video = video_for(loaded.episode, where.root / where.config.shots)
    cues = episode_cues(where, loaded, episode_languages(where, loaded, wanted), options, shots_video)
    media = (
        ("video", _relative_url(video, output))
        if video
        else ("audio", _relative_url(audio, output))
        if audio
        else None
    )
    page = preview_page(where, loaded, cues, options.fps, media)  # type: ignore[arg-type]
    shown = common.write_output(output, build_preview(page).encode("utf-8"), inputs=(loaded.path,))
    counts = ", ".join(f"{one.language} {len(one.cues)} cues" for one in cues)
    findings = sum(len(turn.findings) for turn in page.turns)
    click.echo(
        f"wrote {shown} ({counts}; {findings} QC findings; {len(page.snaps)} cue edges snapped)", err=True
    )


@click.command(
    "mux",
    epilog="""\b
Examples:
  redbox mux episode.mp4 -o episode.subtitled.mp4          # soft tracks: eng, kor
  redbox mux episode.mkv misunderstandings-and-stereotypes -o out.mkv
  redbox mux clip.mp4 --burn ko -o clip.ko.mp4             # Korean drawn into the picture
  redbox mux clip.mp4 --burn ko --font "Noto Sans CJK KR" -o clip.ko.mp4
""",
)
@click.argument("video", type=MEDIA)
@click.argument("episode", required=False)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The video to write: .mp4/.mov (mov_text), .mkv (SRT) or .webm (WebVTT).",
)
@click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="TAG",
    help="Languages to add (repeatable). Default: the transcript's and every catalog's.",
)
@click.option(
    "--burn", metavar="TAG", help="Draw this language into the picture instead (re-encodes the video)."
)
@click.option("--font", default="", help="With --burn: the font family (must cover every character).")
def mux_command(
    video: Path, episode: str | None, output: Path, languages: tuple[str, ...], burn: str | None, font: str
) -> None:
    """Put an episode's subtitles into its video with ffmpeg.

    Every language becomes a soft subtitle track tagged eng/kor with a title; video and
    audio are copied as they are. With --burn, one language is rendered into the picture
    with a font that covers its script (Korean: install fonts-noto-cjk).
    """
    from toolkit.video.delivery import burn_in, mux_soft

    where = common.project()
    options = merged_options(where.config, {})
    loaded = load_episode(where, find_transcript(where, episode, video), common.note_encoding)
    wanted = [common.language_option(tag, "--lang") for tag in languages]
    if burn:
        wanted = [common.language_option(burn, "--burn")]
    elif font:
        raise click.UsageError("--font goes with --burn")
    shots_video = video_for(loaded.episode, where.root / where.config.shots) if where.config.shots else None
    cues = episode_cues(where, loaded, episode_languages(where, loaded, wanted), options, shots_video)
    title = loaded.transcript.title
    if burn:
        done = burn_in(
            video,
            output,
            cues[0],
            source=loaded.source,
            title=title,
            font=font,
            colours=dict(where.config.colours),
        )
        font_note = f"; font {done.font.family}" if done.font else ""
        click.echo(f"wrote {where.display(output)} ({cues[0].language} burnt in{font_note})", err=True)
        return
    done = mux_soft(video, output, cues, source=loaded.source, title=title)
    for stream in done.streams:
        if stream.kind == "subtitle":
            click.echo(
                f"{where.display(output)}: subtitle stream {stream.index}: {stream.codec} "
                f"{stream.language} {stream.title!r}, {len(done.cues.get(stream.index, []))} cues"
            )
    click.echo(f"wrote {where.display(output)}", err=True)


COMMANDS: list[click.Command] = [preview_command, mux_command]
