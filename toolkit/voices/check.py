"""Which turns sound like another labelled speaker, which were not checked, and which names
hold two voices.

Every turn with at least :attr:`VoiceOptions.min_speech_ms` of speech is a reference for
its label. A label with at least :attr:`VoiceOptions.min_references` such turns gets a
model (one Gaussian over the episode-normalised features); each checked turn is scored
against its own label's model built without it (leave-one-out) and against every other
modelled speaker's model. The margin is how much better, in mean log-likelihood per
frame, the best other speaker fits than the label: above :attr:`VoiceOptions.margin` the
turn is flagged. The turns flagged so are then left out of every model and every turn is
scored again (a mislabelled turn shapes the model of the name it wrongly carries); a turn
its own label fitted better the first time keeps that first score. One margin for every
episode: it was chosen by measurement across the test sets in docs/voices.md, never per
episode.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from toolkit.voices.features import N_CEPSTRA, VoiceFrames
from toolkit.voices.models import (
    TurnStats,
    fit,
    fit_many,
    mean_log_likelihoods,
    pooled,
    turn_stats,
    without,
)
from toolkit.voices.models import centred as centred_stats

#: Labels that name several voices (or none in particular): never modelled, never checked.
GROUP_LABELS = frozenset(
    {
        "all",
        "both",
        "everyone",
        "everybody",
        "together",
        "group",
        "crowd",
        "audience",
        "unknown",
        "speaker",
        "voices",
        "?",
        "-",
    }
)
_SEPARATORS = ("&", "+", "/", ",", " and ", " & ")


def is_group_label(speaker: str) -> bool:
    """Whether a label names several people (``All``, ``Joy & Dasom``) or nobody in particular.

    >>> is_group_label("All"), is_group_label("Joy and Dasom"), is_group_label("Joy")
    (True, True, False)
    """
    name = " ".join(speaker.casefold().split())
    return name in GROUP_LABELS or not name or any(mark in f" {name} " for mark in _SEPARATORS)


@dataclass(frozen=True)
class VoiceTurn:
    """A turn as the voice check sees it: who is said to speak, and where."""

    index: int
    line: int
    speaker: str
    start_ms: int
    end_ms: int
    #: What is said ("" when unknown): two voices under one name need several different
    #: utterances in the smaller group, not one sentence said many times.
    text: str = ""


@dataclass(frozen=True)
class VoiceOptions:
    #: Turns with less speech than this are not checked (nor used as references).
    min_speech_ms: int = 1000
    #: A label needs this many checked turns to be modelled.
    min_references: int = 10
    #: Flag when another speaker fits better by more than this (mean log-likelihood per frame).
    margin: float = 0.5
    #: Diagonal covariances instead of full ones.
    diagonal: bool = False
    #: Two voices under one name: the smaller group's turns must fit their own group
    #: better than the other group by this much (per frame, on average) ...
    split_separation: float = 2.0
    #: ... and by this much with each turn about its own mean (a room moves the mean).
    split_shape: float = 1.0
    #: Look for two voices under one name at all.
    two_voices: bool = True
    #: ... and each group must have at least this many turns.
    min_group: int = 4


@dataclass(frozen=True)
class Mismatch:
    turn: VoiceTurn
    other: str
    margin: float


@dataclass(frozen=True)
class NotChecked:
    turn: VoiceTurn
    reason: str


@dataclass(frozen=True)
class SplitVoice:
    """A name whose turns split into two voices; ``turns`` are the smaller group's."""

    speaker: str
    turns: tuple[VoiceTurn, ...]
    #: The smaller group's separation with each turn about its own mean (per frame).
    gain: float


@dataclass(frozen=True)
class VoiceReport:
    mismatches: tuple[Mismatch, ...]
    not_checked: tuple[NotChecked, ...]
    splits: tuple[SplitVoice, ...]
    #: Every checked turn's best other speaker and margin (flagged or not), by turn index.
    margins: dict[int, tuple[str, float]] = field(default_factory=dict)


def check_voices(
    frames: VoiceFrames, turns: Sequence[VoiceTurn], options: VoiceOptions | None = None
) -> VoiceReport:
    """Score every turn's voice against the episode's speakers (see the module doc)."""
    stats = [turn_stats(frames.speech_of(turn.start_ms, turn.end_ms)) for turn in turns]
    return check_turn_stats(stats, frames.frame_ms, turns, options)


def check_turn_stats(
    turn_statistics: Sequence[TurnStats],
    frame_ms: float,
    turns: Sequence[VoiceTurn],
    options: VoiceOptions | None = None,
) -> VoiceReport:
    """:func:`check_voices` from each turn's statistics (computed from the audio, or stored
    by ``redbox align``: :mod:`toolkit.voices.store`); ``frame_ms`` is the frame step."""
    options = options or VoiceOptions()
    not_checked: list[NotChecked] = []
    by_speaker: dict[str, list[tuple[VoiceTurn, TurnStats]]] = {}
    for turn, stats in zip(turns, turn_statistics, strict=True):
        if is_group_label(turn.speaker):
            not_checked.append(NotChecked(turn, f"the label {turn.speaker!r} names several voices"))
            continue
        speech = stats.count * frame_ms
        if speech < options.min_speech_ms:
            not_checked.append(
                NotChecked(turn, f"{speech / 1000:.2f} s of speech, under {options.min_speech_ms / 1000:g} s")
            )
            continue
        by_speaker.setdefault(turn.speaker, []).append((turn, stats))
    modelled: dict[str, TurnStats] = {}
    for speaker, members in by_speaker.items():
        if len(members) >= options.min_references:
            modelled[speaker] = pooled([stats for _, stats in members])
            continue
        for turn, _ in members:
            not_checked.append(
                NotChecked(
                    turn,
                    f"{speaker} has {len(members)} turn(s) of "
                    f"{options.min_speech_ms / 1000:g} s or more, under "
                    f"the {options.min_references} needed to model the voice",
                )
            )
    mismatches: list[Mismatch] = []
    margins: dict[int, tuple[str, float]] = {}
    if len(modelled) >= 2:
        first = _scores(modelled, by_speaker, options, suspects=frozenset())
        # Second pass: the models are rebuilt without the turns the first pass flagged. A
        # mislabelled turn sits in the model of the name it wrongly carries: it made that
        # model fit the speaker's other turns (mislabels missed) and broadened it towards
        # their voice (a whisper of the other speaker flagged). See docs/voices.md.
        suspects = frozenset(index for index, (_, margin) in first.items() if margin > options.margin)
        second = _scores(modelled, by_speaker, options, suspects=suspects) if suspects else first
        for speaker in modelled:
            for turn, _ in by_speaker[speaker]:
                other, margin = second[turn.index]
                if first[turn.index][1] <= 0:
                    # Its own label fitted it better in the first pass: the cleaned models
                    # alone never flag it (two odd turns of one speaker, each the other's
                    # only support, flagged each other once either was left out).
                    other, margin = first[turn.index]
                margins[turn.index] = (other, margin)
                if margin > options.margin:
                    mismatches.append(Mismatch(turn, other, margin))
    elif modelled:
        for speaker in modelled:
            for turn, _ in by_speaker[speaker]:
                not_checked.append(
                    NotChecked(turn, "no other speaker of the episode has enough turns to compare with")
                )
    splits = tuple(
        split
        for speaker in (modelled if options.two_voices else {})
        if (split := split_voice(speaker, by_speaker[speaker], options)) is not None
    )
    not_checked.sort(key=lambda item: item.turn.index)
    return VoiceReport(tuple(mismatches), tuple(not_checked), splits, margins)


def _scores(
    modelled: dict[str, TurnStats],
    by_speaker: dict[str, list[tuple[VoiceTurn, TurnStats]]],
    options: VoiceOptions,
    *,
    suspects: frozenset[int],
) -> dict[int, tuple[str, float]]:
    """Every modelled turn's best other speaker and margin, with the ``suspects`` (turn
    indices) left out of every model: each turn against its label's model without it
    (leave-one-out) and every other speaker's model."""
    totals = {
        speaker: (
            pooled(kept)
            if (kept := [stats for turn, stats in by_speaker[speaker] if turn.index not in suspects])
            else total
        )
        for speaker, total in modelled.items()
    }
    models = {speaker: fit(total, diagonal=options.diagonal) for speaker, total in totals.items()}
    scores: dict[int, tuple[str, float]] = {}
    for speaker, total in totals.items():
        for turn, stats in by_speaker[speaker]:
            in_model = turn.index not in suspects or total is modelled[speaker]
            own_model = fit(without(total, stats), diagonal=options.diagonal) if in_model else models[speaker]
            own = own_model.mean_log_likelihood(stats)
            other, best = max(
                (
                    (name, model.mean_log_likelihood(stats))
                    for name, model in models.items()
                    if name != speaker
                ),
                key=lambda pair: pair[1],
            )
            scores[turn.index] = (other, best - own)
    return scores


def _group_models(members: Sequence[TurnStats], groups: Sequence[int]) -> list[TurnStats]:
    return [
        pooled([stats for stats, group in zip(members, groups, strict=True) if group == g]) for g in (0, 1)
    ]


def _left_out_scores(
    totals: Sequence[TurnStats], members: Sequence[TurnStats], *, centred: bool = False
) -> npt.NDArray[np.float64]:
    """Each member's fit under the model of its ``totals`` entry without it (leave-one-out),
    as a batch."""
    models = fit_many(
        [without(total, item) for total, item in zip(totals, members, strict=True)], centred=centred
    )
    return mean_log_likelihoods(models, members, centred=centred)


def _first_splits(stats: Sequence[TurnStats]) -> list[list[int]]:
    """Starting splits: along the main axis of the turns' means, of their spreads, and the
    turns the name's pooled model fits worst against the rest."""
    starts: list[list[int]] = []
    for rows in (
        np.array([item.mean for item in stats]),
        np.array([np.log(np.maximum(np.diag(item.covariance), 1e-6)) for item in stats]),
    ):
        centre = rows - rows.mean(axis=0)
        _, _, axes = np.linalg.svd(centre, full_matrices=False)
        starts.append([int(value > 0) for value in centre @ axes[0]])
    everyone = pooled(stats)
    fits = _left_out_scores([everyone] * len(stats), stats)
    starts.append([int(value < np.percentile(fits, 30)) for value in fits])
    return starts


def _regrouped(stats: Sequence[TurnStats], groups: list[int]) -> list[int] | None:
    """Each turn moved to the group whose model (without it) fits it best, until stable.

    Leaving the turn out matters: with its own group's model fitted on it, a handful of
    turns of one voice quality (whispers, laughter) hold together as a group of their own
    (measured: one speaker split, with no second person, in every noise).
    """
    for _ in range(8):
        if min(groups.count(0), groups.count(1)) < 2:
            return None
        totals = _group_models(stats, groups)
        whole = [fit(total) for total in totals]  # the group a turn is not in: one model each
        own = _left_out_scores([totals[group] for group in groups], stats)
        regrouped = []
        for item, group, own_score in zip(stats, groups, own, strict=True):
            other = whole[1 - group].mean_log_likelihood(item)
            scores = (own_score, other) if group == 0 else (other, own_score)
            regrouped.append(int(scores[1] > scores[0]))
        if regrouped == groups:
            break
        groups = regrouped
    return groups


def _gains(stats: Sequence[TurnStats], groups: Sequence[int], *, centred: bool) -> npt.NDArray[np.float64]:
    """How much better each group-1 turn fits its own group (without it) than group 0."""
    own = [centred_stats(item) if centred else item for item in stats]
    totals = _group_models(own, groups)
    other = fit(totals[0], centred=centred)
    members = [item for item, group in zip(own, groups, strict=True) if group == 1]
    inside = _left_out_scores([totals[1]] * len(members), members, centred=centred)
    outside = np.array([other.mean_log_likelihood(item, centred=centred) for item in members])
    gains: npt.NDArray[np.float64] = inside - outside
    return gains


def _separation(stats: Sequence[TurnStats], groups: Sequence[int], *, centred: bool) -> float:
    """The group-1 turns' mean :func:`_gains`."""
    return float(np.mean(_gains(stats, groups, centred=centred)))


def _cepstra_only(item: TurnStats) -> TurnStats:
    """The statistics of the cepstra alone (the spectral envelope, without its motion)."""
    keep = slice(0, N_CEPSTRA)
    return TurnStats(item.count, item.total[keep], item.outer[keep, keep])


def _holds(stats: Sequence[TurnStats], flagged: Sequence[int], options: VoiceOptions) -> float | None:
    """The split's shape score (per frame, each turn about its own mean) when it shows two
    voices, else ``None``. Each test was added against a measured false alarm
    (docs/voices.md): the smaller group must fit its own group better than the other by
    :attr:`VoiceOptions.split_separation` per frame, and by :attr:`VoiceOptions.split_shape`
    with each turn about its own mean (a room moves a turn's mean); the median utterance of
    the smaller group must fit its own group better too (a few of one speaker's turns in
    another room carried the average while most fitted the other group better); and on the
    cepstra alone, by :attr:`VoiceOptions.split_shape` again (a music bed under a room's
    echoes changed the frames' motion, the deltas, and split one speaker in two rooms; a
    second person changes the spectral envelope itself)."""
    if _separation(stats, flagged, centred=False) <= options.split_separation:
        return None
    shape = _gains(stats, flagged, centred=True)
    if float(np.mean(shape)) <= options.split_shape or float(np.median(shape)) <= 0:
        return None
    envelope = _separation([_cepstra_only(item) for item in stats], flagged, centred=True)
    if envelope <= options.split_shape:
        return None
    return float(np.mean(shape))


def _utterances(members: Sequence[tuple[VoiceTurn, TurnStats]]) -> list[tuple[list[VoiceTurn], TurnStats]]:
    """The turns grouped by what they say, each group's statistics pooled: a sentence said
    many times is one utterance (a turn whose text is unknown is one of its own)."""
    said: dict[str, list[tuple[VoiceTurn, TurnStats]]] = {}
    for turn, stats in members:
        said.setdefault(" ".join(turn.text.casefold().split()) or f"#{turn.index}", []).append((turn, stats))
    return [([turn for turn, _ in group], pooled([stats for _, stats in group])) for group in said.values()]


def split_voice(
    speaker: str, members: Sequence[tuple[VoiceTurn, TurnStats]], options: VoiceOptions
) -> SplitVoice | None:
    """The smaller of two voices under ``speaker``'s name, when the turns split cleanly.

    The speaker's utterances (turns that say the same thing count once, pooled: identical
    repeats of one sentence grouped as a voice of their own on the synthetic benchmark)
    are split in two (three starting splits, each regrouped until stable, every utterance
    going to the group whose model without it fits it best). A split is two voices when
    the smaller group holds :attr:`VoiceOptions.min_group` utterances and passes
    :func:`_holds` (measured in docs/voices.md).
    """
    utterances = _utterances(members)
    if len(utterances) < 2 * options.min_group:
        return None
    stats = [item for _, item in utterances]
    best: tuple[float, list[int]] | None = None
    for start in _first_splits(stats):
        groups = _regrouped(stats, start)
        if groups is None or min(groups.count(0), groups.count(1)) < options.min_group:
            continue
        smaller = 0 if groups.count(0) <= groups.count(1) else 1
        flagged = [int(group == smaller) for group in groups]
        shape = _holds(stats, flagged, options)
        if shape is not None and (best is None or shape > best[0]):
            best = (shape, flagged)
    if best is None:
        return None
    chosen = sorted(
        (turn for (turns, _), group in zip(utterances, best[1], strict=True) if group for turn in turns),
        key=lambda turn: turn.index,
    )
    return SplitVoice(speaker, tuple(chosen), best[0])
