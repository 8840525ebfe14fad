"""PO files read and checked as the reference tools do: ``msgfmt -c``, ``msgcat`` and polib.

The rule (issue 11): a ``.po`` that ``msgfmt -c`` rejects gets at least one error from
``redbox check``; one it accepts gets none. Every real file of ``tests/data/corpus/po/``
is tried against GNU gettext and polib, and so is a table of small syntax cases whose
``msgfmt -c`` verdict (gettext 0.21) is recorded next to them.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import replace
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.clients import require_binary
from toolkit import catalog
from toolkit.catalog import PoEntry, PoFile, po_formats
from toolkit.catalog.checks import check_catalog_bytes, is_redbox_catalog
from toolkit.catalog.po_read import parse_po
from toolkit.cli import cli
from toolkit.errors import CatalogError
from toolkit.model import Problem

CORPUS = Path(__file__).resolve().parent / "data" / "corpus" / "po"
CORPUS_FILES = sorted(path for path in CORPUS.rglob("*") if path.suffix in (".po", ".pot"))
HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: ko\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
)


def problems_of(data: bytes, name: str = "other.po") -> list[Problem]:
    return check_catalog_bytes(data, name, transcripts={})


def errors(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems if problem.severity == "error"]


def msgfmt_rejects(path: Path) -> bool:
    msgfmt = require_binary("msgfmt")
    return subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode != 0


def identify(path: Path) -> str:
    return str(path.relative_to(CORPUS))


# ------------------------------------------------------------------ the real files


def test_the_corpus_is_there() -> None:
    assert len(CORPUS_FILES) >= 40


@pytest.mark.parametrize("path", CORPUS_FILES, ids=identify)
def test_corpus_file_gets_an_error_exactly_when_msgfmt_check_rejects_it(path: Path) -> None:
    found = problems_of(path.read_bytes(), str(path))
    assert bool(errors(found)) == msgfmt_rejects(path), [p for p in found if p.severity == "error"][:3]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=identify)
def test_corpus_duplicates_are_errors_where_msgcat_stops(path: Path) -> None:
    msgcat = require_binary("msgcat")
    result = subprocess.run(
        [msgcat, "-o", "/dev/null", str(path)], capture_output=True, text=True, errors="replace"
    )
    duplicate = "duplicate message definition" in result.stderr
    found = problems_of(path.read_bytes(), str(path))
    assert duplicate == any(
        p.code == "CAT014" or (p.code == "CAT000" and "duplicate" in p.message) for p in found
    )


def _rows(entries: list[PoEntry]) -> list[tuple[object, ...]]:
    return [
        (
            e.msgctxt,
            e.msgid,
            e.msgid_plural,
            "" if e.msgid_plural is not None else e.msgstr,
            tuple(e.msgstr_plural),
            tuple(e.flags),
            e.previous_msgctxt,
            e.previous_msgid,
            e.previous_msgid_plural,
        )
        for e in entries
    ]


def _polib_rows(entries: list[polib.POEntry]) -> list[tuple[object, ...]]:
    return [
        (
            e.msgctxt,
            e.msgid,
            e.msgid_plural or None,
            e.msgstr,
            tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)),
            tuple(e.flags),
            e.previous_msgctxt,
            e.previous_msgid,
            e.previous_msgid_plural,
        )
        for e in entries
    ]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=identify)
def test_corpus_file_reads_the_same_messages_as_polib(path: Path) -> None:
    """msgctxt, msgid, plural, every msgstr form, flags, previous (#|) text, obsolete (#~)."""
    po = parse_po(path.read_bytes(), str(path), any_charset=True)
    try:
        theirs = polib.pofile(str(path))
    except UnicodeDecodeError:  # polib trusts the header's charset; here it names none
        theirs = polib.pofile(str(path), encoding=po.encoding)
    assert _rows(po.entries) == _polib_rows([e for e in theirs if not e.obsolete])
    # polib drops an obsolete message's previous text (`#~| msgid`); redbox keeps it, as msgcat does.
    kept = [
        replace(e, previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None)
        for e in po.obsolete
    ]
    assert _rows(kept) == _polib_rows([e for e in theirs if e.obsolete])
    text = path.read_bytes()
    assert sum(e.previous_msgid is not None for e in po.obsolete) == text.count(b"\n#~| msgid ")


@pytest.mark.parametrize("path", CORPUS_FILES, ids=identify)
def test_corpus_file_survives_a_round_trip(path: Path) -> None:
    po = parse_po(path.read_bytes(), str(path), any_charset=True)
    again = parse_po(catalog.write_po(po), "again.po")
    assert _rows(again.entries) == _rows(po.entries)
    assert _rows(again.obsolete) == _rows(po.obsolete)


def test_no_other_project_catalog_is_taken_for_redbox_s() -> None:
    for path in CORPUS_FILES:
        assert not is_redbox_catalog(parse_po(path.read_bytes(), str(path), any_charset=True)), path


# ------------------------------------------------------------------ small cases, with msgfmt -c's verdict

#: (name, text after HEADER, rejected by ``msgfmt -c`` of GNU gettext 0.21)
SYNTAX_CASES = [
    ("comment between msgid and msgstr", 'msgid "a"\n# c\nmsgstr "나"\n', True),
    ("indented keywords", '  msgid "a"\n  msgstr "나"\n', False),
    ("msgctxt after msgid", 'msgid "a"\nmsgctxt "c"\nmsgstr "나"\n', True),
    ("tab after keyword", 'msgid\t"a"\nmsgstr\t"나"\n', False),
    ("no blank after keyword", 'msgid"a"\nmsgstr"나"\n', False),
    ("two strings on a line", 'msgid "a" "c"\nmsgstr "나"\n', False),
    ("garbage after string", 'msgid "a" x\nmsgstr "나"\n', True),
    ("msgstr twice", 'msgid "a"\nmsgstr "나"\nmsgstr "다"\n', True),
    ("a second header", 'msgid ""\nmsgstr "X: y\\n"\n', True),
    ("unterminated string", 'msgid "a\nmsgstr "나"\n', True),
    ("no final line end", 'msgid "a"\nmsgstr "나"', False),
    ("CR LF line ends", 'msgid "a"\r\nmsgstr "나"\r\n', False),
    ("domain directive", 'domain "foo"\nmsgid "a"\nmsgstr "나"\n', True),
    ("#~ msgid with an active msgstr", '#~ msgid "a"\nmsgstr "나"\n', True),
    ("twice obsolete", '#~ msgid "a"\n#~ msgstr "나"\n\n#~ msgid "a"\n#~ msgstr "다"\n', True),
    ("active and obsolete", 'msgid "a"\nmsgstr "나"\n\n#~ msgid "a"\n#~ msgstr "다"\n', True),
    (
        "obsolete in another context",
        'msgctxt "x"\nmsgid "a"\nmsgstr "나"\n\n#~ msgid "a"\n#~ msgstr "다"\n',
        False,
    ),
    ("twice active", 'msgid "a"\nmsgstr "나"\n\nmsgid "a"\nmsgstr "다"\n', True),
    ("comments after the last message", 'msgid "a"\nmsgstr "나"\n\n# dangling\n#, fuzzy\n', False),
    ("msgid alone", 'msgid "a"\n', True),
    ("unknown keyword", 'msgfoo "a"\nmsgid "a"\nmsgstr "나"\n', True),
    ("EOT in a string", 'msgid "a\x04b"\nmsgstr "나"\n', True),
    ("escaped EOT", 'msgid "a\\004b"\nmsgstr "나"\n', True),
    ("control character", 'msgid "a\x01b"\nmsgstr "나\x01"\n', False),
    ("keyword in capitals", 'MSGID "a"\nmsgstr "나"\n', True),
    ("blank line inside a message", 'msgid "a"\n\nmsgstr "나"\n', False),
    (
        "fuzzy plural with #| msgid_plural",
        '#, fuzzy\n#| msgid "x"\n#| msgid_plural "xs"\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "나"\n',
        False,
    ),
    ("#| between msgid and msgstr", 'msgid "a"\n#| msgid "x"\nmsgstr "나"\n', True),
    ("obsolete #~| previous", '#~| msgid "x"\n#~ msgid "a"\n#~ msgstr "나"\n', False),
    ("semicolon after a string", 'msgid "a";\nmsgstr "나"\n', True),
    ("unknown escape", 'msgid "a"\nmsgstr "나\\q"\n', True),
    ("\\x without digits", 'msgid "a"\nmsgstr "나\\xg"\n', True),
    ("\\u escape", 'msgid "a"\nmsgstr "\\u00e9"\n', True),
    ("a form index of 5,000 digits", 'msgid "a"\nmsgid_plural "as"\nmsgstr[' + "9" * 5000 + '] "나"\n', True),
    ("first form not 0", 'msgid "a"\nmsgid_plural "as"\nmsgstr[1] "나"\n', True),
    ("a gap in the forms", 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "나"\nmsgstr[2] "다"\n', True),
    ("more forms than nplurals", 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "나"\nmsgstr[1] "다"\n', True),
    ("msgstr[0] without msgid_plural", 'msgid "a"\nmsgstr[0] "나"\n', True),
    ("msgid_plural with a plain msgstr", 'msgid "a"\nmsgid_plural "as"\nmsgstr "나"\n', True),
    ("blanks around a form index", 'msgid "a"\nmsgid_plural "as"\nmsgstr [ 0 ] "나"\n', False),
    ("index with leading zeros", 'msgid "a"\nmsgid_plural "as"\nmsgstr[00] "나"\n', False),
    ("negative index", 'msgid "a"\nmsgid_plural "as"\nmsgstr[-1] "나"\n', True),
    ("python-format count", '#, python-format\nmsgid "%d of %s"\nmsgstr "%s 나"\n', True),
    ("python-format mapping", '#, python-format\nmsgid "%(a)s"\nmsgstr "%s 나"\n', True),
    ("python-format 100% sure", '#, python-format\nmsgid "100% sure"\nmsgstr "나"\n', True),
    ("python-format fuzzy", '#, fuzzy, python-format\nmsgid "%d of %s"\nmsgstr "%s 나"\n', False),
    ("python-format in the translation only", '#, python-format\nmsgid "%s"\nmsgstr "100% sure 나"\n', False),
    ("python-format invalid translation", '#, python-format\nmsgid "%s"\nmsgstr "100% 나"\n', True),
    ("no-python-format", '#, no-python-format\nmsgid "%d of %s"\nmsgstr "%s 나"\n', False),
    ("c-format type", '#, c-format\nmsgid "%d a"\nmsgstr "%s 나"\n', True),
    ("c-format positions", '#, c-format\nmsgid "%1$s %2$d"\nmsgstr "%2$d %1$s 나"\n', False),
    ("c-format size", '#, c-format\nmsgid "%lld x"\nmsgstr "%ld 나"\n', True),
    ("c-format inttypes", '#, c-format\nmsgid "%<PRId64> x"\nmsgstr "%<PRId64> 나"\n', False),
    ("possible-c-format", '#, possible-c-format\nmsgid "%d a"\nmsgstr "%s 나"\n', True),
    ("c-format source not a format", '#, c-format\nmsgid "100%"\nmsgstr "나 %s"\n', False),
    ("python-brace-format", '#, python-brace-format\nmsgid "{a} {b:>3}"\nmsgstr "{a} 나"\n', True),
    ("python-brace-format escaped", '#, python-brace-format\nmsgid "{{a}} {b}"\nmsgstr "{b} 나"\n', False),
    ("a string after a blank line", 'msgid "a"\nmsgstr "나"\n\n"다"\n', False),
    ("a string after a blank line and a comment", 'msgid "a"\nmsgstr "나"\n\n# c\n"다"\n', True),
    ("an obsolete string after an active message", 'msgid "a"\nmsgstr "나"\n\n#~ "다"\n', True),
    ("#| with no message after it", 'msgid "a"\nmsgstr "나"\n\n#| msgid "x"\n', True),
    ("#~| with no message after it", 'msgid "a"\nmsgstr "나"\n\n#~| msgid "y"\n', True),
    ("#~| then a string", 'msgid "a"\nmsgstr "나"\n\n#~| msgid "y"\n"다"\n', True),
    ("an empty #| line", '#|\nmsgid "a"\nmsgstr "나"\n', False),
    ("a header line without a colon", '"Free text\\n"\n\nmsgid "a"\nmsgstr "나"\n', False),
    ("newline at the start", 'msgid "\\na"\nmsgstr "나"\n', True),
    ("newline at the end, fuzzy", '#, fuzzy\nmsgid "a\\n"\nmsgstr "나"\n', False),
    ("newline at the end of a plural form", 'msgid "a\\n"\nmsgid_plural "as\\n"\nmsgstr[0] "나"\n', True),
]


@pytest.mark.parametrize(("name", "body", "rejected"), SYNTAX_CASES, ids=[case[0] for case in SYNTAX_CASES])
def test_small_case_gets_an_error_exactly_when_msgfmt_check_rejects_it(
    name: str, body: str, rejected: bool
) -> None:
    found = problems_of((HEADER + body).encode("utf-8"))
    assert bool(errors(found)) == rejected, found


@pytest.mark.parametrize(("name", "body", "rejected"), SYNTAX_CASES, ids=[case[0] for case in SYNTAX_CASES])
def test_small_case_verdict_is_msgfmt_s(name: str, body: str, rejected: bool, tmp_path: Path) -> None:
    path = tmp_path / "case.po"
    path.write_bytes((HEADER + body).encode("utf-8"))
    assert msgfmt_rejects(path) == rejected


# ------------------------------------------------------------------ header, plural forms, encodings


@pytest.mark.parametrize(
    ("header", "body", "message"),
    [
        ("", 'msgid "a"\nmsgstr "b"\n', "no header entry"),
        ('msgid ""\nmsgstr ""\n\n', 'msgid "a"\nmsgstr "b"\n', "no header entry"),
        (
            'msgid ""\nmsgstr "Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"\n\n',
            'msgid "a"\nmsgstr "b"\n',
            "invalid nplurals",
        ),
        (
            'msgid ""\nmsgstr "Plural-Forms: nplurals=2; plural=n !=;\\n"\n\n',
            'msgid "a"\nmsgstr "b"\n',
            "invalid plural expression",
        ),
        (
            'msgid ""\nmsgstr "Plural-Forms: nplurals=1; plural=n != 1;\\n"\n\n',
            'msgid "a"\nmsgstr "b"\n',
            "values as large as 1",
        ),
        (
            'msgid ""\nmsgstr "Plural-Forms: nplurals=2; plural=1/n;\\n"\n\n',
            'msgid "a"\nmsgstr "b"\n',
            "division by zero",
        ),
        (
            'msgid ""\nmsgstr "Language: de\\n"\n\n',
            'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "c"\nmsgstr[1] "d"\n',
            "no plural=EXPRESSION",
        ),
    ],
)
def test_header_and_plural_forms_as_msgfmt_checks_them(
    header: str, body: str, message: str, tmp_path: Path
) -> None:
    found = [p for p in problems_of((header + body).encode()) if p.severity == "error"]
    assert found and message in found[0].message, found
    assert found[0].code in ("CAT016", "CAT017")
    path = tmp_path / "case.po"
    path.write_text(header + body, encoding="utf-8")
    assert msgfmt_rejects(path)


def test_a_euc_kr_catalog_is_cat011_not_cat000() -> None:
    text = HEADER.replace("UTF-8", "EUC-KR") + 'msgid "Hello"\nmsgstr "안녕하세요"\n'
    found = problems_of(text.encode("euc-kr"))
    assert [(p.code, p.severity) for p in found] == [("CAT011", "warning")]
    assert "read as euc_kr" in found[0].message
    # In a catalog redbox wrote, it is an error: redbox's other commands refuse it.
    own = HEADER.replace("UTF-8", "CP949") + 'msgctxt "speaker"\nmsgid "Joy"\nmsgstr "조이"\n'
    assert [(p.code, p.severity) for p in problems_of(own.encode("cp949"))] == [("CAT011", "error")]
    with pytest.raises(CatalogError, match="not UTF-8"):
        parse_po(own.encode("cp949"), "own.po")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_utf_16_catalog_is_an_error_as_msgfmt_rejects_it(encoding: str, tmp_path: Path) -> None:
    text = HEADER + 'msgid "a"\nmsgstr "나"\n'
    assert errors(problems_of(text.encode(encoding))) == ["CAT000"]
    path = tmp_path / "wide.po"
    path.write_bytes(text.encode(encoding))
    assert msgfmt_rejects(path)


def test_redbox_s_own_rules_are_warnings_on_other_tools_catalogs() -> None:
    body = (
        'msgid "Geeqie"\nmsgstr "Geeqie"\n\nmsgid "sRGB"\nmsgstr "sRGB"\n\n'
        'msgid "``405``"\nmsgstr "``405``"\n'
    )
    found = problems_of((HEADER + body).encode())
    assert [(p.code, p.severity, p.line) for p in found] == [
        ("CAT006", "warning", 7),
        ("CAT006", "warning", 10),
    ]
    own = HEADER + 'msgctxt "title"\nmsgid "Geeqie"\nmsgstr "Geeqie"\n'
    assert [(p.code, p.severity) for p in problems_of(own.encode())] == [("CAT006", "error")]


# ------------------------------------------------------------------ escapes: a line, never a traceback

HOSTILE_ESCAPES = ["\\x110000", "\\xFFFFFFFFFFFFFFFFFFFFFFFF", "\\xD800", "\\777", "\\xe9", "\\0"]


@pytest.mark.parametrize("escape", HOSTILE_ESCAPES)
def test_an_escape_gettext_would_misread_is_an_error_at_its_line(escape: str) -> None:
    found = problems_of((HEADER + f'msgid "a"\nmsgstr "나{escape}"\n').encode())
    assert [(p.code, p.line) for p in found] == [("CAT000", 8)]


def test_escapes_name_bytes_as_in_gettext() -> None:
    po = parse_po((HEADER + 'msgid "caf\\xc3\\xa9 \\101"\nmsgstr "\\352\\260\\200"\n').encode(), "x.po")
    assert (po.entries[0].msgid, po.entries[0].msgstr) == ("café A", "가")


EPISODE = "misunderstandings-and-stereotypes"
PO_PATH = Path("locales") / "ko" / "LC_MESSAGES" / f"{EPISODE}.po"


@pytest.mark.parametrize(
    "command",
    [
        ["check", str(PO_PATH)],
        ["catalog", "update"],
        ["catalog", "stats"],
        ["catalog", "compile"],
        ["build"],
        ["subtitles", f"transcripts/{EPISODE}.txt", "--lang", "ko", "-o", "out.ko.srt"],
    ],
    ids=lambda command: " ".join(command[:2]),
)
@pytest.mark.parametrize(
    "fault",
    [
        *(f'msgstr "다 같이{escape}"' for escape in ("\\x110000", "\\xFFFFFFFFFFFFFFFFFFFFFFFF", "\\xD800")),
        'msgstr "다 같이"\n\nmsgctxt "x"\nmsgid "a"\nmsgid_plural "b"\nmsgstr[' + "9" * 5000 + '] "c"',
    ],
    ids=["x110000", "xFFFF", "xD800", "5000-digit form index"],
)
def test_every_command_reports_a_bad_string_with_file_and_line(
    command: list[str], fault: str, project: Path, runner: CliRunner
) -> None:
    text = PO_PATH.read_text(encoding="utf-8")
    marker = 'msgstr "다 같이"'
    assert marker in text
    line = text[: text.index(marker)].count("\n") + 1 + fault.count("\n")
    PO_PATH.write_text(text.replace(marker, fault, 1), encoding="utf-8")
    result = runner.invoke(cli, command)
    output = result.stdout + result.stderr
    assert result.exit_code == 1, output
    assert f"{PO_PATH}:{line}" in output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# ------------------------------------------------------------------ previous text and plural forms are kept


def test_previous_plural_and_obsolete_previous_text_survive_reading_and_writing() -> None:
    text = (
        HEADER
        + '#, fuzzy\n#| msgctxt "old"\n#| msgid "one file"\n#| msgid_plural "%d files"\n'
        + 'msgid "one item"\nmsgid_plural "%d items"\nmsgstr[0] "%d개"\n\n'
        + '#, fuzzy\n#~| msgid "was"\n#~ msgid "gone"\n#~ msgstr "없음"\n'
    )
    po = parse_po(text.encode(), "x.po")
    assert po.entries[0].previous_msgid_plural == "%d files"
    assert po.obsolete[0].previous_msgid == "was"
    written = catalog.write_po(po).decode()
    assert '#| msgid_plural "%d files"' in written and '#~| msgid "was"' in written
    assert catalog.write_po(parse_po(written.encode(), "again.po")).decode() == written


def _plural_po(template_plural: str | None) -> tuple[PoFile, PoFile]:
    header = [("Language", "ko"), ("Plural-Forms", "nplurals=2; plural=(n != 1);")]
    old = PoFile(
        headers=header,
        entries=[
            PoEntry("%d item", msgctxt="c", msgid_plural="%d items", msgstr_plural=["%d개", "%d개들"]),
            PoEntry("door", msgctxt="d", msgstr="문"),
        ],
    )
    template = PoFile(
        entries=[
            PoEntry("%d item", msgctxt="c", msgid_plural=template_plural),
            PoEntry("door", msgctxt="d", msgid_plural="doors"),
        ]
    )
    return old, template


def test_update_never_drops_plural_forms() -> None:
    old, template = _plural_po(None)
    new, report = catalog.update(old, template)
    assert report.kept == 1 and report.fuzzied == 1
    assert (new.entries[0].msgid_plural, new.entries[0].msgstr_plural) == ("%d items", ["%d개", "%d개들"])
    written = catalog.write_po(new).decode()
    assert 'msgstr[0] "%d개"\nmsgstr[1] "%d개들"' in written
    # A message that became plural starts from its singular translation (fuzzy), written as valid PO.
    assert new.entries[1].msgstr_plural == ["문"] and new.entries[1].fuzzy
    assert parse_po(written.encode(), "again.po").entries[1].msgstr_plural == ["문"]


def test_update_keeps_every_form_of_a_kept_plural_message() -> None:
    old, template = _plural_po("%d items")
    new, report = catalog.update(old, template)
    assert report.kept == 1
    assert new.entries[0].msgstr_plural == ["%d개", "%d개들"]


# ------------------------------------------------------------------ linear time: 1 MB hostile lines

MB = 1_000_000
HOSTILE_LINES = {
    "hex escape run": 'msgid "a"\nmsgstr "\\x' + "1" * MB + '"\n',
    "octal escapes": 'msgid "a"\nmsgstr "' + "\\101" * (MB // 4) + '"\n',
    "form index digits": 'msgid "a"\nmsgid_plural "b"\nmsgstr[' + "9" * MB + '] "c"\n',
    "unterminated string of escaped quotes": 'msgid "a"\nmsgstr "' + '\\"' * (MB // 2) + "\n",
    "empty strings": 'msgid "a"\nmsgstr ' + '"" ' * (MB // 3) + "\n",
    "python-format directives": '#, python-format\nmsgid "' + "%s" * (MB // 2) + '"\nmsgstr "%d"\n',
    "python-format translation": '#, python-format\nmsgid "%s"\nmsgstr "' + "%.0s" * (MB // 4) + '"\n',
    "python-format parentheses": '#, python-format\nmsgid "%(' + "(" * MB + '"\nmsgstr "나"\n',
    "c-format argument number": '#, c-format\nmsgid "%' + "9" * MB + '$d"\nmsgstr "%' + "9" * MB + '$d"\n',
    "c-format stars": '#, c-format\nmsgid "' + "%*" * (MB // 2) + 'd"\nmsgstr "%d"\n',
    "brace nesting": '#, python-brace-format\nmsgid "'
    + "{a:" * (MB // 3)
    + '"\nmsgstr "'
    + "{a:{" * (MB // 4)
    + '"\n',
    "numbers": 'msgid "'
    + " ".join(str(n) for n in range(100_000))
    + '"\nmsgstr "'
    + "나" * (MB // 2)
    + '"\n',
    "brackets": 'msgid "' + "[a" * (MB // 2) + ']"\nmsgstr "나"\n',
    "doubled words": 'msgid "a"\nmsgstr "' + "나" * (MB // 2) + " " + "나" * (MB // 2 - 1) + '다"\n',
    "nplurals digits": 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "나"\n',
    "plural expression": 'msgid "a"\nmsgstr "나"\n',
}
HOSTILE_HEADERS = {
    "nplurals digits": HEADER.replace("nplurals=1", "nplurals=" + "9" * MB),
    "plural expression": HEADER.replace("plural=0", "plural=" + "(" * MB + "n"),
}


@pytest.mark.parametrize("name", list(HOSTILE_LINES))
def test_check_of_a_1_mb_hostile_line_finishes_in_under_5_s(name: str) -> None:
    data = (HOSTILE_HEADERS.get(name, HEADER) + HOSTILE_LINES[name]).encode("utf-8")
    started = time.perf_counter()
    problems_of(data)
    assert time.perf_counter() - started < 5


# ------------------------------------------------------------------ the format parsers' fast paths

_PIECES = st.sampled_from(
    ["%", "*", ".", "0", "5", "s", "d", "r", "h", "l", "%%", " ", "-", "#", "q", ".0", "x", "é"]
)


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_the_python_format_fast_path_reads_as_the_general_one(text: str) -> None:
    def outcome(parse: object) -> object:
        assert callable(parse)
        try:
            return parse(text)
        except po_formats.InvalidFormat:
            return "invalid"

    assert outcome(po_formats._parse_python_unnamed) == outcome(po_formats._parse_python_general)


@pytest.mark.parametrize(
    "name", ["hex escape run", "python-format directives", "form index digits", "numbers"]
)
def test_redbox_check_of_a_1_mb_hostile_line_finishes_in_under_5_s(
    name: str, runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.po"
    path.write_bytes((HEADER + HOSTILE_LINES[name]).encode("utf-8"))
    started = time.perf_counter()
    result = runner.invoke(cli, ["check", str(path)])
    assert time.perf_counter() - started < 5
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
