"""Random matrices, spectra and argument checks shared by the problem generators (numpy only).

Spectra of a chosen shape (:data:`SHAPES`) with the extreme eigenvalue attained exactly;
Haar-distributed orthogonal matrices by QR of a Gaussian with the signs of R's diagonal fixed
(Mezzadri, "How to generate random matrices from the classical compact groups", Notices of
the AMS 54, 2007).
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ._blocks import frozen_array

#: Spectrum shapes. Each is a profile s in [0, 1] mapped to eigenvalues gamma * (1 - 2 s) in
#: [-gamma, gamma] (discrete time) or mu + (L - mu) s in [mu, L] (gradient flow); the first
#: eigenvalue always has s = 0, so rho = gamma (resp. the smallest curvature is mu) exactly.
#:
#: ``uniform``   s ~ U[0, 1]: eigenvalues uniform in [-gamma, gamma]
#: ``linspace``  s evenly spaced in [0, 1] (both ends attained, deterministic)
#: ``positive``  s ~ U[0, 1/2]: eigenvalues in [0, gamma] (gradient steps alpha <= 1/L)
#: ``clustered`` s ~ U[0, 0.05]: eigenvalues clustered in [0.9 gamma, gamma]
#: ``two-point`` s alternating 0, 1: eigenvalues {+gamma, -gamma}
#: ``constant``  s = 0: all eigenvalues gamma (A = gamma I)
#: ``constant-negative`` s = 1 (except the first): all eigenvalues -gamma but one
SHAPES = (
    "uniform",
    "linspace",
    "positive",
    "clustered",
    "two-point",
    "constant",
    "constant-negative",
)


def profile(n: int, shape: str, rng: np.random.Generator) -> np.ndarray:
    if shape == "uniform":
        s = rng.uniform(0.0, 1.0, n)
    elif shape == "linspace":
        s = np.linspace(0.0, 1.0, n)
    elif shape == "positive":
        s = rng.uniform(0.0, 0.5, n)
    elif shape == "clustered":
        s = rng.uniform(0.0, 0.05, n)
    elif shape == "two-point":
        s = (np.arange(n) % 2).astype(float)
    elif shape == "constant":
        s = np.zeros(n)
    elif shape == "constant-negative":
        s = np.ones(n)
    else:
        raise InputError(f"unknown spectrum shape {shape!r}; choose one of {', '.join(SHAPES)}")
    s[0] = 0.0
    return s


def spectrum(n: int, gamma: float, shape: str = "uniform", seed=None) -> np.ndarray:
    """``n`` real eigenvalues in [-gamma, gamma] of the given shape, the first equal to gamma.

    So max |eigenvalue| = gamma exactly. See :data:`SHAPES`.
    """
    n = positive_int(n, "n")
    gamma = in_range(gamma, "gamma", 0.0, 1.0, upper_open=True)
    return gamma * (1.0 - 2.0 * profile(n, shape, np.random.default_rng(seed)))


def assemble(A, B, C, D) -> np.ndarray:
    return frozen_array(np.block([[A, B], [C, D]]))


def haar(n: int, rng: np.random.Generator) -> np.ndarray:
    """Haar-distributed orthogonal n x n matrix (QR of a Gaussian, signs fixed; Mezzadri 2007)."""
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)


def positive_int(v, name: str) -> int:
    try:
        iv = int(v)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a positive integer, got {v!r}") from None
    if iv != v or iv < 1:
        raise InputError(f"{name} must be a positive integer, got {v!r}")
    return iv


def coupling_rank(rank, p: int, q: int) -> int:
    """The rank of the coupling block: min(p, q) by default, else a positive integer at
    most min(p, q) (one-line :class:`InputError` otherwise)."""
    r = min(p, q) if rank is None else positive_int(rank, "rank")
    if r > min(p, q):
        raise InputError(f"rank = {r} exceeds min(p, q) = {min(p, q)}")
    return r


def in_range(v, name, lo, hi, *, lower_open=False, upper_open=False) -> float:
    try:
        fv = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, got {v!r}") from None
    ok = (fv > lo if lower_open else fv >= lo) and (fv < hi if upper_open else fv <= hi)
    if not ok or np.isnan(fv):
        left, right = "(" if lower_open else "[", ")" if upper_open else "]"
        raise InputError(f"{name} must lie in {left}{lo:g}, {hi:g}{right}, got {v!r}")
    return fv


def seed_repr(seed):
    if seed is None or isinstance(seed, (int, np.integer)):
        return None if seed is None else int(seed)
    return repr(seed)


__all__ = ["SHAPES", "assemble", "haar", "in_range", "positive_int", "profile", "seed_repr",
           "spectrum"]
