"""Reading the lines of a transcript copied from a web page: labels, page chrome, HTML.

Select-all on a news page copies more than the transcript: the site's name, the audio
player (``Play Live Radio``, ``Next Up:``, ``0:00 / 0:00``), share buttons, embed codes
(``<iframe …>``), comment boxes. The rules here were read off public interview pages
(NPR member stations, npr.org, CBS News, VOA, RFA, YTN, Unification Media Group; the
stored excerpts are listed in ``tests/data/raw/README.md``):

* a *chrome* line is page furniture, never speech: a player clock, a short run of
  interface words (every word a button's or a menu's, at least one of them not a plain
  preposition), a copyright line, or a browser message;
* an *HTML* fragment is a tag or an attribute list; entities are decoded;
* a *label* is how a page marks a speaker: ``Name:``, ``Name :`` or ``이름 :``, ``NAME, ROLE:``
  (NPR), ``Name [ABBR]:`` (Daily NK), ``[Name]`` or ``[Name] text`` (YTN, RFA), and with a
  leading marker ``▶Name:`` or ``◇Name>`` (YTN). Whether a label is a *speaker* is decided
  by :mod:`toolkit.importer` from the whole page (a label must recur or be confirmed);
* a *timed* label is how transcription services and editors export a turn, a name and the
  time it starts: ``Joy  0:01`` alone on its line (Otter.ai), ``Joy (00:00:01):`` (Rev),
  ``Joy: (00:01)``, ``Joy [00:00:01]``, ``[00:00:01] Joy`` or ``00:00:01 Joy: text``
  (Descript, Trint), times with hours, milliseconds (``00:00:01.500``) or frames
  (``00:00:01:12``), names from speaker diarisation (``Speaker 1``, ``SPEAKER_00``). The
  time is the turn's anchor; it is never read as a name, and a name is never read off a line
  that is only a time.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from toolkit.limits import HANGUL_RE
from toolkit.transcript import match_label, parse_timestamp

#: Bullets and markers that pages put before a label (``▶앵커:``, ``◆김일혁>``, ``• Download``).
MARKERS = "▶▷►◇◆■□●○•·*"
_WORD = r"[^\W\d_][\w'’.\-]*"
_NAME = rf"{_WORD}(?:[ \t]+{_WORD}){{0,3}}"
_STAMP = r"\[(?P<stamp>\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\][ \t]*"
#: A time as exports write it: ``0:01``, ``00:00:01``, ``00:00:01.500`` / ``,500``, or with
#: frames ``00:00:01:12`` (only after hours, so ``01:02:03`` stays hours-minutes-seconds).
_TIME = r"(?:\d{1,2}:\d{2}:\d{2}:\d{2}|(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)"
#: A name given by speaker diarisation: ``Speaker 1``, ``Speaker_2``, ``SPEAKER_00``, ``Speaker A``.
_DIARISED = r"(?:[Ss]peaker|SPEAKER)[ _]?(?:\d{1,3}|[A-Z])"
_TIMED_NAME = rf"(?:{_DIARISED}|{_WORD}(?:[ \t]+{_WORD}){{0,3}})"
_TIMED_LABEL_RES = (
    # name then time: ``Joy  0:01`` (alone), ``Joy (00:00:01):``, ``Joy [00:00:01]: text``
    re.compile(rf"(?P<lead>[{MARKERS}\s]*)(?P<name>{_TIMED_NAME})"
               rf"(?:[ \t]*(?P<open>[(\[])(?P<stamp>{_TIME})[)\]]|[ \t]+(?P<bare>{_TIME}))"
               r"[ \t]*(?:[:：][ \t]*(?P<rest>.*))?"),
    # name, colon, time: ``Joy: (00:01)``, ``Joy: [00:00:01] text``
    re.compile(rf"(?P<lead>[{MARKERS}\s]*)(?P<name>{_TIMED_NAME})[ \t]*[:：][ \t]*"
               rf"[(\[](?P<stamp>{_TIME})[)\]](?:[ \t]+(?P<rest>.*))?"),
    # time then name: ``[00:00:01] Joy`` (alone), ``00:00:01 Joy: text``, ``(0:01) Speaker 1:``
    re.compile(rf"(?P<lead>[{MARKERS}\s]*)(?:[(\[](?P<stamp>{_TIME})[)\]]|(?P<bare>{_TIME}))"
               rf"[ \t]*(?:-[ \t]*)?(?P<name>{_TIMED_NAME})[ \t]*(?:[:：][ \t]*(?P<rest>.*))?"),
)
_FRAMES_RE = re.compile(r"(\d{1,2}:\d{2}:\d{2}):\d{2}")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_COLON_LABEL_RE = re.compile(
    rf"(?P<lead>[{MARKERS}\s]*)(?:{_STAMP})?(?P<name>{_DIARISED}(?=[ \t]*:)|{_NAME})"
    rf"(?:[ \t]*,[ \t]*(?P<role>{_WORD}(?:[ \t]+{_WORD}){{0,2}}))?"
    r"(?:[ \t]*[\[(](?P<abbr>[^\W\d_][\w.]{0,9})[\])])?"
    r"(?P<space>[ \t]*)(?P<mark>[:：>])(?P<rest>.*)"
)
_BRACKET_LABEL_RE = re.compile(
    rf"(?P<lead>[{MARKERS}\s]*)\[(?P<name>[^\[\]/:]{{1,30}}?)(?:[ \t]*/[ \t]*[^\[\]]*)?\]"
    r"(?:[ \t]+(?P<rest>.*))?"
)
_PARENTHESIS_RE = re.compile(r"\s*\([^()]*\)")

#: The last word of a label that names a field of the page, not a person (``Photo:``,
#: ``Image source:``, ``Episode Date:``, ``이미지출처:``, YTN's credits ``진행 :`` and ``출연 :``),
#: or a sound, not a speaker (``[LAUGHTER]``, ``[박수]``).
FIELD_WORDS = _word_set(
    "photo photos image images picture source sources credit credits caption note notes update updated "
    "related tags tag topics topic category categories posted published date time email e-mail tel phone "
    "fax address website url link links copyright transcript subscribe producer producers editor editors "
    "director writer writers byline photographer "
    "사진 이미지 출처 이미지출처 사진출처 자료 자료사진 관련기사 등록일 입력 수정 진행 출연 "
    "제작 연출 작가 편집 저작권 영상 방송 "
    "laughter laughs laughing applause music crosstalk inaudible unintelligible silence cheering cheers "
    "sighs 웃음 박수 음악 침묵 중략"
)
#: Words of page interface: player, sharing, navigation, text size, comments. A short line of
#: nothing but these (and at least one of them) is chrome.
_INTERFACE_WORDS = _word_set(
    "play pause live radio listen listening share tweet email print download transcript advertisement "
    "advertising ad ads sponsored toggle hide show caption captions skip available stations station "
    "subscribe follow facebook twitter linkedin whatsapp reddit pinterest copy link links close menu "
    "search comments comment embed sign login newsletter donate loading next previous prev more view "
    "watch read audio video xs sm md lg "
    "공유 공유하기 닫기 팝업창 글자크기 글자크기설정 설정 더보기 댓글 덧글 인쇄 인쇄하기 스크랩 "
    "구독 구독하기 좋아요 듣기 재생 연결 가능 링크 바로가기 본문 메뉴 검색 로그인 광고 목록 이전 "
    "다음 맨위로 주요뉴스 동영상시청 도움말"
)
_PLAIN_WORDS = _word_set("up to on in of the main content air us and our this page all top back home full")
_CLOCK = r"(?:\d{1,2}:)?\d{1,2}:\d{2}"
_PLAYER_CLOCK_RE = re.compile(rf"{_CLOCK}(?:\s*(?:/|of|\|)?\s*{_CLOCK})*")
_COPYRIGHT_RE = re.compile(
    r"^(?:©|\(c\)\s*\d|copyright\b)|all rights reserved|무단\s*전재|재배포\s*금지|저작권자", re.IGNORECASE
)
_BROWSER_MESSAGE_RE = re.compile(
    r"browser (?:does ?n[o'’]t|doesn’t|does not) support|enable javascript|javascript (?:is )?"
    r"(?:disabled|required)|being processed for playback|protected from spambots|자바스크립트를 활성화",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"</?[A-Za-z!][^<>]*(?:>|$)")
#: A script or style element on one line, contents and all; and one that opens or closes a block.
_CODE_RE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE)
CODE_OPEN_RE = re.compile(r"<(?:script|style)\b(?!.*</(?:script|style)\s*>)", re.IGNORECASE)
CODE_CLOSE_RE = re.compile(r"</(?:script|style)\s*>", re.IGNORECASE)
_ATTRIBUTES_RE = re.compile(r"""\b[\w:-]+=(?:"[^"]*"|'[^']*')""")
_ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")
_SENTENCE_END = ".!?…。\"”’'"
_ABBREVIATIONS = _word_set("mr mrs ms dr st jr sr vs etc no")


@dataclass(frozen=True)
class PageLabel:
    """A speaker label at the start of a page line, before anyone decides it is a speaker."""

    name: str
    text: str
    column: int  # 1-based column of the name
    abbreviation: str | None = None
    stamp: str | None = None
    #: How the page marks it: "colon" (``Name:``), "bracket" (``[Name]``), "marker" (``▶Name:``)
    #: or "timed" (an export's ``Joy  0:01``).
    style: str = "colon"


def is_player_clock(line: str) -> bool:
    """A media player's clock: ``0:00``, ``0:00 / 0:00``, ``12:34 0:00``.

    >>> is_player_clock("0:00 / 0:00"), is_player_clock("At 10:30 we met")
    (True, False)
    """
    return _PLAYER_CLOCK_RE.fullmatch(line.strip()) is not None


def _words(line: str) -> list[str]:
    return [word for word in re.split(r"[^\w'’-]+", line.casefold()) if word]


def is_chrome(line: str) -> bool:
    """True for page furniture: a player clock, a short run of interface words, a copyright
    line, a browser message.

    >>> [is_chrome(s) for s in ("Next Up:", "Play Live Radio", "• Download", "글자크기 설정")]
    [True, True, True, True]
    >>> [is_chrome(s) for s in ("Listen to me.", "Next, the border", "© 2024 WOSU Public Media")]
    [False, False, True]
    """
    stripped = line.strip().strip(MARKERS).strip()
    if not stripped:
        return False
    if is_player_clock(stripped) or _COPYRIGHT_RE.search(stripped) or _BROWSER_MESSAGE_RE.search(stripped):
        return True
    if stripped[-1] in _SENTENCE_END or "," in stripped:
        return False
    words = _words(stripped)
    return (
        0 < len(words) <= 6
        and all(word in _INTERFACE_WORDS or word in _PLAIN_WORDS for word in words)
        and any(word in _INTERFACE_WORDS for word in words)
    )


def is_copyright(line: str) -> bool:
    """A copyright notice: where a page's footer starts."""
    return _COPYRIGHT_RE.search(line.strip()) is not None


def strip_html(line: str) -> tuple[str, bool]:
    """``line`` without HTML tags and attribute lists, entities decoded; and whether it had any.

    >>> strip_html('  • <iframe src="x" title="NPR embedded audio player">')
    ('  •', True)
    >>> strip_html("<script>var x = 1;</script>")
    ('', True)
    >>> strip_html("Tom &amp; Jerry"), strip_html("<중략>")
    (('Tom & Jerry', True), ('<중략>', False))
    """
    cleaned = _TAG_RE.sub("", _CODE_RE.sub("", line))
    if cleaned.rstrip().endswith(">") and _ATTRIBUTES_RE.search(cleaned):  # the tail of a tag begun above
        cleaned = ""
    had_markup = cleaned != line
    if _ENTITY_RE.search(cleaned):
        cleaned = html.unescape(cleaned)
        had_markup = True
    return cleaned.rstrip(), had_markup


def ends_sentence(line: str) -> bool:
    """True when ``line`` ends with a full stop that closes a sentence (not ``U.S.``, ``Mr.``, ``...``).

    >>> ends_sentence("He defected in 2014."), ends_sentence("Relations with the U.S.")
    (True, False)
    >>> ends_sentence("탈북했습니다."), ends_sentence("North Korea...")
    (True, False)
    """
    stripped = line.rstrip(" \t\"”’')")
    if not stripped.endswith(".") or stripped.endswith(".."):
        return False
    last = stripped.split()[-1][:-1]
    if "." in last or not last or last.casefold() in _ABBREVIATIONS:
        return False
    return not (len(last) == 1 and last.isupper())


def says_something(text: str) -> bool:
    """True when a label's text reads as speech (a sentence, a question, or a long line), not a
    credit or a caption (``PRODUCER: OLIVIA GAZIS``, ``이미지출처: 남북하나재단``)."""
    stripped = text.strip()
    return len(stripped) >= 60 or (bool(stripped) and stripped.rstrip(")]\"”’'")[-1:] in _SENTENCE_END)


def is_field_name(name: str) -> bool:
    """True when a label names a field of the page (``Photo``, ``Episode Date``, ``이미지출처``)."""
    return name.split()[-1].casefold().rstrip(".") in FIELD_WORDS


def looks_like_person(name: str) -> bool:
    """True when a label's name can be a speaker: name-shaped by the transcript format's own rule
    (so the imported transcript reads back the same), neither page interface nor a page field.

    >>> [looks_like_person(n) for n in ("KIM HYUN WOO", "Daily NK", "진행자", "Next Up", "Photo")]
    [True, True, True, False, False]
    """
    if is_chrome(name) or is_field_name(name):
        return False
    written = match_label(f"{name}: x")
    return written is not None and written.name == name and written.stamp is None


def find_label(line: str) -> PageLabel | None:
    """The speaker label a page line starts with, if any (see the module docstring).

    >>> find_label("DAVE DAVIES, HOST:")
    PageLabel(name='DAVE DAVIES', text='', column=1, abbreviation=None, stamp=None, style='colon')
    >>> find_label("앵커 :북한에 대한 검토").text, find_label("Daily NK [DNK]: Hello").abbreviation
    ('북한에 대한 검토', 'DNK')
    >>> find_label("So he said: go") is None, find_label("at 10:30 we met") is None
    (True, True)
    """
    label = _timed_label(line)
    if label is None:
        label = _colon_label(line)
    if label is None:
        label = _bracket_label(line)
    return label


def _colon_label(line: str) -> PageLabel | None:
    match = _COLON_LABEL_RE.fullmatch(line)
    if match is None:
        return None
    rest = match["rest"]
    if match["mark"] == ">" and not match["lead"].strip():
        return None  # ``Name>`` only after a marker (YTN's ``◇앵커>``)
    if not match["space"] and match["mark"] == ":" and rest and rest[0] not in " \t":
        return None  # ``10:30``, ``http://``: a colon inside a word
    name = " ".join(match["name"].split())
    if not (re.fullmatch(_DIARISED, name) or _name_shaped(name)):
        return None
    name = diarised_name(name)
    style = "marker" if match["lead"].strip() else "colon"
    return PageLabel(name, rest.strip(), match.start("name") + 1, match["abbr"], match["stamp"], style)


def untimed_label(line: str) -> PageLabel | None:
    """The label ``line`` starts with when times of exports are not looked for (a ``[00:01]``
    before a ``Name:`` still counts, as the transcript format writes it)."""
    label = _colon_label(line)
    return label if label is not None else _bracket_label(line)


def _timed_label(line: str) -> PageLabel | None:
    """A label with the turn's start time (see the module docstring), or None."""
    for pattern in _TIMED_LABEL_RES:
        match = pattern.fullmatch(line)
        if match is None:
            continue
        groups = match.groupdict()
        stamp = groups.get("stamp") or groups.get("bare")
        rest = match["rest"]
        if groups.get("bare") and rest is None and pattern is not _TIMED_LABEL_RES[0]:
            return None  # ``10:30 Mass`` alone on a line: a time then a word, not an export's label
        name = " ".join(match["name"].split())
        if not (re.fullmatch(_DIARISED, name) or _name_shaped(name)):
            return None
        return PageLabel(diarised_name(name), (rest or "").strip(), match.start("name") + 1, stamp=stamp,
                         style="timed")
    return None


def diarised_name(name: str) -> str:
    """``name`` as a transcript can hold it: a diarisation label's number joined to its word.

    The transcript format's names are capitalised words, so ``Speaker 1`` is written
    ``Speaker1`` (``--alias 'Speaker1=Joy'`` renames it); other names are kept as they are.

    >>> [diarised_name(name) for name in ("Speaker 1", "speaker_2", "SPEAKER_00", "Speaker A", "Joy")]
    ['Speaker1', 'Speaker2', 'SPEAKER_00', 'Speaker A', 'Joy']
    """
    match = re.fullmatch(r"([Ss]peaker)[ _]?(\d{1,3})", name)
    return f"Speaker{match[2]}" if match else name


def stamp_ms(stamp: str) -> tuple[int | None, bool]:
    """The milliseconds of an exported time, and whether frames were dropped from it.

    Frames (``00:00:01:12``) need the video's frame rate, which an export does not give: the
    time is kept to the second, which is what an anchor needs to time a cue.

    >>> stamp_ms("0:01"), stamp_ms("00:00:01.500"), stamp_ms("00:00:01:12"), stamp_ms("1:99")
    ((1000, False), (1500, False), (1000, True), (None, False))
    """
    frames = _FRAMES_RE.fullmatch(stamp)
    return parse_timestamp(frames[1] if frames else stamp), frames is not None


def _bracket_label(line: str) -> PageLabel | None:
    match = _BRACKET_LABEL_RE.fullmatch(line)
    if match is None:
        return None
    name = " ".join(_PARENTHESIS_RE.sub("", match["name"]).split())
    if not name or not _name_shaped(name):
        return None
    return PageLabel(name, (match["rest"] or "").strip(), match.start("name") + 1, style="bracket")


def _name_shaped(name: str) -> bool:
    """Capitalised Latin words (``KIM``, ``Mr. Kim Ok``) or Hangul words (``제성호 교수``)."""
    words = name.split()
    if all(HANGUL_RE.search(word) for word in words):
        return len(words) <= 2 and all(len(word) <= 6 for word in words)
    return all(word[0].isupper() for word in words)


@dataclass(frozen=True)
class PageNote:
    """Something the import decided or could not do, at its line of the page (0: no line)."""

    line: int
    message: str


@dataclass
class PageLine:
    number: int
    text: str  # without HTML, right-stripped
    kind: str  # "blank", "chrome", "html" (nothing left once the markup is gone) or "text"
    label: PageLabel | None = None
    had_html: bool = False


def read_page_lines(text: str) -> list[PageLine]:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines: list[PageLine] = []
    in_code = False  # inside a <script> or <style> block: code, not text
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if in_code or CODE_OPEN_RE.search(raw):
            in_code = not CODE_CLOSE_RE.search(raw)
            lines.append(PageLine(number, "", "html", had_html=True))
            continue
        cleaned, had_html = strip_html(raw)
        bare = cleaned.strip().strip(MARKERS).strip()
        if had_html and not bare:
            lines.append(PageLine(number, "", "html", had_html=True))
        elif not cleaned.strip():
            lines.append(PageLine(number, "", "blank"))
        elif is_chrome(cleaned) or not any(char.isalnum() for char in bare):
            lines.append(PageLine(number, cleaned, "chrome", had_html=had_html))
        else:
            lines.append(PageLine(number, cleaned, "text", find_label(cleaned), had_html))
    return lines
