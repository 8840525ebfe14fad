"""`redbox import` on transcripts exported by transcription services and editors, a time on
every turn (Otter.ai, Rev, Descript, Trint, timecodes, diarisation names): the time becomes the
turn's anchor, and `redbox build` times the cues from it. The exports are in
tests/data/raw/timestamped/ (see the README there)."""

from __future__ import annotations

from pathlib import Path

import pysrt
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.cli import cli
from toolkit.importer import PageImportError, import_raw
from toolkit.page import diarised_name, find_label
from toolkit.transcript import format_timestamp, parse_transcript

EXPORTS = Path(__file__).parent / "data" / "raw" / "timestamped"
NAMES = ["All", "Jeongyol", "Ilhyeok", "Joy", "Dasom"]
SPEAKERS = ["All", "Jeongyol", "Ilhyeok", "Joy", "Jeongyol", "Joy", "Jeongyol", "Dasom"]
#: The turns' start times (from the shipped subtitles of the sample episode), in ms.
STARTS = [0, 1833, 8466, 9966, 61133, 67900, 72467, 74900]
SECONDS = [start // 1000 * 1000 for start in STARTS]
DIARISED = ["Speaker1", "Speaker2", "Speaker3", "Speaker4", "Speaker2", "Speaker4", "Speaker2", "Speaker5"]


def _import(name: str, **options: object) -> tuple[list[str], list[int | None], list[str], list[str]]:
    text = (EXPORTS / name).read_text(encoding="utf-8")
    result = import_raw(text, name, title="The Red Box", **options)  # type: ignore[arg-type]
    turns = result.transcript.turns
    notes = [f"{note.line}: {note.message}" for note in result.notes]
    speakers = [turn.speaker for turn in turns]
    return speakers, [turn.anchor_ms for turn in turns], [turn.text for turn in turns], notes


@pytest.mark.parametrize(("name", "speakers", "anchors"), [
    ("otter.txt", SPEAKERS, SECONDS),  # Joy  0:01 / text below
    ("rev.txt", SPEAKERS, SECONDS),  # Joy (00:00:01): / text below
    ("rev-colon-first.txt", SPEAKERS, SECONDS),  # Joy: (00:01) / text below
    ("descript.txt", SPEAKERS, SECONDS),  # Joy [00:00:01] / text below
    ("trint.txt", SPEAKERS, SECONDS),  # [00:00:01] Joy / text below
    ("timecode-ms.txt", SPEAKERS, STARTS),  # 00:00:01.833 Joy: text (the milliseconds are kept)
    ("timecode-frames.txt", SPEAKERS, SECONDS),  # Joy  00:00:01:20 (frames dropped)
    ("otter-diarised.txt", DIARISED, SECONDS),  # Speaker 1  0:01
    ("rev-diarised-inline.txt", DIARISED, SECONDS),  # Speaker 1 (00:01): text
    ("whisperx-diarised.txt", [f"SPEAKER_0{int(n[-1]) - 1}" for n in DIARISED], SECONDS),  # SPEAKER_00  00:01
])
def test_each_export_shape_gives_the_turns_and_their_anchors(
    name: str, speakers: list[str], anchors: list[int]
) -> None:
    found, found_anchors, texts, _ = _import(name)
    assert found == speakers
    assert found_anchors == anchors
    assert texts[0] == "Welcome to the Red Box!" and texts[2] == "Misunderstandings?"
    assert not any(":" in text[:12] and text[:1].isdigit() for text in texts)  # no time left in the text


def test_the_written_transcript_reads_back_with_the_same_anchors() -> None:
    text = (EXPORTS / "timecode-ms.txt").read_text(encoding="utf-8")
    result = import_raw(text, "x.txt", title="The Red Box")
    transcript, problems = parse_transcript(result.text, "x.txt")
    assert not [problem for problem in problems if problem.severity == "error"]
    assert [turn.anchor_ms for turn in transcript.turns] == STARTS
    assert "[00:00:01.833] Jeongyol: Are there" in result.text


def test_frames_are_dropped_with_a_note_at_their_line() -> None:
    _, _, _, notes = _import("timecode-frames.txt")
    assert "4: timestamp 00:00:01:20: frames dropped, the anchor is kept to the second (an export does not " \
           "give the frame rate)" in notes


def test_diarisation_labels_are_named_with_alias_in_either_spelling() -> None:
    aliases = {"Speaker 1": "All", "Speaker2": "Jeongyol", "Speaker 3": "Ilhyeok", "Speaker 4": "Joy",
               "Speaker 5": "Dasom"}
    speakers, anchors, _, notes = _import("otter-diarised.txt", aliases=aliases)
    assert speakers == SPEAKERS and anchors == SECONDS
    assert not any("written" in note for note in notes)


def test_a_diarisation_label_says_how_it_is_written_once() -> None:
    _, _, _, notes = _import("otter-diarised.txt")
    assert notes[0] == ("1: 'Speaker 1' written 'Speaker1' (a transcript's names are capitalised words); "
                        "rename it with --alias 'Speaker1=Name'")
    assert sum("'Speaker 2' written" in note for note in notes) == 1


def test_numbered_labels_are_not_taken_for_typos_of_each_other() -> None:
    page = "Speaker 1  0:01\nHello there.\n\nSpeaker 2  0:03\nHi.\n\nSpeaker 1  0:05\nHow are you?\n\n" \
           "Speaker 3  0:09\nFine, thanks.\n"
    result = import_raw(page, "p.txt", title="A talk")
    speakers = [turn.speaker for turn in result.transcript.turns]
    assert speakers == ["Speaker1", "Speaker2", "Speaker1", "Speaker3"]


def test_a_time_it_cannot_use_is_dropped_with_a_note_and_the_turn_kept() -> None:
    page = "Joy  0:01\nHello there.\n\nDasom  1:99\nHi.\n\nJoy  0:05\nHow are you?\n\nDasom  0:04\nFine.\n"
    result = import_raw(page, "p.txt", title="A talk")
    assert [turn.anchor_ms for turn in result.transcript.turns] == [1000, None, 5000, None]
    lines = [note.line for note in result.notes if "dropped" in note.message]
    assert lines == [4, 10]


@pytest.mark.parametrize("line", [
    "0:01", "00:00:01", "[00:00:01]", "0:00 / 0:00", "10:30 Mass", "At 10:30 we met", "00:00:01 00:00:02",
    "[00:00:01] 00:00:02", "1:02 Joy said so", "Joy said 0:01",
])
def test_a_time_is_never_taken_for_a_name(line: str) -> None:
    label = find_label(line)
    assert label is None or not any(char.isdigit() for char in label.name)


def test_a_file_of_times_alone_still_has_no_speaker() -> None:
    with pytest.raises(PageImportError) as caught:
        import_raw("0:01\nHello there.\n\n0:05\nHi.\n", "p.txt", title="A talk")
    assert "no speaker label found" in str(caught.value)


_WORDS = st.sampled_from(["the", "red", "box", "we", "came", "north", "south", "korea", "food", "school",
                          "river", "night"])
_EXPORT_NAMES = [*NAMES[1:], "Speaker 1", "Speaker 2", "SPEAKER_00", "Speaker A", "Kim Ok"]
_SHAPES = [
    lambda name, stamp, text: f"{name}  {stamp}\n{text}\n",
    lambda name, stamp, text: f"{name} ({stamp}):\n{text}\n",
    lambda name, stamp, text: f"{name}: ({stamp})\n{text}\n",
    lambda name, stamp, text: f"{name} [{stamp}]\n{text}\n",
    lambda name, stamp, text: f"[{stamp}] {name}\n{text}\n",
    lambda name, stamp, text: f"{stamp} {name}: {text}\n",
    lambda name, stamp, text: f"{name} ({stamp}): {text}\n",
]


@settings(max_examples=60, deadline=None)
@given(
    shape=st.sampled_from(range(len(_SHAPES))),
    turns=st.lists(
        st.tuples(st.sampled_from(_EXPORT_NAMES), st.integers(1, 600),
                  st.lists(_WORDS, min_size=1, max_size=8).map(lambda ws: " ".join(ws).capitalize() + ".")),
        min_size=4, max_size=12),
    hours=st.booleans(),
)
def test_any_well_formed_export_round_trips_to_its_turns_and_anchors(
    shape: int, turns: list[tuple[str, int, str]], hours: bool
) -> None:
    names = [name for name, _, _ in turns]
    if any(names.count(name) < 2 for name in names):  # a speaker met once is the user's to confirm
        names = [NAMES[1 + index % 2] for index in range(len(turns))]
    written = [diarised_name(name) for name in names]
    starts: list[int] = []
    for _, step, _ in turns:
        starts.append((starts[-1] if starts else 0) + step * 1000)
    stamps = [format_timestamp(start) if hours else f"{start // 60000}:{start // 1000 % 60:02}"
              for start in starts]
    page = "\n".join(_SHAPES[shape](name, stamp, text)
                     for name, stamp, (_, _, text) in zip(names, stamps, turns, strict=True))
    result = import_raw(page, "export.txt", title="An export")
    assert [(turn.speaker, turn.anchor_ms, turn.text) for turn in result.transcript.turns] == [
        (name, start, text) for name, start, (_, _, text) in zip(written, starts, turns, strict=True)]


def test_build_times_the_cues_from_the_imported_anchors(tmp_path: Path) -> None:
    runner = CliRunner()
    transcripts = tmp_path / "transcripts"
    transcripts.mkdir()
    imported = runner.invoke(cli, ["import", str(EXPORTS / "otter.txt"), "--title", "Red Box export",
                                   "-o", str(transcripts / "red-box-export.txt")])
    assert imported.exit_code == 0, imported.output
    built = runner.invoke(cli, ["build", "--transcripts", str(transcripts),
                                "--subtitles", str(tmp_path / "out"), "--locales", str(tmp_path / "locales")])
    assert built.exit_code == 0, built.output
    cues = pysrt.open(str(tmp_path / "out" / "red-box-export.en.srt"))
    starts = {cue.start.ordinal for cue in cues}
    assert {0, 9000, 61000, 67000, 72000, 74000} <= starts  # each turn's first cue at its anchor
    assert cues[-1].start.ordinal >= 74000


def test_cli_imports_an_otter_export_that_main_refused(tmp_path: Path) -> None:
    out = tmp_path / "t.txt"
    result = CliRunner().invoke(cli, ["import", str(EXPORTS / "otter.txt"), "--title", "Red Box export",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "[00:01:01] Jeongyol: If someone asked me that" in out.read_text(encoding="utf-8")
    assert "otter.ai" not in out.read_text(encoding="utf-8")  # the service's credit line is page footer


def test_a_page_of_untimed_turns_reads_name_and_time_lines_as_before() -> None:
    page = ("KELLY: Hello there.\nKIM: Hi.\nMorning Edition  4:32\nKELLY: How are you?\nKIM: Fine.\n"
            "Morning Edition  5:01\n")
    result = import_raw(page, "p.txt", title="A talk")
    assert [(turn.speaker, turn.anchor_ms) for turn in result.transcript.turns] == [
        ("KELLY", None), ("KIM", None), ("KELLY", None), ("KIM", None)]
    assert result.transcript.turns[1].text == "Hi.\nMorning Edition  4:32"
    assert [note.line for note in result.notes if "read as text" in note.message] == [3]


def test_speakers_may_name_diarisation_labels_as_the_export_writes_them() -> None:
    speakers, _, _, _ = _import("otter-diarised.txt", speakers=["Speaker 1", "Speaker 2", "Speaker 3",
                                                                "Speaker 4", "Speaker 5"])
    assert speakers == DIARISED
