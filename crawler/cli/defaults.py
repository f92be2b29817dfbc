"""Defaults every `arshif` command shares."""

from pathlib import Path

DEFAULT_DB = Path("data/arshif.db")  # the archive, unless --db names another
