"""``redbox fix``: the repairs of a transcript's prose that cannot change what it says.

Only findings of :mod:`toolkit.text_checks` that carry an :class:`~toolkit.text_checks.Edit`
are applied: a doubled word outside the allow-lists (TRN030), a quotation mark turned the
wrong way or paired with the other style (TRN031), runs of spaces (TRN034), a space before
punctuation (TRN035) and HTML entities for plain characters (TRN037). Everything else is left
for a person (``redbox check`` lists it).

The speakers, the number of turns, the ``[hh:mm:ss]`` anchors and every line never change:
an edit stays inside one line, a line whose edit would make or unmake a speaker label (or a
blank line, or a header fence) keeps its old text, and the fixed text is parsed again and
compared with the original. Should they differ anyway, the whole fix is refused.

Pure: text in, text and the list of applied fixes out.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.model import Transcript
from toolkit.text_checks import TEXT_RULES, Edit, Finding, text_findings
from toolkit.transcript import HEADER_FENCE, match_label, parse_transcript

#: Passes over the text: a repair can reveal another (two problems on the same characters).
MAX_PASSES = 4


@dataclass(frozen=True)
class AppliedFix:
    """One repair: where (the problem's 1-based line and column as ``redbox check`` reports it,
    in the text as it was when this repair was made; lines never move), which rule, what changed."""

    line: int
    column: int
    code: str
    message: str


@dataclass(frozen=True)
class FixResult:
    """The fixed text (same BOM and line ends as the input) and the repairs made.

    ``refused`` says why nothing was changed when the fixer would not touch the text.
    """

    text: str
    fixes: tuple[AppliedFix, ...] = ()
    refused: str = ""


def _line_shape(line: str, cast: Sequence[str]) -> tuple[object, ...]:
    """What a line means to the parser besides its words: the label it starts (speaker, anchor,
    whether text follows it, read against the ``cast`` as the parser reads it), whether it is
    blank, a header fence, or indented (a header continuation)."""
    label = match_label(line, cast)
    stripped = line.strip()
    return (
        None if label is None else (label.name, label.stamp, bool(label.text)),
        bool(stripped),
        stripped == HEADER_FENCE,
        line[:1].isspace(),
    )


def _structure(transcript: Transcript) -> tuple[object, ...]:
    """Everything a fix must keep: header keys and their lines, and each turn's speaker,
    anchor and lines."""
    turns = tuple(
        (turn.speaker, turn.anchor_ms, turn.line, turn.end_line, turn.label_column)
        for turn in transcript.turns
    )
    return tuple(name for name, _ in transcript.header), tuple(sorted(transcript.header_lines.items())), turns


def _describe(finding: Finding, old: str) -> str:
    assert finding.edit is not None
    name = TEXT_RULES[finding.problem.code][1]
    new = finding.edit.replacement
    change = f"removed {old!r}" if not new else f"{old!r} -> {new!r}"
    return f"{name}: {change}"


def _choose(findings: Sequence[Finding], skipped: set[tuple[int, int, str]]) -> list[Finding]:
    """The findings with edits that do not overlap, earliest (then widest) first."""
    candidates = [
        finding for finding in findings
        if finding.edit is not None
        and (finding.edit.line, finding.edit.start, finding.problem.code) not in skipped
    ]

    def key(finding: Finding) -> tuple[int, int, int]:
        assert finding.edit is not None
        return finding.edit.line, finding.edit.start, -(finding.edit.end - finding.edit.start)

    chosen: list[Finding] = []
    last: Edit | None = None
    for finding in sorted(candidates, key=key):
        edit = finding.edit
        assert edit is not None
        if last is not None and edit.line == last.line and edit.start < max(last.end, last.start + 1):
            continue
        chosen.append(finding)
        last = edit
    return chosen


def _apply_pass(
    lines: list[str], findings: list[Finding], skipped: set[tuple[int, int, str]], cast: Sequence[str]
) -> list[AppliedFix]:
    """Apply ``findings`` (non-overlapping) to ``lines`` in place, line by line."""
    by_line: dict[int, list[Finding]] = {}
    for finding in findings:
        assert finding.edit is not None
        by_line.setdefault(finding.edit.line, []).append(finding)
    applied: list[AppliedFix] = []
    for number, on_line in sorted(by_line.items()):
        old = lines[number - 1]
        new = old
        described = []
        for finding in sorted(on_line, key=lambda f: f.edit.start if f.edit else 0, reverse=True):
            edit = finding.edit
            assert edit is not None
            problem = finding.problem  # (placed as `redbox check` places it)
            described.append(AppliedFix(problem.line, problem.column, problem.code,
                                        _describe(finding, old[edit.start : edit.end])))
            new = new[: edit.start] + edit.replacement + new[edit.end :]
        if _line_shape(new, cast) != _line_shape(old, cast):
            # e.g. "The the end: yes" would become a label "The end:": leave the line to a person.
            skipped.update((number, f.edit.start, f.problem.code) for f in on_line if f.edit)
            continue
        lines[number - 1] = new
        applied.extend(reversed(described))
    return applied


def fix_transcript_text(text: str, source: str = "<string>") -> FixResult:
    """Apply every safe repair to a transcript's text; see the module docstring.

    >>> result = fix_transcript_text("Joy: the the cat ,  \\"hi”.\\n")
    >>> result.text
    'Joy: the cat, “hi”.\\n'
    >>> [(fix.column, fix.code) for fix in result.fixes]
    [(10, 'TRN030'), (17, 'TRN035'), (19, 'TRN034'), (21, 'TRN031')]
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    newline = "\r\n" if "\r\n" in body else "\r" if "\r" in body else "\n"
    if newline != "\n":
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    original, problems = parse_transcript(body, source)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        first = errors[0]
        refused = (
            f"not fixed: the transcript has {len(errors)} error(s), the first on line {first.line} "
            f"({first.code} {first.message}); run 'redbox check' and mend them first"
        )
        return FixResult(text, refused=refused)
    lines = body.split("\n")
    transcript = original
    applied: list[AppliedFix] = []
    skipped: set[tuple[int, int, str]] = set()
    for _ in range(MAX_PASSES):
        chosen = _choose(text_findings(transcript, "\n".join(lines)), skipped)
        if not chosen:
            break
        made = _apply_pass(lines, chosen, skipped, original.speakers)
        applied.extend(made)
        if made:
            transcript, _ = parse_transcript("\n".join(lines), source)
    fixed = "\n".join(lines)
    if not applied:
        return FixResult(text)
    again, problems = parse_transcript(fixed, source)
    if _structure(again) != _structure(original) or any(p.severity == "error" for p in problems):
        return FixResult(text, refused="not fixed: the repairs would change the speakers, turns or anchors "
                         "(please report this as a redbox bug)")
    if newline != "\n":
        fixed = fixed.replace("\n", newline)
    return FixResult(bom + fixed, tuple(applied))


def unified_diff(old: str, new: str, path: str) -> str:
    """``old`` -> ``new`` as a unified diff naming ``path`` on both sides (as ``ruff --diff`` does).

    >>> print(unified_diff("a\\nb b\\n", "a\\nb\\n", "t.txt"), end="")
    --- t.txt
    +++ t.txt
    @@ -1,2 +1,2 @@
     a
    -b b
    +b
    """
    out = []
    for line in difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=path, tofile=path
    ):
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)
