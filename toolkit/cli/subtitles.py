"""``redbox subtitles`` (one transcript to one file) and ``redbox build`` (the whole archive)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import click

from toolkit import files
from toolkit.align.sidecar import timings_path
from toolkit.cli.common import read_text
from toolkit.config import RedboxConfig, parse_clock, parse_config
from toolkit.errors import ToolkitError
from toolkit.formats import get_format, get_writer
from toolkit.limits import base_language
from toolkit.model import Problem, Transcript
from toolkit.report import format_text
from toolkit.subtitles import LABEL_CHOICES, SubtitleOptions, build_cues
from toolkit.timing import plan_turn_slots, timing_problems
from toolkit.validate import check_transcript_text

F = TypeVar("F", bound=Callable[..., Any])

#: More pieces of work than this get a progress bar (when stdout is a terminal).
PROGRESS_THRESHOLD = 5


class _ClockType(click.ParamType):  # type: ignore[type-arg]
    """A ``HH:MM:SS[.mmm]`` (or seconds) option value, converted to milliseconds."""

    name = "HH:MM:SS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_clock(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


CLOCK = _ClockType()


def timing_options(function: F) -> F:
    """The options shared by ``subtitles`` and ``build`` (defaults from ``[tool.redbox]``)."""
    decorators = [
        click.option("--rate", type=click.FloatRange(min=0, min_open=True), metavar="CPS",
                     help="Speech rate of the transcript's language in characters a second "
                          "(Korean: syllables count 1, spaces 0.5). Default: en 15, ko 6.5."),
        click.option("--fps", type=click.FloatRange(min=0, min_open=True),
                     help="Video frame rate, for the 2-frame gaps. Default: 23.976."),
        click.option("--start", "start", type=CLOCK,
                     help="Time of the first turn when it has no anchor. Default: 00:00:00."),
        click.option("--duration", type=CLOCK,
                     help="Video length: with no anchors, stretch or squeeze the episode to it."),
        click.option("--labels", type=click.Choice(LABEL_CHOICES),
                     help="Speaker names on screen: none, on a change of speaker (default), or always."),
        click.option("--dialogue/--no-dialogue", default=None,
                     help="Let two short turns by different speakers share a cue, with dashes."),
        click.option("--crlf/--no-crlf", default=None, help="CRLF line ends in SRT files (WebVTT stays LF)."),
        click.option("--strict/--no-strict", default=None,
                     help="Fail (exit 1) on warnings too: catalog problems and turns that read too fast."),
    ]  # fmt: skip
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def load_config(path: Path = Path("pyproject.toml")) -> RedboxConfig:
    """``[tool.redbox]`` of the current directory's ``pyproject.toml`` (defaults when there is none)."""
    if files.modified_ns(path) is None:
        return RedboxConfig()
    return parse_config(files.read_text(path).text, str(path))


def merged_options(config: RedboxConfig, given: dict[str, Any]) -> SubtitleOptions:
    """The config's options with every option given on the command line on top."""
    names = {"fps": "fps", "start": "start_ms", "duration": "duration_ms", "labels": "labels",
             "dialogue": "dialogue", "crlf": "crlf", "strict": "strict", "rate": "rate"}  # fmt: skip
    changes = {field: given[option] for option, field in names.items() if given.get(option) is not None}
    return replace(config.options, **changes)


def with_rate(options: SubtitleOptions, config: RedboxConfig, language: str) -> SubtitleOptions:
    """Fill in the configured speech rate for ``language`` unless ``--rate`` was given."""
    if options.rate is not None:
        return options
    return replace(options, rate=config.rate_for(language or "en"))


def catalog_path(locales: Path, language: str, episode: str) -> Path:
    return locales / language / "LC_MESSAGES" / f"{episode}.po"


def subtitle_path(folder: Path, episode: str, language: str, format_id: str) -> Path:
    return folder / f"{episode}.{language}{get_format(format_id).extension}"


@dataclass
class Loaded:
    """A transcript read and parsed, with what its parser found."""

    path: Path
    transcript: Transcript
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def episode(self) -> str:
        return self.transcript.episode or self.path.stem


def load_transcript(path: Path) -> Loaded:
    decoded = read_text(path)
    # The same checks as `redbox check`: a label outside the cast would otherwise reach the
    # viewer as a wrong name, so it stops the build like a parse error does.
    transcript, problems = check_transcript_text(decoded.text, str(path))
    return Loaded(path, transcript, problems)


def translate(loaded: Loaded, language: str, locales: Path) -> tuple[Transcript, list[Problem]]:
    """The transcript translated through ``<locales>/<language>/LC_MESSAGES/<episode>.po``."""
    from toolkit.catalog import translate_transcript  # loaded only when a translation is asked for

    path = catalog_path(locales, language, loaded.episode)
    if files.modified_ns(path) is None:
        raise ToolkitError(f"no catalog for language {language!r}: {path} does not exist", str(loaded.path))
    return translate_transcript(loaded.transcript, files.read_bytes(path), str(path), language)


def render(
    loaded: Loaded,
    language: str,
    format_ids: list[str],
    options: SubtitleOptions,
    config: RedboxConfig,
    locales: Path,
) -> tuple[dict[str, bytes], list[Problem]]:
    """The bytes of each format for one episode and language, and the warnings met on the way."""
    source_language = loaded.transcript.language or "en"
    options = with_rate(options, config, source_language)
    slots = plan_turn_slots(loaded.transcript, options.timing)
    warnings = timing_problems(loaded.transcript, options.timing, str(loaded.path), slots=slots)
    text_from: Transcript | None = None
    if base_language(language) != base_language(source_language):
        text_from, catalog_problems = translate(loaded, language, locales)
        warnings.extend(catalog_problems)
    timings = Path(timings_path(loaded.path))
    if files.modified_ns(timings) is not None:
        # `redbox align` ran: cues start when their words are heard, in every language.
        from toolkit.align.rules import cues_from_timings_text

        cues = cues_from_timings_text(
            loaded.transcript, files.read_text(timings).text, str(timings), options, text_from=text_from
        )
    else:
        cues = build_cues(loaded.transcript, options, text_from=text_from, turn_slots=slots, pin_slots=False)
    outputs: dict[str, bytes] = {}
    for format_id in format_ids:
        writer = get_writer(format_id, crlf=options.crlf)
        outputs[format_id] = writer(cues, source=str(loaded.path)).encode("utf-8")
    return outputs, warnings


def _fail_on_errors(loaded: Loaded) -> None:
    if loaded.errors:
        click.echo(format_text(loaded.problems), err=True)
        raise click.ClickException(
            f"{loaded.path}: {len(loaded.errors)} error(s) in the transcript; fix them first (redbox check)"
        )


@click.command(
    "subtitles",
    epilog="""\b
Examples:
  redbox subtitles transcripts/misunderstandings-and-stereotypes.txt > episode.en.srt
  redbox subtitles transcripts/episode.txt --format vtt -o subtitles/episode.en.vtt
  redbox subtitles transcripts/episode.txt --lang ko --labels none -o episode.ko.srt
  redbox subtitles transcripts/episode.txt --duration 00:12:30 --fps 25 --dialogue
""",
)
@click.argument("transcript", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "format_id",
    type=click.Choice(["srt", "vtt"]),
    help="Output format. Default: from the -o file's suffix, else srt.",
)
@click.option(
    "-o", "--output", default="-", metavar="FILE|-", help="Write here; - (default) is standard output."
)
@click.option(
    "--lang",
    "language",
    metavar="TAG",
    help="Subtitle language. Another language than the transcript's is read from "
    "<locales>/<TAG>/LC_MESSAGES/<episode>.po.",
)
@click.option(
    "--locales",
    type=click.Path(file_okay=False, path_type=Path),
    help="Catalog folder. Default: locales (or [tool.redbox] locales).",
)
@timing_options
def subtitles_command(
    transcript: Path, format_id: str | None, output: str, language: str | None, locales: Path | None,
    **given: Any,
) -> None:  # fmt: skip
    """Write timed SRT or WebVTT subtitles for one transcript.

    Times come from the speech-rate model and the transcript's [hh:mm:ss] anchors.
    Warnings (catalog problems, turns that read too fast) go to stderr; with --strict
    they fail the command and nothing is written.
    """
    config = load_config()
    options = merged_options(config, given)
    if format_id is None:
        format_id = "vtt" if output.lower().endswith(".vtt") else "srt"
    loaded = load_transcript(transcript)
    _fail_on_errors(loaded)
    if loaded.problems:
        click.echo(format_text(loaded.problems), err=True)
    language = language or loaded.transcript.language or "en"
    outputs, warnings = render(
        loaded, language, [format_id], options, config, locales or Path(config.locales)
    )
    if warnings:
        click.echo(format_text(warnings), err=True)
    if options.strict and (warnings or loaded.problems):
        raise click.ClickException("warnings found and --strict is on; nothing written")
    data = outputs[format_id]
    if output == "-":
        click.echo(data, nl=False)  # bytes go out unchanged (CRLF, UTF-8)
        return
    files.write_bytes_atomic(Path(output), data)
    click.echo(f"wrote {output}", err=True)


def catalog_languages(locales: Path) -> dict[str, list[str]]:
    """Episode slug -> languages that have ``<locales>/<language>/LC_MESSAGES/<episode>.po``."""
    found: dict[str, list[str]] = {}
    if files.modified_ns(locales) is None:
        return found
    for path in files.find_files([locales], (".po",)):
        relative = path.relative_to(locales).parts
        if len(relative) == 3 and relative[1] == "LC_MESSAGES":
            found.setdefault(path.name[: -len(".po")], []).append(relative[0])
    return {episode: sorted(languages) for episode, languages in found.items()}


@dataclass
class BuildResult:
    written: list[Path]
    current: list[Path]
    stale: list[tuple[Path, str]]
    failures: list[str]


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _progress(items: list[Path], label: str) -> Iterator[Path]:
    """``items``, behind a progress bar when a person is watching and there is real work."""
    if stdout_is_terminal() and len(items) > PROGRESS_THRESHOLD:
        with click.progressbar(items, label=label, show_pos=True) as bar:
            yield from bar
    else:
        yield from items


def run_build(
    transcripts: Path,
    subtitles: Path,
    locales: Path,
    format_ids: list[str],
    options: SubtitleOptions,
    config: RedboxConfig,
    *,
    check: bool,
    report: Callable[[str], None],
) -> BuildResult:
    """Build (or, with ``check``, compare) every output; ``report`` receives warning text."""
    result = BuildResult([], [], [], [])
    paths = list(files.find_files([transcripts], (".txt",)))
    catalogs = catalog_languages(locales)
    built_from: dict[str, Path] = {}
    for path in _progress(paths, "Building subtitles"):
        try:
            loaded = load_transcript(path)
        except ToolkitError as error:
            result.failures.append(str(error))
            continue
        if loaded.errors:
            report(format_text(loaded.problems))
            result.failures.append(f"{path}: {len(loaded.errors)} error(s) in the transcript; not built")
            continue
        if loaded.episode in built_from:
            result.failures.append(
                f"{path}: episode {loaded.episode!r} is also built from {built_from[loaded.episode]}; "
                "give each transcript its own 'episode:' (not built)"
            )
            continue
        built_from[loaded.episode] = path
        source_language = loaded.transcript.language or "en"
        languages = [source_language] + [
            language
            for language in catalogs.get(loaded.episode, [])
            if base_language(language) != base_language(source_language)
        ]
        reported: set[Problem] = set()
        for language in languages:
            try:
                outputs, warnings = render(loaded, language, format_ids, options, config, locales)
            except ToolkitError as error:
                result.failures.append(str(error))
                continue
            if warnings:
                # Timing warnings are the same for every language: say them once.
                fresh = [warning for warning in warnings if warning not in reported]
                reported.update(fresh)
                if fresh:
                    report(format_text(fresh))
                if options.strict:
                    result.failures.append(
                        f"{path}: {language}: warnings found and --strict is on; not built"
                    )
                    continue
            for format_id, data in outputs.items():
                target = subtitle_path(subtitles, loaded.episode, language, format_id)
                try:
                    existing: bytes | None = files.read_bytes(target)
                except ToolkitError:
                    existing = None
                if existing == data:
                    result.current.append(target)
                elif check:
                    result.stale.append((target, "missing" if existing is None else "stale"))
                else:
                    try:
                        files.write_bytes_atomic(target, data)
                    except ToolkitError as error:
                        result.failures.append(str(error))
                        continue
                    result.written.append(target)
    return result


@click.command(
    "build",
    epilog="""\b
Examples:
  redbox build                    # subtitles/<episode>.<lang>.srt and .vtt for every transcript
  redbox build --check            # in CI: exit 1 listing every missing or stale file
  redbox build --format vtt --labels none --transcripts archive/ --subtitles out/
""",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 listing every output that is missing or stale."
)
@click.option(
    "--transcripts",
    "transcripts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Transcript folder. Default: transcripts.",
)
@click.option(
    "--subtitles",
    "subtitles_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: subtitles.",
)
@click.option(
    "--locales",
    "locales_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Catalog folder; every <lang>/LC_MESSAGES/<episode>.po adds a language. Default: locales.",
)
@click.option(
    "--format",
    "format_ids",
    type=click.Choice(["srt", "vtt"]),
    multiple=True,
    help="Formats to build (repeatable). Default: srt and vtt.",
)
@timing_options
def build_command(
    check: bool,
    transcripts_dir: Path | None,
    subtitles_dir: Path | None,
    locales_dir: Path | None,
    format_ids: tuple[str, ...],
    **given: Any,
) -> None:
    """Build subtitles for every transcript, in its language and each translated one.

    Writes <subtitles>/<episode>.<language>.srt and .vtt, leaving files whose content
    would not change untouched. Outputs are compared by content, so --check is reliable
    on a fresh clone whatever the file times.
    """
    config = load_config()
    options = merged_options(config, given)
    transcripts = transcripts_dir or Path(config.transcripts)
    if files.modified_ns(transcripts) is None:
        raise click.UsageError(f"there is no transcript folder {transcripts}/ here (use --transcripts)")
    result = run_build(
        transcripts,
        subtitles_dir or Path(config.subtitles),
        locales_dir or Path(config.locales),
        list(format_ids) or list(config.formats),
        options,
        config,
        check=check,
        report=lambda text: click.echo(text, err=True),
    )
    for path in result.written:
        click.echo(f"wrote {path}")
    for path, state in result.stale:
        click.echo(f"{path}: {state}")
    for failure in result.failures:
        click.echo(failure, err=True)
    if check:
        click.echo(f"{len(result.current)} up to date, {len(result.stale)} missing or stale", err=True)
    else:
        click.echo(f"{len(result.written)} written, {len(result.current)} up to date", err=True)
    if result.failures or result.stale:
        sys.exit(1)


COMMANDS: list[click.Command] = [subtitles_command, build_command]
