"""The exceptions the core raises. Each carries the source and line it is about."""

from __future__ import annotations


class ToolkitError(Exception):
    """Base of every error redbox reports to a user (never shown as a traceback)."""

    def __init__(self, message: str, source: str = "", line: int = 0, *, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        #: Shown before the message: the problems behind it, one ``file:line:col`` line each.
        self.details = details

    def __str__(self) -> str:
        where = self.source
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class DecodeError(ToolkitError):
    """The bytes of a file are not text in any encoding redbox reads."""


class TranscriptError(ToolkitError):
    """A transcript cannot be parsed at all (problems inside it are reported, not raised)."""


class TimecodeError(ToolkitError, ValueError):
    """A timestamp is malformed."""


class SubtitleError(ToolkitError):
    """Cues cannot be written as valid SRT or WebVTT."""


class CatalogError(ToolkitError):
    """A gettext catalog cannot be read or written."""


class NamingError(ToolkitError, ValueError):
    """An episode slug or language tag that cannot name a file."""


class OutputError(ToolkitError):
    """redbox refuses to write where it was asked to (not a regular file, an input, outside the project)."""


class RefusedTranscript(ToolkitError):
    """A command will not use a transcript that ``redbox check`` finds errors in (``details`` lists them)."""
