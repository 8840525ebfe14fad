"""Generated archives for the benchmarks: N episodes of 40 turns made of the sample's sentences.

``generate`` writes the transcripts (five speakers, an anchor every tenth turn, as
``bench_build.py`` always did); ``add_korean`` gives every episode a Korean catalog whose
turns hold sentences of the sample's Korean translation, so that a build writes four files an
episode and the tree holds seven (transcript, template, catalog, two formats in two languages).
"""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

from tests.benchmarks.measure import REDBOX, ROOT

TURNS_PER_EPISODE = 40
CAST = ("Joy", "Dasom", "Jeongyol", "Ilhyeok", "All")
SAMPLE = "misunderstandings-and-stereotypes"


def sample_sentences() -> list[str]:
    text = (ROOT / "transcripts" / f"{SAMPLE}.txt").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    sentences: list[str] = []
    for line in body.splitlines():
        line = re.sub(r"^\w+:\s*", "", line.strip())
        sentences.extend(part for part in re.split(r"(?<=[.?!])\s+", line) if part)
    return sentences


def generate(folder: Path, episodes: int, *, cast: tuple[str, ...] = CAST, seed: int = 20261126,
             own_casts: int = 0) -> int:  # fmt: skip
    """Write ``episodes`` transcripts into ``folder``; return the number of turns.

    With ``own_casts``, every episode has a cast of that many names of its own (made-up
    two-syllable names), as an archive of interviews with different guests has.
    """
    sentences = sample_sentences()
    chooser = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    turns = 0
    for number in range(episodes):
        if own_casts:
            cast = tuple(made_up_name(chooser) for _ in range(own_casts))
        slug = f"episode-{number:04d}"
        lines = ["---", f"title: Generated episode {number}", f"episode: {slug}", "language: en",
                 f"speakers: {', '.join(cast)}", "---"]  # fmt: skip
        clock = 0
        for turn in range(TURNS_PER_EPISODE):
            # Every cast member speaks (a silent one is a warning, not what is measured).
            speaker = cast[turn] if turn < len(cast) else chooser.choice(cast)
            text = " ".join(chooser.choice(sentences) for _ in range(chooser.randint(1, 4)))
            if turn % 10 == 0:
                clock += chooser.randint(90, 150)
                stamp = f"[{clock // 3600:02d}:{clock // 60 % 60:02d}:{clock % 60:02d}] "
            else:
                stamp = ""
            lines.append(f"{stamp}{speaker}: {text}")
            turns += 1
        (folder / f"{slug}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return turns


def made_up_name(chooser: random.Random) -> str:
    """A name such as ``Hamiro``: three consonant-vowel syllables, rarely one edit from another."""
    return "".join(chooser.choice("bcdfghjklmnprstvwz") + chooser.choice("aeiou") for _ in range(3)).title()


def _korean_of_sample() -> tuple[dict[str, str], list[str]]:
    """The sample catalog's speaker names and its translated sentences."""
    text = (ROOT / "locales" / "ko" / "LC_MESSAGES" / f"{SAMPLE}.po").read_text(encoding="utf-8")
    names = dict(re.findall(r'msgctxt "speaker"\nmsgid "(.*)"\nmsgstr "(.*)"', text))
    sentences: list[str] = []
    for block in text.split("\n\n"):
        if "msgstr" not in block or 'msgctxt "speaker"' in block or 'msgid ""\n"Project' in block:
            continue
        found = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1]))
        found = found.replace("\\n", " ").replace('\\"', '"')
        parts = re.split(r"(?<=[.?!다요])\s+", found)
        sentences.extend(part for part in parts if re.search("[\uac00-\ud7a3]", part))
    return names, sentences


def add_korean(root: Path, seed: int = 7) -> None:
    """``redbox catalog init ko`` in ``root``, then every turn given Korean sentences."""
    subprocess.run([REDBOX, "catalog", "init", "ko"], cwd=root, check=True, capture_output=True)
    names, sentences = _korean_of_sample()
    chooser = random.Random(seed)
    for path in sorted((root / "locales").rglob("*.po")):
        blocks = path.read_text(encoding="utf-8").split("\n\n")
        for index, block in enumerate(blocks):
            if not block.endswith('msgstr ""') or block.startswith('msgid ""'):
                continue
            if 'msgctxt "speaker"' in block:
                name = re.search(r'msgid "(.*)"', block)
                translation = names.get(name.group(1), "") if name else ""
            else:
                translation = " ".join(chooser.choice(sentences) for _ in range(chooser.randint(1, 3)))
            blocks[index] = block[: -len('""')] + '"' + translation.replace('"', '\\"') + '"'
        path.write_text("\n\n".join(blocks), encoding="utf-8")
