"""Benchmark: ``redbox catalog update`` vs ``msgmerge --previous`` vs ``pybabel update --previous``.

Run on demand (never collected by pytest)::

    .venv/bin/python tests/benchmarks/bench_catalog.py                  # 1,000 / 5,000 / 20,000
    .venv/bin/python tests/benchmarks/bench_catalog.py --sizes 1000 --pybabel-max 0

For each size N it builds a transcript of N turns from real English sentences (the
docstrings of the Python standard library and installed packages, cached in
``--cache``), a template and a Korean catalog with ~90 % of the turns translated
(stand-in Hangul, one "translation" per turn). Then 5 % of the turns are removed, 5 %
edited once (a word replaced or deleted, a filler inserted, or the end punctuation
changed) and 5 % new sentences inserted at random places. The Korean catalog is first
brought up to date with the old transcript by ``redbox catalog update`` (so it carries
the turns' budget comments and flags, as a project's catalog does); ``--first-update``
starts from one without them instead (the first update after upgrading redbox, which
rewrites every turn message). The same ``old.po`` and
``new.pot`` (with the turn ids redbox assigns) go to every tool:

- redbox: the whole ``python -m toolkit catalog update`` command (transcript parse,
  extract, update, write), in a copy of the project layout, with the package
  byte-compiled as an installed one is; the median of ``--repeat`` runs (5 by default),
  each from the same files (all of them are in the JSON row, as ``cpu_runs``);
- ``msgmerge --previous --no-wrap`` with ``OMP_NUM_THREADS=1``;
- ``pybabel update --previous --no-wrap`` (Babel's fuzzy matching), up to ``--pybabel-max``.

Times are CPU seconds (user + sys of the child process). Each output is read back with
Babel and scored against the known truth: unchanged lines with their own translation,
edited lines carrying their own / another line's / no translation, new lines given a
(necessarily wrong) guess; and checked with ``msgcat`` for valid PO syntax.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import io
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

import toolkit
from toolkit import catalog
from toolkit.model import Transcript, Turn
from toolkit.transcript import parse_transcript
from toolkit.transcript_write import format_transcript

EPISODE = "bench"
DATE = "2026-11-26 12:00+0000"
SPEAKERS = ["Joy", "Jeongyol", "Dasom", "Ilhyeok", "All"]
FILLERS = ["um, ", "you know, ", "well, ", "I mean, "]
_SENTENCE = re.compile(r"^[A-Z][A-Za-z0-9 ,.'?!-]+[.?!]$")


def harvest_sentences(cache: Path, wanted: int) -> list[str]:
    """Real English sentences from installed docstrings (cached: the scan takes a while)."""
    if cache.exists():
        sentences = json.loads(cache.read_text(encoding="utf-8"))
        if len(sentences) >= wanted:
            return list(sentences)
    found: set[str] = set()
    paths = sysconfig.get_paths()
    for root in (Path(paths["stdlib"]), Path(paths["purelib"])):
        for path in sorted(root.rglob("*.py")):
            relative = str(path.relative_to(root))
            if "test" in relative or "idlelib" in relative:
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    tree = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError, ValueError):
                continue
            for node in ast.walk(tree):
                if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                doc = ast.get_docstring(node)
                if not doc:
                    continue
                for sentence in re.split(r"(?<=[.?!])\s+", " ".join(doc.split())):
                    if (
                        4 <= len(sentence.split()) <= 40
                        and _SENTENCE.match(sentence)
                        and ".." not in sentence
                    ):
                        found.add(sentence)
            if len(found) >= wanted * 2:
                break
    ordered = sorted(found)
    random.Random(20261126).shuffle(ordered)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(ordered), encoding="utf-8")
    if len(ordered) < wanted:
        raise SystemExit(f"only {len(ordered)} sentences found, {wanted} needed")
    return ordered


def fake_korean(text: str) -> str:
    """A deterministic stand-in translation: ~0.7 Hangul words per English word, end punctuation kept."""
    words = text.split()
    out = []
    for index, word in enumerate(words[: max(1, round(len(words) * 0.7))]):
        digest = hashlib.blake2b(f"{text}|{index}|{word}".encode(), digest_size=4).digest()
        length = 1 + digest[0] % 3
        out.append("".join(chr(0xAC00 + (digest[1 + i] * 97 + i * 131) % 11172) for i in range(length)))
    return " ".join(out) + (text[-1] if text[-1] in ".?!" else "")


@dataclass
class Truth:
    """What each new turn is: ``origin`` old index (None when new) and whether it was edited."""

    origin: int | None
    edited: bool


def edit_once(text: str, rng: random.Random) -> str:
    words = text.split()
    kind = rng.randrange(4)
    if kind == 0:
        words[rng.randrange(len(words))] = rng.choice(["really", "often", "people", "something", "later"])
    elif kind == 1 and len(words) > 4:
        del words[rng.randrange(1, len(words) - 1)]
    elif kind == 2:
        position = rng.randrange(1, len(words))
        words.insert(position, rng.choice(["um,", "like,", "actually"]))
    else:
        ending = text[-1]
        return text[:-1] + ("?" if ending != "?" else "!")
    return " ".join(words)


def build(
    size: int, sentences: list[str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[Truth]]:
    rng = random.Random(size)
    pool = iter(sentences)
    old = []
    for index in range(size):
        text = next(pool)
        if rng.random() < 0.1:
            text = rng.choice(FILLERS).capitalize() + text[0].lower() + text[1:]
        old.append((SPEAKERS[index % len(SPEAKERS)], text))
    twentieth = size // 20
    removed = set(rng.sample(range(size), twentieth))
    survivors = [index for index in range(size) if index not in removed]
    edited = set(rng.sample(survivors, twentieth))
    new: list[tuple[str, str]] = []
    truth: list[Truth] = []
    for index in survivors:
        speaker, text = old[index]
        if index in edited:
            changed = edit_once(text, rng)
            while changed == text:
                changed = edit_once(text, rng)
            text = changed
        new.append((speaker, text))
        truth.append(Truth(index, index in edited))
    for _ in range(twentieth):
        position = rng.randrange(len(new) + 1)
        new.insert(position, (rng.choice(SPEAKERS), next(pool)))
        truth.insert(position, Truth(None, False))
    return old, new, truth


def transcript_of(turns: list[tuple[str, str]]) -> Transcript:
    header = (
        ("title", "Benchmark"),
        ("episode", EPISODE),
        ("language", "en"),
        ("speakers", ", ".join(SPEAKERS)),
    )
    return Transcript(
        source=f"transcripts/{EPISODE}.txt",
        header=header,
        turns=tuple(Turn(speaker, text, line=index + 1) for index, (speaker, text) in enumerate(turns)),
    )


def compile_package() -> None:
    """Byte-compile redbox as pip does when it installs a package.

    An editable checkout is compiled on its first run and the bytecode reused after
    that, unless ``PYTHONDONTWRITEBYTECODE`` is set (as on the machine these figures
    come from); then every run would compile the whole package again (about 0.03 s).
    """
    package = Path(toolkit.__file__).parent
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True, env=environment)


def run_cpu(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """CPU seconds (user + sys) and wall seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def score(
    output: bytes,
    template: catalog.PoFile,
    truth: list[Truth],
    old: list[tuple[str, str]],
    translated: set[int],
) -> dict[str, int]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = read_po(io.BytesIO(output))
    counts = dict.fromkeys(
        [
            "unchanged_ok",
            "unchanged_total",
            "edited_own",
            "edited_wrong",
            "edited_lost",
            "edited_total",
            "edited_not_fuzzy",
            "new_guessed",
            "new_total",
            "translated",
            "fuzzy",
            "untranslated",
        ],
        0,
    )
    for entry, fact in zip(template.turn_entries(), truth, strict=True):
        message = result.get(entry.msgid, context=entry.msgctxt)
        string = message.string if message is not None and isinstance(message.string, str) else ""
        fuzzy = message is not None and message.fuzzy
        counts["translated" if string and not fuzzy else "fuzzy" if string else "untranslated"] += 1
        if fact.origin is None:
            counts["new_total"] += 1
            counts["new_guessed"] += bool(string)
        elif fact.origin not in translated:
            continue
        elif fact.edited:
            counts["edited_total"] += 1
            own = fake_korean(old[fact.origin][1])
            if string == own:
                counts["edited_own"] += 1
                counts["edited_not_fuzzy"] += not fuzzy
            elif string:
                counts["edited_wrong"] += 1
            else:
                counts["edited_lost"] += 1
        else:
            counts["unchanged_total"] += 1
            counts["unchanged_ok"] += string == fake_korean(old[fact.origin][1]) and not fuzzy
    return counts


def valid_po(path: Path) -> bool:
    return (
        subprocess.run(["msgcat", "-o", "/dev/null", str(path)], capture_output=True, check=False).returncode
        == 0
    )


def bench_size(
    size: int,
    sentences: list[str],
    pybabel_max: int,
    work: Path,
    redbox_only: bool = False,
    repeat: int = 1,
    first_update: bool = False,
) -> list[dict[str, object]]:
    old, new, truth = build(size, sentences)
    old_transcript = transcript_of(old)
    old_template = catalog.extract(old_transcript, creation_date=DATE)
    rng = random.Random(size + 1)
    translated = {index for index in range(size) if rng.random() < 0.9}
    po = catalog.init(old_template, "ko", revision_date=DATE)
    by_key = {entry.key: fake_korean(entry.msgid) for entry in po.turn_entries()}
    keys = [entry.key for entry in po.turn_entries()]
    po = catalog.fill_translations(po, {keys[index]: by_key[keys[index]] for index in translated})
    new_transcript_text = format_transcript(transcript_of(new))
    parsed, _ = parse_transcript(new_transcript_text, f"transcripts/{EPISODE}.txt")
    assert [(t.speaker, t.text) for t in parsed.turns] == new, (
        "the transcript format changed the benchmark text"
    )
    new_template = catalog.extract(parsed, previous=old_template, creation_date=DATE)

    folder = work / str(size)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "transcripts").mkdir(parents=True)
    (folder / "locales" / "ko" / "LC_MESSAGES").mkdir(parents=True)
    (folder / "locales" / f"{EPISODE}.pot").write_bytes(catalog.write_po(old_template))
    po_path = folder / "locales" / "ko" / "LC_MESSAGES" / f"{EPISODE}.po"
    po_path.write_bytes(catalog.write_po(po))
    environment = dict(os.environ, SOURCE_DATE_EPOCH="1764158400")
    compile_package()
    if not first_update:
        # The catalog as the previous `catalog update` left it (budget comments and flags of
        # the old transcript's turns): the state a translator's project is in.
        (folder / "transcripts" / f"{EPISODE}.txt").write_text(
            format_transcript(old_transcript), encoding="utf-8"
        )
        command = [sys.executable, "-m", "toolkit", "catalog", "update"]
        subprocess.run(command, cwd=folder, env=environment, check=True, capture_output=True)
    (folder / "transcripts" / f"{EPISODE}.txt").write_text(new_transcript_text, encoding="utf-8")
    (folder / "old.po").write_bytes(po_path.read_bytes())
    (folder / "old.pot").write_bytes(catalog.write_po(old_template))
    (folder / "new.pot").write_bytes(catalog.write_po(new_template))
    rows: list[dict[str, object]] = []

    def record(tool: str, cpu: float, wall: float, output: Path) -> None:
        row: dict[str, object] = {
            "tool": tool,
            "size": size,
            "cpu_s": round(cpu, 3),
            "wall_s": round(wall, 3),
        }
        row.update(score(output.read_bytes(), new_template, truth, old, translated))
        row["valid_po"] = valid_po(output)
        rows.append(row)
        print(json.dumps(row), flush=True)

    runs: list[tuple[float, float]] = []
    for _ in range(repeat):
        # Every run starts from the same files (update rewrites both).
        shutil.copy(folder / "old.po", po_path)
        shutil.copy(folder / "old.pot", folder / "locales" / f"{EPISODE}.pot")
        runs.append(run_cpu([sys.executable, "-m", "toolkit", "catalog", "update"], folder, environment))
    cpu, wall = sorted(runs)[len(runs) // 2]  # the median run by CPU time
    record("redbox catalog update", cpu, wall, po_path)
    rows[-1]["cpu_runs"] = sorted(round(run_cpu_s, 3) for run_cpu_s, _ in runs)
    if redbox_only:
        return rows

    environment = dict(os.environ, OMP_NUM_THREADS="1")
    command = ["msgmerge", "--previous", "--no-wrap", "--quiet", "-o", "msgmerge.po", "old.po", "new.pot"]
    cpu, wall = run_cpu(command, folder, environment)
    record("msgmerge --previous (1 thread)", cpu, wall, folder / "msgmerge.po")

    if size <= pybabel_max:
        shutil.copy(folder / "old.po", folder / "pybabel.po")
        pybabel = str(Path(sys.executable).with_name("pybabel"))
        command = [
            pybabel,
            "update",
            "--previous",
            "--no-wrap",
            "-l",
            "ko",
            "-i",
            "new.pot",
            "-o",
            "pybabel.po",
        ]
        cpu, wall = run_cpu(command, folder)
        record("pybabel update --previous", cpu, wall, folder / "pybabel.po")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--pybabel-max", type=int, default=5000, help="largest size pybabel runs at")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "redbox-bench-sentences.json"
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "redbox-bench-catalog")
    parser.add_argument("--redbox-only", action="store_true", help="skip msgmerge and pybabel")
    parser.add_argument(
        "--repeat", type=int, default=5, help="redbox runs per size; the median CPU time is reported"
    )
    parser.add_argument("--out", type=Path, default=None, help="write every row as JSON here")
    parser.add_argument(
        "--first-update",
        action="store_true",
        help="start from a catalog without budgets (the first update after upgrading redbox)",
    )
    arguments = parser.parse_args()
    sentences = harvest_sentences(arguments.cache, max(arguments.sizes) * 2)
    rows = []
    for size in arguments.sizes:
        rows += bench_size(
            size,
            sentences,
            arguments.pybabel_max,
            arguments.work,
            arguments.redbox_only,
            max(1, arguments.repeat),
            arguments.first_update,
        )
    print()
    columns = [
        "tool",
        "N",
        "CPU s",
        "wall s",
        "unchanged kept",
        "edited: own / wrong / lost",
        "new guessed",
        "valid PO",
    ]
    print("| " + " | ".join(columns) + " |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['tool']} | {row['size']} | {row['cpu_s']} | {row['wall_s']} | "
            f"{row['unchanged_ok']}/{row['unchanged_total']} | "
            f"{row['edited_own']} / {row['edited_wrong']} / {row['edited_lost']} of {row['edited_total']} | "
            f"{row['new_guessed']} of {row['new_total']} | {'yes' if row['valid_po'] else 'no'} |"
        )
    if arguments.out:
        arguments.out.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
