"""Alignment timings used where users meet them: `redbox subtitles`, `build` and `check`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

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
    first_cues = [next(cue for cue in cues if cue.plain.split()[:3] == truth.text.split()[:3])
                  for truth in episode.transcript_truths]
    for cue, truth in zip(first_cues, episode.transcript_truths, strict=True):
        assert abs(cue.start_ms - truth.start_ms) <= 150, (cue, truth)

    checked = runner.invoke(cli, ["check", str(transcript)])
    assert checked.exit_code == 0, checked.output


def test_a_transcript_edited_after_alignment_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    transcript, audio = write_episode(tmp_path, english_episode())
    assert runner.invoke(cli, ["align", str(transcript), str(audio), "--no-progress"]).exit_code == 0
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text + "Joy: One more line that was never aligned.\n", encoding="utf-8")

    checked = runner.invoke(cli, ["check", str(transcript)])
    assert checked.exit_code == 1
    assert "aligned.timings.tsv" in checked.stdout and "ALN001" in checked.stdout

    result = runner.invoke(cli, ["subtitles", str(transcript)])
    assert result.exit_code == 1
    assert result.stderr.startswith(str(tmp_path / "aligned.timings.tsv"))
    assert "Traceback" not in result.output
