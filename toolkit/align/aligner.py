"""Forced alignment of a transcript's turns to an episode's audio.

1. Every turn is synthesized with espeak-ng (the transcript's language), trimmed to its
   speech, and the clips are joined with short pauses: a synthetic episode whose turn
   and word times are known.
2. Both signals become MFCC frames (:mod:`toolkit.align.features`).
3. A coarse DTW over 80 ms frames, in a band of ``band_s`` either side of the diagonal,
   finds the rough path; a fine DTW over 10 ms frames, in a narrow band around the rough
   path, refines every boundary (:mod:`toolkit.align.dtw`).
4. Synthetic turn and word times are carried through the path into audio time.

Outliers are measured here too (speech share of each turn, uncovered speech) and
judged by :mod:`toolkit.align.checks`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from toolkit.align import Progress, dtw, progress_stage, vad
from toolkit.align.audio import Audio, signal_problem
from toolkit.align.background import settled_frames, turn_snr_db
from toolkit.align.breath import past_breath, past_breath_near
from toolkit.align.edges import (
    Levels,
    snap,
    snap_start,
    speech_frames,
    speech_ms,
    speech_onsets,
    stuck_speech_ms,
)
from toolkit.align.episode import Clip, synthesize_turns
from toolkit.align.features import (
    Features,
    Spectrum,
    cepstra,
    local_floor,
    loud_frames,
    pool_frames,
    spectrum,
    subtract_background,
)
from toolkit.align.music import find_music, past_music, start_steadiness
from toolkit.align.notes import Rooms, room_masks, turns_clear_of
from toolkit.align.synth import Voice
from toolkit.align.timings import Alignment, TurnTiming, turn_fingerprint
from toolkit.align.warping import WARPS, warped_synthetic
from toolkit.errors import ToolkitError
from toolkit.limits import base_language
from toolkit.model import Turn

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
#: Frames of a turn's edge frame that may be matched to the audio before it counts as parked.
_EDGE_RUN = 10

#: Skipping a real frame costs at most this percentile of the episode's match costs.
#: 95 rather than 90: at 90 the open start skipped the first 6 s of talk under a music
#: bed 15 dB down (turns 6-9 s late); the synthetic fixtures and clean real speech are
#: unchanged either way (measured in docs/alignment.md).
SKIP_QUANTILE = 95.0

#: A sound note's room (:mod:`toolkit.align.notes`) matches any frame at this percentile
#: of what the episode's real voice costs against its own synthetic words: a room never
#: cheaper than nearly all of the speech. 90-99 give the same turn starts on the clean
#: real-speech sets; at 75 or 50 the room drew the next turn's speech into it (4.5 s).
ROOM_QUANTILE = 95.0

#: Spectral subtraction leaves the local background this far (dB) down, never less.
BACKGROUND_KEPT_DB = 10.0

#: espeak-ng voice per language; any other language tag is passed to espeak-ng as is.
VOICES = {"en": "en", "ko": "ko"}


@dataclass(frozen=True)
class AlignOptions:
    """How to align. Defaults come from the measurements in ``docs/benchmarks.md``."""

    #: espeak-ng voice; ``None`` picks one from the transcript's language.
    voice: str | None = None
    #: Words a minute of the synthetic speech (espeak-ng's default).
    rate: int = 175
    #: Silence put between synthesized turns.
    pause_ms: int = 300
    #: Half-width of the coarse band (aeneas uses 60 s).
    band_ms: int = 60_000
    #: Half-width of the fine band around the coarse path.
    fine_band_ms: int = 300
    #: Coarse frames are this many 10 ms frames.
    coarse_factor: int = 8
    #: Let the recording begin and end with audio no turn matches (an intro, an outro).
    open_ends: bool = True
    #: How far a turn edge may move to the nearest edge of speech (0: never).
    snap_ms: int = 750
    #: Audio counts as clean when its background is at least this far (dB) under the
    #: speech: then turn edges snap to the voice detector's, and features are normalized
    #: by the speech frames alone.
    snap_snr_db: float = 25.0


def voice_for(language: str, options: AlignOptions) -> Voice:
    """The aligner's espeak-ng voice for ``language``."""
    if options.voice:
        return Voice(options.voice, options.rate)
    base = base_language(language) if language else "en"
    return Voice(VOICES.get(base, base), options.rate)


def warp(
    real: Features,
    synthetic: Features,
    options: AlignOptions,
    progress: Progress | None = None,
    *,
    clean: bool = True,
    rooms: Rooms | None = None,
) -> tuple[dtw.Path, float]:
    """The DTW path from real frames (rows) to synthetic frames (columns): coarse, then
    fine; and what a frame costs in a sound note's room (``rooms``, the synthetic frames
    inside one) on the fine pass."""
    factor = max(1, options.coarse_factor)
    rows, cols = len(real.values), len(synthetic.values)
    coarse_real, coarse_synth = pool_frames(real.values, factor), pool_frames(synthetic.values, factor)
    coarse_rooms = None if rooms is None else rooms.pooled(factor)
    half = max(4, round(options.band_ms / (10 * factor)))
    low, high = dtw.diagonal_band(len(coarse_real), len(coarse_synth), half)
    total_rows = len(coarse_real) + rows
    done = [0]

    def advance(count: int) -> None:
        done[0] += count
        if progress is not None:
            progress(min(1.0, done[0] / total_rows))

    # Leaving a real frame unmatched (an intro, an outro) costs what calling it
    # background costs (its distance to the recording's silence), but never more than
    # what real speech in this episode costs to match (a high quantile of the match
    # costs along a first coarse path). A constant (half a random pair's distance) was
    # cheaper than a real voice's match against espeak-ng and let the path skip the
    # first 20 s of a conversation; the silence distance alone made loud music too dear
    # to skip. In noise (not ``clean``) speech is close to the background and a real
    # voice's match cost high: the cap would make speech cheap to skip, so it is left out.
    coarse_skip = ((coarse_real - real.silence) ** 2).sum(axis=1)
    fine_skip = ((real.values - real.silence) ** 2).sum(axis=1)
    coarse_room = fine_room = 0.0
    if (options.open_ends and clean) or rooms is not None:
        first = dtw.align(
            coarse_real, coarse_synth, low, high, None, open_ends=options.open_ends, skip=coarse_skip
        )
        expanded = _expand(first, factor, rows, cols)
        if rooms is not None and coarse_rooms is not None:
            # What the real voice costs against its own words (first path, rooms silent).
            unsaid = coarse_rooms.unsaid
            coarse_room = _match_cost(coarse_real, coarse_synth, first, ROOM_QUANTILE, unsaid)
            fine_room = _match_cost(real.values, synthetic.values, expanded, ROOM_QUANTILE, rooms.unsaid)
        if options.open_ends and clean:
            coarse_skip = np.minimum(
                coarse_skip, _match_cost(coarse_real, coarse_synth, first, SKIP_QUANTILE)
            )
            fine_skip = np.minimum(
                fine_skip, _match_cost(real.values, synthetic.values, expanded, SKIP_QUANTILE)
            )
    coarse = dtw.align(
        coarse_real,
        coarse_synth,
        low,
        high,
        advance,
        open_ends=options.open_ends,
        skip=coarse_skip,
        rooms=None if coarse_rooms is None else coarse_rooms.inside,
        room_cost=coarse_room,
    )
    width = max(2, round(options.fine_band_ms / 10))
    coarse_rows = np.arange(rows) // factor
    fine_low = coarse.first_col[coarse_rows] * factor - width
    fine_high = (coarse.last_col[coarse_rows] + 1) * factor + width
    fine = dtw.align(
        real.values,
        synthetic.values,
        fine_low,
        np.minimum(fine_high, cols),
        advance,
        open_ends=options.open_ends,
        skip=fine_skip,
        rooms=None if rooms is None else rooms.inside,
        room_cost=fine_room,
    )
    return fine, fine_room


#: Cepstra the second opinion compares (of :data:`~toolkit.align.features.N_CEPSTRA`).
SECOND_OPINION_CEPSTRA = 8
#: Half-width of the second opinion's band around the main path.
SECOND_OPINION_BAND_MS = 20_000


def _second_opinion(
    real: Features,
    fake: Features,
    main: dtw.Path,
    options: AlignOptions,
    *,
    clean: bool,
    rooms: Rooms | None = None,
) -> dtw.Path:
    """A second, independent coarse alignment on fewer cepstra (the spectral envelope
    without its fine detail): where it puts a turn far from the main path, the audio does
    not decide between the two, and the turn is flagged (ALN011).

    Skipping a frame is priced as for the main path (:func:`warp`), with the match costs
    taken along the main path, so that the two differ in their features only.
    """
    factor = max(1, options.coarse_factor)
    keep = min(SECOND_OPINION_CEPSTRA, real.values.shape[1])
    coarse_real = pool_frames(np.ascontiguousarray(real.values[:, :keep]), factor)
    coarse_synth = pool_frames(np.ascontiguousarray(fake.values[:, :keep]), factor)
    skip = ((coarse_real - real.silence[:keep]) ** 2).sum(axis=1)
    cols = np.minimum(main.first_col[np.arange(len(coarse_real)) * factor] // factor, len(coarse_synth) - 1)
    along = dtw.Path(main.first_row, main.last_row, cols, cols)
    if options.open_ends and clean:
        skip = np.minimum(skip, _match_cost(coarse_real, coarse_synth, along, SKIP_QUANTILE))
    coarse_rooms = None if rooms is None else rooms.pooled(factor)
    room_cost = 0.0
    if coarse_rooms is not None:
        room_cost = _match_cost(coarse_real, coarse_synth, along, ROOM_QUANTILE, coarse_rooms.unsaid)
    # Inside a band around the main path, not the whole diagonal band: a third of the
    # cost, and a start more than SECOND_OPINION_BAND_MS away is flagged all the same.
    rows = np.arange(len(coarse_real)) * factor
    half = max(4, round(min(SECOND_OPINION_BAND_MS, options.band_ms) / (10 * factor)))
    low = main.first_col[rows] // factor - half
    high = main.last_col[rows] // factor + half + 1
    return dtw.align(
        coarse_real,
        coarse_synth,
        low,
        np.minimum(high, len(coarse_synth)),
        None,
        open_ends=options.open_ends,
        skip=skip,
        rooms=None if coarse_rooms is None else coarse_rooms.inside,
        room_cost=room_cost,
    )


def _second_start(path: dtw.Path, synth_frame: int, options: AlignOptions) -> int:
    """The fine frame where the second opinion starts the turn beginning at ``synth_frame``."""
    factor = max(1, options.coarse_factor)
    column = min(synth_frame // factor, len(path.first_row) - 1)
    return int(path.first_row[column]) * factor + factor // 2


def _match_cost(
    rows_f: FloatArray,
    cols_f: FloatArray,
    path: dtw.Path,
    quantile: float,
    leave_out: BoolArray | None = None,
) -> float:
    """The ``quantile`` (percent) of the match costs of the rows ``path`` matches inside
    the synthetic episode (its first and last frames, where skipped rows park, left out,
    and the columns marked in ``leave_out``)."""
    inside = (path.first_col > 0) & (path.first_col < len(cols_f) - 1)
    if leave_out is not None:
        inside &= ~leave_out[np.clip(path.first_col, 0, len(cols_f) - 1)]
    matched = np.flatnonzero(inside)
    if len(matched) == 0:
        matched = np.arange(len(rows_f))
    centre = np.clip((path.first_col[matched] + path.last_col[matched]) // 2, 0, len(cols_f) - 1)
    costs = ((rows_f[matched] - cols_f[centre]) ** 2).sum(axis=1)
    return float(np.percentile(costs, quantile))


def _expand(path: dtw.Path, factor: int, rows: int, cols: int) -> dtw.Path:
    """A coarse path's row-to-column map at the fine frame rate."""
    fine_rows = np.arange(rows)
    cols_of_rows = np.minimum(path.first_col[fine_rows // factor] * factor + fine_rows % factor, cols - 1)
    return dtw.Path(path.first_row, path.last_row, cols_of_rows, cols_of_rows)


def align_turns(
    turns: Sequence[Turn],
    language: str,
    audio: Audio,
    options: AlignOptions | None = None,
    progress: Progress | None = None,
    on_spectrum: Callable[[Spectrum], None] | None = None,
) -> Alignment:
    """Find every turn of ``turns`` in ``audio`` (see the module documentation).

    ``on_spectrum`` is shown the recording's log mel spectrum as computed (the voice
    check's statistics reuse it rather than transform the audio again)."""
    options = options or AlignOptions()
    if not turns:
        raise ToolkitError("the transcript has no turns to align")
    problem = signal_problem(audio.samples)
    if problem:
        raise ToolkitError(problem)

    voice = voice_for(language, options)
    recording = spectrum(audio.samples, audio.sample_rate)
    if on_spectrum is not None:
        on_spectrum(recording)
    # Music alone (an intro, a bed between turns) is background, not speech: the DTW
    # matches it as silence, and it is never speech for the edges and checks below.
    music = find_music(audio.samples, audio.sample_rate, recording.energy_db)
    recording = subtract_background(recording, BACKGROUND_KEPT_DB)
    background = recording.noise_profile()
    clean = recording.background_db <= -options.snap_snr_db
    # When most of what is loud is no voice (a music bed, an intro), speech is what is
    # loud and a voice (Silero VAD, when onnxruntime is installed; only where some music
    # alone was heard): for the statistics, the background profile and the checks.
    near_voice: BoolArray | None = None
    loud = recording.loud  # (the energy detector's speech, before the voice detector's)
    if music.alone.any():
        recording, near_voice = vad.voice_speech(recording, audio.samples, audio.sample_rate)
        background = recording.noise_profile()
    # A voice under a music bed is a voice in noise (features, no snapping), but the open
    # ends keep clean audio's price (docs/alignment.md, "Music beds as noise").
    bed = near_voice is not None and vad.under_a_bed(loud, recording.loud, music.alone)
    noisy = not clean or bed
    # Sound notes get a room on clean audio only, away from music: in noise and music a
    # real voice's match costs are near-ties, and a room drew the next turn's speech or
    # shifted whole runs of turns (measured in docs/alignment.md).
    texts = [turn.text for turn in turns]
    rooms_for = turns_clear_of(music.alone, texts, round(options.band_ms / 10)) if clean else []
    synthetic, synth_rate, clips = synthesize_turns(
        turns, voice, options.pause_ms, progress_stage(progress, 0.0, 0.2), rooms_for
    )
    real = cepstra(recording, background, every_frame=noisy, local=True)
    real.values[music.alone] = real.silence
    # The synthetic voice's formants scaled towards the speakers' (toolkit.align.warping);
    # not under a music bed, where the bed's spectrum weighs in every trial's cost
    # (measured: a male voice under a bed 5 dB down took 1.15 and a turn went 108 ms off).
    # One warp per speaker (a man and a woman in one episode are 20 % apart).
    speakers = list(dict.fromkeys(turn.speaker for turn in turns))
    voice_spans = [
        (clip.start, clip.end, speakers.index(turn.speaker))
        for turn, clip in zip(turns, clips, strict=True)
        if clip is not None
    ]
    fake, voice_warps = warped_synthetic(
        synthetic,
        synth_rate,
        real,
        background,
        every_frame=noisy,
        warps=WARPS[:1] if bed else WARPS,
        voices=voice_spans,
    )

    def synth_frame(sample: int) -> int:
        return min(sample // fake.hop, len(fake.values) - 1)

    rooms = room_masks(
        [room for clip in clips if clip is not None for room in clip.rooms],
        [(clip.start, clip.end) for clip in clips if clip is not None],
        fake.hop,
        len(fake.values),
    )
    path, room_cost = warp(
        real,
        fake,
        options,
        progress_stage(progress, 0.25, 0.65),
        clean=clean,
        rooms=rooms,
    )
    second = _second_opinion(real, fake, path, options, clean=clean, rooms=rooms)
    speech = speech_frames(real) & ~music.alone
    # What the checks count as speech (coverage, ALN005; in no turn, ALN004): in music,
    # only what is near a voice (the bed is loud everywhere).
    evidence = speech if near_voice is None else speech & near_voice

    # On noisy audio the voice detector misses quiet speech (soft onsets, fading ends)
    # and snapping does more harm than good (measured at 15 dB SNR): the path stands.
    reach = 0 if noisy else round(options.snap_ms / 10)
    onsets = speech_onsets(speech)
    levels = Levels(real.energy_db, loud_frames(real.energy_db)) if reach > 0 else None
    spans = snap(_spans(path, clips, synth_frame), speech, onsets, reach, levels)
    # A turn never starts in music: a start found in steady sound moves on to the voice.
    spans = [
        (past_music(first, last, music.steady_around), last) if first >= 0 else (first, last)
        for first, last in spans
    ]
    if levels is not None or bed:
        # Nor on the in-breath before its first word (clean audio, where edges snap to
        # the voice detector's, and under a music bed, where the path's starts stand; a
        # turn that opens with a note, such as [laughs], keeps it).
        heard = (levels.loud if levels is not None else loud_frames(real.energy_db)) & ~music.alone
        breath_past = past_breath if levels is not None else past_breath_near
        spans = [
            (breath_past(first, last, heard, audio.samples, audio.sample_rate, real.hop), last)
            if first >= 0 and not turn.text.lstrip().startswith(("[", "("))
            else (first, last)
            for (first, last), turn in zip(spans, turns, strict=True)
        ]
    if levels is not None:
        # A turn that closes with a sound note ends where the sound does: its room may
        # also hold the quiet after it (3.4 s of room tone after a laugh, measured).
        spans = [
            (first, _last_sound(first, last, speech))
            if clip is not None and clip.rooms and clip.rooms[-1][1] == clip.end
            else (first, last)
            for (first, last), clip in zip(spans, clips, strict=True)
        ]
    row_cost = _row_costs(real.values, fake.values, path)
    if rooms is not None:  # a sound in its room costs what the room does
        row_cost[rooms.inside[np.clip(path.first_col, 0, len(rooms.inside) - 1)]] = room_cost
    floor_db = local_floor(real.energy_db)
    settled = settled_frames(loud_frames(real.energy_db))
    turn_cost = [float(row_cost[first:last].mean()) if last > first else 0.0 for first, last in spans]
    typical_cost = float(np.median([cost for cost in turn_cost if cost > 0] or [1.0])) or 1.0
    timings: list[TurnTiming] = []
    previous_end_frame = 0
    for index, (turn, clip) in enumerate(zip(turns, clips, strict=True)):
        if clip is None:
            # Nothing to hear: the turn sits at the end of the previous one, zero length.
            at = real.frame_ms(previous_end_frame)
            timings.append(
                TurnTiming(
                    index,
                    turn.line,
                    turn.speaker,
                    at,
                    at,
                    fingerprint=turn_fingerprint(turn.speaker, turn.text),
                )
            )
            continue
        first, last = spans[index]
        words = tuple(real.frame_ms(int(path.first_row[synth_frame(sample)])) for sample in clip.words)
        timings.append(
            TurnTiming(
                index=index,
                line=turn.line,
                speaker=turn.speaker,
                start_ms=real.frame_ms(first),
                end_ms=real.frame_ms(last),
                synth_ms=round((clip.end - clip.start) * 1000 / synth_rate),
                speech=round(float(evidence[first:last].mean()), 2) if last > first else 0.0,
                uncovered_ms=speech_ms(evidence, previous_end_frame, first, real)
                + stuck_speech_ms(path, evidence, first, last, real),
                words=words,
                fingerprint=turn_fingerprint(turn.speaker, turn.text),
                match=round(turn_cost[index] / typical_cost, 2),
                steady=start_steadiness(first, music.steady),
                snr_db=turn_snr_db(real.energy_db, floor_db, settled, first, last),
                drift_ms=abs(
                    real.frame_ms(first)
                    - real.frame_ms(
                        snap_start(
                            _second_start(second, synth_frame(clip.start), options), speech, onsets, reach
                        )
                    )
                ),
            )
        )
        previous_end_frame = last
    trailing = speech_ms(evidence, previous_end_frame, len(real.values), real)
    if progress is not None:
        progress(1.0)
    meta = (
        ("language", language),
        ("voice", f"{voice.name} {voice.rate} wpm"),
        # The synthetic voice's frequency warp that matched each speaker best (1.00: none).
        ("voice_warp", _warps_text(speakers, voice_warps)),
        # How far under the speech the background is (dB): ALN010 flags noisy recordings.
        ("background_db", f"{recording.background_db:.1f}"),
    )
    return Alignment(tuple(timings), audio.duration_ms, trailing, meta)


def _warps_text(speakers: Sequence[str], warps: Sequence[float]) -> str:
    """``1.20`` when every speaker took the same warp, else ``Ara 1.20, Bomin 1.00``."""
    if len(set(warps)) <= 1:
        return f"{warps[0]:.2f}" if warps else "1.00"
    return ", ".join(f"{speaker} {warp:.2f}" for speaker, warp in zip(speakers, warps, strict=True))


def _last_sound(first: int, last: int, speech: BoolArray) -> int:
    """The end (exclusive) of the last frame of speech in ``[first, last)``, or ``last``."""
    heard = np.flatnonzero(speech[first:last])
    return first + int(heard[-1]) + 1 if len(heard) else last


def _row_costs(real: FloatArray, synthetic: FloatArray, path: dtw.Path) -> FloatArray:
    """Every real frame's distance to the synthetic frame the path matched it with."""
    cols = np.clip(path.first_col, 0, len(synthetic) - 1)
    costs: FloatArray = np.empty(len(real), dtype=np.float32)
    for start in range(0, len(real), 65536):  # in blocks: no second copy of an hour's features
        stop = start + 65536
        costs[start:stop] = ((real[start:stop] - synthetic[cols[start:stop]]) ** 2).sum(axis=1)
    return costs


def _spans(
    path: dtw.Path, clips: Sequence[Clip | None], synth_frame: Callable[[int], int]
) -> list[tuple[int, int]]:
    """Every turn's first and end (exclusive) real frame, straight from the path."""
    spans: list[tuple[int, int]] = []
    for clip in clips:
        if clip is None:
            spans.append((-1, -1))
            continue
        onset, offset = synth_frame(clip.start), synth_frame(max(clip.start, clip.end - 1))
        # A long vertical run on a turn's first or last frame means the path parked
        # background there; the speech begins at the end of such a run and ends at
        # its beginning (give or take the run's first/last 100 ms).
        first = max(int(path.first_row[onset]), int(path.last_row[onset]) - _EDGE_RUN)
        last = min(int(path.last_row[offset]), int(path.first_row[offset]) + _EDGE_RUN) + 1
        spans.append((first, max(first + 1, last)))
    return spans
