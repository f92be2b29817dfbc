"""Run and measure: subprocesses reaped with wait4 (CPU and peak RSS of the process tree),
the site server as a context manager, and the result rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench import ROOT


@dataclass
class Row:
    """One benchmark row: what ran, how many pages, and what it cost."""

    key: str
    label: str
    pages: int = 0
    wall: float = 0.0
    cpu: float = 0.0  # user+sys seconds of the measured process tree
    rss_mb: float = 0.0  # peak resident set of the largest process in the tree
    others: float = 0.0  # cores used meanwhile by every other process on the machine
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Pages per second of wall time."""
        return self.pages / self.wall if self.wall and self.pages else 0.0

    @property
    def cpu_per_page(self) -> float:
        """CPU seconds per page."""
        return self.cpu / self.pages if self.pages else 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with the derived figures."""
        return asdict(self) | {"pages_s": self.rate, "cpu_s_per_page": self.cpu_per_page}


@dataclass
class Measured:
    """What a measured subprocess did: exit code, wall time, CPU, peak RSS and its output."""

    code: int
    wall: float
    cpu: float
    rss_mb: float
    stdout: str
    others: float = 0.0  # mean cores busy with other processes while it ran


    def last_json(self) -> dict[str, Any]:
        """The last line of stdout that parses as a JSON object (workers report that way)."""
        for line in reversed(self.stdout.splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError(f"no JSON result in output (exit {self.code}): {self.stdout[-2000:]}")


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat)."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def run_measured(cmd: list[str], log: Path | None = None, env: dict | None = None) -> Measured:
    """Run cmd to completion; CPU and peak RSS come from wait4 on this child alone.

    wait4's rusage covers the child and every descendant it waited for, so it is the cost of
    the whole process tree without anything else this harness ran before.
    """
    err = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    t0, busy0 = time.perf_counter(), machine_busy()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=err,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    out = proc.stdout.read() if proc.stdout else b""
    _, status, ru = os.wait4(proc.pid, 0)
    wall, busy = time.perf_counter() - t0, machine_busy() - busy0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if log:
        err.close()
    cpu = ru.ru_utime + ru.ru_stime
    return Measured(proc.returncode, wall, cpu, ru.ru_maxrss / 1024,
                    out.decode("utf-8", "replace"), max(0.0, (busy - cpu) / wall))


class Server:
    """The site server in its own process (python -m bench.server SITE)."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.proc: subprocess.Popen[bytes] | None = None
        self.base = ""

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.server", str(self.site)],
                                     cwd=ROOT, stdout=subprocess.PIPE)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode().strip()
        if not line.startswith("ready "):
            self.proc.kill()
            raise RuntimeError(f"site server did not start: {line!r}")
        self.base = line.split()[1]
        return self

    def stats(self) -> dict[str, float]:
        """Requests served so far and the server's own CPU seconds."""
        with urllib.request.urlopen(self.base + "/__stats", timeout=10) as resp:
            return json.loads(resp.read())

    def __exit__(self, *exc: object) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)


def fmt_table(rows: list[Row], bare_rate: float) -> str:
    """The comparison table, one line per row."""
    head = (f"{'row':<44} {'pages':>6} {'wall s':>7} {'pages/s':>8} {'CPU ms/page':>11} "
            f"{'peak RSS MB':>12} {'vs (a)':>7} {'others':>7}")
    lines = [head, "-" * len(head)]
    for r in rows:
        if not r.pages:
            lines.append(f"{r.label:<44} {'—':>6}  {r.note}")
            continue
        ratio = f"{r.rate / bare_rate:.2f}" if bare_rate else "—"
        lines.append(f"{r.label:<44} {r.pages:>6} {r.wall:>7.1f} {r.rate:>8.1f} "
                     f"{r.cpu_per_page * 1000:>11.2f} {r.rss_mb:>12.0f} {ratio:>7} "
                     f"{r.others:>7.2f}")
        if r.note:
            lines.append(f"{'':<46}↳ {r.note}")
    return "\n".join(lines)
