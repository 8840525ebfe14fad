"""``redbox align`` end to end on a synthetic episode, and audio decoding."""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import soundfile
from click.testing import CliRunner

from tests.clients import require_binary
from toolkit.align.audio import decode_soundfile, decode_with_ffmpeg
from toolkit.align.fixtures import Episode, build_episode, sentences_for
from toolkit.align.sidecar import parse_timings
from toolkit.cli import cli
from toolkit.errors import ToolkitError


@cache
def korean_episode() -> Episode:
    return build_episode(sentences_for("ko", 6), "ko", missing=(3,))


def write_project(folder: Path, episode: Episode, audio_name: str = "episode.wav") -> tuple[Path, Path]:
    speakers = ("조이", "다솜")
    lines = ["---", "title: 시험", "episode: episode", "language: ko", "speakers: 조이, 다솜", "---"]
    for index, truth in enumerate(episode.transcript_truths):
        lines.append(f"{speakers[index % 2]}: {truth.text}")
    transcript = folder / "episode.txt"
    transcript.write_text("\n".join(lines) + "\n", encoding="utf-8")
    audio = folder / audio_name
    soundfile.write(audio, episode.audio.samples, episode.audio.sample_rate)
    return transcript, audio


def test_align_writes_the_sidecar_next_to_the_transcript_and_flags_the_missing_sentence(
    tmp_path: Path,
) -> None:
    episode = korean_episode()
    transcript, audio = write_project(tmp_path, episode)
    result = CliRunner().invoke(cli, ["align", str(transcript), str(audio)])
    assert result.exit_code == 0, result.output
    sidecar = tmp_path / "episode.timings.tsv"
    alignment = parse_timings(sidecar.read_text(encoding="utf-8"), str(sidecar))
    truths = episode.transcript_truths
    errors = [abs(t.start_ms - a.start_ms) for t, a in zip(truths, alignment.turns, strict=True)]
    assert sorted(errors)[len(errors) // 2] < 50
    # Sentence 4 is spoken but not in the transcript, between turn 3 (line 9) and turn 4
    # (line 10): the turn that absorbed it is flagged, at most one turn away.
    assert any(f"episode.txt:{line}:1: warning ALN00" in result.stderr for line in (8, 9, 10, 11)), (
        result.stderr
    )
    assert "aligned 5 turns" in result.stderr


def test_strict_turns_flagged_turns_into_exit_1(tmp_path: Path) -> None:
    transcript, audio = write_project(tmp_path, korean_episode())
    result = CliRunner().invoke(
        cli, ["align", str(transcript), str(audio), "--strict", "-o", str(tmp_path / "t.tsv")]
    )
    assert result.exit_code == 1
    assert (tmp_path / "t.tsv").is_file()


@pytest.mark.parametrize("kind", ["FLAC", "OGG", "MP3"])
def test_flac_ogg_and_mp3_decode_like_wav(kind: str) -> None:
    episode = build_episode(sentences_for("en", 1), "en")
    buffer = io.BytesIO()
    soundfile.write(buffer, episode.audio.samples, episode.audio.sample_rate, format=kind)
    audio = decode_soundfile(buffer.getvalue(), f"a.{kind.lower()}")
    assert audio.sample_rate == episode.audio.sample_rate
    # Lossy codecs pad a little; the length stays within 100 ms.
    assert abs(audio.duration_ms - episode.audio.duration_ms) < 100


def test_44_1_khz_stereo_is_mixed_down_and_decimated() -> None:
    tone = np.sin(np.linspace(0, 2000 * np.pi, 44100)).astype(np.float32)
    buffer = io.BytesIO()
    soundfile.write(buffer, np.stack([tone, tone], axis=1), 44100, format="WAV")
    audio = decode_soundfile(buffer.getvalue(), "a.wav")
    assert (audio.sample_rate, len(audio.samples)) == (22050, 22050)


def test_undecodable_audio_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ToolkitError, match="cannot decode audio"):
        decode_soundfile(b"this is not audio at all" * 10, "notes.wav")
    transcript, _audio = write_project(tmp_path, korean_episode())
    bogus = tmp_path / "notes.wav"
    bogus.write_bytes(b"RIFF nonsense")
    result = CliRunner().invoke(cli, ["align", str(transcript), str(bogus)])
    assert result.exit_code == 1
    assert "notes.wav" in result.output and "Traceback" not in result.output


def test_other_containers_say_ffmpeg_is_needed_when_it_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    video = tmp_path / "episode.mp4"
    video.write_bytes(b"\0\0\0\x18ftypmp42")
    with pytest.raises(ToolkitError, match="needs ffmpeg, which is not installed"):
        decode_with_ffmpeg(video, str(video))


@pytest.mark.ffmpeg
def test_an_mp4_aligns_through_ffmpeg(tmp_path: Path) -> None:
    ffmpeg = require_binary("ffmpeg")
    episode = korean_episode()
    transcript, wav = write_project(tmp_path, episode)
    video = tmp_path / "episode.m4a"
    subprocess.run([ffmpeg, "-v", "error", "-i", str(wav), str(video)], check=True)
    result = CliRunner().invoke(cli, ["align", str(transcript), str(video), "-o", str(tmp_path / "m.tsv")])
    assert result.exit_code == 0, result.output
    alignment = parse_timings((tmp_path / "m.tsv").read_text(encoding="utf-8"))
    first = episode.transcript_truths[0]
    assert abs(alignment.turns[0].start_ms - first.start_ms) < 100


def test_a_transcript_with_errors_is_not_aligned(tmp_path: Path) -> None:
    transcript, audio = write_project(tmp_path, korean_episode())
    transcript.write_text("---\ntitle: x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["align", str(transcript), str(audio)])
    assert result.exit_code == 1
    assert "error(s) in the transcript; fix them first (redbox check)" in result.output


def test_missing_audio_names_the_file(tmp_path: Path) -> None:
    transcript, _audio = write_project(tmp_path, korean_episode())
    result = CliRunner().invoke(cli, ["align", str(transcript), str(tmp_path / "gone.wav")])
    assert result.exit_code == 1
    assert "gone.wav: no such file" in result.output


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["align", "--help"])
    assert result.exit_code == 0
    assert "redbox align transcripts/my-episode.txt episode.wav" in result.output


def test_anchors_write_the_aligned_starts_into_the_transcript(tmp_path: Path) -> None:
    from toolkit.transcript import parse_transcript

    episode = korean_episode()
    transcript, audio = write_project(tmp_path, episode)
    result = CliRunner().invoke(cli, ["align", str(transcript), str(audio), "--anchors", "--progress"])
    assert result.exit_code == 0, result.output
    assert "Aligning" in result.stderr  # the progress bar
    anchored, problems = parse_transcript(transcript.read_text(encoding="utf-8"), str(transcript))
    assert not [problem for problem in problems if problem.severity == "error"]
    sidecar = parse_timings((tmp_path / "episode.timings.tsv").read_text(encoding="utf-8"))
    assert [turn.anchor_ms for turn in anchored.turns] == [timing.start_ms for timing in sidecar.turns]
    assert abs((anchored.turns[0].anchor_ms or 0) - episode.transcript_truths[0].start_ms) < 100


def test_an_unknown_voice_is_a_clear_error(tmp_path: Path) -> None:
    transcript, audio = write_project(tmp_path, korean_episode())
    result = CliRunner().invoke(cli, ["align", str(transcript), str(audio), "--voice", "no-such-voice"])
    assert result.exit_code == 1
    assert "espeak-ng has no voice 'no-such-voice'" in result.output
    assert "Traceback" not in result.output


def test_skip_leaves_out_a_long_intro_and_keeps_the_file_times(tmp_path: Path) -> None:
    episode = build_episode(sentences_for("ko", 6), "ko", intro_ms=90_000)
    transcript, audio = write_project(tmp_path, episode)
    result = CliRunner().invoke(cli, ["align", str(transcript), str(audio), "--skip", "85"])
    assert result.exit_code == 0, result.output
    alignment = parse_timings((tmp_path / "episode.timings.tsv").read_text(encoding="utf-8"))
    assert alignment.audio_ms == episode.audio.duration_ms
    errors = [abs(t.start_ms - a.start_ms) for t, a in zip(episode.truths, alignment.turns, strict=True)]
    assert max(errors) < 150, errors


def test_skipping_the_whole_audio_is_a_usage_error(tmp_path: Path) -> None:
    transcript, audio = write_project(tmp_path, korean_episode())
    result = CliRunner().invoke(cli, ["align", str(transcript), str(audio), "--skip", "3600"])
    assert result.exit_code == 2
    assert "--skip" in result.output


def test_an_english_transcript_aligns_to_korean_audio_through_its_korean_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit import catalog

    episode = korean_episode()
    korean_transcript, audio = write_project(tmp_path, episode)
    direct_tsv = tmp_path / "direct.tsv"
    direct = CliRunner().invoke(cli, ["align", str(korean_transcript), str(audio), "-o", str(direct_tsv)])
    assert direct.exit_code == 0, direct.output
    # The same episode as a project: an English transcript in transcripts/, the Korean in a catalog.
    project = tmp_path / "project"
    (project / "transcripts").mkdir(parents=True)
    korean_turns = [truth.text for truth in episode.transcript_truths]
    english = ["---", "title: Test", "episode: episode", "language: en", "speakers: Joy, Dasom", "---"]
    english += [f"{('Joy', 'Dasom')[n % 2]}: English line {n + 1}." for n in range(len(korean_turns))]
    (project / "transcripts" / "episode.txt").write_text("\n".join(english) + "\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert CliRunner().invoke(cli, ["catalog", "init", "ko"]).exit_code == 0
    po_path = project / "locales" / "ko" / "LC_MESSAGES" / "episode.po"
    po = catalog.parse_po(po_path.read_bytes())
    names = {"Joy": "조이", "Dasom": "다솜"}
    filled = {
        entry.key: korean_turns[int(entry.msgid.split()[-1].rstrip(".")) - 1]
        if catalog.is_turn_context(entry.msgctxt) else names.get(entry.msgid, "시험")
        for entry in po.entries
    }  # fmt: skip
    po_path.write_bytes(catalog.write_po(catalog.fill_translations(po, filled)))
    result = CliRunner().invoke(cli, ["align", "transcripts/episode.txt", str(audio), "--language", "ko"])
    assert result.exit_code == 0, result.output
    through_catalog = parse_timings((project / "transcripts" / "episode.timings.tsv").read_text(), "t")
    reference = parse_timings(direct_tsv.read_text(), "d")
    assert [turn.start_ms for turn in through_catalog.turns] == [turn.start_ms for turn in reference.turns]
    without = CliRunner().invoke(cli, ["align", "transcripts/episode.txt", str(audio), "--language", "ja"])
    assert without.exit_code == 1
    assert "no catalog for language 'ja'" in without.stderr


@pytest.mark.parametrize(
    ("samples", "message"),
    [
        (np.zeros(160_000, dtype=np.float32), "the audio is silent"),
        (np.full(160_000, 0.25, dtype=np.float32), "the audio is silent"),
        (
            np.concatenate([korean_episode().audio.samples[:48_000], [np.nan]]).astype(np.float32),
            "the audio has 1 sample(s) that are not numbers",
        ),
    ],
    ids=["digital-silence", "dc", "one-nan"],
)
def test_audio_with_nothing_to_align_is_refused(tmp_path: Path, samples: np.ndarray, message: str) -> None:
    transcript, audio = write_project(tmp_path, korean_episode())
    soundfile.write(audio, samples, 16000, subtype="FLOAT")
    for strict in ([], ["--strict"]):
        result = CliRunner().invoke(cli, ["align", str(transcript), str(audio), *strict])
        assert result.exit_code == 1, result.output
        assert f"{audio}: {message}" in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "episode.timings.tsv").exists()


def test_strict_fails_on_any_flag_and_lang_is_an_alias(tmp_path: Path) -> None:
    transcript, audio = write_project(tmp_path, korean_episode())
    # The episode has a sentence spoken but missing from the transcript: flagged.
    result = CliRunner().invoke(cli, ["align", str(transcript), str(audio), "--lang", "ko", "--strict"])
    assert result.exit_code == 1
    assert "warning ALN" in result.stderr
    assert (tmp_path / "episode.timings.tsv").exists()
