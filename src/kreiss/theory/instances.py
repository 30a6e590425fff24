"""Instances of the paper's class for the audit: extremal families (the pool the class
claims share), random draws, and a smooth parametrisation for optimisation over instances.

An instance is a dict of arrays and numbers -- exactly what is saved in a counterexample
``.npz`` -- with at least ``J``; block-triangular ones also carry ``A``, ``C``, ``D``,
``gamma`` = max(rho(A), rho(D)) and ``c`` = ||C||.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial

import numpy as np
import scipy.linalg as sla


def radius(M) -> float:
    return float(np.max(np.abs(np.linalg.eigvals(np.atleast_2d(M)))))


def gamma_c(inst: dict) -> tuple[float, float]:
    """(gamma, c) of a class instance."""
    return float(inst["gamma"]), float(inst["c"])


def symmetric(eigs, Q=None, rng: np.random.Generator | None = None) -> np.ndarray:
    """Q diag(eigs) Q^T with Q orthogonal (random Haar when not given)."""
    eigs = np.asarray(eigs, dtype=float)
    k = eigs.size
    if Q is None:
        rng = rng or np.random.default_rng(0)
        Q, R = np.linalg.qr(rng.standard_normal((k, k)))
        Q = Q * np.sign(np.diag(R))
    M = (Q * eigs) @ Q.T
    return (M + M.T) / 2


def class_instance(A, C, D, **extra) -> dict:
    """J = [[A, 0], [C, D]] with its gamma and c."""
    A, C, D = (np.atleast_2d(np.asarray(X, dtype=float)) for X in (A, C, D))
    J = np.block([[A, np.zeros((A.shape[0], D.shape[0]))], [C, D]])
    return {"J": J, "A": A, "C": C, "D": D, "gamma": max(radius(A), radius(D)),
            "c": float(np.linalg.norm(C, 2)), **extra}


def star(gamma: float, c: float, gamma_d: float | None = None) -> dict:
    """J* = [[gamma, 0], [c, gamma_d]] (1 x 1 blocks)."""
    return class_instance([[gamma]], [[c]], [[gamma if gamma_d is None else gamma_d]])


SPECTRA = ("uniform", "+gamma", "-gamma", "+-gamma", "zero-and-gamma")
COUPLINGS = ("dense", "rank1", "rank1-top")


def _spectrum(kind: str, k: int, gamma: float, rng) -> np.ndarray:
    if kind == "uniform":
        e = rng.uniform(-gamma, gamma, k)
        e[0] = gamma * rng.choice([-1.0, 1.0])
        return e
    if kind == "+gamma":
        return np.full(k, gamma)
    if kind == "-gamma":
        return np.full(k, -gamma)
    if kind == "+-gamma":
        return gamma * rng.choice([-1.0, 1.0], k)
    e = np.zeros(k)
    e[0] = gamma
    return e


def random_class(rng: np.random.Generator, p: int, q: int, gamma: float, c: float,
                 spectrum: str = "uniform", coupling: str = "dense") -> dict:
    """A, D symmetric with the given spectrum pattern (max |eigenvalue| = gamma), ||C|| = c.

    ``rank1-top`` couples the top eigenvector of A (eigenvalue +gamma if any) to that of D,
    the direction in which the resolvent's off-diagonal block is largest.
    """
    ea, ed = _spectrum(spectrum, p, gamma, rng), _spectrum(spectrum, q, gamma, rng)
    A, D = symmetric(ea, rng=rng), symmetric(ed, rng=rng)
    if coupling == "dense":
        M = rng.standard_normal((q, p))
    elif coupling == "rank1":
        M = np.outer(rng.standard_normal(q), rng.standard_normal(p))
    else:
        wa, Va = np.linalg.eigh(A)
        wd, Vd = np.linalg.eigh(D)
        M = np.outer(Vd[:, np.argmax(wd)], Va[:, np.argmax(wa)])
    n = np.linalg.norm(M, 2)
    C = c * M / n if n > 0 else M
    return class_instance(A, C, D, spectrum=spectrum, coupling=coupling)


def draw_class(rng: np.random.Generator, *, weak: bool = False, decoupled: bool = False,
               gamma_max: float = 0.99, sizes=((1, 1), (2, 2), (3, 2), (4, 4))) -> dict:
    """A random instance: gamma in [0, gamma_max] (biased toward 1), c = (1-gamma) 10^u,
    u in [-2, 2] (weak: c <= (1-gamma)^2; decoupled: c = 0), random size and patterns."""
    gamma = float(gamma_max * (1 - rng.uniform(0, 1) ** 2))
    d = 1 - gamma
    if decoupled:
        c = 0.0
    elif weak:
        c = float(d * d * rng.uniform(0.01, 1))
    else:
        c = float(d * 10 ** rng.uniform(-2, 2))
    p, q = sizes[rng.integers(len(sizes))]
    return random_class(rng, p, q, gamma, c, SPECTRA[rng.integers(len(SPECTRA))],
                        COUPLINGS[rng.integers(len(COUPLINGS))])


def _orthogonal(angles: np.ndarray, k: int) -> np.ndarray:
    S = np.zeros((k, k))
    S[np.triu_indices(k, 1)] = angles
    return sla.expm(S - S.T)


def class_dim(p: int, q: int) -> int:
    """Length of the parameter vector of :func:`build_class`."""
    return 2 + p + q + p * (p - 1) // 2 + q * (q - 1) // 2 + p * q


def build_class(theta, p: int, q: int, coupling: str = "free", gamma_max: float = 0.995) -> dict:
    """A smooth map from R^class_dim(p, q) onto the class, for optimisation over instances.

    theta = [g, s, eig(A) (p), eig(D) (q), rotations of A, of D, C (q x p)]:
    gamma0 = gamma_max sigmoid(g), eigenvalues gamma0 sin(.), C scaled to norm c with
    c = (1-gamma) e^s ("free"), (1-gamma)^2 sigmoid(s) ("weak") or 0 ("zero").
    """
    th = np.asarray(theta, dtype=float)
    g0 = gamma_max / (1 + np.exp(-th[0]))
    i = 2
    ea = g0 * np.sin(th[i : i + p])
    i += p
    ed = g0 * np.sin(th[i : i + q])
    i += q
    na, nd = p * (p - 1) // 2, q * (q - 1) // 2
    A = symmetric(ea, _orthogonal(th[i : i + na], p))
    i += na
    D = symmetric(ed, _orthogonal(th[i : i + nd], q))
    i += nd
    M = th[i : i + p * q].reshape(q, p)
    gamma = max(np.max(np.abs(ea)), np.max(np.abs(ed)))
    d = 1 - gamma
    s = float(np.clip(th[1], -12, 8))
    if coupling == "free":
        c = d * np.exp(s)
    elif coupling == "weak":
        c = d * d / (1 + np.exp(-s))
    else:
        c = 0.0
    nrm = np.linalg.norm(M, 2)
    C = c * M / nrm if nrm > 0 else np.zeros((q, p))
    return class_instance(A, C, D)


def class_search(p: int = 2, q: int = 2, coupling: str = "free") -> tuple[int, Callable]:
    """(dim, build) for the audit's search: :func:`build_class` with p x p and q x q blocks."""
    return class_dim(p, q), partial(build_class, p=p, q=q, coupling=coupling)


def grid(quick: bool) -> list[tuple[float, float]]:
    """(gamma, c) pairs: c at fixed multiples of 1 - gamma (and of (1-gamma)^2)."""
    gammas = (0.5, 0.9) if quick else (0.0, 0.3, 0.5, 0.9, 0.99)
    mults = (0.5, 4.0, 40.0) if quick else (0.05, 0.5, 1.0, 2.0, 4.0, 40.0, 400.0)
    out = []
    for g in gammas:
        d = 1 - g
        out += [(g, d * d / 2)] + [(g, m * d) for m in mults]
    return out


@lru_cache(maxsize=2)
def class_pool(quick: bool) -> tuple[dict, ...]:
    """Extremal instances shared by the class claims: J* and its sign flip D = -gamma at
    every grid point; A = D = gamma I_3 with a random rank-one C; spectra at +-gamma with C
    coupling the top eigenvectors (4 x 4); a random dense one (3 + 2)."""
    rng = np.random.default_rng(12345)
    pool = []
    for g, c in grid(quick):
        pool.append(star(g, c))
        pool.append(star(g, c, -g))
    for k, (g, c) in enumerate(grid(quick)):
        if quick and k % 2:
            continue
        pool.append(random_class(rng, 3, 3, g, c, "+gamma", "rank1"))
        pool.append(random_class(rng, 2, 2, g, c, "+-gamma", "rank1-top"))
        if not quick:
            pool.append(random_class(rng, 3, 2, g, c, "uniform", "dense"))
    return tuple(pool)


def pool_where(pred: Callable[[dict], bool]) -> Callable[[bool], list[dict]]:
    """The extremal(quick) of a claim: the instances of :func:`class_pool` satisfying pred."""
    return lambda quick: [x for x in class_pool(quick) if pred(x)]
