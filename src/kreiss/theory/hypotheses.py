"""The hypotheses the paper's statements share, as :class:`~.bound.Precondition` builders,
and the 1-D suprema over the radius that several statements are written as."""

from __future__ import annotations

import math

import numpy as np

from ..linalg.scalar_min import minimize_bounded
from .bound import Facts, Precondition, facts

_REL = 1e-12


def optional_facts(J, blocks) -> Facts | None:
    """:func:`~.bound.facts` of J, or None when no J was given."""
    return None if J is None else facts(J, blocks)


def gamma_in_unit(gamma: float, *, positive: bool = False) -> Precondition:
    lo = "0 < gamma" if positive else "0 <= gamma"
    ok = (gamma > 0 if positive else gamma >= 0) and gamma < 1
    return Precondition(f"{lo} < 1", bool(ok), f"gamma = {gamma:.6g}")


def nonnegative(name: str, x: float) -> Precondition:
    return Precondition(f"{name} >= 0", bool(x >= 0), f"{name} = {x:.6g}")


def le(a: float, b: float) -> bool:
    """a <= b up to a relative 1e-12 (so that (1 - 0.9)^2 >= 0.01 counts as equal)."""
    return a <= b * (1 + _REL) + 1e-300


def block_triangular_class(F: Facts | None, gamma: float, c: float | None) -> list[Precondition]:
    """Theorem 4's hypotheses: B = 0, A and D symmetric, rho(A), rho(D) <= gamma, ||C|| <= c."""
    out = [gamma_in_unit(gamma)]
    if F is None:
        out += [
            Precondition("B = 0 (J block lower-triangular)", None, "no J given"),
            Precondition("A, D symmetric", None, "no J given"),
            Precondition("rho(A), rho(D) <= gamma", None, "no J given"),
        ]
        if c is not None:
            out.append(Precondition("||C|| <= c", None, "no J given"))
        return out
    out += [
        Precondition("B = 0 (J block lower-triangular)", F.B_zero, f"||B|| = {F.norm_B:.3g}"),
        Precondition(
            "A, D symmetric", F.symmetric,
            f"A {'is' if F.A_symmetric else 'is not'}, D {'is' if F.D_symmetric else 'is not'}",
        ),
        Precondition(
            "rho(A), rho(D) <= gamma", le(F.gamma, gamma),
            f"rho(A) = {F.rho_A:.6g}, rho(D) = {F.rho_D:.6g}",
        ),
    ]
    if c is not None:
        out.append(Precondition("||C|| <= c", le(F.c, c), f"||C|| = {F.c:.6g}"))
    return out


def symmetric_blocks(F: Facts | None) -> Precondition:
    if F is None:
        return Precondition("A, D symmetric (Section 3)", None, "no J given")
    return Precondition("A, D symmetric (Section 3)", F.symmetric, "")


def sup_over(f, limit: float, lo: float = 0.0) -> tuple[float, float]:
    """sup over t > lo of the vectorised ``f(t)``, and where it is attained.

    ``limit`` is lim_{t -> inf} f(t), given in closed form by the caller; when it is the
    supremum the returned argument is ``inf``.  A log-spaced grid of t - lo over 24 decades
    locates the maximum, a bounded scalar search on the log scale refines it.  The functions
    used here are smooth and have at most one interior maximum (each is studied in
    docs/theory.md), so this is the global supremum to about 1e-12 relative.
    """
    u = np.logspace(-12, 12, 2401)
    with np.errstate(all="ignore"):
        vals = np.asarray(f(lo + u), dtype=float)
    vals = np.where(np.isfinite(vals), vals, -np.inf)
    i = int(np.argmax(vals))
    best, where = float(vals[i]), float(lo + u[i])
    a, b = math.log(u[max(i - 1, 0)]), math.log(u[min(i + 1, u.size - 1)])
    if b > a:
        x, fx, _ = minimize_bounded(lambda s: -float(np.ravel(f(lo + math.exp(s)))[0]), a, b,
                                    1e-12)
        if -fx > best:
            best, where = -fx, float(lo + math.exp(x))
    if limit >= best:
        return float(limit), math.inf
    return best, where
