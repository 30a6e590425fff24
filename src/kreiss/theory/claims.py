"""The paper's claims as auditable :class:`~.audit.Claim` objects (see docs/theory.md).

Readings common to all: gamma is max(rho(A), rho(D)) and c is ||C|| of the instance (the
smallest values the hypotheses allow, so that an upper bound is tested where it is
tightest and a lower bound where it is weakest); A and D are symmetric (Section 3).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from . import instances as I
from .audit import CERTIFY, Claim, Evaluation
from .continuous import continuous_time_analogue, continuous_time_matrix
from .exact import Value
from .hypotheses import le
from .iqc import iqc_formula
from .ntk import ntk_jacobian, theorem12
from .resolvent_bounds import (
    jordan_block,
    lemma16,
    proposition19,
    proposition20,
    theorem4,
    theorem4a,
    theorem4b,
    theorem4b_expansion,
    theorem5,
    theorem7,
    theorem9,
)
from .sharp import (
    power_bound_values,
    sharp_kreiss_bound,
    sharp_kreiss_constant_value,
    sharp_transient_value,
)
from .transient_bounds import mean_square_error

E = math.e


# --------------------------------------------------------------------------- helpers
def _upper(bound: float, ex: Value, inst: dict, what: str) -> Evaluation:
    """Evaluation of 'what <= bound' against the exact bracket of `what`."""
    ratio = bound / ex.value if ex.value > 0 else math.inf
    if not math.isfinite(ex.value):
        ratio = 0.0
    certified = bound < ex.lower * (1 - CERTIFY)
    return Evaluation(ratio, inst, f"{what} = {ex.value:.6g} vs bound {bound:.6g}", certified)


def _lower(bound: float, ex: Value, inst: dict, what: str) -> Evaluation:
    """Evaluation of 'what >= bound'."""
    ratio = ex.value / bound if bound > 0 else math.inf
    certified = ex.upper < bound * (1 - CERTIFY)
    return Evaluation(ratio, inst, f"{what} = {ex.value:.6g} vs lower bound {bound:.6g}",
                      certified)


def _gc(inst: dict) -> tuple[float, float]:
    return float(inst["gamma"]), float(inst["c"])


def _grid(quick: bool):
    """(gamma, c) pairs: c at fixed multiples of 1 - gamma (and of (1-gamma)^2)."""
    gammas = (0.5, 0.9) if quick else (0.0, 0.3, 0.5, 0.9, 0.99)
    mults = (0.5, 4.0, 40.0) if quick else (0.05, 0.5, 1.0, 2.0, 4.0, 40.0, 400.0)
    out = []
    for g in gammas:
        d = 1 - g
        out += [(g, d * d / 2)] + [(g, m * d) for m in mults]
    return out


@lru_cache(maxsize=2)
def class_pool(quick: bool) -> tuple[dict, ...]:
    """Extremal instances shared by the class claims: J* and its sign flip D = -gamma at
    every grid point; A = D = gamma I_3 with a random rank-one C; spectra at +-gamma with C
    coupling the top eigenvectors (4 x 4); a random dense one (3 + 2)."""
    rng = np.random.default_rng(12345)
    pool = []
    for g, c in _grid(quick):
        pool.append(I.star(g, c))
        pool.append(I.star(g, c, -g))
    for k, (g, c) in enumerate(_grid(quick)):
        if quick and k % 2:
            continue
        pool.append(I.random_class(rng, 3, 3, g, c, "+gamma", "rank1"))
        pool.append(I.random_class(rng, 2, 2, g, c, "+-gamma", "rank1-top"))
        if not quick:
            pool.append(I.random_class(rng, 3, 2, g, c, "uniform", "dense"))
    return tuple(pool)


def _pool(pred):
    return lambda quick: [x for x in class_pool(quick) if pred(x)]


def _weak(inst) -> bool:
    g, c = _gc(inst)
    return le(c, (1 - g) ** 2)


SEARCH22 = (I.class_dim(2, 2), lambda th: I.build_class(th, 2, 2))
SEARCH22_WEAK = (I.class_dim(2, 2), lambda th: I.build_class(th, 2, 2, "weak"))


def _class_claim(id, label, statement, reading, bound_fn, kind="upper", weak=False,
                 extra=(), notes="", tight_tol=1e-3) -> Claim:
    """A claim 'K(J) <= (>=) bound_fn(gamma, c)' over the class."""

    def evaluate(inst, exact):
        g, c = _gc(inst)
        if g >= 1 or (weak and not le(c, (1 - g) ** 2)):
            return None
        b = bound_fn(g, c)
        ex = exact.kreiss(inst["J"])
        return (_upper if kind == "upper" else _lower)(b, ex, inst, "K(J)")

    def extremal(quick):
        pool = [x for x in class_pool(quick) if (not weak or _weak(x))]
        return pool + [f() for f in extra]

    def sample(rng):
        return I.draw_class(rng, weak=weak)

    return Claim(id, label, statement, reading, evaluate, extremal, sample,
                 SEARCH22_WEAK if weak else SEARCH22, notes=notes, tight_tol=tight_tol)


# --------------------------------------------------------------------------- Theorem 4
THM4_EQ4 = _class_claim(
    "thm4-eq4", "Theorem 4, eq. (4)",
    "K(J) <= sup_{r>1} [2(r-1)/(r-gamma) + (r-1)||C||/(r-gamma)^2]",
    "sup computed numerically over r in (1, inf), limit 2 at infinity",
    lambda g, c: theorem4(g, c).value,
    notes="Holds: it equals the sharp bound plus exactly 1 (docs/theory.md), so it is "
          "tight only relatively, as ||C||/(1-gamma) grows. Proof: the stationary point "
          "s* = sqrt((1-gamma)^2 + ||C||) claimed in Appendix A is wrong.",
)

THM4A = _class_claim(
    "thm4a", "Theorem 4(a)",
    "weak coupling ||C|| <= (1-gamma)^2: K(J) <= 2/(1-gamma) + ||C||/(4(1-gamma))",
    "only instances with ||C|| <= (1-gamma)^2",
    lambda g, c: theorem4a(g, c).value, weak=True,
    notes="Holds but loose: under its hypothesis K(J) = 1 exactly (sharp bound, x < 1), "
          "so the ratio is >= 2/(1-gamma). The formula holds for every ||C||, not only weak "
          "coupling. Proof: 'the supremum is controlled by r -> 1+' is wrong (f -> 0 there); "
          "the argument actually gives 2 + ||C||/(4(1-gamma)).",
)

THM4B_EQ10 = _class_claim(
    "thm4b-eq10", "Theorem 4(b), eq. (10)",
    "r* = gamma + sqrt((1-gamma)^2 + ||C||) optimises (4), giving K(J) <= eq. (10)",
    "eq. (10) read as an upper bound on K(J)",
    lambda g, c: theorem4b(g, c).value,
    extra=(lambda: I.star(0.5, 0.01), lambda: I.star(0.99, 1.0)),
    notes="Fails: r* is not the maximiser of (4) (f'(s) = ((2d - c)s + 2cd)/s^3, d = 1-gamma), "
          "so (10) evaluates (4)'s function at an arbitrary point; it tends to 0 as "
          "||C|| -> 0 while K(J) >= 1 always.",
)

THM4B_EXP = _class_claim(
    "thm4b-expansion", "Theorem 4(b), small-coupling expansion",
    "K(J) <= 2/(1-gamma) + 4||C||/(1-gamma)^3 + O(||C||^2/(1-gamma)^5)",
    "leading terms read as an upper bound for ||C|| <= (1-gamma)^2",
    lambda g, c: theorem4b_expansion(g, c).value, weak=True,
    notes="Holds as a (loose) upper bound, but it is not the expansion of (10): eq. (10) "
          "= ||C||/(1-gamma)^2 + O(||C||^2) for small ||C||.",
)


def _decoupled(quick):
    rng = np.random.default_rng(7)
    gs = (0.5, 0.9) if quick else (0.0, 0.5, 0.9, 0.99)
    out = []
    for g in gs:
        out.append(I.class_instance([[g]], [[0.0]], [[-g]]))
        out.append(I.random_class(rng, 3, 2, g, 0.0, "+-gamma"))
    return out


def _thm4c_eval(inst, exact):
    g, c = _gc(inst)
    if c != 0 or g >= 1:
        return None
    return _upper(1.0, exact.kreiss(inst["J"]), inst, "K(J)")


THM4C = Claim(
    "thm4c", "Theorem 4(c)", "decoupled C = 0: K(J) <= 1", "instances with C = 0",
    _thm4c_eval, _decoupled, lambda rng: I.draw_class(rng, decoupled=True),
    (I.class_dim(2, 2), lambda th: I.build_class(th, 2, 2, "zero")),
    notes="Holds with equality: K(J) = max(K(A), K(D)) = 1 for symmetric A, D.",
)

THM5 = _class_claim(
    "thm5", "Theorem 5",
    "K(J) >= sup_{r>1} (r-1) sqrt(1/(r-gamma)^2 + ||C||^2/(r-gamma)^4)",
    "gamma = max(rho(A), rho(D)), c = ||C|| (the weakest lower bound the statement allows)",
    lambda g, c: theorem5(g, c).value, kind="lower",
    notes="Fails: the proof assumes (zI-D)^{-1} C u has the size c/(r-gamma)^2; with "
          "D = -gamma (eigenvalue at -gamma) it is c/((r-gamma)(r+gamma)). It holds for "
          "J* = [[gamma, 0], [c, gamma]].",
)


# --------------------------------------------------------------------------- Theorem 7
def _thm7_eval(inst, exact):
    g, c = _gc(inst)
    if g >= 1 or c <= 0:
        return None
    s, _ = sharp_kreiss_constant_value(g, c)
    ks = exact.kreiss(inst["J"])  # J* attains s: the core confirms the closed form
    if not abs(ks.value - s) <= 1e-6 * s:
        return Evaluation(math.nan, inst, "core disagrees with the sharp bound", False)
    risk = (s - 1) / 2  # worst error of the midpoint estimator (1 + s)/2 over C(gamma, c)
    claimed = theorem7(g, c).value
    if s == 1:
        what = (f"c <= 2(1-gamma): K(J) = 1 for every J in C(gamma={g:.3g}, c={c:.3g}) "
                f"(core: K(J*) = {ks.value:.6g}), so Khat = 1 has error 0")
    else:
        what = (f"Khat = (1+S)/2, S = K(J*) = {s:.6g} (core {ks.value:.6g}), has worst error "
                f"(S-1)/2 = {risk:.6g} over C(gamma={g:.3g}, c={c:.3g})")
    return Evaluation(risk / claimed, inst, f"{what} < claimed {claimed:.6g}", True)


THM7 = Claim(
    "thm7", "Theorem 7",
    "inf_Khat sup_{J in C(gamma,c)} |Khat - K(J)| >= c/(8(1-gamma)^2)",
    "Khat = (1 + S(gamma, c))/2, S the sharp bound; 1 <= K(J) <= S on the class "
    "(docs/theory.md) bounds its worst error by (S-1)/2; J* (K = S) is checked by the core",
    _thm7_eval,
    lambda quick: [I.star(g, c) for g, c in _grid(quick) if c > 0],
    lambda rng: I.star(float(rng.uniform(0, 0.99)), float(10 ** rng.uniform(-2, 2))),
    notes="Fails for every gamma in [0, 1) and c > 0: (S-1)/2 <= c/(8(1-gamma)) < "
          "c/(8(1-gamma)^2). The two-point proof uses K(J0) - K(J1) = Omega(c/(1-gamma)^2), "
          "but K(J0) = S ~ c/(4(1-gamma)).",
)


# --------------------------------------------------------------------------- Theorem 8
def _peak_eval(inst, exact):
    g = float(inst["gamma"])
    if not 0 < g < 1:
        return None
    K = exact.kreiss(inst["J"]).value
    norms = exact.powers(inst["J"])
    near = np.flatnonzero(norms >= norms.max() * (1 - 1e-9))
    t_pred = math.log(K) / -math.log(g)
    t_act = int(near[np.argmin(np.abs(near - t_pred))])  # the most favourable argmax
    a, b = 1 + t_pred, 1 + t_act
    return Evaluation(min(a / b, b / a), inst,
                      f"argmax_t ||J^t|| = {t_act}, predicted log K/(-log gamma) = "
                      f"{t_pred:.4g} (K = {K:.6g})", True)


THM8_PEAK = Claim(
    "thm8-peak", "Theorem 8 (peak time)",
    "the peak of ||J^t|| occurs near t* = log K(J) / (-log gamma)",
    "'near' = within a factor 2, measured as (1 + t*)/(1 + t_peak)",
    _peak_eval,
    lambda quick: [x for x in class_pool(quick) if x["gamma"] > 0]
    + [I.star(0.9, 1e4), I.star(0.99, 1e3), I.star(0.9, 0.2)],
    lambda rng: I.draw_class(rng), SEARCH22, fail_below=0.5,
    notes="Fails: for J* the peak is at about 1/(-log gamma) whatever c, while "
          "log K/(-log gamma) grows like log(c/(1-gamma)); the proof's ||J^t|| ~ K gamma^t "
          "gives the time at which K gamma^t = 1, not a peak.",
)


def _duration_eval(inst, exact):
    g, tau = float(inst["gamma"]), float(inst["tau"])
    if not 0 < g < 1 or tau <= 1:
        return None
    n = inst["J"].shape[0]
    K = exact.kreiss(inst["J"]).value
    if tau < 10 / (E * n * K):
        return None
    T = int(math.floor(math.log(tau) / -math.log(g)))
    if T < 1:
        return None
    norms = exact.powers(inst["J"])
    window = norms[1 : T + 1]
    t = 1 + int(np.argmin(window))
    return Evaluation(float(window.min()) / tau, inst,
                      f"||J^{t}|| = {window.min():.6g} <= tau = {tau:.4g} although "
                      f"t <= log tau/(-log gamma) = {math.log(tau) / -math.log(g):.4g}"
                      if window.min() <= tau else
                      f"min_(1<=t<={T}) ||J^t|| = {window.min():.6g} > tau = {tau:.4g}", True)


def _duration_instances(quick):
    out = []
    for x in class_pool(quick):
        g = x["gamma"]
        if g <= 0:
            continue
        for tau in (1 / g, 1 / g**3, 2.0):
            out.append(x | {"tau": float(tau)})
    return out


THM8_DURATION = Claim(
    "thm8-duration", "Theorem 8 (duration)",
    "||J^t|| > tau for t <= log(tau)/(-log gamma) when tau >> 1/(e n K(J))",
    "t = 1, ..., floor(log tau/(-log gamma)) (t = 0 excluded: ||J^0|| = 1 would refute it "
    "for every tau > 1); '>>' = at least 10 times",
    _duration_eval, _duration_instances,
    lambda rng: I.draw_class(rng) | {"tau": float(1 + 10 ** rng.uniform(-1, 2))},
    fail_below=1.0,
    notes="Fails, e.g. for C = 0 (||J^t|| = gamma^t < 1 < tau). Inverting the Kreiss-matrix "
          "bound gives the opposite inclusion: ||J^t|| > tau only if gamma^t > tau/(e n K), "
          "and even ||J^t|| <= e n K gamma^t is false (Theorem 18).",
)


# --------------------------------------------------------------------------- Theorem 9
def _thm9_eval(inst, exact):
    g = float(inst["gamma"])
    if g >= 1:
        return None
    p = inst["A"].shape[0]
    J0 = inst["J"].copy()
    J0[:p, p:] = 0
    k0 = exact.kreiss(J0)
    eb = float(np.linalg.norm(inst["B"], 2))
    if not eb * k0.upper < 1 - g:
        return None
    bound = theorem9(k0.value, g, eb).value
    hi = theorem9(k0.upper, g, eb).value
    ke = exact.kreiss(inst["J"])
    ev = _upper(bound, ke, inst, "K(J0 + eps B0)")
    rho = I.radius(inst["J"])
    if not math.isfinite(ke.value):
        ev.detail = (f"rho(J_eps) = {rho:.6g} >= 1 (K infinite) although eps||B0|| K0 = "
                     f"{eb * k0.value:.4g} < 1 - gamma = {1 - g:.4g}; claimed bound {bound:.6g}")
    ev.certified = hi < ke.lower * (1 - CERTIFY)
    return ev


def _perturb(base: dict, B: np.ndarray, fraction: float, K0: float) -> dict:
    g = base["gamma"]
    eb = fraction * (1 - g) / K0
    Bs = eb * B / np.linalg.norm(B, 2)
    J = base["J"].copy()
    p = base["A"].shape[0]
    J[:p, p:] = Bs
    return base | {"J": J, "B": Bs, "eps_norm_B0": eb}


def _thm9_instances(quick):
    out = []
    for g, c in ((0.5, 10.0), (0.9, 2.0), (0.9, 0.5)):
        s, _ = sharp_kreiss_constant_value(g, c)
        for frac in (0.5, 0.9):
            out.append(_perturb(I.star(g, c), np.ones((1, 1)), frac * 0.999, s))
    return out


def _thm9_sample(rng):
    """eps from the sharp bound S >= K0, so the hypothesis holds; it is re-checked with K0."""
    base = I.draw_class(rng)
    p, q = base["A"].shape[0], base["D"].shape[0]
    s = sharp_kreiss_bound(I.radius(base["A"]), base["c"], I.radius(base["D"])).value
    return _perturb(base, rng.standard_normal((p, q)), float(rng.uniform(0.1, 0.95)), s)


THM9 = Claim(
    "thm9", "Theorem 9",
    "if eps||B0|| K0 < 1-gamma then K(J0 + eps B0) <= K0 / (1 - eps||B0|| K0/(1-gamma))",
    "K0 = K(J0) from the core; the hypothesis is checked with its certified upper end",
    _thm9_eval, _thm9_instances, _thm9_sample,
    notes="Fails, even to instability: for J* the perturbation gives eigenvalues "
          "gamma +- sqrt(eps b c). Proof: (r-1)||R|| <= K0/(1 - eps b K0/(r-1)) is then bounded "
          "by its value at r - 1 = 1 - gamma only for r - 1 >= 1 - gamma, and Weyl's "
          "inequality does not bound the spectral radius of a non-normal perturbation.",
)


# --------------------------------------------------------------------------- Theorem 10
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
    notes="Holds: the eigenvalues are (a+d)/2 +- sqrt(((a-d)/2)^2 + bc).",
)


# --------------------------------------------------------------------------- Theorem 11
def _thm11_eval(inst, exact):
    J = inst["J"]
    g = float(inst["gamma"])
    if g >= 1:
        return None
    p = inst["A"].shape[0]
    q = J.shape[0] - p
    al, be, s2, delta = (float(inst[k]) for k in ("alpha", "beta", "sigma2", "delta"))
    cov = np.diag(np.r_[np.full(p, al * al * s2 / p), np.full(q, be * be * s2 / q)])
    T = int(min(20000, 60 / max(1 - g, 1e-3)))
    mse = mean_square_error(J, inst["e0"], cov, T)
    t = 1 + int(np.argmin(mse[1:]))
    floor = float(np.trace(cov))
    return Evaluation(delta / mse[t], inst,
                      f"min_(1<=T<={T}) E||e_T||^2 = {mse[t]:.6g} at T = {t} > delta = {delta:.3g} "
                      f"(every T >= 1 has E||e_T||^2 >= tr Cov(eta) = {floor:.6g})"
                      if mse[t] > delta else f"E||e_T||^2 = {mse[t]:.3g} <= delta at T = {t}",
                      True)


def _thm11_instances(quick):
    out = []
    for base in (I.class_instance([[0.5]], [[0.0]], [[0.5]]), I.star(0.9, 1.0)):
        for delta in (0.25, 1e-3):
            out.append(base | {"alpha": 0.5, "beta": 0.5, "sigma2": 1.0, "delta": delta,
                               "e0": np.ones(base["J"].shape[0])})
    return out


def _thm11_sample(rng):
    base = I.draw_class(rng, gamma_max=0.95)
    n = base["J"].shape[0]
    return base | {"alpha": float(rng.uniform(0.01, 1)), "beta": float(rng.uniform(0.01, 1)),
                   "sigma2": float(10 ** rng.uniform(-3, 0)),
                   "delta": float(10 ** rng.uniform(-6, -1)), "e0": rng.standard_normal(n)}


THM11 = Claim(
    "thm11", "Theorem 11",
    "after T = O(K(J)^2 log(1/delta)/(1-gamma)^2) iterations E||e_T||^2 <= delta",
    "any constant depending on n, sigma^2, ||e_0||: fails if no T >= 1 reaches delta; noise "
    "xi ~ N(0, sigma^2/p I), zeta ~ N(0, sigma^2/q I) (E||xi||^2 = sigma^2); exact E||e_T||^2",
    _thm11_eval, _thm11_instances, _thm11_sample,
    notes="Fails whenever sigma > 0 and delta < tr Cov(eta): the last noise term alone gives "
          "E||e_T||^2 >= tr Cov(eta) for every T. The proof's noise sum grows with T and "
          "cannot be made <= delta/2 by taking T large.",
)


# --------------------------------------------------------------------------- Theorem 12
def _ntk(txx, tyx, tyy, eta):
    txx, tyx, tyy = (np.atleast_2d(np.asarray(X, dtype=float)) for X in (txx, tyx, tyy))
    J = ntk_jacobian(txx, np.zeros((txx.shape[0], tyy.shape[0])), tyx, tyy, eta)
    p = txx.shape[0]
    return {"J": J, "A": J[:p, :p], "C": J[p:, :p], "D": J[p:, p:], "theta_xx": txx,
            "theta_yx": tyx, "theta_yy": tyy, "eta": float(eta)}


def _thm12_eval(inst, exact):
    b = theorem12(inst["theta_xx"], inst["theta_yx"], float(inst["eta"]), inst["theta_yy"])
    if b.applies is False:
        return None
    ev = _upper(b.value, exact.kreiss(inst["J"]), inst, "K(I - eta K_eff)")
    ev.detail += (f" (gamma = 1 - eta lambda_min(Theta_xx) = {b.where['gamma']:.4g}; "
                  f"rho(A) = {I.radius(inst['A']):.4g}, rho(D) = {I.radius(inst['D']):.4g})")
    return ev


def _thm12_sample(rng):
    p, q = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    txx = I.symmetric(10 ** rng.uniform(-2, 0, p), rng=rng)
    tyy = I.symmetric(10 ** rng.uniform(-3, 0, q), rng=rng)
    # eta < 2/lambda_max of both kernels: A and D stable, the most favourable case
    lam = max(np.linalg.eigvalsh(txx)[-1], np.linalg.eigvalsh(tyy)[-1])
    eta = float(rng.uniform(0.1, 1.9) / lam)
    tyx = rng.standard_normal((q, p)) * 10 ** rng.uniform(-2, 1)
    return _ntk(txx, tyx, tyy, eta)


THM12 = Claim(
    "thm12", "Theorem 12 (effective NTK)",
    "Theorem 4 applies to J = I - eta K_eff with gamma = 1 - eta lambda_min(Theta_xx), "
    "||C|| = eta ||Theta_yx||",
    "Theta_xy = 0 (so J is block-triangular, the most favourable case); bound = the larger "
    "of eq. (4) and, under weak coupling, Theorem 4(a) at those gamma, c",
    _thm12_eval,
    lambda quick: [_ntk(0.5, 3.0, 0.01, 1.0), _ntk(np.diag([1.0, 10.0]), 0.01 * np.ones((2, 2)),
                                                    np.diag([1.0, 10.0]), 0.19)],
    _thm12_sample,
    notes="Fails: this gamma bounds neither rho(D) (Theta_yy does not enter) nor rho(A) when "
          "eta lambda_max(Theta_xx) > 2 - eta lambda_min; and with Theta_xy != 0 J is not "
          "block-triangular at all.",
)


# --------------------------------------------------------------------------- Theorem 18
def _thm18_eval(inst, exact):
    g = float(inst["gamma"])
    if g >= 1:
        return None
    J = inst["J"]
    n = J.shape[0]
    K = exact.kreiss(J)
    norms = exact.powers(J)
    t = np.arange(norms.size)
    keep = norms > 1e-10 * norms.max()
    bound = E * n * K.value * g ** t[keep]
    ratio = bound / norms[keep]
    i = int(np.argmin(ratio))
    tt = int(t[keep][i])
    hi = E * n * K.upper * g**tt
    return Evaluation(float(ratio[i]), inst | {"t": tt},
                      f"||J^{tt}|| = {norms[keep][i]:.6g} vs e n K gamma^t = {bound[i]:.6g} "
                      f"(K = {K.value:.6g})", bool(hi < norms[keep][i] * (1 - CERTIFY)))


THM18 = Claim(
    "thm18", "Theorem 18",
    "||x_t - x*|| <= e n K(J) gamma^t ||x_0 - x*||",
    "as ||J^t|| <= e n K(J) gamma^t for every t (sup over x_0), t up to the core's horizon",
    _thm18_eval, _pool(lambda x: True), lambda rng: I.draw_class(rng), SEARCH22,
    notes="Fails: ||J*^t|| >= c t gamma^(t-1) outgrows any constant times gamma^t. The "
          "Cauchy-integral step in the proof of Theorem 8 needs r > 1 for K(J); optimising "
          "r^(t+1) K/(r-1) over r > 1 gives e (t+1) K, not e K gamma^t. The sharp "
          "replacement is ||J^t|| <= ||[[gamma^t, 0], [c t gamma^(t-1), gamma^t]]||.",
)


# --------------------------------------------------------------------------- Lemmas 16, 17
def _lemma16_eval(inst, exact):
    g, n = float(inst["gamma"]), int(inst["n"])
    claimed = lemma16(g, n)[0].value
    K = exact.kreiss(inst["J"])
    x = K.value / claimed
    certified = claimed > K.upper * (1 + CERTIFY) or claimed < K.lower * (1 - CERTIFY)
    asym = K.value * (1 - g) ** (n - 1)
    return Evaluation(min(x, 1 / x), inst,
                      f"K(J_{n}({g:g})) = {K.value:.6g} vs claimed sup formula {claimed:.6g}; "
                      f"K (1-gamma)^(n-1) = {asym:.4g}", certified)


def _jordan(g, n):
    J = jordan_block(g, n)
    return {"J": J, "A": J[:1, :1], "B": J[:1, 1:], "C": J[1:, :1], "D": J[1:, 1:],
            "gamma": g, "n": n}


LEMMA16 = Claim(
    "lemma16", "Lemma 16",
    "K(J_n(gamma)) = sup_{r>1} (r-1) sum_{k<n} (r-gamma)^{-(k+1)} ~ (1-gamma)^{-(n-1)}",
    "the equality, checked for n = 2..; the asymptotic reported as K (1-gamma)^(n-1)",
    _lemma16_eval,
    lambda quick: [_jordan(g, n) for g in ((0.5,) if quick else (0.3, 0.5, 0.8))
                   for n in range(2, 6 if quick else 11)],
    fail_below=1 - 1e-6,
    notes="Fails: the sum is the triangle-inequality bound on ||(zI - J_n)^{-1}||, strict "
          "for n >= 2 (n = 2, gamma = 0.5: K = 1 exactly, the sum gives 1.125). "
          "K (1-gamma)^(n-1) decays with n, so '~' holds only for log K.",
)


def _lemma17_eval(inst, exact):
    g, c = _gc(inst)
    if g >= 1 or c == 0:
        return None
    A, C, D, J = inst["A"], inst["C"], inst["D"], inst["J"]
    p = A.shape[0]
    T = int(min(300, 8 / max(1 - g, 1e-3)))
    worst, wt, werr = math.inf, 0, 0.0
    At, S, Dt = np.eye(p), np.zeros_like(C), np.eye(D.shape[0])
    Jt = np.eye(J.shape[0])
    for t in range(1, T + 1):
        S = D @ S + C @ At
        At, Dt = A @ At, D @ Dt
        Jt = J @ Jt
        nj = float(np.linalg.norm(Jt))
        if nj < 1e-250:
            break
        werr = max(werr, float(np.linalg.norm(Jt[p:, :p] - S)) / nj)
        ns = float(np.linalg.norm(S, 2))
        if ns > 1e-280:
            r = c * t * g ** (t - 1) / ns
            if r < worst:
                worst, wt = r, t
    if werr > 1e-8:
        return Evaluation(0.0, inst, f"block formula off by {werr:.3g}", True)
    return Evaluation(worst, inst | {"t": wt},
                      f"||S_{wt}|| vs c t gamma^(t-1) (formula for J^t exact to {werr:.1e})", True)


LEMMA17 = Claim(
    "lemma17", "Lemma 17",
    "J^t = [[A^t, 0], [sum D^{t-1-k} C A^k, D^t]] and ||sum D^{t-1-k} C A^k|| <= c t gamma^(t-1)",
    "the block formula against J^t by products; the bound for t = 1..min(300, 8/(1-gamma))",
    _lemma17_eval, _pool(lambda x: x["c"] > 0), lambda rng: I.draw_class(rng), SEARCH22,
    notes="Holds, with equality for A = D = gamma I (J*).",
)


# --------------------------------------------------------------------------- eq. (2)
def _kmt_eval(inst, exact):
    J = inst["J"]
    if I.radius(J) >= 1:
        return None
    K = exact.kreiss(J)
    norms = exact.powers(J)
    sup = float(norms.max())
    n = J.shape[0]
    lo, hi = sup / K.value, E * n * K.value / sup
    certified = sup < K.lower * (1 - CERTIFY) or sup > E * n * K.upper * (1 + CERTIFY)
    return Evaluation(min(lo, hi), inst,
                      f"K = {K.value:.6g} <= sup_t ||J^t|| = {sup:.6g} <= "
                      f"e n K = {E * n * K.value:.6g}",
                      certified)


def _kmt_sample(rng):
    n = int(rng.integers(2, 7))
    kind = rng.integers(3)
    if kind == 0:
        return I.draw_class(rng)
    M = np.triu(rng.standard_normal((n, n))) if kind == 1 else rng.standard_normal((n, n))
    M = M * (rng.uniform(0.3, 0.99) / I.radius(M))
    return {"J": M}


KMT = Claim(
    "kmt", "Kreiss matrix theorem, eq. (2)",
    "K(M) <= sup_{t>=0} ||M^t|| <= e n K(M)",
    "both inequalities; ratio = min(sup/K, e n K/sup)",
    _kmt_eval,
    lambda quick: list(class_pool(quick)) + [{"J": jordan_block(0.9, n)} for n in (2, 5)],
    _kmt_sample,
    notes="Holds (Spijker 1991); the left inequality is attained (normal matrices), the "
          "factor e n is approached only as n grows.",
)


# --------------------------------------------------------------------------- Props 19, 20
def _prop19_eval(inst, exact):
    g, c = _gc(inst)
    z = complex(inst["z"])
    if not (0 < g < 1 and c > 0 and abs(z) > g):
        return None
    lo, hi = proposition19(g, c, z)
    R = np.linalg.inv(z * np.eye(2) - inst["J"])
    nr = float(np.linalg.svd(R, compute_uv=False)[0])
    x = min(nr / lo.value, hi.value / nr)
    return Evaluation(x, inst, f"||R(z)|| = {nr:.6g} in [{lo.value:.6g}, {hi.value:.6g}]",
                      x < 1 - 1e-9)


def _prop19_instances(quick):
    out = []
    for g, c in ((0.5, 0.1), (0.9, 1.0), (0.9, 100.0)):
        for z in (g + 1e-3, 1.0, 1.5j, -2.0, g + 1e-3 * 1j):
            if abs(z) > g:
                out.append(I.star(g, c) | {"z": complex(z)})
    return out


def _prop19_build(th):
    g = 0.995 / (1 + np.exp(-th[0]))
    c = float(np.exp(np.clip(th[1], -10, 10)))
    z = g * (1 + np.exp(np.clip(th[2], -20, 5))) * np.exp(1j * th[3])
    return I.star(g, c) | {"z": complex(z)}


PROP19 = Claim(
    "prop19", "Proposition 19",
    "J0 = [[gamma,0],[c,gamma]], |z| > gamma: sqrt(1/|w|^2 + c^2/|w|^4) <= ||R(z)|| "
    "<= 2/|w| + c/|w|^2, w = z - gamma",
    "both inequalities; ratio = min(||R||/lower, upper/||R||)",
    _prop19_eval, _prop19_instances, lambda rng: _prop19_build(rng.standard_normal(4) * 2),
    (4, _prop19_build),
    notes="Holds; both sides tend to ||R|| as c/|w| grows (the exact value is "
          "(c/|w|^2 + sqrt(c^2/|w|^4 + 4/|w|^2))/2).",
)


def _phi_r(J: np.ndarray, r: float) -> float:
    """max over |z| = r of ||(zI - J)^{-1}|| for a 2 x 2 J: grid, then golden refinement."""
    th = np.linspace(-np.pi, np.pi, 1441)
    z = r * np.exp(1j * th)
    X = z[:, None, None] * np.eye(2) - J
    s = np.linalg.svd(X, compute_uv=False)[:, -1]
    i = int(np.argmin(s))
    lo, hi = th[max(i - 1, 0)], th[min(i + 1, th.size - 1)]
    f = lambda t: np.linalg.svd(r * np.exp(1j * t) * np.eye(2) - J, compute_uv=False)[-1]  # noqa: E731
    gr = (math.sqrt(5) - 1) / 2
    for _ in range(80):
        a, b = hi - gr * (hi - lo), lo + gr * (hi - lo)
        if f(a) < f(b):
            hi = b
        else:
            lo = a
    return 1 / min(float(s[i]), f((lo + hi) / 2))


def _prop20_eval(inst, exact):
    g, c = _gc(inst)
    r = float(inst["r"])
    if not (0 < g < 1 and c > 0 and r > 1):
        return None
    lo, hi = proposition20(g, c, r)
    phi = _phi_r(inst["J"], r)
    x = min(phi / lo.value, hi.value / phi)
    return Evaluation(x, inst, f"phi_r = {phi:.6g} in [{lo.value:.6g}, {hi.value:.6g}]",
                      x < 1 - 1e-9)


PROP20 = Claim(
    "prop20", "Proposition 20",
    "J0 = [[gamma,0],[c,gamma]], r > 1: sqrt(1/(r-gamma)^2 + c^2/(r-gamma)^4) <= phi_r(J0) "
    "<= 2/(r-gamma) + c/(r-gamma)^2",
    "phi_r(J0) read as max_{|z|=r} ||(zI - J0)^{-1}|| (undefined in the paper)",
    _prop20_eval,
    lambda quick: [I.star(g, c) | {"r": r} for g, c in ((0.5, 0.1), (0.9, 1.0), (0.9, 100.0))
                   for r in (1 + 1e-6, 1.1, 3.0)],
    lambda rng: I.star(float(rng.uniform(0.01, 0.99)), float(10 ** rng.uniform(-2, 2)))
    | {"r": float(1 + 10 ** rng.uniform(-4, 1))},
    notes="Holds: the maximum over the circle is at z = r, so this is Proposition 19 there.",
)


# --------------------------------------------------------------------------- Prop 22
def _prop22_eval(inst, exact):
    Js = np.asarray(inst["Js"])
    p = int(inst["p"])
    T, n = Js.shape[0], Js.shape[1]
    g = max(max(I.radius(M[:p, :p]), I.radius(M[p:, p:])) for M in Js)
    c = max(float(np.linalg.norm(M[p:, :p], 2)) for M in Js)
    if g >= 1:
        return None
    Ks = [exact.kreiss(M) for M in Js]
    kv, ku = max(k.value for k in Ks), max(k.upper for k in Ks)
    P = np.eye(n)
    for M in Js:
        P = M @ P
    nrm = float(np.linalg.norm(P, 2))
    b1 = (E * n * kv * g) ** T
    kstar = 2 / (1 - g) + c / (4 * (1 - g))
    r1 = b1 / nrm if nrm > 0 else math.inf
    r2 = kstar / kv
    klo = max(k.lower for k in Ks)
    cert = (E * n * ku * g) ** T < nrm * (1 - CERTIFY) or kstar < klo * (1 - CERTIFY)
    return Evaluation(min(r1, r2), inst,
                      f"T = {T}: ||prod J_t|| = {nrm:.6g} vs (e n K* gamma)^T = {b1:.6g}; "
                      f"K* = {kv:.6g} vs {kstar:.6g}", cert)


def _seq(mats, p):
    Js = np.stack([m["J"] for m in mats])
    return {"J": Js[0], "A": mats[0]["A"], "C": mats[0]["C"], "D": mats[0]["D"], "Js": Js,
            "p": p}


def _prop22_instances(quick):
    rng = np.random.default_rng(22)
    out = [_seq([I.star(g, c)], 1) for g, c in ((0.1, 10.0), (0.5, 10.0), (0.9, 0.05))]
    out.append(_seq([I.star(0.5, 4.0)] * 3, 1))
    out.append(_seq([I.random_class(rng, 2, 2, 0.9, 1.0, "+-gamma", "rank1-top")
                     for _ in range(4)], 2))
    return out


def _prop22_sample(rng):
    g = float(rng.uniform(0, 0.95))
    c = float((1 - g) * 10 ** rng.uniform(-1, 2))
    T = int(rng.integers(1, 5))
    mats = [I.random_class(rng, 2, 2, g, c, I.SPECTRA[rng.integers(5)], "dense")
            for _ in range(T)]
    return _seq(mats, 2)


PROP22 = Claim(
    "prop22", "Proposition 22",
    "||prod_{t<T} J_t|| <= (e n K*)^T gamma^T, K* = sup_t K(J_t) <= 2/(1-gamma) + c/(4(1-gamma))",
    "gamma, c the largest radius and ||C_t|| along the sequence; both inequalities",
    _prop22_eval, _prop22_instances, _prop22_sample,
    notes="The product bound fails already at T = 1 (||J|| can exceed e n K gamma when gamma "
          "is small); the bound on K* holds (the sharp bound is below it for every c).",
)


# --------------------------------------------------------------------------- Appendix N
def _ct_eval(inst, exact):
    Hxx, Hyy, Hyx = inst["H_xx"], inst["H_yy"], inst["H_yx"]
    mu = min(np.linalg.eigvalsh(Hxx)[0], np.linalg.eigvalsh(Hyy)[0])
    if mu <= 0:
        return None
    c = float(np.linalg.norm(Hyx, 2))
    b = continuous_time_analogue(float(mu), c).value
    ev = _upper(b, exact.kreiss(inst["J"], "continuous"), inst, "K_ct(A)")
    ev.detail += f" (mu = {mu:.4g}, c = {c:.4g})"
    return ev


def ct_instance(Hxx, Hyx, Hyy):
    """The instance A = -[[H_xx, 0], [H_yx, H_yy]] of the continuous-time claim."""
    Hxx, Hyx, Hyy = (np.atleast_2d(np.asarray(X, dtype=float)) for X in (Hxx, Hyx, Hyy))
    A = continuous_time_matrix(Hxx, Hyx, Hyy)
    p = Hxx.shape[0]
    return {"J": A, "A": A[:p, :p], "C": A[p:, :p], "D": A[p:, p:], "H_xx": Hxx,
            "H_yx": Hyx, "H_yy": Hyy}


def _ct_sample(rng):
    p, q = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    mu = 10 ** rng.uniform(-1, 1)
    Hxx = I.symmetric(mu * (1 + rng.uniform(0, 3, p) * (np.arange(p) > 0)), rng=rng)
    Hyy = I.symmetric(mu * (1 + rng.uniform(0, 3, q) * (np.arange(q) > 0)), rng=rng)
    return ct_instance(Hxx, mu * 10 ** rng.uniform(-1, 2) * rng.standard_normal((q, p)), Hyy)


def _ct_build(th):
    mu = float(np.exp(np.clip(th[0], -5, 5)))
    c = mu * float(np.exp(np.clip(th[1], -5, 8)))
    return ct_instance([[mu]], [[c]], [[mu * (1 + np.exp(np.clip(th[2], -10, 5)))]])


CT = Claim(
    "ct-analogue", "Appendix N (continuous time)",
    "H_xx, H_yy >= mu I, ||H_yx|| <= c: K_ct(A) <= 1/mu + c/(4 mu^2), "
    "A = -[[H_xx,0],[H_yx,H_yy]]",
    "mu = min(lambda_min(H_xx), lambda_min(H_yy)), c = ||H_yx||; exact continuous-time K",
    _ct_eval,
    lambda quick: [ct_instance([[m]], [[c]], [[m]])
                   for m, c in ((2.0, 0.0), (2.0, 1.0), (0.5, 1.0), (10.0, 1000.0))],
    _ct_sample, (3, _ct_build),
    notes="Fails: K_ct(alpha A) = K_ct(A) and K_ct >= 1, but the bound scales like "
          "1/alpha "
          "(H = 2I, c = 0: bound 1/2). Sharp: (x + 1/x)/2, x = c/(2 mu), or 1 "
          "(kreiss.theory.sharp_continuous_kreiss_bound).",
)


# --------------------------------------------------------------------------- Appendix M
def _iqc_eval(inst, exact):
    J = inst["J"]
    g = float(inst["gamma"])
    if g >= 1 or J.shape[0] > 8:
        return None
    b = iqc_formula(exact.lyapunov(J), g).value
    sup = float(exact.powers(J).max())
    return _upper(b, Value.exact(sup), inst, "sup_t ||J^t||")


IQC = Claim(
    "iqc-formula", "Appendix M (IQC bound)",
    "sup_t ||J^t|| <= K_IQC = sqrt(kappa(P))/(1-gamma), P minimising kappa s.t. J^T P J < P",
    "sqrt(kappa(P)) from kreiss.lyapunov_bound (certified: >= the SDP optimum), compared "
    "with sup_t ||J^t|| as in Table 2",
    _iqc_eval,
    lambda quick: [x for x in class_pool(quick) if x["J"].shape[0] <= 4]
    + [I.star(0.0, 2.0), I.star(0.05, 2.0)],
    lambda rng: I.draw_class(rng, sizes=((1, 1), (2, 2))),
    notes="Holds, but the factor 1/(1-gamma) is superfluous: J^T P J <= P already gives "
          "||J^t|| <= sqrt(kappa(P)), so the ratio is >= 1/(1-gamma): attained only at "
          "gamma = 0 (nilpotent J*: sqrt(kappa) = sup = c).",
)


# --------------------------------------------------------------------------- ours
def _sharp_eval(inst, exact):
    A, D = inst["A"], inst["D"]
    a, d = I.radius(A), I.radius(D)
    c = float(inst["c"])
    if max(a, d) >= 1:
        return None
    b = sharp_kreiss_bound(a, c, d).value
    return _upper(b, exact.kreiss(inst["J"]), inst, "K(J)")


SHARP_K = Claim(
    "sharp-kreiss", "Sharp Kreiss bound (this package)",
    "K(J) <= K([[rho(A), 0], [||C||, rho(D)]]); = (x + 1/x)/2, x = c/(2(1-gamma)) for equal radii",
    "radii rho(A), rho(D) of the instance (the two-radius form)",
    _sharp_eval, lambda quick: list(class_pool(quick)), lambda rng: I.draw_class(rng), SEARCH22,
    tight_tol=1e-6, notes="Proved in docs/theory.md; attained by J*.",
)


def _sharp_t_eval(inst, exact):
    A, D = inst["A"], inst["D"]
    a, d = I.radius(A), I.radius(D)
    c = float(inst["c"])
    if max(a, d) >= 1:
        return None
    norms = exact.powers(inst["J"])
    t = np.arange(norms.size)
    bounds = power_bound_values(a, c, t, d)
    keep = norms > 1e-12 * norms.max()
    ratio = bounds[keep] / norms[keep]
    i = int(np.argmin(ratio))
    sup_b, _ = sharp_transient_value(a, c, d)
    return Evaluation(float(ratio[i]), inst,
                      f"||J^{int(t[keep][i])}|| = {norms[keep][i]:.6g} vs sharp "
                      f"{bounds[keep][i]:.6g}; sup_t ||J^t|| = {norms.max():.6g} <= {sup_b:.6g}",
                      bool(ratio[i] < 1 - 1e-9))


SHARP_T = Claim(
    "sharp-transient", "Sharp power bound (this package)",
    "||J^t|| <= ||[[alpha^t, 0], [c h_t, beta^t]]|| for every t, hence sup_t ||J^t|| <= "
    "sup_t ||J*^t||",
    "alpha, beta = rho(A), rho(D) of the instance; every t up to the core's horizon",
    _sharp_t_eval, lambda quick: list(class_pool(quick)), lambda rng: I.draw_class(rng),
    SEARCH22, tight_tol=1e-6, notes="Proved in docs/theory.md; equality at every t for J*.",
)


CLAIMS: tuple[Claim, ...] = (
    THM4_EQ4, THM4A, THM4B_EQ10, THM4B_EXP, THM4C, THM5, THM7, THM8_PEAK, THM8_DURATION,
    THM9, THM10A, THM10B, THM10C, THM11, THM12, THM18, LEMMA16, LEMMA17, KMT, PROP19,
    PROP20, PROP22, CT, IQC, SHARP_K, SHARP_T,
)

PAPER_IDS = tuple(c.id for c in CLAIMS[:24])

