"""What ``msgfmt -c`` rejects, as ``redbox check`` problems: ``CAT012`` and ``CAT014``–``CAT017``.

GNU gettext's ``msgfmt -c`` is the reference for whether a catalog can be compiled: a
``.po`` it rejects must get at least one error from ``redbox check``. Syntax errors are
the reader's (``CAT000``, :mod:`.po_read`); the rest is here, as in gettext 0.21's
``msgl-check.c`` and ``msgfmt.c``:

- ``CAT017``: no header entry with a translation (``msgid ""`` whose ``msgstr`` holds the
  fields). msgfmt: "PO file header missing or invalid".
- ``CAT016``: plural forms (:mod:`.po_plural`).
- ``CAT014``: the same message (msgctxt and msgid) defined twice, active and obsolete or
  twice obsolete: msgfmt and msgcat stop with "duplicate message definition". (Twice
  active is a reading error, ``CAT000``.)
- ``CAT012``: msgid, msgid_plural and every msgstr form must all begin with a newline or
  none, and all end with one or none.
- ``CAT015``: format strings (:mod:`.po_formats`).

msgfmt checks only what it compiles: messages with a translation (the first form filled
in) that are not fuzzy. A fuzzy message's ``CAT012``/``CAT015`` is a warning here: it is
not compiled, but it will be the day its fuzzy flag is cleared.
"""

from __future__ import annotations

from toolkit.catalog.po import SPEAKER_CONTEXT, PoEntry, PoFile, is_turn_context
from toolkit.catalog.po_formats import format_kinds, format_problems
from toolkit.catalog.po_plural import Distribution, plural_problems
from toolkit.model import Problem, Severity


def describe(entry: PoEntry) -> str:
    """How a problem names a message: a speaker, a turn, or the start of its context or msgid."""
    if entry.msgctxt == SPEAKER_CONTEXT:
        return f"speaker name {entry.msgid!r}"
    if is_turn_context(entry.msgctxt):
        turn = entry.comment("turn")
        return f"turn {turn}" if turn else f"message {entry.msgctxt}"
    return f"message {entry.msgctxt or entry.msgid[:30]!r}"


def translation_forms(entry: PoEntry) -> list[str]:
    """The msgstr, or the msgstr[N] forms of a plural message."""
    return entry.msgstr_plural if entry.msgid_plural is not None else [entry.msgstr]


def compiled(entry: PoEntry) -> bool:
    """True when msgfmt puts the message in the ``.mo`` (and so checks it): translated, not fuzzy."""
    forms = translation_forms(entry)
    return bool(forms) and bool(forms[0]) and not entry.fuzzy


def _newline_problems(entry: PoEntry) -> list[str]:
    if entry.msgid_plural is None and "\n" not in entry.msgid and "\n" not in entry.msgstr:
        return []  # (no newline anywhere: none can begin or end a string)
    return newline_problems_general(entry)


def newline_problems_general(entry: PoEntry) -> list[str]:
    """msgfmt's rule that a source and its translations begin and end alike with a newline
    (:func:`_newline_problems` is this with a shortcut for text without newlines)."""
    plural = entry.msgid_plural is not None
    others = [("msgid_plural", entry.msgid_plural or "")] if plural else []
    others += [
        (f"msgstr[{index}]" if plural else "the translation", form)
        for index, form in enumerate(translation_forms(entry))
    ]
    found = []
    for edge, test in (("begin", str.startswith), ("end", str.endswith)):
        source = test(entry.msgid, "\n")
        for what, text in others:
            if test(text, "\n") != source:
                found.append(f"the source and {what} must both {edge} with a newline or both not")
    return found


def msgfmt_duplicates(po: PoFile, source: str) -> list[Problem]:
    """CAT014 (templates are checked for this alone: msgfmt -c's other rules are for translations)."""
    seen: dict[tuple[str | None, str], int] = {entry.key: entry.line for entry in po.entries}
    if po.header_line:
        seen[(None, "")] = po.header_line
    problems = []
    for entry in po.obsolete:
        first = seen.setdefault(entry.key, entry.line)
        if first != entry.line:
            problems.append(
                Problem(
                    source,
                    entry.line,
                    1,
                    "error",
                    "CAT014",
                    f"{describe(entry)} is defined twice (also on line {first}), here obsolete (#~): "
                    "msgfmt and msgcat stop on it; delete one of them",
                )
            )
    return problems


def _message_problems(entry: PoEntry, source: str, distribution: Distribution) -> list[Problem]:
    forms = translation_forms(entry)
    if not forms or not forms[0]:
        return []  # untranslated: msgfmt leaves it out, unchecked
    severity: Severity = "warning" if entry.fuzzy else "error"
    newlines = _newline_problems(entry)
    kinds = format_kinds(entry.flags)
    if not newlines and not kinds:
        return []  # the usual message: not described (a sixth of these checks' time)
    what = describe(entry)
    found = [Problem(source, entry.line, 1, severity, "CAT012", f"{what}: {message}") for message in newlines]
    plural = entry.msgid_plural is not None
    for kind in kinds:
        for message in format_problems(
            kind,
            entry.msgid_plural if plural and entry.msgid_plural is not None else entry.msgid,
            forms,
            lambda index: not plural or distribution.strict(index, len(forms)),
            plural,
        ):
            found.append(Problem(source, entry.line, 1, severity, "CAT015", f"{what} ({kind}): {message}"))
    return found


def msgfmt_problems(po: PoFile, source: str) -> list[Problem]:
    """What ``msgfmt -c`` would reject in a parsed translation catalog (see the module docstring)."""
    header_line = po.header_line or 1
    problems = []
    if not po.headers:
        problems.append(
            Problem(
                source,
                header_line,
                1,
                "error",
                "CAT017",
                'no header entry with a translation (msgid "" and a msgstr with Content-Type, '
                "Language and Plural-Forms): msgfmt -c rejects the file",
            )
        )
    plural, distribution = plural_problems(po)
    problems += [Problem(source, line, 1, "error", "CAT016", message) for line, message in plural]
    problems += msgfmt_duplicates(po, source)
    for entry in po.entries:
        problems += _message_problems(entry, source, distribution)
    return problems
