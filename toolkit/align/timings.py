"""What an alignment found: turn and word times (no numpy here, so that reading a timings
file, checking it and timing cues from it need nothing beyond the standard library)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

#: Notes that are not speech: ``[laughs]``, ``[in North Korea]``, ``(Through interpreter)``,
#: and their full-width forms in Korean (and other CJK) text: ``（웃음）``, ``［웃음］``.
_NOTES = re.compile(r"\[[^\]\n]*\]|\([^)\n]*\)|（[^）\n]*）|［[^］\n]*］")
#: Marks that espeak-ng would read out but nobody says: a drawn-out ``네~`` is "ne", not
#: "ne tilde" (the Korean voice switches to English for the symbol's name).
_UNSAID = str.maketrans({"~": " "})
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class TurnTiming:
    """Where one turn was found in the audio.

    ``words`` holds the start of every whitespace-separated word of the turn's text, in
    ms. ``synth_ms`` is the synthesized speech's length, ``speech`` the share of the
    aligned span that sounds like speech, ``uncovered_ms`` how much speech just before
    the turn no turn covers.
    """

    index: int
    line: int
    speaker: str
    start_ms: int
    end_ms: int
    synth_ms: int = 0
    speech: float = 1.0
    uncovered_ms: int = 0
    words: tuple[int, ...] = ()
    #: :func:`turn_fingerprint` of the turn as aligned ("" in files older than fingerprints).
    fingerprint: str = ""
    #: The turn's match cost against the episode's median turn (1.0 is typical; 0: unknown).
    match: float = 0.0
    #: How far (dB) the turn's speech rises over the local background (0: unknown).
    snr_db: float = 0.0
    #: How far (ms) a second, independent alignment puts the turn's start (ALN011).
    drift_ms: int = 0
    #: Words the acoustic-model engine squeezed to its shortest time: not found (ALN013).
    unplaced: int = 0
    #: How steady (0-1, like played music) the sound is where the turn starts (ALN018).
    steady: float = 0.0


@dataclass(frozen=True)
class Alignment:
    """Every turn's timing, plus the audio's length and speech after the last turn."""

    turns: tuple[TurnTiming, ...]
    audio_ms: int
    trailing_uncovered_ms: int = 0
    meta: tuple[tuple[str, str], ...] = field(default=())


def turn_fingerprint(speaker: str, text: str) -> str:
    """12 hex digits that change when a turn's speaker or words change (not its spacing).

    >>> turn_fingerprint("Joy", "Hello  there") == turn_fingerprint("Joy", "Hello\\nthere")
    True
    >>> turn_fingerprint("Joy", "Hello there") == turn_fingerprint("Joy", "Hello, there")
    False
    """
    said = " ".join(speaker.split()) + "\x1f" + " ".join(text.split())
    return hashlib.blake2s(said.encode("utf-8"), digest_size=6).hexdigest()


def spoken_text(text: str) -> str:
    """The turn text as synthesized: notes in brackets or parentheses (``[laughs]``,
    ``(Through interpreter)``) and line breaks become spaces: only speech is synthesized.

    The length is unchanged, so character positions still point into the original.

    >>> spoken_text("a life there [in North Korea].\\nYes (Through interpreter)")
    'a life there                 . Yes                      '
    >>> spoken_text("네~ 맞아요（웃음）")
    '네  맞아요    '
    """
    blanked = _NOTES.sub(lambda match: " " * len(match.group()), text)
    return blanked.replace("\n", " ").translate(_UNSAID)


def note_spans(text: str) -> list[tuple[int, int]]:
    """Start and end character of every note (brackets or parentheses included).

    >>> note_spans("Yes [laughs] (Through interpreter)")
    [(4, 12), (13, 34)]
    """
    return [(match.start(), match.end()) for match in _NOTES.finditer(text)]


def word_spans(text: str) -> list[tuple[int, int]]:
    """Start and end character of every whitespace-separated word.

    >>> word_spans("Right, yes  no")
    [(0, 6), (7, 10), (12, 14)]
    """
    return [(match.start(), match.end()) for match in _WORD.finditer(text)]


def shifted(alignment: Alignment, offset_ms: int, audio_ms: int) -> Alignment:
    """``alignment`` of audio that started ``offset_ms`` into a recording of ``audio_ms``.

    >>> found = Alignment((TurnTiming(0, 7, "Joy", 1000, 2000, words=(1000, 1500)),), 5000)
    >>> shifted(found, 90_000, 95_000).turns[0].words
    (91000, 91500)
    """
    turns = tuple(
        replace(
            turn,
            start_ms=turn.start_ms + offset_ms,
            end_ms=turn.end_ms + offset_ms,
            words=tuple(word + offset_ms for word in turn.words),
        )
        for turn in alignment.turns
    )
    return replace(alignment, turns=turns, audio_ms=audio_ms)
