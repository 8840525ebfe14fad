"""The importer's rules, each on the smallest page that shows it (real pages: test_import_pages.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.cli import cli
from toolkit.importer import PageImportError, import_raw, slugify
from toolkit.page import find_label, is_chrome, strip_html
from toolkit.romanize import romanize_hangul
from toolkit.transcript import parse_transcript
from toolkit.validate import check_transcript_text


def _import(text: str, **options: object) -> tuple[list[tuple[str, str]], dict[str, str], list[str]]:
    result = import_raw(text, "page.txt", **options)  # type: ignore[arg-type]
    turns = [(turn.speaker, turn.text) for turn in result.transcript.turns]
    notes = [f"{note.line}: {note.message}" for note in result.notes]
    return turns, dict(result.transcript.header), notes


def _error(text: str, **options: object) -> str:
    with pytest.raises(PageImportError) as caught:
        import_raw(text, "page.txt", **options)  # type: ignore[arg-type]
    return str(caught.value)


INTERVIEW = "A: Hello there.\nB: Hi.\nA: How are you?\nB: Fine.\n"


@pytest.mark.parametrize("line", [
    "Play Live Radio", "Next Up:", "0:00 / 0:00", "0:00 0:00", "12:34", "Available On Air Stations",
    "• Download", "Share", "Advertisement", "Listen", "Skip to main content", "toggle caption",
    "© 2024 WOSU Public Media", "Your browser doesn’t support HTML5", "연결 가능 링크", "글자크기 설정",
    "팝업창 닫기",
])
def test_page_chrome_is_recognised(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize("line", ["Listen to me.", "Share what you saw, please", "Next, the border.",
                                  "KELLY: What gives you this hope?", "At 10:30 we met."])
def test_speech_is_not_chrome(line: str) -> None:
    assert not is_chrome(line)


def test_chrome_labels_never_become_speakers() -> None:
    page = "Title here\nNext Up:\n0:00 / 0:00\nNext Up:\n0: 00\n" + INTERVIEW
    turns, header, _ = _import(page)
    assert header["speakers"] == "A, B" and len(turns) == 4


def test_a_label_met_once_far_from_the_turns_is_not_a_speaker() -> None:
    page = "Title\n\nEditor: Jane Roe\nSomething about the show.\n\n" + INTERVIEW
    _, header, _ = _import(page)
    assert header["speakers"] == "A, B"
    assert header["description"] == "Editor: Jane Roe\nSomething about the show."


def test_no_recurring_label_asks_for_the_cast_at_the_first_line() -> None:
    message = _error("Title\n\nJoy: Hello there.\nDasom: Hi, nice to meet you.\n")
    assert message.startswith("page.txt:1: no label starts two turns")
    assert "Joy (line 3), Dasom (line 4)" in message and "--speakers 'Joy, Dasom'" in message
    turns, _, _ = _import("Title\n\nJoy: Hello there.\nDasom: Hi.\n", speakers=["Joy", "Dasom"])
    assert turns == [("Joy", "Hello there."), ("Dasom", "Hi.")]


def test_a_recurring_label_left_out_of_speakers_is_an_error_at_its_line() -> None:
    message = _error("Title\n" + INTERVIEW, speakers=["A"])
    assert message == ("page.txt:3: label 'B' starts 2 turns but is not in --speakers: add it, or merge it "
                       "with --alias 'B=<speaker>'")


def test_a_long_first_paragraph_is_not_the_title() -> None:
    paragraph = "Kim Hyun-woo stepped into the studio " * 6
    message = _error(paragraph + "\n\n" + INTERVIEW)
    assert message.startswith(f"page.txt:1: no title: the first line of content is {len(paragraph.strip())} "
                              "characters long (a title is at most 120); pass --title")
    _, header, _ = _import(paragraph + "\n\n" + INTERVIEW, title="A defector speaks")
    assert (header["title"], header["episode"]) == ("A defector speaks", "a-defector-speaks")
    assert header["description"] == paragraph.strip()


def test_a_sentence_is_not_a_title_but_an_abbreviation_may_end_one() -> None:
    assert "a sentence, not a title" in _error("He defected in 2014.\n\n" + INTERVIEW)
    _, header, _ = _import("Relations with the U.S.\n\n" + INTERVIEW)
    assert header["title"] == "Relations with the U.S."


def test_without_a_title_the_episode_is_enough() -> None:
    _, header, notes = _import(INTERVIEW, episode="ep-1")
    assert (header["title"], header["episode"]) == ("ep-1", "ep-1")
    assert "1: no title (the page starts with a turn); the episode 'ep-1' is used" in notes[0]


def test_html_is_dropped_from_the_description_with_a_note() -> None:
    page = ("Title\n<script>var x = 1;</script>\n<iframe src=\"https://example.org/embed\" width=\"100%\">\n"
            "Tom &amp; Jerry <b>talk</b>.\n" + INTERVIEW)
    _, header, notes = _import(page)
    assert header["description"] == "Tom & Jerry talk."
    assert notes[:3] == ["2: an HTML fragment dropped", "3: an HTML fragment dropped",
                         "4: HTML markup removed from the line"]
    assert strip_html('1200w" sizes="(min-width: 1300px) 763px" type="image/jpeg"/>') == ("", True)


def test_alias_merges_two_labels_of_one_person() -> None:
    page = "Title\nKIM HYUN WOO: I wanted to see it.\nKELLY: Why?\nKIM: Because.\nKELLY: I see.\nKIM: Yes.\n"
    turns, header, notes = _import(page)
    assert header["speakers"] == "KIM HYUN WOO, KELLY, KIM"
    assert "4: 'KIM' may be 'KIM HYUN WOO': pass --alias 'KIM=KIM HYUN WOO' to merge them" in notes
    turns, header, _ = _import(page, aliases={"KIM": "KIM HYUN WOO"})
    assert header["speakers"] == "KIM HYUN WOO, KELLY"
    assert [speaker for speaker, _ in turns] == ["KIM HYUN WOO", "KELLY"] * 2 + ["KIM HYUN WOO"]


def test_bracketed_abbreviations_name_the_speaker_and_map_later_labels() -> None:
    page = ("Title\nDaily NK [DNK]: When did you leave?\nMr. Kim Ok [KO]: In 2019.\nDNK: Why?\n"
            "KO: The markets closed.\n")
    turns, header, notes = _import(page)
    assert header["speakers"] == "Daily NK, Mr. Kim Ok"
    assert [speaker for speaker, _ in turns] == ["Daily NK", "Mr. Kim Ok", "Daily NK", "Mr. Kim Ok"]
    assert "4: 'DNK' taken as 'Daily NK' (the abbreviation given after that name)" in notes


def test_initials_map_to_the_full_name() -> None:
    turns, header, _ = _import("Title\nHayes Brown: Hi.\nCasey Rackholm: Hello.\nHB: So.\nCR: Yes.\n")
    assert header["speakers"] == "Hayes Brown, Casey Rackholm" and len(turns) == 4
    turns, header, _ = _import("Title\nHayes Brown: Hi.\nCasey Rackholm: Hello.\nHB: So.\nCR: Yes.\nHB: Ok.\n"
                               "CR: Ok.\n", aliases={"HB": "HB", "CR": "CR"})
    assert header["speakers"] == "Hayes Brown, Casey Rackholm, HB, CR"  # kept apart


@pytest.mark.parametrize(("line", "name", "text"), [
    ("진행자 : 안녕하세요.", "진행자", "안녕하세요."),
    ("Host : Welcome.", "Host", "Welcome."),
    ("앵커 :북한에 대한 검토", "앵커", "북한에 대한 검토"),
    ("DAVE DAVIES, HOST:", "DAVE DAVIES", ""),
    ("[앵커]", "앵커", ""),
    ("[제성호 교수] 네.", "제성호 교수", "네."),
    ("[임지현(전혜성) / 탈북자]", "임지현", ""),
    ("    ▶앵커: 교수님.", "앵커", "교수님."),
    ("◆김일혁> 아무래도", "김일혁", "아무래도"),
])
def test_label_forms_of_real_pages(line: str, name: str, text: str) -> None:
    label = find_label(line)
    assert label is not None and (label.name, label.text) == (name, text)


@pytest.mark.parametrize("line", ["So he said: go", "at 10:30 we met", "http://example.org", "김정은>",
                                  "[00:01:23]", "[inaudible conversations]"])
def test_what_is_not_a_label(line: str) -> None:
    assert find_label(line) is None


def test_sounds_and_page_fields_are_never_speakers() -> None:
    page = ("Title\nA: Hello there.\n[LAUGHTER]\nB: Hi.\nPhoto: Reuters\n[LAUGHTER]\nA: How are you?\n"
            "Photo: AP\nB: Fine.\n")
    turns, header, _ = _import(page)
    assert header["speakers"] == "A, B"
    assert turns[0] == ("A", "Hello there.\n[LAUGHTER]")


def test_a_name_the_transcript_cannot_hold_is_refused() -> None:
    assert _error("Title\n" + INTERVIEW, aliases={"B": "bea"}) == (
        "page.txt: 'bea' cannot be a speaker's name in a transcript (one to three capitalised words, or "
        "Hangul words)")


def test_a_space_before_the_colon_still_makes_a_label() -> None:
    page = "제목\n진행자 : 안녕하세요.\n김 : 반갑습니다.\n진행자 : 어디서 오셨어요?\n김 : 평양이요.\n"
    turns, header, _ = _import(page)
    assert header["speakers"] == "진행자, 김" and len(turns) == 4


def test_inline_label_runs_are_split_when_both_labels_are_known() -> None:
    page = ("Title\nNARRATOR: In 2011 he took over. FIFIELD: He was 27. NARRATOR: Nobody knew him.\n"
            "FIFIELD: Not even his age.\nNARRATOR: Then: silence.\n")
    turns, _, _ = _import(page)
    assert turns == [("NARRATOR", "In 2011 he took over."), ("FIFIELD", "He was 27."),
                     ("NARRATOR", "Nobody knew him."), ("FIFIELD", "Not even his age."),
                     ("NARRATOR", "Then: silence.")]
    turns, _, _ = _import("Title\nA: He said VOA: no.\nB: Fine.\nA: Ok.\nB: Ok.\n")
    assert turns[0] == ("A", "He said VOA: no.")  # VOA is no known label


def test_a_continuation_that_reads_as_a_label_is_joined_to_the_line_before() -> None:
    page = "Title\nA: First line.\nB: Hi.\nA: We went there.\nNote: this stays text.\nB: Ok.\n"
    turns, _, notes = _import(page)
    assert turns[2] == ("A", "We went there. Note: this stays text.")
    assert "5: this line would read as a turn of its own; joined to the line before it" in notes


def test_an_empty_turn_is_an_error_at_its_line() -> None:
    assert _error("Title\nA: Hi.\nB: Hello.\nA: Bye.\nB:\n") == "page.txt:5: turn by B has no text"


@pytest.mark.parametrize(("title", "slug"), [
    ("레드 박스: 북한 사람들에 대한 오해", "redeu-bakseu-bukhan-saramdeure-daehan-ohae"),
    ("The Red Box: 설특집", "the-red-box-seolteukjip"),
    ("Café Pyongyang", "cafe-pyongyang"),
])
def test_titles_in_hangul_get_a_romanized_slug(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_a_title_in_another_script_asks_for_the_episode_at_its_line() -> None:
    assert _error("\n北 매체 등장\n\n" + INTERVIEW) == (
        "page.txt:2: cannot make an episode slug from a title in this script (北): pass --episode")
    assert "Ж" in _error("Жизнь в КНДР\n" + INTERVIEW)


#: The examples of the Revised Romanization's rules (National Institute of Korean Language).
@pytest.mark.parametrize(("hangul", "latin"), [
    ("구미", "gumi"), ("영동", "yeongdong"), ("백암", "baegam"), ("옥천", "okcheon"), ("합덕", "hapdeok"),
    ("호법", "hobeop"), ("월곶", "wolgot"), ("벚꽃", "beotkkot"), ("한밭", "hanbat"), ("구리", "guri"),
    ("설악", "seorak"), ("칠곡", "chilgok"), ("임실", "imsil"), ("울릉", "ulleung"),
    ("대관령", "daegwallyeong"), ("백마", "baengma"), ("종로", "jongno"), ("왕십리", "wangsimni"),
    ("별내", "byeollae"), ("신라", "silla"), ("해돋이", "haedoji"), ("같이", "gachi"), ("좋고", "joko"),
    ("놓다", "nota"), ("낳지", "nachi"), ("묵호", "mukho"), ("집현전", "jiphyeonjeon"),
])
def test_revised_romanization_examples(hangul: str, latin: str) -> None:
    assert romanize_hangul(hangul) == latin


def test_stdin_is_read_with_a_dash(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "x.txt"
    result = runner.invoke(cli, ["import", "-", "-o", str(out)], input=("Title\n" + INTERVIEW).encode())
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("---\ntitle: Title\nepisode: title\n")
    failed = runner.invoke(cli, ["import", "-"], input=b"Title\nno turns\n")
    assert failed.exit_code == 1 and failed.stderr.startswith("<stdin>:1: no speaker label found")


def test_aliases_are_given_as_label_equals_speaker(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Title\n" + INTERVIEW, encoding="utf-8")
    assert runner.invoke(cli, ["import", str(page), "--alias", "B"]).exit_code == 2
    result = runner.invoke(cli, ["import", str(page), "--alias", "B=Bea", "--alias", "A=Al"])
    assert result.exit_code == 0, result.output
    assert "speakers: Al, Bea\n" in result.stdout and "\nBea: Fine.\n" in result.stdout


def test_every_error_of_a_page_is_reported_at_its_line(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    opening = "A very long opening sentence that is clearly a paragraph.\n"
    page.write_text(opening + INTERVIEW + "C: x.\nC: y.\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(page), "--speakers", "A"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{page}:1: no title: the first line of content is a sentence, not a title; pass --title 'The title' "
        "(the episode slug is made from it) or --episode",
        f"{page}:3: label 'B' starts 2 turns but is not in --speakers: add it, or merge it with --alias "
        "'B=<speaker>'",
        f"{page}:6: label 'C' starts 2 turns but is not in --speakers: add it, or merge it with --alias "
        "'C=<speaker>'",
    ]


def test_a_check_problem_of_the_output_names_the_page(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Title\n" + INTERVIEW, encoding="utf-8")
    result = runner.invoke(cli, ["import", str(page), "--speakers", "A, B, C"])
    assert result.exit_code == 0
    assert f"{page}: warning TRN002 cast member 'C' never speaks" in result.stderr


_NAMES = ["Joy", "Dasom", "KIM", "조이", "다 같이"]
_LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40).filter(
    lambda text: text.strip() != "")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NAMES), st.lists(_LINE, min_size=1, max_size=3)), min_size=1,
                max_size=8))
def test_whatever_a_page_says_the_import_reads_back_without_errors(
    turns: list[tuple[str, list[str]]],
) -> None:
    page = "Title\n" + "".join(f"{name}: {lines[0]}\n" + "".join(f"{line}\n" for line in lines[1:])
                               for name, lines in turns)
    try:
        result = import_raw(page, "page.txt", speakers=_NAMES)
    except PageImportError:
        return  # (a turn left with no text: reported, not written)
    _, problems = check_transcript_text(result.text, "out.txt")
    assert [p for p in problems if p.severity == "error"] == []
    assert parse_transcript(result.text)[0].turns == tuple(
        (turn.__class__(turn.speaker, turn.text, t.line, t.end_line, turn.anchor_ms, t.label_column))
        for turn, t in zip(result.transcript.turns, parse_transcript(result.text)[0].turns, strict=True)
    )
    assert len(result.page_lines) == result.text.count("\n")


_PAGE_LINE = st.one_of(
    _LINE,
    st.builds(lambda name, text: f"{name}: {text}",
              st.sampled_from([*_NAMES, "Next Up", "Photo", "Q", "DNK"]), _LINE),
    st.builds(lambda name, text: f"[{name}] {text}", st.sampled_from(["앵커", "LAUGHTER", "Joy"]), _LINE),
    st.sampled_from(["", "0:00 / 0:00", "Share", "<iframe src=\"x\">", "Daily NK [DNK]: Hi.", "©2024 NPR",
                     "A: x. B: y.", "KIM: Yes. FIFIELD: No.", "---", "    ▶앵커: 네."]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PAGE_LINE, min_size=1, max_size=25))
def test_any_page_that_imports_writes_a_transcript_that_checks_clean(lines: list[str]) -> None:
    try:
        result = import_raw("\n".join(lines), "page.txt", episode="ep")
    except PageImportError:
        return
    _, problems = check_transcript_text(result.text, "out.txt")
    assert [p for p in problems if p.severity == "error"] == []
    assert len(result.page_lines) == result.text.count("\n")
    assert all(0 <= line <= len(lines) for line in result.page_lines)


MISSPELT_PAGE = (
    "Talking about home\nJoy: Hello there, everyone.\nDasom: Hi Joy, how are you?\nJoy: Good, thanks.\n"
    "{line}\nDasom: Me too.\nJoy: Bye.\n"
)


@pytest.mark.parametrize("written", ["dasom:", "DA SOM:", "Dasom;", "Dasom (translated):", "Dasom："])
def test_a_cast_label_written_another_way_is_that_speaker_s_turn_never_text(written: str) -> None:
    turns, _, notes = _import(MISSPELT_PAGE.format(line=f"{written} I missed home a lot."), episode="talk")
    assert ("Dasom", "I missed home a lot.") in turns
    assert len(turns) == 6
    if written in ("dasom:", "DA SOM:", "Dasom;"):  # (the others are labels the page reader knows)
        assert [note for note in notes if note.startswith("5: ")] == [
            f"5: {written!r} read as a turn of 'Dasom' (the label is written another way there)"
        ]


def test_a_near_miss_of_a_speaker_is_an_error_asking_for_an_alias() -> None:
    page = MISSPELT_PAGE.format(line="Dasmo: I missed home a lot.")
    message = _error(page, episode="talk")
    assert "page.txt:5: 'Dasmo' is close to the speaker 'Dasom': pass --alias 'Dasmo=Dasom'" in message
    turns, _, _ = _import(page, episode="talk", aliases={"Dasmo": "Dasom"})
    assert ("Dasom", "I missed home a lot.") in turns
