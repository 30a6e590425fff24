"""The transient bounds as claims: Theorem 8 (peak time, duration), Theorems 11 and 18,
Lemma 17, the Kreiss matrix theorem (eq. (2)) and Proposition 22 (functions in
:mod:`kreiss.theory.transient_bounds`).

gamma is max(rho(A), rho(D)) and c is ||C|| of the instance; ||J^t|| comes from the
numerical core up to its horizon (past the peak).
"""

from __future__ import annotations

import math

import numpy as np

from .. import instances as I
from ..claim import CERTIFY, Claim, Evaluation
from ..resolvent_bounds import jordan_block
from ..transient_bounds import (
    kreiss_matrix_theorem,
    lemma17,
    mean_square_error,
    proposition22,
    theorem8_duration,
    theorem8_peak,
    theorem11,
    theorem18,
)

E = math.e


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
    lambda quick: [x for x in I.class_pool(quick) if x["gamma"] > 0]
    + [I.star(0.9, 1e4), I.star(0.99, 1e3), I.star(0.9, 0.2)],
    lambda rng: I.draw_class(rng), I.class_search(), fail_below=0.5,
    bound=theorem8_peak, verdict="fails",
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
    for x in I.class_pool(quick):
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
    bound=theorem8_duration, verdict="fails",
    notes="Fails, e.g. for C = 0 (||J^t|| = gamma^t < 1 < tau). Inverting the Kreiss-matrix "
          "bound gives the opposite inclusion: ||J^t|| > tau only if gamma^t > tau/(e n K), "
          "and even ||J^t|| <= e n K gamma^t is false (Theorem 18).",
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
    bound=theorem11, verdict="fails",
    notes="Fails whenever sigma > 0 and delta < tr Cov(eta): the last noise term alone gives "
          "E||e_T||^2 >= tr Cov(eta) for every T. The proof's noise sum grows with T and "
          "cannot be made <= delta/2 by taking T large.",
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
    _thm18_eval, I.pool_where(lambda x: True), lambda rng: I.draw_class(rng), I.class_search(),
    bound=theorem18, verdict="fails",
    notes="Fails: ||J*^t|| >= c t gamma^(t-1) outgrows any constant times gamma^t. The "
          "Cauchy-integral step in the proof of Theorem 8 needs r > 1 for K(J); optimising "
          "r^(t+1) K/(r-1) over r > 1 gives e (t+1) K, not e K gamma^t. The sharp "
          "replacement is ||J^t|| <= ||[[gamma^t, 0], [c t gamma^(t-1), gamma^t]]||.",
)


def _lemma17_eval(inst, exact):
    g, c = I.gamma_c(inst)
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
    _lemma17_eval, I.pool_where(lambda x: x["c"] > 0), lambda rng: I.draw_class(rng),
    I.class_search(),
    bound=lemma17, verdict="holds",
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
    lambda quick: list(I.class_pool(quick)) + [{"J": jordan_block(0.9, n)} for n in (2, 5)],
    _kmt_sample,
    bound=kreiss_matrix_theorem, verdict="holds",
    notes="Holds (Spijker 1991); the left inequality is attained (normal matrices), the "
          "factor e n is approached only as n grows.",
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
    bound=proposition22, verdict="fails",
    notes="The product bound fails already at T = 1 (||J|| can exceed e n K gamma when gamma "
          "is small); the bound on K* holds (the sharp bound is below it for every c).",
)
