"""Every matching story as CSV (optionally with a UTF-8 BOM for Excel) or JSON, in batches."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

COLUMNS = ("id", "url", "outlet", "title", "published", "topics", "places", "word_count",
           "article_page")
BATCH = 1000  # rows per read: one short query each, so a long export never holds the database
BOM = "\ufeff"
_UNSAFE_RE = re.compile(r"[^\w\u0600-\u06ff-]+")


def _names(value: object) -> list[str]:
    # topics / places are JSON lists of names (places may hold {place, governorate} objects).
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return []
    if not isinstance(items, list):
        return []
    out = [(i.get("place") if isinstance(i, dict) else i) for i in items]
    return [str(i) for i in out if i]


def export_row(row: Mapping[str, Any], page_url: str) -> dict[str, Any]:
    """One story as the export's columns (page_url: its article page, absolute)."""
    return {"id": row["id"], "url": row["url"], "outlet": row["source"], "title": row["title"],
            "published": row["published"], "topics": _names(row["topics"]),
            "places": _names(row["places"]), "word_count": row["word_count"],
            "article_page": page_url}


def csv_lines(rows: list[dict[str, Any]], header: bool = False) -> str:
    """CSV text of export rows (lists joined with '; '), with the header line if asked."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if header:
        writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(["; ".join(v) if isinstance(v, list) else v for v in r.values()])
    return buf.getvalue()


def json_lines(rows: list[dict[str, Any]], first: bool) -> str:
    """Export rows as the next part of one JSON array (first: no leading comma)."""
    parts = [json.dumps(r, ensure_ascii=False) for r in rows]
    text = ",\n".join(parts)
    return text if first or not text else ",\n" + text


def file_name(query: str, today: date, ext: str) -> str:
    """arshif-<query>-<date>.<ext>: the query (Arabic kept) and the day of the export."""
    slug = _UNSAFE_RE.sub("-", query).strip("-")[:60] or "latest"
    return f"arshif-{slug}-{today.isoformat()}.{ext}"
