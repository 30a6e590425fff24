"""kreiss's one thread policy: how many threads its BLAS calls and its own chunk pool use.

The budget, :func:`threads`, is

* :func:`set_threads` (k, or None for automatic), else the environment variable
  ``KREISS_NUM_THREADS``, else the CPUs this process may run on (its affinity mask);
* never above an outer limit: ``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``,
  ``MKL_NUM_THREADS``, ``NUMBA_NUM_THREADS`` (Dask's nanny sets the first three to 1 in its
  workers), and the BLAS limit in force when the outermost kreiss call began (a caller's
  ``threadpoolctl.threadpool_limits(1)`` or a Dask worker's setting).

Inside the budget the two levels never multiply: the chunk pool of
:func:`.sigma_min.sigma_min_triangular` runs ``threads()`` chunks with one BLAS thread each,
and large single products get ``threads()`` BLAS threads (``blas_threads(None)``).  The
numba kernels are single-threaded (``nogil``: the pool runs them side by side).

``threadpoolctl.threadpool_limits`` rediscovers the loaded BLAS libraries on every call
(~2 ms with numpy, scipy and torch loaded), too slow around one matrix product.  One
``ThreadpoolController`` is kept instead, rebuilt only when new modules have been imported
(a new module may have loaded another BLAS).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import sys

from threadpoolctl import ThreadpoolController

from ..errors import InputError

__all__ = ["ENV", "OUTER_ENV", "blas_threads", "cores", "one_blas_thread", "set_threads",
           "threads"]

#: the environment variable that sets kreiss's thread budget
ENV = "KREISS_NUM_THREADS"
#: outer limits kreiss respects
OUTER_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")

_controller: ThreadpoolController | None = None
_modules_seen = -1
_setting: int | None = None
#: the BLAS limit found when the outermost kreiss call entered (None: not inside one)
_outer_blas: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "kreiss_outer_blas", default=None)


def _positive_int(value, what: str) -> int:
    try:
        k = int(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a whole number >= 1, got {value!r}") from None
    if k < 1 or k != float(value):
        raise InputError(f"{what} must be a whole number >= 1, got {value!r}")
    return k


def set_threads(k: int | None) -> None:
    """Set kreiss's thread budget to ``k`` (None: back to ``KREISS_NUM_THREADS`` or the
    CPUs); outer limits still apply (module docstring)."""
    global _setting
    _setting = None if k is None else _positive_int(k, "the number of threads")


def cores() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def threads() -> int:
    """The number of threads kreiss may use now (module docstring)."""
    if _setting is not None:
        k = _setting
    elif os.environ.get(ENV, "").strip():
        k = _positive_int(os.environ[ENV], ENV)
    else:
        k = cores()
    for name in OUTER_ENV:
        v = os.environ.get(name, "").strip()
        if v.isdigit() and int(v) >= 1:
            k = min(k, int(v))
    outer = _outer_blas.get()
    if outer is not None:
        k = min(k, outer)
    return max(1, k)


def _blas_controller() -> ThreadpoolController:
    global _controller, _modules_seen
    if _controller is None or len(sys.modules) != _modules_seen:
        _controller = ThreadpoolController()
        _modules_seen = len(sys.modules)
    return _controller


@contextlib.contextmanager
def blas_threads(k: int | None):
    """Context manager: at most ``k`` BLAS threads inside; None: :func:`threads`.  The
    outermost one records the BLAS limit it found, which then caps :func:`threads`."""
    ctl = _blas_controller()
    token = None
    if _outer_blas.get() is None:
        found = [lib.num_threads for lib in ctl.select(user_api="blas").lib_controllers]
        # max: a library built single-threaded (some solvers ship one) is not a limit
        token = _outer_blas.set(max(1, max(found)) if found else cores())
    try:
        limit = threads() if k is None else max(1, min(int(k), threads()))
        with ctl.limit(limits=limit, user_api="blas"):
            yield
    finally:
        if token is not None:
            _outer_blas.reset(token)


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
