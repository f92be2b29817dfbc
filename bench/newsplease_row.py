"""Row (f): news-please in its own venv (bench/.venv-newsplease), on the same saved pages.

news-please (newspaper4k + readability + its date and language extractors) needs no NLTK data
for `from_html`, but newspaper4k's Arabic tokenizer imports nltk (ISRIStemmer and
wordpunct_tokenize, which ship with the package), so nltk is installed alongside it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench import DATA, ROOT
from bench.measure import Row, run_measured

VENV = ROOT / "bench" / ".venv-newsplease"
PACKAGES = ["news-please", "nltk"]


def ensure_venv() -> Path | str:
    """The venv's python, creating and installing it on first use; a message on failure."""
    python = VENV / "bin" / "python"
    if python.exists():
        ok = subprocess.run([str(python), "-c", "import newsplease, nltk"],
                            capture_output=True).returncode == 0
        if ok:
            return python
    print(f"installing {' '.join(PACKAGES)} into {VENV} …", flush=True)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    log = DATA / "newsplease-install.log"
    with open(log, "wb") as out:
        proc = subprocess.run([str(python), "-m", "pip", "install", *PACKAGES],
                              stdout=out, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        return f"pip install failed (see {log})"
    return python


def newsplease_row(site: Path, base: str) -> Row:
    """NewsPlease.from_html on every article page, single process."""
    row = Row("f", "(f) news-please from_html (own venv)")
    python = ensure_venv()
    if isinstance(python, str):
        row.note = python
        return row
    m = run_measured([str(python), str(ROOT / "bench" / "np_worker.py"), str(site), base],
                     log=DATA / "newsplease.log")
    if m.code != 0:
        row.note = f"failed with exit {m.code} (see {DATA / 'newsplease.log'})"
        return row
    res = m.last_json()
    found = res["found"]
    row.pages, row.wall, row.cpu, row.rss_mb = res["pages"], res["wall"], res["cpu"], m.rss_mb
    row.others = m.others
    row.extra = res
    row.note = (f"text {found['maintext']}/{res['pages']}, title {found['title']}, "
                f"date {found['date_publish']}, lang=ar {found['language_ar']}, "
                f"errors {found['errors']}; {res['mean_words']:.0f} words/article; "
                "crawl mode not run (needs its own config tree)")
    return row
