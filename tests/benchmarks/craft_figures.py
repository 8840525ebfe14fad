"""The figures of docs/subtitles.md "Before and after": cues, cues with a forbidden break,
cues too short or too fast, for any SRT files.

Run on demand: ``python -m tests.benchmarks.craft_figures FILE.srt …`` (the language is
the second-to-last suffix, ``.en.srt`` / ``.ko.srt``). Speaker labels (``Name: ``) are
taken off before the breaks are judged. Korean forbidden breaks are the analyser's
(:func:`toolkit.korean.forbidden_breaks`); English ones are line or cue breaks after an
article, preposition, possessive, auxiliary, title or initial, inside a name, before a
spaced dash, or a cue that ends on an abbreviation followed by a lowercase word.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from toolkit import english, korean
from toolkit.formats.srt import parse_srt
from toolkit.limits import limits_for, text_width
from toolkit.segment_rules import _CUT_CLINGER, _Boundaries
from toolkit.segment_tokens import _tokenize

_LABEL = re.compile(r"^(?:-\s?)?[^\s:][^:\n]{0,30}:\s")


def _unlabelled(text: str) -> str:
    return "\n".join(_LABEL.sub("", line) for line in text.split("\n"))


def english_forbidden(texts: list[str]) -> set[int]:
    """Indexes of cues that hold or end with a break the English rules forbid."""
    limits = limits_for("en")
    bad: set[int] = set()
    for index, text in enumerate(texts):
        following = texts[index + 1] if index + 1 < len(texts) else ""
        joined = text + ("\n" + following.split("\n")[0] if following else "")
        tokens = _tokenize(joined, "", limits)
        boundaries = _Boundaries(tokens, ())
        line_starts = {i for i, token in enumerate(tokens) if "\n" in token.separator}
        for position in line_starts:
            if boundaries.cut_cost[position] >= _CUT_CLINGER:
                bad.add(index)
        last = text.split()[-1] if text.split() else ""
        if following[:1].islower() and english.abbreviation_kind(last, following.split()[0]):
            bad.add(index)
        if text.startswith("- "):
            bad.add(index)
    return bad


def figures(path: Path) -> dict[str, int]:
    language = path.suffixes[-2].lstrip(".")
    limits = limits_for(language)
    cues, _problems = parse_srt(path.read_text(encoding="utf-8"), str(path))
    texts = [_unlabelled(cue.plain) for cue in cues]
    if language == "ko":
        forbidden = {index for index, _reason, _where in korean.forbidden_breaks(texts)}
    else:
        forbidden = english_forbidden(texts)
    fast = sum(
        1
        for cue, text in zip(cues, texts, strict=True)
        if text_width(cue.plain, limits) / max(cue.end_ms - cue.start_ms, 1) * 1000 > limits.max_cps + 1e-9
    )
    short = sum(1 for cue in cues if cue.end_ms - cue.start_ms < limits.min_duration_ms)
    under_second = sum(1 for cue in cues if cue.end_ms - cue.start_ms < 1000)
    return {"cues": len(cues), "forbidden": len(forbidden), "too fast": fast, "under 5/6 s": short,
            "under 1 s": under_second}  # fmt: skip


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(name, figures(Path(name)))
