"""Issue 16's tenth pass at ``redbox check``: each shortcut gives what the general code gives.

The doubled-word pre-test is held to its regex in ``tests/test_text_checks_fast.py``; here the
smaller ones.
"""

from __future__ import annotations

import pytest

from toolkit.formats.decoding import decode_subtitle


def _newline_of_text(text: str) -> str:
    """How the WebVTT decoder told a file's line ends before: by searching the decoded text."""
    return "\r\n" if "\r\n" in text else "\r" if "\r" in text else "\n"


@pytest.mark.parametrize("data", [
    b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n",
    b"WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nHi\r\n",
    b"WEBVTT\r\r00:00:01.000 --> 00:00:02.000\rHi\r",
    b"WEBVTT\r\n\n00:00:01.000 --> 00:00:02.000\rHi\n",
    b"WEBVTT\r\r\n",
    "\ufeffWEBVTT\n\nIt’s\r\n".encode(),
    "WEBVTT\n\n…\u2028\r".encode(),
    b"",
])  # fmt: skip
def test_a_webvtt_files_line_ends_are_told_by_its_bytes_as_by_its_text(data: bytes) -> None:
    decoded = decode_subtitle(data, "a.vtt", "vtt")
    assert decoded.encoding == "utf-8"
    assert decoded.newline == _newline_of_text(decoded.text)
