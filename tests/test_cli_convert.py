"""`redbox convert`, and reading real-world subtitle files from the command line as players do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.formats.convert import OUTPUT_FORMATS, OutputFormat, register_output

CORPUS = Path(__file__).parent / "data" / "corpus"
WPT = Path(__file__).parent / "data" / "formats" / "wpt-webvtt"
LENIENT_SRT = (
    "1\n00:00:01.5 --> 00:00:02,000\n<i>Hi</i> there\n\n"  # '.5' is 5 ms to pysrt, srt and ffmpeg
    "2\n0:0:3,000 --> 00:00:04,000\n{\\an8}10:30 -> then we left.\n"
)


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_json_output_has_the_documented_schema(tmp_path: Path) -> None:
    source = tmp_path / "old.srt"
    source.write_text(LENIENT_SRT, encoding="utf-8")
    code, out, err = run("convert", str(source), "-o", "-", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"cues": [
        {"id": "1", "start_ms": 1005, "end_ms": 2000, "text": "<i>Hi</i> there", "plain": "Hi there",
         "voices": []},
        {"id": "2", "start_ms": 3000, "end_ms": 4000, "text": "{\\an8}10:30 -> then we left.",
         "plain": "10:30 -> then we left.", "voices": []},
    ]}  # fmt: skip
    assert "SUB202" in err  # the unusual timestamps are named, and the conversion goes on


def test_the_output_suffix_names_the_format(tmp_path: Path) -> None:
    source = tmp_path / "old.srt"
    source.write_text(LENIENT_SRT, encoding="utf-8")
    code, _, err = run("convert", str(source), "-o", str(tmp_path / "new.vtt"))
    assert code == 0 and "wrote" in err
    assert (tmp_path / "new.vtt").read_text(encoding="utf-8") == (
        "WEBVTT\n\n00:00:01.005 --> 00:00:02.000\nHi there\n\n00:00:03.000 --> 00:00:04.000\n"
        "10:30 -&gt; then we left.\n"
    )
    code, _, _ = run("convert", str(tmp_path / "new.vtt"), "-o", str(tmp_path / "back.json"))
    assert code == 0
    assert [cue["plain"] for cue in json.loads((tmp_path / "back.json").read_text())["cues"]] == [
        "Hi there", "10:30 -> then we left.",
    ]


def test_redbox_reads_its_own_srt_back_without_problems(tmp_path: Path) -> None:
    """A text line like '10:30 -> then we left.' is text to every reader, redbox's own check included."""
    source = tmp_path / "old.srt"
    source.write_text(LENIENT_SRT, encoding="utf-8")
    run("convert", str(source), "-o", str(tmp_path / "clean.en.srt"))
    _, out, _ = run("check", str(tmp_path / "clean.en.srt"))
    assert "SUB2" not in out and "SUB1" not in out


def test_standard_input_and_any_encoding(tmp_path: Path) -> None:
    data = (CORPUS / "srt" / "srt" / "gb2312.srt").read_bytes()
    code, out, err = run("convert", "-", "--input-format", "srt", "-o", "-", "--format", "srt", stdin=data)
    assert code == 0
    assert "宇宙守护神" in out and "SUB206" in err


def test_usage_errors_exit_2_and_bad_input_exits_1(tmp_path: Path) -> None:
    source = tmp_path / "a.srt"
    source.write_text(LENIENT_SRT, encoding="utf-8")
    assert run("convert", str(source), "-o", str(tmp_path / "a.txt"))[0] == 2
    assert run("convert", str(source), "-o", "-")[0] == 2  # '-' names no format
    code, _, err = run("convert", str(tmp_path / "missing.srt"), "-o", "-", "--format", "json")
    assert code == 1 and "missing.srt: no such file" in err
    code, _, err = run("convert", str(source), "-o", str(source), "--format", "srt")
    assert code == 1 and "also an input" in err
    assert source.read_text(encoding="utf-8") == LENIENT_SRT


def test_another_writer_can_register_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(OUTPUT_FORMATS, "count", OUTPUT_FORMATS["json"])  # restored after the test
    register_output(OutputFormat("count", ".count", lambda cues: f"{len(cues)}\n"))
    source = tmp_path / "a.srt"
    source.write_text(LENIENT_SRT, encoding="utf-8")
    assert run("convert", str(source), "-o", str(tmp_path / "a.count"))[0] == 0
    assert (tmp_path / "a.count").read_text() == "2\n"


# ---------------------------------------------------------------- check reads as players do


@pytest.mark.parametrize(
    ("data", "codes"),
    [
        # Chromium strips one BOM and rejects the second
        (b"\xef\xbb\xbf\xef\xbb\xbfWEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\n", {"SUB101"}),
        (b"\xef\xbb\xbf", set()),  # Chromium loads a BOM alone, with no cues
        # Chromium takes UTF-32's BOM for UTF-16's and rejects the file
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\n".encode("utf-32"), {"SUB101", "SUB109"}),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\x00B\n", {"SUB109"}),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\ufffeB\n".encode(), {"SUB111"}),
        (b"WEBVTT\n\n" + b"1" * 5000 + b":00:01.000 --> 00:00:02.000\nA\n", {"SUB102"}),
    ],
)
def test_check_reads_webvtt_bytes_as_chromium_does(tmp_path: Path, data: bytes, codes: set[str]) -> None:
    path = tmp_path / "x.vtt"
    path.write_bytes(data)
    _, out, _ = run("check", str(path))
    assert {code for code in ("SUB101", "SUB109", "SUB111", "SUB102", "TRN018") if code in out} == codes


def test_the_wpt_nul_and_control_files_are_checked_not_refused_as_binary() -> None:
    _, out, _ = run("check", str(WPT / "nulls.vtt"), str(WPT / "whitespace-chars.vtt"))
    assert "TRN018" not in out and "SUB109" in out


@pytest.mark.parametrize(
    ("name", "code", "severity"),
    [("srt/srt/gb2312.srt", "SUB206", "warning"), ("srt/pysrt/windows-1252.srt", "SUB206", "warning"),
     ("srt/pysrt/bom-utf-32-le.srt", "SUB208", "error")],
)
def test_non_utf8_srt_is_read_with_the_documented_problem(name: str, code: str, severity: str) -> None:
    _, out, _ = run("check", str(CORPUS / name))
    assert "TRN018" not in out
    assert f"{severity} {code}" in out
    cues = json.loads(run("convert", str(CORPUS / name), "-o", "-", "--format", "json")[1])["cues"]
    assert cues  # and its cues are all there (7 in pysrt's UTF-32 file, 3 in srt's GB2312 one)
