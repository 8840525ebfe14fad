"""Rendering problems for people (text), programs (JSON) and GitHub Actions annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from toolkit.model import Problem

FORMATS = ("text", "json", "github")


def format_text(problems: Sequence[Problem]) -> str:
    """One ``file:line:col: severity CODE message`` line per problem.

    >>> print(format_text([Problem("a.txt", 3, 1, "error", "TRN001", "speaker 'Jo' is not in the cast")]))
    a.txt:3:1: error TRN001 speaker 'Jo' is not in the cast
    """
    return "\n".join(
        f"{p.source}:{p.line}:{p.column}: {p.severity} {p.code} {p.message}" for p in problems
    )


def format_json(problems: Sequence[Problem], files_checked: int) -> str:
    """One JSON document: the problems, and a summary of counts."""
    document = {
        "files_checked": files_checked,
        "errors": sum(1 for p in problems if p.severity == "error"),
        "warnings": sum(1 for p in problems if p.severity == "warning"),
        "problems": [
            {
                "file": p.source,
                "line": p.line,
                "column": p.column,
                "severity": p.severity,
                "code": p.code,
                "message": p.message,
            }
            for p in problems
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``).

    >>> print(format_github([Problem("a.txt", 3, 2, "warning", "TRN002", "cast member 'Joy' never speaks")]))
    ::warning file=a.txt,line=3,col=2,title=TRN002::cast member 'Joy' never speaks
    """
    out = []
    for p in problems:
        properties = f"file={_escape_property(p.source)}"
        if p.line:  # line 0 means the whole file: GitHub then annotates the file itself
            properties += f",line={p.line},col={max(p.column, 1)}"
        out.append(f"::{p.severity} {properties},title={p.code}::{_escape_data(p.message)}")
    return "\n".join(out)
