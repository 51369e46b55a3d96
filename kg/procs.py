"""Worker processes that end with the process that started them, and say what they are.

A pool's workers wait for work from their parent; a parent killed with ``kill -9`` (or by
the OOM killer) cannot tell them to stop, and they would wait for ever. Each worker watches
its parent instead and exits when it is gone.

Spawned workers all have the same command line; a name of their own (``kg-named``,
``kg-sparql``...) tells them apart in ``top``/``ps`` and lets ``make load`` say where the
CPU went.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time

POLL_S = 0.5
NAME_MAX = 15  # Linux keeps 15 bytes of a task's name


def set_name(name: str) -> None:
    """Name the calling thread (in a process's main thread: the process) as the kernel sees
    it, where Linux allows it; elsewhere nothing happens.

    >>> set_name("kg-doc")  # ps -o comm and /proc/<pid>/task/<tid>/comm now show it
    """
    with contextlib.suppress(OSError):
        path = f"/proc/self/task/{threading.get_native_id()}/comm"
        with open(path, "w", encoding="ascii") as fh:
            fh.write(name[:NAME_MAX])


def watch_parent(parent: int) -> None:
    """In a worker (a pool's initializer): exit as soon as process ``parent`` is gone.

    The check is whether this process's parent is still ``parent``: an orphan is adopted
    by another process, so ``os.getppid()`` changes the moment the parent dies.

    >>> watch_parent(os.getppid())  # returns at once; a daemon thread keeps watching
    """
    threading.Thread(target=_exit_without, args=(parent,), daemon=True).start()


def _exit_without(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_S)
    os._exit(0)
