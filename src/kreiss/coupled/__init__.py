"""Coupled gradient descent: Jacobians from objectives, the paper's problems, simulation.

The ``coupled`` layer sits above ``linalg`` and ``theory``: it turns two objectives
``F(x, y)``, ``G(x, y)`` (torch functions, imported lazily) into the Jacobian ``J`` of one step
of simultaneous gradient descent (eq. (3) of the paper), generates the paper's problem
instances, and simulates the (stochastic) linearised iteration beside the predictions of the
numerical core.

Public names
------------
Jacobians (torch, lazily):
    :func:`simultaneous_gd_jacobian`, :func:`step_jacobian`, :func:`simultaneous_gd_step`,
    :func:`jacobian_operator`, :func:`simultaneous_gd_operator` (matrix-free:
    :class:`TorchJacobianOperator`), :func:`block_structure`,
    :class:`CoupledJacobian`, :class:`BlockStructure`.
Problems (numpy only):
    :func:`paper_class_instance`, :func:`lq_bilevel`, :func:`gradient_flow_instance`,
    :func:`time_varying_sequence`, :func:`spectrum`, :data:`SHAPES`,
    :class:`CoupledProblem`, :class:`LQBilevel`, :class:`TimeVaryingSequence`.
Training monitor (:mod:`.monitor`; adapters in :mod:`.adapters`) and the Dirac-GAN:
    :class:`Monitor`, :class:`MonitorRecord`, :func:`dirac_gan`, :func:`dirac_gan_jacobian`,
    :func:`dirac_gan_eigenvalues`, :func:`dirac_gan_max_step`.
Simulation and bounds:
    :func:`simulate` (linearised, numpy), :func:`run_gd` (eq. (3) itself, torch),
    :class:`SimulationResult`, :class:`GDRun`, :func:`paper_iqc_bound`,
    :class:`PaperIQCBound`.
"""

from __future__ import annotations

from .bounds import PaperIQCBound, paper_iqc_bound
from .dirac import dirac_gan, dirac_gan_eigenvalues, dirac_gan_jacobian, dirac_gan_max_step
from .jacobian import (
    BlockStructure,
    CoupledJacobian,
    TorchJacobianOperator,
    block_structure,
    jacobian_operator,
    simultaneous_gd_jacobian,
    simultaneous_gd_operator,
    simultaneous_gd_step,
    step_jacobian,
)
from .monitor import Monitor, MonitorRecord
from .problems import (
    SHAPES,
    CoupledProblem,
    LQBilevel,
    TimeVaryingSequence,
    gradient_flow_instance,
    lq_bilevel,
    paper_class_instance,
    spectrum,
    time_varying_sequence,
)
from .simulate import GDRun, SimulationResult, run_gd, simulate

__all__ = [
    "SHAPES",
    "BlockStructure",
    "CoupledJacobian",
    "CoupledProblem",
    "GDRun",
    "Monitor",
    "MonitorRecord",
    "dirac_gan",
    "dirac_gan_eigenvalues",
    "dirac_gan_jacobian",
    "dirac_gan_max_step",
    "LQBilevel",
    "PaperIQCBound",
    "SimulationResult",
    "TimeVaryingSequence",
    "TorchJacobianOperator",
    "block_structure",
    "gradient_flow_instance",
    "jacobian_operator",
    "lq_bilevel",
    "paper_class_instance",
    "paper_iqc_bound",
    "run_gd",
    "simulate",
    "simultaneous_gd_jacobian",
    "simultaneous_gd_operator",
    "simultaneous_gd_step",
    "spectrum",
    "step_jacobian",
    "time_varying_sequence",
]
