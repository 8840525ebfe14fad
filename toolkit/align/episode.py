"""The synthetic episode: every turn spoken by espeak-ng, trimmed to its speech and joined
by short pauses, with the sample where each turn and each of its words begins.

The aligner (:mod:`toolkit.align.aligner`) matches the recording against it; a sound
note's room (:mod:`toolkit.align.notes`) is put in here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.align import Progress
from toolkit.align.notes import ROOM_MS, room_places, with_rooms
from toolkit.align.synth import Speech, Voice, synthesize
from toolkit.align.timings import spoken_text, word_spans
from toolkit.errors import ToolkitError
from toolkit.model import Turn

FloatArray = npt.NDArray[np.float32]


def speech_bounds(samples: FloatArray, sample_rate: int, *, below_peak_db: float = 40.0) -> tuple[int, int]:
    """First and last sample of the speech in ``samples`` (10 ms windows over -40 dB re peak)."""
    window = max(1, sample_rate // 100)
    count = len(samples) // window
    if count == 0:
        return 0, len(samples)
    power = (samples[: count * window].astype(np.float64).reshape(count, window) ** 2).mean(axis=1)
    peak = float(power.max())
    if peak <= 0:
        return 0, 0
    loud = np.flatnonzero(power > peak * 10 ** (-below_peak_db / 10))
    return int(loud[0]) * window, min(len(samples), (int(loud[-1]) + 1) * window)


@dataclass(frozen=True)
class Clip:
    start: int  # sample in the synthetic episode
    end: int
    words: tuple[int, ...]  # per word of the turn text: sample in the synthetic episode
    rooms: tuple[tuple[int, int], ...] = ()  # its sound notes' rooms, samples in the episode


def word_samples(speech: Speech, text: str, trim_start: int, trim_end: int) -> tuple[int, ...]:
    """A synthetic start sample (after trimming) for every whitespace word of ``text``.

    espeak-ng reports words by character position, but not every word (Korean words it
    reads as one unit, a lone dash): those are placed between their voiced neighbours
    in proportion to their character position.
    """
    spans = word_spans(text)
    if not spans:
        return ()
    length = trim_end - trim_start
    known: dict[int, int] = {}
    for first_char, _length, sample in speech.words:
        for index, (start, end) in enumerate(spans):
            if start <= first_char < end:
                known.setdefault(index, min(max(sample - trim_start, 0), length))
                break
    known[0] = 0  # the turn starts with its first word, whatever espeak-ng reported
    chars = [float(start) for start, _end in spans]
    anchors_at = [chars[index] for index in sorted(known)] + [float(spans[-1][1])]
    anchors = [float(known[index]) for index in sorted(known)] + [float(length)]
    # Word events are in order; keep the anchors monotone even if espeak-ng hiccups.
    anchors = list(np.maximum.accumulate(np.array(anchors)))
    placed = np.interp(chars, anchors_at, anchors)
    return tuple(int(value) for value in np.rint(placed))


def synthesize_turns(
    turns: Sequence[Turn],
    voice: Voice,
    pause_ms: int,
    progress: Progress | None = None,
    rooms: Sequence[bool] = (),
) -> tuple[FloatArray, int, list[Clip | None]]:
    """The synthetic episode: every turn's speech, joined by ``pause_ms`` of silence; a
    turn marked in ``rooms`` gets a room at each of its sound notes (:mod:`toolkit.align.notes`)."""
    # 16-bit pieces (what espeak-ng produces) halve the memory of an hour's worth.
    pieces: list[npt.NDArray[np.int16]] = []
    clips: list[Clip | None] = []
    rate = 0
    position = 0
    for number, turn in enumerate(turns):
        text = spoken_text(turn.text)
        speech = synthesize(text, voice) if any(char.isalnum() for char in text) else None
        if speech is not None:
            rate = speech.sample_rate
        pause = np.zeros(round(pause_ms * (rate or 22050) / 1000), dtype=np.int16)
        if number == 0:
            pieces.append(pause)
            position += len(pause)
        if speech is None or len(speech.samples) == 0:
            clips.append(None)
        else:
            first, last = speech_bounds(speech.samples, speech.sample_rate)
            if last <= first:
                clips.append(None)
            else:
                words = word_samples(speech, turn.text, first, last)
                said = np.rint(speech.samples[first:last] * 32767.0).astype(np.int16)
                wanted = number < len(rooms) and rooms[number]
                places = room_places(turn.text, words, last - first) if wanted else []
                room = round(ROOM_MS * speech.sample_rate / 1000)
                said, words, spans = with_rooms(said, words, places, room)
                clips.append(
                    Clip(
                        position,
                        position + len(said),
                        tuple(position + w for w in words),
                        tuple((position + start, position + end) for start, end in spans),
                    )
                )
                pieces.append(said)
                position += len(said)
        pieces.append(pause)
        position += len(pause)
        if progress is not None:
            progress((number + 1) / max(len(turns), 1))
    if rate == 0:
        raise ToolkitError("no turn has any text to speak")
    synthetic = np.empty(position, dtype=np.float32)
    filled = 0
    while pieces:
        piece = pieces.pop(0)
        synthetic[filled : filled + len(piece)] = piece
        filled += len(piece)
    synthetic /= 32767.0
    return synthetic, rate, clips
