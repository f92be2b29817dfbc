"""Compare publication-date extraction on real Arabic and Persian news pages.

Usage::

    python eval/dates_eval.py ../shared/corpus

The corpus folder must contain ``htmldate/arabic_persian_subset.json`` (URL -> {"file", "date",
"lang"}) and the saved pages in ``htmldate/tests/test_set/``. Files are only read, never copied.
For each page three methods are run: (a) ``htmldate.find_date`` with default settings,
(b) trafilatura ``bare_extraction(..., with_metadata=True)`` and (c) Arshif's
``pipelines.dates.extract_published`` with the trafilatura text and no hints. A method is right
when its local calendar day (YYYY-MM-DD; Arshif's is Baghdad time) equals the truth. No URL is
passed to any method, so nobody can read the date off the address.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import htmldate  # noqa: E402
import trafilatura  # noqa: E402
from trafilatura import load_html  # noqa: E402

from pipelines.dates import BAGHDAD, extract_published  # noqa: E402

# What the corpus README calls hard, so a reader of the table knows why a row matters.
HARD_CASES = {
    "akhbarelyom.com": "date only in Arabic words (meta article:published_time)",
    "elbaladtv.net": "crosses midnight: 23:59 UTC in meta, 01:59 +02:00 in JSON-LD",
    "beirutobserver.com": "Arabic page labelled lang=en-US",
    "yjc.ir": "Jalali date in meta article:published_time",
    "aryanews.com": "Jalali date only",
}
# The pages are from 2020; a fixed "now" keeps the plausibility window reproducible.
NOW = datetime(2021, 1, 1, tzinfo=BAGHDAD)


def _host(url: str) -> str:
    host = url.split("/")[2]
    return host[4:] if host.startswith("www.") else host


def run(corpus: Path) -> int:
    """Print the per-page table and per-language accuracy; return a process exit code."""
    base = corpus / "htmldate"
    truth_file = base / "arabic_persian_subset.json"
    if not truth_file.is_file():
        print(f"not found: {truth_file}", file=sys.stderr)
        return 2
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    methods = ("htmldate", "trafilatura", "arshif")
    score: dict[str, dict[str, list[int]]] = {}
    header = f"{'host':<24} {'lang':<4} {'truth':<10}  " + "  ".join(f"{m:<14}" for m in methods)
    print(header + "  arshif source / note")
    print("-" * (len(header) + 30))
    for url, info in truth.items():
        raw = (base / "tests" / "test_set" / info["file"]).read_bytes()
        answers: dict[str, str | None] = {}
        answers["htmldate"] = htmldate.find_date(raw)
        doc = trafilatura.bare_extraction(raw, with_metadata=True)
        answers["trafilatura"] = getattr(doc, "date", None) if doc is not None else None
        text = (getattr(doc, "text", None) or "") if doc is not None else ""
        tree = load_html(raw)
        found = extract_published(tree, text, {}, now=NOW)
        answers["arshif"] = found.iso if found else None
        lang = info["lang"]
        cells = []
        for m in methods:
            day = (answers[m] or "")[:10]
            ok = day == info["date"]
            score.setdefault(lang, {}).setdefault(m, []).append(int(ok))
            cells.append(f"{(day or '-'):<10} {'✓' if ok else '✗'}  ")
        host = _host(url)
        note = f"{found.source} {found.iso} tz={found.tz_given}" if found else "none"
        if host in HARD_CASES:
            note += f"  [{HARD_CASES[host]}]"
        print(f"{host[:24]:<24} {lang:<4} {info['date']:<10}  " + "  ".join(cells) + note)
    print()
    for lang in sorted(score):
        parts = []
        for m in methods:
            hits = score[lang][m]
            parts.append(f"{m} {sum(hits)}/{len(hits)} ({100 * sum(hits) / len(hits):.0f}%)")
        print(f"accuracy {lang}: " + ", ".join(parts))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="../shared/corpus", type=Path)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # htmldate/trafilatura log noise would break the table
    return run(args.corpus)


if __name__ == "__main__":
    raise SystemExit(main())
