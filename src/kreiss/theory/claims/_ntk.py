"""Theorem 12 (the effective NTK Jacobian I - eta K_eff) as a claim
(:func:`kreiss.theory.theorem12`)."""

from __future__ import annotations

import numpy as np

from .. import instances as I
from ..claim import Claim, evaluate_upper
from ..ntk import ntk_jacobian, theorem12


def _ntk(txx, tyx, tyy, eta):
    txx, tyx, tyy = (np.atleast_2d(np.asarray(X, dtype=float)) for X in (txx, tyx, tyy))
    J = ntk_jacobian(txx, np.zeros((txx.shape[0], tyy.shape[0])), tyx, tyy, eta)
    p = txx.shape[0]
    return {"J": J, "A": J[:p, :p], "C": J[p:, :p], "D": J[p:, p:], "theta_xx": txx,
            "theta_yx": tyx, "theta_yy": tyy, "eta": float(eta)}


def _thm12_eval(inst, exact):
    b = theorem12(inst["theta_xx"], inst["theta_yx"], float(inst["eta"]), inst["theta_yy"])
    if b.applies is False:
        return None
    ev = evaluate_upper(b.value, exact.kreiss(inst["J"]), inst, "K(I - eta K_eff)")
    ev.detail += (f" (gamma = 1 - eta lambda_min(Theta_xx) = {b.where['gamma']:.4g}; "
                  f"rho(A) = {I.radius(inst['A']):.4g}, rho(D) = {I.radius(inst['D']):.4g})")
    return ev


def _thm12_sample(rng):
    p, q = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    txx = I.symmetric(10 ** rng.uniform(-2, 0, p), rng=rng)
    tyy = I.symmetric(10 ** rng.uniform(-3, 0, q), rng=rng)
    # eta < 2/lambda_max of both kernels: A and D stable, the most favourable case
    lam = max(np.linalg.eigvalsh(txx)[-1], np.linalg.eigvalsh(tyy)[-1])
    eta = float(rng.uniform(0.1, 1.9) / lam)
    tyx = rng.standard_normal((q, p)) * 10 ** rng.uniform(-2, 1)
    return _ntk(txx, tyx, tyy, eta)


THM12 = Claim(
    "thm12", "Theorem 12 (effective NTK)",
    "Theorem 4 applies to J = I - eta K_eff with gamma = 1 - eta lambda_min(Theta_xx), "
    "||C|| = eta ||Theta_yx||",
    "Theta_xy = 0 (so J is block-triangular, the most favourable case); bound = the larger "
    "of eq. (4) and, under weak coupling, Theorem 4(a) at those gamma, c",
    _thm12_eval,
    lambda quick: [_ntk(0.5, 3.0, 0.01, 1.0), _ntk(np.diag([1.0, 10.0]), 0.01 * np.ones((2, 2)),
                                                    np.diag([1.0, 10.0]), 0.19)],
    _thm12_sample,
    bound=theorem12, verdict="fails",
    notes="Fails: this gamma bounds neither rho(D) (Theta_yy does not enter) nor rho(A) when "
          "eta lambda_max(Theta_xx) > 2 - eta lambda_min; and with Theta_xy != 0 J is not "
          "block-triangular at all.",
)
