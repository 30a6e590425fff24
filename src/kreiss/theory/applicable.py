"""Every bound of the paper (and the sharp ones) for one J, beside the exact value.

:func:`bounds_for` never drops a statement silently: one whose hypotheses fail on this J
is listed with the failed hypotheses; one that needs more than J (a noise model, NTK
blocks, a continuous-time matrix) is listed with what it needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..jsonout import jsonable
from .bound import Bound, Facts, Precondition, facts
from .exact import Exact
from .iqc import iqc_formula
from .resolvent_bounds import (
    jordan_block,
    lemma16,
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
from .sharp import (
    sharp_kreiss_bound,
    sharp_kreiss_constant_value,
    sharp_transient_bound,
)
from .stability import theorem10a, theorem10b, theorem10c
from .transient_bounds import (
    kreiss_matrix_theorem,
    lemma17,
    proposition22,
    theorem8_peak,
    theorem18,
)

#: largest n for which bounds_for solves the Lyapunov SDP of the IQC bound by default
IQC_MAX_N = 40


@dataclass(frozen=True)
class BoundRow:
    """A bound beside the exact value of what it bounds, for one J.

    ``ratio`` is bound / exact; ``consistent`` says whether the statement is true on this
    J (None when its hypotheses fail here, when there is nothing to compare, or for
    approximations).
    """

    bound: Bound
    exact: float | None
    ratio: float | None
    consistent: bool | None
    note: str = ""

    def to_dict(self) -> dict:
        return self.bound.to_dict() | {
            "exact": jsonable(self.exact), "ratio": jsonable(self.ratio),
            "consistent": self.consistent, "note": self.note,
        }


def _row(b: Bound, exact: float | None, note: str = "", consistent=None) -> BoundRow:
    ratio = None
    if exact is not None and math.isfinite(b.value) and exact > 0:
        ratio = b.value / exact if math.isfinite(exact) else 0.0
    if consistent is None and exact is not None and math.isfinite(exact):
        tol = 1e-7
        if b.relation == "upper":
            consistent = exact <= b.value * (1 + tol)
        elif b.relation == "lower":
            consistent = exact >= b.value * (1 - tol)
        elif b.relation == "equality":
            consistent = abs(exact - b.value) <= tol * max(abs(b.value), 1.0)
    elif consistent is None and exact is not None and math.isinf(exact) and b.relation == "upper":
        consistent = False
    if b.applies is False:
        consistent = None  # the statement claims nothing about this J
    return BoundRow(b, exact, ratio, consistent, note)


def _needs(claim_id: str, quantity: str, what: str) -> BoundRow:
    """The row of a registered claim that needs more than J (``what``), with its label."""
    from .claims import get_claim  # the registry, only for the rows that need it

    b = Bound(claim_id, get_claim(claim_id).label, quantity, "upper", math.nan,
              (Precondition(what, None, "not derivable from J alone"),))
    return BoundRow(b, None, None, None, f"needs {what}")


def _is_jordan(F: Facts) -> bool:
    J = F.J
    g = J[0, 0]
    return bool(np.isreal(g) and np.array_equal(J, jordan_block(float(np.real(g)), J.shape[0])))


def bounds_for(J, blocks: tuple[int, int] | None = None, *, exact=None,
               lyapunov: bool | None = None) -> list[BoundRow]:
    """Every bound that applies to J = [[A, B], [C, D]] (block sizes ``blocks``), each with
    the exact value of what it bounds, the ratio bound / exact, and its hypotheses.

    gamma = max(rho(A), rho(D)), c = ||C||.  ``exact`` supplies K(J) and ||J^t||
    (default: the numerical core); ``lyapunov`` solves the SDP for the IQC bound
    (default: when n <= IQC_MAX_N).
    """
    exact = exact or Exact()
    F = facts(J, blocks)
    g, c, n, p = F.gamma, F.c, F.n, F.p
    stable = float(np.max(np.abs(np.linalg.eigvals(F.J)))) < 1
    K = exact.kreiss(F.J).value if stable else math.inf
    norms = exact.powers(F.J) if stable else None
    sup = float(norms.max()) if norms is not None else math.inf
    rows: list[BoundRow] = []
    if g < 1:
        for fn in (theorem4, theorem4a, theorem4b, theorem4b_expansion):
            rows.append(_row(fn(g, c, J=F), K))
        rows.append(_row(theorem4c(g, c, J=F), K))
        rows.append(_row(theorem5(g, c, J=F), K))
        s, _ = sharp_kreiss_constant_value(g, c)
        claimed = theorem7(g, c)
        rows.append(_row(claimed, (s - 1) / 2,
                         "exact column: (S-1)/2, the worst error of the estimator (1+S)/2 "
                         "(an upper bound on the minimax error)",
                         consistent=claimed.value <= (s - 1) / 2 * (1 + 1e-12)))
    else:
        b = Bound("thm4-eq4", "Theorems 4, 5, 7", "K(J)", "upper", math.nan,
                  (Precondition("0 <= gamma < 1", False, f"gamma = {g:.6g}"),))
        rows.append(BoundRow(b, K, None, None, "rho(A) or rho(D) >= 1: none of them applies"))
    rows.append(_needs("thm11", "iterations", "a noise model (sigma, alpha, beta)"))
    rows.append(_needs("thm12", "K(I - eta K_eff)", "NTK blocks and eta"))
    rows.append(_needs("ct-analogue", "K_ct(A)",
                       "a continuous-time matrix (kreiss.theory.continuous_time_analogue)"))
    if stable:
        lo, hi = kreiss_matrix_theorem(K, n)
        rows += [_row(lo, sup), _row(hi, sup)]
    if g < 1 and stable:
        rows += _transient_rows(F, K, norms)
    if not F.B_zero and g < 1:
        J0 = F.J.copy()
        J0[:p, p:] = 0
        K0 = exact.kreiss(J0).value
        rows.append(_row(theorem9(K0, g, F.norm_B, J=F), K,
                         f"J0 = J with B = 0, K0 = {K0:.6g}, eps ||B0|| = ||B|| = {F.norm_B:.6g}"))
    if F.rho_A < 1 and F.rho_D < 1:
        b = theorem10a(F.rho_A, F.rho_D, F.norm_B, F.norm_C, J=F)
        premise = b.preconditions[-1].holds
        rows.append(_row(b, F.norm_B * F.norm_C,
                         f"rho(J) = {_rho(F.J):.6g}", consistent=(not premise) or stable))
    if n == 2:
        a, bb, cc, d = F.J[0, 0], F.J[0, 1], F.J[1, 0], F.J[1, 1]
        b10 = theorem10b(a, bb, cc, d)
        rows.append(_row(b10, abs(bb * cc), f"rho(J) = {_rho(F.J):.6g}",
                         consistent=stable or abs(bb * cc) >= b10.value * (1 - 1e-12)))
        b10c = theorem10c(float(np.real(a)), float(np.real(bb)), float(np.real(cc)),
                          float(np.real(d)))
        rows.append(_row(b10c, float(np.real(bb * cc)), f"rho(J) = {_rho(F.J):.6g}",
                         consistent=(stable == (np.real(bb * cc) < b10c.value))
                         if b10c.applies else None))
        if F.B_zero and a == d and 0 < np.real(a) < 1 and np.isreal(a) and c > 0:
            r = 2 - float(np.real(a))
            phi = 1 / _min_sigma_on_circle(F.J, r)
            for bnd in proposition20(float(np.real(a)), c, r):
                rows.append(_row(bnd, phi, f"at r = 2 - gamma = {r:.4g}"))
    if stable and _is_jordan(F):
        rows.append(_row(lemma16(float(np.real(F.J[0, 0])), n)[0], K))
    rows += _iqc_rows(F, g, sup, exact, lyapunov)
    return rows


def _rho(M) -> float:
    return float(np.max(np.abs(np.linalg.eigvals(M))))


def _min_sigma_on_circle(J, r) -> float:
    th = np.linspace(-np.pi, np.pi, 4097)
    X = (r * np.exp(1j * th))[:, None, None] * np.eye(J.shape[0]) - J
    return float(np.linalg.svd(X, compute_uv=False)[:, -1].min())


def _transient_rows(F: Facts, K: float, norms: np.ndarray) -> list[BoundRow]:
    g, c, n, p = F.gamma, F.c, F.n, F.p
    t = np.arange(norms.size)
    sup = float(norms.max())
    rows = [_row(sharp_kreiss_bound(g, c, J=F), K),
            _row(sharp_kreiss_bound(F.rho_A, c, F.rho_D, J=F), K, "radii rho(A), rho(D)"),
            _row(sharp_transient_bound(F.rho_A, c, F.rho_D, J=F), sup,
                 "radii rho(A), rho(D)")]
    if 0 < g < 1:
        b = theorem8_peak(K, g)
        t_act = int(np.argmax(norms))
        rows.append(BoundRow(b, float(t_act), b.value / t_act if t_act else None, None,
                             f"exact: argmax_t ||J^t|| = {t_act}"))
    keep = norms > 1e-12 * sup
    bounds18 = math.e * n * K * g ** t
    i = int(np.argmin(np.where(keep, bounds18 / np.where(keep, norms, 1), np.inf)))
    rows.append(_row(theorem18(K, g, n, int(t[i]), J=F), float(norms[i]),
                     f"worst t = {int(t[i])} of 0..{t[-1]}"))
    if c > 0 and F.B_zero:
        S = np.zeros_like(F.C)
        At, best, bt, bs = np.eye(p), math.inf, 1, 0.0
        for tt in range(1, norms.size):
            S = F.D @ S + F.C @ At
            At = F.A @ At
            ns = float(np.linalg.norm(S, 2))
            if ns > 1e-280 and c * tt * g ** (tt - 1) / ns < best:
                best, bt, bs = c * tt * g ** (tt - 1) / ns, tt, ns
        rows.append(_row(lemma17(c, g, bt, J=F), bs, f"worst t = {bt}"))
    Ts = np.arange(1, norms.size)
    with np.errstate(divide="ignore"):  # log ratio: (e n K gamma)^T overflows for large T
        log_ratio = Ts * np.log(math.e * n * K * g) - np.log(np.maximum(norms[1:], 1e-300))
    j = int(np.argmin(log_ratio))
    prod, kstar = proposition22(K, g, c, n, int(Ts[j]))
    rows.append(_row(prod, float(norms[1:][j]), f"constant sequence J_t = J, worst T = {Ts[j]}"))
    rows.append(_row(kstar, K))
    return rows


def _iqc_rows(F: Facts, g: float, sup: float, exact, lyapunov) -> list[BoundRow]:
    if not math.isfinite(sup):
        return []
    if lyapunov is None:
        lyapunov = F.n <= IQC_MAX_N
    if not lyapunov:
        return [_needs("iqc-formula", "sup_t ||J^t||",
                       f"the Lyapunov SDP (skipped: n = {F.n} > {IQC_MAX_N}; pass lyapunov=True)")]
    return [_row(iqc_formula(exact.lyapunov(F.J), g), sup)]
