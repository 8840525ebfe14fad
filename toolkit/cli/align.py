"""``redbox align``: time a transcript's turns from the episode's audio (forced alignment)."""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit import files
from toolkit.cli.common import read_text
from toolkit.errors import ToolkitError
from toolkit.report import format_text
from toolkit.transcript import format_transcript, parse_transcript

if TYPE_CHECKING:
    from toolkit.align.audio import Audio
    from toolkit.align.timings import Alignment

EPILOG = """\b
Examples:
  redbox align transcripts/my-episode.txt episode.wav
      writes transcripts/my-episode.timings.tsv, which redbox subtitles and build use
  redbox align transcripts/my-episode.ko.txt episode.mp4 -o transcripts/my-episode.timings.tsv
      align the Korean transcript (the language spoken); its times serve every translation
"""


def load_audio(path: Path) -> Audio:
    """WAV/FLAC/OGG/MP3 through libsndfile, anything else (or what it refuses) through ffmpeg."""
    from toolkit.align.audio import decode_soundfile, decode_with_ffmpeg, wants_ffmpeg

    if wants_ffmpeg(path):
        if files.modified_ns(path) is None:
            raise ToolkitError("no such file", str(path))
        return decode_with_ffmpeg(path, str(path))
    data = files.read_bytes(path)
    try:
        return decode_soundfile(data, str(path))
    except ToolkitError as refused:
        try:
            return decode_with_ffmpeg(path, str(path))
        except ToolkitError:
            raise refused from None


@contextmanager
def progress_reporter(enabled: bool) -> Iterator[Callable[[float], None] | None]:
    """A progress bar on stderr driven by fractions 0-1, or nothing when disabled."""
    if not enabled:
        yield None
        return
    with click.progressbar(length=1000, label="Aligning", file=sys.stderr) as bar:
        shown = [0]

        def report(fraction: float) -> None:
            target = min(1000, int(fraction * 1000))
            if target > shown[0]:
                bar.update(target - shown[0])
                shown[0] = target

        yield report


@click.command("align", epilog=EPILOG)
@click.argument("transcript", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("audio", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Timings file to write (default: <transcript stem>.timings.tsv next to it).",
)
@click.option(
    "--language",
    help="Language spoken (default: the transcript's language header).",
)
@click.option("--voice", help="espeak-ng voice to synthesize with (default: by language).")
@click.option(
    "--rate",
    type=click.IntRange(80, 450),
    default=175,
    show_default=True,
    help="Words a minute of the synthetic speech.",
)
@click.option(
    "--band",
    "band_s",
    type=click.FloatRange(5, 3600),
    default=60.0,
    show_default=True,
    help="Seconds the alignment may drift from an even spread of the turns.",
)
@click.option(
    "--skip",
    "skip_s",
    type=click.FloatRange(0, None),
    default=0.0,
    show_default=True,
    help="Seconds at the start of the audio to leave out (a long intro); times stay those of the file.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: when stderr is a terminal and the audio is long).",
)
@click.option(
    "--anchors",
    is_flag=True,
    help="Also write each turn's aligned start into the transcript as its [hh:mm:ss.mmm] anchor.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when an outlier is flagged.")
def align_command(
    transcript: Path,
    audio: Path,
    output: Path | None,
    language: str | None,
    voice: str | None,
    rate: int,
    band_s: float,
    skip_s: float,
    progress: bool | None,
    anchors: bool,
    strict: bool,
) -> None:
    """Time every turn of TRANSCRIPT from the episode's AUDIO, offline.

    Each turn is synthesized with espeak-ng and matched to the audio (MFCC features,
    banded dynamic time warping). The turn and word times go to a timings file next to
    the transcript, which `redbox subtitles` and `redbox build` then use for every
    language of the episode. Turns that look wrong (speech no turn covers, a turn far
    longer than its text, a turn in silence) are listed with their line.

    AUDIO may be WAV, FLAC, OGG or MP3; other formats (MP4, MKV, M4A …) need ffmpeg.
    """
    # numpy and espeak-ng load only when aligning: every other command starts without them.
    from toolkit.align.aligner import AlignOptions, align_turns
    from toolkit.align.checks import alignment_problems
    from toolkit.align.rules import with_anchors
    from toolkit.align.sidecar import format_timings, timings_path
    from toolkit.align.timings import shifted

    started = time.monotonic()
    decoded = read_text(transcript)
    parsed, problems = parse_transcript(decoded.text, str(transcript))
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        click.echo(format_text(errors), err=True)
        raise click.ClickException(f"{transcript}: fix the transcript before aligning it")
    spoken = language or parsed.language or "en"
    sound = load_audio(audio)
    full_ms = sound.duration_ms
    skip_samples = round(skip_s * sound.sample_rate)
    if skip_samples >= len(sound.samples):
        raise click.BadParameter(f"the audio lasts only {full_ms / 1000:.1f} s", param_hint="--skip")
    if skip_samples:
        sound = dataclasses.replace(sound, samples=sound.samples[skip_samples:])
    options = AlignOptions(voice=voice, rate=rate, band_ms=round(band_s * 1000))
    show = progress if progress is not None else (sys.stderr.isatty() and sound.duration_ms > 60_000)
    with progress_reporter(show) as report:
        result = align_turns(parsed.turns, spoken, sound, options, report)
    if skip_samples:
        result = shifted(result, round(skip_samples * 1000 / sound.sample_rate), full_ms)
    result = dataclasses.replace(
        result,
        meta=(("transcript", transcript.name), ("audio", audio.name), *result.meta),
    )
    target = output or Path(timings_path(transcript))
    files.write_text_atomic(target, format_timings(result))
    if anchors:
        anchored = format_transcript(with_anchors(parsed, result))
        files.write_text_atomic(transcript, anchored, newline=decoded.newline)
    flagged = alignment_problems(parsed, result, timings_source=str(target))
    if flagged:
        click.echo(format_text(flagged), err=True)
    elapsed = time.monotonic() - started
    click.echo(_summary(result, target, elapsed, len(flagged)), err=True)
    if strict and flagged:
        raise SystemExit(1)


def _summary(result: Alignment, target: Path, elapsed: float, flagged: int) -> str:
    from toolkit.align.sidecar import format_time

    seconds = result.audio_ms / 1000
    factor = f", {elapsed / seconds:.3f}x real time" if seconds else ""
    note = f"; {flagged} turn(s) to check by ear" if flagged else ""
    return (
        f"aligned {len(result.turns)} turns to {format_time(result.audio_ms)} of audio in "
        f"{elapsed:.1f} s{factor}; wrote {target}{note}"
    )


COMMANDS: list[click.Command] = [align_command]
