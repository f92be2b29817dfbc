"""`arshif demo` from a built wheel, installed into a new environment, run from another folder."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO, clean_checkout, deps_only_python


def expected_urls_per_outlet(sites: Path) -> dict[str, int]:
    """How many articles each bundled outlet's expected.yaml says a crawl stores."""
    out = {}
    for site in sorted(sites.glob("*/expected.yaml")):
        out[site.parent.name] = len(yaml.safe_load(site.read_text("utf-8"))["articles"])
    return out


def test_demo_runs_from_an_installed_wheel(tmp_path):
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(wheels), str(clean_checkout(tmp_path / "src"))],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("arshif-*.whl")

    # The new environment has the dependencies but not this checkout: only the wheel's files.
    python = deps_only_python(tmp_path / "venv")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)], capture_output=True, text=True, timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    arshif = python.parent / "arshif"
    assert arshif.exists(), "the wheel installs no `arshif` command"

    elsewhere = tmp_path / "elsewhere"  # not the repository: nothing can be read from it
    elsewhere.mkdir()
    where = subprocess.run([python, "-c", "import crawler.demo.server as s; print(s.SITES_DIR)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True)
    sites = Path(where.stdout.strip())
    assert sites.is_dir() and REPO not in sites.parents, sites

    demo = subprocess.run([arshif, "demo", "--db", "demo.db", "--all-topics"], cwd=elsewhere,
                          capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "Browse it:" in demo.stdout

    conn = sqlite3.connect(elsewhere / "demo.db")
    stored = dict(conn.execute("select source, count(*) from articles group by source"))
    conn.close()
    assert stored == expected_urls_per_outlet(sites)
    assert (elsewhere / "warc").is_dir() and any((elsewhere / "warc").iterdir())
