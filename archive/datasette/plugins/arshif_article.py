"""Datasette plugin: the data behind the article page (row.html) of an `articles` row."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components

from archive.citation import Citation

OTHER_ARTICLES = 10


def safe_link(url: object) -> str | None:
    """The URL if it may become a link (http or https with a host), else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(
        c.isspace() or ord(c) < 32 for c in url
    ):
        return url
    return None


def _json_list(value: object) -> list[Any]:
    # topics / topic_matches come from another pipeline stage: tolerate NULL, bad JSON, non-lists.
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []


def matched_terms(terms: object) -> list[dict[str, Any]]:
    """[{term, count}] of a match's terms: the archive stores {term: count}; older rows a list."""
    if isinstance(terms, dict):  # pipelines/topics.py: {term: count}, most frequent first
        pairs = sorted(terms.items(), key=lambda kv: -kv[1] if isinstance(kv[1], int) else 0)
        return [{"term": str(t), "count": n if isinstance(n, int) else None} for t, n in pairs]
    if isinstance(terms, list):
        return [{"term": str(t), "count": None} for t in terms]
    return []


def topic_matches(value: object) -> list[dict[str, Any]]:
    """[{topic, score, terms: [{term, count}]}] from the topic_matches column, malformed skipped."""
    out = []
    for item in _json_list(value):
        if isinstance(item, dict) and item.get("topic"):
            out.append({"topic": str(item["topic"]), "score": item.get("score"),
                        "terms": matched_terms(item.get("terms"))})
    return out


def paragraphs(text: object) -> list[str]:
    """Non-empty lines of the article text: the extractor separates paragraphs by newlines."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


async def article_context(datasette, database: str, pk: str, request=None
                          ) -> dict[str, Any] | None:
    """Everything row.html shows for one article, raw (the template escapes it)."""
    db = datasette.get_database(database)
    rows = (await db.execute("select * from articles where id = ?", [pk])).rows
    if not rows:
        return None
    row = dict(rows[0])
    source = (await db.execute(
        "select title, homepage from sources where name = ?", [row["source"]])).rows
    others = (await db.execute(
        "select id, title, published from articles where source = ? and id != ? "
        "order by published desc limit ?", [row["source"], row["id"], OTHER_ARTICLES])).rows
    table_url = datasette.urls.table(database, "articles")
    matches = topic_matches(row.get("topic_matches"))
    topics = [str(t) for t in _json_list(row.get("topics")) if isinstance(t, str | int)]
    topics += [m["topic"] for m in matches if m["topic"] not in topics]
    source_title = source[0]["title"] if source and source[0]["title"] else row["source"]
    row_url = datasette.urls.row(database, "articles", str(row["id"]))
    permalink = datasette.absolute_url(request, row_url) if request is not None else row_url
    return {
        **row,
        "link": safe_link(row.get("url")),
        "paragraphs": paragraphs(row.get("text")),
        "source_title": source_title,
        # The archived copy and the citation (plugins/arshif_capture.py serves both).
        "capture_url": row_url + "/capture" if row.get("warc_file") else None,
        "citation": Citation.of(database, row, source_title, permalink),
        "cite_url": row_url + "/cite",
        "source_homepage": safe_link(source[0]["homepage"]) if source else None,
        "source_row_url": datasette.urls.row(database, "sources", tilde_encode(row["source"])),
        "source_articles_url": table_url + "?" + urlencode(
            {"source": row["source"], "_sort_desc": "published"}),
        # The facet link needs the topics column; a topic_matches-only archive gets plain names.
        "topic_list": [{"name": t, "url": table_url + "?" + urlencode(
            {"topics__arraycontains": t}) if "topics" in row else None} for t in topics],
        "topic_matches": matches,
        "others": [{"title": o["title"] or f"#{o['id']}", "published": o["published"],
                    "url": datasette.urls.row(database, "articles", str(o["id"]))}
                   for o in others],
    }


@hookimpl
def extra_template_vars(database, table, view_name, request, datasette):
    """arshif_article for the row page of articles; nothing elsewhere."""
    if view_name != "row" or table != "articles" or request is None:
        return {}

    async def inner():
        pks = urlsafe_components(request.url_vars.get("pks", ""))
        if len(pks) != 1:
            return {}
        article = await article_context(datasette, database, pks[0], request)
        return {"arshif_article": article} if article else {}

    return inner
