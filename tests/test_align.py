"""Accuracy of the forced aligner on synthetic episodes with known timings.

The test audio is spoken by espeak-ng voices that differ from the aligner's own (another
variant, 145-160 words a minute instead of 175, pitch 70 or 35 instead of 50), trimmed
to speech and joined with known silences (0.25-2 s). Targets from issue 5: clean audio,
mean start error under 50 ms and the largest under 150 ms, in English and Korean; white
noise at 15 dB SNR, the largest under 400 ms; a sentence spoken but missing from the
transcript is flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pytest

from toolkit.align.aligner import align_turns
from toolkit.align.checks import alignment_problems
from toolkit.align.fixtures import TEST_VOICES, Episode, build_episode, sentences_for
from toolkit.align.timings import Alignment
from toolkit.model import Transcript, Turn
from toolkit.transcript import parse_transcript


def transcript_for(
    sentences: Sequence[str], language: str, speakers: Sequence[str] = ("Joy", "Dasom")
) -> Transcript:
    """A transcript with one turn per sentence, speakers alternating."""
    lines = [
        "---",
        "title: Test",
        "episode: test",
        f"language: {language}",
        f"speakers: {', '.join(speakers)}",
        "---",
    ]
    for index, sentence in enumerate(sentences):
        lines.append(f"{speakers[index % len(speakers)]}: {sentence}")
    transcript, problems = parse_transcript("\n".join(lines) + "\n", "test.txt")
    assert not [problem for problem in problems if problem.severity == "error"]
    return transcript


@cache
def aligned(
    language: str, snr_db: float | None = None, voices: int = 1, missing: int | None = None
) -> tuple[Episode, Transcript, Alignment]:
    sentences = sentences_for(language, 10)
    episode = build_episode(
        sentences,
        language,
        voices=TEST_VOICES[language][:voices],
        snr_db=snr_db,
        missing=() if missing is None else (missing,),
    )
    spoken = [truth.text for truth in episode.transcript_truths]
    transcript = transcript_for(spoken, language)
    return episode, transcript, align_turns(transcript.turns, language, episode.audio)


def start_errors(episode: Episode, alignment: Alignment) -> np.ndarray:
    truths = episode.transcript_truths
    return np.array([abs(t.start_ms - a.start_ms) for t, a in zip(truths, alignment.turns, strict=True)])


def end_errors(episode: Episode, alignment: Alignment) -> np.ndarray:
    truths = episode.transcript_truths
    return np.array([abs(t.end_ms - a.end_ms) for t, a in zip(truths, alignment.turns, strict=True)])


@pytest.mark.parametrize("language", ["en", "ko"])
def test_clean_speech_starts_within_50_ms_on_average_and_150_ms_at_most(language: str) -> None:
    episode, _transcript, alignment = aligned(language)
    errors = start_errors(episode, alignment)
    assert errors.mean() < 50, errors
    assert errors.max() < 150, errors


@pytest.mark.parametrize("language", ["en", "ko"])
def test_clean_speech_ends_are_close_too(language: str) -> None:
    episode, _transcript, alignment = aligned(language)
    errors = end_errors(episode, alignment)
    assert errors.mean() < 100, errors
    assert errors.max() < 300, errors


@pytest.mark.parametrize("language", ["en", "ko"])
def test_two_alternating_voices_align_as_well_as_one(language: str) -> None:
    episode, _transcript, alignment = aligned(language, voices=2)
    errors = start_errors(episode, alignment)
    assert errors.mean() < 50, errors
    assert errors.max() < 150, errors


@pytest.mark.parametrize("language", ["en", "ko"])
def test_noise_at_15_db_keeps_every_start_within_400_ms(language: str) -> None:
    episode, _transcript, alignment = aligned(language, snr_db=15.0)
    errors = start_errors(episode, alignment)
    assert errors.max() < 400, errors


@pytest.mark.parametrize("language", ["en", "ko"])
def test_clean_alignment_raises_no_outlier_warnings(language: str) -> None:
    _episode, transcript, alignment = aligned(language)
    assert alignment_problems(transcript, alignment) == []


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_sentence_missing_from_the_transcript_is_flagged_next_to_it(language: str) -> None:
    episode, transcript, alignment = aligned(language, missing=4)
    problems = alignment_problems(transcript, alignment)
    assert {problem.code for problem in problems} & {"ALN003", "ALN004"}
    # The sentence after turn 4 (line of turn index 3) or before turn 5 is where to look.
    lines = {problem.line for problem in problems}
    assert lines & {transcript.turns[3].line, transcript.turns[4].line}, problems
    # The turns away from the gap stay accurate.
    errors = start_errors(episode, alignment)
    assert np.delete(errors, [3, 4]).max() < 150, errors


def test_words_are_timed_inside_their_turn_in_order() -> None:
    _episode, transcript, alignment = aligned("en")
    for turn, timing in zip(transcript.turns, alignment.turns, strict=True):
        assert len(timing.words) == len(turn.text.split())
        assert list(timing.words) == sorted(timing.words)
        assert timing.start_ms - 100 <= timing.words[0] and timing.words[-1] < timing.end_ms


def test_bracketed_insertions_are_not_spoken_but_keep_their_word_slots() -> None:
    from toolkit.align.timings import spoken_text

    text = "I might have lived a wealthier life there [in North Korea]."
    episode = build_episode([text], "en")
    turn = Turn("Jeongyol", text, 1)
    alignment = align_turns([turn], "en", episode.audio)
    assert "North" not in spoken_text(text)
    assert len(alignment.turns[0].words) == len(text.split())
    assert abs(alignment.turns[0].start_ms - episode.truths[0].start_ms) < 150


def test_a_turn_without_speakable_text_sits_between_its_neighbours() -> None:
    episode = build_episode(["Welcome to the Red Box!", "Some people ask because they don't know."], "en")
    turns = [
        Turn("All", "Welcome to the Red Box!", 1),
        Turn("Joy", "…", 2),
        Turn("Joy", "Some people ask because they don't know.", 3),
    ]
    alignment = align_turns(turns, "en", episode.audio)
    empty = alignment.turns[1]
    assert empty.start_ms == empty.end_ms == alignment.turns[0].end_ms
    assert abs(alignment.turns[2].start_ms - episode.truths[1].start_ms) < 150


def test_intro_and_outro_music_are_skipped() -> None:
    sentences = sentences_for("en", 10)
    episode = build_episode(sentences, "en", intro_ms=40_000, outro_ms=20_000)
    transcript = transcript_for(sentences, "en")
    alignment = align_turns(transcript.turns, "en", episode.audio)
    errors = start_errors(episode, alignment)
    assert errors.max() < 150, errors
    # 40 s of steady music is background to the local noise floor, not uncovered speech.
    problems = alignment_problems(transcript, alignment)
    assert "ALN004" not in {p.code for p in problems}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_turn_the_audio_lacks_is_flagged(language: str) -> None:
    sentences = sentences_for(language, 10)
    episode = build_episode(sentences, language)
    extra = (
        "This sentence was cut from the video in the edit."
        if language == "en"
        else "이 문장은 편집에서 잘렸어요."
    )
    transcript = transcript_for([*sentences[:5], extra, *sentences[5:]], language)
    alignment = align_turns(transcript.turns, language, episode.audio)
    problems = alignment_problems(transcript, alignment)
    # The turn, or the neighbour it was squeezed into, is flagged: too short (ALN003) or
    # over a pause (ALN005).
    near = {(transcript.turns[index].line, code) for index in (4, 5, 6) for code in ("ALN003", "ALN005")}
    assert near & {(p.line, p.code) for p in problems}, problems


def test_only_speech_is_synthesized_notes_in_parentheses_and_brackets_are_not() -> None:
    from toolkit.align.timings import spoken_text

    text = "(Through interpreter) I was born in Hamhung [laughs] and left in 2011."
    said = spoken_text(text)
    assert "interpreter" not in said and "laughs" not in said
    assert said.split() == ["I", "was", "born", "in", "Hamhung", "and", "left", "in", "2011."]
    # A note alone has nothing to say: the turn is not synthesized at all.
    episode = build_episode(["Welcome to the Red Box!", "Some people ask because they don't know."], "en")
    turns = [
        Turn("Joy", "Welcome to the Red Box!", 1),
        Turn("Jeongyol", "(Through interpreter)", 2),
        Turn("Jeongyol", "Some people ask because they don't know.", 3),
    ]
    alignment = align_turns(turns, "en", episode.audio)
    assert alignment.turns[1].start_ms == alignment.turns[1].end_ms
    assert abs(alignment.turns[2].start_ms - episode.truths[1].start_ms) < 150


def test_the_second_opinion_start_in_a_pause_moves_on_to_the_speech() -> None:
    """drift_ms compares like with like: the main path's start snaps to the speech; a
    second-opinion start in the pause before the turn moves forward to the onset too (not
    back, not out of reach), so a coarse start in the pause is no disagreement (ALN011)."""
    from toolkit.align.edges import snap_start, speech_onsets

    speech = np.zeros(300, dtype=np.bool_)
    speech[100:200] = True
    onsets = speech_onsets(speech)
    assert snap_start(40, speech, onsets, 75) == 100  # in the pause, 0.6 s before: onto the onset
    assert snap_start(150, speech, onsets, 75) == 150  # inside speech: kept
    assert snap_start(10, speech, onsets, 75) == 10  # 0.9 s before, out of reach: kept
    assert snap_start(40, speech, onsets, 0) == 40  # noisy audio (no snapping): kept
