"""The paper's problems as seeded generators (numpy only).

* :func:`paper_class_instance` -- a member of the paper's class C(gamma, c) (Theorem 7):
  J = [[A, 0], [C, D]] with A, D symmetric, rho(A) = rho(D) = gamma exactly, ||C|| = c exactly,
  C of a chosen rank, spectra of a chosen shape (:data:`SHAPES`).
* :func:`lq_bilevel` -- the linear-quadratic bilevel problem of Section 7 as data
  (M, b, N, P), its coupled-GD Jacobian derived analytically, and a documented way to reach
  a prescribed gamma and ||C|| (the paper does not say how its instances were drawn).
* :func:`gradient_flow_instance` -- the continuous-time gradient flow of Appendix N.
* :func:`time_varying_sequence` -- a sequence J_0, ..., J_{T-1} satisfying Assumption 21
  (Appendix L).

Every generator takes ``seed`` (anything :func:`numpy.random.default_rng` accepts) and records
its parameters in ``.params`` so a run can be repeated.  The generators live in
:mod:`._paper_class`, :mod:`._bilevel` and :mod:`._time_varying`, the spectra and random
matrices they share in :mod:`._random_matrices`; this module gathers them.
"""

from __future__ import annotations

from ._bilevel import LQBilevel, lq_bilevel
from ._paper_class import CoupledProblem, gradient_flow_instance, paper_class_instance
from ._random_matrices import SHAPES, spectrum
from ._time_varying import TimeVaryingSequence, time_varying_sequence

__all__ = ["SHAPES", "CoupledProblem", "LQBilevel", "TimeVaryingSequence",
           "gradient_flow_instance", "lq_bilevel", "paper_class_instance", "spectrum",
           "time_varying_sequence"]
