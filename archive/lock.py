"""One crawl at a time per archive: a lock file beside the database, created atomically.

The lock is written to a temporary file first and then hard-linked into place (link fails if
the lock exists), so a lock file is never seen empty: an empty or unparseable one was left by
a crash or a full disk and is stale at once. The path is resolved, so the same archive reached
through a symlink has the same lock.
"""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# A lock from another host cannot be checked for a live pid; trust it this long.
STALE_HOURS = 12.0


class Locked(RuntimeError):
    """Another live run holds the archive's lock."""

    def __init__(self, path: Path, holder: dict[str, Any]) -> None:
        self.path = path
        self.holder = holder
        super().__init__(
            f"another crawl is running on this archive: pid {holder.get('pid')} on "
            f"{holder.get('host')}, started {holder.get('started')} (lock file {path}; delete it "
            "only if that process is gone)"
        )


def lock_path(db_path: str | Path) -> Path:
    """The lock file of an archive: '<db>.lock' beside the real file (symlinks resolved)."""
    db_path = Path(db_path).resolve()
    return db_path.with_name(db_path.name + ".lock")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_stale(path: Path, holder: dict[str, Any] | None, stale_hours: float = STALE_HOURS) -> bool:
    """True when the lock's holder is certainly gone (or too old to trust)."""
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return True
    if not isinstance(holder, dict) or not isinstance(holder.get("pid"), int):
        return True  # never written whole (see the module's docstring): nobody holds it
    if holder.get("host") == socket.gethostname():
        return not _pid_alive(holder["pid"])
    return age > stale_hours * 3600


def hold(db_path: str | Path) -> RunLock | None:
    """Take the lock for a crawl started without the CLI (scrapy crawl, scrapyd); None if held."""
    holder = _read(lock_path(db_path))
    if holder and holder.get("pid") == os.getpid() and holder.get("host") == socket.gethostname():
        return None  # `arshif crawl` took it for this process already
    return RunLock(db_path).acquire()


class RunLock:
    """`with RunLock(db):` — raises Locked while another live run holds the archive."""

    def __init__(self, db_path: str | Path, stale_hours: float = STALE_HOURS) -> None:
        self.path = lock_path(db_path)
        self.stale_hours = stale_hours
        self.held = False
        self.stale_removed: dict[str, Any] | None = None

    def acquire(self) -> RunLock:
        """Create the lock file, replacing a stale one; raise Locked if a live run holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            info = {
                "pid": os.getpid(), "host": socket.gethostname(),
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            try:
                tmp.write_text(json.dumps(info), "utf-8")
                os.link(tmp, self.path)  # atomic, and fails when the lock exists
            except FileExistsError:
                holder = _read(self.path)
                if not is_stale(self.path, holder, self.stale_hours):
                    raise Locked(self.path, holder or {}) from None
                self.stale_removed = holder if isinstance(holder, dict) else {}
                self.path.unlink(missing_ok=True)
                continue
            finally:
                tmp.unlink(missing_ok=True)  # also when the disk is full: no empty file left
            self.held = True
            return self
        raise Locked(self.path, _read(self.path) or {})

    def release(self) -> None:
        """Remove the lock file if this process still owns it."""
        if not self.held:
            return
        holder = _read(self.path)
        if holder and holder.get("pid") == os.getpid():
            self.path.unlink(missing_ok=True)
        self.held = False

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
