"""``redbox align``: time a transcript's turns from the episode's audio (forced alignment)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

import click

from toolkit.cli import common
from toolkit.report import format_text

EPILOG = """\b
Examples:
  redbox align transcripts/my-episode.txt episode.wav
      writes transcripts/my-episode.timings.tsv, which redbox subtitles and build use
      for every language of the episode (the translations keep the aligned times),
      and transcripts/my-episode.voices.bin, each turn's voice statistics for
      redbox check --voices (which then need not decode the audio again)
  redbox align transcripts/my-episode.txt episode.mp4 --lang ko
      the main way to time a Red Box episode: the audio is Korean and the transcript
      English, so the Korean text of the episode's catalog
      (locales/ko/LC_MESSAGES/my-episode.po) is aligned, turn for turn; English and
      Korean subtitles both take their times from it
  redbox align transcripts/my-episode.txt episode.mp4 --skip 45 --anchors
      leave out a 45-second intro; write each turn's aligned start into the transcript
"""


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
    "--lang",
    "--language",
    "language",
    help="Language spoken (default: the transcript's language). Another language than the "
    "transcript's is read from the episode's catalog for it.",
)
@click.option(
    "--engine",
    type=click.Choice(["dtw", "sphinx"]),
    default="dtw",
    show_default=True,
    help="dtw: espeak-ng + DTW (any language; flags every turn it is unsure of); sphinx: "
    "pocketsphinx's English acoustic model (the sphinx extra: pip install -e '.[sphinx]'; better "
    "in noise; runs the DTW too, as its second opinion; about 10x the CPU).",
)
@click.option("--voice", help="espeak-ng voice to synthesize with (dtw engine; default: by language).")
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
@click.option("--voices", is_flag=True, help="Then check the speaker labels against the voices (VOI).")
@click.option("--strict", is_flag=True, help="Exit 1 when any turn is flagged (any ALN warning).")
def align_command(
    transcript: Path,
    audio: Path,
    output: Path | None,
    language: str | None,
    engine: str,
    voice: str | None,
    rate: int,
    band_s: float,
    skip_s: float,
    progress: bool | None,
    anchors: bool,
    voices: bool,
    strict: bool,
) -> None:
    """Time every turn of TRANSCRIPT from the episode's AUDIO, offline.

    Each turn is synthesized with espeak-ng and matched to the audio (MFCC features,
    banded dynamic time warping), in any language, Korean included; English speech may
    instead be aligned by pocketsphinx's acoustic model of real voices (--engine
    sphinx: better in noise and music, about 10x slower). The turn and word
    times go to a timings file next to
    the transcript, which `redbox subtitles` and `redbox build` then use for every
    language of the episode. Turns that look wrong (speech no turn covers, a turn far
    longer than its text, a turn in silence) are listed with their line.

    AUDIO may be WAV, FLAC, OGG or MP3; other formats (MP4, MKV, M4A …) need ffmpeg.
    """
    # Alignment multiplies only small matrices: BLAS worker threads cost more CPU than they
    # save (measured 5.1 s against 3.7 s on a 10-minute episode). Set before numpy loads.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    # numpy and espeak-ng load only when aligning: every other command starts without them.
    from toolkit.align.aligner import AlignOptions
    from toolkit.align.engine import EngineUnavailable
    from toolkit.align.workflow import SkipTooLong, align_episode

    where = common.project()

    def reporter(audio_ms: int) -> AbstractContextManager[Callable[[float], None] | None]:
        show = progress if progress is not None else (sys.stderr.isatty() and audio_ms > 60_000)
        return progress_reporter(show)

    with ExitStack() as stack:
        try:
            run = align_episode(
                where, transcript, audio, output=output, language=language,
                options=AlignOptions(voice=voice, rate=rate, band_ms=round(band_s * 1000)),
                skip_s=skip_s, anchors=anchors, on_read=common.note_encoding,
                progress=lambda audio_ms: stack.enter_context(reporter(audio_ms)), engine=engine,
            )  # fmt: skip
        except SkipTooLong as error:
            raise click.BadParameter(error.message, param_hint="--skip") from None
        except EngineUnavailable as error:
            raise click.BadParameter(error.message, param_hint="--engine") from None
    if voices:
        from toolkit.voices.workflow import check_episode

        voice_run = check_episode(where, transcript, audio, common.note_encoding, timings=run.target)
        run.flagged.extend(voice_run.problems)
        for note in voice_run.notes:
            click.echo(str(note), err=True)
    if run.engine_note:
        click.echo(f"note: {run.engine_note}", err=True)
    if run.flagged:
        click.echo(format_text(run.flagged), err=True)
    click.echo(run.summary(where.display(run.target)), err=True)
    if strict and run.flagged:
        raise SystemExit(1)


COMMANDS: list[click.Command] = [align_command]
