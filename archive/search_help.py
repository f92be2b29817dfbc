"""The search_help table of a snapshot: how to search it without Arshif's web pages.

articles_fts holds normalised, stemmed Arabic (archive/arabic.py), so `MATCH 'الدولة'` finds
nothing: the index has 'دوله'. The table lists common words as the index stores them and
ready-to-run sqlite3 queries; in Python, archive.search.register_functions(conn) gives
arabic_fts_query(q), which does the same for any query (README: "Searching a snapshot").
"""

from __future__ import annotations

import sqlite3

from archive.arabic import index_text
from archive.query import fts_query

EXAMPLES = (
    ("الدولة", "ة is stored as ه and the article ال is dropped"),
    ("الإسلامية", "hamza forms (أ إ آ) become ا; the nisba ending ية is dropped"),
    ("داعش", "prefixes do not matter: لداعش and وداعش are stored as داعش"),
    ("بالموصل", "the attached preposition and article بال are dropped"),
    ('"تنظيم الدولة"', "a phrase: the words next to each other, in this order"),
    ("داعش OR القاعدة", "either word (OR must be capital letters)"),
    ("داعش NOT سوريا", "the first word without the second"),
    ("تنظ*", "a prefix: every stored word starting with تنظ"),
)
SQL = ("select a.id, a.published, a.title from articles_fts f "
       "join articles a on a.search_key = f.rowid where articles_fts match '{}' "
       "order by f.rowid desc limit 20;")


def search_help_rows() -> list[tuple[str, str, str, str]]:
    """(example, stored_as, sqlite3, note) for each example query."""
    rows = []
    for example, note in EXAMPLES:
        expression = fts_query(example)
        rows.append((example, index_text(example.replace("OR", "").replace("NOT", "")),
                     SQL.format(expression.replace("'", "''")), note))
    return rows


def write_search_help(conn: sqlite3.Connection) -> None:
    """(Re)create search_help in conn (a snapshot being written)."""
    conn.execute("drop table if exists search_help")
    conn.execute("create table search_help (example text primary key, stored_as text, "
                 "sqlite3 text, note text)")
    conn.executemany("insert into search_help values (?, ?, ?, ?)", search_help_rows())
