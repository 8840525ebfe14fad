"""The cheaper atomic write: its temporary names, a taken name, and build outputs written without fsync."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit import files


def test_a_temporary_is_named_so_a_later_run_finds_and_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(source: str, target: object) -> None:
        seen.append(os.path.basename(source))
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", spy)
    for _ in range(3):
        files.write_bytes_atomic(tmp_path / "episode.srt", b"x")
    assert len(set(seen)) == 3
    assert all(files._TEMPORARY.match(name) and name.startswith(".episode.srt.") for name in seen)


def test_a_taken_temporary_name_is_skipped_and_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A forked worker inherits its parent's stem and counter: its first names may be taken.
    monkeypatch.setattr(files, "_TEMPORARY_STEM", ["abcd"])
    monkeypatch.setattr(files, "_TEMPORARY_COUNT", iter([0, 0, 1]))
    taken = tmp_path / ".episode.srt.abcd0000.tmp"
    taken.write_bytes(b"another process's")
    handle, temporary = files._open_temporary(tmp_path, "episode.srt")
    os.close(handle)
    assert taken.read_bytes() == b"another process's"
    assert os.path.basename(temporary) != taken.name and files._TEMPORARY.match(os.path.basename(temporary))


def test_a_build_output_is_written_whole_without_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    target = tmp_path / "sub" / "episode.srt"
    files.write_bytes_atomic(target, b"regenerable", durable=False)
    assert target.read_bytes() == b"regenerable" and synced == []
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    files.write_bytes_atomic(target, b"catalog", durable=True)
    assert target.read_bytes() == b"catalog" and len(synced) == 1
    assert [path.name for path in target.parent.iterdir()] == ["episode.srt"]
