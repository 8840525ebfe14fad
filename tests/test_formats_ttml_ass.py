"""TTML (IMSC 1.1 Text, TTML1) and ASS writers, read back by independent tools.

ttconv (the IMSC reference tool chain's converter) reads the TTML; pysubs2 reads the ASS and
ffmpeg's libass draws it. Each must find the cues of the SRT build of the same episode.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pysubs2
import pytest
import srt
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from ttconv import model as tt_model
from ttconv.imsc import reader as imsc_reader

from tests.clients import HOSTILE_TEXTS, golden_cues, hostile_cues, require_binary
from tests.conftest import SAMPLE_EPISODE
from tests.media import require_hangul_font
from toolkit.cli import cli
from toolkit.config import ConfigError, parse_config
from toolkit.errors import SubtitleError
from toolkit.formats import format_for_name, get_writer
from toolkit.formats.ass import compose_ass
from toolkit.formats.styling import KOREAN_FONT, PALETTE, Styling
from toolkit.formats.ttml import IMSC_TEXT_PROFILE, compose_dfxp, compose_imsc
from toolkit.model import Cue, CuePart

DATA = Path(__file__).parent / "data" / "formats"
TT = "{http://www.w3.org/ns/ttml}"
TTM = "{http://www.w3.org/ns/ttml#metadata}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GOLDEN_STYLING = Styling("en", "The Red Box: golden")


# ---------------------------------------------------------------- readers


def ttconv_cues(text: str) -> list[tuple[int, int, str]]:
    """(start ms, end ms, text with "\\n" for <br/>) of every <p>, as ttconv's model holds it."""
    document = imsc_reader.to_model(ET.ElementTree(ET.fromstring(text)))
    assert document is not None, "ttconv could not read the document"
    body = document.get_body()
    assert body is not None
    cues = []

    def text_of(element: Any) -> Iterator[str]:
        for child in element:
            if isinstance(child, tt_model.Text):
                yield child.get_text()
            elif isinstance(child, tt_model.Br):
                yield "\n"
            else:
                yield from text_of(child)

    for div in body:
        for paragraph in div:
            # ttconv keeps no begin when it is 0 (the parent's begin).
            begin: Fraction = paragraph.get_begin() or Fraction(0)
            end: Fraction | None = paragraph.get_end()
            assert end is not None, "ttconv found a cue without an end"
            cues.append((round(begin * 1000), round(end * 1000), "".join(text_of(paragraph))))
    return cues


def srt_cues(data: bytes) -> list[tuple[int, int, str]]:
    """The SRT build of the same cues, read by the ``srt`` library."""
    return [(sub.start // _MS, sub.end // _MS, sub.content) for sub in srt.parse(data.decode("utf-8"))]


_MS = __import__("datetime").timedelta(milliseconds=1)


def built(runner: CliRunner, language: str, format_id: str) -> bytes:
    result = runner.invoke(
        cli, ["subtitles", f"transcripts/{SAMPLE_EPISODE}.txt", "--lang", language, "--format", format_id]
    )
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


# ---------------------------------------------------------------- TTML


def test_ttml_and_dfxp_golden_files_are_reproduced() -> None:
    assert compose_imsc(golden_cues(), styling=GOLDEN_STYLING) == (DATA / "golden.ttml").read_text("utf-8")
    assert compose_dfxp(golden_cues(), styling=GOLDEN_STYLING) == (DATA / "golden.dfxp").read_text("utf-8")
    assert format_for_name("x.ko.ttml", writable=True) == "ttml"
    assert format_for_name("x.dfxp", writable=True) == "dfxp"
    assert format_for_name("x.dfxp") is None  # redbox does not read them


def test_imsc_declares_its_profile_and_ttml1_does_not() -> None:
    imsc = ET.fromstring(compose_imsc(golden_cues()))
    plain = ET.fromstring(compose_dfxp(golden_cues()))
    profile = "{http://www.w3.org/ns/ttml#parameter}contentProfiles"
    assert imsc.get(profile) == IMSC_TEXT_PROFILE
    assert plain.get(profile) is None
    assert imsc.get(XML_LANG) == plain.get(XML_LANG) == "en"


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("format_id", ["ttml", "dfxp"])
def test_ttconv_reads_the_sample_as_the_srt_build(runner: CliRunner, language: str, format_id: str) -> None:
    ttml = built(runner, language, format_id).decode("utf-8")
    expected = srt_cues(built(runner, language, "srt"))
    assert len(expected) > 50
    assert ttconv_cues(ttml) == expected
    root = ET.fromstring(ttml)
    assert root.get(XML_LANG) == language


def test_speakers_are_ttm_agents_with_their_names_and_colours(runner: CliRunner) -> None:
    root = ET.fromstring(built(runner, "ko", "ttml"))
    agents = {
        agent.get("{http://www.w3.org/XML/1998/namespace}id"): agent.find(f"{TTM}name").text  # type: ignore[union-attr]
        for agent in root.iter(f"{TTM}agent")
    }
    assert set(agents.values()) == {"다 같이", "정열", "일혁", "조이", "다솜"}
    paragraphs = list(root.iter(f"{TT}p"))
    first_speaker = agents[paragraphs[1].get(f"{TTM}agent") or ""]
    assert first_speaker == "정열"
    styles = {
        style.get("{http://www.w3.org/XML/1998/namespace}id"): style for style in root.iter(f"{TT}style")
    }
    assert KOREAN_FONT in (styles["base"].get("{http://www.w3.org/ns/ttml#styling}fontFamily") or "")
    colours = [styles[agent].get("{http://www.w3.org/ns/ttml#styling}color") for agent in agents]
    assert colours[:4] == list(PALETTE)


def test_hostile_texts_reach_ttconv_intact() -> None:
    cues = [cue for cue in hostile_cues() if cue.start_ms < 360_000_000]
    read = ttconv_cues(compose_imsc(cues))
    assert [(start, end) for start, end, _ in read] == [(cue.start_ms, cue.end_ms) for cue in cues]
    assert [text for _, _, text in read] == [cue.text for cue in cues]
    assert "\n".join(text for _, _, text in read).count(HOSTILE_TEXTS["tags"]) == 1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Co", "Zl", "Zp")),
            min_size=1,
            max_size=30,
        ).filter(lambda text: text.strip() == text and text.strip()),
        min_size=1,
        max_size=4,
    )
)
def test_any_printable_text_round_trips_through_ttconv(texts: list[str]) -> None:
    cues = [
        Cue(number * 2000, number * 2000 + 1500, (CuePart("정열" if number % 2 else None, text),))
        for number, text in enumerate(texts)
    ]
    assert ttconv_cues(compose_imsc(cues)) == [(cue.start_ms, cue.end_ms, cue.text) for cue in cues]


def test_a_character_xml_cannot_hold_is_refused_at_its_line() -> None:
    with pytest.raises(SubtitleError, match=r"a\.txt:9: cue 1 holds U\+0001"):
        compose_imsc([Cue(0, 1000, (CuePart(None, "bell\x01"),), line=9)], source="a.txt")


# ---------------------------------------------------------------- ASS


def test_ass_golden_file_is_reproduced() -> None:
    assert compose_ass(golden_cues(), styling=GOLDEN_STYLING) == (DATA / "golden.ass").read_text("utf-8")
    assert get_writer("ass", styling=GOLDEN_STYLING)(golden_cues()) == (DATA / "golden.ass").read_text(
        "utf-8"
    )


@pytest.mark.parametrize("language", ["en", "ko"])
def test_pysubs2_reads_the_sample_as_the_srt_build(runner: CliRunner, language: str) -> None:
    script = pysubs2.SSAFile.from_string(built(runner, language, "ass").decode("utf-8"))
    expected = srt_cues(built(runner, language, "srt"))
    events = [event for event in script if event.type == "Dialogue"]
    assert len(events) == len(expected)
    for event, (start, end, text) in zip(events, expected, strict=True):
        # ASS counts centiseconds: each time is the nearest one.
        assert abs(event.start - start) <= 5 and abs(event.end - end) <= 5
        assert event.plaintext == text
    assert {style.fontname for style in script.styles.values()} == {
        KOREAN_FONT if language == "ko" else "Noto Sans"
    }


def test_one_style_per_speaker_in_the_palette_or_the_configured_colour() -> None:
    cues = golden_cues()
    script = pysubs2.SSAFile.from_string(
        compose_ass(cues, styling=Styling("en", colours={"Dasom": "#FF8800"}))
    )
    assert list(script.styles) == ["Default", "Joy", "Jeongyol", "Ilhyeok", "Dasom", "정열"]
    assert (script.styles["Joy"].primarycolor.r, script.styles["Joy"].primarycolor.b) == (255, 255)
    jeongyol = script.styles["Jeongyol"].primarycolor
    assert (jeongyol.r, jeongyol.g, jeongyol.b) == (255, 255, 0)  # yellow, the second BBC colour
    dasom = script.styles["Dasom"].primarycolor
    assert (dasom.r, dasom.g, dasom.b) == (255, 136, 0)
    events = list(script)
    assert [event.name for event in events[:3]] == ["Joy", "Jeongyol", "Ilhyeok; Dasom"]
    assert "{\\c&H0088FF&}" in events[2].text  # the second speaker of a dialogue cue, in Dasom's colour


def test_ass_braces_and_backslashes_stay_literal() -> None:
    text = compose_ass([Cue(0, 1000, (CuePart(None, "{\\an8} C:\\new"),))])
    assert text.splitlines()[-1].endswith(",\\{\\an8\\} C:\\\u2060new")


@pytest.mark.ffmpeg
def test_libass_draws_the_korean_ass_file(runner: CliRunner, tmp_path: Path) -> None:
    ffmpeg = require_binary("ffmpeg")
    require_hangul_font()
    script = tmp_path / "ko.ass"
    script.write_bytes(built(runner, "ko", "ass"))
    frames = {}
    # Cue 1 ends at 1.749 s and cue 2 starts at 1.833 s: 1.8 s is between two cues.
    for name, at in (("cue", "3"), ("gap", "1.8")):
        completed = subprocess.run(
            [
                ffmpeg,
                "-nostdin",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "color=c=black:s=640x360:r=25:d=4",
                "-ss",
                at,
                "-vf",
                f"subtitles={script}",
                "-frames:v",
                "1",
                "-f",
                "rawvideo",
                "-pix_fmt",
                "gray",
                "-",
            ],
            capture_output=True,
            check=False,
            timeout=60,
        )
        assert completed.returncode == 0, completed.stderr.decode()
        frames[name] = completed.stdout
    lit = sum(1 for value in frames["cue"] if value > 128)
    assert lit > 200, "libass drew nothing at a cue's time"
    assert not any(value > 16 for value in frames["gap"]), "libass drew something between two cues"


# ---------------------------------------------------------------- CLI and config


def test_subtitles_picks_the_format_from_the_output_suffix(runner: CliRunner, project: Path) -> None:
    for suffix, marker in ((".ttml", IMSC_TEXT_PROFILE), (".dfxp", "<tt "), (".ass", "[Script Info]")):
        out = project / f"episode{suffix}"
        result = runner.invoke(cli, ["subtitles", f"transcripts/{SAMPLE_EPISODE}.txt", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert marker in out.read_text(encoding="utf-8")


def test_build_writes_the_delivery_formats_for_every_language(runner: CliRunner, project: Path) -> None:
    result = runner.invoke(cli, ["build", "--format", "ttml", "--format", "ass"])
    assert result.exit_code == 0, result.output
    for language in ("en", "ko"):
        assert (project / "subtitles" / f"{SAMPLE_EPISODE}.{language}.ttml").is_file()
        assert (project / "subtitles" / f"{SAMPLE_EPISODE}.{language}.ass").is_file()
    again = runner.invoke(cli, ["build", "--check", "--format", "ttml", "--format", "ass"])
    assert again.exit_code == 0, again.output


def test_config_takes_formats_and_colours_and_names_a_bad_colour() -> None:
    config = parse_config('[tool.redbox]\nformats = ["srt", "ass"]\ncolours = { Joy = "#ff0000" }\n')
    assert config.formats == ("srt", "ass") and config.colours == {"Joy": "#ff0000"}
    with pytest.raises(ConfigError, match=r"p\.toml:3: \[tool.redbox\] colours must be"):
        parse_config('[tool.redbox]\nfps = 25\ncolours = { Joy = "red" }\n', "p.toml")


def test_a_delivery_file_of_a_language_without_catalog_is_orphaned(runner: CliRunner, project: Path) -> None:
    assert runner.invoke(cli, ["build", "--format", "ass"]).exit_code == 0
    (project / "locales" / "ko" / "LC_MESSAGES" / f"{SAMPLE_EPISODE}.po").unlink()
    check = runner.invoke(cli, ["build", "--check", "--format", "ass"])
    assert check.exit_code == 1
    assert f"subtitles/{SAMPLE_EPISODE}.ko.ass: orphaned" in check.stdout


CORPUS = Path(__file__).parent / "data" / "corpus"


def test_convert_writes_every_corpus_file_as_ttml_and_ass_that_their_readers_accept() -> None:
    from toolkit.formats.convert import OUTPUT_FORMATS, convert

    files = sorted(path for path in CORPUS.rglob("*") if path.suffix in (".srt", ".vtt"))
    assert len(files) > 60
    for path in files:
        data = path.read_bytes()
        cues = convert(data, str(path), OUTPUT_FORMATS["json"]).cues
        # A cue of no duration is never shown: ttconv leaves it out, as players do.
        shown = [(cue.start_ms, cue.end_ms, cue.plain) for cue in cues if cue.end_ms > cue.start_ms]
        for format_id in ("ttml", "dfxp"):
            text = convert(data, str(path), OUTPUT_FORMATS[format_id]).text
            assert [cue for cue in ttconv_cues(text) if cue[1] > cue[0]] == shown, f"{path} as {format_id}"
        script = pysubs2.SSAFile.from_string(convert(data, str(path), OUTPUT_FORMATS["ass"]).text)
        events = [event for event in script if event.type == "Dialogue"]
        assert len(events) == len(cues), path
        for event, cue in zip(events, cues, strict=True):
            # Centiseconds: each time to the nearest; a cue shorter than that lasts one.
            assert abs(event.start - cue.start_ms) <= 5, path
            assert abs(event.end - cue.end_ms) <= 5 or event.end - event.start == 10, path


def test_convert_names_the_delivery_formats(runner: CliRunner, tmp_path: Path) -> None:
    source = DATA / "golden.srt"
    for suffix, marker in ((".ttml", IMSC_TEXT_PROFILE), (".dfxp", "<tt "), (".ass", "[Script Info]")):
        out = tmp_path / f"golden{suffix}"
        result = runner.invoke(cli, ["convert", str(source), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert marker in out.read_text(encoding="utf-8")
    korean = runner.invoke(cli, ["convert", str(source), "-o", "-", "--format", "ttml"])
    assert 'xml:lang="ko"' in korean.stdout  # the golden file has Hangul: Korean font and language


def test_a_change_of_speaker_colours_rebuilds_the_styled_files(runner: CliRunner, project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.redbox]\n", "utf-8")
    assert runner.invoke(cli, ["build", "--format", "ass"]).exit_code == 0
    target = project / "subtitles" / f"{SAMPLE_EPISODE}.en.ass"
    before = target.read_text("utf-8")
    (project / "pyproject.toml").write_text('[tool.redbox]\ncolours = { Joy = "#FF8800" }\n', "utf-8")
    result = runner.invoke(cli, ["build", "--format", "ass"])
    assert result.exit_code == 0, result.output
    assert target.read_text("utf-8") != before
    assert "Style: Joy,Noto Sans,56,&H000088FF" in target.read_text("utf-8")
