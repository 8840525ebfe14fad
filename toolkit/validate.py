"""Transcript checks: header fields, the cast, and consistency across episodes.

Every check appends :class:`~toolkit.model.Problem` objects to a list; nothing
raises and nothing stops at the first finding. The rule codes are stable and listed
in :data:`RULES` (and in ``docs/transcripts.md`` and ``docs/checks.md``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from sys import intern

from toolkit.limits import HANGUL_RE, base_language
from toolkit.model import Problem, Transcript, Turn
from toolkit.naming import language_problem, slug_problem
from toolkit.speaker_names import NameIndex, name_key, names_are_close, suggest_from_index, suggest_name
from toolkit.text_checks import TEXT_RULES, text_problems
from toolkit.transcript import parse_transcript

__all__ = [
    "RULES", "check_across_transcripts", "check_transcript", "check_transcript_text", "names_are_close",
    "suggest_name",
]

#: code -> (severity, short name). Severity is the default; ``--strict`` fails on warnings too.
RULES: dict[str, tuple[str, str]] = {
    "TRN001": ("error", "unknown-speaker"),
    "TRN002": ("warning", "silent-cast-member"),
    "TRN003": ("error", "missing-cast"),
    "TRN004": ("error", "missing-header-key"),
    "TRN005": ("error", "malformed-header-line"),
    "TRN006": ("error", "bad-episode-slug"),
    "TRN007": ("error", "bad-language-tag"),
    "TRN008": ("error", "text-before-first-turn"),
    "TRN009": ("error", "empty-turn"),
    "TRN010": ("error", "malformed-timestamp"),
    "TRN011": ("error", "timestamp-not-increasing"),
    "TRN012": ("error", "unclosed-header"),
    "TRN013": ("error", "duplicate-header-key"),
    "TRN014": ("error", "duplicate-episode"),
    "TRN015": ("warning", "speaker-spelled-two-ways"),
    "TRN016": ("warning", "duplicate-cast-name"),
    "TRN017": ("error", "no-turns"),
    "TRN018": ("error", "unreadable-file"),
    "TRN019": ("warning", "language-does-not-match-text"),
    # Reported by the parser (toolkit.transcript), which reads labels against the header's cast.
    "TRN021": ("error", "label-not-a-cast-spelling"),
    "TRN022": ("error", "label-ends-with-semicolon"),
    "TRN023": ("error", "label-holds-a-note"),
    # The prose of turns and header values: doubled words, quotes, punctuation, spacing, markup.
    **TEXT_RULES,
}

REQUIRED_KEYS = ("title", "episode", "language", "speakers")
#: Below this many letters a text says too little about its language to be questioned.
MIN_LETTERS_FOR_LANGUAGE = 20
#: A Korean transcript with fewer Hangul letters than this share is not Korean text (English
#: words inside Korean keep well above it: a word is about 2 syllables against 5 Latin letters).
MIN_HANGUL_SHARE_KO = 0.1
#: Any other transcript with more Hangul letters than this share is Korean text.
MAX_HANGUL_SHARE_OTHER = 0.5
_LETTER_RE = re.compile(r"[^\W\d_]")
#: Scripts a transcript that is not Korean may turn out to be in, for the message.
_SCRIPT_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Latin-script text", re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")),
    ("Chinese characters (Han)", re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("Japanese kana", re.compile("[\u3040-\u30ff]")),
    ("Cyrillic text", re.compile("[\u0400-\u04ff]")),
)


def _check_header(transcript: Transcript, problems: list[Problem]) -> None:
    source = transcript.source
    lines = transcript.header_lines
    for key in REQUIRED_KEYS:
        if key in lines and transcript.get(key):
            continue
        line = lines.get(key, 1)
        if key == "speakers":
            problems.append(Problem(source, line, 1, "error", "TRN003",
                                    "the header names no cast: add 'speakers: Name, Name, …'"))
        else:
            problems.append(Problem(source, line, 1, "error", "TRN004",
                                    f"header key {key!r} is missing or empty"))
    # The same gate every command passes before it derives a path from these (toolkit.naming).
    slug_wrong = transcript.episode and slug_problem(transcript.episode)
    if slug_wrong:
        problems.append(Problem(source, lines.get("episode", 1), 1, "error", "TRN006", slug_wrong))
    language_wrong = transcript.language and language_problem(transcript.language)
    if language_wrong:
        problems.append(Problem(source, lines.get("language", 1), 1, "error", "TRN007", language_wrong))
    seen: set[str] = set()
    for name in transcript.speakers:
        key = name_key(name)  # the same name in two Unicode forms is listed twice
        if key in seen:
            problems.append(Problem(source, lines.get("speakers", 1), 1, "warning", "TRN016",
                                    f"cast lists {name!r} twice"))
        seen.add(key)


def _check_language_of_text(transcript: Transcript, problems: list[Problem]) -> None:
    """TRN019: a ``ko`` transcript should be mostly Hangul, any other language should not.

    Catches a wrong ``language:`` header, and a file decoded in the wrong legacy encoding
    (English Windows-1252 read as Korean CP949 turns ``It’s`` into ``It뭩``).
    """
    language = transcript.language
    if not language or language_problem(language):
        return  # no language, or one TRN004/TRN007 already reports
    text = "\n".join(turn.text for turn in transcript.turns)
    korean = base_language(language) == "ko"
    # The usual cases are settled without counting letters (a regex pass over the text):
    # no Hangul at all outside Korean, or Hangul above the threshold even of all characters.
    if not korean and (text.isascii() or HANGUL_RE.search(text) is None):  # (isascii: O(1) for a str)
        return
    hangul = len(HANGUL_RE.findall(text)) if korean else 0
    if korean and hangul >= MIN_HANGUL_SHARE_KO * len(text):
        return
    letters = len(_LETTER_RE.findall(text))
    if letters < MIN_LETTERS_FOR_LANGUAGE:
        return
    share = (hangul if korean else len(HANGUL_RE.findall(text))) / letters
    if korean:
        if share >= MIN_HANGUL_SHARE_KO:
            return
        counts = [(len(pattern.findall(text)), name) for name, pattern in _SCRIPT_RES]
        looks_like = max(counts)[1] if max(counts)[0] else "text in another script"
    elif share > MAX_HANGUL_SHARE_OTHER:
        looks_like = "Korean"
    else:
        return
    problems.append(Problem(
        transcript.source, transcript.header_lines.get("language", 1), 1, "warning", "TRN019",
        f"declared language {language!r} but the text looks like {looks_like} ({share:.0%} of its "
        f"{letters} letters are Hangul); fix the language header, or save the file as UTF-8 if it "
        "was read in the wrong encoding",
    ))


def check_transcript(transcript: Transcript) -> list[Problem]:
    """The header and cast checks of one parsed transcript."""
    problems: list[Problem] = []
    _check_header(transcript, problems)
    _check_language_of_text(transcript, problems)
    cast = transcript.speakers
    if not transcript.turns:
        problems.append(Problem(transcript.source, 1, 1, "error", "TRN017", "the transcript has no turns"))
    if cast:
        in_cast = {name_key(name) for name in cast}
        # Each unknown name is compared with the cast once, through an index of its spellings,
        # not with every member at every turn (a large cast made this quadratic).
        suggestions: dict[str, str | None] = {}
        index: NameIndex | None = None
        for turn in transcript.turns:
            if turn.speaker in cast or name_key(turn.speaker) in in_cast:
                continue
            if turn.speaker not in suggestions:
                index = index or NameIndex(cast)
                suggestions[turn.speaker] = suggest_from_index(turn.speaker, index)
            suggestion = suggestions[turn.speaker]
            hint = f"; did you mean {suggestion!r}?" if suggestion else f" (cast: {', '.join(cast)})"
            problems.append(Problem(transcript.source, turn.line, turn.label_column, "error", "TRN001",
                                    f"speaker {turn.speaker!r} is not in the cast{hint}"))
        spoken = {name_key(turn.speaker) for turn in transcript.turns}
        for name in cast:
            if name_key(name) not in spoken:
                problems.append(Problem(transcript.source, transcript.header_lines.get("speakers", 1), 1,
                                        "warning", "TRN002", f"cast member {name!r} never speaks"))
    return problems


def check_transcript_text(text: str, source: str, *, prose: bool = True) -> tuple[Transcript, list[Problem]]:
    """Parse and check one transcript: every problem, structural, cast and (unless ``prose``
    is false) prose. The prose rules (TRN030-TRN037) are warnings only, so a caller that only
    refuses errors can skip them: they are 40 % of reading a long transcript."""
    transcript, problems = parse_transcript(text, source)
    problems += check_transcript(transcript)
    if prose:
        problems += text_problems(transcript, text)
    return transcript, sorted(problems, key=Problem.sort_key)


def cross_file_summary(transcript: Transcript) -> Transcript:
    """What the cross-file checks (and the project's orphan rules) need of a transcript: its
    header's episode, language and cast, and one turn per speaker outside the cast, at the
    speaker's first line.
    :func:`check_across_transcripts` finds the same problems in these as in the transcripts."""
    kept = ("episode", "language", "speakers")
    header = tuple((key, value) for key, value in transcript.header if key in kept)
    # A name of the header's cast is found, and placed, by the header (see _line_of_name): only
    # the speakers outside it need a turn (most transcripts name their whole cast: none).
    cast = set(transcript.speakers)
    first: dict[str, Turn] = {}
    for turn in transcript.turns:
        if turn.speaker not in cast:
            first.setdefault(turn.speaker, turn)
    # Kept for every transcript of a check run: the same names share one string, and only the
    # lines of the kept keys are kept.
    turns = tuple(Turn(intern(one.speaker), "", one.line, label_column=one.label_column)
                  for one in first.values())  # fmt: skip
    lines = {key: line for key, line in transcript.header_lines.items() if key in kept}
    return Transcript(transcript.source, header, turns, lines)


def check_across_transcripts(transcripts: Sequence[Transcript]) -> list[Problem]:
    """Checks that need several episodes: duplicate slugs and speakers spelt two ways."""
    return duplicate_episode_problems(transcripts) + spelling_problems(transcripts)


def duplicate_episode_problems(transcripts: Sequence[Transcript]) -> list[Problem]:
    """TRN014: an episode named by two transcripts (only their headers are needed)."""
    problems: list[Problem] = []
    by_slug: dict[str, list[Transcript]] = {}
    for transcript in transcripts:
        if transcript.episode:
            by_slug.setdefault(transcript.episode, []).append(transcript)
    for slug, sharing in by_slug.items():
        if len(sharing) < 2:
            continue
        # Every one of them is reported (and so refused by every command): which one is the
        # episode's transcript is for the user to say, not for the file order to decide.
        for transcript in sharing:
            others = ", ".join(other.source for other in sharing if other is not transcript)
            problems.append(Problem(
                transcript.source, transcript.header_lines.get("episode", 1), 1, "error", "TRN014",
                f"episode {slug!r} is also the episode of {others}: an episode has one transcript, "
                "in the language spoken; its other languages live in catalogs "
                f"(redbox catalog init LANG, then translate <locales>/LANG/LC_MESSAGES/{slug}.po)",
            ))
    return problems


def spelling_problems(transcripts: Sequence[Transcript]) -> list[Problem]:
    """TRN015: a speaker spelt one way in a transcript and another way in an earlier one.

    Each pair of spellings is reported once, in the first transcript that has the name but
    not the other spelling, naming the first earlier transcript that has the other spelling
    but not the name. Names are matched through an index of their spellings
    (:class:`~toolkit.speaker_names.NameIndex`), so the cost grows with the number of
    transcripts, not with its square.
    """
    names_by_file = [set(t.speakers) | {turn.speaker for turn in t.turns} for t in transcripts]
    files_of: dict[str, list[int]] = {}
    for index, names in enumerate(names_by_file):
        for name in names:
            files_of.setdefault(name, []).append(index)
    close = NameIndex(files_of).close_pairs()
    found: dict[int, list[tuple[int, str, str]]] = {}
    for name, other in close:
        # The first transcript with `other` but not `name`, then the first after it with `name`
        # but not `other`: where the pairwise comparison of every two files meets the pair first.
        earlier = next((j for j in files_of[other] if name not in names_by_file[j]), None)
        if earlier is None:
            continue
        later = next((i for i in files_of[name] if i > earlier and other not in names_by_file[i]), None)
        if later is not None:
            found.setdefault(later, []).append((earlier, name, other))
    problems: list[Problem] = []
    for index in sorted(found):
        transcript = transcripts[index]
        for earlier, name, other in sorted(found[index]):
            problems.append(Problem(
                transcript.source, _line_of_name(transcript, name), 1, "warning", "TRN015",
                f"speaker {name!r} here is spelt {other!r} in {transcripts[earlier].source}",
            ))
    return problems


def _line_of_name(transcript: Transcript, name: str) -> int:
    if name in transcript.speakers:
        return transcript.header_lines.get("speakers", 1)
    return next((turn.line for turn in transcript.turns if turn.speaker == name), 1)
