"""Theorem S of docs/theory.md (this package, not the paper) as claims: the sharp Kreiss
bound and the sharp power bound over the class (:mod:`kreiss.theory.sharp`)."""

from __future__ import annotations

import numpy as np

from .. import instances as I
from ..claim import Claim, Evaluation, evaluate_upper
from ..sharp import (
    power_bound_values,
    sharp_kreiss_bound,
    sharp_transient_bound,
    sharp_transient_value,
)


def _sharp_eval(inst, exact):
    A, D = inst["A"], inst["D"]
    a, d = I.radius(A), I.radius(D)
    c = float(inst["c"])
    if max(a, d) >= 1:
        return None
    b = sharp_kreiss_bound(a, c, d).value
    return evaluate_upper(b, exact.kreiss(inst["J"]), inst, "K(J)")


SHARP_K = Claim(
    "sharp-kreiss", "Sharp Kreiss bound (this package)",
    "K(J) <= K([[rho(A), 0], [||C||, rho(D)]]); = (x + 1/x)/2, x = c/(2(1-gamma)) for equal radii",
    "radii rho(A), rho(D) of the instance (the two-radius form)",
    _sharp_eval, lambda quick: list(I.class_pool(quick)), lambda rng: I.draw_class(rng),
    I.class_search(), tight_tol=1e-6, bound=sharp_kreiss_bound, verdict="holds", source="ours",
    notes="Proved in docs/theory.md; attained by J*.",
)


def _sharp_t_eval(inst, exact):
    A, D = inst["A"], inst["D"]
    a, d = I.radius(A), I.radius(D)
    c = float(inst["c"])
    if max(a, d) >= 1:
        return None
    norms = exact.powers(inst["J"])
    t = np.arange(norms.size)
    bounds = power_bound_values(a, c, t, d)
    keep = norms > 1e-12 * norms.max()
    ratio = bounds[keep] / norms[keep]
    i = int(np.argmin(ratio))
    sup_b, _ = sharp_transient_value(a, c, d)
    return Evaluation(float(ratio[i]), inst,
                      f"||J^{int(t[keep][i])}|| = {norms[keep][i]:.6g} vs sharp "
                      f"{bounds[keep][i]:.6g}; sup_t ||J^t|| = {norms.max():.6g} <= {sup_b:.6g}",
                      bool(ratio[i] < 1 - 1e-9))


SHARP_T = Claim(
    "sharp-transient", "Sharp power bound (this package)",
    "||J^t|| <= ||[[alpha^t, 0], [c h_t, beta^t]]|| for every t, hence sup_t ||J^t|| <= "
    "sup_t ||J*^t||",
    "alpha, beta = rho(A), rho(D) of the instance; every t up to the core's horizon",
    _sharp_t_eval, lambda quick: list(I.class_pool(quick)), lambda rng: I.draw_class(rng),
    I.class_search(), tight_tol=1e-6, bound=sharp_transient_bound, verdict="holds",
    source="ours", notes="Proved in docs/theory.md; equality at every t for J*.",
)
