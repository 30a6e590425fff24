"""The audit: each claim of the registry (:data:`kreiss.theory.claims.CLAIMS`) against exact
values on extremal, random and optimised instances.

Every evaluation of a claim on an instance returns a *ratio* oriented so that ratio >= 1
means the claim holds there (:mod:`kreiss.theory.claim`).  A claim

* **fails** if some instance has ratio < ``fail_below`` (1, or the stated tolerance of an
  approximation) *and* the violation is certified -- it survives the exact values'
  error brackets; the smallest such instance (fewest rows, then largest violation) is saved
  as ``<id>.npz`` and can be re-checked with :func:`recheck`;
* **holds** if it never fails and some instance brings the ratio within ``tight_tol`` of 1
  (the bound is attained, up to the search);
* is **loose** otherwise; ``worst_ratio`` (the smallest ratio found) says how close the
  bound ever came.

``worst_ratio`` is the smallest ratio seen, ``max_ratio`` the largest (the slack of the
bound at its loosest among the instances tried).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from ..errors import InputError
from ..jsonout import jsonable
from .claim import CERTIFY, VERDICTS, Claim, Evaluation
from .claims import CLAIMS
from .exact import Exact

__all__ = ["CERTIFY", "VERDICTS", "Claim", "ClaimResult", "Evaluation", "judge", "recheck",
           "run_audit", "run_claim", "save_counterexample"]


@dataclass(frozen=True)
class ClaimResult:
    id: str
    label: str
    statement: str
    reading: str
    verdict: str
    worst_ratio: float
    max_ratio: float
    instances: int
    evidence: str
    counterexample: str | None = None
    counterexample_data: dict | None = None
    notes: str = ""
    seconds: float = 0.0
    ratios: tuple = field(default=(), repr=False)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "statement": self.statement,
            "verdict": self.verdict,
            "worst_ratio": jsonable(self.worst_ratio),
            "counterexample": self.counterexample,
            "label": self.label,
            "reading": self.reading,
            "evidence": self.evidence,
            "max_ratio": jsonable(self.max_ratio),
            "instances": self.instances,
            "counterexample_data": self.counterexample_data,
            "notes": self.notes,
            "seconds": round(self.seconds, 2),
        }


class _OutOfTime(Exception):
    pass


def _safe(claim: Claim, inst: dict | None, exact) -> Evaluation | None:
    if inst is None:
        return None
    ev = claim.evaluate(inst, exact)
    if ev is not None and not math.isnan(ev.ratio):
        return ev
    return None


def _search(claim: Claim, exact, rng, evals: list, deadline: float, starts: int, maxfev: int):
    dim, build = claim.search

    def objective(theta):
        if time.perf_counter() > deadline:
            raise _OutOfTime
        ev = _safe(claim, build(theta), exact)
        if ev is None:
            return 1e6
        evals.append(ev)
        return ev.ratio if math.isfinite(ev.ratio) else 1e6

    for _ in range(starts):
        x0 = rng.standard_normal(dim)
        try:
            minimize(objective, x0, method="Nelder-Mead",
                     options={"maxfev": maxfev, "xatol": 1e-6, "fatol": 1e-10})
        except _OutOfTime:
            return


def save_counterexample(claim_id: str, ev: Evaluation, directory) -> Path:
    """Write the instance (J, A, C, D, B where present, and its numbers) to <id>.npz."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{claim_id}.npz"
    arrays = {k: np.asarray(v) for k, v in ev.instance.items()}
    arrays["claim"] = np.asarray(claim_id)
    arrays["detail"] = np.asarray(ev.detail)
    np.savez(path, **arrays)
    return path


def judge(claim: Claim, evals: list[Evaluation]) -> tuple[str, float, float, Evaluation | None]:
    """(verdict, worst ratio, max ratio, counterexample) from the evaluations."""
    if not evals:
        return "untested", math.nan, math.nan, None
    ratios = np.array([e.ratio for e in evals])
    worst, top = float(ratios.min()), float(ratios.max())
    bad = [e for e in evals if e.certified and e.ratio < claim.fail_below * (1 - CERTIFY)]
    if bad:
        cx = min(bad, key=lambda e: (e.size, e.ratio))
        return "fails", worst, top, cx
    return ("holds" if worst <= 1 + claim.tight_tol else "loose"), worst, top, None


def run_claim(claim: Claim, *, exact=None, quick: bool = True, seed: int = 0,
              budget_s: float | None = None, out=None) -> ClaimResult:
    """Audit one claim: extremal instances, then random draws and optimisation while the
    time budget (default 3 s quick, 30 s full, beyond the extremal instances) lasts."""
    exact = exact or Exact()
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    evals: list[Evaluation] = []
    for inst in claim.extremal(quick):
        ev = _safe(claim, inst, exact)
        if ev is not None:
            evals.append(ev)
    budget = budget_s if budget_s is not None else (3.0 if quick else 30.0)
    deadline = time.perf_counter() + budget
    failing = any(e.certified and e.ratio < claim.fail_below * (1 - CERTIFY) for e in evals)
    if claim.sample is not None:
        n_random = 8 if quick else 60
        for _ in range(n_random):
            if time.perf_counter() > deadline:
                break
            ev = _safe(claim, claim.sample(rng), exact)
            if ev is not None:
                evals.append(ev)
    if claim.search is not None and not (quick and failing):
        if failing:  # a counterexample is in hand: search only to sharpen the worst ratio
            deadline = min(deadline, time.perf_counter() + budget / 3)
        _search(claim, exact, rng, evals, deadline, starts=2 if quick else 6,
                maxfev=40 if quick else 150)
    verdict, worst, top, cx = judge(claim, evals)
    path = data = None
    if cx is not None:
        data = jsonable(cx.instance | {"detail": cx.detail, "ratio": cx.ratio})
        if out is not None:
            path = str(save_counterexample(claim.id, cx, out))
    evidence = _evidence(verdict, evals, worst, cx)
    return ClaimResult(
        id=claim.id, label=claim.label, statement=claim.statement, reading=claim.reading,
        verdict=verdict, worst_ratio=worst, max_ratio=top, instances=len(evals),
        evidence=evidence, counterexample=path, counterexample_data=data, notes=claim.notes,
        seconds=time.perf_counter() - t0, ratios=tuple(e.ratio for e in evals),
    )


def _evidence(verdict: str, evals: list[Evaluation], worst: float, cx) -> str:
    if verdict == "untested":
        return "no instance satisfied the hypotheses"
    if cx is not None:
        return f"n = {cx.size}: {cx.detail} (ratio {cx.ratio:.4g}; {len(evals)} instances)"
    best = min(evals, key=lambda e: e.ratio)
    return f"closest: {best.detail} (ratio {worst:.6g}; {len(evals)} instances)"


#: total seconds the random draws and searches of a whole audit aim at (the extremal
#: instances are always evaluated), and the most one claim gets
TIME_TARGET = {True: (75.0, 3.0), False: (600.0, 25.0)}


def run_audit(claims=None, *, quick: bool = True, seed: int = 0, exact=None, out=None,
              ids=None, progress: Callable | None = None,
              time_target: float | None = None, client=None) -> list[ClaimResult]:
    """Audit every claim of :data:`kreiss.theory.claims.CLAIMS` (or the given ones).

    Each claim's budget for random draws and search is the time left until
    ``time_target`` (default 75 s quick, 600 s full) shared by the claims still to run,
    capped at 3 s (quick) or 25 s (full), so a slow or shared machine shortens the search
    instead of the audit overrunning.  With a Dask ``client`` the claims run as its tasks
    (:func:`kreiss.cells.run_cells`), each with the cap as its budget; ``out`` must then be
    a directory the workers can write (a LocalCluster's, or a shared file system).
    """
    claims = CLAIMS if claims is None else claims
    exact = exact or Exact()
    todo = [c for c in claims if ids is None or c.id in ids]
    total, cap = TIME_TARGET[quick]
    if client is not None:
        from ..cells import run_cells

        cells = [(claim, None, quick, seed + i, cap, out) for i, claim in enumerate(todo)]
        return run_cells(_claim_cell, cells, client=client,
                         done=(lambda i, r: progress(r)) if progress else None)
    deadline = time.perf_counter() + (time_target if time_target is not None else total)
    results = []
    for i, claim in enumerate(todo):
        share = (deadline - time.perf_counter()) / (len(todo) - i)
        res = run_claim(claim, exact=exact, quick=quick, seed=seed + i, out=out,
                        budget_s=min(cap, max(0.5, share)))
        results.append(res)
        if progress is not None:
            progress(res)
    return results


def _claim_cell(claim, exact, quick, seed, budget_s, out) -> ClaimResult:
    """:func:`run_claim` with positional arguments (a cell of :func:`kreiss.cells.run_cells`)."""
    return run_claim(claim, exact=exact, quick=quick, seed=seed, budget_s=budget_s, out=out)


def recheck(path, exact=None, claims=None) -> Evaluation:
    """Re-evaluate a saved counterexample: load <id>.npz, evaluate its claim on it."""
    claims = CLAIMS if claims is None else claims
    with np.load(path, allow_pickle=False) as data:
        inst = {k: (data[k].item() if data[k].ndim == 0 and data[k].dtype.kind != "U"
                    else data[k]) for k in data.files if k not in ("claim", "detail")}
        claim_id = str(data["claim"])
    for claim in claims:
        if claim.id == claim_id:
            ev = claim.evaluate(inst, exact or Exact())
            if ev is None:
                raise InputError(f"{path}: instance is outside the hypotheses of {claim_id}")
            return ev
    raise InputError(f"{path}: unknown claim {claim_id!r}")
