"""One run of ``redbox build`` over a project: what is up to date, what to render, on how many cores.

:func:`toolkit.build.build_project` is the entry point; this module holds its machinery.

1. Every transcript is read and hashed. One whose bytes match the manifest (it passed its own
   checks when they were recorded) keeps its recorded header; of the others only the header
   is parsed here (:func:`~toolkit.transcript.parse_header`, the full parser's header).
2. The project-wide errors (TRN014: an episode with two transcripts) are found on the headers.
3. For each episode and language, the inputs are fingerprinted. When the manifest has the same
   fingerprint and every output file still hashes to what it recorded, the output is up to date
   without rendering; with ``--check``, an output that no longer hashes to it is stale, also
   without rendering. Everything else is rendered and compared byte for byte.
4. Each episode goes to a worker (on a process pool when there are several) as its decoded text:
   the worker parses and checks it, and renders its languages only when it has no errors; it
   sends back the problems of a refused transcript or each language's bytes and warnings,
   never a parsed transcript (pickling one there and back cost more than parsing it).
5. Results are taken in the transcripts' order, so what is reported, written and listed is the
   same as a serial run's, whatever the number of processes.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from toolkit import files
from toolkit.align.sidecar import timings_path
from toolkit.build import (
    BuildResult,
    Loaded,
    OnRead,
    Progress,
    _languages_of,
    episode_languages,
    refusal,
    render,
)
from toolkit.build_manifest import (
    Manifest,
    OutputEntry,
    TranscriptEntry,
    code_fingerprint,
    digest,
    inputs_fingerprint,
    parse_manifest,
)
from toolkit.config import with_rate
from toolkit.decoding import DecodedText, decode_text
from toolkit.errors import ToolkitError
from toolkit.limits import base_language
from toolkit.model import Problem, Transcript
from toolkit.orphans import find_orphans
from toolkit.project import Project
from toolkit.report import format_text
from toolkit.subtitles import SubtitleOptions
from toolkit.transcript import parse_header
from toolkit.validate import check_transcript_text, duplicate_episode_problems
from toolkit.video.shots import video_for

#: Below this many pieces of work a pool costs more than it saves.
POOL_MIN_TASKS = 4
#: Episodes planned and queued for rendering at a time (two slices are in flight).
RENDER_SLICE = 128
#: Where ``redbox build`` keeps its manifest, below the project's root (a cache: never committed).
MANIFEST_FOLDER = ".redbox-cache"
MANIFEST_NAME = "build-manifest.json"

Task = TypeVar("Task")
Outcome = TypeVar("Outcome")


def manifest_path(project: Project) -> Path:
    return project.root / MANIFEST_FOLDER / MANIFEST_NAME


@dataclass
class _Episode:
    """A transcript of the run: read and hashed; checked (``loaded``) unless the manifest vouches."""

    path: Path
    source: str
    decoded: DecodedText
    sha: str
    #: The full transcript when it was checked in this process, else its header (from the
    #: manifest, or parsed alone while a worker checks the text).
    header: Transcript
    loaded: Loaded | None = None
    errors: list[Problem] = field(default_factory=list)
    #: Not vouched for by the manifest and not checked yet: the worker that renders it checks it.
    pending: bool = False

    @property
    def episode(self) -> str:
        return self.header.episode or self.path.stem

    @property
    def language(self) -> str:
        return self.header.language or "en"


@dataclass(frozen=True)
class _Work:
    """One episode for a worker: its text to parse (and check), and the languages to render."""

    path: Path
    source: str
    decoded: DecodedText
    #: The transcript is not vouched for (``_Episode.pending``): its errors refuse it.
    check: bool
    languages: tuple[str, ...]
    #: The episode's video when cues snap to its shot changes (``redbox build --video``, ``shots``).
    video: Path | None = None


@dataclass
class _Plan:
    """What is known about one episode in one language before anything is rendered."""

    language: str
    key: str | None
    targets: list[Path]
    #: Each target's bytes hash now (``None``: no such file).
    existing: list[str | None]
    #: The manifest's entry when its fingerprint matches; ``None`` when the output must be rendered.
    entry: OutputEntry | None
    render: bool


# ----------------------------------------------------------------------------- workers

_CONTEXT: tuple[Project, list[str], SubtitleOptions] | None = None


def _start_worker(project: Project, format_ids: list[str], options: SubtitleOptions) -> None:
    """Each worker keeps the run's settings; Ctrl-C and SIGTERM are the parent's to handle."""
    global _CONTEXT
    _CONTEXT = (project, format_ids, options)
    if multiprocessing.parent_process() is not None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _check_text(task: tuple[str, str]) -> tuple[Transcript, list[Problem]]:
    """A transcript's verdict for the build: its errors, and every problem when there are any.

    The build reports a transcript's problems only when it refuses it, and the prose rules
    (TRN030-TRN037) are warnings: a transcript is checked without them first (they were a
    tenth of a first build), and again with them only when it has errors to report.
    """
    text, source = task
    transcript, problems = check_transcript_text(text, source, prose=False)
    if any(problem.severity == "error" for problem in problems):
        return check_transcript_text(text, source)
    return transcript, problems


#: What rendering one episode in one language gives: each format's bytes and the warnings,
#: or the error that stopped it.
Rendered = tuple[dict[str, bytes], list[Problem]] | str
#: A worker's answer for one episode: every problem of a transcript it refused (then nothing
#: is rendered), else ``None`` and what each of its languages rendered, in order.
Done = tuple[list[Problem] | None, list[Rendered]]


def _work_one(task: _Work) -> Done:
    """Parse and check one episode's transcript, then render each of its languages."""
    assert _CONTEXT is not None
    project, format_ids, options = _CONTEXT
    # (a transcript with errors gets every problem, prose rules included; a clean one's are
    # not reported and skip them: _check_text)
    transcript, problems = _check_text((task.decoded.text, task.source))
    if task.check and any(problem.severity == "error" for problem in problems):
        return problems, []
    loaded = Loaded(task.path, task.source, transcript, problems, task.decoded)
    renders: list[Rendered] = []
    for language in task.languages:
        try:
            renders.append(render(project, loaded, language, format_ids, options, video=task.video))
        except ToolkitError as error:
            renders.append(str(error))
    return None, renders


class ProjectBuild:
    """The state of one ``build_project`` call."""

    def __init__(
        self, project: Project, format_ids: list[str], options: SubtitleOptions, *, check: bool,
        report: Callable[[str], None], on_read: OnRead, jobs: int, use_manifest: bool,
        video: Path | None = None,
    ) -> None:  # fmt: skip
        self.project = project
        #: A video, or a folder of ``<episode>.<ext>`` videos, whose shot changes cues snap to.
        self.video = video
        self.format_ids = format_ids
        self.options = options
        self.check = check
        self.report = report
        self.on_read = on_read
        self.jobs = max(1, jobs)
        self.use_manifest = use_manifest
        self.result = BuildResult()
        self.code = code_fingerprint() if use_manifest else ""
        self.manifest_bytes: bytes | None = None
        self.old = self._read_manifest()
        self.new = Manifest(self.code)
        self._executor: Executor | None = None

    # ------------------------------------------------------------------------- the run

    def run(self, progress: Progress) -> BuildResult:
        try:
            episodes = self._read_transcripts()
            self._add_project_errors(episodes)
            catalogs = self.project.catalog_languages()
            # Episodes are rendered a slice at a time, the next slice queued while this one's
            # outputs are written, and each episode's text and turns dropped once settled: a
            # build's memory stays flat however large the archive.
            starts = range(0, len(episodes), RENDER_SLICE)
            slices = [episodes[begin : begin + RENDER_SLICE] for begin in starts]
            queued = [self._queue_slice(part, catalogs) for part in slices[:1]]
            for position, path in enumerate(progress([one.path for one in episodes])):
                index, offset = divmod(position, RENDER_SLICE)
                if offset == 0 and index + 1 < len(slices):
                    queued.append(self._queue_slice(slices[index + 1], catalogs))
                plans, rendered = queued[index]
                one = slices[index][offset]
                assert one.path == path
                self._finish_episode(one, plans[offset], rendered)
                self._release(one)
                if offset == len(slices[index]) - 1:
                    queued[index] = ([], iter(()))
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
        self.result.orphaned = find_orphans(self.project, episode_languages(one.header for one in episodes))
        if not self.check and self.use_manifest:
            self._write_manifest()
        return self.result

    def _queue_slice(
        self, part: list[_Episode], catalogs: dict[str, list[str]]
    ) -> tuple[list[list[_Plan]], Iterator[Done]]:
        """Plan a slice of episodes and queue their work; the outcomes come in order."""
        for one in part:
            if one.pending and video_for(one.episode, self.video) is not None:
                # Checked here, before its video's shot changes are looked for: a refused
                # transcript's video is never read.
                self._set_loaded(one, *_check_text((one.decoded.text, one.source)))
        plans = [self._plan_pending(one, catalogs) for one in part]
        tasks: list[_Work] = []
        for one, plans_of in zip(part, plans, strict=True):
            languages = tuple(plan.language for plan in plans_of if plan.render)
            if languages or one.pending:
                video = video_for(one.episode, self.video)
                tasks.append(_Work(one.path, one.source, one.decoded, one.pending, languages, video))
        self.result.rendered += sum(len(task.languages) for task in tasks)
        self._detect_shots(tasks)
        return plans, self._map(_work_one, tasks)

    @staticmethod
    def _release(one: _Episode) -> None:
        """Keep of a settled episode only what the orphan rules read: its header."""
        one.header = replace(one.header, turns=())
        one.loaded = None
        one.decoded = replace(one.decoded, text="")

    def _map(self, function: Callable[[Task], Outcome], tasks: list[Task]) -> Iterator[Outcome]:
        """``map(function, tasks)``, in order, on the pool when there is enough work for one."""
        if self.jobs == 1 or len(tasks) < POOL_MIN_TASKS:
            _start_worker(self.project, self.format_ids, self.options)
            return map(function, tasks)
        if self._executor is None:
            context = (self.project, self.format_ids, self.options)
            self._executor = ProcessPoolExecutor(self.jobs, initializer=_start_worker, initargs=context)
        chunk = max(1, len(tasks) // (self.jobs * 8))
        return self._executor.map(function, tasks, chunksize=chunk)

    # ------------------------------------------------------------------- transcripts

    def _read_transcripts(self) -> list[_Episode]:
        """Every transcript read, decoded and hashed, with its header; none checked yet."""
        episodes: list[_Episode] = []
        for path in self.project.transcript_files():
            source = self.project.display(path)
            try:
                data = files.read_bytes(path)
                decoded = decode_text(data, str(path))
            except ToolkitError as error:
                self.result.failures.append(str(error))
                continue
            self.on_read(decoded, source)
            sha = digest(data)
            known = self.old.transcripts.get(source)
            if known is not None and known.sha == sha:
                episodes.append(_Episode(path, source, decoded, sha, known.header_only(source)))
            else:
                header = parse_header(decoded.text, source)
                episodes.append(_Episode(path, source, decoded, sha, header, pending=True))
        return episodes

    def _set_loaded(self, one: _Episode, transcript: Transcript, problems: list[Problem]) -> None:
        one.loaded = Loaded(one.path, one.source, transcript, problems, one.decoded)
        one.header = transcript
        one.errors = [problem for problem in problems if problem.severity == "error"]
        one.pending = False

    def _add_project_errors(self, episodes: list[_Episode]) -> None:
        """TRN014 on every transcript in the transcripts folder, as every command applies it."""
        folder = os.path.realpath(self.project.transcripts) + os.sep
        members = [one for one in episodes if os.path.realpath(one.path).startswith(folder)]
        across = duplicate_episode_problems([one.header for one in members])
        by_source: dict[str, list[Problem]] = {}
        for problem in across:
            by_source.setdefault(problem.source, []).append(problem)
        for one in members:
            mine = by_source.get(one.source)
            if not mine:
                continue
            if one.loaded is None or not one.errors:
                # The manifest's header, or a transcript checked without its prose warnings
                # (it had no errors): read it all, to report every problem.
                self._set_loaded(one, *check_transcript_text(one.decoded.text, one.source))
            assert one.loaded is not None
            one.loaded.problems = sorted(one.loaded.problems + mine, key=Problem.sort_key)
            one.errors = [problem for problem in one.loaded.problems if problem.severity == "error"]

    def _remember(self, one: _Episode) -> None:
        """Record a transcript that passes its own checks (TRN014 depends on the others: not its own)."""
        if one.loaded is None and not one.pending:
            self.new.transcripts[one.source] = self.old.transcripts[one.source]
        elif one.loaded is None or not any(p.severity == "error" and p.code != "TRN014"
                                           for p in one.loaded.problems):  # fmt: skip
            line = one.header.header_lines.get("episode", 0)
            self.new.transcripts[one.source] = TranscriptEntry(one.sha, one.header.episode,
                                                               one.header.language, line)  # fmt: skip

    # -------------------------------------------------------------------- outputs

    def _plan_pending(self, one: _Episode, catalogs: dict[str, list[str]]) -> list[_Plan]:
        """:meth:`_plan_episode`, also for a transcript not checked yet whose header it cannot read."""
        try:
            return self._plan_episode(one, catalogs)
        except ToolkitError:
            if not one.pending:
                raise
        # A header the plan cannot read (a language that is no BCP 47 tag): the transcript's
        # checks say why. Checked here, it is refused as a checked one is.
        self._set_loaded(one, *_check_text((one.decoded.text, one.source)))
        return self._plan_episode(one, catalogs)

    def _plan_episode(self, one: _Episode, catalogs: dict[str, list[str]]) -> list[_Plan]:
        if one.errors:
            return []
        return [self._plan(one, language) for language in _languages_of(one.episode, one.language, catalogs)]

    def _plan(self, one: _Episode, language: str) -> _Plan:
        key = self._fingerprint(one, language)
        try:
            targets = [self.project.subtitle_path(one.episode, language, format_id, one.source)
                       for format_id in self.format_ids]  # fmt: skip
        except ToolkitError:
            return _Plan(language, None, [], [], None, True)  # rendering reports it
        existing = [_hash_of(target) for target in targets]
        entry = self.old.outputs.get(_output_key(one.source, language)) if key else None
        names = [self.project.display(target) for target in targets]
        if entry is None or entry.inputs != key or sorted(entry.files) != sorted(names):
            return _Plan(language, key, targets, existing, None, True)
        up_to_date = all(entry.files[name] == sha for name, sha in zip(names, existing, strict=True))
        # With --check a changed file is stale whatever it holds: nothing to render.
        return _Plan(language, key, targets, existing, entry, not (up_to_date or self.check))

    def _fingerprint(self, one: _Episode, language: str) -> str | None:
        """The hash of everything that shapes this output; ``None`` when the manifest is off."""
        if not self.use_manifest:
            return None
        options = with_rate(self.options, self.project.config, one.language)
        parts: list[object] = [one.sha, one.source, language, self.format_ids, repr(options)]
        if base_language(language) != base_language(one.language):
            try:
                line = one.header.header_lines.get("episode", 0)
                catalog = self.project.catalog_path(language, one.episode, one.source, line)
                parts.append(digest(files.read_bytes(catalog)))
            except ToolkitError:
                return None  # rendering reports it
        timings = Path(timings_path(one.path))
        if files.modified_ns(timings) is not None:
            try:
                parts.append(digest(files.read_bytes(timings)))
            except ToolkitError:
                return None
        else:
            parts.append(None)
        # The styled formats' speaker colours, and the video whose shot changes the cues snap to.
        parts.append(sorted(self.project.config.colours.items()))
        video = video_for(one.episode, self.video)
        parts.append(None if video is None else (str(video), files.size_and_time(video)))
        return inputs_fingerprint(parts)

    def _detect_shots(self, tasks: list[_Work]) -> None:
        """Each video's shot changes found once, here, before the workers read them from the cache."""
        from toolkit.video.shots import load_shots

        seen: set[Path] = set()
        for task in tasks:
            if task.video is not None and task.path not in seen:
                seen.add(task.path)
                try:
                    load_shots(task.video, task.path, self.project.display(task.video))
                except ToolkitError:
                    continue  # rendering reports it, for this episode only

    def _finish_episode(self, one: _Episode, plans: list[_Plan], done: Iterator[Done]) -> None:
        """Report, compare and write one episode's outputs, as a serial build does."""
        renders: Iterator[Rendered] = iter(())
        if one.pending or any(plan.render for plan in plans):
            problems, rendered = next(done)
            renders = iter(rendered)
            if problems is not None:  # the worker refused it
                self.result.rendered -= sum(plan.render for plan in plans)
                self._set_loaded(one, one.header, problems)
        self._remember(one)
        if one.errors:
            assert one.loaded is not None
            self.report(format_text(one.loaded.problems))
            self.result.failures.append(refusal(one.loaded, "not built"))
            return
        reported: set[Problem] = set()
        for plan in plans:
            outputs: dict[str, bytes] | None = None
            if plan.render:
                outcome = next(renders)
                if isinstance(outcome, str):
                    self.result.failures.append(outcome)
                    continue
                outputs, warnings = outcome
            else:
                assert plan.entry is not None
                warnings = list(plan.entry.warnings)
            if warnings:
                # Timing warnings are the same for every language: say them once.
                fresh = [warning for warning in warnings if warning not in reported]
                reported.update(fresh)
                if fresh:
                    self.report(format_text(fresh))
                if self.options.strict:
                    self.result.failures.append(
                        f"{one.source}: {plan.language}: warnings found and --strict is on; not built"
                    )
                    continue
            self._settle(one, plan, outputs, warnings)

    def _settle(self, one: _Episode, plan: _Plan, outputs: dict[str, bytes] | None,
                warnings: list[Problem]) -> None:  # fmt: skip
        """Compare (and write) each format's file; record the output when every file matches."""
        hashes: dict[str, str] = {}
        for index, target in enumerate(plan.targets):
            existing = plan.existing[index]
            if outputs is None:
                assert plan.entry is not None
                wanted = plan.entry.files[self.project.display(target)]
            else:
                data = outputs[self.format_ids[index]]
                wanted = digest(data)
            if existing == wanted:
                self.result.current.append(target)
            elif self.check:
                self.result.stale.append((target, "missing" if existing is None else "stale"))
            else:
                assert outputs is not None
                try:
                    files.write_bytes_atomic(target, outputs[self.format_ids[index]], durable=False)
                except ToolkitError as error:
                    self.result.failures.append(f"{self.project.display(target)}: {error.message}")
                    continue
                self.result.written.append(target)
            hashes[self.project.display(target)] = wanted
        if plan.key is not None and len(hashes) == len(plan.targets):
            entry = OutputEntry(plan.key, hashes, tuple(warnings))
            self.new.outputs[_output_key(one.source, plan.language)] = entry

    # -------------------------------------------------------------------- manifest

    def _read_manifest(self) -> Manifest:
        if not self.use_manifest:
            return Manifest("")
        try:
            self.manifest_bytes = files.read_bytes(manifest_path(self.project))
        except ToolkitError:
            return Manifest(self.code)
        return parse_manifest(self.manifest_bytes, self.code)

    def _write_manifest(self) -> None:
        data = self.new.to_bytes()
        if data == self.manifest_bytes or (self.manifest_bytes is None and not self.new.outputs):
            return  # unchanged, or nothing built: a refused build leaves the project as it was
        path = manifest_path(self.project)
        try:
            files.write_bytes_atomic(path, data)
        except ToolkitError as error:  # a cache: the build's outputs are right without it
            self.report(f"{self.project.display(path)}: note: build manifest not saved ({error.message})")


def _output_key(source: str, language: str) -> str:
    return f"{source}|{language}"


def _hash_of(path: Path) -> str | None:
    try:
        return digest(files.read_bytes(path))
    except ToolkitError:
        return None

