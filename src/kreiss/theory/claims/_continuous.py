"""Appendix N (continuous time) as a claim: K_ct(A) for A = -[[H_xx, 0], [H_yx, H_yy]]
against :func:`kreiss.theory.continuous_time_analogue`."""

from __future__ import annotations

import numpy as np

from .. import instances as I
from ..claim import Claim, evaluate_upper
from ..continuous import continuous_time_analogue, continuous_time_matrix


def _ct_eval(inst, exact):
    Hxx, Hyy, Hyx = inst["H_xx"], inst["H_yy"], inst["H_yx"]
    mu = min(np.linalg.eigvalsh(Hxx)[0], np.linalg.eigvalsh(Hyy)[0])
    if mu <= 0:
        return None
    c = float(np.linalg.norm(Hyx, 2))
    b = continuous_time_analogue(float(mu), c).value
    ev = evaluate_upper(b, exact.kreiss(inst["J"], "continuous"), inst, "K_ct(A)")
    ev.detail += f" (mu = {mu:.4g}, c = {c:.4g})"
    return ev


def ct_instance(Hxx, Hyx, Hyy):
    """The instance A = -[[H_xx, 0], [H_yx, H_yy]] of the continuous-time claim."""
    Hxx, Hyx, Hyy = (np.atleast_2d(np.asarray(X, dtype=float)) for X in (Hxx, Hyx, Hyy))
    A = continuous_time_matrix(Hxx, Hyx, Hyy)
    p = Hxx.shape[0]
    return {"J": A, "A": A[:p, :p], "C": A[p:, :p], "D": A[p:, p:], "H_xx": Hxx,
            "H_yx": Hyx, "H_yy": Hyy}


def _ct_sample(rng):
    p, q = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    mu = 10 ** rng.uniform(-1, 1)
    Hxx = I.symmetric(mu * (1 + rng.uniform(0, 3, p) * (np.arange(p) > 0)), rng=rng)
    Hyy = I.symmetric(mu * (1 + rng.uniform(0, 3, q) * (np.arange(q) > 0)), rng=rng)
    return ct_instance(Hxx, mu * 10 ** rng.uniform(-1, 2) * rng.standard_normal((q, p)), Hyy)


def _ct_build(th):
    mu = float(np.exp(np.clip(th[0], -5, 5)))
    c = mu * float(np.exp(np.clip(th[1], -5, 8)))
    return ct_instance([[mu]], [[c]], [[mu * (1 + np.exp(np.clip(th[2], -10, 5)))]])


CT = Claim(
    "ct-analogue", "Appendix N (continuous time)",
    "H_xx, H_yy >= mu I, ||H_yx|| <= c: K_ct(A) <= 1/mu + c/(4 mu^2), "
    "A = -[[H_xx,0],[H_yx,H_yy]]",
    "mu = min(lambda_min(H_xx), lambda_min(H_yy)), c = ||H_yx||; exact continuous-time K",
    _ct_eval,
    lambda quick: [ct_instance([[m]], [[c]], [[m]])
                   for m, c in ((2.0, 0.0), (2.0, 1.0), (0.5, 1.0), (10.0, 1000.0))],
    _ct_sample, (3, _ct_build),
    bound=continuous_time_analogue, verdict="fails",
    notes="Fails: K_ct(alpha A) = K_ct(A) and K_ct >= 1, but the bound scales like "
          "1/alpha "
          "(H = 2I, c = 0: bound 1/2). Sharp: (x + 1/x)/2, x = c/(2 mu), or 1 "
          "(kreiss.theory.sharp_continuous_kreiss_bound).",
)
