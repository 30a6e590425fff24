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

from .tags import default_rtol, is_hermitian, is_zero
from .validate import as_square_matrix, check_blocks


@dataclass(frozen=True)
class SchurForm:
    """A = Q T Q^* with T upper triangular (complex), plus cached spectral data.

    For real A also the real Schur form A = Q_real T_real Q_real^T (``T_real`` quasi upper
    triangular: 1 x 1 and 2 x 2 diagonal blocks), whose real arithmetic halves the work of
    the shifted solves (:mod:`.trisolve`); None for complex A.
    """

    T: np.ndarray
    Q: np.ndarray
    is_real: bool
    norm: float
    T_real: np.ndarray | None = None
    Q_real: np.ndarray | None = None

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


def _schur_pair(M: np.ndarray, norm: float, rtol: float):
    """(T, Q, T_real, Q_real) of one square matrix: complex Schur form, and the real one
    for real M (computed first; ``rsf2csf`` turns it into the complex one in O(n^2) per
    2 x 2 block).  M Hermitian to the tolerance of :mod:`.tags` (relative to ``norm``, that
    of the whole matrix): ``eigh`` of (M + M^*)/2 (T diagonal, and real when M is), a Schur
    form of M with backward error ||M - M^*|| / 2, the order of a Schur factorisation's own
    (a matrix formed as Q diag(w) Q^T is symmetric only to there)."""
    real = not np.iscomplexobj(M)
    if is_hermitian(M, norm, rtol):
        w, V = np.linalg.eigh((M + M.conj().T) / 2)
        T, Q = np.diag(w.astype(complex)), V.astype(complex)
        return (T, Q, np.diag(w), V) if real else (T, Q, None, None)
    if not real:
        T, Q = sla.schur(M, output="complex")
        return T, Q, None, None
    Tr, Qr = sla.schur(M, output="real")
    T, Q = sla.rsf2csf(Tr, Qr)
    return T, Q, Tr, Qr


def schur_form(A, blocks: tuple[int, int] | None = None) -> SchurForm:
    """Complex (and, for real A, real) Schur form of ``A``.

    Parameters
    ----------
    A : (n, n) array_like
    blocks : (p, q), optional
        Sizes of the diagonal blocks of J = [[A11, A12], [A21, A22]].  When the upper-right
        block A12 is zero (to the tolerance of :mod:`.tags`, 4 n eps ||A||_2, the backward
        error of the factorisation itself) the Schur form is assembled from those of A11
        and A22.
    """
    M = as_square_matrix(A)
    n = M.shape[0]
    is_real = not np.iscomplexobj(M)
    norm = float(np.linalg.norm(M, 2))
    rtol = default_rtol(n)
    if blocks is not None:
        p, q = check_blocks(blocks, n)
        if is_zero(M[:p, p:], norm, rtol):
            fa, fd = _schur_pair(M[:p, :p], norm, rtol), _schur_pair(M[p:, p:], norm, rtol)
            # new coordinates: first the y-block (D), then the x-block (A)
            T, Q = _assemble(fd[0], fa[0], fd[1], fa[1], M[p:, :p])
            Tr = Qr = None
            if is_real:
                Tr, Qr = _assemble(fd[2], fa[2], fd[3], fa[3], M[p:, :p])
            return SchurForm(T=T, Q=Q, is_real=is_real, norm=norm, T_real=Tr, Q_real=Qr)
    T, Q, Tr, Qr = _schur_pair(M, norm, rtol)
    return SchurForm(T=T, Q=Q, is_real=is_real, norm=norm, T_real=Tr, Q_real=Qr)


def _assemble(TD, TA, QD, QA, C):
    """Schur factors of [[D, C], [0, A]] (the permutation of [[A, 0], [C, D]]) from the
    diagonal blocks' factors: T = [[TD, QD^* C QA], [0, TA]]."""
    q, p = TD.shape[0], TA.shape[0]
    n = p + q
    T = np.zeros((n, n), dtype=np.result_type(TD, TA, C))
    T[:q, :q] = TD
    T[q:, q:] = TA
    T[:q, q:] = QD.conj().T @ C @ QA
    Q = np.zeros((n, n), dtype=np.result_type(QD, QA))
    Q[p:, :q] = QD
    Q[:p, q:] = QA
    return T, Q
