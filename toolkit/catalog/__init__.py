"""Gettext catalogs of transcripts: extract, init, update, compile, stats and translate.

Pure: everything works on :class:`PoFile` objects, ``str`` and ``bytes``; the CLI reads
and writes the files. The layout is ``locales/<episode>.pot`` and
``locales/<lang>/LC_MESSAGES/<episode>.po`` (and ``.mo``).

Messages: one per speaker name (``msgctxt "speaker"``), one for the episode title
(``msgctxt "title"``) and one per turn, whose ``msgctxt`` is ``<episode>/<turn id>``.
A turn id is a short hash of the turn's speaker and text when the turn first appears,
and is then carried forward by aligning the new transcript with the previous template
(see ``locales/README.md``). ``update`` merges by that id only: no text similarity is
ever used to pick a translation for a line.

Why not Babel's reader and writer (Babel is used for locales and plural forms): Babel
drops unknown headers such as ``X-Generator``, cannot read or safely write ``#|``
previous msgids, flags ``100%`` as ``python-format``, and writes MO files whose
msgctxt entries GNU libintl cannot find. The small codec here avoids all four.

Speed (``redbox catalog update`` of 20,000 messages in under a second of CPU): the
usual message shape is read a whole message per regular-expression match, a template's
turns in one pass, and the translation is written into the template's already encoded
messages; every such fast path falls back to the general code for any other input and
is checked against it with Hypothesis (``tests/test_catalog_fast_paths.py``).

Where things are (this package re-exports the names callers use):

- :mod:`.po`: the model (:class:`PoEntry`, :class:`PoFile`), message kinds
  (``SPEAKER_CONTEXT``, ``TITLE_CONTEXT``, :func:`is_turn_context`), string-literal
  escaping, :func:`paused_gc`.
- :mod:`.po_read`: the reader, :func:`parse_po`, :func:`parse_po_text` (with its
  message-at-a-time fast path).
- :mod:`.po_write`: the writer, :func:`write_po`, :func:`generate_po`,
  :func:`encoded_messages`, and its fast path :func:`updated_messages`.
- :mod:`.po_decode`: PO bytes to text (BOM, line ends, the header's charset).
- :mod:`.po_fast`: whole-file shortcuts on bytes, :func:`read_known_turns` (of
  ``known_turns(parse_po(…))``) and :func:`template_date_if_unchanged`.
- :mod:`.mo`: :func:`compile_mo`.
- :mod:`.identity`: turn ids and matching, :func:`content_id`, :func:`assign_turn_ids`,
  :func:`known_turns`, the patience diff :func:`match_sequences`, :func:`diff_ratio`,
  :func:`text_similarity`, :func:`normalize_text`.
- :mod:`.extract`: :func:`extract`, :func:`init`, :func:`plural_forms`,
  :func:`episode_slug`, :func:`stats`.
- :mod:`.merge`: :func:`update` and its :class:`UpdateReport`.
- :mod:`.translate`: :func:`translate_transcript` (untranslated turns marked),
  :func:`match_turns`, :func:`fill_translations`.
- :mod:`.budget`: each turn's room on screen (``#. budget:``, Weblate's ``max-length``,
  CAT030); :mod:`.po_layout`: byte-stable rewrites (:func:`~.po_layout.keep_layout`);
  :mod:`.export`: ``catalog export``'s review sheets (imported on their own, not here).
- :mod:`.checks`: the ``CAT`` rules of ``redbox check`` (imported on its own, not here);
  :mod:`.msgfmt_checks` what ``msgfmt -c`` rejects, with :mod:`.po_formats` (format
  strings) and :mod:`.po_plural` (``Plural-Forms``).
"""

from __future__ import annotations

from toolkit.catalog.extract import (
    PLACEHOLDER_DATE,
    CatalogStats,
    episode_slug,
    extract,
    init,
    plural_forms,
    stats,
)
from toolkit.catalog.identity import (
    EDIT_CANDIDATES,
    EDIT_SIMILARITY,
    RELABEL_SIMILARITY,
    KnownTurn,
    assign_turn_ids,
    content_id,
    diff_ratio,
    known_turns,
    match_sequences,
    normalize_text,
    text_similarity,
)
from toolkit.catalog.merge import PREFILL_COMMENT, UpdateReport, update
from toolkit.catalog.mo import compile_mo
from toolkit.catalog.po import (
    SPEAKER_CONTEXT,
    TITLE_CONTEXT,
    PoEntry,
    PoFile,
    escape,
    is_turn_context,
    needs_escape,
    paused_gc,
    unescape,
)
from toolkit.catalog.po_fast import read_known_turns, template_date_if_unchanged
from toolkit.catalog.po_read import parse_po, parse_po_text
from toolkit.catalog.po_write import encoded_messages, generate_po, header_text, updated_messages, write_po
from toolkit.catalog.translate import fill_translations, match_turns, speaker_names, translate_transcript

__all__ = [
    "EDIT_CANDIDATES",
    "EDIT_SIMILARITY",
    "PLACEHOLDER_DATE",
    "PREFILL_COMMENT",
    "RELABEL_SIMILARITY",
    "SPEAKER_CONTEXT",
    "TITLE_CONTEXT",
    "CatalogStats",
    "KnownTurn",
    "PoEntry",
    "PoFile",
    "UpdateReport",
    "assign_turn_ids",
    "compile_mo",
    "content_id",
    "diff_ratio",
    "encoded_messages",
    "episode_slug",
    "escape",
    "extract",
    "fill_translations",
    "generate_po",
    "header_text",
    "init",
    "is_turn_context",
    "known_turns",
    "match_sequences",
    "match_turns",
    "needs_escape",
    "normalize_text",
    "parse_po",
    "parse_po_text",
    "paused_gc",
    "plural_forms",
    "read_known_turns",
    "speaker_names",
    "stats",
    "template_date_if_unchanged",
    "text_similarity",
    "translate_transcript",
    "unescape",
    "update",
    "updated_messages",
    "write_po",
]
