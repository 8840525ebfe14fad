"""Integer milliseconds as clock text: the one place every format's timestamps come from."""

from __future__ import annotations


def format_clock(ms: int, *, separator: str = ".", millis_when_needed: bool = False) -> str:
    """``HH:MM:SS<separator>mmm`` for ``ms`` (hours grow past 99 rather than wrap).

    ``separator`` is ``","`` for SRT and ``"."`` for WebVTT and transcripts; with
    ``millis_when_needed`` a whole second is written without its fraction.

    >>> format_clock(3_723_004), format_clock(3_723_004, separator=",")
    ('01:02:03.004', '01:02:03,004')
    >>> format_clock(360_000_000), format_clock(83_000, millis_when_needed=True)
    ('100:00:00.000', '00:01:23')
    """
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    if millis_when_needed and not millis:
        return clock
    return f"{clock}{separator}{millis:03d}"
