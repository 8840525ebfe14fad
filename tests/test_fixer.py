"""``redbox fix``: the safe repairs, the guarantees that come with them, and the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import sample_as_imported
from toolkit import fixer
from toolkit.cli import cli
from toolkit.fixer import fix_transcript_text, unified_diff
from toolkit.model import Problem, Transcript
from toolkit.text_checks import Edit, Finding
from toolkit.transcript import parse_transcript
from toolkit.validate import check_transcript_text

HEADER = "---\ntitle: T\nepisode: ep\nlanguage: en\nspeakers: Joy, Dasom\n---\n"


def shape(text: str) -> tuple[object, ...]:
    """What a fix must never change: speakers, turn lines, anchors and the number of lines."""
    transcript, _ = parse_transcript(text)
    turns = [(turn.speaker, turn.line, turn.end_line, turn.anchor_ms) for turn in transcript.turns]
    return tuple(turns), tuple(transcript.header_lines.items()), text.count("\n")


# ------------------------------------------------------------------------------- the core


def test_the_sample_loses_its_doubled_word_and_wrong_quotes_and_nothing_else() -> None:
    text = sample_as_imported()
    result = fix_transcript_text(text, "sample.txt")
    assert [(fix.line, fix.column, fix.code) for fix in result.fixes] == [
        (7, 124, "TRN030"), (25, 28, "TRN031"), (34, 127, "TRN031"),
    ]
    assert result.text == (
        text.replace("struggle of of facing", "struggle of facing")
        .replace('I answered, "I\'m not', "I answered, “I'm not")
        .replace("say, ”But you guys", "say, “But you guys")
    )
    assert shape(result.text) == shape(text)
    # What is left needs a person: the two turns without a final full stop.
    _, problems = check_transcript_text(result.text, "sample.txt")
    assert [(p.line, p.code) for p in problems] == [(16, "TRN033"), (21, "TRN033")]


def test_fixing_twice_changes_nothing_more() -> None:
    once = fix_transcript_text(HEADER + "Joy: the the cat ,  sat.\nDasom: ”Yes.”\n")
    assert once.text == HEADER + "Joy: the cat, sat.\nDasom: “Yes.”\n"
    assert fix_transcript_text(once.text) == fixer.FixResult(once.text)


def test_line_ends_and_byte_order_mark_are_kept() -> None:
    text = "\ufeff" + (HEADER + "Joy: It was  fun.\nDasom: Yes.\n").replace("\n", "\r\n")
    assert fix_transcript_text(text).text == "\ufeff" + (HEADER + "Joy: It was fun.\nDasom: Yes.\n").replace(
        "\n", "\r\n"
    )


def test_a_transcript_with_errors_is_not_touched() -> None:
    text = "---\ntitle: T\nJoy: the the end.\n"  # the header is never closed
    result = fix_transcript_text(text, "bad.txt")
    assert result.text == text and result.fixes == ()
    assert "TRN012" in result.refused and "line 1" in result.refused


def test_a_repair_that_would_make_a_speaker_label_is_left_to_a_person() -> None:
    # Without its double, "Joy joy: …" would start a new turn by Joy: that line stays as it is.
    text = HEADER + "Dasom: And they all sang\nJoy joy: the song of joy.\nDasom: Yes  indeed.\n"
    result = fix_transcript_text(text)
    assert result.text == HEADER + "Dasom: And they all sang\nJoy joy: the song of joy.\nDasom: Yes indeed.\n"
    assert [fix.code for fix in result.fixes] == ["TRN034"]
    _, problems = check_transcript_text(result.text, "t.txt")
    assert [p.code for p in problems if p.code >= "TRN030"] == ["TRN030"]


def test_repairs_that_change_the_structure_anyway_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # A (hypothetical) faulty rule that renames a header key: the re-parse catches it.
    def renaming(transcript: Transcript, text: str) -> list[Finding]:
        if "title:" not in text:
            return []
        problem = Problem("t.txt", 2, 1, "warning", "TRN034", "bad rule")
        return [Finding(problem, Edit(2, 0, 5, "name"))]

    monkeypatch.setattr(fixer, "text_findings", renaming)
    text = HEADER + "Joy: Hello there.\n"
    result = fix_transcript_text(text)
    assert result.text == text and result.fixes == () and "bug" in result.refused


def test_unified_diff_marks_a_missing_final_newline() -> None:
    diff = unified_diff("a  b", "a b", "t.txt")
    assert diff == "--- t.txt\n+++ t.txt\n@@ -1 +1 @@\n-a  b\n\\ No newline at end of file\n+a b\n" \
        "\\ No newline at end of file\n"


# ----------------------------------------------------------------- Hypothesis: the guarantees

_PIECES = [
    "the", "The", "the the", "that that", "had", "of of", "very very", "no", "Joy", "Kim", "end:", "Joy:",
    "정말 정말", "그리고 그리고", "요", '"', "“", "”", "‘", "’", "don’t", "(", ")", "[laughs]", "「", "」",
    ",", ".", "?", "!", "...", "…", "-", "--", "—", ":", "&amp;", "&nbsp;", "&lt;", "<i>", "</i>", "---",
    "5'10\"", "http://x.org", "[00:01]", "\t", "  ", " ,", " .",
]
_line = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8).map(" ".join)
_indent = st.sampled_from(["", " ", "  ", "\t"])
_turn = st.tuples(
    st.sampled_from(["Joy", "Dasom", "Kim Lee"]),
    st.booleans(),
    _line,
    st.lists(st.one_of(st.just(""), st.tuples(_indent, _line).map("".join)), max_size=4),
)


@st.composite
def transcripts(draw: st.DrawFn) -> str:
    description = draw(st.lists(_line, max_size=3))
    lines = ["---", f"title: {draw(_line)}", "episode: ep", "language: en", "speakers: Joy, Dasom, Kim Lee"]
    if description:
        lines.append(f"description: {description[0]}")
        lines.extend(f"  {line}" for line in description[1:])
    lines.append("---")
    for number, (speaker, anchored, first, more) in enumerate(draw(st.lists(_turn, min_size=1, max_size=5))):
        stamp = f"[00:{number:02d}:00] " if anchored else ""
        lines.append(f"{stamp}{speaker}: {first}")
        lines.extend(more)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + newline


@settings(max_examples=300, deadline=None)
@given(transcripts())
def test_fixes_never_change_speakers_turns_anchors_or_lines(text: str) -> None:
    result = fix_transcript_text(text)
    assert "bug" not in result.refused
    if result.refused:
        assert result.text == text
        return
    assert shape(result.text.replace("\r\n", "\n")) == shape(text.replace("\r\n", "\n"))
    assert ("\r\n" in result.text) == ("\r\n" in text)
    # Idempotent: what one run leaves, the next leaves too.
    assert fix_transcript_text(result.text).fixes == ()


# ------------------------------------------------------------------------------ the command


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_diff_shows_the_changes_writes_nothing_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "ep.txt", HEADER + "Joy: It was  fun.\nDasom: Yes.\n")
    before = path.read_bytes()
    result = runner.invoke(cli, ["fix", "--diff", str(path)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"--- {path}\n+++ {path}\n@@ -4,5 +4,5 @@\n language: en\n speakers: Joy, Dasom\n ---\n"
        "-Joy: It was  fun.\n+Joy: It was fun.\n Dasom: Yes.\n"
    )
    assert "would fix 1 problem(s) in 1 file(s)" in result.stderr
    assert path.read_bytes() == before


def test_diff_of_a_clean_file_is_empty_and_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "ep.txt", HEADER + "Joy: It was fun.\nDasom: Yes.\n")
    result = runner.invoke(cli, ["fix", "--diff", str(path)])
    assert result.exit_code == 0 and result.stdout == ""


def test_fix_writes_lists_each_repair_and_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "ep.txt", HEADER + "Joy: It was fun , really.\nDasom: Yes  indeed.\n")
    result = runner.invoke(cli, ["fix", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == HEADER + "Joy: It was fun, really.\nDasom: Yes indeed.\n"
    assert result.stdout.splitlines() == [
        f"{path}:7:16: fixed TRN035 space-before-punctuation: removed ' '",
        f"{path}:8:11: fixed TRN034 double-space: '  ' -> ' '",
    ]
    again = runner.invoke(cli, ["fix", str(tmp_path)])
    assert again.exit_code == 0 and again.stdout == ""
    assert "fixed 0 problem(s) in 0 file(s)" in again.stderr


def test_fix_keeps_crlf_and_the_utf8_bom(runner: CliRunner, tmp_path: Path) -> None:
    text = (HEADER + "Joy: It was  fun.\n").replace("\n", "\r\n")
    path = tmp_path / "ep.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert runner.invoke(cli, ["fix", str(path)]).exit_code == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + text.replace("was  fun", "was fun").encode("utf-8")


def test_fix_of_a_legacy_korean_file_writes_utf8_and_says_so(runner: CliRunner, tmp_path: Path) -> None:
    text = "---\ntitle: 제목\nepisode: ep\nlanguage: ko\nspeakers: 조이\n---\n조이: 정말  불편했어요.\n"
    path = write(tmp_path / "ep.txt", text, "cp949")
    result = runner.invoke(cli, ["fix", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == text.replace("정말  불편", "정말 불편")
    assert "was written as UTF-8 (read as EUC-KR)" in result.stderr


def test_files_that_cannot_be_fixed_are_reported_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    broken = write(tmp_path / "a.txt", "---\ntitle: T\nJoy: the the end.\n")
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    good = write(tmp_path / "c.txt", HEADER + "Joy: It was  fun.\n")
    result = runner.invoke(cli, ["fix", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{broken}:1:1: error TRN003 the header names no cast" in result.stderr  # check's own lines
    assert f"{broken}: not fixed: 5 error(s) in the transcript; mend them first" in result.stderr
    assert f"{binary}: looks like a binary file" in result.stderr
    assert broken.read_text(encoding="utf-8") == "---\ntitle: T\nJoy: the the end.\n"
    assert good.read_text(encoding="utf-8").endswith("Joy: It was fun.\n")  # the others are still fixed
    assert "Traceback" not in result.output


def test_a_file_that_is_not_a_transcript_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "ep.srt", "1\n00:00:01,000 --> 00:00:02,000\nHi  there\n")
    result = runner.invoke(cli, ["fix", str(path)])
    assert result.exit_code == 1 and "not a transcript (.txt)" in result.stderr
    assert path.read_text(encoding="utf-8").endswith("Hi  there\n")


def test_default_is_the_projects_transcripts_folder_from_any_subfolder(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "transcripts" / "extra.txt", HEADER + "Joy: It was  fun.\n")
    for where in (project, project / "locales"):
        monkeypatch.chdir(where)
        result = runner.invoke(cli, ["fix", "--diff"])
        assert result.exit_code == 1
        assert "+++ transcripts/extra.txt\n" in result.stdout and "+Joy: It was fun.\n" in result.stdout


def test_no_transcripts_folder_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["fix"])
    assert result.exit_code == 2 and "has no transcripts/ folder" in result.stderr


def test_a_missing_path_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["fix", str(tmp_path / "nowhere.txt")])
    assert result.exit_code == 1 and "nowhere.txt: no such file" in result.stderr


def test_help_has_examples(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["fix", "--help"])
    assert result.exit_code == 0 and "redbox fix --diff" in result.stdout
    assert "fix" in runner.invoke(cli, ["--help"]).stdout


def test_a_label_only_the_cast_makes_is_read_as_a_label_by_checks_and_fixes() -> None:
    from toolkit.fixer import fix_transcript_text
    from toolkit.validate import check_transcript_text

    header = "---\ntitle: T\nepisode: e\nlanguage: en\nspeakers: 金正日, Joy\n---\n"
    text = header + "金正日:the the end.\nJoy: ok.\n"
    _, problems = check_transcript_text(text, "t.txt")
    doubled = [problem for problem in problems if problem.code == "TRN030"]
    assert [(problem.line, problem.column) for problem in doubled] == [(7, 9)]
    assert fix_transcript_text(text).text.splitlines()[6] == "金正日:the end."
