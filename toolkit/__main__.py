"""``python -m toolkit`` runs the ``redbox`` command."""

from __future__ import annotations

from toolkit.cli import main

main()
