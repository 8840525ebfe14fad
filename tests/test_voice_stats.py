"""The voice statistics ``redbox align`` stores for ``redbox check --voices``
(toolkit/voices/store.py), and the guards of two voices under one name (VOI002)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.voice_reels import RATE, Samples, aligned_project, episode, interleaved, reel_turns
from toolkit.align.audio import Audio
from toolkit.align.sidecar import parse_timings
from toolkit.cli import cli
from toolkit.voices import workflow
from toolkit.voices.check import VoiceOptions, check_voices
from toolkit.voices.features import DIMENSIONS, voice_frames
from toolkit.voices.models import fit, pooled, turn_stats, without
from toolkit.voices.store import (
    EpisodeStats,
    VoiceStatsError,
    format_stats,
    parse_stats,
    voices_path,
)
from toolkit.voices.workflow import write_voice_stats


def _frame_by_frame(frames: np.ndarray, mean: np.ndarray, precision: np.ndarray, log_det: float) -> float:
    centred = frames.astype(np.float64) - mean
    distances = np.einsum("ni,ij,nj->n", centred, precision, centred)
    return float(np.mean(-0.5 * (len(mean) * np.log(2 * np.pi) + log_det + distances)))


def test_a_turns_score_from_its_statistics_is_its_frames_mean_log_likelihood(
    george: list[Samples], jackson: list[Samples]
) -> None:
    """What makes storing statistics instead of frames exact: a turn's mean log-likelihood
    under a Gaussian, and a model left without it, follow from its sums alone."""
    audio, found = episode(interleaved(("George", george), ("Jackson", jackson)))
    frames = voice_frames(audio, RATE, [(turn.start_ms, turn.end_ms) for turn in found])
    rows = [frames.speech_of(turn.start_ms, turn.end_ms) for turn in found]
    stats = [turn_stats(item) for item in rows]
    total = pooled(stats)
    for turn in (0, 5, 11):
        left_out = fit(without(total, stats[turn]))
        rebuilt = fit(turn_stats(np.concatenate([item for k, item in enumerate(rows) if k != turn])))
        # float32 products: sums of different lengths round apart by a few parts in 10^7
        assert np.allclose(left_out.precision, rebuilt.precision, rtol=1e-5, atol=1e-6)
        expected = _frame_by_frame(rows[turn], left_out.mean, left_out.precision, left_out.log_det)
        # Exact but for the float32 products the sums are made of (a few parts in 10^8).
        assert left_out.mean_log_likelihood(stats[turn]) == pytest.approx(expected, rel=1e-7)
        exact = turn_stats(rows[turn].astype(np.float64))
        assert left_out.mean_log_likelihood(exact) == pytest.approx(expected, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=30), max_size=6),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_stored_statistics_read_back_exactly_and_write_the_same_bytes(sizes: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    frames = [rng.standard_normal((size, DIMENSIONS)).astype(np.float32) * 3 for size in sizes]
    stats = tuple(turn_stats(item) for item in frames)
    spans = tuple((1000 * k, 1000 * k + int(rng.integers(0, 5000))) for k in range(len(sizes)))
    stored = EpisodeStats("ab" * 32, 12345, 16000, 160, spans, stats)
    data = format_stats(stored)
    assert format_stats(stored) == data  # deterministic: no dates, no container
    back = parse_stats(data, "x.voices.bin")
    assert (back.spans, back.sample_rate, back.hop, back.audio_bytes) == (spans, 16000, 160, 12345)
    for original, read in zip(stats, back.stats, strict=True):
        assert read.count == original.count
        assert np.array_equal(read.total, original.total)
        assert np.array_equal(read.outer, original.outer)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-7],
        lambda data: b"not statistics\n\n",
        lambda data: data.replace(b"dimensions: 40", b"dimensions: 26"),
        lambda data: data.replace(b"hop: ", b"hop; "),
    ],
)
def test_a_damaged_statistics_file_is_refused(damage: object) -> None:
    stats = (turn_stats(np.ones((3, DIMENSIONS), np.float32)),)
    data = format_stats(EpisodeStats("00" * 32, 1, 16000, 160, ((0, 10),), stats))
    with pytest.raises(VoiceStatsError):
        parse_stats(damage(data), "x.voices.bin")  # type: ignore[operator]


def _store(project: Path) -> Path:
    timings = project / "transcripts" / "voices.timings.tsv"
    alignment = parse_timings(timings.read_text(encoding="utf-8"))
    audio = project / "episode.wav"
    samples = workflow.load_audio(audio, "episode.wav")
    return write_voice_stats(timings, audio, Audio(samples.samples, samples.sample_rate), alignment)


def _problems(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if " VOI0" in line)


def _findings(output: str) -> list[tuple[str, float]]:
    """The VOI problems without their scores, and the scores: the audio path's float32
    products can round a frame at the speech threshold either way from one run to the
    next within one process (seen: +7.51 in one run, +7.52 in another; cause not found),
    the stored statistics cannot."""
    found = []
    for line in _problems(output):
        head, _, score = line.rpartition("(score ")
        found.append((head, float(score.rstrip(")"))))
    return found


def _same_findings(left: str, right: str) -> bool:
    ours, theirs = _findings(left), _findings(right)
    return [head for head, _ in ours] == [head for head, _ in theirs] and all(
        abs(a - b) <= 0.05 for (_, a), (_, b) in zip(ours, theirs, strict=True)
    )


def test_check_voices_from_stored_statistics_warns_as_from_the_audio_without_decoding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, george: list[Samples], jackson: list[Samples]
) -> None:
    monkeypatch.chdir(aligned_project(tmp_path, george, jackson, name_audio=True))
    from_audio = CliRunner().invoke(cli, ["check", "transcripts/voices.txt", "--voices"])
    assert "no stored voice statistics (transcripts/voices.voices.bin" in from_audio.output
    assert "computed from the audio" in from_audio.output
    stored = _store(tmp_path)
    assert stored == tmp_path / "transcripts" / "voices.voices.bin"

    def refuse(path: Path, source: str) -> Audio:
        raise AssertionError("the audio was decoded again")

    monkeypatch.setattr(workflow, "load_audio", refuse)
    from_stats = CliRunner().invoke(cli, ["check", "transcripts/voices.txt", "--voices"])
    assert from_stats.exit_code == from_audio.exit_code == 0, from_stats.output
    assert "computed from the audio" not in from_stats.output
    assert _same_findings(from_stats.output, from_audio.output)
    flagged = "VOI001 turn labelled Jackson sounds more like George"
    assert any(flagged in line for line in _problems(from_stats.output))
    notes = [line for line in from_audio.output.splitlines() if "not checked by voice" in line]
    assert notes == [line for line in from_stats.output.splitlines() if "not checked by voice" in line]


def test_stale_statistics_are_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, george: list[Samples], jackson: list[Samples]
) -> None:
    monkeypatch.chdir(aligned_project(tmp_path, george, jackson, name_audio=True))
    stored = _store(tmp_path)
    fresh = CliRunner().invoke(cli, ["check", "transcripts/voices.txt", "--voices"])
    assert "computed from the audio" not in fresh.output
    # Other audio under the same name: the statistics say Jackson's turn 5 is George's ...
    good = stored.read_bytes()
    import soundfile

    samples, rate = soundfile.read(tmp_path / "episode.wav", dtype="float32")
    soundfile.write(tmp_path / "episode.wav", samples[::-1].copy(), rate, subtype="PCM_16")
    other = CliRunner().invoke(cli, ["check", "transcripts/voices.txt", "--voices"])
    assert "the voice statistics transcripts/voices.voices.bin were computed from other audio" in other.output
    assert "computed from the audio" in other.output
    # ... and the turn times moved (a new alignment): recomputed, with a note.
    soundfile.write(tmp_path / "episode.wav", samples, rate, subtype="PCM_16")
    timings = tmp_path / "transcripts" / "voices.timings.tsv"
    text = timings.read_text(encoding="utf-8")
    alignment = parse_timings(text)
    first = alignment.turns[0]
    moved = replace(alignment, turns=(replace(first, end_ms=first.end_ms - 40), *alignment.turns[1:]))
    from toolkit.align.sidecar import format_timings

    timings.write_text(format_timings(moved), encoding="utf-8")
    stored.write_bytes(good)
    shifted = CliRunner().invoke(cli, ["check", "transcripts/voices.txt", "--voices"])
    assert "were computed for other turn times (turn 1 first): computed from the audio" in shifted.output
    # A damaged file: a note, the audio, and no traceback.
    stored.write_bytes(good[:100])
    damaged = CliRunner().invoke(cli, ["check", "transcripts/voices.txt", "--voices"])
    assert "transcripts/voices.voices.bin cannot be read" in damaged.output
    assert "Traceback" not in damaged.output
    assert _same_findings(damaged.output, fresh.output)


def test_align_stores_the_voice_statistics_the_check_then_uses(tmp_path: Path) -> None:
    from tests.test_align_cli import korean_episode, write_project

    transcript, audio = write_project(tmp_path, korean_episode())
    result = CliRunner().invoke(cli, ["align", str(transcript), str(audio), "--voices"])
    assert result.exit_code == 0, result.output
    stored = Path(voices_path(transcript.with_name(transcript.stem + ".timings.tsv")))
    stats = parse_stats(stored.read_bytes(), str(stored))
    assert len(stats.stats) == 5
    # Computed from the aligner's own spectrum, they are what the check computes from the audio.
    timings = parse_timings(
        transcript.with_name(transcript.stem + ".timings.tsv").read_text(encoding="utf-8")
    )
    decoded = workflow.load_audio(audio, audio.name)
    frames = voice_frames(
        decoded.samples, decoded.sample_rate, [(t.start_ms, t.end_ms) for t in timings.turns]
    )
    for item, (start, end) in zip(stats.stats, stats.spans, strict=True):
        recomputed = turn_stats(frames.speech_of(start, end))
        assert item.count == recomputed.count
        assert np.allclose(item.outer, recomputed.outer, rtol=1e-4, atol=1e-3)
    assert "computed from the audio" not in result.stderr
    again = CliRunner().invoke(cli, ["check", str(transcript), "--voices"])
    assert "computed from the audio" not in again.output


def test_features_from_the_aligners_spectrum_are_the_features_from_the_audio(
    george: list[Samples], jackson: list[Samples]
) -> None:
    from toolkit.align.features import spectrum

    audio, found = episode(interleaved(("George", george), ("Jackson", jackson)))
    spans = [(turn.start_ms, turn.end_ms) for turn in found]
    computed = voice_frames(audio, RATE, spans)
    reused = voice_frames(audio, RATE, spans, energies=spectrum(audio, RATE).energies)
    assert np.array_equal(computed.index, reused.index)
    assert np.array_equal(computed.speech, reused.speech)
    assert np.allclose(computed.values, reused.values, atol=1e-5)


def test_one_sentence_said_many_times_is_not_a_second_person(
    george: list[Samples], jackson: list[Samples]
) -> None:
    """The synthetic benchmark's false alarm: a speaker's repeats of one sentence grouped
    as a voice of their own. Repeats of one clip (over different room tone) under George."""
    repeated = [george[0]] * 6
    turns = interleaved(("George", george + repeated), ("Jackson", jackson))
    audio, found = episode(turns)
    texts = {
        turn.index: "One, two, three." if turns[turn.index][1] is george[0] else f"Digits {turn.index}."
        for turn in found
    }
    said = [replace(turn, text=texts[turn.index]) for turn in found]
    frames = voice_frames(audio, RATE, [(turn.start_ms, turn.end_ms) for turn in found])
    unknown_text = check_voices(frames, found)
    assert [split.speaker for split in unknown_text.splits] == ["George"]  # what main reported
    assert check_voices(frames, said).splits == ()


def test_two_real_people_under_one_name_are_still_found_with_their_words_known(
    george: list[Samples], jackson: list[Samples]
) -> None:
    """Grouping turns by what they say leaves different sentences apart: Theo's eight
    turns under George's name are still a second voice."""
    theo = reel_turns("theo")[:8]
    turns = interleaved(("George", george), ("Jackson", jackson), ("Theo", theo))
    theo_turns = {index for index, (speaker, _) in enumerate(turns) if speaker == "Theo"}
    audio, found = episode(turns)
    said = [
        replace(
            turn, speaker="George" if turn.index in theo_turns else turn.speaker, text=f"Digits {turn.index}."
        )
        for turn in found
    ]
    report = check_voices(voice_frames(audio, RATE, [(turn.start_ms, turn.end_ms) for turn in said]), said)
    assert [split.speaker for split in report.splits] == ["George"]
    assert {turn.index for turn in report.splits[0].turns} == theo_turns & set(report.margins)
    assert report.splits[0].gain > VoiceOptions().split_shape
