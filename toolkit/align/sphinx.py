"""Forced alignment with an acoustic model trained on real voices (pocketsphinx, English).

The DTW engine (:mod:`toolkit.align.aligner`) matches the recording against espeak-ng's
voice; a real voice costs about as much to match against it as the background does, so
in noise and music its path rests on near-ties. pocketsphinx's US English model was
trained on recorded speech: every word of the transcript becomes its phones' hidden
Markov models, and the decoder finds the one path through the whole recording that says
the words in order, with optional silence and noise (``<sil>``, ``[NOISE]``) between any
two words, before the first and after the last.

This is the only module that imports pocketsphinx, and only when an alignment runs, so
that ``redbox --help`` does not pay for it.

Evidence kept per turn (the checks judge it):

* ``match``: the turn's acoustic cost per 10 ms frame (how far its words score under the
  best-matching sound at each frame, from the decoder's own scores) against the
  episode's median turn; a turn the model hears badly, or words forced onto audio that
  does not hold them, costs more (``ALN012``);
* ``unplaced``: words the decoder squeezed to (nearly) the shortest time its model
  allows, one frame per state, or stretched over 5 times the episode's time per phone
  (and over 1 s): words it could not place in the audio (``ALN013``). A stretched first
  word holds speech the transcript lacks: the turn starts where the word would, and
  the rest counts as uncovered speech;
* ``uncovered_ms``: speech-like noise (``[SPEECH]``, ``[NOISE]``) the decoder put before the
  turn, after the previous one: speech no turn covers (``ALN004``);
* ``drift_ms`` (set by :mod:`toolkit.align.engine`): how far the DTW, run on the same
  audio, puts the turn's start (``ALN016``).

The search itself (whole recording or window by window) is
:mod:`toolkit.align.sphinx_search`.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Sequence
from statistics import median

import numpy as np
import numpy.typing as npt

from toolkit.align import Progress, progress_stage
from toolkit.align.audio import Audio, signal_problem
from toolkit.align.sphinx_search import (
    PRUNED,
    SQUEEZED_FRAMES_PER_PHONE,
    UNPRUNED,
    Searcher,
    Word,
    pcm16,
    search_whole,
    search_windows,
)
from toolkit.align.sphinx_words import TurnWords, turn_words
from toolkit.align.timings import Alignment, TurnTiming, turn_fingerprint
from toolkit.errors import ToolkitError
from toolkit.model import Turn


def available() -> bool:
    """Whether the pocketsphinx package (and its English model) can be imported."""
    return importlib.util.find_spec("pocketsphinx") is not None


def align_turns_sphinx(
    turns: Sequence[Turn],
    language: str,
    audio: Audio,
    progress: Progress | None = None,
    guide: Sequence[tuple[int, int]] | None = None,
) -> Alignment | None:
    """Find every turn of ``turns`` (English) in ``audio`` with pocketsphinx.

    The whole recording is searched at once; with ``guide`` (each turn's start and end
    in ms as another aligner found them), window by window when the whole-file searches
    fail or cost too much (:mod:`toolkit.align.sphinx_search`). ``None`` when no search
    finds a path that says every word (the caller then falls back to the DTW engine).
    """
    if not turns:
        raise ToolkitError("the transcript has no turns to align")
    problem = signal_problem(audio.samples)
    if problem:
        raise ToolkitError(problem)
    split = [turn_words(turn.text) for turn in turns]
    tokens = [token for words in split for token in words.tokens]
    if not tokens:
        return None
    audio = at_model_rate(audio)
    searcher = Searcher(pcm16(audio.samples), audio.sample_rate, frame_hop(audio.sample_rate), set(tokens))
    # Pruned, then unpruned while the whole recording is affordable (frames x words under
    # UNPRUNED_BUDGET), then unpruned window by window (sphinx_search's docstring).
    found = search_whole(searcher, tokens, PRUNED) or search_whole(searcher, tokens, (UNPRUNED,))
    if found is None and guide is not None and len(guide) == len(turns):
        stage = progress_stage(progress, 0.0, 0.9)
        found = search_windows(searcher, [words.tokens for words in split], guide, stage)
    if found is None:
        return None
    words, noise_before = found.words, found.noise_before
    if progress is not None:
        progress(0.95)
    result = _timings(turns, split, words, noise_before, frame_energy_db(audio), audio)
    if progress is not None:
        progress(1.0)
    return result


def _timings(
    turns: Sequence[Turn],
    split: Sequence[TurnWords],
    words: Sequence[Word],
    noise_before: Sequence[int],
    energy_db: npt.NDArray[np.float64],
    audio: Audio,
) -> Alignment:
    hop = frame_hop(audio.sample_rate)

    def ms(frame: int) -> int:
        return round(frame * hop * 1000 / audio.sample_rate)

    costs: list[float] = []
    spans: list[tuple[int, int]] = []
    at = 0
    for turn_split in split:
        count = len(turn_split.tokens)
        spans.append((at, at + count))
        placed = words[at : at + count]
        frames = sum(word.end - word.start for word in placed)
        costs.append(sum(word.cost * (word.end - word.start) for word in placed) / frames if frames else 0.0)
        at += count
    typical = median([cost for cost in costs if cost > 0] or [1.0]) or 1.0
    # The episode's pace: frames per phone of its median word.
    phone_frames = median([(word.end - word.start) / word.phones for word in words] or [8.0])
    timings: list[TurnTiming] = []
    previous_end = 0
    for index, (turn, turn_split, (first, last)) in enumerate(zip(turns, split, spans, strict=True)):
        fingerprint = turn_fingerprint(turn.speaker, turn.text)
        if first == last:
            at_ms = ms(previous_end)
            timings.append(TurnTiming(index, turn.line, turn.speaker, at_ms, at_ms, fingerprint=fingerprint))
            continue
        placed = words[first:last]
        start = placed[0].start
        stretched = [_stretched(word, phone_frames) for word in placed]
        uncovered = noise_before[first]
        if stretched[0]:
            # Speech the transcript lacks, just before this turn, was given to its first
            # word: the turn starts where that word takes its usual time.
            moved = placed[0].end - round(_USUAL_STRETCH * phone_frames * placed[0].phones)
            uncovered += moved - start
            start = moved
        if (
            len(placed) > 1
            and placed[0].phones <= _DETACHED_PHONES
            and placed[1].start - placed[0].end >= _DETACHED_GAP
        ):
            # A short first word ("I", "so") far from the rest of its turn: a word that
            # short fits any breath or click, and the decoder put it on one. It is said
            # just before the next word, as long as such a word usually takes.
            length = min(
                placed[0].end - placed[0].start, round(_USUAL_STRETCH * phone_frames * placed[0].phones)
            )
            moved = placed[1].start - length
            uncovered += moved - start
            start = moved
            placed = [dataclasses.replace(placed[0], start=moved, end=placed[1].start), *placed[1:]]
        if turn_split.opens_with_note:
            # "[laughs] Montreal …": the laugh is the turn's first sound, but the model
            # hears laughter as silence: the turn starts where the loud run before its
            # first word does.
            start = _sound_before(energy_db, start, previous_end)
        word_starts = _word_starts(turn_split, placed, start)
        squeezed = sum(
            1 for word in placed if word.end - word.start < SQUEEZED_FRAMES_PER_PHONE * word.phones
        )
        unplaced = squeezed + sum(stretched)
        timings.append(
            TurnTiming(
                index=index,
                line=turn.line,
                speaker=turn.speaker,
                start_ms=ms(start),
                end_ms=ms(placed[-1].end),
                words=tuple(ms(frame) for frame in word_starts),
                fingerprint=fingerprint,
                match=round(costs[index] / typical, 2),
                uncovered_ms=0 if turn_split.opens_with_note else ms(uncovered),
                unplaced=unplaced,
            )
        )
        previous_end = placed[-1].end
    meta = (("language", "en"), ("engine", "sphinx"), ("voice", "pocketsphinx en-us"))
    return Alignment(tuple(timings), audio.duration_ms, 0, meta)


#: A word longer than this many times the episode's time per phone (and 1 s) holds
#: more than the word: speech the transcript lacks, or a long noise.
STRETCHED_FACTOR = 5.0
_STRETCHED_MIN_FRAMES = 100
#: How long (times the episode's time per phone) a stretched first word is taken to last.
_USUAL_STRETCH = 1.5


#: A first word of at most this many phones, this many frames before the turn's second
#: word, is moved next to it (measured: "I" put on a breath 0.75 s early, and on the
#: tail of a sentence missing from the transcript 1.9 s early).
_DETACHED_PHONES = 3
_DETACHED_GAP = 50


def _stretched(word: Word, phone_frames: float) -> bool:
    frames = word.end - word.start
    return frames > max(_STRETCHED_MIN_FRAMES, STRETCHED_FACTOR * phone_frames * word.phones)


#: The acoustic model's own sample rate: its filter bank reaches 6.8 kHz, so pocketsphinx
#: refuses any rate whose Nyquist frequency is under that (telephone audio at 8 kHz).
MODEL_RATE = 16000


def at_model_rate(audio: Audio) -> Audio:
    """``audio`` raised to :data:`MODEL_RATE` when its rate is lower (linear interpolation:
    the model's bands above the recording's Nyquist frequency stay empty, as in any
    narrow-band recording); unchanged otherwise.

    >>> import numpy as np
    >>> raised = at_model_rate(Audio(np.zeros(8000, dtype=np.float32), 8000))
    >>> raised.sample_rate, len(raised.samples)
    (16000, 16000)
    """
    if audio.sample_rate >= MODEL_RATE or audio.sample_rate <= 0:
        return audio
    count = round(len(audio.samples) * MODEL_RATE / audio.sample_rate)
    times = np.arange(count, dtype=np.float64) * (audio.sample_rate / MODEL_RATE)
    raised = np.interp(times, np.arange(len(audio.samples)), audio.samples).astype(np.float32)
    return Audio(raised, MODEL_RATE)


def frame_hop(sample_rate: int) -> int:
    """Samples per pocketsphinx frame: 100 a second, rounded half up (221 at 22,050 Hz).

    Counting them as 10 ms put starts 1.7 s early over 12 minutes at 22,050 Hz (measured).

    >>> frame_hop(16000), frame_hop(22050)
    (160, 221)
    """
    return max(1, int(sample_rate / 100 + 0.5))


def frame_energy_db(audio: Audio) -> npt.NDArray[np.float64]:
    """Energy (dB) of every decoder frame of ``audio``."""
    hop = frame_hop(audio.sample_rate)
    count = len(audio.samples) // hop
    frames = audio.samples[: count * hop].astype(np.float64).reshape(count, hop)
    energy: npt.NDArray[np.float64] = 10.0 * np.log10((frames**2).mean(axis=1) + 1e-12)
    return energy


#: A sound before a turn's first word: frames this far (dB) over the quietest tenth of
#: the pause, in runs no more than :data:`_SOUND_GAP` frames apart.
_SOUND_RISE_DB = 15.0
_SOUND_GAP = 30


def _sound_before(energy_db: npt.NDArray[np.float64], first_word: int, previous_end: int) -> int:
    """Where the loud run (a laugh, a sigh) that leads into ``first_word`` begins."""
    window = energy_db[previous_end:first_word]
    if len(window) == 0:
        return first_word
    loud = np.flatnonzero(window > np.percentile(window, 10) + _SOUND_RISE_DB)
    start = first_word
    for frame in loud[::-1]:
        if start - (previous_end + int(frame)) > _SOUND_GAP:
            break
        start = previous_end + int(frame)
    return start


def _word_starts(turn_split: TurnWords, placed: Sequence[Word], start: int) -> list[int]:
    """A start frame for every whitespace word (notes and punctuation: the next word's)."""
    starts: list[int] = []
    following = placed[-1].end
    for token_index in reversed(turn_split.first_token):
        if token_index is not None:
            following = placed[token_index].start
        starts.append(following)
    starts.reverse()
    if starts:
        starts[0] = start
    return [max(start, frame) for frame in starts]
