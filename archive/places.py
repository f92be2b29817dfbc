"""Tag articles with the Iraqi places they name (archive/gazetteer.py) and store the tags.

An article's places are kept twice: ``articles.places`` / ``articles.places_governorates``
(JSON arrays, for Datasette's array facet and for reading a row) and ``article_places``, one
row per article and place with its governorate and publication time, indexed on
(place, published) and (governorate, published), so "where" questions over a date range read
an index instead of parsing JSON in a million rows.

Cost: one normalisation of the text and one dict lookup per word (about 1 ms for a
1,000-word article; see tests/archive/test_places_tagging.py); the crawl computes it in the
analysis workers (pipelines/analysis.py) and hands it to ``save_article``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

import sqlite_utils

from archive.arabic import normalize
from archive.gazetteer import Gazetteer, Spelling, gazetteer

__all__ = ["backfill_places", "place_columns", "store_places", "tag_places"]

# Words (as archive.arabic.tokenize) and sentence ends: no name or cue reaches across a break.
_TOKEN_RE = re.compile(r"[^\W_]+|[.!?;:]")
_BREAKS = frozenset(".!?;:")
# Proclitics removed from a cue word (بمدينة, وفي, لمحافظة, والقضاء).
_CUE_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال", "وب", "ول", "فب", "فل",
                 "و", "ف", "ب", "ل", "ك")


def _tokens(text: str) -> list[str]:
    # Line breaks end a sentence too (normalize turns them into spaces).
    return _TOKEN_RE.findall(normalize(text.replace("\n", ".")))


def _word(tokens: Sequence[str], i: int) -> str | None:
    if 0 <= i < len(tokens) and tokens[i] not in _BREAKS:
        return tokens[i]
    return None


def _conj_forms(word: str | None) -> set[str]:
    # و/ف in front only: ال is meaningful here (الطريق الموصل vs طريق الموصل).
    if word is None:
        return set()
    return {word, word[1:]} if word[0] in "وف" and len(word) > 2 else {word}


def _cue_forms(word: str | None) -> set[str]:
    if word is None:
        return set()
    return {word} | {word[len(p):] for p in _CUE_PREFIXES
                     if word.startswith(p) and len(word) - len(p) >= 2}


def _names_governorate(gaz: Gazetteer, tokens: Sequence[str], start: int, gov: str) -> bool:
    for j in range(start, min(start + gaz.window, len(tokens))):
        if tokens[j] in _BREAKS:
            return False
        for spelling in gaz.index.get(tokens[j], ()):
            size = len(spelling.tokens)
            if spelling.place.kind == "governorate" and spelling.place.name == gov and \
                    tuple(tokens[j + 1 : j + size]) == spelling.tokens[1:]:
                return True
    return False


def _accepts(gaz: Gazetteer, spelling: Spelling, tokens: Sequence[str], i: int) -> bool:
    rule = spelling.rule
    if rule is None:
        return True
    size = len(spelling.tokens)
    before, after = _word(tokens, i - 1), _word(tokens, i + size)
    if _conj_forms(before) & rule.not_after or _conj_forms(after) & rule.not_before:
        return False
    if rule.needs is None or _cue_forms(before) & gaz.cues.get(rule.needs, frozenset()):
        return True
    return _names_governorate(gaz, tokens, i + size, spelling.place.governorate)


def tag_places(*fields: str | None, gaz: Gazetteer | None = None) -> dict[str, int]:
    """Places named in the fields (title, description, text) -> mentions, most named first."""
    gaz = gaz or gazetteer()
    index = gaz.index
    counts: dict[str, int] = {}
    for text in fields:
        if not text:
            continue
        tokens = _tokens(text)
        i, end = 0, len(tokens)
        while i < end:
            spellings = index.get(tokens[i])
            if spellings is None:
                i += 1
                continue
            step = 1
            for spelling in spellings:
                size = len(spelling.tokens)
                if (size == 1 or tuple(tokens[i + 1 : i + size]) == spelling.tokens[1:]) and \
                        _accepts(gaz, spelling, tokens, i):
                    name = spelling.place.name
                    counts[name] = counts.get(name, 0) + 1
                    step = size
                    break
            i += step
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def place_columns(counts: Mapping[str, int]) -> tuple[str, str]:
    """(places, places_governorates) as the JSON arrays stored on the article row."""
    places = gazetteer().places
    governorates: list[str] = []
    for name in counts:
        gov = places[name].governorate
        if gov not in governorates:
            governorates.append(gov)
    return (json.dumps(list(counts), ensure_ascii=False),
            json.dumps(governorates, ensure_ascii=False))


def store_places(
    db: sqlite_utils.Database, article_id: int, published: str | None,
    counts: Mapping[str, int],
) -> None:
    """Replace an article's article_places rows (in the caller's transaction)."""
    places = gazetteer().places
    db.execute("delete from article_places where article_id = ?", [article_id])
    if counts:
        db.conn.executemany(
            "insert into article_places (article_id, place, governorate, kind, mentions, "
            "published) values (?, ?, ?, ?, ?, ?)",
            [(article_id, name, places[name].governorate, places[name].kind, n, published)
             for name, n in counts.items()],
        )


def backfill_places(db: sqlite_utils.Database, batch: int = 500) -> int:
    """Tag every stored article again (migrations, a changed gazetteer); returns how many."""
    count, last = 0, -1
    # Keyset pages by id: no cursor stays open on the table while its rows are updated.
    while rows := db.execute(
        "select id, published, title, description, text from articles where id > ? "
        "order by id limit ?", [last, batch],
    ).fetchall():
        for article_id, published, title, description, text in rows:
            counts = tag_places(title, description, text)
            db.execute("update articles set places = ?, places_governorates = ? where id = ?",
                       [*place_columns(counts), article_id])
            store_places(db, article_id, published, counts)
        count, last = count + len(rows), rows[-1][0]
    return count
