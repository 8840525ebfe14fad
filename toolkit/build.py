"""The build pipeline: transcript -> turns -> cues -> subtitle files, for one episode or a project.

:func:`render` makes the bytes of one episode in one language (translated through its
catalog when the language is not the transcript's, timed from ``redbox align``'s timings
file when there is one). :func:`build_project` decides which outputs a project has, which
are missing or stale (compared by content, so the answer is the same on a fresh clone), and
writes them. The CLI only parses options, calls these and prints what they return.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import files
from toolkit.align.sidecar import timings_path
from toolkit.config import with_rate
from toolkit.decoding import DecodedText, decode_text
from toolkit.errors import RefusedTranscript, ToolkitError
from toolkit.formats import get_writer
from toolkit.formats.styling import Styling
from toolkit.limits import base_language
from toolkit.model import Cue, Problem, Transcript
from toolkit.naming import canonical_language
from toolkit.orphans import Orphan
from toolkit.project import Project
from toolkit.report import format_text
from toolkit.subtitles import SubtitleOptions, build_cues, within_reading_limits
from toolkit.timing import plan_turn_slots, timing_problems
from toolkit.transcript import parse_header
from toolkit.validate import check_transcript_text, duplicate_episode_problems
from toolkit.video.snapping import SnapMove

#: Called with each file's decoded text and its display name (the CLI notes legacy encodings).
OnRead = Callable[[DecodedText, str], None]
#: Wraps the list of transcripts to build (the CLI puts a progress bar around it).
Progress = Callable[[list[Path]], Iterable[Path]]


def _ignore_read(decoded: DecodedText, source: str) -> None:
    """The default :data:`OnRead`: nothing to say."""


@dataclass
class Loaded:
    """A transcript read and checked, with what the checks found."""

    path: Path
    source: str
    transcript: Transcript
    problems: list[Problem]
    #: The text as read (its encoding, BOM and line ends), so a rewrite of the file keeps them.
    decoded: DecodedText

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def episode(self) -> str:
        return self.transcript.episode or self.path.stem

    @property
    def language(self) -> str:
        return self.transcript.language or "en"


#: The path of a transcript read from standard input (``redbox subtitles -``).
STDIN = Path("-")


def load_transcript(
    path: Path,
    source: str,
    on_read: OnRead = _ignore_read,
    *,
    data: bytes | None = None,
    prose: bool = True,
) -> Loaded:
    """Read and check a transcript with the same rules as ``redbox check``.

    ``data``, when given, is the transcript's bytes (standard input), and ``path`` is not read.
    A label outside the cast would otherwise reach the viewer as a wrong name, so callers
    refuse a transcript with errors as they would a parse error. ``prose=False`` leaves out
    the prose warnings (:func:`toolkit.validate.check_transcript_text`).
    """
    decoded = files.read_text(path) if data is None else decode_text(data, source)
    on_read(decoded, source)
    transcript, problems = check_transcript_text(decoded.text, source, prose=prose)
    return Loaded(path, source, transcript, problems, decoded)


def add_project_problems(project: Project, loaded: Sequence[Loaded]) -> None:
    """Add to each of ``loaded`` in the project's transcripts folder the errors that need the
    project's other transcripts (TRN014: an episode with two transcripts), so every command
    refuses what ``redbox check`` rejects."""
    others = project_headers(project, skip=[one.path for one in loaded if one.path != STDIN])
    # Only the project's own transcripts clash: a copy piped in or kept elsewhere is a draft.
    folder = os.path.realpath(project.transcripts) + os.sep
    members = [one for one in loaded if one.path != STDIN and os.path.realpath(one.path).startswith(folder)]
    across = duplicate_episode_problems([one.transcript for one in members] + others)
    for one in members:
        mine = [problem for problem in across if problem.source == one.source and problem.severity == "error"]
        if mine:
            one.problems = sorted(one.problems + mine, key=Problem.sort_key)


def episode_languages(transcripts: Iterable[Transcript]) -> dict[str, str]:
    """Episode slug -> language of its transcript, for the transcripts that name an episode."""
    return {one.episode: one.language or "en" for one in transcripts if one.episode}


def project_headers(project: Project, skip: Iterable[Path] = ()) -> list[Transcript]:
    """The header of every transcript of the project that can be read (unreadable ones are
    ``check``'s to report), without its turns: what project-wide checks need, at a fraction
    of the cost of parsing a large archive once per command."""
    skipped = {os.path.realpath(path) for path in skip}
    headers = []
    for path in project.transcript_files():
        if os.path.realpath(path) in skipped:
            continue
        try:
            headers.append(parse_header(files.read_text(path).text, project.display(path)))
        except ToolkitError:
            continue
    return headers


def load_checked(project: Project, path: Path, on_read: OnRead = _ignore_read, *, data: bytes | None = None,
                 source: str | None = None) -> Loaded:  # fmt: skip
    """One transcript with every error ``redbox check`` would find in it, the project's included."""
    loaded = load_transcript(path, source or project.display(path), on_read, data=data)
    add_project_problems(project, [loaded])
    return loaded


def errors_summary(loaded: Loaded, action: str) -> str:
    """``N error(s) in the transcript; <action>``: why a transcript is refused."""
    return f"{len(loaded.errors)} error(s) in the transcript; {action}"


def refusal(loaded: Loaded, action: str) -> str:
    """The one-line reason a transcript with errors is refused, with its file."""
    return f"{loaded.source}: {errors_summary(loaded, action)}"


def refuse_errors(loaded: Loaded) -> None:
    """:class:`RefusedTranscript` listing every problem when the transcript has errors."""
    if loaded.errors:
        raise RefusedTranscript(errors_summary(loaded, "fix them first (redbox check)"), loaded.source,
                                details=format_text(loaded.problems))  # fmt: skip


def translate(project: Project, loaded: Loaded, language: str) -> tuple[Transcript, list[Problem]]:
    """The transcript translated through ``<locales>/<language>/LC_MESSAGES/<episode>.po``."""
    from toolkit.catalog import translate_transcript  # loaded only when a translation is asked for

    line = loaded.transcript.header_lines.get("episode", 0)
    path = project.catalog_path(language, loaded.episode, loaded.source, line)
    shown = project.display(path)
    if files.modified_ns(path) is None:
        raise ToolkitError(f"no catalog for language {language!r}: {shown} does not exist", loaded.source)
    return translate_transcript(loaded.transcript, files.read_bytes(path), shown, language)


@dataclass
class Rendered:
    """One episode's cues in one language, the warnings met, and the cue edges moved to shot changes."""

    cues: list[Cue]
    warnings: list[Problem]
    snaps: list[SnapMove] = field(default_factory=list)
    shots: tuple[int, ...] = ()
    #: Edges near a shot change that the snapping rules had to leave where they are.
    held: list[SnapMove] = field(default_factory=list)


def render_cues(
    project: Project, loaded: Loaded, language: str, options: SubtitleOptions, *, video: Path | None = None
) -> Rendered:
    """The cues of one episode in one language (snapped to ``video``'s shot changes when given)."""
    options = with_rate(options, project.config, loaded.language)
    slots = plan_turn_slots(loaded.transcript, options.timing)
    warnings = timing_problems(loaded.transcript, options.timing, loaded.source, slots=slots)
    text_from: Transcript | None = None
    if base_language(language) != base_language(loaded.language):
        text_from, catalog_problems = translate(project, loaded, language)
        warnings.extend(catalog_problems)
    timings = Path(timings_path(loaded.path))
    aligned = loaded.path != STDIN and files.modified_ns(timings) is not None
    if aligned:
        # `redbox align` ran: cues start when their words are heard, in every language.
        from toolkit.align.rules import cues_from_timings_text

        cues, stale = cues_from_timings_text(
            loaded.transcript, files.read_text(timings).text, project.display(timings), options,
            text_from=text_from,
        )  # fmt: skip
        warnings.extend(stale)  # turns edited since `redbox align`: build --strict fails
    else:
        cues = build_cues(loaded.transcript, options, text_from=text_from, turn_slots=slots, pin_slots=False)
    # Whatever timed the cues, each gets 5/6 s and its reading time, or a warning (SUB013/14).
    cues, limit_warnings = within_reading_limits(
        cues, language, options, loaded.source, end_ms=options.duration_ms, adjust=aligned
    )
    warnings.extend(limit_warnings)
    if video is None:
        return Rendered(cues, warnings)
    from toolkit.video.shots import load_shots, snap_cues  # only with a video: ffmpeg's module

    shots = load_shots(video, loaded.path, project.display(video))
    snapped = snap_cues(cues, shots)
    return Rendered(snapped.cues, warnings, snapped.moves, shots.times, snapped.held)


def render(
    project: Project, loaded: Loaded, language: str, format_ids: Sequence[str], options: SubtitleOptions,
    *, video: Path | None = None,
) -> tuple[dict[str, bytes], list[Problem]]:  # fmt: skip
    """The bytes of each format for one episode and language, and the warnings met on the way."""
    rendered = render_cues(project, loaded, language, options, video=video)
    styling = Styling(language, loaded.transcript.title, project.config.colours)
    outputs: dict[str, bytes] = {}
    cues = tuple(rendered.cues)  # one immutable list for every writer: validated once
    for format_id in format_ids:
        writer = get_writer(format_id, crlf=options.crlf, styling=styling)
        outputs[format_id] = writer(cues, source=loaded.source).encode("utf-8")
    return outputs, rendered.warnings


@dataclass
class BuildResult:
    """What :func:`build_project` did (or, with ``check``, would do)."""

    written: list[Path] = field(default_factory=list)
    current: list[Path] = field(default_factory=list)
    #: Outputs that are ``missing`` or ``stale`` (only with ``check``).
    stale: list[tuple[Path, str]] = field(default_factory=list)
    #: One line each, ``file[:line]: message``: transcripts refused, catalogs missing, writes failed.
    failures: list[str] = field(default_factory=list)
    #: Catalogs and subtitle files of episodes (or languages) the project no longer has.
    orphaned: list[Orphan] = field(default_factory=list)
    #: How many episode-languages were rendered (the rest were known up to date from the manifest).
    rendered: int = 0


def _build_languages(project: Project, loaded: Loaded, catalogs: dict[str, list[str]]) -> list[str]:
    """The transcript's own language, then every language it has a catalog for."""
    return _languages_of(loaded.episode, loaded.language, catalogs)


def _languages_of(episode: str, language: str, catalogs: dict[str, list[str]]) -> list[str]:
    own = canonical_language(language)
    others = catalogs.get(episode, [])
    return [own] + [other for other in others if base_language(other) != base_language(own)]


def build_project(
    project: Project,
    format_ids: Sequence[str],
    options: SubtitleOptions,
    *,
    check: bool,
    report: Callable[[str], None],
    on_read: OnRead = _ignore_read,
    progress: Progress = list,
    jobs: int | None = None,
    use_manifest: bool = True,
    video: Path | None = None,
) -> BuildResult:
    """Build (or, with ``check``, compare) every output of the project.

    ``report`` receives problem text worth showing (transcript errors, timing and catalog
    warnings, each said once). Outputs whose inputs match the manifest and whose files still
    hold the bytes recorded there are not rendered again; everything else is rendered on
    ``jobs`` processes (default: one per core) and compared byte for byte. The verdicts, the
    files written and the text reported are the same either way, and the same as a serial run.
    ``video`` (a file, or a folder of ``<episode>.<ext>`` videos; default ``[tool.redbox]
    shots``) gives the shot changes cues snap to.
    """
    from toolkit.build_run import ProjectBuild  # the run's machinery: manifest, pool

    if video is None and project.config.shots:
        video = project.root / project.config.shots
    run = ProjectBuild(project, list(format_ids), options, check=check, report=report, on_read=on_read,
                       jobs=jobs or os.cpu_count() or 1, use_manifest=use_manifest, video=video)  # fmt: skip
    return run.run(progress)
