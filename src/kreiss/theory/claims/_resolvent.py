"""The resolvent bounds as claims: Theorem 4 (eq. (4), (a), (b), (c)), Theorems 5, 7 and 9,
Lemma 16 and Propositions 19, 20 (functions in :mod:`kreiss.theory.resolvent_bounds`).

gamma is max(rho(A), rho(D)) and c is ||C|| of the instance (the smallest values the
hypotheses allow, so that an upper bound is tested where it is tightest and a lower bound
where it is weakest); A and D are symmetric (Section 3).
"""

from __future__ import annotations

import math

import numpy as np

from .. import instances as I
from ..claim import CERTIFY, Claim, Evaluation, evaluate_lower, evaluate_upper
from ..hypotheses import le
from ..resolvent_bounds import (
    jordan_block,
    lemma16,
    proposition19,
    proposition20,
    theorem4,
    theorem4a,
    theorem4b,
    theorem4b_expansion,
    theorem4c,
    theorem5,
    theorem7,
    theorem9,
)
from ..sharp import sharp_kreiss_bound, sharp_kreiss_constant_value


def _weak(inst) -> bool:
    g, c = I.gamma_c(inst)
    return le(c, (1 - g) ** 2)


def _class_claim(id, label, statement, reading, bound, verdict, relation="upper", weak=False,
                 extra=(), notes="") -> Claim:
    """A claim 'K(J) <= (>=) bound(gamma, c).value' over the class (weak: only instances
    with c <= (1-gamma)^2)."""

    def evaluate(inst, exact):
        g, c = I.gamma_c(inst)
        if g >= 1 or (weak and not _weak(inst)):
            return None
        b = bound(g, c).value
        ex = exact.kreiss(inst["J"])
        return (evaluate_upper if relation == "upper" else evaluate_lower)(b, ex, inst, "K(J)")

    def extremal(quick):
        pool = [x for x in I.class_pool(quick) if (not weak or _weak(x))]
        return pool + [f() for f in extra]

    def sample(rng):
        return I.draw_class(rng, weak=weak)

    return Claim(id, label, statement, reading, evaluate, extremal, sample,
                 I.class_search(coupling="weak" if weak else "free"), notes=notes,
                 bound=bound, verdict=verdict)


# --------------------------------------------------------------------------- Theorem 4
THM4_EQ4 = _class_claim(
    "thm4-eq4", "Theorem 4, eq. (4)",
    "K(J) <= sup_{r>1} [2(r-1)/(r-gamma) + (r-1)||C||/(r-gamma)^2]",
    "sup computed numerically over r in (1, inf), limit 2 at infinity",
    theorem4, "loose",
    notes="Holds: it equals the sharp bound plus exactly 1 (docs/theory.md), so it is "
          "tight only relatively, as ||C||/(1-gamma) grows. Proof: the stationary point "
          "s* = sqrt((1-gamma)^2 + ||C||) claimed in Appendix A is wrong.",
)

THM4A = _class_claim(
    "thm4a", "Theorem 4(a)",
    "weak coupling ||C|| <= (1-gamma)^2: K(J) <= 2/(1-gamma) + ||C||/(4(1-gamma))",
    "only instances with ||C|| <= (1-gamma)^2",
    theorem4a, "loose", weak=True,
    notes="Holds but loose: under its hypothesis K(J) = 1 exactly (sharp bound, x < 1), "
          "so the ratio is >= 2/(1-gamma). The formula holds for every ||C||, not only weak "
          "coupling. Proof: 'the supremum is controlled by r -> 1+' is wrong (f -> 0 there); "
          "the argument actually gives 2 + ||C||/(4(1-gamma)).",
)

THM4B_EQ10 = _class_claim(
    "thm4b-eq10", "Theorem 4(b), eq. (10)",
    "r* = gamma + sqrt((1-gamma)^2 + ||C||) optimises (4), giving K(J) <= eq. (10)",
    "eq. (10) read as an upper bound on K(J)",
    theorem4b, "fails",
    extra=(lambda: I.star(0.5, 0.01), lambda: I.star(0.99, 1.0)),
    notes="Fails: r* is not the maximiser of (4) (f'(s) = ((2d - c)s + 2cd)/s^3, d = 1-gamma), "
          "so (10) evaluates (4)'s function at an arbitrary point; it tends to 0 as "
          "||C|| -> 0 while K(J) >= 1 always.",
)

THM4B_EXP = _class_claim(
    "thm4b-expansion", "Theorem 4(b), small-coupling expansion",
    "K(J) <= 2/(1-gamma) + 4||C||/(1-gamma)^3 + O(||C||^2/(1-gamma)^5)",
    "leading terms read as an upper bound for ||C|| <= (1-gamma)^2",
    theorem4b_expansion, "loose", weak=True,
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
    g, c = I.gamma_c(inst)
    if c != 0 or g >= 1:
        return None
    return evaluate_upper(1.0, exact.kreiss(inst["J"]), inst, "K(J)")


THM4C = Claim(
    "thm4c", "Theorem 4(c)", "decoupled C = 0: K(J) <= 1", "instances with C = 0",
    _thm4c_eval, _decoupled, lambda rng: I.draw_class(rng, decoupled=True),
    I.class_search(coupling="zero"),
    bound=theorem4c, verdict="holds",
    notes="Holds with equality: K(J) = max(K(A), K(D)) = 1 for symmetric A, D.",
)

THM5 = _class_claim(
    "thm5", "Theorem 5",
    "K(J) >= sup_{r>1} (r-1) sqrt(1/(r-gamma)^2 + ||C||^2/(r-gamma)^4)",
    "gamma = max(rho(A), rho(D)), c = ||C|| (the weakest lower bound the statement allows)",
    theorem5, "fails", relation="lower",
    notes="Fails: the proof assumes (zI-D)^{-1} C u has the size c/(r-gamma)^2; with "
          "D = -gamma (eigenvalue at -gamma) it is c/((r-gamma)(r+gamma)). It holds for "
          "J* = [[gamma, 0], [c, gamma]].",
)


# --------------------------------------------------------------------------- Theorem 7
def _thm7_eval(inst, exact):
    g, c = I.gamma_c(inst)
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
    lambda quick: [I.star(g, c) for g, c in I.grid(quick) if c > 0],
    lambda rng: I.star(float(rng.uniform(0, 0.99)), float(10 ** rng.uniform(-2, 2))),
    bound=theorem7, verdict="fails",
    notes="Fails for every gamma in [0, 1) and c > 0: (S-1)/2 <= c/(8(1-gamma)) < "
          "c/(8(1-gamma)^2). The two-point proof uses K(J0) - K(J1) = Omega(c/(1-gamma)^2), "
          "but K(J0) = S ~ c/(4(1-gamma)).",
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
    ev = evaluate_upper(bound, ke, inst, "K(J0 + eps B0)")
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
    bound=theorem9, verdict="fails",
    notes="Fails, even to instability: for J* the perturbation gives eigenvalues "
          "gamma +- sqrt(eps b c). Proof: (r-1)||R|| <= K0/(1 - eps b K0/(r-1)) is then bounded "
          "by its value at r - 1 = 1 - gamma only for r - 1 >= 1 - gamma, and Weyl's "
          "inequality does not bound the spectral radius of a non-normal perturbation.",
)


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
    bound=lemma16, verdict="fails",
    notes="Fails: the sum is the triangle-inequality bound on ||(zI - J_n)^{-1}||, strict "
          "for n >= 2 (n = 2, gamma = 0.5: K = 1 exactly, the sum gives 1.125). "
          "K (1-gamma)^(n-1) decays with n, so '~' holds only for log K.",
)


# --------------------------------------------------------------------------- Props 19, 20
def _prop19_eval(inst, exact):
    g, c = I.gamma_c(inst)
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
    bound=proposition19, verdict="holds",
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
    g, c = I.gamma_c(inst)
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
    bound=proposition20, verdict="holds",
    notes="Holds: the maximum over the circle is at z = r, so this is Proposition 19 there.",
)
