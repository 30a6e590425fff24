"""Jacobians of coupled update maps via torch.func (stub, landing soon)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class BlockStructure:
    """Structure report of J = [[A, B], [C, D]] (stub)."""


@dataclass(frozen=True, eq=False)
class CoupledJacobian:
    """J with its blocks .A, .B, .C, .D (stub)."""


def _todo(*args, **kwargs):
    raise NotImplementedError("kreiss.coupled.jacobian lands shortly")


simultaneous_gd_jacobian = step_jacobian = simultaneous_gd_step = _todo
jacobian_operator = simultaneous_gd_operator = block_structure = _todo
