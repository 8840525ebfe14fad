"""ASS (Advanced SubStation Alpha, ``.ass``): styled subtitles for Aegisub and libass players.

One style per speaker, in the speaker's colour (:mod:`toolkit.formats.styling`: BBC
palette, or ``[tool.redbox] colours``), with a font that covers the language (Korean:
``Noto Sans CJK KR``); a ``Default`` style for lines nobody is named on. Each cue is one
``Dialogue`` line whose ``Name`` is the speaker; a dialogue cue's second speaker gets a
colour override. Format reference: the ASS specs (Aegisub's "ASS tags" manual,
https://aegisub.org/docs/latest/ass_tags/) as libass implements them.

Times are centiseconds (``H:MM:SS.cc``), the format's resolution: each time is rounded to
the nearest 10 ms. Text is made literal for libass (:mod:`toolkit.formats.libass`): a
backslash libass would read as an escape (``\\N``, ``\\n``, ``\\h``, ``\\{``, ``\\}``) gets a
WORD JOINER (U+2060) after it, then ``{`` and ``}`` become ``\\{`` and ``\\}`` (libass shows
them as braces instead of reading an override block). Line breaks are ``\\N``.
"""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.formats import validate_cues
from toolkit.formats.libass import break_backslash_escapes
from toolkit.formats.styling import Styling, speaker_colours, speakers_in_order
from toolkit.model import Cue

PLAY_RES = (1920, 1080)
FONT_SIZE = 56
MARGIN_V = 48
WORD_JOINER = "\u2060"
LINE_BREAK = "\\N"
STYLE_FORMAT = (
    "Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
    "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, "
    "Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding"
)
EVENT_FORMAT = "Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"


def format_time(ms: int) -> str:
    """``H:MM:SS.cc``, rounded to the nearest centisecond.

    >>> format_time(3_723_004), format_time(1_835), format_time(360_000_000)
    ('1:02:03.00', '0:00:01.84', '100:00:00.00')
    """
    return _format_centiseconds((ms + 5) // 10)


def _format_centiseconds(centiseconds: int) -> str:
    seconds, cs = divmod(centiseconds, 100)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{cs:02d}"


def ass_colour(hex_colour: str) -> str:
    """``#RRGGBB`` as ASS ``&HAABBGGRR`` (opaque).

    >>> ass_colour("#FFFF00")
    '&H0000FFFF'
    """
    red, green, blue = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"&H00{blue}{green}{red}".upper()


def escape_text(text: str) -> str:
    """Text as libass shows it literally, lines joined with ``\\N``.

    >>> print(escape_text("{\\\\an8} C:\\\\new\\nline").replace(WORD_JOINER, "<WJ>"))
    \\{\\an8\\} C:\\<WJ>new\\Nline
    """
    lines = []
    for line in text.split("\n"):
        line = break_backslash_escapes(line)
        line = line.replace("{", "\\{").replace("}", "\\}")
        lines.append(line)
    return LINE_BREAK.join(lines)


def field_safe(name: str) -> str:
    """A style or actor name without the commas that separate ASS fields.

    >>> field_safe("Kim, Joy")
    'Kim; Joy'
    """
    return " ".join(name.replace(",", ";").split())


def _style_line(name: str, font: str, colour: str) -> str:
    fields = [
        name,
        font,
        str(FONT_SIZE),
        ass_colour(colour),
        "&H000000FF",
        "&H00000000",
        "&H80000000",
        "0",
        "0",
        "0",
        "0",
        "100",
        "100",
        "0",
        "0",
        "1",
        "2.5",
        "1",
        "2",
        "120",
        "120",
        str(MARGIN_V),
        "1",
    ]
    return "Style: " + ",".join(fields)


def compose_ass(
    cues: Sequence[Cue], *, source: str = "", styling: Styling | None = None, lenient: bool = False
) -> str:
    """The ASS script for ``cues``.

    >>> from toolkit.model import CuePart
    >>> text = compose_ass([Cue(1000, 2500, (CuePart("Joy", "Hi\\nthere"),))])
    >>> text.splitlines()[-1]
    'Dialogue: 0,0:00:01.00,0:00:02.50,Joy,Joy,0,0,0,,Hi\\\\Nthere'
    """
    styling = styling or Styling()
    validate_cues(cues, source=source, format_name="ASS", lenient=lenient)
    speakers = speakers_in_order(cues)
    colours = speaker_colours(speakers, styling.colours)
    font = field_safe(styling.font_family)
    styles = {speaker: field_safe(speaker) for speaker in speakers}
    out = [
        "[Script Info]",
        "; Written by redbox",
        f"Title: {' '.join(styling.title.split()) or 'redbox subtitles'}",
        "ScriptType: v4.00+",
        "WrapStyle: 0",
        "ScaledBorderAndShadow: yes",
        f"PlayResX: {PLAY_RES[0]}",
        f"PlayResY: {PLAY_RES[1]}",
        "YCbCr Matrix: None",
        f"Language: {styling.language}",
        "",
        "[V4+ Styles]",
        f"Format: {STYLE_FORMAT}",
        _style_line("Default", font, "#FFFFFF"),
    ]
    out.extend(_style_line(styles[speaker], font, colours[speaker]) for speaker in speakers)
    out += ["", "[Events]", f"Format: {EVENT_FORMAT}"]
    for cue in cues:
        start_cs = (cue.start_ms + 5) // 10
        end_cs = (cue.end_ms + 5) // 10
        if cue.end_ms > cue.start_ms:  # never rounded to nothing (a converted 0-length cue stays so)
            end_cs = max(end_cs, start_cs + 1)
        first = cue.parts[0].speaker
        style = styles[first] if first else "Default"
        texts = []
        for number, part in enumerate(cue.parts):
            text = escape_text(part.text)
            if number and part.speaker != first:
                colour = colours[part.speaker] if part.speaker else "#FFFFFF"
                text = "{\\c&H" + ass_colour(colour)[4:] + "&}" + text
            texts.append(text)
        names = "; ".join(dict.fromkeys(field_safe(part.speaker) for part in cue.parts if part.speaker))
        times = f"{_format_centiseconds(start_cs)},{_format_centiseconds(end_cs)}"
        out.append(f"Dialogue: 0,{times},{style},{names},0,0,0,," + LINE_BREAK.join(texts))
    return "\n".join(out) + "\n"
