"""The check and catalog paths behave the same compiled by mypyc as run by the interpreter
(issue 16, eighth pass).

mypyc keeps a class's ``__str__`` but not its ``__format__``, and unboxes fixed-length tuples
(so ``is`` between two of them never holds): the code relies on neither. The whole suite
runs against the compiled install in ``.ci/run``; these tests pin the two constructs here.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from toolkit import transcript
from toolkit.catalog import checks
from toolkit.catalog.msgfmt_checks import describe
from toolkit.catalog.po import SPEAKER_CONTEXT, PoEntry
from toolkit.transcript import parse_transcript

_entries = st.builds(
    PoEntry,
    msgid=st.text(max_size=40),
    msgctxt=st.sampled_from([None, SPEAKER_CONTEXT, "ep/1", "ep/t7", "other"]),
    extracted_comments=st.sampled_from([[], ["turn: 12"], ["budget: 20"]]),
)


@given(_entries)
def test_a_problem_names_its_message_through_str(entry: PoEntry) -> None:
    # A catalog problem's message formats the message's description lazily: by str(), the one
    # conversion a compiled class keeps (an f-string without a spec asks for it).
    described = checks._Described(entry)
    assert str(described) == describe(entry)
    assert f"{described} is untranslated" == f"{describe(entry)} is untranslated"


def test_a_stamped_or_noted_label_is_read_whole() -> None:
    # A key with "[" or "(" before its separator is read from the whole line: the answer that
    # says so is told by its empty name, not by identity, which a compiled tuple loses.
    assert transcript._WHOLE_LINE[0] == ""
    text = "[00:01:35] Joy: One.\nJoy (laughs): Two.\n[00:02:00] Dasom: Three.\n"
    parsed, problems = parse_transcript(text)
    assert [(turn.speaker, turn.text, turn.anchor_ms) for turn in parsed.turns] == [
        ("Joy", "One.", 95000), ("Joy", "Two.", None), ("Dasom", "Three.", 120000)]  # fmt: skip
    assert [problem.code for problem in problems] == ["TRN023"]
