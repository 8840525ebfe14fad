"""Where speech is in the recording, and turn edges moved onto it.

The voice detector's frames (:func:`speech_frames`), the runs they make, and the snapping
of a turn's start and end onto the nearest edge of speech (:func:`snap`), used by
:mod:`toolkit.align.aligner` after the DTW path has placed each turn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.align import dtw
from toolkit.align.features import Features, loud_frames

IntArray = npt.NDArray[np.int64]


def speech_frames(features: Features) -> npt.NDArray[np.bool_]:
    """Frames that sound like speech (:func:`loud_frames`, short gaps closed, blips dropped)."""
    raw = loud_frames(features.energy_db)
    # Close gaps shorter than 150 ms (stops inside words), drop blips shorter than 50 ms.
    return drop_blips(close_gaps(raw, 15), 5)


def runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    padded = np.concatenate(([False], mask, [False]))
    changes = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(changes[k]), int(changes[k + 1])) for k in range(0, len(changes), 2)]


def close_gaps(mask: npt.NDArray[np.bool_], gap: int) -> npt.NDArray[np.bool_]:
    out = mask.copy()
    for start, end in runs(~mask):
        if end - start < gap and start > 0 and end < len(mask):
            out[start:end] = True
    return out


def drop_blips(mask: npt.NDArray[np.bool_], length: int) -> npt.NDArray[np.bool_]:
    out = mask.copy()
    for start, end in runs(mask):
        if end - start < length:
            out[start:end] = False
    return out


def speech_ms(speech: npt.NDArray[np.bool_], start: int, end: int, features: Features) -> int:
    """Milliseconds of speech in frames ``[start, end)``, counting runs of 300 ms or more."""
    if end <= start:
        return 0
    total = sum(b - a for a, b in runs(speech[start:end]) if b - a >= 30)
    return features.frame_ms(total)


def speech_onsets(speech: npt.NDArray[np.bool_]) -> IntArray:
    """The frames where a run of speech begins."""
    return np.flatnonzero(np.diff(np.concatenate(([False], speech)).astype(np.int8)) == 1)


@dataclass(frozen=True)
class Levels:
    """The recording's frame energies (dB) and its loud frames (:func:`loud_frames`),
    for telling a faint lead-in from the start of a voice (:func:`faint_lead_in`)."""

    energy_db: npt.NDArray[np.float32]
    loud: npt.NDArray[np.bool_]


def snap(
    spans: list[tuple[int, int]],
    speech: npt.NDArray[np.bool_],
    onsets: IntArray,
    reach: int,
    levels: Levels | None = None,
) -> list[tuple[int, int]]:
    """Move turn edges onto the nearest edge of speech, at most ``reach`` frames away.

    A turn starts where speech starts and ends where it stops: a start found in silence
    moves forward to the next onset, a start inside speech back to its onset, and ends
    likewise. Edges never cross a neighbouring turn's. The path alone sometimes trades
    a word at a turn's end for the pause after it; this undoes that. With ``levels``, a
    start is not moved back over a faint lead-in (:func:`faint_lead_in`).
    """
    if reach <= 0:
        return spans
    count = len(speech)
    offsets = np.flatnonzero(np.diff(np.concatenate((speech, [False])).astype(np.int8)) == -1) + 1
    starts: list[int] = []
    for first, _last in spans:
        moved = None
        if first >= 0:
            moved = _nearest(onsets, first, bool(speech[min(first, count - 1)]), reach)
            if moved is not None and starts and moved <= max(starts):
                moved = None
            if moved is not None and moved < first and levels and faint_lead_in(levels, moved, first):
                moved = None
        starts.append(first if moved is None else moved)
    result: list[tuple[int, int]] = []
    for index, (first, last) in enumerate(spans):
        if first < 0:
            result.append((first, last))
            continue
        following = [start for start in starts[index + 1 :] if start >= 0]
        upper = following[0] if following else count
        probe = min(max(last - 1, 0), count - 1)
        moved = _nearest_end(offsets, last, bool(speech[probe]), reach)
        new_last = last if moved is None or moved > upper else moved
        new_first = starts[index]
        if new_last <= new_first:
            new_first, new_last = first, last
        result.append((new_first, new_last))
    return result


#: A lead-in at least this far (dB) under the voice that follows it (the 90th
#: percentile of the second after the start) ...
FAINT_DB = 15.0
#: ... for at least this long (10 ms frames: longer than a weak first consonant) ...
FAINT_FRAMES = 20
#: ... before a start where the voice rises (a loud frame within 50 ms) is no part of it.
RISE_FRAMES = 5


def faint_lead_in(levels: Levels, onset: int, start: int) -> bool:
    """Whether the sound from ``onset`` to ``start`` is a faint lead-in to a voice that
    begins at ``start``: a hum or rustle the voice detector joined to the voice (it closes
    pauses under 150 ms), which the DTW path matched to the pause before the turn.

    Measured on the real-speech sets (docs/alignment.md): snapping back over such a
    lead-in put turns 170-720 ms early (a 1.3 s hum before a creaky voice, the room
    noise before a LibriVox reader). A start found in a pause (no loud frame within
    :data:`RISE_FRAMES`) still moves back: there the sound before the pause is the
    turn's first syllable (Korean 안녕하세요, its 안 20 dB under 녕하).
    """
    if start - onset < FAINT_FRAMES or not levels.loud[start : start + RISE_FRAMES].any():
        return False
    after = levels.energy_db[start : start + 100]
    level = float(np.percentile(after, 90))
    lead = levels.energy_db[onset:start]
    return bool((lead < level - FAINT_DB).mean() >= 0.9)


def snap_start(frame: int, speech: npt.NDArray[np.bool_], onsets: IntArray, reach: int) -> int:
    """``frame`` moved forward onto the next speech onset when it falls in a pause, as
    :func:`snap` moves a turn start found in silence: the coarse second opinion often
    starts a turn in the pause before it, which is no disagreement about the turn."""
    if reach <= 0 or len(speech) == 0:
        return frame
    frame = min(max(frame, 0), len(speech) - 1)
    if speech[frame]:
        return frame
    moved = _nearest(onsets, frame, False, reach)
    return frame if moved is None else moved


def _nearest(onsets: IntArray, frame: int, inside: bool, reach: int) -> int | None:
    """The onset a start should move to: back when ``inside`` speech, forward when not."""
    at = int(np.searchsorted(onsets, frame, side="right"))
    if inside:
        candidate = int(onsets[at - 1]) if at > 0 else None
    else:
        candidate = int(onsets[at]) if at < len(onsets) else None
    if candidate is None or abs(candidate - frame) > reach:
        return None
    return candidate


def _nearest_end(offsets: IntArray, end: int, inside: bool, reach: int) -> int | None:
    """The offset an end should move to: forward when its last frame is speech, back when not."""
    if inside:
        at = int(np.searchsorted(offsets, end, side="left"))
        candidate = int(offsets[at]) if at < len(offsets) else None
    else:
        at = int(np.searchsorted(offsets, end, side="right"))
        candidate = int(offsets[at - 1]) if at > 0 else None
    if candidate is None or abs(candidate - end) > reach:
        return None
    return candidate


def stuck_speech_ms(
    path: dtw.Path, speech: npt.NDArray[np.bool_], first: int, last: int, real: Features
) -> int:
    """Speech inside a turn's span that the path pinned to one synthetic frame for over a second.

    A sentence spoken but missing from the transcript is usually absorbed this way:
    the path waits on one synthetic frame while the extra speech goes by.
    """
    stuck = 0
    cols = path.first_col[first:last]
    # Rows whose first column equals the previous row's last column never moved forward.
    still = np.concatenate(([False], cols[1:] == path.last_col[first : last - 1]))
    for start, end in runs(still):
        if end - start >= 100:
            stuck += speech_ms(speech, first + start, first + end, real)
    return stuck
