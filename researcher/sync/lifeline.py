"""Parse workers that die with the sync that started them, however it ends (kill -9 included).

A worker of the process pool is a child of multiprocessing's fork server, not of the sync, and it
holds its own task queue's write end: nothing ever tells it that the sync is gone, so it would wait
for work forever, and with it the fork server (which exits when the last holder of its "alive"
pipe does) and the resource tracker (when the last holder of its pipe does), all three holding the
sync's stderr open. So each worker watches the sync's process itself, and dies with the fork server
too. Imported by the fork server (preloaded) and the workers; importing it changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_SECONDS = 0.5  # without a pidfd (an old kernel, a sandbox refusing it): how often to look


def guard_worker(owner_pid: int) -> None:
    """ProcessPoolExecutor initializer: die with `owner_pid` (the sync) or with the fork server, leave
    the sync's terminal and pipes alone, and leave Ctrl-C to the sync (it shuts the pool down).
    Never raises: a worker without its guard still parses."""
    with contextlib.suppress(OSError, ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _stdio_to_devnull()
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent or not alive(owner_pid):
        os._exit(1)  # gone before the guard was in place
    with contextlib.suppress(RuntimeError):
        threading.Thread(target=_watch, args=(owner_pid, parent), name="researcher-lifeline", daemon=True).start()


def _stdio_to_devnull() -> None:
    # A caller reading the sync's stdout or stderr to their end must not wait for a worker.
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            os.dup2(devnull, fd)
    os.close(devnull)


def _die_with_parent() -> None:
    """The kernel kills this process when its parent (the fork server) exits."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watch below still sees the parent change


def alive(pid: int) -> bool:
    """Whether a process of this machine runs with this pid (someone else's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watch(owner_pid: int, parent: int) -> None:
    """Exit the moment the sync's process ends (or, failing a pidfd, within POLL_SECONDS), or when this
    process has been handed to another parent."""
    try:
        pidfd = os.pidfd_open(owner_pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        pidfd = None
    while True:
        if pidfd is not None:
            ended = bool(select.select([pidfd], [], [], POLL_SECONDS * 2)[0])
        else:
            time.sleep(POLL_SECONDS)
            ended = not alive(owner_pid)
        if ended or os.getppid() != parent:
            os._exit(1)
