"""Evaluate Arshif's Arabic filter against plain seeded langdetect on real third-party data.

Usage: python eval/language_eval.py ../shared/corpus

Reads the corpus in place (nothing is copied into the repository): lingua-py's test sentences,
single words and word pairs; htmldate's Arabic/Persian news pages (text via trafilatura); the
BBC Urdu RSS feed saved by miniflux; the Urdu news page saved by mcmetadata.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.encoding import decode_html  # noqa: E402
from pipelines.language import detect_language  # noqa: E402


@dataclass
class EvalSet:
    """One group of documents that share a true language."""

    name: str
    lang: str
    docs: list[str]
    is_sentences: bool = False
    kept: dict[str, int] = field(default_factory=dict)


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _html_text(raw: bytes) -> str:
    import trafilatura

    html = decode_html(raw).text
    return trafilatura.extract(html, include_comments=False) or ""


def load_sets(corpus: Path) -> list[EvalSet]:
    """Find and load every evaluation set under the corpus folder."""
    sets: list[EvalSet] = []
    lingua = corpus / "lingua-py" / "language-testdata"
    for kind in ("sentences", "word-pairs", "single-words"):
        for lang in ("ar", "fa", "ur"):
            path = lingua / kind / f"{lang}.txt"
            if path.exists():
                sets.append(
                    EvalSet(f"lingua {kind}", lang, _lines(path), is_sentences=kind == "sentences")
                )

    subset = corpus / "htmldate" / "arabic_persian_subset.json"
    if subset.exists():
        by_lang: dict[str, list[str]] = {}
        for meta in json.loads(subset.read_text(encoding="utf-8")).values():
            page = corpus / "htmldate" / "tests" / "test_set" / meta["file"]
            if page.exists():
                by_lang.setdefault(meta["lang"], []).append(_html_text(page.read_bytes()))
        for lang, docs in sorted(by_lang.items()):
            sets.append(EvalSet("htmldate pages", lang, docs))

    for feed in sorted((corpus / "miniflux").rglob("urdu*.xml")):
        root = ET.fromstring(feed.read_bytes())
        docs = []
        for item in root.iter("item"):
            parts = [(item.findtext(tag) or "").strip() for tag in ("title", "description")]
            docs.append(". ".join(p for p in parts if p))
        sets.append(EvalSet("miniflux BBC Urdu feed items", "ur", [d for d in docs if d]))

    fixtures = corpus / "mcmetadata" / "mcmetadata" / "test" / "fixtures"
    pages = sorted(fixtures.glob("*naibaat*")) if fixtures.exists() else []
    if pages:
        sets.append(
            EvalSet("mcmetadata naibaat page", "ur", [_html_text(p.read_bytes()) for p in pages])
        )
    return sets


def _langdetect_factory() -> Callable[[str], str]:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0

    def detect(text: str) -> str:
        detector = factory.create()
        detector.append(" ".join(text.split())[:2000])
        try:
            return detector.detect()
        except LangDetectException:
            return "und"

    return detect


def run(corpus: Path, show_errors: int = 0) -> int:
    """Run both detectors over every set, print the table; return 0 if targets are met."""
    sets = load_sets(corpus)
    if not sets:
        print(f"no evaluation data found under {corpus}", file=sys.stderr)
        return 2
    detectors: dict[str, Callable[[str], str]] = {
        "arshif": lambda t: detect_language(t).lang,
        "langdetect": _langdetect_factory(),
    }
    timing: dict[str, list[float]] = {name: [0.0, 0] for name in detectors}
    errors: list[str] = []
    for name, fn in detectors.items():
        fn("تجربة أولى لتحميل النماذج")  # warm-up: profile loading is not per-call cost
        for s in sets:
            kept = 0
            for doc in s.docs:
                t0 = time.perf_counter()
                lang = fn(doc)
                timing[name][0] += time.perf_counter() - t0
                timing[name][1] += 1
                kept += lang == "ar"
                wrong = (lang == "ar") != (s.lang == "ar")
                if name == "arshif" and wrong and len(errors) < show_errors:
                    res = detect_language(doc)
                    errors.append(f"[{s.name}/{s.lang}] {res.lang} {res.reason} | {doc[:120]}")
            s.kept[name] = kept

    header = f"{'set':<30} {'lang':<4} {'N':>5} | {'arshif kept':>11} {'acc':>6} |"
    header += f" {'langdetect kept':>15} {'acc':>6}"
    print(header)
    print("-" * len(header))
    for s in sets:
        row = f"{s.name:<30} {s.lang:<4} {len(s.docs):>5} |"
        for name, width in (("arshif", 11), ("langdetect", 15)):
            kept = s.kept[name]
            correct = kept if s.lang == "ar" else len(s.docs) - kept
            row += f" {kept:>{width}} {correct / len(s.docs):>6.3f} |"
        print(row.rstrip(" |"))
    print("-" * len(header))

    ok = True
    for name in detectors:
        ar_sent = [s for s in sets if s.lang == "ar" and s.is_sentences]
        non_ar = [s for s in sets if s.lang != "ar"]
        recall = sum(s.kept[name] for s in ar_sent) / max(sum(len(s.docs) for s in ar_sent), 1)
        n_non = sum(len(s.docs) for s in non_ar)
        rejection = sum(len(s.docs) - s.kept[name] for s in non_ar) / max(n_non, 1)
        total, calls = timing[name]
        ms = 1000 * total / max(calls, 1)
        marks = ""
        if name == "arshif":
            ok = recall >= 0.99 and rejection >= 0.98
            marks = "  (targets: recall >= 0.99, rejection >= 0.98: " + (
                "met)" if ok else "NOT met)"
            )
        print(
            f"{name:<11} Arabic sentence recall {recall:.4f}   non-Arabic rejection "
            f"{rejection:.4f} (N={n_non})   {ms:.2f} ms/call{marks}"
        )
    for line in errors:
        print(line)
    return 0 if ok else 1


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="path to the shared corpus folder")
    parser.add_argument("--errors", type=int, default=0, help="print up to N Arshif mistakes")
    args = parser.parse_args()
    sys.exit(run(args.corpus, args.errors))


if __name__ == "__main__":
    main()
