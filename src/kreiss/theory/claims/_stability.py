"""The stability thresholds as claims: Theorem 10 (a), (b), (c) (functions in
:mod:`kreiss.theory.stability`), each judged by the coupling at which rho(J) first reaches 1.
"""

from __future__ import annotations

import numpy as np

from .. import instances as I
from ..claim import Claim, Evaluation
from ..stability import theorem10a, theorem10b, theorem10c


def _first_unstable(make, s_lo: float, s_hi: float) -> float | None:
    """Smallest s in [s_lo, s_hi] (to 1e-13 relative) with rho(make(s)) >= 1, scanning a
    geometric grid then bisecting; None if none on the grid."""
    grid = np.geomspace(s_lo, s_hi, 121)
    prev = 0.0
    for s in grid:
        if I.radius(make(s)) >= 1:
            lo, hi = prev, s
            for _ in range(200):
                mid = (lo + hi) / 2
                if I.radius(make(mid)) >= 1:
                    hi = mid
                else:
                    lo = mid
                if hi - lo <= 1e-13 * hi:
                    break
            return hi
        prev = s
    return None


def _thm10a_eval(inst, exact):
    A, B, C, D = (np.atleast_2d(inst[k]) for k in "ABCD")
    ra, rd = I.radius(A), I.radius(D)
    if ra >= 1 or rd >= 1:
        return None
    thr = (1 - ra) * (1 - rd)
    prod = np.linalg.norm(B, 2) * np.linalg.norm(C, 2)
    if prod == 0:
        return None
    def make(s):
        return np.block([[A, s * B], [C, D]])

    s = _first_unstable(make, 1e-3 * thr / prod, 1e4 * max(1.0, thr / prod))
    if s is None:
        return None
    return Evaluation(s * prod / thr, inst | {"J": make(s), "B": s * B},
                      f"first instability at ||B|| ||C|| = {s * prod:.6g}, "
                      f"threshold (1-rho(A))(1-rho(D)) = {thr:.6g}", True)


def _coupled(A, B, C, D) -> dict:
    A, B, C, D = (np.atleast_2d(np.asarray(X, dtype=complex if np.iscomplexobj(X) else float))
                  for X in (A, B, C, D))
    return {"J": np.block([[A, B], [C, D]]), "A": A, "B": B, "C": C, "D": D}


def _thm10a_instances(quick):
    rng = np.random.default_rng(3)
    out = [_coupled([[a]], [[1.0]], [[1.0]], [[d]]) for a, d in ((0.5, 0.2), (0.9, 0.0))]
    out.append(_coupled([[-0.5]], [[1.0]], [[-1.0]], [[-0.3]]))
    for spec in ("+gamma", "+-gamma", "uniform"):
        x = I.random_class(rng, 3, 2, 0.8, 1.0, spec, "rank1-top")
        out.append(_coupled(x["A"], rng.standard_normal((3, 2)), x["C"], x["D"]))
    return out


def _thm10a_sample(rng):
    p, q = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    A = I.symmetric(rng.uniform(-0.99, 0.99, p), rng=rng)
    D = I.symmetric(rng.uniform(-0.99, 0.99, q), rng=rng)
    return _coupled(A, rng.standard_normal((p, q)), rng.standard_normal((q, p)), D)


THM10A = Claim(
    "thm10a", "Theorem 10(a)",
    "||B|| ||C|| < (1-rho(A))(1-rho(D)) implies rho(J) < 1",
    "A, D symmetric (Section 3); ratio = (||B|| ||C|| at the first s with rho([[A, sB], [C, D]]) "
    ">= 1) / threshold",
    _thm10a_eval, _thm10a_instances, _thm10a_sample,
    bound=theorem10a, verdict="holds",
    notes="Holds (tight for scalar a, d >= 0, bc > 0) for normal A, D: an eigenvalue "
          "|lambda| >= 1 gives 1 <= ||R_D(lambda) C R_A(lambda) B||. The proof's "
          "||D^{-1}|| <= 1/(1-rho(D)) and 'Weyl's inequality' for rho are wrong; so is its "
          "intermediate rho(J) <= rho(A) + ||B|| ||C||/(1-rho(D)) (A = D = 0, bc = 1/4). "
          "Without symmetry the statement fails.",
)


def _thm10b_eval(inst, exact):
    a, b, c, d = (complex(np.ravel(inst[k])[0]) for k in "ABCD")
    if abs(a) >= 1 or abs(d) >= 1:
        return None
    rho = I.radius(inst["J"])
    if rho < 1 - 1e-12:
        return None
    thr = (1 - abs(a)) * (1 - abs(d))
    return Evaluation(abs(b * c) / thr, inst,
                      f"rho(J) = {rho:.6g}, |bc| = {abs(b * c):.6g}, threshold {thr:.6g}", True)


def _thm10b_make(a, d, lam, phase=0.0):
    prod = (lam - a) * (lam - d)
    b = np.sqrt(abs(prod)) * np.exp(1j * phase) if abs(prod) > 0 else 0.0
    c = prod / b if b != 0 else 0.0
    if all(abs(np.imag(x)) == 0 for x in (a, b, c, d)):
        a, b, c, d = (float(np.real(x)) for x in (a, b, c, d))
    return _coupled([[a]], [[b]], [[c]], [[d]])


def _thm10b_instances(quick):
    return [_thm10b_make(0.5, 0.3, 1.0), _thm10b_make(-0.5, -0.2, -1.0),
            _thm10b_make(0.5j, 0.2j, 1j, 0.3), _thm10b_make(0.9, 0.0, 1.0)]


def _thm10b_sample(rng):
    a, d = (rng.uniform(0, 0.99) * np.exp(2j * np.pi * rng.uniform()) for _ in range(2))
    lam = 10 ** rng.uniform(0, 0.3) * np.exp(2j * np.pi * rng.uniform())
    return _thm10b_make(a, d, lam, 2 * np.pi * rng.uniform())


def _thm10b_build(th):
    a = 0.99 * np.sin(th[0]) * np.exp(1j * th[1])
    d = 0.99 * np.sin(th[2]) * np.exp(1j * th[3])
    return _thm10b_make(a, d, np.exp(1j * th[4]), th[5])


THM10B = Claim(
    "thm10b", "Theorem 10(b)",
    "2x2, |a|, |d| < 1: rho(J) >= 1 requires |bc| >= (1-|a|)(1-|d|)",
    "complex 2x2 with an eigenvalue lambda, |lambda| >= 1, built from bc = (lambda-a)(lambda-d)",
    _thm10b_eval, _thm10b_instances, _thm10b_sample, (6, _thm10b_build),
    bound=theorem10b, verdict="holds",
    notes="Holds, tight at lambda = 1 with a, d >= 0 (the paper's proof is correct).",
)


def _thm10c_eval(inst, exact):
    a, b, c, d = (float(np.ravel(inst[k])[0].real) for k in "ABCD")
    if not (0 <= a < 1 and 0 <= d < 1 and b > 0 and c > 0):
        return None
    thr = (1 - a) * (1 - d)

    def make(s):
        return np.array([[a, s * b], [c, d]])

    s = _first_unstable(make, 1e-4 * thr / (b * c), 1e4 * thr / (b * c))
    if s is None:
        return None
    x = s * b * c / thr
    stable = I.radius(inst["J"]) < 1
    return Evaluation(min(x, 1 / x), inst,
                      f"rho(J) < 1 exactly for bc < {s * b * c:.10g}; claimed threshold "
                      f"{thr:.10g} (this J: bc = {b * c:.4g}, "
                      f"{'stable' if stable else 'unstable'})",
                      True)


def _thm10c_sample(rng):
    a, d = rng.uniform(0, 1, 2)
    b, c = 10 ** rng.uniform(-2, 1, 2)
    return _coupled([[a]], [[b]], [[c]], [[d]])


THM10C = Claim(
    "thm10c", "Theorem 10(c)",
    "a, d in [0,1), b, c > 0: rho(J) < 1 iff bc < (1-a)(1-d)",
    "critical bc (bisection on rho) against (1-a)(1-d); ratio min(x, 1/x)",
    _thm10c_eval,
    lambda quick: [_coupled([[a]], [[b]], [[c]], [[d]])
                   for a, b, c, d in ((0.5, 1.0, 0.1, 0.2), (0.0, 3.0, 2.0, 0.99),
                                      (0.9, 0.01, 0.01, 0.9))],
    _thm10c_sample, fail_below=1 - 1e-8,
    bound=theorem10c, verdict="holds",
    notes="Holds: the eigenvalues are (a+d)/2 +- sqrt(((a-d)/2)^2 + bc).",
)
