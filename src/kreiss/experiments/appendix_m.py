"""The paper's Appendix M estimate of the Kreiss constant on a fixed polar grid.

Appendix M computes K_num as the maximum of (r - 1) ||(zI - J)^{-1}|| = (r - 1) / sigma_min(zI - J)
over z = r e^{i theta}, r in {1 + k dr : k = 1..N_r} (dr = 0.01, N_r = 1000, so r in
[1.01, 11]) and N_theta = 100 equally spaced theta. Every grid value is a lower bound on
K(J) (Definition 2), so the grid maximum never exceeds the certified K(J); it misses a
supremum attained at r -> 1+ or r -> infinity (design notes). sigma_min is evaluated for all
shifts at once on the Schur form (one O(n^3) factorisation, O(n^2) per shift); for real J
only the angles in [0, pi] (the others are their conjugates, same value).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..linalg.schur import schur_form
from ..linalg.sigma_min import sigma_min_triangular


@dataclass(frozen=True)
class GridKreiss:
    """Grid maximum ``value`` of (r - 1)/sigma_min(zI - J), attained at ``z``."""

    value: float
    z: complex
    n_r: int
    n_theta: int
    dr: float

    def to_dict(self) -> dict:
        return {"value": float(self.value), "z": [self.z.real, self.z.imag],
                "n_r": self.n_r, "n_theta": self.n_theta, "dr": self.dr}


def appendix_m_grid_kreiss(J, *, dr: float = 0.01, n_r: int = 1000, n_theta: int = 100,
                           blocks=None, chunk: int = 20000) -> GridKreiss:
    """max over the Appendix M grid of (r - 1)/sigma_min(zI - J) (module docstring).

    ``dr``, ``n_r``, ``n_theta`` default to the paper's values; ``blocks`` = (p, q) lets the
    Schur form of a block-triangular J be assembled from its blocks.
    """
    S = schur_form(J, blocks=blocks)
    r = 1.0 + dr * np.arange(1, int(n_r) + 1)
    theta = 2 * np.pi * np.arange(int(n_theta)) / int(n_theta)
    if S.is_real:  # sigma_min(conj(z) I - J) = sigma_min(zI - J): the upper half suffices
        theta = theta[theta <= np.pi]
    z = (r[:, None] * np.exp(1j * theta)[None, :]).ravel()
    sig = np.concatenate([
        np.atleast_1d(sigma_min_triangular(S.T, z[i:i + chunk])) for i in range(0, z.size, chunk)
    ])
    vals = (np.abs(z) - 1.0) / sig
    k = int(np.argmax(vals))
    return GridKreiss(float(vals[k]), complex(z[k]), int(n_r), int(n_theta), float(dr))
