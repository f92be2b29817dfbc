"""The crawler's own sources file, crawler/sources.yaml, and loading it (or another one)."""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from functools import lru_cache
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

from pipelines.sources import Source, SourcesError
from pipelines.sources import load_sources as load_file

__all__ = ["DEFAULT_SOURCES", "Source", "SourcesError", "default_sources_path", "load_sources"]

# Package data read through importlib.resources, so it is found inside a zipped egg too.
DEFAULT_SOURCES: Traversable = files("crawler") / "sources.yaml"


def load_sources(path: str | Path | None = None, names: list[str] | None = None) -> list[Source]:
    """Load and validate a sources file (default crawler/sources.yaml), optionally filtered."""
    return load_file(path or DEFAULT_SOURCES, names)


@lru_cache(maxsize=1)
def default_sources_path() -> str:
    """A real file path of crawler/sources.yaml, for settings (ARSHIF_SOURCES hold paths)."""
    # The file itself when installed as files; inside a zipped egg (scrapyd) a temporary copy,
    # kept until the process exits.
    stack = ExitStack()
    atexit.register(stack.close)
    return str(stack.enter_context(as_file(DEFAULT_SOURCES)))
