"""Theorem 10: when does the coupling B, C destabilise J = [[A, B], [C, D]]?

Each function returns the critical level of the coupling as a ``threshold`` Bound.
"""

from __future__ import annotations

from .bound import Bound, Precondition
from .hypotheses import optional_facts, symmetric_blocks


def _below_one(name: str, x: float) -> Precondition:
    return Precondition(f"{name} < 1", bool(x < 1), f"{name} = {x:.6g}")


def theorem10a(rho_A: float, rho_D: float, norm_B: float, norm_C: float,
               J=None, blocks=None) -> Bound:
    """Theorem 10(a): ||B|| ||C|| < (1 - rho(A))(1 - rho(D)) implies rho(J) < 1.

    True for normal A, D (hence under Section 3's symmetry): if |lambda| >= 1 is an
    eigenvalue, the Schur complement gives 1 <= ||R_D(lambda)|| ||C|| ||R_A(lambda)|| ||B||
    <= ||B|| ||C|| / ((1-rho(A))(1-rho(D))).  The paper's proof (||D^{-1}|| <=
    1/(1-rho(D)) and Weyl's inequality for a non-normal matrix) is not valid.
    """
    thr = (1 - rho_A) * (1 - rho_D)
    prod = norm_B * norm_C
    pres = (
        _below_one("rho(A)", rho_A), _below_one("rho(D)", rho_D),
        symmetric_blocks(optional_facts(J, blocks)),
        Precondition("||B|| ||C|| < (1-rho(A))(1-rho(D))", bool(prod < thr),
                     f"||B|| ||C|| = {prod:.6g}, threshold {thr:.6g}"),
    )
    return Bound("thm10a", "Theorem 10(a)", "||B|| ||C||", "threshold", thr, pres,
                 "||B|| ||C|| < (1-rho(A))(1-rho(D)) implies rho(J) < 1")


def theorem10b(a: complex, b: complex, c: complex, d: complex) -> Bound:
    """Theorem 10(b): for J = [[a, b], [c, d]], |a|, |d| < 1, rho(J) >= 1 requires
    |bc| >= (1-|a|)(1-|d|).  (bc = (lambda - a)(lambda - d) for an eigenvalue lambda.)"""
    thr = (1 - abs(a)) * (1 - abs(d))
    pres = (_below_one("|a|", abs(a)), _below_one("|d|", abs(d)))
    return Bound("thm10b", "Theorem 10(b)", "|bc|", "threshold", thr, pres,
                 "2x2: rho(J) >= 1 requires |bc| >= (1-|a|)(1-|d|)")


def theorem10c(a: float, b: float, c: float, d: float) -> Bound:
    """Theorem 10(c): for a, d in [0, 1), b, c > 0: rho(J) < 1 iff bc < (1-a)(1-d).
    (The eigenvalues are (a+d)/2 +- sqrt(((a-d)/2)^2 + bc), both real.)"""
    thr = (1 - a) * (1 - d)
    pres = (
        Precondition("a, d in [0, 1)", bool(0 <= a < 1 and 0 <= d < 1),
                     f"a = {a:.6g}, d = {d:.6g}"),
        Precondition("b, c > 0", bool(b > 0 and c > 0), f"b = {b:.6g}, c = {c:.6g}"),
    )
    return Bound("thm10c", "Theorem 10(c)", "bc", "threshold", thr, pres,
                 "2x2, a, d in [0,1), b, c > 0: rho(J) < 1 iff bc < (1-a)(1-d)")
