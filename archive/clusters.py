"""Near-duplicate story clusters: MinHash of word shingles, LSH bands kept in SQLite.

Why bands in a table (not an in-memory datasketch LSH rebuilt at start): every process and
every run sees the same index at once, nothing has to be loaded before the first article, and
a candidate lookup is `b` indexed point queries. The signatures are datasketch 2's "affine32"
MinHash and the (b, r) banding is what its MinHashLSH picks for the threshold, both computed
here in a few lines of numpy: importing datasketch pulls in scipy, 0.9 s of CPU in every crawl
process and extraction worker (tests/archive/test_clusters.py checks both against datasketch). The
similarity of a candidate is estimated from the stored signatures, as the larger of Jaccard and
containment (a shortened copy of a dispatch is contained in the original even when their
Jaccard is low).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import sqlite_utils

from archive.arabic import index_text
from archive.tx import transaction

NUM_PERM = 128
SHINGLE_WORDS = 3
SEED = 1
# datasketch 2's 32-bit scheme: signatures stored as uint32 stay comparable across versions.
SCHEME = "affine32"
# What datasketch's MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM) chooses (b, r).
BANDS, ROWS = 28, 2
_MAX32 = np.uint32(0xFFFFFFFF)
# Candidates come from LSH tuned for this Jaccard; the decision uses SIMILARITY below.
LSH_THRESHOLD = 0.2
SIMILARITY = 0.5
# A story propagates over days: candidates published further apart than this are not compared.
WINDOW_DAYS = 30


def shingles(text: str, k: int = SHINGLE_WORDS, indexed: str | None = None) -> set[bytes]:
    """Word k-grams of the shared search normaliser's output (stems, no diacritics/prefixes).

    ``indexed`` is ``index_text(text)`` when the caller already has it (the search index form).
    """
    words = (index_text(text or "") if indexed is None else indexed).split()
    if len(words) <= k:
        return {" ".join(words).encode("utf-8")} if words else set()
    if k == 3:  # the usual case, a third faster than slicing and joining
        triples = zip(words, words[1:], words[2:], strict=False)
        return {f"{a} {b} {c}".encode() for a, b, c in triples}
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    # datasketch 2's affine32 draw: odd multipliers a and offsets b from RandomState(SEED).
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(hv: np.ndarray) -> np.ndarray:
    # MurmurHash3's finalizer, applied once to each shingle hash before the permutations.
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def minhash(grams: Iterable[bytes]) -> np.ndarray:
    """The NUM_PERM uint32 MinHash values of a set of shingles (all 2^32-1 when empty)."""
    # sha1's first 4 bytes, little-endian: datasketch's sha1_hash32, for all shingles at once.
    raw = b"".join([hashlib.sha1(g).digest()[:4] for g in grams])
    if not raw:
        return np.full(NUM_PERM, _MAX32, dtype=np.uint32)
    hv = _fmix32(np.frombuffer(raw, dtype="<u4").astype(np.uint32).reshape(-1, 1))
    a, b = _permutations()
    return (hv * a + b).min(axis=0)  # uint32 arithmetic wraps: h -> a*h + b mod 2^32


def signature(text: str, indexed: str | None = None) -> tuple[np.ndarray, int]:
    """The MinHash values of a text and its number of shingles."""
    grams = shingles(text, indexed=indexed)
    return minhash(grams), len(grams)


def signature_blob(text: str, indexed: str | None = None) -> tuple[bytes, int]:
    """A text's signature as stored (uint32 little-endian) and its number of shingles."""
    values, size = signature(text, indexed)
    return values.astype("<u4").tobytes(), size


def banding() -> tuple[int, int]:
    """(bands, rows) of the LSH index: datasketch's choice for LSH_THRESHOLD and NUM_PERM."""
    return BANDS, ROWS


def band_keys(values: np.ndarray) -> list[tuple[int, int]]:
    """(band, hash) pairs of a signature's values: two articles sharing one are candidates."""
    b, r = banding()
    values = values.astype("<u4")
    out = []
    for band in range(b):
        digest = hashlib.blake2b(values[band * r:(band + 1) * r].tobytes(), digest_size=8)
        out.append((band, int.from_bytes(digest.digest(), "little", signed=True)))
    return out


def similarity(a: np.ndarray, size_a: int, b: np.ndarray, size_b: int) -> float:
    """max(Jaccard, containment of the smaller in the larger), both estimated from signatures."""
    j = float(np.count_nonzero(a == b)) / len(a)
    small = min(size_a, size_b)
    if not small:
        return j
    containment = j * (size_a + size_b) / ((1 + j) * small)
    return max(j, min(1.0, containment))


def similarities(values: np.ndarray, size: int, sigs: np.ndarray, sizes: np.ndarray
                 ) -> np.ndarray:
    """similarity() of one signature against each row of ``sigs`` at once (same floats)."""
    j = np.count_nonzero(sigs == values, axis=1) / len(values)
    small = np.minimum(size, sizes)
    with np.errstate(divide="ignore", invalid="ignore"):
        containment = j * (size + sizes) / ((1 + j) * small)
    return np.where(small > 0, np.maximum(j, np.minimum(1.0, containment)), j)


def _load(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def _window(article: dict[str, Any], days: int | None) -> tuple[str, str] | None:
    """ISO bounds of the candidates' publication (or first-seen) times, ± days around this one."""
    when = article.get("published") or article.get("first_seen_at")
    if not days or not when:
        return None
    try:
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return None
    lo, hi = moment - timedelta(days=days), moment + timedelta(days=days + 1)
    return lo.date().isoformat(), hi.date().isoformat()


STORED_FIELDS = ("id", "content_sha256", "source", "published", "first_seen_at")


def stored_article(
    db: sqlite_utils.Database, url: str, with_text: bool = False,
) -> dict[str, Any] | None:
    """The fields assign() reads of the article stored under url (text only when asked)."""
    names = (*STORED_FIELDS, "text") if with_text else STORED_FIELDS
    row = db.execute(f"select {', '.join(names)} from articles where url = ?", [url]).fetchone()
    return None if row is None else dict(zip(names, row, strict=True))


def _signed_from(db: sqlite_utils.Database, aid: int, content_sha256: str | None) -> bool:
    """Whether the article's stored signature was made from this very text."""
    have = db.execute("select content_sha256 from minhash where article_id = ?", [aid]).fetchone()
    return bool(have) and have[0] == content_sha256


def _cluster_of(db: sqlite_utils.Database, aid: int) -> int | None:
    """The stored cluster of an article, None if it has none."""
    found = db.execute("select cluster_id from story_clusters where article_id = ?", [aid])
    row = found.fetchone()
    return row[0] if row else None


def _candidates(db: sqlite_utils.Database, aid: int, keys: list[tuple[int, int]]) -> list[int]:
    """Other articles sharing at least one band with these keys, in id order."""
    # One statement for all bands (SQLite answers the ORs with one index search each) instead
    # of one statement per band: 28 fewer round trips through the sqlite3 module per article.
    where = " or ".join(["(band = ? and hash = ?)"] * len(keys))
    return sorted({
        other for (other,) in db.execute(
            f"select article_id from minhash_bands where {where}",
            [v for key in keys for v in key],
        )
        if other != aid
    })


def _best_match(
    db: sqlite_utils.Database, values: np.ndarray, size: int, candidates: list[int],
    window: tuple[str, str] | None,
) -> tuple[int | None, float]:
    """The cluster of the most similar candidate inside the window, and that similarity."""
    best, best_sim = None, 0.0
    in_window = "" if window is None else (
        "and coalesce(c.published, c.first_seen) >= ? and coalesce(c.published, c.first_seen) < ? ")
    for start in range(0, len(candidates), 500):  # one query per 500 candidates, not one each
        chunk = candidates[start:start + 500]
        rows = db.execute(
            "select m.sig, m.size, c.cluster_id from minhash m "
            "join story_clusters c on c.article_id = m.article_id "
            f"where m.article_id in ({', '.join('?' * len(chunk))}) and m.num_perm = ? "
            f"{in_window}order by m.article_id",
            [*chunk, NUM_PERM, *(window or ())],
        ).fetchall()
        if not rows:
            continue
        # All candidates in one numpy comparison: the bench's template-sharing pages have
        # ~100 candidates each, and one Python similarity() call per candidate dominated.
        sims = similarities(values, size, _load(b"".join(r[0] for r in rows)).reshape(
            len(rows), NUM_PERM), np.array([int(r[1] or 0) for r in rows]))
        top = int(np.argmax(sims))  # the first of equals, as a strict > scan in id order
        if sims[top] > best_sim:
            best, best_sim = rows[top][2], float(sims[top])
    return best, best_sim


def _record(
    db: sqlite_utils.Database, article: dict[str, Any], sig: bytes, size: int,
    keys: list[tuple[int, int]], cluster: int, similarity: float | None,
) -> None:
    """Store an article's signature, its bands and its cluster row, in one commit."""
    aid = article["id"]
    with transaction(db):
        db.execute("delete from minhash_bands where article_id = ?", [aid])
        db.execute(
            "insert or replace into minhash (article_id, content_sha256, num_perm, sig, size) "
            "values (?, ?, ?, ?, ?)", [aid, article.get("content_sha256"), NUM_PERM, sig, size],
        )
        db.conn.executemany(
            "insert or ignore into minhash_bands (band, hash, article_id) values (?, ?, ?)",
            [(band, value, aid) for band, value in keys],
        )
        db.execute(
            "insert or replace into story_clusters (article_id, cluster_id, source, published, "
            "first_seen, similarity) values (?, ?, ?, ?, ?, ?)",
            [aid, cluster, article.get("source"), article.get("published"),
             article.get("first_seen_at"), similarity],
        )


def assign(db: sqlite_utils.Database, article: dict[str, Any],
           window_days: int | None = WINDOW_DAYS) -> int | None:
    """Cluster one stored article (id, text, content_sha256, source, published, first_seen_at).

    Returns its cluster_id; an article already signed with the same text keeps its cluster.
    ``article["signature"]`` may carry (blob, size) computed by a worker (pipelines/analysis.py).
    Only articles published within ``window_days`` of it are compared (None: the whole archive).
    """
    aid = article["id"]
    if _signed_from(db, aid, article.get("content_sha256")):
        return _cluster_of(db, aid)
    sig, size = article.get("signature") or signature_blob(article.get("text") or "")
    if not size:
        return None
    values = _load(sig)
    keys = band_keys(values)
    # Chance band collisions grow with the archive (≈ 0.1 % of real news articles share a band
    # with any given one): comparing only stories from the same weeks keeps the cost per
    # article flat instead of growing with every year archived.
    best, best_sim = _best_match(
        db, values, size, _candidates(db, aid, keys), _window(article, window_days))
    cluster = best if best is not None and best_sim >= SIMILARITY else aid
    _record(db, article, sig, size, keys, cluster,
            round(best_sim, 3) if cluster != aid else None)
    return cluster


def backfill(db: sqlite_utils.Database, limit: int = 5000) -> int:
    """Cluster stored articles without a signature yet (older archives, a crash), oldest first."""
    cursor = db.execute(
        "select id, text, content_sha256, source, published, first_seen_at from articles "
        "where id not in (select article_id from minhash) order by id limit ?", [limit]
    )
    names = [c[0] for c in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    for row in rows:
        assign(db, row)
    return len(rows)
