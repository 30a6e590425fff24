"""Appendix M (the IQC bound sqrt(kappa(P))/(1-gamma)) as a claim
(:func:`kreiss.theory.iqc_formula`)."""

from __future__ import annotations

from .. import instances as I
from ..claim import Claim, evaluate_upper
from ..exact import Value
from ..iqc import iqc_formula


def _iqc_eval(inst, exact):
    J = inst["J"]
    g = float(inst["gamma"])
    if g >= 1 or J.shape[0] > 8:
        return None
    b = iqc_formula(exact.lyapunov(J), g).value
    sup = float(exact.powers(J).max())
    return evaluate_upper(b, Value.exact(sup), inst, "sup_t ||J^t||")


IQC = Claim(
    "iqc-formula", "Appendix M (IQC bound)",
    "sup_t ||J^t|| <= K_IQC = sqrt(kappa(P))/(1-gamma), P minimising kappa s.t. J^T P J < P",
    "sqrt(kappa(P)) from kreiss.lyapunov_bound (certified: >= the SDP optimum), compared "
    "with sup_t ||J^t|| as in Table 2",
    _iqc_eval,
    lambda quick: [x for x in I.class_pool(quick) if x["J"].shape[0] <= 4]
    + [I.star(0.0, 2.0), I.star(0.05, 2.0)],
    lambda rng: I.draw_class(rng, sizes=((1, 1), (2, 2))),
    bound=iqc_formula, verdict="holds",
    notes="Holds, but the factor 1/(1-gamma) is superfluous: J^T P J <= P already gives "
          "||J^t|| <= sqrt(kappa(P)), so the ratio is >= 1/(1-gamma): attained only at "
          "gamma = 0 (nilpotent J*: sqrt(kappa) = sup = c).",
)
