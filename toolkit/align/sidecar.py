"""The timings sidecar: ``<transcript stem>.timings.tsv`` next to the transcript.

A tab-separated table (tabs shown as spaces here), one row per turn, that a person can
read and fix by hand::

    # redbox timings 2
    # transcript: episode.txt
    # audio: episode.wav
    # audio_path: ../media/episode.wav
    # language: ko
    # audio_ms: 612000
    # trailing_uncovered_ms: 0
    turn line speaker start end synth_ms speech uncovered_ms match snr_db drift_ms unplaced steady
        fingerprint words
    1 7 All 00:00:01.020 00:00:02.310 1290 0.97 0 1.04 41.5 40 0 0.31 3f2a9c01b7de 0 420 800

(the header is one line in the file).

``turn`` counts from 1 in transcript order (translations match turns by this number);
``line`` and ``speaker`` tell which turn it was when aligned, ``fingerprint`` its speaker
and words (:func:`~toolkit.align.timings.turn_fingerprint`): a turn whose fingerprint no
longer matches is stale, and is timed from its neighbours until aligned again.
``start``/``end`` are the speech's start and end (``hh:mm:ss.mmm``); ``synth_ms`` is the
synthesized length, ``speech`` the share of the span that sounds like speech,
``uncovered_ms`` the speech just before the turn that no turn covers, ``match`` the
turn's match cost against the episode's median turn and ``snr_db`` how far its speech
rises over the background around it, ``drift_ms`` how far a second, independent
alignment puts its start, ``unplaced`` how many words the acoustic-model engine squeezed
to its shortest time, ``steady`` how steady, like played music, the sound is where the
turn starts (the outlier checks use them);
``words`` is the start of each word of the turn, in ms after ``start``, so that moving
``start`` by hand moves the words with it. ``audio_path`` is the audio's path relative to
the timings file's folder.

Files of version 1 (no ``match``, ``snr_db`` or ``fingerprint``) are still read; their turns cannot
be checked for staleness (``ALN009``). A file without ``drift_ms``, ``unplaced`` or ``steady``
(written before them) reads as 0.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from toolkit.align.timings import Alignment, TurnTiming
from toolkit.errors import ToolkitError
from toolkit.timecode import format_clock

MAGIC = "# redbox timings 2"
#: Older files this version reads.
OLD_MAGIC = ("# redbox timings 1",)
SUFFIX = ".timings.tsv"
COLUMNS = (
    "turn", "line", "speaker", "start", "end", "synth_ms", "speech", "uncovered_ms",
    "match", "snr_db", "drift_ms", "unplaced", "steady", "fingerprint", "words",
)  # fmt: skip
#: The columns every version has.
REQUIRED = ("turn", "line", "speaker", "start", "end", "synth_ms", "speech", "uncovered_ms")
#: Hours up to 6 digits; ASCII digits only (``\\d`` would take ``²`` and ``١``).
_TIME = re.compile(r"^(?:([0-9]{1,6}):)?([0-5]?[0-9]):([0-5][0-9])(?:[.,]([0-9]{1,3}))?$")
_META = re.compile(r"^#\s*([a-z_]+)\s*:\s*(.*)$")
#: Whole numbers in a timings file: ASCII digits, at most 12 (31 years in ms).
_WHOLE = re.compile(r"[0-9]{1,12}")
_FINGERPRINT = re.compile(r"[0-9a-f]{12}")


class TimingsError(ToolkitError):
    """A timings sidecar cannot be read."""


def timings_path(transcript: PurePath) -> PurePath:
    """Where the sidecar of ``transcript`` lives.

    >>> str(timings_path(PurePath("transcripts/episode.txt")))
    'transcripts/episode.timings.tsv'
    """
    return transcript.with_name(transcript.stem + SUFFIX)


def format_time(ms: int) -> str:
    """``hh:mm:ss.mmm``.

    >>> format_time(3_723_045)
    '01:02:03.045'
    """
    return format_clock(max(0, ms))


def parse_time(text: str) -> int | None:
    """Milliseconds of ``hh:mm:ss.mmm`` (hours optional, ``,`` accepted), or ``None``.

    >>> parse_time("01:02:03.045"), parse_time("2:03.5"), parse_time("soon")
    (3723045, 123500, None)
    """
    match = _TIME.match(text.strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    millis = int((fraction + "00")[:3]) if fraction else 0
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis


def format_timings(alignment: Alignment) -> str:
    """The sidecar text of ``alignment`` (deterministic, LF line ends)."""
    lines = [MAGIC]
    meta = dict(alignment.meta)
    meta["audio_ms"] = str(alignment.audio_ms)
    meta["trailing_uncovered_ms"] = str(alignment.trailing_uncovered_ms)
    for key, value in meta.items():
        lines.append(f"# {key}: {' '.join(value.split())}")
    lines.append("\t".join(COLUMNS))
    for turn in alignment.turns:
        words = " ".join(str(max(0, word - turn.start_ms)) for word in turn.words)
        fingerprint = turn.fingerprint or "-"
        lines.append(
            "\t".join(
                (
                    str(turn.index + 1),
                    str(turn.line),
                    " ".join(turn.speaker.split()) or "-",
                    format_time(turn.start_ms),
                    format_time(turn.end_ms),
                    str(turn.synth_ms),
                    f"{turn.speech:.2f}",
                    str(turn.uncovered_ms),
                    f"{turn.match:.2f}",
                    f"{turn.snr_db:.1f}",
                    str(turn.drift_ms),
                    str(turn.unplaced),
                    f"{turn.steady:.2f}",
                    fingerprint,
                    words,
                )
            )
        )
    return "\n".join(lines) + "\n"


def parse_timings(text: str, source: str = "<timings>") -> Alignment:
    """Read a sidecar; :class:`TimingsError` (with the line) when it is malformed.

    >>> sidecar = format_timings(Alignment((TurnTiming(0, 7, "Joy", 1000, 2500, words=(1000, 1400)),), 9000))
    >>> parse_timings(sidecar).turns[0].words
    (1000, 1400)
    """
    lines = text.splitlines()
    if not lines or (lines[0].strip() != MAGIC and lines[0].strip() not in OLD_MAGIC):
        raise TimingsError(f"not a redbox timings file (the first line must be {MAGIC!r})", source, 1)
    meta: dict[str, str] = {}
    turns: list[TurnTiming] = []
    names: tuple[str, ...] = ()
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if line.startswith("#"):
            match = _META.match(line)
            if match:
                meta[match.group(1)] = match.group(2).strip()
            continue
        fields = line.split("\t")
        if not names:
            names = tuple(field.strip() for field in fields)
            missing = [name for name in REQUIRED if name not in names]
            if missing or len(set(names)) != len(names):
                raise TimingsError(f"expected the column header {' '.join(COLUMNS)}", source, number)
            continue
        turns.append(_parse_row(names, fields, source, number, len(turns)))
    audio_ms = _meta_int(meta.pop("audio_ms", "0"), "audio_ms", source)
    trailing = _meta_int(meta.pop("trailing_uncovered_ms", "0"), "trailing_uncovered_ms", source)
    return Alignment(tuple(turns), audio_ms, trailing, tuple(meta.items()))


def _meta_int(value: str, key: str, source: str) -> int:
    if not _WHOLE.fullmatch(value):
        raise TimingsError(
            f"{key} must be a whole number of ms (at most 12 digits), not {value[:40]!r}", source
        )
    return int(value)


def _parse_row(names: tuple[str, ...], fields: list[str], source: str, number: int, count: int) -> TurnTiming:
    # The words column may be cut off with its trailing tab; every other column must be there.
    if len(fields) < len(names) - ("words" in names) or len(fields) > len(names):
        raise TimingsError(
            f"expected {len(names)} tab-separated columns, found {len(fields)}", source, number
        )
    row = dict(zip(names, [*fields, ""], strict=False))

    def whole(name: str) -> int:
        value = row.get(name, "0").strip()
        if not _WHOLE.fullmatch(value):
            raise TimingsError(
                f"{name} must be a whole number (at most 12 digits), not {value[:40]!r}", source, number
            )
        return int(value)

    def share(name: str, default: str, top: float) -> float:
        value = row.get(name, default).strip()
        try:
            parsed = float(value) if len(value) <= 12 else -1.0
        except ValueError:
            parsed = -1.0
        if not 0.0 <= parsed <= top:  # also refuses nan
            raise TimingsError(
                f"{name} must be a number from 0 to {top:g}, not {value[:40]!r}", source, number
            )
        return parsed

    if whole("turn") != count + 1:
        raise TimingsError(f"turn {row['turn'][:40]} out of order (expected {count + 1})", source, number)
    start, end = row["start"], row["end"]
    start_ms, end_ms = parse_time(start), parse_time(end)
    if start_ms is None or end_ms is None:
        raise TimingsError("start and end must be times like 00:01:02.345", source, number)
    if end_ms < start_ms:
        raise TimingsError(f"end {end} is before start {start}", source, number)
    offsets: list[int] = []
    for word in row.get("words", "").split():
        if not _WHOLE.fullmatch(word):
            raise TimingsError(
                f"word offsets must be whole ms (at most 12 digits), not {word[:40]!r}", source, number
            )
        offsets.append(start_ms + int(word))
    fingerprint = row.get("fingerprint", "").strip()
    if fingerprint in ("", "-"):
        fingerprint = ""
    elif not _FINGERPRINT.fullmatch(fingerprint):
        raise TimingsError(f"fingerprint must be 12 hex digits, not {fingerprint[:40]!r}", source, number)
    return TurnTiming(
        index=count,
        line=whole("line"),
        speaker=row["speaker"].strip(),
        start_ms=start_ms,
        end_ms=end_ms,
        synth_ms=whole("synth_ms"),
        speech=share("speech", "1", 1.0),
        uncovered_ms=whole("uncovered_ms"),
        words=tuple(offsets),
        fingerprint=fingerprint,
        match=share("match", "0", 1e6),
        snr_db=share("snr_db", "0", 99.0),
        drift_ms=whole("drift_ms"),
        unplaced=whole("unplaced"),
        steady=share("steady", "0", 1.0),
    )
