"""The background a turn's speech is measured against, for ALN010 (turn in noise).

Noise is there whether anyone speaks or not; reverberation is the voice's own tail and
falls away after every stop, by 60 dB over the room's reverberation time (RT60: about
0.3-0.6 s in furnished rooms, up to about 1-2 s in large bare halls; ISO 3382-2). A
floor taken from every pause (:func:`toolkit.align.features.local_floor`) takes that tail
for noise: in the reverberant rooms of the Korean real-speech sets it put every right turn
"in noise" (docs/alignment.md, "Korean real speech").

So the background here is read only from *settled* frames, those at least
:data:`SETTLE_FRAMES` (300 ms) after the voice detector last heard speech, where a
room's tail has had time to fall to whatever sound goes on regardless of the voice.
This is the idea behind minimum-statistics noise estimation (R. Martin, "Noise power
spectral density estimation based on optimal smoothing and minimum statistics", IEEE
Trans. Speech Audio Process. 9(5), 2001): the noise is the level the signal does not
drop below once speech has stopped. Steady noise (hiss, white noise) and a music bed
are still measured in full, since they fill the settled frames as they fill the rest.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

#: Frames (10 ms) after the last loud frame before a frame counts as background: a
#: room's tail has dropped far towards the floor by then (300 ms).
SETTLE_FRAMES = 30
#: Frames either side of a turn the background is read from (5 s, as the local floor).
REACH_FRAMES = 500
#: Settled frames a side needs to give a level (200 ms); with neither side having
#: them, the turn falls back on the local floor.
MIN_SETTLED = 20
#: The settled frames' percentile taken as the level (a low one: noise's own dips
#: aside, the quiet between a music bed's notes is still the bed's).
LEVEL_PERCENTILE = 10


def settled_frames(loud: BoolArray) -> BoolArray:
    """Frames at least :data:`SETTLE_FRAMES` after the last ``loud`` frame (or with no
    loud frame before them)."""
    index = np.arange(len(loud))
    last_loud = np.maximum.accumulate(np.where(loud, index, -SETTLE_FRAMES))
    settled: BoolArray = index - last_loud >= SETTLE_FRAMES
    return settled


def turn_snr_db(
    energy_db: FloatArray, floor_db: FloatArray, settled: BoolArray, first: int, last: int
) -> float:
    """How far (dB, 0-99) a turn's loud frames (its 90th percentile) rise over the
    background around it.

    The background is read from the settled frames of the 5 s before the turn up to its
    middle, and of its middle to 5 s after it, each side's :data:`LEVEL_PERCENTILE`;
    the higher side counts (hiss that starts with the next speaker is not missed). With
    too few settled frames on both sides (speech without a pause), the median of
    ``floor_db`` (the local floor) over the turn stands in.
    """
    if last <= first:
        return 0.0
    middle = (first + last) // 2
    sides = ((max(0, first - REACH_FRAMES), middle), (middle, min(len(energy_db), last + REACH_FRAMES)))
    levels = []
    for begin, end in sides:
        quiet = energy_db[begin:end][settled[begin:end]]
        if len(quiet) >= MIN_SETTLED:
            levels.append(float(np.percentile(quiet, LEVEL_PERCENTILE)))
    background = max(levels) if levels else float(np.median(floor_db[first:last]))
    rise = float(np.percentile(energy_db[first:last], 90)) - background
    return round(max(0.0, min(rise, 99.0)), 1)
