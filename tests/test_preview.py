"""``redbox preview``: the page's content (pure) and the page at work in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cdp import Browser
from tests.conftest import SAMPLE_EPISODE
from tests.media import built_cue_count, make_video
from toolkit.cli import cli
from toolkit.model import Cue, CuePart
from toolkit.preview import PreviewLanguage, PreviewPage, PreviewTurn, build_preview

UNTRANSLATED = "그렇게 생각하는 사람이 많아요."  # turn 7 (line 19), Jeongyol


def write_page(runner: CliRunner, output: Path, *extra: str) -> str:
    result = runner.invoke(cli, ["preview", SAMPLE_EPISODE, "-o", str(output), *extra])
    assert result.exit_code == 0, result.output
    return output.read_text(encoding="utf-8")


def keep_artefact(path: Path) -> None:
    """Copy a screenshot where CI keeps artefacts (REDBOX_ARTEFACTS), besides pytest's tmp folder."""
    folder = os.environ.get("REDBOX_ARTEFACTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


# ---------------------------------------------------------------- the page (no browser)


def test_the_page_is_self_contained(runner: CliRunner, project: Path) -> None:
    page = write_page(runner, project / "preview.html")
    assert page.count("<track ") == 2
    assert 'srclang="en"' in page and 'srclang="ko"' in page
    assert not re.search(r"<script[^>]+src=|<link\b|@import|url\(", page)
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<th>English</th><th>한국어 Korean</th>" in page  # side by side


def test_text_cannot_break_out_of_the_embedded_data() -> None:
    hostile = "</script><script>alert(1)</script> <!-- & -->"
    cues = [Cue(0, 1500, (CuePart("Joy", hostile),), line=3)]
    languages = [PreviewLanguage("en", "English", "WEBVTT\n", cues)]
    page = build_preview(PreviewPage("t", "a.txt", languages, [PreviewTurn(1, 3, "Joy")]))
    assert page.count("</script>") == 2  # the data and the code, nothing from the text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page  # the transcript shows the text as text


def test_untranslated_turns_are_flagged_at_their_turn(runner: CliRunner, project: Path) -> None:
    catalog = project / "locales" / "ko" / "LC_MESSAGES" / f"{SAMPLE_EPISODE}.po"
    catalog.write_text(catalog.read_text("utf-8").replace(f'msgstr "{UNTRANSLATED}"', 'msgstr ""'), "utf-8")
    page = write_page(runner, project / "preview.html")
    notes = re.search(r'<tr class="notes" data-turn="7">.*?</tr>', page)
    assert notes, "turn 7 has no findings row"
    assert "<code>CAT001</code> [ko] untranslated" in notes.group()


def test_a_too_fast_turn_is_flagged_with_its_code(runner: CliRunner, project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.redbox]\nduration = "00:01:00"\n', "utf-8")
    page = write_page(runner, project / "preview.html")
    assert re.search(r"<code>TIM001</code>", page)
    flagged = r'<li class="warning" data-lang="en" data-cue="\d+"><code>SUB003</code> \[en cue \d+\]'
    assert re.search(flagged, page)
    assert re.search(r'<span class="cue flagged" data-lang="en" data-cue="\d+"', page)


# ---------------------------------------------------------------- in Chromium


@pytest.mark.chromium
def test_the_page_works_in_chromium_without_media(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    page = project / "preview.html"
    write_page(runner, page)
    with Browser() as browser:
        browser.open(page.as_uri())
        loaded = browser.evaluate("redboxPreview.ready")
        counts = {language: built_cue_count(language) for language in ("en", "ko")}
        assert loaded == {language: {"status": "load", "cues": count} for language, count in counts.items()}
        # Clicking a turn seeks to its first cue.
        browser.click("#turn-5 td.speaker")
        start = int(browser.evaluate("document.getElementById('turn-5').dataset.start"))
        assert start > 0 and browser.evaluate("redboxPreview.now()") == start
        # N and P step through the cues of the chosen language.
        starts = browser.evaluate(
            "Array.from(document.querySelectorAll('span.cue[data-lang=en]'), s => +s.dataset.start)"
        )
        browser.press("n", "KeyN", 78)
        assert browser.evaluate("redboxPreview.now()") == min(s for s in starts if s > start)
        browser.press("p", "KeyP", 80)
        assert browser.evaluate("redboxPreview.now()") == start
        browser.press("ArrowRight", "ArrowRight", 39)
        browser.press("ArrowLeft", "ArrowLeft", 37)
        assert browser.evaluate("redboxPreview.now()") == start
        # The current cue is drawn over the picture and highlighted in the transcript.
        browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        overlay = browser.evaluate("document.getElementById('overlay').textContent")
        current = browser.evaluate("document.querySelector('span.cue.current[data-lang=en]').textContent")
        assert overlay and overlay.replace("\n", " ") == current
        rows = browser.evaluate("Array.from(document.querySelectorAll('tr.turn.current'), r => r.id)")
        assert "turn-5" in rows
        # The Korean cue said at the same time is highlighted beside it.
        assert re.search(
            "[가-힣]",
            browser.evaluate("document.querySelector('span.cue.current[data-lang=ko]').textContent"),
        )
        # Space plays the silent timeline; Space again pauses it.
        browser.press(" ", "Space", 32)
        browser.evaluate("new Promise(r => setTimeout(r, 400))")
        assert browser.evaluate("redboxPreview.playing()") is True
        browser.press(" ", "Space", 32)
        assert browser.evaluate("redboxPreview.playing()") is False
        assert browser.evaluate("redboxPreview.now()") > start + 200
        # Korean on screen after switching the language.
        browser.evaluate("redboxPreview.setLanguage('ko'); redboxPreview.seek(" + str(start) + ")")
        browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert re.search("[가-힣]", browser.evaluate("document.getElementById('overlay').textContent"))
        shot = browser.screenshot(tmp_path / "preview-sample.png")
        assert not browser.errors, browser.errors
    assert shot.stat().st_size > 20_000
    keep_artefact(shot)


@pytest.mark.chromium
@pytest.mark.ffmpeg
def test_the_page_plays_a_generated_video(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    (project / "media").mkdir()
    video = make_video(project / "media" / "episode.webm", seconds=12)
    page = project / "pages" / "preview.html"
    page.parent.mkdir()
    html = write_page(runner, page, "--video", str(video), "--no-snap")
    assert 'src="../media/episode.webm"' in html
    with Browser() as browser:
        browser.open(page.as_uri())
        assert browser.evaluate("redboxPreview.ready")["ko"]["cues"] == built_cue_count("ko")
        metadata = "new Promise(r => { const v = document.getElementById('player'); "
        metadata += "if (v.readyState >= 1) r(v.duration); else v.onloadedmetadata = () => r(v.duration); })"
        assert browser.evaluate(metadata) == pytest.approx(12, abs=0.2)
        browser.click("#turn-2 td.time")
        start = int(browser.evaluate("document.getElementById('turn-2').dataset.start"))
        seeked = "new Promise(r => { const v = document.getElementById('player'); "
        seeked += "if (!v.seeking) r(v.currentTime); else v.onseeked = () => r(v.currentTime); })"
        assert browser.evaluate(seeked) * 1000 == pytest.approx(start, abs=1)
        browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert browser.evaluate("document.getElementById('overlay').textContent")
        assert browser.evaluate("document.getElementById('player').error") is None
        shot = browser.screenshot(tmp_path / "preview-video.png")
        assert not browser.errors, browser.errors
    keep_artefact(shot)


@pytest.mark.chromium
def test_findings_show_at_their_cue_in_chromium(runner: CliRunner, project: Path) -> None:
    catalog = project / "locales" / "ko" / "LC_MESSAGES" / f"{SAMPLE_EPISODE}.po"
    catalog.write_text(catalog.read_text("utf-8").replace(f'msgstr "{UNTRANSLATED}"', 'msgstr ""'), "utf-8")
    page = project / "preview.html"
    write_page(runner, page)
    with Browser() as browser:
        browser.open(page.as_uri())
        browser.evaluate("redboxPreview.ready")
        browser.click("#turn-7 td.speaker")
        browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert "CAT001" in browser.evaluate("document.getElementById('cue-findings').textContent")
        assert not browser.errors, browser.errors


def test_alignment_flags_sit_at_their_turn(runner: CliRunner, project: Path) -> None:
    from toolkit.align.sidecar import format_timings
    from toolkit.align.timings import Alignment, TurnTiming
    from toolkit.transcript import parse_transcript

    transcript_path = project / "transcripts" / f"{SAMPLE_EPISODE}.txt"
    transcript, _ = parse_transcript(transcript_path.read_text("utf-8"), str(transcript_path))
    turns = []
    for index, turn in enumerate(transcript.turns):
        start = index * 20_000
        # Turn 3 has 5 s of speech before it that no turn covers: ALN004.
        turns.append(TurnTiming(index, turn.line, turn.speaker, start, start + 15_000,
                                uncovered_ms=5000 if index == 2 else 0))  # fmt: skip
    timings = project / "transcripts" / f"{SAMPLE_EPISODE}.timings.tsv"
    timings.write_text(format_timings(Alignment(tuple(turns), len(turns) * 20_000)), "utf-8")
    page = write_page(runner, project / "preview.html")
    notes = re.search(r'<tr class="notes" data-turn="3">.*?</tr>', page)
    assert notes and "<code>ALN004</code>" in notes.group()
    assert page.count("<code>ALN004</code>") == 1


def test_findings_about_the_whole_episode_head_the_page(runner: CliRunner, project: Path) -> None:
    catalog = project / "locales" / "ko" / "LC_MESSAGES" / f"{SAMPLE_EPISODE}.po"
    text = catalog.read_text("utf-8")
    # The speaker name Joy left untranslated: about every turn of hers, so about the episode.
    start = text.index('msgid "Joy"')
    end = text.index("\n", text.index("msgstr", start))
    catalog.write_text(text[:start] + 'msgid "Joy"\nmsgstr ""' + text[end:], "utf-8")
    page = write_page(runner, project / "preview.html")
    header = page[page.index("<header>") : page.index("</header>")]
    assert '<ul class="findings episode">' in header
    assert "<code>CAT001</code> [ko]" in header and "speaker name &#x27;Joy&#x27; is untranslated" in header
