"""redbox: timed subtitles, translation catalogs and speaker checks for The Red Box transcripts.

The package is a pure core (no printing, no exiting, no Click) with one module that
touches the filesystem (:mod:`toolkit.files`) and a thin Click CLI (:mod:`toolkit.cli`).
"""

from __future__ import annotations

__version__ = "0.1.0"
