"""Time-varying Jacobians J_0, ..., J_{T-1} satisfying Assumption 21 (Appendix L): fixed
spectra and singular values of C_t, eigenvectors rotating by expm(drift S) per step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._paper_class import paper_class_instance
from ._random_matrices import assemble, in_range, positive_int, seed_repr


@dataclass(frozen=True, eq=False)
class TimeVaryingSequence:
    """Jacobians J_0, ..., J_{T-1} (array ``Js`` of shape (T, n, n)) satisfying Assumption 21:
    J_t = [[A_t, 0], [C_t, D_t]], A_t, D_t symmetric with rho <= gamma, ||C_t|| <= c."""

    Js: np.ndarray
    p: int
    params: dict[str, Any]

    @property
    def T(self) -> int:
        return self.Js.shape[0]

    @property
    def n(self) -> int:
        return self.Js.shape[1]

    def product_norms(self) -> np.ndarray:
        """``||J_{t-1} ... J_1 J_0||`` for t = 0, ..., T (1 at t = 0): the transient of the
        time-varying iteration e_{t+1} = J_t e_t, which Proposition 22 bounds."""
        out = np.empty(self.T + 1)
        X = np.eye(self.n)
        out[0] = 1.0
        for t in range(self.T):
            X = self.Js[t] @ X
            out[t + 1] = np.linalg.norm(X, 2)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"T": self.T, "n": self.n, "p": self.p, "params": dict(self.params)}


def time_varying_sequence(
    p: int,
    q: int,
    gamma: float,
    c: float,
    T: int,
    *,
    drift: float = 0.05,
    shape: str = "uniform",
    seed=None,
) -> TimeVaryingSequence:
    """A sequence J_0, ..., J_{T-1} satisfying Assumption 21 exactly (Appendix L).

    J_t = [[A_t, 0], [C_t, D_t]] with A_t = Q_A(t) diag(a) Q_A(t)^T, D_t likewise, and
    C_t = Q_D(t) C_0' Q_A(t)^T: the spectra (shape ``shape``, radius gamma) and the singular
    values of C_t (||C_t|| = c) stay fixed while the eigenvectors rotate, Q(t+1) = Q(t) R with
    R = expm(drift * S), S a random skew-symmetric matrix of spectral norm 1 (so ``drift`` is
    the largest rotation angle per step, in radians). ``drift = 0`` gives the constant
    sequence J_t = J_0, a :func:`paper_class_instance`.
    """
    from scipy.linalg import expm

    T = positive_int(T, "T")
    drift = in_range(drift, "drift", 0.0, np.inf)
    rng = np.random.default_rng(seed)
    base = paper_class_instance(p, q, gamma, c, shape=shape, seed=rng)
    p, q = base.p, base.q
    Q_A, Q_D = np.linalg.eigh(base.A)[1], np.linalg.eigh(base.D)[1]
    a, d = np.linalg.eigvalsh(base.A), np.linalg.eigvalsh(base.D)
    C0 = Q_D.T @ base.C @ Q_A  # C in the eigenbases, kept fixed
    R_A, R_D = expm(drift * _unit_skew(p, rng)), expm(drift * _unit_skew(q, rng))
    Js = np.empty((T, p + q, p + q))
    for t in range(T):
        A = Q_A @ np.diag(a) @ Q_A.T
        D = Q_D @ np.diag(d) @ Q_D.T
        Js[t] = assemble((A + A.T) / 2, np.zeros((p, q)), Q_D @ C0 @ Q_A.T, (D + D.T) / 2)
        Q_A, Q_D = Q_A @ R_A, Q_D @ R_D
    Js.setflags(write=False)
    params = dict(p=p, q=q, gamma=base.params["gamma"], c=base.params["c"], T=T, drift=drift,
                  shape=shape, seed=seed_repr(seed))  # fmt: skip
    return TimeVaryingSequence(Js=Js, p=p, params=params)


def _unit_skew(n: int, rng: np.random.Generator) -> np.ndarray:
    if n == 1:
        return np.zeros((1, 1))
    X = rng.standard_normal((n, n))
    S = X - X.T
    return S / np.linalg.norm(S, 2)


__all__ = ["TimeVaryingSequence", "time_varying_sequence"]
