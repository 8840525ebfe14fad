"""The shortcuts of ``redbox check`` give exactly what the general code gives.

- The SRT and WebVTT readers read an ordinary file (what redbox writes) by one split and a
  regex per cue (``ordinary_cue_rows``); any other goes to the general reader. Each is run
  here against the general reader on generated files built to be awkward (wrong numbers,
  blank-looking lines, CRLF, BOM, NUL, arrows and tags in text, Korean, long lines,
  noncharacters) and on every file of the corpus and the shipped subtitles.
- The subtitle rules count widths only past bounds a width cannot exceed; the rules as they
  were are kept here as the reference.
- ``check_paths`` streams: each file's problems are handed over in report order as soon as
  it is checked, the same problems as collecting them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import checking, decoding, files
from toolkit.formats import ParsedCue, clock_ms, format_for_name, sniff_format, span_ms, srt, vtt
from toolkit.formats.vtt import parse_cue_text, shown_text
from toolkit.limits import LanguageLimits, limits_for, text_width
from toolkit.model import Problem, Severity
from toolkit.project import find_project
from toolkit.subtitle_check import (
    DEFAULT_FPS,
    check_subtitle_text,
    encoding_problems,
    language_from_name,
    noncharacter_problems,
)

ROOT = Path(__file__).resolve().parents[1]


def reference_check(text: str, source: str) -> list[Problem]:
    """``check_subtitle_text`` through the general readers and the rules as they were."""
    kind = format_for_name(source) or sniff_format(text)
    read = vtt.parse_vtt_general if kind == "vtt" else srt.parse_srt_general
    cues, problems = read(text, source)
    problems.extend(encoding_problems(kind, "utf-8", source))
    problems.extend(noncharacter_problems(kind, cues, source))
    problems.extend(_reference_check_cues(cues, source, limits_for(language_from_name(source))))
    return sorted(problems, key=Problem.sort_key)


def _reference_check_cues(
    cues: list[ParsedCue], source: str, limits: LanguageLimits, *, fps: float = DEFAULT_FPS
) -> list[Problem]:
    """``subtitle_check.check_cues`` as it was before its bounds on widths (the reference)."""
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


# ---------------------------------------------------------------- generated files

_lines = st.sampled_from([
    "Hi.", "So from that moment on,", "I became confident.", "Wait...", "It’s the same — really…",
    "한국에서는 손님이 들어와도", "아르바이트생들이 인사를 잘 안 하잖아요.", "<i>Hi</i> there",
    "{\\an8}Up here", "a &amp; b &lt;3", "x --> y", "2", " ", "\t", "\u3000", "a\ufdd0b",
    "<v Joy>Hi</v>", "<v.loud Joy>Hi</v>",
    "<b>bold", "1 < 2", "<v A&amp;B  C>x</v>", "<v Joy>", "</v>", "<c.yellow>y</c>", "x" * 50,
    "This line is long enough to be over forty-two characters wide", "가" * 20, "\u0301e",
    # (issue 16, second pass) characters past U+FDD0 that are and are not noncharacters, and
    # whitespace-only lines the whole-file test must see as str.split and the readers do
    "\ufffe", "a\U0010ffff", "\uff01 wide", "😀", "\ufeff", "\x85", "\u2028", " \x1f", "-->", "--", ">",
])
_timings = st.sampled_from([
    "00:00:01,000 --> 00:00:02,500", "00:00:01.000 --> 00:00:02.500", "00:00:02,000 --> 00:00:02,100",
    "00:00:03.000 --> 00:00:12.000", "00:00:01.000 --> 00:00:01.000", "00:00:01,000 --> 00:00:02,500 X1:1",
    "00:01.000 --> 00:02.000", "00:00:05,000 --> 00:00:04,000", "1:00:00,000 --> 1:00:02,000",
    "00:00:02.000 --> 00:00:04.000 align:start", "00:00:0a,000 --> 00:00:01,000",
])


@st.composite
def _subtitle_files(draw: st.DrawFn, kind: str) -> str:
    blocks = []
    for number in range(1, draw(st.integers(0, 6)) + 1):
        head = [str(draw(st.sampled_from([number, number, number, number + 1, 0])))] if kind == "srt" else []
        if kind == "vtt" and draw(st.integers(0, 9)) == 0:
            head = [draw(st.sampled_from(["id", "1", "STYLE"]))]
        text = draw(st.lists(_lines, max_size=3))
        blocks.append("\n".join([*head, draw(_timings), *text]))
    separator = draw(st.sampled_from(["\n\n", "\n\n", "\n\n\n", "\n \n"]))
    body = separator.join(blocks) + draw(st.sampled_from(["\n", "", "\n\n", "\n \n"]))
    if kind == "vtt":
        body = draw(st.sampled_from(["WEBVTT\n\n", "WEBVTT\n\n\n", "WEBVTT - title\n\n", "WEBVTT\nX: 1\n\n",
                                     "WEBVTT\n"])) + body  # fmt: skip
    body = draw(st.sampled_from(["", "", "\ufeff", "\n"])) + body
    if draw(st.booleans()):
        body = body.replace("\n", draw(st.sampled_from(["\r\n", "\r"])))
    if draw(st.integers(0, 19)) == 0:
        body += "\x00"
    return body


def _same_reading(kind: str, text: str) -> None:
    module = srt if kind == "srt" else vtt
    general = module.parse_srt_general(text, "a") if kind == "srt" else module.parse_vtt_general(text, "a")
    fast = module.ordinary_cue_rows(text)
    if fast is not None:  # an ordinary file: no problem for the general reader either
        assert ([ParsedCue(*row) for row in fast], []) == general
    reader = srt.parse_srt if kind == "srt" else vtt.parse_vtt
    assert reader(text, "a") == general


@settings(max_examples=500)
@given(_subtitle_files("srt"))
def test_srt_shortcut_reads_what_the_general_reader_reads(text: str) -> None:
    _same_reading("srt", text)
    for name in ("a.en.srt", "a.ko.srt"):
        assert check_subtitle_text(text, name) == reference_check(text, name)


@settings(max_examples=500)
@given(_subtitle_files("vtt"))
def test_vtt_shortcut_reads_what_the_general_reader_reads(text: str) -> None:
    _same_reading("vtt", text)
    for name in ("a.en.vtt", "a.ko.vtt"):
        assert check_subtitle_text(text, name) == reference_check(text, name)


@settings(max_examples=500)
@given(st.lists(_lines | st.text(st.sampled_from("<>/v &;amplt.ci\n\t"), max_size=12), max_size=4))
def test_voice_span_shortcut_shows_what_the_cue_text_parser_shows(parts: list[str]) -> None:
    payload = "".join(parts)
    shown = shown_text(payload)
    if shown is not None:
        parsed = parse_cue_text(payload)
        assert shown == (parsed.plain, parsed.voices) and parsed.unknown_tags == ()


def _subtitle_files_of(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*") if path.suffix in (".srt", ".vtt"))


def test_shortcuts_agree_on_the_corpus_and_shipped_files() -> None:
    paths = _subtitle_files_of(ROOT / "tests" / "data" / "corpus", ROOT / "subtitles")
    shipped = 0
    for path in paths:
        text = path.read_bytes().decode("utf-8", errors="replace")
        kind = "vtt" if path.suffix == ".vtt" else "srt"
        _same_reading(kind, text)
        assert check_subtitle_text(text, path.name) == reference_check(text, path.name), path
        shipped += (srt if kind == "srt" else vtt).ordinary_cue_rows(text) is not None
    # The shortcut is taken on the shipped files, and not on the awkward ones of the corpus.
    assert len(paths) > 10 and len(list((ROOT / "subtitles").glob("*.*t"))) <= shipped < len(paths)


# ---------------------------------------------------------------- streaming


def test_problems_are_handed_over_file_by_file_in_report_order(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "subtitles" / "extra.en.srt").write_text("1\n00:00:01,000 --> 00:00:01,100\nWait...\n")
    header = "title: B\nepisode: b\nlanguage: en\nspeakers: Joy\n\n"
    (project / "transcripts" / "b.txt").write_text(header + "Joy: hi hi\n")
    where = find_project(project)
    collected = checking.check_paths(where, [], lambda decoded, source: None)
    events: list[str] = []
    reading = files.read_bytes

    def read_bytes(path: Path, **options: bool) -> bytes:
        events.append(f"read {path}")
        return reading(path, **options)

    monkeypatch.setattr(files, "read_bytes", read_bytes)
    batches: list[list[Problem]] = []

    def on_problems(found: list[Problem]) -> None:
        events.append("problems")
        batches.append(found)

    streamed = checking.check_paths(where, [], lambda decoded, source: None, on_problems=on_problems)
    assert streamed.problems == []
    assert (streamed.errors, streamed.warnings) == (collected.errors, collected.warnings)
    assert [problem for batch in batches for problem in batch] == collected.problems
    sources = [batch[0].source for batch in batches]
    assert all(len({problem.source for problem in batch}) == 1 for batch in batches)
    assert sources == sorted(set(sources)) == ["subtitles/extra.en.srt", "transcripts/b.txt"]
    # The first file's problems go out before the last file is read the second time.
    last_read = max(index for index, event in enumerate(events) if event.startswith("read"))
    assert events.index("problems") < last_read


@given(st.integers(0, 99), st.integers(0, 59), st.integers(0, 59), st.integers(0, 999))
def test_remembered_clocks_are_span_ms(hours: int, minutes: int, seconds: int, millis: int) -> None:
    # The readers' fast paths read a canonical timing line's fields at their places, the whole
    # seconds through a remembered table (issue 16); span_ms converts the eight fields.
    clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    line = f"{clock},{millis:03d} --> {clock},{millis:03d}"
    assert srt._CANONICAL_LINE.fullmatch(line) is not None
    fields = srt._CANONICAL_TIMING.fullmatch(line)
    assert fields is not None
    for _ in range(2):  # measured, then remembered
        assert (clock_ms(line[:8]) + int(line[9:12]),) * 2 == span_ms(fields.groups())


@given(st.binary(max_size=40))
def test_control_bytes_are_found_byte_by_byte(data: bytes) -> None:
    # The first pass asks whether a file may hold a legacy encoding by deleting its control
    # bytes and comparing lengths (issue 16), a seventh of the time of a regex search.
    controls = [byte for byte in data if byte < 0x20 and byte not in (0x09, 0x0A, 0x0C, 0x0D)]
    assert decoding.has_control_byte(data) == bool(controls)


def test_file_names_are_the_files_found(tmp_path: Path) -> None:
    # `check` walks the tree as strings (issue 16): the same files, in the same order, as the
    # Path walk, for folders (nested, hidden, odd names) and files named directly.
    for name in ("b/x.txt", "a-b/y.srt", "a/z.po", "a/.hidden/w.txt", "a/n.md", "c.vtt", "a/d/e.pot"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    roots = [tmp_path / "a", tmp_path, tmp_path / "c.vtt", tmp_path / "a/n.md"]
    names = list(files.find_file_names(roots, checking.CHECKED_SUFFIXES))
    assert names == [str(path) for path in files.find_files(roots, checking.CHECKED_SUFFIXES)]
    assert len(names) == 9  # (a named file always counts; a hidden folder never)
