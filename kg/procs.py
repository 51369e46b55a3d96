"""Worker processes that end with the process that started them.

A pool's workers wait for work from their parent; a parent killed with ``kill -9`` (or by
the OOM killer) cannot tell them to stop, and they would wait for ever. Each worker watches
its parent instead and exits when it is gone.
"""

from __future__ import annotations

import os
import threading
import time

POLL_S = 0.5


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
