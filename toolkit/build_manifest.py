"""The build manifest: what made each output, so an unchanged output is known without rendering it.

An output is up to date when the inputs that made it are unchanged and the file still holds
the bytes they made. The manifest records, for every episode and language ``redbox build``
rendered, a fingerprint of its inputs (SHA-256 of the transcript's bytes, the catalog's, the
alignment timings', the options after ``[tool.redbox]``, the formats and file names) and the
SHA-256 of each file it produced, plus the warnings rendering reported (replayed, so a
skipped render says what a real one would). The whole manifest is tied to the code that
made it (every ``.py`` file of the installed ``toolkit`` package, Python's version and
Unicode tables, and the versions of the libraries that shape output): any change there and
every entry is ignored.

Content hashes only, never file times: a fresh clone or a touched file gives the same
verdict. The manifest is a cache: when it is missing, unreadable or out of date the build
renders and compares, which is always right, only slower.
"""

from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from toolkit import files
from toolkit.model import Problem, Transcript

#: Bump when the manifest's layout changes.
MANIFEST_FORMAT = 1
#: Libraries whose version can change the bytes of an output.
OUTPUT_LIBRARIES = ("pysrt", "babel")


def digest(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex."""
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the code that renders: every ``.py`` file of the toolkit package, the
    Python and Unicode versions, and the output libraries' versions."""
    package = Path(__file__).resolve().parent
    hasher = hashlib.sha256()
    for path in files.find_files([package], (".py",)):
        hasher.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        hasher.update(digest(files.read_bytes(path)).encode("ascii"))
    hasher.update(f"{sys.version}\0{unicodedata.unidata_version}".encode())
    for name in OUTPUT_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        hasher.update(f"\0{name}={version}".encode())
    return hasher.hexdigest()


@dataclass(frozen=True)
class TranscriptEntry:
    """A transcript that passed its own checks: its bytes' hash and the header fields the
    project-wide checks and the output names need."""

    sha: str
    episode: str
    language: str
    episode_line: int

    def header_only(self, source: str) -> Transcript:
        """The transcript's header as a :class:`Transcript` without turns (for TRN014 and orphans)."""
        header = tuple((key, value) for key, value in (("episode", self.episode), ("language", self.language))
                       if value)  # fmt: skip
        lines = {"episode": self.episode_line} if self.episode else {}
        return Transcript(source, header=header, header_lines=lines)


@dataclass(frozen=True)
class OutputEntry:
    """One episode in one language: the fingerprint of its inputs, each file's hash, the warnings."""

    inputs: str
    files: dict[str, str]
    warnings: tuple[Problem, ...] = ()


@dataclass
class Manifest:
    """Transcripts by display name; outputs by ``<transcript display name>|<language>``."""

    code: str
    transcripts: dict[str, TranscriptEntry] = field(default_factory=dict)
    outputs: dict[str, OutputEntry] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        """Stable JSON (sorted keys, one entry a line or so), so an unchanged manifest is unchanged bytes."""
        document = {
            "format": MANIFEST_FORMAT,
            "code": self.code,
            "transcripts": {source: [one.sha, one.episode, one.language, one.episode_line]
                            for source, one in sorted(self.transcripts.items())},
            "outputs": {
                key: {"inputs": one.inputs, "files": dict(sorted(one.files.items())),
                      "warnings": [[p.source, p.line, p.column, p.severity, p.code, p.message]
                                   for p in one.warnings]}
                for key, one in sorted(self.outputs.items())
            },
        }  # fmt: skip
        return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def parse_manifest(data: bytes, code: str) -> Manifest:
    """The manifest in ``data``; an empty one when it is not a manifest of this code and format."""
    empty = Manifest(code)
    try:
        document = json.loads(data.decode("utf-8"))
        if document.get("format") != MANIFEST_FORMAT or document.get("code") != code:
            return empty
        transcripts = {
            str(source): TranscriptEntry(str(sha), str(episode), str(language), int(line))
            for source, (sha, episode, language, line) in document["transcripts"].items()
        }
        outputs = {str(key): _output_entry(entry) for key, entry in document["outputs"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return empty  # a damaged cache is no cache
    return Manifest(code, transcripts, outputs)


def _output_entry(entry: dict[str, Any]) -> OutputEntry:
    warnings = tuple(
        Problem(str(source), int(line), int(column), severity, str(code), str(message))
        for source, line, column, severity, code, message in entry["warnings"]
    )
    return OutputEntry(str(entry["inputs"]), {str(name): str(sha) for name, sha in entry["files"].items()},
                       warnings)  # fmt: skip


def inputs_fingerprint(parts: list[object]) -> str:
    """One hash for the inputs of an output (hashes, option values, names), in a fixed order."""
    return digest(json.dumps(parts, ensure_ascii=False, default=repr).encode("utf-8"))
