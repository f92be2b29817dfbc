"""Load and validate crawler/topics.yaml: every bad entry is named with its key.

Terms are stemmed here, once, with the shared normaliser (``archive.arabic.tokenize`` and
``stem``), so matching (pipelines/topics.py) compares stems with stems and search, topics and
de-duplication agree on what a word is. The scoring rules are in the header of topics.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from archive.arabic import stem, tokenize

# Read through importlib.resources: inside a zipped egg (scrapyd) there is no file path.
DEFAULT_TOPICS: Traversable = files("crawler").joinpath("topics.yaml")

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TOPIC_KEYS = {
    "name", "version", "title", "description", "min_score", "require_any", "groups", "notes",
}
GROUP_KEYS = {"weight", "repeat", "cap", "requires", "terms", "note"}


class TopicsError(ValueError):
    """A topics file that cannot be used; the message names the entry and key."""


@dataclass(frozen=True)
class Term:
    """One term as written in topics.yaml and the stemmed token sequence it matches."""

    text: str
    group: str
    stems: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """Terms that score alike: weight per occurrence, up to `repeat` occurrences per term."""

    name: str
    weight: float
    terms: tuple[Term, ...]
    repeat: int = 1
    cap: float | None = None  # the group's points are limited to ±cap
    requires: tuple[str, ...] = ()  # co-terms: scores only if one of these groups matched


@dataclass(frozen=True)
class Topic:
    """A monitored topic: its groups of terms and the rule an article must meet."""

    name: str
    version: int
    min_score: float
    groups: tuple[Group, ...]
    # Alternatives; each is a tuple of items, an item a set of groups of which one must match.
    require_any: tuple[tuple[frozenset[str], ...], ...] = ()
    title: str | None = None
    description: str | None = None

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every term of every group."""
        return tuple(t for g in self.groups for t in g.terms)


def _fail(where: str, key: str, problem: str) -> TopicsError:
    return TopicsError(f"{where}: key '{key}': {problem}")


def _is_number(value: Any) -> bool:
    # bool is an int in Python, but "weight: yes" is a mistake, not a weight of 1.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse_group(where: str, name: Any, spec: Any) -> Group:
    key = f"groups.{name}"
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise _fail(where, key, "group names use lowercase letters, digits, '-' and '_'")
    if not isinstance(spec, dict):
        raise _fail(where, key, f"expected a mapping, got {type(spec).__name__}")
    unknown = sorted(set(spec) - GROUP_KEYS)
    if unknown:
        raise _fail(where, f"{key}.{unknown[0]}",
                    f"unknown key (known: {', '.join(sorted(GROUP_KEYS))})")
    weight = spec.get("weight")
    if not _is_number(weight) or weight == 0:
        raise _fail(where, f"{key}.weight", f"required, a non-zero number, got {weight!r}")
    repeat = spec.get("repeat", 1)
    if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 1:
        raise _fail(where, f"{key}.repeat", f"expected a whole number >= 1, got {repeat!r}")
    cap = spec.get("cap")
    if cap is not None and (not _is_number(cap) or cap <= 0):
        raise _fail(where, f"{key}.cap", f"expected a positive number, got {cap!r}")
    requires = spec.get("requires") or []
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        raise _fail(where, f"{key}.requires", "expected a list of group names")
    terms = spec.get("terms")
    if not isinstance(terms, list) or not terms:
        raise _fail(where, f"{key}.terms", "required, a non-empty list of terms")
    parsed = []
    for i, text in enumerate(terms):
        if not isinstance(text, str | int) or isinstance(text, bool):
            raise _fail(where, f"{key}.terms[{i}]", f"expected a string, got {text!r}")
        stems = tuple(stem(t) for t in tokenize(str(text)))
        if not stems:
            raise _fail(where, f"{key}.terms[{i}]", f"{text!r} has no letters or digits")
        parsed.append(Term(str(text).strip(), name, stems))
    return Group(name, float(weight), tuple(parsed), repeat, None if cap is None else float(cap),
                 tuple(requires))


def _parse_rule(where: str, rule: Any, groups: dict[str, Group]) -> tuple:
    if rule is None:
        return ()
    if not isinstance(rule, list):
        raise _fail(where, "require_any", "expected a list of alternatives (lists of groups)")
    alternatives = []
    for i, alt in enumerate(rule):
        if not isinstance(alt, list) or not alt or not all(isinstance(x, str) for x in alt):
            raise _fail(where, f"require_any[{i}]",
                        "expected a non-empty list of group names ('a|b' = a or b)")
        items = []
        for item in alt:
            names = frozenset(n.strip() for n in item.split("|"))
            for n in sorted(names):
                if n not in groups:
                    raise _fail(where, f"require_any[{i}]", f"no group named {n!r}")
                if groups[n].weight < 0:
                    raise _fail(where, f"require_any[{i}]",
                                f"group {n!r} is an exclusion (negative weight)")
            items.append(names)
        alternatives.append(tuple(items))
    return tuple(alternatives)


def parse_topic(entry: Any, index: int) -> Topic:
    """Validate one entry of the topics list."""
    where = f"topics[{index}]"
    if not isinstance(entry, dict):
        raise TopicsError(f"{where}: expected a mapping, got {type(entry).__name__}")
    if isinstance(entry.get("name"), str):
        where = f"topics[{index}] ({entry['name']})"
    unknown = sorted(set(entry) - TOPIC_KEYS)
    if unknown:
        raise _fail(where, unknown[0], f"unknown key (known: {', '.join(sorted(TOPIC_KEYS))})")
    name = entry.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise _fail(where, "name", "required; use lowercase letters, digits, '-' and '_'")
    version = entry.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(where, "version", f"required, a whole number >= 1, got {version!r}")
    min_score = entry.get("min_score")
    if not _is_number(min_score) or min_score <= 0:
        raise _fail(where, "min_score", f"required, a positive number, got {min_score!r}")
    for key in ("title", "description"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise _fail(where, key, "expected a string")
    specs = entry.get("groups")
    if not isinstance(specs, dict) or not specs:
        raise _fail(where, "groups", "required, a mapping of group name to {weight, terms}")
    groups = {g: _parse_group(where, g, spec) for g, spec in specs.items()}
    if not any(g.weight > 0 for g in groups.values()):
        raise _fail(where, "groups", "needs at least one group with a positive weight")
    for g in groups.values():
        for r in g.requires:
            if r not in groups or r == g.name:
                raise _fail(where, f"groups.{g.name}.requires", f"no other group named {r!r}")
    seen: dict[tuple[str, ...], str] = {}
    for g in groups.values():
        for i, term in enumerate(g.terms):
            other = seen.get(term.stems)
            if other is not None:
                raise _fail(where, f"groups.{g.name}.terms[{i}]",
                            f"{term.text!r} matches the same words as {other}")
            seen[term.stems] = f"{term.text!r} (group {g.name})"
    return Topic(
        name=name,
        version=version,
        min_score=float(min_score),
        groups=tuple(groups.values()),
        require_any=_parse_rule(where, entry.get("require_any"), groups),
        title=entry.get("title"),
        description=entry.get("description"),
    )


def parse_topics(data: Any, origin: str = "topics") -> list[Topic]:
    """Validate a loaded topics document ({version, topics: [...]})."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise TopicsError(f"{origin}: expected a top-level 'topics:' list")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TopicsError(f"{origin}: key 'version': required, a whole number >= 1")
    unknown = sorted(set(data) - {"version", "topics"})
    if unknown:
        raise TopicsError(f"{origin}: key '{unknown[0]}': unknown key (known: topics, version)")
    if not data["topics"]:
        raise TopicsError(f"{origin}: 'topics:' is empty")
    topics = [parse_topic(entry, i) for i, entry in enumerate(data["topics"])]
    seen: set[str] = set()
    for i, topic in enumerate(topics):
        if topic.name in seen:
            raise _fail(f"topics[{i}] ({topic.name})", "name", "duplicate name")
        seen.add(topic.name)
    return topics


def load_topics(path: str | Path | Traversable | None = None) -> list[Topic]:
    """Load and validate the topics file (default crawler/topics.yaml); raise TopicsError."""
    path = DEFAULT_TOPICS if not path else Path(path) if isinstance(path, str) else path
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise TopicsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise TopicsError(f"{path}: not valid YAML: {exc}") from None
    return parse_topics(data, str(path))
