"""End worker processes with the process that started them, even when it dies by SIGKILL.

A killed crawl (OOM, a cron timeout, kill -9) runs no cleanup, and its ProcessPoolExecutor
workers would otherwise wait forever on a queue nobody writes, reparented to init; repeated
killed runs pile them up. Each worker runs `die_with_parent` as its pool initializer: on Linux
the kernel sends it SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG), and a daemon thread
watching os.getppid() covers other platforms. Multiprocessing's resource tracker needs nothing:
it exits once the last process holding its pipe (the crawl and its workers) is gone.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_SECONDS = 0.5  # how often the fallback thread looks at the parent pid


def _set_pdeathsig() -> bool:
    """Ask the Linux kernel to SIGKILL this process when its parent ends; False if unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):  # no libc symbol (musl builds without prctl, …)
        return False


def _watch(parent: int) -> None:
    # Reparenting changes getppid() (to 1 or a subreaper): the parent is gone.
    while os.getppid() == parent:
        threading.Event().wait(WATCH_SECONDS)
    os._exit(1)  # no cleanup: there is nobody left to hand results to


def die_with_parent(parent: int) -> None:
    """Pool initializer: end this worker when process `parent` ends, however it ends."""
    _set_pdeathsig()
    # PR_SET_PDEATHSIG only covers a parent that dies after the call; checking after it closes
    # the race of a parent killed while this worker was starting.
    if os.getppid() != parent:
        os._exit(1)
    # Also on Linux: PDEATHSIG fires when the *thread* that spawned us ends, so the pool must be
    # started from a long-lived thread (it is: the reactor's); the watch is the backstop.
    threading.Thread(target=_watch, args=(parent,), name="arshif-parent-watch",
                     daemon=True).start()
