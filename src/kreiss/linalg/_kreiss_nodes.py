"""Where the branch and bound of :mod:`.kreiss_constant` places its nodes.

Nothing here bounds anything: the bounds rest on the certified levels at the nodes alone
(:mod:`._kreiss_certificate`), and these heuristics only choose where to certify next, from
uncertified values of s (local searches along the curve) and a model of s between nodes.

On an interval of width h near the maximiser t* of phi, the chord certificate loses O(h^2),
and phi itself falls like (t - t*)^2: so the fewest nodes sit at t* and are graded
geometrically away from it, each interval as wide as its bound allows.  Hence t* is located
first by uncertified values (:func:`local_max`) and made a node, and then each interval is
closed from its higher end (:func:`planned_split`), aiming at 0.9 tol.  Measured against
bisection at the bound's peak (nodes to a certified 1e-8, ``benchmarks/bench_kreiss.py``): the
paper's class at n = 100, gamma = 0.99: 33 -> 24; n = 1000, gamma = 0.95: 25 -> 20.
"""

from __future__ import annotations

import math

import numpy as np

from .scalar_min import minimize_bounded

#: the shortest step of a planned node, as a fraction of its interval
MIN_STEP = 1e-9


def log_s_model(P, a, sa, da, b, sb, db):
    """A model of s on [a, b]: the cubic Hermite interpolant of log s, in the variable where
    it is concave (log t on circles, t on lines), from the values and slopes at the ends."""
    disc = P.kind == "discrete"
    xa, xb = (math.log(a), math.log(b)) if disc else (a, b)
    ga, gb = math.log(sa), math.log(sb)
    pa, pb = da / sa * (a if disc else 1.0), db / sb * (b if disc else 1.0)  # d log s / dx
    h = xb - xa

    def model(t):
        u = ((np.log(t) if disc else np.asarray(t, dtype=float)) - xa) / h
        return np.exp((2 * u**3 - 3 * u**2 + 1) * ga + (u**3 - 2 * u**2 + u) * h * pa
                      + (3 * u**2 - 2 * u**3) * gb + (u**3 - u**2) * h * pb)

    return model


def local_max(P, lo, hi, args, estimate) -> float | None:
    """Maximise phi over (lo, hi) with uncertified values of s, ``estimate(t, args)``, by
    Brent's method (:mod:`.scalar_min`) in the offset w(t) from the stability boundary, to
    1e-6 (hi - lo) or to the spacing of floating-point t where that is coarser (hi - lo =
    1e-10 at t = 1); the maximiser if it lies inside, else None."""
    def minus_phi(u):  # u = w(t)
        s, _ = estimate(u + P.c0, args)
        return -u / s if s > 0 else 0.0

    xtol = max(1e-6 * (hi - lo), 8 * np.finfo(float).eps * abs(hi))  # t's own rounding
    u, _, _ = minimize_bounded(minus_phi, P.w(lo), P.w(hi), xtol)
    t = u + P.c0
    return t if lo + 1e-3 * (hi - lo) < t < hi - 1e-3 * (hi - lo) else None


def planned_split(P, nodes, slopes, a, b, target, eta, estimate):
    """The next node in [a, b], as (t, (s, arg) at t or None), or None where the model has
    nothing to say (the caller then splits where the bound peaks).

    ``nodes[t]`` = (s, arg, certified level, computed level), ``slopes[t]`` = ds/dt.  If the
    model of s (:func:`log_s_model`) puts phi above ``target`` inside, the node goes to the
    maximiser of phi there (:func:`local_max`).  Otherwise the interval is closed from its
    higher end h: the farthest t whose interval [h, t] meets ``target`` with the model's
    level at t, checked with an uncertified value of s(t); if that misses, the model is
    rescaled by its error and the search repeated once.  Where rounding, not the chord, sets
    the bound (delta / s > eta), the model is not used."""
    (sa, arga), (sb, argb) = nodes[a][:2], nodes[b][:2]
    da, db = slopes[a], slopes[b]
    if not (sa > 0 and sb > 0 and math.isfinite(da) and math.isfinite(db)):
        return None
    if max(P.delta(a) / sa, P.delta(b) / sb) > eta:
        return None
    model = log_s_model(P, a, sa, da, b, sb, db)
    grid = np.linspace(a, b, 65)[1:-1]
    if np.max((grid - P.c0) / model(grid)) > target:  # a larger value inside, likely
        t = local_max(P, a, b, (arga, argb), estimate)
        return None if t is None else (t, None)

    h, o = (a, b) if P.w(a) / sa >= P.w(b) / sb else (b, a)

    def closes(m, s):
        ends = sorted(((h, nodes[h][2]), (m, max(s * (1 - eta) - P.delta(m), 0.0))))
        return P.interval_bound(ends[0][0], ends[0][1], ends[1][0], ends[1][1])[0] <= target

    fit = 1.0  # the model's error at the last check

    def closes_at(f):
        m = h + f * (o - h)
        return m != h and closes(m, fit * float(model(m)))

    for _ in range(2):
        lo, hi = MIN_STEP, 1.0  # fractions of the way from h to o: lo closes, hi does not
        if not closes_at(lo):
            return None
        for _ in range(16):  # bisection in log f, to 3e-4 relative in f
            f = math.sqrt(lo * hi)
            lo, hi = (f, hi) if closes_at(f) else (lo, f)
        m = h + lo * (o - h)
        s, arg_m = estimate(m, (nodes[h][1],))
        if closes(m, s):
            return float(m), (s, arg_m)
        fit *= s / float(model(m))
    return None


__all__ = ["MIN_STEP", "local_max", "log_s_model", "planned_split"]
