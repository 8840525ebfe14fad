"""No write escapes the project, replaces what is not a regular file, or leaves temporaries behind."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SAMPLE_EPISODE, SAMPLE_TRANSCRIPT
from toolkit import files
from toolkit.cli import EXIT_SIGINT, EXIT_SIGTERM, cli
from toolkit.errors import OutputError

TRANSCRIPT = Path("transcripts") / f"{SAMPLE_EPISODE}.txt"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# ------------------------------------------------------------- episode slugs as paths

ESCAPING = ["../../escape", "/tmp/redbox-escape"]
WRITING_COMMANDS = [
    ["build"],
    ["catalog", "extract"],
    ["catalog", "update"],
    ["catalog", "init", "en"],
    ["catalog", "init", "ko", "--force", str(TRANSCRIPT)],
    ["subtitles", str(TRANSCRIPT), "-o", "out.srt"],
    ["subtitles", str(TRANSCRIPT), "--lang", "ko", "-o", "out.ko.srt"],
    ["fix"],
]


@pytest.mark.parametrize("episode", ESCAPING)
@pytest.mark.parametrize("args", WRITING_COMMANDS, ids=" ".join)
def test_an_episode_that_names_a_path_stops_every_writing_command(
    runner: CliRunner, project: Path, episode: str, args: list[str]
) -> None:
    text = TRANSCRIPT.read_text(encoding="utf-8")
    TRANSCRIPT.write_text(text.replace(f"episode: {SAMPLE_EPISODE}", f"episode: {episode}"), encoding="utf-8")
    line = next(number for number, found in enumerate(text.splitlines(), 1) if found.startswith("episode:"))
    before = _snapshot(project)
    outside = project.parent / "escape.pot"
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert f"{TRANSCRIPT}:{line}:1: error TRN006 episode {episode!r} is not a slug" in result.stderr
    assert "Traceback" not in result.output
    assert _snapshot(project) == before
    assert not outside.exists() and not Path("/tmp/redbox-escape.pot").exists()


def test_align_refuses_the_same_transcript(runner: CliRunner, project: Path) -> None:
    text = TRANSCRIPT.read_text(encoding="utf-8")
    text = text.replace(f"episode: {SAMPLE_EPISODE}", "episode: ../../escape")
    TRANSCRIPT.write_text(text, encoding="utf-8")
    (project / "episode.wav").write_bytes(b"")
    result = runner.invoke(cli, ["align", str(TRANSCRIPT), "episode.wav"])
    assert result.exit_code == 1
    assert "error TRN006" in result.stderr
    assert not (project / "transcripts" / f"{SAMPLE_EPISODE}.timings.tsv").exists()


# ------------------------------------------------------------------- what -o may name


def test_output_onto_a_fifo_is_refused_and_the_fifo_stays(runner: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = runner.invoke(cli, ["subtitles", str(SAMPLE_TRANSCRIPT), "-o", str(fifo)])
    assert result.exit_code == 1
    assert f"{fifo}: is a FIFO (named pipe), not a regular file" in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_output_onto_a_device_is_refused_and_the_device_stays(runner: CliRunner, tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:  # a private copy of /dev/null, so a failure of this test cannot break the machine
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as error:
        if os.environ.get("CI") == "true" and os.geteuid() == 0:
            raise
        pytest.skip(f"cannot make a device node here: {error}")
    result = runner.invoke(cli, ["subtitles", str(SAMPLE_TRANSCRIPT), "-o", str(device)])
    assert result.exit_code == 1
    assert f"{device}: is a device, not a regular file" in result.stderr
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_output_onto_a_folder_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["subtitles", str(SAMPLE_TRANSCRIPT), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "is a folder, not a regular file" in result.stderr
    assert tmp_path.is_dir()


def test_a_symlinked_output_updates_its_target_and_stays_a_link(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "real" / "episode.srt"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.srt"
    link.symlink_to(Path("real") / "episode.srt")
    result = runner.invoke(cli, ["subtitles", str(SAMPLE_TRANSCRIPT), "-o", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("1\n00:00:00,000 --> ")
    assert sorted(path.name for path in target.parent.iterdir()) == ["episode.srt"]


def test_a_symlinked_catalog_is_updated_through_the_link(runner: CliRunner, project: Path) -> None:
    po = project / "locales" / "ko" / "LC_MESSAGES" / f"{SAMPLE_EPISODE}.po"
    shared = project.parent / "shared-translations.po"
    shared.write_bytes(po.read_bytes())
    po.unlink()
    po.symlink_to(shared)
    text = TRANSCRIPT.read_text(encoding="utf-8")
    text = text.replace("A lot of people think like that.", "Many think so.")
    TRANSCRIPT.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["catalog", "update"])
    assert result.exit_code == 0, result.stderr
    assert po.is_symlink()
    assert 'msgid "Many think so."' in shared.read_text(encoding="utf-8")


@pytest.mark.parametrize("spelling", ["same", "relative", "link"])
def test_output_naming_the_input_transcript_is_refused(
    runner: CliRunner, project: Path, spelling: str
) -> None:
    before = TRANSCRIPT.read_bytes()
    spellings = {"same": str(TRANSCRIPT), "relative": f"transcripts/../{TRANSCRIPT}", "link": "alias.txt"}
    output = spellings[spelling]
    if spelling == "link":
        Path("alias.txt").symlink_to(TRANSCRIPT)
    result = runner.invoke(cli, ["subtitles", str(TRANSCRIPT), "-o", output])
    assert result.exit_code == 1
    assert "is also an input of this command" in result.stderr
    assert TRANSCRIPT.read_bytes() == before


def test_align_output_naming_an_input_is_refused(runner: CliRunner, project: Path) -> None:
    before = TRANSCRIPT.read_bytes()
    (project / "episode.wav").write_bytes(b"RIFF")
    result = runner.invoke(cli, ["align", str(TRANSCRIPT), "episode.wav", "-o", str(TRANSCRIPT)])
    assert result.exit_code == 1
    assert "is also an input of this command" in result.stderr
    assert TRANSCRIPT.read_bytes() == before


# ------------------------------------------------------------------------ temporaries


def test_a_stale_temporary_is_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "episode.po"
    stale = tmp_path / ".episode.po.k3j_9xa2.tmp"
    stale.write_bytes(b"x" * 1000)
    other = tmp_path / ".other.po.k3j_9xa2.tmp"  # another file's: not ours to remove
    other.write_bytes(b"y")
    files.write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert not stale.exists() and other.exists()


def test_an_interrupted_write_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "episode.srt"
    target.write_bytes(b"old")

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["episode.srt"]


def test_write_target_says_what_the_path_is(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder"):
        files.write_target(tmp_path)
    assert files.write_target(tmp_path / "new.srt") == tmp_path / "new.srt"


_SLOW_WRITER = textwrap.dedent(
    """
    import os, signal, sys, time
    sys.path.insert(0, {root!r})
    # Ctrl-C as an interactive shell delivers it: a job started in the background (as CI
    # runners may start the suite) inherits SIGINT ignored, and Python keeps it ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    real_fsync = os.fsync
    def slow_fsync(descriptor):
        print("writing", flush=True)
        time.sleep(30)
        real_fsync(descriptor)
    os.fsync = slow_fsync
    from toolkit.cli import main
    sys.argv = ["redbox", "subtitles", {transcript!r}, "-o", {output!r}]
    main()
    """
)


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, EXIT_SIGTERM), (signal.SIGINT, EXIT_SIGINT)])
def test_a_signal_mid_write_removes_the_temporary_and_exits_128_plus_n(
    tmp_path: Path, signum: int, status: int
) -> None:
    output = tmp_path / "episode.srt"
    script = _SLOW_WRITER.format(root=str(ROOT), transcript=str(SAMPLE_TRANSCRIPT), output=str(output))
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "writing"
    assert any(path.name.endswith(".tmp") for path in tmp_path.iterdir())
    process.send_signal(signum)
    deadline = time.monotonic() + 20
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    _, stderr = process.communicate(timeout=5)
    assert process.returncode == status, stderr
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_listed_once_for_many_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A build writes thousands of outputs into one folder: listing it for every write made
    # the writes quadratic. It is listed again only when someone else changed it.
    listed: list[str] = []
    real_scandir = os.scandir

    def counting_scandir(path: str) -> object:
        listed.append(str(path))
        return real_scandir(path)

    files.forget_reads()
    monkeypatch.setattr(os, "scandir", counting_scandir)
    for number in range(30):
        files.write_bytes_atomic(tmp_path / f"episode-{number}.srt", b"cue")
    assert listed == [str(tmp_path)]
    # Another process leaves a temporary there (the folder changes): the next write lists it
    # again and removes the temporary of the file it writes.
    stale = tmp_path / ".episode-3.srt.k3j_9xa2.tmp"
    stale.write_bytes(b"x")
    later = os.stat(tmp_path).st_mtime_ns + 10**9
    os.utime(tmp_path, ns=(later, later))
    files.write_bytes_atomic(tmp_path / "episode-3.srt", b"new")
    assert not stale.exists() and len(listed) == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(f"episode-{n}.srt" for n in range(30))
