"""What ``redbox check`` runs: the right checks for each kind of file, then the cross-file ones.

Files are streamed: each is read (through :mod:`toolkit.files`), checked and let go, and
only what the cross-file rules need is kept (a transcript's header and the first line of
each name: :func:`toolkit.validate.cross_file_summary`). A catalog is compared with its
episode's transcript, which is parsed again when the catalog is checked rather than kept.
So memory does not grow with the number of files, and every cross-file rule is linear.
The checks themselves are pure and work on the text handed to them.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import files
from toolkit.align.checks import sidecar_problems
from toolkit.catalog.checks import check_catalog_bytes
from toolkit.decoding import DecodedText, decode_text
from toolkit.errors import ToolkitError
from toolkit.formats import format_for_name, sniff_format
from toolkit.formats.decoding import decode_subtitle
from toolkit.model import Problem, Transcript
from toolkit.project import Project
from toolkit.subtitle_check import check_subtitle_text
from toolkit.timing import TimingOptions, timing_problems
from toolkit.transcript import parse_transcript
from toolkit.validate import check_across_transcripts, check_transcript_text, cross_file_summary

TRANSCRIPT_SUFFIXES = (".txt",)
SUBTITLE_SUFFIXES = (".srt", ".vtt")
CATALOG_SUFFIXES = (".po", ".pot")
#: Every kind of file ``redbox check`` looks at inside a folder.
CHECKED_SUFFIXES = TRANSCRIPT_SUFFIXES + SUBTITLE_SUFFIXES + CATALOG_SUFFIXES


@dataclass(frozen=True)
class Document:
    """A file to check: its name, its decoded text (``None`` when unreadable) and raw bytes."""

    source: str
    text: str | None
    data: bytes = b""
    unreadable: str = ""
    encoding: str = "utf-8"
    #: The transcript's alignment timings file (its name and text), when ``redbox align`` wrote one.
    timings: tuple[str, str] | None = None
    #: The language of a subtitle file when the user says it (``check --lang``); else from its name.
    language: str | None = None
    #: ``transcript``, ``subtitle`` or ``catalog`` when the name does not tell (standard input).
    kind: str | None = None


def _timings_of(path: Path, project: Project) -> tuple[str, str] | None:
    """The alignment timings file next to a transcript, as (name, text), if there is one."""
    from toolkit.align.sidecar import timings_path

    timings = Path(timings_path(path))
    if not path.name.endswith(TRANSCRIPT_SUFFIXES) or files.modified_ns(timings) is None:
        return None
    return project.display(timings), files.read_text(timings).text


def is_checked(path: Path) -> bool:
    """Whether ``redbox check`` checks a file of this name (others, such as a README, a ``.mo``
    or a ``.timings.tsv``, are skipped: a pre-commit hook hands it every staged file)."""
    return path.name.lower().endswith(CHECKED_SUFFIXES)


def document_of(data: bytes, source: str, *, timings: tuple[str, str] | None = None,
                language: str | None = None, kind: str | None = None,
                ) -> tuple[Document, DecodedText | None]:  # fmt: skip
    """The document for a file's bytes (unreadable when they do not decode), and their decoding."""
    try:
        subtitle_format = format_for_name(source) or (sniff_format(data[:64].decode("utf-8", "replace"))
                                                      if kind == "subtitle" else None)  # fmt: skip
        if subtitle_format:  # decoded as the players of its format decode it
            decoded = decode_subtitle(data, source, subtitle_format)
        else:
            decoded = decode_text(data, source)
    except ToolkitError as error:  # undecodable: reported with the others
        return Document(source, None, unreadable=error.message), None
    document = Document(source, decoded.text, data, encoding=decoded.encoding, timings=timings,
                        language=language, kind=kind)  # fmt: skip
    return document, decoded


def _found(project: Project, paths: Sequence[Path]) -> tuple[list[tuple[Path, str]], list[str]]:
    """The files ``redbox check`` reads below ``paths`` (path, display name), and those it skips.

    A path that does not exist is an error (``file: no such file``) before anything is read.
    """
    for path in paths:
        if files.modified_ns(path) is None and not path.is_symlink():
            raise ToolkitError("no such file", str(path))
    found: list[tuple[Path, str]] = []
    skipped: list[str] = []
    for path in files.find_files(paths, CHECKED_SUFFIXES):
        source = project.display(path)
        if is_checked(path):
            found.append((path, source))
        else:
            skipped.append(source)
    return found, skipped


def _read(project: Project, path: Path, source: str, language: str | None,
          ) -> tuple[Document, DecodedText | None]:  # fmt: skip
    try:
        data = files.read_bytes(path)
    except ToolkitError as error:  # unreadable: reported with the others
        return Document(source, None, unreadable=error.message), None
    return document_of(data, source, timings=_timings_of(path, project), language=language)


def read_documents(
    project: Project, paths: Sequence[Path], on_read: Callable[[DecodedText, str], None],
    *, language: str | None = None,
) -> tuple[list[Document], list[str]]:  # fmt: skip
    """Every file ``redbox check`` looks at below ``paths`` (all in memory), and the files it skips."""
    found, skipped = _found(project, paths)
    documents = []
    for path, source in found:
        document, decoded = _read(project, path, source, language)
        if decoded is not None:
            on_read(decoded, source)
        documents.append(document)
    return documents, skipped


def _kind(source: str) -> str:
    lowered = source.lower()
    if lowered.endswith(TRANSCRIPT_SUFFIXES):
        return "transcript"
    if lowered.endswith(SUBTITLE_SUFFIXES):
        return "subtitle"
    if lowered.endswith(CATALOG_SUFFIXES):
        return "catalog"
    return "unknown"


def _kind_of(document: Document) -> str:
    return document.kind or _kind(document.source)


#: Gives a transcript's text again, for the catalogs of its episode (``None``: unreadable now).
TextSource = Callable[[], str | None]
#: Parsed transcripts kept for catalogs checked one after another (the .po of several languages).
_PARSED_KEPT = 4


class _EpisodeTranscripts(Mapping[str, Transcript]):
    """Episode slug -> its transcript, parsed again from its text when a catalog asks for it.

    Only how to get each text again is kept (the last transcript of an episode wins), and the
    few transcripts parsed last, so memory does not grow with the archive.
    """

    def __init__(self) -> None:
        self._sources: dict[str, tuple[TextSource, str]] = {}
        self._parsed: OrderedDict[tuple[str, str], Transcript] = OrderedDict()

    def add(self, episode: str, again: TextSource, source: str) -> None:
        self._sources[episode] = (again, source)

    def __getitem__(self, episode: str) -> Transcript:
        again, source = self._sources[episode]
        key = (episode, source)
        if key not in self._parsed:
            text = again()
            if text is None:
                raise KeyError(episode)
            self._parsed[key] = parse_transcript(text, source)[0]
            if len(self._parsed) > _PARSED_KEPT:
                self._parsed.popitem(last=False)
        return self._parsed[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


@dataclass
class _Checker:
    """The state of one check run: problems so far and what the cross-file rules need."""

    problems: list[Problem] = field(default_factory=list)
    summaries: list[Transcript] = field(default_factory=list)
    episodes: _EpisodeTranscripts = field(default_factory=_EpisodeTranscripts)

    def check(self, document: Document, again: TextSource) -> None:
        if document.text is None:
            self.problems.append(Problem(document.source, 0, 0, "error", "TRN018", document.unreadable))
            return
        kind = _kind_of(document)
        if kind == "transcript":
            self.check_transcript(document, again)
        elif kind == "subtitle":
            self.problems.extend(_check_subtitle(document))
        elif kind == "catalog":
            found = check_catalog_bytes(document.data, document.source, transcripts=self.episodes)
            self.problems.extend(found)
        else:
            self.problems.append(Problem(document.source, 0, 0, "error", "TRN018",
                                         "not a file redbox checks (.txt, .srt, .vtt, .po, .pot)"))

    def check_transcript(self, document: Document, again: TextSource) -> None:
        assert document.text is not None
        transcript, found = check_transcript_text(document.text, document.source)
        self.problems.extend(found)
        if not any(problem.severity == "error" for problem in found):
            self.problems.extend(timing_problems(transcript, TimingOptions(), document.source))
            if document.timings is not None:
                self.problems.extend(sidecar_problems(transcript, document.timings[1], document.timings[0]))
        self.summaries.append(cross_file_summary(transcript))
        if transcript.episode:
            self.episodes.add(transcript.episode, again, document.source)

    def finish(self) -> list[Problem]:
        self.problems.extend(check_across_transcripts(self.summaries))
        return sorted(self.problems, key=Problem.sort_key)


def _held(document: Document) -> TextSource:
    return lambda: document.text


def check_documents(documents: Sequence[Document]) -> list[Problem]:
    """Every problem in every document (held in memory), sorted by file, line and column."""
    checker = _Checker()
    # Transcripts first: catalog checks compare against the episodes' source turns.
    for document in sorted(documents, key=lambda document: _kind_of(document) != "transcript"):
        checker.check(document, _held(document))
    return checker.finish()


def _check_subtitle(document: Document) -> list[Problem]:
    assert document.text is not None
    return check_subtitle_text(document.text, document.source, encoding=document.encoding,
                               language=document.language)  # fmt: skip


@dataclass
class CheckRun:
    """What ``redbox check`` found: every problem, the files checked, the files skipped."""

    problems: list[Problem]
    #: The display name of every file checked.
    checked: list[str]
    skipped: list[str]


def check_paths(
    project: Project,
    paths: Sequence[Path],
    on_read: Callable[[DecodedText, str], None],
    *,
    language: str | None = None,
    stdin: Document | None = None,
) -> CheckRun:
    """Check ``paths`` (default: the whole project: transcripts, subtitles and catalogs) and,
    when given, the document read from standard input, one file at a time."""
    if not paths and stdin is None:
        paths = [folder for folder in (project.transcripts, project.subtitles, project.locales)
                 if files.modified_ns(folder) is not None]  # fmt: skip
    found, skipped = _found(project, paths) if paths else ([], [])
    checker = _Checker()
    stdin_is_transcript = stdin is not None and _kind_of(stdin) == "transcript"
    # The number of transcripts still to come: a catalog waits until every one is checked.
    transcripts_left = sum(1 for _, source in found if _kind(source) == "transcript") + stdin_is_transcript
    waiting: list[tuple[Path, str]] = []
    headers: dict[str, Transcript] = {}
    for path, source in found:
        kind = _kind(source)
        if kind == "catalog" and transcripts_left:
            waiting.append((path, source))  # read now for on_read's order, checked later
        document, decoded = _read(project, path, source, language)
        if decoded is not None:
            on_read(decoded, source)
        if kind == "catalog" and transcripts_left:
            continue
        checker.check(document, _again(path, source))
        if kind == "transcript":
            transcripts_left -= 1
            if document.text is not None:
                headers[os.path.realpath(path)] = checker.summaries[-1]
    if stdin is not None and stdin_is_transcript:
        checker.check(stdin, _held(stdin))
    for path, source in waiting:
        checker.check(_read(project, path, source, language)[0], _again(path, source))
    if stdin is not None and not stdin_is_transcript:
        checker.check(stdin, _held(stdin))
    checked = {source for _, source in found} | ({stdin.source} if stdin is not None else set())
    problems = checker.finish() + project_problems(project, checked, headers)
    names = [source for _, source in found] + ([stdin.source] if stdin is not None else [])
    return CheckRun(sorted(problems, key=Problem.sort_key), names, skipped)


def _again(path: Path, source: str) -> TextSource:
    """Reads the file's text again (``None`` when it no longer decodes)."""

    def text() -> str | None:
        try:
            return decode_text(files.read_bytes(path), source).text
        except ToolkitError:
            return None

    return text


def project_problems(project: Project, checked: set[str], known: dict[str, Transcript] | None = None,
                     ) -> list[Problem]:  # fmt: skip
    """Problems only the whole project shows, for the files checked: orphaned catalogs and
    subtitle files (PRJ001, PRJ002). ``known`` holds the headers already read, by real path."""
    from toolkit.build import episode_languages
    from toolkit.orphans import find_orphans, orphan_problems

    orphans = find_orphans(project, episode_languages(_project_headers(project, known or {})))
    return [problem for problem in orphan_problems(project, orphans) if problem.source in checked]


def _project_headers(project: Project, known: dict[str, Transcript]) -> list[Transcript]:
    """The header of every readable transcript of the project, reading only those not ``known``."""
    from toolkit.transcript import parse_header

    headers = []
    for path in project.transcript_files():
        header = known.get(os.path.realpath(path))
        if header is None:
            try:
                header = parse_header(files.read_text(path).text, project.display(path))
            except ToolkitError:
                continue
        headers.append(header)
    return headers
