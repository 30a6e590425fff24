"""||e^{tA}||_2 in continuous time on the Schur factor, with a rigorous bound between samples.

With omega(M) = lambda_max((M + M^*)/2), ||e^{sA}|| <= e^{s omega(A)} and
||e^{-sA}|| <= e^{s omega(-A)} (Trefethen & Embree, *Spectra and Pseudospectra*, 2005,
Thm 17.1), so on [t_k, t_{k+1}], h = t_{k+1} - t_k,
||e^{(t_k + s)A}|| <= min(N_k e^{s omega(A)}, N_{k+1} e^{(h - s) omega(-A)}): a rigorous upper
bound ``sup_upper`` from the samples, refined by bisection where it is loose
(:func:`continuous_curve`).  The largest sample is polished by a 1-D maximisation of
t -> ||expm(tA)||.  Without the curve, :func:`continuous_peak` runs the discrete branch and
bound on E = e^{hA} (Moler & Van Loan, SIAM Rev. 45, 2003, for expm on the Schur form).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sla

from ._numerical_range import numerical_abscissa
from ._transient_bounds import lower_bounds_at
from ._transient_discrete import DECAY
from ._transient_result import TransientResult
from .norms import Norm2, spectral_norm, tri_mul
from .peak import power_peak
from .scalar_min import minimize_bounded
from .schur import SchurForm


def continuous_peak(S: SchurForm, horizon, cap: int, tol: float,
                                 lower_bound: bool):
    """:func:`.transient.transient` in continuous time without the curve: the discrete peak of
    E = e^{hA} on the grid t = k h (:func:`.peak.power_peak`), then between grid points
    ||e^{(kh + s)A}|| <= ||E^k|| e^{s omega(A)} (Trefethen & Embree, Thm 17.1), so with
    h = log(1 + tol) / omega(A) the grid's certified bound times e^{h omega} bounds the
    supremum over all t within ``tol``; the grid's best sample is polished by a 1-D
    maximisation of ||expm(tA)|| around it.  A tail ||E^K|| < 1 certifies all t >= 0."""
    w = max(numerical_abscissa(S), 0.0)
    if w == 0.0:  # ||e^{tA}|| <= e^{t omega} <= 1 = ||e^{0A}||
        t = np.array([0.0])
        return TransientResult(
            kind="continuous", t=t, norms=np.ones(1), sup=1.0, argmax=0.0, sup_upper=1.0,
            certified=True, horizon=0.0 if horizon is None else float(horizon), n=S.n,
            spectral_radius=S.spectral_radius, spectral_abscissa=S.spectral_abscissa,
            norm=S.norm, evaluations=0, rounding=0.0,
            message="sup over all t >= 0 certified: omega(A) <= 0, so ||e^{tA}|| <= 1",
            lower_bound=np.full(1, np.nan) if lower_bound else None)
    h = math.log1p(tol) / w
    steps = None
    if horizon is not None:
        steps = max(1, math.ceil(horizon / h))
        h = horizon / steps
    E = _exp_schur(S, h)
    pk = power_peak(E, steps, maxiter=cap)
    t = pk.t * h
    growth = math.exp(h * w)
    sup, argmax, evals = pk.sup, float(pk.argmax) * h, pk.products
    G = S.matrix() if S.is_real else S.T  # real expm is ~4x cheaper

    def f(s):
        return spectral_norm(sla.expm(s * G))

    if pk.argmax > 0 and math.isfinite(sup):
        lo, hi = argmax - h, argmax + h if horizon is None else min(argmax + h, horizon)
        x, fx, nfev = minimize_bounded(lambda s: -f(s), lo, hi, 1e-6 * (hi - lo))
        evals += nfev
        if -fx > sup:
            sup, argmax = -fx, x
    sup_upper = max(sup, pk.sup_upper * growth)
    msg = (pk.message.replace("A^", "E^") + f"; E = e^(hA), grid step h = {h:.3g}, between "
           f"grid points x e^(h omega) = {growth:.6g}")
    lb = lower_bounds_at(S, t, "continuous") if lower_bound else None
    return TransientResult(
        kind="continuous", t=t, norms=pk.norms, sup=sup, argmax=argmax, sup_upper=sup_upper,
        certified=pk.tail, horizon=float(pk.end - 1) * h, n=S.n,
        spectral_radius=S.spectral_radius, spectral_abscissa=S.spectral_abscissa,
        norm=S.norm, evaluations=evals, rounding=pk.rounding, message=msg, lower_bound=lb,
        nodes=pk.nodes)


def _exp_schur(S: SchurForm, h: float) -> SchurForm:
    """The Schur form of e^{hA}: Q e^{hT} Q^*, e^{hT} upper triangular (and the real one's
    exponential, quasi-triangular, for real A)."""
    T = sla.expm(h * S.T)
    Tr = sla.expm(h * S.T_real) if S.T_real is not None else None
    return SchurForm(T=T, Q=S.Q, is_real=S.is_real, norm=spectral_norm(T), T_real=Tr,
                     Q_real=S.Q_real)


def _between(N0, N1, h, w_plus, w_minus):
    """Upper bound of ||e^{sA}|| on an interval of length h with end values N0, N1."""
    with np.errstate(divide="ignore"):
        l0, l1 = np.log(N0), np.log(N1)
    if w_plus + w_minus <= 0:
        return np.maximum(N0, N1)
    s = np.clip((l1 - l0 + h * w_minus) / (w_plus + w_minus), 0.0, h)
    return np.exp(np.minimum(l0 + s * w_plus, l1 + (h - s) * w_minus))


def continuous_curve(S: SchurForm, horizon, cap, tol, refine):
    """||e^{tT}|| sampled on a grid whose step doubles in the decay phase, the best sample
    polished, and the bound between samples (module docstring) closed to ``tol`` with at
    most ``refine`` extra expm evaluations.  Returns the tuple of
    :func:`._transient_discrete.discrete_curve`, ``gains`` the norms of the step factors."""
    T = np.asfortranarray(S.T)
    n = S.n
    w_plus = max(numerical_abscissa(S), 0.0)  # omega(A)
    w_minus = max(-float(sla.eigvalsh((T + T.conj().T) / 2, subset_by_index=[0, 0])[0]), 0.0)
    normA = S.norm
    h0 = 0.25 / normA if normA > 0 else 1.0
    if horizon is not None and horizon > 0:
        h0 = min(h0, horizon / 8)
    norm2 = Norm2(n)
    steps = {0: np.asfortranarray(sla.expm(h0 * T))}  # e^{2^j h0 T}
    P = np.asfortranarray(np.eye(n, dtype=complex))
    ts, norms, gains = [0.0], [1.0], [0.0]
    step_norm: dict[int, float] = {}
    peak = 1.0
    stopped = False
    if horizon == 0:
        return np.array([0.0]), np.array([1.0]), 1.0, 0.0, 1.0, 0, False, np.zeros(1)
    while True:
        t = ts[-1]
        if horizon is None and norms[-1] <= min(0.5, DECAY * peak):
            break
        if horizon is not None and t >= horizon:
            break
        if len(ts) > cap:
            stopped = True
            break
        # double the step while the interval bound stays below the peak (decay phase)
        j = 0
        while (
            norms[-1] * math.exp(h0 * 2 ** (j + 1) * w_plus) <= peak
            and h0 * 2 ** (j + 1) <= max(h0, t / 4)
            and (horizon is None or t + h0 * 2 ** (j + 1) <= horizon)
        ):
            j += 1
        h = h0 * 2**j
        if horizon is not None and t + h > horizon * (1 - 1e-12):
            E = np.asfortranarray(sla.expm((horizon - t) * T))
            gain = spectral_norm(E)
            t_next = horizon
        else:
            for i in range(max(steps) + 1, j + 1):
                steps[i] = np.asfortranarray(tri_mul(steps[i - 1], steps[i - 1]))
            E = steps[j]
            if j not in step_norm:
                step_norm[j] = spectral_norm(E)
            gain = step_norm[j]
            t_next = t + h
        P = tri_mul(E, P)
        v = norm2(P)
        ts.append(t_next)
        norms.append(v)
        gains.append(gain)
        peak = max(peak, v)
        if not math.isfinite(v):
            break
    t = np.asarray(ts)
    N = np.asarray(norms)
    evals = t.size - 1

    # polish the best sample, then close the rigorous bound between samples by bisection
    G = S.matrix() if S.is_real else S.T  # real expm is ~4x cheaper

    def f(s):
        return spectral_norm(sla.expm(s * G))

    i = int(np.argmax(N))
    best_t, best = t[i], N[i]
    lo, hi = t[max(i - 1, 0)], t[min(i + 1, t.size - 1)]
    if hi > lo and i > 0:
        x, fx, nfev = minimize_bounded(lambda s: -f(s), lo, hi, 1e-6 * (hi - lo))
        evals += nfev
        if -fx > best:
            best_t, best = x, -fx
        tt, NN = np.append(t, x), np.append(N, -fx)
    else:
        tt, NN = t, N
    budget = refine
    while budget > 0:
        order = np.argsort(tt)
        tt, NN = tt[order], NN[order]
        U = _between(NN[:-1], NN[1:], np.diff(tt), w_plus, w_minus)
        loose = np.nonzero(U > best * (1 + tol))[0]
        if loose.size == 0:
            break
        loose = loose[np.argsort(-U[loose])][: min(budget, 4)]
        mids = (tt[loose] + tt[loose + 1]) / 2
        vals = np.array([f(s) for s in mids])
        budget -= mids.size
        evals += mids.size
        tt, NN = np.concatenate([tt, mids]), np.concatenate([NN, vals])
        k = int(np.argmax(vals))
        if vals[k] > best:
            best_t, best = float(mids[k]), float(vals[k])
    order = np.argsort(tt)
    tt, NN = tt[order], NN[order]
    U = _between(NN[:-1], NN[1:], np.diff(tt), w_plus, w_minus)
    upper = max(best, float(np.max(U))) if U.size else best
    return t, N, best, best_t, upper, evals, stopped, np.asarray(gains)


__all__ = ["continuous_curve", "continuous_peak"]
