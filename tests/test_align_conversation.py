"""A conversation nobody on this team recorded or segmented (issue 12: "a hand-segmented
conversation"): the Montreal Forced Aligner's test recording ``michaelandsickmichael``
(MIT), one man healthy and with a cold in two rooms, one channel each (here mixed to
mono), with the hand-placed utterance intervals of its TextGrid as the truth.

redbox does not meet issue 12's goal on it (docs/alignment.md, "More real recordings"):
the recording is judged noisy as a whole (the sick voice is about 10 dB over its hiss), and
a turn that opens with a filler (*uh so this is the sick corpus*) starts 1.26 s late. What
these tests hold is what a user relies on meanwhile: most turns placed within 250 ms, none
lost by seconds, and every turn over 500 ms off flagged at its own line.
"""

from __future__ import annotations

import json
from pathlib import Path

import soundfile

from tests.test_align_realspeech import with_white_noise
from toolkit.align.aligner import align_turns
from toolkit.align.audio import Audio
from toolkit.align.checks import alignment_problems
from toolkit.model import Transcript, Turn

DATA = Path(__file__).parent / "data" / "realspeech"


def hand_segmented() -> tuple[Transcript, Audio, list[int]]:
    """The recording, its seven utterances as turns, and each one's hand-placed start."""
    entries = json.loads((DATA / "michaelandsickmichael.json").read_text(encoding="utf-8"))
    samples, rate = soundfile.read(DATA / "michaelandsickmichael.flac", dtype="float32")
    turns = tuple(Turn(entry["speaker"], entry["text"], 7 + number) for number, entry in enumerate(entries))
    transcript = Transcript("michaelandsickmichael.txt", (("language", "en"),), turns)
    return transcript, Audio(samples, rate), [entry["start_ms"] for entry in entries]


def _placed_and_flagged(transcript: Transcript, audio: Audio, truth: list[int]) -> list[tuple[int, bool]]:
    """Every turn's start error (ms) and whether any ALN code flags its line."""
    alignment = align_turns(transcript.turns, "en", audio)
    flagged = {problem.line for problem in alignment_problems(transcript, alignment)}
    return [
        (timing.start_ms - start, timing.line in flagged)
        for timing, start in zip(alignment.turns, truth, strict=True)
    ]


def test_a_hand_segmented_conversation_is_placed_or_flagged() -> None:
    transcript, audio, truth = hand_segmented()
    turns = _placed_and_flagged(transcript, audio, truth)
    errors = [abs(error) for error, _flagged in turns]
    # Measured: -99, +264, +60, +1257, -174, +40, -349 ms (aeneas-ng: 5 of 7 over 500 ms).
    assert sum(error <= 250 for error in errors) >= 4, turns
    assert max(errors) <= 1500, turns
    assert all(flagged for error, flagged in turns if abs(error) > 500), turns
    # the known failure, the turn that opens with "uh" in the quieter voice, is the one flagged
    assert abs(turns[3][0]) > 500 and turns[3][1], turns


def test_the_conversation_in_white_noise_flags_every_turn_it_misplaces() -> None:
    transcript, audio, truth = hand_segmented()
    turns = _placed_and_flagged(transcript, with_white_noise(audio, 15.0), truth)
    errors = [abs(error) for error, _flagged in turns]
    assert max(errors) <= 1500, turns
    assert all(flagged for error, flagged in turns if abs(error) > 500), turns
