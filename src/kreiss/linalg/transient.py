"""Transient growth ||A^t|| (discrete time) and ||e^{tA}|| (continuous time), and the
pseudospectral lower bounds on it.

Norms are computed on the triangular Schur factor T = Q^* A Q: ||A^t|| = ||T^t|| and
||e^{tA}|| = ||e^{tT}|| since Q is unitary, and products with the triangular T (or e^{hT})
cost a third of a general product (BLAS ``trmm``).

**When the supremum is certified.** If ||A^{t0}|| < 1 for some t0 >= 1, every t >= 0 is
t = k t0 + s with 0 <= s < t0 and ||A^t|| <= ||A^{t0}||^k ||A^s|| <= ||A^s||, so
sup_{t >= 0} ||A^t|| = max_{0 <= s <= t0} ||A^s||; likewise sup_{t >= 0} ||e^{tA}|| =
sup_{0 <= s <= t0} ||e^{sA}|| once ||e^{t0 A}|| < 1.  ``transient`` records whether it met
such a t0 (``certified``).

:func:`transient` dispatches to the modules that compute: :mod:`._transient_discrete` (the
certified peak by branch and bound, the curve, the rounding estimate),
:mod:`._transient_continuous` (the bound between samples), :mod:`._transient_bounds`
(:func:`transient_lower_bound`) and, matrix-free, :mod:`._matfree_transient`.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError, UnstableError
from ._transient_bounds import TransientLowerBound, lower_bounds_at, transient_lower_bound
from ._transient_continuous import continuous_curve, continuous_peak
from ._transient_discrete import DECAY, discrete_curve, discrete_peak, rounding_estimate
from ._transient_result import TransientResult
from .norms import DENSE_NORM_MAX_N
from .operator import resolve
from .schur import SchurForm, schur_form
from .threads import one_blas_thread
from .validate import check_kind


def _default_maxiter(n: int) -> int:
    # about 2e10 complex multiply-adds of trmm; at least 500 steps
    return int(min(100_000, max(500, 6e10 / n**3)))


@one_blas_thread
def transient(
    A,
    kind: str = "discrete",
    horizon: float | None = None,
    *,
    curve: bool = False,
    maxiter: int | None = None,
    lower_bound: bool = False,
    tol: float = 1e-2,
    refine: int | None = None,
    until: str = "decay",
    schur: SchurForm | None = None,
    method: str = "auto",
) -> TransientResult:
    """The transient t -> ||A^t||_2 (``kind="discrete"``) or t -> ||e^{tA}||_2 (continuous).

    Discrete time, by default: the certified supremum and its argmax by branch and bound
    over t with powers by repeated squaring (:func:`.peak.power_peak`): O(log T) products
    plus a refinement near the peak, where walking t = 1, 2, ... needs T ~ 1/(1 - rho)
    (the 2 x 2 Jordan block at a = 0.99999 takes ~0.05 s instead of seconds).  ``t`` and
    ``norms`` then hold the exact norms it computed (``nodes`` counts its nodes), not the
    curve; ``curve=True`` walks every t.

    Parameters
    ----------
    A : (n, n) array_like (None when ``schur`` is given).
    horizon : None, or the last t (an integer number of steps in discrete time)
        None: the supremum over all t >= 0 (with ``curve``: run until the norm is below
        min(0.5, ``DECAY`` * peak), or ``maxiter``); requires rho(A) < 1 (continuous:
        spectral abscissa < 0), else :class:`UnstableError`.  Given: over [0, horizon]
        whatever the spectrum.
    curve : discrete time: compute ||A^t|| at every t = 0, 1, ... (continuous time always
        samples the curve).
    until : with ``curve``, no horizon: "decay" (default, as above) or "certified": stop at
        the first t >= 1 whose norm plus its rounding estimate is below 1.  Then
        ||A^s|| <= ||A^t|| ||A^(s-t)|| < max_{s' < t} ||A^s'|| for s > t, so ``sup`` is
        the sup over all t >= 0, at a fraction of the decay horizon's cost.
    maxiter : cap on the number of matrix products (counted in ``evaluations``; default
        depends on n).
    lower_bound : also compute the pseudospectral lower bound curve
        (:func:`transient_lower_bound`) on the same t.
    tol, refine : continuous time: target relative gap between ``sup`` and ``sup_upper``,
        and the most extra expm evaluations spent on closing it (each costs O(n^3);
        default 64 for n <= 64, else 8).
    method : "auto", "dense" or "krylov" (:mod:`.operator`); "krylov" (discrete time only)
        gives witnessed lower bounds from products (:func:`.matfree.transient_krylov`).
    schur : a :class:`SchurForm` of ``A`` already computed (:func:`schur_form`).
    """
    kind = check_kind(kind)
    path = "dense"
    if schur is None:
        path, A = resolve(A, method)
    if path == "krylov":
        if kind != "discrete":
            raise InputError("the matrix-free transient is implemented for discrete time only")
        if horizon is not None and not (math.isfinite(float(horizon)) and horizon >= 1):
            raise InputError(f"horizon must be a whole number of steps >= 1, got {horizon!r}")
        from ._matfree_transient import transient_krylov

        return transient_krylov(A, None if horizon is None else int(horizon),
                                maxiter=1000 if maxiter is None else int(maxiter))
    if until not in ("decay", "certified") or (until == "certified" and kind != "discrete"):
        raise InputError(f"until must be 'decay' (or 'certified' in discrete time), got {until!r}")
    S = schur if schur is not None else schur_form(A)
    n = S.n
    rho, alpha = S.spectral_radius, S.spectral_abscissa
    if horizon is None:
        if kind == "discrete" and rho >= 1:
            raise UnstableError(
                f"spectral radius {rho:.6g} >= 1: ||A^t|| does not decay; pass a horizon"
            )
        if kind == "continuous" and alpha >= 0:
            raise UnstableError(
                f"spectral abscissa {alpha:.6g} >= 0: ||e^(tA)|| does not decay; pass a horizon"
            )
    else:
        horizon = float(horizon)
        if not (math.isfinite(horizon) and horizon >= 0):
            raise InputError(f"horizon must be a finite number >= 0, got {horizon!r}")
        if kind == "discrete" and horizon != int(horizon):
            raise InputError(f"a discrete horizon is a whole number of steps, got {horizon!r}")
    cap = _default_maxiter(n) if maxiter is None else int(maxiter)
    if cap < 1:
        raise InputError(f"maxiter must be >= 1, got {maxiter!r}")
    if kind == "discrete" and not curve:
        return discrete_peak(S, None if horizon is None else int(horizon), cap, lower_bound)
    if not curve:
        return continuous_peak(S, horizon, cap, tol, lower_bound)
    if kind == "discrete":
        res = discrete_curve(S, horizon, cap, certified_stop=until == "certified")
    else:
        if refine is None:
            refine = 64 if n <= DENSE_NORM_MAX_N else 8
        res = continuous_curve(S, horizon, cap, tol, refine)
    t, norms, sup, argmax, sup_upper, evals, stopped, gains = res
    rounding = rounding_estimate(S.n, norms, gains)
    below = np.nonzero((t > 0) & (norms + rounding < 1))[0]
    certified = below.size > 0
    if certified:
        i = below[0]
        msg = f"sup over all t >= 0 certified: norm {norms[i]:.3g} < 1 at t = {t[i]:.6g}"
    elif np.any((t > 0) & (norms < 1)):
        msg = (
            f"not certified: the computed norm falls below 1, but rounding errors "
            f"(estimate {rounding[-1]:.2g}) could account for that"
        )
    elif stopped:
        msg = f"stopped after {t.size - 1} steps (maxiter) before the norm fell below 1"
    else:
        msg = "sup over [0, horizon] only: no computed norm fell below 1"
    lb = lower_bounds_at(S, t, kind) if lower_bound else None
    return TransientResult(
        kind=kind,
        t=t,
        norms=norms,
        sup=float(sup),
        argmax=float(argmax),
        sup_upper=float(sup_upper),
        certified=bool(certified),
        horizon=float(t[-1]),
        n=n,
        spectral_radius=rho,
        spectral_abscissa=alpha,
        norm=S.norm,
        evaluations=evals,
        rounding=float(rounding[-1]),
        message=msg,
        lower_bound=lb,
    )


__all__ = ["DECAY", "TransientLowerBound", "TransientResult", "transient",
           "transient_lower_bound"]
