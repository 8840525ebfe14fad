"""The faster cue cutting gives exactly what the general code gives.

``toolkit.segment`` measures each distinct word once (and splits plainly spaced text without
the separator regex), computes each boundary's word-rule costs once per cast, costs first the
cue start that was best for the previous token, skips cue candidates that cannot beat the
best one found (ties broken as the plain order breaks them), finds the farthest start by a
pointer, and runs the two-line search inlined. Here the
general forms (the code those shortcuts replaced, kept below as reference) are run beside
them on turns made of the sample's sentences with awkward extras: labels, source line and
paragraph breaks, over-long words, curly quotes, dashes, Korean, names of the cast.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import segment, segment_rules, segment_search, segment_tokens
from toolkit.limits import ENGLISH, KOREAN, LanguageLimits, text_width

ROOT = Path(__file__).resolve().parents[1]
_SAMPLE = (ROOT / "transcripts" / "misunderstandings-and-stereotypes.txt").read_text(encoding="utf-8")
_SENTENCES = [
    part
    for line in _SAMPLE.split("\n---\n", 1)[1].splitlines()
    for part in re.split(r"(?<=[.?!])\s+", re.sub(r"^\w+:\s*", "", line.strip()))
    if part
]
_EXTRAS = [
    "\n", "\n\n", " - ", " — ", "“Quoted,” she said.", "Dr. Kim", "North Korea", "https://" + "x" * 90,
    "그런데 저는 손님들한테 \"어서 오세요!\" 하고 인사했거든요.", "a very difficult relationship", "U.S. But",
]  # fmt: skip
_NAMES = ("Joy", "Dasom", "Kim Jeongyol")


def _reference_tokenize(text: str, label: str, limits: LanguageLimits) -> list[segment_tokens._Token]:
    """``_tokenize`` as it was: every word through ``_split_hard`` and measured again."""
    tokens: list[segment_tokens._Token] = []
    for part, in_label in ((label, True), (text, False)):
        chunks = segment_tokens._SEPARATOR_GROUP.split(part)
        separator = ""
        position = 0
        for index, chunk in enumerate(chunks):
            start, position = position, position + len(chunk)
            if index % 2:
                separator += chunk
                continue
            if not chunk.strip():
                continue
            offset = -1 if in_label else start
            pieces = segment_tokens._split_hard(chunk, limits, limits.max_line_width)
            for piece_index, piece in enumerate(pieces):
                lead = "" if piece_index else ((separator or " ") if tokens else "")
                width = segment.fast_width(piece, limits)
                tokens.append(segment_tokens._Token(piece, width, piece_index > 0, lead, in_label, offset))
                offset = -1
            separator = ""
    return tokens


def _reference_costs(
    tokens: Sequence[segment_tokens._Token], names: Sequence[str]
) -> list[tuple[float, float]]:
    """Each boundary's word-rule costs computed afresh, as ``_Boundaries`` did before its cache."""
    pairs = segment_rules._name_pairs(names)
    return [
        segment_rules._Boundaries._costs(
            tokens[index - 1],
            tokens[index],
            pairs,
            segment_rules._strip_word(segment_rules._bare(tokens[index - 1].text)),
            segment_rules._strip_word(tokens[index].text),
        )
        for index in range(1, len(tokens))
    ]


def _reference_cut_ranges(
    tokens: Sequence[segment_tokens._Token],
    limits: LanguageLimits,
    layout: segment_search._Layout,
    boundaries: segment_rules._Boundaries,
    max_cue_width: float | None,
) -> list[tuple[int, int]]:
    """``_cut_ranges`` as it was: every candidate cue costed in full."""
    count = len(tokens)
    words_before = [0]
    for token in tokens:
        words_before.append(words_before[-1] + (0 if token.glued or token.in_label else 1))
    total_words = words_before[-1]
    reach = limits.max_line_width * max(1, limits.max_lines) + layout.space
    if max_cue_width is not None:
        reach = min(reach, max(max_cue_width, limits.max_line_width))
    line = limits.max_line_width
    prefix, lead = layout.prefix, layout.lead
    cut_cost, paragraph, sentence = boundaries.cut_cost, boundaries.paragraph, boundaries.sentence
    least_line_cost = min(0.0, *boundaries.break_cost) * segment_search._LINE_WEIGHT
    best = [0.0] + [math.inf] * count
    back = [0] * (count + 1)
    for end in range(1, count + 1):
        for start in range(end - 1, -1, -1):
            width = prefix[end] - prefix[start] - lead[start]
            if start < end - 1 and width > reach:
                break
            cost = best[start] + segment_search._PER_CUE + (cut_cost[start] if start else 0.0)
            if words_before[end] - words_before[start] <= 1 and total_words > 1:
                cost += segment_search._ORPHAN
            cost += segment_search._EVEN * (width / reach) ** 2
            whole = (start == 0 or sentence[start]) and (end == count or sentence[end])
            if width < line / 2 and 0 < end - start < count and not whole:
                cost += segment_search._FRAGMENT
            if cost + least_line_cost < best[end]:
                if width > line and end - start > 1:
                    found = None
                    if limits.max_lines > 1:
                        found = segment_search._best_break(start, end, layout, boundaries, limits)
                    cost = math.inf if found is None else cost + found[0] * segment_search._LINE_WEIGHT
                if cost < best[end]:
                    best[end], back[end] = cost, start
            if paragraph[start]:
                break
    cuts: list[tuple[int, int]] = []
    end = count
    while end > 0:
        cuts.append((back[end], end))
        end = back[end]
    cuts.reverse()
    return cuts


_turns = st.lists(st.sampled_from(_SENTENCES) | st.sampled_from(_EXTRAS), min_size=1, max_size=8).map(
    lambda parts: " ".join(parts)
)
_limits = st.sampled_from([ENGLISH, KOREAN, LanguageLimits("en", max_line_width=20, max_cps=20, max_lines=1)])


@settings(max_examples=200, deadline=None)
@given(_turns, st.sampled_from(["", "Joy:", "Kim Jeongyol:"]), _limits, st.sampled_from([None, 30.0, 60.0]))
def test_cutting_equals_the_general_code(
    text: str, label: str, limits: LanguageLimits, max_cue_width: float | None
) -> None:
    tokens = segment_tokens._tokenize(text, label, limits)
    assert tokens == _reference_tokenize(text, label, limits)
    if not tokens:
        return
    boundaries = segment_rules._Boundaries(tokens, _NAMES)
    # The sentence marks and their running count, as two passes over the costs gave them.
    count = len(tokens)
    sentence = [0 < index < count and cost <= segment_rules._CUT_SOURCE_LINE
                for index, cost in enumerate(boundaries.cut_cost)]  # fmt: skip
    assert boundaries.sentence == sentence
    assert boundaries.sentences_before == list(itertools.accumulate(sentence, initial=0))
    fresh = _reference_costs(tokens, _NAMES)
    for index in range(1, len(tokens)):
        costs = (boundaries.cut_cost[index], boundaries.break_cost[index])
        # The noun-phrase rule lowers a plain word boundary afterwards; everything else is the cache's.
        assert costs == fresh[index - 1] or (fresh[index - 1][0] == segment_rules._CUT_WORD and costs == (
            segment_rules._CUT_MODIFIER, 8.0))  # fmt: skip
    layout = segment_search._Layout(tokens, limits)
    # The widths as two passes gave them (a list of leads, then their running sum).
    space = text_width(" ", limits)
    lead = [0.0 if index == 0 or token.glued else space for index, token in enumerate(tokens)]
    prefix = [0.0]
    for token, gap in zip(tokens, lead, strict=True):
        prefix.append(prefix[-1] + gap + token.width)
    assert (layout.lead, layout.prefix, layout.space) == (lead, prefix, space)
    found = segment_search._cut_ranges(tokens, limits, layout, boundaries, max_cue_width)
    assert found == _reference_cut_ranges(tokens, limits, layout, boundaries, max_cue_width)


def test_the_least_break_bound_counts_the_first_split() -> None:
    """A candidate is skipped when even the cheapest break inside it cannot win; that least
    break cost covers every split of the candidate, the one right after its start included
    (a turn where leaving that one out skips the best cue)."""
    text = (
        "I'd tell them that I'm from North Korea. Should I say I'm cheering for North Korea or "
        "South Korea? In South Korea, when a customer enters the part-time employees don't "
        "really greet them. So those types of questions made me feel a little uncomfortable. "
        "I could've been born in the U.S."
    )
    tokens = segment_tokens._tokenize(text, "Joy:", KOREAN)
    boundaries = segment_rules._Boundaries(tokens, _NAMES)
    layout = segment_search._Layout(tokens, KOREAN)
    expected = _reference_cut_ranges(tokens, KOREAN, layout, boundaries, 30.0)
    assert segment_search._cut_ranges(tokens, KOREAN, layout, boundaries, 30.0) == expected


def test_a_cast_of_other_names_gets_its_own_costs() -> None:
    """The cost cache is per cast: a name pair of one cast is no name pair for another."""
    tokens = segment_tokens._tokenize("I met Kim Jeongyol there.", "", ENGLISH)
    with_name = segment_rules._Boundaries(tokens, ("Kim Jeongyol",))
    without = segment_rules._Boundaries(tokens, ("Joy",))
    assert with_name.cut_cost[3] == segment_rules._CUT_NAME
    assert without.cut_cost[3] == segment_rules._CUT_NAME  # two capitalised words read as a name either way
    lower = segment_tokens._tokenize("i met kim jeongyol there.", "", ENGLISH)
    assert segment_rules._Boundaries(lower, ("Kim Jeongyol",)).cut_cost[3] == segment_rules._CUT_NAME
    assert segment_rules._Boundaries(lower, ("Joy",)).cut_cost[3] != segment_rules._CUT_NAME


@pytest.mark.parametrize(
    "text",
    [
        "I am just who I am. " * 12,
        "Right Right Right Right Right Right Right Right Right Right Right Right Right Right.",
        "aa bb cc dd ee ff gg hh ii jj kk ll mm nn oo pp qq rr ss tt uu vv ww xx yy zz " * 3,
        "Yes, no, yes, no, yes, no, yes, no, yes, no, yes, no, yes, no, yes, no, yes, no.",
        "\u200b \u200b word \u200b " * 10 + "x" * 100,
    ],
)
@pytest.mark.parametrize("limits", [ENGLISH, KOREAN])
def test_equal_costs_are_broken_as_the_plain_search_breaks_them(text: str, limits: LanguageLimits) -> None:
    """Repeated words and sentences make many cuts cost the same: the first in the plain
    order (the latest start) must still win, whatever order the candidates are costed in.
    Zero-width words and a hard-split word test the farthest-start pointer."""
    for max_cue_width in (None, 30.0, 50.5):
        tokens = segment_tokens._tokenize(text, "Joy:", limits)
        boundaries = segment_rules._Boundaries(tokens, _NAMES)
        layout = segment_search._Layout(tokens, limits)
        expected = _reference_cut_ranges(tokens, limits, layout, boundaries, max_cue_width)
        assert segment_search._cut_ranges(tokens, limits, layout, boundaries, max_cue_width) == expected


@settings(max_examples=150, deadline=None)
@given(
    _turns,
    st.sampled_from(["", "Joy:"]),
    st.booleans(),
    _limits,
    st.sampled_from([None, 20.0, 30.0, 60.0, 84.0, 85.0, 85.5, 86.0, 200.0]),
)
def test_a_remembered_cut_is_the_cut(
    text: str, label: str, every_cue: bool, limits: LanguageLimits, max_cue_width: float | None
) -> None:
    """``cut_text`` remembers short turns' cues (a cap wide enough to cap nothing counts as
    none): asked again, or after a cut with another cap, cast or label, it gives what cutting
    afresh gives."""
    def fresh(names: Sequence[str], cap: float | None) -> list[str]:
        return segment._cut(text, limits, names, label=label, label_every_cue=every_cue, max_cue_width=cap)

    for names, cap in ((_NAMES, max_cue_width), (("Joy",), max_cue_width), (_NAMES, None), (_NAMES, 500.0)):
        options = {"names": names, "label": label, "label_every_cue": every_cue, "max_cue_width": cap}
        first = segment.cut_text(text, limits, **options)  # type: ignore[arg-type]
        again = segment.cut_text(text, limits, **options)  # type: ignore[arg-type]
        assert first == again == fresh(names, cap)


def test_a_short_turn_is_cut_once() -> None:
    # Seen through the cache itself, not by replacing segment._cut: compiled (mypyc),
    # cut_text calls _cut directly, and a monkeypatched one would never be called.
    segment._CUTS.clear()
    for _ in range(3):
        assert segment.cut_text("Thank you.", ENGLISH, names=_NAMES) == ["Thank you."]
        segment.cut_text("Thank you. " * 30, ENGLISH, names=_NAMES)  # long: cut every time, never kept
    assert [key[0] for key in segment._CUTS] == ["Thank you."]
    # the kept cut is what a later call gives back (a copy), not a new cut
    key = next(iter(segment._CUTS))
    segment._CUTS[key] = ("from the cache",)
    try:
        given = segment.cut_text("Thank you.", ENGLISH, names=_NAMES)
        assert given == ["from the cache"]
        given.append("changed")
        assert segment._CUTS[key] == ("from the cache",)
    finally:
        segment._CUTS.clear()


_WHITESPACE = [chr(code) for code in range(0x110000) if chr(code).isspace()]


def test_str_split_s_whitespace_is_the_regex_s() -> None:
    """The plain-spacing test (words split at whitespace and joined by single spaces give the
    text back) stands for ``_AWKWARD_SPACING``, whose ``\\s`` must be the same characters."""
    space = re.compile(r"\s")
    assert [chr(code) for code in range(0x110000) if space.fullmatch(chr(code))] == _WHITESPACE


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "é", "한", " ", "\u00a0", *_WHITESPACE]), max_size=10), _limits)
def test_plain_spacing_is_what_the_awkward_spacing_regex_is_not(text: str, limits: LanguageLimits) -> None:
    plain = bool(text) and " ".join(text.split()) == text
    assert plain == (bool(text) and segment_tokens._AWKWARD_SPACING.search(text) is None)
    assert segment_tokens._tokenize(text, "Joy:", limits) == _reference_tokenize(text, "Joy:", limits)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCES) | st.sampled_from(_EXTRAS) | st.text(max_size=6),
                min_size=1, max_size=6), _limits)  # fmt: skip
def test_a_remembered_width_is_the_width(texts: list[str], limits: LanguageLimits) -> None:
    """fast_width remembers the widths of the texts it measured lately (per way of counting):
    each is text_width's, the first time and again, whatever other limits measured meanwhile."""
    for text in texts + texts:
        assert segment_tokens.fast_width(text, limits) == text_width(text, limits)
        other = KOREAN if not limits.cjk_counting else ENGLISH
        assert segment_tokens.fast_width(text, other) == text_width(text, other)
