"""``redbox import`` on pages copied from real interview transcripts (tests/data/raw/README.md):
the cast, title and turns a user gets, with only the options a user would have to pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.importer import PageImportError, import_raw
from toolkit.page import find_label
from toolkit.text_checks import TEXT_RULES
from toolkit.validate import check_transcript_text

RAW = Path(__file__).resolve().parent / "data" / "raw"

#: page, options passed by hand, title, episode, cast, turns
PAGES = [
    ("npr-knau-defector-us-relations", ["--alias", "KIM=KIM HYUN WOO"],
     "North Korean defector shares his views on relations with the U.S.",
     "north-korean-defector-shares-his-views-on-relations-with-the-u-s", ("KIM HYUN WOO", "KELLY"), 7),
    ("npr-defector-human-rights", ["--title", "North Korean Defector On Human Rights"],
     "North Korean Defector On Human Rights", "north-korean-defector-on-human-rights",
     ("SARAH SANDERS", "INSKEEP", "SUNGJU LEE"), 4),
    ("cbs-fifield-intelligence-matters", [],
     'Transcript: Anna Fifield talks with Michael Morell on "Intelligence Matters"',
     "transcript-anna-fifield-talks-with-michael-morell-on-intelligence-matters",
     ("MICHAEL MORELL", "ANNA FIFIELD"), 8),
    ("news-oclock-kim-jong-un", [], 'News O\'Clock: Kim Jong Un Is "Missing Kim Action"',
     "news-o-clock-kim-jong-un-is-missing-kim-action", ("Hayes Brown", "Casey Rackholm"), 15),
    ("ytn-han-seohee-chuseok", [], "북, 추석에도 무력 도발...탈북민이 말하는 김정은 정권 / YTN",
     "buk-chuseogedo-muryeok-dobal-talbungmini-malhaneun-gimjeongeun-jeonggwon-ytn", ("앵커", "한서희"), 6),
    ("unimedia-settlement-stories", [], "설특집, 남한생활정착기", "seolteukjip-namhansaenghwaljeongchakgi",
     ("박", "한"), 7),
    ("rfa-upr-interview", ["--title", "RFA 제성호 교수 UPR 인터뷰"], "RFA 제성호 교수 UPR 인터뷰",
     "rfa-jeseongho-gyosu-upr-inteobyu", ("앵커", "기자", "제성호 교수"), 5),
    ("ytn-lim-jihyun-reappears", ["--episode", "ytn-lim-jihyun"],
     "北 매체 등장한 탈북자 임지현...납치? 재월북?", "ytn-lim-jihyun", ("앵커", "임지현", "인터뷰"), 4),
]


def _options(args: list[str]) -> dict[str, object]:
    options: dict[str, object] = {}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag == "--alias":
            label, _, speaker = value.partition("=")
            options["aliases"] = {label: speaker}
        else:
            options[flag.lstrip("-")] = value
    return options


@pytest.mark.parametrize(("page", "args", "title", "episode", "cast", "turns"), PAGES,
                         ids=[page[0] for page in PAGES])
def test_a_real_page_imports_with_the_right_cast_title_and_turns(
    page: str, args: list[str], title: str, episode: str, cast: tuple[str, ...], turns: int
) -> None:
    path = RAW / f"{page}.raw.txt"
    result = import_raw(path.read_text(encoding="utf-8"), str(path), **_options(args))  # type: ignore[arg-type]
    transcript = result.transcript
    assert (transcript.title, transcript.episode, transcript.speakers) == (title, episode, cast)
    assert len(transcript.turns) == turns
    assert {turn.speaker for turn in transcript.turns} == set(cast)
    _, problems = check_transcript_text(result.text, "imported.txt")
    # What is written passes `redbox check --strict`, but for the page's own prose slips
    # (TRN030-TRN037: a spaced hyphen, a question without its mark), which import keeps as written.
    assert [problem for problem in problems if problem.code not in TEXT_RULES] == []
    page_lines = path.read_text(encoding="utf-8").split("\n")
    for turn in transcript.turns:  # every turn points at the page line its label is on
        assert find_label(page_lines[turn.line - 1]) is not None


@pytest.mark.parametrize(("page", "line", "wanted"), [
    ("npr-defector-human-rights", 1, "no title: the first line of content is 133 characters long"),
    ("rfa-upr-interview", 1, "no title: the page starts with a turn"),
    ("ytn-lim-jihyun-reappears", 5, "cannot make an episode slug from a title in this script (北)"),
])
def test_what_a_page_lacks_is_an_error_at_its_line(page: str, line: int, wanted: str) -> None:
    path = RAW / f"{page}.raw.txt"
    with pytest.raises(PageImportError) as caught:
        import_raw(path.read_text(encoding="utf-8"), str(path))
    assert str(caught.value).startswith(f"{path}:{line}: {wanted}")


def test_page_chrome_never_becomes_a_speaker_and_the_masthead_is_not_the_title(runner: CliRunner) -> None:
    path = RAW / "npr-knau-defector-us-relations.raw.txt"
    result = runner.invoke(cli, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "title: North Korean defector shares his views on relations with the U.S.\n" in result.stdout
    assert "Next Up" not in result.stdout and "0:00" not in result.stdout and "Arizona" not in result.stdout
    assert f"{path}:1: note: 'Arizona Public Radio | Your Source for NPR News': before the" in result.stderr
    assert f"{path}:2: note: 4 line(s) of page chrome dropped: 'Play Live Radio', 'Next Up:'" in result.stderr
    assert f"{path}:16: note: 'KIM' may be 'KIM HYUN WOO': pass --alias 'KIM=KIM HYUN WOO'" in result.stderr
    assert "speakers proposed from the labels found: KIM HYUN WOO, KELLY, KIM" in result.stderr


def test_an_iframe_is_dropped_from_the_description_with_a_note(runner: CliRunner) -> None:
    path = RAW / "npr-defector-human-rights.raw.txt"
    result = runner.invoke(cli, ["import", str(path), "--title", "North Korean Defector On Human Rights"])
    assert result.exit_code == 0, result.output
    assert "iframe" not in result.stdout and "Download" not in result.stdout
    assert f"{path}:8: note: an HTML fragment dropped" in result.stderr


def test_a_footer_after_the_turns_is_dropped(runner: CliRunner) -> None:
    path = RAW / "unimedia-settlement-stories.raw.txt"
    result = runner.invoke(cli, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("최광혁씨의 사연입니다.\n\n<중략>\n")  # the editor's cut stays
    assert f"{path}:24: note: lines 24-30 dropped as the page's footer" in result.stderr
