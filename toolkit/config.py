"""Project defaults from ``pyproject.toml``'s ``[tool.redbox]`` table.

Example::

    [tool.redbox]
    fps = 25
    labels = "always"
    dialogue = true
    duration = "00:12:30"
    rate = { en = 14.0, ko = 6.0 }   # or one number for every language
    transcripts = "transcripts"
    subtitles = "subtitles"
    locales = "locales"
    formats = ["srt", "vtt", "ttml"]  # any of srt, vtt, ttml, dfxp, ass
    colours = { Joy = "#FFFF00" }    # speaker colours in TTML, ASS and the preview
    shots = "videos"                 # snap cues to the shot changes of videos/<episode>.*

Command-line options win over these. Keys this module does not know are left for
other parts of redbox (``extra``); a known key with a wrong value is an error that
names the file and line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.formats import FORMATS
from toolkit.formats.styling import is_colour
from toolkit.subtitles import LABEL_CHOICES, SubtitleOptions


class ConfigError(ToolkitError):
    """``[tool.redbox]`` cannot be used as it is."""


_CLOCK = re.compile(r"^(?:(?:(\d+):)?(\d{1,2}):)?(\d+)(?:[.,](\d{1,3}))?$")


def parse_clock(text: str) -> int:
    """A time given as ``HH:MM:SS[.mmm]``, ``MM:SS`` or seconds, in milliseconds.

    Raises ``ValueError`` for anything else.

    >>> parse_clock("00:12:30"), parse_clock("1:02.5"), parse_clock("90")
    (750000, 62500, 90000)
    """
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(f"not a time: {text!r} (use HH:MM:SS, MM:SS or seconds, with optional .mmm)")
    hours, minutes, seconds, fraction = match.groups()
    if (hours is not None or minutes is not None) and int(seconds) >= 60:
        raise ValueError(f"not a time: {text!r} (seconds must be under 60)")
    if hours is not None and int(minutes) >= 60:
        raise ValueError(f"not a time: {text!r} (minutes must be under 60)")
    millis = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes or 0)) * 60 + int(seconds)) * 1000 + millis


@dataclass(frozen=True)
class RedboxConfig:
    """The defaults found in ``[tool.redbox]``; ``rates`` maps a language (or ``*``) to a speech rate."""

    options: SubtitleOptions = field(default_factory=SubtitleOptions)
    rates: Mapping[str, float] = field(default_factory=dict)
    transcripts: str = "transcripts"
    subtitles: str = "subtitles"
    locales: str = "locales"
    formats: tuple[str, ...] = ("srt", "vtt")
    #: Speaker -> ``#RRGGBB`` for the styled formats (TTML, ASS) and the preview.
    colours: Mapping[str, str] = field(default_factory=dict)
    #: A video file or a folder of ``<episode>.<ext>`` videos whose shot changes cues snap to.
    shots: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def rate_for(self, language: str) -> float | None:
        """The configured speech rate for ``language`` (its base tag), else the ``*`` one."""
        base = language.replace("_", "-").split("-", 1)[0].lower()
        return self.rates.get(base, self.rates.get("*"))


def _key_line(text: str, key: str) -> int:
    """The line of ``key = …`` inside ``[tool.redbox]`` (0 when it cannot be found)."""
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.replace(" ", "") in ("[tool.redbox]",)
            continue
        if in_table and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return 0


def parse_config(text: str, source: str = "pyproject.toml") -> RedboxConfig:
    """Read ``[tool.redbox]`` from the text of a ``pyproject.toml``.

    >>> parse_config('[tool.redbox]\\nfps = 25\\nlabels = "none"\\n').options.labels
    'none'
    >>> parse_config("[tool.redbox]\\nfps = 'fast'\\n", "p.toml")
    Traceback (most recent call last):
    ...
    toolkit.config.ConfigError: p.toml:2: [tool.redbox] fps must be a number above 0, not 'fast'
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        raise ConfigError(f"not valid TOML: {error}", source, int(found.group(1)) if found else 0) from None
    table = document.get("tool", {}).get("redbox", {})
    if not isinstance(table, dict):
        raise ConfigError("[tool.redbox] must be a table", source)

    def fail(key: str, expected: str) -> ConfigError:
        return ConfigError(
            f"[tool.redbox] {key} must be {expected}, not {table[key]!r}", source, _key_line(text, key)
        )

    options = SubtitleOptions()
    settings: dict[str, Any] = {}
    rates: dict[str, float] = {}
    config = RedboxConfig()
    extra: dict[str, Any] = {}
    folders: dict[str, str] = {}
    for key, value in table.items():
        if key == "fps":
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise fail(key, "a number above 0")
            settings["fps"] = float(value)
        elif key == "rate":
            if isinstance(value, dict):
                for language, number in value.items():
                    if isinstance(number, bool) or not isinstance(number, int | float) or number <= 0:
                        raise fail(key, "a number above 0 or a table of them by language")
                    rates[language.lower()] = float(number)
            elif isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
                rates["*"] = float(value)
            else:
                raise fail(key, "a number above 0 or a table of them by language")
        elif key in ("start", "duration"):
            try:
                millis = parse_clock(str(value)) if not isinstance(value, bool) else -1
            except ValueError:
                millis = -1
            if millis < 0 or (key == "duration" and millis == 0):
                raise fail(key, 'a time such as "00:12:30" or a number of seconds')
            settings["start_ms" if key == "start" else "duration_ms"] = millis
        elif key == "pause":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise fail(key, "a whole number of milliseconds")
            settings["pause_ms"] = value
        elif key == "labels":
            if value not in LABEL_CHOICES:
                raise fail(key, "one of " + ", ".join(f'"{choice}"' for choice in LABEL_CHOICES))
            settings["labels"] = value
        elif key in ("dialogue", "crlf", "strict"):
            if not isinstance(value, bool):
                raise fail(key, "true or false")
            settings[key] = value
        elif key in ("transcripts", "subtitles", "locales"):
            if not isinstance(value, str) or not value:
                raise fail(key, "a folder name")
            folders[key] = value
        elif key == "formats":
            if not isinstance(value, list) or not value or any(item not in FORMATS for item in value):
                raise fail(key, "a list of " + ", ".join(f'"{name}"' for name in FORMATS))
            config = replace(config, formats=tuple(dict.fromkeys(value)))
        elif key == "colours":
            if not isinstance(value, dict) or not all(
                isinstance(colour, str) and is_colour(colour) for colour in value.values()
            ):
                raise fail(key, 'a table of speaker = "#RRGGBB"')
            config = replace(config, colours=dict(value))
        elif key == "shots":
            if not isinstance(value, str) or not value:
                raise fail(key, "a video file or a folder of <episode> videos")
            config = replace(config, shots=value)
        else:
            extra[key] = value
    return replace(
        config,
        options=replace(options, **settings),
        rates=rates,
        extra=extra,
        transcripts=folders.get("transcripts", config.transcripts),
        subtitles=folders.get("subtitles", config.subtitles),
        locales=folders.get("locales", config.locales),
    )


#: Command-line option name -> :class:`SubtitleOptions` field.
OPTION_FIELDS = {"fps": "fps", "start": "start_ms", "duration": "duration_ms", "labels": "labels",
                 "dialogue": "dialogue", "crlf": "crlf", "strict": "strict", "rate": "rate"}  # fmt: skip


def merged_options(config: RedboxConfig, given: Mapping[str, Any]) -> SubtitleOptions:
    """The config's options with every option given on the command line (not ``None``) on top."""
    changes = {name: given[option] for option, name in OPTION_FIELDS.items() if given.get(option) is not None}
    return replace(config.options, **changes)


def with_rate(options: SubtitleOptions, config: RedboxConfig, language: str) -> SubtitleOptions:
    """Fill in the configured speech rate for ``language`` unless ``--rate`` was given."""
    if options.rate is not None:
        return options
    return replace(options, rate=config.rate_for(language or "en"))
