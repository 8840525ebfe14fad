"""Format strings in catalogs, compared as ``msgfmt -c`` compares them (rule ``CAT015``).

A message flagged ``c-format``, ``python-format`` or ``python-brace-format`` (or
``possible-…``) is a format string: the program fills its directives in at run time, so
a translation that asks for other arguments breaks the program (or the subtitle). These
are GNU gettext 0.21's rules, read from its ``format-c.c``/``format-c-parse.h``,
``format-python.c``, ``format-python-brace.c`` and ``format.c``:

- the msgid (``msgid_plural`` for a plural message) is parsed first; when it is not a
  valid format string nothing is checked (the flag was wrong, not the translation);
- every msgstr form must be a valid format string, asking for the same arguments;
- a plural form used for a single number (``msgstr[0]`` of ``n != 1``) may leave
  arguments out (relaxed checking); every other form must use them all.

Each parser reads its string once, left to right (linear time, no regular expression
that backtracks), and bounds every number it reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

#: The flags checked, each with the name msgfmt uses in its messages.
FORMAT_FLAGS = {"c-format": "C", "python-format": "Python", "python-brace-format": "Python brace"}


@dataclass
class FormatSpec:
    """The arguments a format string asks for: positional types in order, or types by name."""

    unnamed: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)


class InvalidFormat(Exception):
    """The string is not a valid format string of its kind (the message is the reason)."""


def _digits_end(text: str, index: int) -> int:
    while index < len(text) and text[index].isascii() and text[index].isdigit():
        index += 1
    return index


def _bounded(digits: str) -> int:
    """A directive's number (an argument position): huge ones stay huge without converting 5,000 digits."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 9 else 10**9


# --------------------------------------------------------------------------- Python %


def parse_python(text: str) -> FormatSpec:
    """``%s``, ``%(name)d``, ``%%``… as ``format-python.c`` reads them."""
    if "%(" not in text:
        return _parse_python_unnamed(text)
    return _parse_python_general(text)


def _parse_python_general(text: str) -> FormatSpec:
    """:func:`parse_python`, directive by directive (named ones need their parentheses matched)."""
    spec = FormatSpec()
    index, size = 0, len(text)
    count = 0
    while True:
        index = text.find("%", index)
        if index < 0:
            break
        index += 1
        count += 1
        name = None
        if index < size and text[index] == "(":
            depth, start = 0, index + 1
            index = start
            while index < size:
                char = text[index]
                if char == "(":
                    depth += 1
                elif char == ")":
                    if depth == 0:
                        break
                    depth -= 1
                index += 1
            if index >= size:
                raise InvalidFormat("the string ends in the middle of a directive")
            name = text[start:index]
            index += 1
        # Flags, width, precision, length: one match (C's isdigit: ASCII digits only).
        found = _PYTHON_SPEC.match(text, index)
        assert found is not None  # (every part is optional)
        width_star, precision_star, precision = found.groups()
        for star in (width_star, precision_star):
            if star:
                if spec.named:
                    raise InvalidFormat("the string mixes named and unnamed argument specifications")
                spec.unnamed.append("integer")
        zero_precision = bool(precision) and not precision.strip("0")
        index = found.end()
        if index >= size:
            raise InvalidFormat("the string ends in the middle of a directive")
        conversion = text[index]
        kind = _PYTHON_TYPES.get(conversion)
        if kind is None:
            raise InvalidFormat(
                f"directive number {count}: {conversion!r} is not a valid conversion specifier"
            )
        if kind == "string" and zero_precision:
            kind = "any"
        if name is not None:
            if spec.unnamed:
                raise InvalidFormat("the string mixes named and unnamed argument specifications")
            known = spec.named.get(name)
            if known is not None and known != kind and "any" not in (known, kind):
                raise InvalidFormat(f"the string refers to the argument named {name!r} in incompatible ways")
            spec.named[name] = kind if known in (None, "any") else known
        elif conversion != "%":
            if spec.named:
                raise InvalidFormat("the string mixes named and unnamed argument specifications")
            spec.unnamed.append(kind)
        index += 1
    return spec


def _parse_python_unnamed(text: str) -> FormatSpec:
    """:func:`parse_python` of a string without ``%(``: one regular expression finds every directive."""
    found = _PYTHON_UNNAMED.findall(text)
    types = _PYTHON_TYPES
    if "*" not in text and "." not in text:
        # No `*` arguments, no precision: one type per conversion, in whole-list steps.
        conversions = [conversion for _, _, conversion in found]
        kinds = [types.get(conversion) for conversion in conversions]
        if None in kinds:
            count = kinds.index(None)
            if not conversions[count]:
                raise InvalidFormat("the string ends in the middle of a directive")
            raise InvalidFormat(
                f"directive number {count + 1}: {conversions[count]!r} is not a valid conversion specifier"
            )
        return FormatSpec(unnamed=[kind for kind in kinds if kind is not None and kind != "none"])
    unnamed: list[str] = []
    append = unnamed.append
    for count, (width, precision, conversion) in enumerate(found, 1):
        if width == "*":
            append("integer")
        if precision == ".*":
            append("integer")
        kind = types.get(conversion)
        if kind is None:
            if not conversion:
                raise InvalidFormat("the string ends in the middle of a directive")
            raise InvalidFormat(
                f"directive number {count}: {conversion!r} is not a valid conversion specifier"
            )
        if conversion != "%":
            zero_precision = len(precision) > 1 and not precision[1:].strip("0")
            append("any" if kind == "string" and zero_precision else kind)
    return FormatSpec(unnamed=unnamed)


#: A whole unnamed directive: width, precision (with its dot) and the conversion character ("" at the end).
_PYTHON_UNNAMED = re.compile(r"%[-+ #0]*+(\*|[0-9]*+)(\.(?:\*|[0-9]*+))?[hlL]?(.?)", re.DOTALL)
_PYTHON_SPEC = re.compile(r"[-+ #0]*+(?:(\*)|[0-9]*+)(?:\.(?:(\*)|([0-9]*+)))?[hlL]?")
_PYTHON_TYPES = {
    "%": "none", "c": "character", "s": "string", "r": "string",
    **{conversion: "integer" for conversion in "iduoxX"},
    **{conversion: "float" for conversion in "eEfgG"},
}  # fmt: skip


def check_python(source: FormatSpec, target: FormatSpec, strict: bool, what: str) -> str:
    """Why ``target`` (a translation) does not fit ``source`` (the msgid), or ""."""
    if source.named and target.unnamed:
        return f"format specifications in the source expect a mapping, those in {what} expect a tuple"
    if source.unnamed and target.named:
        return f"format specifications in the source expect a tuple, those in {what} expect a mapping"
    for name in sorted(target.named):
        if name not in source.named:
            return f"{what} has a format specification for argument {name!r} the source does not have"
    if strict:
        for name in sorted(source.named):
            if name not in target.named:
                return f"a format specification for argument {name!r} is missing from {what}"
    for name, kind in sorted(target.named.items()):
        other = source.named[name]
        if not (kind == other or (not strict and "any" in (kind, other))):
            return f"the format specifications of the source and {what} for argument {name!r} differ"
    if len(source.unnamed) != len(target.unnamed):
        return f"the source has {len(source.unnamed)} format specifications, {what} has {len(target.unnamed)}"
    for number, (one, other) in enumerate(zip(source.unnamed, target.unnamed, strict=True), 1):
        if not (one == other or (not strict and "any" in (one, other))):
            return f"the format specifications of the source and {what} for argument {number} differ"
    return ""


# --------------------------------------------------------------------------- Python {}


def parse_python_brace(text: str) -> FormatSpec:
    """``{name}``, ``{0}``, ``{a.b[1]:>10}``, ``{{``… as ``format-python-brace.c`` reads them."""
    spec = FormatSpec()
    index, size = 0, len(text)
    while True:
        index = text.find("{", index)
        if index < 0:
            return spec
        index = _brace_directive(text, index, size, spec, toplevel=True)


def _field_end(text: str, index: int, numeric: bool) -> int:
    """The end of a field name at ``index`` (``index`` itself when there is none)."""
    size = len(text)
    if index < size and (text[index] == "_" or (text[index].isascii() and text[index].isalpha())):
        index += 1
        while index < size and (text[index] == "_" or (text[index].isascii() and text[index].isalnum())):
            index += 1
        return index
    return _digits_end(text, index) if numeric else index


def _brace_directive(text: str, index: int, size: int, spec: FormatSpec, toplevel: bool) -> int:
    """Read the directive whose ``{`` is at ``index``; the position after it."""
    index += 1
    if index < size and text[index] == "{":
        return index + 1
    start = index
    index = _field_end(text, index, numeric=True)
    if index == start:
        raise InvalidFormat(f"{text[index : index + 1]!r} cannot start a field name")
    while index < size and text[index] in ".[":
        opener = text[index]
        after = _field_end(text, index + 1, numeric=opener == "[")
        if after == index + 1:
            raise InvalidFormat(f"{text[after : after + 1]!r} cannot follow {opener!r} in a field name")
        index = after
        if opener == "[":
            if index >= size or text[index] != "]":
                raise InvalidFormat("the string ends in the middle of a directive")
            index += 1
    if index < size and text[index] == ":":
        if not toplevel:
            raise InvalidFormat("no more nesting is allowed in a format specifier")
        index += 1
        if index < size and text[index] == "{":
            index = _brace_directive(text, index, size, spec, toplevel=False)
        else:
            if index + 1 < size and text[index + 1] in "<>=^":
                index += 2
            elif index < size and text[index] in "<>=^":
                index += 1
            for optional in "+- ", "#", "0":
                if index < size and text[index] in optional:
                    index += 1
            index = _digits_end(text, index)
            if index < size and text[index] == ".":
                index = _digits_end(text, index + 1)
            if index < size and text[index] in "bcdoxXneEfFgG%":
                index += 1
        if index >= size or text[index] != "}":
            raise InvalidFormat("the string ends in the middle of a directive")
    if index >= size or text[index] != "}":
        raise InvalidFormat("a format directive is not closed")
    if toplevel:
        spec.named[text[start:index]] = "any"
    return index + 1


def check_python_brace(source: FormatSpec, target: FormatSpec, strict: bool, what: str) -> str:
    if not strict:
        return ""
    for name in sorted(set(source.named) ^ set(target.named)):
        where = what if name in source.named else "the source"
        return f"a format specification for argument {name!r} is missing from {where}"
    return ""


# --------------------------------------------------------------------------- C printf


#: Argument number (``2$``), flags, width (``*``, ``*3$`` or digits), precision: what follows ``%``.
_C_SPEC_PATTERN = (
    r"(?:([0-9]++)\$)?[-+ #0'{I}]*+(?:(\*)(?:([0-9]++)\$)?|[0-9]*+)(?:\.(?:(\*)(?:([0-9]++)\$)?|[0-9]*+))?"
)
_C_SPEC = re.compile(_C_SPEC_PATTERN.format(I=""))
#: In a translation glibc's ``I`` flag (locale digits) is allowed too.
_C_SPEC_TRANSLATED = re.compile(_C_SPEC_PATTERN.format(I="I"))
_C_SIZES = {"hh": "char", "h": "short", "l": "long", "ll": "long long", "L": "long long", "q": "long long",
            "j": "intmax_t", "z": "size_t", "Z": "size_t", "t": "ptrdiff_t"}  # fmt: skip
_C_FIXED = ("MAX", "PTR", "LEAST8", "LEAST16", "LEAST32", "LEAST64", "FAST8", "FAST16", "FAST32", "FAST64",
            "8", "16", "32", "64")  # fmt: skip


def parse_c(text: str, translated: bool = False) -> FormatSpec:
    """``%s``, ``%2$ld``, ``%*d``, ``%<PRId64>``… as ``format-c-parse.h`` reads them.

    ``translated``: a msgstr, which may use glibc's ``I`` flag (locale digits).
    """
    unnumbered: list[str] = []
    numbered: dict[int, str] = {}
    index, size, count = 0, len(text), 0

    def add(number: int, kind: str) -> None:
        if number:
            if unnumbered:
                raise InvalidFormat("the string mixes numbered and unnumbered argument specifications")
            if numbered.setdefault(number, kind) != kind:
                raise InvalidFormat(f"the string refers to argument number {number} in incompatible ways")
        else:
            if numbered:
                raise InvalidFormat("the string mixes numbered and unnumbered argument specifications")
            unnumbered.append(kind)

    directive = _C_SPEC_TRANSLATED if translated else _C_SPEC
    while True:
        index = text.find("%", index)
        if index < 0:
            break
        count += 1
        found = directive.match(text, index + 1)
        assert found is not None  # (every part is optional)
        position, width_star, width, precision_star, precision = found.groups()
        number = 0
        if position or width or precision:  # argument numbers (`%2$s`, `%*3$d`): none is 0
            for given in (position, width, precision):
                if given is not None and _bounded(given) == 0:
                    raise InvalidFormat(f"directive number {count}: argument number 0 (they start at 1)")
            number = _bounded(position) if position is not None else 0
        if width_star:
            if width or numbered:
                add(_bounded(width) if width else 0, "int")
            else:
                unnumbered.append("int")  # (what add does for an unnumbered argument)
        if precision_star:
            add(_bounded(precision) if precision else 0, "int")
        index = found.end()
        if index < size and text[index] == "<":
            close = text.find(">", index, index + 16)
            macro = text[index + 1 : close] if close > 0 else ""
            if not (
                macro[:3] == "PRI" and macro[3:4] in ("d", "i", "o", "u", "x", "X") and macro[4:] in _C_FIXED
            ):
                raise InvalidFormat(
                    f"directive number {count}: the token after '<' is not a valid <inttypes.h> macro"
                )
            unsigned = "unsigned " if macro[3] in "ouxX" else ""
            add(number, f"{unsigned}int {macro[4:]}")
            index = close + 1
            continue
        size_name = ""
        while index < size and text[index] in "hlLqjzZt":
            letter = text[index]
            size_name = letter * 2 if letter in "hl" and size_name in (letter, letter * 2) else letter
            index += 1
        if index >= size:
            raise InvalidFormat("the string ends in the middle of a directive")
        conversion = text[index]
        modifier = _C_SIZES.get(size_name, "")
        wide = size_name in ("l", "ll", "L", "q")
        if conversion in "%m":
            kind = ""
        elif conversion in "cs":
            kind = ("wide " if wide else "") + ("char" if conversion == "c" else "string")
        elif conversion in "CS":
            kind = "wide " + ("char" if conversion == "C" else "string")
        elif conversion in "id":
            kind = f"int {modifier}"
        elif conversion in "ouxX":
            kind = f"unsigned int {modifier}"
        elif conversion in "eEfFgGaA":
            kind = "long double" if size_name in ("ll", "L", "q") else "double"
        elif conversion == "p":
            kind = "pointer"
        elif conversion == "n":
            kind = f"count pointer {modifier}"
        else:
            raise InvalidFormat(
                f"directive number {count}: {conversion!r} is not a valid conversion specifier"
            )
        if kind:
            add(number, kind)
        index += 1
    if numbered:
        for expected, used in enumerate(sorted(numbered), 1):
            if used != expected:
                raise InvalidFormat(
                    f"the string refers to argument number {used} but ignores argument number {expected}"
                )
        return FormatSpec(unnamed=[numbered[number] for number in sorted(numbered)])
    return FormatSpec(unnamed=unnumbered)


def check_c(source: FormatSpec, target: FormatSpec, strict: bool, what: str) -> str:
    mine, theirs = len(source.unnamed), len(target.unnamed)
    if (mine != theirs) if strict else (theirs > mine):
        return f"the source has {mine} format specifications, {what} has {theirs}"
    for number, (one, other) in enumerate(zip(source.unnamed, target.unnamed, strict=False), 1):
        if one != other:
            return f"the format specifications of the source and {what} for argument {number} differ"
    return ""


# --------------------------------------------------------------------------- one message


_Parser = Callable[[str], FormatSpec]
_Checker = Callable[[FormatSpec, FormatSpec, bool, str], str]
_KINDS: dict[str, tuple[_Parser, _Parser, _Checker]] = {
    "c-format": (parse_c, lambda text: parse_c(text, translated=True), check_c),
    "python-format": (parse_python, parse_python, check_python),
    "python-brace-format": (parse_python_brace, parse_python_brace, check_python_brace),
}


def format_kinds(flags: list[str]) -> list[str]:
    """The format flags of a message that msgfmt checks (``c-format``, ``possible-c-format``…)."""
    kinds = []
    for flag in flags:
        kind = flag.removeprefix("possible-")
        if kind in _KINDS and kind not in kinds:
            kinds.append(kind)
    return kinds


def format_problems(
    kind: str, source: str, translations: list[str], strict: Callable[[int], bool], plural: bool
) -> list[str]:
    """What is wrong with each translation of the format string ``source`` (msgid or msgid_plural).

    ``strict(index)``: whether form ``index`` must use every argument.
    """
    parse_source, parse_target, check = _KINDS[kind]
    try:
        wanted = parse_source(source)
    except InvalidFormat:
        return []  # not a format string after all: msgfmt checks nothing either
    found = []
    for index, translation in enumerate(translations):
        what = f"msgstr[{index}]" if plural else "the translation"
        try:
            given = parse_target(translation)
        except InvalidFormat as reason:
            found.append(f"{what} is not a valid {FORMAT_FLAGS[kind]} format string ({reason})")
            continue
        problem = check(wanted, given, strict(index), what)
        if problem:
            found.append(problem)
    return found
