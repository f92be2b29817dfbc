"""Checks shared by the YAML lists we load (sources.yaml, topics.yaml).

Every problem is raised as the caller's own error class (a ValueError) with a message that
names the entry and the key: "sources[3] (shafaq): key 'feeds[0]': expected an http(s) URL".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml

E = TypeVar("E", bound=ValueError)

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NAME_RULE = "use lowercase letters, digits, '-' and '_'"


def fail(error: type[E], where: str, key: str, problem: str) -> E:
    """The error to raise for one key of one entry."""
    return error(f"{where}: key '{key}': {problem}")


def read_yaml(error: type[ValueError], path: str | Path | Traversable) -> Any:
    """A YAML file's data; an unreadable or invalid file raises error naming the path."""
    # A Traversable (importlib.resources) reads package data inside a zipped egg, too.
    path = Path(path) if isinstance(path, str) else path
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML: {exc}") from None


def entry_where(error: type[ValueError], kind: str, entry: Any, index: int) -> str:
    """The label of entry number index of a list ("sources[2] (shafaq)"); it must be a mapping."""
    where = f"{kind}[{index}]"
    if not isinstance(entry, dict):
        raise error(f"{where}: expected a mapping, got {type(entry).__name__}")
    if isinstance(entry.get("name"), str):
        where = f"{kind}[{index}] ({entry['name']})"
    return where


def check_keys(
    error: type[ValueError], where: str, mapping: dict, known: Iterable[str], prefix: str = "",
) -> None:
    """Refuse the first (alphabetically) key of mapping that is not a known one."""
    known = sorted(known)
    unknown = sorted(set(mapping) - set(known))
    if unknown:
        problem = f"unknown key (known: {', '.join(known)})"
        raise fail(error, where, f"{prefix}{unknown[0]}", problem)


def check_unique_names(error: type[ValueError], kind: str, names: Iterable[str]) -> None:
    """Refuse a second entry with a name already used."""
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            raise fail(error, f"{kind}[{i}] ({name})", "name", "duplicate name")
        seen.add(name)


def is_name(value: Any) -> bool:
    """A name usable as a key, a URL path part and a file name: lowercase, digits, - and _."""
    return isinstance(value, str) and bool(NAME_RE.match(value))


def is_number(value: Any) -> bool:
    """An int or float, and not a bool."""
    # bool is an int in Python, but "weight: yes" is a mistake, not a weight of 1.
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_whole(value: Any, minimum: int) -> bool:
    """An int (not a bool) of at least minimum."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def is_string_list(value: Any) -> bool:
    """A list whose items are all strings (an empty list included)."""
    return isinstance(value, list) and all(isinstance(v, str) for v in value)
