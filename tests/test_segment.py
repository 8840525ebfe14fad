"""Cutting turns into cues and cues into lines, as a viewer reads them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.limits import ENGLISH, KOREAN, LanguageLimits, text_width
from toolkit.segment import break_lines, cut_text, visible_characters


def assert_within_limits(cues: list[str], limits: LanguageLimits) -> None:
    for cue in cues:
        lines = cue.split("\n")
        assert 1 <= len(lines) <= limits.max_lines, cue
        for line in lines:
            assert line.strip(), f"blank line in {cue!r}"
            assert text_width(line, limits) <= limits.max_line_width, line


def test_short_text_stays_on_one_line() -> None:
    assert cut_text("Welcome to the Red Box!", ENGLISH) == ["Welcome to the Red Box!"]


def test_sentence_ends_are_the_first_cuts() -> None:
    text = "Should I say I'm cheering for North Korea or South Korea? What's my identity? I am just who I am."
    assert cut_text(text, ENGLISH) == [
        "Should I say I'm cheering\nfor North Korea or South Korea?",
        "What's my identity? I am just who I am.",
    ]


def test_a_sentence_does_not_start_inside_a_line_of_a_two_line_cue() -> None:
    text = (
        "It's heartbreaking not being able to go home. During Chuseok and New Year's Day, "
        "those two holidays are when I miss home the most."
    )
    assert cut_text(text, ENGLISH) == [
        "It's heartbreaking\nnot being able to go home.",
        "During Chuseok and New Year's Day,",
        "those two holidays are\nwhen I miss home the most.",
    ]


def test_clause_boundaries_come_before_plain_word_boundaries() -> None:
    text = (
        "Even though I'm living in South Korea as a South Korean citizen, they didn't "
        "recognize the fact that I'm also South Korean."
    )
    cues = cut_text(text, ENGLISH)
    assert cues[0].endswith("citizen,")
    assert_within_limits(cues, ENGLISH)


def test_a_paragraph_break_always_ends_a_cue() -> None:
    assert cut_text("Right.\n\nI agree.", ENGLISH) == ["Right.", "I agree."]


def test_no_one_word_orphan_when_a_better_cut_exists() -> None:
    text = "I have this older friend from China who always asks me about my hometown holidays today."
    cues = cut_text(text, ENGLISH)
    assert all(len(cue.split()) > 1 for cue in cues), cues


def test_two_lines_break_evenly_and_not_after_an_article_or_preposition() -> None:
    assert break_lines("There are poor people and there are rich people too.", ENGLISH) == (
        "There are poor people\nand there are rich people too."
    )
    broken = break_lines("She walked all the way to the old station near the harbour today", ENGLISH)
    top = broken.split("\n")[0]
    assert top.split()[-1] not in ("the", "to", "a", "of", "near")


def test_a_name_is_not_split_across_lines() -> None:
    text = "Yesterday in the morning I finally met Kim Jeongyol at the little station"
    broken = break_lines(text, ENGLISH, names=["Kim Jeongyol"])
    assert "Kim\nJeongyol" not in broken
    assert "Kim Jeongyol" in broken


def test_a_word_longer_than_a_line_is_split_hard_not_dropped() -> None:
    url = "https://example.org/" + "a" * 100
    cues = cut_text(f"See {url} now", ENGLISH)
    assert visible_characters("".join(cues)) == visible_characters(f"See {url} now")
    assert_within_limits(cues, ENGLISH)


def test_korean_lines_count_hangul_as_one_and_spaces_as_half() -> None:
    text = "탈북민으로서 한국 사회에 정착하는 것은 많은 어려움이 따릅니다. 그중 하나는 고정관념입니다."
    cues = cut_text(text, KOREAN, label="조이:")
    assert cues[0].startswith("조이: ")
    assert_within_limits(cues, KOREAN)
    assert visible_characters("".join(cues)) == visible_characters("조이:" + text)


def test_a_label_is_never_alone_in_a_cue() -> None:
    cues = cut_text("x" * 50, ENGLISH, label="Jeongyol:")
    assert cues[0].startswith("Jeongyol:") and len(cues[0]) > len("Jeongyol:")


def test_label_every_cue_puts_the_name_on_each_cue() -> None:
    text = "When I first came to South Korea, I was working part-time at a convenience store. " * 2
    cues = cut_text(text, ENGLISH, label="Joy:", label_every_cue=True)
    assert len(cues) > 1
    assert all(cue.startswith("Joy: ") for cue in cues)
    assert_within_limits(cues, ENGLISH)


def test_max_cue_width_splits_more() -> None:
    text = "People think that all North Koreans are poor, ignorant, and uneducated."
    assert len(cut_text(text, ENGLISH)) == 1
    assert len(cut_text(text, ENGLISH, max_cue_width=42)) == 2


def test_empty_text_gives_no_cue() -> None:
    assert cut_text(" \n\n ", ENGLISH, label="Joy:") == []


WORDS = st.one_of(
    st.sampled_from(
        ["the", "a", "North", "Korea.", "and", "but,", "—", "Joy", "really?", "I", "조이", "말투가"]
    ),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=12
    ),
    st.text(alphabet="abcXYZ가나다.,!?-", min_size=30, max_size=120),
)
SEPARATORS = st.sampled_from([" ", " ", " ", "\n", "\n\n", "  ", "\t", "\u00a0"])


@st.composite
def turn_texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, min_size=0, max_size=40))
    parts: list[str] = []
    for word in words:
        parts.append(word)
        parts.append(draw(SEPARATORS))
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(text=turn_texts(), korean=st.booleans(), label=st.sampled_from(["", "Joy:", "다 같이:"]))
def test_cues_keep_every_character_in_order_and_fit_the_limits(text: str, korean: bool, label: str) -> None:
    limits = KOREAN if korean else ENGLISH
    cues = cut_text(text, limits, label=label, names=["다 같이"])
    if visible_characters(text):
        assert visible_characters("".join(cues)) == visible_characters(label + text)
    else:
        assert cues == []
    assert_within_limits(cues, limits)


def test_korean_modifiers_and_negation_stay_with_the_next_word() -> None:
    text = "한국에서는 손님이 들어와도 아르바이트생들이 인사를 잘 안 하잖아요."
    joined = [cue.replace("\n", " ") for cue in cut_text(text, KOREAN)]
    assert any("잘 안 하잖아요." in cue for cue in joined), joined
    lines = "\n".join(cut_text("북한 사람들에 대한 오해 중에 불편하게 느껴지는 것이 있나요?", KOREAN)).split(
        "\n"
    )
    assert not any(line.endswith("대한") for line in lines), lines
