"""Incremental builds decide as rendering does; a pool builds what one process does."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import build_run
from toolkit.build import BuildResult, build_project
from toolkit.build_manifest import Manifest, TranscriptEntry, code_fingerprint, parse_manifest
from toolkit.build_run import manifest_path
from toolkit.cli import cli
from toolkit.project import find_project
from toolkit.subtitles import SubtitleOptions

SAMPLE = "misunderstandings-and-stereotypes"
KO_CATALOG = Path("locales/ko/LC_MESSAGES") / f"{SAMPLE}.po"


def _copy_episode(project: Path, number: int) -> None:
    """A second (third …) episode: the sample under another slug, with its Korean catalog."""
    slug = f"episode-{number}"
    text = (project / "transcripts" / f"{SAMPLE}.txt").read_text(encoding="utf-8")
    text = text.replace(f"episode: {SAMPLE}", f"episode: {slug}")
    # Each copy differs (a sentence of its own), so an output built from the wrong one shows.
    text = text.replace("\n---\n", f"\n---\nJoy: This is copy number {number}.\n", 1)
    (project / "transcripts" / f"{slug}.txt").write_text(text, encoding="utf-8")
    shutil.copy(project / KO_CATALOG, project / KO_CATALOG.parent / f"{slug}.po")


def _edit(path: Path, old: str, new: str, count: int = -1) -> None:
    """Replace ``old`` with ``new`` in a UTF-8 file, as a user's editor would."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, count), encoding="utf-8")


def _build(
    project: Path, *, check: bool = False, jobs: int = 1, manifest: bool = True
) -> tuple[BuildResult, list[str]]:
    reported: list[str] = []
    result = build_project(find_project(project), ["srt", "vtt"], SubtitleOptions(), check=check,
                           report=reported.append, jobs=jobs, use_manifest=manifest)  # fmt: skip
    return result, reported


def _verdicts(result: BuildResult) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    stale = sorted((path.name, state) for path, state in result.stale)
    return sorted(path.name for path in result.current), stale, sorted(result.failures)


def _outputs(project: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((project / "subtitles").iterdir())}


def test_a_rebuild_with_nothing_changed_renders_nothing(project: Path) -> None:
    _copy_episode(project, 2)
    first, _ = _build(project)
    assert len(first.written) == 4 and first.rendered == 4
    again, _ = _build(project)
    assert again.rendered == 0 and again.written == [] and len(again.current) == 8
    checked, _ = _build(project, check=True)
    assert checked.rendered == 0 and checked.stale == [] and len(checked.current) == 8


def test_one_edited_transcript_rebuilds_only_its_outputs(project: Path) -> None:
    _copy_episode(project, 2)
    _build(project)
    transcript = project / "transcripts" / "episode-2.txt"
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text.replace("copy number 2.", "copy number two."), encoding="utf-8")
    checked, _ = _build(project, check=True)
    assert checked.rendered == 2  # its English and its Korean, nothing else
    stale = [name for name, _ in _verdicts(checked)[1]]
    assert {"episode-2.en.srt", "episode-2.en.vtt"} <= set(stale)
    assert all(name.startswith("episode-2.") for name in stale)
    rebuilt, _ = _build(project)
    assert rebuilt.rendered == 2
    assert sorted(path.name for path in rebuilt.written) == stale


def test_a_hand_edited_output_is_stale_with_and_without_the_manifest(project: Path) -> None:
    _build(project)
    target = project / "subtitles" / f"{SAMPLE}.en.srt"
    target.write_bytes(target.read_bytes().replace(b" ", b"  ", 1))
    with_manifest, _ = _build(project, check=True)
    without, _ = _build(project, check=True, manifest=False)
    assert _verdicts(with_manifest) == _verdicts(without)
    assert (target.name, "stale") in _verdicts(with_manifest)[1]
    assert with_manifest.rendered == 0  # the recorded hash says it: nothing to render
    rebuilt, _ = _build(project)
    assert [path.name for path in rebuilt.written] == [target.name]
    assert _build(project, check=True)[0].stale == []


def test_an_edited_catalog_rebuilds_its_language(project: Path) -> None:
    _build(project)
    catalog = project / KO_CATALOG
    edited = catalog.read_text(encoding="utf-8").replace("오신 걸 환영합니다!", "오신 것을 환영합니다!")
    catalog.write_text(edited, encoding="utf-8")
    with_manifest, _ = _build(project, check=True)
    without, _ = _build(project, check=True, manifest=False)
    assert _verdicts(with_manifest) == _verdicts(without)
    assert with_manifest.rendered == 1
    assert [name for name, _ in _verdicts(with_manifest)[1]] == [f"{SAMPLE}.ko.srt", f"{SAMPLE}.ko.vtt"]


def test_the_manifest_of_other_code_is_ignored(project: Path) -> None:
    _build(project)
    data = manifest_path(find_project(project)).read_bytes()
    assert parse_manifest(data, code_fingerprint()).outputs
    assert parse_manifest(data, "other code") == Manifest("other code")
    assert parse_manifest(b"{not json", code_fingerprint()) == Manifest(code_fingerprint())


def test_a_manifest_that_lies_about_a_transcript_is_caught_by_its_hash(project: Path) -> None:
    """A manifest copied from elsewhere cannot make a changed transcript pass unchecked."""
    _build(project)
    path = manifest_path(find_project(project))
    manifest = parse_manifest(path.read_bytes(), code_fingerprint())
    source = next(iter(manifest.transcripts))
    manifest.transcripts[source] = TranscriptEntry("0" * 64, "other-episode", "en", 2)
    path.write_bytes(manifest.to_bytes())
    checked, _ = _build(project, check=True)
    assert checked.stale == [] and checked.failures == []


@pytest.mark.parametrize("seed", range(6))
def test_verdicts_with_the_manifest_are_render_and_compare_verdicts(project: Path, seed: int) -> None:
    """Random edits of inputs and outputs: --check says the same with or without the manifest."""
    chooser = random.Random(seed)
    _copy_episode(project, 2)
    _copy_episode(project, 3)
    _build(project)
    for _ in range(4):
        kind = chooser.choice(["transcript", "output", "delete", "catalog", "broken", "build"])
        transcripts = sorted((project / "transcripts").glob("*.txt"))
        outputs = sorted((project / "subtitles").iterdir())
        if kind == "transcript":
            path = chooser.choice(transcripts)
            path.write_text(path.read_text(encoding="utf-8").replace(".", "!", 1), encoding="utf-8")
        elif kind == "output" and outputs:
            path = chooser.choice(outputs)
            path.write_bytes(path.read_bytes() + b"\n")
        elif kind == "delete" and outputs:
            chooser.choice(outputs).unlink()
        elif kind == "catalog":
            path = chooser.choice(sorted((project / "locales").rglob("*.po")))
            path.write_text(path.read_text(encoding="utf-8").replace("오신 걸 환영", "오신 것을 환영"),
                            encoding="utf-8")  # fmt: skip
        elif kind == "broken":
            path = chooser.choice(transcripts)
            path.write_text(path.read_text(encoding="utf-8").replace("Joy:", "Nobody:", 1), encoding="utf-8")
        else:
            _build(project)
        with_manifest, said = _build(project, check=True)
        without, said_without = _build(project, check=True, manifest=False)
        assert _verdicts(with_manifest) == _verdicts(without), kind
        assert said == said_without


def test_a_pool_builds_the_same_bytes_and_says_the_same_as_one_process(tmp_path: Path, project: Path) -> None:
    for number in range(2, 7):
        _copy_episode(project, number)
    serial_root = tmp_path / "serial"
    shutil.copytree(project, serial_root)
    pooled, said_pooled = _build(project, jobs=2, manifest=False)
    serial, said_serial = _build(serial_root, jobs=1, manifest=False)
    assert pooled.rendered == serial.rendered == 12
    assert _outputs(project) == _outputs(serial_root)
    assert said_pooled == said_serial
    assert [path.name for path in pooled.written] == [path.name for path in serial.written]


def test_build_writes_the_manifest_in_its_cache_folder_and_check_writes_nothing(
    runner: CliRunner, project: Path
) -> None:
    checked = runner.invoke(cli, ["build", "--check"])
    assert checked.exit_code == 0, checked.output
    assert not (project / ".redbox-cache").exists()
    built = runner.invoke(cli, ["build"])
    assert built.exit_code == 0, built.output
    assert (project / ".redbox-cache" / "build-manifest.json").is_file()


@pytest.mark.parametrize("jobs", [1, 2])
def test_rendering_in_slices_builds_what_one_slice_does(
    tmp_path: Path, project: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """Episodes are queued a slice at a time (memory stays flat); slices of 4 over 6 episodes,
    the last one short, give the same files, messages and order as one slice of them all."""
    for number in range(2, 7):
        _copy_episode(project, number)
    whole_root = tmp_path / "whole"
    shutil.copytree(project, whole_root)
    monkeypatch.setattr(build_run, "RENDER_SLICE", 4)
    sliced, said_sliced = _build(project, jobs=jobs, manifest=False)
    monkeypatch.setattr(build_run, "RENDER_SLICE", 1000)
    whole, said_whole = _build(whole_root, jobs=jobs, manifest=False)
    assert sliced.rendered == whole.rendered == 12
    assert _outputs(project) == _outputs(whole_root)
    assert said_sliced == said_whole
    assert [path.name for path in sliced.written] == [path.name for path in whole.written]
    assert sliced.orphaned == whole.orphaned


def test_a_build_checks_clean_transcripts_without_the_prose_rules(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The prose rules only warn, and a build shows a transcript's problems only when it refuses
    it: a transcript without errors is checked without them (a tenth of a first build)."""
    asked: list[bool] = []
    from toolkit.validate import check_transcript_text as checked

    def counting(text: str, source: str, *, prose: bool = True) -> tuple[object, ...]:
        asked.append(prose)
        return checked(text, source, prose=prose)

    monkeypatch.setattr(build_run, "check_transcript_text", counting)
    result, _ = _build(project, manifest=False)
    assert result.rendered == 2 and not result.failures
    assert asked == [False]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_refused_transcript_still_reports_its_prose_warnings(project: Path, jobs: int) -> None:
    """A transcript with an error is refused with every problem, its prose warnings included,
    whether the error is its own or another transcript's episode (TRN014)."""
    for number in range(2, 6):
        _copy_episode(project, number)
    bad = project / "transcripts" / "episode-2.txt"
    # A doubled word (TRN030, a prose warning) and a speaker outside the cast (TRN001, an error).
    _edit(bad, "\n---\n", "\n---\nZed: the the end.\n", 1)
    twin = project / "transcripts" / "episode-3.txt"
    text = twin.read_text(encoding="utf-8").replace("episode: episode-3", "episode: episode-4")
    twin.write_text(text.replace("\n---\n", "\n---\nJoy: the the start.\n", 1), encoding="utf-8")
    result, said = _build(project, jobs=jobs, manifest=False)
    report = "\n".join(said)
    assert "episode-2.txt" in report and "TRN001" in report
    assert "TRN014" in report and "episode-3.txt" in report
    doubled = [line for line in report.splitlines() if "TRN030" in line]
    assert any("episode-2.txt" in line for line in doubled)
    assert any("episode-3.txt" in line for line in doubled)
    assert len(result.failures) == 3  # episode-2, and both transcripts of episode-4


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_transcript_refused_by_its_worker_is_not_rendered_nor_recorded(
    tmp_path: Path, project: Path, jobs: int
) -> None:
    """A worker checks each new transcript before rendering it: one with an error of its own
    (a speaker outside the cast) or a header the plan cannot read (a language that is no tag)
    is refused as a serial build refuses it, counts no render and stays out of the manifest."""
    for number in range(2, 7):
        _copy_episode(project, number)
    bad = project / "transcripts" / "episode-2.txt"
    _edit(bad, "\n---\n", "\n---\nZed: Hello.\n", 1)
    odd = project / "transcripts" / "episode-3.txt"
    _edit(odd, "language: en", "language: english")
    serial_root = tmp_path / "serial"
    shutil.copytree(project, serial_root)
    result, said = _build(project, jobs=jobs)
    serial, said_serial = _build(serial_root, jobs=1)
    assert result.rendered == serial.rendered == 8  # 4 clean episodes, 2 languages each
    assert sorted(result.failures) == sorted(serial.failures) and len(result.failures) == 2
    assert said == said_serial and "TRN001" in "\n".join(said) and "TRN007" in "\n".join(said)
    assert _outputs(project) == _outputs(serial_root)
    recorded = parse_manifest(manifest_path(find_project(project)).read_bytes(), code_fingerprint())
    assert sorted(recorded.transcripts) == [f"transcripts/{name}.txt"
                                            for name in ("episode-4", "episode-5", "episode-6", SAMPLE)]
    again, said_again = _build(project, jobs=jobs)
    assert again.rendered == 0 and sorted(again.failures) == sorted(result.failures) and said_again == said


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_refused_transcript_s_video_is_never_read(
    project: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """A new transcript with a video to snap to is checked before its shot changes are looked
    for (workers check the others): a refused one's video is never probed, the others' are."""
    from toolkit.errors import ToolkitError
    from toolkit.video import ffmpeg

    for number in range(2, 7):
        _copy_episode(project, number)
    bad = project / "transcripts" / "episode-2.txt"
    _edit(bad, "\n---\n", "\n---\nZed: Hello.\n", 1)
    (project / "videos").mkdir()
    for path in sorted((project / "transcripts").glob("*.txt")):
        (project / "videos" / f"{path.stem}.mp4").write_bytes(b"not a video")
    (project / "pyproject.toml").write_text('[tool.redbox]\nshots = "videos"\n', encoding="utf-8")
    probed: list[str] = []

    def probe(video: Path, shown: str = "") -> object:
        probed.append(video.name)
        raise ToolkitError("has no video stream, so no shot changes", shown)

    monkeypatch.setattr(ffmpeg, "probe", probe)
    result, said = _build(project, jobs=jobs, manifest=False)
    assert "episode-2.mp4" not in probed and "episode-3.mp4" in probed
    refused = [failure for failure in result.failures if "error(s) in the transcript" in failure]
    assert len(refused) == 1 and "episode-2.txt" in refused[0]
    assert "TRN001" in "\n".join(said)
