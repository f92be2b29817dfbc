"""Arabic search quality gate: runs eval/search_eval.py over the labelled set.

The labels (eval/search/queries.yaml) were written before any system was scored; if a test
here fails because of archive/arabic.py, fix the search, not the labels.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "eval" / "search_eval.py"


def _load_module():
    # eval/ is a folder of scripts, not a package, so load the file by path.
    spec = importlib.util.spec_from_file_location("search_eval", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    # dataclasses (with `from __future__ import annotations`) look their module up here.
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


@pytest.fixture(scope="module")
def search_eval():
    return _load_module()


@pytest.fixture(scope="module")
def report(search_eval):
    return search_eval.run()


def _wrong(report, system="arshif", kind=None):
    return [
        f"{r.qid} {r.query}: expected {sorted(r.relevant)}, got {sorted(r.retrieved[system])}"
        for r in report.queries
        if (kind is None or r.kind == kind) and not r.correct(system)
    ]


def test_labelled_set_is_large_enough(report, search_eval):
    assert report.n_articles >= 40
    assert len(report.queries) >= 60
    # Every variation kind the evaluation reports on is covered by at least one query.
    assert set(search_eval.KINDS) <= set(report.kind_counts)


def test_arshif_overall_recall(report, search_eval):
    recall = report.overall["arshif"].recall
    assert recall >= search_eval.TARGET_RECALL, _wrong(report)


def test_arshif_overall_precision(report, search_eval):
    precision = report.overall["arshif"].precision
    assert precision >= search_eval.TARGET_PRECISION, _wrong(report)


def test_arshif_beats_plain_fts5_on_recall(report):
    assert report.overall["arshif"].recall > report.overall["fts5"].recall


def test_negative_queries_return_nothing(report):
    negatives = [r for r in report.queries if r.kind == "negative"]
    assert negatives
    assert all(not r.relevant for r in negatives)  # the labels themselves
    hits = {f"{r.qid} {r.query}": sorted(r.retrieved["arshif"]) for r in negatives}
    assert not {q: ids for q, ids in hits.items() if ids}


def test_arshif_never_rejects_a_query(report):
    # fts_query() must turn any input into a valid MATCH expression.
    assert not [r.qid for r in report.queries if "arshif" in r.errors]


def test_script_exits_zero(search_eval, capsys):
    assert search_eval.main() == 0
    out = capsys.readouterr().out
    assert "overall" in out and "Targets" in out
