"""Latin names of the topic's entities and places → their Arabic terms (archive/latin_names.yaml).

The archive is Arabic: `ISIS` or `Daesh Kirkuk` typed into a search box would match nothing, so
the query reader (archive/query.py) searches the Arabic forms of the names it knows.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

import yaml

# Package data read through importlib.resources: found inside a zipped egg too.
DATA = files("archive") / "latin_names.yaml"
MAX_WORDS = 8  # the longest name: "Islamic State of Iraq and the Levant"
_SEPARATORS = re.compile(r"[-'’‘`_]+")


def latin_key(text: str) -> str:
    """A Latin name as looked up: lower case, hyphens and apostrophes as spaces."""
    return " ".join(_SEPARATORS.sub(" ", text).lower().split())


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    folded: dict[str, tuple[str, ...]] = {}
    exact: dict[str, tuple[str, ...]] = {}
    for entry in yaml.safe_load(DATA.read_text("utf-8")):
        arabic = tuple(entry["arabic"])
        for name in entry.get("latin", []):
            folded[latin_key(name)] = arabic
        for name in entry.get("exact", []):
            exact[name] = arabic
    return folded, exact


def arabic_for(words: list[str]) -> tuple[int, tuple[str, ...]] | None:
    """(words used, Arabic terms) of the longest known name at the start of words, or None."""
    folded, exact = _tables()
    for n in range(min(len(words), MAX_WORDS), 0, -1):
        name = " ".join(words[:n])
        found = exact.get(name) or folded.get(latin_key(name))
        if found:
            return n, found
    return None


def is_latin(word: str) -> bool:
    """True when the word has a Latin letter (and so cannot be an Arabic word of the index)."""
    return any("a" <= c <= "z" for c in word.lower())
