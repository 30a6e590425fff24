"""The paper's class C(gamma, c) (Theorem 7) and the gradient flow of Appendix N.

J = [[A, 0], [C, D]] with A, D symmetric of spectral radius gamma and ||C|| = c, both
attained exactly; the flow's generator J = -[[H_xx, 0], [H_yx, H_yy]] with curvatures in
[mu, L].  Both are returned as a :class:`CoupledProblem`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from ._blocks import BlockViews, frozen_array
from ._random_matrices import (
    assemble,
    coupling_rank,
    haar,
    in_range,
    positive_int,
    profile,
    seed_repr,
)


@dataclass(frozen=True, eq=False)
class CoupledProblem(BlockViews):
    """A generated Jacobian J = [[A, B], [C, D]] (A: p x p) and how it was made.

    ``kind`` is ``"discrete"`` (J is the one-step map, eq. (1)) or ``"continuous"`` (J is the
    generator of the gradient flow, Appendix N). ``eig_A`` / ``eig_D`` are the prescribed
    eigenvalues of the diagonal blocks, ``params`` every argument of the generator (seed
    included), JSON-safe.
    """

    J: np.ndarray
    p: int
    eig_A: np.ndarray
    eig_D: np.ndarray
    params: dict[str, Any]
    kind: str = "discrete"

    @property
    def structure(self):
        """:class:`~kreiss.coupled.BlockStructure` of J (radii, norms, symmetry, B = 0?).

        For ``kind="continuous"`` the radii are those of the generator; its ``paper_class``
        (a discrete-time test, gamma < 1) says nothing about the flow."""
        from .jacobian import block_structure

        return block_structure(self.J, self.p)

    def _extra_arrays(self) -> dict:
        return {"params": json.dumps(self.params), "kind": self.kind}

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary: parameters, kind, structure report (J itself is not included;
        use :meth:`save` for the matrices)."""
        return {
            "kind": self.kind,
            "n": self.n,
            "p": self.p,
            "q": self.q,
            "params": dict(self.params),
            "structure": self.structure.to_dict(),
        }


def paper_class_instance(
    p: int,
    q: int,
    gamma: float,
    c: float,
    *,
    shape: str = "uniform",
    shape_D: str | None = None,
    rank: int | None = None,
    singular: str = "random",
    align: bool = False,
    seed=None,
) -> CoupledProblem:
    """A member J = [[A, 0], [C, D]] of the paper's class C(gamma, c) (Theorems 4, 7).

    A = Q_A diag(a) Q_A^T and D = Q_D diag(d) Q_D^T with Q_A, Q_D Haar-random orthogonal and
    eigenvalues a (p of them, shape ``shape``), d (q of them, shape ``shape_D``, default the
    same) from :func:`spectrum`, so rho(A) = rho(D) = gamma exactly with eigenvalue +gamma
    present. C = U diag(s) V^T (q x p) has ``rank`` (default min(p, q)) singular values s with
    s_1 = c exactly: the rest all equal to c (``singular="flat"``) or c * U(0, 1)
    (``singular="random"``). Its singular vectors are Haar-random, or with ``align=True`` the
    eigenvectors of A and D taken in the order of their spectra, so the top singular pair of C
    maps A's gamma-eigenvector onto D's (the direction used in the proof of Theorem 5, which
    makes the transient largest for the given spectra).
    """
    p, q = positive_int(p, "p"), positive_int(q, "q")
    gamma = in_range(gamma, "gamma", 0.0, 1.0, upper_open=True)
    c = in_range(c, "c", 0.0, np.inf)
    rank = coupling_rank(rank, p, q)
    if singular not in ("random", "flat"):
        raise InputError(f"singular must be 'random' or 'flat', got {singular!r}")
    shape_D = shape if shape_D is None else shape_D
    rng = np.random.default_rng(seed)
    eig_A = gamma * (1.0 - 2.0 * profile(p, shape, rng))
    eig_D = gamma * (1.0 - 2.0 * profile(q, shape_D, rng))
    Q_A, Q_D = haar(p, rng), haar(q, rng)
    if align:
        V, U = Q_A[:, :rank], Q_D[:, :rank]
    else:
        V, U = haar(p, rng)[:, :rank], haar(q, rng)[:, :rank]
    s = np.full(rank, c) if singular == "flat" else c * np.r_[1.0, rng.uniform(0, 1, rank - 1)]
    C = (U * s) @ V.T
    J = assemble(Q_A @ np.diag(eig_A) @ Q_A.T, np.zeros((p, q)), C, Q_D @ np.diag(eig_D) @ Q_D.T)
    params = dict(
        p=p, q=q, gamma=gamma, c=c, shape=shape, shape_D=shape_D, rank=rank,
        singular=singular, align=bool(align), seed=seed_repr(seed),
    )  # fmt: skip
    return CoupledProblem(J=J, p=p, eig_A=frozen_array(eig_A), eig_D=frozen_array(eig_D),
                          params=params)  # fmt: skip


def gradient_flow_instance(
    p: int,
    q: int,
    mu: float,
    c: float,
    *,
    L: float = 1.0,
    shape: str = "uniform",
    rank: int | None = None,
    seed=None,
) -> CoupledProblem:
    """The continuous-time coupled gradient flow of Appendix N (``kind="continuous"``).

    x' = -H_xx (x - x*),  y' = -H_yx (x - x*) - H_yy (y - y*), i.e. e' = J e with generator

        J = -[[H_xx, 0], [H_yx, H_yy]],

    H_xx, H_yy symmetric with eigenvalues mu + (L - mu) s in [mu, L] (profile s of
    :data:`SHAPES`; the smallest is mu exactly: strong convexity mu) and ||H_yx|| = c
    exactly, singular vectors Haar-random. Its transient is ||exp(tJ)||, its Kreiss constant
    the continuous one (``kreiss_constant(J, kind="continuous")``). One explicit Euler step
    of size h gives the discrete map I + h J.
    """
    p, q = positive_int(p, "p"), positive_int(q, "q")
    mu = in_range(mu, "mu", 0.0, np.inf, lower_open=True)
    L = in_range(L, "L", mu, np.inf)
    c = in_range(c, "c", 0.0, np.inf)
    rank = coupling_rank(rank, p, q)
    rng = np.random.default_rng(seed)
    h_x = mu + (L - mu) * profile(p, shape, rng)
    h_y = mu + (L - mu) * profile(q, shape, rng)
    Q_x, Q_y = haar(p, rng), haar(q, rng)
    s = c * np.r_[1.0, rng.uniform(0, 1, rank - 1)]
    H_yx = (haar(q, rng)[:, :rank] * s) @ haar(p, rng)[:, :rank].T
    J = -assemble(Q_x @ np.diag(h_x) @ Q_x.T, np.zeros((p, q)), H_yx, Q_y @ np.diag(h_y) @ Q_y.T)
    params = dict(p=p, q=q, mu=mu, c=c, L=L, shape=shape, rank=rank, seed=seed_repr(seed))
    return CoupledProblem(J=J, p=p, eig_A=frozen_array(-h_x), eig_D=frozen_array(-h_y),
                          params=params, kind="continuous")  # fmt: skip


__all__ = ["CoupledProblem", "gradient_flow_instance", "paper_class_instance"]
