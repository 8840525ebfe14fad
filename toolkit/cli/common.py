"""What every command shares: reading a text file and saying what encoding was assumed."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit import files
from toolkit.decoding import DecodedText


def note_encoding(decoded: DecodedText, source: str) -> None:
    """Tell the user when a legacy encoding was guessed, so a wrong guess does not go unnoticed."""
    if decoded.legacy:
        click.echo(
            f"{source}: note: read as {decoded.encoding.upper()} (legacy Korean encoding); "
            "redbox writes UTF-8",
            err=True,
        )


def read_text(path: Path) -> DecodedText:
    """Read and decode ``path`` (errors propagate as ``ToolkitError``), noting a legacy encoding."""
    decoded = files.read_text(path)
    note_encoding(decoded, str(path))
    return decoded
