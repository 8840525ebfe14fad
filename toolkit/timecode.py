"""Integer milliseconds as clock text: the one place every format's timestamps come from."""

from __future__ import annotations

#: ``MM:SS`` for every second of an hour and ``mmm`` for every millisecond of a second: a
#: clock is two lookups and one number formatted (a build writes half a million clocks).
MINUTES_SECONDS = tuple(f"{minutes:02d}:{seconds:02d}" for minutes in range(60) for seconds in range(60))
MILLIS = tuple(f"{millis:03d}" for millis in range(1000))


def format_clock(ms: int, *, separator: str = ".", millis_when_needed: bool = False) -> str:
    """``HH:MM:SS<separator>mmm`` for ``ms`` (hours grow past 99 rather than wrap).

    ``separator`` is ``","`` for SRT and ``"."`` for WebVTT and transcripts; with
    ``millis_when_needed`` a whole second is written without its fraction.

    >>> format_clock(3_723_004), format_clock(3_723_004, separator=",")
    ('01:02:03.004', '01:02:03,004')
    >>> format_clock(360_000_000), format_clock(83_000, millis_when_needed=True)
    ('100:00:00.000', '00:01:23')
    """
    # divmod floors, so a negative time is written as the field-by-field divmods wrote it.
    seconds, millis = divmod(ms, 1000)
    hours, within = divmod(seconds, 3600)
    clock = f"{hours:02d}:{MINUTES_SECONDS[within]}"
    if millis_when_needed and not millis:
        return clock
    return clock + separator + MILLIS[millis]
