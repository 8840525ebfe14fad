"""The shortcuts ``redbox catalog update`` takes to the budgets give what the general code gives.

- :func:`toolkit.catalog.budget.estimated_lengths` against the slots of
  :func:`toolkit.timing.plan_turn_slots` (Hypothesis, and the project's real transcripts);
- :func:`toolkit.catalog.budget.budgeted_template` budgeting the template in place against
  budgeting copies of its messages;
- a project with catalogs in two languages updated at once against one language at a time
  (the first language's budgets must not leak into the second's).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SAMPLE_TRANSCRIPT
from toolkit import catalog, naming
from toolkit.catalog import budget
from toolkit.cli import cli
from toolkit.errors import ToolkitError
from toolkit.model import Transcript, Turn
from toolkit.timing import TimingOptions, plan_turn_slots
from toolkit.transcript import parse_transcript

_TEXTS = st.one_of(
    st.sampled_from(
        [
            "Welcome to the Red Box!",
            "Right.",
            "It’s “fine” — really…",  # curly quotes and a dash: not ASCII, still one unit each
            "안녕하세요. 저는 조이예요.",
            "Two\nlines",
            "Tab\there",
            "No\u00a0break",
            " ",
            "x",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40),
)


@st.composite
def _transcripts(draw: st.DrawFn) -> Transcript:
    language = draw(st.sampled_from(["en", "ko", "ko-KR", "fr", None]))
    header = (("language", language),) if language else ()
    turns = []
    clock = 0
    for line in range(draw(st.integers(0, 12))):
        anchor = None
        if draw(st.integers(0, 5)) == 0:  # now and then an anchored turn
            clock += draw(st.integers(0, 30_000))
            anchor = clock
        turns.append(Turn("Joy", draw(_TEXTS), line + 1, anchor_ms=anchor))
    return Transcript("episode.txt", header, tuple(turns))


_OPTIONS = st.builds(
    TimingOptions,
    rate=st.one_of(st.none(), st.sampled_from([6.5, 14.0, 15.0, 17.3])),
    start_ms=st.integers(0, 100_000),
    duration_ms=st.one_of(st.none(), st.none(), st.integers(1, 3_600_000)),
    pause_ms=st.integers(0, 2000),
)


def _general(transcript: Transcript, options: TimingOptions) -> list[int]:
    return [slot.end_ms - slot.start_ms for slot in plan_turn_slots(transcript, options)]


@settings(max_examples=400, deadline=None)
@given(_transcripts(), _OPTIONS)
def test_estimated_lengths_are_the_lengths_of_the_planned_slots(
    transcript: Transcript, options: TimingOptions
) -> None:
    assert budget.estimated_lengths(transcript, options) == _general(transcript, options)


def _real_transcripts() -> list[Path]:
    return sorted((ROOT / "transcripts").glob("*.txt")) + sorted((ROOT / "tests" / "data").rglob("*.txt"))


@pytest.mark.parametrize("path", _real_transcripts(), ids=lambda path: path.name)
def test_estimated_lengths_of_real_transcripts(path: Path) -> None:
    try:
        transcript, _ = parse_transcript(path.read_text(encoding="utf-8"), path.name)
    except ToolkitError:  # not every text file under tests/data is a transcript
        pytest.skip("not a transcript")
    for options in (TimingOptions(), TimingOptions(rate=6.5, pause_ms=0), TimingOptions(start_ms=12_345)):
        assert budget.estimated_lengths(transcript, options) == _general(transcript, options)


def _sample() -> Transcript:
    return parse_transcript(SAMPLE_TRANSCRIPT.read_text(encoding="utf-8"), "sample.txt")[0]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_budgeting_the_template_in_place_gives_what_copies_give(language: str) -> None:
    transcript = _sample()
    budgets = budget.length_budgets(budget.estimated_lengths(transcript, TimingOptions()), language)

    def fresh() -> tuple[catalog.PoFile, list[bytes]]:
        template = catalog.extract(transcript, creation_date="2026-11-30 00:00+0000")
        return template, catalog.encoded_messages(template)

    original, original_messages = fresh()
    copied_template, copied = budget.budgeted_template(original, transcript, budgets, original_messages)
    template, messages = fresh()
    in_place_template, in_place = budget.budgeted_template(
        template, transcript, budgets, messages, in_place=True
    )
    assert in_place == copied
    assert catalog.write_po(in_place_template) == catalog.write_po(copied_template)
    # The template's own messages took the budgets: no copy was made.
    assert all(new is old for new, old in zip(in_place_template.entries, template.entries, strict=True))
    assert catalog.write_po(template) == catalog.write_po(copied_template)


def _update(runner: CliRunner, *options: str) -> None:
    result = runner.invoke(cli, ["catalog", "update", *options])
    assert result.exit_code == 0, result.output


def test_two_languages_updated_at_once_get_what_each_gets_alone(runner: CliRunner, project: Path) -> None:
    """The last language budgets the template in place: the one before must not see its budgets."""
    assert runner.invoke(cli, ["catalog", "init", "en"]).exit_code == 0
    transcript = project / "transcripts" / f"{SAMPLE_TRANSCRIPT.stem}.txt"
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text.replace("think like that.", "think that way."), encoding="utf-8")
    catalogs = sorted((project / "locales").glob("*/LC_MESSAGES/*.po"))
    assert len(catalogs) == 2
    before = {path: path.read_bytes() for path in catalogs}
    _update(runner)
    together = {path: path.read_bytes() for path in catalogs}
    alone = {}
    for path in catalogs:
        for other, data in before.items():
            other.write_bytes(data)
        _update(runner, "--lang", path.parent.parent.name)
        alone[path] = path.read_bytes()
    assert together == alone
    assert all(b"#, max-length:" in data for data in together.values())
    assert together != before


# ------------------------------------------------------------- language tags without Babel


def _babel_canonical(tag: str) -> str | None:
    """What :func:`toolkit.naming._canonical` gave before its shortcut: Babel decides every tag."""
    from babel import Locale, UnknownLocaleError

    match = naming._TAG_SHAPE.match(tag.strip())
    if not match:
        return None
    language, script, region = match.groups()
    canonical = language.lower()
    if script:
        canonical += "-" + script.title()
    if region:
        canonical += "-" + region.upper()
    try:
        Locale.parse(canonical, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    return canonical


def _locale_data_names() -> list[str]:
    import babel

    return sorted(path.stem for path in (Path(babel.__file__).parent / "locale-data").glob("*.dat"))


def test_every_locale_babel_has_data_for_is_known_as_babel_knows_it() -> None:
    names = _locale_data_names()
    assert len(names) > 500
    for name in names:
        for spelling in (name, name.replace("_", "-"), name.upper(), name.lower()):
            assert naming._canonical.__wrapped__(spelling) == _babel_canonical(spelling), spelling


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(r"[a-zA-Z]{2,3}([-_][a-zA-Z]{4})?([-_]([a-zA-Z]{2}|[0-9]{3}))?", fullmatch=True)
    | st.sampled_from(["ko", "ko_KR", "zh_TW", "iw", "und", "xx", "en-US", "sr-Latn", "pt-BR", " ko "])
)
def test_language_tags_are_known_as_babel_knows_them(tag: str) -> None:
    assert naming._canonical.__wrapped__(tag) == _babel_canonical(tag)


def test_the_update_of_an_english_transcripts_korean_catalog_does_not_load_babel(
    runner: CliRunner, project: Path
) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from toolkit.cli import main\n"
        "sys.argv = ['redbox', 'catalog', 'update']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [name for name in sys.modules if name.startswith(('babel', 'kiwipiepy'))]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "misunderstandings-and-stereotypes.po" in result.stdout


def test_a_template_of_another_length_is_changed_whatever_its_date() -> None:
    old = catalog.write_po(catalog.extract(_sample(), creation_date="2026-11-26 12:00+0000"))
    new = catalog.write_po(catalog.extract(_sample(), creation_date="2026-11-30 08:00+0000"))
    assert catalog.template_date_if_unchanged(old, new) == "2026-11-26 12:00+0000"
    assert catalog.template_date_if_unchanged(old, new.replace(b"Welcome", b"Welcome back")) is None
    longer_date = new.replace(b"2026-11-30 08:00+0000", b"2026-11-30 08:00:00+0000")
    assert catalog.template_date_if_unchanged(old, longer_date) == "2026-11-26 12:00+0000"
