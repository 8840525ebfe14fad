"""Cues from transcripts: labels, dialogue, translations, alignment slots, goldens, round trips."""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.clients import assert_clients_agree, read_with_all_clients
from toolkit.errors import SubtitleError
from toolkit.formats.libass import break_backslash_escapes
from toolkit.formats.srt import compose_srt, parse_srt
from toolkit.formats.vtt import parse_vtt
from toolkit.formats.vtt_write import compose_vtt
from toolkit.limits import ENGLISH, KOREAN, limits_for, text_width
from toolkit.model import Cue, Transcript, Turn
from toolkit.segment import visible_characters
from toolkit.subtitles import SubtitleOptions, build_cues, on_screen_text
from toolkit.timing import TimingOptions, TurnSlot
from toolkit.transcript import parse_transcript

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "subtitles"
UPDATE = os.environ.get("REDBOX_UPDATE_GOLDEN") == "1"


def episode(*turns: Turn, language: str = "en", speakers: str = "") -> Transcript:
    header = (("language", language), ("speakers", speakers)) if speakers else (("language", language),)
    return Transcript("episode.txt", header, turns)


def texts(cues: list[Cue]) -> list[str]:
    return [cue.text for cue in cues]


TWO_SPEAKERS = episode(
    Turn("Joy", "So those types of questions made me feel a little uncomfortable.", 3),
    Turn("Joy", "Not everyone in North Korea is like that.", 4),
    Turn("Dasom", "Right.", 5),
)


def test_labels_change_names_the_speaker_only_when_it_changes() -> None:
    cues = build_cues(TWO_SPEAKERS, SubtitleOptions(labels="change"))
    assert texts(cues) == [
        "Joy: So those types of questions\nmade me feel a little uncomfortable.",
        "Not everyone in North Korea is like that.",
        "Dasom: Right.",
    ]


def test_labels_none_shows_no_names_but_keeps_the_voice() -> None:
    cues = build_cues(TWO_SPEAKERS, SubtitleOptions(labels="none"))
    assert texts(cues)[2] == "Right."
    assert [cue.parts[0].speaker for cue in cues] == ["Joy", "Joy", "Dasom"]


def test_labels_always_names_every_cue() -> None:
    cues = build_cues(TWO_SPEAKERS, SubtitleOptions(labels="always"))
    assert all(cue.text.startswith(f"{cue.parts[0].speaker}: ") for cue in cues)


def test_dialogue_puts_two_short_turns_in_one_cue_with_dashes() -> None:
    transcript = episode(
        Turn("Joy", "But it's a very different situation.", 3), Turn("Jeongyol", "Right.", 4)
    )
    cues = build_cues(transcript, SubtitleOptions(dialogue=True))
    assert len(cues) == 1
    assert cues[0].text == "-But it's a very different situation.\n-Right."
    assert [part.speaker for part in cues[0].parts] == ["Joy", "Jeongyol"]


def test_korean_dialogue_uses_a_dash_and_a_space() -> None:
    transcript = episode(Turn("조이", "정말요?", 3), Turn("다솜", "네.", 4), language="ko")
    cues = build_cues(transcript, SubtitleOptions(dialogue=True))
    assert cues[0].text == "- 정말요?\n- 네."


def test_dialogue_leaves_long_turns_alone() -> None:
    transcript = episode(
        Turn("Joy", "One uncomfortable question for me was when I was in school.", 3),
        Turn("Dasom", "Right.", 4),
    )
    assert len(build_cues(transcript, SubtitleOptions(dialogue=True))) == 2


def test_translated_text_keeps_the_source_timing_and_uses_korean_limits() -> None:
    source = episode(
        Turn("Joy", "When I first came to South Korea, I was working part-time at a convenience store.", 3),
        Turn("Dasom", "Right.", 4),
    )
    korean = episode(
        Turn("조이", "처음 한국에 왔을 때 편의점에서 아르바이트를 했어요.", 3),
        Turn("다솜", "맞아요.", 4),
        language="ko",
    )
    english_cues = build_cues(source, SubtitleOptions(labels="change"))
    korean_cues = build_cues(source, SubtitleOptions(labels="change"), text_from=korean)
    assert korean_cues[0].text.startswith("조이: ")
    assert korean_cues[-1].text == "다솜: 맞아요."
    assert korean_cues[-1].parts[0].speaker == "다솜"
    assert korean_cues[-1].start_ms == english_cues[-1].start_ms
    for cue in korean_cues:
        assert all(text_width(line, KOREAN) <= 16 for line in cue.text.split("\n"))


def test_a_translation_with_other_turns_is_refused() -> None:
    with pytest.raises(SubtitleError, match="must match one to one"):
        build_cues(TWO_SPEAKERS, SubtitleOptions(), text_from=episode(Turn("Joy", "Hi.", 1)))


def test_aligned_turn_slots_pin_every_turn() -> None:
    slots = [TurnSlot(1000, 4000), TurnSlot(6000, 8000), TurnSlot(9000, 9500)]
    cues = build_cues(TWO_SPEAKERS, SubtitleOptions(), turn_slots=slots)
    assert [cue.start_ms for cue in cues] == [1000, 6000, 9000]


def test_anchors_pin_turn_starts() -> None:
    transcript = episode(
        Turn("Joy", "Welcome back.", 3, anchor_ms=5000),
        Turn("Dasom", "Thank you.", 4),
        Turn("Joy", "Let's start.", 5, anchor_ms=20_000),
    )
    cues = build_cues(transcript, SubtitleOptions())
    assert cues[0].start_ms == 5000 and cues[2].start_ms == 20_000


def test_start_offsets_the_first_cue() -> None:
    cues = build_cues(TWO_SPEAKERS, SubtitleOptions(start_ms=10_000))
    assert cues[0].start_ms == 10_000


def test_the_same_transcript_gives_the_same_bytes() -> None:
    first = compose_vtt(build_cues(TWO_SPEAKERS, SubtitleOptions()))
    assert first == compose_vtt(build_cues(TWO_SPEAKERS, SubtitleOptions()))


# ---------------------------------------------------------------- goldens


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.read_bytes().decode("utf-8") == text, f"{name} changed (REDBOX_UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize(
    ("transcript_path", "stem"),
    [
        (
            ROOT / "transcripts" / "misunderstandings-and-stereotypes.txt",
            "misunderstandings-and-stereotypes.en",
        ),
        (ROOT / "tests" / "data" / "transcripts" / "korean-sample.txt", "korean-sample.ko"),
    ],
)
def test_sample_episodes_match_their_golden_files(transcript_path: Path, stem: str) -> None:
    transcript, problems = parse_transcript(transcript_path.read_text(encoding="utf-8"), str(transcript_path))
    assert not [problem for problem in problems if problem.severity == "error"]
    cues = build_cues(transcript, SubtitleOptions())
    _golden(f"{stem}.srt", compose_srt(cues))
    _golden(f"{stem}.vtt", compose_vtt(cues))


# ---------------------------------------------------------------- properties

NAMES = ["Joy", "Dasom", "Jeongyol", "다 같이", "조이"]
WORD = st.one_of(
    st.sampled_from(
        ["the", "North", "Korea.", "and", "but,", "—", "really?", "조이", "말투가", "&", "<b>", "-->"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Z")), min_size=1, max_size=10),
    st.text(alphabet="abc가나", min_size=40, max_size=90),
)


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    language = draw(st.sampled_from(["en", "ko"]))
    turns: list[Turn] = []
    anchor = 0
    for line in range(1, draw(st.integers(min_value=1, max_value=8)) + 1):
        words = draw(st.lists(WORD, min_size=1, max_size=30))
        separators = draw(st.lists(st.sampled_from([" ", " ", "\n", "\n\n"]), min_size=len(words)))
        text = "".join(word + separator for word, separator in zip(words, separators, strict=False)).strip()
        pinned: int | None = None
        if draw(st.booleans()) and draw(st.booleans()):
            anchor += draw(st.integers(min_value=0, max_value=30_000))
            pinned = anchor
        turns.append(Turn(draw(st.sampled_from(NAMES)), text, line, anchor_ms=pinned))
    return episode(*turns, language=language)


def _unlabelled(cue: Cue) -> str:
    text = cue.text
    for name in NAMES:
        if text.startswith(f"{name}:"):
            return text[len(name) + 1 :]
    return text


def _assert_readers_agree(cues: list[Cue]) -> None:
    """pysrt, srt and webvtt-py read the SRT and WebVTT files of ``cues`` as written."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / "out.srt", Path(folder) / "out.vtt"]
        paths[0].write_text(compose_srt(cues), encoding="utf-8")
        paths[1].write_text(compose_vtt(cues), encoding="utf-8")
        results = read_with_all_clients(paths, clients=("pysrt", "srt", "webvtt-py"))
        for path in paths:
            assert_clients_agree(path, cues, results=results)


@settings(max_examples=60, deadline=None)
@given(
    transcript=transcripts(),
    labels=st.sampled_from(["none", "change", "always"]),
    fps=st.sampled_from([23.976, 25.0]),
)
def test_random_transcripts_give_cues_in_order_within_limits_that_round_trip(
    transcript: Transcript, labels: str, fps: float
) -> None:
    options = SubtitleOptions(labels=labels, fps=fps)  # type: ignore[arg-type]
    cues = build_cues(transcript, options)
    limits = limits_for(transcript.language)
    # The text: every visible character, in order, nothing else but labels.
    if labels == "none":
        # (Editorial notes lose their brackets, or go when they stand alone: on_screen_text.)
        assert visible_characters("".join(cue.text for cue in cues)) == visible_characters(
            "".join(on_screen_text(turn.text) for turn in transcript.turns)
        )
    else:
        for cue in cues:
            assert visible_characters(_unlabelled(cue)) or cue.text.endswith(":")
    # The limits every cue can keep.
    for cue in cues:
        lines = cue.text.split("\n")
        assert len(lines) <= limits.max_lines
        assert all(line.strip() and text_width(line, limits) <= limits.max_line_width for line in lines)
        assert 0 < cue.duration_ms <= limits.max_duration_ms
    gap = TimingOptions(fps=fps).min_gap_ms
    for before, after in itertools.pairwise(cues):
        assert after.start_ms - before.end_ms >= gap
    if not any(turn.anchor_ms is not None for turn in transcript.turns):
        assert all(cue.duration_ms >= limits.min_duration_ms for cue in cues)
        # Gaps are 2 frames or a real pause of half a second or more, never in between.
        timing = TimingOptions(fps=fps)
        for before, after in itertools.pairwise(cues):
            gap_ms = after.start_ms - before.end_ms
            assert gap_ms == timing.min_gap_ms or gap_ms >= timing.close_below_ms, (before, after)
        # Nothing squeezes the text: every cue reads within the language's speed limit.
        for cue in cues:
            assert text_width(cue.text, limits) / (cue.duration_ms / 1000) <= limits.max_cps, cue
    # The files parse back to the same cues.
    srt_cues, srt_problems = parse_srt(compose_srt(cues), "out.srt")
    vtt_cues, vtt_problems = parse_vtt(compose_vtt(cues), "out.vtt")
    assert not [p for p in srt_problems + vtt_problems if p.severity == "error"]
    # (A backslash before a letter gets a word joiner, so libass never reads `\\N` as a break.)
    assert [(c.start_ms, c.end_ms, c.plain) for c in vtt_cues] == [
        (c.start_ms, c.end_ms, break_backslash_escapes(c.text)) for c in cues
    ]
    assert [c.voices for c in vtt_cues] == [tuple(p.speaker for p in c.parts if p.speaker) for c in cues]
    assert [(c.start_ms, c.end_ms) for c in srt_cues] == [(c.start_ms, c.end_ms) for c in cues]
    # And the libraries players use read the same cues (the browser and ffmpeg are in the CLI tests).
    _assert_readers_agree(cues)


def test_english_limits_are_the_netflix_ones() -> None:
    assert (ENGLISH.max_line_width, ENGLISH.max_lines, ENGLISH.max_duration_ms) == (42, 2, 7000)


def test_a_backslash_escape_in_a_turn_reads_back_joined_not_as_a_line_break() -> None:
    # Found by Hypothesis: `\N` is a line break to libass (mpv, ffmpeg burn-in), so the
    # WebVTT writer puts a word joiner after the backslash; every reader shows the same text.
    transcript, _ = parse_transcript("Joy: a \\N b and C:\\New\n", "t.txt")
    cues = build_cues(transcript, SubtitleOptions())
    vtt_cues, problems = parse_vtt(compose_vtt(cues), "out.vtt")
    assert not problems
    assert [c.plain for c in vtt_cues] == ["a \\\u2060N b and C:\\\u2060New"]
    # And the readers players use see the same text (webvtt-py once failed on the joiner).
    _assert_readers_agree(cues)
