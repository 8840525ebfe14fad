"""``redbox convert``: any SRT or WebVTT file, read as players read it, written clean.

Reading: :func:`toolkit.formats.decoding.decode_subtitle` (any encoding), then the lenient
readers (:func:`~toolkit.formats.srt.parse_srt`, :func:`~toolkit.formats.vtt.parse_vtt`), so a
cue a player shows is converted and a cue players drop is dropped, with the problems
``redbox check`` reports for the file.

Writing: an output format is an entry in :data:`OUTPUT_FORMATS` (``srt``, ``vtt``, ``json``, and
the delivery formats ``ttml``, ``dfxp``, ``ass``); another writer registers itself with
:func:`register_output`. Every writer gets
the same :class:`ConvertedCue` list: times, the text a viewer sees (formatting tags,
positions and styles are not carried), and the WebVTT voices.

What a clean file cannot carry is mended, never refused (the input was already accepted by
players): Unicode noncharacters are removed (SUB111/SUB207), line-breaking control characters
(vertical tab, form feed, U+2028, ...) become spaces, whitespace at the ends of a line and
whitespace-only lines are dropped.
Overlapping, out-of-order, empty and zero-length cues are written as they are.

The JSON schema (version 1, documented in docs/formats.md)::

    {"cues": [{"id": str, "start_ms": int, "end_ms": int, "text": str, "plain": str,
               "voices": [str, ...]}]}
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from toolkit.formats import LINE_BREAKING_CHARACTERS, NONCHARACTER, ParsedCue, format_for_name, sniff_format
from toolkit.formats.decoding import decode_subtitle
from toolkit.formats.styling import HANGUL, Styling
from toolkit.model import Cue, CuePart, Problem
from toolkit.subtitle_check import encoding_problems, noncharacter_problems

#: The version of the JSON output's schema; a change that breaks readers bumps it.
JSON_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ConvertedCue:
    """One cue as every output writer receives it.

    ``text`` is the cue's payload as read (WebVTT markup, SRT tags); ``plain`` what a viewer
    sees, mended so that any format can carry it; ``voices`` the WebVTT ``<v>`` names.
    """

    identifier: str
    start_ms: int
    end_ms: int
    text: str
    plain: str
    voices: tuple[str, ...]


OutputWriter = Callable[[Sequence[ConvertedCue]], str]


@dataclass(frozen=True)
class OutputFormat:
    """A format ``redbox convert`` writes: its id, file suffix and writer."""

    id: str
    suffix: str
    write: OutputWriter


def _write_srt(cues: Sequence[ConvertedCue]) -> str:
    from toolkit.formats.srt import compose_srt

    return compose_srt(_model_cues(cues), lenient=True)


def _write_vtt(cues: Sequence[ConvertedCue]) -> str:
    from toolkit.formats.vtt_write import compose_vtt

    return compose_vtt(_model_cues(cues), lenient=True)


def _delivery_styling(cues: Sequence[ConvertedCue]) -> Styling:
    """The styled formats' settings for a converted file: Korean (its font, ``xml:lang``) when
    the text has Hangul, since a converted file says nothing of its language."""
    hangul = any(HANGUL.search(cue.plain) for cue in cues)
    return Styling(language="ko" if hangul else "")


def _write_ttml(cues: Sequence[ConvertedCue]) -> str:
    from toolkit.formats.ttml import compose_imsc

    return compose_imsc(_model_cues(cues), styling=_delivery_styling(cues), lenient=True)


def _write_dfxp(cues: Sequence[ConvertedCue]) -> str:
    from toolkit.formats.ttml import compose_dfxp

    return compose_dfxp(_model_cues(cues), styling=_delivery_styling(cues), lenient=True)


def _write_ass(cues: Sequence[ConvertedCue]) -> str:
    from toolkit.formats.ass import compose_ass

    return compose_ass(_model_cues(cues), styling=_delivery_styling(cues), lenient=True)


def write_json(cues: Sequence[ConvertedCue]) -> str:
    """The stable JSON form of ``cues`` (see the module docstring), one cue a line.

    >>> print(write_json([ConvertedCue("1", 0, 1500, "<i>Hi</i>", "Hi", ())]), end="")
    {"cues": [
    {"id": "1", "start_ms": 0, "end_ms": 1500, "text": "<i>Hi</i>", "plain": "Hi", "voices": []}
    ]}
    """
    rows = [json.dumps(_json_cue(cue), ensure_ascii=False) for cue in cues]
    return '{"cues": [\n' + ",\n".join(rows) + ("\n" if rows else "") + "]}\n"


def _json_cue(cue: ConvertedCue) -> dict[str, object]:
    return {"id": cue.identifier, "start_ms": cue.start_ms, "end_ms": cue.end_ms, "text": cue.text,
            "plain": cue.plain, "voices": list(cue.voices)}  # fmt: skip


#: Every output format by id. Register more with :func:`register_output`.
OUTPUT_FORMATS: dict[str, OutputFormat] = {
    "srt": OutputFormat("srt", ".srt", _write_srt),
    "vtt": OutputFormat("vtt", ".vtt", _write_vtt),
    "json": OutputFormat("json", ".json", write_json),
    "ttml": OutputFormat("ttml", ".ttml", _write_ttml),
    "dfxp": OutputFormat("dfxp", ".dfxp", _write_dfxp),
    "ass": OutputFormat("ass", ".ass", _write_ass),
}


def register_output(output: OutputFormat) -> None:
    """Add (or replace) an output format of ``redbox convert``."""
    OUTPUT_FORMATS[output.id] = output


def output_format_for(name: str, explicit: str | None) -> OutputFormat | None:
    """The format to write: ``explicit`` when given, else the one the output name's suffix names.

    >>> output_format_for("out.JSON", None).id, output_format_for("-", "vtt").id
    ('json', 'vtt')
    >>> output_format_for("out.txt", None) is None
    True
    """
    if explicit is not None:
        return OUTPUT_FORMATS.get(explicit)
    lowered = name.lower()
    return next((output for output in OUTPUT_FORMATS.values() if lowered.endswith(output.suffix)), None)


@dataclass(frozen=True)
class Conversion:
    """The converted file's text, the problems found in the input, and its encoding."""

    text: str
    problems: list[Problem]
    encoding: str
    cues: list[ConvertedCue]


def read_cues(
    data: bytes, source: str, format_id: str | None = None
) -> tuple[list[ParsedCue], list[Problem], str]:
    """The cues of a subtitle file's bytes as players read them, the reader's problems and the
    encoding; the format is ``format_id``, else the name's suffix, else the content's."""
    kind = format_id or format_for_name(source) or sniff_format(data[:64].decode("utf-8", "replace"))
    decoded = decode_subtitle(data, source, kind)
    if kind == "vtt":
        from toolkit.formats.vtt import parse_vtt

        cues, problems = parse_vtt(decoded.text, source)
    else:
        from toolkit.formats.srt import parse_srt

        cues, problems = parse_srt(decoded.text, source)
    problems += encoding_problems(kind, decoded.encoding, source)
    problems += noncharacter_problems(kind, cues, source)
    return cues, sorted(problems, key=Problem.sort_key), decoded.encoding


def convert(data: bytes, source: str, output: OutputFormat, input_format: str | None = None) -> Conversion:
    """Read a subtitle file's bytes (see :func:`read_cues`) and write its cues in ``output``'s format."""
    parsed, problems, encoding = read_cues(data, source, input_format)
    cues = [converted_cue(cue) for cue in parsed]
    return Conversion(output.write(cues), problems, encoding, cues)


def converted_cue(cue: ParsedCue) -> ConvertedCue:
    """A read cue with its shown text mended for any writer (see the module docstring)."""
    return ConvertedCue(cue.identifier, cue.start_ms, cue.end_ms, cue.text, mend_text(cue.plain), cue.voices)


def mend_text(text: str) -> str:
    """Text any format can carry: noncharacters removed, line-breaking controls as spaces,
    whitespace at the ends of lines (which SRT cannot promise) and whitespace-only lines dropped.

    >>> mend_text("a\\ufffe\\x0bb \\n  \\nc")
    'a b\\nc'
    """
    text = NONCHARACTER.sub("", text)
    for char in LINE_BREAKING_CHARACTERS:
        text = text.replace(char, " ")
    text = text.replace("\x00", "\ufffd")
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _model_cues(cues: Sequence[ConvertedCue]) -> list[Cue]:
    """Writer cues: one part, said by the voice when the cue has exactly one."""
    return [
        Cue(cue.start_ms, cue.end_ms, (CuePart(cue.voices[0] if len(cue.voices) == 1 else None, cue.plain),))
        for cue in cues
    ]
