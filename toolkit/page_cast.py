"""Who speaks on a copied page: which labels are speakers, and which lines are their turns.

A name-shaped label is a speaker when ``--speakers`` names it (then only those), or else when
it starts two turns or more, counting ``--alias`` merges, a bracketed abbreviation
(``Daily NK [DNK]:`` then ``DNK:``) and initials (``Hayes Brown:`` then ``HB:``). A label met
once is a speaker too when it sits among those turns, or just before them, and says
something. A speaker's label written another way (``dasom:`` among ``Dasom:``) is that
speaker's turn; a near miss (``Dasmo:``) is an error asking for ``--alias``.
:mod:`toolkit.importer` builds the transcript from the cast decided here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from toolkit.page import PageLabel, PageLine, PageNote, looks_like_person, says_something
from toolkit.speaker_names import fold, names_are_close, suggest_name
from toolkit.transcript import match_label


@dataclass
class Cast:
    """Who speaks: each speaker label's line and speaker, and every label key that names one."""

    speaker_at: dict[int, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # a label as written -> its speaker
    order: list[str] = field(default_factory=list)


def _first_text(lines: list[PageLine], index: int) -> str:
    """A label's text: on its own line, or the next line with text (``NAME:`` alone on a line)."""
    label = lines[index].label
    if label is not None and label.text:
        return label.text
    for line in lines[index + 1 :]:
        if line.kind == "text":
            return "" if line.label is not None else line.text
    return ""


def _canonical_names(
    candidates: list[int], lines: list[PageLine], aliases: Mapping[str, str], notes: list[PageNote]
) -> dict[int, str]:
    """The speaker each candidate label stands for, once ``--alias``, bracketed abbreviations
    and initials are applied."""
    names = {index: _label(lines, index).name for index in candidates}
    abbreviations: dict[str, str] = {}
    for index in candidates:
        abbreviation = _label(lines, index).abbreviation
        if abbreviation and abbreviation not in abbreviations:
            abbreviations[abbreviation] = names[index]
    full_names = {name for name in names.values() if len(name.split()) > 1}
    by_initials: dict[str, list[str]] = {}
    for name in sorted(full_names):
        initials = "".join(word[0] for word in name.split()).upper()
        by_initials.setdefault(initials, []).append(name)
    canonical: dict[int, str] = {}
    reported: set[str] = set()
    for index, name in names.items():
        target = aliases.get(name)
        if target is None and name in abbreviations and name not in full_names:
            target = abbreviations[name]
        if target is None and re.fullmatch(r"[A-Z]{2,4}", name) and len(by_initials.get(name, ())) == 1:
            target = by_initials[name][0]
            if name not in aliases and name not in reported:
                notes.append(PageNote(lines[index].number, f"{name!r} taken as {target!r} (its initials); "
                                      f"pass --alias '{name}={name}' to keep them apart"))
        if target is not None and name not in reported and name in abbreviations and name not in aliases:
            notes.append(PageNote(lines[index].number, f"{name!r} taken as {target!r} (the abbreviation "
                                  "given after that name)"))
        reported.add(name)
        canonical[index] = aliases.get(target, target) if target is not None else name
    return canonical


def _label(lines: list[PageLine], index: int) -> PageLabel:
    label = lines[index].label
    assert label is not None  # only candidates, which have a label, are asked for
    return label


def decide_cast(
    lines: list[PageLine], given: Sequence[str] | None, aliases: Mapping[str, str],
    notes: list[PageNote], errors: list[PageNote],
) -> Cast:
    candidates = [
        index for index, line in enumerate(lines)
        if line.kind == "text" and line.label is not None
        and (looks_like_person(line.label.name) or line.label.name in aliases)
    ]
    canonical = _canonical_names(candidates, lines, aliases, notes)
    said: dict[str, set[str]] = {}
    for index in candidates:  # a line repeated word for word is a heading shown twice, not two turns
        text = f"{lines[index].text.strip()}\n{_first_text(lines, index)}"
        said.setdefault(canonical[index], set()).add(text)
    counts = {name: len(texts) for name, texts in said.items()}
    accepted: set[int] = set()
    if given is not None:
        wanted = set(given)
        accepted = {index for index in candidates if canonical[index] in wanted}
        reported: set[str] = set()
        for index in candidates:
            name = canonical[index]
            if name in wanted or name in reported:
                continue
            reported.add(name)
            number = lines[index].number
            if counts[name] > 1:
                errors.append(PageNote(number, f"label {name!r} starts {counts[name]} turns but is not in "
                                       f"--speakers: add it, or merge it with --alias '{name}=<speaker>'"))
            else:
                notes.append(PageNote(number, f"{name!r} looks like a speaker label but is not in --speakers;"
                                      " kept as text"))
    else:
        accepted = {index for index in candidates if counts[canonical[index]] > 1}
        if accepted:
            accepted |= _once_only_speakers(lines, candidates, accepted, canonical)
    cast = Cast()
    for index in sorted(accepted):
        name = canonical[index]
        cast.speaker_at[lines[index].number] = name
        cast.keys[_label(lines, index).name] = name
        abbreviation = _label(lines, index).abbreviation
        if abbreviation:
            cast.keys[abbreviation] = name
        if name not in cast.order:
            cast.order.append(name)
    cast.keys.update({key: value for key, value in aliases.items() if value in cast.order})
    cast.keys.update({name: name for name in given or ()})
    if given is None:
        for index in candidates:
            if index not in accepted and lines[index].number > min(cast.speaker_at, default=0) > 0:
                notes.append(PageNote(lines[index].number, f"{canonical[index]!r} looks like a speaker label "
                                      "but is met once; kept as text (pass --speakers to make it one)"))
        _propose_aliases(cast, lines, candidates, canonical, notes)
    return cast


def claim_misspelt_labels(
    lines: list[PageLine], cast: Cast, notes: list[PageNote], errors: list[PageNote]
) -> None:
    """Lines among the turns that start like a cast member's label written another way.

    ``dasom:``, ``DA SOM:``, ``Dasom;`` or ``Dasom (translated):`` on a page whose turns are
    ``Dasom:`` are that speaker's turns (with a note), never text of the turn before; a near
    miss that is another spelling (``Dasmo:``) is an error asking for ``--alias``, since it
    may be another person.
    """
    if not cast.speaker_at:
        return
    first = min(cast.speaker_at)
    for index, line in enumerate(lines):
        if line.kind != "text" or line.number <= first or line.number in cast.speaker_at:
            continue
        label = match_label(line.text, cast.order)
        if label is None:
            continue
        written = re.split(r"[:;：(]", line.text[label.name_column - 1 :], maxsplit=1)[0].strip()
        if label.code is None:
            if label.name in cast.order:
                continue
            same = [member for member in cast.order if fold(member) == fold(label.name)]
            if same:  # ``DASOM:`` among ``Dasom:`` turns: the same name in capitals
                label = replace(label, name=same[0], code="TRN021")
        if label.code is None:
            meant = suggest_name(label.name, cast.order)
            if meant is not None:
                errors.append(PageNote(line.number, f"{written!r} is close to the speaker {meant!r}: pass "
                                       f"--alias '{written}={meant}' if it is that speaker, or --speakers "
                                       "to name every speaker"))
            continue
        if label.code == "TRN021" and fold(written) != fold(label.name):
            errors.append(PageNote(line.number, f"{written!r} looks like a mistyped {label.name!r}: fix the "
                                   f"page, or pass --alias '{written}={label.name}' if it is that speaker"))
            continue
        cast.speaker_at[line.number] = label.name
        lines[index].label = PageLabel(label.name, label.text, label.name_column, stamp=label.stamp)
        as_written = line.text[: len(line.text) - len(label.text)].strip()
        notes[:] = [note for note in notes if note.line != line.number or "is met once" not in note.message]
        notes.append(PageNote(line.number, f"{as_written!r} read as a turn of {label.name!r} (the label is "
                              "written another way there)"))


def _once_only_speakers(
    lines: list[PageLine], candidates: list[int], accepted: set[int], canonical: dict[int, str]
) -> set[int]:
    """Labels met once that still start a turn: among the turns, saying something or written the
    way the turns' labels are (``▷인터뷰:`` among ``▶앵커:``, NPR's capitals); or just before them,
    saying something."""
    first = min(accepted)
    shouting = any(canonical[index].isupper() for index in accepted)
    styles = {_label(lines, index).style for index in accepted} - {"colon"}
    found: set[int] = set()
    recurring = {canonical[index] for index in accepted}
    for index in candidates:
        if any(names_are_close(canonical[index], name) for name in recurring - {canonical[index]}):
            continue  # ``Dasmo:`` once among ``Dasom:`` turns: a typo or another person, the user says
        if index > first and index not in accepted and (
            says_something(_first_text(lines, index)) or (shouting and canonical[index].isupper())
            or _label(lines, index).style in styles
        ):
            found.add(index)
    earlier = [index for index in candidates if index < first]
    while earlier and says_something(_first_text(lines, earlier[-1])):
        found.add(earlier.pop())  # (the lines between it and the turns are its own text)
    return found


def _propose_aliases(
    cast: Cast, lines: list[PageLine], candidates: list[int], canonical: dict[int, str], notes: list[PageNote]
) -> None:
    """``KIM`` after ``KIM HYUN WOO``, ``FIFIELD`` after ``ANNA FIFIELD``: the same person, most likely."""
    full = [name for name in cast.order if len(name.split()) > 1]
    for name in cast.order:
        if len(name.split()) != 1:
            continue
        matches = [other for other in full if name.casefold() in (other.split()[0].casefold(),
                                                                  other.split()[-1].casefold())]
        if len(matches) == 1:
            line = next(lines[i].number for i in candidates if canonical[i] == name)
            notes.append(PageNote(line, f"{name!r} may be {matches[0]!r}: pass --alias "
                                  f"'{name}={matches[0]}' to merge them"))
