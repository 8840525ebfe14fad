"""Every real SRT and WebVTT file of ``tests/data/corpus`` read by redbox as the reference tools read it.

References (recorded in ``tests/data/corpus/references/``, re-checked live by the ``chromium``
and ``ffmpeg`` tests below; re-record with ``python -m tests.test_corpus_subtitles``):

- WebVTT: Chromium's ``<track>`` parser: load or error, and each cue's id, times, raw text,
  shown text and voices.
- SRT: pysrt and srt (times and text), ffprobe (the packets' times, or "refused" when ffmpeg
  does not take the file for SRT).

Where redbox deliberately reads a file otherwise, the difference is listed in
:data:`DOCUMENTED` with its reason (and in docs/formats.md); a listed difference that no
longer exists fails too, so the list stays true. ``redbox convert`` round-trips every file.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pysrt
import pytest
import srt

from tests.clients import require_binary, run_chromium
from toolkit.formats.convert import OUTPUT_FORMATS, convert, read_cues
from toolkit.formats.libass import WORD_JOINER

CORPUS = Path(__file__).parent / "data" / "corpus"
REFERENCES = CORPUS / "references"
SRT_FILES = sorted(CORPUS.glob("srt/*/*.srt"))
VTT_FILES = sorted(CORPUS.glob("vtt/*/*.vtt"))
SRT_TOOLS = ("pysrt", "srt", "ffprobe")

#: (file relative to the corpus, reference tool) -> why redbox reads it otherwise, on purpose.
DOCUMENTED: dict[tuple[str, str], str] = {
    ("srt/pysrt/capability_tester.srt", "pysrt"):
        "pysrt drops spaces at the end of a line; redbox keeps the text as written, as srt does",
    ("srt/pysrt/empty.srt", "ffprobe"):
        "ffmpeg drops cues with no text; redbox reads them, as pysrt and srt do, and reports SUB010",
    ("srt/webvtt-py/missing_caption_text.srt", "ffprobe"):
        "ffmpeg drops cues with no text; redbox reads them, as pysrt and srt do, and reports SUB010",
    ("srt/pysrt/invalid.srt", "srt"):
        "srt reads a timestamp without milliseconds; pysrt drops the cue and ffmpeg refuses the file, "
        "so redbox skips it with SUB201",
    ("srt/webvtt-py/missing_timeframe.srt", "srt"):
        "srt glues the lines after a block with no timing line to the cue above; pysrt skips them, "
        "as redbox does (SUB204)",
}


def corpus_name(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


@functools.cache
def recorded(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((REFERENCES / name).read_text(encoding="utf-8"))
    return result


# ---------------------------------------------------------------- the references, read live


def chromium_reading(paths: list[Path]) -> dict[str, Any]:
    """Chromium's tracks for ``paths``: status and cues (times in whole milliseconds)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="redbox-corpus-") as folder:
        names = []
        for number, path in enumerate(paths):
            names.append(f"track{number}.vtt")
            shutil.copyfile(path, Path(folder) / names[-1])
        raw = run_chromium(Path(folder), names)
    result = {}
    for path, name in zip(paths, names, strict=True):
        track = raw[name]
        result[corpus_name(path)] = {"status": track["status"], "cues": [
            {"id": cue["id"], "start_ms": round(cue["start"] * 1000), "end_ms": round(cue["end"] * 1000),
             "text": cue["text"], "plain": cue["plain"], "voices": cue["voices"]}
            for cue in track["cues"]
        ]}  # fmt: skip
    return result


def srt_library_reading(path: Path) -> dict[str, Any]:
    """pysrt and srt on the file's text (decoded as redbox decodes it), ffprobe on its bytes."""
    return {**python_readers(path), "ffprobe": ffprobe_reading(path)}


def python_readers(path: Path) -> dict[str, Any]:
    """pysrt's and srt's cues (times and text) for the file's text."""
    from toolkit.formats.decoding import decode_subtitle

    text = decode_subtitle(path.read_bytes(), path.name, "srt").text
    one_ms = timedelta(milliseconds=1)
    return {
        "pysrt": [[item.start.ordinal, item.end.ordinal, item.text] for item in pysrt.from_string(text)],
        "srt": [[sub.start // one_ms, sub.end // one_ms, sub.content]
                for sub in srt.parse(text, ignore_errors=True)],
    }  # fmt: skip


def ffprobe_reading(path: Path) -> list[list[int]] | str:
    ffprobe = require_binary("ffprobe")
    probed = subprocess.run(
        [ffprobe, "-v", "error", "-of", "json", "-show_entries", "packet=pts_time,duration_time", str(path)],
        capture_output=True, check=False, timeout=60,
    )  # fmt: skip
    if probed.returncode != 0:
        return "refused"
    packets = json.loads(probed.stdout)["packets"]
    return [[round(float(p["pts_time"]) * 1000), round(float(p["pts_time"]) * 1000) +
             round(float(p.get("duration_time", 0)) * 1000)] for p in packets]  # fmt: skip


def record_references() -> None:
    """Write the reference files from today's tools (run: ``python -m tests.test_corpus_subtitles``)."""
    REFERENCES.mkdir(exist_ok=True)
    chromium = chromium_reading(VTT_FILES)
    srt_readings = {corpus_name(path): srt_library_reading(path) for path in SRT_FILES}
    for name, data in (("chromium-vtt.json", chromium), ("srt-readers.json", srt_readings)):
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        (REFERENCES / name).write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- redbox against the references


def redbox_vtt(path: Path) -> dict[str, Any]:
    cues, problems, _ = read_cues(path.read_bytes(), path.name)
    status = "error" if any(problem.code == "SUB101" for problem in problems) else "load"
    return {"status": status, "cues": [
        {"id": cue.identifier, "start_ms": cue.start_ms, "end_ms": cue.end_ms, "text": cue.text,
         "plain": cue.plain, "voices": list(cue.voices)} for cue in cues
    ]}  # fmt: skip


def srt_agrees(path: Path, tool: str, reference: list[list[Any]] | str) -> bool:
    """Whether redbox reads ``path`` as ``tool`` did (times, and text for pysrt and srt)."""
    cues, problems, _ = read_cues(path.read_bytes(), path.name)
    if reference == "refused":  # ffmpeg does not take it for SRT: nothing to show, or SUB208 says so
        return not cues or any(problem.code == "SUB208" for problem in problems)
    times = [[cue.start_ms, cue.end_ms] for cue in cues]
    if times != [row[:2] for row in reference]:
        return False
    return tool == "ffprobe" or [cue.text for cue in cues] == [row[2] for row in reference]


def agreement_table() -> dict[str, tuple[int, int, int]]:
    """(files, agree, differ-documented) by reference: the closing note's table."""
    table: dict[str, tuple[int, int, int]] = {}
    chromium = recorded("chromium-vtt.json")
    agree = sum(redbox_vtt(path) == chromium[corpus_name(path)] for path in VTT_FILES)
    table["WebVTT / Chromium"] = (len(VTT_FILES), agree, len(VTT_FILES) - agree)
    readings = recorded("srt-readers.json")
    for tool in SRT_TOOLS:
        agree = sum(srt_agrees(path, tool, readings[corpus_name(path)][tool]) for path in SRT_FILES)
        table[f"SRT / {tool}"] = (len(SRT_FILES), agree, len(SRT_FILES) - agree)
    return table


def test_the_corpus_is_all_there() -> None:
    assert (len(SRT_FILES), len(VTT_FILES)) == (29, 46)
    assert set(recorded("chromium-vtt.json")) == {corpus_name(path) for path in VTT_FILES}
    assert set(recorded("srt-readers.json")) == {corpus_name(path) for path in SRT_FILES}


@pytest.mark.parametrize("path", VTT_FILES, ids=corpus_name)
def test_webvtt_is_read_as_chromium_reads_it(path: Path) -> None:
    assert redbox_vtt(path) == recorded("chromium-vtt.json")[corpus_name(path)]


@pytest.mark.parametrize("tool", SRT_TOOLS)
@pytest.mark.parametrize("path", SRT_FILES, ids=corpus_name)
def test_srt_is_read_as_the_reference_tools_read_it(path: Path, tool: str) -> None:
    agrees = srt_agrees(path, tool, recorded("srt-readers.json")[corpus_name(path)][tool])
    documented = (corpus_name(path), tool) in DOCUMENTED
    assert agrees != documented, (
        f"{corpus_name(path)}: redbox reads it as {tool} does, yet a difference is documented"
        if documented else f"{corpus_name(path)}: redbox reads it otherwise than {tool}"
    )


def test_pysrt_and_srt_still_read_the_corpus_as_recorded() -> None:
    readings = recorded("srt-readers.json")
    for path in SRT_FILES:
        expected = {key: readings[corpus_name(path)][key] for key in ("pysrt", "srt")}
        assert python_readers(path) == expected, path


@pytest.mark.ffmpeg
def test_ffprobe_still_reads_the_corpus_as_recorded() -> None:
    readings = recorded("srt-readers.json")
    for path in SRT_FILES:
        assert ffprobe_reading(path) == readings[corpus_name(path)]["ffprobe"], path


@pytest.mark.chromium
def test_chromium_still_reads_the_corpus_as_recorded() -> None:
    assert chromium_reading(VTT_FILES) == recorded("chromium-vtt.json")


# ---------------------------------------------------------------- redbox convert round trips


def shown(text: str) -> str:
    return text.replace(WORD_JOINER, "")


@pytest.mark.parametrize("target", ["srt", "vtt", "json"])
@pytest.mark.parametrize("path", SRT_FILES + VTT_FILES, ids=corpus_name)
def test_convert_round_trips_every_file(path: Path, target: str) -> None:
    """Converted, the file reads back with the same cues (times, shown text, a cue's one voice)
    and no reading problem; converting the result again changes nothing."""
    first = convert(path.read_bytes(), path.name, OUTPUT_FORMATS[target])
    if target == "json":
        cues = json.loads(first.text)["cues"]
        assert [(c["start_ms"], c["end_ms"], c["plain"]) for c in cues] == [
            (c.start_ms, c.end_ms, c.plain) for c in first.cues
        ]
        return
    name = f"converted.{target}"
    again, problems, encoding = read_cues(first.text.encode("utf-8"), name)
    assert encoding == "utf-8"
    assert [p for p in problems if p.code[:4] in ("SUB1", "SUB2")] == []
    assert [(c.start_ms, c.end_ms, shown(c.plain)) for c in again] == [
        (c.start_ms, c.end_ms, shown(c.plain)) for c in first.cues
    ]
    if target == "vtt":
        assert [c.voices for c in again] == [c.voices if len(c.voices) == 1 else () for c in first.cues]
    assert convert(first.text.encode("utf-8"), name, OUTPUT_FORMATS[target]).text == first.text


def test_the_agreement_table_adds_up() -> None:
    table = agreement_table()
    assert table["WebVTT / Chromium"] == (46, 46, 0)
    documented_by_tool = {tool: sum(1 for (_, t) in DOCUMENTED if t == tool) for tool in SRT_TOOLS}
    for tool in SRT_TOOLS:
        files, _, differ = table[f"SRT / {tool}"]
        assert (files, differ) == (29, documented_by_tool[tool])


if __name__ == "__main__":
    record_references()
    for kind, (files, agree, differ) in agreement_table().items():
        print(f"{kind}: {files} files, {agree} agree, {differ} differ (documented)", file=sys.stderr)
