"""A statement to audit (:class:`Claim`) and one evaluation of it (:class:`Evaluation`).

An evaluation's *ratio* is oriented so that ratio >= 1 means the claim holds on that
instance: bound / exact for an upper bound, exact / bound for a lower bound (built by
:func:`evaluate_upper` and :func:`evaluate_lower`), min(x/y, y/x) for an equality or an
approximation, a critical coupling over the claimed one for a threshold.  An evaluation is
*certified* when the violation it shows (if any) survives the exact value's error bracket,
taken relative to ``CERTIFY``.

Every claim of the registry (:data:`kreiss.theory.claims.CLAIMS`) is declared once, with
its label, the function of :mod:`kreiss.theory` that states it (``bound``), where it comes
from (``source``: the paper, or ours), the verdict docs/theory.md gives it, and its audit
(``evaluate``, ``extremal``, ``sample``, ``search``; judged by :mod:`kreiss.theory.audit`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from .exact import Value

#: what the audit concludes about a claim (docs/theory.md, Section 3)
VERDICTS = ("holds", "loose", "fails")
#: where a claim comes from: a statement of the paper, or one of this package (Theorem S)
SOURCES = ("paper", "ours")
#: relative margin by which a violation must clear the exact value's bracket to count
CERTIFY = 1e-9


@dataclass
class Evaluation:
    """One claim on one instance: ratio >= 1 means the claim holds there."""

    ratio: float
    instance: dict
    detail: str
    certified: bool = True

    @property
    def size(self) -> int:
        J = self.instance.get("J")
        return int(np.shape(J)[0]) if J is not None else 0


@dataclass(frozen=True)
class Claim:
    """A statement to audit.

    evaluate(instance, exact) -> Evaluation, or None if the instance is outside the
    statement's hypotheses.  extremal(quick) -> structured adversarial instances.
    sample(rng) -> a random instance.  search = (dim, build): build maps R^dim to an
    instance; the ratio is minimised over it (Nelder-Mead from random starts).
    ``bound`` is the function of :mod:`kreiss.theory` that states the claim, ``source``
    one of :data:`SOURCES`, ``verdict`` (one of :data:`VERDICTS`) the one docs/theory.md
    gives and the audit's extremal instances reach.
    """

    id: str
    label: str
    statement: str
    reading: str
    evaluate: Callable
    extremal: Callable
    sample: Callable | None = None
    search: tuple[int, Callable] | None = None
    fail_below: float = 1.0
    tight_tol: float = 1e-3
    notes: str = ""
    source: str = "paper"
    bound: Callable | None = None
    verdict: str | None = None

    def __post_init__(self):
        if self.source not in SOURCES:
            raise InputError(f"claim {self.id}: source {self.source!r} not in {SOURCES}")
        if self.verdict is not None and self.verdict not in VERDICTS:
            raise InputError(f"claim {self.id}: verdict {self.verdict!r} not in {VERDICTS}")


def evaluate_upper(bound: float, ex: Value, inst: dict, what: str) -> Evaluation:
    """Evaluation of 'what <= bound' against the exact bracket of `what`: ratio bound/exact
    (0 when `what` is infinite), certified when bound < the bracket's lower end."""
    ratio = bound / ex.value if ex.value > 0 else math.inf
    if not math.isfinite(ex.value):
        ratio = 0.0
    certified = bound < ex.lower * (1 - CERTIFY)
    return Evaluation(ratio, inst, f"{what} = {ex.value:.6g} vs bound {bound:.6g}", certified)


def evaluate_lower(bound: float, ex: Value, inst: dict, what: str) -> Evaluation:
    """Evaluation of 'what >= bound': ratio exact/bound, certified when the bracket's upper
    end is below the bound."""
    ratio = ex.value / bound if bound > 0 else math.inf
    certified = ex.upper < bound * (1 - CERTIFY)
    return Evaluation(ratio, inst, f"{what} = {ex.value:.6g} vs lower bound {bound:.6g}",
                      certified)
