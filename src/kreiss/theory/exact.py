"""Exact values the audit compares the paper's bounds with, from the numerical core.

:class:`Exact` memoises by matrix: the audit asks for K(J) of one instance from several
claims.  Anything with the same three methods can stand in (the tests use closed forms).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import UnstableError


@dataclass(frozen=True)
class Value:
    """A value with a certified bracket lower <= true <= upper (inf when unbounded)."""

    value: float
    lower: float
    upper: float

    @classmethod
    def exact(cls, x: float) -> Value:
        return cls(float(x), float(x), float(x))


INFINITE = Value(math.inf, math.inf, math.inf)


def _key(M: np.ndarray, *extra) -> tuple:
    M = np.ascontiguousarray(M)
    return (M.shape, M.dtype.str, M.tobytes(), *extra)


class Exact:
    """K(M) (discrete or continuous), ||M^t|| and the Lyapunov bound, from kreiss.linalg.

    Parameters
    ----------
    tol : relative width asked of each certified Kreiss bracket.
    """

    def __init__(self, tol: float = 1e-6):
        self.tol = tol
        self._cache: dict = {}
        self.calls = 0

    def kreiss(self, M, kind: str = "discrete") -> Value:
        """K(M) with its certified bracket; ``INFINITE`` when M is unstable."""
        M = np.asarray(M)
        key = _key(M, "K", kind)
        if key not in self._cache:
            from ..linalg.kreiss_constant import kreiss_constant

            self.calls += 1
            try:
                r = kreiss_constant(M, kind=kind, tol=self.tol)
                self._cache[key] = Value(float(r.value), float(r.lower), float(r.upper))
            except UnstableError:
                self._cache[key] = INFINITE
        return self._cache[key]

    def powers(self, M) -> np.ndarray:
        """||M^t|| for t = 0, 1, ... up to the core's horizon (past the peak)."""
        M = np.asarray(M)
        key = _key(M, "powers")
        if key not in self._cache:
            from ..linalg.transient import transient

            self.calls += 1
            self._cache[key] = np.asarray(transient(M, curve=True).norms, dtype=float)
        return self._cache[key]

    def lyapunov(self, M) -> float:
        """sqrt(kappa(P)) of the least-condition P with M^T P M <= P (kreiss.lyapunov_bound)."""
        M = np.asarray(M)
        key = _key(M, "lyap")
        if key not in self._cache:
            from ..linalg.lyapunov import lyapunov_bound

            self.calls += 1
            self._cache[key] = float(lyapunov_bound(M).value)
        return self._cache[key]
