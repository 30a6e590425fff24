"""Appendix N: the continuous-time analogue of Theorem 4(a)."""

from __future__ import annotations

import numpy as np

from .bound import Bound, Precondition


def continuous_time_analogue(mu: float, c: float) -> Bound:
    """Appendix N: for A = -[[H_xx, 0], [H_yx, H_yy]] with H_xx, H_yy symmetric >= mu I and
    ||H_yx|| <= c, K_ct(A) = sup_{Re s > 0} Re(s) ||(sI - A)^{-1}|| <= 1/mu + c/(4 mu^2).

    K_ct is invariant under A -> alpha A (alpha > 0) and always >= 1, while the bound
    scales like 1/alpha: it fails for every mu > 1 + c/(4 mu) (docs/theory.md).
    """
    pres = (Precondition("mu > 0", bool(mu > 0), f"mu = {mu:.6g}"),
            Precondition("c >= 0", bool(c >= 0), f"c = {c:.6g}"))
    return Bound("ct-analogue", "Appendix N (continuous time)", "K_ct(A)", "upper",
                 1 / mu + c / (4 * mu * mu), pres,
                 "K_ct(A) <= 1/mu + c/(4 mu^2) for H_xx, H_yy >= mu I, ||H_yx|| <= c")


def continuous_time_matrix(H_xx, H_yx, H_yy):
    """A = -[[H_xx, 0], [H_yx, H_yy]], the gradient-flow matrix of Appendix N."""
    H_xx, H_yx, H_yy = (np.atleast_2d(np.asarray(X)) for X in (H_xx, H_yx, H_yy))
    return -np.block([[H_xx, np.zeros((H_xx.shape[0], H_yy.shape[0]))], [H_yx, H_yy]])
