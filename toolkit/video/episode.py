"""An episode for the video commands: its transcript, languages, cues and QC findings.

``redbox preview`` and ``redbox mux`` work on what ``redbox build`` would write (same
options, same catalogs, same alignment timings and shot snapping), rendered afresh, so
what an editor previews or puts into a video is always the current subtitles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit import files
from toolkit.build import Loaded, Rendered, load_checked, refuse_errors, render_cues
from toolkit.errors import ToolkitError
from toolkit.formats.styling import base_language
from toolkit.formats.vtt_write import compose_vtt
from toolkit.model import Cue
from toolkit.naming import canonical_language
from toolkit.preview import (
    MediaKind,
    PreviewFinding,
    PreviewLanguage,
    PreviewPage,
    PreviewSnap,
    PreviewTurn,
    page_colours,
)
from toolkit.project import Project
from toolkit.subtitle_check import check_subtitle_text
from toolkit.subtitles import SubtitleOptions
from toolkit.timecode import format_clock
from toolkit.video.snapping import RULES

SNAP_CODE = "SUB020"

#: ISO 639-2/B codes (what MP4 and Matroska language tags hold) for the usual languages.
ISO_639_2 = {
    "en": "eng",
    "ko": "kor",
    "ja": "jpn",
    "zh": "chi",
    "fr": "fre",
    "de": "ger",
    "es": "spa",
    "ru": "rus",
    "pt": "por",
    "it": "ita",
    "vi": "vie",
    "th": "tha",
    "ar": "ara",
}
NAMES = {"en": "English", "ko": "한국어 Korean"}


def iso639_2(language: str) -> str:
    """The three-letter tag of ``language`` (``und`` when unknown).

    >>> iso639_2("ko-KR"), iso639_2("en"), iso639_2("xx")
    ('kor', 'eng', 'und')
    """
    return ISO_639_2.get(base_language(language), "und")


def language_title(language: str) -> str:
    """A track title: the language's name, in English and its own script.

    >>> language_title("ko"), language_title("en")
    ('한국어 Korean', 'English')
    """
    base = base_language(language)
    if base in NAMES:
        return NAMES[base]
    try:
        from babel import Locale

        return str(Locale.parse(language.replace("-", "_")).get_display_name("en")) or language
    except (ValueError, LookupError, ImportError):
        return language


def find_transcript(project: Project, episode: str | None, video: Path | None) -> Path:
    """The transcript of ``episode`` (a transcript's path, or an episode slug), else the one whose
    episode is the video's file name, else the project's only transcript."""
    if episode and files.size_and_time(Path(episode)) is not None and not files.is_folder(Path(episode)):
        return Path(episode)
    wanted = episode or (video.stem if video is not None else "")
    transcripts = project.transcript_files()
    for path in transcripts:
        if path.stem == wanted:
            return path
    if episode:
        raise ToolkitError(
            f"no transcript for episode {episode!r} in {project.display(project.transcripts)}/"
        )
    if len(transcripts) == 1:
        return transcripts[0]
    raise ToolkitError(
        f"no transcript is named after the video ({wanted}); name the episode after the video",
        project.display(video) if video else "",
    )


def load_episode(project: Project, transcript: Path, on_read: Callable[..., None]) -> Loaded:
    """The transcript read and checked like every command does (refused with errors)."""
    loaded = load_checked(project, transcript, on_read)
    refuse_errors(loaded)
    return loaded


def episode_languages(project: Project, loaded: Loaded, wanted: Sequence[str] = ()) -> list[str]:
    """``wanted`` (canonical), else the transcript's language and every language it has a catalog for."""
    if wanted:
        return [canonical_language(language) for language in wanted]
    own = canonical_language(loaded.language)
    others = project.catalog_languages().get(loaded.episode, [])
    return [own] + [language for language in others if base_language(language) != base_language(own)]


@dataclass
class LanguageCues(Rendered):
    """One language's cues for the video commands: what ``build`` renders, and the language."""

    language: str = ""


def episode_cues(
    project: Project,
    loaded: Loaded,
    languages: Sequence[str],
    options: SubtitleOptions,
    video: Path | None = None,
) -> list[LanguageCues]:
    """Every language's cues, as ``redbox build`` makes them (``video``: snapped to its shots)."""
    result = []
    for language in languages:
        rendered = render_cues(project, loaded, language, options, video=video)
        result.append(LanguageCues(**vars(rendered), language=language))
    return result


def turn_findings(
    project: Project, loaded: Loaded, languages: Sequence[LanguageCues], fps: float
) -> dict[int, list[PreviewFinding]]:
    """Findings by transcript line of their turn: reading speed and timing (TIM), alignment
    outliers (ALN), the SUB rules on each language's cues, and untranslated turns (CAT).

    Findings about no one turn (a speaker name left untranslated, timings that no longer
    match the transcript) are under line 0: the page shows them for the whole episode.
    """
    by_line: dict[int, list[PreviewFinding]] = {}
    turn_lines = [turn.line for turn in loaded.transcript.turns]

    def add(line: int, finding: PreviewFinding) -> None:
        if line in by_line and finding in by_line[line]:
            return
        by_line.setdefault(line, []).append(finding)

    for one in languages:
        for problem in one.warnings:
            if problem.source == loaded.source and problem.line in turn_lines:
                if not problem.code.startswith("CAT"):  # turns' catalog states: _untranslated
                    add(problem.line, PreviewFinding(problem.code, problem.severity, problem.message))
            elif problem.source == loaded.source or not problem.message.startswith("turn "):
                where = f"{problem.source}:{problem.line}: " if problem.line else f"{problem.source}: "
                add(0, PreviewFinding(problem.code, problem.severity, where + problem.message, one.language))
        vtt_source = f"{loaded.episode}.{one.language}.vtt"
        cue_lines = _timing_lines(one.cues)
        for problem in check_subtitle_text(compose_vtt(one.cues), vtt_source, language=one.language, fps=fps):
            number = cue_lines.get(problem.line)
            if number:
                cue = one.cues[number - 1]
                add(
                    cue.line,
                    PreviewFinding(problem.code, problem.severity, problem.message, one.language, number),
                )
        for edge in one.held:
            cue = one.cues[edge.cue - 1]
            message = (
                f"edge-near-shot-change: cue {edge.cue} {edge.edge}s {abs(edge.shot_ms - edge.from_ms)} ms "
                f"from the shot change at {format_clock(edge.shot_ms)}; moving it to "
                f"{format_clock(edge.to_ms)} would bring it within 2 frames of its neighbour "
                "or shorten it below 5/6 s"
            )
            add(cue.line, PreviewFinding(SNAP_CODE, RULES[SNAP_CODE][0], message, one.language, edge.cue))
        if base_language(one.language) != base_language(loaded.language):
            for line, finding in _untranslated(project, loaded, one.language):
                add(line, finding)
    timings = Path(_timings_path(loaded.path))
    if files.modified_ns(timings) is not None:
        from toolkit.align.checks import sidecar_problems

        for problem in sidecar_problems(
            loaded.transcript, files.read_text(timings).text, project.display(timings)
        ):
            line = problem.line if problem.line in turn_lines else 0
            add(line, PreviewFinding(problem.code, problem.severity, problem.message))
    return by_line


def _timings_path(transcript: Path) -> Path:
    from toolkit.align.sidecar import timings_path

    return Path(timings_path(transcript))


def _timing_lines(cues: Sequence[Cue]) -> dict[int, int]:
    """Line of each cue's timing line in :func:`compose_vtt`'s output -> cue number."""
    lines: dict[int, int] = {}
    line = 3  # WEBVTT, blank, then the first timing line
    for number, cue in enumerate(cues, start=1):
        lines[line] = number
        line += cue.text.count("\n") + 3
    return lines


def _untranslated(project: Project, loaded: Loaded, language: str) -> list[tuple[int, PreviewFinding]]:
    from toolkit.catalog import match_turns, parse_po

    path = project.catalog_path(language, loaded.episode, loaded.source)
    po = parse_po(files.read_bytes(path), project.display(path))
    found = []
    for turn, entry in zip(loaded.transcript.turns, match_turns(loaded.transcript, po), strict=True):
        if entry is None:
            finding = PreviewFinding(
                "CAT013",
                "warning",
                "not in the catalog with its current text; the English "
                "text is shown (run redbox catalog update)",
                language,
            )
        elif entry.fuzzy and entry.translated:
            message = "fuzzy translation; the English text is shown"
            finding = PreviewFinding("CAT002", "warning", message, language)
        elif not entry.translated:
            finding = PreviewFinding("CAT001", "warning", "untranslated; the English text is shown", language)
        else:
            continue
        found.append((turn.line, finding))
    return found


def preview_page(
    project: Project,
    loaded: Loaded,
    languages: Sequence[LanguageCues],
    fps: float,
    media: tuple[MediaKind, str] | None = None,
) -> PreviewPage:
    """Everything ``redbox preview`` shows, gathered (no HTML yet)."""
    findings = turn_findings(project, loaded, languages, fps)
    turns = [
        PreviewTurn(
            number,
            turn.line,
            turn.speaker,
            tuple(findings.get(turn.line, [])),
        )
        for number, turn in enumerate(loaded.transcript.turns, start=1)
    ]
    page_languages = [
        PreviewLanguage(one.language, language_title(one.language), compose_vtt(one.cues), one.cues)
        for one in languages
    ]
    snaps = [
        PreviewSnap(one.language, move.cue, move.edge, move.from_ms, move.to_ms, move.shot_ms)
        for one in languages
        for move in one.snaps
    ]
    episode_findings = findings.get(0, [])
    shots = languages[0].shots if languages else ()
    colours = page_colours(languages[0].cues, project.config.colours) if languages else {}
    return PreviewPage(
        loaded.transcript.title or loaded.episode,
        loaded.source,
        page_languages,
        turns,
        media[0] if media else None,
        media[1] if media else "",
        shots,
        snaps,
        colours,
        episode_findings,
    )
