"""The paper's Tables 1 and 2 (Section 7) recomputed on the linear-quadratic bilevel problem.

Instances: :func:`kreiss.coupled.problems.lq_bilevel` (outer = "partial", so B = 0 and
J = [[I - alpha M^T M, 0], [beta N^T P, I - beta N^T N]] is in the paper's class), with the
step sizes solved so that rho(A) = rho(D) = gamma and P rescaled so that ||C|| = c exactly
(the coupled layer's documented "gaussian" parameterisation; the paper does not say how its
instances were drawn). One instance per seed.

Table 1 (per (gamma, c)): K_theory = Theorem 4(a) (``theorem4a``; its weak-coupling
precondition is recorded), K_num = certified K(J) (:func:`kreiss.kreiss_constant`, value and
upper end of its bracket), K_grid = the paper's Appendix M grid estimate
(:func:`~.appendix_m.appendix_m_grid_kreiss`), ratio = K_theory / K_num, and the sharp bound
(``sharp_kreiss_bound``): the least upper bound of K over the class.

Table 2 (per (gamma, c)): K_PS = certified K(J) (the pseudospectral lower bound on
sup_t ||J^t||, Kreiss matrix theorem) and e n K(J) (the upper bound), K_IQC_paper =
sqrt(kappa(P))/(1-gamma) (the paper's Appendix M formula), sqrt_kappa = sqrt(kappa(P)) (the
valid Lyapunov bound on sup_t ||J^t||), sup_norm = sup_t ||J^t||.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..coupled.problems import lq_bilevel
from ..linalg.kreiss_constant import kreiss_constant
from ..linalg.schur import schur_form
from ..linalg.transient import transient
from ..theory.resolvent_bounds import theorem4a
from ..theory.sharp import sharp_kreiss_bound
from .appendix_m import appendix_m_grid_kreiss

TABLE1_ROWS = ((0.90, 0.01), (0.90, 1.00), (0.95, 0.10), (0.99, 1.00))
TABLE2_ROWS = ((0.90, 0.10), (0.95, 1.00), (0.99, 1.00))


@dataclass(frozen=True)
class LQConfig:
    """Every open choice of Tables 1-2, with its default (docs/reproduce.md)."""

    seeds: tuple[int, ...] = tuple(range(20))
    p: int = 50
    q: int = 50
    mu: float = 0.1
    oversample: float = 4.0
    tol: float = 1e-6
    grid_dr: float = 0.01
    grid_n_r: int = 1000
    grid_n_theta: int = 100
    grid_seeds: int | None = None  # the Appendix M grid on the first grid_seeds seeds (all: None)
    lyapunov_p: int = 50  # p = q for the Lyapunov SDP (Table 2); smaller in quick mode
    rows1: tuple = TABLE1_ROWS
    rows2: tuple = TABLE2_ROWS
    extra: dict = field(default_factory=dict)


def instance(gamma: float, c: float, seed: int, cfg: LQConfig, p: int | None = None):
    """The LQ bilevel instance of a table row and seed."""
    p = cfg.p if p is None else p
    q = cfg.q if p == cfg.p else p
    return lq_bilevel(p, q, cfg.mu, gamma, c, oversample=cfg.oversample, seed=seed)


def sup_power_norm(P) -> tuple[float, int]:
    """(sup_t ||J^t||_2, argmax) of an instance, certified for all t >= 0
    (:func:`kreiss.transient`: branch and bound over t)."""
    tr = transient(P.J, schur=schur_form(P.J, blocks=(P.p, P.q)))
    if not tr.certified:
        raise RuntimeError(f"sup_t ||J^t|| not certified: {tr.message}")
    return tr.sup, int(tr.argmax)


def _mean_std(values) -> tuple[float, float]:
    a = np.asarray(values, dtype=float)
    return float(np.mean(a)), float(np.std(a, ddof=1)) if a.size > 1 else 0.0


def _progress(cb: Callable | None, *a):
    if cb is not None:
        cb(*a)


def _table1_cell(gamma: float, c: float, seed: int, grid: bool, cfg: LQConfig) -> dict:
    """One instance of Table 1 (a cell for :func:`kreiss.cells.run_cells`)."""
    t0 = time.perf_counter()
    P = instance(gamma, c, seed, cfg)
    K = kreiss_constant(P.J, tol=cfg.tol, blocks=(P.p, P.q))
    K_grid = math.nan
    if grid:
        K_grid = appendix_m_grid_kreiss(P.J, dr=cfg.grid_dr, n_r=cfg.grid_n_r,
                                        n_theta=cfg.grid_n_theta, blocks=(P.p, P.q)).value
    return dict(seed=seed, K_num=K.value, K_num_upper=K.upper,
                K_num_r=abs(K.z) if np.isfinite(abs(K.z)) else math.inf,
                K_grid=K_grid, ratio=theorem4a(gamma, c).value / K.value,
                seconds=time.perf_counter() - t0)


def table1(cfg: LQConfig, progress: Callable | None = None, client=None
           ) -> tuple[list[dict], dict]:
    """Rows of Table 1 and per-instance raw values (module docstring); the instances run
    in this process or, with a Dask ``client``, as its tasks."""
    from ..cells import run_cells

    n_grid = len(cfg.seeds) if cfg.grid_seeds is None else cfg.grid_seeds
    cells = [(gamma, c, seed, i < n_grid, cfg) for gamma, c in cfg.rows1
             for i, seed in enumerate(cfg.seeds)]
    per_all = run_cells(_table1_cell, cells, client=client,
                        done=lambda i, r: _progress(progress, "table1"))
    rows, raw = [], {}
    k = len(cfg.seeds)
    for j, (gamma, c) in enumerate(cfg.rows1):
        th = theorem4a(gamma, c)
        per = per_all[j * k:(j + 1) * k]
        row = dict(gamma=gamma, c=c, K_theory=th.value,
                   K_theory_applies=bool(th.applies), K_sharp=sharp_kreiss_bound(gamma, c).value)
        for key in ("K_num", "K_num_upper", "ratio"):
            row[f"{key}_mean"], row[f"{key}_std"] = _mean_std([d[key] for d in per])
        row["K_grid_mean"], row["K_grid_std"] = _mean_std([d["K_grid"] for d in per[:n_grid]])
        row["grid_seeds"] = min(n_grid, len(per))
        row["n"] = cfg.p + cfg.q
        row["seeds"] = len(per)
        rows.append(row)
        raw[f"{gamma},{c}"] = per
    return rows, raw


def _table2_cell(gamma: float, c: float, seed: int, cfg: LQConfig) -> dict:
    """One instance of Table 2 (a cell for :func:`kreiss.cells.run_cells`)."""
    from ..coupled.bounds import paper_iqc_bound

    t0 = time.perf_counter()
    P = instance(gamma, c, seed, cfg)
    K = kreiss_constant(P.J, tol=cfg.tol, blocks=(P.p, P.q))
    sup, arg = sup_power_norm(P)
    t1 = time.perf_counter()
    Pl = P if cfg.lyapunov_p == cfg.p else instance(gamma, c, seed, cfg, cfg.lyapunov_p)
    iqc = paper_iqc_bound(Pl.J, gamma)
    sup_l = sup if Pl is P else sup_power_norm(Pl)[0]
    return dict(seed=seed, K_PS=K.value, eNK=math.e * P.n * K.value,
                sup_norm=sup, T_peak=arg, K_IQC_paper=iqc.value,
                sqrt_kappa=iqc.lyapunov.value, sup_norm_lyap_instance=sup_l,
                lyapunov_seconds=time.perf_counter() - t1,
                seconds=time.perf_counter() - t0)


def table2(cfg: LQConfig, progress: Callable | None = None, client=None
           ) -> tuple[list[dict], dict]:
    """Rows of Table 2 and per-instance raw values (module docstring); in this process or,
    with a Dask ``client``, as its tasks."""
    from ..cells import run_cells

    cells = [(gamma, c, seed, cfg) for gamma, c in cfg.rows2 for seed in cfg.seeds]
    per_all = run_cells(_table2_cell, cells, client=client,
                        done=lambda i, r: _progress(progress, "table2"))
    rows, raw = [], {}
    k = len(cfg.seeds)
    for j, (gamma, c) in enumerate(cfg.rows2):
        per = per_all[j * k:(j + 1) * k]
        row = dict(gamma=gamma, c=c)
        for key in ("K_PS", "eNK", "K_IQC_paper", "sqrt_kappa", "sup_norm", "T_peak",
                    "sup_norm_lyap_instance"):
            row[f"{key}_mean"], row[f"{key}_std"] = _mean_std([d[key] for d in per])
        row["n"] = cfg.p + cfg.q
        row["n_lyapunov"] = 2 * cfg.lyapunov_p
        row["seeds"] = len(per)
        rows.append(row)
        raw[f"{gamma},{c}"] = per
    return rows, raw


def seeds_count(cfg: LQConfig, tables: Sequence[int]) -> int:
    """Number of progress ticks for Tables 1-2."""
    return len(cfg.seeds) * ((1 in tables) * len(cfg.rows1) + (2 in tables) * len(cfg.rows2))
