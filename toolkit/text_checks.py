"""Checks of a transcript's prose: doubled words, quotation marks, brackets, final punctuation,
spacing, dashes and stray markup (rule codes TRN030-TRN037).

Each rule looks at the text of every turn and of the prose header values (``title``,
``description``) as the file holds it (see :mod:`toolkit.text_units`), and reports each finding
at its exact line and column. A finding whose repair cannot change what the text says also
carries the :class:`Edit` that repairs it; :mod:`toolkit.fixer` applies those (``redbox fix``).

The rules follow Subtitle Edit's "Fix common errors" (``src/libse/Forms/FixCommonErrors``:
unneeded spaces, missing end periods, missing quotes, missing open bracket) and its "Find double
words", with false-positive guards from LanguageTool's English word-repeat rule: a repetition
of three or more is deliberate, and doubles such as "had had" or "that that" are grammatical.

Pure: text and parsed transcript in, findings out.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from operator import eq
from typing import Any

from toolkit.limits import HANGUL_RE, is_hangul
from toolkit.model import Problem, Severity, Transcript, pickled_by_constructor
from toolkit.text_units import TextUnit, text_units

#: code -> (severity, short name), merged into :data:`toolkit.validate.RULES`.
TEXT_RULES: dict[str, tuple[str, str]] = {
    "TRN030": ("warning", "doubled-word"),
    "TRN031": ("warning", "unbalanced-quotes"),
    "TRN032": ("warning", "unbalanced-brackets"),
    "TRN033": ("warning", "missing-final-punctuation"),
    "TRN034": ("warning", "double-space"),
    "TRN035": ("warning", "space-before-punctuation"),
    "TRN036": ("warning", "hyphen-as-dash"),
    # A warning: the writers show markup as typed (no player hides or applies it), which is
    # never what a transcript copied from a web page meant.
    "TRN037": ("warning", "markup-in-text"),
}


@dataclass(frozen=True)
class Edit:
    """Replace characters ``start:end`` of source line ``line`` (1-based) with ``replacement``.

    An edit never spans lines, so no fix can add, drop or join a line.
    """

    line: int
    start: int
    end: int
    replacement: str

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


@dataclass(frozen=True)
class Finding:
    """A problem, and the edit that repairs it when the repair cannot change the meaning."""

    problem: Problem
    edit: Edit | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


class _Reporter:
    """Builds findings for one unit: places its indices at their line and column."""

    def __init__(self, source: str, unit: TextUnit, findings: list[Finding]) -> None:
        self.source = source
        self.unit = unit
        self.findings = findings

    def place(self, index: int) -> tuple[int, int]:
        return self.unit.place(index)

    def add(self, index: int, code: str, message: str, fix: tuple[int, int, str] | None = None) -> None:
        """Report ``code`` at ``index``; ``fix`` is (start, end, replacement) in the unit's text,
        within one line."""
        line, column = self.place(index)
        severity: Severity = "error" if TEXT_RULES[code][0] == "error" else "warning"  # (all warn today)
        edit = None
        if fix is not None:
            start, end, replacement = fix
            edit_line, edit_start = self.place(start)
            edit = Edit(edit_line, edit_start, edit_start + (end - start), replacement)
        self.findings.append(Finding(Problem(self.source, line, column + 1, severity, code, message), edit))


# ------------------------------------------------------------------------- TRN030 doubled word

_WORD_RE = re.compile(r"\w+(?:['’\-]\w+)*")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: English doubles that are grammatical or deliberate: "had had", "that that", emphasis ("very
#: very", "so so"), interjections and sounds ("ha ha", "bye bye", "no no"). From LanguageTool's
#: EnglishWordRepeatRule and Blake Madden's double-word exceptions, plus spoken-interview emphasis,
#: and French and German pronouns and articles that double up ("vous vous", "die die").
ALLOWED_DOUBLES = _word_set("""
    had that do very really so too much many more far long big little tiny huge bye night no yes
    yeah yep yup ok okay please now there come well go wait sorry pretty
    ha hah haha he hee heh hi ho hey oh ah aah aw
    uh um er erm hm hmm mm mhm huh wow whoa blah bla yadda la ta boo bang boom knock tick ding choo chop
    hush shh tsk beep honk woof meow quack yum chow sapiens
    nous vous die der das sie
""")
#: Korean doubles that are emphasis, answers or sounds ("정말 정말", "네 네", "하나 하나").
#: Other Hangul doubles are reported but never removed: reduplication is productive in Korean.
ALLOWED_KOREAN_DOUBLES = _word_set("""
    정말 진짜 너무 아주 많이 빨리 천천히 하나 조금 좀 네 예 응 어 음 아 오 와 우와 아니 아니요 그래 그래요
    왜 자 잘 더 또 꼭 가 안녕 쉿 하 호 허 흑 차근차근 계속 자꾸 같이 함께 다시
""")
#: Words after which "is is" is grammatical ("What it is is a question of time.").
_IS_IS_SUBJECTS = _word_set("what all thing problem point question truth fact reason issue trouble idea")
_SENTENCE_END = ".!?…"
_OPENING_QUOTES = "\"“‘'„«「『(["


def _at_sentence_start(text: str, index: int) -> bool:
    """True when the word at ``index`` starts a sentence (or a line, or follows a colon)."""
    position = index
    while position > 0 and (text[position - 1] in " \t" or text[position - 1] in _OPENING_QUOTES):
        position -= 1
    return position == 0 or text[position - 1] in _SENTENCE_END + "\n:"


#: Two equal words (case aside) with only white space between them: groups 1 and 3.
#: (The word is atomic: backing off into a shorter word can never find a double, only cost time.)
_DOUBLE_RE = re.compile(r"(?<![\w'’-])((?>\w+(?:['’-]\w+)*+))(\s+)(\1)(?![\w'’-])", re.IGNORECASE)
_WORD_BEFORE_RE = re.compile(r"(?<![\w'’-])(\w+(?:['’-]\w+)*)\s+$")
_WORD_AFTER_RE = re.compile(r"\s+(\w+(?:['’-]\w+)*)(?![\w'’-])")


def _double_is_allowed(text: str, double: re.Match[str]) -> bool:
    left, right = double.group(1), double.group(3)
    folded = unicodedata.normalize("NFC", left.casefold())  # (text pasted from macOS may be NFD)
    if not any(char.isalpha() for char in left) or "_" in left:
        return True  # numbers, code (LOAD_FAST)
    if folded in ALLOWED_DOUBLES or folded in ALLOWED_KOREAN_DOUBLES:
        return True
    if len(left) == 1 and not (folded == "i" or (folded == "a" and not right.isupper())):
        return True  # spelling out ("B B C", "A A"), a variable
    if not left.isupper() and not right.isupper():
        # A capital that is not the sentence's first letter marks a name: "will Will", "Walla Walla".
        if right[0].isupper():
            return True
        if left[0].isupper() and not _at_sentence_start(text, double.start(1)):
            return True
    # Said three times or more, it is deliberate ("no no no").
    before = _WORD_BEFORE_RE.search(text, max(0, double.start(1) - 80), double.start(1))
    after = _WORD_AFTER_RE.match(text, double.end(3))
    if any(word is not None and word.group(1).casefold() == folded for word in (before, after)):
        return True
    if folded == "is":
        sentence = re.split(r"[.!?…]", text[: double.start(1)])[-1]
        return any(word.casefold() in _IS_IS_SUBJECTS for word in _WORD_RE.findall(sentence))
    return False


def _doubled_word_fix(text: str, double: re.Match[str]) -> tuple[int, int, str] | None:
    """Drop the second word; across a line break, drop it with the spaces after it on its line
    (or the first word, when the second is alone on its line). ``None`` if neither can go."""
    if "\n" not in double.group(2):
        return double.end(1), double.end(3), ""
    line_end = text.find("\n", double.end(3))
    line_end = len(text) if line_end < 0 else line_end
    after = double.end(3)
    while after < line_end and text[after] in " \t":
        after += 1
    if after < line_end:
        return double.start(3), after, ""
    line_start = text.rfind("\n", 0, double.start(1)) + 1
    before = double.start(1)
    while before > line_start and text[before - 1] in " \t":
        before -= 1
    if before > line_start:
        return before, double.end(1), ""
    return None


#: What may stand in a word of :data:`_DOUBLE_RE` (ASCII): letters, digits, ``_``, ``'`` and ``-``.
_ASCII_WORDISH = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'-")
#: Every other ASCII character but white space to NUL: a mark no word of a double holds or touches.
_ASCII_MARKS_TO_NUL = {code: 0 for code in range(128)
                       if chr(code) not in _ASCII_WORDISH and not chr(code).isspace()}  # fmt: skip
#: The usual characters outside ASCII, each as it stands for the doubled-word search: the
#: apostrophe ``’`` as ``'`` (both may stand inside a word), no-break spaces as a space (both
#: white space), and marks that are neither word nor white space (quotation marks, dashes, the
#: ellipsis, a BOM) as NUL.
_USUAL_NON_ASCII = (("’", "'"), ("\u00a0", " "), *((mark, "\x00") for mark in "…“”‘—–«»\ufeff"))


def may_have_doubled_words(text: str) -> bool:
    """False when no unit of a transcript whose file holds ``text`` has a doubled word
    (TRN030): no match of :data:`_DOUBLE_RE` whose words are equal casefolded. Built-in string
    operations instead of the regex, which tries its look-behind at every character.

    A double is two words of letters, digits, ``_`` and inner ``'``, ``’`` or ``-``, with only
    white space between them, and neither a word character nor ``'``, ``’`` or ``-`` just before
    the first or just after the second. So with every other mark turned into a word of its own
    (``" \x00 "``), they are two whole words of the text split at white space, next to each
    other, equal once lowercased (ASCII: casefolding is lowercasing). Text with a character
    outside ASCII other than the usual ones (:data:`_USUAL_NON_ASCII`) is not settled here
    (``True``). Whole files: a unit's text is lines of the file with their labels (which end
    with a separator), indents and line ends left out, so its double is one of the file's.
    ``tests/test_text_checks_fast.py`` holds this to the regex.
    """
    if not text.isascii():  # (O(1) for a str)
        for usual, standing_for in _USUAL_NON_ASCII:
            if usual in text:
                text = text.replace(usual, standing_for)
        if not text.isascii():
            return True
    words = text.translate(_ASCII_MARKS_TO_NUL).replace("\x00", " \x00 ").lower().split()
    if not any(map(eq, words, islice(words, 1, None))):
        return False
    # (two marks in a row, "..." or "?!", are equal words too: only real words count)
    pairs = zip(words, islice(words, 1, None), strict=False)  # (islice: one word fewer)
    return any(word == following and word != "\x00" for word, following in pairs)


def check_doubled_words(report: _Reporter) -> None:
    text = report.unit.text
    for double in _DOUBLE_RE.finditer(text):
        first, second = double.group(1), double.group(3)
        if first.casefold() != second.casefold() or _double_is_allowed(text, double):
            continue
        korean = bool(HANGUL_RE.search(first))
        fix = None if korean else _doubled_word_fix(text, double)
        note = " (check it: Korean repeats words on purpose)" if korean else ""
        report.add(double.start(3), "TRN030", f"doubled word {first!r} {second!r}{note}", fix)


# ------------------------------------------------------------------ TRN031 quotation marks

_QUOTE_RE = re.compile("[\"“”„‘]")
#: What may stand just before an opening quotation mark, besides white space.
_BEFORE_OPENING = "([{「『《〈—–-/‘“„"
#: What may stand just after a closing quotation mark, besides white space.
_AFTER_CLOSING = ".,;:!?…)]}」』》〉—–-’”\"'"


#: How a transcript marks a turn cut off by the next speaker.
_INTERRUPTED = ("-", "—", "–")


def _flanks(text: str, index: int) -> tuple[bool, bool]:
    """(can open, can close) for the mark at ``index``: an opening mark has white space (or the
    start, or an opening bracket) before it and text after it; a closing mark the reverse."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    opens = (before.isspace() or before in _BEFORE_OPENING) and not after.isspace()
    # Korean particles follow a closing mark directly: “안녕”이라고, ‘3대 악법’이라는.
    closes = not before.isspace() and (after.isspace() or after in _AFTER_CLOSING or is_hangul(after))
    return opens, closes


def _starts_line(text: str, index: int) -> bool:
    line_start = text.rfind("\n", 0, index) + 1
    return not text[line_start:index].strip()


def check_quotes(report: _Reporter) -> None:
    """Double quotation marks pair up within a turn; curly marks point the right way.

    A closing ``”`` in an opening place (``say, ”But``) becomes ``“`` when a closing mark
    follows; a straight ``"`` paired with a curly mark takes its partner's style. Quotations
    may nest (``"the "Audible" ad"``). A quotation may run over several lines, each line opening
    it again (the convention for quoted paragraphs). A turn cut off with a dash may leave its
    quotation for the speaker's next turn, which then starts with a dash or an ellipsis. Single
    ``’`` doubles as the apostrophe, so only ``‘`` is checked: it must be closed, and between
    letters or after a word it is ``’``.
    """
    text = report.unit.text
    cut_off = text.endswith(_INTERRUPTED)
    continued = text.startswith((*_INTERRUPTED, "…", "..."))
    #: The open quotations: where, the mark as written, and whether it is a ” written to open.
    stack: list[tuple[int, str, bool]] = []
    for match in _QUOTE_RE.finditer(text):
        index, mark = match.start(), match.group()
        opens, closes = _flanks(text, index)
        if mark == "‘":
            _check_single_opener(report, text, index, opens, closes)
            continue
        if not stack:
            if mark == "”" and not opens:
                if not continued:
                    report.add(index, "TRN031", "closing quotation mark ” closes nothing")
            elif mark == '"' and closes and not opens:
                if not continued and not text[index - 1].isdigit():  # (not inches: 5'10")
                    report.add(index, "TRN031", 'quotation mark " closes nothing')
            else:
                stack.append((index, mark, mark == "”"))
            continue
        open_at, open_mark, wrong_opener = stack[-1]
        german = open_mark == "„" and mark == "“"  # „so“: German closes with “
        if (mark in "“„" and not german and not (mark == "“" and closes and not opens)) or (
            mark == '"' and opens and not closes
        ):
            if _starts_line(text, index):  # the quotation goes on in a new paragraph
                if wrong_opener:
                    report.add(open_at, "TRN031", "closing quotation mark ” opens a quotation: use “")
                stack[-1] = (index, mark, False)
            else:
                stack.append((index, mark, False))
            continue
        stack.pop()  # this mark closes the innermost quotation
        if wrong_opener:
            report.add(open_at, "TRN031", "closing quotation mark ” opens a quotation: use “",
                       (open_at, open_at + 1, "“"))
        elif mark == "“" and not german:
            report.add(index, "TRN031", "opening quotation mark “ closes a quotation: use ”",
                       (index, index + 1, "”"))
        elif open_mark == '"' and mark == "”":
            report.add(open_at, "TRN031", 'quotation opened with " but closed with ”: use “',
                       (open_at, open_at + 1, "“"))
        elif open_mark in "“„" and mark == '"':
            report.add(index, "TRN031", f'quotation opened with {open_mark} but closed with ": use ”',
                       (index, index + 1, "”"))
    for open_at, open_mark, wrong_opener in [] if cut_off else stack:
        if wrong_opener:
            report.add(open_at, "TRN031", "closing quotation mark ” opens a quotation that is never closed")
        else:
            report.add(open_at, "TRN031", f"quotation opened with {open_mark} is never closed")


def _check_single_opener(report: _Reporter, text: str, index: int, opens: bool, closes: bool) -> None:
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    if before.isalnum() and (after.isalnum() or closes):
        # don‘t, students‘: the apostrophe (or a closing mark) is ’ whatever is around it.
        report.add(index, "TRN031", "‘ used as an apostrophe or closing mark: use ’", (index, index + 1, "’"))
        return
    if not opens:
        return
    for match in re.finditer("’", text[index + 1 :]):
        position = index + 1 + match.start()
        left = text[position - 1]
        right = text[position + 1] if position + 1 < len(text) else " "
        if not (left.isalnum() and right.isalnum()) or is_hangul(right):  # not an apostrophe in a word
            return
    report.add(index, "TRN031", "quotation opened with ‘ is never closed")


# ------------------------------------------------------------------------- TRN032 brackets

_BRACKETS = {
    "(": ")", "[": "]", "{": "}", "「": "」", "『": "』", "《": "》", "〈": "〉", "【": "】", "«": "»",
}
_CLOSERS = {closer: opener for opener, closer in _BRACKETS.items()}
_BRACKET_RE = re.compile("[" + re.escape("".join(_BRACKETS) + "".join(_CLOSERS)) + "]")
#: ``1)``, ``a)``: an enumerator. ``:)``, ``;-(``: an emoticon.
_ENUMERATOR_RE = re.compile(r"(?:^|\s)[A-Za-z0-9]{1,2}$")
_EMOTICON_RE = re.compile(r"[:;=]-?$")


def check_brackets(report: _Reporter) -> None:
    """Brackets nest and close within the turn (or header value)."""
    text = report.unit.text
    stack: list[tuple[int, str]] = []
    for match in _BRACKET_RE.finditer(text):
        index, mark = match.start(), match.group()
        if mark in "()" and _EMOTICON_RE.search(text[max(0, index - 2) : index]):
            continue  # :) ;-( =)
        if mark in _BRACKETS:
            stack.append((index, mark))
            continue
        opener = _CLOSERS[mark]
        if stack and stack[-1][1] == opener:
            stack.pop()
        elif any(open_mark == opener for _, open_mark in stack):
            while stack[-1][1] != opener:  # the brackets opened inside are never closed
                inner, inner_mark = stack.pop()
                report.add(inner, "TRN032", f"bracket {inner_mark} is never closed (a {mark} closes the "
                           f"{opener} around it first)")
            stack.pop()
        elif mark == ")" and _ENUMERATOR_RE.search(text[max(0, index - 3) : index]):
            continue
        else:
            report.add(index, "TRN032", f"closing bracket {mark} closes nothing (no {opener} before it)")
    for index, mark in stack:
        report.add(index, "TRN032", f"bracket {mark} is never closed")


# --------------------------------------------------------------- TRN033 final punctuation


def _paragraph_ends(text: str) -> Iterator[int]:
    """The index just after the last character of each paragraph of a turn (its lines are
    stripped and it starts with text, so a paragraph ends just before a blank line)."""
    if "\n\n" in text:
        for match in re.finditer(r"\n\n+", text):
            yield match.start()
    yield len(text)


def check_final_punctuation(report: _Reporter) -> None:
    """A turn, and each paragraph of it, ends with punctuation, not a letter or a digit.

    Korean too: written Korean ends a sentence in 다, 요 or 까 with a full stop, as English does
    (Hangul Orthography, Appendix "Punctuation marks", 2015 revision). A turn of one word ("Right",
    "네") is a reaction whose full stop readers do not miss; a URL needs no stop.
    """
    text = report.unit.text
    if len(text.split()) < 2:
        return
    for end in _paragraph_ends(text):
        last = end - 1
        while last > 0 and unicodedata.category(text[last]).startswith("M"):
            last -= 1  # a combining mark (NFD text) belongs to the letter before it
        if unicodedata.category(text[last])[0] not in "LN":
            continue
        word_start = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end)) + 1
        if "://" in text[word_start:end] or text.startswith("www.", word_start):
            continue
        where = "turn" if not text[end:].strip() else "paragraph"
        tail = " ".join(text[:end].split()[-3:])
        report.add(end, "TRN033", f"{where} ends without final punctuation (., ?, !, …): '…{tail}'")


# ----------------------------------------------------- TRN034, TRN035 spacing, TRN036 dashes

#: What every spacing finding holds (a quick test before the slower patterns).
_MAYBE_SPACING_RE = re.compile(r"[ \t\u00a0](?:[ \t\u00a0,.!?;:])|\t")
_DOUBLE_SPACE_RE = re.compile(r"(?<=\S)[ \t\u00a0]{2,}(?=\S)|(?<=\S)\t(?=\S)")
#: A run of spaces before , . ! ? ; : that ends a word ("word ,"), but not "...", ".5" or ":)".
_SPACE_BEFORE_RE = re.compile(r"(?<=[\w)\]”’\"'」』])[ \t\u00a0]+([,.!?;:])(?=[\s\"”’'»」』.,!?…]|$)")
_SPACED_HYPHEN_RE = re.compile(r"(?<=\S) (-{1,2}) (?=\S)|(?<=[^\W\d_])(--)(?=[^\W\d_])")


def check_spacing(report: _Reporter, language: str) -> None:
    text = report.unit.text
    if not _MAYBE_SPACING_RE.search(text):
        return
    for match in _DOUBLE_SPACE_RE.finditer(text):
        kind = "tab" if "\t" in match.group() else "spaces"
        report.add(match.start(), "TRN034", f"{len(match.group())} {kind} between words: use one space"
                   if kind == "spaces" else "tab between words: use a space",
                   (match.start(), match.end(), " "))
    french = language.split("-")[0] == "fr"  # French puts a (thin) space before ! ? ; :
    for match in _SPACE_BEFORE_RE.finditer(text):
        mark = match.group(1)
        if mark == "." and text.startswith("..", match.start(1)):
            continue
        if french and mark in "!?;:":
            continue
        if mark in ";:" and text[match.end(1) : match.end(1) + 1].isspace():
            continue  # "진행 : 윤보리", "Note : …": a colon spaced on both sides is a separator style
        report.add(match.start(), "TRN035", f"space before {mark!r}", (match.start(), match.start(1), ""))


def check_dashes(report: _Reporter) -> None:
    text = report.unit.text
    if " -" not in text and "--" not in text:
        return
    for match in _SPACED_HYPHEN_RE.finditer(text):
        written = match.group(1) or match.group(2)
        index = match.start(1) if match.group(1) else match.start(2)
        if match.group(1) and text[match.start() - 1].isdigit() and text[match.end()].isdigit():
            continue  # a score or a sum: 3 - 2
        report.add(index, "TRN036", f"{written!r} used as a dash: write ' — ' (em dash) or ' – ' (en dash)")


# ------------------------------------------------------------------------- TRN037 markup

#: The tags subtitle and HTML text is formatted with (an unknown ``<name>`` may be prose), and
#: ASS override blocks (``{\\an8}``).
_TAG_NAMES = "i|b|u|s|em|strong|font|br|p|span|div|c|v|ruby|rt|lang|a|sub|sup|small|big|center|hr|img"
_TAG_RE = re.compile(rf"</?(?:{_TAG_NAMES})(?:\s[^<>\n]*)?/?>|\{{\\[^{{}}\n]*\}}", re.IGNORECASE)
_ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,7}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def check_markup(report: _Reporter) -> None:
    """HTML tags, ASS override tags and character entities left from a web page: the subtitle
    writers show them as typed (viewers would read ``<i>`` or ``&amp;``), since a transcript's
    text is plain text. An entity that stands for a plain character is fixed (``&amp;`` -> ``&``)."""
    text = report.unit.text
    for match in _TAG_RE.finditer(text):
        report.add(match.start(), "TRN037", f"markup {match.group()!r} in the text: subtitles show it as "
                   "typed; remove it (a transcript is plain text)")
    for match in _ENTITY_RE.finditer(text):
        entity = match.group()
        character = html.unescape(entity)
        if character == entity:
            continue  # not an entity HTML knows: "&sect1;" in prose, say
        fix = None  # "&lt;" and "&gt;" would become markup, "&nbsp;" invisible: a person decides
        plain = character.isprintable() and not character.isspace()
        if plain and (character not in "<>&" or entity == "&amp;"):
            fix = (match.start(), match.end(), character)
        shown = "a no-break space" if character == "\u00a0" else repr(character)
        report.add(match.start(), "TRN037", f"HTML entity {entity} in the text: write {shown}", fix)


# ------------------------------------------------------------------------------- all rules


_MARKS = '"“”„‘' + "".join(_BRACKETS) + "".join(_CLOSERS) + "<&"
_MARK_OR_TAB_RE = re.compile("[" + re.escape(_MARKS) + "\t]")
_SPACE_BEFORE_SPACE_OR_MARK_RE = re.compile(r"[ \u00a0][ \t\u00a0,.!?;:]")


def may_have_marks(text: str) -> bool:
    """Whether ``text`` has some character every finding of TRN031, TRN032 and TRN034-TRN037
    needs: a quotation mark, a bracket, a markup or entity opener, a space before a space or a
    punctuation mark, a tab, a spaced or doubled hyphen. A turn without one (most turns) skips
    those five checks (``tests/test_text_checks_fast.py`` holds the fast path to the general one).
    """
    # Two searches and two substring tests, in half the time of one regex of all of it: an
    # alternation that may start with a space is tried at every space of the prose, while a
    # search for a class of rare characters skips to them.
    return (_MARK_OR_TAB_RE.search(text) is not None or "--" in text or " -" in text
            or _SPACE_BEFORE_SPACE_OR_MARK_RE.search(text) is not None)  # fmt: skip


def _may_lack_final_punctuation(text: str) -> bool:
    """False when TRN033 cannot fire: one paragraph, ending in neither a letter, a digit nor a
    combining mark (which :func:`check_final_punctuation` looks behind)."""
    return not text or "\n\n" in text or unicodedata.category(text[-1])[0] in "LNM"


def text_findings(transcript: Transcript, text: str) -> list[Finding]:
    """Every TRN030-TRN037 finding in a transcript, with the edit of each safe repair."""
    findings: list[Finding] = []
    language = transcript.language
    doubles = may_have_doubled_words(text)
    for unit in text_units(transcript, text):
        report = _Reporter(transcript.source, unit, findings)
        unit_text = unit.text
        if doubles:
            check_doubled_words(report)
        marks = may_have_marks(unit_text)
        if marks:
            check_quotes(report)
            check_brackets(report)
        if unit.kind == "turn" and _may_lack_final_punctuation(unit_text):
            check_final_punctuation(report)
        if marks:
            check_spacing(report, language)
            check_dashes(report)
            check_markup(report)
    return findings


def text_findings_general(transcript: Transcript, text: str) -> list[Finding]:
    """:func:`text_findings` without its quick tests: every check on every unit (the reference
    the fast path is tested against)."""
    findings: list[Finding] = []
    for unit in text_units(transcript, text):
        report = _Reporter(transcript.source, unit, findings)
        check_doubled_words(report)
        check_quotes(report)
        check_brackets(report)
        if unit.kind == "turn":
            check_final_punctuation(report)
        check_spacing(report, transcript.language)
        check_dashes(report)
        check_markup(report)
    return findings


def text_problems(transcript: Transcript, text: str) -> list[Problem]:
    """The problems of :func:`text_findings` (what ``redbox check`` reports)."""
    return [finding.problem for finding in text_findings(transcript, text)]
