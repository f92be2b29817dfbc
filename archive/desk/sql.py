"""The desk's SQL: every query walks an index (the search index's rowids, articles.search_key,
the day index), never the whole articles table, so the desk stays fast at 1,000,000 articles.

One filter set, three shapes: with a query the search index drives (``articles_fts`` rowid =
``articles.search_key``, in publication order) and ``articles`` is looked up by key; without a
query ``articles`` is walked by ``search_key``. A date range becomes a key range too (keys are
publication seconds × KEY_SCALE), so the walk starts and stops at the range's ends, and the
exact ``day`` test makes the edges right.

Counting matches per (day, outlet) needs only each match's day and outlet: where the archive
has the covering index ``articles(search_key, day, source)`` (archive/schema.py, migration 6)
those queries name it (``INDEXED BY``), one index probe per match instead of the key index
plus the table row. SQLite would pick it by itself only with ANALYZE statistics; an older
archive without the index gets the plain join.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from archive.desk.params import PAGE_SIZE, DeskParams
from archive.isotime import BAGHDAD
from archive.query import fts_query
from archive.search import KEY_SCALE

RELEVANCE_WINDOW = 10_000  # bm25 ranks the newest 10,000 matches, as the canned search does
BM25 = "bm25(articles_fts, 5.0, 2.0, 1.0)"  # title weighs most


@dataclass(frozen=True)
class Places:
    """Where the archive keeps place tags (archive/places.py): a table, a JSON column, or none."""

    table: bool = False  # article_places(article_id, place, governorate)
    column: bool = False  # articles.places: JSON list of names or {place, governorate}

    @property
    def any(self) -> bool:
        """True when the archive has place tags in either form."""
        return self.table or self.column


COVERING_INDEX = "idx_articles_search_key_day_source"  # archive/schema.py
# What Layout is read from: the tables (and the covering index) and the article columns.
LAYOUT_SQL = ("select name from sqlite_master where type in ('table', 'view') "
              f"or (type = 'index' and name = '{COVERING_INDEX}')")
COLUMNS_SQL = "pragma table_info(articles)"


@dataclass(frozen=True)
class Layout:
    """What the desk's SQL depends on in one archive: its place tags and the covering index."""

    places: Places = Places()
    covering: bool = False  # articles(search_key, day, source) exists

    @classmethod
    def read(cls, names: set[str], columns: set[str]) -> Layout:
        """The layout from the names LAYOUT_SQL returns and the columns of articles."""
        return cls(Places(table="article_places" in names, column="places" in columns),
                   covering=COVERING_INDEX in names)


def read_layout(conn: sqlite3.Connection) -> Layout:
    """The layout of an archive open on a plain sqlite3 connection (the plugin reads it async)."""
    return Layout.read({r[0] for r in conn.execute(LAYOUT_SQL)},
                       {r[1] for r in conn.execute(COLUMNS_SQL)})


_JSON_PLACES = "json_each(case when json_valid(a.places) then a.places else '[]' end)"


def _place_cols(alias: str) -> tuple[str, str]:
    # A JSON element is a bare name or an object with place and governorate.
    return (f"case {alias}.type when 'object' then json_extract({alias}.value, '$.place') "
            f"else {alias}.value end",
            f"case {alias}.type when 'object' then json_extract({alias}.value, '$.governorate') "
            "end")


def _key(day: date) -> int:
    """The first search key of a Baghdad day."""
    return int(datetime(day.year, day.month, day.day, tzinfo=BAGHDAD).timestamp()) * KEY_SCALE


class DeskSQL:
    """SQL and parameters for one desk request (one query of p.queries at a time)."""

    def __init__(self, p: DeskParams, layout: Layout, query: str | None = None) -> None:
        self.p, self.places, self.covering = p, layout.places, layout.covering
        self.q = p.q if query is None else query
        self.params: dict[str, Any] = {}
        self.fts = bool(self.q)
        self.key = "f.rowid" if self.fts else "a.search_key"
        where = []
        if self.fts:
            self.params["fts"] = fts_query(self.q)
            where.append("articles_fts match :fts")
        # Key range a day wider than the dates (a page's own zone may differ from Baghdad's);
        # the day test below is the exact one.
        if p.start:
            self.params["klo"] = _key(p.start - timedelta(days=1))
            self.params["start"] = p.start.isoformat()
            where += [f"{self.key} >= :klo", "a.day >= :start"]
        if p.end:
            self.params["khi"] = _key(p.end + timedelta(days=2))
            self.params["end"] = p.end.isoformat()
            where += [f"{self.key} < :khi", "a.day <= :end"]
        if p.sources:
            names = [f":s{i}" for i in range(len(p.sources))]
            self.params.update({f"s{i}": s for i, s in enumerate(p.sources)})
            where.append(f"a.source in ({', '.join(names)})")
        if p.topic:
            self.params["topic"] = p.topic
            where.append("exists (select 1 from json_each(case when json_valid(a.topics) "
                         "then a.topics else '[]' end) t where t.value = :topic)")
        if p.place and self.places.any:
            self.params["place"] = p.place
            where.append(self._place_filter())
        self.where = " and ".join(where) or "1"
        self.source = self._from("articles a")

    def _from(self, articles: str) -> str:
        return (f"articles_fts f cross join {articles} on a.search_key = f.rowid"
                if self.fts else articles)

    def _counted(self) -> str:
        """FROM for counts that read only key, day, outlet and id: the covering index if any."""
        reads_row = self.p.topic or (self.p.place and self.places.column)  # JSON columns
        if not self.covering or reads_row:
            return self.source
        return self._from(f"articles a indexed by {COVERING_INDEX}")

    def _place_filter(self) -> str:
        tests = []
        if self.places.table:
            tests.append("exists (select 1 from article_places p where p.article_id = a.id "
                         "and (p.place = :place or p.governorate = :place))")
        if self.places.column:
            place, gov = _place_cols("j")
            tests.append(f"exists (select 1 from {_JSON_PLACES} j "
                         f"where {place} = :place or {gov} = :place)")
        return "(" + " or ".join(tests) + ")"

    def places_select(self) -> str:
        """An expression for an article's places as JSON (for rows and export)."""
        if self.places.table:
            return ("(select json_group_array(distinct p.place) from article_places p "
                    "where p.article_id = a.id)")
        if self.places.column:
            return "a.places"
        return "null"

    ROW_COLUMNS = ("a.id, a.url, a.source, a.title, a.published, a.topics, a.topic_matches, "
                   "a.word_count, a.text")

    def results(self, page: int = 1, sort: str = "newest") -> tuple[str, dict[str, Any]]:
        """One page of matches (PAGE_SIZE + 1 rows: the extra one says a next page exists)."""
        params = {**self.params, "limit": PAGE_SIZE + 1, "offset": (page - 1) * PAGE_SIZE}
        cols = f"{self.ROW_COLUMNS}, {self.places_select()} as places"
        if sort == "relevance" and self.fts:
            params["window"] = RELEVANCE_WINDOW
            sql = (f"select {cols}, t.score from (select f.rowid as key, {BM25} as score "
                   f"from {self.source} where {self.where} order by f.rowid desc "
                   "limit :window) t join articles a on a.search_key = t.key "
                   "order by t.score, t.key desc limit :limit offset :offset")
            return sql, params
        sql = (f"select {cols} from {self.source} where {self.where} "
               f"order by {self.key} desc limit :limit offset :offset")
        return sql, params

    def per_day(self) -> tuple[str, dict[str, Any]]:
        """Matching articles per (day, outlet): the chart, the total and the top outlets."""
        return (f"select a.day as day, a.source as source, count(*) as n from {self._counted()} "
                f"where {self.where} group by a.day, a.source", self.params)

    def top_terms(self, limit: int = 15) -> tuple[str, dict[str, Any]]:
        """The topic terms that matched most in the matching articles."""
        sql = (f"select json_extract(m.value, '$.topic') as topic, "
               "case when json_type(m.value, '$.terms') = 'array' then t.value else t.key end "
               "as term, count(distinct a.id) as articles "
               f"from {self.source} cross join json_each(case when json_valid(a.topic_matches) "
               "then a.topic_matches else '[]' end) m cross join json_each(m.value, '$.terms') t "
               f"where {self.where} group by topic, term order by articles desc, term "
               f"limit {int(limit)}")
        return sql, self.params

    def _place_rows(self) -> tuple[str, str, str, str] | None:
        """FROM, the join to each place tag, and its place and governorate expressions."""
        if self.places.table:  # key, day and id (the rowid) only: the covering index holds them
            return (self._counted(), "cross join article_places p on p.article_id = a.id",
                    "p.place", "p.governorate")
        if self.places.column:
            place, gov = _place_cols("j")
            return self.source, f"cross join {_JSON_PLACES} j", place, gov
        return None

    def top_places(self, limit: int = 20) -> tuple[str, dict[str, Any]] | None:
        """Places named in the matching articles, most articles first (None: no place tags)."""
        tags = self._place_rows()
        if tags is None:
            return None
        source, join, place, gov = tags
        sql = (f"select {place} as place, {gov} as governorate, count(distinct a.id) as articles "
               f"from {source} {join} where {self.where} and {place} is not null "
               f"group by 1, 2 order by articles desc, place limit {int(limit)}")
        return sql, self.params

    def places_per_day(self) -> tuple[str, dict[str, Any]] | None:
        """Matching articles per (day, governorate) — a place outside one counts as itself."""
        tags = self._place_rows()
        if tags is None:
            return None
        source, join, place, gov = tags
        name = f"coalesce({gov}, {place})"
        sql = (f"select a.day as day, {name} as place, count(distinct a.id) as n "
               f"from {source} {join} where {self.where} and {name} is not null "
               "group by a.day, 2")
        return sql, self.params

    def export_batch(self, after: int | None, size: int) -> tuple[str, dict[str, Any]]:
        """The next `size` matches, newest first, after search key `after` (keyset paging)."""
        params = {**self.params, "size": size}
        where = self.where
        if after is not None:
            params["after"] = after
            where += f" and {self.key} < :after"
        sql = (f"select {self.key} as key, a.id, a.url, a.source, a.title, a.published, "
               f"a.topics, {self.places_select()} as places, a.word_count "
               f"from {self.source} where {where} order by {self.key} desc limit :size")
        return sql, params


def totals_per_day(p: DeskParams) -> tuple[str, dict[str, Any]]:
    """Everything the archive holds per (day, outlet) in the range: the share's denominator."""
    where, params = ["day is not null"], {}
    if p.start:
        where.append("day >= :start")
        params["start"] = p.start.isoformat()
    if p.end:
        where.append("day <= :end")
        params["end"] = p.end.isoformat()
    if p.sources:
        where.append(f"source in ({', '.join(f':s{i}' for i in range(len(p.sources)))})")
        params.update({f"s{i}": s for i, s in enumerate(p.sources)})
    # Covered by the (day, source) index: no article row is read.
    return (f"select day, source, count(*) as n from articles where {' and '.join(where)} "
            "group by day, source", params)

