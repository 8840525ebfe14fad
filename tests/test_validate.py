"""One failing example for every transcript rule code, and the cross-episode checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from toolkit.checking import Document, check_documents
from toolkit.cli import cli
from toolkit.transcript import parse_transcript
from toolkit.validate import RULES, check_across_transcripts, check_transcript_text, names_are_close

GOOD_HEADER = "---\ntitle: T\nepisode: ep-1\nlanguage: en\nspeakers: Joy, Dasom\n---\n"

FAILING_EXAMPLES = {
    "TRN021": GOOD_HEADER + "Joy: hi\ndasom: yo\n",
    "TRN022": GOOD_HEADER + "Joy: hi\nDasom; yo\n",
    "TRN023": GOOD_HEADER + "Joy: hi\nDasom (translated): yo\n",
    "TRN001": GOOD_HEADER + "Joy: hi\nDasom: yo\nMinji: hey\n",
    "TRN002": GOOD_HEADER + "Joy: hi\n",
    "TRN003": "---\ntitle: T\nepisode: ep-1\nlanguage: en\n---\nJoy: hi\n",
    "TRN004": "---\nepisode: ep-1\nlanguage: en\nspeakers: Joy\n---\nJoy: hi\n",
    "TRN005": "---\ntitle: T\nepisode: ep-1\nlanguage: en\nspeakers: Joy\nno colon here\n---\nJoy: hi\n",
    "TRN006": "---\ntitle: T\nepisode: Episode One\nlanguage: en\nspeakers: Joy\n---\nJoy: hi\n",
    "TRN007": "---\ntitle: T\nepisode: ep-1\nlanguage: english\nspeakers: Joy\n---\nJoy: hi\n",
    "TRN008": GOOD_HEADER + "stray words\nJoy: hi\nDasom: yo\n",
    "TRN009": GOOD_HEADER + "Joy:\nDasom: yo\nJoy: hi\n",
    "TRN010": GOOD_HEADER + "[1:2:3:4] Joy: hi\nDasom: yo\n",
    "TRN011": GOOD_HEADER + "[00:10] Joy: hi\n[00:05] Dasom: yo\n",
    "TRN012": "---\ntitle: T\nJoy: hi\n",
    "TRN013": GOOD_HEADER.replace("language: en\n", "language: en\nlanguage: ko\n") + "Joy: a\nDasom: b\n",
    "TRN016": GOOD_HEADER.replace("Joy, Dasom", "Joy, Dasom, Joy") + "Joy: a\nDasom: b\n",
    "TRN017": GOOD_HEADER,
    "TRN019": GOOD_HEADER + "Joy: 처음 한국에 왔을 때 아르바이트를 했어요.\nDasom: 저는 어렸어요.\n",
    # The prose checks (toolkit.text_checks); tests/test_text_checks.py has the details.
    "TRN030": GOOD_HEADER + "Joy: I think the the answer is no.\nDasom: Yes.\n",
    "TRN031": GOOD_HEADER + "Joy: They say, ”But why?” every time.\nDasom: Yes.\n",
    "TRN032": GOOD_HEADER + "Joy: We went there (in 2019.\nDasom: Yes.\n",
    "TRN033": GOOD_HEADER + "Joy: It made me feel very uncomfortable\nDasom: Yes.\n",
    "TRN034": GOOD_HEADER + "Joy: It was  fun.\nDasom: Yes.\n",
    "TRN035": GOOD_HEADER + "Joy: It was fun , really.\nDasom: Yes.\n",
    "TRN036": GOOD_HEADER + "Joy: It was fun - really fun.\nDasom: Yes.\n",
    "TRN037": GOOD_HEADER + "Joy: It was <i>fun</i> &amp; games.\nDasom: Yes.\n",
}


@pytest.mark.parametrize("code", sorted(FAILING_EXAMPLES))
def test_each_rule_fails_its_example(code: str) -> None:
    _, problems = check_transcript_text(FAILING_EXAMPLES[code], "bad.txt")
    found = [problem for problem in problems if problem.code == code]
    assert found, problems
    assert all(problem.severity == RULES[code][0] for problem in found)
    assert all(problem.line >= 1 and problem.source == "bad.txt" for problem in found)


def test_every_rule_has_an_example_somewhere() -> None:
    covered = set(FAILING_EXAMPLES) | {"TRN014", "TRN015", "TRN018"}
    assert covered == set(RULES)


def test_good_transcript_is_clean() -> None:
    _, problems = check_transcript_text(GOOD_HEADER + "Joy: hi\nDasom: yo\n", "good.txt")
    assert problems == []


def test_unknown_speaker_names_the_line_and_suggests() -> None:
    _, problems = check_transcript_text(GOOD_HEADER + "Joy: hi\n[00:03] Dasmo: yo\n", "bad.txt")
    (problem,) = [p for p in problems if p.code == "TRN001"]
    assert (problem.line, problem.column) == (8, 9)
    assert "did you mean 'Dasom'?" in problem.message


@pytest.mark.parametrize(
    ("written", "cast_name"),
    [("Minjy", "Minji"), ("joy", "Joy"), ("Jeong yol", "Jeongyol"), ("정렬", "정열"), ("김정훈", "김정열")],
)
def test_close_names_are_suggested(written: str, cast_name: str) -> None:
    assert names_are_close(written, cast_name)


@pytest.mark.parametrize(("left", "right"), [("Joy", "Dasom"), ("All", "Ilhyeok"), ("조이", "다솜")])
def test_different_names_are_not_confused(left: str, right: str) -> None:
    assert not names_are_close(left, right)


def test_same_episode_twice_is_an_error_in_both_whatever_their_languages() -> None:
    first = parse_transcript(GOOD_HEADER + "Joy: a\n", "a.txt")[0]
    korean = GOOD_HEADER.replace("language: en", "language: ko")
    assert korean != GOOD_HEADER
    second = parse_transcript(korean + "Joy: b\n", "b.txt")[0]
    problems = check_across_transcripts([first, second])
    assert [(p.code, p.source, p.line) for p in problems] == [("TRN014", "a.txt", 3), ("TRN014", "b.txt", 3)]
    assert "b.txt" in problems[0].message and "a.txt" in problems[1].message
    assert "catalog" in problems[1].message


def test_speaker_spelt_two_ways_across_episodes_names_both_files() -> None:
    first = parse_transcript(GOOD_HEADER.replace("Dasom", "Jeongyol") + "Jeongyol: a\n", "a.txt")[0]
    second_text = GOOD_HEADER.replace("ep-1", "ep-2").replace("Dasom", "Jeongyeol") + "Jeongyeol: b\n"
    second = parse_transcript(second_text, "b.txt")[0]
    problems = check_across_transcripts([first, second])
    assert [(p.code, p.severity, p.source) for p in problems] == [("TRN015", "warning", "b.txt")]
    assert "'Jeongyeol'" in problems[0].message and "'Jeongyol'" in problems[0].message
    assert "a.txt" in problems[0].message


def test_unreadable_document_is_reported_not_raised() -> None:
    (problem,) = check_documents([Document("x.txt", None, unreadable="looks like a binary file")])
    assert (problem.code, problem.severity) == ("TRN018", "error")


def test_collects_every_problem_in_every_file() -> None:
    documents = [
        Document("a.txt", FAILING_EXAMPLES["TRN001"]),
        Document("b.txt", FAILING_EXAMPLES["TRN011"]),
        Document("c.txt", FAILING_EXAMPLES["TRN006"]),
    ]
    problems = check_documents(documents)
    assert {p.source for p in problems} == {"a.txt", "b.txt", "c.txt"}
    assert problems == sorted(problems, key=lambda p: (p.source, p.line, p.column, p.code))


def test_korean_declared_but_latin_text_is_questioned() -> None:
    header = GOOD_HEADER.replace("language: en", "language: ko")
    body = "Joy: When I first came to South Korea\nDasom: yo\n"
    _, problems = check_transcript_text(header + body, "ko.txt")
    (problem,) = [p for p in problems if p.code == "TRN019"]
    assert (problem.line, problem.severity) == (4, "warning")
    assert problem.message.startswith("declared language 'ko' but the text looks like Latin-script text")
    assert "(0% of its 28 letters are Hangul)" in problem.message


def test_english_declared_but_korean_text_names_the_share() -> None:
    _, problems = check_transcript_text(FAILING_EXAMPLES["TRN019"], "en.txt")
    (problem,) = [p for p in problems if p.code == "TRN019"]
    assert problem.message.startswith("declared language 'en' but the text looks like Korean (100% of its")


@pytest.mark.parametrize(
    "body",
    [
        "Joy: 짜장면 (jjajangmyun) is what they asked about, every time.\nDasom: yo\n",  # a Korean word
        "Joy: 네\nDasom: 응\n",  # too short to say
        "Joy: LiNK 펠로우들이 질문에 답합니다.\nDasom: 네, TV에서 봤어요.\n",  # Korean with English, as ko
    ],
)
def test_language_is_only_questioned_on_clear_evidence(body: str) -> None:
    language = "ko" if "펠로우" in body else "en"
    header = GOOD_HEADER.replace("language: en", f"language: {language}")
    _, problems = check_transcript_text(header + body, "t.txt")
    assert "TRN019" not in {problem.code for problem in problems}


def test_the_shipped_transcripts_match_their_language() -> None:
    for path in [ROOT / "transcripts" / "misunderstandings-and-stereotypes.txt",
                 ROOT / "tests" / "data" / "transcripts" / "korean-sample.txt"]:
        _, problems = check_transcript_text(path.read_text(encoding="utf-8"), str(path))
        assert "TRN019" not in {problem.code for problem in problems}


def test_a_header_without_its_fences_is_named_as_such(tmp_path: Path) -> None:
    """A header typed without its '---' lines used to give only "text before the first
    speaker label" and four missing-key errors: the first error now says what is wrong."""
    path = tmp_path / "episode.txt"
    path.write_text("title: Test\nepisode: test\nlanguage: en\nspeakers: Joy\n\nJoy: Hello there.\n")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    expected = (f"{path}:1:1: error TRN008 text before the first speaker label: 'title: Test' looks like "
                "a header line, but a header goes between two '---' lines")
    assert expected in result.output
    fenced = tmp_path / "fenced.txt"
    fenced.write_text("---\ntitle: T\nepisode: t\nlanguage: en\nspeakers: Joy\n---\nnote\nJoy: Hi.\n")
    result = CliRunner().invoke(cli, ["check", str(fenced)])
    plain = "error TRN008 text before the first speaker label (start a turn with 'Name: text')"
    assert plain in result.output


def test_blank_lines_above_the_header_do_not_hide_it(tmp_path: Path) -> None:
    """An editor's stray newlines (and CRLF, a BOM) before the opening '---' used to turn the
    whole header into "text before the first speaker label" and four missing-key errors."""
    sample = (ROOT / "transcripts" / "misunderstandings-and-stereotypes.txt").read_text(encoding="utf-8")
    path = tmp_path / "episode.txt"
    path.write_bytes(("\ufeff\r\n \r\n" + sample.replace("\n", "\r\n")).encode("utf-8"))
    transcript, problems = check_transcript_text(path.read_text(encoding="utf-8-sig"), str(path))
    assert [p for p in problems if p.severity == "error"] == []
    assert transcript.episode == "misunderstandings-and-stereotypes"
    assert transcript.header_lines["title"] == 4  # the file's own line numbers
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output
    unclosed = tmp_path / "unclosed.txt"
    unclosed.write_text("\n\n---\ntitle: T\nJoy: hi\n")
    result = CliRunner().invoke(cli, ["check", str(unclosed)])
    assert f"{unclosed}:3:1: error TRN012" in result.output
