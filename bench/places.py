"""Iraqi places in the bench archive: a sentence that names them, tagged by the real tagger.

SaudiNewsNet prose names an Iraqi place in about 7% of articles; an Iraqi outlet names one in
most. So SHARE of the bench's articles end with one more sentence naming a place (picked by
population, Baghdad most) and its governorate. The sentence comes from the article's own
seeded random stream, so a fresh build (bench/search_build.py) and `python -m bench places` on
an older build write the same text. archive/places.py then tags title, description and text,
and the tags go where save_article puts them: articles.places, articles.places_governorates
and article_places.
"""

from __future__ import annotations

import hashlib
import json
import random
from functools import lru_cache
from importlib.resources import files

from archive.gazetteer import gazetteer
from archive.places import place_columns, tag_places

SHARE = 0.6  # articles given a place sentence
VERSION = "v1"  # arshif_meta bench_places: the sentences and SHARE that made the tags
# No word of bench/search.py's 50 queries: their matches stay those of the prose.
TEMPLATES = (
    "وفي {place} بمحافظة {gov} قالت مصادر محلية إن الأوضاع عادت إلى طبيعتها.",
    "وأفاد مراسلون من {place} في محافظة {gov} بأن الدوائر الرسمية استأنفت دوامها.",
    "وشهدت {place} التابعة لمحافظة {gov} اجتماعاً موسعاً لبحث واقع الخدمات.",
    "ومن {place} في محافظة {gov} طالب الأهالي بتحسين الكهرباء والماء.",
)


@lru_cache(maxsize=1)
def _choices() -> tuple[list[tuple[str, str]], list[float]]:
    # GeoNames' populated places with their governorates; weight population^0.7.
    data = json.loads((files("archive") / "gazetteer.json").read_text("utf-8"))
    rows = [(p["name"], p["governorate"], p["population"]) for p in data["places"]
            if p.get("population")]
    return [(n, g) for n, g, _ in rows], [pop ** 0.7 for _, _, pop in rows]


def sentence(article_id: int, seed: int = 11) -> str:
    """The place sentence of bench article `article_id`, or "" (1 - SHARE of them)."""
    rnd = random.Random(f"places:{seed}:{article_id}")
    if rnd.random() >= SHARE:
        return ""
    names, weights = _choices()
    place, gov = rnd.choices(names, weights)[0]
    return rnd.choice(TEMPLATES).format(place=place, gov=gov)


def with_place(article_id: int, text: str) -> str:
    """The article's text with its place sentence as the last line (unchanged if it has it)."""
    extra = sentence(article_id)
    if not extra or text.endswith("\n" + extra):
        return text
    return f"{text}\n{extra}"


def tag_row(article_id: int, published: str, title: str, description: str, text: str
            ) -> tuple[str, str, list[tuple]]:
    """(places, places_governorates, article_places rows) as the crawl stores them."""
    counts = tag_places(title, description, text)
    known = gazetteer().places
    rows = [(article_id, name, known[name].governorate, known[name].kind, n, published)
            for name, n in counts.items()]
    return (*place_columns(counts), rows)


def content_sha(text: str) -> str:
    """articles.content_sha256 of a bench text."""
    return hashlib.sha256(text.encode()).hexdigest()
