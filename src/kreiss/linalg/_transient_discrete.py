"""||A^t||_2 in discrete time on the Schur factor: the certified peak, the whole curve, and
the rounding estimate of the computed norms.

:func:`discrete_peak` finds sup_t ||A^t|| and its argmax by branch and bound over t with powers
by repeated squaring (:func:`.peak.power_peak`); :func:`discrete_curve` walks t = 1, 2, ...
with triangular products T P (BLAS ``trmm``).  :func:`rounding_estimate` bounds, to first
order, what rounding may have added to each computed norm (Higham, *Accuracy and Stability
of Numerical Algorithms*, 2nd ed., 2002, section 3.5: ||fl(XY) - XY|| <~ n u ||X|| ||Y||).
"""

from __future__ import annotations

import math

import numpy as np

from ._transient_bounds import lower_bounds_at
from ._transient_result import TransientResult
from .norms import Norm2, tri_mul
from .peak import power_peak
from .schur import SchurForm

#: the automatic horizon runs until the norm is below min(0.5, DECAY * peak).
DECAY = 1e-3


def discrete_peak(S: SchurForm, horizon: int | None, cap: int, lower_bound: bool):
    """:func:`.transient.transient` in discrete time without the curve: the certified
    supremum and its argmax by :func:`.peak.power_peak`."""
    pk = power_peak(S, horizon, maxiter=cap)
    t = pk.t.astype(float)
    lb = lower_bounds_at(S, t, "discrete") if lower_bound else None
    return TransientResult(
        kind="discrete", t=t, norms=pk.norms, sup=pk.sup, argmax=float(pk.argmax),
        sup_upper=pk.sup_upper, certified=pk.tail, horizon=float(pk.end - 1), n=S.n,
        spectral_radius=S.spectral_radius, spectral_abscissa=S.spectral_abscissa,
        norm=S.norm, evaluations=pk.products, rounding=pk.rounding, message=pk.message,
        lower_bound=lb, nodes=pk.nodes)


def discrete_curve(S: SchurForm, horizon, cap, certified_stop=False):
    """||T^t|| for t = 0, 1, ... up to ``horizon`` (None: until below min(0.5, ``DECAY``
    peak)), ``cap`` products at most; ``certified_stop``: stop at the first norm below 1
    with its rounding estimate.  Returns (t, norms, sup, argmax, sup_upper, products,
    stopped, gains), ``gains[k]`` = ||T|| for :func:`rounding_estimate`."""
    T = np.asfortranarray(S.T)
    n = S.n
    norm2 = Norm2(n)
    P = np.asfortranarray(np.eye(n, dtype=complex))
    norms = [1.0]
    peak = 1.0
    last = None if horizon is None else int(horizon)
    stopped = False
    k = 0
    carried = 0.0  # sum of ||T|| ||P_{j-1}||, for :func:`rounding_estimate`
    while True:
        if last is not None and k >= last:
            break
        if last is None and norms[-1] <= min(0.5, DECAY * peak):
            break
        rounding = np.finfo(float).eps * n * peak * carried
        if certified_stop and last is None and k > 0 and norms[-1] + rounding < 1:
            break
        carried += S.norm * norms[-1]
        if k >= cap:
            stopped = True
            break
        P = tri_mul(T, P)
        k += 1
        v = norm2(P)
        norms.append(v)
        peak = max(peak, v)
        if not math.isfinite(v):
            break
    norms = np.asarray(norms)
    t = np.arange(norms.size, dtype=float)
    i = int(np.argmax(norms))
    gains = np.full(norms.size, S.norm)
    return t, norms, norms[i], t[i], norms[i], norms.size - 1, stopped, gains


def rounding_estimate(n: int, norms: np.ndarray, gains: np.ndarray) -> np.ndarray:
    """First-order estimate of the absolute rounding error of each computed norm.

    P_k = fl(E_k P_{k-1}) = E_k P_{k-1} + D_k with ||D_k|| <~ n u ||E_k|| ||P_{k-1}|| (E_k = T,
    or e^{h_k T}; ``gains`` holds ||E_k||), and D_j is then carried by the exact evolution
    from t_j to t_k, of norm <~ M_k, the largest norm up to step k.  It matters only for
    huge transients (M_k^2 comparable to 1/u), where the tail is rounding noise.
    """
    prev = np.concatenate([[0.0], norms[:-1]])
    with np.errstate(over="ignore", invalid="ignore"):
        carried = np.cumsum(gains * prev)
        return np.finfo(float).eps * n * np.maximum.accumulate(norms) * carried


__all__ = ["DECAY", "discrete_curve", "discrete_peak", "rounding_estimate"]
