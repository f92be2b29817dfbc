"""`python -m bench load`: concurrent mixed requests against a real `arshif serve` on 127.0.0.1.

An asyncio client with no dependencies (HTTP/1.1, one connection per request, read to EOF):
N requests at once (search box, canned search, article pages, JSON, CSV), each bounded by a
timeout; then the latency of a cheap request sent while the worst-case request runs.
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import ROOT

HOST = "127.0.0.1"  # never anywhere else
WORDS = ["داعش", "العراق", "الحشد الشعبي", "النفط", "كركوك", "الموصل", "الانتخابات", "بغداد",
         "الدولة الإسلامية", "البرلمان"]
CHEAP = "/{db}/articles/{id}.json"
# The worst-case requests an attacker can send today (issue 15, items 1–3): the one that takes
# longest alone is the one the cheap request is measured against.
WORST = {
    "snippet of a 10,000-letter word": "/{db}/articles/{id}?_search=" + quote(
        "ي" * 5000 + "ب" + "ي" * 4999),
    "10,000-character table search": "/{db}/articles?_search=" + quote(("داعش " * 2000)[:10000]),
    "relevance over every match": "/{db}/search?q=" + quote("في") + "&sort=relevance&scope=all",
}


async def fetch(path: str, port: int, timeout: float) -> tuple[int, float, int]:
    """GET path: (status or 0 on failure, seconds, body bytes)."""
    start = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
                         "Connection: close\r\n\r\n".encode())
            await writer.drain()
            data = await reader.read()
            writer.close()
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
        return status, time.perf_counter() - start, len(data)
    except (TimeoutError, OSError, ValueError, IndexError):
        return 0, time.perf_counter() - start, 0


def mixed_paths(db_path: Path, n: int, seed: int = 15) -> list[str]:
    """n request paths, a fixed mix: search box, canned search, article page, JSON, CSV."""
    db = db_path.stem
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    ids = [r[0] for r in conn.execute("select id from articles")]
    conn.close()
    rnd = random.Random(seed)
    kinds = [
        lambda w, i: f"/{db}/articles?_search={quote(w)}",
        lambda w, i: f"/{db}/search?q={quote(w)}",
        lambda w, i: f"/{db}/articles/{i}",
        lambda w, i: f"/{db}/articles/{i}?_search={quote(w)}",
        lambda w, i: f"/{db}/articles.json?_search={quote(w)}",
        lambda w, i: f"/{db}/search.json?q={quote(w)}&sort=relevance",
        lambda w, i: f"/{db}/articles.csv?_search={quote(w)}",
    ]
    return [kinds[k % len(kinds)](rnd.choice(WORDS), rnd.choice(ids)) for k in range(n)]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def burst(paths: list[str], port: int, timeout: float) -> dict[str, Any]:
    """All paths at once; latency percentiles in ms, errors (non-200 or failed) and rate."""
    start = time.perf_counter()
    results = await asyncio.gather(*(fetch(p, port, timeout) for p in paths))
    wall = time.perf_counter() - start
    times = [t * 1000 for _, t, _ in results]
    errors = [(p, s) for p, (s, _, _) in zip(paths, results, strict=True) if s != 200]
    return {"requests": len(paths), "errors": len(errors), "error_samples": errors[:5],
            "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
            "max_ms": max(times), "wall_s": wall, "req_s": len(paths) / wall}


async def cheap_during_worst(db: str, article: int, port: int) -> dict[str, Any]:
    """Each worst-case request alone, then a cheap request sent 50 ms into the slowest one."""
    alone = {}
    for name, template in WORST.items():
        status, seconds, size = await fetch(template.format(db=db, id=article), port, 60)
        alone[name] = {"status": status, "ms": seconds * 1000, "bytes": size}
    worst = max(alone, key=lambda k: alone[k]["ms"])
    cheap = CHEAP.format(db=db, id=article)
    quiet = min([(await fetch(cheap, port, 10))[1] for _ in range(5)]) * 1000
    slow = asyncio.create_task(fetch(WORST[worst].format(db=db, id=article), port, 60))
    await asyncio.sleep(0.05)
    status, seconds, _ = await fetch(cheap, port, 30)
    await slow
    return {"worst_alone": alone, "worst": worst, "cheap_idle_ms": quiet,
            "cheap_during_worst_ms": seconds * 1000, "cheap_status": status}


def start_server(db_path: Path, port: int, workers: int, cache: bool = True) -> subprocess.Popen:
    """`arshif serve` (public mode) on HOST:port, ready when /robots.txt answers."""
    # --no-upgrade: the bench never writes to the archive it serves (the 1,000,000-article one
    # belongs to another bench and is only read).
    cmd = [sys.executable, "-c", "from crawler.cli.app import main; main()", "serve",
           "--db", str(db_path), "--host", HOST, "--port", str(port), "--no-upgrade"]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    env = {**os.environ, **({} if cache else {"ARSHIF_CACHE_MB": "0"})}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/robots.txt", timeout=2):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "") from None
            time.sleep(0.2)


def tree_cpu_s(pid: int) -> float:
    """User+system CPU seconds of process pid and its live descendants (from /proc)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    tree, total = {pid}, 0
    for _ in range(3):  # serve -> uvicorn workers (and the multiprocessing helper)
        tree |= {p for p, (ppid, _) in stats.items() if ppid in tree}
    total = sum(stats[p][1] for p in tree if p in stats)
    return total / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A free TCP port on HOST."""
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def load_bench(db_path: Path, requests: int, workers: list[int], timeout: float,
               cache: bool = True) -> dict:
    """For each worker count: warm the workers, a cold burst of `requests` concurrent requests,
    the same burst again (served from the response cache), the cheap request during the worst
    case; print a line per run. cache=False serves with ARSHIF_CACHE_MB=0."""
    if not db_path.is_file():
        raise SystemExit(f"no archive at {db_path}: arshif demo --db {db_path} --all-topics")
    paths = mixed_paths(db_path, requests)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    article = conn.execute("select min(id) from articles").fetchone()[0]
    conn.close()
    # Warm-up URLs never measured: they compile templates and open connections in every worker.
    warm = [f"/{db_path.stem}/articles?_size=1&_warm={i}" for i in range(40)]
    out: dict[str, Any] = {"db": str(db_path), "requests": requests, "cores": os.cpu_count(),
                           "cache": cache, "runs": []}
    for n in workers:
        port = free_port()
        proc = start_server(db_path, port, n, cache)
        try:
            asyncio.run(burst(warm, port, timeout))
            cpu, client_cpu = tree_cpu_s(proc.pid), time.process_time()
            cold = asyncio.run(burst(paths, port, timeout))
            # The server's own CPU per request: what the shared machine's load does not change;
            # the client's, because it runs on the same cores.
            cold["server_cpu_ms_per_request"] = (tree_cpu_s(proc.pid) - cpu) * 1000 / requests
            cold["client_cpu_ms_per_request"] = (time.process_time() - client_cpu) * 1000 / requests
            again = asyncio.run(burst(paths, port, timeout))
            stall = asyncio.run(cheap_during_worst(db_path.stem, article, port))
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        out["runs"].append({"workers": n, "cold": cold, "repeated": again, **stall})
        for name, load in (("cold", cold), ("repeated", again)):
            print(f"workers={n} cache={'on' if cache else 'off'} {name}: {load['requests']} "
                  f"concurrent, errors {load['errors']}, p50 {load['p50_ms']:.0f} ms, "
                  f"p95 {load['p95_ms']:.0f} ms, max {load['max_ms']:.0f} ms, "
                  f"{load['req_s']:.0f} req/s"
                  + (f", server CPU {load['server_cpu_ms_per_request']:.1f} ms/request, "
                     f"client {load['client_cpu_ms_per_request']:.1f}"
                     if "server_cpu_ms_per_request" in load else ""), flush=True)
            if load["error_samples"]:
                print(f"  errors, e.g.: {load['error_samples']}")
        print(f"workers={n}: worst alone: {stall['worst']} "
              f"{stall['worst_alone'][stall['worst']]['ms']:.0f} ms; cheap request "
              f"{stall['cheap_idle_ms']:.0f} ms idle, {stall['cheap_during_worst_ms']:.0f} ms "
              f"during it", flush=True)
    return out
