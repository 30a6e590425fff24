"""The paper's problem instances (stub, landing soon)."""

from __future__ import annotations

from dataclasses import dataclass

SHAPES = ("uniform", "linspace", "positive", "clustered", "two-point", "constant", "negated")


@dataclass(frozen=True, eq=False)
class CoupledProblem:
    """An instance J = [[A, B], [C, D]] with its parameters (stub)."""


@dataclass(frozen=True, eq=False)
class LQBilevel(CoupledProblem):
    """The linear-quadratic bilevel problem of Section 7 (stub)."""


@dataclass(frozen=True, eq=False)
class TimeVaryingSequence:
    """J_0, ..., J_{T-1} of Appendix L (stub)."""


def _todo(*args, **kwargs):
    raise NotImplementedError("kreiss.coupled.problems lands shortly")


paper_class_instance = lq_bilevel = gradient_flow_instance = _todo
time_varying_sequence = spectrum = _todo
