"""Complex Schur form A = Q T Q^*, computed once and shared by every shifted solve.

sigma_min(zI - A) = sigma_min(zI - T) because Q is unitary, and a shift z touches only the
diagonal of the triangular factor T (Trefethen & Embree, *Spectra and Pseudospectra*, 2005,
ch. 39; EigTool).  For a block lower-triangular J = [[A, 0], [C, D]] the permutation
[[D, C], [0, A]] is block *upper* triangular, so the Schur factors of the diagonal blocks
(``eigh`` when they are Hermitian) assemble into one of J without a full O(n^3) QR iteration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

from ..errors import InputError
from .validate import as_square_matrix


@dataclass(frozen=True)
class SchurForm:
    """A = Q T Q^* with T upper triangular (complex), plus cached spectral data."""

    T: np.ndarray
    Q: np.ndarray
    is_real: bool
    norm: float

    @property
    def n(self) -> int:
        return self.T.shape[0]

    @property
    def eigenvalues(self) -> np.ndarray:
        return np.diag(self.T).copy()

    @property
    def spectral_radius(self) -> float:
        return float(np.max(np.abs(np.diag(self.T))))

    @property
    def spectral_abscissa(self) -> float:
        return float(np.max(np.diag(self.T).real))

    def matrix(self) -> np.ndarray:
        """Reassemble A (for checks; costs two products)."""
        A = self.Q @ self.T @ self.Q.conj().T
        return A.real if self.is_real else A


def _block_schur(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if np.allclose(M, M.conj().T, rtol=0, atol=0):
        w, V = np.linalg.eigh(M)
        return np.diag(w.astype(complex)), V.astype(complex)
    T, Q = sla.schur(M.astype(complex), output="complex")
    return T, Q


def schur_form(A, blocks: tuple[int, int] | None = None) -> SchurForm:
    """Complex Schur form of ``A``.

    Parameters
    ----------
    A : (n, n) array_like
    blocks : (p, q), optional
        Sizes of the diagonal blocks of J = [[A11, A12], [A21, A22]].  When the upper-right
        block A12 is exactly zero the Schur form is assembled from those of A11 and A22.
    """
    M = as_square_matrix(A)
    n = M.shape[0]
    is_real = not np.iscomplexobj(M)
    norm = float(np.linalg.norm(M, 2))
    if blocks is not None:
        p, q = blocks
        if p + q != n or p <= 0 or q <= 0:
            raise InputError(f"blocks {blocks} do not split a {n} x {n} matrix")
        if not np.any(M[:p, p:]):
            TA, QA = _block_schur(M[:p, :p])
            TD, QD = _block_schur(M[p:, p:])
            T = np.zeros((n, n), dtype=complex)
            T[:q, :q] = TD
            T[q:, q:] = TA
            T[:q, q:] = QD.conj().T @ M[p:, :p] @ QA
            Q = np.zeros((n, n), dtype=complex)
            Q[p:, :q] = QD  # new coordinates: first the y-block (D), then the x-block (A)
            Q[:p, q:] = QA
            return SchurForm(T=T, Q=Q, is_real=is_real, norm=norm)
    T, Q = sla.schur(M.astype(complex), output="complex")
    return SchurForm(T=T, Q=Q, is_real=is_real, norm=norm)
