"""Simulation of linearised coupled gradient descent, beside the predictions of the theory.

The error e_t = (x_t, y_t) - (x*, y*) of coupled GD near a fixed point follows

    e_{t+1} = J e_t + eta_t,     eta_t = (-alpha xi_t, -beta zeta_t),

the linearisation of eq. (3) with the stochastic gradients of Section 6 (Theorem 11):
xi_t ~ N(0, sigma^2/p I_p) and zeta_t ~ N(0, sigma^2/q I_q), independent over t, so that
E||xi_t||^2 = E||zeta_t||^2 = sigma^2, the bound assumed in Theorem 11 (with equality).
With sigma = 0 this is the deterministic iteration e_t = J^t e_0.

Closed forms used as predictions (Q = Cov(eta_t) = diag(alpha^2 sigma^2/p I, beta^2 sigma^2/q I)):

* E||e_t||^2 = ||J^t e_0||^2 + sum_{k<t} tr(J^k Q J^kT)  (exact, ``expected_square``);
* the noise floor lim E||e_t||^2 = tr(Sigma), Sigma = J Sigma J^T + Q (Stein equation,
  ``noise_floor_exact``), and its bound tr(Q) sum_k ||J^k||^2 used in the proof of
  Theorem 11 (``noise_floor_bound``);
* ||e_t|| <= ||J^t|| ||e_0|| (equality at the peak for the "worst" e_0), the transient of the
  numerical core (``kreiss.transient``); sup_t ||J^t|| <= e n K(J) (Kreiss matrix theorem,
  eq. (2)) with the certified K(J) of ``kreiss.kreiss_constant``;
* the paper's peak-time estimate t* ~ log K(J) / (-log gamma) (Theorem 8; a heuristic,
  labelled ``paper_peak_time``);
* optionally a Lyapunov envelope ||J^t|| <= sqrt(kappa(P)) rate^t (``kreiss.lyapunov_bound``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError, UnstableError
from ..jsonout import jsonable
from ..linalg.radii import spectral_radius
from ..linalg.validate import as_square_matrix, check_positive, split_after

#: Largest default horizon; pass ``steps`` explicitly for longer runs.
MAX_STEPS = 100_000
#: Flop budget (n^3 * steps) under which the exact E||e_t||^2 is computed.
EXACT_BUDGET = 2e9


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Measured error trajectories of coupled GD and the theory's predictions beside them.

    Trajectories (index t = 0..steps):
        norms          (runs, steps+1) ||e_t|| of each run (one row when sigma = 0)
        rms            sqrt(mean over runs of ||e_t||^2) (= ||J^t e_0|| when sigma = 0)
        deterministic  ||J^t e_0||, the noise-free trajectory from the same e_0
        expected_square exact E||e_t||^2 (None if too costly, see EXACT_BUDGET)
        envelope       ||J^t|| ||e_0|| from the core's transient (None without predictions)
    Measured:
        peak, peak_time         max and argmax of rms
        iterations_to_tol       first t with rms_s <= tol for all s >= t (None: never)
        noise_floor             mean ||e_t||^2 over the last quarter of the run and all runs
    Predicted (None when ``predict=False``):
        kreiss, kreiss_upper    K(J) (lower = value) and its certified upper bound
        transient_sup, transient_argmax   sup_t ||J^t|| over the horizon and where
        kreiss_matrix_bound     e n K_upper ||e_0||, a bound on every ||J^t e_0||
        predicted_iterations_to_tol  first t with ||e_0|| sup_{s>=t} ||J^s|| <= tol
                                (worst case over e_0 of this norm, noise-free)
        paper_peak_time         log K / (-log rho(J)), the paper's Theorem 8 estimate
        noise_floor_exact       tr(Sigma), Sigma = J Sigma J^T + Q
        noise_floor_bound       tr(Q) sum_k ||J^k||^2 (proof of Theorem 11)
        lyapunov                LyapunovResult when ``lyapunov_rho`` was given
    """

    t: np.ndarray
    norms: np.ndarray
    rms: np.ndarray
    deterministic: np.ndarray
    expected_square: np.ndarray | None
    e0_norm: float
    steps: int
    runs: int
    sigma: float
    alpha: float
    beta: float
    p: int
    n: int
    tol: float
    seed: Any
    spectral_radius: float
    peak: float
    peak_time: int
    iterations_to_tol: int | None
    noise_floor: float
    noise_floor_exact: float
    envelope: np.ndarray | None = None
    kreiss: float | None = None
    kreiss_upper: float | None = None
    transient_sup: float | None = None
    transient_argmax: int | None = None
    kreiss_matrix_bound: float | None = None
    predicted_iterations_to_tol: int | None = None
    paper_peak_time: float | None = None
    noise_floor_bound: float | None = None
    lyapunov: Any = None
    messages: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (:mod:`kreiss.jsonout`): parameters, measured and predicted
        scalars, then the rms, deterministic, expected-square and envelope trajectories and
        the Lyapunov result."""
        last = ("rms", "deterministic", "expected_square", "envelope", "lyapunov")
        first = [k for k in self.__dataclass_fields__ if k not in ("t", "norms", *last)]
        return jsonable({k: getattr(self, k) for k in (*first, *last)})

    def plot(self, ax=None, path=None, max_runs: int = 20):
        """||e_t|| against the bounds, log scale; saved to ``path`` if given.

        Shows up to ``max_runs`` noisy runs (faint), their rms, the noise-free trajectory,
        the envelope ||J^t|| ||e_0||, the Kreiss-matrix-theorem level e n K ||e_0||, K ||e_0||
        (sup_t ||J^t|| is at least K), the Lyapunov envelope, and the exact noise floor.
        Returns the axes.
        """
        from ..linalg.plotting import new_axes

        ax = new_axes(ax, figsize=(7, 4.5))
        t = self.t
        if self.sigma > 0:
            for row in self.norms[:max_runs]:
                ax.semilogy(t, row, color="0.75", lw=0.5)
            ax.semilogy(t, self.rms, color="C0", lw=2, label="rms ||e_t|| (measured)")
        ax.semilogy(t, self.deterministic, "--", color="C1", label="||J^t e_0|| (noise-free)")
        if self.envelope is not None:
            ax.semilogy(t, self.envelope, color="C2", label="||J^t|| ||e_0||")
        if self.kreiss is not None:
            ax.axhline(self.kreiss * self.e0_norm, color="C3", ls=":", label="K(J) ||e_0||")
            ax.axhline(self.kreiss_matrix_bound, color="C3", ls="-.", label="e n K(J) ||e_0||")
        if self.lyapunov is not None:
            ax.semilogy(t, self.e0_norm * self.lyapunov.bound_at(t), color="C4", ls=":",
                        label="sqrt(kappa(P)) rate^t ||e_0||")  # fmt: skip
        if self.sigma > 0 and self.noise_floor_exact > 0:
            ax.axhline(math.sqrt(self.noise_floor_exact), color="C5", ls="--",
                       label="noise floor (exact)")  # fmt: skip
        ax.axvline(self.peak_time, color="0.4", lw=0.8)
        ax.set_xlabel("t")
        ax.set_ylabel("||e_t||")
        ax.set_title(f"coupled GD, n = {self.n}, rho(J) = {self.spectral_radius:.4g}")
        ax.legend(fontsize=8)
        if path is not None:
            ax.figure.savefig(path, dpi=120, bbox_inches="tight")
        return ax


def simulate(
    J,
    steps: int | None = None,
    *,
    blocks=None,
    e0="worst",
    sigma: float = 0.0,
    alpha: float | None = None,
    beta: float | None = None,
    runs: int | None = None,
    tol: float = 1e-6,
    seed=None,
    predict: bool = True,
    lyapunov_rho: float | None = None,
) -> SimulationResult:
    """Run e_{t+1} = J e_t + eta_t for ``steps`` steps and compare with the theory.

    ``J`` is a matrix or a result carrying ``.J`` and ``.p`` (a
    :class:`~kreiss.coupled.CoupledProblem`, :class:`~kreiss.coupled.LQBilevel` or
    :class:`~kreiss.coupled.CoupledJacobian`; their ``alpha``, ``beta`` are used as defaults,
    else 1). ``blocks`` = p or (p, q), the size of the x block (needed only for the noise;
    default: the result's p, else n).
    ``e0`` is an array, ``"worst"`` (the unit vector that attains sup_t ||J^t||: the top right
    singular vector of J^{t*} at the peak t* of the transient) or ``"random"`` (a seeded unit
    Gaussian vector). ``sigma`` is the gradient-noise level of Theorem 11; ``runs``
    independent runs (default 1 without noise, 100 with). ``steps`` defaults to about
    2 log(tol) / log rho(J) (capped at MAX_STEPS). ``predict=False`` skips the numerical core
    (Kreiss constant, transient); ``lyapunov_rho`` adds the Lyapunov envelope for that rate.
    """
    M, p_default, a_default, b_default, kind = _unpack(J)
    if kind == "continuous":
        raise InputError(
            "J is a continuous-time generator; simulate the discrete map I + h J instead"
        )
    n = M.shape[0]
    p = p_default if blocks is None else split_after(blocks, n)
    alpha = a_default if alpha is None else check_positive(alpha, "alpha")
    beta = b_default if beta is None else check_positive(beta, "beta")
    sigma = float(sigma)
    tol = float(tol)
    if not (sigma >= 0 and np.isfinite(sigma)):
        raise InputError(f"sigma must be finite and >= 0, got {sigma}")
    if not tol > 0:
        raise InputError(f"tol must be > 0, got {tol}")
    runs = (1 if sigma == 0 else 100) if runs is None else int(runs)
    if runs < 1:
        raise InputError(f"runs must be >= 1, got {runs}")
    radius = spectral_radius(M)
    if steps is None:
        if radius >= 1:
            raise UnstableError(
                f"spectral radius {radius:.6g} >= 1: the error does not converge; "
                "pass steps= to simulate a divergent iteration"
            )
        decay = math.log(max(radius, 1e-2))
        steps = min(MAX_STEPS, n + 20 + math.ceil(2 * math.log(tol) / decay))
    steps = int(steps)
    if steps < 1:
        raise InputError(f"steps must be >= 1, got {steps}")
    rng = np.random.default_rng(seed)

    trans = None
    if predict or (isinstance(e0, str) and e0 == "worst"):
        from ..linalg.transient import transient

        trans = transient(M, kind="discrete", horizon=steps, curve=True)
    x0 = _initial(e0, M, n, rng, trans)
    e0_norm = float(np.linalg.norm(x0))

    # Q = Cov(eta_t): diagonal
    q = n - p
    qdiag = np.r_[
        np.full(p, alpha**2 * sigma**2 / p), np.full(q, beta**2 * sigma**2 / q if q else 0)
    ]
    det = np.empty(steps + 1)
    norms = np.empty((runs if sigma > 0 else 1, steps + 1))
    d = x0.copy()
    E = np.repeat(x0[:, None], norms.shape[0], axis=1)
    det[0] = e0_norm
    norms[:, 0] = e0_norm
    std = np.sqrt(qdiag)[:, None]
    for t in range(1, steps + 1):
        d = M @ d
        det[t] = np.linalg.norm(d)
        if sigma > 0:
            E = M @ E + std * rng.standard_normal(E.shape)
            norms[:, t] = np.linalg.norm(E, axis=0)
    if sigma == 0:
        norms[0] = det
    rms = np.sqrt(np.mean(norms**2, axis=0))

    expected = _expected_square(M, det, qdiag, steps) if sigma > 0 else det**2
    floor_exact = _stationary_trace(M, qdiag) if sigma > 0 and radius < 1 else 0.0
    tail = norms[:, steps - steps // 4 :]
    peak_time = int(np.argmax(rms))
    out: dict[str, Any] = dict(
        t=np.arange(steps + 1),
        norms=norms,
        rms=rms,
        deterministic=det,
        expected_square=expected,
        e0_norm=e0_norm,
        steps=steps,
        runs=norms.shape[0],
        sigma=sigma,
        alpha=alpha,
        beta=beta,
        p=p,
        n=n,
        tol=tol,
        seed=seed if seed is None or isinstance(seed, int) else repr(seed),
        spectral_radius=radius,
        peak=float(rms[peak_time]),
        peak_time=peak_time,
        iterations_to_tol=_first_time_below(rms, tol),
        noise_floor=float(np.mean(tail**2)) if sigma > 0 else 0.0,
        noise_floor_exact=float(floor_exact),
    )
    messages = []
    if predict:
        from ..linalg.kreiss_constant import kreiss_constant

        K = kreiss_constant(M, kind="discrete", blocks=(p, n - p) if p < n else None)
        env = _envelope(trans, steps)
        out.update(
            envelope=e0_norm * env,
            kreiss=float(K.value),
            kreiss_upper=float(K.upper),
            transient_sup=float(np.nanmax(env)),
            transient_argmax=int(np.nanargmax(env)),
            kreiss_matrix_bound=float(math.e * n * K.upper * e0_norm),
            predicted_iterations_to_tol=_first_time_below(e0_norm * env, tol),
            paper_peak_time=(math.log(K.value) / -math.log(radius) if 0 < radius < 1 else None),
            noise_floor_bound=_floor_bound(env, qdiag.sum()) if sigma > 0 else 0.0,
        )
        messages.append("paper_peak_time is Theorem 8's estimate log K / (-log rho), a heuristic")
    if lyapunov_rho is not None:
        from ..linalg.lyapunov import lyapunov_bound

        out["lyapunov"] = lyapunov_bound(M, rho=lyapunov_rho)
    return SimulationResult(messages=tuple(messages), **out)


@dataclass(frozen=True, eq=False)
class GDRun:
    """Iterates of the (nonlinear) coupled GD of eq. (3) from objectives, see :func:`run_gd`.

    ``errors[t]`` = ||(x_t, y_t) - (x*, y*)|| for t = 0..steps (or ||(x_t, y_t)|| when no
    reference point was given); ``w`` is the final flat iterate.
    """

    t: np.ndarray
    errors: np.ndarray
    w: np.ndarray
    p: int
    alpha: float
    beta: float
    sigma: float
    seed: Any

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"p": self.p, "alpha": self.alpha, "beta": self.beta,
                         "sigma": self.sigma, "seed": self.seed, "errors": self.errors})


def run_gd(F, G, x0, y0, alpha, beta, steps: int, *, sigma: float = 0.0, x_star=None,
           y_star=None, seed=None) -> GDRun:  # fmt: skip
    """Run eq. (3) itself: x' = x - alpha (grad_x F + xi), y' = y - beta (grad_y G + zeta).

    The nonlinear counterpart of :func:`simulate` (torch, float64): the noise is that of
    Theorem 11 with E||xi||^2 = E||zeta||^2 = sigma^2 (Gaussian, as in :func:`simulate`).
    ``x_star``, ``y_star`` (same structure as x0, y0) is the reference point of ``errors``.
    Near a fixed point the errors follow the linear iteration with J =
    :func:`~kreiss.coupled.simultaneous_gd_jacobian` there; for quadratic objectives exactly.
    """
    from ._torch import require_torch
    from .jacobian import _Layout, simultaneous_gd_step

    torch = require_torch()
    step, w, p, _ = simultaneous_gd_step(F, G, x0, y0, alpha, beta)
    steps, sigma = int(steps), float(sigma)
    if steps < 0:
        raise InputError(f"steps must be >= 0, got {steps}")
    if not (sigma >= 0 and np.isfinite(sigma)):
        raise InputError(f"sigma must be finite and >= 0, got {sigma}")
    n = w.numel()
    ref = torch.zeros(n, dtype=torch.float64)
    if (x_star is None) != (y_star is None):
        raise InputError("give both x_star and y_star, or neither")
    if x_star is not None:
        ref = torch.cat([_Layout(x_star, "x_star", torch).flat(),
                         _Layout(y_star, "y_star", torch).flat()])  # fmt: skip
        if ref.numel() != n:
            raise InputError(f"(x_star, y_star) has {ref.numel()} entries, (x0, y0) has {n}")
    q = n - p  # >= 1: y has entries
    scale = torch.cat([torch.full((p,), float(alpha) * sigma / math.sqrt(p)),
                       torch.full((q,), float(beta) * sigma / math.sqrt(q))])  # fmt: skip
    gen = torch.Generator().manual_seed(int(np.random.default_rng(seed).integers(2**62)))
    errors = np.empty(steps + 1)
    errors[0] = float(torch.linalg.vector_norm(w - ref))
    with torch.no_grad():
        for t in range(1, steps + 1):
            w = step(w)
            if sigma > 0:
                w = w - scale * torch.randn(n, dtype=torch.float64, generator=gen)
            errors[t] = float(torch.linalg.vector_norm(w - ref))
    return GDRun(t=np.arange(steps + 1), errors=errors, w=w.numpy().copy(), p=p,
                 alpha=float(alpha), beta=float(beta), sigma=sigma,
                 seed=seed if seed is None or isinstance(seed, int) else repr(seed))  # fmt: skip


# --------------------------------------------------------------------------------------------


def _unpack(J):
    if hasattr(J, "J") and hasattr(J, "p"):
        M = as_square_matrix(J.J, "J")
        alpha = getattr(J, "alpha", None)
        beta = getattr(J, "beta", None)
        return (M, int(J.p), 1.0 if alpha is None else float(alpha),
                1.0 if beta is None else float(beta), getattr(J, "kind", "discrete"))  # fmt: skip
    M = as_square_matrix(J, "J")
    if np.iscomplexobj(M):
        raise InputError("J must be real for a gradient-descent simulation")
    return M, M.shape[0], 1.0, 1.0, "discrete"


def _initial(e0, M, n, rng, trans) -> np.ndarray:
    if isinstance(e0, str):
        if e0 == "random":
            v = rng.standard_normal(n)
            return v / np.linalg.norm(v)
        if e0 == "worst":
            t_star = int(trans.argmax)
            _, _, Vt = np.linalg.svd(np.linalg.matrix_power(M, t_star))
            return Vt[0].copy()
        raise InputError(f"e0 must be an array, 'worst' or 'random', got {e0!r}")
    v = np.asarray(e0, dtype=np.float64).reshape(-1)
    if v.shape != (n,) or not np.all(np.isfinite(v)):
        raise InputError(f"e0 must be a finite vector of length {n}")
    return v.copy()


def _envelope(trans, steps: int) -> np.ndarray:
    """||J^t|| for t = 0..steps from the core's transient result."""
    env = np.full(steps + 1, np.nan)
    t = np.asarray(trans.t, dtype=int)
    keep = t <= steps
    env[t[keep]] = np.asarray(trans.norms, dtype=float)[keep]
    return env


def _first_time_below(curve: np.ndarray, tol: float) -> int | None:
    """First t with curve[s] <= tol for every s >= t (None if curve ends above tol)."""
    above = np.flatnonzero(~(curve <= tol))
    if above.size == 0:
        return 0
    last = int(above[-1])
    return None if last == curve.size - 1 else last + 1


def _expected_square(M, det, qdiag, steps) -> np.ndarray | None:
    """E||e_t||^2 = ||J^t e_0||^2 + sum_{k<t} ||J^k Q^{1/2}||_F^2 (exact)."""
    n = M.shape[0]
    if n**3 * steps > EXACT_BUDGET:
        return None
    W = np.diag(np.sqrt(qdiag))
    noise = np.empty(steps + 1)
    noise[0] = 0.0
    acc = 0.0
    for t in range(1, steps + 1):
        acc += float(np.sum(W * W))
        noise[t] = acc
        W = M @ W
    return det**2 + noise


def _stationary_trace(M, qdiag) -> float:
    """tr(Sigma) for Sigma = J Sigma J^T + Q (scipy's Stein solver)."""
    from scipy.linalg import solve_discrete_lyapunov

    return float(np.trace(solve_discrete_lyapunov(M, np.diag(qdiag))))


def _floor_bound(env: np.ndarray, trace_q: float) -> float:
    """tr(Q) sum_{k>=0} ||J^k||^2, the tail beyond the horizon T bounded by submultiplicativity:
    sum_{k>=0} ||J^k||^2 <= S_T / (1 - ||J^T||^2), S_T = sum_{k<T} ||J^k||^2."""
    T = env.size - 1
    head = float(np.nansum(env[:T] ** 2))
    last = float(env[T])
    if not last < 1:
        return float("inf")
    return trace_q * head / (1 - last**2)

