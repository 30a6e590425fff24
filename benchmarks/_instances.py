"""Benchmark matrices (seeded): Grcar and block-triangular J of the paper's class."""

import numpy as np
from scipy.linalg import toeplitz


def grcar(n: int, k: int = 3) -> np.ndarray:
    """Grcar matrix: -1 on the subdiagonal, 1 on the diagonal and k superdiagonals."""
    col = np.zeros(n)
    col[:2] = [1.0, -1.0]
    row = np.zeros(n)
    row[: k + 1] = 1.0
    return toeplitz(col, row)


def block_triangular(n: int, gamma: float, c: float, seed: int = 0, aligned: bool = False):
    """J = [[A, 0], [C, D]], A, D symmetric (n/2 each) with spectra uniform in [-gamma, gamma]
    (gamma attained), ||C|| = c; ``aligned``: C = c v_D u_A^T couples the two top eigenvectors
    (the worst case of the class)."""
    rng = np.random.default_rng(seed)
    p = n // 2
    q = n - p

    def sym(m):
        Q, _ = np.linalg.qr(rng.standard_normal((m, m)))
        ev = rng.uniform(-gamma, gamma, m)
        ev[0] = gamma
        return (Q * ev) @ Q.T, Q[:, 0]

    A, uA = sym(p)
    D, vD = sym(q)
    if aligned:
        C = c * np.outer(vD, uA)
    else:
        C = rng.standard_normal((q, p))
        C *= c / np.linalg.norm(C, 2)
    J = np.zeros((n, n))
    J[:p, :p], J[p:, p:], J[p:, :p] = A, D, C
    return J, (p, q)
