"""Alignment timings used where users meet them: `redbox subtitles`, `build` and `check`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import soundfile
from click.testing import CliRunner

from toolkit.align.fixtures import Episode, build_episode, sentences_for
from toolkit.cli import cli
from toolkit.formats.vtt import parse_vtt

SPEAKERS = ("Joy", "Dasom")


@cache
def english_episode() -> Episode:
    return build_episode(sentences_for("en", 4), "en")


def write_episode(folder: Path, episode: Episode) -> tuple[Path, Path]:
    lines = ["---", "title: Test", "episode: aligned", "language: en", "speakers: Joy, Dasom", "---"]
    for index, truth in enumerate(episode.transcript_truths):
        lines.append(f"{SPEAKERS[index % 2]}: {truth.text}")
    transcript = folder / "aligned.txt"
    transcript.write_text("\n".join(lines) + "\n", encoding="utf-8")
    audio = folder / "aligned.wav"
    soundfile.write(audio, episode.audio.samples, episode.audio.sample_rate)
    return transcript, audio


def test_subtitles_start_when_each_turn_is_heard(runner: CliRunner, tmp_path: Path) -> None:
    episode = english_episode()
    transcript, audio = write_episode(tmp_path, episode)
    aligned = runner.invoke(cli, ["align", str(transcript), str(audio), "--no-progress"])
    assert aligned.exit_code == 0, aligned.output
    assert (tmp_path / "aligned.timings.tsv").is_file()

    result = runner.invoke(cli, ["subtitles", str(transcript), "--format", "vtt", "--labels", "none"])
    assert result.exit_code == 0, result.output
    cues, problems = parse_vtt(result.stdout, "aligned.vtt")
    assert problems == []
    # The first cue of each turn starts where that sentence is spoken (within 150 ms), not
    # where the speech-rate model would have put it.
    first_cues = [
        next(cue for cue in cues if cue.plain.split()[:3] == truth.text.split()[:3])
        for truth in episode.transcript_truths
    ]
    for cue, truth in zip(first_cues, episode.transcript_truths, strict=True):
        assert abs(cue.start_ms - truth.start_ms) <= 150, (cue, truth)

    checked = runner.invoke(cli, ["check", str(transcript)])
    assert checked.exit_code == 0, checked.output


def test_a_turn_added_after_alignment_is_timed_from_its_neighbours_and_named(
    runner: CliRunner, tmp_path: Path
) -> None:
    transcript, audio = write_episode(tmp_path, english_episode())
    assert runner.invoke(cli, ["align", str(transcript), str(audio), "--no-progress"]).exit_code == 0
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text + "Joy: One more line that was never aligned.\n", encoding="utf-8")
    new_line = len(text.splitlines()) + 1

    checked = runner.invoke(cli, ["check", str(transcript), "--strict"])
    assert checked.exit_code == 1
    assert f"aligned.txt:{new_line}:1: warning ALN008" in checked.stdout
    assert "aligned.timings.tsv" in checked.stdout

    result = runner.invoke(cli, ["subtitles", str(transcript), "--format", "vtt"])
    assert result.exit_code == 0, result.output
    assert f"aligned.txt:{new_line}:1: warning ALN008" in result.stderr
    cues, _problems = parse_vtt(result.stdout, "aligned.vtt")
    assert "never aligned" in cues[-1].plain
    assert "Traceback" not in result.output


def test_an_edited_turn_never_takes_stale_times(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    episode = english_episode()
    (tmp_path / "transcripts").mkdir()
    transcript, audio = write_episode(tmp_path / "transcripts", episode)
    assert runner.invoke(cli, ["align", str(transcript), str(audio), "--no-progress"]).exit_code == 0
    before = runner.invoke(cli, ["subtitles", str(transcript), "--format", "vtt", "--labels", "none"])
    lines = transcript.read_text(encoding="utf-8").splitlines()
    # Same number of turns, the second and third rewritten: times by position would be stale.
    second, third = lines[7], lines[8]
    lines[7] = second.split(": ", 1)[0] + ": " + third.split(": ", 1)[1]
    lines[8] = third.split(": ", 1)[0] + ": A short one."
    transcript.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = runner.invoke(cli, ["subtitles", str(transcript), "--format", "vtt", "--labels", "none"])
    assert result.exit_code == 0, result.output
    assert "aligned.txt:8:1: warning ALN008" in result.stderr
    assert "aligned.txt:9:1: warning ALN008" in result.stderr
    assert "turn 2 (Dasom) changed since redbox align" in result.stderr
    cues, _problems = parse_vtt(result.stdout, "aligned.vtt")
    old_cues, _ = parse_vtt(before.stdout, "aligned.vtt")
    # The turns around them keep their aligned times; the edited two share the span the old
    # two were heard in, and no cue reads faster than the limits allow.
    assert cues[0].start_ms == old_cues[0].start_ms and cues[-1].start_ms == old_cues[-1].start_ms
    truths = episode.transcript_truths
    edited = [cue for cue in cues if truths[1].start_ms - 200 <= cue.start_ms < truths[3].start_ms]
    assert edited and all(cue.end_ms - cue.start_ms >= 800 for cue in edited)

    monkeypatch.chdir(tmp_path)
    built = runner.invoke(cli, ["build", "--strict"])
    assert built.exit_code == 1, built.output
    assert "ALN008" in built.output


def test_the_sample_episode_is_timed_from_korean_speech_made_from_its_catalog(
    runner: CliRunner, project: Path
) -> None:
    """--lang ko, the main way: the English transcript, Korean audio, one timings file."""
    from toolkit.align.fixtures import TEST_VOICES
    from toolkit.align.sidecar import parse_timings
    from toolkit.catalog.translate import translate_transcript
    from toolkit.transcript import parse_transcript

    name = "misunderstandings-and-stereotypes"
    english, _problems = parse_transcript(
        (project / "transcripts" / f"{name}.txt").read_text(encoding="utf-8")
    )
    po = project / "locales" / "ko" / "LC_MESSAGES" / f"{name}.po"
    korean, _problems = translate_transcript(english, po.read_bytes(), str(po), "ko")
    # Two Korean voices taking turns, neither the aligner's own.
    episode = build_episode([turn.text for turn in korean.turns], "ko", voices=TEST_VOICES["ko"])
    audio = project / "episode.wav"
    soundfile.write(audio, episode.audio.samples, episode.audio.sample_rate)

    result = runner.invoke(
        cli, ["align", f"transcripts/{name}.txt", str(audio), "--lang", "ko", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    timings = parse_timings((project / "transcripts" / f"{name}.timings.tsv").read_text(encoding="utf-8"))
    assert dict(timings.meta)["audio_path"] == "../episode.wav"
    errors = sorted(abs(t.start_ms - a.start_ms) for t, a in zip(episode.truths, timings.turns, strict=True))
    assert errors[len(errors) // 2] <= 50 and errors[-1] <= 250, errors

    # English and Korean subtitles both start when each turn is heard in Korean.
    assert runner.invoke(cli, ["build"]).exit_code == 0
    for language in ("en", "ko"):
        vtt = (project / "subtitles" / f"{name}.{language}.vtt").read_text(encoding="utf-8")
        cues, _problems = parse_vtt(vtt, "x.vtt")
        assert abs(cues[0].start_ms - episode.truths[0].start_ms) <= 100
    checked = runner.invoke(cli, ["check", "transcripts/", "--strict"])
    assert "ALN008" not in checked.output
