"""Quality checks for subtitle files (``.srt``, ``.vtt``; ours or anyone's).

Each finding names the cue number (its position among the cues read, from 1) and the
line in the file. Limits come from :mod:`toolkit.limits` (Netflix timed-text rules):

======  =====================  ========  ==============================================
code    name                   severity  finding
======  =====================  ========  ==============================================
SUB001  cue-too-short          error     shown for less than 5/6 s
SUB002  cue-too-long           error     shown for more than 7 s
SUB003  reading-too-fast       warning   more characters a second than the language allows
SUB004  line-too-long          error     a line wider than the language allows
SUB005  too-many-lines         error     more than 2 lines
SUB006  gap-too-short          error     less than 2 frames (at ``fps``) after the cue before
SUB007  cues-overlap           error     starts before the cue before it ends
SUB008  cue-out-of-order       error     starts before the cue before it starts
SUB010  empty-cue              error     no visible text
SUB011  three-dots             warning   ``...`` where the single character ``…`` belongs
SUB012  end-not-after-start    error     ends at or before its start
======  =====================  ========  ==============================================

The readers add what they cannot read: SUB101-SUB109 for WebVTT (see
:mod:`toolkit.formats.vtt`) and SUB201-SUB205 for SRT (see :mod:`toolkit.formats.srt`);
a malformed timestamp is SUB102 (WebVTT) or SUB201 (SRT). SUB110 (WebVTT) and SUB206
(SRT) report a file that was not UTF-8, SUB111 (WebVTT) and SUB207 (SRT) a cue holding a
Unicode noncharacter (U+FFFE, U+FDD0, ...).
"""

from __future__ import annotations

import re

from toolkit.formats import ParsedCue, format_for_name, noncharacters, sniff_format
from toolkit.formats.decoding import UNKNOWN_ENCODING
from toolkit.formats.srt import parse_srt
from toolkit.formats.vtt import parse_vtt
from toolkit.limits import LanguageLimits, limits_for, text_width
from toolkit.model import Problem, Severity

DEFAULT_FPS = 23.976
DEFAULT_LANGUAGE = "en"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def language_from_name(source: str, default: str = DEFAULT_LANGUAGE) -> str:
    """The language of ``<episode>.<lang>.<ext>``, or ``default`` when the name has none.

    >>> language_from_name("subtitles/episode.ko.srt"), language_from_name("episode.srt")
    ('ko', 'en')
    """
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    parts = name.split(".")
    if len(parts) >= 3 and _LANGUAGE_TAG.match(parts[-2]):
        return parts[-2]
    return default


def check_subtitle_text(
    text: str,
    source: str,
    *,
    language: str | None = None,
    fps: float = DEFAULT_FPS,
    encoding: str = "utf-8",
) -> list[Problem]:
    """Every problem in one subtitle file's text, SRT or WebVTT by suffix (or content).

    ``encoding`` is what the text was decoded from (``DecodedText.encoding``): WebVTT must
    be UTF-8 (SUB110, error) and SRT should be (SUB206, warning: YouTube requires it).

    >>> vtt = "WEBVTT\\n\\n00:00:01.000 --> 00:00:01.500\\nWait...\\n"
    >>> [(p.line, p.code) for p in check_subtitle_text(vtt, "a.en.vtt")]
    [(3, 'SUB001'), (4, 'SUB011')]
    """
    kind = format_for_name(source) or sniff_format(text)
    cues, problems = parse_vtt(text, source) if kind == "vtt" else parse_srt(text, source)
    problems.extend(encoding_problems(kind, encoding, source))
    problems.extend(noncharacter_problems(kind, cues, source))
    limits = limits_for(language or language_from_name(source))
    problems.extend(check_cues(cues, source, limits, fps=fps))
    return sorted(problems, key=Problem.sort_key)


def noncharacter_problems(kind: str, cues: list[ParsedCue], source: str) -> list[Problem]:
    """SUB111 (WebVTT) or SUB207 (SRT): a cue holding a Unicode noncharacter."""
    code, name = ("SUB111", "vtt-noncharacter") if kind == "vtt" else ("SUB207", "srt-noncharacter")
    problems = []
    for cue in cues:
        found = noncharacters(cue.text)
        if found:
            problems.append(Problem(
                source, cue.timing_line + 1, 0, "error", code,
                f"{name}: cue {cue.number} holds {', '.join(dict.fromkeys(found))}, a noncharacter "
                "(not for interchange): ffmpeg drops a cue holding U+FFFE, and no font draws them",
            ))  # fmt: skip
    return problems


def encoding_problems(kind: str, encoding: str, source: str) -> list[Problem]:
    """SUB110 for a WebVTT file that is not UTF-8, SUB206 for such an SRT file (and SUB208 for
    UTF-32, which ffmpeg does not read)."""
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        return []
    if encoding == UNKNOWN_ENCODING:
        found = "not UTF-8 and no encoding fits it; its undecodable bytes are read as U+FFFD (�)"
    else:
        found = f"{encoding}, not UTF-8"
    if kind == "vtt":
        if encoding.startswith("utf-32"):
            shown = "Chromium rejects UTF-32"
        elif encoding.startswith("utf-16"):
            shown = "Chromium reads UTF-16 with a byte order mark, but other players and tools may not"
        else:
            shown = "browsers show its non-ASCII text as U+FFFD (�)"
        message = f"vtt-not-utf8: the file is {found}; WebVTT is UTF-8 only, and {shown}"
        return [Problem(source, 0, 0, "error", "SUB110", message)]
    if encoding.startswith("utf-32"):
        read = "ffmpeg cannot read UTF-32 at all"
    elif encoding.startswith("utf-16"):
        read = "pysrt and ffmpeg read UTF-16 only when it starts with a byte order mark"
    else:
        read = "ffmpeg and pysrt read UTF-8 unless told otherwise"
    message = (
        f"srt-not-utf8: the file is {found}; {read}, and YouTube asks for UTF-8; save it as UTF-8 "
        "(redbox convert does)"
    )
    problems = [Problem(source, 0, 0, "warning", "SUB206", message)]
    if encoding.startswith("utf-32"):
        problems.append(Problem(source, 1, 0, "error", "SUB208", "srt-not-recognised: ffmpeg (and so "
                                "mpv and ffmpeg burn-in) does not load a UTF-32 file as SRT"))  # fmt: skip
    return problems


def check_cues(
    cues: list[ParsedCue], source: str, limits: LanguageLimits, *, fps: float = DEFAULT_FPS
) -> list[Problem]:
    """The quality rules of the module docstring over cues already read."""
    problems: list[Problem] = []

    def problem(line: int, severity: Severity, code: str, message: str, column: int = 0) -> None:
        problems.append(Problem(source, line, column, severity, code, message))

    min_gap_ms = 2000 / fps
    previous: ParsedCue | None = None
    for cue in cues:
        where = f"cue {cue.number}"
        duration = cue.end_ms - cue.start_ms
        visible = cue.plain.strip()
        if duration <= 0:
            problem(
                cue.timing_line,
                "error",
                "SUB012",
                f"end-not-after-start: {where} ends at {cue.end_ms} ms, not after its start "
                f"({cue.start_ms} ms)",
            )
        elif duration < limits.min_duration_ms:
            problem(
                cue.timing_line,
                "error",
                "SUB001",
                f"cue-too-short: {where} is shown {duration} ms, under {limits.min_duration_ms} ms (5/6 s)",
            )
        elif duration > limits.max_duration_ms:
            problem(
                cue.timing_line,
                "error",
                "SUB002",
                f"cue-too-long: {where} is shown {duration} ms, over {limits.max_duration_ms} ms",
            )
        if not visible:
            problem(cue.timing_line, "error", "SUB010", f"empty-cue: {where} has no text")
        elif duration > 0:
            speed = text_width(visible, limits) * 1000 / duration
            if speed > limits.max_cps:
                problem(
                    cue.timing_line,
                    "warning",
                    "SUB003",
                    f"reading-too-fast: {where} needs {speed:.1f} characters a second; "
                    f"{limits.language} allows {limits.max_cps:g}",
                )
        shown_lines = cue.plain.split("\n")
        if len(shown_lines) > limits.max_lines:
            problem(
                cue.timing_line,
                "error",
                "SUB005",
                f"too-many-lines: {where} has {len(shown_lines)} lines; at most {limits.max_lines} fit",
            )
        for offset, line in enumerate(shown_lines, start=1):
            width = text_width(line, limits)
            if width > limits.max_line_width:
                problem(
                    cue.timing_line + offset,
                    "error",
                    "SUB004",
                    f"line-too-long: {where} has a line {width:g} characters wide; "
                    f"{limits.language} allows {limits.max_line_width:g}",
                )
        for offset, line in enumerate(cue.text.split("\n"), start=1):
            column = line.find("...")
            if column >= 0:
                problem(
                    cue.timing_line + offset,
                    "warning",
                    "SUB011",
                    f"three-dots: {where} uses '...'; write the single character '…'",
                    column + 1,
                )
        if previous is not None:
            if cue.start_ms < previous.start_ms:
                problem(
                    cue.timing_line,
                    "error",
                    "SUB008",
                    f"cue-out-of-order: {where} starts at {cue.start_ms} ms, before cue "
                    f"{previous.number} ({previous.start_ms} ms)",
                )
            elif cue.start_ms < previous.end_ms:
                problem(
                    cue.timing_line,
                    "error",
                    "SUB007",
                    f"cues-overlap: {where} starts at {cue.start_ms} ms, before cue "
                    f"{previous.number} ends ({previous.end_ms} ms)",
                )
            elif cue.start_ms - previous.end_ms < min_gap_ms - 1e-9:
                problem(
                    cue.timing_line,
                    "error",
                    "SUB006",
                    f"gap-too-short: {where} starts {cue.start_ms - previous.end_ms} ms after "
                    f"cue {previous.number}; 2 frames at {fps:g} fps is {min_gap_ms:.1f} ms",
                )
        previous = cue
    return problems
