"""Turn identity: a turn's id (:func:`content_id`), carried over from the previous catalog.

:func:`assign_turn_ids` aligns the new turns with the ones a catalog knows
(:func:`known_turns`) by a patience diff (:func:`match_sequences`), then pairs an edited
turn with its vanished old self by word similarity (:func:`text_similarity`,
:func:`diff_ratio`) near the same place. :func:`normalize_text` is the form every
comparison of texts uses.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import NamedTuple

from toolkit.catalog.po import PoFile

#: Two texts of one speaker this similar (0–1, by words) near the same place are one turn, edited.
#: (0.6 is also msgmerge's threshold; one word changed in a four-word line scores 0.75.)
EDIT_SIMILARITY = 0.6
#: With different speakers the text must be nearly the same (a corrected speaker label).
RELABEL_SIMILARITY = 0.9
#: At most this many vanished old turns, nearest first, are compared with one unmatched new turn.
EDIT_CANDIDATES = 16
#: A stretch of the diff without a line said once on each side is matched by a longest
#: common subsequence when its lines found on both sides make at most this many pairs to
#: compare (about 30 ms), by :mod:`difflib`'s longest blocks first above it.
SUBSEQUENCE_CELLS = 250_000


def normalize_text(text: str) -> str:
    """NFC, single spaces, no control characters: the form texts are compared in.

    >>> normalize_text("  Right \\n there\\x07 ")
    'Right there'
    """
    # The usual case, decided without splitting: printable text holds no control character
    # and no whitespace but the ASCII space (every other one is a separator or a control).
    if (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "
            and (text.isascii() or unicodedata.is_normalized("NFC", text))):  # fmt: skip
        return text
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _CONTROL.search(text) is not None:
        text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def content_id(speaker: str, text: str) -> str:
    """The id a turn gets when it first appears: 8 hex digits of a hash of speaker and text.

    >>> content_id("Dasom", "Right")
    'd77c55b1'
    """
    digest = hashlib.blake2b(f"{speaker}\x1f{normalize_text(text)}".encode(), digest_size=4)
    return digest.hexdigest()


_WORD = re.compile(r"\w+")


#: Every ASCII character ``\\w`` does not match, as a space.
_ASCII_NON_WORD = {code: " " for code in range(128) if not re.match(r"\w", chr(code))}


def _words(text: str) -> list[str]:
    """The words of ``text``, lower-cased: what ``\\w+`` finds (for ASCII text, without the regex).

    >>> _words("It's 100%, you know—really?")
    ['it', 's', '100', 'you', 'know', 'really']
    """
    if text.isascii():
        return text.lower().translate(_ASCII_NON_WORD).split()  # several times quicker
    return _WORD.findall(text.lower())


def text_similarity(old: str, new: str) -> float:
    """How alike two texts are, 0–1, by their words (case and punctuation ignored).

    Used only to tell an edited turn from a deleted one plus an inserted one near the
    same place (:func:`_pair_edits`), never to search the catalog.

    >>> text_similarity("I was startled.", "I was so startled!")
    0.8571428571428571
    """
    return _word_similarity(_words(old), _words(new), old, new)


class KnownTurn(NamedTuple):
    """A turn as a previous catalog knows it: its id, speaker and text."""

    id: str
    speaker: str
    text: str


def _pair_edits(
    previous: Sequence[KnownTurn],
    turns: Sequence[tuple[str, str]],
    anchors: tuple[Sequence[int], Sequence[int]],
    unique_anchors: tuple[Sequence[int], Sequence[int]],
    unmatched_new: Sequence[int],
) -> list[tuple[int, int]]:
    """Pair unmatched new turns with unmatched old turns that are the same turn, edited.

    A new turn may only pair with an old turn lying between the unchanged turns two
    places before and two places after it (so an unchanged repeat of a neighbour cannot
    hide its origin), at most :data:`EDIT_CANDIDATES` of them, nearest first; the most
    similar of the same speaker at or above :data:`EDIT_SIMILARITY` wins (another
    speaker's only at :data:`RELABEL_SIMILARITY`).

    ``anchors`` are the unchanged turns as ``(old indexes, new indexes)``; ``unique_anchors``
    those of them whose text occurs once on each side. A line said more than once (the
    same speaker and words: "Right", a repeated question) is matched to *one* of its
    occurrences, and the diff's choice is arbitrary: pasted copies of a neighbour can
    take the old line's place while the edited turn sits by the original. So a new turn
    left unpaired is tried once more, between the nearest *unique* unchanged turns: a
    repeated line is no evidence of where a turn was. (The second try only adds pairs:
    every pair the first finds is kept.)
    """
    taken: set[int] = set()
    old_words: dict[int, list[str]] = {}
    pairs = _pair_within(previous, turns, anchors, unmatched_new, taken, old_words)
    if len(unique_anchors[0]) < len(anchors[0]) and len(pairs) < len(unmatched_new):
        paired = {new_index for _, new_index in pairs}
        left = [index for index in unmatched_new if index not in paired]
        pairs += _pair_within(previous, turns, unique_anchors, left, taken, old_words, narrower=anchors)
    return pairs


def _pair_within(
    previous: Sequence[KnownTurn],
    turns: Sequence[tuple[str, str]],
    anchors: tuple[Sequence[int], Sequence[int]],
    unmatched_new: Sequence[int],
    taken: set[int],
    old_words: dict[int, list[str]],
    narrower: tuple[Sequence[int], Sequence[int]] | None = None,
) -> list[tuple[int, int]]:
    """:func:`_pair_edits` with one set of anchors; skips a turn whose window equals its ``narrower`` one."""
    anchors_old, anchors_new = anchors
    matched_old = set(anchors_old if narrower is None else narrower[0])
    free_old = [index for index in range(len(previous)) if index not in matched_old]
    pairs: list[tuple[int, int]] = []
    for new_index in unmatched_new:
        low, high, estimate = _window(anchors_old, anchors_new, new_index, len(previous))
        if narrower is not None and _window(*narrower, new_index, len(previous))[:2] == (low, high):
            continue  # the same old turns as the first try: nothing new to find
        first = bisect.bisect_right(free_old, low)
        last = bisect.bisect_left(free_old, high)
        if last - first > EDIT_CANDIDATES:
            middle = min(max(bisect.bisect_left(free_old, estimate), first), last)
            first = max(first, middle - EDIT_CANDIDATES // 2)
            last = min(last, first + EDIT_CANDIDATES)
        new_words = _words(turns[new_index][1])
        best, best_score, best_distance = -1, EDIT_SIMILARITY, 0
        for old_index in free_old[first:last]:
            if old_index in taken:
                continue
            if old_index not in old_words:
                old_words[old_index] = _words(previous[old_index].text)
            score = _word_similarity(
                old_words[old_index], new_words, previous[old_index].text, turns[new_index][1]
            )
            if previous[old_index].speaker != turns[new_index][0] and score < RELABEL_SIMILARITY:
                continue
            distance = abs(old_index - estimate)
            if score > best_score or (score == best_score and (best < 0 or distance < best_distance)):
                best, best_score, best_distance = old_index, score, distance
        if best >= 0:
            taken.add(best)
            pairs.append((best, new_index))
    return pairs


def _window(
    anchors_old: Sequence[int], anchors_new: Sequence[int], new_index: int, old_size: int
) -> tuple[int, int, int]:
    """The old places a new turn's old self may lie strictly between, and where it is expected."""
    k = bisect.bisect_left(anchors_new, new_index)
    low = anchors_old[k - 2] if k >= 2 else -1
    high = anchors_old[k + 1] if k + 1 < len(anchors_old) else old_size
    estimate = anchors_old[k - 1] + new_index - anchors_new[k - 1] if k >= 1 else new_index
    return low, high, estimate


def _word_similarity(old_words: list[str], new_words: list[str], old: str, new: str) -> float:
    if not old_words and not new_words:
        return 1.0 if normalize_text(old) == normalize_text(new) else 0.0
    total = len(old_words) + len(new_words)
    # Upper bounds first, so most pairs are rejected without a diff: the shorter text's
    # length, then the words shared (order ignored; a set does when no word repeats).
    if 2 * min(len(old_words), len(new_words)) / total < EDIT_SIMILARITY:
        return 0.0
    old_set, new_set = set(old_words), set(new_words)
    if len(old_set) == len(old_words) and len(new_set) == len(new_words):
        shared = len(old_set & new_set)
    else:  # the multiset intersection, as Counter(old) & Counter(new) (which is slower on short lists)
        shared = sum(min(old_words.count(word), new_words.count(word)) for word in old_set & new_set)
    if 2 * shared / total < EDIT_SIMILARITY:
        return 0.0
    return diff_ratio(old_words, new_words)


def diff_ratio(old: Sequence[str], new: Sequence[str]) -> float:
    """``difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()``, quicker for the usual edit.

    The usual edit leaves a common start and a common end around stretches that share no
    word. Every match off those two runs then pairs words said more than once (on one side
    or the other), in runs no longer than the longest run of such words in ``old``; when
    that is shorter than both common runs, the matcher (longest block first) finds exactly
    the two, so the ratio is theirs. Anything else goes to difflib.

    >>> diff_ratio(["i", "was", "startled"], ["i", "was", "so", "startled"])
    0.8571428571428571
    """
    old_size, new_size = len(old), len(new)
    shorter = min(old_size, new_size)
    start = 0
    while start < shorter and old[start] == new[start]:
        start += 1
    end = 0
    while end < shorter - start and old[old_size - 1 - end] == new[new_size - 1 - end]:
        end += 1
    ratio = 2.0 * (start + end) / (old_size + new_size) if old_size + new_size else 1.0
    if not set(old[start : old_size - end]).isdisjoint(new[start : new_size - end]):
        return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()
    if len(set(old)) == old_size and len(set(new)) == new_size:
        return ratio  # no word said twice: no match off the two runs at all
    repeated = {word for side in (old, new) for word, count in Counter(side).items() if count > 1}
    longest = run = 0
    for word in old:
        run = run + 1 if word in repeated else 0
        longest = max(longest, run)
    if longest < min(start, end):
        return ratio
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()


def match_sequences(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[tuple[int, int]]:
    """The pairs ``(old index, new index)`` of equal items a diff keeps, in order (patience diff).

    Common ends first; then the items that occur once on each side and keep their order
    (the longest increasing run) anchor the match, and the stretches between them are
    matched the same way; a stretch with no such item is matched by a longest common
    subsequence (:func:`_common_subsequence`; :mod:`difflib` for a huge one).
    Linear-ish for transcripts, whose lines are nearly all distinct.

    >>> match_sequences("abcde", "xabde")
    [(0, 1), (1, 2), (3, 3), (4, 4)]
    """
    pairs: list[tuple[int, int]] = []
    stack = [(0, len(old), 0, len(new))]
    # Stretches are disjoint and each gives pairs increasing on both sides, so the order in
    # which they are matched does not matter: the pairs are sorted once at the end.
    while stack:
        old_start, old_end, new_start, new_end = stack.pop()
        while old_start < old_end and new_start < new_end and old[old_start] == new[new_start]:
            pairs.append((old_start, new_start))
            old_start, new_start = old_start + 1, new_start + 1
        while old_start < old_end and new_start < new_end and old[old_end - 1] == new[new_end - 1]:
            old_end, new_end = old_end - 1, new_end - 1
            pairs.append((old_end, new_end))
        if old_start + 1 == old_end:
            # One item left on a side (the usual edited turn): the patience step and the
            # common subsequence would both pair it with its first equal on the other side.
            item = old[old_start]
            for index in range(new_start, new_end):
                if new[index] == item:
                    pairs.append((old_start, index))
                    break
        elif new_start + 1 == new_end:
            item = new[new_start]
            for index in range(old_start, old_end):
                if old[index] == item:
                    pairs.append((index, new_start))
                    break
        elif old_start < old_end and new_start < new_end:
            stack += _match_middle(old, new, old_start, old_end, new_start, new_end, pairs)
    pairs.sort()
    return pairs


def _match_middle(
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    old_start: int,
    old_end: int,
    new_start: int,
    new_end: int,
    pairs: list[tuple[int, int]],
) -> list[tuple[int, int, int, int]]:
    """Match a stretch with different ends: its anchors go to ``pairs``; returns the stretches left."""
    old_part = old[old_start:old_end]
    new_part = new[new_start:new_end]
    old_count = Counter(old_part)
    new_count = Counter(new_part)
    new_position = {item: index for index, item in enumerate(new_part, new_start) if new_count[item] == 1}
    candidates = [
        (index, new_position[item])
        for index, item in enumerate(old_part, old_start)
        if old_count[item] == 1 and item in new_position
    ]
    anchors = _longest_increasing(candidates)
    if not anchors:
        # Only lines said more than once are on both sides. difflib's longest block first
        # would match some of them and leave the rest to cross it (three "Right." before,
        # three after lines inserted between them: a block of two matched, the third left
        # to find its old id out of order); a longest common subsequence matches them all,
        # in order.
        shared = old_count.keys() & new_count.keys()
        old_shared = [index for index, item in enumerate(old_part, old_start) if item in shared]
        new_shared = [index for index, item in enumerate(new_part, new_start) if item in shared]
        if len(old_shared) * len(new_shared) <= SUBSEQUENCE_CELLS:
            pairs.extend(
                (old_shared[i], new_shared[j])
                for i, j in _common_subsequence([old[k] for k in old_shared], [new[k] for k in new_shared])
            )
        else:
            matcher = difflib.SequenceMatcher(None, old_part, new_part, autojunk=False)
            for block_old, block_new, size in matcher.get_matching_blocks():
                pairs.extend((old_start + block_old + k, new_start + block_new + k) for k in range(size))
        return []
    pairs += anchors
    stretches: list[tuple[int, int, int, int]] = []
    previous_old, previous_new = old_start, new_start
    for anchor_old, anchor_new in anchors:
        if previous_old < anchor_old and previous_new < anchor_new:  # an empty side matches nothing
            stretches.append((previous_old, anchor_old, previous_new, anchor_new))
        previous_old, previous_new = anchor_old + 1, anchor_new + 1
    if previous_old < old_end and previous_new < new_end:
        stretches.append((previous_old, old_end, previous_new, new_end))
    return stretches


def _common_subsequence(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[tuple[int, int]]:
    """A longest common subsequence of ``old`` and ``new`` as index pairs, equal items matched earliest.

    >>> _common_subsequence("rxrr", "rrzr")
    [(0, 0), (2, 1), (3, 3)]
    """
    old_size, new_size = len(old), len(new)
    # longest[i][j]: the length of a longest common subsequence of old[i:] and new[j:]
    longest = [[0] * (new_size + 1) for _ in range(old_size + 1)]
    for i in range(old_size - 1, -1, -1):
        item, row, below = old[i], longest[i], longest[i + 1]
        for j in range(new_size - 1, -1, -1):
            if new[j] == item:
                row[j] = below[j + 1] + 1
            else:
                skip_old, skip_new = below[j], row[j + 1]
                row[j] = skip_old if skip_old >= skip_new else skip_new
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < old_size and j < new_size:
        if old[i] == new[j]:  # two equal heads are always part of some longest one
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif longest[i + 1][j] >= longest[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _longest_increasing(candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``candidates`` (sorted by first item) whose second items increase."""
    values = [value for _, value in candidates]
    if values == sorted(values):
        return candidates  # nothing moved (the usual edit): all of them (the values are distinct)
    tails: list[int] = []
    tail_index: list[int] = []
    parent: list[int] = [-1] * len(candidates)
    for position, (_, value) in enumerate(candidates):
        slot = bisect.bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_index.append(position)
        else:
            tails[slot] = value
            tail_index[slot] = position
        parent[position] = tail_index[slot - 1] if slot else -1
    run: list[tuple[int, int]] = []
    position = tail_index[-1] if tail_index else -1
    while position >= 0:
        run.append(candidates[position])
        position = parent[position]
    run.reverse()
    return run


def assign_turn_ids(turns: Sequence[tuple[str, str]], previous: Sequence[KnownTurn]) -> list[str]:
    """The id of each ``(speaker, text)`` turn, carried over from ``previous`` where it is the same turn.

    Unchanged turns are found by aligning the two sequences (a diff, as ``diff`` does for
    lines); a new turn near the place of an old, vanished one of the same speaker whose
    words are at least 60 % the same is that turn, edited (:func:`_pair_edits`). Every other turn is new and
    gets :func:`content_id` (``-2``, ``-3`` … when that id is taken, e.g. by a repeated line).

    >>> old = [KnownTurn("aa", "Joy", "Hello there."), KnownTurn("bb", "Dasom", "Right")]
    >>> assign_turn_ids([("Ilhyeok", "New line."), ("Joy", "Hello there!"), ("Dasom", "Right")], old)
    ['7af58aa7', 'aa', 'bb']
    """
    # One string per turn (hashed once, compared at C speed) rather than a (speaker, text) pair.
    # Most texts are on both sides: each is normalised once.
    normalized = {turn.text: normalize_text(turn.text) for turn in previous}
    old_keys = [f"{turn.speaker}\x1f{normalized[turn.text]}" for turn in previous]
    new_keys = [
        f"{speaker}\x1f{known if (known := normalized.get(text)) is not None else normalize_text(text)}"
        for speaker, text in turns
    ]
    ids: list[str | None] = [None] * len(turns)
    anchors_old: list[int] = []
    anchors_new: list[int] = []
    for old_index, new_index in match_sequences(old_keys, new_keys):
        ids[new_index] = previous[old_index].id
        anchors_old.append(old_index)
        anchors_new.append(new_index)
    unmatched = [index for index, turn_id in enumerate(ids) if turn_id is None]
    if unmatched:
        anchors = (anchors_old, anchors_new)
        unique_anchors = _said_once(anchors, old_keys, new_keys)
        for old_index, new_index in _pair_edits(previous, turns, anchors, unique_anchors, unmatched):
            ids[new_index] = previous[old_index].id
    used = {turn_id for turn_id in ids if turn_id is not None}
    result: list[str] = []
    for index, turn_id in enumerate(ids):
        if turn_id is None:
            base = content_id(*turns[index])
            turn_id, suffix = base, 2
            while turn_id in used:
                turn_id, suffix = f"{base}-{suffix}", suffix + 1
            used.add(turn_id)
        result.append(turn_id)
    return result


def _said_once(
    anchors: tuple[list[int], list[int]], old_keys: Sequence[str], new_keys: Sequence[str]
) -> tuple[list[int], list[int]]:
    """The ``anchors`` (old indexes, new indexes) of turns said once before and once now."""
    if len(set(old_keys)) == len(old_keys) and len(set(new_keys)) == len(new_keys):
        return anchors  # no line said twice
    old_count, new_count = Counter(old_keys), Counter(new_keys)
    unique = [
        (old_index, new_index)
        for old_index, new_index in zip(*anchors, strict=True)
        if old_count[old_keys[old_index]] == 1 and new_count[new_keys[new_index]] == 1
    ]
    return [old_index for old_index, _ in unique], [new_index for _, new_index in unique]


def known_turns(po: PoFile) -> list[KnownTurn]:
    """The turns a catalog (template or translation) knows, in order."""
    turns: list[KnownTurn] = []
    for entry in po.entries:
        context = entry.msgctxt
        if context is None or "/" not in context:
            continue  # not a turn (see is_turn_context)
        speaker = ""
        for comment in entry.extracted_comments:  # entry.comment("speaker"), inline
            if comment.startswith("speaker: "):
                speaker = comment[9:]
                break
        turns.append(KnownTurn(context.split("/", 1)[1], speaker, entry.msgid))
    return turns
