"""Load and validate pipelines/topics.yaml: every bad entry is named with its key.

Terms are stemmed here, once, with the shared normaliser (``archive.arabic.tokenize`` and
``stem``), so matching (pipelines/topics.py) compares stems with stems and search, topics and
de-duplication agree on what a word is. The scoring rules are in the header of topics.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from archive.arabic import stem, tokenize
from pipelines.entries import (
    NAME_RULE,
    check_keys,
    check_unique_names,
    entry_where,
    fail,
    is_name,
    is_number,
    is_string_list,
    is_whole,
    read_yaml,
)

# Package data read through importlib.resources, so it is found inside a zipped egg too.
DEFAULT_TOPICS = files("pipelines") / "topics.yaml"

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
    return fail(TopicsError, where, key, problem)


def _parse_group(where: str, name: Any, spec: Any) -> Group:
    key = f"groups.{name}"
    if not is_name(name):
        raise _fail(where, key, f"group names {NAME_RULE}")
    if not isinstance(spec, dict):
        raise _fail(where, key, f"expected a mapping, got {type(spec).__name__}")
    check_keys(TopicsError, where, spec, GROUP_KEYS, prefix=f"{key}.")
    weight = spec.get("weight")
    if not is_number(weight) or weight == 0:
        raise _fail(where, f"{key}.weight", f"required, a non-zero number, got {weight!r}")
    repeat = spec.get("repeat", 1)
    if not is_whole(repeat, 1):
        raise _fail(where, f"{key}.repeat", f"expected a whole number >= 1, got {repeat!r}")
    cap = spec.get("cap")
    if cap is not None and (not is_number(cap) or cap <= 0):
        raise _fail(where, f"{key}.cap", f"expected a positive number, got {cap!r}")
    requires = spec.get("requires") or []
    if not is_string_list(requires):
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
    where = entry_where(TopicsError, "topics", entry, index)
    check_keys(TopicsError, where, entry, TOPIC_KEYS)
    name = entry.get("name")
    if not is_name(name):
        raise _fail(where, "name", f"required; {NAME_RULE}")
    version = entry.get("version")
    if not is_whole(version, 1):
        raise _fail(where, "version", f"required, a whole number >= 1, got {version!r}")
    min_score = entry.get("min_score")
    if not is_number(min_score) or min_score <= 0:
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
    if not is_whole(data.get("version"), 1):
        raise TopicsError(f"{origin}: key 'version': required, a whole number >= 1")
    check_keys(TopicsError, origin, data, ("version", "topics"))
    if not data["topics"]:
        raise TopicsError(f"{origin}: 'topics:' is empty")
    topics = [parse_topic(entry, i) for i, entry in enumerate(data["topics"])]
    check_unique_names(TopicsError, "topics", (t.name for t in topics))
    return topics


def load_topics(path: str | Path | Traversable | None = None) -> list[Topic]:
    """Load and validate the topics file (default pipelines/topics.yaml); raise TopicsError."""
    path = (Path(path) if isinstance(path, str) else path) if path else DEFAULT_TOPICS
    return parse_topics(read_yaml(TopicsError, path), str(path))
