"""Each turn's voice statistics, stored by ``redbox align`` so that ``redbox check --voices``
never decodes the audio again.

The voice check needs, per turn, only the sufficient statistics of its speech frames
(:class:`~toolkit.voices.models.TurnStats`: frame count, sum, sum of outer products): the
models, the leave-one-out scores and the two-voices split are all computed from them
(:mod:`toolkit.voices.models`). ``redbox align`` already holds the decoded audio, so it
computes them there (:func:`episode_stats`, the same code the check runs on audio) and
writes them next to the timings file, ``<episode>.voices.bin``:

* a text header, one ``key: value`` a line, ending with an empty line: the format and
  feature version, the audio file's SHA-256 and size, the sample rate and hop of the
  frames, the feature dimensions and the turn count;
* then one fixed-size little-endian record per turn: its aligned start and end (ms),
  the speech frame count (int64), the sum (float64, ``dimensions`` values) and the
  upper triangle of the sum of outer products (float32, ``dimensions * (dimensions + 1) / 2``
  values: the products are summed in float32 already, so nothing is lost).

The file is deterministic (no dates, no zip container) and small: 3.6 kB a turn. It is
used only when it matches: the same audio bytes (SHA-256), the same turn spans as the
timings file, the same version. Anything else (a re-recorded file, a re-alignment, an
older version) makes it stale, and the check computes the statistics from the audio
again, with a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np
import numpy.typing as npt

from toolkit.errors import ToolkitError
from toolkit.voices.features import DIMENSIONS, VoiceFrames, voice_frames
from toolkit.voices.models import TurnStats, turn_stats

#: The first line; the number changes whenever the features or this layout change.
MAGIC = "redbox voice statistics 1"
SUFFIX = ".voices.bin"
_TIMINGS_SUFFIX = ".timings.tsv"


class VoiceStatsError(ToolkitError):
    """A voice statistics file that cannot be read (it is then recomputed, not trusted)."""


@dataclass(frozen=True)
class EpisodeStats:
    """Every turn's voice statistics, with what they were computed from."""

    audio_sha256: str
    audio_bytes: int
    sample_rate: int
    hop: int
    spans: tuple[tuple[int, int], ...]
    stats: tuple[TurnStats, ...]

    @property
    def frame_ms(self) -> float:
        return self.hop * 1000 / self.sample_rate

    def stale_reason(
        self, audio_sha256: str, audio_bytes: int, spans: Sequence[tuple[int, int]]
    ) -> str | None:
        """Why these statistics do not belong to this audio and these turn times, or ``None``."""
        if (audio_bytes, audio_sha256) != (self.audio_bytes, self.audio_sha256):
            return "were computed from other audio"
        if len(spans) != len(self.spans):
            return f"hold {len(self.spans)} turns, the timings file {len(spans)}"
        for number, (stored, now) in enumerate(zip(self.spans, spans, strict=True), 1):
            if tuple(stored) != tuple(now):
                return f"were computed for other turn times (turn {number} first)"
        return None


def voices_path(timings: PurePath) -> PurePath:
    """The statistics file that goes with a timings file.

    >>> str(voices_path(PurePath("transcripts/episode.timings.tsv")))
    'transcripts/episode.voices.bin'
    >>> str(voices_path(PurePath("out/times.tsv")))
    'out/times.tsv.voices.bin'
    """
    name = timings.name
    stem = name[: -len(_TIMINGS_SUFFIX)] if name.endswith(_TIMINGS_SUFFIX) else name
    return timings.with_name(stem + SUFFIX)


def frames_stats(frames: VoiceFrames, spans: Sequence[tuple[int, int]]) -> list[TurnStats]:
    """Each span's statistics over its computed speech frames."""
    return [turn_stats(frames.speech_of(start, end)) for start, end in spans]


def episode_stats(
    samples: npt.NDArray[np.float32],
    sample_rate: int,
    spans: Sequence[tuple[int, int]],
    *,
    audio_sha256: str,
    audio_bytes: int,
    energies: npt.NDArray[np.float32] | None = None,
) -> EpisodeStats:
    """The statistics of every turn span, computed as the check computes them from audio
    (from the aligner's log mel ``energies`` of every frame, when given)."""
    frames = voice_frames(samples, sample_rate, spans, energies=energies)
    return EpisodeStats(
        audio_sha256,
        audio_bytes,
        sample_rate,
        frames.hop,
        tuple((int(start), int(end)) for start, end in spans),
        tuple(frames_stats(frames, spans)),
    )


def _record(dimensions: int) -> np.dtype[np.void]:
    triangle = dimensions * (dimensions + 1) // 2
    return np.dtype(
        [
            ("start", "<i8"),
            ("end", "<i8"),
            ("count", "<i8"),
            ("total", "<f8", (dimensions,)),
            ("outer", "<f4", (triangle,)),
        ]
    )


def format_stats(stored: EpisodeStats) -> bytes:
    """The file's bytes (see the module documentation)."""
    dimensions = DIMENSIONS
    upper = np.triu_indices(dimensions)
    records = np.zeros(len(stored.stats), dtype=_record(dimensions))
    for row, ((start, end), item) in enumerate(zip(stored.spans, stored.stats, strict=True)):
        records[row] = (start, end, item.count, item.total, item.outer[upper].astype(np.float32))
    header = (
        f"{MAGIC}\n"
        f"audio_sha256: {stored.audio_sha256}\n"
        f"audio_bytes: {stored.audio_bytes}\n"
        f"sample_rate: {stored.sample_rate}\n"
        f"hop: {stored.hop}\n"
        f"dimensions: {dimensions}\n"
        f"turns: {len(stored.stats)}\n\n"
    )
    return header.encode("ascii") + records.tobytes()


def parse_stats(data: bytes, source: str) -> EpisodeStats:
    """Read :func:`format_stats`' bytes; :class:`VoiceStatsError` for anything else."""
    end = data.find(b"\n\n")
    if end < 0 or not data.startswith(MAGIC.encode("ascii") + b"\n"):
        first = data.split(b"\n", 1)[0][:40].decode("ascii", "replace")
        raise VoiceStatsError(f"not a {MAGIC!r} file (it starts {first!r})", source)
    try:
        lines = data[:end].decode("ascii").split("\n")[1:]
        header = dict(line.split(": ", 1) for line in lines)
        dimensions, turns = int(header["dimensions"]), int(header["turns"])
        audio_bytes, sample_rate, hop = (int(header[key]) for key in ("audio_bytes", "sample_rate", "hop"))
        audio_sha256 = header["audio_sha256"]
    except (UnicodeDecodeError, ValueError, KeyError) as error:
        raise VoiceStatsError(f"unreadable header ({error})", source) from None
    if dimensions != DIMENSIONS or sample_rate <= 0 or hop <= 0:
        raise VoiceStatsError(
            f"{dimensions} dimensions at {sample_rate} Hz: not this version's features", source
        )
    record = _record(dimensions)
    body = data[end + 2 :]
    if len(body) != turns * record.itemsize:
        raise VoiceStatsError(
            f"{len(body)} bytes of statistics for {turns} turns: the file is cut short", source
        )
    records = np.frombuffer(body, dtype=record)
    upper = np.triu_indices(dimensions)
    stats: list[TurnStats] = []
    for item in records:
        outer = np.zeros((dimensions, dimensions))
        outer[upper] = item["outer"]
        outer = outer + np.triu(outer, 1).T
        stats.append(TurnStats(int(item["count"]), item["total"].astype(np.float64), outer))
    spans = tuple((int(item["start"]), int(item["end"])) for item in records)
    return EpisodeStats(audio_sha256, audio_bytes, sample_rate, hop, spans, tuple(stats))
