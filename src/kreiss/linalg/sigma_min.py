"""sigma_min(zI - A) for many shifts z at once, from one Schur form.

For X = T - zI (T the triangular Schur factor), the largest eigenvalue of the Hermitian
M = X^{-1} X^{-H} = (X^H X)^{-1} is 1 / sigma_min(X)^2.  Lanczos on M (inverse Lanczos; Lui,
SIAM J. Sci. Comput. 18, 1997; Wright & Trefethen's EigTool) needs two triangular solves per
step, O(n^2).  Here all shifts run in lock step so that the solves are BLAS-3
(:mod:`.trisolve`), with per-shift convergence tests.

No reorthogonalisation, and no stored basis: only the largest eigenvalue is wanted, and in
floating point the three-term recurrence still delivers it, with the residual bound below
valid up to O(k eps ||M||) (Paige, *J. Inst. Math. Appl.* 18, 1976; Parlett, *The Symmetric
Eigenvalue Problem*, ch. 13); orthogonality is lost only once a Ritz value has converged,
and a converged shift stops.  This makes a step O(n) per shift beyond the solves (full
reorthogonalisation costs O(k n) and was a third of the time).

A Ritz value never exceeds lambda_max(M) (up to rounding), so each sigma is >= the true
sigma_min; a shift stops when |lambda_max - theta| <= tol * theta by the residual bound
(and, with the gap to the next Ritz value, its square over the gap), which bounds the
relative error of sigma by tol / 2.

**The floor.**  A backward-stable solve or SVD computes sigma_min of a matrix within
eps ||T|| of T - zI, so values below ``floor(T)`` = eps sqrt(||T||_1 ||T||_inf) carry no
digits.  Deep inside a pseudospectrum (sigma_min ~ 1e-79 inside Grcar(800)'s) the solves'
1/sigma and 1/sigma^2 would also overflow.  Every sigma is therefore reported as
max(sigma, floor): still an upper bound on sigma_min, never inf, never a warning; a shift
whose first solve exceeds 1 / floor (or overflows) has sigma_min <= floor and stops there.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from .threads import blas_threads, threads

if TYPE_CHECKING:
    from .trisolve import ShiftedTriangular

#: up to this n a dense SVD per shift is as fast as batched Lanczos.  Above it Lanczos wins,
#: for non-normal and for symmetric A alike (2500 shifts: Grcar(32) 0.25 s dense vs 0.03 s,
#: Grcar(128) 9.4 vs 0.12 s, random symmetric n = 128 0.90 vs 0.10 s); at 128 this was a
#: 70x cliff between n = 128 and 129
DENSE_MAX_N = 24
#: one or two shifts (local optimisation): a dense SVD beats Lanczos' Python overhead here
DENSE_FEW_SHIFTS_MAX_N = 160
#: shifts per batch: the solves' working set (n x chunk complex) stays cache-friendly
CHUNK_BYTES = 8 * 2**20
#: below this many (rows x shifts) per GEMM, BLAS runs on one thread
SMALL_GEMM = 20_000
#: at most this many chunks at once (each holds ~4 CHUNK_BYTES of working arrays)
MAX_WORKERS = 8


def _workers() -> int:
    """Chunks run side by side on this many threads: the thread budget (:mod:`.threads`),
    at most MAX_WORKERS."""
    return max(1, min(threads(), MAX_WORKERS))


def floor(T: np.ndarray) -> float:
    """The rounding level eps sqrt(||T||_1 ||T||_inf) >= eps ||T||_2 below which sigma_min(T - zI)
    is not resolved (module docstring)."""
    a = np.abs(T)
    return float(np.finfo(float).eps * np.sqrt(a.sum(axis=0).max())
                 * np.sqrt(a.sum(axis=1).max()))


def backward_error(n: int, norm: float, t: float) -> float:
    """delta = n eps (2 ||A|| + |t|): how far a computed sigma_min(zI - A), or a computed
    crossing of a level-set eigenproblem, may be from the true one for |z| <= ||A|| + |t|.
    Each is exact for some zI - A + E with ||E|| <= p(n) eps ||zI - A|| (backward
    stability; p(n) = n here), and sigma_min moves by at most ||E|| (Weyl's inequality)."""
    return n * float(np.finfo(float).eps) * (2 * norm + abs(t))


def _dense(T: np.ndarray, z: np.ndarray) -> np.ndarray:
    """One SVD per shift; real arithmetic (~4x cheaper) for a real T and real shifts."""
    n = T.shape[0]
    eye = np.eye(n)
    if np.iscomplexobj(T) or np.any(z.imag):
        T = np.asarray(T, dtype=complex)
    else:
        z = z.real
    sig = np.empty(z.size)
    step = max(1, 4096 // n)
    for s in range(0, z.size, step):
        X = T[None, :, :] - z[s : s + step, None, None] * eye
        sig[s : s + step] = np.linalg.svd(X, compute_uv=False)[:, -1]
    return sig


def _lanczos_chunk(op: ShiftedTriangular, T, z, tol, kmax, v0, lowest: float) -> np.ndarray:
    """Lanczos on M_k = (T - z_k)^{-1} (T - z_k)^{-H} for all shifts in lock step.

    Stops a shift when the Ritz value theta_1 of its largest eigenvalue is certified to
    relative accuracy ``tol`` by |lambda - theta| <= res and <= res^2 / (theta_1 - theta_2)
    (Parlett, ch. 11).  Shifts still unconverged after ``kmax`` steps (nearly equal smallest
    singular values) get a dense SVD: never a silent unconverged value.  A shift whose solve
    exceeds 1 / ``lowest`` (or overflows) gets ``lowest``: sigma_min <= 1 / ||(X^H)^{-1} q||.
    """
    from .tridiagonal import lanczos_test, three_term  # numba kernels: not on the dense path

    m = z.size
    sig = np.empty(m)
    act = np.arange(m)  # global indices of the shifts still iterating
    q = v0 / np.linalg.norm(v0, axis=0)
    q_prev = np.zeros_like(q)
    alpha = np.zeros((kmax, m))
    beta = np.zeros((kmax, m))
    live = np.ones(m, dtype=bool)  # among the current columns; compacted lazily
    shifts = op.shifts(z)
    for j in range(kmax):
        k = j + 1
        with np.errstate(over="ignore", invalid="ignore"):
            y = op.solve_adjoint(shifts, q)
            w = op.solve(shifts, y)
            deep = live & ~(np.isfinite(w).all(axis=0)
                            & (np.max(np.abs(y), axis=0) * lowest <= 1))
        if deep.any():  # below the floor: ||y|| >= max |y_i| > 1/lowest, so sigma < lowest
            sig[act[deep]] = lowest
            live &= ~deep
            w[:, deep] = 0
            if not live.any():
                return sig
        three_term(w.view(np.float64), q.view(np.float64), q_prev.view(np.float64),
                    beta[j - 1] if j else np.zeros(q.shape[1]), alpha[j], beta[j])
        q_prev, q = q, w
        with np.errstate(over="ignore", invalid="ignore"):
            theta, done = lanczos_test(alpha, beta, k, live, tol, lowest)  # False: not live
        if k == op.n:
            done = live.copy()
        sig[act[done]] = 1.0 / np.sqrt(theta[done])
        live &= ~done
        if not live.any():
            return sig
        if live.sum() < 0.8 * live.size:  # drop converged columns once a fifth has finished
            act, shifts = act[live], shifts.take(live)
            # (a boolean column mask does not give C order; the kernels want it)
            q, q_prev, alpha, beta = (np.ascontiguousarray(x[:, live])
                                      for x in (q, q_prev, alpha, beta))
            live = live[live]
    # unconverged after kmax steps: exact dense SVD for those shifts
    rest = act[live]
    sig[rest] = _dense(T, z[rest])
    return sig


def sigma_min_triangular(
    T: np.ndarray,
    z,
    *,
    tol: float = 1e-10,
    maxiter: int | None = None,
    seed: int = 0,
    op: ShiftedTriangular | None = None,
    method: str = "auto",
) -> np.ndarray:
    """sigma_min(T - z I) for a (quasi) upper-triangular T and each shift in ``z``.

    T: a complex Schur factor, or the real quasi-triangular one of a real matrix
    (:class:`.ShiftedTriangular`).  ``method``: "dense" (one SVD per shift, O(n^3) each,
    exact), "lanczos" (batched inverse Lanczos, O(n^2) per step and shift; a shift still
    unconverged after ``maxiter`` steps, default max(150, n / 4), gets a dense SVD, which
    costs as much as ~200 steps at n = 1000: clustered smallest singular values outside
    Grcar(1600)'s pseudospectrum need ~400 steps, and 19 fallbacks took 28 of a 31 s grid
    with 150) or "auto" (dense for tiny n or one or two shifts).  Returns ``sigma`` shaped
    like ``z``, floored at :func:`floor`.
    """
    zz = np.atleast_1d(np.asarray(z, dtype=complex))
    shape = zz.shape
    zz = zz.ravel()
    n = T.shape[0]
    if method == "auto":
        small = n <= DENSE_MAX_N or (zz.size <= 2 and n <= DENSE_FEW_SHIFTS_MAX_N)
        method = "dense" if small else "lanczos"
    lowest = floor(T)
    if method == "dense":
        return np.maximum(_dense(T, zz), lowest).reshape(shape)
    if op is None:
        from .trisolve import ShiftedTriangular

        op = ShiftedTriangular(T)
    kmax = min(n, max(150, n // 4) if maxiter is None else int(maxiter))
    chunk = max(1, int(CHUNK_BYTES // (16 * n)))
    sig = np.empty(zz.size)
    workers = _workers()
    count = -(-zz.size // chunk)
    if count < workers and n * zz.size >= workers * SMALL_GEMM:
        count = workers  # more, thinner chunks, but every core busy
    chunk = -(-zz.size // count)  # balanced
    slices = [slice(s, s + chunk) for s in range(0, zz.size, chunk)]

    def run(k):
        # complex Gaussian start, from a generator of its own (the same in any thread order)
        z = zz[slices[k]]
        start = np.random.default_rng([seed, k]).standard_normal((n, 2 * z.size))
        sig[slices[k]] = _lanczos_chunk(op, T, z, tol, kmax, start.view(complex), lowest)

    if workers > 1 and len(slices) > 1:
        # chunks side by side, one BLAS thread each: the sweeps, the three-term update and
        # the stopping test (numba, nogil) then use every core too, not only the GEMMs
        # (Grcar(400) grid 2.2 -> 1.85 s, block-triangular n = 400 1.8 -> 1.2 s on 2 cores)
        with blas_threads(1), ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, range(len(slices))))
    else:
        # small GEMMs: BLAS threads only add synchronisation (8x slower on a loaded box)
        with blas_threads(1 if n * chunk < SMALL_GEMM else None):
            for k in range(len(slices)):
                run(k)
    return np.maximum(sig, lowest).reshape(shape)
