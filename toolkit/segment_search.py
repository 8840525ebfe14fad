"""The cue search: the best cue cuts of a turn as a shortest path over the cut costs.

Part of :mod:`toolkit.segment`: the tokens come from :mod:`toolkit.segment_tokens`, the
costs of each boundary from :mod:`toolkit.segment_rules`.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from typing import Final

from toolkit.limits import LanguageLimits, text_width
from toolkit.segment_rules import _Boundaries
from toolkit.segment_tokens import _Token

# Final: the compiled install (mypyc) inlines them instead of reading the module's globals.
_PER_CUE: Final = 3.0
_ORPHAN: Final = 15.0
_EVEN: Final = 4.0
_LINE_WEIGHT: Final = 0.5
#: A sentence that starts inside a line of a two-line cue (break-cost units).
_MIDLINE_SENTENCE: Final = 12.0
#: A cue narrower than half a line that is only part of a sentence (a lead-in such as
#: ``In South Korea,`` or a tail such as ``하고 인사했거든요.``): it flashes by.
_FRAGMENT: Final = 14.0
_INFINITY: Final = math.inf


class _Layout:
    """Widths of token ranges laid out on one line."""

    def __init__(self, tokens: Sequence[_Token], limits: LanguageLimits) -> None:
        space = text_width(" ", limits)
        self.space = space
        # One pass: each token's lead (the space before it, none at the start or before a
        # glued piece) and the running width, summed in the same order as before.
        lead: list[float] = []
        prefix = [0.0]
        total = 0.0
        for index, token in enumerate(tokens):
            gap = 0.0 if index == 0 or token.glued else space
            lead.append(gap)
            total = total + gap + token.width
            prefix.append(total)
        self.lead, self.prefix = lead, prefix

    def width(self, start: int, end: int) -> float:
        """Width of tokens ``start`` to ``end - 1`` on one line."""
        return self.prefix[end] - self.prefix[start] - self.lead[start]


def _best_break(
    start: int, end: int, layout: _Layout, boundaries: _Boundaries, limits: LanguageLimits
) -> tuple[float, int] | None:
    """The best place to break tokens ``start:end`` into two lines, with its cost."""
    line = limits.max_line_width
    prefix, lead, break_cost = layout.prefix, layout.lead, boundaries.break_cost
    # Hot loop of the whole build: widths are inlined from _Layout.width, abs() from the
    # evenness term, and the sentence term is left out when no sentence starts inside
    # (it is 0.0 then, and x + 0.0 == x): the same floats as the plain formula.
    top_base = prefix[start] + lead[start]
    end_width = prefix[end]
    best_cost = 0.0
    best_split = -1
    sentence = boundaries.sentence
    inner_sentences = boundaries.sentences_before[end] - boundaries.sentences_before[start + 1]
    # Splits before this one leave a bottom line that is too wide (leads are >= 0).
    first = max(start + 1, bisect_left(prefix, end_width - line - layout.space, start + 1, end))
    for split in range(first, end):
        top = prefix[split] - top_base
        if top > line:
            break
        bottom = end_width - prefix[split] - lead[split]
        if bottom > line:
            continue
        difference = top - bottom
        if difference < 0:
            difference = -difference
        cost = difference / line * 10 + break_cost[split]
        if inner_sentences:
            cost += (inner_sentences - sentence[split]) * _MIDLINE_SENTENCE
        if best_split < 0 or cost < best_cost:
            best_cost, best_split = cost, split
    return None if best_split < 0 else (best_cost, best_split)


def _full_cue_width(limits: LanguageLimits, space: float) -> float:
    """How wide a cue may reach with no cap: every line full, and the space a break replaces."""
    return limits.max_line_width * max(1, limits.max_lines) + space


def _cut_ranges(
    tokens: Sequence[_Token],
    limits: LanguageLimits,
    layout: _Layout,
    boundaries: _Boundaries,
    max_cue_width: float | None,
) -> list[tuple[int, int]]:
    """The best cue cuts as token ranges: a shortest path over the cut costs."""
    count = len(tokens)
    words_before = [0]
    for token in tokens:
        words_before.append(words_before[-1] + (0 if token.glued or token.in_label else 1))
    total_words = words_before[-1]
    reach = _full_cue_width(limits, layout.space)
    if max_cue_width is not None:
        reach = min(reach, max(max_cue_width, limits.max_line_width))
    line = limits.max_line_width
    prefix, lead = layout.prefix, layout.lead
    cut_cost, paragraph, sentence = boundaries.cut_cost, boundaries.paragraph, boundaries.sentence
    break_cost = boundaries.break_cost
    half_line = line / 2
    # The lowest a line layout can cost: the best break bonus, weighted.
    least_line_cost = min(0.0, *boundaries.break_cost) * _LINE_WEIGHT

    best = [0.0] + [float("inf")] * count
    back = [0] * (count + 1)
    # The cost of a cue starting before each token, before its own penalties, plus the least
    # line cost, once the best cut up to that token is known: summed in the order the plain
    # formula sums them (best[start] + _PER_CUE + cut cost), so the floats are the same.
    cut_at = [0.0, *cut_cost[1:count]]
    floor = [0.0] * (count + 1)
    floor[0] = best[0] + _PER_CUE + cut_at[0] + least_line_cost
    several_words = total_words > 1
    two_lines = limits.max_lines > 1
    sentences_before, space = boundaries.sentences_before, layout.space
    # Where a cue ending at each token may start: not before a paragraph break ...
    paragraph_before = [0] * (count + 1)
    for index in range(1, count + 1):
        paragraph_before[index] = index if paragraph[index] else paragraph_before[index - 1]
    # ... and not so far back that the cue is wider than ``reach``. A cue's width only grows
    # the further back it starts (prefix[s + 1] + lead[s + 1] = prefix[s] + lead[s] + width of
    # token s + lead[s + 1], all >= 0), and with its end: the last start that is too wide only
    # moves forward, found by a pointer instead of a scan back from every end.
    too_wide = -1  # the last start (before end - 1) whose cue would be wider than reach
    for end in range(1, count + 1):
        end_prefix = prefix[end]
        end_words = words_before[end]
        ends_sentence = end == count or sentence[end]
        while too_wide + 1 < end - 1 and end_prefix - prefix[too_wide + 1] - lead[too_wide + 1] > reach:
            too_wide += 1
        lowest = paragraph_before[end - 1]
        if lowest <= too_wide:
            lowest = too_wide + 1
        best_end = _INFINITY
        back_end = 0
        # The least break cost inside tokens start:end (a two-line layout costs at least
        # that), extended down to start + 1 when a candidate needs it.
        least_inner_break = _INFINITY
        inner_from = end
        # The start that was best for the previous token usually is for this one too (five
        # times in six): costed first, it lets the bounds below skip most other candidates.
        # The plain search takes the first of equal costs in the order end - 1, end - 2, …;
        # the ties are broken that way here too, whatever the order they are costed in.
        seed = back[end - 1] if end > 1 and lowest <= back[end - 1] < end - 1 else -1
        # One loop of plain ints (compiled, a C loop): position ``end`` stands for the seed,
        # then every start from end - 1 down, the seed skipped there.
        for position in range(end if seed >= 0 else end - 1, lowest - 1, -1):
            if position == end:
                start = seed
            elif position == seed:
                continue
            else:
                start = position
            # The penalties below only add: a cue whose floor is already above the best
            # one found cannot become better (float addition of non-negative terms is
            # monotonic). Filtered at once; the loop tests again as the best improves.
            bound = floor[start]
            if bound > best_end or (bound == best_end and start < back_end):
                continue
            cost = best[start] + _PER_CUE + cut_at[start]
            width = end_prefix - prefix[start] - lead[start]
            if end_words - words_before[start] <= 1 and several_words:
                cost += _ORPHAN
            # Squared widths favour even cues when the cut kinds are equal. math.pow is what
            # ``** 2`` calls on a float (C pow), as one compiled call instead of a generic one.
            cost += _EVEN * math.pow(width / reach, 2.0)
            if width < half_line and 0 < end - start < count:
                whole_sentence = (start == 0 or sentence[start]) and ends_sentence
                if not whole_sentence:
                    cost += _FRAGMENT
            bound = cost + least_line_cost
            if bound < best_end or (bound == best_end and start > back_end):
                if width > line and end - start > 1:
                    if inner_from > start + 1:
                        # The running minimum of the new part (the same float as min() of
                        # its slice, without the slice): compiled, a loop of native floats.
                        for inner in range(start + 1, inner_from):
                            if break_cost[inner] < least_inner_break:
                                least_inner_break = break_cost[inner]
                        inner_from = start + 1
                    bound = cost + least_inner_break * _LINE_WEIGHT
                    if bound > best_end or (bound == best_end and start < back_end):
                        # Every break adds at least least_inner_break (the other terms of
                        # _best_break's cost are non-negative): it cannot win.
                        continue
                    if not two_lines:
                        cost = _INFINITY
                    else:
                        # _best_break(start, end, …) inlined (its floats, its order).
                        top_base = prefix[start] + lead[start]
                        inner_sentences = sentences_before[end] - sentences_before[start + 1]
                        split = bisect_left(prefix, end_prefix - line - space, start + 1, end)
                        if split < start + 1:
                            split = start + 1
                        break_best = 0.0
                        break_at = -1
                        while split < end:
                            top = prefix[split] - top_base
                            if top > line:
                                break
                            bottom = end_prefix - prefix[split] - lead[split]
                            if bottom <= line:
                                difference = top - bottom
                                if difference < 0:
                                    difference = -difference
                                split_cost = difference / line * 10 + break_cost[split]
                                if inner_sentences:
                                    split_cost += (inner_sentences - sentence[split]) * _MIDLINE_SENTENCE
                                if break_at < 0 or split_cost < break_best:
                                    break_best, break_at = split_cost, split
                            split += 1
                        # Only the cost is kept: the chosen cues' breaks are searched again when
                        # their lines are laid out (one search a cue), instead of storing a tuple
                        # for every candidate in a dict keyed by tuples.
                        cost = _INFINITY if break_at < 0 else cost + break_best * _LINE_WEIGHT
                if cost < best_end or (cost == best_end and start > back_end and cost < _INFINITY):
                    best_end, back_end = cost, start
        best[end], back[end] = best_end, back_end
        if end < count:
            floor[end] = best_end + _PER_CUE + cut_at[end] + least_line_cost
    cuts: list[tuple[int, int]] = []
    end = count
    while end > 0:
        cuts.append((back[end], end))
        end = back[end]
    cuts.reverse()
    return cuts
