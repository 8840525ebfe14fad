"""Checks of translation catalogs (``.po``) for ``redbox check``: codes ``CAT000``–``CAT017``, ``CAT030``.

Every finding is a :class:`~toolkit.model.Problem` at the file and line of the message's
``msgid``. Codes (severity in brackets; ``--strict`` in ``redbox check`` turns warnings
into errors):

- ``CAT000`` [error] the PO file does not parse.
- ``CAT001`` [error*] untranslated message (an empty or whitespace-only translation).
- ``CAT002`` [error*] fuzzy message (needs a translator's review).
- ``CAT003`` [warning] ``[added words]`` brackets of the source missing from the translation.
- ``CAT004`` [warning] a number of the source missing from the translation.
- ``CAT005`` [warning] a question or exclamation mark of the source missing from the translation.
- ``CAT006`` [error*] wrong script: a Korean translation without Hangul, an English one with Hangul.
- ``CAT007`` [warning] a speaker name not translated as its speaker message says.
- ``CAT008`` [warning] a doubled word (``the the``) the source does not have.
- ``CAT009`` [warning] stray whitespace: leading, trailing or doubled spaces the source does not have.
- ``CAT010`` [warning] too long to read in the turn's time (Korean 12, English 20 characters a second).
- ``CAT011`` [error*] header: no ``Language`` or ``Plural-Forms``, or not UTF-8.
- ``CAT012`` [error†] the translation does not begin/end with a newline like its source (``msgfmt -c``).
- ``CAT013`` [warning] out of date with the transcript: run ``redbox catalog update``.
- ``CAT014`` [error] a message defined twice: active and obsolete (``#~``), or twice obsolete.
- ``CAT015`` [error†] a format string (``c-format``, ``python-format``, ``python-brace-format``)
  whose translation asks for other arguments (:mod:`.po_formats`).
- ``CAT016`` [error] plural forms: ``Plural-Forms`` missing, invalid, or not the number of
  ``msgstr[N]`` the messages have.
- ``CAT017`` [error] no header entry (``msgid ""``) with a translation.
- ``CAT030`` [warning] a turn's translation longer than its budget (``#. budget:``, see ``budget.py``).

``*`` redbox's own rules: errors on redbox's catalogs, warnings on catalogs written by other
tools (:func:`is_redbox_catalog`), which ``msgfmt -c`` accepts with them. ``†`` ``msgfmt -c``'s
rules: errors, warnings on fuzzy messages (msgfmt leaves those out of the ``.mo``).
A ``.po`` that ``msgfmt -c`` rejects gets an error; see docs/catalogs.md for the differences.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from toolkit.catalog.budget import over_budget
from toolkit.catalog.identity import normalize_text
from toolkit.catalog.msgfmt_checks import describe as _describe
from toolkit.catalog.msgfmt_checks import msgfmt_duplicates, msgfmt_problems
from toolkit.catalog.po import SPEAKER_CONTEXT, TITLE_CONTEXT, PoEntry, PoFile, is_turn_context, on_screen
from toolkit.catalog.po_read import parse_po
from toolkit.catalog.translate import TurnFacts, match_turns, matches_every_turn
from toolkit.errors import CatalogError
from toolkit.limits import ENGLISH, HANGUL_RE, KOREAN, base_language, limits_for, text_width
from toolkit.model import Problem, Severity, Transcript
from toolkit.timing import TimingOptions, speech_ms, speech_rate

#: The translation is shown for the time the source is spoken; that time comes from the
#: subtitle engine's speech-rate model (:mod:`toolkit.timing`: English 15 characters a
#: second, Korean 6.5 units), so this check and ``redbox subtitles`` agree.
#: Turns shorter than this are never flagged: a cue is on screen at least 5/6 s anyway.
MIN_DISPLAY_MS = 833

_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_DIGIT = re.compile(r"\d")
_DOUBLED = re.compile(r"(?<!\w)(\w+)\s+\1(?!\w)", re.IGNORECASE)


def _problem(source: str, line: int, severity: Severity, code: str, message: str) -> Problem:
    return Problem(source, line, 1, severity, code, message)


def estimated_duration_ms(text: str, language: str) -> int:
    """How long ``text`` takes to say, by :mod:`toolkit.timing`'s speech rates (at least 5/6 s).

    >>> estimated_duration_ms("Welcome to the Red Box!", "en")
    1533
    """
    rate = speech_rate(language, TimingOptions())
    return max(MIN_DISPLAY_MS, speech_ms(text, limits_for(language), rate))


def reading_speed(translation: str, source: str, source_language: str, target_language: str) -> float:
    """Characters a second a viewer must read when ``translation`` is shown while ``source`` is said.

    >>> round(reading_speed("레드 박스에 오신 걸 환영합니다!", "Welcome to the Red Box!", "en", "ko"), 1)
    10.1
    """
    width = text_width(translation, limits_for(target_language))
    return 1000 * width / estimated_duration_ms(source, source_language)


#: Above this many characters searched (numbers × translation length), a number counts as
#: present only when the translation has it whole: a substring search for each of 100,000
#: numbers in a 1 MB line would take minutes.
_SEARCH_BUDGET = 2_000_000


def _missing_numbers(original: str, target: str) -> list[str]:
    """The source's numbers (each once, in order) that the translation does not have."""
    numbers = list(dict.fromkeys(_NUMBER.findall(original)))
    if len(numbers) * len(target) <= _SEARCH_BUDGET:
        return [number for number in numbers if number not in target]
    whole = set(_NUMBER.findall(target))
    return [number for number in numbers if number not in whole]


def _word_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


class _Reading:
    """:func:`reading_speed` for one catalog's languages, their limits and speech rate looked up once.

    The same arithmetic in the same order, so the same float (tests/test_catalog_check_fast_paths.py).
    """

    def __init__(self, source_language: str, target_language: str) -> None:
        self.source_limits = limits_for(source_language)
        self.target_limits = limits_for(target_language)
        self.rate = speech_rate(source_language, TimingOptions())

        #: Widths of the translations measured (on screen, NFC), for CAT010 and CAT030 alike.
        self.widths: dict[str, float] = {}

    def width(self, translation: str) -> float:
        """``text_width(translation, target limits)``, measured once a translation."""
        width = self.widths.get(translation)
        if width is None:
            width = self.widths[translation] = text_width(translation, self.target_limits)
        return width

    def speed(self, translation: str, source: str) -> float:
        width = self.width(translation)
        duration = max(MIN_DISPLAY_MS, speech_ms(source, self.source_limits, self.rate))
        return 1000 * width / duration

    def at_most(self, translation: str) -> float:
        """A bound :meth:`width` never exceeds, from the length alone: a character counts at
        most 1; counting the Korean way, at most a half unless it is wide (Hangul, CJK), and
        every wide character takes 3 bytes in UTF-8, every other at least 1, so ``n``
        characters in ``b`` bytes count at most ``(n + b) / 4`` (exactly that for Hangul,
        ASCII and spaces). A line break counts nothing: it only loosens the bound."""
        if self.target_limits.cjk_counting:
            return (len(translation) + len(translation.encode("utf-8", "surrogatepass"))) / 4
        return float(len(translation))

    def too_fast(self, translation: str, source: str, limit: float) -> float | None:
        """:meth:`speed` when it is over ``limit`` (CAT010), else ``None``; the width is measured
        only when the bound (:meth:`at_most`) does not settle it (most messages: it does)."""
        duration = max(MIN_DISPLAY_MS, speech_ms(source, self.source_limits, self.rate))
        if 1000 * self.at_most(translation) / duration <= limit:
            return None  # (width <= bound: the speed cannot be over either)
        speed = 1000 * self.width(translation) / duration
        return speed if speed > limit else None


#: A speaker name, its translation, and its whole-word pattern, compiled once a catalog.
_NameRule = tuple[str, str, "re.Pattern[str]"]


def _name_rules(names: Mapping[str, str]) -> list[_NameRule]:
    return [(name, translated, _word_pattern(name)) for name, translated in names.items()]


def _has_word(name: str, pattern: re.Pattern[str], text: str) -> bool:
    """``pattern.search(text)`` for ``_word_pattern(name)``: it matches ``name`` itself, so only
    where ``name`` occurs (a substring test first: most turns name no speaker)."""
    return name in text and pattern.search(text) is not None


def is_redbox_catalog(po: PoFile) -> bool:
    """True for a catalog redbox wrote (and a translator edited): redbox's own rules are errors there.

    Told by its messages, which survive any editor: every message, active or obsolete, has
    one of the contexts redbox gives (``title``, ``speaker``, a turn id ``<episode>/<id>``)
    and there is at least one. Another project's catalog (Django, GNOME, the Python docs)
    has messages without a context. A catalog with no messages yet counts as redbox's when
    its header says ``X-Generator: redbox``.
    """
    messages = [*po.entries, *po.obsolete]
    if not messages:
        return po.header("X-Generator").lower().startswith("redbox")
    return all(
        entry.msgctxt in (TITLE_CONTEXT, SPEAKER_CONTEXT) or is_turn_context(entry.msgctxt)
        for entry in messages
    )


#: Letters: a source without any (``0``, ````405````, ``%s``) has nothing to translate into Hangul.
_LETTER = re.compile(r"[^\W\d_]")


class _Described:
    """A message's :func:`~.msgfmt_checks.describe`, made when a problem message formats it."""

    __slots__ = ("entry",)

    def __init__(self, entry: PoEntry) -> None:
        self.entry = entry

    # (``__str__``, not ``__format__``: a class compiled by mypyc keeps ``__str__`` only, and
    # an f-string without a format spec asks for ``str()``)
    def __str__(self) -> str:
        return _describe(self.entry)


def _check_entry(
    entry: PoEntry,
    source: str,
    language: str,
    source_language: str,
    names: Sequence[_NameRule],
    own: Severity,
    reading: _Reading,
) -> list[Problem]:
    problems: list[Problem] = []
    line = entry.line

    def add(severity: Severity, code: str, message: str) -> None:
        problems.append(_problem(source, line, severity, code, message))

    what = _Described(entry)  # (described only when a problem is reported)
    # Errors: the subtitles would show the source text (under translated names) instead.
    if not entry.translated:
        blank = " (only whitespace)" if entry.msgstr and entry.msgid_plural is None else ""
        add(own, "CAT001", f"{what} is untranslated{blank}")
        return problems
    if entry.fuzzy:
        add(own, "CAT002", f"{what} is fuzzy: review it, then clear the fuzzy flag")
    original = entry.msgid
    written = entry.msgstr_plural if entry.msgid_plural is not None else [entry.msgstr]
    targets = [on_screen(target) for target in written]
    has_digit = _DIGIT.search(original) is not None
    # (the names the source holds as a substring: only they can be whole words of it)
    named = [rule for rule in names if rule[0] in original] if entry.msgctxt != SPEAKER_CONTEXT else []
    for target in targets:
        # (no '[' in the source: no brackets to miss, and the translation's need not be found)
        source_brackets = _BRACKETS.findall(original) if "[" in original else []
        if source_brackets and len(_BRACKETS.findall(target)) < len(source_brackets):
            add(
                "warning",
                "CAT003",
                f"{what}: the source's {' '.join(source_brackets)} has no [bracketed] "
                f"counterpart in the translation",
            )
        # (a source without digits has no number to miss: most turns)
        missing_numbers = _missing_numbers(original, target) if has_digit else []
        if missing_numbers:
            shown = ", ".join(missing_numbers[:5]) + (", …" if len(missing_numbers) > 5 else "")
            add("warning", "CAT004", f"{what}: number {shown} missing from the translation")
        for mark, wide in (("?", "？"), ("!", "！")):
            if mark in original and mark not in target and wide not in target:
                add("warning", "CAT005", f"{what}: the source has {mark!r}, the translation does not")
        has_hangul = bool(HANGUL_RE.search(target))
        if language == "ko" and not has_hangul and _LETTER.search(original):
            add(
                own,
                "CAT006",
                f"{what}: a Korean translation with no Hangul (left in the source language?)",
            )
        elif language == "en" and has_hangul:
            add(own, "CAT006", f"{what}: an English translation containing Hangul")
        for name, translated_name, pattern in named:
            if _has_word(name, pattern, original) and translated_name not in target:
                add(
                    "warning",
                    "CAT007",
                    f"{what}: {name!r} should appear as {translated_name!r} (its speaker message)",
                )
        doubled = {m.group(0) for m in _DOUBLED.finditer(target)}
        if doubled:  # (the source's doubled words are looked for only when the translation has any)
            doubled -= {m.group(0) for m in _DOUBLED.finditer(original)}
        if doubled:
            add("warning", "CAT008", f"{what}: doubled word {sorted(doubled)[0]!r}")
        whitespace = _whitespace_problem(original, target)
        if whitespace:
            add("warning", "CAT009", f"{what}: {whitespace}")
        if is_turn_context(entry.msgctxt) and language in ("ko", "en"):
            limit = (KOREAN if language == "ko" else ENGLISH).max_cps
            speed = reading.too_fast(target, original, limit)
            if speed is not None:
                add(
                    "warning",
                    "CAT010",
                    f"{what}: {speed:.1f} characters a second to read in the time the "
                    f"source takes to say (limit {limit:g}); shorten it",
                )
    return problems


_WHITESPACE_FAULTS = (
    ("leading whitespace", re.compile(r"\A[ \t]")),
    ("trailing whitespace", re.compile(r"[ \t]\Z")),
    ("doubled spaces", re.compile(r"  ")),
    ("whitespace at a line end", re.compile(r"[ \t]\n")),
)


def _whitespace_problem(original: str, target: str) -> str:
    if not (target.startswith((" ", "\t")) or target.endswith((" ", "\t")) or "  " in target
            or " \n" in target or "\t\n" in target):  # fmt: skip
        return ""  # (none of the four faults in the translation: the usual message)
    return whitespace_problem_general(original, target)


def whitespace_problem_general(original: str, target: str) -> str:
    """CAT009's fault in ``target`` that ``original`` does not have ("" for none): the first of
    ``_WHITESPACE_FAULTS`` (:func:`_whitespace_problem` is this with a shortcut for a
    translation with none of them)."""
    for label, pattern in _WHITESPACE_FAULTS:
        if pattern.search(target) and not pattern.search(original):
            return label
    return ""


def _header_problems(po: PoFile, source: str, own: Severity) -> list[Problem]:
    """CAT011: what redbox needs of a header (msgfmt only warns: an error on redbox's catalogs)."""
    problems: list[Problem] = []
    line = po.header_line or 1
    if not po.headers:
        return problems  # no header at all: CAT017
    for name in ("Language", "Plural-Forms"):
        if not po.header(name):
            problems.append(_problem(source, line, own, "CAT011", f"the header has no {name} field"))
    for fault_line, text in po.header_faults:
        problems.append(
            _problem(source, fault_line, own, "CAT011",
                     f"header line {text[:40]!r} is not 'Name: value' (msgfmt ignores it; redbox "
                     "cannot keep it)")
        )
    content_type = po.header("Content-Type").lower()
    if po.encoding != "utf-8":
        problems.append(
            _problem(
                source,
                line,
                own,
                "CAT011",
                f"not UTF-8: read as {po.encoding} ({content_type or 'no Content-Type'}); redbox "
                "writes UTF-8 and its other commands refuse this file: convert it "
                "(msgconv -t UTF-8)",
            )
        )
    elif content_type and "charset=utf-8" not in content_type.replace(" ", ""):
        problems.append(_problem(source, line, own, "CAT011", f"not UTF-8: Content-Type is {content_type}"))
    return problems


def _episode_of(po: PoFile, source: str) -> str:
    for entry in po.turn_entries():
        return (entry.msgctxt or "").split("/", 1)[0]
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


def _staleness(po: PoFile, source: str, transcript: Transcript) -> list[Problem]:
    problems = []
    matched = match_turns(transcript, po)
    for turn, entry in zip(transcript.turns, matched, strict=True):
        if entry is None:
            problems.append(
                _problem(
                    transcript.source,
                    turn.line,
                    "warning",
                    "CAT013",
                    f"this turn is not in {source} with its current text; run `redbox catalog update`",
                )
            )
    used = {id(entry) for entry in matched if entry is not None}
    for entry in po.turn_entries():
        if id(entry) not in used:
            problems.append(
                _problem(
                    source,
                    entry.line,
                    "warning",
                    "CAT013",
                    f"{_describe(entry)} is no longer in {transcript.source}; run `redbox catalog update`",
                )
            )
    return problems + _speaker_problems(po, source, {turn.speaker for turn in transcript.turns})


def _speaker_problems(po: PoFile, source: str, turn_speakers: Collection[str]) -> list[Problem]:
    problems = []
    speakers = {entry.msgid for entry in po.entries if entry.msgctxt == SPEAKER_CONTEXT}
    for name in sorted(set(turn_speakers) - speakers):
        problems.append(
            _problem(
                source,
                po.header_line or 1,
                "warning",
                "CAT013",
                f"speaker {name!r} has no speaker message; run `redbox catalog update`",
            )
        )
    return problems


def check_catalog(po: PoFile, source: str, *, transcripts: Mapping[str, Transcript],
                  facts: Mapping[str, TurnFacts] | None = None) -> list[Problem]:  # fmt: skip
    """Every translation problem of a parsed catalog, sorted by line.

    ``facts`` (by episode slug) spares reading the transcript again for ``CAT013`` when the
    catalog has every turn of it: only its speakers are then needed; else ``transcripts``."""
    if source.endswith(".pot"):
        return msgfmt_duplicates(po, source)
    own: Severity = "error" if is_redbox_catalog(po) else "warning"
    problems = _header_problems(po, source, own) + msgfmt_problems(po, source)
    language = base_language(po.language) if po.language else ""
    source_language = base_language(po.header("X-Source-Language") or "en")
    names = {
        entry.msgid: on_screen(entry.msgstr)
        for entry in po.entries
        if entry.msgctxt == SPEAKER_CONTEXT and entry.translated and not entry.fuzzy
    }
    rules = _name_rules(names)
    reading = _Reading(source_language, language)
    for entry in po.entries:
        problems += _check_entry(entry, source, language, source_language, rules, own, reading)
        if (too_long := over_budget(entry, language, source, reading.width, reading.at_most)) is not None:
            problems.append(too_long)  # CAT030: see toolkit/catalog/budget.py
    episode = _episode_of(po, source)
    known = facts.get(episode) if facts is not None else None
    if known is not None and matches_every_turn(po, known):
        problems += _speaker_problems(po, source, known.speakers)
    elif (transcript := transcripts.get(episode)) is not None:
        problems += _staleness(po, source, transcript)
    return sorted(problems, key=Problem.sort_key)


def check_catalog_bytes(data: bytes, source: str, *, transcripts: Mapping[str, Transcript],
                        facts: Mapping[str, TurnFacts] | None = None, utf8: str | None = None,
                        ) -> list[Problem]:  # fmt: skip
    """Check a ``.po`` file's bytes; ``transcripts`` (and ``facts``: :func:`check_catalog`) are
    keyed by episode slug (for ``CAT013``). ``utf8``: ``data`` already decoded
    (:func:`toolkit.decoding.plain_utf8`), not decoded again (see :func:`.po_read.parse_po`)."""
    template = source.endswith(".pot")
    try:
        # A template is checked for duplicates alone (CAT014), which only name a message by its
        # extracted comments (``#. turn: 12``): read without them (the reader still checks
        # them), and again with them only when there is a duplicate to describe.
        po = parse_po(data, source, any_charset=True, template_fields=not template, utf8=utf8)
        if template and msgfmt_duplicates(po, source):
            po = parse_po(data, source, any_charset=True, utf8=utf8)
    except CatalogError as error:
        return [_problem(source, error.line or 1, "error", "CAT000", f"does not parse: {error.message}")]
    return check_catalog(po, source, transcripts=transcripts, facts=facts)


__all__ = [
    "check_catalog",
    "check_catalog_bytes",
    "estimated_duration_ms",
    "is_redbox_catalog",
    "normalize_text",
    "reading_speed",
]
