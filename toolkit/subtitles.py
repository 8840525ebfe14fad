"""From a transcript to timed cues: cutting, speaker labels, dialogue cues and timing.

The timing always comes from the source transcript (the language that is heard) or from
turn slots handed in by forced alignment; the text, speaker names and limits come from
``text_from`` when a translation is given. Nothing here reads files or prints.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from toolkit.errors import SubtitleError
from toolkit.limits import LanguageLimits, limits_for
from toolkit.model import Cue, CuePart, Problem, Transcript, Turn, pickled_by_constructor
from toolkit.segment import cut_text, fast_width
from toolkit.timing import (
    DEFAULT_FPS,
    DEFAULT_PAUSE_MS,
    TimingOptions,
    TurnSlot,
    fit_cue_times,
    keep_reading_limits,
    plan_turn_slots,
    reading_limit_problems,
    share_slot,
)

Labels = Literal["none", "change", "always"]
LABEL_CHOICES: tuple[Labels, ...] = ("none", "change", "always")


@dataclass(frozen=True)
class SubtitleOptions:
    """Everything that shapes the cues (the CLI options and ``[tool.redbox]`` keys).

    ``labels``: ``none`` (default) shows no names (translated subtitles of an on-camera
    interview: the viewer sees who speaks; WebVTT still carries each cue's voice),
    ``change`` names the speaker on the first cue of a turn whose speaker differs from the
    previous cue's, ``always`` names the speaker on every cue (both for SDH-style output).
    ``dialogue`` lets two short turns by different speakers share a cue, one per line,
    each opened by the language's dialogue dash (Netflix: ``-Text`` in English,
    ``- 텍스트`` in Korean).
    """

    fps: float = DEFAULT_FPS
    rate: float | None = None
    start_ms: int = 0
    duration_ms: int | None = None
    pause_ms: int = DEFAULT_PAUSE_MS
    labels: Labels = "none"
    dialogue: bool = False
    crlf: bool = False
    strict: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails

    @property
    def timing(self) -> TimingOptions:
        return TimingOptions(
            fps=self.fps,
            rate=self.rate,
            start_ms=self.start_ms,
            duration_ms=self.duration_ms,
            pause_ms=self.pause_ms,
        )


def label_for(speaker: str) -> str:
    """The visible label of a speaker, the same in English and Korean.

    >>> label_for("조이")
    '조이:'
    """
    return f"{speaker}:"


#: An editorial note that stands alone at the start of a turn or paragraph:
#: ``(Through interpreter)``, ``[inaudible]``.
_LEADING_NOTE: Final = re.compile(
    r"(?m)^[ \t]*(?:\[[^\[\]\n]{1,80}\]|\([^()\n]{1,80}\))(?:[ \t]+|$)"
)
#: A translator's insertion inside a sentence: ``a wealthier life there [in North Korea]``.
_INSERTION: Final = re.compile(r"\[([^\[\]\n]+)\]")


def on_screen_text(text: str) -> str:
    """A turn's text as subtitles show it: editorial notes never look like sound labels.

    Square brackets are how SDH subtitles mark sounds and speaker IDs (Netflix), so a
    translator's note must not keep them. One convention: a note that stands alone at the
    start of a turn or paragraph (``(Through interpreter)``, ``[inaudible]``) describes the
    recording, not speech, and is dropped; a bracketed insertion inside a sentence
    (``[in North Korea]``, ``[home]``) is words the translator added for sense, kept as
    plain text without its brackets. Parentheses inside a sentence are ordinary punctuation.

    >>> on_screen_text("(Through interpreter) I was born there [in North Korea].")
    'I was born there in North Korea.'
    """
    if "[" not in text and "(" not in text:
        return text
    return _INSERTION.sub(r"\1", _LEADING_NOTE.sub("", text)).strip()


@dataclass
class _Planned:
    start_ms: int
    end_ms: int
    pinned: bool
    parts: tuple[CuePart, ...]
    line: int
    #: The width of the parts' text, when already measured (a cue cut from one turn).
    width: float | None = None


def _dialogue_line(turn: Turn, limits: LanguageLimits, options: SubtitleOptions) -> str | None:
    """The turn as one dialogue line (``-Text``), or ``None`` when it does not fit one line."""
    text = " ".join(on_screen_text(turn.text).split())
    if not text:
        return None
    if options.labels == "always":
        text = f"{label_for(turn.speaker)} {text}"
    line = f"{limits.dialogue_dash}{text}"
    return line if fast_width(line, limits) <= limits.max_line_width else None


def cues_for_turns(
    turns: Sequence[Turn],
    slots: Sequence[TurnSlot],
    language: str,
    options: SubtitleOptions,
    *,
    names: Sequence[str] = (),
) -> list[Cue]:
    """Cut ``turns`` into cues and time them within ``slots`` (one slot per turn).

    ``language`` picks the limits (line width, dialogue dash); ``names`` are the cast's
    names, which line breaks keep whole.
    """
    if len(turns) != len(slots):
        raise SubtitleError(f"{len(turns)} turns but {len(slots)} time slots")
    limits = limits_for(language or "en")
    names = tuple(names) + tuple({turn.speaker for turn in turns})
    planned: list[_Planned] = []
    previous_speaker: str | None = None
    index = 0
    while index < len(turns):
        turn, slot = turns[index], slots[index]
        if options.dialogue and index + 1 < len(turns):
            merged = _try_dialogue(turn, turns[index + 1], slot, slots[index + 1], limits, options)
            if merged is not None:
                planned.append(merged)
                previous_speaker = turns[index + 1].speaker
                index += 2
                continue
        show_label = options.labels == "always" or (
            options.labels == "change" and turn.speaker != previous_speaker
        )
        length = slot.end_ms - slot.start_ms
        shown = on_screen_text(turn.text)
        turn_width = fast_width(shown, limits)
        # A cue longer than 7 s would be cut short: give it less text instead.
        max_cue_width = limits.max_duration_ms * turn_width / length if length > 0 else None
        texts = cut_text(
            shown,
            limits,
            names=names,
            label=label_for(turn.speaker) if show_label else "",
            label_every_cue=options.labels == "always",
            max_cue_width=max_cue_width,
        )
        if texts:
            widths = [fast_width(text, limits) for text in texts]
            weights = [max(width, 1.0) for width in widths]
            for number, (start, end) in enumerate(share_slot(slot, weights)):
                part = CuePart(turn.speaker, texts[number])
                planned.append(
                    _Planned(start, end, slot.pinned and number == 0, (part,), turn.line, widths[number])
                )
            previous_speaker = turn.speaker
        index += 1
    times = fit_cue_times(
        [(cue.start_ms, cue.end_ms) for cue in planned],
        [cue.pinned for cue in planned],
        limits,
        options.timing,
        end_ms=options.duration_ms,
        # Labels and dialogue dashes are read but not spoken: give every cue at least
        # the time its text takes to read at the language's limit.
        minimums=[
            math.ceil(
                (sum(fast_width(part.text, limits) for part in cue.parts) if cue.width is None else cue.width)
                / limits.max_cps
                * 1000
            )
            for cue in planned
        ],
    )
    cues = [Cue(start, end, cue.parts, cue.line) for cue, (start, end) in zip(planned, times, strict=True)]
    return keep_reading_limits(cues, limits, options.timing, end_ms=options.duration_ms, names=names)


def within_reading_limits(
    cues: Sequence[Cue],
    language: str,
    options: SubtitleOptions,
    source: str,
    *,
    end_ms: int | None = None,
    adjust: bool = True,
) -> tuple[list[Cue], list[Problem]]:
    """``cues`` (timed by any source) given their 5/6 s and reading time where the audio
    leaves room, and a warning (SUB013, SUB014) for each cue that still lacks it.

    ``redbox subtitles`` and ``build`` run every cue list through this last, so aligned
    timings keep the limits too; ``--strict`` makes the warnings fail the command. Cues from
    :func:`build_cues` have been adjusted already: ``adjust=False`` only reports (adjusting
    twice could move a start earlier twice).
    """
    limits = limits_for(language or "en")
    kept = keep_reading_limits(cues, limits, options.timing, end_ms=end_ms) if adjust else list(cues)
    return kept, reading_limit_problems(kept, limits, source)


def _try_dialogue(
    first: Turn,
    second: Turn,
    first_slot: TurnSlot,
    second_slot: TurnSlot,
    limits: LanguageLimits,
    options: SubtitleOptions,
) -> _Planned | None:
    """One cue for two short turns by different speakers, when both fit a line and 7 s."""
    if first.speaker == second.speaker:
        return None
    top, bottom = _dialogue_line(first, limits, options), _dialogue_line(second, limits, options)
    if top is None or bottom is None:
        return None
    if second_slot.end_ms - first_slot.start_ms > limits.max_duration_ms:
        return None
    parts = (CuePart(first.speaker, top), CuePart(second.speaker, bottom))
    return _Planned(first_slot.start_ms, second_slot.end_ms, first_slot.pinned, parts, first.line)


def build_cues(
    transcript: Transcript,
    options: SubtitleOptions,
    *,
    text_from: Transcript | None = None,
    turn_slots: Sequence[TurnSlot] | None = None,
    pin_slots: bool = True,
) -> list[Cue]:
    """The timed cues of a transcript.

    Timing comes from ``transcript`` (the language heard) or from ``turn_slots`` when
    forced alignment gives them; text, speaker names and the language's limits come
    from ``text_from`` (a translation with the same turns in the same order) when given.
    Given slots pin every turn's start (aligned times are known), unless ``pin_slots``
    is false: then each slot's own ``pinned`` flag counts (slots planned beforehand by
    :func:`toolkit.timing.plan_turn_slots`).

    >>> from toolkit.model import Turn
    >>> episode = Transcript("t.txt", (("language", "en"),),
    ...     (Turn("All", "Welcome to the Red Box!", 7), Turn("Joy", "Hi.", 8)))
    >>> [(cue.start_ms, cue.end_ms, cue.text) for cue in build_cues(episode, SubtitleOptions())]
    [(0, 1749, 'Welcome to the Red Box!'), (1833, 2833, 'Hi.')]
    """
    source = text_from or transcript
    if len(source.turns) != len(transcript.turns):
        raise SubtitleError(
            f"the translation has {len(source.turns)} turns but the transcript has "
            f"{len(transcript.turns)}; they must match one to one",
            source.source,
        )
    if turn_slots is None:
        slots = plan_turn_slots(transcript, options.timing)
    elif pin_slots:
        slots = [TurnSlot(slot.start_ms, slot.end_ms, True) for slot in turn_slots]
    else:
        slots = list(turn_slots)
    language = source.language or transcript.language or "en"
    return cues_for_turns(source.turns, slots, language, options, names=source.speakers)
