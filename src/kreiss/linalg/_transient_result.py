"""The result of :func:`.transient.transient`: the norms, their supremum, and how sure it is."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..jsonout import jsonable


@dataclass(frozen=True)
class TransientResult:
    """||A^t||_2 at the t where it was computed (every t = 0, 1, ... with ``curve``; the
    branch and bound's nodes without), or ||e^{tA}||_2 on a time grid.

    ``sup``/``argmax``: the largest norm found and where (continuous time: refined between
    samples).  ``sup_upper``: upper bound on the norm over [0, ``horizon``] (discrete
    curve: equal to ``sup``; branch and bound: within 1e-12 relative or the rounding
    estimate).  ``certified``: at some t0 > 0 the computed norm plus its rounding estimate
    (``rounding``) is < 1, so the supremum over *all* t >= 0 lies in [sup, sup_upper].
    ``lower_bound`` (if requested): the pseudospectral lower bound on the running maximum
    at each t (NaN at t = 0).
    ``method == "krylov"``: ``norms`` are witnessed lower bounds ||A^t v|| / ||v||
    (:func:`.matfree.transient_krylov`), ``sup_upper`` is inf.
    """

    kind: str
    t: np.ndarray
    norms: np.ndarray
    sup: float
    argmax: float
    sup_upper: float
    certified: bool
    horizon: float
    n: int
    spectral_radius: float
    spectral_abscissa: float
    norm: float
    evaluations: int
    rounding: float
    message: str
    lower_bound: np.ndarray | None = None
    #: "dense" (exact norms of the powers) or "krylov" (witnessed lower bounds ||A^t v||)
    method: str = "dense"
    #: krylov: the unit vector v with ||A^argmax v|| = sup (re-check it)
    witness: np.ndarray | None = field(default=None, repr=False, compare=False)
    #: branch and bound over t (discrete, without ``curve``): the nodes it evaluated
    nodes: int = 0

    def to_dict(self) -> dict:
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__
                         if k != "witness"})

    def plot(self, ax=None):
        """Semilog plot of the norms, the sup, and the lower-bound curve if present."""
        from .plotting import new_axes

        ax = new_axes(ax)
        label = r"$\|A^t\|$" if self.kind == "discrete" else r"$\|e^{tA}\|$"
        style = ".-" if self.kind == "discrete" and self.t.size <= 200 else "-"
        ok = self.norms > 0
        ax.semilogy(self.t[ok], self.norms[ok], style, label=label)
        ax.axhline(self.sup, color="gray", lw=0.8, ls=":")
        star = f"sup {self.sup:.4g} at t = {self.argmax:.4g}"
        ax.plot([self.argmax], [self.sup], "r*", label=star)
        if self.lower_bound is not None:
            lb = self.lower_bound
            good = np.isfinite(lb) & (lb > 0)
            ax.semilogy(self.t[good], lb[good], "--", label="pseudospectral lower bound")
        ax.set_xlabel("t")
        ax.legend(loc="best")
        return ax


__all__ = ["TransientResult"]
