"""Crash safety: SIGKILL a crawl at random points; nothing committed is lost, the end is the same.

The suite runs ARSHIF_KILL9_TRIALS trials (3 by default, to keep it quick);
`python -m tests.faults.kill9 --trials 20` runs the full set.
"""

from __future__ import annotations

import os

from tests.faults.kill9 import run_trials


def test_kill9_trials_keep_the_archive_consistent_and_complete(tmp_path):
    trials = int(os.environ.get("ARSHIF_KILL9_TRIALS", "3"))
    out = run_trials(tmp_path, trials, articles=40)
    assert len(out["trials"]) == trials
    assert out["killed"] >= 1  # kills land while the crawl writes
