"""The only module that touches the filesystem.

Reads return decoded text or raw bytes; writes are atomic (a temporary file in the
same folder, flushed, then renamed over the target) so that an interrupted run never
leaves a half-written subtitle or catalog behind.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import os
import random
import re
import stat
import string
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.decoding import DecodedText, decode_text
from toolkit.errors import OutputError, ToolkitError


@dataclass(frozen=True)
class _Read:
    """What a file was when this process read it: size, modification time, SHA-256 of its bytes."""

    size: int
    mtime_ns: int
    digest: bytes


#: Every file read in this run, by real path: a write refuses to replace one that changed since.
_READS: dict[str, _Read] = {}


def forget_reads() -> None:
    """A new run: no file counts as read, no folder as listed (the CLI calls this before each command)."""
    _READS.clear()
    _TEMPORARIES.clear()


def _fingerprint(data: bytes, mtime_ns: int) -> _Read:
    return _Read(len(data), mtime_ns, hashlib.sha256(data).digest())


def read_bytes(path: Path | str, *, remember: bool = True) -> bytes:
    """The bytes of ``path``; remembered (size, time, hash) so a later write can tell whether
    someone else saved the file in between (see :func:`write_bytes_atomic`). A command that
    writes nothing (``redbox check``) passes ``remember=False``: no hash, and no memory that
    grows with the files read."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
            if remember:
                _READS[os.path.realpath(path)] = _fingerprint(data, os.fstat(stream.fileno()).st_mtime_ns)
        return data
    except FileNotFoundError:
        raise ToolkitError("no such file", str(path)) from None
    except IsADirectoryError:
        raise ToolkitError("is a folder, not a file", str(path)) from None
    except OSError as error:
        raise ToolkitError(f"cannot read: {error.strerror}", str(path)) from None


def read_text(path: Path) -> DecodedText:
    """Read and decode a text file (see :func:`toolkit.decoding.decode_text`)."""
    return decode_text(read_bytes(path), str(path))


#: The temporary files :func:`write_bytes_atomic` makes: ``.<name>.<8 random chars>.tmp``.
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp(?:\.[A-Za-z0-9]+)?$")


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def write_target(path: Path) -> Path:
    """The regular file a write to ``path`` replaces: ``path`` itself, or the file its symlinks lead to.

    A symlinked output is updated through the link (its target changes, the link stays). Raises
    :class:`~toolkit.errors.OutputError` when ``path`` is a device, a FIFO, a socket or a folder:
    replacing one of those would break the system (``-o /dev/null`` as root) or lose data.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror}", str(path)) from None
    kind = _kind_of(mode)
    if kind is not None:
        raise OutputError(f"is {kind}, not a regular file; redbox writes only regular files", str(path))
    return target


#: Per folder written in this run: its modification time when this process last listed it
#: or changed it, and the stale temporaries it held then, by the name of the file they were
#: for. A build writes thousands of files into one folder: listing it for every write made
#: the writes quadratic (2,000 outputs: 2 million names matched, 2 CPU-s).
_TEMPORARIES: dict[str, tuple[int, dict[str, list[str]]]] = {}


def _folder_time(folder: str) -> int | None:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


def remove_stale_temporaries(target: Path) -> None:
    """Remove ``.name.XXXXXXXX.tmp`` files a killed run left beside ``target``.

    The folder is listed again only when it changed since this process last listed or wrote
    into it: a temporary another process leaves there during the run in the same clock tick
    as one of this run's writes is removed by a later run instead (it is garbage, never read).
    """
    folder = str(target.parent)
    changed = _folder_time(folder)
    if changed is None:
        return
    known = _TEMPORARIES.get(folder)
    if known is None or known[0] != changed:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        stale: dict[str, list[str]] = {}
        for entry in entries:
            found = _TEMPORARY.match(entry.name)
            if found and entry.is_file(follow_symlinks=False):
                stale.setdefault(found.group("name"), []).append(entry.path)
        known = _TEMPORARIES[folder] = (changed, stale)
    for path in known[1].pop(target.name, []):
        with contextlib.suppress(OSError):
            os.unlink(path)
    _wrote_into(folder)


def _wrote_into(folder: str) -> None:
    """This process changed ``folder`` (removed or renamed a file): what it listed still holds."""
    known = _TEMPORARIES.get(folder)
    changed = _folder_time(folder)
    if known is not None and changed is not None:
        _TEMPORARIES[folder] = (changed, known[1])


#: Temporary names of this process: a random stem (drawn again when a name is taken, which is
#: what a forked worker that inherited it meets first) and a counter, 8 characters in all.
_TEMPORARY_STEM = ["".join(random.choices(string.ascii_lowercase + string.digits, k=4))]
_TEMPORARY_COUNT = itertools.count()


def _open_temporary(folder: Path, name: str) -> tuple[int, str]:
    """Create ``.<name>.<8 characters>.tmp`` in ``folder``, new (``O_EXCL``), mode 0600.

    What :func:`tempfile.mkstemp` does, without its per-call random name and path work (a fifth
    of writing a small file): the name only has to be unused, which ``O_EXCL`` guarantees.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)  # (as mkstemp opens it)
    for _ in range(100):
        count = next(_TEMPORARY_COUNT) % 36**4
        suffix = _TEMPORARY_STEM[0] + _base36(count).rjust(4, "0")
        temporary = os.path.join(folder, f".{name}.{suffix}.tmp")
        try:
            return os.open(temporary, flags, 0o600), temporary
        except FileExistsError:
            _TEMPORARY_STEM[0] = "".join(random.choices(string.ascii_lowercase + string.digits, k=4))
    raise FileExistsError(errno.EEXIST, "no unused temporary file name")


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = (string.digits + string.ascii_lowercase)[digit] + digits
        if not number:
            return digits


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` all at once, creating parent folders as needed.

    The bytes go to a temporary file beside the target, which is flushed and renamed over it,
    so a reader never sees half a file. ``durable`` (the default) also forces the bytes to the
    disk before the rename (``fsync``), so a power cut leaves the old file or the new one; a
    build's subtitles pass ``durable=False``: they are regenerable, and the build manifest
    compares each output's bytes with their recorded hash, so a file a power cut left short is
    rebuilt by the next build (``fsync`` was 90 % of the wall time of writing 2,000 outputs).
    The temporary file is removed when anything goes wrong,
    including Ctrl-C and (with the CLI's signal handler) SIGTERM; one left by a killed process
    (SIGKILL, power loss) is removed by the next write to the same file (see
    :func:`remove_stale_temporaries`).
    """
    target = write_target(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        handle, temporary = _open_temporary(target.parent, target.name)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                if durable:
                    os.fsync(stream.fileno())
            if target.exists():
                os.chmod(temporary, target.stat().st_mode & 0o777)
            else:
                os.chmod(temporary, 0o644)
            key = os.path.realpath(target)
            _refuse_if_changed(path, key)
            os.replace(temporary, target)
            _wrote_into(str(target.parent))
            # What is there now is this run's own output: it may write it again unchecked
            # (hashing it only for that would cost as much as the check itself).
            _READS.pop(key, None)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror}", str(path)) from None


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (same suffix) for a program to write, renamed over
    ``path`` when the block succeeds and removed when it fails: ffmpeg's outputs appear whole.
    """
    target = write_target(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp" + target.suffix,
                                             dir=target.parent)  # fmt: skip
        os.close(handle)
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror}", str(path)) from None
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror}", str(path)) from None
    finally:
        Path(temporary).unlink(missing_ok=True)


@contextlib.contextmanager
def temporary_folder(prefix: str = "redbox-") -> Iterator[Path]:
    """A private folder for files handed to another program (subtitles for ffmpeg), removed after."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)


class ChangedSinceRead(OutputError):
    """A file redbox read was saved by someone else before redbox could replace it."""


def _refuse_if_changed(path: Path, key: str) -> None:
    """:class:`ChangedSinceRead` when the file at ``key`` is not what this run read there.

    Checked just before the rename that replaces it, so the window in which another
    program's save can still be lost is that of one ``stat`` and one read, not the whole run.
    """
    seen = _READS.get(key)
    if seen is None:
        return
    try:
        with open(key, "rb") as stream:
            mtime_ns = os.fstat(stream.fileno()).st_mtime_ns
            now = _fingerprint(stream.read(), mtime_ns)
    except FileNotFoundError:
        differs = "it was deleted"
    else:
        if now.digest == seen.digest:
            return
        changes = [
            what
            for what, changed in (
                ("size", now.size != seen.size),
                ("modification time", now.mtime_ns != seen.mtime_ns),
                ("content", True),
            )
            if changed
        ]
        listed = ", ".join(changes[:-1]) + " and " + changes[-1] if len(changes) > 1 else changes[0]
        differs = f"its {listed} changed"
    raise ChangedSinceRead(
        f"changed on disk since redbox read it ({differs}): not replaced, so that save is kept; "
        "run the command again",
        str(path),
    )


def remove(path: Path) -> None:
    """Delete a file redbox wrote (a catalog moved to a renamed episode's name)."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as error:
        raise OutputError(f"cannot remove: {error.strerror}", str(path)) from None


def same_file(left: Path, right: Path) -> bool:
    """Whether two paths name one file (through links, ``..`` and case-folding file systems)."""
    try:
        return os.path.samefile(left, right)
    except OSError:
        return os.path.realpath(left) == os.path.realpath(right)


def refuse_overwriting_inputs(output: Path, inputs: Iterable[Path]) -> None:
    """:class:`~toolkit.errors.OutputError` when ``output`` is one of the command's ``inputs``."""
    for given in inputs:
        if same_file(output, given):
            raise OutputError(f"is also an input of this command ({given}); choose another output file",
                              str(output))


def write_text_atomic(path: Path, text: str, *, newline: str = "\n") -> None:
    """Write ``text`` as UTF-8 without BOM, with ``newline`` line ends."""
    if newline != "\n":
        text = text.replace("\n", newline)
    write_bytes_atomic(path, text.encode("utf-8"))


def find_files(paths: Iterable[Path], suffixes: Iterable[str]) -> Iterator[Path]:
    """Every file with one of ``suffixes`` below ``paths`` (files named directly always count).

    Hidden folders (``.git``, ``.venv``) are skipped; the order is sorted and stable (by
    path, part by part). The files are found one folder at a time, its names kept as
    strings, and handed out one by one: an archive's thousands of files are never all held.
    """
    for found in find_file_names(paths, suffixes):
        yield Path(found)


def find_file_names(paths: Iterable[Path], suffixes: Iterable[str]) -> Iterator[str]:
    """:func:`find_files` as strings (``str`` of each path), with no ``Path`` made for the files
    found in folders: a ``Path`` costs parsing, and adds its parts to the interpreter's table
    of interned names for good (``redbox check`` of thousands of files)."""
    wanted = tuple(suffixes)
    for path in paths:
        if path.is_dir():
            yield from _walk(str(path), wanted, set())
        else:
            yield str(path)


def _walk(folder: str, wanted: tuple[str, ...], seen: set[str]) -> Iterator[str]:
    """The files below ``folder`` whose names end with ``wanted``, in the order of their
    paths sorted part by part (a folder's files and subfolders by name, each subfolder's
    files at its name's place), following symlinked folders (``locales/ko -> ../team/ko``)
    but never into one twice (a link loop)."""
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    names: list[str] = []
    folders: set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if _is_folder(entry):
                    folders.add(name)
                    names.append(name)
                elif name.endswith(wanted) and _is_file(entry):
                    names.append(name)
    except OSError:  # (an unreadable folder is skipped, as os.walk skips it)
        return
    names.sort()
    for name in names:
        path = os.path.join(folder, name)
        if name in folders:
            yield from _walk(path, wanted, seen)
        else:
            yield path


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # (a symlink to a folder counts: followed)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def modified_ns(path: Path) -> int | None:
    """The modification time of ``path`` in nanoseconds, or ``None`` when it does not exist."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def content_sha256(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of ``path``'s bytes, read a block at a time (an hour of
    audio is never held twice); :class:`ToolkitError` when it cannot be read."""
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as stream:
            while block := stream.read(1 << 20):
                digest.update(block)
                size += len(block)
    except FileNotFoundError:
        raise ToolkitError("no such file", str(path)) from None
    except OSError as error:
        raise ToolkitError(f"cannot read: {error.strerror}", str(path)) from None
    return digest.hexdigest(), size


def size_and_time(path: Path) -> tuple[int, int] | None:
    """``(size in bytes, modification time in ns)`` of ``path``: what says a video changed."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def is_folder(path: Path) -> bool:
    return path.is_dir()


_REDBOX_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*redbox\s*[\].]", re.MULTILINE)


def has_redbox_table(pyproject: Path) -> bool:
    """Whether ``pyproject`` is a readable file with a ``[tool.redbox]`` table."""
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _REDBOX_TABLE.search(text) is not None


def find_project_root(start: Path, transcripts: str = "transcripts") -> Path | None:
    """The nearest folder at or above ``start`` that is a redbox project, as git and ruff find theirs.

    A project folder holds a ``pyproject.toml`` with a ``[tool.redbox]`` table, or a
    ``transcripts/`` folder. ``None`` when no folder up to the file system's root is one.
    """
    here = start.resolve()
    for folder in (here, *here.parents):
        if has_redbox_table(folder / "pyproject.toml") or (folder / transcripts).is_dir():
            return folder
    return None
