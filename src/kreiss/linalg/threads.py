"""BLAS thread limits that are cheap to set many times.

``threadpoolctl.threadpool_limits`` rediscovers the loaded BLAS libraries on every call
(~2 ms with numpy, scipy and torch loaded), too slow around one matrix product.  One
``ThreadpoolController`` is kept instead, rebuilt only when new modules have been imported
(a new module may have loaded another BLAS).
"""

from __future__ import annotations

import functools
import os
import sys

from threadpoolctl import ThreadpoolController

_controller: ThreadpoolController | None = None
_modules_seen = -1


def blas_threads(k: int | None):
    """Context manager: at most ``k`` BLAS threads inside; None: one per core, also inside
    an outer limit (threadpoolctl's own ``limits=None`` leaves an outer limit in force, so a
    large product inside a ``one_blas_thread`` caller ran on one thread)."""
    global _controller, _modules_seen
    if _controller is None or len(sys.modules) != _modules_seen:
        _controller = ThreadpoolController()
        _modules_seen = len(sys.modules)
    return _controller.limit(limits=cores() if k is None else int(k), user_api="blas")


def cores() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def one_blas_thread(func):
    """Run ``func`` with a single BLAS thread.

    These algorithms make many small or medium BLAS/LAPACK calls, where threads mostly add
    synchronisation (on a loaded 2-core machine, many times slower).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with blas_threads(1):
            return func(*args, **kwargs)

    return wrapper
