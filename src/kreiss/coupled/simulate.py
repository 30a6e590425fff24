"""Deterministic and stochastic coupled gradient descent (stub, landing soon)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Error trajectories and measured/predicted transient (stub)."""


def simulate(*args, **kwargs):
    raise NotImplementedError("kreiss.coupled.simulate lands shortly")
