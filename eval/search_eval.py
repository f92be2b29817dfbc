"""Evaluate Arabic search: plain SQLite FTS5 (Datasette defaults) against Arshif's search.

Usage: python eval/search_eval.py        (no arguments; always exits 0 -- it is a report)

Data: ``eval/search/articles.yaml`` (short Arabic news articles written for this evaluation,
with the spelling variation found in the wild) and ``eval/search/queries.yaml`` (queries with
hand-labelled relevant article ids and a variation ``kind``; the labelling rule is at the top
of that file). Two in-memory databases are built from the same articles:

* **fts5** -- ``fts5(title, description, text)`` with the default ``unicode61`` tokenizer over
  the raw text, queried the way Datasette does out of the box:
  ``MATCH datasette.utils.escape_fts(query)``.
* **arshif** -- the same columns holding ``archive.arabic.index_text()`` of each field,
  queried with ``MATCH archive.arabic.fts_query(query)`` (what ``articles_fts`` does).

Metrics. For one query, R is the set of relevant ids and S the set of retrieved ids.

* recall    = |R & S| / |R|; when R is empty there is nothing to miss, so recall = 1.
* precision = |R & S| / |S|; when S is empty and R is empty, precision = 1 (the correct
  answer was "nothing"); when S is empty but R is not, precision is undefined for that query
  (the failure is counted by recall only).

Micro-averages over a group of queries (one variation kind, or all queries) pool the counts
instead of averaging per-query ratios, so a query with many relevant articles weighs more:

* micro recall    = sum(|R & S|) / sum(|R|), where a query with R empty adds 1 to both sums;
* micro precision = sum(|R & S|) / sum(|S|), where a query with R and S both empty adds 1 to
  both sums and a query with S empty but R non-empty adds nothing.

So a ``negative`` query (R empty) that returns k articles adds 0 to the precision numerator
and k to its denominator; one that returns nothing counts as one correct answer.

Targets (for Arshif, over all queries): micro recall >= 0.95 and micro precision >= 0.9.
Timing is the median wall time of one MATCH query, including building the MATCH expression
(escape_fts / fts_query), over all queries, each run ``TIMING_REPEATS`` times.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from datasette.utils import escape_fts

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.arabic import index_text  # noqa: E402
from archive.query import fts_query  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent / "search"
ARTICLES = DATA_DIR / "articles.yaml"
QUERIES = DATA_DIR / "queries.yaml"
FIELDS = ("title", "description", "text")
SYSTEMS = ("fts5", "arshif")
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.9
TIMING_REPEATS = 5
# Kinds in report order; a kind found in queries.yaml but not listed here is appended.
KINDS = (
    "hamza",
    "diacritics",
    "alef_maqsura",
    "ta_marbuta",
    "tatweel",
    "prefix",
    "digits",
    "phrase",
    "multi_word",
    "negative",
    "plain",
)


@dataclass
class Score:
    """Pooled counts for one system over a group of queries (see module docstring)."""

    recall_hits: int = 0
    recall_total: int = 0
    precision_hits: int = 0
    precision_total: int = 0

    def add(self, relevant: set[str], retrieved: set[str]) -> None:
        """Pool one query's counts, applying the empty-set conventions."""
        hits = len(relevant & retrieved)
        if relevant:
            self.recall_hits += hits
            self.recall_total += len(relevant)
        else:
            self.recall_hits += 1
            self.recall_total += 1
        if retrieved:
            self.precision_hits += hits
            self.precision_total += len(retrieved)
        elif not relevant:
            self.precision_hits += 1
            self.precision_total += 1

    @property
    def recall(self) -> float:
        return self.recall_hits / self.recall_total if self.recall_total else 1.0

    @property
    def precision(self) -> float:
        return self.precision_hits / self.precision_total if self.precision_total else 1.0


@dataclass
class QueryResult:
    """One labelled query and what each system retrieved for it."""

    qid: str
    query: str
    kind: str
    relevant: set[str]
    retrieved: dict[str, set[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def correct(self, system: str) -> bool:
        return self.retrieved[system] == self.relevant


@dataclass
class Report:
    """Everything ``run()`` measured; ``print_report`` renders it."""

    n_articles: int
    queries: list[QueryResult]
    overall: dict[str, Score]
    by_kind: dict[str, dict[str, Score]]
    kind_counts: dict[str, int]
    median_ms: dict[str, float]

    @property
    def targets_met(self) -> bool:
        arshif = self.overall["arshif"]
        return arshif.recall >= TARGET_RECALL and arshif.precision >= TARGET_PRECISION


def load_articles(path: Path = ARTICLES) -> list[dict]:
    """Load the articles; every field is returned as ``str`` (YAML parses dates)."""
    articles = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [{k: str(v) for k, v in a.items()} for a in articles]


def load_queries(path: Path = QUERIES) -> list[dict]:
    """Load the labelled queries (id, query, kind, relevant, optional note)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def build_db(articles: list[dict], transform: Callable[[str], str]) -> sqlite3.Connection:
    """An in-memory ``articles_fts`` table whose rowid i is ``articles[i]``."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, description, text)")
    conn.executemany(
        "INSERT INTO articles_fts (rowid, title, description, text) VALUES (?, ?, ?, ?)",
        [(i, *(transform(a[f]) for f in FIELDS)) for i, a in enumerate(articles)],
    )
    conn.commit()
    return conn


def _identity(text: str) -> str:
    return text


# How each system turns what the user typed into an FTS5 MATCH expression.
MATCH_BUILDERS: dict[str, Callable[[str], str]] = {"fts5": escape_fts, "arshif": fts_query}
INDEXERS: dict[str, Callable[[str], str]] = {"fts5": _identity, "arshif": index_text}


def search(conn: sqlite3.Connection, build: Callable[[str], str], query: str) -> list[int]:
    """Rowids matching ``query``; raises sqlite3.OperationalError on an invalid expression."""
    sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
    return [row[0] for row in conn.execute(sql, (build(query),))]


def run(articles_path: Path = ARTICLES, queries_path: Path = QUERIES) -> Report:
    """Build both databases, run every labelled query on each and pool the scores."""
    articles = load_articles(articles_path)
    labelled = load_queries(queries_path)
    ids = [a["id"] for a in articles]
    known = set(ids)
    conns = {s: build_db(articles, INDEXERS[s]) for s in SYSTEMS}

    results: list[QueryResult] = []
    timings: dict[str, list[float]] = {s: [] for s in SYSTEMS}
    for item in labelled:
        relevant = set(item["relevant"] or [])
        unknown = relevant - known
        if unknown:  # a typo in the labels must not silently lower recall
            raise ValueError(f"{item['id']}: unknown article ids {sorted(unknown)}")
        result = QueryResult(item["id"], str(item["query"]), item["kind"], relevant)
        for system in SYSTEMS:
            build = MATCH_BUILDERS[system]
            try:
                rows = search(conns[system], build, result.query)
            except sqlite3.OperationalError as exc:
                # Plain FTS5 can reject user input; that is a failed search, not a crash.
                result.errors[system] = str(exc)
                rows = []
            result.retrieved[system] = {ids[r] for r in rows}
            for _ in range(TIMING_REPEATS):
                start = time.perf_counter()
                try:
                    search(conns[system], build, result.query)
                except sqlite3.OperationalError:
                    pass
                timings[system].append((time.perf_counter() - start) * 1000)
        results.append(result)
    for conn in conns.values():
        conn.close()

    kinds = [k for k in KINDS if any(r.kind == k for r in results)]
    kinds += sorted({r.kind for r in results} - set(kinds))
    overall = {s: Score() for s in SYSTEMS}
    by_kind = {k: {s: Score() for s in SYSTEMS} for k in kinds}
    for r in results:
        for system in SYSTEMS:
            overall[system].add(r.relevant, r.retrieved[system])
            by_kind[r.kind][system].add(r.relevant, r.retrieved[system])
    return Report(
        n_articles=len(articles),
        queries=results,
        overall=overall,
        by_kind=by_kind,
        kind_counts={k: sum(r.kind == k for r in results) for k in kinds},
        median_ms={s: statistics.median(t) for s, t in timings.items()},
    )


def _row(label: str, n: int, scores: dict[str, Score]) -> str:
    f, a = scores["fts5"], scores["arshif"]
    return (
        f"{label:<14}{n:>4}   {f.recall:>6.3f} {f.precision:>6.3f}"
        f"   {a.recall:>6.3f} {a.precision:>6.3f}"
    )


def _ids(values: set[str]) -> str:
    return ", ".join(sorted(values)) or "-"


def print_report(report: Report) -> None:
    """Print the per-kind table, overall figures, Arshif's mistakes, timing and targets."""
    print(f"{report.n_articles} articles, {len(report.queries)} labelled queries\n")
    print(f"{'':<14}{'':>4}   {'plain FTS5':^13}   {'Arshif':^13}")
    print(f"{'kind':<14}{'N':>4}   {'recall':>6} {'prec':>6}   {'recall':>6} {'prec':>6}")
    print("-" * 51)
    for kind, scores in report.by_kind.items():
        print(_row(kind, report.kind_counts[kind], scores))
    print("-" * 51)
    print(_row("overall", len(report.queries), report.overall))
    print("(micro-averaged; definitions in the module docstring)\n")

    for system in SYSTEMS:
        errors = [r for r in report.queries if system in r.errors]
        for r in errors:
            print(f"{system} rejected {r.qid} {r.query!r}: {r.errors[system]}")

    wrong = [r for r in report.queries if not r.correct("arshif")]
    print(f"Queries Arshif gets wrong: {len(wrong)} of {len(report.queries)}")
    for r in wrong:
        got = r.retrieved["arshif"]
        print(f"  {r.qid} [{r.kind}] {r.query}  (Arshif MATCH {fts_query(r.query)})")
        print(f"      expected: {_ids(r.relevant)}")
        print(f"      retrieved: {_ids(got)}")
        print(f"      missed: {_ids(r.relevant - got)}   extra: {_ids(got - r.relevant)}")
    fts_wrong = sum(not r.correct("fts5") for r in report.queries)
    print(f"(plain FTS5 gets {fts_wrong} of {len(report.queries)} queries wrong)\n")

    print(
        "Median query time: plain FTS5 {:.3f} ms, Arshif {:.3f} ms".format(
            report.median_ms["fts5"], report.median_ms["arshif"]
        )
    )
    leaks = [r for r in report.queries if r.kind == "negative" and r.retrieved["arshif"]]
    print(
        "Negative queries with Arshif results: "
        + (", ".join(f"{r.qid} {r.query} ({len(r.retrieved['arshif'])})" for r in leaks) or "none")
    )
    a = report.overall["arshif"]
    verdict = "MET" if report.targets_met else "NOT MET"
    print(
        f"Targets (Arshif recall >= {TARGET_RECALL}, precision >= {TARGET_PRECISION}): "
        f"{verdict} (recall {a.recall:.3f}, precision {a.precision:.3f})"
    )


def main() -> int:
    """Run the evaluation and print the report; always 0, it is a report, not a gate."""
    print_report(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
