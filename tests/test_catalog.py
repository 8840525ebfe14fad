"""Catalogs: PO codec, turn identity, update that never loses work, MO files, translated transcripts."""

from __future__ import annotations

import gettext
import io
import itertools
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.clients import require_binary
from toolkit import catalog
from toolkit.catalog import PoEntry, PoFile
from toolkit.errors import CatalogError
from toolkit.model import Transcript, Turn

DATA = Path(__file__).parent / "data" / "catalog"
ROOT = Path(__file__).resolve().parent.parent
EPISODE = "test-episode"
DATE = "2026-11-26 12:00+0000"

BASE = [
    ("All", "Welcome to the Red Box!"),
    ("Jeongyol", "Are there any misunderstandings that make you uncomfortable?"),
    ("Ilhyeok", "Misunderstandings?"),
    ("Joy", "When I first came to South Korea, I was working part-time at a convenience store."),
    ("Dasom", "Right"),
    ("Jeongyol", "A lot of people think like that."),
    ("Joy", "So those types of questions made me feel a little uncomfortable."),
    ("Dasom", "It made me feel very uncomfortable, 100% sure."),
]


def make_transcript(
    turns: Sequence[tuple[str, str]], *, language: str = "en", episode: str = EPISODE
) -> Transcript:
    speakers = ", ".join(dict.fromkeys(speaker for speaker, _ in turns))
    header = (("title", "Test episode"), ("episode", episode), ("language", language), ("speakers", speakers))
    return Transcript(
        source=f"transcripts/{episode}.txt",
        header=header,
        turns=tuple(
            Turn(speaker, text, line=7 + i, end_line=7 + i) for i, (speaker, text) in enumerate(turns)
        ),
        header_lines={"title": 2, "speakers": 5},
    )


def fake_korean(text: str) -> str:
    """A stand-in translation that names its source, so a test can tell whose translation it is."""
    return f"번역 {text}"


def translate_all(po: PoFile) -> PoFile:
    return catalog.fill_translations(po, {entry.key: fake_korean(entry.msgid) for entry in po.entries})


def korean_catalog(turns: Sequence[tuple[str, str]]) -> tuple[PoFile, PoFile]:
    template = catalog.extract(make_transcript(turns), creation_date=DATE)
    return template, translate_all(catalog.init(template, "ko", revision_date=DATE))


def refresh(po: PoFile, previous_template: PoFile, turns: Sequence[tuple[str, str]]) -> tuple[PoFile, PoFile]:
    template = catalog.extract(make_transcript(turns), previous=previous_template, creation_date=DATE)
    updated, _ = catalog.update(po, template)
    # `redbox catalog update` writes it reusing the template's message texts: the same bytes.
    reused = catalog.updated_messages(updated, template, catalog.encoded_messages(template))
    assert catalog.write_po(updated, reused) == catalog.write_po(updated)
    return template, updated


def entry_for(po: PoFile, speaker: str, text: str) -> PoEntry:
    found = [e for e in po.turn_entries() if e.msgid == text and e.comment("speaker") == speaker]
    assert found, f"no message for {speaker}: {text}"
    return found[0]


def assert_tools_accept(po: PoFile, tmp_path: Path) -> None:
    """``msgfmt -c`` and ``msgcat`` read the file without a complaint."""
    msgfmt, msgcat = require_binary("msgfmt"), require_binary("msgcat")
    path = tmp_path / "check.po"
    path.write_bytes(catalog.write_po(po))
    for command in ([msgfmt, "-c", "-o", "/dev/null", str(path)], [msgcat, "-o", "/dev/null", str(path)]):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr


# ----------------------------------------------------------------------------- codec


def test_written_catalog_reads_back_identically_and_babel_agrees() -> None:
    _, po = korean_catalog(BASE)
    data = catalog.write_po(po)
    assert catalog.write_po(catalog.parse_po(data, "x.po")) == data
    babel_catalog = read_po(io.BytesIO(data))
    message = babel_catalog.get(BASE[3][1], context=po.entries[9].msgctxt)
    assert message is not None and message.string == fake_korean(BASE[3][1])
    assert str(babel_catalog.locale) == "ko"


def test_po_is_unwrapped_in_transcript_order_with_language_and_plural_headers() -> None:
    long_turn = ("Joy", "word " * 60 + "end.")
    _, po = korean_catalog([*BASE, long_turn])
    text = catalog.generate_po(po)
    assert f'msgid "{long_turn[1]}"' in text
    assert '"Language: ko\\n"' in text and '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    positions = [text.index(f'msgid "{turn}"') for _, turn in BASE]
    assert positions == sorted(positions)


def test_multiline_turn_is_split_only_after_its_newlines() -> None:
    _, po = korean_catalog([("Joy", "First line.\nSecond line.")])
    text = catalog.generate_po(po)
    assert 'msgid ""\n"First line.\\n"\n"Second line."\n' in text
    assert catalog.parse_po_text(text).turn_entries()[0].msgid == "First line.\nSecond line."


def test_percent_is_not_taken_for_a_format_string(tmp_path: Path) -> None:
    _, po = korean_catalog(BASE)
    entry = entry_for(po, "Dasom", BASE[7][1])
    assert "python-format" not in entry.flags
    assert "python-format" not in catalog.generate_po(po)
    assert_tools_accept(po, tmp_path)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('msgid "a"\nmsgstr "b\n', 2, "quoted string"),
        ('msgid "a"\n\nmsgid "c"\nmsgstr "d"\n', 1, "without msgstr"),
        ('msgstr "b"\n', 1, "without a msgid"),
        (
            'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
            4,
            "duplicate message (first defined on line 1)",
        ),
        ('msgid "a"\nmsgstr "\\q"\n', 2, "unknown escape"),
        ('msgid "a"\nmsgtxt "b"\n', 2, "expected msgctxt"),
        ('msgid ""\nmsgstr "Language ko\\n"\n', 1, "not 'Name: value'"),
    ],
)
def test_broken_po_fails_with_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(CatalogError) as caught:
        catalog.parse_po(text.encode(), "broken.po")
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"broken.po:{line}: ")


def test_non_utf8_po_is_refused_with_its_line() -> None:
    data = 'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "조이"\n'.encode("euc-kr")
    with pytest.raises(CatalogError, match="not UTF-8") as caught:
        catalog.parse_po(data, "legacy.po")
    assert caught.value.line == 5


# (NUL and EOT excepted: gettext cannot hold them in a string; the reader refuses them.)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00\x04"), max_size=40))
def test_any_text_survives_escape_and_unescape(text: str) -> None:
    assert catalog.unescape(catalog.escape(text)) == text
    po = PoFile(headers=[("Language", "ko")], entries=[PoEntry("x" + text, msgstr=text, msgctxt="c")])
    again = catalog.parse_po(catalog.write_po(po))
    assert (again.entries[0].msgid, again.entries[0].msgstr) == ("x" + text, text)


# ---------------------------------------------------------------------- identity, update


def test_turn_ids_survive_insertions_deletions_and_edits() -> None:
    template = catalog.extract(make_transcript(BASE), creation_date=DATE)
    ids = {entry.msgid: entry.msgctxt for entry in template.turn_entries()}
    edited = [
        ("Ilhyeok", "A brand new line."),
        *BASE[:3],
        ("Joy", BASE[3][1].replace("was working", "worked")),
        *BASE[4:5],
        *BASE[6:],
    ]
    again = catalog.extract(make_transcript(edited), previous=template, creation_date=DATE)
    new_ids = {entry.msgid: entry.msgctxt for entry in again.turn_entries()}
    for _, text in [*BASE[:3], *BASE[4:5], *BASE[6:]]:
        assert new_ids[text] == ids[text]
    assert new_ids[edited[4][1]] == ids[BASE[3][1]]
    assert new_ids["A brand new line."] not in ids.values()


def test_same_words_twice_are_two_messages() -> None:
    template = catalog.extract(
        make_transcript([("Dasom", "Right"), ("Joy", "Yes."), ("Dasom", "Right")]), creation_date=DATE
    )
    contexts = [entry.msgctxt for entry in template.turn_entries()]
    assert len(set(contexts)) == 3
    assert contexts[2] == f"{contexts[0]}-2"


def test_round_trip_keeps_every_translation_and_suggests_nothing_unrelated(tmp_path: Path) -> None:
    template, po = korean_catalog(BASE)
    inserted = ("Ilhyeok", "I have this older friend from China.")
    edited_old = BASE[3][1]
    edited_new = "When I first came to South Korea, I worked part-time at a convenience store."
    new_turns = [BASE[0], inserted, *BASE[1:3], ("Joy", edited_new), BASE[4], *BASE[6:], BASE[4]]
    template2, updated = refresh(po, template, new_turns)

    for speaker, text in [*BASE[:3], *BASE[6:]]:
        entry = entry_for(updated, speaker, text)
        assert (entry.msgstr, entry.fuzzy) == (fake_korean(text), False)
    edited = entry_for(updated, "Joy", edited_new)
    assert edited.msgstr == fake_korean(edited_old)
    assert edited.fuzzy and edited.previous_msgid == edited_old
    new = entry_for(updated, *inserted)
    assert new.msgstr == "" and not new.fuzzy
    repeats = [e for e in updated.turn_entries() if e.msgid == "Right"]
    assert [(e.msgstr, e.fuzzy) for e in repeats] == [
        (fake_korean("Right"), False),
        (fake_korean("Right"), True),
    ]
    assert "pre-filled from the identical line" in repeats[1].translator_comments[0]
    assert [(e.msgid, e.msgstr) for e in updated.obsolete] == [(BASE[5][1], fake_korean(BASE[5][1]))]
    speakers = catalog.speaker_names(updated)
    assert speakers["Joy"].msgstr == fake_korean("Joy")

    text = catalog.generate_po(updated)
    assert f'#| msgid "{edited_old}"\n' in text
    assert f'#~ msgid "{BASE[5][1]}"\n' in text
    assert_tools_accept(updated, tmp_path)

    # The removed turn comes back: its translation returns from the obsolete section.
    _, restored = refresh(updated, template2, BASE)
    entry = entry_for(restored, *BASE[5])
    assert (entry.msgstr, entry.fuzzy) == (fake_korean(BASE[5][1]), False)
    assert restored.obsolete == [] or all(e.msgid != BASE[5][1] for e in restored.obsolete)


def test_edited_twice_keeps_the_text_the_translation_was_made_for() -> None:
    template, po = korean_catalog(BASE)
    first = [*BASE[:5], ("Jeongyol", "A lot of people think like this."), *BASE[6:]]
    template, po = refresh(po, template, first)
    second = [*BASE[:5], ("Jeongyol", "A lot of people really think like this."), *BASE[6:]]
    _, po = refresh(po, template, second)
    entry = entry_for(po, *second[5])
    assert entry.fuzzy and entry.previous_msgid == BASE[5][1]
    assert entry.msgstr == fake_korean(BASE[5][1])


def test_whitespace_only_edit_keeps_the_translation_without_fuzzy() -> None:
    template, po = korean_catalog(BASE)
    _, po = refresh(po, template, [*BASE[:5], ("Jeongyol", "A lot of  people think like that. "), *BASE[6:]])
    entry = entry_for(po, "Jeongyol", "A lot of  people think like that. ")
    assert not entry.fuzzy and entry.msgstr == fake_korean(BASE[5][1])


def test_delete_one_insert_another_in_its_place_suggests_nothing() -> None:
    template, po = korean_catalog(BASE)
    _, po = refresh(po, template, [*BASE[:5], ("Jeongyol", "Completely different words here."), *BASE[6:]])
    entry = entry_for(po, "Jeongyol", "Completely different words here.")
    assert entry.msgstr == "" and entry.previous_msgid is None
    assert [e.msgid for e in po.obsolete] == [BASE[5][1]]


def test_a_teaser_repeating_later_lines_does_not_cost_an_edited_turn_its_translation() -> None:
    # A cold open: the question and the answer after the greeting, said first as a
    # teaser; the greeting reworded and a line added after the answer. The diff may match
    # the teaser's copies rather than the lines by the greeting; a repeated line is no
    # evidence of where the greeting was, so it still keeps its translation.
    template, po = korean_catalog(BASE)
    greeting = ("All", "Welcome to the Red Box, everyone!")
    turns = [BASE[1], BASE[2], greeting, BASE[1], BASE[2], ("Joy", "A new line."), *BASE[3:]]
    _, updated = refresh(po, template, turns)
    entry = entry_for(updated, *greeting)
    assert entry.fuzzy and entry.previous_msgid == BASE[0][1]
    assert entry.msgstr == fake_korean(BASE[0][1])
    assert [e.msgstr for e in updated.turn_entries()] == [
        fake_korean(BASE[1][1]),
        fake_korean(BASE[2][1]),
        fake_korean(BASE[0][1]),
        fake_korean(BASE[1][1]),
        fake_korean(BASE[2][1]),
        "",
        *(fake_korean(text) for _, text in BASE[3:]),
    ]


def test_update_twice_changes_nothing() -> None:
    template, po = korean_catalog(BASE)
    template, po = refresh(po, template, [("Joy", "New first line."), *BASE[1:]])
    _, again = refresh(po, template, [("Joy", "New first line."), *BASE[1:]])
    assert catalog.write_po(again) == catalog.write_po(po)


def test_poedit_saved_catalog_survives_update_with_its_headers_and_comments(tmp_path: Path) -> None:
    saved = catalog.parse_po((DATA / "poedit-saved.po").read_bytes(), "poedit-saved.po")
    turns = [
        ("Joy", saved.turn_entries()[0].msgid.replace("was working", "worked")),
        ("Jeongyol", "A lot of people think like that."),
        ("Dasom", "Right"),
    ]
    transcript = make_transcript(turns, episode="poedit-episode")
    template = catalog.extract(transcript, previous=saved, creation_date=DATE)
    updated, report = catalog.update(saved, template)
    assert report.fuzzied == 1 and report.new == 1  # the title of the test transcript differs
    assert updated.header("X-Generator") == "Poedit 3.4.2"
    assert updated.header("X-Poedit-Bookmarks").startswith("-1,")
    assert updated.header("Last-Translator") == "Kim Translator <kim@example.org>"
    assert updated.header("POT-Creation-Date") == DATE
    assert updated.header_comments[:2] == [
        "Korean translation of “Poedit episode”.",
        "Kim Translator <kim@example.org>, 2026.",
    ]
    joy = updated.turn_entries()[0]
    assert joy.translator_comments == ["조이는 존댓말을 씁니다 (keep the polite register)."]
    assert joy.fuzzy and joy.previous_msgid == saved.turn_entries()[0].msgid
    assert updated.turn_entries()[1].translator_comments == ["Checked against the video, 2026-11-21."]
    assert [e.msgstr for e in updated.turn_entries()[1:]] == ["그렇게 생각하는 사람이 많아요.", "맞아요"]
    assert_tools_accept(updated, tmp_path)


# ------------------------------------------------------------ Hypothesis edit sequences

_WORDS = ["alpha", "bravo", "delta", "echo", "golf", "hotel", "kilo", "lima", "mike", "oscar", "papa"]


def _base_line(index: int) -> tuple[str, str]:
    speaker = ["Joy", "Dasom", "Jeongyol", "Ilhyeok"][index % 4]
    return speaker, " ".join(f"{word}{index}" for word in _WORDS[: 3 + index % 4]) + "."


_edit = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 40)),
    st.tuples(st.just("edit"), st.integers(0, 40)),
    st.tuples(st.just("delete"), st.integers(0, 40)),
    st.tuples(st.just("repeat"), st.integers(0, 40), st.integers(0, 40)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(_edit, max_size=6), size=st.integers(3, 12))
# Copies of lines (the same speaker and words) that the diff matched instead of the
# originals, which stand by the edited turn: once each side of it, all before it, with a
# line moved (copied, original deleted) — the edited turn kept its translation only since
# the fix. The last is a move the files cannot tell from the edited turn moved: new.
@example(edits=[("repeat", 0, 8), ("edit", 1), ("repeat", 0, 2), ("insert", 5)], size=3)
@example(edits=[("edit", 2), ("repeat", 5, 1), ("repeat", 2, 4), ("repeat", 2, 4)], size=7)
@example(
    edits=[("delete", 1), ("repeat", 4, 1), ("delete", 1), ("edit", 4), ("repeat", 4, 1), ("edit", 2)], size=5
)
@example(
    edits=[("edit", 4), ("edit", 2), ("repeat", 5, 8), ("repeat", 5, 1), ("repeat", 3, 0), ("delete", 1)],
    size=5,
)
@example(edits=[("repeat", 0, 1), ("repeat", 1, 3), ("delete", 3), ("delete", 3), ("edit", 2)], size=4)
def test_random_edit_sequences_never_lose_or_misplace_a_translation(
    tmp_path: Path, edits: list[tuple[object, ...]], size: int
) -> None:
    base = [_base_line(i) for i in range(size)]
    template, po = korean_catalog(base)
    # Each current turn: (speaker, text, origin index or None, edited?)
    turns: list[tuple[str, str, int | None, bool]] = [(s, t, i, False) for i, (s, t) in enumerate(base)]
    fresh = 0
    copied: set[int] = set()
    for edit in edits:
        kind, position = edit[0], int(edit[1])  # type: ignore[call-overload]
        if kind == "insert":
            fresh += 1
            turns.insert(
                position % (len(turns) + 1), ("Joy", f"zulu{fresh} yankee{fresh} xray{fresh}.", None, False)
            )
        elif not turns:
            continue
        elif kind == "edit":
            index = position % len(turns)
            speaker, text, origin, was_edited = turns[index]
            if origin is None or was_edited or origin in copied:
                continue  # an edited copy would be a moved, edited line: new, by design
            words = text.split()
            words[1] = f"victor{index}"
            turns[index] = (speaker, " ".join(words), origin, True)
        elif kind == "delete":
            del turns[position % len(turns)]
        else:
            speaker, text, origin, was_edited = turns[int(edit[2]) % len(turns)]  # type: ignore[call-overload]
            if was_edited or origin is None:
                continue
            copied.add(origin)
            turns.insert(position % (len(turns) + 1), (speaker, text, origin, was_edited))
    _, updated = refresh(po, template, [(s, t) for s, t, _, _ in turns])

    active = updated.turn_entries()
    assert [e.msgid for e in active] == [t for _, t, _, _ in turns]
    edited_by_origin: dict[int, list[tuple[int, PoEntry]]] = {}
    for place, (entry, (_, text, origin, was_edited)) in enumerate(zip(active, turns, strict=True)):
        if origin is None:
            assert entry.msgstr == "", "an unrelated translation was suggested for a new line"
        elif was_edited:
            edited_by_origin.setdefault(origin, []).append((place, entry))
        else:
            assert entry.msgstr == fake_korean(text)
    texts_now = {text for _, text, _, _ in turns}
    for origin, versions in edited_by_origin.items():
        # The old translation goes to exactly one edited version of its turn, fuzzy, with
        # the old text as previous msgid; the others (edited copies) are new lines. When
        # an unedited copy of the old text is still there, that copy is the turn as far as
        # anyone can tell, and either of them may keep the translation. So may a turn
        # that moved, as the files tell it (_moved_past_two).
        carriers = [entry for _, entry in versions if entry.msgstr]
        moved = any(_moved_past_two(turns, origin, place) for place, _ in versions)
        if base[origin][1] in texts_now or moved:
            assert len(carriers) <= 1
            if not carriers:
                continue  # its translation is in the obsolete section (checked below)
        else:
            assert len(carriers) == 1
        assert carriers[0].fuzzy and carriers[0].previous_msgid == base[origin][1]
        assert carriers[0].msgstr == fake_korean(base[origin][1])
    survivors = {e.msgstr for e in active} | {e.msgstr for e in updated.obsolete}
    assert {fake_korean(text) for _, text in base} <= survivors
    assert catalog.stats(updated).total == len(updated.entries)
    assert_tools_accept(updated, tmp_path)


def _moved_past_two(turns: Sequence[tuple[str, str, int | None, bool]], origin: int, place: int) -> bool:
    """Whether, as the files tell it, the edited turn at ``place`` moved past two unchanged lines.

    Only the texts reach the catalog, not how they came about: a repeat pasted above a
    turn and then its original deleted is the same text as that turn moved below the
    line, and a turn moved and edited is new by design (locales/README.md, turn
    identity). The lines that place a turn are the unchanged ones said once before and
    once now; two of them that came after the turn now standing before it (or the
    reverse) are the move. The translation then goes to the obsolete section.
    """
    said = Counter(text for _, text, _, _ in turns)
    now_before = sum(
        1
        for other_place, (_, text, other, edited) in enumerate(turns)
        if other is not None and not edited and said[text] == 1 and other_place < place and other > origin
    )
    now_after = sum(
        1
        for other_place, (_, text, other, edited) in enumerate(turns)
        if other is not None and not edited and said[text] == 1 and other_place > place and other < origin
    )
    return now_before >= 2 or now_after >= 2


_SAID_AGAIN = [("Dasom", "Right."), ("Joy", "Yes, yes."), ("Ilhyeok", "Really?")]


def _occurrence_translations(po: PoFile, said: Sequence[tuple[str, str]]) -> PoFile:
    """Each turn translated as its own occurrence: the same words said twice translated apart."""
    keys = [entry.key for entry in po.turn_entries()]
    return catalog.fill_translations(
        po,
        {
            key: f"{fake_korean(text)} #{index}"
            for index, (key, (_, text)) in enumerate(zip(keys, said, strict=True))
        },
    )


def test_lines_said_again_keep_their_own_translations_when_lines_come_between() -> None:
    # Three "Right." translated apart; lines inserted before the first, after it and after
    # the third. (A diff that matched a block of two left the first to find the third's id.)
    said = [_SAID_AGAIN[0], _SAID_AGAIN[0], _SAID_AGAIN[0], _SAID_AGAIN[1]]
    template = catalog.extract(make_transcript(said), creation_date=DATE)
    po = _occurrence_translations(catalog.init(template, "ko", revision_date=DATE), said)
    first, second, third, fourth = [("Joy", f"New line {number}.") for number in range(4)]
    _, updated = refresh(po, template, [first, said[0], second, third, said[1], said[2], fourth, said[3]])
    translated = [entry for entry in updated.turn_entries() if entry.msgstr]
    assert [entry.msgstr.rpartition(" #")[2] for entry in translated] == ["0", "1", "2", "3"]
    assert not any(entry.fuzzy for entry in translated)


@settings(max_examples=60, deadline=None)
@given(
    said=st.lists(st.sampled_from(_SAID_AGAIN), min_size=1, max_size=10),
    edits=st.lists(st.tuples(st.sampled_from(["insert", "delete"]), st.integers(0, 20)), max_size=8),
)
@example(
    said=[_SAID_AGAIN[0]] * 3 + [_SAID_AGAIN[1]],
    edits=[("insert", 0), ("insert", 2), ("insert", 2), ("insert", 6)],
)
def test_lines_said_again_keep_their_own_translations_in_order(
    said: list[tuple[str, str]], edits: list[tuple[str, int]]
) -> None:
    # Lines inserted and deleted, none moved: every line still there keeps the translation
    # of an occurrence of its own words, and the occurrences stay in their order. (Which
    # of two identical neighbours was deleted cannot be told; their order can.)
    template = catalog.extract(make_transcript(said), creation_date=DATE)
    po = _occurrence_translations(catalog.init(template, "ko", revision_date=DATE), said)
    turns = list(said)
    for number, (kind, position) in enumerate(edits):
        if kind == "insert":
            turns.insert(position % (len(turns) + 1), ("Joy", f"New line {number}."))
        elif turns:
            del turns[position % len(turns)]
    _, updated = refresh(po, template, turns)
    occurrences = []
    for entry, (_, text) in zip(updated.turn_entries(), turns, strict=True):
        if text.startswith("New line"):
            assert entry.msgstr == ""
            continue
        translation, _, occurrence = entry.msgstr.rpartition(" #")
        assert translation == fake_korean(text)
        if not entry.fuzzy:  # (a pre-filled copy of another occurrence's translation is fuzzy)
            occurrences.append(int(occurrence))
    assert occurrences == sorted(set(occurrences))


# ----------------------------------------------------------------------------------- MO


def test_mo_is_read_by_python_gettext_and_babel() -> None:
    _, po = korean_catalog(BASE)
    po.entries[10] = replace(po.entries[10], flags=["fuzzy"])
    data = catalog.compile_mo(po)
    translations = gettext.GNUTranslations(io.BytesIO(data))
    assert translations.pgettext("speaker", "Joy") == fake_korean("Joy")
    context = po.entries[7].msgctxt or ""
    assert translations.pgettext(context, BASE[1][1]) == fake_korean(BASE[1][1])
    fuzzy = po.entries[10]
    assert translations.pgettext(fuzzy.msgctxt or "", fuzzy.msgid) == fuzzy.msgid  # left out
    babel_catalog = read_mo(io.BytesIO(data))
    assert len(babel_catalog) == len(po.entries) - 1


def test_mo_is_read_by_gnu_gettext(tmp_path: Path) -> None:
    program = require_binary("gettext")
    msgunfmt = require_binary("msgunfmt")
    _, po = korean_catalog(BASE)
    folder = tmp_path / "ko" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / f"{EPISODE}.mo").write_bytes(catalog.compile_mo(po))
    environment = {
        "LANGUAGE": "ko",
        "LANG": "C.UTF-8",
        "TEXTDOMAINDIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    for entry in po.entries:
        result = subprocess.run(
            [program, "-d", EPISODE, "-c", entry.msgctxt or "", entry.msgid],
            capture_output=True,
            text=True,
            env=environment,
            check=True,
        )
        assert result.stdout == entry.msgstr
    listing = subprocess.run(
        [msgunfmt, str(folder / f"{EPISODE}.mo")], capture_output=True, text=True, check=True
    )
    assert f'msgstr "{fake_korean(BASE[2][1])}"' in listing.stdout


def test_stats_count_translated_fuzzy_untranslated_and_obsolete() -> None:
    template, po = korean_catalog(BASE)
    _, po = refresh(
        po, template, [("Joy", "Brand new."), *BASE[:5], ("Jeongyol", "A lot of people think like this.")]
    )
    numbers = catalog.stats(po)
    assert (numbers.total, numbers.fuzzy, numbers.untranslated, numbers.obsolete) == (
        len(po.entries),
        1,
        1,
        2,
    )
    assert numbers.translated == numbers.total - 2


def test_unknown_language_is_refused() -> None:
    template, _ = korean_catalog(BASE)
    with pytest.raises(CatalogError, match="unknown language"):
        catalog.init(template, "zz-nowhere", revision_date=DATE)


# --------------------------------------------------------------------- translate_transcript


def test_translated_transcript_has_korean_text_names_and_the_source_lines() -> None:
    _, po = korean_catalog(BASE)
    transcript = make_transcript(BASE)
    translated, problems = catalog.translate_transcript(transcript, catalog.write_po(po), "ko.po", "ko")
    assert problems == []
    assert translated.language == "ko"
    assert [turn.text for turn in translated.turns] == [fake_korean(text) for _, text in BASE]
    assert translated.turns[0].speaker == fake_korean("All")
    assert translated.speakers[0] == fake_korean("All")
    assert [turn.line for turn in translated.turns] == [turn.line for turn in transcript.turns]
    assert translated.title == fake_korean("Test episode")


def test_untranslated_fuzzy_and_stale_turns_fall_back_to_the_source_marked_with_warnings() -> None:
    _, po = korean_catalog(BASE)
    po.entries[7] = replace(po.entries[7], msgstr="")
    po.entries[8] = replace(po.entries[8], flags=["fuzzy"])
    po.entries[9] = replace(po.entries[9], msgstr=" \t")  # whitespace is never a translation
    data = catalog.write_po(po)
    line_of = {entry.msgid: entry.line for entry in catalog.parse_po(data).entries}
    edited = [*BASE[:6], ("Joy", "A line the catalog has never seen."), BASE[7]]
    translated, problems = catalog.translate_transcript(make_transcript(edited), data, "ko.po", "ko")
    assert translated.turns[1].text == f"【번역 안 됨】 {BASE[1][1]}"
    assert translated.turns[2].text == f"【번역 안 됨】 {BASE[2][1]}"
    assert translated.turns[3].text == f"【번역 안 됨】 {BASE[3][1]}"
    assert translated.turns[6].text == "【번역 안 됨】 A line the catalog has never seen."
    found = {(p.source, p.line, p.code) for p in problems}
    assert ("ko.po", line_of[BASE[1][1]], "CAT001") in found
    assert ("ko.po", line_of[BASE[3][1]], "CAT001") in found
    assert ("ko.po", line_of[BASE[2][1]], "CAT002") in found
    assert (f"transcripts/{EPISODE}.txt", 13, "CAT013") in found
    assert all(p.severity == "warning" for p in problems)


def test_korean_transcript_with_an_english_catalog() -> None:
    korean = [("조이", "한국에 오신 걸 환영합니다!"), ("다솜", "맞아요")]
    transcript = make_transcript(korean, language="ko")
    template = catalog.extract(transcript, creation_date=DATE)
    assert template.header("X-Source-Language") == "ko"
    po = catalog.init(template, "en", revision_date=DATE)
    assert po.header("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    english = {
        "조이": "Joy",
        "다솜": "Dasom",
        "Test episode": "Test episode",
        korean[0][1]: "Welcome to Korea!",
        korean[1][1]: "Right.",
    }
    po = catalog.fill_translations(po, {entry.key: english[entry.msgid] for entry in po.entries})
    translated, problems = catalog.translate_transcript(transcript, catalog.write_po(po), "en.po", "en")
    assert problems == []
    assert [(t.speaker, t.text) for t in translated.turns] == [
        ("Joy", "Welcome to Korea!"),
        ("Dasom", "Right."),
    ]


def test_sample_episode_korean_catalog_translates_every_turn() -> None:
    from toolkit.transcript import parse_transcript

    source = ROOT / "transcripts" / "misunderstandings-and-stereotypes.txt"
    transcript, _ = parse_transcript(source.read_text(encoding="utf-8"), str(source))
    po_path = ROOT / "locales" / "ko" / "LC_MESSAGES" / "misunderstandings-and-stereotypes.po"
    translated, problems = catalog.translate_transcript(transcript, po_path.read_bytes(), str(po_path), "ko")
    assert problems == []
    assert {turn.speaker for turn in translated.turns} == {"다 같이", "정열", "일혁", "조이", "다솜"}
    assert all(
        turn.text.count("\n") == source_turn.text.count("\n")
        for turn, source_turn in zip(translated.turns, transcript.turns, strict=True)
    )
    po = catalog.parse_po(po_path.read_bytes())
    assert "made for the redbox project from the English transcript" in " ".join(po.header_comments)


@given(st.lists(st.integers(0, 6), max_size=30), st.lists(st.integers(0, 6), max_size=30))
def test_sequence_match_pairs_equal_items_in_order(old: list[int], new: list[int]) -> None:
    pairs = catalog.match_sequences(old, new)
    assert all(old[i] == new[j] for i, j in pairs)
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(pairs))
    assert catalog.match_sequences(old, old) == [(i, i) for i in range(len(old))]


def test_obsolete_plural_and_previous_entries_survive_a_round_trip(tmp_path: Path) -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: ko\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '# translator note\n#, fuzzy\n#| msgctxt "ep/old"\n#| msgid ""\n#| "first\\n"\n#| "second"\n'
        'msgctxt "ep/new"\nmsgid "first\\nsecond!"\nmsgstr "첫째\\n둘째!"\n\n'
        'msgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] "파일 %d개"\n\n'
        '#~ msgctxt "ep/gone"\n#~ msgid "Gone."\n#~ msgstr "사라짐."\n'
    )
    po = catalog.parse_po_text(text, "x.po")
    fuzzy, plural = po.entries
    assert (fuzzy.previous_msgctxt, fuzzy.previous_msgid) == ("ep/old", "first\nsecond")
    assert fuzzy.translator_comments == ["translator note"] and fuzzy.fuzzy
    assert (plural.msgid_plural, plural.msgstr_plural) == ("%d files", ["파일 %d개"])
    assert [(e.msgctxt, e.msgstr) for e in po.obsolete] == [("ep/gone", "사라짐.")]
    again = catalog.parse_po(catalog.write_po(po))
    assert catalog.write_po(again) == catalog.write_po(po)
    assert_tools_accept(po, tmp_path)


def test_update_adds_missing_plural_forms_and_keeps_the_rest_of_the_header() -> None:
    template, po = korean_catalog(BASE)
    po.headers = [(name, value) for name, value in po.headers if name != "Plural-Forms"]
    po.set_header("X-Generator", "Weblate 5.8")
    updated, _ = catalog.update(po, template)
    assert updated.header("Plural-Forms") == "nplurals=1; plural=0;"
    assert updated.header("X-Generator") == "Weblate 5.8"


def test_translating_with_a_broken_catalog_raises_a_catalog_error() -> None:
    with pytest.raises(CatalogError) as caught:
        catalog.translate_transcript(make_transcript(BASE), b'msgid "a"\n', "ko.po", "ko")
    assert caught.value.source == "ko.po" and caught.value.line == 1
