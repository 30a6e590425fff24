"""The paper's bounds on Kreiss constants and resolvent norms of block-triangular J.

J = [[A, 0], [C, D]], A and D symmetric, rho(A), rho(D) <= gamma < 1, ||C|| <= c;
K(J) = sup_{|z| > 1} (|z| - 1) ||(zI - J)^{-1}||.  Each function returns the statement as
printed in the paper (Theorems 4, 5, 7, 9, Lemma 16, Propositions 19, 20), whether or not
it is true: the audit (:mod:`kreiss.theory.claims`) and docs/theory.md judge them.  Pass
``J`` (and ``blocks``) to have the hypotheses checked on a concrete matrix.
"""

from __future__ import annotations

import math

import numpy as np

from .bound import Bound, Precondition
from .hypotheses import (
    block_triangular_class,
    gamma_in_unit,
    le,
    nonnegative,
    optional_facts,
    sup_over,
)

K_J = "K(J)"


def _delta(gamma: float) -> float:
    return 1.0 - gamma


def theorem4(gamma: float, c: float, J=None, blocks=None) -> Bound:
    """Theorem 4, eq. (4): K(J) <= sup_{r>1} [2(r-1)/(r-gamma) + (r-1) c/(r-gamma)^2].

    The supremum is computed numerically (:func:`~.hypotheses.sup_over`); its limit at
    r -> inf is 2.  (In closed form it equals 2 + max(0, c - 2(1-gamma))^2 / (4c(1-gamma)),
    which is the sharp bound plus one; docs/theory.md.)
    """
    pres = block_triangular_class(optional_facts(J, blocks), gamma, c)
    value, r = sup_over(
        lambda r: (r - 1) * (2 / (r - gamma) + c / (r - gamma) ** 2), limit=2.0, lo=1.0
    )
    return Bound("thm4-eq4", "Theorem 4, eq. (4)", K_J, "upper", value, tuple(pres),
                 "K(J) <= sup_{r>1} [2(r-1)/(r-gamma) + (r-1)||C||/(r-gamma)^2]", {"r": r})


def theorem4a(gamma: float, c: float, J=None, blocks=None) -> Bound:
    """Theorem 4(a), weak coupling ||C|| <= (1-gamma)^2:
    K(J) <= 2/(1-gamma) + ||C||/(4(1-gamma))."""
    d = _delta(gamma)
    pres = block_triangular_class(optional_facts(J, blocks), gamma, c)
    pres.append(Precondition("||C|| <= (1-gamma)^2 (weak coupling)", le(c, d * d),
                             f"c = {c:.6g}, (1-gamma)^2 = {d * d:.6g}"))
    value = 2 / d + c / (4 * d) if d > 0 else math.inf
    return Bound("thm4a", "Theorem 4(a)", K_J, "upper", value, tuple(pres),
                 "K(J) <= 2/(1-gamma) + ||C||/(4(1-gamma)) when ||C|| <= (1-gamma)^2")


def theorem4b(gamma: float, c: float, J=None, blocks=None) -> Bound:
    """Theorem 4(b), eq. (10): the value of eq. (4)'s function at r* = gamma + s*,
    s* = sqrt((1-gamma)^2 + ||C||):

        2 (s* - (1-gamma)) / s*  +  ||C|| (s* - (1-gamma)) / s*^2.

    The paper says r* maximises eq. (4); it does not (the maximiser is
    s = 2c(1-gamma)/(c - 2(1-gamma)) when c > 2(1-gamma), else r -> inf), so (10) is the
    function at an arbitrary point and falls below K(J) (docs/theory.md).
    """
    d = _delta(gamma)
    s = math.sqrt(d * d + c)
    value = 2 * (s - d) / s + c * (s - d) / (s * s) if s > 0 else 0.0
    pres = block_triangular_class(optional_facts(J, blocks), gamma, c)
    return Bound("thm4b-eq10", "Theorem 4(b), eq. (10)", K_J, "upper", value, tuple(pres),
                 "K(J) <= eq. (10), r* = gamma + sqrt((1-gamma)^2 + ||C||) optimising (4)",
                 {"r": gamma + s})


def theorem4b_expansion(gamma: float, c: float, J=None, blocks=None) -> Bound:
    """The small-coupling expansion after eq. (10), leading terms only:
    K(J) <= 2/(1-gamma) + 4||C||/(1-gamma)^3 + O(||C||^2/(1-gamma)^5).

    "Small coupling" is taken as ||C|| <= (1-gamma)^2, the regime of Theorem 4(a).  The
    expansion is not that of eq. (10), which is ||C||/(1-gamma)^2 + O(||C||^2) there.
    """
    d = _delta(gamma)
    pres = block_triangular_class(optional_facts(J, blocks), gamma, c)
    pres.append(Precondition("||C|| / (1-gamma)^2 small (taken as <= 1)", le(c, d * d),
                             f"||C||/(1-gamma)^2 = {c / (d * d) if d > 0 else math.inf:.6g}"))
    value = 2 / d + 4 * c / d**3 if d > 0 else math.inf
    return Bound("thm4b-expansion", "Theorem 4(b), expansion after eq. (10)", K_J,
                 "asymptotic", value, tuple(pres),
                 "K(J) <= 2/(1-gamma) + 4||C||/(1-gamma)^3 + O(||C||^2/(1-gamma)^5)")


def theorem4c(gamma: float, c: float = 0.0, J=None, blocks=None) -> Bound:
    """Theorem 4(c), decoupled C = 0: K(J) <= 1."""
    pres = block_triangular_class(optional_facts(J, blocks), gamma, c)
    pres.append(Precondition("C = 0 (decoupled)", bool(c == 0), f"||C|| = {c:.6g}"))
    return Bound("thm4c", "Theorem 4(c)", K_J, "upper", 1.0, tuple(pres), "K(J) <= 1 if C = 0")


def theorem5(gamma: float, c: float, J=None, blocks=None) -> Bound:
    """Theorem 5: K(J) >= sup_{r>1} (r-1) sqrt(1/(r-gamma)^2 + ||C||^2/(r-gamma)^4).

    Read with gamma = max(rho(A), rho(D)) and c = ||C|| (the most favourable reading: any
    larger gamma or c only raises the claimed lower bound).
    """
    pres = block_triangular_class(optional_facts(J, blocks), gamma, c)
    value, r = sup_over(
        lambda r: (r - 1) * np.sqrt(1 / (r - gamma) ** 2 + c**2 / (r - gamma) ** 4),
        limit=1.0, lo=1.0,
    )
    return Bound("thm5", "Theorem 5", K_J, "lower", value, tuple(pres),
                 "K(J) >= sup_{r>1} (r-1) sqrt(1/(r-gamma)^2 + ||C||^2/(r-gamma)^4)", {"r": r})


def theorem7(gamma: float, c: float) -> Bound:
    """Theorem 7 (minimax): every estimator of K(J) from (rho(A), rho(D), ||C||) has
    worst-case error >= c / (8 (1-gamma)^2) over C(gamma, c)."""
    d = _delta(gamma)
    value = c / (8 * d * d) if d > 0 else math.inf
    pres = (gamma_in_unit(gamma), nonnegative("c", c))
    return Bound("thm7", "Theorem 7", "inf_Khat sup_{J in C(gamma,c)} |Khat - K(J)|", "lower",
                 value, pres,
                 "minimax error of estimating K(J) from (rho(A), rho(D), ||C||) "
                 ">= c/(8(1-gamma)^2)")


def theorem9(K0: float, gamma: float, eps_norm_B0: float, J=None, blocks=None) -> Bound:
    """Theorem 9: with K0 = K(J0) and eps ||B0|| K0 < 1 - gamma,
    K(J0 + eps B0) <= K0 / (1 - eps ||B0|| K0 / (1 - gamma)).

    ``eps_norm_B0`` is the product eps ||B0|| (= ||eps B||).  When J is given it is
    J_eps; its diagonal blocks must satisfy the class hypotheses.
    """
    d = _delta(gamma)
    F = optional_facts(J, blocks)
    pres = block_triangular_class(None, gamma, None)[:1]
    if F is None:
        pres += [Precondition("A, D symmetric, rho(A), rho(D) <= gamma", None, "no J given")]
    else:
        pres += [
            Precondition("A, D symmetric", F.symmetric, ""),
            Precondition("rho(A), rho(D) <= gamma", F.gamma <= gamma * (1 + 1e-12),
                         f"rho(A) = {F.rho_A:.6g}, rho(D) = {F.rho_D:.6g}"),
        ]
    x = eps_norm_B0 * K0
    pres.append(Precondition("eps ||B0|| K0 < 1 - gamma", bool(x < d),
                             f"eps ||B0|| K0 = {x:.6g}, 1 - gamma = {d:.6g}"))
    value = K0 / (1 - x / d) if x < d else math.inf
    return Bound("thm9", "Theorem 9", "K(J_eps)", "upper", value, tuple(pres),
                 "K(J0 + eps B0) <= K0 / (1 - eps ||B0|| K0 / (1-gamma))")


def jordan_block(gamma: float, n: int) -> np.ndarray:
    """J_n(gamma) = gamma I + N, N the nilpotent superdiagonal (Lemma 16)."""
    return gamma * np.eye(n) + np.eye(n, k=1)


def lemma16(gamma: float, n: int) -> tuple[Bound, Bound]:
    """Lemma 16: K(J_n(gamma)) = sup_{r>1} (r-1) sum_{k<n} (r-gamma)^{-(k+1)}
    ~ (1-gamma)^{-(n-1)} for large n.  Returns (the equality, the asymptotic)."""
    pres = (gamma_in_unit(gamma), Precondition("n >= 1", n >= 1, f"n = {n}"))
    k = np.arange(n)[:, None]

    def f(r):
        r = np.atleast_1d(r)
        return (r - 1) * np.sum((r - gamma)[None, :] ** -(k + 1.0), axis=0)

    value, r = sup_over(f, limit=1.0, lo=1.0)
    eq = Bound("lemma16", "Lemma 16", "K(J_n(gamma))", "equality", value, pres,
               "K(J_n(gamma)) = sup_{r>1} (r-1) sum_{k=0}^{n-1} (r-gamma)^{-(k+1)}", {"r": r})
    asym = Bound("lemma16", "Lemma 16 (large n)", "K(J_n(gamma))", "asymptotic",
                 (1 - gamma) ** -(n - 1.0), pres, "K(J_n(gamma)) ~ (1-gamma)^{-(n-1)}")
    return eq, asym


def _prop_pres(gamma: float, c: float) -> tuple[Precondition, ...]:
    return (gamma_in_unit(gamma, positive=True),
            Precondition("c > 0", bool(c > 0), f"c = {c:.6g}"))


def proposition19(gamma: float, c: float, z: complex) -> tuple[Bound, Bound]:
    """Proposition 19: for J0 = [[gamma, 0], [c, gamma]] and |z| > gamma, w = z - gamma,
    sqrt(1/|w|^2 + c^2/|w|^4) <= ||(zI - J0)^{-1}|| <= 2/|w| + c/|w|^2."""
    w = abs(z - gamma)
    pres = _prop_pres(gamma, c) + (
        Precondition("|z| > gamma", bool(abs(z) > gamma), f"|z| = {abs(z):.6g}"),)
    lo = Bound("prop19", "Proposition 19 (lower)", "||(zI - J0)^{-1}||", "lower",
               math.sqrt(1 / w**2 + c**2 / w**4), pres, "sqrt(1/|w|^2 + c^2/|w|^4) <= ||R||")
    hi = Bound("prop19", "Proposition 19 (upper)", "||(zI - J0)^{-1}||", "upper",
               2 / w + c / w**2, pres, "||R|| <= 2/|w| + c/|w|^2")
    return lo, hi


def proposition20(gamma: float, c: float, r: float) -> tuple[Bound, Bound]:
    """Proposition 20: for the same J0 and r > 1, with phi_r(J0) read as
    max_{|z| = r} ||(zI - J0)^{-1}|| (the paper does not define it),
    sqrt(1/(r-gamma)^2 + c^2/(r-gamma)^4) <= phi_r(J0) <= 2/(r-gamma) + c/(r-gamma)^2."""
    d = r - gamma
    pres = _prop_pres(gamma, c) + (Precondition("r > 1", bool(r > 1), f"r = {r:.6g}"),)
    lo = Bound("prop20", "Proposition 20 (lower)", "phi_r(J0)", "lower",
               math.sqrt(1 / d**2 + c**2 / d**4), pres,
               "sqrt(1/d^2 + c^2/d^4) <= phi_r, d = r-gamma")
    hi = Bound("prop20", "Proposition 20 (upper)", "phi_r(J0)", "upper", 2 / d + c / d**2, pres,
               "phi_r <= 2/d + c/d^2, d = r-gamma")
    return lo, hi
