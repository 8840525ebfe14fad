"""The prose checks (TRN030-TRN037): what each one finds, where, and what it leaves alone."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from tests.conftest import ROOT, sample_as_imported
from toolkit.text_checks import Finding, text_findings
from toolkit.transcript import parse_transcript
from toolkit.validate import RULES, check_transcript_text


def header(language: str = "en", extra: str = "") -> str:
    return f"---\ntitle: T\nepisode: ep\nlanguage: {language}\nspeakers: Joy, Dasom\n{extra}---\n"


def findings(body: str, language: str = "en", extra: str = "") -> list[Finding]:
    text = header(language, extra) + body
    transcript, problems = parse_transcript(text, "t.txt")
    assert not [problem for problem in problems if problem.severity == "error"], problems
    return text_findings(transcript, text)


def found(body: str, code: str, language: str = "en") -> list[tuple[int, int]]:
    """(line, column) of each ``code`` finding, lines counted from the first body line."""
    offset = header(language).count("\n")
    return [
        (finding.problem.line - offset, finding.problem.column)
        for finding in findings(body, language)
        if finding.problem.code == code
    ]


def fixed(body: str, language: str = "en") -> str:
    """The body after the edits of one pass (each finding's own edit, applied right to left)."""
    offset = header(language).count("\n")
    lines = body.split("\n")
    edits = sorted((f.edit for f in findings(body, language) if f.edit), key=lambda e: (e.line, -e.start))
    for edit in edits:
        line = lines[edit.line - offset - 1]
        lines[edit.line - offset - 1] = line[: edit.start] + edit.replacement + line[edit.end :]
    return "\n".join(lines)


def test_every_prose_rule_is_a_warning_with_a_name() -> None:
    for code in (f"TRN0{number}" for number in range(30, 38)):
        severity, name = RULES[code]
        assert severity == "warning" and name


# ------------------------------------------------------------------------------ the sample


def test_the_imported_sample_has_its_three_known_problems_at_their_places() -> None:
    text = sample_as_imported()  # (the shipped transcript, until `redbox fix` and two full stops)
    _, problems = check_transcript_text(text, "sample.txt")
    assert [(p.line, p.column, p.code) for p in problems] == [
        (7, 124, "TRN030"),  # "the struggle of of facing" (description, second line)
        (16, 431, "TRN033"),  # "…There's people who live well too" (end of Joy's turn)
        (21, 322, "TRN033"),  # "…It made me feel very uncomfortable"
        (25, 28, "TRN031"),  # "I answered, "I'm not … for fun.”" (straight opening, curly closing)
        (34, 127, "TRN031"),  # "say, ”But you guys…”"
    ]
    lines = text.split("\n")
    assert lines[6][123:125] == "of" and lines[33][126] == "”" and lines[24][27] == '"'
    assert lines[20].endswith("very uncomfortable") and len(lines[20]) + 1 == 322


def test_the_korean_sample_is_clean() -> None:
    path = Path(ROOT / "tests" / "data" / "transcripts" / "korean-sample.txt")
    _, problems = check_transcript_text(path.read_text(encoding="utf-8"), str(path))
    assert problems == []


# ------------------------------------------------------------------- TRN030 doubled words


def test_doubled_word_is_found_case_insensitively_at_a_sentence_start() -> None:
    assert found("Joy: I think the the answer is no.\n", "TRN030") == [(1, 18)]
    assert found("Joy: Yes. The the answer is no.\n", "TRN030") == [(1, 15)]
    assert fixed("Joy: Yes. The the answer is no.\n") == "Joy: Yes. The answer is no.\n"
    assert fixed("Joy: I I think it was a a dog.\n") == "Joy: I think it was a dog.\n"


def test_doubled_word_across_a_line_break_keeps_the_lines() -> None:
    body = "Joy: We talked about the\nthe struggle of facing it.\n"
    assert found(body, "TRN030") == [(2, 1)]
    assert fixed(body) == "Joy: We talked about the\nstruggle of facing it.\n"


def test_doubled_word_alone_on_its_line_drops_the_first_one() -> None:
    body = "Joy: We talked about the\nthe\nstruggle of facing it.\n"
    assert fixed(body) == "Joy: We talked about\nthe\nstruggle of facing it.\n"


def test_doubled_word_in_the_header_description() -> None:
    extra = "description: First line.\n  The struggle of of facing it.\n"
    result = [f.problem for f in findings("Joy: Hi there.\n", extra=extra) if f.problem.code == "TRN030"]
    assert [(p.line, p.column) for p in result] == [(7, 19)]


def test_doubled_word_is_never_looked_for_across_turns() -> None:
    assert found("Joy: I said the\nDasom: The end.\n", "TRN030") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "If I had had time, I would have gone.",
        "I don't think that that is a problem.",
        "It was very very cold.",
        "No no, that is not it.",
        "No no no, that is not it.",  # three times: deliberate
        "It went on and on on on on.",
        "Bye bye, see you.",
        "We went to Walla Walla last year.",  # a capital mid-sentence: a name
        "Of course Will will come.",
        "What it is is a question of time.",
        "It was 10 10 minutes ago.",  # numbers
        "No, no, that is not it.",  # punctuation in between
        "Spell it B B C.",  # single letters
        "Grades: A A B.",
        "The opcodes LOAD_FAST LOAD_FAST follow.",
        "Vous vous moquez de moi.",  # French and German pronouns and articles double up
        "Ich weiß, dass die die Antwort kennen.",
    ],
)
def test_grammatical_or_deliberate_doubles_are_allowed(sentence: str) -> None:
    assert found(f"Joy: {sentence}\n", "TRN030") == []


def test_korean_doubles_are_allowed_or_reported_without_a_fix() -> None:
    assert found("Joy: 정말 정말 고마워요.\n", "TRN030", "ko") == []
    assert found(unicodedata.normalize("NFD", "Joy: 정말 정말 고마워요.\n"), "TRN030", "ko") == []
    assert found("Joy: 하나 하나 다 기억나요.\n", "TRN030", "ko") == []
    (finding,) = [f for f in findings("Joy: 그리고 그리고 왔어요.\n", "ko") if f.problem.code == "TRN030"]
    assert finding.edit is None and "Korean" in finding.problem.message


# ----------------------------------------------------------------- TRN031 quotation marks


def test_a_closing_mark_that_opens_a_quotation_is_turned() -> None:
    body = "Joy: They say, ”But you guys should have.” That is sad.\n"
    assert found(body, "TRN031") == [(1, 16)]
    assert fixed(body) == "Joy: They say, “But you guys should have.” That is sad.\n"


def test_straight_and_curly_marks_of_one_pair_take_the_curly_style() -> None:
    curly = "Joy: I answered, “I am not.” Then I left.\n"
    assert fixed('Joy: I answered, "I am not.” Then I left.\n') == curly
    assert fixed('Joy: I answered, “I am not." Then I left.\n') == curly
    assert fixed("Joy: I answered, “I am not.“ Then I left.\n") == curly


def test_unbalanced_quotes_are_reported_without_a_fix() -> None:
    unclosed = [f for f in findings('Joy: He said "no and left.\n') if f.problem.code == "TRN031"]
    assert [(f.problem.column, f.edit) for f in unclosed] == [(14, None)]
    assert "never closed" in unclosed[0].problem.message
    assert found("Joy: He said no” and left.\n", "TRN031") == [(1, 16)]
    assert found("Joy: He said ”no and left.\n", "TRN031") == [(1, 14)]  # turned, but no closing mark


@pytest.mark.parametrize(
    "body",
    [
        'Joy: They say "Welcome!" and "oh really?" every day.\n',
        "Joy: “It's because she's North Korean.”\n",
        'Joy: "Today\'s sponsor is "Audible", a provider of audiobooks."\n',  # nested
        "Joy: “The first paragraph of the letter,\n“and the second one.”\n",  # quoted paragraphs
        "Joy: I don’t know, the students’ books, the ’90s.\n",  # apostrophes
        "Joy: He is 5'10\" tall.\n",  # inches
        "Joy: And you're like \"well hang on,-\nDasom: No.\nJoy: -are you all just-\" and so on.\n",
        "Joy: Sie sagte: „so geht das“ und ging.\n",
        "Joy: 이른바 ‘3대 악법’이라는 것이 “안녕”이라고 했어요.\n",  # Korean particles after the mark
    ],
)
def test_balanced_quotations_are_clean(body: str) -> None:
    assert found(body, "TRN031") == []


def test_a_single_opening_mark_used_as_an_apostrophe_is_turned() -> None:
    assert fixed("Joy: I don‘t know.\n") == "Joy: I don’t know.\n"
    assert found("Joy: He said ‘no and left.\n", "TRN031") == [(1, 14)]
    assert found("Joy: He said ‘no’ and left.\n", "TRN031") == []


# ------------------------------------------------------------------------ TRN032 brackets


def test_brackets_must_close_and_match() -> None:
    assert found("Joy: We went there (in 2019.\n", "TRN032") == [(1, 20)]
    assert found("Joy: We went there in 2019).\n", "TRN032") == [(1, 27)]
    assert found("Joy: We went [there (in 2019].\n", "TRN032") == [(1, 21)]
    assert found("Joy: 『책 「제목」을 읽었어요.\n", "TRN032", "ko") == [(1, 6)]


@pytest.mark.parametrize(
    "body",
    [
        "Joy: I might've lived a wealthier life there [in North Korea].\n",
        "Joy: 『책 「제목」』을 읽었어요.\n",
        "Joy: Two things: 1) the food and b) the people.\n",
        "Joy: That was fun :) and sad :-(\n",
        "Joy: (laughs) It was\nfun (really).\n",
        "Joy: It was fun (the part where\nwe sang).\n",
    ],
)
def test_matched_brackets_enumerators_and_emoticons_are_clean(body: str) -> None:
    assert found(body, "TRN032") == []


# --------------------------------------------------------------- TRN033 final punctuation


def test_a_turn_without_final_punctuation_is_found_where_the_stop_belongs() -> None:
    assert found("Joy: It made me feel very uncomfortable\nDasom: Yes.\n", "TRN033") == [(1, 40)]
    assert found("Joy: It made me feel\nvery uncomfortable\n", "TRN033") == [(2, 19)]


def test_each_paragraph_of_a_turn_ends_with_punctuation() -> None:
    assert found("Joy: First part of it\n\nSecond part of it.\n", "TRN033") == [(1, 22)]


def test_korean_turns_end_with_punctuation_too() -> None:
    assert found("Joy: 정말 불편했어요\n", "TRN033", "ko") == [(1, 14)]
    assert found(unicodedata.normalize("NFD", "Joy: It was Chŏngyŏl\n"), "TRN033") == [(1, 23)]
    assert found("Joy: 정말 불편했어요.\n", "TRN033", "ko") == []


@pytest.mark.parametrize(
    "body",
    [
        "Joy: Right\n",  # one word: a reaction
        "Joy: 네\n",
        "Joy: I was going to say—\n",
        "Joy: Because of one-\n",
        "Joy: Well, I don't know…\n",
        'Joy: And she said "no"\n',
        "Joy: It was fun (really)\n",
        "Joy: See it at https://www.example.org/watch\n",
        "Joy: Is it?\nDasom: Yes!\n",
    ],
)
def test_turns_ending_in_punctuation_a_dash_a_quote_or_a_url_are_clean(body: str) -> None:
    assert found(body, "TRN033") == []


def test_the_title_needs_no_full_stop() -> None:
    assert found("Joy: Hello there.\n", "TRN033") == []  # the title "T" is not a turn


# ------------------------------------------------------------------------- TRN034, TRN035


def test_double_spaces_and_tabs_between_words_become_one_space() -> None:
    assert found("Joy: It was  fun and\tmore.\n", "TRN034") == [(1, 12), (1, 21)]
    assert fixed("Joy: It was  fun and\tmore.\n") == "Joy: It was fun and more.\n"


def test_indentation_trailing_spaces_and_the_label_gap_are_not_double_spaces() -> None:
    assert found("Joy:   It was fun.  \n    And more.\n", "TRN034") == []


def test_a_space_before_punctuation_is_removed() -> None:
    assert found("Joy: It was fun , really ?\n", "TRN035") == [(1, 16), (1, 25)]
    assert fixed("Joy: It was fun , really ?\n") == "Joy: It was fun, really?\n"
    assert fixed("Joy: 정말 불편했어요 .\n", "ko") == "Joy: 정말 불편했어요.\n"


@pytest.mark.parametrize(
    "body",
    [
        "Joy: And then ... nothing.\n",
        "Joy: It grew by .5 percent.\n",
        "Joy: That was fun :) really.\n",
        "Joy: 진행 : 윤보리 앵커.\n",  # a colon spaced on both sides: a separator style
        "Joy: Well … fine.\n",
    ],
)
def test_ellipses_decimals_and_emoticons_keep_their_space(body: str) -> None:
    assert found(body, "TRN035") == []


def test_french_keeps_its_space_before_high_punctuation() -> None:
    assert found("Joy: Quoi ? Vraiment !\n", "TRN035", "fr") == []
    assert found("Joy: Oui , vraiment.\n", "TRN035", "fr") == [(1, 9)]


# ------------------------------------------------------------------------ TRN036, TRN037


def test_a_spaced_hyphen_or_double_hyphen_as_a_dash_is_reported_not_fixed() -> None:
    body = "Joy: It was fun - really fun -- and more--much more.\n"
    result = [f for f in findings(body) if f.problem.code == "TRN036"]
    assert [(f.problem.column, f.edit) for f in result] == [(17, None), (30, None), (41, None)]
    assert "—" in result[0].problem.message


@pytest.mark.parametrize(
    "body", ["Joy: It ended 3 - 2.\n", "Joy: A well-known fact.\n", "Joy: Hi.\n- And you?\n"]
)
def test_scores_compounds_and_dialogue_dashes_are_not_dashes(body: str) -> None:
    assert found(body, "TRN036") == []


def test_markup_is_reported_and_plain_entities_are_fixed() -> None:
    body = "Joy: It was <i>fun</i> &amp; games &lt;3 {\\an8}\n"
    result = [f for f in findings(body) if f.problem.code == "TRN037"]
    assert [f.problem.column for f in result] == [13, 19, 42, 24, 36]
    assert fixed(body) == "Joy: It was <i>fun</i> & games &lt;3 {\\an8}\n"


@pytest.mark.parametrize("body", ["Joy: I <3 you.\n", "Joy: Use import <module> there.\n", "Joy: A & B.\n"])
def test_text_that_only_looks_like_markup_is_clean(body: str) -> None:
    assert found(body, "TRN037") == []


def test_without_prose_only_the_prose_warnings_go_and_every_error_stays() -> None:
    """Catalog commands read transcripts with ``prose=False`` (they refuse errors only): the
    shortcut must keep every other problem, so a transcript is refused exactly as before."""
    from toolkit.text_checks import TEXT_RULES

    text = (
        "title: Test\nspeakers: Joy, Dasom\n\nJoy: I  think the the answer is no\n"
        "Dasom: \"Yes , it is.\nJo: Who am I?\n"
    )
    _, every = check_transcript_text(text, "t.txt")
    _, without_prose = check_transcript_text(text, "t.txt", prose=False)
    assert {problem.code for problem in every} & set(TEXT_RULES)  # the text has prose problems
    assert without_prose == [problem for problem in every if problem.code not in TEXT_RULES]
    assert any(problem.severity == "error" for problem in without_prose)  # "Jo" is not in the cast
