"""Alignment on recorded human speech (issue 12): two real voices taking turns, one a
close-mic speaker with falsetto and whisper, one a LibriVox reader with MP3 hiss.

The synthetic fixtures are espeak-ng against espeak-ng; these are not. Sources and
licences: tests/data/realspeech/README.md.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile
from click.testing import CliRunner

from tests.test_align_notes import laughter_talk
from toolkit.align.aligner import align_turns
from toolkit.align.audio import Audio
from toolkit.align.checks import alignment_problems
from toolkit.align.features import spectrum
from toolkit.align.fixtures import TEST_VOICES, build_episode, sentences_for
from toolkit.align.music import find_music
from toolkit.align.sidecar import parse_timings
from toolkit.align.timings import Alignment
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
    # Every turn within the goal's 250 ms. Turn 1 used to start on its audible in-breath,
    # 370 ms early (toolkit.align.breath); turn 2 on the hiss before the reader's voice,
    # 233 ms early (toolkit.align.edges.faint_lead_in).
    assert max(errors) <= 150, errors


def test_a_real_turn_starts_at_its_first_word_not_at_the_breath_before_it() -> None:
    """The falsetto clip breathes in (0.57-0.93 s) before its first word (0.94 s): the
    voice detector joins breath and word into one run, and the turn started on the
    breath. Breath and voice differ in voicing, and the start moves on to the voice."""
    transcript, audio, truth = conversation()
    alignment = align_turns(transcript.turns, "en", audio)
    assert abs(alignment.turns[0].start_ms - truth[0]) <= 100, (alignment.turns[0], truth[0])


def test_a_real_turn_starts_at_its_voice_not_at_the_faint_sound_before_it() -> None:
    """The LibriVox reader's clip opens with 240 ms of hiss and breath about 20 dB under
    his first word: the voice detector joins them across a short dip, the DTW path starts
    the turn at the word, and snapping moved it back onto the hiss, 233 ms early. A start
    where the voice rises is no longer moved back over a faint lead-in."""
    transcript, audio, truth = conversation()
    alignment = align_turns(transcript.turns, "en", audio)
    assert abs(alignment.turns[1].start_ms - truth[1]) <= 100, (alignment.turns[1], truth[1])


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
    goal it must not cry wolf. Measured drift on this conversation: 20-230 ms when the
    second opinion's start was taken as it fell; 0-90 ms (300 ms in some runs: espeak-ng's
    output varies within a process) now that a start it puts in the pause before a turn
    moves on to the speech, as the main path's does."""
    transcript, audio, truth = conversation()
    alignment = align_turns(transcript.turns, "en", audio)
    for timing, start in zip(alignment.turns, truth, strict=True):
        if abs(timing.start_ms - start) <= 250:
            assert timing.drift_ms <= 500, (timing, start)


def test_real_turns_found_within_the_goal_are_not_flagged() -> None:
    """Honest flags: a real voice pauses and speeds up where espeak-ng does not (here one
    turn takes 0.58x, another 1.5x its synthetic length); a turn placed right is not
    flagged for it. Before: ALN003 "shorter" on the fast turn (37 ms from the truth)."""
    transcript, audio, truth = conversation()
    alignment = align_turns(transcript.turns, "en", audio)
    errors = [abs(timing.start_ms - start) for timing, start in zip(alignment.turns, truth, strict=True)]
    assert max(errors) <= 400, errors
    assert alignment_problems(transcript, alignment) == []


def test_a_real_turn_swallowed_by_the_turn_before_is_flagged_at_its_own_line() -> None:
    """The failure seen after a music intro: one turn's span runs over the next turn's
    speech, and the next turn is placed, at a plausible length, after it (seconds late).
    The turn itself carries no sign of it; the overrun before it does (ALN014)."""
    transcript, audio, truth = conversation()
    found = align_turns(transcript.turns, "en", audio).turns
    turns = list(found)
    # Turn 3 (line 9) swallows turn 4's speech; turn 4 lands after it, 2.7 s late.
    late = found[3].end_ms + 100
    turns[2] = dataclasses.replace(found[2], end_ms=late - 100)
    turns[3] = dataclasses.replace(found[3], start_ms=late, end_ms=late + found[3].end_ms - found[3].start_ms)
    turns[4] = dataclasses.replace(found[4], start_ms=max(found[4].start_ms, turns[3].end_ms + 200))
    assert turns[3].start_ms - truth[3] > 500
    problems = alignment_problems(transcript, Alignment(tuple(turns), audio.duration_ms))
    assert ("ALN014", 10) in {(problem.code, problem.line) for problem in problems}, problems


def with_white_noise(audio: Audio, snr_db: float, *, growing: bool = False) -> Audio:
    """``audio`` with deterministic white noise ``snr_db`` under its speech; ``growing``:
    the noise rises from 0.3x to 1.7x that level from the first sample to the last."""
    samples = audio.samples.astype(np.float64)
    loud = samples[np.abs(samples) > 0.01 * np.abs(samples).max()]
    noise = np.random.default_rng(12).normal(0.0, 1.0, len(samples))
    if growing:
        noise *= np.linspace(0.3, 1.7, len(samples))
    noise *= np.sqrt(float(np.mean(loud**2)) / 10 ** (snr_db / 10))
    return Audio((samples + noise).astype(np.float32), audio.sample_rate)


def test_real_voices_in_white_noise_15_db_down_are_found() -> None:
    """In noise each frame's cepstra are normalized over the 5 s around it, not the whole
    file. Before (one mean and variance for the file): median 143 ms, at most 410 ms;
    now 27 ms, at most 312 ms."""
    transcript, audio, truth = conversation()
    alignment = align_turns(transcript.turns, "en", with_white_noise(audio, 15.0))
    errors = [abs(timing.start_ms - start) for timing, start in zip(alignment.turns, truth, strict=True)]
    assert sorted(errors)[len(errors) // 2] <= 50, errors
    assert max(errors) <= 400, errors


def test_real_voices_in_noise_that_grows_are_found() -> None:
    """Hiss rising from 0.3x to 1.7x of 15 dB under the speech: whole-file statistics put
    turn 5 3.5 s late; local ones keep every turn within 330 ms."""
    transcript, audio, truth = conversation()
    alignment = align_turns(transcript.turns, "en", with_white_noise(audio, 15.0, growing=True))
    errors = [abs(timing.start_ms - start) for timing, start in zip(alignment.turns, truth, strict=True)]
    assert sorted(errors)[len(errors) // 2] <= 50, errors
    assert max(errors) <= 1000, errors


def speech_level(samples: npt.NDArray[np.float32]) -> float:
    """RMS over the louder half of the 10 ms frames: the voice's level, pauses aside."""
    count = len(samples) // 160
    power = (samples[: count * 160].astype(np.float64).reshape(count, 160) ** 2).mean(axis=1)
    return float(np.sqrt(np.sort(power)[count // 2 :].mean()))


def with_music_intro(audio: Audio, *, bed_db: float | None) -> tuple[Audio, int]:
    """12 s of a tracker module alone before the talk, 5 dB under the speech level, as the
    real-speech set ``en_clips_intro`` does (its bed 15 dB under the speech, the intro
    10 dB over the bed); with ``bed_db`` the music goes on under the talk that far down.
    Returns the audio and the intro's length in ms."""
    music, rate = soundfile.read(DATA / "rough_journey_12s.flac", dtype="float32")
    assert rate == audio.sample_rate
    music_rms = float(np.sqrt(np.mean(music.astype(np.float64) ** 2)))
    gain = speech_level(audio.samples) / music_rms * 10 ** (-15 / 20)
    intro = music.astype(np.float64) * gain * 10 ** (10 / 20)
    talk = audio.samples.astype(np.float64)
    if bed_db is not None:
        bed = np.tile(music, -(-len(talk) // len(music)))[: len(talk)].astype(np.float64)
        talk = talk + bed * speech_level(audio.samples) / music_rms * 10 ** (-bed_db / 20)
    samples = np.concatenate([intro, talk])
    samples *= 0.9 / max(0.9, float(np.abs(samples).max()))
    return Audio(samples.astype(np.float32), rate), round(len(music) * 1000 / rate)


def test_music_before_real_voices_is_not_taken_for_the_first_turn() -> None:
    """The voice detector hears music as speech: before the speech/music discriminator
    the open start matched the first turn to the intro's opening notes, 12.6 s early
    (flagged); the intro's stretches of music alone are now background."""
    transcript, audio, truth = conversation()
    for bed_db in (None, 15.0):
        mixed, lead_ms = with_music_intro(audio, bed_db=bed_db)
        alignment = align_turns(transcript.turns, "en", mixed)
        errors = [abs(t.start_ms - (s + lead_ms)) for t, s in zip(alignment.turns, truth, strict=True)]
        assert sorted(errors)[len(errors) // 2] <= 50, (bed_db, errors)
        # Turn 1 starts at its audible in-breath (370 ms early), as without the music.
        assert max(errors) <= 400, (bed_db, errors)


def test_real_voices_under_a_loud_music_bed_are_found_within_the_goal() -> None:
    """Under a bed 5 dB down (most of what is heard outside the music alone is no voice)
    the voices are a voice in noise: normalized over the frames around each and not
    snapped to loudness edges the music blurs (before: the middle error 92 ms, turn 2
    293 ms early; docs/alignment.md, "Music beds as noise")."""
    transcript, audio, truth = conversation()
    mixed, lead_ms = with_music_intro(audio, bed_db=5.0)
    alignment = align_turns(transcript.turns, "en", mixed)
    errors = [abs(t.start_ms - (s + lead_ms)) for t, s in zip(alignment.turns, truth, strict=True)]
    assert sorted(errors)[len(errors) // 2] <= 50, errors
    assert max(errors[1:]) <= 250, errors  # turn 1: its in-breath, as above


def test_a_real_turn_under_a_music_bed_starts_at_its_voice_not_at_its_breath() -> None:
    """Under a bed 15 dB down the ten clips are a voice under a bed (edges not snapped),
    and the falsetto turn's path start fell 70 ms before its audible in-breath: 339 ms
    early, as `en_clips_music15`'s was. The in-breath rule now looks at the breath next
    to an unsnapped start too (toolkit.align.breath.past_breath_near)."""
    turns, audio, starts, _ends = laughter_talk()
    music, rate = soundfile.read(DATA / "rough_journey_12s.flac", dtype="float32")
    talk = audio.samples.astype(np.float64)
    bed = np.tile(music, -(-len(talk) // len(music)))[: len(talk)].astype(np.float64)
    music_rms = float(np.sqrt(np.mean(music.astype(np.float64) ** 2)))
    talk += bed * speech_level(audio.samples) / music_rms * 10 ** (-15 / 20)
    talk *= 0.9 / max(0.9, float(np.abs(talk).max()))
    alignment = align_turns(turns, "en", Audio(talk.astype(np.float32), rate))
    errors = [timing.start_ms - start for timing, start in zip(alignment.turns, starts, strict=True)]
    assert abs(errors[1]) <= 100, errors


def test_music_alone_is_told_from_real_and_synthetic_voices() -> None:
    """The discriminator marks the intro's music and no voice: the real ones here (close
    mic, whisper, falsetto, a LibriVox reader) and espeak-ng's English and Korean."""
    _transcript, audio, _truth = conversation()
    mixed, lead_ms = with_music_intro(audio, bed_db=None)
    energy_db = spectrum(mixed.samples, mixed.sample_rate).energy_db
    marked = find_music(mixed.samples, mixed.sample_rate, energy_db).alone
    lead = lead_ms // 10
    assert marked[:lead].mean() > 0.5
    assert not marked[lead + 50 :].any()
    for language in ("en", "ko"):
        episode = build_episode(sentences_for(language, 10), language, voices=TEST_VOICES[language])
        samples = episode.audio.samples
        heard = spectrum(samples, episode.audio.sample_rate).energy_db
        assert not find_music(samples, episode.audio.sample_rate, heard).alone.any(), language
