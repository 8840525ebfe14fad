"""Real voices for the voice-check tests (issue 17): the Free Spoken Digit Dataset's speakers
(tests/data/voices/README.md) cut into turns, joined into episodes, and made into a project.

Shared by tests/test_voices.py and tests/test_voice_stats.py; the ``george`` and
``jackson`` fixtures built from it are in tests/conftest.py."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

from toolkit.align.sidecar import format_timings
from toolkit.align.timings import Alignment, TurnTiming
from toolkit.voices.check import VoiceTurn

DATA = Path(__file__).parent / "data" / "voices"
RATE = 8000
Samples = npt.NDArray[np.float32]


def reel_turns(speaker: str, digits: int = 3) -> list[Samples]:
    """The speaker's recordings, ``digits`` to a turn."""
    samples, rate = soundfile.read(DATA / f"{speaker}.flac", dtype="float32")
    assert rate == RATE
    spans = json.loads((DATA / "reels.json").read_text(encoding="utf-8"))[speaker]
    pieces = [samples[start:end] for _, start, end in spans]
    return [np.concatenate(pieces[k : k + digits]) for k in range(0, len(pieces) - digits + 1, digits)]


def other_room(samples: Samples) -> Samples:
    """The same speech in another room through another microphone: early reflections at 23,
    47 and 71 ms and a duller, thinner pickup (a first-difference high-pass, a 4-tap low-pass)."""
    response = np.zeros(round(0.08 * RATE), np.float32)
    response[0] = 1.0
    for delay_ms, gain in ((23, 0.35), (47, 0.25), (71, 0.15)):
        response[delay_ms * RATE // 1000] = gain
    wet = np.convolve(samples, response)[: len(samples)]
    thin = wet - 0.6 * np.concatenate([[0.0], wet[:-1]]).astype(np.float32)
    dull = np.convolve(thin, np.ones(4, np.float32) / 4)[: len(samples)]
    scale = np.sqrt((samples**2).mean() / (dull**2).mean())
    moved: Samples = (dull * scale).astype(np.float32)
    return moved


def episode(turns: list[tuple[str, Samples]]) -> tuple[Samples, list[VoiceTurn]]:
    """The turns joined by 0.4 s of quiet room tone, and where each one is."""
    rng = np.random.default_rng(7)
    gap = np.zeros(round(0.4 * RATE), np.float32)
    parts: list[Samples] = []
    found: list[VoiceTurn] = []
    at = 0
    for index, (speaker, samples) in enumerate(turns):
        parts += [gap, samples]
        at += len(gap)
        found.append(
            VoiceTurn(index, 10 + index, speaker, at * 1000 // RATE, (at + len(samples)) * 1000 // RATE)
        )
        at += len(samples)
    audio = np.concatenate([*parts, gap])
    audio += rng.standard_normal(len(audio)).astype(np.float32) * np.float32(1e-4)
    return audio, found


def interleaved(*speakers: tuple[str, list[Samples]]) -> list[tuple[str, Samples]]:
    turns: list[tuple[str, Samples]] = []
    for position in range(max(len(clips) for _, clips in speakers)):
        turns += [(name, clips[position]) for name, clips in speakers if position < len(clips)]
    return turns


def aligned_project(
    tmp_path: Path, george: list[Samples], jackson: list[Samples], *, name_audio: bool
) -> Path:
    """An aligned project in ``tmp_path``: George and Jackson taking turns, turn 5 labelled
    Jackson though George says it; ``name_audio`` names the recording in the timings file."""
    turns = interleaved(("George", george), ("Jackson", jackson))
    audio, found = episode(turns)
    soundfile.write(tmp_path / "episode.wav", audio, RATE, subtype="PCM_16")
    (tmp_path / "transcripts").mkdir()
    labels = ["Jackson" if turn.index == 4 else turn.speaker for turn in found]
    body = "".join(
        f"{label}: Turn number {turn.index + 1}.\n" for label, turn in zip(labels, found, strict=True)
    )
    header = "---\ntitle: Voices\nepisode: voices\nlanguage: en\nspeakers: George, Jackson\n---\n"
    (tmp_path / "transcripts" / "voices.txt").write_text(header + body, encoding="utf-8")
    meta = (("audio", "../episode.wav"),) if name_audio else ()
    timings = tuple(
        TurnTiming(
            turn.index,
            7 + turn.index,
            label,
            turn.start_ms,
            turn.end_ms,
            synth_ms=turn.end_ms - turn.start_ms,
        )
        for label, turn in zip(labels, found, strict=True)
    )
    alignment = Alignment(timings, len(audio) * 1000 // RATE, meta=meta)
    (tmp_path / "transcripts" / "voices.timings.tsv").write_text(format_timings(alignment), encoding="utf-8")
    return tmp_path
