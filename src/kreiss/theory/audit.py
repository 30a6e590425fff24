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


class _OutOfBudget(Exception):
    pass


def _safe(claim: Claim, inst: dict | None, exact) -> Evaluation | None:
    if inst is None:
        return None
    ev = claim.evaluate(inst, exact)
    if ev is not None and not math.isnan(ev.ratio):
        return ev
    return None


def _search(claim: Claim, exact, rng, evals: list, budget: _Budget, starts: int,
            maxfev: int):
    dim, build = claim.search

    def objective(theta):
        budget.spend()
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
        except _OutOfBudget:
            return


class _Budget:
    """Evaluations left (the reproducible budget) and an optional wall-clock deadline."""

    def __init__(self, evaluations: int, seconds: float | None):
        self.left = int(evaluations)
        self.deadline = None if seconds is None else time.perf_counter() + seconds

    def exhausted(self) -> bool:
        return self.left <= 0 or (self.deadline is not None
                                  and time.perf_counter() > self.deadline)

    def spend(self) -> None:
        if self.exhausted():
            raise _OutOfBudget
        self.left -= 1


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


#: (random draws, search starts, evaluations per start) of a quick and a full audit
EFFORT = {True: (8, 2, 40), False: (60, 6, 150)}


def run_claim(claim: Claim, *, exact=None, quick: bool = True, seed: int = 0,
              evaluations: int | None = None, budget_s: float | None = None,
              out=None) -> ClaimResult:
    """Audit one claim: its extremal instances, then up to ``evaluations`` more (default:
    8 random draws and 2 x 40 Nelder-Mead evaluations quick, 60 and 6 x 150 full).  The
    budget is counted in evaluations, so a seeded audit is reproducible; ``budget_s``
    optionally also stops the draws and the search at a wall-clock limit (then it is not)."""
    exact = exact or Exact()
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    evals: list[Evaluation] = []
    for inst in claim.extremal(quick):
        ev = _safe(claim, inst, exact)
        if ev is not None:
            evals.append(ev)
    n_random, starts, maxfev = EFFORT[quick]
    total = n_random + starts * maxfev if evaluations is None else int(evaluations)
    budget = _Budget(total, budget_s)
    failing = any(e.certified and e.ratio < claim.fail_below * (1 - CERTIFY) for e in evals)
    if claim.sample is not None:
        for _ in range(n_random):
            if budget.exhausted():
                break
            budget.spend()
            ev = _safe(claim, claim.sample(rng), exact)
            if ev is not None:
                evals.append(ev)
    if claim.search is not None and not (quick and failing):
        if failing:  # a counterexample is in hand: search only to sharpen the worst ratio
            budget.left = min(budget.left, total // 3)
        _search(claim, exact, rng, evals, budget, starts=starts, maxfev=maxfev)
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


def run_audit(claims=None, *, quick: bool = True, seed: int = 0, exact=None, out=None,
              ids=None, progress: Callable | None = None, evaluations: int | None = None,
              client=None) -> list[ClaimResult]:
    """Audit every claim of :data:`kreiss.theory.claims.CLAIMS` (or the given ones), claim i
    with seed ``seed + i`` and the evaluation budget of :func:`run_claim`: the same seed
    gives the same verdicts, ratios and counterexamples on any machine, in this process or
    with a Dask ``client`` (the claims then run as its tasks, :func:`kreiss.cells.run_cells`;
    ``out`` must be a directory the workers can write).
    """
    claims = CLAIMS if claims is None else claims
    exact = exact or Exact()
    todo = [c for c in claims if ids is None or c.id in ids]
    cells = [(claim, exact, quick, seed + i, evaluations, out) for i, claim in enumerate(todo)]
    if client is not None:
        from ..cells import run_cells

        cells = [(c[0], None, *c[2:]) for c in cells]
        return run_cells(_claim_cell, cells, client=client,
                         done=(lambda i, r: progress(r)) if progress else None)
    results = []
    for cell in cells:
        res = _claim_cell(*cell)
        results.append(res)
        if progress is not None:
            progress(res)
    return results


def _claim_cell(claim, exact, quick, seed, evaluations, out) -> ClaimResult:
    """:func:`run_claim` with positional arguments (a cell of :func:`kreiss.cells.run_cells`)."""
    return run_claim(claim, exact=exact, quick=quick, seed=seed, evaluations=evaluations,
                     out=out)


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
