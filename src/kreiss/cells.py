"""Independent cells, run in this process or on Dask: the one engine of ``kreiss sweep``,
``kreiss reproduce`` and ``kreiss audit``.

A cell is a top-level function and its (small, picklable) arguments; each is built and
computed where it runs.  Without a client, a plain loop; with a ``dask.distributed.Client``
(a LocalCluster, or a scheduler address for a real cluster), one task per cell.  Dask is
imported only then.  Used by every layer that has independent pieces, so it sits at the
bottom beside :mod:`kreiss.errors`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

__all__ = ["local_cluster", "run_cells"]

#: what Dask's LocalCluster writes into the parent's environment for its workers
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                "MALLOC_TRIM_THRESHOLD_")


def run_cells(fn: Callable, cells: list[tuple], *, client=None,
              done: Callable[[int, object], None] | None = None,
              failed: Callable[[int, BaseException], None] | None = None) -> list:
    """``fn(*cell)`` for every cell, in this process (``client`` None) or as Dask tasks on
    ``client``; the results in the cells' order.  ``done(i, result)`` as each finishes (in
    completion order).  A task Dask gives up on (its worker died too often) raises, or goes
    to ``failed(i, exc)`` (its result stays None).  The one engine of sweeps, ``reproduce``
    and ``audit``: independent pieces, each built where it runs, nothing large crossing the
    wire."""
    results: list = [None] * len(cells)
    if client is None:
        for i, cell in enumerate(cells):
            results[i] = fn(*cell)
            if done is not None:
                done(i, results[i])
        return results
    from dask.distributed import as_completed

    futures = [client.submit(fn, *cell, pure=False) for cell in cells]
    index = {f.key: i for i, f in enumerate(futures)}
    try:
        for fut in as_completed(futures):
            i = index[fut.key]
            try:
                results[i] = fut.result()
            except Exception as exc:
                if failed is None:
                    raise
                failed(i, exc)
                continue
            if done is not None:
                done(i, results[i])
    except BaseException:
        for f in futures:
            f.cancel()
        raise
    return results


@contextlib.contextmanager
def local_cluster(workers: int):
    """A Client of a new LocalCluster with ``workers`` single-threaded processes (one BLAS
    thread per task: the nanny gives its workers OMP_NUM_THREADS=1 etc., which kreiss's
    thread policy respects).  Dask sets those variables in *this* process's environment
    to hand them down and leaves them there; they are restored on exit, so the caller's
    own thread budget is not cut to one for the rest of its life."""
    from dask.distributed import Client, LocalCluster

    saved = {k: os.environ.get(k) for k in _THREAD_VARS}
    try:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
