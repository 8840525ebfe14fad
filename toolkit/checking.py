"""What ``redbox check`` runs: the right checks for each kind of file, then the cross-file ones.

:func:`read_documents` gathers the files (through :mod:`toolkit.files`); the checks
themselves (:func:`check_documents`) are pure and work on the text handed to them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
from toolkit.validate import check_across_transcripts, check_transcript_text

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


def read_documents(
    project: Project, paths: Sequence[Path], on_read: Callable[[DecodedText, str], None],
    *, language: str | None = None,
) -> tuple[list[Document], list[str]]:  # fmt: skip
    """Every file ``redbox check`` looks at below ``paths``, and the files named that it skips.

    A path that does not exist is an error (``file: no such file``) before anything is read.
    """
    for path in paths:
        if files.modified_ns(path) is None and not path.is_symlink():
            raise ToolkitError("no such file", str(path))
    documents: list[Document] = []
    skipped: list[str] = []
    for path in files.find_files(paths, CHECKED_SUFFIXES):
        source = project.display(path)
        if not is_checked(path):
            skipped.append(source)
            continue
        try:
            data = files.read_bytes(path)
        except ToolkitError as error:  # unreadable: reported with the others
            documents.append(Document(source, None, unreadable=error.message))
            continue
        document, decoded = document_of(data, source, timings=_timings_of(path, project), language=language)
        if decoded is not None:
            on_read(decoded, source)
        documents.append(document)
    return documents, skipped


def project_problems(project: Project, documents: Sequence[Document]) -> list[Problem]:
    """Problems only the whole project shows, for the documents checked: orphaned catalogs and
    subtitle files (PRJ001, PRJ002)."""
    from toolkit.build import episode_languages, project_headers
    from toolkit.orphans import find_orphans, orphan_problems

    checked = {document.source for document in documents}
    orphans = find_orphans(project, episode_languages(project_headers(project)))
    return [problem for problem in orphan_problems(project, orphans) if problem.source in checked]


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


def check_documents(documents: Sequence[Document]) -> list[Problem]:
    """Every problem in every document, sorted by file, line and column."""
    problems: list[Problem] = []
    transcripts: list[Transcript] = []
    # Transcripts first: catalog checks compare against the episodes' source turns.
    ordered = sorted(documents, key=lambda document: _kind_of(document) != "transcript")
    for document in ordered:
        if document.text is None:
            problems.append(Problem(document.source, 0, 0, "error", "TRN018", document.unreadable))
            continue
        kind = _kind_of(document)
        if kind == "transcript":
            transcript, found = check_transcript_text(document.text, document.source)
            transcripts.append(transcript)
            problems.extend(found)
            if not any(problem.severity == "error" for problem in found):
                problems.extend(timing_problems(transcript, TimingOptions(), document.source))
                if document.timings is not None:
                    problems.extend(sidecar_problems(transcript, document.timings[1], document.timings[0]))
        elif kind == "subtitle":
            problems.extend(_check_subtitle(document))
        elif kind == "catalog":
            problems.extend(_check_catalog(document, transcripts))
        else:
            problems.append(Problem(document.source, 0, 0, "error", "TRN018",
                                    "not a file redbox checks (.txt, .srt, .vtt, .po, .pot)"))
    problems.extend(check_across_transcripts(transcripts))
    return sorted(problems, key=Problem.sort_key)


def _check_subtitle(document: Document) -> list[Problem]:
    assert document.text is not None
    return check_subtitle_text(document.text, document.source, encoding=document.encoding,
                               language=document.language)  # fmt: skip


def _check_catalog(document: Document, transcripts: Sequence[Transcript]) -> list[Problem]:
    by_episode = {transcript.episode: transcript for transcript in transcripts if transcript.episode}
    return check_catalog_bytes(document.data, document.source, transcripts=by_episode)


@dataclass
class CheckRun:
    """What ``redbox check`` found: every problem, the documents checked, the files skipped."""

    problems: list[Problem]
    documents: list[Document]
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
    when given, the document read from standard input."""
    if not paths and stdin is None:
        paths = [folder for folder in (project.transcripts, project.subtitles, project.locales)
                 if files.modified_ns(folder) is not None]  # fmt: skip
    documents, skipped = read_documents(project, paths, on_read, language=language) if paths else ([], [])
    if stdin is not None:
        documents.append(stdin)
    problems = check_documents(documents) + project_problems(project, documents)
    return CheckRun(sorted(problems, key=Problem.sort_key), documents, skipped)
