"""``redbox subtitles`` (one transcript to one file) and ``redbox build`` (the whole archive)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from toolkit import files
from toolkit.build import STDIN, build_project, load_checked, refuse_errors, render
from toolkit.cli import common
from toolkit.config import merged_options, parse_clock
from toolkit.formats import FORMATS, format_for_name
from toolkit.report import format_text
from toolkit.subtitles import LABEL_CHOICES
from toolkit.video.shots import video_for

F = TypeVar("F", bound=Callable[..., Any])

#: More pieces of work than this get a progress bar (when stdout is a terminal).
PROGRESS_THRESHOLD = 5


class _ClockType(click.ParamType):  # type: ignore[type-arg]
    """A ``HH:MM:SS[.mmm]`` (or seconds) option value, converted to milliseconds."""

    name = "HH:MM:SS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_clock(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


CLOCK = _ClockType()


def timing_options(function: F) -> F:
    """The options shared by ``subtitles`` and ``build`` (defaults from ``[tool.redbox]``)."""
    decorators = [
        click.option("--rate", type=click.FloatRange(min=0, min_open=True), metavar="CPS",
                     help="Speech rate of the transcript's language in characters a second "
                          "(Korean: syllables count 1, spaces 0.5). Default: en 15, ko 6.5."),
        click.option("--fps", type=click.FloatRange(min=0, min_open=True),
                     help="Video frame rate, for the 2-frame gaps. Default: 23.976."),
        click.option("--start", "start", type=CLOCK,
                     help="Time of the first turn when it has no anchor. Default: 00:00:00."),
        click.option("--duration", type=CLOCK,
                     help="Video length: with no anchors, stretch or squeeze the episode to it."),
        click.option("--labels", type=click.Choice(LABEL_CHOICES),
                     help="Speaker names in the text: none (default; WebVTT keeps <v> voices), "
                          "on a change of speaker, or always (SDH style)."),
        click.option("--dialogue/--no-dialogue", default=None,
                     help="Let two short turns by different speakers share a cue, with dashes."),
        click.option("--crlf/--no-crlf", default=None, help="CRLF line ends in SRT files (WebVTT stays LF)."),
        click.option("--strict/--no-strict", default=None,
                     help="Fail (exit 1) on warnings too: catalog problems, turns that read too fast, "
                          "cues the timing leaves too short or too fast (SUB013, SUB014)."),
    ]  # fmt: skip
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


@click.command(
    "subtitles",
    epilog="""\b
Examples:
  redbox subtitles transcripts/misunderstandings-and-stereotypes.txt > episode.en.srt
  redbox subtitles transcripts/episode.txt --format vtt -o subtitles/episode.en.vtt
  redbox subtitles transcripts/episode.txt --lang ko --labels none -o episode.ko.srt
  redbox subtitles transcripts/episode.txt --duration 00:12:30 --fps 25 --dialogue
  cat episode.txt | redbox subtitles - --format vtt > episode.vtt
""",
)
@click.argument("transcript", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option(
    "--format",
    "format_id",
    type=click.Choice(list(FORMATS)),
    help="Output format (ttml: IMSC 1.1 Text; dfxp: TTML1; ass: styled). Default: from the -o "
    "file's suffix, else srt.",
)
@click.option("--video", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Snap cue edges to this video's shot changes (found once by ffmpeg, cached "
                   "next to the transcript as <episode>.shots.tsv).")  # fmt: skip
@click.option(
    "-o", "--output", default="-", metavar="FILE|-", help="Write here; - (default) is standard output."
)
@click.option(
    "--lang",
    "language",
    metavar="TAG",
    help="Subtitle language. Another language than the transcript's is read from "
    "<locales>/<TAG>/LC_MESSAGES/<episode>.po.",
)
@click.option(
    "--locales",
    type=click.Path(file_okay=False, path_type=Path),
    help="Catalog folder. Default: locales (or [tool.redbox] locales).",
)
@timing_options
def subtitles_command(
    transcript: Path, format_id: str | None, video: Path | None, output: str, language: str | None,
    locales: Path | None, **given: Any,
) -> None:  # fmt: skip
    """Write timed subtitles (SRT, WebVTT, TTML, DFXP or ASS) for one transcript.

    Times come from the speech-rate model and the transcript's [hh:mm:ss] anchors.
    Warnings (catalog problems, turns that read too fast) go to stderr; with --strict
    they fail the command and nothing is written.
    """
    where = common.project().with_folders(locales=locales)
    options = merged_options(where.config, given)
    if format_id is None:
        format_id = format_for_name(output, writable=True) or "srt"
    if transcript == STDIN:  # `redbox subtitles -`: the transcript comes from a pipe
        piped = sys.stdin.buffer.read()
        loaded = load_checked(where, STDIN, common.note_encoding, data=piped, source="<stdin>")
    else:
        loaded = load_checked(where, transcript, common.note_encoding)
    refuse_errors(loaded)
    if loaded.problems:
        click.echo(format_text(loaded.problems), err=True)
    if video is None and where.config.shots:
        video = video_for(loaded.episode, where.root / where.config.shots)
    outputs, warnings = render(where, loaded, language or loaded.language, [format_id], options, video=video)
    if warnings:
        click.echo(format_text(warnings), err=True)
    if options.strict and (warnings or loaded.problems):
        raise click.ClickException("warnings found and --strict is on; nothing written")
    data = outputs[format_id]
    if output == "-":
        click.echo(data, nl=False)  # bytes go out unchanged (CRLF, UTF-8)
        return
    inputs = () if transcript == STDIN else (transcript,)
    shown = common.write_output(Path(output), data, inputs=inputs)
    click.echo(f"wrote {shown}", err=True)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _progress(items: list[Path]) -> Iterator[Path]:
    """``items``, behind a progress bar when a person is watching and there is real work."""
    if stdout_is_terminal() and len(items) > PROGRESS_THRESHOLD:
        with click.progressbar(items, label="Building subtitles", show_pos=True) as bar:
            yield from bar
    else:
        yield from items


@click.command(
    "build",
    epilog="""\b
Examples:
  redbox build                    # subtitles/<episode>.<lang>.srt and .vtt for every transcript
  redbox build --check            # in CI: exit 1 listing every missing or stale file
  redbox build --format vtt --labels none --transcripts archive/ --subtitles out/
""",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 listing every output that is missing or stale."
)
@click.option(
    "--transcripts",
    "transcripts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Transcript folder. Default: transcripts.",
)
@click.option(
    "--subtitles",
    "subtitles_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: subtitles.",
)
@click.option(
    "--locales",
    "locales_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Catalog folder; every <lang>/LC_MESSAGES/<episode>.po adds a language. Default: locales.",
)
@click.option(
    "--format",
    "format_ids",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    help="Formats to build (repeatable). Default: srt and vtt (or [tool.redbox] formats).",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), metavar="N",
    help="Processes to render on. Default: one per core; the files are the same with any number.",
)  # fmt: skip
@click.option("--video", type=click.Path(exists=True, path_type=Path),
              help="Snap cue edges to shot changes: a video, or a folder of <episode>.mp4/.mkv/.mov/.webm "
                   "videos. Default: [tool.redbox] shots.")  # fmt: skip
@timing_options
def build_command(
    check: bool,
    transcripts_dir: Path | None,
    subtitles_dir: Path | None,
    locales_dir: Path | None,
    format_ids: tuple[str, ...],
    jobs: int | None,
    video: Path | None,
    **given: Any,
) -> None:
    """Build subtitles for every transcript, in its language and each translated one.

    Writes <subtitles>/<episode>.<language>.srt and .vtt, leaving files whose content
    would not change untouched. Outputs are compared by content, so --check is reliable
    on a fresh clone whatever the file times; a manifest of content hashes in
    .redbox-cache/ lets a rebuild skip what has not changed.
    """
    where = common.project().with_folders(transcripts=transcripts_dir, subtitles=subtitles_dir,
                                          locales=locales_dir)  # fmt: skip
    options = merged_options(where.config, given)
    if files.modified_ns(where.transcripts) is None:
        raise click.UsageError(
            f"there is no transcript folder {where.display(where.transcripts)}/ in the project "
            f"at {where.root} (use --transcripts)"
        )
    result = build_project(
        where,
        list(format_ids) or list(where.config.formats),
        options,
        check=check,
        report=lambda text: click.echo(text, err=True),
        on_read=common.note_encoding,
        progress=_progress,
        jobs=jobs,
        video=video,
    )
    for path in result.written:
        click.echo(f"wrote {where.display(path)}")
    for path, state in result.stale:
        click.echo(f"{where.display(path)}: {state}")
    for orphan in result.orphaned:
        shown = where.display(orphan.path)
        click.echo(f"{shown}: orphaned ({orphan.reason}; {orphan.advice})", err=not check)
    for failure in result.failures:
        click.echo(failure, err=True)
    if check:
        click.echo(f"{len(result.current)} up to date, {len(result.stale)} missing or stale, "
                   f"{len(result.orphaned)} orphaned", err=True)  # fmt: skip
        if result.stale:
            click.echo("run `redbox build` to write the missing and stale files", err=True)
    else:
        click.echo(f"{len(result.written)} written, {len(result.current)} up to date", err=True)
    if result.failures or result.stale or (check and result.orphaned):
        sys.exit(1)


COMMANDS: list[click.Command] = [subtitles_command, build_command]
