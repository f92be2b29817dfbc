"""Row (f) worker, run by bench/.venv-newsplease's Python: NewsPlease.from_html on every page.

`python bench/np_worker.py SITE BASE` — standard library and news-please only (the project's
packages are not installed in that venv). Prints one JSON line: pages, loop wall and CPU,
and how many results had a main text, a title, a date and language "ar".
"""

from __future__ import annotations

import json
import resource
import sys
import time
import warnings
from pathlib import Path


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def main() -> None:
    """Extract every article page of the site with news-please; print the counts."""
    # bench/ holds modules (site.py, search.py …) that must not shadow the venv's packages.
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    site, base = Path(sys.argv[1]), sys.argv[2]
    warnings.simplefilter("ignore")
    from newsplease import NewsPlease

    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    pages = [(base + a["path"], (site / a["file"]).read_text("utf-8").replace("{base}", base))
             for a in manifest["articles"]]
    found = {"maintext": 0, "title": 0, "date_publish": 0, "language_ar": 0, "errors": 0}
    words = 0
    t0, c0 = time.perf_counter(), _cpu()
    for url, html in pages:
        try:
            # fetch_images=False: never reach out for images (nothing leaves this machine).
            art = NewsPlease.from_html(html, url=url, fetch_images=False)
        except Exception:  # noqa: BLE001 - counted
            found["errors"] += 1
            continue
        text = getattr(art, "maintext", None) or ""
        words += len(text.split())
        found["maintext"] += bool(text.strip())
        found["title"] += bool(getattr(art, "title", None))
        found["date_publish"] += bool(getattr(art, "date_publish", None))
        found["language_ar"] += getattr(art, "language", None) == "ar"
    out = {"pages": len(pages), "wall": time.perf_counter() - t0, "cpu": _cpu() - c0,
           "found": found, "mean_words": words / max(1, found["maintext"]),
           "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
