"""Krylov building blocks on products only: counted operators, Arnoldi, Lanczos with the
Kuczynski-Wozniakowski probabilistic bound, ARPACK eigenvalues with residuals.

Used by :mod:`.matfree`; each routine needs ``A @ v`` (and ``A^H @ v`` where stated).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, LinearOperator, eigs

#: Kuczynski & Wozniakowski (SIAM J. Matrix Anal. Appl. 13, 1992, Thm 4.2): for symmetric
#: positive semidefinite M of order n and a start vector uniform on the sphere, the largest
#: Ritz value theta_k of k Lanczos steps satisfies
#: P(theta_k < (1 - eps) lambda_max) <= KW_CONSTANT sqrt(n) exp(-sqrt(eps) (2k - 1)).
KW_CONSTANT = 1.648


class Counted(LinearOperator):
    """``op`` with a count of the vectors it was applied to (``products``, both directions)."""

    def __init__(self, op: LinearOperator):
        super().__init__(dtype=np.result_type(op.dtype, np.float64), shape=op.shape)
        self.op = op
        self.products = 0

    def _matvec(self, v):
        self.products += 1
        return np.asarray(self.op.matvec(v)).reshape(-1)

    def _matmat(self, V):
        self.products += V.shape[1]
        return np.asarray(self.op.matmat(V)).reshape(V.shape[0], V.shape[1])

    def _rmatvec(self, u):
        self.products += 1
        return np.asarray(self.op.rmatvec(u)).reshape(-1)

    def _rmatmat(self, U):
        self.products += U.shape[1]
        return np.asarray(self.op.rmatmat(U)).reshape(U.shape[0], U.shape[1])

    @property
    def inner(self):
        """The wrapped operator (for optional fast paths such as ``power_norms``)."""
        return self.op


def random_unit(n: int, rng: np.random.Generator, complex_: bool = False, k: int | None = None):
    """Gaussian start vector(s), uniform on the unit sphere (columns when ``k`` is given)."""
    shape = (n,) if k is None else (n, k)
    v = rng.standard_normal(shape)
    if complex_:
        v = v + 1j * rng.standard_normal(shape)
    return v / np.linalg.norm(v, axis=0)


# ------------------------------------------------------------------------------- Arnoldi


@dataclass(frozen=True)
class ArnoldiFactorization:
    """A V_m = V_{m+1} H with V_{m+1} (n x (m+1)) orthonormal and H ((m+1) x m) Hessenberg.

    ``breakdown``: the basis spans the whole space (H is square and similar to A).
    Toh & Trefethen (SIAM J. Sci. Comput. 17, 1996): sigma_min(z I~ - H) >= sigma_min(zI - A)
    for every z, with I~ the (m+1) x m identity, since (zI - A) V_m y = V_{m+1} (z I~ - H) y.
    """

    V: np.ndarray
    H: np.ndarray
    breakdown: bool

    @property
    def m(self) -> int:
        return self.H.shape[1]


def arnoldi(op: LinearOperator, v0: np.ndarray, m: int,
            rng: np.random.Generator | None = None) -> ArnoldiFactorization:
    """m steps of Arnoldi from ``v0`` with classical Gram-Schmidt applied twice (CGS2:
    orthogonal to working precision, Giraud et al., Numer. Math. 2005) in BLAS-2 form.

    When the Krylov space becomes invariant before m steps (e.g. a repeated eigenvalue: a
    random start then spans only part of A's action), a fresh random vector orthogonal to
    the basis continues it with a zero subdiagonal entry: A V_m = V_{m+1} H still holds with
    orthonormal V_{m+1}, which is all the projection bounds need.  ``breakdown`` is set when
    the whole space is spanned (m = n)."""
    n = op.shape[0]
    m = int(min(m, n))
    rng = rng if rng is not None else np.random.default_rng(0)
    dtype = np.result_type(op.dtype, v0.dtype, np.float64)
    V = np.zeros((n, m + 1), dtype=dtype, order="F")  # contiguous columns for the products
    H = np.zeros((m + 1, m), dtype=dtype)
    V[:, 0] = v0 / np.linalg.norm(v0)
    scale = 0.0

    def orthogonalise(w, j):
        Vj = V[:, : j + 1]
        total = np.zeros(j + 1, dtype=dtype)
        for _ in range(2):
            c = Vj.conj().T @ w
            w = w - Vj @ c
            total += c
        return w, total

    for j in range(m):
        w = np.asarray(op.matvec(V[:, j]), dtype=dtype).reshape(-1)
        scale = max(scale, float(np.linalg.norm(w)))
        w, c = orthogonalise(w, j)
        H[: j + 1, j] = c
        h = float(np.linalg.norm(w))
        if h > 1e-14 * max(scale, 1e-300):
            H[j + 1, j] = h
            V[:, j + 1] = w / h
            continue
        if j + 1 >= n:  # the whole space is spanned: H is square and similar to A
            return ArnoldiFactorization(V=V[:, : j + 1], H=H[: j + 1, : j + 1],
                                        breakdown=True)
        r = random_unit(n, rng, np.iscomplexobj(V))
        r, _ = orthogonalise(r.astype(dtype), j)
        V[:, j + 1] = r / np.linalg.norm(r)
    return ArnoldiFactorization(V=V, H=H, breakdown=False)


def sigma_min_rect(H: np.ndarray, z: np.ndarray, vectors: bool = True):
    """sigma_min(z I~ - H) for each z, and (``vectors``) the right singular vectors (rows of
    ``Y``; None without).  Batched SVDs of the (m+1) x m matrices; singular values alone
    cost half as much (about 1 ms each at m = 80)."""
    z = np.atleast_1d(np.asarray(z, dtype=complex))
    mp1, m = H.shape
    Itil = np.eye(mp1, m)
    M = z[:, None, None] * Itil[None] - H[None].astype(complex)
    if not vectors:
        return np.linalg.svd(M, compute_uv=False)[:, -1], None
    _, s, Vh = np.linalg.svd(M, full_matrices=False)
    return s[:, -1], Vh[:, -1, :].conj()


# ------------------------------------------------------------------------------- Lanczos


def kw_failure(n: int, k: int, eps: float) -> float:
    """Kuczynski-Wozniakowski bound on P(theta_k < (1 - eps) lambda_max) (:data:`KW_CONSTANT`)."""
    if eps <= 0:
        return 1.0
    return min(1.0, KW_CONSTANT * math.sqrt(n) * math.exp(-math.sqrt(eps) * (2 * k - 1)))


def kw_eps(n: int, k: int, delta: float) -> float:
    """The smallest eps with :func:`kw_failure` (n, k, eps) <= delta."""
    return (math.log(KW_CONSTANT * math.sqrt(n) / delta) / (2 * k - 1)) ** 2


@dataclass(frozen=True)
class LanczosBound:
    """lambda_max of a symmetric positive semidefinite operator M from k Lanczos steps.

    ``estimate`` (the top Ritz value) is <= lambda_max in exact arithmetic; ``upper`` =
    estimate / (1 - eps) holds unless the random start was unlucky, with probability at most
    ``failure`` (Kuczynski & Wozniakowski 1992; after a breakdown the Krylov space is
    invariant and the bound holds for every k: eps is then the rounding level).
    ``vector``: the top Ritz vector when the basis was kept, else None.
    """

    estimate: float
    upper: float
    failure: float
    steps: int
    vector: np.ndarray | None


def lanczos_top(apply, n: int, rng: np.random.Generator, *, delta: float = 1e-6,
                rtol: float = 1e-3, kmax: int = 300, v0=None, keep_basis: bool = False,
                complex_: bool = False) -> LanczosBound:
    """Largest eigenvalue of the PSD operator ``apply`` (v -> M v) with a probabilistic upper
    bound of failure probability ``delta``.

    Runs until the Kuczynski-Wozniakowski slack eps_k (:func:`kw_eps`) and the Ritz value's
    own residual estimate are both below ``rtol``, or ``kmax`` steps.  Without a kept basis
    the plain three-term recurrence is used (O(n) memory, as needed at n = 10^7): loss of
    orthogonality only duplicates converged Ritz values, it does not slow the top one
    (Paige 1980; Greenbaum, *Iterative Methods*, ch. 4).  With ``v0`` (a warm start, not
    uniform on the sphere) no probability is claimed (``failure`` = 1).
    """
    warm = v0 is not None
    v = random_unit(n, rng, complex_) if v0 is None else np.asarray(v0) / np.linalg.norm(v0)
    basis = [v] if keep_basis else None
    alpha: list[float] = []
    beta: list[float] = []
    v_prev = np.zeros_like(v)
    b_prev = 0.0
    theta, s = 0.0, np.ones(1)
    breakdown = False
    k = 0
    for k in range(1, kmax + 1):
        w = np.asarray(apply(v)).reshape(-1)
        a = float(np.vdot(v, w).real)
        w = w - a * v - b_prev * v_prev
        if keep_basis:  # full reorthogonalisation (small k only)
            B = np.array(basis).T
            w = w - B @ (B.conj().T @ w)
        b = float(np.linalg.norm(w))
        alpha.append(a)
        # the Ritz values every step up to 10, then every 5th (eigh_tridiagonal is O(k^2))
        if k <= 10 or k % 5 == 0 or k == kmax or b <= 1e-13 * max(abs(a), 1e-300):
            ev, S = sla.eigh_tridiagonal(np.array(alpha), np.array(beta)) if k > 1 else (
                np.array([a]), np.ones((1, 1)))
            theta, s = float(ev[-1]), S[:, -1]
            if b <= 1e-13 * max(abs(theta), 1e-300):
                breakdown = True
                break
            resid = b * abs(s[-1])
            eps_k = kw_eps(n, k, delta) if not warm else 0.0
            if eps_k <= rtol and resid <= rtol * max(theta, 1e-300) and k >= 2:
                break
        beta.append(b)
        v_prev, v, b_prev = v, w / b, b
        if keep_basis:
            basis.append(v)
    theta = max(theta, 0.0)
    if warm:
        failure, upper = 1.0, math.inf
    else:
        # after a breakdown the Krylov space is invariant: the bound holds for every k,
        # so eps -> 0; 1e-12 covers the rounding of the breakdown test itself
        eps = 1e-12 if breakdown else kw_eps(n, k, delta)
        failure = delta if eps < 1 else 1.0
        upper = theta / (1 - eps) if eps < 1 else math.inf
    vec = None
    if keep_basis:
        vec = np.array(basis[: len(s)]).T @ s
        vec = vec / np.linalg.norm(vec)
    return LanczosBound(estimate=theta, upper=upper, failure=failure, steps=k, vector=vec)


# ------------------------------------------------------------------------------- ARPACK


def arpack_eigs(op: LinearOperator, k: int, which: str, rng: np.random.Generator,
                tol: float = 1e-10, maxiter: int = 150):
    """k eigenpairs by ARPACK's implicitly restarted Arnoldi (Lehoucq, Sorensen & Yang 1998),
    with the residuals ||A x - lambda x|| / ||x|| recomputed by one block product.

    ``maxiter`` caps the restarts (about ncv - k products each): far from normal operators
    have eigenvalues that rounding cannot resolve, where ARPACK would otherwise run for
    hours.  Returns (eigenvalues, vectors, residuals, converged); an ARPACK that stops short
    keeps the pairs it converged (``converged`` False)."""
    n = op.shape[0]
    k = int(min(k, n - 2))
    v0 = rng.standard_normal(n)
    if np.iscomplexobj(np.zeros(0, dtype=op.dtype)):
        v0 = v0 + 1j * rng.standard_normal(n)
    ncv = min(n, max(2 * k + 1, 20))
    try:
        lam, X = eigs(op, k=k, which=which, v0=v0, tol=tol, ncv=ncv,
                      maxiter=maxiter)
        converged = True
    except ArpackNoConvergence as exc:
        lam, X = exc.eigenvalues, exc.eigenvectors
        converged = False
    except ArpackError:  # e.g. "starting vector is zero": J v = 0 (a zero operator)
        lam, X = np.zeros(0, dtype=complex), np.zeros((n, 0), dtype=complex)
        converged = False
    if lam.size:
        R = np.asarray(op.matmat(X)) - X * lam[None, :]
        res = np.linalg.norm(R, axis=0) / np.linalg.norm(X, axis=0)
    else:
        res = np.zeros(0)
    return lam, X, res, converged
