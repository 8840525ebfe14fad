"""Sound notes (``[laughs]``, ``(applause)``, ``（웃음）``): a room in the synthetic episode.

A transcript marks laughter, sighs or applause with a note, and only speech is
synthesized, so without a place of its own the sound has to go to a neighbour: nine
seconds of laughter were matched to the next turn's first words (laughter is nearer a
synthetic voice than synthetic silence is). Each sound note gets a short *room* at its
place in its turn's synthetic speech; the DTW matches any recording frame to a room
frame at one fixed cost (a filler, or garbage, model as in keyword spotting: J. G. Wilpon,
L. R. Rabiner, C.-H. Lee and E. R. Goldman, IEEE Trans. ASSP 38(11), 1990, 1870-1878),
so the path can stay in the room for as long as the sound lasts. The cost is
calibrated on the episode itself, over a high quantile of what a real voice costs
matched to its own words, so that the room seldom draws speech away from its words.

Notes that are not sounds (``[in North Korea]``, ``(Through interpreter)``) get no room:
they say nothing about the audio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.align.timings import note_spans, spoken_text, word_spans

BoolArray = npt.NDArray[np.bool_]

#: The room a sound note takes in the synthetic episode: two coarse (80 ms) frames, so
#: that at least one is wholly inside it; a note the recording lacks costs the path
#: little more than that.
ROOM_MS = 160

#: Words of a note that name a sound (subtitling's usual sound descriptions, English and
#: Korean, and the notes for speech left untranscribed: ``[inaudible]``, ``[crosstalk]``,
#: ``[speaking Korean]``), matched whole (``laughs``, ``laughing`` and ``laughter`` are; ``Song``, a
#: surname, and ``울산``, a city, are not).
_SOUND_WORD = re.compile(
    r"(laugh|chuckl|giggl|applau|cough|sneez|sniff|gasp|groan|scream|clap)\w*"
    r"|sigh(s|ed|ing)?|cheer(s|ed|ing)?|sob(s|bed|bing)?|cry|cries|crying|breath(s|es|ing)?"
    r"|music|singing|noise"
    # Speech that is there but not transcribed: the turn holds it all the same.
    r"|inaudible|unintelligible|indistinct|crosstalk|mumbl\w*|speaking|speaks"
    r"|(웃음|박수|한숨|기침|울음|흐느낌|음악|노래|숨)소리|웃음|웃으며|웃는|박수|한숨|기침|울음|흐느낌|흐느끼며|음악|노래",
    re.IGNORECASE,
)


def is_sound_note(note: str) -> bool:
    """Whether a note (brackets included) names a sound rather than adding words.

    >>> is_sound_note("[laughs]"), is_sound_note("（웃음）"), is_sound_note("[in North Korea]")
    (True, True, False)
    """
    return any(_SOUND_WORD.fullmatch(word) for word in re.findall(r"\w+", note))


def room_places(text: str, words: tuple[int, ...], length: int) -> list[int]:
    """Where, in a turn's synthetic speech of ``length`` samples whose whitespace words
    start at ``words``, each sound note of ``text`` goes: before the first spoken word
    after it (the end when none follows); one room for notes side by side."""
    spans = word_spans(text)
    spoken = spoken_text(text)
    said = [any(char.isalnum() for char in spoken[start:end]) for start, end in spans]
    places: set[int] = set()
    for start, end in note_spans(text):
        if not is_sound_note(text[start:end]):
            continue
        after = [index for index, (first, _) in enumerate(spans) if first >= end and said[index]]
        before = any(said[index] for index, (_, last) in enumerate(spans) if last <= start)
        if not before:
            places.add(0)
        elif after and after[0] < len(words):
            places.add(min(max(words[after[0]], 0), length))
        else:
            places.add(length)
    return sorted(places)


def with_rooms(
    samples: npt.NDArray[np.int16], words: tuple[int, ...], places: list[int], room: int
) -> tuple[npt.NDArray[np.int16], tuple[int, ...], list[tuple[int, int]]]:
    """``samples`` with ``room`` samples of silence at every place, the words moved with
    their speech (a word at a place starts after its room), and each room's span."""
    if not places:
        return samples, words, []
    pieces: list[npt.NDArray[np.int16]] = []
    rooms: list[tuple[int, int]] = []
    previous = 0
    for number, place in enumerate(places):
        pieces.append(samples[previous:place])
        pieces.append(np.zeros(room, dtype=np.int16))
        rooms.append((place + number * room, place + (number + 1) * room))
        previous = place
    pieces.append(samples[previous:])
    marks = np.array(places)
    moved = tuple(int(word + room * np.searchsorted(marks, word, side="right")) for word in words)
    return np.concatenate(pieces), moved, rooms


@dataclass(frozen=True)
class Rooms:
    """The synthetic episode's frames inside a room, and those that are no turn's speech
    (the pauses and the rooms: left out when the rooms' cost is calibrated)."""

    inside: BoolArray
    unsaid: BoolArray

    def pooled(self, factor: int) -> Rooms:
        """The same at ``factor`` times the frame length (a frame is marked when at least
        half of the frames it pools are)."""
        return Rooms(_pool_mask(self.inside, factor), _pool_mask(self.unsaid, factor))


def _pool_mask(mask: BoolArray, factor: int) -> BoolArray:
    if factor <= 1:
        return mask
    padded = np.concatenate((mask, np.repeat(mask[-1:], -len(mask) % factor)))
    pooled: BoolArray = padded.reshape(-1, factor).mean(axis=1) >= 0.5
    return pooled


def room_masks(
    rooms: list[tuple[int, int]], speech: list[tuple[int, int]], hop: int, frames: int
) -> Rooms | None:
    """:class:`Rooms` from the rooms' and the turns' spans (samples) in a synthetic
    episode of ``frames`` frames ``hop`` samples apart; ``None`` without a room."""
    if not rooms:
        return None
    inside = np.zeros(frames, dtype=np.bool_)
    for start, end in rooms:  # the frames wholly inside
        inside[-(-start // hop) : max(end // hop - 1, 0)] = True
    unsaid = np.ones(frames, dtype=np.bool_)
    for start, end in speech:
        unsaid[start // hop : end // hop] = False
    return Rooms(inside, unsaid | inside)


def turns_clear_of(music: BoolArray, texts: list[str], reach: int) -> list[bool]:
    """For every turn text, whether no music (``music``: the recording's frames of music
    alone) is heard within ``reach`` frames of where the turn would be if the talk were
    spread evenly over the recording by its letters (where the alignment band lets it go).

    Where music is heard the match costs rest on near-ties, and a room let the path
    shift whole runs of turns (measured in docs/alignment.md): such turns get none.
    """
    if not music.any():
        return [True] * len(texts)
    letters = [sum(char.isalnum() for char in spoken_text(text)) for text in texts]
    before = np.concatenate(([0.0], np.cumsum(np.array(letters, dtype=np.float64))))
    total = max(float(before[-1]), 1.0)
    heard = np.concatenate(([0], np.cumsum(music)))
    clear: list[bool] = []
    for index in range(len(texts)):
        first = int(before[index] / total * len(music))
        last = int(before[index + 1] / total * len(music))
        low, high = max(first - reach, 0), min(last + reach + 1, len(music))
        clear.append(bool(heard[high] == heard[low]))
    return clear
