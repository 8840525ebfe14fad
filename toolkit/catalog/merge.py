"""The update of a translation from a new template (:func:`update`), by message identity."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from toolkit.catalog.budget import is_budget_flag
from toolkit.catalog.extract import _ensure_plural_forms
from toolkit.catalog.identity import normalize_text
from toolkit.catalog.po import PoEntry, PoFile, is_turn_context, paused_gc
from toolkit.model import pickled_by_constructor

PREFILL_COMMENT = "redbox: pre-filled from the identical line {context}; check it, then clear fuzzy"


@dataclass(frozen=True)
class UpdateReport:
    """What an update did, message by message."""

    kept: int = 0
    fuzzied: int = 0
    new: int = 0
    prefilled: int = 0
    revived: int = 0
    obsoleted: int = 0

    def summary(self) -> str:
        return (
            f"{self.kept} kept, {self.fuzzied} edited (fuzzy), {self.new} new, "
            f"{self.prefilled} pre-filled (fuzzy), {self.revived} revived, {self.obsoleted} obsolete"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_by_constructor(self)  # compiled, pickling field by field fails


def _carry(old: PoEntry, new: PoEntry) -> tuple[PoEntry, bool]:
    """``new`` (from the template) with ``old``'s translation; True when it became fuzzy."""
    old_flags, new_flags = old.flags, new.flags
    if (
        # No flags but a budget (the template's, which replaces the old one): not fuzzy.
        (not old_flags or (len(old_flags) == 1 and old_flags[0].startswith("max-length:")))
        and (not new_flags or (len(new_flags) == 1 and new_flags[0].startswith("max-length:")))
        and not old.translator_comments
        and old.msgid == new.msgid
        and old.msgid_plural is None
        and new.msgid_plural is None
        and not old.msgstr_plural
    ):
        # The usual unchanged message: what the general case below gives it, in one step.
        return PoEntry(
            new.msgid, old.msgstr, new.msgctxt, None, [], [], new.extracted_comments, new.references,
            new.flags,
        ), False  # fmt: skip
    # The old flags in their order, then the template's (the budget flag is the template's,
    # regenerated on every update: the old one is dropped), so an update reorders nothing.
    flags = [flag for flag in old.flags if not is_budget_flag(flag)] if old.flags else []
    flags += [flag for flag in new.flags if flag not in flags]
    # Plural forms are never dropped: a template without msgid_plural keeps the catalog's
    # (the message is the same; only its translation has forms), and a message that becomes
    # plural starts from its singular translation as form 0 (and is fuzzy: its text changed).
    plural = new.msgid_plural if new.msgid_plural is not None else old.msgid_plural
    forms = list(old.msgstr_plural) if old.msgstr_plural else ([old.msgstr] if plural is not None else [])
    merged = PoEntry(
        new.msgid,
        old.msgstr if plural is None else "",
        new.msgctxt,
        plural,
        forms,
        list(old.translator_comments),
        new.extracted_comments,
        new.references,
        flags,
    )
    same_text = old.msgid == new.msgid or normalize_text(old.msgid) == normalize_text(new.msgid)
    if same_text and old.msgid_plural == plural:
        if old.fuzzy:
            merged.previous_msgctxt, merged.previous_msgid = old.previous_msgctxt, old.previous_msgid
            merged.previous_msgid_plural = old.previous_msgid_plural
        return merged, False
    if not old.translated:
        merged.flags = [flag for flag in merged.flags if flag != "fuzzy"]
        return merged, False
    if "fuzzy" not in merged.flags:
        merged.flags.insert(0, "fuzzy")
    if old.fuzzy and old.previous_msgid is not None:
        # The translation still matches the text it was made for, not the one in between.
        merged.previous_msgctxt, merged.previous_msgid = old.previous_msgctxt, old.previous_msgid
        merged.previous_msgid_plural = old.previous_msgid_plural
    else:
        merged.previous_msgid = old.msgid
        merged.previous_msgid_plural = old.msgid_plural
        merged.previous_msgctxt = old.msgctxt if old.msgctxt != new.msgctxt else None
    return merged, True


def _reviewed_obsolete(po: PoFile, template: PoFile) -> dict[str, list[PoEntry]]:
    """Reviewed obsolete turns whose id the template does not use, by normalised text, in file order."""
    in_use = {entry.msgctxt for entry in template.entries}
    found: dict[str, list[PoEntry]] = {}
    for entry in po.obsolete:
        if (
            entry.translated
            and not entry.fuzzy
            and is_turn_context(entry.msgctxt)
            and entry.msgctxt not in in_use
        ):
            found.setdefault(normalize_text(entry.msgid), []).append(entry)
    return found


def _translation_memory(po: PoFile) -> dict[str, PoEntry]:
    """Reviewed (non-fuzzy) turn translations by normalised source text; active ones win."""
    memory: dict[str, PoEntry] = {}
    for entry in po.obsolete:
        if entry.translated and not entry.fuzzy and is_turn_context(entry.msgctxt):
            memory.setdefault(normalize_text(entry.msgid), entry)
    for entry in po.entries:
        if entry.translated and not entry.fuzzy and is_turn_context(entry.msgctxt):
            memory[normalize_text(entry.msgid)] = entry
    return memory


def update(po: PoFile, template: PoFile) -> tuple[PoFile, UpdateReport]:
    """Bring a translation up to date with a template, by message identity (``msgctxt``).

    Unchanged messages keep their translation; a turn whose text changed keeps it as
    ``fuzzy`` with the old text as ``#| msgid``; a new turn is untranslated, or pre-filled
    (fuzzy, with a translator comment) from a non-fuzzy translation of the *identical*
    text; messages gone from the template move to the obsolete ``#~`` section and come
    back from there when they return. Header fields and translator comments are kept.
    """
    with paused_gc():
        return _update(po, template)


_Index = tuple[dict[tuple[str | None, str], PoEntry], dict[str | None, PoEntry]]


def _index(entries: list[PoEntry]) -> _Index:
    """Messages by (msgctxt, msgid), and turn messages (``episode/id`` contexts) by msgctxt
    alone, so a turn whose text changed is still found by its identity."""
    # (entry.key and is_turn_context, inline: these loops see every message)
    by_key = {(entry.msgctxt, entry.msgid): entry for entry in entries}
    by_context: dict[str | None, PoEntry] = {
        entry.msgctxt: entry for entry in entries if entry.msgctxt is not None and "/" in entry.msgctxt
    }
    return by_key, by_context


def _unclaimed(
    index: _Index, context: str | None, msgid: str, is_turn: bool, claimed: set[int]
) -> PoEntry | None:
    """The old message for (``context``, ``msgid``) in ``index``, unless a message met
    earlier has already claimed it."""
    by_key, by_context = index
    old = by_key.get((context, msgid))
    if old is None and is_turn:
        old = by_context.get(context)
    return None if old is None or id(old) in claimed else old


def _update(po: PoFile, template: PoFile) -> tuple[PoFile, UpdateReport]:
    active = _index(po.entries)
    obsolete = _index(po.obsolete)
    memory: dict[str, PoEntry] | None = None  # built on the first new turn
    reviewed_gone: dict[str, list[PoEntry]] | None = None  # likewise
    used: set[int] = set()
    revived: set[int] = set()
    kept = fuzzied = new_turns = prefilled = revived_count = 0
    entries: list[PoEntry] = []
    for new in template.entries:
        context, msgid = new.msgctxt, new.msgid
        is_turn = context is not None and "/" in context
        old = _unclaimed(active, context, msgid, is_turn, used)
        from_obsolete = False
        if old is None:
            old = _unclaimed(obsolete, context, msgid, is_turn, revived)
            from_obsolete = True
        if old is not None:
            (revived if from_obsolete else used).add(id(old))
            merged, made_fuzzy = _carry(old, new)
            entries.append(merged)
            revived_count += from_obsolete
            if made_fuzzy:
                fuzzied += 1
            else:
                kept += 1
            continue
        twin = None
        if is_turn:
            if reviewed_gone is None:
                reviewed_gone = _reviewed_obsolete(po, template)
            same = reviewed_gone.get(normalize_text(msgid))
            while same and id(same[0]) in revived:
                same.pop(0)
            if same:
                # A reviewed turn deleted and now back under another id (its first text's
                # hash was lost with the body): the same words, so the same reviewed turn.
                gone_turn = same.pop(0)
                revived.add(id(gone_turn))
                entries.append(_carry(gone_turn, new)[0])
                revived_count += 1
                kept += 1
                continue
            if memory is None:
                memory = _translation_memory(po)
            twin = memory.get(normalize_text(msgid))
        if twin is not None:
            entries.append(
                replace(
                    new,
                    msgstr=twin.msgstr,
                    flags=["fuzzy", *new.flags],
                    translator_comments=[PREFILL_COMMENT.format(context=twin.msgctxt)],
                    line=0,
                )
            )
            prefilled += 1
        else:
            entries.append(_copy(new))
            new_turns += 1
    gone = [
        _copy(entry, keep_previous=False)
        for entry in po.entries
        if id(entry) not in used and (entry.translated or entry.translator_comments)
    ]
    for entry in gone:
        if entry.flags:  # a budget is for an active turn's time on screen
            entry.flags = [flag for flag in entry.flags if not is_budget_flag(flag)]
    gone_keys = {entry.key for entry in gone}
    kept_obsolete = [
        _copy(entry)
        for entry in po.obsolete
        if id(entry) not in revived and entry.key not in gone_keys  # the newer copy wins
    ]
    result = PoFile(
        headers=list(po.headers),
        header_comments=list(po.header_comments),
        header_flags=list(po.header_flags),
        entries=entries,
        obsolete=kept_obsolete + gone,
    )
    creation = template.header("POT-Creation-Date")
    if creation:
        result.set_header("POT-Creation-Date", creation)
    if po.language:
        _ensure_plural_forms(result, po.language)
    report = UpdateReport(kept, fuzzied, new_turns, prefilled, revived_count, len(gone))
    return result, report


def _copy(entry: PoEntry, *, keep_previous: bool = True) -> PoEntry:
    """``replace(entry, line=0)`` (without ``#|`` when not ``keep_previous``), several times quicker."""
    return PoEntry(
        entry.msgid,
        entry.msgstr,
        entry.msgctxt,
        entry.msgid_plural,
        entry.msgstr_plural,
        entry.translator_comments,
        entry.extracted_comments,
        entry.references,
        entry.flags,
        entry.previous_msgctxt if keep_previous else None,
        entry.previous_msgid if keep_previous else None,
        0,
        entry.previous_msgid_plural if keep_previous else None,
    )
