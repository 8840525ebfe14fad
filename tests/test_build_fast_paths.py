"""The first build's shortcuts in timing give exactly what the replaced code gave.

``timing._reading_ms`` (the least time a cue may last) measures a one-part cue's text
directly and counts its words with one split at most; the replaced form is kept here and
run beside it on generated cues: one word, several, none, whitespace of every kind,
dialogue cues of two parts, Korean, in both languages' limits.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import timing
from toolkit.limits import ENGLISH, KOREAN, LanguageLimits
from toolkit.model import Cue, CuePart
from toolkit.segment import fast_width


def _reference_reading_ms(cue: Cue, limits: LanguageLimits) -> int:
    width = sum(fast_width(part.text, limits) for part in cue.parts)
    least = timing.ORPHAN_MS if len(cue.parts) == 1 and len(cue.text.split()) == 1 else limits.min_duration_ms
    return min(limits.max_duration_ms, max(least, math.ceil(width / limits.max_cps * 1000)))


_WORDS = ["Right.", "Yes", "I am just who I am.", "North\nKorea", " ", "\u00a0", "\u3000", "\t", "조이", "",
          "-Yes", "x" * 200, "\u200b"]  # fmt: skip
_texts = st.lists(st.sampled_from(_WORDS) | st.text(max_size=4), max_size=4).map(" ".join)
_cues = st.builds(Cue, st.just(0), st.just(1000), st.lists(st.builds(CuePart, st.just("Joy"), _texts),
                                                            min_size=1, max_size=2).map(tuple))  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(_cues, st.sampled_from([ENGLISH, KOREAN]))
def test_reading_time_equals_the_replaced_code(cue: Cue, limits: LanguageLimits) -> None:
    assert timing._reading_ms(cue, limits) == _reference_reading_ms(cue, limits)
