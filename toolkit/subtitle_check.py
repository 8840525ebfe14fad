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
from itertools import compress, count, repeat
from operator import add, gt, lt, mul, sub, truediv

from toolkit.formats import (
    MAYBE_NONCHARACTER,
    NONCHARACTER,
    CueRow,
    ParsedCue,
    format_for_name,
    noncharacters,
    sniff_format,
)
from toolkit.formats.cue_columns import CueColumns
from toolkit.formats.decoding import UNKNOWN_ENCODING
from toolkit.formats.srt import ordinary_cue_columns as srt_columns
from toolkit.formats.srt import ordinary_cue_rows as srt_rows
from toolkit.formats.srt import parse_srt_general
from toolkit.formats.vtt import ordinary_cue_columns as vtt_columns
from toolkit.formats.vtt import ordinary_cue_rows as vtt_rows
from toolkit.formats.vtt import parse_vtt_general
from toolkit.limits import LanguageLimits, limits_for, text_width
from toolkit.model import Problem, Severity

DEFAULT_FPS = 23.976
DEFAULT_LANGUAGE = "en"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


#: Every byte below 0xEF, the first byte in UTF-8 of U+F000 and of every character after it.
_BELOW_EF = bytes(range(0xEF))


def _from_f000(text: str) -> bool:
    """Whether ``text`` may hold a character from U+F000 on: a byte of 0xEF or more in its UTF-8
    (deleting the others is a table lookup a byte; searching the text, a regex step a character).
    """
    return bool(_utf8(text).translate(None, _BELOW_EF))


def _bytes_from_ef(data: bytes) -> bool:
    """:func:`_from_f000` for the text ``data`` was decoded from as UTF-8, without encoding the
    text again: decoding keeps each character's bytes, dropping a BOM or a CR drops bytes, and
    NFC never composes a character from U+F000 on out of characters below it (the composites up
    there are exclusions or composed of characters up there), so it is never false when the
    text's own bytes would say true (tested)."""
    return bool(data.translate(None, _BELOW_EF))


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
    utf8_data: bytes | None = None,
) -> list[Problem]:
    """Every problem in one subtitle file's text, SRT or WebVTT by suffix (or content).

    ``encoding`` is what the text was decoded from (``DecodedText.encoding``): WebVTT must
    be UTF-8 (SUB110, error) and SRT should be (SUB206, warning: YouTube requires it).
    ``utf8_data``: the bytes the text was decoded from, when it was decoded as UTF-8 (their
    BOM, CRs and NFC aside); the noncharacter pre-test reads them instead of encoding the text.

    >>> vtt = "WEBVTT\\n\\n00:00:01.000 --> 00:00:01.500\\nWait...\\n"
    >>> [(p.line, p.code) for p in check_subtitle_text(vtt, "a.en.vtt")]
    [(3, 'SUB001'), (4, 'SUB011')]
    """
    kind = format_for_name(source) or sniff_format(text)
    # Noncharacters are U+FDD0 and above: most files are settled by one regex of a single range
    # (a fifth of max(text)'s time, the same answer), not the set of 66 ranges.
    beyond_fdd0 = False
    if not text.isascii():
        from_f000 = _from_f000(text) if utf8_data is None else _bytes_from_ef(utf8_data)
        beyond_fdd0 = from_f000 and MAYBE_NONCHARACTER.search(text) is not None
    if not beyond_fdd0:  # (then no noncharacter problem: the whole file's cues as columns)
        columns = (vtt_columns if kind == "vtt" else srt_columns)(text)
        if columns is not None:
            problems = encoding_problems(kind, encoding, source)
            limits = limits_for(language or language_from_name(source))
            problems.extend(_check_columns(columns, source, limits, fps))
            return sorted(problems, key=Problem.sort_key)
    # An ordinary file (what redbox writes) is read by one split and a regex per cue, with no
    # problem to report and no ParsedCue built; any other goes through the full reader.
    rows = (vtt_rows if kind == "vtt" else srt_rows)(text)
    if rows is None:
        cues, problems = parse_vtt_general(text, source) if kind == "vtt" else parse_srt_general(text, source)
        rows = [_row(cue) for cue in cues]
    else:
        problems = []
    problems.extend(encoding_problems(kind, encoding, source))
    if beyond_fdd0 and NONCHARACTER.search(text) is not None:
        problems.extend(noncharacter_problems(kind, [ParsedCue(*row) for row in rows], source))
    limits = limits_for(language or language_from_name(source))
    problems.extend(_check_rows(rows, source, limits, fps))
    return sorted(problems, key=Problem.sort_key)


def _row(cue: ParsedCue) -> CueRow:
    return (cue.number, cue.identifier, cue.start_ms, cue.end_ms, cue.text, cue.plain, cue.voices, cue.line,
            cue.timing_line)  # fmt: skip


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
    return _check_rows([_row(cue) for cue in cues], source, limits, fps)


def _check_rows(rows: list[CueRow], source: str, limits: LanguageLimits, fps: float) -> list[Problem]:
    """:func:`check_cues` over cue rows."""
    rules = _CueRules(source, limits, fps)
    previous: tuple[int, int, int] | None = None
    for number, _, start_ms, end_ms, text, plain, _, _, timing_line in rows:
        rules.check(number, start_ms, end_ms, text, plain, timing_line, previous)
        previous = (number, start_ms, end_ms)
    return rules.problems


def _check_columns(columns: CueColumns, source: str, limits: LanguageLimits, fps: float) -> list[Problem]:
    """:func:`check_cues` over a whole file's cues as columns: the cues that could have a problem
    are picked out by tests of a few built-in operations a cue, each implied by some rule's
    finding (a bound on widths instead of the widths), and only those go through the rules;
    the others have none.
    """
    starts, ends, texts, plains = columns.starts, columns.ends, columns.texts, columns.plains
    rules = _CueRules(source, limits, fps)
    durations = list(map(sub, ends, starts))
    low, high = limits.min_duration_ms, limits.max_duration_ms
    suspects: set[int] = set()
    if min(durations) < low or max(durations) > high or min(durations) <= 0:
        suspects.update(index for index, duration in enumerate(durations)
                        if duration <= 0 or duration < low or duration > high)  # fmt: skip
    if len(starts) > 1:
        gaps = list(map(sub, starts[1:], ends[:-1]))
        least_gap = rules.min_gap_ms - 1e-9
        if min(gaps) < least_gap or min(gaps) < 0:
            suspects.update(index for index, gap in enumerate(gaps, start=1) if gap < least_gap or gap < 0)
        if any(map(lt, starts[1:], starts[:-1])):
            suspects.update(index for index in range(1, len(starts)) if starts[index] < starts[index - 1])
    breaks = list(map(str.count, plains, repeat("\n")))
    if max(breaks) >= rules.max_lines:
        suspects.update(index for index, lines in enumerate(breaks) if lines >= rules.max_lines)
    if not all(plains) or any(map(str.isspace, plains)):
        suspects.update(index for index, plain in enumerate(plains) if not plain or plain.isspace())
    suspects.update(_maybe_too_wide_or_fast(plains, breaks, durations, rules))
    if "..." in "\x00".join(texts):  # (one search a file: no '...' across the NUL)
        suspects.update(index for index, text in enumerate(texts) if "..." in text)
    if suspects:
        timing_lines = columns.timing_lines()
        for index in sorted(suspects):
            previous = (index, starts[index - 1], ends[index - 1]) if index else None
            rules.check(index + 1, starts[index], ends[index], texts[index], plains[index],
                        timing_lines[index], previous)  # fmt: skip
    return rules.problems


def _maybe_too_wide_or_fast(plains: list[str], breaks: list[int], durations: list[int], rules: _CueRules,
                            ) -> list[int]:  # fmt: skip
    """The cues that may read too fast (SUB003) or have a line too wide (SUB004), by a bound on
    each cue's and line's width that never falls below it.

    A character counts at most 1, so a text's length is a bound. Counting the Korean way, a
    character counts at most a half unless it is wide (Hangul, CJK), and every wide character
    takes 3 bytes in UTF-8, every other at least 1: a text of ``n`` characters in ``b`` bytes
    has at most ``(b - n) / 2`` wide ones, so it counts at most ``(n + b) / 4``
    (exactly its width for Hangul, ASCII and the spaces between).
    """
    max_cps = rules.max_cps
    # (a cue's characters less its line breaks: a line break counts nothing, and takes 1 byte)
    lengths = list(map(sub, map(len, plains), breaks))
    # The length n first: only the cues it leaves too fast can be.
    if min(durations) > 0:  # (the speed of every cue, compared by built-ins)
        speeds = map(truediv, map(mul, lengths, repeat(1000)), durations)
        found = list(compress(count(), map(gt, speeds, repeat(max_cps))))
    else:
        found = [index for index, (length, duration) in enumerate(zip(lengths, durations, strict=True))
                 if duration > 0 and length * 1000 / duration > max_cps]  # fmt: skip
    if rules.limits.cjk_counting and found:
        # Then, of those (most Korean cues: none), the Korean bound (n + b) / 4, which needs
        # their UTF-8 size b. (Not one bound under the other: b is at most 3n but for
        # characters beyond U+FFFF; a cue must pass both.)
        sizes = [len(_utf8(plains[index])) - breaks[index] for index in found]
        found = [index for index, size in zip(found, sizes, strict=True)
                 if (lengths[index] + size) / 4 * 1000 / durations[index] > max_cps]  # fmt: skip
    found.extend(_maybe_too_wide(plains, rules))
    return found


def _maybe_too_wide(plains: list[str], rules: _CueRules) -> list[int]:
    """The cues of :func:`_maybe_too_wide_or_fast` that may have a line too wide (SUB004)."""
    max_width = rules.max_width
    if rules.limits.cjk_counting:
        # A line counts at most its length as well: only the lines longer than the limit can be
        # too wide, and only their UTF-8 sizes are needed (most Korean lines are not).
        lines = [line for line in "\n".join(plains).split("\n") if len(line) > max_width]
        sizes = map(len, map(str.encode, lines, _UTF8, _SURROGATEPASS))
        longest: float = max(map(add, map(len, lines), sizes), default=0) / 4
    else:
        longest = float(max(map(len, "\n".join(plains).split("\n"))))  # (a float both ways, for mypyc)
    if longest > max_width:
        return [index for index, plain in enumerate(plains) if len(plain) > max_width]
    return []


_UTF8, _SURROGATEPASS = repeat("utf-8"), repeat("surrogatepass")


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # (no error for a lone surrogate)


class _CueRules:
    """The quality rules of the module docstring, one cue at a time, collecting problems.

    A character counts at most 1 (:func:`toolkit.limits.char_width`), so a line of no more
    characters than the limit is never too wide, and a cue whose character count is within
    the reading speed is never too fast: widths are counted only past those bounds.
    """

    def __init__(self, source: str, limits: LanguageLimits, fps: float) -> None:
        self.source, self.limits, self.fps = source, limits, fps
        self.problems: list[Problem] = []
        self.min_gap_ms = 2000 / fps
        self.max_width, self.max_cps, self.max_lines = limits.max_line_width, limits.max_cps, limits.max_lines

    def problem(self, line: int, severity: Severity, code: str, message: str, column: int = 0) -> None:
        self.problems.append(Problem(self.source, line, column, severity, code, message))

    def check(self, number: int, start_ms: int, end_ms: int, text: str, plain: str, timing_line: int,
              previous: tuple[int, int, int] | None) -> None:  # fmt: skip
        """The problems of one cue; ``previous`` is the number, start and end of the cue before it."""
        limits, problem = self.limits, self.problem
        min_duration, max_duration = limits.min_duration_ms, limits.max_duration_ms
        max_width, max_cps, max_lines = self.max_width, self.max_cps, self.max_lines
        # (the cue's name, "cue N", is made only for a problem: most cues have none)
        duration = end_ms - start_ms
        if duration <= 0:
            problem(timing_line, "error", "SUB012",
                    f"end-not-after-start: cue {number} ends at {end_ms} ms, not after its start "
                    f"({start_ms} ms)")  # fmt: skip
        elif duration < min_duration:
            problem(timing_line, "error", "SUB001",
                    f"cue-too-short: cue {number} is shown {duration} ms, under {min_duration} ms (5/6 s)")
        elif duration > max_duration:
            problem(timing_line, "error", "SUB002",
                    f"cue-too-long: cue {number} is shown {duration} ms, over {max_duration} ms")
        newlines = plain.count("\n")
        visible = plain.strip()
        if not visible:
            problem(timing_line, "error", "SUB010", f"empty-cue: cue {number} has no text")
        elif duration > 0:
            # (nothing stripped: the visible text has the plain text's line breaks)
            shown = len(visible) - (newlines if len(visible) == len(plain) else visible.count("\n"))
            if shown * 1000 / duration > max_cps:
                speed = text_width(visible, limits) * 1000 / duration
                if speed > max_cps:
                    problem(timing_line, "warning", "SUB003",
                            f"reading-too-fast: cue {number} needs {speed:.1f} characters a second; "
                            f"{limits.language} allows {max_cps:g}")  # fmt: skip
        if newlines >= max_lines:
            problem(timing_line, "error", "SUB005",
                    f"too-many-lines: cue {number} has {newlines + 1} lines; at most {max_lines} fit")
        if len(plain) > max_width:
            for offset, line in enumerate(plain.split("\n") if newlines else (plain,), start=1):
                if len(line) <= max_width:
                    continue
                width = text_width(line, limits)
                if width > max_width:
                    problem(timing_line + offset, "error", "SUB004",
                            f"line-too-long: cue {number} has a line {width:g} characters wide; "
                            f"{limits.language} allows {max_width:g}")  # fmt: skip
        if "..." in text:
            for offset, line in enumerate(text.split("\n"), start=1):
                column = line.find("...")
                if column >= 0:
                    problem(timing_line + offset, "warning", "SUB011",
                            f"three-dots: cue {number} uses '...'; write the single character '…'",
                            column + 1)  # fmt: skip
        if previous is None:
            return
        previous_number, previous_start, previous_end = previous
        min_gap_ms = self.min_gap_ms
        if start_ms < previous_start:
            problem(timing_line, "error", "SUB008",
                    f"cue-out-of-order: cue {number} starts at {start_ms} ms, before cue "
                    f"{previous_number} ({previous_start} ms)")  # fmt: skip
        elif start_ms < previous_end:
            problem(timing_line, "error", "SUB007",
                    f"cues-overlap: cue {number} starts at {start_ms} ms, before cue "
                    f"{previous_number} ends ({previous_end} ms)")  # fmt: skip
        elif start_ms - previous_end < min_gap_ms - 1e-9:
            problem(timing_line, "error", "SUB006",
                    f"gap-too-short: cue {number} starts {start_ms - previous_end} ms after "
                    f"cue {previous_number}; 2 frames at {self.fps:g} fps is {min_gap_ms:.1f} ms",
                    )  # fmt: skip
