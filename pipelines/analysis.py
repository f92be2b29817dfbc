"""The CPU-heavy part of the pipeline, run in worker processes off the Twisted reactor.

Scrapy's reactor is one thread: if trafilatura, langdetect and topic matching ran there, the
downloader would stall while a page is analysed and a 2-core machine would use one core. The
extract stage therefore sends each page to a process pool (``ARSHIF_WORKERS``, default: one
per core but the one the main process keeps busy, at least one; 0 runs inline) where
``analyse`` runs the extract stage and precomputes what the language, topic and store stages
need. Those stages still make their own decisions (keep, drop, tag) in their own modules; they
only reuse the precomputed results instead of recomputing them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from scrapy.exceptions import DropItem

from archive.clusters import signature_blob
from archive.places import tag_places
from archive.search import index_forms
from pipelines.extract import extract_article
from pipelines.language import detect_language
from pipelines.sources import Source
from pipelines.topic_definitions import Topic, load_topics
from pipelines.topics import score_topics


@lru_cache(maxsize=8)
def _topics(path: str) -> tuple[Topic, ...]:
    # Loaded once per worker process, not once per page.
    return tuple(load_topics(path or None))


def analyse(
    item: dict[str, Any], source: Source | None, min_words: int, language_sample: int,
    topics_path: str | None,
) -> dict[str, Any]:
    """Extract one page and precompute language, topic scores and search forms.

    Returns {"drop": "reason: detail"} for a page the extract stage rejects, else the item's new
    fields (without the raw body) plus "precomputed".
    """
    try:
        extract_article(item, source, min_words)
    except DropItem as exc:
        return {"drop": str(exc)}
    item.pop("body", None)
    lang = detect_language(item["text"], language_sample)
    forms = index_forms(item)
    precomputed: dict[str, Any] = {
        "language": (lang.lang, lang.score, lang.reason, language_sample),
        "fts_forms": forms,
        # The story-cluster signature, from the text's search form (title, description, text).
        "signature": (*signature_blob(item["text"], indexed=forms[2]), item["content_sha256"]),
        # Iraqi places named (archive/places.py), stored by save_article.
        "place_counts": tag_places(item.get("title"), item.get("description"), item["text"]),
    }
    if topics_path is not None:
        topics = _topics(topics_path)
        precomputed["topic_scores"] = score_topics(
            item.get("title"), item.get("description"), item.get("text"), topics
        )
        precomputed["topics_path"] = topics_path
    item["precomputed"] = precomputed
    return item
