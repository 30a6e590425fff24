"""Spectral norms of dense (mostly triangular) matrices, as the transient code needs them.

Small matrices get a dense SVD; larger ones Lanczos on P^* P, warm-started from a related
matrix's singular vector (the previous power's), with residual-certified convergence.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sla
from scipy.linalg import blas

from .threads import blas_threads

#: matrices up to this order get their 2-norms from a dense SVD; larger ones by Lanczos.
DENSE_NORM_MAX_N = 64


def lanczos_norm(P: np.ndarray, v0: np.ndarray, tol: float = 1e-13, kmax: int = 60):
    """||P||_2 and a top right singular vector by Lanczos on P^* P with full reorthogonalisation.

    Stops when the top Ritz value theta is certified to relative accuracy ``tol`` by the
    residual bounds |lambda - theta| <= res and <= res^2 / (theta - theta_2) (Parlett, *The
    Symmetric Eigenvalue Problem*, ch. 11); not converged after ``kmax`` steps: a dense SVD.
    ``v0`` (the previous power's singular vector, mixed with a random vector so that no
    direction is missing) makes a warm start.
    """
    n = P.shape[1]
    kmax = min(kmax, n)
    V = np.empty((n, kmax + 1), dtype=np.result_type(P, v0))
    V[:, 0] = v0 / np.linalg.norm(v0)
    alpha = np.zeros(kmax)
    beta = np.zeros(kmax)
    PH = P.conj().T
    for j in range(kmax):
        w = PH @ (P @ V[:, j])
        for _ in range(2):
            c = V[:, : j + 1].conj().T @ w
            w -= V[:, : j + 1] @ c
            alpha[j] += c[j].real
        beta[j] = np.linalg.norm(w)
        k = j + 1
        theta, S = sla.eigh_tridiagonal(alpha[:k], beta[: k - 1])
        top, s = theta[-1], S[:, -1]
        if top <= 0:
            return 0.0, V[:, 0]
        res = beta[j] * abs(s[-1])
        err = res if k == 1 else min(res, res * res / max(top - theta[-2], 1e-300))
        if err <= tol * top or beta[j] <= 1e-15 * top or k == n:
            y = V[:, :k] @ s
            return math.sqrt(top), y / np.linalg.norm(y)
        V[:, j + 1] = w / beta[j]
    _, sv, Vh = np.linalg.svd(P)
    return float(sv[0]), Vh[0].conj()


class Norm2:
    """Spectral norms of a sequence of related matrices (dense SVD or warm-started Lanczos)."""

    def __init__(self, n: int, seed: int = 0):
        self.dense = n <= DENSE_NORM_MAX_N
        self.rng = np.random.default_rng(seed)
        self.v = None

    def __call__(self, P: np.ndarray) -> float:
        if self.dense:
            return float(np.linalg.norm(P, 2))
        n = P.shape[1]
        r = self.rng.standard_normal(n)
        if np.iscomplexobj(P):
            r = r + 1j * self.rng.standard_normal(n)
        r /= np.linalg.norm(r)
        v0 = r if self.v is None or self.v.dtype != r.dtype else self.v + 0.05 * r
        s, self.v = lanczos_norm(P, v0)
        return s


def spectral_norm(M: np.ndarray) -> float:
    """||M||_2 of one matrix: dense SVD for small n, cold-started Lanczos otherwise."""
    if M.shape[0] <= DENSE_NORM_MAX_N:
        return float(np.linalg.norm(M, 2))
    v0 = np.random.default_rng(1).standard_normal(M.shape[1]) + 0j
    return lanczos_norm(M, v0)[0]


def tri_mul(E: np.ndarray, P: np.ndarray) -> np.ndarray:
    """E @ P for an upper-triangular complex E (BLAS ztrmm).  From n = 128 on it gets all
    BLAS threads (2x on 2 cores at n = 451); the callers pin BLAS to one thread for their
    small calls."""
    with blas_threads(None if E.shape[0] >= 128 else 1):
        return blas.ztrmm(1.0, E, P)
