"""Precision/recall of story clustering on eval/clusters/pairs.yaml (python eval/clusters_eval.py).

Each pair is clustered exactly as a crawl would: both texts go through archive.clusters.assign()
on a fresh in-memory archive (MinHash → LSH bands → similarity check); a pair is predicted
"same" when the second article joins the first one's cluster.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive import clusters  # noqa: E402
from archive.schema import connect  # noqa: E402

PAIRS = Path(__file__).resolve().parent / "clusters" / "pairs.yaml"


def derive(base: str, spec: dict[str, Any]) -> str:
    """Apply a derived copy's edits (prefix, replace, drop/rewrite paragraphs, append)."""
    paragraphs = [p.strip() for p in base.strip().split("\n\n")]
    for index, text in [spec["rewrite_paragraph"]] if "rewrite_paragraph" in spec else []:
        paragraphs[index] = text
    drop = set(spec.get("drop_paragraphs") or [])
    paragraphs = [p for i, p in enumerate(paragraphs) if i not in drop]
    text = "\n\n".join(paragraphs)
    for old, new in spec.get("replace") or []:
        if old not in text:
            raise ValueError(f"replace: {old!r} not in the base text")
        text = text.replace(old, new)
    if spec.get("append"):
        text += "\n\n" + spec["append"]
    return spec.get("prefix", "") + text


def load(path: Path = PAIRS) -> tuple[dict[str, str], list[tuple[str, str, bool]]]:
    """Texts by id (base and derived) and the labelled pairs."""
    data = yaml.safe_load(path.read_text("utf-8"))
    texts = {k: v.strip() for k, v in data["texts"].items()}
    for name, spec in (data.get("derived") or {}).items():
        texts[name] = derive(texts[spec["from"]], spec)
    pairs = [(a, b, label == "same") for a, b, label in data["pairs"]]
    return texts, pairs


def predict(a: str, b: str) -> tuple[bool, float]:
    """Cluster a then b in a fresh archive: (same cluster?, estimated similarity)."""
    db = connect(":memory:")
    first = clusters.assign(db, {"id": 1, "text": a, "content_sha256": "a", "source": "x"})
    second = clusters.assign(db, {"id": 2, "text": b, "content_sha256": "b", "source": "y"})
    ma, sa = clusters.signature(a)
    mb, sb = clusters.signature(b)
    db.close()
    return first == second, clusters.similarity(ma, sa, mb, sb)


def evaluate(path: Path = PAIRS) -> dict[str, Any]:
    """Counts, precision, recall and the misclassified pairs."""
    texts, pairs = load(path)
    tp = fp = fn = tn = 0
    errors = []
    for a, b, same in pairs:
        got, sim = predict(texts[a], texts[b])
        tp += got and same
        fp += got and not same
        fn += same and not got
        tn += not got and not same
        if got != same:
            errors.append((a, b, same, round(sim, 3)))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"pairs": len(pairs), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": precision, "recall": recall, "errors": errors}


def main() -> None:
    """Print the scores."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    args = parser.parse_args()
    r = evaluate(args.pairs)
    print(f"pairs {r['pairs']}  (same {r['tp'] + r['fn']}, different {r['fp'] + r['tn']})")
    print(f"threshold {clusters.SIMILARITY}  shingles {clusters.SHINGLE_WORDS} words  "
          f"num_perm {clusters.NUM_PERM}  bands×rows {clusters.banding()}")
    print(f"precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
          f"(tp {r['tp']} fp {r['fp']} fn {r['fn']} tn {r['tn']})")
    for a, b, same, sim in r["errors"]:
        print(f"  wrong: {a} ~ {b}: labelled {'same' if same else 'different'}, sim {sim}")


if __name__ == "__main__":
    main()
