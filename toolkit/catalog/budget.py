"""The room a turn's translation has on screen: a Weblate flag and a comment per turn message.

A turn is on screen for its slot (``redbox align``'s timings when the episode is aligned,
else :func:`toolkit.timing.plan_turn_slots`' estimate). In that time a viewer reads at
most the target language's characters a second, and the turn's cues (each at least 5/6 s
on screen) hold at most two lines of the language's width (:mod:`toolkit.limits`). The smaller
of the two is the turn's budget, in the language's own units (Korean: a Hangul syllable
counts 1; Latin letters, digits, spaces and punctuation 0.5).

Each turn message of a translation carries it twice, regenerated on every ``catalog
update``: ``#. budget: about 6.2 s on screen: at most 74 Hangul`` for a translator in
Poedit (and for ``redbox check``, CAT030), and Weblate's ``max-length:N`` flag, which
Weblate enforces as its "Maximum length of translation" check. Weblate counts every
character as one, so for a language counted the Korean way the flag allows the budget
divided by :data:`CHARACTER_WIDTH` characters (see ``docs/catalogs.md``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from toolkit.catalog.po import PoEntry, PoFile, on_screen
from toolkit.catalog.po_write import encoded_messages
from toolkit.limits import LanguageLimits, limits_for, text_width
from toolkit.model import Problem, Transcript, pickled_by_constructor
from toolkit.segment import fast_width
from toolkit.timing import TimingOptions, TurnSlot, plan_turn_slots, speech_ms_of_width, speech_rate

#: The extracted comment that holds a budget, and Weblate's flag.
BUDGET_PREFIX = "budget: "
FLAG_PREFIX = "max-length:"
#: The average width of one character of a Korean subtitle (syllables 1, spaces and punctuation
#: 0.5): 0.85 over the project's Korean translation (1,606 units in 1,889 characters).
CHARACTER_WIDTH = 0.85

_AT_MOST = re.compile(r"at most (\d+) ")


@dataclass(frozen=True)
class Budget:
    """One turn's room: time on screen (ms), and what fits in it (language units, Weblate characters)."""

    on_screen_ms: int
    units: int
    characters: int
    unit_name: str

    @property
    def comment(self) -> str:
        """The ``#.`` comment: ``budget: about 6.2 s on screen: at most 74 Hangul``."""
        seconds = self.on_screen_ms / 1000
        return f"{BUDGET_PREFIX}about {seconds:.1f} s on screen: at most {self.units} {self.unit_name}"

    @property
    def flag(self) -> str:
        return f"{FLAG_PREFIX}{self.characters}"

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


def turn_budget(on_screen_ms: int, limits: LanguageLimits) -> Budget:
    """The budget of a turn shown for ``on_screen_ms`` in a language with ``limits``.

    >>> from toolkit.limits import KOREAN, ENGLISH
    >>> turn_budget(6200, KOREAN).comment
    'budget: about 6.2 s on screen: at most 74 Hangul'
    >>> turn_budget(6200, KOREAN).flag, turn_budget(2000, ENGLISH).flag
    ('max-length:87', 'max-length:40')
    """
    shown = max(on_screen_ms, limits.min_duration_ms)
    # The turn may be cut into as many cues as are each on screen for the minimum time.
    cues = max(1, shown // limits.min_duration_ms)
    by_speed = limits.max_cps * shown / 1000
    by_lines = cues * limits.max_lines * limits.max_line_width
    units = max(1, math.floor(min(by_speed, by_lines) + 1e-9))
    if limits.cjk_counting:
        return Budget(shown, units, math.floor(units / CHARACTER_WIDTH + 1e-9), "Hangul")
    return Budget(shown, units, units, "characters")


def turn_budgets(slots: Sequence[TurnSlot], language: str) -> list[Budget]:
    """One budget per turn slot, in ``language``."""
    return length_budgets([slot.end_ms - slot.start_ms for slot in slots], language)


def length_budgets(lengths: Sequence[int], language: str) -> list[Budget]:
    """One budget per turn on screen for ``lengths`` ms, in ``language`` (one :class:`Budget` a length)."""
    limits = limits_for(language)
    known = {length: turn_budget(length, limits) for length in set(lengths)}
    return [known[length] for length in lengths]


def estimated_lengths(transcript: Transcript, options: TimingOptions) -> list[int]:
    """How long each turn is on screen by the estimate: the length of each slot
    :func:`toolkit.timing.plan_turn_slots` gives, found more quickly for the usual transcript.

    With no anchor and no video length, the turns follow one another from ``options.start_ms``
    at their natural length (:func:`toolkit.timing.speech_ms`) with a pause between them, all
    in whole milliseconds: each slot is exactly as long as its turn takes to say, and that
    depends only on the turn's width, so each distinct width is converted once. Any other
    transcript (anchors, a video length, times that are not whole milliseconds) takes the
    general way.
    (Checked against the general way in ``tests/test_catalog_fast_paths.py``.)
    """
    turns = transcript.turns
    if (
        options.duration_ms is not None
        or type(options.start_ms) is not int
        or type(options.pause_ms) is not int
        or any(turn.anchor_ms is not None for turn in turns)
    ):
        return [slot.end_ms - slot.start_ms for slot in plan_turn_slots(transcript, options)]
    language = transcript.language or "en"
    limits = limits_for(language)
    rate = speech_rate(language, options)
    widths = [fast_width(turn.text, limits) for turn in turns]
    natural = {width: speech_ms_of_width(width, rate) for width in set(widths)}
    return [natural[width] for width in widths]


def is_budget_flag(flag: str) -> bool:
    return flag.startswith(FLAG_PREFIX)


def budgeted_template(
    template: PoFile,
    transcript: Transcript,
    budgets: Sequence[Budget],
    messages: Sequence[bytes] = (),
    *,
    in_place: bool = False,
) -> tuple[PoFile, list[bytes]]:
    """``template`` with each turn message's budget comment and flag, and its messages as written
    (made from the template's own ``messages`` when given: see :func:`_with_budget_bytes`).

    Turn messages follow the transcript's turns; a template that does not match is returned as it is.
    ``in_place``: the template's own turn messages take their budget (when the template is not
    needed without budgets any more: one language), instead of copies of them.
    """
    entries = list(template.entries)
    turn_indexes = [index for index, entry in enumerate(entries) if entry.msgctxt and "/" in entry.msgctxt]
    if len(turn_indexes) != len(transcript.turns) or len(budgets) != len(turn_indexes):
        return template, list(messages) or encoded_messages(template)
    written = list(messages)
    texts: dict[int, tuple[str, str, bytes, bytes]] = {}  # per distinct budget: its lines, as text and bytes
    for index, budget in zip(turn_indexes, budgets, strict=True):
        entry = entries[index]
        known = texts.get(id(budget))
        if known is None:
            comment, flag = budget.comment, budget.flag
            known = texts[id(budget)] = (comment, flag, comment.encode("utf-8"), flag.encode("utf-8"))
        comment, flag, comment_bytes, flag_bytes = known
        flags = [flag] if not entry.flags else [*(f for f in entry.flags if not is_budget_flag(f)), flag]
        if (
            in_place
            and entry.line == 0
            and entry.previous_msgid is None
            and entry.previous_msgctxt is None
            and entry.previous_msgid_plural is None
        ):
            # What the copy below would be: the same message with two fields replaced.
            entry.extracted_comments = [*entry.extracted_comments, comment]
            entry.flags = flags
        else:
            # (positional: msgid, msgstr, msgctxt, msgid_plural, msgstr_plural, translator comments,
            # extracted comments, references, flags)
            comments = [*entry.extracted_comments, comment]
            entries[index] = PoEntry(entry.msgid, entry.msgstr, entry.msgctxt, entry.msgid_plural,
                                     entry.msgstr_plural, entry.translator_comments, comments,
                                     entry.references, flags)  # fmt: skip
        if written:
            spliced = _with_budget_bytes(written[index], comment_bytes, flag_bytes)
            written[index] = spliced if spliced is not None else _written(entries[index])
    result = PoFile(
        headers=template.headers,
        header_comments=template.header_comments,
        header_flags=template.header_flags,
        entries=entries,
        obsolete=template.obsolete,
    )
    return result, written or encoded_messages(result)


def _written(entry: PoEntry) -> bytes:
    return encoded_messages(PoFile(entries=[entry]))[0]


def _with_budget_bytes(message: bytes, comment: bytes, flag: bytes) -> bytes | None:
    """A template turn message as written, with the budget comment after its other ``#.`` lines
    and the flag line before ``msgctxt``: what the writer gives the budgeted message, without
    writing it again. ``None`` for a message in another shape (translator comments, flags,
    no references, ``#|`` lines), which is then written in full.
    """
    references = message.find(b"\n#: ")
    context = message.find(b"\nmsgctxt ", references)
    if references < 0 or context < 0 or message[:2] in (b"# ", b"#\n", b"#,"):
        return None
    if message.find(b"\n#", references + 1, context) >= 0:
        return None  # more than one reference line, flags or #| lines: the general writer
    return b"".join((message[:references], b"\n#. ", comment, message[references:context], b"\n#, ", flag,
                     message[context:]))  # fmt: skip


def budget_units(entry: PoEntry) -> int | None:
    """The budget of a message, from its ``#. budget:`` comment (``None`` without one)."""
    comment = entry.comment("budget")
    if not comment:
        return None
    found = _AT_MOST.search(comment + " ")
    return int(found.group(1)) if found else None


def over_budget(entry: PoEntry, language: str, source: str,
                width_of: Callable[[str], float] | None = None,
                at_most: Callable[[str], float] | None = None) -> Problem | None:  # fmt: skip
    """CAT030 (warning) when a translated turn is wider than its budget. ``width_of``: the
    language's ``text_width``, when the caller has measured the translations already;
    ``at_most``: a bound of it from the length (``checks._Reading.at_most``), which settles
    most messages without measuring them."""
    units = budget_units(entry)
    if units is None or not entry.translated:
        return None
    shown = [on_screen(text) for text in (entry.msgstr_plural or [entry.msgstr])]
    if at_most is not None and max(map(at_most, shown)) <= units:
        return None  # (each width is at most its bound: none is over)
    if width_of is None:
        width_of = partial(text_width, limits=limits_for(language))
    width = max(map(width_of, shown))
    if width <= units:
        return None
    unit = "Hangul" if limits_for(language).cjk_counting else "characters"
    return Problem(
        source,
        entry.line,
        1,
        "warning",
        "CAT030",
        f"turn {entry.comment('turn') or '?'}: the translation is {width:g} {unit} long, over its budget "
        f"of {units} ({entry.comment('budget')}); shorten it",
    )
