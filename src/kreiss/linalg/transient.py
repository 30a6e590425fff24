"""Transient growth ||A^t|| (discrete time) and ||e^{tA}|| (continuous time), and the
pseudospectral lower bounds on it.

Norms are computed on the triangular Schur factor T = Q^* A Q: ||A^t|| = ||T^t|| and
||e^{tA}|| = ||e^{tT}|| since Q is unitary, and products with the triangular T (or e^{hT})
cost a third of a general product (BLAS ``trmm``).

**When the supremum is certified.** If ||A^{t0}|| < 1 for some t0 >= 1, every t >= 0 is
t = k t0 + s with 0 <= s < t0 and ||A^t|| <= ||A^{t0}||^k ||A^s|| <= ||A^s||, so
sup_{t >= 0} ||A^t|| = max_{0 <= s <= t0} ||A^s||; likewise sup_{t >= 0} ||e^{tA}|| =
sup_{0 <= s <= t0} ||e^{sA}|| once ||e^{t0 A}|| < 1.  ``transient`` records whether it met
such a t0 (``certified``).

**Between samples (continuous time).** With omega(M) = lambda_max((M + M^*)/2),
||e^{sA}|| <= e^{s omega(A)} and ||e^{-sA}|| <= e^{s omega(-A)} (Trefethen & Embree, *Spectra
and Pseudospectra*, 2005, Thm 17.1), so on [t_k, t_{k+1}], h = t_{k+1} - t_k,
||e^{(t_k + s)A}|| <= min(N_k e^{s omega(A)}, N_{k+1} e^{(h - s) omega(-A)}): a rigorous upper
bound ``sup_upper`` from the samples, refined by bisection where it is loose.  The largest
sample is polished by a 1-D maximisation of t -> ||expm(tA)||.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg as sla

from ..errors import InputError, UnstableError
from ..jsonout import jsonable
from .norms import DENSE_NORM_MAX_N, Norm2, spectral_norm, tri_mul
from .operator import resolve
from .peak import power_peak
from .radii import numerical_abscissa
from .schur import SchurForm, schur_form
from .sigma_min import sigma_min_triangular
from .threads import one_blas_thread
from .validate import check_kind

#: the automatic horizon runs until the norm is below min(0.5, DECAY * peak).
DECAY = 1e-3


# ------------------------------------------------------------------------- results


@dataclass(frozen=True)
class TransientLowerBound:
    """Pseudospectral lower bounds on the running maximum of the transient.

    ``bound[i] <= max_{0 < s <= t[i]} ||A^s||`` (or ``sup_{0 < s <= t[i]} ||e^{sA}||``),
    attained by the point ``z[i]`` of the candidates (NaN / 0 where no candidate gives a
    positive bound).
    """

    kind: str
    t: np.ndarray
    bound: np.ndarray
    z: np.ndarray

    def to_dict(self) -> dict:
        return jsonable(
            {
                "kind": self.kind,
                "t": self.t,
                "bound": self.bound,
                "z": self.z,
            }
        )

    def plot(self, ax=None):
        from .plotting import new_axes

        ax = new_axes(ax)
        ok = self.bound > 0
        ax.semilogy(self.t[ok], self.bound[ok], "--", label="pseudospectral lower bound")
        ax.set_xlabel("t")
        ax.legend(loc="best")
        return ax


@dataclass(frozen=True)
class TransientResult:
    """||A^t||_2 at the t where it was computed (every t = 0, 1, ... with ``curve``; the
    branch and bound's nodes without), or ||e^{tA}||_2 on a time grid.

    ``sup``/``argmax``: the largest norm found and where (continuous time: refined between
    samples).  ``sup_upper``: upper bound on the norm over [0, ``horizon``] (discrete
    curve: equal to ``sup``; branch and bound: within 1e-12 relative or the rounding
    estimate).  ``certified``: at some t0 > 0 the computed norm plus its rounding estimate
    (``rounding``) is < 1, so the supremum over *all* t >= 0 lies in [sup, sup_upper].
    ``lower_bound`` (if requested): the pseudospectral lower bound on the running maximum
    at each t (NaN at t = 0).
    ``method == "krylov"``: ``norms`` are witnessed lower bounds ||A^t v|| / ||v||
    (:func:`.matfree.transient_krylov`), ``sup_upper`` is inf.
    """

    kind: str
    t: np.ndarray
    norms: np.ndarray
    sup: float
    argmax: float
    sup_upper: float
    certified: bool
    horizon: float
    n: int
    spectral_radius: float
    spectral_abscissa: float
    norm: float
    evaluations: int
    rounding: float
    message: str
    lower_bound: np.ndarray | None = None
    #: "dense" (exact norms of the powers) or "krylov" (witnessed lower bounds ||A^t v||)
    method: str = "dense"
    #: krylov: the unit vector v with ||A^argmax v|| = sup (re-check it)
    witness: np.ndarray | None = field(default=None, repr=False, compare=False)
    #: branch and bound over t (discrete, without ``curve``): the nodes it evaluated
    nodes: int = 0

    def to_dict(self) -> dict:
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__
                         if k != "witness"})

    def plot(self, ax=None):
        """Semilog plot of the norms, the sup, and the lower-bound curve if present."""
        from .plotting import new_axes

        ax = new_axes(ax)
        label = r"$\|A^t\|$" if self.kind == "discrete" else r"$\|e^{tA}\|$"
        style = ".-" if self.kind == "discrete" and self.t.size <= 200 else "-"
        ok = self.norms > 0
        ax.semilogy(self.t[ok], self.norms[ok], style, label=label)
        ax.axhline(self.sup, color="gray", lw=0.8, ls=":")
        star = f"sup {self.sup:.4g} at t = {self.argmax:.4g}"
        ax.plot([self.argmax], [self.sup], "r*", label=star)
        if self.lower_bound is not None:
            lb = self.lower_bound
            good = np.isfinite(lb) & (lb > 0)
            ax.semilogy(self.t[good], lb[good], "--", label="pseudospectral lower bound")
        ax.set_xlabel("t")
        ax.legend(loc="best")
        return ax


# ------------------------------------------------------------------------- transients


def _default_max_steps(n: int) -> int:
    # about 2e10 complex multiply-adds of trmm; at least 500 steps
    return int(min(100_000, max(500, 6e10 / n**3)))


@one_blas_thread
def transient(
    A,
    kind: str = "discrete",
    horizon: float | None = None,
    *,
    curve: bool = False,
    max_steps: int | None = None,
    lower_bound: bool = False,
    rtol: float = 1e-2,
    refine: int | None = None,
    until: str = "decay",
    method: str = "auto",
) -> TransientResult:
    """The transient t -> ||A^t||_2 (``kind="discrete"``) or t -> ||e^{tA}||_2 (continuous).

    Discrete time, by default: the certified supremum and its argmax by branch and bound
    over t with powers by repeated squaring (:func:`.peak.power_peak`): O(log T) products
    plus a refinement near the peak, where walking t = 1, 2, ... needs T ~ 1/(1 - rho)
    (the 2 x 2 Jordan block at a = 0.99999 takes ~0.05 s instead of seconds).  ``t`` and
    ``norms`` then hold the exact norms it computed (``nodes`` counts its nodes), not the
    curve; ``curve=True`` walks every t.

    Parameters
    ----------
    A : (n, n) array_like or :class:`SchurForm`
    horizon : None, or the last t (an integer number of steps in discrete time)
        None: the supremum over all t >= 0 (with ``curve``: run until the norm is below
        min(0.5, ``DECAY`` * peak), or ``max_steps``); requires rho(A) < 1 (continuous:
        spectral abscissa < 0), else :class:`UnstableError`.  Given: over [0, horizon]
        whatever the spectrum.
    curve : discrete time: compute ||A^t|| at every t = 0, 1, ... (continuous time always
        samples the curve).
    until : with ``curve``, no horizon: "decay" (default, as above) or "certified": stop at
        the first t >= 1 whose norm plus its rounding estimate is below 1.  Then
        ||A^s|| <= ||A^t|| ||A^(s-t)|| < max_{s' < t} ||A^s'|| for s > t, so ``sup`` is
        the sup over all t >= 0, at a fraction of the decay horizon's cost.
    max_steps : cap on the number of products (default depends on n).
    lower_bound : also compute the pseudospectral lower bound curve
        (:func:`transient_lower_bound`) on the same t.
    rtol, refine : continuous time: target relative gap between ``sup`` and ``sup_upper``,
        and the most extra expm evaluations spent on closing it (each costs O(n^3);
        default 64 for n <= 64, else 8).
    method : "auto", "dense" or "krylov" (:mod:`.operator`); "krylov" (discrete time only)
        gives witnessed lower bounds from products (:func:`.matfree.transient_krylov`).
    """
    kind = check_kind(kind)
    path, A = resolve(A, method)
    if path == "krylov":
        if kind != "discrete":
            raise InputError("the matrix-free transient is implemented for discrete time only")
        if horizon is not None and not (math.isfinite(float(horizon)) and horizon >= 1):
            raise InputError(f"horizon must be a whole number of steps >= 1, got {horizon!r}")
        from .matfree import transient_krylov

        return transient_krylov(A, None if horizon is None else int(horizon),
                                max_steps=1000 if max_steps is None else int(max_steps))
    if until not in ("decay", "certified") or (until == "certified" and kind != "discrete"):
        raise InputError(f"until must be 'decay' (or 'certified' in discrete time), got {until!r}")
    S = A if isinstance(A, SchurForm) else schur_form(A)
    n = S.n
    rho, alpha = S.spectral_radius, S.spectral_abscissa
    if horizon is None:
        if kind == "discrete" and rho >= 1:
            raise UnstableError(
                f"spectral radius {rho:.6g} >= 1: ||A^t|| does not decay; pass a horizon"
            )
        if kind == "continuous" and alpha >= 0:
            raise UnstableError(
                f"spectral abscissa {alpha:.6g} >= 0: ||e^(tA)|| does not decay; pass a horizon"
            )
    else:
        horizon = float(horizon)
        if not (math.isfinite(horizon) and horizon >= 0):
            raise InputError(f"horizon must be a finite number >= 0, got {horizon!r}")
        if kind == "discrete" and horizon != int(horizon):
            raise InputError(f"a discrete horizon is a whole number of steps, got {horizon!r}")
    cap = _default_max_steps(n) if max_steps is None else int(max_steps)
    if cap < 1:
        raise InputError(f"max_steps must be >= 1, got {max_steps!r}")
    if kind == "discrete" and not curve:
        return _branch_and_bound(S, None if horizon is None else int(horizon), cap, lower_bound)
    if not curve:
        return _continuous_branch_and_bound(S, horizon, cap, rtol, lower_bound)
    if kind == "discrete":
        res = _discrete(S, horizon, cap, certified_stop=until == "certified")
    else:
        if refine is None:
            refine = 64 if n <= DENSE_NORM_MAX_N else 8
        res = _continuous(S, horizon, cap, rtol, refine)
    t, norms, sup, argmax, sup_upper, evals, stopped, gains = res
    rounding = _rounding(S.n, norms, gains)
    below = np.nonzero((t > 0) & (norms + rounding < 1))[0]
    certified = below.size > 0
    if certified:
        i = below[0]
        msg = f"sup over all t >= 0 certified: norm {norms[i]:.3g} < 1 at t = {t[i]:.6g}"
    elif np.any((t > 0) & (norms < 1)):
        msg = (
            f"not certified: the computed norm falls below 1, but rounding errors "
            f"(estimate {rounding[-1]:.2g}) could account for that"
        )
    elif stopped:
        msg = f"stopped after {t.size - 1} steps (max_steps) before the norm fell below 1"
    else:
        msg = "sup over [0, horizon] only: no computed norm fell below 1"
    lb = _lower_bounds(S, t, kind) if lower_bound else None
    return TransientResult(
        kind=kind,
        t=t,
        norms=norms,
        sup=float(sup),
        argmax=float(argmax),
        sup_upper=float(sup_upper),
        certified=bool(certified),
        horizon=float(t[-1]),
        n=n,
        spectral_radius=rho,
        spectral_abscissa=alpha,
        norm=S.norm,
        evaluations=evals,
        rounding=float(rounding[-1]),
        message=msg,
        lower_bound=lb,
    )


def _lower_bounds(S: SchurForm, t: np.ndarray, kind: str) -> np.ndarray:
    """:func:`transient_lower_bound` at the times t > 0 (NaN at t = 0)."""
    lb = np.full(t.size, np.nan)
    pos = t > 0
    if np.any(pos):
        lb[pos] = transient_lower_bound(S, t[pos], kind).bound
    return lb


def _branch_and_bound(S: SchurForm, horizon: int | None, cap: int, lower_bound: bool):
    """:func:`transient` in discrete time without the curve (:func:`.peak.power_peak`)."""
    pk = power_peak(S, horizon, max_products=cap)
    t = pk.t.astype(float)
    lb = _lower_bounds(S, t, "discrete") if lower_bound else None
    return TransientResult(
        kind="discrete", t=t, norms=pk.norms, sup=pk.sup, argmax=float(pk.argmax),
        sup_upper=pk.sup_upper, certified=pk.tail, horizon=float(pk.end - 1), n=S.n,
        spectral_radius=S.spectral_radius, spectral_abscissa=S.spectral_abscissa,
        norm=S.norm, evaluations=pk.products, rounding=pk.rounding, message=pk.message,
        lower_bound=lb, nodes=pk.nodes)


def _continuous_branch_and_bound(S: SchurForm, horizon, cap: int, rtol: float,
                                 lower_bound: bool):
    """:func:`transient` in continuous time without the curve: the discrete peak of
    E = e^{hA} on the grid t = k h (:func:`.peak.power_peak`), then between grid points
    ||e^{(kh + s)A}|| <= ||E^k|| e^{s omega(A)} (Trefethen & Embree, Thm 17.1), so with
    h = log(1 + rtol) / omega(A) the grid's certified bound times e^{h omega} bounds the
    supremum over all t within ``rtol``; the grid's best sample is polished by a 1-D
    maximisation of ||expm(tA)|| around it.  A tail ||E^K|| < 1 certifies all t >= 0."""
    w = max(numerical_abscissa(S), 0.0)
    if w == 0.0:  # ||e^{tA}|| <= e^{t omega} <= 1 = ||e^{0A}||
        t = np.array([0.0])
        return TransientResult(
            kind="continuous", t=t, norms=np.ones(1), sup=1.0, argmax=0.0, sup_upper=1.0,
            certified=True, horizon=0.0 if horizon is None else float(horizon), n=S.n,
            spectral_radius=S.spectral_radius, spectral_abscissa=S.spectral_abscissa,
            norm=S.norm, evaluations=0, rounding=0.0,
            message="sup over all t >= 0 certified: omega(A) <= 0, so ||e^{tA}|| <= 1",
            lower_bound=np.full(1, np.nan) if lower_bound else None)
    h = math.log1p(rtol) / w
    steps = None
    if horizon is not None:
        steps = max(1, math.ceil(horizon / h))
        h = horizon / steps
    E = _exp_schur(S, h)
    pk = power_peak(E, steps, max_products=cap)
    t = pk.t * h
    growth = math.exp(h * w)
    sup, argmax, evals = pk.sup, float(pk.argmax) * h, pk.products
    G = S.matrix() if S.is_real else S.T  # real expm is ~4x cheaper

    def f(s):
        return spectral_norm(sla.expm(s * G))

    if pk.argmax > 0 and math.isfinite(sup):
        from scipy.optimize import minimize_scalar

        lo, hi = argmax - h, argmax + h if horizon is None else min(argmax + h, horizon)
        opt = minimize_scalar(lambda s: -f(s), bounds=(lo, hi), method="bounded",
                              options={"xatol": 1e-6 * (hi - lo)})
        evals += int(opt.nfev)
        if -opt.fun > sup:
            sup, argmax = float(-opt.fun), float(opt.x)
    sup_upper = max(sup, pk.sup_upper * growth)
    msg = (pk.message.replace("A^", "E^") + f"; E = e^(hA), grid step h = {h:.3g}, between "
           f"grid points x e^(h omega) = {growth:.6g}")
    lb = _lower_bounds(S, t, "continuous") if lower_bound else None
    return TransientResult(
        kind="continuous", t=t, norms=pk.norms, sup=sup, argmax=argmax, sup_upper=sup_upper,
        certified=pk.tail, horizon=float(pk.end - 1) * h, n=S.n,
        spectral_radius=S.spectral_radius, spectral_abscissa=S.spectral_abscissa,
        norm=S.norm, evaluations=evals, rounding=pk.rounding, message=msg, lower_bound=lb,
        nodes=pk.nodes)


def _exp_schur(S: SchurForm, h: float) -> SchurForm:
    """The Schur form of e^{hA}: Q e^{hT} Q^*, e^{hT} upper triangular (and the real one's
    exponential, quasi-triangular, for real A)."""
    T = sla.expm(h * S.T)
    Tr = sla.expm(h * S.T_real) if S.T_real is not None else None
    return SchurForm(T=T, Q=S.Q, is_real=S.is_real, norm=spectral_norm(T), T_real=Tr,
                     Q_real=S.Q_real)


def _discrete(S: SchurForm, horizon, cap, certified_stop=False):
    T = np.asfortranarray(S.T)
    n = S.n
    norm2 = Norm2(n)
    P = np.asfortranarray(np.eye(n, dtype=complex))
    norms = [1.0]
    peak = 1.0
    last = None if horizon is None else int(horizon)
    stopped = False
    k = 0
    carried = 0.0  # sum of ||T|| ||P_{j-1}||, for the rounding estimate of :func:`_rounding`
    while True:
        if last is not None and k >= last:
            break
        if last is None and norms[-1] <= min(0.5, DECAY * peak):
            break
        rounding = np.finfo(float).eps * n * peak * carried
        if certified_stop and last is None and k > 0 and norms[-1] + rounding < 1:
            break
        carried += S.norm * norms[-1]
        if k >= cap:
            stopped = True
            break
        P = tri_mul(T, P)
        k += 1
        v = norm2(P)
        norms.append(v)
        peak = max(peak, v)
        if not math.isfinite(v):
            break
    norms = np.asarray(norms)
    t = np.arange(norms.size, dtype=float)
    i = int(np.argmax(norms))
    gains = np.full(norms.size, S.norm)
    return t, norms, norms[i], t[i], norms[i], norms.size - 1, stopped, gains


def _rounding(n: int, norms: np.ndarray, gains: np.ndarray) -> np.ndarray:
    """First-order estimate of the absolute rounding error of each computed norm.

    P_k = fl(E_k P_{k-1}) = E_k P_{k-1} + D_k with ||D_k|| <~ n u ||E_k|| ||P_{k-1}|| (E_k = T,
    or e^{h_k T}; ``gains`` holds ||E_k||), and D_j is then carried by the exact evolution
    from t_j to t_k, of norm <~ M_k, the largest norm up to step k.  It matters only for
    huge transients (M_k^2 comparable to 1/u), where the tail is rounding noise.
    """
    prev = np.concatenate([[0.0], norms[:-1]])
    with np.errstate(over="ignore", invalid="ignore"):
        carried = np.cumsum(gains * prev)
        return np.finfo(float).eps * n * np.maximum.accumulate(norms) * carried


def _between(N0, N1, h, w_plus, w_minus):
    """Upper bound of ||e^{sA}|| on an interval of length h with end values N0, N1."""
    with np.errstate(divide="ignore"):
        l0, l1 = np.log(N0), np.log(N1)
    if w_plus + w_minus <= 0:
        return np.maximum(N0, N1)
    s = np.clip((l1 - l0 + h * w_minus) / (w_plus + w_minus), 0.0, h)
    return np.exp(np.minimum(l0 + s * w_plus, l1 + (h - s) * w_minus))


def _continuous(S: SchurForm, horizon, cap, rtol, refine):
    T = np.asfortranarray(S.T)
    n = S.n
    w_plus = max(numerical_abscissa(S), 0.0)  # omega(A)
    w_minus = max(-float(sla.eigvalsh((T + T.conj().T) / 2, subset_by_index=[0, 0])[0]), 0.0)
    normA = S.norm
    h0 = 0.25 / normA if normA > 0 else 1.0
    if horizon is not None and horizon > 0:
        h0 = min(h0, horizon / 8)
    norm2 = Norm2(n)
    steps = {0: np.asfortranarray(sla.expm(h0 * T))}  # e^{2^j h0 T}
    P = np.asfortranarray(np.eye(n, dtype=complex))
    ts, norms, gains = [0.0], [1.0], [0.0]
    step_norm: dict[int, float] = {}
    peak = 1.0
    stopped = False
    if horizon == 0:
        return np.array([0.0]), np.array([1.0]), 1.0, 0.0, 1.0, 0, False, np.zeros(1)
    while True:
        t = ts[-1]
        if horizon is None and norms[-1] <= min(0.5, DECAY * peak):
            break
        if horizon is not None and t >= horizon:
            break
        if len(ts) > cap:
            stopped = True
            break
        # double the step while the interval bound stays below the peak (decay phase)
        j = 0
        while (
            norms[-1] * math.exp(h0 * 2 ** (j + 1) * w_plus) <= peak
            and h0 * 2 ** (j + 1) <= max(h0, t / 4)
            and (horizon is None or t + h0 * 2 ** (j + 1) <= horizon)
        ):
            j += 1
        h = h0 * 2**j
        if horizon is not None and t + h > horizon * (1 - 1e-12):
            E = np.asfortranarray(sla.expm((horizon - t) * T))
            gain = spectral_norm(E)
            t_next = horizon
        else:
            for i in range(max(steps) + 1, j + 1):
                steps[i] = np.asfortranarray(tri_mul(steps[i - 1], steps[i - 1]))
            E = steps[j]
            if j not in step_norm:
                step_norm[j] = spectral_norm(E)
            gain = step_norm[j]
            t_next = t + h
        P = tri_mul(E, P)
        v = norm2(P)
        ts.append(t_next)
        norms.append(v)
        gains.append(gain)
        peak = max(peak, v)
        if not math.isfinite(v):
            break
    t = np.asarray(ts)
    N = np.asarray(norms)
    evals = t.size - 1

    # polish the best sample, then close the rigorous bound between samples by bisection
    G = S.matrix() if S.is_real else S.T  # real expm is ~4x cheaper

    def f(s):
        return spectral_norm(sla.expm(s * G))

    i = int(np.argmax(N))
    best_t, best = t[i], N[i]
    lo, hi = t[max(i - 1, 0)], t[min(i + 1, t.size - 1)]
    if hi > lo and i > 0:
        from scipy.optimize import minimize_scalar

        opt = minimize_scalar(
            lambda s: -f(s), bounds=(lo, hi), method="bounded", options={"xatol": 1e-6 * (hi - lo)}
        )
        evals += int(opt.nfev)
        if -opt.fun > best:
            best_t, best = float(opt.x), float(-opt.fun)
        tt, NN = np.append(t, opt.x), np.append(N, -opt.fun)
    else:
        tt, NN = t, N
    budget = refine
    while budget > 0:
        order = np.argsort(tt)
        tt, NN = tt[order], NN[order]
        U = _between(NN[:-1], NN[1:], np.diff(tt), w_plus, w_minus)
        loose = np.nonzero(U > best * (1 + rtol))[0]
        if loose.size == 0:
            break
        loose = loose[np.argsort(-U[loose])][: min(budget, 4)]
        mids = (tt[loose] + tt[loose + 1]) / 2
        vals = np.array([f(s) for s in mids])
        budget -= mids.size
        evals += mids.size
        tt, NN = np.concatenate([tt, mids]), np.concatenate([NN, vals])
        k = int(np.argmax(vals))
        if vals[k] > best:
            best_t, best = float(mids[k]), float(vals[k])
    order = np.argsort(tt)
    tt, NN = tt[order], NN[order]
    U = _between(NN[:-1], NN[1:], np.diff(tt), w_plus, w_minus)
    upper = max(best, float(np.max(U))) if U.size else best
    return t, N, best, best_t, upper, evals, stopped, np.asarray(gains)


# ------------------------------------------------------------------------- lower bounds


def _default_candidates(S: SchurForm, kind: str, n_radii: int, n_angles: int) -> np.ndarray:
    lam = S.eigenvalues
    scale = max(S.norm, 1e-300)
    if kind == "discrete":
        # |z| = r > 1: geometric in r - 1 from 1e-4 to 10 max(1, ||A||)
        radii = 1 + max(1.0, scale) * np.logspace(-4, 1, n_radii)
        top = lam[np.argsort(-np.abs(lam))[:8]]
        grid = np.linspace(-np.pi, np.pi, n_angles, endpoint=False)
        angles = np.concatenate([grid, np.angle(top)])
        if S.is_real:
            angles = np.abs(angles)
        angles = np.unique(np.round(angles, 12))
        return (radii[:, None] * np.exp(1j * angles)[None, :]).ravel()
    # Re z = a > 0: geometric from 1e-4 ||A|| to 10 ||A||; Im z across the spectrum
    a = scale * np.logspace(-4, 1, n_radii)
    ymin, ymax = float(lam.imag.min()), float(lam.imag.max())
    pad = 0.5 * scale
    right = lam.imag[np.argsort(-lam.real)[:8]]
    ys = np.concatenate([np.linspace(ymin - pad, ymax + pad, n_angles), right])
    if S.is_real:
        ys = np.abs(ys)
    ys = np.unique(np.round(ys, 12))
    return (a[:, None] + 1j * ys[None, :]).ravel()


@one_blas_thread
def transient_lower_bound(
    A, t, kind: str = "discrete", z=None, *, n_radii: int = 16, n_angles: int = 16
) -> TransientLowerBound:
    """Lower bounds on max_{0 < s <= t} ||A^s|| (or sup_{0 < s <= t} ||e^{sA}||) from the
    resolvent norm at points z, maximised over the candidates ``z``.

    Continuous time (Trefethen & Embree, 2005, Thm 15.4, eq. (15.11)): for a = Re z > 0 and
    K = a ||(zI - A)^{-1}||,  sup_{0 < s <= t} ||e^{sA}|| >= e^{at} / (1 + (e^{at} - 1)/K).
    Proof: (zI - A)^{-1} = int_0^t e^{-zs} e^{sA} ds + e^{-zt} e^{tA} (zI - A)^{-1}; take norms
    and solve for M = sup ||e^{sA}||.

    Discrete time (Trefethen & Embree, Thm 16.4, eq. (16.15); EigTool's ``transient_bestlb``):
    for |z| = r > 1 and R = ||(zI - A)^{-1}||, with c = (r - 1)(rR - 1),
    max_{0 < k <= t} ||A^k|| >= r^t / (1 + (r^t - 1)/c)   (when c > 0).
    Proof: (zI - A)^{-1} = sum_{k<t} A^k z^{-k-1} + A^t z^{-t} (zI - A)^{-1}; bound the k = 0
    term by 1/r and the others by M = max_{0<k<=t} ||A^k||, then solve for M.  With
    K = (r - 1) R, c = rK - (r - 1) >= K whenever K >= 1, so this is at least the bound
    r^t / (1 + (r^t - 1)/K).

    Both are c / (1 + (c - 1) q) with q = r^{-t} (e^{-at}), evaluated in that stable form.
    ``z`` defaults to a polar (discrete) or half-plane (continuous) grid; all resolvent norms
    come from one batched :func:`sigma_min_triangular` call.
    """
    kind = check_kind(kind)
    S = A if isinstance(A, SchurForm) else schur_form(A)
    tt = np.atleast_1d(np.asarray(t, dtype=float))
    if np.any(~np.isfinite(tt)) or np.any(tt <= 0):
        raise InputError("t must hold finite times > 0 (the bounds concern 0 < s <= t)")
    if z is None:
        zz = _default_candidates(S, kind, n_radii, n_angles)
    else:
        zz = np.atleast_1d(np.asarray(z, dtype=complex)).ravel()
    if kind == "discrete":
        zz = zz[np.abs(zz) > 1]
        g = np.abs(zz)
    else:
        zz = zz[zz.real > 0]
        g = zz.real
    bound = np.zeros(tt.size)
    best_z = np.full(tt.size, np.nan + 0j)
    if zz.size == 0:
        return TransientLowerBound(kind=kind, t=tt, bound=bound, z=best_z)
    sig = sigma_min_triangular(S.T, zz)
    with np.errstate(divide="ignore", over="ignore"):
        R = 1.0 / sig
        c = (g - 1) * (g * R - 1) if kind == "discrete" else g * R
        logg = np.log(g) if kind == "discrete" else g
    keep = c > 0
    zz, c, logg = zz[keep], c[keep], logg[keep]
    if zz.size == 0:
        return TransientLowerBound(kind=kind, t=tt, bound=bound, z=best_z)
    chunk = max(1, int(4e6 // zz.size))
    for s in range(0, tt.size, chunk):
        q = np.exp(-tt[s : s + chunk, None] * logg[None, :])
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            B = np.where(np.isinf(c), 1 / q, c / (1 + (c - 1) * q))
        j = np.argmax(B, axis=1)
        bound[s : s + chunk] = B[np.arange(j.size), j]
        best_z[s : s + chunk] = zz[j]
    return TransientLowerBound(kind=kind, t=tt, bound=bound, z=best_z)
