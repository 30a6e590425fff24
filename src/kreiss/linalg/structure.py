"""The block structure of J = [[A, B], [C, D]] (A: p x p, D: q x q), computed once: the tags
the paper's hypotheses are stated in (B = 0, A and D symmetric), the block radii and norms,
and whether J is in the paper's class.  lineax's structure tags are the model; every reader
-- :class:`kreiss.coupled.CoupledJacobian`, :class:`kreiss.theory.Facts` and with it every
precondition -- takes its tags from here, decided by the one rule of :mod:`.tags`: a tag
holds when J is within ``rtol * ||J||_2`` of a matrix that has it, ``rtol = 4 n eps`` by
default.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ..jsonout import jsonable
from .radii import spectral_radius
from .tags import default_rtol, frobenius, is_hermitian, is_zero
from .validate import as_square_matrix, check_positive, split_after


@dataclass(frozen=True)
class BlockStructure:
    """How J = [[A, B], [C, D]] sits with respect to the paper's class.

    The paper's Theorems 4, 5, 7 and 11 assume B = 0 (block lower-triangular J), A and D
    symmetric, and rho(A), rho(D) <= gamma < 1; Theorem 9 treats a small B.  Radii are
    spectral radii, norms spectral norms; a block of size 0 has radius and norm 0.

    Attributes
    ----------
    p, q : sizes of A and D.
    rho_J, rho_A, rho_D : spectral radii; ``gamma = max(rho_A, rho_D)``.
    norm_B, norm_C, norm_J : ||B||_2, ||C||_2, ||J||_2.
    asymmetry_A, asymmetry_D : ||A - A^*||_F / ||A||_F (0 for Hermitian or zero A), a report.
    symmetric_A, symmetric_D : A (D) Hermitian to the tolerance, ||A - A^*||_F / 2 <= rtol ||J||_2.
    block_triangular : B = 0 to the tolerance, ||B||_F <= rtol ||J||_2.
    rtol : the relative tolerance of the tags (:mod:`.tags`).
    """

    p: int
    q: int
    rho_J: float
    rho_A: float
    rho_D: float
    gamma: float
    norm_B: float
    norm_C: float
    asymmetry_A: float
    asymmetry_D: float
    symmetric_A: bool
    symmetric_D: bool
    block_triangular: bool
    rtol: float
    norm_J: float

    @property
    def paper_class(self) -> bool:
        """B = 0, A and D symmetric, gamma < 1: the preconditions of Theorem 4 hold."""
        return self.block_triangular and self.symmetric_A and self.symmetric_D and self.gamma < 1

    def to_dict(self) -> dict:
        """JSON-safe dictionary (:mod:`kreiss.jsonout`), ``paper_class`` included."""
        return jsonable(asdict(self) | {"paper_class": self.paper_class})


def block_structure(J, blocks, rtol: float | None = None) -> BlockStructure:
    """:class:`BlockStructure` of the square matrix ``J`` split after its first p
    rows/columns, ``blocks`` = p or (p, q) (0 < p <= n, q = n - p); ``rtol`` defaults to
    :func:`.tags.default_rtol` (4 n eps)."""
    J = as_square_matrix(J, "J")
    n = J.shape[0]
    p = split_after(blocks, n)
    rtol = default_rtol(n) if rtol is None else check_positive(rtol, "rtol")
    A, B, C, D = J[:p, :p], J[:p, p:], J[p:, :p], J[p:, p:]
    norm_J = _norm2(J)
    rho_A, rho_D = _radius(A), _radius(D)
    return BlockStructure(
        p=p, q=n - p, rho_J=spectral_radius(J), rho_A=rho_A, rho_D=rho_D,
        gamma=max(rho_A, rho_D), norm_B=_norm2(B), norm_C=_norm2(C),
        asymmetry_A=_asymmetry(A), asymmetry_D=_asymmetry(D),
        symmetric_A=is_hermitian(A, norm_J, rtol), symmetric_D=is_hermitian(D, norm_J, rtol),
        block_triangular=is_zero(B, norm_J, rtol), rtol=rtol, norm_J=norm_J,
    )


def _radius(M: np.ndarray) -> float:
    return spectral_radius(M) if M.size else 0.0


def _norm2(M: np.ndarray) -> float:
    return float(np.linalg.norm(M, 2)) if M.size else 0.0


def _asymmetry(M: np.ndarray) -> float:
    scale = frobenius(M)
    return frobenius(M - M.conj().T) / scale if scale > 0 else 0.0
