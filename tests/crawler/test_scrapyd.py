"""scrapyd as the README documents it: scrapyd-deploy the project, schedule `news`, find articles.

scrapyd runs in a Python environment that has the project's dependencies but not the project
itself (as on a scrapyd server), so the job can only import Arshif from the deployed egg: package
data is read from inside the zip there.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, clean_checkout, deps_only_python, expected

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _api(base: str, path: str, data: dict | list | None = None) -> dict:
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    with urllib.request.urlopen(base + path, data=body, timeout=30) as resp:
        return json.loads(resp.read())


def _tool(name: str) -> Path:
    path = BIN / name
    assert path.exists(), f"{name} is missing: pip install -e '.[test]' (scrapyd, scrapyd-client)"
    return path


@pytest.fixture
def scrapyd_server(tmp_path):
    """A real scrapyd on a free 127.0.0.1 port, with its own config and directories in tmp."""
    _tool("scrapyd")
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        "poll_interval = 0.5\n",
        "utf-8",
    )
    python = deps_only_python(tmp_path / "venv", "scrapyd, scrapy, trafilatura")
    env = dict(os.environ, HOME=str(home))  # no ~/.scrapyd.conf from the machine
    proc = subprocess.Popen([python, "-m", "scrapyd", "--pidfile="], cwd=home, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert _api(base, "daemonstatus.json")["status"] == "ok"
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise AssertionError("scrapyd did not start:\n" + proc.stdout.read()) from None
                time.sleep(0.2)
        yield {"url": base, "home": home}
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _deploy(url: str, tmp_path: Path) -> None:
    """`scrapyd-deploy TARGET -p arshif` from the repository root, TARGET pointing at url."""
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    # Scrapy reads $XDG_CONFIG_HOME/scrapy.cfg too: a target for the test server, beside `local`.
    (xdg / "scrapy.cfg").write_text(f"[deploy:test]\nurl = {url}\nproject = arshif\n", "utf-8")
    env = dict(os.environ, XDG_CONFIG_HOME=str(xdg))
    # From a clean copy: a build/ left in the checkout would put stale modules in the egg.
    root = clean_checkout(tmp_path / "src")
    result = subprocess.run([_tool("scrapyd-deploy"), "test", "-p", "arshif", "-v", "1"],
                            cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["status"] == "ok", result.stdout


def test_local_deploy_target_is_named(tmp_path):
    # `scrapyd-deploy local` looks the target up the same way `scrapyd-client targets` lists it.
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run([_tool("scrapyd-client"), "targets"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert [line.split() for line in result.stdout.splitlines()] == [
        ["local", "http://localhost:6800/"]
    ]


def test_scrapyd_runs_news_from_the_deployed_egg(scrapyd_server, sites, tmp_path):
    url = scrapyd_server["url"]
    _deploy(url, tmp_path)
    assert _api(url, "listspiders.json?project=arshif")["spiders"] == ["news", "news_redis"]
    sources = sites.write_sources(tmp_path / "sources.yaml")
    db = tmp_path / "arshif.db"
    job = _api(url, "schedule.json", [
        ("project", "arshif"), ("spider", "news"), ("source", "zagros"),
        ("sources", str(sources)), ("setting", f"ARSHIF_DB={db}"),
        ("setting", "AUTOTHROTTLE_ENABLED=False"), ("setting", "DOWNLOAD_DELAY=0"),
    ])
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 240
    while True:
        jobs = _api(url, "listjobs.json?project=arshif")
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(0.5)
    log = next((scrapyd_server["home"] / "logs" / "arshif" / "news").glob("*.log")).read_text()
    assert "Traceback" not in log, log[-4000:]
    zagros = next(o for o in sites.outlets if o.name == "zagros")
    want = {a["url"] for a in expected(zagros)["articles"] if a.get("on_topic", True)}
    assert want
    conn = sqlite3.connect(db)
    assert {r[0] for r in conn.execute("select url from articles")} == want
    assert conn.execute("select source, status from crawl_runs").fetchall() == [
        ("zagros", "finished")
    ]
