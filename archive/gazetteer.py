"""Iraq's governorates, cities, towns and areas with their Arabic spellings, ready to match.

Two data files: ``gazetteer.json``, generated from GeoNames (CC BY 4.0) by
``eval/build_gazetteer.py``, and ``places_rules.yaml``, kept by hand: places and spellings
the source lacks or gets wrong, context cues and the rules for names that are also everyday
words (الموصل "the conducting", بلد "country", العمارة "the building", ...).

Every spelling is matched as the archive's normalised tokens (``archive.arabic.tokenize``,
the same normalisation as search), its first word with any proclitic sequence in front
(و ف ب ك ل, وب, ول, بال, لل, وبال...: بكركوك, وللموصل). Light stemming is deliberately not
used: it would read البغدادي (a surname) as بغداد and الرمادي as رماد.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

import yaml

from archive.arabic import tokenize

# Package data read through importlib.resources: found inside a zipped egg (scrapyd) too.
DATA = files("archive") / "gazetteer.json"
RULES = files("archive") / "places_rules.yaml"

# Proclitics before a bare name and before a name with the article (ل + ال is written لل).
BARE_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")
ARTICLE_PREFIXES = ("", "و", "ف", "ب", "ك", "وب", "وك", "فب", "فك")
LAM_PREFIXES = ("ل", "ول", "فل")  # + the name without its ال


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: its display name, governorate and kind."""

    name: str
    governorate: str
    kind: str  # governorate, city, town or area
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """When a spelling counts as the place (see places_rules.yaml, ``ambiguous``)."""

    needs: str | None = None  # "admin" or "place": a cue word must come right before
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Spelling:
    """One spelling of a place as normalised tokens, with its rule."""

    tokens: tuple[str, ...]
    place: Place
    rule: Rule | None


@dataclass
class Gazetteer:
    """The compiled gazetteer: first-word forms (proclitics included) -> spellings."""

    places: dict[str, Place]
    index: dict[str, list[Spelling]] = field(default_factory=dict)
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    window: int = 4


def _norm(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text))


def _words(items: list[str] | None) -> frozenset[str]:
    return frozenset(t for item in items or [] for t in _norm(item))


def prefixed_forms(word: str) -> set[str]:
    """Every written form of a name's first word with proclitics in front (normalised)."""
    if word.startswith("ال") and len(word) > 3:
        forms = {p + word for p in ARTICLE_PREFIXES}
        forms |= {p + "ل" + word[2:] for p in LAM_PREFIXES}
        return forms
    return {p + word for p in BARE_PREFIXES}


def _entries(doc: dict, rules: dict) -> list[Place]:
    drop_ids = {int(k) for k in rules.get("drop_places") or {}}
    drop_variants = {_norm(v) for v in rules.get("drop_variants") or []}
    rename = rules.get("rename") or {}
    extra = {_norm(k): v for k, v in (rules.get("variants") or {}).items()}
    out = []
    for g in doc["governorates"]:
        out.append(Place(g["name"], g["name"], "governorate", tuple(g["variants"])))
    for p in doc["places"]:
        names = [n for n in [p["name"], *p["variants"]] if _norm(n) not in drop_variants]
        if p.get("geonameid") in drop_ids or not names:
            continue
        out.append(Place(rename.get(names[0], names[0]), p["governorate"], p["kind"],
                         tuple(names[1:])))
    for a in rules.get("add") or []:
        out.append(Place(a["name"], a["governorate"], a["kind"], tuple(a.get("variants") or ())))
    return [Place(p.name, p.governorate, p.kind, (*p.variants, *extra.get(_norm(p.name), [])))
            for p in out]


def build(doc: dict, rules: dict) -> Gazetteer:
    """Compile a gazetteer from the generated document and the hand rules."""
    places = {p.name: p for p in _entries(doc, rules)}
    known = {p.governorate for p in places.values()}
    unknown = known - {p.name for p in places.values() if p.kind == "governorate"}
    if unknown:
        raise ValueError(f"places_rules.yaml: unknown governorate(s) {sorted(unknown)}")
    ambiguous = {
        _norm(k): Rule(v.get("needs"), _words(v.get("not_after")), _words(v.get("not_before")))
        for k, v in (rules.get("ambiguous") or {}).items()
    }
    gaz = Gazetteer(places, cues={k: _words(v) for k, v in (rules.get("cues") or {}).items()},
                    window=int(rules.get("governorate_window", 4)))
    gaz.cues["place"] = gaz.cues.get("place", frozenset()) | gaz.cues.get("admin", frozenset())
    seen: set[tuple[str, ...]] = set()
    for place in places.values():
        for name in (place.name, *place.variants):
            tokens = _norm(name)
            if not tokens or tokens in seen:
                continue  # the first place listed keeps a shared spelling
            seen.add(tokens)
            spelling = Spelling(tokens, place, ambiguous.get(tokens))
            for form in prefixed_forms(tokens[0]):
                gaz.index.setdefault(form, []).append(spelling)
    for spellings in gaz.index.values():
        # Longest spelling first (الموصل الجديدة before الموصل); an unprefixed form first.
        spellings.sort(key=lambda s: -len(s.tokens))
    return gaz


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The archive's gazetteer, loaded once per process."""
    doc = json.loads(DATA.read_text("utf-8"))
    rules = yaml.safe_load(RULES.read_text("utf-8"))
    return build(doc, rules)
