"""Alignment on recorded human speech (issue 12): two real voices taking turns, one a
close-mic speaker with falsetto and whisper, one a LibriVox reader with MP3 hiss.

The synthetic fixtures are espeak-ng against espeak-ng; these are not. Sources and
licences: tests/data/realspeech/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile
from click.testing import CliRunner

from toolkit.align.aligner import align_turns
from toolkit.align.audio import Audio
from toolkit.align.sidecar import parse_timings
from toolkit.cli import cli
from toolkit.model import Transcript, Turn

DATA = Path(__file__).parent / "data" / "realspeech"


def conversation() -> tuple[Transcript, Audio, list[int]]:
    """The clips joined as recorded, the transcript, and every turn's true speech onset."""
    turns_data = json.loads((DATA / "turns.json").read_text(encoding="utf-8"))
    pieces, starts, turns = [], [], []
    offset = 0
    for number, entry in enumerate(turns_data):
        samples, rate = soundfile.read(DATA / entry["clip"], dtype="float32")
        assert rate == 16000
        starts.append(round(offset * 1000 / rate) + entry["onset_in_clip_ms"])
        pieces.append(samples)
        offset += len(samples)
        turns.append(Turn(entry["speaker"], entry["text"], 7 + number))
    transcript = Transcript("conversation.txt", (("language", "en"),), tuple(turns))
    return transcript, Audio(np.concatenate(pieces), 16000), starts


def test_real_voices_taking_turns_are_found_within_the_goal() -> None:
    transcript, audio, truth = conversation()
    alignment = align_turns(transcript.turns, "en", audio)
    errors = [abs(timing.start_ms - start) for timing, start in zip(alignment.turns, truth, strict=True)]
    # Before issue 12: 292 ms mean, the reader's turns 250-280 ms early (hiss taken for speech).
    assert sorted(errors)[len(errors) // 2] <= 50, errors
    # Not yet within the 250 ms goal everywhere: turn 1 starts at its audible in-breath
    # (370 ms early), turn 2 about 230 ms early. Guarded so that it gets no worse.
    assert max(errors) <= 400, errors


def test_real_voices_after_twenty_seconds_of_silence_are_not_skipped(tmp_path: Path) -> None:
    """A quiet room tone before the talk: the open start must not eat the first turns."""
    transcript, audio, truth = conversation()
    rng = np.random.default_rng(3)
    lead = (rng.normal(0, 3e-4, 20 * 16000)).astype(np.float32)
    samples = np.concatenate([lead, audio.samples])
    lines = ["---", "title: Real", "episode: real", "language: en", "speakers: Michael, Reader", "---"]
    lines += [f"{turn.speaker}: {turn.text}" for turn in transcript.turns]
    (tmp_path / "real.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    soundfile.write(tmp_path / "real.wav", samples, 16000)
    result = CliRunner().invoke(cli, ["align", str(tmp_path / "real.txt"), str(tmp_path / "real.wav")])
    assert result.exit_code == 0, result.output
    alignment = parse_timings((tmp_path / "real.timings.tsv").read_text(encoding="utf-8"))
    errors = [abs(t.start_ms - (s + 20_000)) for t, s in zip(alignment.turns, truth, strict=True)]
    assert sorted(errors)[len(errors) // 2] <= 50 and max(errors) <= 400, errors


def test_the_second_opinion_agrees_where_real_voices_are_found() -> None:
    """ALN011 flags turns a second alignment puts elsewhere; on turns found within the
    goal it must not cry wolf (measured drift on this conversation: 20-230 ms)."""
    transcript, audio, truth = conversation()
    alignment = align_turns(transcript.turns, "en", audio)
    for timing, start in zip(alignment.turns, truth, strict=True):
        if abs(timing.start_ms - start) <= 250:
            assert timing.drift_ms <= 500, (timing, start)
