"""The ``Plural-Forms`` header against the messages' ``msgstr[N]`` (rule ``CAT016``), as ``msgfmt -c``.

GNU gettext 0.21's ``check_plural`` (``msgl-check.c``), for the messages ``msgfmt``
compiles (translated, not fuzzy):

- a catalog with plural messages needs ``nplurals=`` and ``plural=`` in its header;
- when the header has both, ``nplurals`` must be a number and ``plural`` a valid C
  expression whose values for n = 0…1000 lie in ``0 … nplurals-1`` (never a division by
  zero), whether or not any message is plural;
- every plural message has exactly ``nplurals`` forms.

The expression is read by Python's own reader of the same C subset (``gettext.c2py``,
which refuses expressions over 1,000 characters or nested too deeply).
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass
from typing import Any

from toolkit.catalog.po import PoEntry, PoFile
from toolkit.model import pickled_by_constructor

#: The values of n GNU gettext tries the expression on.
_TRIED = range(1001)
#: A form is "often" used when at least this many of those n take it (GNU's OFTEN).
_OFTEN = 5


@dataclass(frozen=True)
class Distribution:
    """Which plural forms serve many numbers (``often[j]``): those must use every format argument."""

    often: tuple[bool, ...] | None

    def strict(self, index: int, forms: int) -> bool:
        """Whether form ``index`` of a message with ``forms`` forms is checked strictly (``format.c``)."""
        if forms <= 1:
            return True
        return self.often is not None and index < len(self.often) and self.often[index]

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


#: GNU's default when the header gives no plural rule: ``n != 1`` (form 1 serves many numbers).
GERMANIC = Distribution((False, True))


def _evaluate(expression: str, nplurals: int) -> tuple[str, Distribution | None]:
    """Why the expression does not fit ``nplurals`` (or ""), and the forms' distribution."""
    try:
        rule = gettext.c2py(expression)
    except (ValueError, RecursionError, SyntaxError):
        return "invalid plural expression", None
    counts = [0] * min(nplurals, 100)
    try:
        for n in _TRIED:
            value = rule(n)
            if value < 0:
                return "the plural expression can produce negative values", None
            if value >= nplurals:
                return (
                    f"nplurals = {nplurals} but the plural expression can produce values as large as {value}",
                    None,
                )
            if value < len(counts):
                counts[value] += 1
    except ZeroDivisionError:
        return "the plural expression can produce a division by zero", None
    except (ArithmeticError, RecursionError):
        return "the plural expression can produce arithmetic exceptions", None
    return "", Distribution(tuple(count >= _OFTEN for count in counts) if nplurals <= 100 else None)


#: A project's catalogs share a handful of Plural-Forms headers: each (expression, nplurals) is
#: compiled and tried on n = 0…1000 once a process, not once a file (a pure function of the
#: two, its answer immutable). Bounded, so a tree of odd headers cannot grow it.
_evaluated = functools.lru_cache(maxsize=64)(_evaluate)


def _nplurals(text: str) -> int | None:
    """The number after ``nplurals=`` (blanks first allowed), bounded; None when there is none."""
    text = text.lstrip(" \t\n\r\f\v")
    end = 0
    while end < len(text) and text[end].isascii() and text[end].isdigit():
        end += 1
    if end == 0:
        return None
    digits = text[:end].lstrip("0") or "0"
    return int(digits) if len(digits) <= 9 else 10**9


def compiled_plurals(po: PoFile) -> list[PoEntry]:
    """The active plural messages msgfmt compiles: a first form filled in, not fuzzy."""
    return [
        entry
        for entry in po.entries
        if entry.msgid_plural is not None
        and entry.msgstr_plural
        and entry.msgstr_plural[0]
        and not entry.fuzzy
    ]


def plural_problems(po: PoFile) -> tuple[list[tuple[int, str]], Distribution]:
    """Each problem with the catalog's plural forms as (line, message), and the forms' distribution."""
    plurals = compiled_plurals(po)
    header_line = po.header_line or 1
    if not po.headers:
        if plurals:
            return [
                (plurals[0].line, "plural messages, but no header entry with Plural-Forms")
            ], Distribution(None)
        return [], GERMANIC
    text = "".join(f"{name}: {value}\n" for name, value in po.headers)
    plural_at, nplurals_at = text.find("plural="), text.find("nplurals=")
    if plural_at < 0 or nplurals_at < 0:
        if not plurals:
            return [], GERMANIC
        missing = "plural=EXPRESSION" if plural_at < 0 else "nplurals=INTEGER"
        return [
            (plurals[0].line, f"plural messages, but the header has no {missing} in Plural-Forms")
        ], Distribution(None)
    problems: list[tuple[int, str]] = []
    nplurals = _nplurals(text[nplurals_at + len("nplurals=") :])
    if nplurals is None:
        problems.append((header_line, "invalid nplurals value in Plural-Forms"))
    expression = text[plural_at + len("plural=") :].split(";", 1)[0].split("\n", 1)[0]
    reason, distribution = _evaluated(expression, nplurals or 0) if nplurals is not None else ("", None)
    if nplurals is not None and reason:
        problems.append((header_line, f"{reason} (Plural-Forms)"))
    elif nplurals is None:
        try:
            gettext.c2py(expression)
        except (ValueError, RecursionError, SyntaxError):
            problems.append((header_line, "invalid plural expression (Plural-Forms)"))
    if problems or distribution is None or nplurals is None:
        return problems, Distribution(None)
    for entry in plurals:
        forms = len(entry.msgstr_plural)
        if forms != nplurals:
            problems.append((entry.line, f"{forms} plural forms, but the header says nplurals = {nplurals}"))
            break  # (msgfmt names one such message, the first with the fewest or most forms)
    return problems, Distribution(None) if problems else distribution
