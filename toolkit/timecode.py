"""Integer milliseconds as clock text: the one place every format's timestamps come from."""

from __future__ import annotations

from typing import Final

#: ``MM:SS`` for every second of an hour, ``mmm`` for every millisecond of a second and
#: ``HH`` for the first hundred hours: a clock is three lookups (a build writes half a
#: million clocks). Final: the compiled install reads them without a globals lookup.
MINUTES_SECONDS: Final = tuple(
    f"{minutes:02d}:{seconds:02d}" for minutes in range(60) for seconds in range(60)
)
MILLIS: Final = tuple(f"{millis:03d}" for millis in range(1000))
HOURS: Final = tuple(f"{hours:02d}" for hours in range(100))



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
    # // and % floor as divmod does (one operator each, compiled to integer arithmetic).
    seconds, millis = ms // 1000, ms % 1000
    hours, within = seconds // 3600, seconds % 3600
    clock = (HOURS[hours] if 0 <= hours < 100 else f"{hours:02d}") + ":" + MINUTES_SECONDS[within]
    if millis_when_needed and not millis:
        return clock
    return clock + separator + MILLIS[millis]
