"""What every command shares: the project, reading a text file, and saying what encoding was assumed."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit import files
from toolkit.decoding import DecodedText
from toolkit.errors import ToolkitError
from toolkit.naming import canonical_language
from toolkit.project import Project, find_project


def project() -> Project:
    """The project the working directory is in, found once per command run."""
    context = click.get_current_context()
    root = context.find_root()
    if not isinstance(root.obj, Project):
        root.obj = find_project()
    return root.obj


def note_encoding(decoded: DecodedText, source: str) -> None:
    """Tell the user when a legacy encoding was guessed, so a wrong guess does not go unnoticed."""
    if decoded.legacy:
        click.echo(
            f"{source}: note: read as {decoded.encoding.upper()} ({decoded.description}); "
            "redbox writes UTF-8",
            err=True,
        )


def read_text(path: Path) -> DecodedText:
    """Read and decode ``path`` (errors propagate as ``ToolkitError``), noting a legacy encoding."""
    decoded = files.read_text(path)
    note_encoding(decoded, project().display(path))
    return decoded


def write_output(output: Path, data: bytes, inputs: tuple[Path, ...] = ()) -> str:
    """Write a file the user named with ``-o``; refuses to overwrite one of the command's ``inputs``.

    Returns how to show the file to the user.
    """
    files.refuse_overwriting_inputs(output, inputs)
    files.write_bytes_atomic(output, data)
    return project().display(output)


def language_option(value: str, option: str) -> str:
    """A ``--lang`` value in canonical form; a tag Babel does not know is a usage error (exit 2)."""
    try:
        return canonical_language(value)
    except ToolkitError as error:
        raise click.BadParameter(error.message, param_hint=option) from None
