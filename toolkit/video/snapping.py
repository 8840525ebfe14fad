"""Cue edges moved onto shot changes, per Netflix's Timed Text Style Guide: Subtitle Timing.

At ``fps`` frames a second, with ``W`` = half a second in frames (12 at 23.976/24 fps,
13 at 25, 15 at 30) and a 2-frame gap:

- a start less than ``W`` frames *after* a shot change moves back onto it;
- a start 1 to ``ceil(0.75·W) - 1`` frames *before* a shot change (1–8 at 24 fps) moves onto
  it; one ``ceil(0.75·W)`` to ``W - 1`` frames before (9–11) moves back to ``W`` frames
  before it, so a cue never flashes up just before a cut;
- an end less than ``W`` frames from a shot change (either side) moves to 2 frames before it.

Never across speech: an edge does not move when that would bring the cue within 2 frames
of its neighbour's (already snapped) time, or shorten it below 5/6 s (or below its own
length when it was already shorter); a cue keeps its place among the others. Every move
is returned, so the preview can show it, and so is every edge the rules would move but these
guards hold in place (``SUB020`` in the preview: an editor decides).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from toolkit.model import Cue

MIN_DURATION_MS = 833
Edge = Literal["start", "end"]
#: code -> (severity, short name), as in :data:`toolkit.validate.RULES`.
RULES = {"SUB020": ("warning", "edge-near-shot-change")}


@dataclass(frozen=True)
class SnapMove:
    """One cue edge moved: its cue (1-based), which edge, from and to (ms), and the shot change."""

    cue: int
    edge: Edge
    from_ms: int
    to_ms: int
    shot_ms: int


@dataclass(frozen=True)
class Snapped:
    """The snapped cues, the edges moved, and the edges near a shot change that had to stay."""

    cues: list[Cue]
    moves: list[SnapMove]
    #: ``to_ms`` is where the rules would have put the edge; ``from_ms`` where it stays.
    held: list[SnapMove] = field(default_factory=list)


def frames_ms(frames: float, fps: float) -> int:
    """``frames`` at ``fps`` in whole milliseconds.

    >>> frames_ms(2, 23.976), frames_ms(12, 25)
    (83, 480)
    """
    return round(frames * 1000 / fps)


def half_second_frames(fps: float) -> int:
    """Half a second in whole frames (rounded half up, as Subtitle Edit does: 25 fps -> 13).

    >>> half_second_frames(23.976), half_second_frames(25), half_second_frames(29.97)
    (12, 13, 15)
    """
    return math.floor(fps / 2 + 0.5)


def _nearest(shots: Sequence[int], time_ms: int) -> int | None:
    return min(shots, key=lambda shot: abs(shot - time_ms)) if shots else None


def snap_start(start_ms: int, shots: Sequence[int], fps: float) -> tuple[int, int] | None:
    """``(new start, shot)`` for a start near a shot change, else ``None``.

    >>> snap_start(1100, [1000], 24), snap_start(900, [1000], 24), snap_start(600, [1000], 24)
    ((1000, 1000), (1000, 1000), (500, 1000))
    >>> snap_start(400, [1000], 24) is None
    True
    """
    shot = _nearest(shots, start_ms)
    if shot is None or shot == start_ms:
        return None
    window = half_second_frames(fps)
    frame = 1000 / fps
    distance = abs(shot - start_ms) / frame  # in frames
    if distance >= window - 0.5:
        return None
    if start_ms > shot:
        return shot, shot
    if distance < math.ceil(0.75 * window) - 0.5:
        return shot, shot
    return shot - frames_ms(window, fps), shot


def snap_end(end_ms: int, shots: Sequence[int], fps: float) -> tuple[int, int] | None:
    """``(new end, shot)`` for an end near a shot change (2 frames before it), else ``None``.

    >>> snap_end(1200, [1000], 24), snap_end(700, [1000], 24), snap_end(400, [1000], 24)
    ((917, 1000), (917, 1000), None)
    """
    shot = _nearest(shots, end_ms)
    if shot is None:
        return None
    target = shot - frames_ms(2, fps)
    if target == end_ms or abs(shot - end_ms) * fps / 1000 >= half_second_frames(fps) - 0.5:
        return None
    return target, shot


def snap_to_shots(cues: Sequence[Cue], shots: Sequence[int], fps: float) -> Snapped:
    """``cues`` with their edges on the shot changes ``shots`` (ms) where the rules allow."""
    ordered = sorted(set(shots))
    gap = frames_ms(2, fps)
    result: list[Cue] = []
    moves: list[SnapMove] = []
    held: list[SnapMove] = []
    for index, cue in enumerate(cues):
        start, end = cue.start_ms, cue.end_ms
        shortest = min(MIN_DURATION_MS, end - start)
        previous_end = result[-1].end_ms if result else None
        next_start = cues[index + 1].start_ms if index + 1 < len(cues) else None
        snapped = snap_start(start, ordered, fps)
        if snapped is not None:
            new_start, shot = snapped
            if (
                (previous_end is None or new_start >= previous_end + gap)
                and end - new_start >= shortest
                and new_start >= 0
            ):
                moves.append(SnapMove(index + 1, "start", start, new_start, shot))
                start = new_start
            else:
                held.append(SnapMove(index + 1, "start", start, new_start, shot))
        snapped = snap_end(end, ordered, fps)
        if snapped is not None:
            new_end, shot = snapped
            if (next_start is None or new_end + gap <= next_start) and new_end - start >= shortest:
                moves.append(SnapMove(index + 1, "end", end, new_end, shot))
                end = new_end
            else:
                held.append(SnapMove(index + 1, "end", end, new_end, shot))
        result.append(replace(cue, start_ms=start, end_ms=end))
    return Snapped(result, moves, held)
