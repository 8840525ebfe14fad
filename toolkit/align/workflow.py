"""``redbox align`` as one core function: read, align, write the timings file, flag outliers.

The CLI parses options and shows progress; this module decides everything else, so the
same validity rules as every other command apply (a transcript ``redbox check`` rejects is
refused) and the outputs pass the same gate (never the transcript or the audio itself).
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from toolkit import files
from toolkit.align.aligner import AlignOptions
from toolkit.align.audio import Audio, decode_soundfile, decode_with_ffmpeg, signal_problem, wants_ffmpeg
from toolkit.align.checks import alignment_problems
from toolkit.align.engine import align_with
from toolkit.align.features import Spectrum
from toolkit.align.rules import with_anchors
from toolkit.align.sidecar import format_time, format_timings, timings_path
from toolkit.align.timings import Alignment, shifted, turn_fingerprint
from toolkit.build import OnRead, load_checked, refuse_errors, translate
from toolkit.errors import ToolkitError
from toolkit.limits import base_language
from toolkit.model import Problem
from toolkit.project import Project
from toolkit.transcript_write import format_transcript
from toolkit.voices.store import voices_path
from toolkit.voices.workflow import write_voice_stats

#: Receives the fraction of the work done, 0 to 1.
ProgressReport = Callable[[float], None]


class SkipTooLong(ToolkitError):
    """``--skip`` leaves no audio to align (a usage problem)."""


def load_audio(path: Path, source: str) -> Audio:
    """WAV/FLAC/OGG/MP3 through libsndfile, anything else (or what it refuses) through ffmpeg;
    :class:`ToolkitError` for audio with nothing to align (:func:`signal_problem`)."""
    sound = _decode(path, source)
    problem = signal_problem(sound.samples)
    if problem:
        raise ToolkitError(problem, source)
    return sound


def _decode(path: Path, source: str) -> Audio:
    if wants_ffmpeg(path):
        if files.modified_ns(path) is None:
            raise ToolkitError("no such file", source)
        return decode_with_ffmpeg(path, source)
    data = files.read_bytes(path)
    try:
        return decode_soundfile(data, source)
    except ToolkitError as refused:
        try:
            return decode_with_ffmpeg(path, source)
        except ToolkitError:
            raise refused from None


def _path_from(folder: Path, file: Path) -> str:
    """``file``'s path relative to ``folder`` (``/`` separated), for readers of the timings file."""
    try:
        return Path(os.path.relpath(os.path.abspath(file), os.path.abspath(folder))).as_posix()
    except ValueError:  # another drive on Windows
        return Path(os.path.abspath(file)).as_posix()


@dataclass
class AlignRun:
    """What one ``redbox align`` did."""

    result: Alignment
    target: Path
    flagged: list[Problem]
    elapsed_s: float
    #: The engine that aligned (``sphinx`` or ``dtw``) and why it is not the one asked for.
    engine: str = "dtw"
    engine_note: str = ""

    def summary(self, shown_target: str) -> str:
        seconds = self.result.audio_ms / 1000
        factor = f", {self.elapsed_s / seconds:.3f}x real time" if seconds else ""
        note = f"; {len(self.flagged)} turn(s) to check by ear" if self.flagged else ""
        return (
            f"aligned {len(self.result.turns)} turns to {format_time(self.result.audio_ms)} of audio "
            f"({self.engine}) in "
            f"{self.elapsed_s:.1f} s{factor}; wrote {shown_target}{note}"
        )


def align_episode(
    project: Project,
    transcript: Path,
    audio: Path,
    *,
    output: Path | None,
    language: str | None,
    options: AlignOptions,
    skip_s: float,
    anchors: bool,
    on_read: OnRead,
    progress: Callable[[int], ProgressReport | None],
    engine: str = "dtw",
) -> AlignRun:
    """Align ``transcript``'s turns to ``audio`` and write the timings file (and, with
    ``anchors``, the aligned starts into the transcript). ``progress`` is given the audio's
    length in ms and returns a reporter, or ``None`` for no progress display."""
    started = time.monotonic()
    target = output or Path(timings_path(transcript))
    files.refuse_overwriting_inputs(target, (transcript, audio))
    files.refuse_overwriting_inputs(Path(voices_path(target)), (transcript, audio))
    loaded = load_checked(project, transcript, on_read)
    refuse_errors(loaded)
    parsed = loaded.transcript
    spoken = language or loaded.language
    said, catalog_problems = parsed, list[Problem]()
    if base_language(spoken) != base_language(loaded.language):
        # The Red Box is spoken in Korean and transcribed in English: the Korean text the
        # voices say lives in the episode's catalog, turn for turn.
        said, catalog_problems = translate(project, loaded, spoken)
    sound = load_audio(audio, project.display(audio))
    decoded = sound
    full_ms = sound.duration_ms
    skip_samples = round(skip_s * sound.sample_rate)
    if skip_samples >= len(sound.samples):
        raise SkipTooLong(f"the audio lasts only {full_ms / 1000:.1f} s")
    if skip_samples:
        sound = dataclasses.replace(sound, samples=sound.samples[skip_samples:])
    # The log mel energies of the whole file, kept for the voice statistics (a copy: the
    # aligner may change its own); with --skip its frames are not the file's.
    heard: list[npt.NDArray[np.float32]] = []

    def keep(seen: Spectrum) -> None:
        if not skip_samples:
            heard.append(seen.energies.copy())

    aligned = align_with(engine, said.turns, spoken, sound, options, progress(sound.duration_ms), keep)
    result = aligned.alignment
    if skip_samples:
        result = shifted(result, round(skip_samples * 1000 / sound.sample_rate), full_ms)
    # The fingerprints, lines and speakers are the transcript's (English with --lang ko):
    # subtitles and build match its turns, whatever language was heard.
    result = dataclasses.replace(
        result,
        turns=tuple(
            dataclasses.replace(
                timing,
                line=turn.line,
                speaker=turn.speaker,
                fingerprint=turn_fingerprint(turn.speaker, turn.text),
            )
            for turn, timing in zip(parsed.turns, result.turns, strict=True)
        ),
        meta=(
            ("transcript", transcript.name),
            ("audio", audio.name),
            ("audio_path", _path_from(target.parent, audio)),
            *result.meta,
        ),
    )
    files.write_text_atomic(target, format_timings(result))
    # The voice check's statistics, from the audio decoded above, whatever engine timed
    # the turns: `redbox check --voices` then never decodes the audio again.
    write_voice_stats(target, audio, decoded, result, energies=heard[0] if heard else None)
    heard.clear()  # an hour of energies is 58 MB: not kept for the checks below
    if anchors:
        anchored = format_transcript(with_anchors(parsed, result))
        files.write_text_atomic(transcript, anchored, newline=loaded.decoded.newline)
    flagged = catalog_problems + alignment_problems(parsed, result, timings_source=project.display(target))
    return AlignRun(result, target, flagged, time.monotonic() - started, aligned.engine, aligned.note)
