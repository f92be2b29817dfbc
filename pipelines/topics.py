"""Tag articles with the monitored topics they match, and say why; drop the rest.

Topics are data (pipelines/topics.yaml, validated by pipelines/topic_definitions.py).
Matching is on the same normalised, lightly stemmed tokens as search
(``archive.arabic.tokenize`` + ``stem``), so
وداعش, لـ«داعش», بتنظيم الدولة and الدَّولة الإسلاميّة find the terms داعش, تنظيم الدولة and
الدولة الإسلامية. Title, description and text are read separately and each is cut at sentence
punctuation and line breaks, so a phrase (consecutive stemmed tokens) never spans two
sentences. At each position the longest term wins and its tokens are consumed.

Scoring (the same rules are in the header of topics.yaml):

* a term scores ``group weight × min(occurrences, group repeat)``;
* a group's points are the sum over its terms, limited to ±``cap``; a group with ``requires``
  scores nothing unless one of the required groups matched (generic co-terms);
* the score is the sum over groups (exclusion groups have negative weights);
* an article matches when ``score >= min_score`` and one ``require_any`` alternative holds
  (every item of the alternative -- a group, or ``a|b`` for either -- has a scoring term).

Each match lists the terms, as written in topics.yaml, with their counts: a journalist sees why
an article is in the archive. Vocabulary is compiled once per topic; an article of 5,000 words
takes a few milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from scrapy.exceptions import DropItem

from archive.arabic import normalize, stem
from pipelines.sources import sources_from_settings
from pipelines.topic_definitions import Topic, load_topics

__all__ = ["TopicMatch", "TopicPipeline", "article_stems", "match_topics", "score_topics"]

# Phrases stop at sentence punctuation and line breaks. normalize() has already turned Arabic
# punctuation (، ؛ ؟ ۔) into ASCII and line breaks into spaces, so breaks are marked first.
_BREAK_RE = re.compile(r"[.!?;:,]+")
# archive.arabic.tokenize's token definition (FTS5 unicode61: letters and digits, not "_"),
# applied to text that is normalised once per field rather than once per sentence.
_TOKEN_RE = re.compile(r"[^\W_]+")
_GAP = ""  # between segments; no term stem is empty, so no phrase matches across it


@dataclass(frozen=True)
class TopicMatch:
    """How one article scored on one topic, with the terms that explain it."""

    topic: str
    score: float
    terms: dict[str, int]  # scoring terms as written in topics.yaml -> occurrences
    matched: bool = False
    version: int = 1
    min_score: float = 0.0
    excluded: dict[str, int] = field(default_factory=dict)  # exclusion terms found
    groups: dict[str, float] = field(default_factory=dict)  # points per group
    rule: str | None = None  # the require_any alternative that held, e.g. "names+iraq"

    def as_dict(self) -> dict[str, Any]:
        """The JSON-able record stored in articles.topic_matches."""
        out: dict[str, Any] = {
            "topic": self.topic, "version": self.version, "score": self.score,
            "terms": dict(self.terms),
        }
        if self.excluded:
            out["excluded"] = dict(self.excluded)
        return out

    def why_not(self) -> str:
        """A short reason this topic did not match (for the off_topic drop message)."""
        if self.score < self.min_score:
            return f"best score {self.score:g} < {self.min_score:g} ({self.topic})"
        return f"best score {self.score:g} but no require_any rule met ({self.topic})"


@dataclass(frozen=True)
class _Compiled:
    topic: Topic
    # first stem -> [(stems, term index)], longest first
    index: dict[str, list[tuple[tuple[str, ...], int]]]


@lru_cache(maxsize=64)
def _compile(topic: Topic) -> _Compiled:
    index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for i, term in enumerate(topic.terms):
        index.setdefault(term.stems[0], []).append((term.stems, i))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return _Compiled(topic, index)


def article_stems(*fields: str | None) -> list[str]:
    """Stemmed tokens of the fields, as tokenize() + stem() give them, with a gap ("") between
    fields and sentences."""
    out: list[str] = []
    for text in fields:
        if not text:
            continue
        # str.replace, not str.translate: translate with a dict is several times slower.
        text = text.replace("\n", ".").replace("\r", ".")
        for segment in _BREAK_RE.split(normalize(text)):
            tokens = _TOKEN_RE.findall(segment)
            if tokens:
                out.extend(map(stem, tokens))
                out.append(_GAP)
    return out


def _count_terms(compiled: _Compiled, stems: Sequence[str]) -> dict[int, int]:
    counts: dict[int, int] = {}
    index = compiled.index
    free = 0  # tokens before this were consumed by a longer term
    # Only positions whose stem starts some term need looking at: a few per hundred tokens.
    for i in [i for i, s in enumerate(stems) if s in index]:
        if i < free:
            continue
        for term_stems, term_id in index[stems[i]]:
            size = len(term_stems)
            if size == 1 or tuple(stems[i : i + size]) == term_stems:
                counts[term_id] = counts.get(term_id, 0) + 1
                free = i + size
                break
    return counts


def _score(compiled: _Compiled, stems: Sequence[str]) -> TopicMatch:
    topic = compiled.topic
    counts = _count_terms(compiled, stems)
    terms = topic.terms
    by_group: dict[str, dict[str, int]] = {}
    for term_id, count in counts.items():
        term = terms[term_id]
        by_group.setdefault(term.group, {})[term.text] = count
    present = set(by_group)
    points: dict[str, float] = {}
    found: dict[str, int] = {}
    excluded: dict[str, int] = {}
    for group in topic.groups:
        hits = by_group.get(group.name)
        if not hits:
            continue
        if group.requires and not present.intersection(group.requires):
            continue  # generic co-terms without the terms they need
        total = sum(group.weight * min(c, group.repeat) for c in hits.values())
        if group.cap is not None:
            total = max(-group.cap, min(group.cap, total))
        points[group.name] = total
        (excluded if group.weight < 0 else found).update(hits)
    score = round(sum(points.values()), 2)
    scoring = {g for g, p in points.items() if p > 0}
    rule = None
    for alternative in topic.require_any:
        if all(item & scoring for item in alternative):
            rule = "+".join(sorted(g for item in alternative for g in item & scoring))
            break
    if not topic.require_any:
        rule = "min_score"
    matched = rule is not None and score >= topic.min_score
    return TopicMatch(
        topic=topic.name, score=score, terms=found, matched=matched, version=topic.version,
        min_score=topic.min_score, excluded=excluded, groups=points, rule=rule,
    )


@lru_cache(maxsize=1)
def _default_topics() -> tuple[Topic, ...]:
    return tuple(load_topics())


def score_topics(
    title: str | None, description: str | None, text: str | None,
    topics: Iterable[Topic] | None = None,
) -> list[TopicMatch]:
    """Score an article on every topic (matched or not), best score first."""
    stems = article_stems(title, description, text)
    chosen = _default_topics() if topics is None else topics
    results = [_score(_compile(t), stems) for t in chosen]
    return sorted(results, key=lambda m: -m.score)


def match_topics(
    title: str | None, description: str | None, text: str | None,
    topics: Iterable[Topic] | None = None,
) -> list[TopicMatch]:
    """The topics an article matches, best score first, each with the terms that explain it."""
    return [m for m in score_topics(title, description, text, topics) if m.matched]


def keeps_off_topic(settings: Any) -> bool:
    """The run's topic policy: True when off-topic articles are kept, not dropped.

    That is --all-topics (ARSHIF_ALL_TOPICS), or a run without this stage in ITEM_PIPELINES.
    Recorded with the run (crawl_runs.all_topics) so re-extraction applies it again.
    """
    stages = settings.getwithbase("ITEM_PIPELINES")
    enabled = stages.get(f"{__name__}.TopicPipeline") is not None
    return settings.getbool("ARSHIF_ALL_TOPICS", False) or not enabled


class TopicPipeline:
    """Scrapy item pipeline: tag items with their topics; drop off-topic ones unless told not to."""

    def __init__(
        self, topics: Sequence[Topic], keep_all: bool = False, path: str | None = None
    ) -> None:
        self.topics = tuple(topics)
        self.keep_all = keep_all
        self.path = path  # the topics file; worker results computed from another are ignored
        self.keep_sources: frozenset[str] = frozenset()  # sources with all_topics: true
        for topic in self.topics:
            _compile(topic)  # pay for the vocabulary once, at start-up

    @classmethod
    def from_crawler(cls, crawler: Any) -> TopicPipeline:
        """Build from ARSHIF_TOPICS (path; "" = pipelines/topics.yaml) and ARSHIF_ALL_TOPICS."""
        settings = crawler.settings
        path = settings.get("ARSHIF_TOPICS") or ""
        # A bad topics file stops the crawl here, with the message naming the entry and key.
        pipe = cls(load_topics(path or None), settings.getbool("ARSHIF_ALL_TOPICS", False), path)
        sources = sources_from_settings(settings)
        pipe.keep_sources = frozenset(n for n, s in sources.items() if s.all_topics)
        return pipe

    def process_item(self, item: Any) -> Any:
        """Set item topics (names) and topic_matches (explanations); drop off-topic items."""
        pre = item.get("precomputed") or {}
        if "topic_scores" in pre and pre.get("topics_path") == self.path:
            results = pre["topic_scores"]  # computed by a worker (pipelines/analysis.py)
        else:
            results = score_topics(
                item.get("title"), item.get("description"), item.get("text"), self.topics
            )
        matched = [m for m in results if m.matched]
        item["topics"] = [m.topic for m in matched]
        item["topic_matches"] = [m.as_dict() for m in matched]
        keep = self.keep_all or item.get("source") in self.keep_sources
        if not matched and not keep and results:
            raise DropItem(f"off_topic: {results[0].why_not()}")
        return item
