"""Subtitle craft (issue 13): breaks a subtitler would sign, translated-subtitle conventions,
and reading limits whatever the timing source. Real text: the sample episode and its Korean
catalog, tests/data/transcripts/korean-sample.txt, and the interviews in tests/data/raw
(sources in that folder's README)."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SAMPLE_TRANSCRIPT
from toolkit import korean
from toolkit.catalog import translate_transcript
from toolkit.cli import cli
from toolkit.formats.srt import compose_srt, parse_srt
from toolkit.formats.vtt_write import compose_vtt
from toolkit.limits import ENGLISH, KOREAN, text_width
from toolkit.model import Cue, CuePart, Transcript, Turn
from toolkit.segment import cut_text
from toolkit.subtitles import SubtitleOptions, build_cues, on_screen_text, within_reading_limits
from toolkit.timing import TimingOptions, keep_reading_limits
from toolkit.transcript import parse_transcript

RAW = ROOT / "tests" / "data" / "raw"
CATALOG = ROOT / "locales" / "ko" / "LC_MESSAGES" / "misunderstandings-and-stereotypes.po"
NPR = [
    line.split(": ", 1)[-1].replace("[…]", "").strip()
    for line in (RAW / "npr-knau-defector-us-relations.raw.txt").read_text(encoding="utf-8").splitlines()
    if line.startswith(("KIM", "KELLY", "Your country"))
]


def sample() -> tuple[Transcript, Transcript]:
    english, _ = parse_transcript(SAMPLE_TRANSCRIPT.read_text(encoding="utf-8"), str(SAMPLE_TRANSCRIPT))
    translated, problems = translate_transcript(english, CATALOG.read_bytes(), str(CATALOG), "ko")
    assert problems == []
    return english, translated


def korean_texts() -> list[str]:
    """Korean turns: the sample's catalog, the Korean sample transcript, four Korean interviews."""
    _, translated = sample()
    texts = [turn.text for turn in translated.turns]
    path = ROOT / "tests" / "data" / "transcripts" / "korean-sample.txt"
    texts += [turn.text for turn in parse_transcript(path.read_text(encoding="utf-8"), str(path))[0].turns]
    for name in ("ytn-han-seohee-chuseok", "rfa-upr-interview", "unimedia-settlement-stories",
                 "ytn-lim-jihyun-reappears"):  # fmt: skip
        for line in (RAW / f"{name}.raw.txt").read_text(encoding="utf-8").splitlines():
            line = line.replace(" […]", "").strip()
            if len(line) >= 30 and korean.has_hangul(line):
                texts.append(line)
    return texts


# ---------------------------------------------------------------- Korean


def test_no_korean_cue_or_line_breaks_where_the_grammar_forbids() -> None:
    texts = korean_texts()
    assert len(texts) > 40
    found = {text: korean.forbidden_breaks(cut_text(text, KOREAN)) for text in texts}
    assert {text: breaks for text, breaks in found.items() if breaks} == {}


@pytest.mark.parametrize(
    ("text", "together"),
    [
        ('그런데 저는 서서 손님들한테 "어서 오세요!" 하고 인사했거든요.', '"어서 오세요!" 하고'),  # quotation
        ('북한에서 왔다고 하면 "아, 정말요?" 해요.', '"아, 정말요?" 해요.'),  # quotation
        ("북한 사람들에 대한 오해 중에 불편하게 느껴지는 게 있나요?", "사람들에 대한"),  # postposition
        ("가끔은 북한에서는 다들 그렇게 가난했냐는 식으로 묻기도 해요.", "가난했냐는 식으로"),  # adnominal
        ("힘들게 살았을 텐데 전혀 그래 보이지 않는다고 하더라고요.", "보이지 않는다고"),  # auxiliary
    ],
)
def test_korean_keeps_what_belongs_together(text: str, together: str) -> None:
    cues = cut_text(text, KOREAN, max_cue_width=17)
    assert any(together in cue.replace("\n", " ") for cue in cues), cues


def test_the_analyser_forbids_and_prefers_from_the_tags() -> None:
    text = "잊지 말고 새로운 변화가 오기를 바라는데 아직 아니지만 기다려요."
    verdicts = korean.boundaries(text)
    assert verdicts[text.index("말고")] == korean.AUXILIARY  # 잊지 | 말고
    assert verdicts[text.index("변화가")] == korean.ADNOMINAL  # 새로운 | 변화가
    assert verdicts[text.index("아직")] == korean.CLAUSE  # 바라는데 | 아직: after a connective ending
    assert verdicts[text.index("기다려요")] == korean.CLAUSE  # 아니지만 | 기다려요


def test_each_korean_turn_is_analysed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = korean._morphemes

    def counting(text: str) -> list[korean._Morpheme]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(korean, "_morphemes", counting)
    korean.boundaries.cache_clear()
    text = korean_texts()[5] + " " + korean_texts()[6]
    cut_text(text, KOREAN, label="조이:", label_every_cue=True)
    assert calls == [text]


def test_english_never_loads_the_korean_analyser() -> None:
    code = (
        "import sys\nfrom tests.test_craft import sample\n"
        "from toolkit.subtitles import SubtitleOptions, build_cues\n"
        "english, _ = sample()\nbuild_cues(english, SubtitleOptions())\n"
        "print('kiwipiepy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# ---------------------------------------------------------------- English


def english_cues(text: str) -> list[str]:
    return cut_text(text, ENGLISH)


def test_an_abbreviation_ends_no_sentence() -> None:
    cues = [cue for text in NPR for cue in english_cues(text)]
    assert any("U.S." in cue for cue in cues)
    for cue, following in itertools.pairwise(cues):
        if cue.endswith("U.S.") or cue.endswith("Mr."):
            assert not following[:1].islower(), (cue, following)
    assert not any(line.endswith("Mr.") for cue in cues for line in cue.split("\n"))


def test_no_break_after_an_article_preposition_or_adjective_before_its_noun() -> None:
    text = next(text for text in NPR if "very difficult relationship" in text)
    cues = english_cues(text)
    assert any("a very difficult relationship" in cue.replace("\n", " ") for cue in cues), cues
    ends = [line.split()[-1].casefold() for cue in cues for line in cue.split("\n")]
    assert not set(ends) & {"a", "the", "of", "to", "in", "my", "your", "was", "is", "very"}


def test_a_short_lead_in_joins_its_sentence() -> None:
    english, _ = sample()
    cues = build_cues(english, SubtitleOptions())
    assert "In South Korea," not in [cue.text for cue in cues]
    assert all(cue.duration_ms >= 1000 or len(cue.text.split()) == 1 for cue in cues)


def test_a_spaced_hyphen_never_starts_a_cue_or_line() -> None:
    cues = [cue for text in NPR for cue in english_cues(text)]
    assert any(" - " in cue.replace("\n", " ") or cue.endswith(" -") for cue in cues)
    assert not [line for cue in cues for line in cue.split("\n") if line.startswith("-")]


def test_a_hard_split_keeps_grapheme_clusters() -> None:
    flags = "🇰🇷🇰🇵" * 30  # regional indicator pairs
    accents = "e\u0301" * 60  # e + combining acute accent
    for word in (flags, accents):
        cues = cut_text(word, ENGLISH)
        pieces = [line for cue in cues for line in cue.split("\n")]
        assert "".join(pieces) == word
        for piece in pieces:
            assert not piece.startswith("\u0301")
        if word == flags:
            assert all(len(piece) % 4 == 0 for piece in pieces), pieces


# ---------------------------------------------------------------- conventions


def test_default_output_has_no_names_but_webvtt_keeps_voices() -> None:
    english, translated = sample()
    for cues in (build_cues(english, SubtitleOptions()), build_cues(english, SubtitleOptions(),
                                                                     text_from=translated)):  # fmt: skip
        assert not any(cue.text.startswith(("Joy:", "조이:", "Jeongyol:", "정열:")) for cue in cues)
        vtt = compose_vtt(cues)
        assert "<v Joy>" in vtt or "<v 조이>" in vtt
    labelled = build_cues(english, SubtitleOptions(labels="change"))
    assert labelled[0].text == "All: Welcome to the Red Box!"


def test_two_speakers_in_one_cue_get_each_language_s_dialogue_dash() -> None:
    source = Transcript(
        "t.txt", (("language", "en"),), (Turn("Joy", "Is it true?", 1), Turn("Dasom", "Right.", 2))
    )
    translated = Transcript(
        "t.txt", (("language", "ko"),), (Turn("조이", "정말이에요?", 1), Turn("다솜", "맞아요.", 2))
    )
    options = SubtitleOptions(dialogue=True)
    assert build_cues(source, options)[0].text == "-Is it true?\n-Right."
    assert build_cues(source, options, text_from=translated)[0].text == "- 정말이에요?\n- 맞아요."


def test_editorial_notes_never_look_like_sound_descriptions() -> None:
    assert on_screen_text("(Through interpreter) And my request is that") == "And my request is that"
    shown = on_screen_text("a wealthier life there [in North Korea].")
    assert shown == "a wealthier life there in North Korea."
    english, translated = sample()
    for cues in (build_cues(english, SubtitleOptions()), build_cues(english, SubtitleOptions(),
                                                                     text_from=translated)):  # fmt: skip
        assert not any("[" in cue.text or "]" in cue.text for cue in cues)


def test_the_labels_setting_of_the_project_still_works(runner: CliRunner, project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.redbox]\nlabels = "change"\n', encoding="utf-8")
    result = runner.invoke(cli, ["subtitles", "transcripts/misunderstandings-and-stereotypes.txt"])
    assert result.exit_code == 0, result.output
    assert "All: Welcome to the Red Box!" in result.stdout


# ---------------------------------------------------------------- limits


def cue(start: int, end: int, text: str, line: int = 1, speaker: str = "Joy") -> Cue:
    return Cue(start, end, (CuePart(speaker, text),), line)


def test_a_short_cue_extends_into_the_gap_then_borrows_from_its_neighbour() -> None:
    options = TimingOptions()
    cues = [cue(0, 3000, "A lot of people think like that."), cue(3084, 3500, "Right.", 2, "Dasom"),
            cue(3584, 9000, "So those types of questions made me feel uncomfortable.", 3)]  # fmt: skip
    kept = keep_reading_limits(cues, ENGLISH, options)
    assert all(one.duration_ms >= 833 for one in kept)
    gaps = [after.start_ms - before.end_ms for before, after in itertools.pairwise(kept)]
    assert min(gaps) >= options.min_gap_ms
    assert all(text_width(one.text, ENGLISH) / one.duration_ms * 1000 <= 20 for one in kept)


def test_a_fast_cue_merges_with_the_next_cue_of_its_turn() -> None:
    cues = [cue(0, 900, "There are poor people"), cue(984, 1900, "and there are rich people too.")]
    kept = keep_reading_limits(cues, ENGLISH, TimingOptions())
    merged = [one.text.replace("\n", " ") for one in kept]
    assert merged == ["There are poor people and there are rich people too."]
    assert kept[0].duration_ms >= 51 / 20 * 1000 or kept[0].end_ms == 1900


def test_aligned_cues_that_cannot_be_read_are_reported_with_code_cue_and_time() -> None:
    cues = [cue(0, 400, "정말요?", 1, "조이"), cue(484, 3000, "물건을 골라서 계산대에 올려놓고는", 2, "다솜"),
            cue(3084, 3600, "짜장면이나 돼지고기를 먹어 봤냐고 물어봐요.", 3, "조이")]  # fmt: skip
    _kept, problems = within_reading_limits(cues, "ko", SubtitleOptions(), "x.txt", end_ms=3600)
    assert [problem.code for problem in problems] in (["SUB013"], ["SUB014"])
    assert "ko cue 3 at 00:00:0" in problems[0].message
    assert problems[0].line == 3 and problems[0].severity == "warning"


def test_strict_fails_on_a_cue_the_anchors_leave_unreadable(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "tight.txt"
    text = (
        "---\ntitle: T\nepisode: tight\nlanguage: en\nspeakers: Joy, Dasom\n---\n"
        "[00:00:01] Joy: We were all so poor in North Korea, they think.\n"
        "[00:00:01.500] Dasom: Right.\n[00:00:01.900] Joy: Not everyone.\n"
    )
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["subtitles", str(path)])
    assert result.exit_code == 0 and "SUB01" in result.stderr
    strict = runner.invoke(cli, ["subtitles", str(path), "--strict"])
    assert strict.exit_code == 1 and "SUB01" in strict.stderr


# ---------------------------------------------------------------- goldens

GOLDEN = ROOT / "tests" / "data" / "subtitles"


@pytest.mark.parametrize("suffix", ["srt", "vtt"])
def test_the_sample_s_korean_subtitles_match_their_golden_files(suffix: str) -> None:
    """The English sample's golden files are in test_subtitles.py; these are its Korean ones."""
    english, translated = sample()
    cues = build_cues(english, SubtitleOptions(), text_from=translated)
    text = compose_vtt(cues) if suffix == "vtt" else compose_srt(cues)
    path = GOLDEN / f"misunderstandings-and-stereotypes.ko.{suffix}"
    if os.environ.get("REDBOX_UPDATE_GOLDEN") == "1":
        path.write_bytes(text.encode("utf-8"))
    assert path.read_bytes().decode("utf-8") == text, f"{path.name} changed (REDBOX_UPDATE_GOLDEN=1 accepts)"
    assert korean.forbidden_breaks([cue.text for cue in cues]) == []


def test_aligned_timings_keep_the_reading_limits(runner: CliRunner, tmp_path: Path) -> None:
    """A fresh alignment that gives a long sentence 0.9 s: the cue takes the pause after it."""
    transcript = tmp_path / "aligned.txt"
    transcript.write_text(
        "---\ntitle: T\nepisode: aligned\nlanguage: en\nspeakers: Joy, Dasom\n---\n"
        "Joy: Welcome to the Red Box!\n"
        "Dasom: I was still very young and had a very heavy accent.\n"
        "Joy: Are there any misunderstandings?\n",
        encoding="utf-8",
    )
    from toolkit.align.timings import turn_fingerprint

    # Fingerprints (timings 2): the turns are those aligned, so no stale-timing warning.
    header = "turn\tline\tspeaker\tstart\tend\tsynth_ms\tspeech\tuncovered_ms\tfingerprint\twords"
    welcome = turn_fingerprint("Joy", "Welcome to the Red Box!")
    young = turn_fingerprint("Dasom", "I was still very young and had a very heavy accent.")
    question = turn_fingerprint("Joy", "Are there any misunderstandings?")
    rows = [
        f"1\t7\tJoy\t00:00:00.500\t00:00:02.000\t1500\t0.9\t0\t{welcome}\t",
        f"2\t8\tDasom\t00:00:02.100\t00:00:03.000\t900\t0.9\t0\t{young}\t",
        f"3\t9\tJoy\t00:00:06.000\t00:00:08.000\t2000\t0.9\t0\t{question}\t",
    ]
    (tmp_path / "aligned.timings.tsv").write_text(
        "# redbox timings 2\n# language: en\n# audio: a.wav\n# audio_ms: 9000\n" + header + "\n"
        + "\n".join(rows) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = runner.invoke(cli, ["subtitles", str(transcript), "--strict"])
    assert result.exit_code == 0, result.output
    cues, _ = parse_srt(result.stdout, "out.srt")
    assert cues[1].start_ms == 2100  # the in-time stays where the words are heard
    for one in cues:
        assert text_width(one.plain, ENGLISH) / (one.end_ms - one.start_ms) * 1000 <= 20, one
        assert one.end_ms - one.start_ms >= 833
