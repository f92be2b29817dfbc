"""A crawl killed with SIGKILL leaves no process behind: workers and resource tracker end too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO
from tests.faults.conftest import QUICK
from tests.faults.server import FaultSite


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(ppid, state, start time) of a live process, None once it has ended."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = raw[raw.rindex(")") + 2:].split()  # the command name may contain spaces
    return int(fields[1]), fields[0], fields[19]


def descendants(root: int) -> dict[int, str]:
    """Every live descendant of root (pid -> start time), from /proc/*/stat ppids."""
    children: dict[int, list[int]] = {}
    starts: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        info = _stat(int(entry.name))
        if info and info[1] != "Z":
            children.setdefault(info[0], []).append(int(entry.name))
            starts[int(entry.name)] = info[2]
    found: dict[int, str] = {}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = starts[child]
            todo.append(child)
    return found


def cmdline(pid: int) -> str:
    """A process's command line, spaces between the arguments ('' once it has ended)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def alive(pid: int, start: str) -> bool:
    """True while that very process (same pid and start time: no pid reuse) has not ended."""
    info = _stat(pid)
    return info is not None and info[2] == start and info[1] != "Z"  # a zombie has ended


def test_sigkill_of_the_crawl_ends_its_workers_and_resource_tracker(tmp_path):
    with FaultSite(delay=0.3, good=60) as site:
        sources = site.write_sources(tmp_path / "sources.yaml", faults=False)
        log = open(tmp_path / "crawl.log", "w+b")  # a pipe could fill and stall the crawl
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources),
             "--db", str(tmp_path / "arshif.db"), *QUICK, "-s", "ARSHIF_WORKERS=2",
             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=log,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        kids: dict[int, str] = {}
        try:
            deadline = time.monotonic() + 120
            # Both workers spawned (one per submitted page, up to ARSHIF_WORKERS) and the tracker.
            while proc.poll() is None and time.monotonic() < deadline:
                kids = descendants(proc.pid)
                lines = [cmdline(p) for p in kids]
                if (sum("spawn_main" in c for c in lines) >= 2
                        and any("resource_tracker" in c for c in lines)):
                    break
                time.sleep(0.05)
            assert proc.poll() is None, (
                "the crawl ended before its workers were seen: "
                + (tmp_path / "crawl.log").read_text(errors="replace")[-2000:])
            kids = descendants(proc.pid)
            names = {p: cmdline(p) for p in kids}
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and any(alive(p, s) for p, s in kids.items()):
                time.sleep(0.05)
            left = {p: names[p] for p, s in kids.items() if alive(p, s)}
        finally:
            for pid, start in kids.items():  # never leave survivors to the rest of the suite
                if alive(pid, start):
                    os.kill(pid, signal.SIGKILL)
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            log.close()
    assert len(names) >= 3, names
    assert not left, f"processes outlived the killed crawl: {left}"


def test_parent_watch_alone_ends_an_orphan(tmp_path):
    """The fallback of platforms without PR_SET_PDEATHSIG: the getppid() watch thread."""
    # parent -> child; the child runs only the watch (no prctl) and reports its pid.
    child_code = ("import os; from pipelines.lifeline import _watch; parent = os.getppid(); "
                  "print(os.getpid(), flush=True); _watch(parent)")
    parent_code = ("import subprocess, sys, time; "
                   f"subprocess.Popen([sys.executable, '-c', {child_code!r}]); time.sleep(600)")
    out = tmp_path / "child.pid"
    with open(out, "w") as fh:
        parent = subprocess.Popen([sys.executable, "-c", parent_code], cwd=REPO, stdout=fh)
    deadline = time.monotonic() + 30
    while not out.read_text().strip() and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(out.read_text().split()[0])
    start = _stat(child)[2]
    assert alive(child, start)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while alive(child, start) and time.monotonic() < deadline:
        time.sleep(0.05)
    ended = not alive(child, start)
    if not ended:
        os.kill(child, signal.SIGKILL)
    assert ended, "the watch thread did not end the orphaned child"
