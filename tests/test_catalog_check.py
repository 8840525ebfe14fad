"""Translation checks CAT000–CAT013: one failing example each, and the shipped catalog passes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.test_catalog import BASE, DATE, fake_korean, make_transcript, translate_all
from toolkit import catalog
from toolkit.catalog import PoFile
from toolkit.catalog.checks import check_catalog_bytes, estimated_duration_ms, reading_speed
from toolkit.model import Problem

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "misunderstandings-and-stereotypes"


def korean_po(turns: list[tuple[str, str]] | None = None) -> PoFile:
    template = catalog.extract(make_transcript(turns or BASE), creation_date=DATE)
    return translate_all(catalog.init(template, "ko", revision_date=DATE))


def with_translation(po: PoFile, msgid: str, msgstr: str, **changes: object) -> PoFile:
    entries = [replace(e, msgstr=msgstr, **changes) if e.msgid == msgid else e for e in po.entries]  # type: ignore[arg-type]
    return replace(po, entries=entries)


def check(po: PoFile, *, transcripts: bool = False) -> list[Problem]:
    mapping = {"test-episode": make_transcript(BASE)} if transcripts else {}
    return check_catalog_bytes(
        catalog.write_po(po), "locales/ko/LC_MESSAGES/test-episode.po", transcripts=mapping
    )


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


def line_of(po: PoFile, msgid: str) -> int:
    parsed = catalog.parse_po(catalog.write_po(po))
    return next(entry.line for entry in parsed.entries if entry.msgid == msgid)


def test_a_good_catalog_has_no_problems() -> None:
    assert check(korean_po(), transcripts=True) == []


def test_the_shipped_korean_catalog_passes_every_check() -> None:
    from toolkit.transcript import parse_transcript

    transcript_path = ROOT / "transcripts" / f"{SAMPLE}.txt"
    transcript, _ = parse_transcript(transcript_path.read_text(encoding="utf-8"), f"transcripts/{SAMPLE}.txt")
    po_path = ROOT / "locales" / "ko" / "LC_MESSAGES" / f"{SAMPLE}.po"
    assert check_catalog_bytes(po_path.read_bytes(), str(po_path), transcripts={SAMPLE: transcript}) == []


def test_cat000_a_file_that_does_not_parse_is_an_error_at_its_line() -> None:
    problems = check_catalog_bytes(b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b\n', "bad.po", transcripts={})
    assert [(p.line, p.severity, p.code) for p in problems] == [(5, "error", "CAT000")]


@pytest.mark.parametrize(
    ("index", "msgstr", "extra", "code", "severity"),
    [
        (3, "", {}, "CAT001", "error"),
        (3, " ", {}, "CAT001", "error"),
        (3, "번역 옛 번역", {"flags": ["fuzzy"]}, "CAT002", "error"),
        (9, "처음 한국에 왔을 때", {}, "CAT010", "warning"),
    ],
)
def test_untranslated_fuzzy_and_too_fast_to_read(
    index: int, msgstr: str, extra: dict[str, object], code: str, severity: str
) -> None:
    po = korean_po()
    msgid = BASE[index][1] if index < len(BASE) else ""
    if code == "CAT010":
        msgid = BASE[2][1]  # "Misunderstandings?": said in about a second
        msgstr = "오해라고요? 그런 오해가 있느냐고 물으시는 건가요? 글쎄요, 생각해 볼게요?"
    changed = with_translation(po, msgid, msgstr, **extra)
    problems = check(changed)
    assert [(p.code, p.severity, p.line) for p in problems] == [(code, severity, line_of(changed, msgid))]


@pytest.mark.parametrize(
    ("source", "translation", "code"),
    [
        ("I'd have lived a wealthier life [in North Korea].", "더 잘살았을 거예요.", "CAT003"),
        ("In 2019 we met.", "이천십구 년에 만났어요.", "CAT004"),
        ("Which team are you cheering for?", "어느 팀을 응원하는지 물었어요.", "CAT005"),
        ("Welcome!", "환영합니다.", "CAT005"),
        ("Okay", "Okay", "CAT006"),
        ("They told me so, they did.", "그들이 그들이 말했어요.", "CAT008"),
        ("A lot of people think like that.", "그렇게 생각하는  사람이 많아요.", "CAT009"),
        ("A lot of people think like that.", "그렇게 생각하는 사람이 많아요. ", "CAT009"),
        ("Dasom said so.", "그녀가 말했어요.", "CAT007"),
    ],
)
def test_each_translation_rule_has_a_failing_example(source: str, translation: str, code: str) -> None:
    turns = [("Joy", source), ("Dasom", "Right")]
    po = korean_po(turns)
    po = with_translation(po, source, translation)
    problems = check(po)
    assert codes(problems) == [code], problems
    assert problems[0].line == line_of(po, source)


def test_cat006_english_catalog_with_hangul_is_an_error() -> None:
    template = catalog.extract(make_transcript([("조이", "맞아요")], language="ko"), creation_date=DATE)
    po = catalog.init(template, "en", revision_date=DATE)
    po = catalog.fill_translations(
        po, {e.key: {"조이": "Joy", "맞아요": "맞아요 Right"}.get(e.msgid, "Test") for e in po.entries}
    )
    problems = check(po)
    assert [(p.code, p.severity) for p in problems] == [("CAT006", "error")]


def test_cat011_header_without_language_or_plural_forms() -> None:
    po = korean_po()
    po.headers = [(name, value) for name, value in po.headers if name not in ("Language", "Plural-Forms")]
    problems = check(po)
    assert [(p.code, p.line) for p in problems if p.code == "CAT011"] == [("CAT011", 3), ("CAT011", 3)]


def test_cat012_newline_at_the_end_must_match_the_source() -> None:
    po = with_translation(korean_po(), BASE[2][1], "오해요?\n")
    assert codes(check(po)) == ["CAT012"]


def test_cat013_catalog_out_of_date_with_the_transcript() -> None:
    old_po = korean_po([*BASE, ("Joy", "A line since removed.")])
    problems = check(old_po, transcripts=True)
    assert codes(problems) == ["CAT013"]
    assert "no longer in transcripts/test-episode.txt" in problems[0].message
    newer = korean_po(BASE[:-1])
    problems = check(newer, transcripts=True)
    assert [(p.source, p.line, p.code) for p in problems] == [("transcripts/test-episode.txt", 14, "CAT013")]


def test_reading_speed_estimate() -> None:
    assert estimated_duration_ms("Right", "en") == 833
    assert estimated_duration_ms("a" * 150, "en") == 10_000
    assert reading_speed(fake_korean("x"), "x" * 30, "en", "ko") == pytest.approx(3 * 1000 / 2000)


def test_template_files_are_not_checked_for_translations() -> None:
    template = catalog.extract(make_transcript(BASE), creation_date=DATE)
    assert check_catalog_bytes(catalog.write_po(template), "locales/test-episode.pot", transcripts={}) == []
