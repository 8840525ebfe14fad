"""Decoding an episode's audio into mono float samples.

WAV, FLAC, OGG and MP3 are decoded from bytes by ``soundfile`` (libsndfile), block by
block so that an hour of 48 kHz stereo never sits in memory as float64. Anything else
(MP4, MKV, M4A, WebM …) goes through an ``ffmpeg`` subprocess when it is installed.

Alignment features stop at 7 kHz, so the signal is decimated by an integer factor to the
lowest rate at or above 16 kHz (48 kHz -> 16 kHz, 44.1 kHz -> 22.05 kHz) by averaging
neighbouring samples; features are computed at whatever rate results.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from toolkit.errors import ToolkitError

#: Suffixes libsndfile decodes; other suffixes go straight to ffmpeg.
SOUNDFILE_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aiff", ".aif")
#: The lowest sample rate kept: features use frequencies up to 7 kHz.
MIN_RATE = 16000
_BLOCK_FRAMES = 1 << 20


@dataclass(frozen=True)
class Audio:
    """Mono samples in [-1, 1] at ``sample_rate`` Hz."""

    samples: npt.NDArray[np.float32]
    sample_rate: int

    @property
    def duration_ms(self) -> int:
        return round(len(self.samples) * 1000 / self.sample_rate) if self.sample_rate else 0


#: A recording whose level (after its DC offset is taken out) never reaches this is silent.
SILENT_PEAK = 10 ** (-80 / 20)


def signal_problem(samples: npt.NDArray[np.float32]) -> str | None:
    """Why ``samples`` cannot be aligned (samples that are not numbers, digital silence,
    a constant DC level), or ``None``. Such audio would otherwise "align" every turn.

    >>> signal_problem(np.zeros(16000, np.float32))
    'the audio is silent (peak -inf dBFS after removing any DC offset): nothing to align'
    >>> signal_problem(np.array([0.1, float("nan"), 0.2], np.float32))
    'the audio has 1 sample(s) that are not numbers (NaN or infinite): the file is damaged'
    """
    if len(samples) == 0:
        return "the audio is empty"
    # No full-length temporaries (an hour is 57 million samples): a sum is non-finite
    # exactly when a sample is, and the peak around the mean comes from the extremes.
    total = float(samples.sum(dtype=np.float64))
    if not np.isfinite(total):
        bad = int(np.count_nonzero(~np.isfinite(samples)))
        return f"the audio has {bad} sample(s) that are not numbers (NaN or infinite): the file is damaged"
    mean = total / len(samples)
    peak = max(float(samples.max()) - mean, mean - float(samples.min()))
    if peak < SILENT_PEAK:
        level = 20 * np.log10(peak) if peak > 0 else float("-inf")
        return f"the audio is silent (peak {level:.0f} dBFS after removing any DC offset): nothing to align"
    return None


def decimation_factor(sample_rate: int) -> int:
    """The integer factor that brings ``sample_rate`` closest to, but not under, 16 kHz.

    >>> decimation_factor(48000), decimation_factor(44100), decimation_factor(16000)
    (3, 2, 1)
    """
    return max(1, sample_rate // MIN_RATE)


def _decimate(block: npt.NDArray[np.float32], factor: int) -> npt.NDArray[np.float32]:
    if factor == 1:
        return block
    usable = len(block) - len(block) % factor
    averaged: npt.NDArray[np.float32] = block[:usable].reshape(-1, factor).mean(axis=1, dtype=np.float32)
    return averaged


def decode_soundfile(data: bytes, source: str) -> Audio:
    """Decode WAV/FLAC/OGG/MP3 bytes; :class:`ToolkitError` when libsndfile cannot."""
    import soundfile

    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            rate = int(sound.samplerate)
            factor = decimation_factor(rate)
            block_frames = _BLOCK_FRAMES - _BLOCK_FRAMES % factor
            # Filled in place: MP3 frame counts are estimates, so the array may grow.
            samples = np.empty(max(int(sound.frames), 0) // factor + 1, dtype=np.float32)
            filled = 0
            while True:
                block = sound.read(block_frames, dtype="float32", always_2d=True)
                if len(block) == 0:
                    break
                mono = block.mean(axis=1, dtype=np.float32) if block.shape[1] > 1 else block[:, 0]
                reduced = _decimate(np.ascontiguousarray(mono), factor)
                if filled + len(reduced) > len(samples):
                    samples = np.resize(samples, filled + len(reduced) + len(samples) // 8)
                samples[filled : filled + len(reduced)] = reduced
                filled += len(reduced)
    except (RuntimeError, soundfile.LibsndfileError, TypeError) as error:
        raise ToolkitError(f"cannot decode audio: {error}", source) from None
    samples = samples[:filled]
    if len(samples) == 0:
        raise ToolkitError("the audio is empty", source)
    return Audio(samples, rate // factor)


def decode_with_ffmpeg(path: Path, source: str, *, ffmpeg: str | None = None) -> Audio:
    """Decode any container ffmpeg reads (MP4, MKV, M4A …) to 16 kHz mono.

    ffmpeg opens ``path`` itself (it needs to seek in MP4), and writes raw 16-bit
    samples to a pipe.
    """
    binary = ffmpeg or shutil.which("ffmpeg")
    if binary is None:
        raise ToolkitError(
            "this audio format needs ffmpeg, which is not installed "
            "(install ffmpeg, or convert the audio to WAV, FLAC, OGG or MP3)",
            source,
        )
    command = [
        binary,
        "-nostdin",
        "-v",
        "error",
        "-i",
        str(path),
        "-vn",
        "-ac",
        "1",
        "-ar",
        str(MIN_RATE),
        "-f",
        "s16le",
        "-acodec",
        "pcm_s16le",
        "-",
    ]
    try:
        completed = subprocess.run(command, capture_output=True, check=False)
    except OSError as error:
        raise ToolkitError(f"cannot run ffmpeg: {error.strerror}", source) from None
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else f"exit status {completed.returncode}"
        raise ToolkitError(f"ffmpeg cannot decode the audio: {reason}", source)
    samples = np.frombuffer(completed.stdout, dtype="<i2").astype(np.float32) / 32768.0
    if len(samples) == 0:
        raise ToolkitError("the audio is empty (no audio stream?)", source)
    return Audio(samples, MIN_RATE)


def wants_ffmpeg(path: Path) -> bool:
    """True when ``path``'s suffix is not one libsndfile reads."""
    return path.suffix.lower() not in SOUNDFILE_SUFFIXES
