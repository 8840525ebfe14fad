"""The only module that touches the filesystem.

Reads return decoded text or raw bytes; writes are atomic (a temporary file in the
same folder, flushed, then renamed over the target) so that an interrupted run never
leaves a half-written subtitle or catalog behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from toolkit.decoding import DecodedText, decode_text
from toolkit.errors import ToolkitError


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ToolkitError("no such file", str(path)) from None
    except IsADirectoryError:
        raise ToolkitError("is a folder, not a file", str(path)) from None
    except OSError as error:
        raise ToolkitError(f"cannot read: {error.strerror}", str(path)) from None


def read_text(path: Path) -> DecodedText:
    """Read and decode a text file (see :func:`toolkit.decoding.decode_text`)."""
    return decode_text(read_bytes(path), str(path))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once, creating parent folders as needed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            if path.exists():
                os.chmod(temporary, path.stat().st_mode & 0o777)
            else:
                os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise ToolkitError(f"cannot write: {error.strerror}", str(path)) from None


def write_text_atomic(path: Path, text: str, *, newline: str = "\n") -> None:
    """Write ``text`` as UTF-8 without BOM, with ``newline`` line ends."""
    if newline != "\n":
        text = text.replace("\n", newline)
    write_bytes_atomic(path, text.encode("utf-8"))


def find_files(paths: Iterable[Path], suffixes: Iterable[str]) -> Iterator[Path]:
    """Every file with one of ``suffixes`` below ``paths`` (files named directly always count).

    Hidden folders (``.git``, ``.venv``) are skipped; the order is sorted and stable.
    """
    wanted = tuple(suffixes)
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path).parts
                if any(part.startswith(".") for part in relative):
                    continue
                if found.is_file() and found.name.endswith(wanted):
                    yield found
        else:
            yield path


def modified_ns(path: Path) -> int | None:
    """The modification time of ``path`` in nanoseconds, or ``None`` when it does not exist."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
