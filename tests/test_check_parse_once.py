"""``redbox check`` parses a transcript for its catalogs only when a catalog is out of date.

The first pass takes a digest of each transcript's turns (:func:`turn_facts`); a catalog
whose turns have that digest, each under its own id, is up to date, and the transcript is
not read and parsed again for it. Any other catalog gets the transcript parsed again, and
the same ``CAT013`` warnings as comparing it with the parsed transcript.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.interpreted import patching
from toolkit import checking, transcript, validate
from toolkit.catalog.checks import check_catalog_bytes
from toolkit.catalog.po_read import parse_po
from toolkit.catalog.translate import matches_every_turn, turn_facts, turns_digest
from toolkit.model import Problem, Transcript
from toolkit.project import find_project

SLUG = "misunderstandings-and-stereotypes"
CATALOG = Path("locales") / "ko" / "LC_MESSAGES" / f"{SLUG}.po"
TRANSCRIPT = Path("transcripts") / f"{SLUG}.txt"


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    parse = transcript.parse_transcript

    def counted(text: str, source: str) -> tuple[Transcript, list[Problem]]:
        parsed.append(source)
        return parse(text, source)

    for module in (checking, validate):
        monkeypatch.setattr(module, "parse_transcript", counted)
    return parsed


def _check(project: Path) -> list[Problem]:
    return checking.check_paths(find_project(project), [], lambda decoded, source: None).problems


@patching(checking, validate)
def test_an_up_to_date_catalog_does_not_parse_its_transcript_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _count_parses(monkeypatch)
    problems = _check(project)
    # Once for what the cross-file rules need, once for its own check (main: three times,
    # the third for its catalog).
    assert parsed == [str(TRANSCRIPT)] * 2
    assert not [problem for problem in problems if problem.code == "CAT013"]


def _edit_turn(text: str) -> str:
    lines = text.split("\n")
    at = next(index for index, line in enumerate(lines) if line.startswith("Joy:"))
    lines[at] += " And one more thing."
    return "\n".join(lines)


def _drop_turn(text: str) -> str:
    lines = text.split("\n")
    at = [index for index, line in enumerate(lines) if line.startswith("Joy:")][-1]
    return "\n".join(lines[:at] + lines[at + 1:])


def _new_speaker(text: str) -> str:
    return text.replace("\nJoy:", "\nNewcomer:", 1)


@patching(checking, validate)
@pytest.mark.parametrize("change", [_edit_turn, _drop_turn, _new_speaker])
def test_an_out_of_date_catalog_is_compared_with_its_transcript(
    project: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[str], str]
) -> None:
    path = project / TRANSCRIPT
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    parsed = _count_parses(monkeypatch)
    stale = [problem for problem in _check(project) if problem.code == "CAT013"]
    assert stale and len(parsed) == 3  # parsed again for the catalog, which says what changed
    text = path.read_text(encoding="utf-8")
    parsed_now = transcript.parse_transcript(text, str(TRANSCRIPT))[0]
    data = (project / CATALOG).read_bytes()
    by_comparing = check_catalog_bytes(data, str(CATALOG), transcripts={SLUG: parsed_now})
    assert [problem for problem in by_comparing if problem.code == "CAT013"] == stale


def _catalog_and_transcript() -> tuple[bytes, Transcript]:
    root = Path(__file__).resolve().parents[1]
    text = (root / TRANSCRIPT).read_text(encoding="utf-8")
    return (root / CATALOG).read_bytes(), transcript.parse_transcript(text, str(TRANSCRIPT))[0]


def test_the_digest_gives_what_comparing_gives_on_the_shipped_catalog() -> None:
    data, parsed = _catalog_and_transcript()
    facts = {SLUG: turn_facts(parsed)}
    with_facts = check_catalog_bytes(data, str(CATALOG), transcripts={}, facts=facts)
    assert with_facts == check_catalog_bytes(data, str(CATALOG), transcripts={SLUG: parsed})
    assert matches_every_turn(parse_po(data, str(CATALOG)), facts[SLUG])


def test_a_catalog_with_a_turn_twice_is_compared_with_the_transcript() -> None:
    data, parsed = _catalog_and_transcript()
    text = data.decode("utf-8")
    blocks = text.rstrip("\n").split("\n\n")
    turn = next(block for block in blocks if f'msgctxt "{SLUG}/' in block)
    again = turn.replace('msgid "', 'msgid "Once more. ', 1)  # (the same id, another text)
    twice = (text.rstrip("\n") + "\n\n" + again + "\n").encode("utf-8")
    po = parse_po(twice, str(CATALOG))
    assert not matches_every_turn(po, turn_facts(parsed))  # one id twice: not the fast path
    with_facts = check_catalog_bytes(twice, str(CATALOG), transcripts={SLUG: parsed},
                                     facts={SLUG: turn_facts(parsed)})  # fmt: skip
    assert with_facts == check_catalog_bytes(twice, str(CATALOG), transcripts={SLUG: parsed})


def test_the_digest_tells_speaker_and_text_apart() -> None:
    assert turns_digest([("Joy", "a b")]) != turns_digest([("Joy a", "b")])
    assert turns_digest([("Joy", "Hi.")]) == turns_digest([("Joy", "Hi.")])
    both = [("Joy", "Hi."), ("Dasom", "Yes.")]
    assert turns_digest(both) != turns_digest(both[::-1])
