"""kreiss's thread policy (:mod:`kreiss.linalg.threads`): its own setting, and outer limits
(environment variables, threadpoolctl) that it must never exceed."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from kreiss.errors import InputError
from kreiss.linalg import sigma_min, threads


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    for name in (threads.ENV, *threads.OUTER_ENV):
        monkeypatch.delenv(name, raising=False)
    threads.set_threads(None)
    yield
    threads.set_threads(None)


def blas_now() -> int:
    return max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")


def test_setting_env_and_outer_env(monkeypatch):
    assert threads.threads() == threads.cores()
    monkeypatch.setenv(threads.ENV, "3")
    assert threads.threads() == 3
    threads.set_threads(5)  # the function wins over the variable ...
    assert threads.threads() == 5
    monkeypatch.setenv("OMP_NUM_THREADS", "2")  # ... and an outer limit over both
    assert threads.threads() == 2
    monkeypatch.setenv("NUMBA_NUM_THREADS", "1")
    assert threads.threads() == 1


@pytest.mark.parametrize("bad", ["0", "-2", "two", "1.5"])
def test_bad_settings_are_one_line_errors(monkeypatch, bad):
    monkeypatch.setenv(threads.ENV, bad)
    with pytest.raises(InputError, match=threads.ENV):
        threads.threads()
    with pytest.raises(InputError):
        threads.set_threads(0)


def test_outer_threadpool_limit_is_respected():
    threads.set_threads(4)
    with threadpool_limits(1, user_api="blas"):
        with threads.blas_threads(None):
            assert blas_now() == 1
            assert threads.threads() == 1
            assert sigma_min._workers() == 1
    # without an outer limit, kreiss's own one-thread sections do not cap the budget of a
    # large product nested inside them
    default = blas_now()
    with threads.blas_threads(1):
        assert blas_now() == 1
        with threads.blas_threads(None):
            assert threads.threads() == min(4, default)
            assert blas_now() == min(4, default)


def test_one_thread_budget_gives_the_same_numbers():
    # the policy changes where work runs, never the result (n > 128: the chunked Lanczos
    # path; Grcar(150))
    from kreiss import pseudospectra

    A = np.triu(np.ones((150, 150))) - np.triu(np.ones((150, 150)), 4) - np.eye(150, k=-1)
    a = pseudospectra(A, npts=12).sigma_min
    threads.set_threads(1)
    b = pseudospectra(A, npts=12).sigma_min
    np.testing.assert_allclose(a, b, rtol=1e-10)


def test_a_local_cluster_leaves_the_callers_budget_alone():
    # Dask writes OMP_NUM_THREADS=1 (and more) into the parent's environment for its
    # workers and leaves it there: kreiss would then run single-threaded ever after
    import os

    from kreiss.cells import local_cluster

    before = threads.threads()
    with local_cluster(1) as client:
        assert client.submit(threads.threads).result() == 1  # a worker: one thread
    assert os.environ.get("OMP_NUM_THREADS") is None and threads.threads() == before
