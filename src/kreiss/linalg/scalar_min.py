"""Brent's minimisation of a function of one variable on an interval.

The method of R. P. Brent, *Algorithms for Minimization without Derivatives* (1973), ch. 5,
in the form of Forsythe, Malcolm & Moler's ``fmin`` (*Computer Methods for Mathematical
Computations*, 1977): golden-section steps, replaced by a step to the vertex of the parabola
through the last three points wherever that step is safe (inside the bracket, and shorter
than half the step before last).  It is what ``scipy.optimize.minimize_scalar(method=
"bounded")`` runs; kreiss has its own because importing scipy.optimize takes ~0.4 s, most
of a fresh process's first Kreiss constant, transient or bound of a small matrix, which
refine a sampled extremum with it.

Callers use it to *place* points (a node, the argmax of a transient, the minimiser of
sigma_min along a curve): no bound rests on it, so a local extremum is all it promises.
"""

from __future__ import annotations

import math

#: the golden-section fraction (3 - sqrt 5) / 2
_GOLD = (3.0 - math.sqrt(5.0)) / 2.0
#: relative resolution of x: near a minimum f is flat to second order, so x is determined
#: no better than sqrt(eps) |x| by values of f
_SQRT_EPS = math.sqrt(2.0**-52)


def minimize_bounded(f, lo: float, hi: float, xtol: float,
                     maxiter: int = 500) -> tuple[float, float, int]:
    """(x, f(x), evaluations) for a local minimum x of ``f`` on [lo, hi], to within
    ``xtol`` / 3 + sqrt(eps) |x|; the ends themselves are never evaluated.  ``maxiter``
    bounds the evaluations.  Callers that work near a point c with |c| >> |x - c| pass f of
    the offset x - c, so that the relative resolution applies to the offset."""
    a, b = float(lo), float(hi)
    x = w = v = a + _GOLD * (b - a)
    fx = fw = fv = float(f(x))
    nfev = 1
    d = e = 0.0  # the last step, and the one before it
    while nfev < maxiter:
        m = (a + b) / 2
        tol1 = _SQRT_EPS * abs(x) + xtol / 3
        tol2 = 2 * tol1
        if abs(x - m) <= tol2 - (b - a) / 2:
            break
        parabolic = False
        if abs(e) > tol1:  # the parabola through (x, fx), (w, fw), (v, fv)
            r = (x - w) * (fx - fv)
            q = (x - v) * (fx - fw)
            p = (x - v) * q - (x - w) * r
            q = 2 * (q - r)
            if q > 0:
                p = -p
            q = abs(q)
            if abs(p) < abs(q * e / 2) and q * (a - x) < p < q * (b - x):
                e, d = d, p / q
                parabolic = True
                if (x + d) - a < tol2 or b - (x + d) < tol2:  # not too close to an end
                    d = tol1 if x <= m else -tol1
        if not parabolic:
            e = (b - x) if x < m else (a - x)
            d = _GOLD * e
        u = x + (d if abs(d) >= tol1 else math.copysign(tol1, d))
        fu = float(f(u))
        nfev += 1
        if fu <= fx:
            if u < x:
                b = x
            else:
                a = x
            v, fv, w, fw, x, fx = w, fw, x, fx, u, fu
        else:
            if u < x:
                a = u
            else:
                b = u
            if fu <= fw or w == x:
                v, fv, w, fw = w, fw, u, fu
            elif fu <= fv or v == x or v == w:
                v, fv = u, fu
    return x, fx, nfev


__all__ = ["minimize_bounded"]
