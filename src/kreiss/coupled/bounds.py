"""The paper's IQC/Lyapunov comparison bound (Appendix M), kept apart from the valid one.

:func:`kreiss.lyapunov_bound` returns sqrt(kappa(P)) for the best P with J^T P J <= P, which
already bounds sup_t ||J^t||. The paper's Table 2 reports instead

    K_IQC = sqrt(kappa(P)) / (1 - gamma)        (Appendix M)

with the same P. The extra factor 1/(1 - gamma) is the paper's choice, not needed for
validity; :func:`paper_iqc_bound` reproduces it, labelled, so it is never read as ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError


@dataclass(frozen=True, eq=False)
class PaperIQCBound:
    """K_IQC = sqrt(kappa(P)) / (1 - gamma) of the paper's Appendix M, with its ingredients.

    ``value`` is the paper's quantity; ``lyapunov.value`` = sqrt(kappa(P)) is the certified
    bound on sup_t ||J^t||; ``gamma`` the radius used (default rho(J)).
    """

    value: float
    gamma: float
    lyapunov: Any
    label: str = "paper's K_IQC = sqrt(kappa(P))/(1-gamma) (Appendix M)"

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": float(self.value),
            "gamma": float(self.gamma),
            "label": self.label,
            "lyapunov": self.lyapunov.to_dict(),
        }


def paper_iqc_bound(J, gamma: float | None = None, *, solver: str | None = None) -> PaperIQCBound:
    """The paper's Appendix M formula sqrt(kappa(P)) / (1 - gamma), P from
    :func:`kreiss.lyapunov_bound` with rho = 1 (the paper's J^T P J - P < 0).

    ``gamma`` defaults to the spectral radius of J (for a block-triangular J,
    max(rho(A), rho(D)), the paper's gamma).
    """
    from ..linalg.lyapunov import lyapunov_bound

    res = lyapunov_bound(J, rho=1.0, solver=solver)
    g = res.spectral_radius if gamma is None else float(gamma)
    if not (np.isfinite(g) and 0 <= g < 1):
        raise InputError(f"gamma must lie in [0, 1), got {gamma!r}")
    return PaperIQCBound(value=res.value / (1.0 - g), gamma=g, lyapunov=res)
