"""The acoustic-model engine's search window by window, and the DTW's second opinion
(ALN016).

Recordings: tests/data/realspeech/README.md (sources and licences).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tests.test_align_realspeech import conversation
from toolkit.align import sphinx, sphinx_search
from toolkit.align.aligner import AlignOptions, align_turns
from toolkit.align.audio import Audio
from toolkit.align.checks import alignment_problems
from toolkit.align.engine import align_with
from toolkit.align.sidecar import format_timings, parse_timings
from toolkit.align.sphinx_checks import with_second_opinion
from toolkit.align.sphinx_search import UNPRUNED, Searcher, pcm16, search_whole, search_windows
from toolkit.align.sphinx_words import turn_words
from toolkit.align.timings import Alignment, TurnTiming
from toolkit.model import Transcript, Turn

needs_sphinx = pytest.mark.skipif(not sphinx.available(), reason="pocketsphinx is not installed")


def _noisy(audio: Audio, snr_db: float, seed: int) -> Audio:
    rng = np.random.default_rng(seed)
    power = float(np.mean(audio.samples.astype(np.float64) ** 2))
    noise = rng.normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), len(audio.samples))
    return Audio((audio.samples + noise).astype(np.float32), audio.sample_rate)


def _starts(found: sphinx_search.Found, counts: list[int]) -> list[int]:
    starts, at = [], 0
    for count in counts:
        starts.append(found.words[at].start * 10)
        at += count
    return starts


def _record_searches(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The frame spans every later search covers, in order."""
    searched: list[tuple[int, int]] = []
    search = Searcher.search

    def counted(self: Searcher, first: int, last: int, *args: object) -> sphinx_search.Found | None:
        searched.append((first, last))
        return search(self, first, last, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Searcher, "search", counted)
    return searched


@needs_sphinx
def test_the_unpruned_search_window_by_window_equals_or_beats_the_whole_file_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Real voices in white noise 15 dB down, the case the windows are for: the same
    turn starts (or better) as one unpruned search through the whole recording."""
    transcript, audio, truth = conversation()
    noisy = _noisy(audio, 15.0, seed=12)
    guide = [(timing.start_ms, timing.end_ms) for timing in align_turns(transcript.turns, "en", noisy).turns]
    tokens = [turn_words(turn.text).tokens for turn in transcript.turns]
    flat = [token for turn in tokens for token in turn]
    searcher = Searcher(pcm16(noisy.samples), 16000, 160, set(flat))
    whole = search_whole(searcher, flat, (UNPRUNED,))
    # Small windows (5 s of turns, one look-ahead turn) for this 29 s conversation:
    # several windows, each searched again in part by the next.
    monkeypatch.setattr(sphinx_search, "WINDOW_MS", 5_000)
    monkeypatch.setattr(sphinx_search, "LOOKAHEAD_TURNS", 1)
    searched = _record_searches(monkeypatch)
    windowed = search_windows(searcher, tokens, guide)
    assert whole is not None and windowed is not None
    assert [word.token for word in windowed.words] == flat
    # Several windows, each starting where the one before kept its last turn.
    assert len({first for first, _last in searched}) >= 3, searched
    counts = [len(turn) for turn in tokens]
    whole_errors = sorted(abs(s - t) for s, t in zip(_starts(whole, counts), truth, strict=True))
    window_errors = sorted(abs(s - t) for s, t in zip(_starts(windowed, counts), truth, strict=True))
    assert window_errors[len(truth) // 2] <= max(whole_errors[len(truth) // 2], 50), (
        window_errors,
        whole_errors,
    )
    assert sum(e <= 250 for e in window_errors) >= sum(e <= 250 for e in whole_errors), (
        window_errors,
        whole_errors,
    )


@needs_sphinx
def test_a_window_the_guide_ends_too_early_is_widened_until_its_turns_fit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A guide that ends every turn 8 s before it starts (a DTW gone wrong) still gives
    every word its place: a window whose look-ahead turns end squeezed against its end
    is searched again, wider."""
    transcript, audio, truth = conversation()
    tokens = [turn_words(turn.text).tokens for turn in transcript.turns]
    flat = [token for turn in tokens for token in turn]
    searcher = Searcher(pcm16(audio.samples), 16000, 160, set(flat))
    monkeypatch.setattr(sphinx_search, "WINDOW_MS", 5_000)
    monkeypatch.setattr(sphinx_search, "LOOKAHEAD_TURNS", 1)
    monkeypatch.setattr(sphinx_search, "MARGIN_MS", 1_000)
    monkeypatch.setattr(sphinx_search, "LEAST_FRAMES_PER_LETTER", 1)
    searched = _record_searches(monkeypatch)
    early = [(max(0, start - 9000), max(0, start - 8000)) for start in truth]
    windowed = search_windows(searcher, tokens, early)
    assert windowed is not None
    firsts = [first for first, _last in searched]
    assert len(firsts) > len(set(firsts)), searched  # a window searched again, wider
    errors = [
        abs(s - t) for s, t in zip(_starts(windowed, [len(turn) for turn in tokens]), truth, strict=True)
    ]
    assert sorted(errors)[len(errors) // 2] <= 50, errors
    assert max(errors) <= 250, errors


def _sphinx_made(drifts: list[int]) -> tuple[Transcript, Alignment]:
    turns = tuple(Turn("Joy", f"word number {k} here", 7 + k) for k in range(len(drifts)))
    timings = tuple(
        TurnTiming(
            k, 7 + k, "Joy", 2000 * k, 2000 * k + 1500, words=(2000 * k,) * 4, match=1.0, drift_ms=drift
        )
        for k, drift in enumerate(drifts)
    )
    return (
        Transcript("t.txt", (("language", "en"),), turns),
        Alignment(timings, 12000, 0, (("engine", "sphinx"),)),
    )


def test_a_turn_the_dtw_puts_elsewhere_is_flagged_aln016_and_one_it_agrees_on_is_not() -> None:
    transcript, alignment = _sphinx_made([120, 2400, 2600, 90, 480])
    reread = parse_timings(format_timings(alignment))
    problems = alignment_problems(transcript, reread)
    assert [(p.line, p.code) for p in problems] == [(8, "ALN016"), (9, "ALN016")]
    assert "2.4 s" in problems[0].message
    # The DTW's own second opinion (ALN011, ALN015) does not judge sphinx timings: the
    # same drifts on a DTW's timings are its flags, not ALN016.
    dtw_made = dataclasses.replace(reread, meta=(("engine", "dtw"),))
    codes = {p.code for p in alignment_problems(transcript, dtw_made)}
    assert "ALN016" not in codes and "ALN011" in codes


def test_sphinx_timings_in_noise_are_flagged_as_the_dtws_are() -> None:
    """ALN010 for the acoustic model's turns: the DTW's pass measures how far each turn's
    speech rises over the background (the audio's noise, whichever engine placed it).
    Before, the conversation's turn that opens with "uh", 1.63 s late by the acoustic model
    and 1.26 s by the DTW (no ALN016: they agree), carried no flag."""
    transcript, found = _sphinx_made([0, 370, 0])
    levels = (41.0, 10.4, 0.0)
    noisy = tuple(dataclasses.replace(t, snr_db=snr) for t, snr in zip(found.turns, levels, strict=True))
    by_dtw = dataclasses.replace(found, turns=noisy, meta=(("engine", "dtw"),))
    checked = parse_timings(format_timings(with_second_opinion(found, by_dtw)))
    assert tuple(turn.snr_db for turn in checked.turns) == levels
    # 41 dB: clean; 10.4 dB: in noise; 0: not measured
    assert [(p.line, p.code) for p in alignment_problems(transcript, checked)] == [(8, "ALN010")]


@needs_sphinx
def test_the_engine_records_how_far_the_dtw_puts_each_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real voices, clean: the two engines agree on every turn (no ALN016); a turn the
    acoustic model misplaces by 3 s is flagged, at its line only."""
    transcript, audio, truth = conversation()
    result = align_with("sphinx", transcript.turns, "en", audio, AlignOptions())
    assert result.engine == "sphinx"
    assert [timing.drift_ms <= 500 for timing in result.alignment.turns] == [True] * len(truth)
    assert not [p for p in alignment_problems(transcript, result.alignment) if p.code == "ALN016"]
    found = sphinx.align_turns_sphinx

    def misplaced(*args: object) -> Alignment | None:
        alignment = found(*args)  # type: ignore[arg-type]
        assert alignment is not None
        wrong = dataclasses.replace(alignment.turns[3], start_ms=alignment.turns[3].start_ms - 3000)
        return dataclasses.replace(alignment, turns=(*alignment.turns[:3], wrong, *alignment.turns[4:]))

    monkeypatch.setattr(sphinx, "align_turns_sphinx", misplaced)
    result = align_with("sphinx", transcript.turns, "en", audio, AlignOptions())
    flagged = [p.line for p in alignment_problems(transcript, result.alignment) if p.code == "ALN016"]
    assert flagged == [transcript.turns[3].line]


@needs_sphinx
def test_past_the_unpruned_budget_the_engine_searches_window_by_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the pruned searches fail and the whole recording is too long to search
    unpruned (the DTW aligned it before), the windows align it (scaled down here: the
    conversation in white noise, a budget below its frames x words)."""
    transcript, audio, truth = conversation()
    noisy = _noisy(audio, 15.0, seed=12)
    monkeypatch.setattr(sphinx, "PRUNED", ())  # as if every pruned search failed
    monkeypatch.setattr(sphinx_search, "UNPRUNED_BUDGET", 100_000)  # the whole file: 190,000
    monkeypatch.setattr(sphinx_search, "WINDOW_MS", 5_000)
    monkeypatch.setattr(sphinx_search, "LOOKAHEAD_TURNS", 1)
    assert sphinx.align_turns_sphinx(transcript.turns, "en", noisy) is None  # no guide: no windows
    guide = [(timing.start_ms, timing.end_ms) for timing in align_turns(transcript.turns, "en", noisy).turns]
    alignment = sphinx.align_turns_sphinx(transcript.turns, "en", noisy, None, guide)
    assert alignment is not None
    errors = [abs(timing.start_ms - start) for timing, start in zip(alignment.turns, truth, strict=True)]
    assert sorted(errors)[len(errors) // 2] <= 50, errors
