"""sigma_min(zI - A) for many shifts z at once, from one Schur form.

For X = T - zI (T the triangular Schur factor), the largest eigenvalue of the Hermitian
M = X^{-1} X^{-H} = (X^H X)^{-1} is 1 / sigma_min(X)^2 and its eigenvector is the right
singular vector of sigma_min.  Lanczos on M (inverse Lanczos; Lui, SIAM J. Sci. Comput. 18,
1997; Wright & Trefethen's EigTool) needs two triangular solves per step, O(n^2).  Here all
shifts run in lock step so that the solves are BLAS-3 (:mod:`.trisolve`), with full
reorthogonalisation and per-shift convergence tests.

A Lanczos Ritz value never exceeds lambda_max(M), so each returned sigma is >= the true
sigma_min up to rounding; it stops when the Ritz residual ||M y - theta y|| <= tol * theta,
which bounds the relative error of sigma by tol / 2 (and by O(tol^2) given a spectral gap).
"""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from .trisolve import ShiftedTriangular

DENSE_MAX_N = 24
#: one or two shifts (local optimisation): a dense SVD beats Lanczos' Python overhead here
DENSE_FEW_SHIFTS_MAX_N = 160
CHUNK_BYTES = 192 * 2**20


def _dense(T: np.ndarray, z: np.ndarray, want_vectors: bool):
    n = T.shape[0]
    eye = np.eye(n)
    sig = np.empty(z.size)
    V = np.empty((n, z.size), dtype=complex) if want_vectors else None
    step = max(1, 4096 // n)
    for s in range(0, z.size, step):
        X = T[None, :, :] - z[s : s + step, None, None] * eye
        if want_vectors:
            _, sv, Vh = np.linalg.svd(X)
            sig[s : s + step] = sv[:, -1]
            V[:, s : s + step] = Vh[:, -1, :].conj().T
        else:
            sig[s : s + step] = np.linalg.svd(X, compute_uv=False)[:, -1]
    return sig, V


def _lanczos_chunk(op: ShiftedTriangular, z, tol, kmax, restarts, rng, want_vectors):
    n, m = op.n, z.size
    sig = np.empty(m)
    vecs = np.empty((n, m), dtype=complex) if want_vectors else None
    start = rng.standard_normal((n, m)) + 1j * rng.standard_normal((n, m))
    act = np.arange(m)
    for restart in range(restarts + 1):
        last = restart == restarts
        za = z[act]
        ma = act.size
        V = np.empty((kmax + 1, n, ma), dtype=complex)
        V[0] = start / np.linalg.norm(start, axis=0)
        alpha = np.zeros((kmax, ma))
        beta = np.zeros((kmax, ma))
        cols = np.arange(ma)  # positions (in this restart's arrays) still iterating
        for j in range(kmax):
            Vj = V[: j + 1][:, :, cols]
            w = op.solve(za[cols], op.solve_adjoint(za[cols], V[j][:, cols]))
            for _ in range(2):  # classical Gram-Schmidt, twice
                c = np.einsum("knm,nm->km", Vj.conj(), w)
                w -= np.einsum("knm,km->nm", Vj, c)
                alpha[j, cols] += c[j].real
            b = np.linalg.norm(w, axis=0)
            beta[j, cols] = b
            k = j + 1
            Tk = np.zeros((cols.size, k, k))
            idx = np.arange(k)
            Tk[:, idx, idx] = alpha[:k, cols].T
            if k > 1:
                Tk[:, idx[1:], idx[:-1]] = beta[: k - 1, cols].T
                Tk[:, idx[:-1], idx[1:]] = beta[: k - 1, cols].T
            ev, S = np.linalg.eigh(Tk)
            theta, s = ev[:, -1], S[:, :, -1]
            res = b * np.abs(s[:, -1])
            done = (res <= tol * theta) | (b <= 1e-14 * theta) | (k == n)
            if j == kmax - 1:
                done[:] = True
            finished = cols[done]
            if finished.size:
                gidx = act[finished]
                sig[gidx] = 1.0 / np.sqrt(theta[done])
                y = np.einsum("knm,mk->nm", Vj[:, :, done], s[done])
                conv = (res[done] <= tol * theta[done]) | (b[done] <= 1e-14 * theta[done])
                conv |= k == n
                if want_vectors:
                    vecs[:, gidx] = y / np.linalg.norm(y, axis=0)
                if not last:
                    # unconverged at kmax: restart from the Ritz vector
                    redo = ~conv
                    if np.any(redo):
                        start_next = y[:, redo]
                        act_next = gidx[redo]
                    else:
                        start_next, act_next = None, np.array([], dtype=int)
                    if j == kmax - 1:
                        start, act = start_next, act_next
            cols = cols[~done]
            if cols.size == 0:
                break
            V[j + 1][:, cols] = w[:, ~done] / b[~done]
        if last or act.size == 0 or start is None:
            break
    return sig, vecs


def sigma_min_triangular(
    T: np.ndarray,
    z,
    *,
    tol: float = 1e-10,
    maxiter: int = 40,
    restarts: int = 4,
    return_vectors: bool = False,
    seed: int = 0,
    op: ShiftedTriangular | None = None,
    method: str = "auto",
):
    """sigma_min(T - z I) for an upper-triangular T and each shift in ``z``.

    ``method``: "dense" (one SVD per shift, O(n^3) each, exact), "lanczos" (batched inverse
    Lanczos, O(n^2) per step and shift) or "auto" (dense for tiny n or one or two shifts).
    Returns ``sigma`` shaped like ``z`` and, with ``return_vectors``, the right singular
    vectors as the columns of an (n, z.size) array (in the coordinates of T).
    """
    zz = np.atleast_1d(np.asarray(z, dtype=complex))
    shape = zz.shape
    zz = zz.ravel()
    n = T.shape[0]
    if method == "auto":
        small = n <= DENSE_MAX_N or (zz.size <= 2 and n <= DENSE_FEW_SHIFTS_MAX_N)
        method = "dense" if small else "lanczos"
    if method == "dense":
        sig, V = _dense(np.asarray(T, dtype=complex), zz, return_vectors)
    else:
        op = op or ShiftedTriangular(T)
        kmax = min(n, maxiter)
        # many small GEMMs: BLAS threads only add synchronisation (8x slower when loaded)
        limit = threadpool_limits(1, user_api="blas")
        rng = np.random.default_rng(seed)
        chunk = max(1, int(CHUNK_BYTES // (16 * n * (kmax + 3))))
        sig = np.empty(zz.size)
        V = np.empty((n, zz.size), dtype=complex) if return_vectors else None
        for s in range(0, zz.size, chunk):
            sl = slice(s, s + chunk)
            sg, vv = _lanczos_chunk(op, zz[sl], tol, kmax, restarts, rng, return_vectors)
            sig[sl] = sg
            if return_vectors:
                V[:, sl] = vv
        limit.restore_original_limits()
    sig = sig.reshape(shape)
    return (sig, V) if return_vectors else sig
