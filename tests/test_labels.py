"""A line that starts like a speaker label is a turn of a cast member or a reported error, never
silently text; a text line that starts like one is written with the escape ``\\``."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SAMPLE_TRANSCRIPT
from toolkit.cli import cli
from toolkit.model import Transcript, Turn
from toolkit.transcript import match_label, parse_transcript
from toolkit.transcript_write import format_transcript
from toolkit.validate import check_transcript_text

GOLDEN_SRT = ROOT / "tests" / "data" / "subtitles" / "misunderstandings-and-stereotypes.en.srt"
KOREAN_SAMPLE = ROOT / "tests" / "data" / "transcripts" / "korean-sample.txt"
#: The sample's lines that start with ``Dasom: ``.
DASOM_LINES = (20, 26, 39)
CAST_LINE = "speakers: All, Jeongyol, Ilhyeok, Joy, Dasom\n"


@pytest.fixture(autouse=True)
def _outside_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run where the shipped sample is not a neighbour of its edited copies."""
    monkeypatch.chdir(tmp_path)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def sample_with(label: str, cast_name: str | None = None) -> str:
    """The sample with every ``Dasom: `` label written ``label`` (and Dasom renamed in the cast)."""
    text = SAMPLE_TRANSCRIPT.read_text(encoding="utf-8")
    assert text.count("\nDasom: ") == len(DASOM_LINES)
    text = text.replace("\nDasom: ", "\n" + label)
    if cast_name is not None:
        text = text.replace(CAST_LINE, CAST_LINE.replace("Dasom", cast_name))
    return text


def check(runner: CliRunner, tmp_path: Path, text: str) -> tuple[int, str, Path]:
    path = tmp_path / "misunderstandings-and-stereotypes.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["check", str(path), "--strict"])
    return result.exit_code, result.output, path


def turns_of(text: str) -> list[tuple[str, str]]:
    return [(turn.speaker, turn.text) for turn in parse_transcript(text)[0].turns]


# ---- Accepted: the line is a turn of the cast member. ----


@pytest.mark.parametrize(
    "label",
    ["Dasom：", "Dasom： ", "Dasom:", "Dasom : ", "Dasom\t:\t", "  Dasom: "],
    ids=["fullwidth-colon", "fullwidth-colon-space", "no-space-after-colon", "space-before-colon", "tabs",
         "indented"],
)
def test_a_cast_name_with_another_colon_or_spacing_is_its_turn(
    runner: CliRunner, tmp_path: Path, sample_text: str, label: str
) -> None:
    code, output, path = check(runner, tmp_path, sample_with(label))
    assert code == 0, output
    assert "0 error(s), 0 warning(s)" in output
    assert turns_of(path.read_text(encoding="utf-8")) == turns_of(sample_text)
    subtitles = runner.invoke(cli, ["subtitles", str(path)])
    assert subtitles.exit_code == 0, subtitles.output
    assert subtitles.stdout_bytes == GOLDEN_SRT.read_bytes()  # byte for byte the shipped subtitles


@pytest.mark.parametrize(
    ("label", "cast_name"),
    [
        ("金正日: ", "金正日"),
        ("金正日：", "金正日"),
        ("سارة: ", "سارة"),
        ("다솜： ", "다솜"),
        ("이영석:", "이영석"),  # no space after the colon, as Korean keyboards type it
        (nfd("다솜") + ": ", "다솜"),  # a decomposed label, a composed cast
        ("다솜: ", nfd("다솜")),  # and the other way round
        ("Ünal: ", nfd("Ünal")),
        ("dj kim: ", "dj kim"),  # a cast member's name is a label whatever its case
    ],
    ids=["han", "han-fullwidth", "arabic", "hangul-fullwidth", "hangul-no-space", "nfd-label", "nfd-cast",
         "nfd-latin", "lowercase-cast"],
)
def test_a_cast_name_in_any_script_or_normal_form_is_its_turn(
    runner: CliRunner, tmp_path: Path, sample_text: str, label: str, cast_name: str
) -> None:
    code, output, path = check(runner, tmp_path, sample_with(label, cast_name))
    assert code == 0, output
    speaker = cast_name  # the header's own spelling
    expected = [(speaker if name == "Dasom" else name, text) for name, text in turns_of(sample_text)]
    assert turns_of(path.read_text(encoding="utf-8")) == expected


def test_the_korean_sample_reads_the_same_with_fullwidth_colons_no_spaces_or_decomposed() -> None:
    text = KOREAN_SAMPLE.read_text(encoding="utf-8")
    expected = turns_of(text)
    variants = (
        text.replace("조이: ", "조이:"), text.replace("조이: ", "조이："), text.replace("정열:", "정열："),
    )
    for variant in variants:
        assert turns_of(variant) == expected
        assert check_transcript_text(variant, "ko.txt")[1] == []
    header, body = text.split("\n---\n")
    # A decomposed body: its speakers are spelt as the header spells them, its text is kept as it was.
    decomposed_body = parse_transcript(f"{header}\n---\n{nfd(body)}")[0]
    assert [turn.speaker for turn in decomposed_body.turns] == [speaker for speaker, _ in expected]
    assert [turn.text for turn in decomposed_body.turns] == [nfd(text) for _, text in expected]
    decomposed = parse_transcript(nfd(text))[0]
    assert [turn.speaker for turn in decomposed.turns] == [nfd(speaker) for speaker, _ in expected]


# ---- Errors: reported at the line and column, with the cast name meant. ----


@pytest.mark.parametrize(
    ("label", "code", "column", "hint"),
    [
        ("dasom: ", "TRN021", 1, "did you mean 'Dasom:'?"),
        ("dasom:", "TRN021", 1, "did you mean 'Dasom:'?"),
        ("Da som: ", "TRN021", 1, "did you mean 'Dasom:'?"),
        ("Dasmo:", "TRN021", 1, "did you mean 'Dasom:'?"),
        ("dasom：", "TRN021", 1, "did you mean 'Dasom:'?"),
        ("Dasom; ", "TRN022", 6, "ends with ';': did you mean 'Dasom:'?"),
        ("Dasom ; ", "TRN022", 7, "ends with ';': did you mean 'Dasom:'?"),
        ("dasom; ", "TRN022", 6, "did you mean 'Dasom:'?"),
        ("Dasom (translated): ", "TRN023", 7, "holds a note: a label is a name and a colon; write 'Dasom:'"),
        ("Dasom(translated): ", "TRN023", 6, "write 'Dasom:'"),
        ("Dasom (at 10:30): ", "TRN023", 7, "write 'Dasom:'"),
        ("DASOM: ", "TRN001", 1, "is not in the cast; did you mean 'Dasom'?"),
        ("[00:01:02] dasom: ", "TRN021", 12, "did you mean 'Dasom:'?"),
        ("다솜： ", "TRN001", 1, "'다솜' is not in the cast (cast: All, Jeongyol, Ilhyeok, Joy, Dasom)"),
        ("金正日: ", "TRN001", 1, "'金正日' is not in the cast (cast: All, Jeongyol, Ilhyeok, Joy, Dasom)"),
        ("سارة: ", "TRN001", 1, "'سارة' is not in the cast (cast: All, Jeongyol, Ilhyeok, Joy, Dasom)"),
    ],
    ids=["lowercase", "lowercase-no-space", "spaced", "misspelt-no-space", "lowercase-fullwidth", "semicolon",
         "space-semicolon", "lowercase-semicolon", "note", "note-no-space", "note-with-colon", "uppercase",
         "stamped-lowercase", "hangul-not-in-cast", "han-not-in-cast", "arabic-not-in-cast"],
)
def test_a_mistyped_label_is_an_error_at_its_line_and_column(
    runner: CliRunner, tmp_path: Path, label: str, code: str, column: int, hint: str
) -> None:
    exit_code, output, path = check(runner, tmp_path, sample_with(label))
    assert exit_code == 1
    for line in DASOM_LINES:
        where = f"{path.name}:{line}:{column}: error {code} "  # (the path as the command shows it)
        reported = [row for row in output.splitlines() if where in row]
        assert len(reported) == 1, output
        assert hint in reported[0]
    subtitles = runner.invoke(cli, ["subtitles", str(path)])
    assert subtitles.exit_code == 1 and subtitles.stdout == ""  # never a subtitle with "dasom:" in its text


def test_a_mistyped_label_still_starts_a_turn_so_the_rest_checks_normally(sample_text: str) -> None:
    transcript, problems = parse_transcript(sample_with("dasom: "), "t.txt")
    assert [(turn.speaker, turn.text) for turn in transcript.turns] == turns_of(sample_text)
    assert [(problem.line, problem.code) for problem in problems] == [(n, "TRN021") for n in DASOM_LINES]


def test_the_note_message_shows_the_label_as_written() -> None:
    label = match_label("Dasom (translated): hi", ["Dasom"])
    assert label is not None and (label.name, label.text, label.code) == ("Dasom", "hi", "TRN023")
    _, problems = parse_transcript("Joy: a\nMinji (laughs): b\n")  # no cast: still an error
    assert [(p.line, p.column, p.code) for p in problems] == [(2, 7, "TRN023")]
    assert "'Minji (laughs):'" in problems[0].message


# ---- Text stays text. ----

PROSE = [
    'He said: "we will go"',
    "At 10:30 we met again",
    "10:30 is when we met",
    "https://example.org/red-box",
    "Ratio 3:1 for the home team",
    "so: yes",
    "However; we stayed",
    "Dasom said: I was born there",  # a cast name, but a sentence
    "(laughs): that's all",
    "Joy and Dasom: both of us",
    "그래서 내가 말했어: 아니",
    "我们当时在学校的时候：",
]


@pytest.mark.parametrize("line", PROSE)
def test_prose_with_a_colon_stays_text(line: str) -> None:
    header = "---\ntitle: T\nepisode: ep\nlanguage: en\nspeakers: Joy, Dasom, All\n---\n"
    text = f"{header}Joy: First.\n{line}\nThat was all.\nDasom: Hi.\nAll: Bye.\n"
    transcript, problems = check_transcript_text(text, "t.txt")
    assert problems == []  # (the prose checks too: the turns end with full stops)
    assert [(turn.speaker, turn.text) for turn in transcript.turns] == [
        ("Joy", f"First.\n{line}\nThat was all."), ("Dasom", "Hi."), ("All", "Bye."),
    ]


def test_a_capitalised_word_and_colon_outside_the_cast_is_reported_not_hidden() -> None:
    header = "---\ntitle: T\nepisode: ep\nlanguage: en\nspeakers: Joy, Dasom\n---\n"
    body = "Joy: First.\nNote: recorded in 2019.\nDasom: Hi.\n"
    _, problems = check_transcript_text(header + body, "t.txt")
    assert [(p.line, p.column, p.code) for p in problems] == [(8, 1, "TRN001")]


def test_a_transcript_without_cast_keeps_todays_reading() -> None:
    text = "Joy: a\ndasom: b\nDasom; c\nJoy:d\n조이:안녕\n"
    transcript, problems = parse_transcript(text)
    assert problems == []
    assert [(turn.speaker, turn.text) for turn in transcript.turns] == [
        ("Joy", "a\ndasom: b\nDasom; c\nJoy:d\n조이:안녕"),
    ]


# ---- The escape. ----


def test_a_backslash_keeps_a_label_like_line_as_text() -> None:
    header = "---\ntitle: T\nepisode: ep\nlanguage: en\nspeakers: Joy, Dasom\n---\n"
    body = "Joy: First.\n\\Note: recorded in 2019.\n  \\dasom: not a label.\n\\\\server\\share.\nDasom: Hi.\n"
    transcript, problems = check_transcript_text(header + body, "t.txt")
    assert problems == []
    assert [(turn.speaker, turn.text) for turn in transcript.turns] == [
        ("Joy", "First.\nNote: recorded in 2019.\ndasom: not a label.\n\\server\\share."),
        ("Dasom", "Hi."),
    ]
    assert format_transcript(transcript) == header + body.replace("  \\dasom", "\\dasom")


def test_the_shipped_sample_is_written_back_byte_for_byte(sample_text: str) -> None:
    assert format_transcript(parse_transcript(sample_text)[0]) == sample_text


_CASTS = [("Joy", "Dasom", "All"), ("조이", "다 같이", "金正日"), ("dj kim", "Ünal", "سارة"), ()]
_AWKWARD_LINES = [
    "Joy: hi", "joy: hi", "Dasom:x", "Dasom; x", "Dasom (translated): x", "Da som: x", "Note: x", "Q: why",
    "조이:안녕", "조이： 안녕", "金正日：你好", "dj kim: x", "DJ KIM: x", "\\", "\\\\", "\\Joy: hi", "\\x",
    "So he said: no", "10:30", "https://x.org", "[00:01] Joy: hi", "Ünal: x", nfd("Ünal: x"),
    "---", "Minji (laughs): x", "سارة: x",
]
_LINE = st.one_of(
    st.sampled_from(_AWKWARD_LINES),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\n\r"), max_size=30),
).map(str.strip).filter(bool)


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    cast = draw(st.sampled_from(_CASTS))
    speakers = [*cast, "Minji", "Kim Jeong"]
    turns = []
    for number in range(draw(st.integers(1, 6))):
        paragraphs = draw(st.lists(st.lists(_LINE, min_size=1, max_size=3), min_size=1, max_size=3))
        text = "\n\n".join("\n".join(lines) for lines in paragraphs)
        anchor = number * 1000 if draw(st.booleans()) else None
        turns.append(Turn(draw(st.sampled_from(speakers)), text, 0, 0, anchor))
    header = (("title", "T"), ("episode", "ep"), ("language", "en"), ("speakers", ", ".join(cast)))
    return Transcript("t.txt", header if cast else (), tuple(turns))


@settings(max_examples=400, deadline=None)
@given(transcripts())
def test_format_then_parse_gives_the_same_turns(transcript: Transcript) -> None:
    written = format_transcript(transcript)
    parsed, problems = parse_transcript(written, "t.txt")
    assert problems == []
    assert [(t.speaker, t.text, t.anchor_ms) for t in parsed.turns] == [
        (t.speaker, t.text, t.anchor_ms) for t in transcript.turns
    ]
    assert format_transcript(parsed) == written
