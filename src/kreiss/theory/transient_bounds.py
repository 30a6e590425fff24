"""The paper's statements about powers ||J^t||: the Kreiss matrix theorem (eq. 2),
Theorem 8 (peak time, duration), Theorem 11 (iterations), Theorem 18 (rate),
Lemma 17 (block powers) and Proposition 22 (time-varying products).

As printed; the audit and docs/theory.md judge them.
"""

from __future__ import annotations

import math

import numpy as np

from .bound import Bound, Precondition
from .hypotheses import block_triangular_class, gamma_in_unit, optional_facts


def _K_pre(K: float) -> Precondition:
    return Precondition("K >= 1", bool(K >= 1), f"K = {K:.6g}")


def kreiss_matrix_theorem(K: float, n: int) -> tuple[Bound, Bound]:
    """Eq. (2), the Kreiss matrix theorem (Kreiss 1962; LeVeque & Trefethen 1984;
    Spijker 1991): K(M) <= sup_{t>=0} ||M^t|| <= e n K(M).  Returns (lower, upper)."""
    pres = (_K_pre(K), Precondition("n >= 1", n >= 1, f"n = {n}"))
    q = "sup_t ||M^t||"
    return (
        Bound("kmt", "Kreiss matrix theorem, eq. (2)", q, "lower", K, pres,
              "K(M) <= sup_t ||M^t||"),
        Bound("kmt", "Kreiss matrix theorem, eq. (2)", q, "upper", math.e * n * K, pres,
              "sup_t ||M^t|| <= e n K(M)"),
    )


def theorem8_peak(K: float, gamma: float) -> Bound:
    """Theorem 8: the peak of ||J^t|| occurs near t* = log K(J) / (-log gamma).

    The proof's step "||J^t|| ~ K gamma^t" makes t* the time at which K gamma^t = 1, not
    the argmax; the audit measures argmax_t ||J^t|| against t*.
    """
    pres = (gamma_in_unit(gamma, positive=True), _K_pre(K))
    value = math.log(K) / -math.log(gamma) if 0 < gamma < 1 and K > 0 else math.nan
    return Bound("thm8-peak", "Theorem 8 (peak time)", "argmax_t ||J^t||", "asymptotic", value,
                 pres, "peak of ||J^t|| near t* = log K(J) / (-log gamma)")


def theorem8_duration(tau: float, gamma: float, K: float, n: int) -> Bound:
    """Theorem 8: ||J^t|| > tau for all t <= log(tau) / (-log gamma), when
    tau >> 1/(e n K(J)) (">>" taken as at least 10 times)."""
    pres = (
        gamma_in_unit(gamma, positive=True),
        _K_pre(K),
        Precondition("tau >> 1/(e n K) (taken as >= 10/(e n K))",
                     bool(tau >= 10 / (math.e * n * K)), f"tau e n K = {tau * math.e * n * K:.3g}"),
    )
    value = math.log(tau) / -math.log(gamma) if 0 < gamma < 1 and tau > 0 else math.nan
    return Bound("thm8-duration", "Theorem 8 (duration)", "duration of ||J^t|| > tau", "lower",
                 value, pres, "||J^t|| > tau for t <= log(tau)/(-log gamma) when tau >> 1/(e n K)")


def theorem18(K: float, gamma: float, n: int, t: int, J=None, blocks=None) -> Bound:
    """Theorem 18: ||x_t - x*|| <= e n K(J) gamma^t ||x_0 - x*||, i.e.
    ||J^t|| <= e n K(J) gamma^t, n = p + q."""
    pres = block_triangular_class(optional_facts(J, blocks), gamma, None)
    return Bound("thm18", "Theorem 18", "||J^t||", "upper", math.e * n * K * gamma**t,
                 tuple(pres), "||J^t|| <= e n K(J) gamma^t", {"t": t})


def lemma17(c: float, gamma: float, t: int, J=None, blocks=None) -> Bound:
    """Lemma 17: J^t = [[A^t, 0], [S_t, D^t]], S_t = sum_{k<t} D^{t-1-k} C A^k, and
    ||S_t|| <= c t gamma^(t-1) under Theorem 4's hypotheses."""
    pres = block_triangular_class(optional_facts(J, blocks), gamma, c)
    value = c * t * gamma ** (t - 1) if t >= 1 else 0.0
    return Bound("lemma17", "Lemma 17", "||S_t||", "upper", value, tuple(pres),
                 "||sum_{k<t} D^{t-1-k} C A^k|| <= c t gamma^(t-1)", {"t": t})


def power_blocks(A, C, D, t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A^t, S_t, D^t) of Lemma 17's formula, by the recursion
    S_{t+1} = D S_t + C A^t (so J^t = [[A^t, 0], [S_t, D^t]])."""
    A, C, D = (np.atleast_2d(np.asarray(X)) for X in (A, C, D))
    At = np.eye(A.shape[0], dtype=np.result_type(A, C, D))
    Dt = np.eye(D.shape[0], dtype=At.dtype)
    S = np.zeros(C.shape, dtype=At.dtype)
    for _ in range(t):
        S = D @ S + C @ At
        At, Dt = A @ At, D @ Dt
    return At, S, Dt


def proposition22(K_star: float, gamma: float, c: float, n: int, T: int) -> tuple[Bound, Bound]:
    """Proposition 22: under Assumption 21, ||prod_{t<T} J_t|| <= (e n K*)^T gamma^T with
    K* = sup_t K(J_t) <= 2/(1-gamma) + c/(4(1-gamma)).  Returns (product, K*) bounds."""
    pres = (gamma_in_unit(gamma), _K_pre(K_star), Precondition("T >= 1", T >= 1, f"T = {T}"))
    d = 1 - gamma
    prod = Bound("prop22", "Proposition 22", "||prod_{t<T} J_t||", "upper",
                 (math.e * n * K_star * gamma) ** T, pres,
                 "||prod J_t|| <= (e n K*)^T gamma^T", {"T": T})
    kstar = Bound("prop22", "Proposition 22 (K*)", "sup_t K(J_t)", "upper",
                  2 / d + c / (4 * d) if d > 0 else math.inf, pres[:1],
                  "K* <= 2/(1-gamma) + c/(4(1-gamma))")
    return prod, kstar


def theorem11(K: float, gamma: float, delta: float) -> Bound:
    """Theorem 11: E||(x_T, y_T) - (x*, y*)||^2 <= delta after
    T = O(K(J)^2 log(1/delta) / (1-gamma)^2) iterations (value: the O(.) argument, the
    constant, allowed to depend on n, sigma^2, ||e_0||, omitted).

    With noise sigma > 0 the error has a floor E||e_T||^2 >= E||eta_{T-1}||^2 that no T
    beats, so the statement fails for small delta (docs/theory.md).
    """
    d = 1 - gamma
    pres = (gamma_in_unit(gamma), _K_pre(K),
            Precondition("0 < delta", bool(delta > 0), f"delta = {delta:.3g}"))
    value = K * K * math.log(1 / delta) / (d * d) if d > 0 and delta > 0 else math.inf
    return Bound("thm11", "Theorem 11", "iterations T for E||e_T||^2 <= delta", "asymptotic",
                 value, pres, "T = O(K(J)^2 log(1/delta) / (1-gamma)^2) gives E||e_T||^2 <= delta")


def mean_square_error(J, e0, noise_cov, T: int) -> np.ndarray:
    """E||e_t||^2 for t = 0..T of e_{t+1} = J e_t + eta_t, eta_t independent, zero-mean,
    covariance ``noise_cov`` (Appendix G):  ||J^t e0||^2 + sum_{k<t} tr(J^k Sigma J^k*)."""
    J = np.atleast_2d(np.asarray(J))
    x = np.asarray(e0, dtype=J.dtype)
    S = np.atleast_2d(np.asarray(noise_cov, dtype=complex))
    out = np.empty(T + 1)
    acc, P = 0.0, S.copy()
    for t in range(T + 1):
        out[t] = float(np.vdot(x, x).real) + acc
        acc += float(np.trace(P).real)
        P = J @ P @ J.conj().T
        x = J @ x
    return out
