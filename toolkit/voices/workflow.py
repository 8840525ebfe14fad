"""``redbox check --voices`` and ``redbox align --voices`` on one episode: the transcript, its
timings file and its audio in, problems (``VOI``) and not-checked notes out.

Rule codes:

* ``VOI001`` voice-mismatch: a turn sounds more like another labelled speaker than like
  its own label, by more than the margin (see :mod:`toolkit.voices.check`); warning.
* ``VOI002`` two-voices-one-name: a cast member's turns split into two distinct voices;
  the smaller group's turns are listed; warning.

Turns that could not be checked (short, a group label, a speaker with too few turns) are
notes, never problems: nothing is guessed about them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from toolkit import files
from toolkit.align.audio import (
    Audio,
    decode_soundfile,
    decode_with_ffmpeg,
    signal_problem,
    wants_ffmpeg,
)
from toolkit.align.sidecar import TimingsError, parse_timings, timings_path
from toolkit.align.timings import Alignment
from toolkit.build import OnRead, load_checked
from toolkit.errors import ToolkitError
from toolkit.model import Problem, Transcript
from toolkit.project import Project
from toolkit.voices.check import VoiceOptions, VoiceReport, VoiceTurn, check_turn_stats, check_voices
from toolkit.voices.features import voice_frames
from toolkit.voices.store import (
    EpisodeStats,
    VoiceStatsError,
    episode_stats,
    format_stats,
    parse_stats,
    voices_path,
)


@dataclass(frozen=True)
class VoiceNote:
    """A ``file:line: note: ...`` line: something the voice check did not look at."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: note: {self.message}"


@dataclass
class VoiceRun:
    problems: list[Problem] = field(default_factory=list)
    notes: list[VoiceNote] = field(default_factory=list)
    checked_turns: int = 0


def voice_turns(transcript: Transcript, alignment: Alignment) -> list[VoiceTurn]:
    """The transcript's turns at the aligned times (same count: a stale file is refused earlier)."""
    return [
        VoiceTurn(index, turn.line, turn.speaker, timing.start_ms, timing.end_ms, turn.text)
        for index, (turn, timing) in enumerate(zip(transcript.turns, alignment.turns, strict=True))
    ]


def report_problems(report: VoiceReport, source: str) -> tuple[list[Problem], list[VoiceNote]]:
    """The report as problems at the transcript's lines, and its not-checked notes."""
    problems = [
        Problem(
            source,
            found.turn.line,
            1,
            "warning",
            "VOI001",
            f"turn labelled {found.turn.speaker} sounds more like {found.other} (score {found.margin:+.2f})",
        )
        for found in report.mismatches
    ]
    for split in report.splits:
        lines = ", ".join(str(turn.line) for turn in split.turns)
        problems.append(
            Problem(
                source,
                split.turns[0].line,
                1,
                "warning",
                "VOI002",
                f"the turns labelled {split.speaker} sound like two people: lines {lines} "
                f"form a voice of their own (score {split.gain:+.2f})",
            )
        )
    notes = [
        VoiceNote(source, item.turn.line, f"turn not checked by voice: {item.reason}")
        for item in report.not_checked
    ]
    return problems, notes


def episode_report(
    transcript: Transcript, alignment: Alignment, audio: Audio, options: VoiceOptions | None = None
) -> VoiceReport:
    """The voice check of one aligned episode (pure: values in, report out)."""
    turns = voice_turns(transcript, alignment)
    spans = [(turn.start_ms, turn.end_ms) for turn in turns]
    return check_voices(voice_frames(audio.samples, audio.sample_rate, spans), turns, options)


def alignment_spans(alignment: Alignment) -> list[tuple[int, int]]:
    """Every aligned turn's span, in ms: what the voice statistics are computed over."""
    return [(timing.start_ms, timing.end_ms) for timing in alignment.turns]


def write_voice_stats(
    timings: Path,
    audio_path: Path,
    audio: Audio,
    alignment: Alignment,
    *,
    energies: npt.NDArray[np.float32] | None = None,
) -> Path:
    """Compute every aligned turn's voice statistics from the audio ``redbox align`` has
    decoded (and the log mel ``energies`` of its frames, when the aligner computed them),
    and write them next to the timings file (:mod:`toolkit.voices.store`)."""
    digest, size = files.content_sha256(audio_path)
    stored = episode_stats(
        audio.samples,
        audio.sample_rate,
        alignment_spans(alignment),
        audio_sha256=digest,
        audio_bytes=size,
        energies=energies,
    )
    target = Path(voices_path(timings))
    files.write_bytes_atomic(target, format_stats(stored))
    return target


def stored_voice_stats(
    project: Project, timings: Path, audio_path: Path, alignment: Alignment
) -> tuple[EpisodeStats | None, str]:
    """The statistics ``redbox align`` stored for this audio and these turn times, or
    ``None`` and why they cannot be used (missing, unreadable, stale)."""
    path = Path(voices_path(timings))
    shown = project.display(path)
    if files.modified_ns(path) is None:
        return None, f"no stored voice statistics ({shown}; redbox align writes them)"
    try:
        stored = parse_stats(files.read_bytes(path), shown)
    except VoiceStatsError as error:
        return None, f"the voice statistics {shown} cannot be read ({error.message})"
    digest, size = files.content_sha256(audio_path)
    stale = stored.stale_reason(digest, size, alignment_spans(alignment))
    if stale:
        return None, f"the voice statistics {shown} {stale}"
    return stored, ""


def load_audio(path: Path, source: str) -> Audio:
    """The episode's audio, decoded as ``redbox align`` decodes it
    (:func:`toolkit.align.workflow.load_audio`), without importing the aligner: its
    modules were a tenth of the voice check's time."""
    if wants_ffmpeg(path):
        sound = decode_with_ffmpeg(path, source)
    else:
        try:
            sound = decode_soundfile(files.read_bytes(path), source)
        except ToolkitError as refused:
            try:
                sound = decode_with_ffmpeg(path, source)
            except ToolkitError:
                raise refused from None
    problem = signal_problem(sound.samples)
    if problem:
        raise ToolkitError(problem, source)
    return sound


def recorded_audio(alignment: Alignment, timings: Path) -> Path | None:
    """The audio file the timings file names: ``# audio_path:`` (relative to the timings
    file, written since timings version 2), else ``# audio:`` relative to the timings file
    or to the working folder (older timings files hold the name as given)."""
    meta = dict(alignment.meta)
    named = (meta.get("audio_path") or meta.get("audio", "")).strip()
    if not named:
        return None
    path = Path(named)
    if path.is_absolute():
        return path
    beside = timings.parent / path
    return beside if files.modified_ns(beside) is not None or files.modified_ns(path) is None else path


def check_episode(
    project: Project,
    transcript: Path,
    audio: Path | None,
    on_read: OnRead,
    options: VoiceOptions | None = None,
    *,
    timings: Path | None = None,
) -> VoiceRun:
    """Read a transcript, its timings file (default: the one next to it) and its audio;
    check the voices."""
    run = VoiceRun()
    source = project.display(transcript)
    timings = timings or Path(timings_path(transcript))
    if files.modified_ns(timings) is None:
        run.notes.append(VoiceNote(source, 0, "voices not checked: no timings file (run redbox align first)"))
        return run
    loaded = load_checked(project, transcript, on_read)
    if loaded.errors:
        run.notes.append(VoiceNote(source, 0, "voices not checked: the transcript has errors"))
        return run
    shown = project.display(timings)
    try:
        alignment = parse_timings(files.read_text(timings).text, shown)
    except TimingsError:  # reported by redbox check as ALN007
        run.notes.append(VoiceNote(source, 0, f"voices not checked: {shown} cannot be read (ALN007)"))
        return run
    if len(alignment.turns) != len(loaded.transcript.turns):
        run.notes.append(
            VoiceNote(source, 0, f"voices not checked: {shown} is stale (ALN001); run redbox align again")
        )
        return run
    path = audio or recorded_audio(alignment, timings)
    if path is None:
        raise ToolkitError(f"{shown} does not name the episode's audio; pass it with --audio", source)
    if files.modified_ns(path) is None:
        raise ToolkitError(
            f"the episode's audio {project.display(path)} is missing; pass it with --audio", shown
        )
    stored, why = stored_voice_stats(project, timings, path, alignment)
    if stored is not None:
        turns = voice_turns(loaded.transcript, alignment)
        report = check_turn_stats(stored.stats, stored.frame_ms, turns, options)
    else:
        # Stale or missing statistics are never used: the audio is decoded again.
        report = episode_report(
            loaded.transcript, alignment, load_audio(path, project.display(path)), options
        )
    notes = [] if stored is not None else [VoiceNote(source, 0, f"{why}: computed from the audio")]
    run.problems, run.notes = report_problems(report, source)
    run.notes[:0] = notes
    run.checked_turns = len(report.margins)
    return run


def check_episodes(
    project: Project,
    transcripts: Sequence[Path],
    audio: Path | None,
    on_read: OnRead,
    options: VoiceOptions | None = None,
) -> VoiceRun:
    """:func:`check_episode` for each transcript; ``audio`` only makes sense for one."""
    total = VoiceRun()
    for transcript in transcripts:
        run = check_episode(project, transcript, audio, on_read, options)
        total.problems.extend(run.problems)
        total.notes.extend(run.notes)
        total.checked_turns += run.checked_turns
    return total
