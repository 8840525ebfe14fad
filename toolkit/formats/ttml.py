"""TTML writers: IMSC 1.1 Text profile (``.ttml``) and plain TTML1 (``.dfxp``).

Both carry the same content: ``xml:lang`` from the subtitle language, one ``<p>`` per cue
with ``begin``/``end`` as media clock times (``HH:MM:SS.mmm``, hours of two or more
digits), one ``<span>`` per speaker part coloured by speaker and pointing at a
``ttm:agent`` declared in the head (W3C TTML2 §12.1.1; BBC Subtitle Guidelines §7.9 asks
for speakers as ``ttm:agent``), line breaks as ``<br/>``, and a bottom region.

- ``ttml`` declares ``ttp:contentProfiles`` = IMSC 1.1 Text
  (https://www.w3.org/TR/ttml-imsc1.1/ §5.2), for streaming and broadcast delivery.
- ``dfxp`` is the TTML1 form (https://www.w3.org/TR/ttml1/) that Netflix and most
  broadcasters take as ``.dfxp``/``.xml``: no IMSC designators, TTML1 attributes only.

Text is escaped for XML and kept with ``xml:space="preserve"`` so runs of spaces and
leading spaces survive. Characters XML 1.0 cannot hold are refused at the cue's line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from toolkit.errors import SubtitleError
from toolkit.formats import validate_cues
from toolkit.formats.styling import Styling, speaker_colours, speakers_in_order
from toolkit.model import Cue

IMSC_TEXT_PROFILE = "http://www.w3.org/ns/ttml/profile/imsc1.1/text"
#: Anything XML 1.0 cannot carry (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def format_clock_time(ms: int) -> str:
    """TTML clock time ``HH:MM:SS.mmm`` (hours grow past 99).

    >>> format_clock_time(3_723_004), format_clock_time(360_000_000)
    ('01:02:03.004', '100:00:00.000')
    """
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _check_xml_text(cues: Sequence[Cue], source: str) -> None:
    for number, cue in enumerate(cues, start=1):
        for part in cue.parts:
            for value in (part.text, part.speaker or ""):
                bad = _NOT_XML.search(value)
                if bad:
                    raise SubtitleError(
                        f"cue {number} holds U+{ord(bad.group()):04X}, which an XML file cannot carry",
                        source,
                        cue.line,
                    )


def compose_ttml(
    cues: Sequence[Cue],
    *,
    source: str = "",
    styling: Styling | None = None,
    profile: str = "imsc",
    lenient: bool = False,
) -> str:
    """The TTML document for ``cues``: ``profile`` ``imsc`` (IMSC 1.1 Text) or ``ttml1``.

    >>> from toolkit.model import CuePart
    >>> text = compose_ttml([Cue(1000, 2500, (CuePart("Joy", "Hi &\\nbye"),))], styling=Styling("ko"))
    >>> '<p xml:id="c1" begin="00:00:01.000" end="00:00:02.500"' in text, 'xml:lang="ko"' in text
    (True, True)
    >>> '<span style="speaker1" ttm:agent="speaker1">Hi &amp;<br/>bye</span>' in text
    True
    """
    if profile not in ("imsc", "ttml1"):
        raise ValueError(profile)
    styling = styling or Styling()
    validate_cues(cues, source=source, format_name="TTML", lenient=lenient)
    _check_xml_text(cues, source)
    speakers = speakers_in_order(cues)
    colours = speaker_colours(speakers, styling.colours)
    ids = {speaker: f"speaker{number}" for number, speaker in enumerate(speakers, start=1)}
    root_attributes = [
        'xmlns="http://www.w3.org/ns/ttml"',
        'xmlns:ttp="http://www.w3.org/ns/ttml#parameter"',
        'xmlns:tts="http://www.w3.org/ns/ttml#styling"',
        'xmlns:ttm="http://www.w3.org/ns/ttml#metadata"',
        f"xml:lang={quoteattr(styling.language)}",
        'ttp:timeBase="media"',
        'ttp:cellResolution="32 15"',
    ]
    if profile == "imsc":
        root_attributes.append(f'ttp:contentProfiles="{IMSC_TEXT_PROFILE}"')
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<tt " + " ".join(root_attributes) + ">", "  <head>"]
    out.append("    <metadata>")
    if styling.title:
        out.append(f"      <ttm:title>{escape(styling.title)}</ttm:title>")
    for speaker, agent in ids.items():
        out.append(
            f'      <ttm:agent xml:id="{agent}" type="person">'
            f'<ttm:name type="full">{escape(speaker)}</ttm:name></ttm:agent>'
        )
    out.append("    </metadata>")
    out.append("    <styling>")
    out.append(
        '      <style xml:id="base" tts:fontFamily='
        + quoteattr(styling.font_family + ", proportionalSansSerif")
        + ' tts:fontSize="100%" tts:lineHeight="125%" tts:textAlign="center" tts:color="#FFFFFF"'
        ' tts:backgroundColor="#000000C2"/>'
    )
    for speaker, agent in ids.items():
        out.append(f'      <style xml:id="{agent}" style="base" tts:color="{colours[speaker]}"/>')
    out.append("    </styling>")
    out.append("    <layout>")
    out.append(
        '      <region xml:id="bottom" tts:origin="10% 10%" tts:extent="80% 80%" tts:displayAlign="after"/>'
    )
    out.append("    </layout>")
    out.append("  </head>")
    out.append('  <body region="bottom" style="base">')
    out.append("    <div>")
    for number, cue in enumerate(cues, start=1):
        spans = []
        for part in cue.parts:
            body = "<br/>".join(escape(line) for line in part.text.split("\n"))
            if part.speaker:
                agent = ids[part.speaker]
                spans.append(f'<span style="{agent}" ttm:agent="{agent}">{body}</span>')
            else:
                spans.append(f"<span>{body}</span>")
        agents = " ".join(dict.fromkeys(ids[part.speaker] for part in cue.parts if part.speaker))
        agent_attribute = f' ttm:agent="{agents}"' if agents else ""
        out.append(
            f'      <p xml:id="c{number}" begin="{format_clock_time(cue.start_ms)}"'
            f' end="{format_clock_time(cue.end_ms)}"{agent_attribute} xml:space="preserve">'
            + "<br/>".join(spans)
            + "</p>"
        )
    out.append("    </div>")
    out.append("  </body>")
    out.append("</tt>")
    return "\n".join(out) + "\n"


def compose_imsc(
    cues: Sequence[Cue], *, source: str = "", styling: Styling | None = None, lenient: bool = False
) -> str:
    """IMSC 1.1 Text profile TTML (``.ttml``)."""
    return compose_ttml(cues, source=source, styling=styling, profile="imsc", lenient=lenient)


def compose_dfxp(
    cues: Sequence[Cue], *, source: str = "", styling: Styling | None = None, lenient: bool = False
) -> str:
    """Plain TTML1 (``.dfxp``), the form Netflix and broadcasters take for most languages."""
    return compose_ttml(cues, source=source, styling=styling, profile="ttml1", lenient=lenient)
