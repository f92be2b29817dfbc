"""A reader's search query: its terms, prefixes and phrases, and the FTS5 MATCH built from them.

Queries are folded and stemmed exactly as the index is (archive/arabic.py), so any spelling of a
word finds the stored form; FTS syntax typed by a user is treated as plain words.
"""

from __future__ import annotations

import re

from archive.arabic import _ARTICLES, _TOKEN_RE, normalize, stem

# A bare word, optionally followed by * (prefix search).
_BARE_RE = re.compile(r"([^\W_]+)(\*?)")
_MIN_PREFIX_LEN = 2  # "ا*" would scan half the index

# Limits on one query, here only (README "Search limits", docs/arabic-search.md section 3). No
# real Arabic query reaches them (the longest Arabic words have under 20 letters); past them the
# work a query makes (FTS5 terms, snippet regexes, pages repeating it in every link) would be
# the visitor's to choose, so it is refused with QUERY_LIMITS_MESSAGE instead.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
MAX_WORD_LETTERS = 30
QUERY_LIMITS_MESSAGE = (
    f"البحث طويل جداً: {MAX_QUERY_CHARS} حرف و{MAX_QUERY_WORDS} كلمة و{MAX_WORD_LETTERS} حرفاً"
    f" للكلمة على الأكثر · Search too long: at most {MAX_QUERY_CHARS} characters,"
    f" {MAX_QUERY_WORDS} words and {MAX_WORD_LETTERS} letters a word."
)


def query_too_long(query: str | None) -> bool:
    """True when the query exceeds MAX_QUERY_CHARS, MAX_QUERY_WORDS or MAX_WORD_LETTERS."""
    if not query:
        return False
    if len(query) > MAX_QUERY_CHARS:  # first, so nothing longer is ever normalised
        return True
    words = _TOKEN_RE.findall(normalize(query))
    return len(words) > MAX_QUERY_WORDS or any(len(w) > MAX_WORD_LETTERS for w in words)


def _prefix_stem(word: str) -> str:
    # A typed prefix is a word fragment: stem() would keep the article of a short fragment
    # (الدو* -> الدو), so drop a leading article first whenever 2+ letters remain.
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= _MIN_PREFIX_LEN:
            return stem(word[len(article) :])
    return stem(word)


def parse_query(query: str) -> list[tuple[str, list[str]]]:
    """Split a query into ('term'|'prefix'|'phrase', [stems]) items."""
    parts = normalize(query).split('"')
    # An even number of parts means an unbalanced quote: treat its tail as bare words.
    unbalanced = len(parts) % 2 == 0
    items: list[tuple[str, list[str]]] = []
    for i, part in enumerate(parts):
        quoted = i % 2 == 1 and not (unbalanced and i == len(parts) - 1)
        if quoted:
            stems = [stem(t) for t in _TOKEN_RE.findall(part)]
            if stems:
                items.append(("phrase", stems))
            continue
        for word, star in _BARE_RE.findall(part):
            if star and len(word) >= _MIN_PREFIX_LEN:
                items.append(("prefix", [_prefix_stem(word)]))
            else:
                items.append(("term", [stem(word)]))
    return items


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_query(query: str) -> str:
    """Turn user input into a safe FTS5 MATCH expression over ``index_text`` content.

    A query past the limits (query_too_long) matches nothing; the web pages say why first.
    """
    if query_too_long(query):
        return '""'
    out = []
    for kind, stems in parse_query(query or ""):
        quoted = _quote(" ".join(stems))
        out.append(quoted + "*" if kind == "prefix" else quoted)
    # '""' is an empty phrase: valid FTS5 that matches no row.
    return " ".join(out) if out else '""'
