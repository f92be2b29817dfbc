"""The crawler's own sources file, crawler/sources.yaml, and loading it (or another one)."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from pipelines.sources import Source, SourcesError
from pipelines.sources import load_sources as load_file

__all__ = ["DEFAULT_SOURCES", "Source", "SourcesError", "load_sources"]

# Package data read through importlib.resources, so it is found inside a zipped egg too.
DEFAULT_SOURCES: Traversable = files("crawler") / "sources.yaml"


def load_sources(path: str | Path | None = None, names: list[str] | None = None) -> list[Source]:
    """Load and validate a sources file (default crawler/sources.yaml), optionally filtered."""
    return load_file(path or DEFAULT_SOURCES, names)
