"""Placeholder: the align commands are added by their own issue."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
