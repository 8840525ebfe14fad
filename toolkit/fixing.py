"""``redbox fix`` over a project: which files, refused when ``check`` rejects them, written atomically.

:mod:`toolkit.fixer` mends one transcript's text (pure); this module finds the files, reads
them, applies the same validity rules as every other command (a transcript with errors is
not touched, and its errors are reported as ``redbox check`` reports them), and writes the
mended text back with its own line ends. The CLI prints what :func:`fix_files` returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import files
from toolkit.build import OnRead, add_project_problems, errors_summary, load_transcript
from toolkit.errors import ToolkitError
from toolkit.fixer import AppliedFix, fix_transcript_text, unified_diff
from toolkit.project import TRANSCRIPT_SUFFIX, Project
from toolkit.report import format_text


@dataclass
class FileFix:
    """What happened to one file: the fixes made (or that would be made), or why none were."""

    source: str
    fixes: tuple[AppliedFix, ...] = ()
    #: Why the file was left as it is (errors to mend first, unreadable, a repair that would change turns).
    refused: str = ""
    #: ``check``'s lines for the errors that stopped it.
    details: str = ""
    #: The unified diff of the change (only when asked for).
    diff: str = ""
    #: Said when the file is rewritten in another encoding than it was read in.
    note: str = ""


@dataclass
class FixRun:
    files: list[FileFix] = field(default_factory=list)

    @property
    def changed(self) -> list[FileFix]:
        return [one for one in self.files if one.fixes]

    @property
    def refused(self) -> list[FileFix]:
        return [one for one in self.files if one.refused]


def fix_files(project: Project, paths: Sequence[Path], *, write: bool, on_read: OnRead) -> FixRun:
    """Mend every transcript below ``paths`` (default: the project's transcripts folder).

    With ``write`` false nothing is written and each changed file carries its diff.
    """
    for path in paths:
        if files.modified_ns(path) is None:
            raise ToolkitError("no such file", str(path))
    run = FixRun()
    for path in files.find_files(paths or [project.transcripts], (TRANSCRIPT_SUFFIX,)):
        source = project.display(path)
        if not path.name.endswith(TRANSCRIPT_SUFFIX):
            run.files.append(FileFix(source, refused="not a transcript (.txt): not fixed"))
            continue
        try:
            loaded = load_transcript(path, source, on_read)
        except ToolkitError as error:
            run.files.append(FileFix(source, refused=error.message))
            continue
        add_project_problems(project, [loaded])
        if loaded.errors:
            refused = f"not fixed: {errors_summary(loaded, 'mend them first')}"
            run.files.append(FileFix(source, refused=refused, details=format_text(loaded.problems)))
            continue
        decoded = loaded.decoded
        result = fix_transcript_text(decoded.text, source)
        if result.refused:
            run.files.append(FileFix(source, refused=result.refused))
            continue
        done = FileFix(source, result.fixes)
        if result.fixes and decoded.encoding != "utf-8":
            verb = "was" if write else "would be"
            done.note = f"{verb} written as UTF-8 (read as {decoded.encoding.upper()})"
        if result.fixes and not write:
            done.diff = unified_diff(decoded.text, result.text, source)
        elif result.fixes:
            # A UTF-8 file keeps its byte order mark; other encodings become UTF-8 without one.
            bom = "\ufeff" if decoded.had_bom and decoded.encoding == "utf-8" else ""
            files.write_text_atomic(path, bom + result.text, newline=decoded.newline)
        run.files.append(done)
    return run
