"""pocketsphinx's alignment search, over the whole recording or window by window.

:mod:`toolkit.align.sphinx` turns the words found here into turn timings. The search
says the transcript's words in order through the audio, with optional silence and noise
between any two. Order of tries (measured on the real-speech sets, docs/alignment.md):

1. The whole recording, beams 1e-200 then 1e-300 (:data:`PRUNED`). Where a pruned search
   finds a path it is the one kept: searched window by window with the same beams, short
   windows found wrong paths in noise that the whole-file search rejects (white noise
   15 dB under the speech: 8 turns over 500 ms off against 4).
2. When both fail (white noise under the speech), the unpruned search of the whole
   recording, while frames x words stays under :data:`UNPRUNED_BUDGET` (3 minutes of
   audio with 200 words; it costs frames x words, and 3 minutes took 0.8 GB).
3. Past that budget, the unpruned search window by window (:func:`search_windows`),
   each window costing frames x its own words: an 8.5-minute recording in white noise
   15 dB down, which fell back to the DTW before, is aligned with as many turns right
   as its 3-minute pieces. (On the 3-minute sets the windows gave the same turn starts
   as the whole-file search, to 10 ms, with 30 s windows instead of 60 s, 16 turns over
   500 ms off instead of 7 in white noise 5 dB down: the whole-file search is kept
   wherever it is affordable.)

Windows: a DTW pass (:mod:`toolkit.align.aligner`, about 0.7 % of real time) says roughly
where each turn is. A window holds the turns the DTW ends within :data:`WINDOW_MS` of
where the window starts, plus :data:`LOOKAHEAD_TURNS` turns more, and the audio up to
:data:`MARGIN_MS` past where the DTW ends the last of them. Only the window's own turns
are kept; the next window starts where its last kept turn ends and searches the
look-ahead turns again, so a window's end (early or late by the DTW's error, seconds in
noise) disturbs only turns that are searched again (with 2 look-ahead turns instead of
4, white noise 15 dB down had 6 turns over 500 ms off instead of 4). A window whose
search finds no path, or whose look-ahead turns end squeezed against its end (the DTW
put them too early), is widened: 3x the margin, then to the end of the recording.

This module and :mod:`toolkit.align.sphinx` are the only ones that touch pocketsphinx,
and they import it only when a search runs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from toolkit.align import Progress
from toolkit.align.sphinx_words import SPEECH_UNIT, arpabet_from_ipa
from toolkit.align.synth import Voice, ipa
from toolkit.errors import ToolkitError

#: Beams, widest last: pocketsphinx's defaults (1e-48) prune the one path through a few
#: minutes of laughter, whisper or music and the alignment fails outright (measured on
#: the real-speech sets); 1e-200 keeps it on clean speech and music at tens of models a
#: frame (the grammar is one sentence); in white noise 15 dB under the speech only no
#: pruning at all (0) finds it, at about 4x the CPU, so that last try is kept to
#: searches where frames x words stays under :data:`UNPRUNED_BUDGET`.
PRUNED = ((1e-200, 1e-150), (1e-300, 1e-250))
UNPRUNED = (0.0, 0.0)
BEAMS = (*PRUNED, UNPRUNED)
#: Frames (10 ms) times words for which an unpruned search is still tried (about 20 s
#: of CPU: 3 minutes of audio with 200 words).
UNPRUNED_BUDGET = 4_000_000
#: A window's own turns span about this much audio (by the DTW's estimate).
WINDOW_MS = 60_000
#: Turns searched after a window's own, and searched again by the next window.
LOOKAHEAD_TURNS = 4
#: Audio searched past where the DTW ends a window's last turn (the first try).
MARGIN_MS = 10_000
#: Each widening multiplies the margin by this; after :data:`WIDENINGS`, the window runs
#: to the end of the recording.
WIDEN_FACTOR = 3
WIDENINGS = 2
#: A window holds at least this many frames per letter of its words (said slowly: about
#: twice a fluent speaker's time), wherever the guide ends them.
LEAST_FRAMES_PER_LETTER = 12
#: A look-ahead whose last word ends closer than this (frames) to the window's end was
#: given too little audio.
ROOM_FRAMES = 100
#: A word squeezed to under this many frames per phone was not found in the audio
#: (the model's phones have 3 states, one frame each at the least).
SQUEEZED_FRAMES_PER_PHONE = 3.5
FILLERS = ("[NOISE]", "[SPEECH]")
SILENCES = ("<s>", "</s>", "<sil>")
#: espeak-ng voice whose letter-to-sound rules pronounce words the dictionary lacks.
_G2P_VOICE = Voice("en-us")


@dataclass(frozen=True)
class Word:
    """One transcript word as the decoder placed it (frames of 10 ms, from the file's start)."""

    token: str
    start: int
    end: int
    cost: float  # acoustic cost per frame (natural log units)
    phones: int


@dataclass(frozen=True)
class Found:
    """Every transcript word, placed, and the frames of filler noise just before each."""

    words: tuple[Word, ...]
    noise_before: tuple[int, ...]


def make_decoder(sample_rate: int, beam: float, word_beam: float) -> Any:
    """A pocketsphinx decoder for alignment (no language model) at ``sample_rate``."""
    # Imported here only: every other command starts without it.
    from pocketsphinx import Decoder  # type: ignore[import-untyped]

    window = math.ceil(0.025625 * sample_rate)
    nfft = 1 << max(9, (window - 1).bit_length())
    try:
        return Decoder(
            lm=None,
            loglevel="FATAL",
            samprate=float(sample_rate),
            nfft=nfft,
            beam=beam,
            pbeam=beam,
            wbeam=word_beam,
            bestpath=False,
        )
    except RuntimeError as error:  # its own message says only "Failed to initialize"
        raise ToolkitError(f"pocketsphinx could not start on audio at {sample_rate} Hz ({error})") from None


def pronounce(decoder: Any, tokens: set[str]) -> None:
    """Add every token the dictionary lacks, pronounced by espeak-ng (or ``+SPN+``)."""
    missing = sorted(token for token in tokens if decoder.lookup_word(token) is None)
    for count, token in enumerate(missing, start=1):
        phones = arpabet_from_ipa(ipa(token, _G2P_VOICE).replace(" ", "")) or SPEECH_UNIT
        # Rebuilding the search once, after the last word, not after each.
        decoder.add_word(token, phones, count == len(missing))


def _cost(ascore: float, frames: int) -> float:
    # The Python binding gives the score as a probability; a long, badly matched word
    # underflows to 0: count it as the worst cost a frame can have here.
    if ascore <= 0.0:
        return 745.0 / max(frames, 1)
    return -math.log(ascore) / max(frames, 1)


def pcm16(samples: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.int16]:
    """The decoder's input: 16-bit samples."""
    return np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")


class Searcher:
    """Alignment searches over spans of one recording, one decoder per beam (made once:
    loading the acoustic model and pronouncing the transcript's words is not repeated
    per window)."""

    def __init__(self, pcm: npt.NDArray[np.int16], sample_rate: int, hop: int, tokens: set[str]) -> None:
        self.pcm = pcm
        self.sample_rate = sample_rate
        self.hop = hop
        self.tokens = tokens
        self.frames = len(pcm) // hop
        self._decoders: dict[tuple[float, float], Any] = {}

    def decoder(self, beam: float, word_beam: float) -> Any:
        key = (beam, word_beam)
        if key not in self._decoders:
            made = make_decoder(self.sample_rate, beam, word_beam)
            pronounce(made, self.tokens)
            self._decoders[key] = made
        return self._decoders[key]

    def search(
        self, first: int, last: int, tokens: Sequence[str], beams: Sequence[tuple[float, float]] = BEAMS
    ) -> Found | None:
        """Place ``tokens`` in frames ``first``-``last``, trying ``beams`` in turn; ``None``
        when no beam the budget allows finds a path that says every token."""
        if not tokens:
            return Found((), ())
        span = self.pcm[first * self.hop : last * self.hop]
        for beam, word_beam in beams:
            if beam == 0.0 and (last - first) * len(tokens) > UNPRUNED_BUDGET:
                break
            decoder = self.decoder(beam, word_beam)
            found = _placed(decoder, _decode(decoder, span, " ".join(tokens)), first)
            if found is not None and [word.token for word in found.words] == list(tokens):
                return found
        return None


def _decode(decoder: Any, pcm: npt.NDArray[np.int16], text: str) -> list[Any] | None:
    try:
        decoder.set_align_text(text)
    except RuntimeError as error:  # pragma: no cover - every token was added above
        raise ToolkitError(f"pocketsphinx refused the text: {error}") from None
    decoder.start_utt()
    decoder.process_raw(pcm.tobytes(), full_utt=True)
    decoder.end_utt()
    segments = decoder.seg()
    return list(segments) if segments is not None else None


def _placed(decoder: Any, segments: list[Any] | None, offset: int) -> Found | None:
    if segments is None:
        return None
    words: list[Word] = []
    noise_before: list[int] = []
    noise = 0
    for segment in segments:
        frames = segment.end_frame - segment.start_frame + 1
        if segment.word in FILLERS:
            noise += frames
            continue
        if segment.word in SILENCES:
            continue
        pronunciation = decoder.lookup_word(segment.word) or ""
        words.append(
            Word(
                segment.word.split("(")[0],
                offset + segment.start_frame,
                offset + segment.end_frame + 1,
                _cost(segment.ascore, frames),
                len(pronunciation.split()) or 1,
            )
        )
        noise_before.append(noise)
        noise = 0
    return Found(tuple(words), tuple(noise_before))


def search_whole(
    searcher: Searcher, tokens: Sequence[str], beams: Sequence[tuple[float, float]] = BEAMS
) -> Found | None:
    """One search through the whole recording."""
    return searcher.search(0, searcher.frames, tokens, beams)


def search_windows(
    searcher: Searcher,
    turn_tokens: Sequence[Sequence[str]],
    guide: Sequence[tuple[int, int]],
    progress: Progress | None = None,
) -> Found | None:
    """Place every turn's tokens window by window (module docstring), guided by
    ``guide``, each turn's (start, end) in ms as another aligner found it; ``None`` when
    a window finds no path even widened to the end of the recording."""
    frame_ms = searcher.hop * 1000 / searcher.sample_rate
    total = searcher.frames
    words: list[Word] = []
    noise_before: list[int] = []
    first_turn, first_frame = 0, 0
    while first_turn < len(turn_tokens):
        own_end = _own_turns_end(guide, first_turn, first_frame * frame_ms)
        look_end = min(len(turn_tokens), own_end + LOOKAHEAD_TURNS)
        if look_end == len(turn_tokens):
            own_end = look_end  # the last window keeps every turn it searches
        tokens = [token for turn in turn_tokens[first_turn:look_end] for token in turn]
        own_count = sum(len(turn) for turn in turn_tokens[first_turn:own_end])
        found = _search_widening(
            searcher,
            first_frame,
            tokens,
            own_count,
            guide[look_end - 1][1] / frame_ms,
            final=look_end == len(turn_tokens),
            frame_ms=frame_ms,
        )
        if found is None:
            return None
        words.extend(found.words[:own_count])
        noise_before.extend(found.noise_before[:own_count])
        if own_count:
            first_frame = min(found.words[own_count - 1].end, total)
        first_turn = own_end
        if progress is not None:
            progress(first_turn / len(turn_tokens))
    return Found(tuple(words), tuple(noise_before))


def _own_turns_end(guide: Sequence[tuple[int, int]], first_turn: int, from_ms: float) -> int:
    """One past the last turn the window starting at ``from_ms`` keeps: at least one,
    then every turn the guide ends within :data:`WINDOW_MS` of ``from_ms``."""
    end = first_turn + 1
    while end < len(guide) and guide[end][1] - from_ms <= WINDOW_MS:
        end += 1
    return end


def _search_widening(
    searcher: Searcher,
    first_frame: int,
    tokens: Sequence[str],
    own_count: int,
    guide_end: float,
    *,
    final: bool,
    frame_ms: float,
) -> Found | None:
    total = searcher.frames
    if not tokens:
        return Found((), ())
    # At least room for the words said slowly, whatever the guide says.
    least = first_frame + LEAST_FRAMES_PER_LETTER * sum(len(token) for token in tokens)
    margin = MARGIN_MS / frame_ms
    for widening in range(WIDENINGS + 2):
        last = total if final or widening > WIDENINGS else min(total, round(max(guide_end, least) + margin))
        # A window over UNPRUNED_BUDGET (one widened to the end of a long recording) is
        # not searched: the alignment then falls back to the DTW, at a bounded cost.
        found = searcher.search(first_frame, last, tokens, (UNPRUNED,))
        if found is not None and (last >= total or _room_left(found, own_count, last)):
            return found
        if last >= total:
            return found
        margin *= WIDEN_FACTOR
    return None  # pragma: no cover - the last try runs to the end of the recording


def _room_left(found: Found, own_count: int, last: int) -> bool:
    """Whether the look-ahead turns fit in the window: they end clear of its end, and
    no more than a quarter of their words were squeezed to the shortest time."""
    ahead = found.words[own_count:]
    if not ahead:
        return found.words[-1].end <= last - ROOM_FRAMES if found.words else True
    squeezed = sum(1 for word in ahead if word.end - word.start < SQUEEZED_FRAMES_PER_PHONE * word.phones)
    return ahead[-1].end <= last - ROOM_FRAMES and squeezed * 4 <= len(ahead)
