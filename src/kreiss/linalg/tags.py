"""When a structural property of a matrix holds in floating point: the one tolerance.

A property -- a block is zero, a block is Hermitian -- *holds* for a computed J when J lies
within ``rtol * ||J||_2`` of a matrix that has it exactly, the distance measured in the
Frobenius norm (which bounds the spectral norm, so the 2-norm distance is smaller still):

    B = 0            iff   ||B||_F             <= rtol ||J||_2
    A Hermitian      iff   ||A - A^*||_F / 2   <= rtol ||J||_2

((A + A^*)/2 is the Hermitian matrix nearest to A, at Frobenius distance ||A - A^*||_F / 2.)
The default ``rtol = 4 n eps`` (:func:`default_rtol`) is the order of the backward error of
a Schur factorisation of J: a property that holds cannot be told from exact by any
backward-stable computation on J.  So the Schur form assembled from it (:mod:`.schur`) is as
accurate as one computed without it, and the structure report (:mod:`.structure`), the
paper's hypotheses (:mod:`kreiss.theory`) and the coupled-GD report decide alike.
Symmetric means Hermitian here; for real matrices they are the same.
"""

from __future__ import annotations

import numpy as np

#: default rtol / (n eps), see the module docstring
ROUNDING = 4


def default_rtol(n: int) -> float:
    """4 n eps, the relative tolerance of every structure decision for an n x n J."""
    return ROUNDING * n * float(np.finfo(float).eps)


def frobenius(M: np.ndarray) -> float:
    """||M||_F, computed as s ||M / s||_F with s = max |M_ij| so that squaring the entries
    neither overflows (|M_ij| ~ 1e200) nor underflows to 0 (|M_ij| ~ 1e-300)."""
    s = float(np.max(np.abs(M), initial=0.0))
    return s * float(np.linalg.norm(M / s)) if 0 < s < np.inf else s


def is_zero(M: np.ndarray, norm_J: float, rtol: float) -> bool:
    """||M||_F <= rtol ||J||_2: the block M of J is zero to the tolerance."""
    return frobenius(M) <= rtol * norm_J


def is_hermitian(M: np.ndarray, norm_J: float, rtol: float) -> bool:
    """||M - M^*||_F / 2 <= rtol ||J||_2: the square block M of J is Hermitian to the tolerance."""
    return frobenius(M - M.conj().T) / 2 <= rtol * norm_J
