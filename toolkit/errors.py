"""The exceptions the core raises. Each carries the source and line it is about."""

from __future__ import annotations


class ToolkitError(Exception):
    """Base of every error redbox reports to a user (never shown as a traceback)."""

    def __init__(self, message: str, source: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

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
