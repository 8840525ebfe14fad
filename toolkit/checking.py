"""What ``redbox check`` runs: the right checks for each kind of file, then the cross-file ones.

Files are streamed: each is read (through :mod:`toolkit.files`), checked and let go, and
only what the cross-file rules need is kept (a transcript's header and the first line of
each name: :func:`toolkit.validate.cross_file_summary`). A first pass gathers that, so
the second can check the files in the order of the report and hand each file's problems
over as soon as it is done (:func:`check_paths`). A catalog is compared with its
episode's transcript through a digest of its turns taken by the first pass; only a catalog
that lacks a turn, or has one too many, has the transcript parsed again to say which.
So memory does not grow with the files or their problems, and every cross-file rule is linear.
The checks themselves are pure and work on the text handed to them.
"""

from __future__ import annotations

import os
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from toolkit import files
from toolkit.catalog.checks import check_catalog_bytes
from toolkit.catalog.translate import TurnFacts, turn_facts
from toolkit.decoding import DecodedText, decode_text, has_control_byte, plain_utf8
from toolkit.errors import ToolkitError
from toolkit.formats import format_for_name, sniff_format
from toolkit.formats.decoding import decode_subtitle
from toolkit.model import Problem, Transcript, pickled_by_constructor
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

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


def _timings_of(path: Path, project: Project) -> tuple[str, str] | None:
    """The alignment timings file next to a transcript, as (name, text), if there is one."""
    from toolkit.align.sidecar import timings_path

    if not path.name.endswith(TRANSCRIPT_SUFFIXES):
        return None
    timings = Path(timings_path(path))
    if files.modified_ns(timings) is None:
        return None
    return project.display(timings), files.read_text(timings).text


def is_checked(path: Path | str) -> bool:
    """Whether ``redbox check`` checks a file of this name (others, such as a README, a ``.mo``
    or a ``.timings.tsv``, are skipped: a pre-commit hook hands it every staged file)."""
    return os.path.basename(path).lower().endswith(CHECKED_SUFFIXES)


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


class _FoundFiles:
    """The files found, in order, as (path, display name), kept for the whole run compactly: the
    display name of each, and its path only when that is not the project's root joined with the
    display name (the usual file of the project's own folders), so one string a file."""

    def __init__(self, project: Project) -> None:
        root = str(project.root)
        self._prefix = root if root.endswith(os.sep) else root + os.sep
        self.sources: list[str] = []
        self._paths: dict[int, str] = {}

    def append(self, path: str, source: str) -> None:
        if path != self._path_of(source):
            self._paths[len(self.sources)] = path
        self.sources.append(source)

    def _path_of(self, source: str) -> str:
        return self._prefix + source.replace("/", os.sep)

    def path(self, index: int) -> str:
        """The path of the ``index``-th file found."""
        found = self._paths.get(index)
        return found if found is not None else self._path_of(self.sources[index])

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((self.path(index), source) for index, source in enumerate(self.sources))

    def __len__(self) -> int:
        return len(self.sources)


def _found(project: Project, paths: Sequence[Path]) -> tuple[_FoundFiles, list[str]]:
    """The files ``redbox check`` reads below ``paths`` (path, display name), and those it skips.

    A path that does not exist is an error (``file: no such file``) before anything is read.
    Paths are kept as strings, and found as strings: a ``Path`` costs several times the
    memory, for every file, and parsing to make.
    """
    for path in paths:
        if files.modified_ns(path) is None and not path.is_symlink():
            raise ToolkitError("no such file", str(path))
    found = _FoundFiles(project)
    skipped: list[str] = []
    for name in files.find_file_names(paths, CHECKED_SUFFIXES):
        source = project.display(name)
        if is_checked(name):
            found.append(name, source)
        else:
            skipped.append(source)
    return found, skipped


def _read(project: Project, name: str, source: str, language: str | None, *, timings: bool = True,
          ) -> tuple[Document, DecodedText | None]:  # fmt: skip
    """The document of a file (``timings``: with its alignment timings file, if it has one)."""
    try:
        data = files.read_bytes(name, remember=False)  # check writes nothing
    except ToolkitError as error:  # unreadable: reported with the others
        return Document(source, None, unreadable=error.message), None
    # (a Path only for a transcript, which may have a timings file: thousands of files are read)
    aligned = _timings_of(Path(name), project) if timings and name.endswith(TRANSCRIPT_SUFFIXES) else None
    return document_of(data, source, timings=aligned, language=language)


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

    Only how to get each text again is kept (the last transcript of an episode wins), with
    the :class:`TurnFacts` of its turns (a catalog that has every turn needs no more: see
    :func:`toolkit.catalog.checks.check_catalog`), and the few transcripts parsed last, so
    memory does not grow with the archive (a digest and the speakers' names a transcript).
    """

    def __init__(self) -> None:
        self._sources: dict[str, tuple[TextSource, str]] = {}
        self._parsed: OrderedDict[tuple[str, str], Transcript] = OrderedDict()
        self.facts: dict[str, TurnFacts] = {}
        self._casts: dict[frozenset[str], frozenset[str]] = {}

    def add(self, episode: str, again: TextSource, source: str, facts: TurnFacts) -> None:
        self._sources[episode] = (again, source)
        # (most episodes have the same few casts: one set of names each, shared)
        self.facts[episode] = facts._replace(speakers=self._casts.setdefault(facts.speakers, facts.speakers))

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
        """Check one document, keeping its problems and what the cross-file rules need of it."""
        if document.text is not None and _kind_of(document) == "transcript":
            transcript, found = _transcript_problems(document)
            self.problems.extend(found)
            self.remember_parsed(transcript, document.source, again)
        else:
            self.problems.extend(self.problems_of(document, again))

    def remember(self, document: Document, again: TextSource) -> Transcript:
        """Keep what the cross-file rules need of a readable transcript; returns its summary."""
        assert document.text is not None
        transcript = parse_transcript(document.text, document.source)[0]
        return self.remember_parsed(transcript, document.source, again)

    def remember_parsed(self, transcript: Transcript, source: str, again: TextSource) -> Transcript:
        self.summaries.append(cross_file_summary(transcript))
        if transcript.episode:
            self.episodes.add(transcript.episode, again, source, turn_facts(transcript))
        return self.summaries[-1]

    def problems_of(self, document: Document, again: TextSource) -> list[Problem]:
        """The problems of one document on its own (catalogs: against the transcripts remembered)."""
        if document.text is None:
            return [Problem(document.source, 0, 0, "error", "TRN018", document.unreadable)]
        kind = _kind_of(document)
        if kind == "transcript":
            return _transcript_problems(document)[1]
        if kind == "subtitle":
            return _check_subtitle(document)
        if kind == "catalog":
            return self.catalog_problems(document.data, document.source)
        return [Problem(document.source, 0, 0, "error", "TRN018",
                        "not a file redbox checks (.txt, .srt, .vtt, .po, .pot)")]  # fmt: skip

    def catalog_problems(self, data: bytes, source: str, utf8: str | None = None) -> list[Problem]:
        """The problems of a readable catalog's bytes (``utf8``: already decoded, :func:`plain_utf8`)."""
        episodes = self.episodes
        return check_catalog_bytes(data, source, transcripts=episodes, facts=episodes.facts, utf8=utf8)

    def file_problems(self, project: Project, path: str, source: str, language: str | None) -> list[Problem]:
        """The problems of the file at ``path`` on its own (the second pass of :func:`check_paths`).

        A catalog is not decoded here when it is plain UTF-8 (:func:`plain_utf8`, most are):
        its check reads only its bytes, which the PO reader decodes, so decoding it here too,
        into NFC text nobody reads, only to learn that it decodes, was a second decoding.
        """
        if _kind(source) == "catalog":
            try:
                data = files.read_bytes(path, remember=False)
            except ToolkitError as error:
                unreadable = Document(source, None, unreadable=error.message)
                return self.problems_of(unreadable, _again(path, source))
            utf8 = plain_utf8(data)
            if utf8 is not None:  # (decodes: the same problems as problems_of, without decoding twice)
                return self.catalog_problems(data, source, utf8)
            document = document_of(data, source, language=language)[0]
        else:
            document = _read(project, path, source, language)[0]
        return self.problems_of(document, _again(path, source))

    def finish(self) -> list[Problem]:
        self.problems.extend(check_across_transcripts(self.summaries))
        return sorted(self.problems, key=Problem.sort_key)


def _transcript_problems(document: Document) -> tuple[Transcript, list[Problem]]:
    """A readable transcript parsed, and its problems: its rules, then (when it has no error)
    its timing and its alignment timings file."""
    assert document.text is not None
    transcript, found = check_transcript_text(document.text, document.source)
    if not any(problem.severity == "error" for problem in found):
        found.extend(timing_problems(transcript, TimingOptions(), document.source))
        if document.timings is not None:
            from toolkit.align.checks import sidecar_problems  # (only an aligned episode needs it)

            found.extend(sidecar_problems(transcript, document.timings[1], document.timings[0]))
    return transcript, found


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
    # (the file's bytes, when they are the text's UTF-8: not encoded again for a pre-test)
    utf8_data = document.data if document.encoding == "utf-8" else None
    return check_subtitle_text(document.text, document.source, encoding=document.encoding,
                               language=document.language, utf8_data=utf8_data)  # fmt: skip


@dataclass
class CheckRun:
    """What ``redbox check`` found: every problem (unless they were streamed), the files checked,
    the files skipped, and how many errors and warnings there were."""

    problems: list[Problem]
    #: The display name of every file checked.
    checked: list[str]
    skipped: list[str]
    errors: int = 0
    warnings: int = 0


#: Receives the problems of one file (never an empty list), in the order they are reported.
OnProblems = Callable[[list[Problem]], None]


def _survey(project: Project, found: Iterable[tuple[str, str]], checker: _Checker,
            on_read: Callable[[DecodedText, str], None], language: str | None,
            ) -> dict[str, Transcript]:  # fmt: skip
    """The first pass, in the order the files were found: the encoding notes (``on_read``), and
    what the cross-file rules need of each transcript; returns the headers by path as found
    (:func:`_project_headers` resolves links only for a path it does not find there)."""
    headers: dict[str, Transcript] = {}
    for path, source in found:
        if _kind(source) != "transcript":
            _note_only(path, source, language, on_read)
            continue
        # (no timings file: the cross-file rules do not read it, the second pass does)
        document, decoded = _read(project, path, source, language, timings=False)
        if decoded is not None:
            on_read(decoded, source)
        if document.text is not None:
            headers[path] = checker.remember(document, _again(path, source))
    return headers


def may_be_legacy(data: bytes, source: str) -> bool:
    """False when reading the file ``source`` of bytes ``data`` (not a transcript) surely gives no
    legacy-encoding note: UTF-8 with no NUL byte (no other byte order mark is UTF-8, and only a
    NUL sends bytes to the UTF-16/32 tests) is read as UTF-8 or refused as binary (no note) by
    the catalogs' and WebVTT's decoders. An SRT file refused as binary is decoded by chardet's
    guess, which could be anything: there, no control byte at all.
    """
    if source.lower().endswith((".vtt", ".po", ".pot")):
        if b"\x00" in data:  # (a byte search, quicker than deleting the control bytes)
            return True
    elif has_control_byte(data):
        return True
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _note_only(path: str, source: str, language: str | None, on_read: Callable[[DecodedText, str], None],
               ) -> None:  # fmt: skip
    """``on_read`` for a file the first pass does not need, decoding it only when it could be
    read in a legacy encoding (:func:`may_be_legacy`)."""
    try:
        data = files.read_bytes(path, remember=False)
    except ToolkitError:
        return
    if not may_be_legacy(data, source):
        return
    decoded = document_of(data, source, language=language)[1]
    if decoded is not None:
        on_read(decoded, source)


def check_paths(
    project: Project,
    paths: Sequence[Path],
    on_read: Callable[[DecodedText, str], None],
    *,
    language: str | None = None,
    stdin: Document | None = None,
    on_problems: OnProblems | None = None,
) -> CheckRun:
    """Check ``paths`` (default: the whole project: transcripts, subtitles and catalogs) and,
    when given, the document read from standard input, one file at a time.

    The problems come sorted by file, line and column. With ``on_problems`` each file's are
    handed to it as soon as that file is checked (and not kept: ``CheckRun.problems`` stays
    empty), so memory does not grow with the number of problems. Two passes: the first reads
    the files in the order found, for the encoding notes and what the cross-file rules need
    of each transcript (its header and names); the second checks each file in the order of
    the report (by display name) and adds that file's cross-file and project problems. A
    file named twice gets its problems in the order of one pass that checks transcripts
    before catalogs (the sort is stable): see :func:`_order`.
    """
    if not paths and stdin is None:
        paths = [folder for folder in (project.transcripts, project.subtitles, project.locales)
                 if files.modified_ns(folder) is not None]  # fmt: skip
    found, skipped = _found(project, paths) if paths else (_FoundFiles(project), [])
    checker = _Checker()
    headers = _survey(project, found, checker, on_read, language)
    stdin_is_transcript = stdin is not None and _kind_of(stdin) == "transcript"
    if stdin is not None and stdin_is_transcript and stdin.text is not None:
        checker.remember(stdin, _held(stdin))
    checked = set(found.sources) | ({stdin.source} if stdin is not None else set())
    later: dict[str, list[Problem]] = {}
    for problem in check_across_transcripts(checker.summaries) + project_problems(project, checked, headers):
        later.setdefault(problem.source, []).append(problem)
    del checked, headers
    run = CheckRun([], found.sources + ([stdin.source] if stdin is not None else []), skipped)
    order = _order(found.sources, stdin, stdin_is_transcript)
    sources = run.checked  # (the standard input's name last: index len(found))
    at = 0
    while at < len(order):
        source = sources[order[at]]
        problems: list[Problem] = []
        while at < len(order) and sources[order[at]] == source:
            index = order[at]
            at += 1
            if index == len(found):
                assert stdin is not None
                problems.extend(checker.problems_of(stdin, _held(stdin)))
            else:
                problems.extend(checker.file_problems(project, found.path(index), source, language))
        problems.extend(later.pop(source, ()))
        if not problems:
            continue
        problems.sort(key=Problem.sort_key)
        errors = sum(1 for problem in problems if problem.severity == "error")
        run.errors += errors
        run.warnings += len(problems) - errors
        if on_problems is None:
            run.problems.extend(problems)
        else:
            on_problems(problems)
    return run


def _order(sources: Sequence[str], stdin: Document | None, stdin_is_transcript: bool) -> array[int]:
    """Every file to check as its index in ``sources`` (``len(sources)`` for the standard input),
    in the order of the report: by display name. Files of the same name keep the order in which
    one pass checked them: transcripts and other files as found (rank 0), the standard input's
    transcript (1), the catalogs that waited for a transcript found after them (2), the
    standard input's other file (3). Kept as an array: four bytes a file."""
    ranks = bytearray(len(sources) + (stdin is not None))
    transcripts_left = sum(1 for source in sources if _kind(source) == "transcript") + stdin_is_transcript
    for index, source in enumerate(sources):
        kind = _kind(source)
        if kind == "catalog" and transcripts_left > 0:
            ranks[index] = 2
        if kind == "transcript":
            transcripts_left -= 1
    if stdin is not None:
        ranks[len(sources)] = 1 if stdin_is_transcript else 3

    def name(index: int) -> str:
        return sources[index] if index < len(sources) else stdin.source if stdin is not None else ""

    # (sorted is stable: files of the same name and rank stay in the order found)
    return array("i", sorted(range(len(ranks)), key=lambda index: (name(index), ranks[index])))


def _again(path: str, source: str) -> TextSource:
    """Reads the file's text again (``None`` when it no longer decodes)."""
    return partial(_text_again, path, source)


def _text_again(path: str, source: str) -> str | None:
    try:
        return decode_text(files.read_bytes(Path(path), remember=False), source).text
    except ToolkitError:
        return None


def project_problems(project: Project, checked: set[str], known: dict[str, Transcript] | None = None,
                     ) -> list[Problem]:  # fmt: skip
    """Problems only the whole project shows, for the files checked: orphaned catalogs and
    subtitle files (PRJ001, PRJ002). ``known`` holds the headers already read, by path (a
    path that names the same file as a project transcript's, through a link or not, counts)."""
    from toolkit.build import episode_languages
    from toolkit.orphans import find_orphans, orphan_problems

    orphans = find_orphans(project, episode_languages(_project_headers(project, known or {})))
    return [problem for problem in orphan_problems(project, orphans) if problem.source in checked]


def _project_headers(project: Project, known: dict[str, Transcript]) -> Iterator[Transcript]:
    """The header of every readable transcript of the project, reading only those not ``known``,
    one at a time (the project's transcripts are not listed first).

    A path is looked up as it is first: the first pass found the project's transcripts by the
    same walk, so with the same names (a real path costs a system call per folder of it). Only
    for a path not there are the known paths resolved, once, and it is looked up by its real
    path (the last header read of a file wins, as in a dictionary of real paths).
    """
    from toolkit.project import TRANSCRIPT_SUFFIX
    from toolkit.transcript import parse_header

    by_real_path: dict[str, Transcript] | None = None
    for path in files.find_file_names([project.transcripts], (TRANSCRIPT_SUFFIX,)):
        header = known.get(path)
        if header is None and known:
            if by_real_path is None:
                by_real_path = {os.path.realpath(name): one for name, one in known.items()}
            header = by_real_path.get(os.path.realpath(path))
        if header is None:
            try:
                header = parse_header(files.read_text(Path(path)).text, project.display(path))
            except ToolkitError:
                continue
        yield header
