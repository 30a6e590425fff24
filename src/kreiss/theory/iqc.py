"""Appendix M: the IQC (Lyapunov) bound the paper compares with in Table 2."""

from __future__ import annotations

import math

from .bound import Bound, Precondition
from .hypotheses import gamma_in_unit


def iqc_formula(sqrt_kappa: float, gamma: float) -> Bound:
    """Appendix M: K_IQC = sqrt(kappa(P)) / (1 - gamma), P > 0 of least condition number
    with J^T P J - P < 0, read (Table 2) as a bound on sup_t ||J^t||.

    It holds: J^T P J <= P gives ||J^t x||_P <= ||x||_P, so ||J^t|| <= sqrt(kappa(P));
    the factor 1/(1 - gamma) is not needed.  ``sqrt_kappa`` is ``kreiss.lyapunov_bound(J).value``.
    """
    pres = (gamma_in_unit(gamma),
            Precondition("sqrt(kappa(P)) >= 1", bool(sqrt_kappa >= 1), f"{sqrt_kappa:.6g}"))
    value = sqrt_kappa / (1 - gamma) if gamma < 1 else math.inf
    return Bound("iqc-formula", "Appendix M (IQC bound)", "sup_t ||J^t||", "upper", value, pres,
                 "sup_t ||J^t|| <= K_IQC = sqrt(kappa(P)) / (1 - gamma)")
