"""Complex Schur form A = Q T Q^*, computed once and shared by every shifted solve.

sigma_min(zI - A) = sigma_min(zI - T) because Q is unitary, and a shift z touches only the
diagonal of the triangular factor T (Trefethen & Embree, *Spectra and Pseudospectra*, 2005,
ch. 39; EigTool).  For a block lower-triangular J = [[A, 0], [C, D]] the permutation
[[D, C], [0, A]] is block *upper* triangular, so the Schur factors of the diagonal blocks
(``eigh`` when they are Hermitian) assemble into one of J without a full O(n^3) QR iteration;
a block upper-triangular J = [[A, B], [0, D]] likewise, without the permutation.
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
    A : (n, n) array_like, or a :class:`SchurForm` (returned as it is)
    blocks : (p, q), optional
        Sizes of the diagonal blocks of J = [[A11, A12], [A21, A22]].  When A12 or A21 is
        zero (to the tolerance of :mod:`.tags`, 4 n eps ||A||_2, the backward error of the
        factorisation itself; A12 is looked at first) the Schur form is assembled from those
        of A11 and A22.
    """
    if isinstance(A, SchurForm):  # the dense entry points take one in place of A
        return A
    M = as_square_matrix(A)
    n = M.shape[0]
    is_real = not np.iscomplexobj(M)
    norm = float(np.linalg.norm(M, 2))
    rtol = default_rtol(n)
    if blocks is not None:
        p, q = check_blocks(blocks, n)
        # [[A, 0], [C, D]] permuted to [[D, C], [0, A]], or [[A, B], [0, D]] as it is
        lower = is_zero(M[:p, p:], norm, rtol)
        if lower or is_zero(M[p:, :p], norm, rtol):
            fa, fd = _schur_pair(M[:p, :p], norm, rtol), _schur_pair(M[p:, p:], norm, rtol)
            first, second = (fd, fa) if lower else (fa, fd)
            W = M[p:, :p] if lower else M[:p, p:]
            T, Q = _assemble(first[0], second[0], first[1], second[1], W, lower)
            Tr = Qr = None
            if is_real:
                Tr, Qr = _assemble(first[2], second[2], first[3], second[3], W, lower)
            return SchurForm(T=T, Q=Q, is_real=is_real, norm=norm, T_real=Tr, Q_real=Qr)
    T, Q, Tr, Qr = _schur_pair(M, norm, rtol)
    return SchurForm(T=T, Q=Q, is_real=is_real, norm=norm, T_real=Tr, Q_real=Qr)


def _assemble(T1, T2, Q1, Q2, W, lower):
    """Schur factors of J = [[A, 0], [W, D]] (``lower``: T1, Q1 from D, T2, Q2 from A, in
    the coordinates of its permutation [[D, W], [0, A]]) or of J = [[A, W], [0, D]] (T1, Q1
    from A, T2, Q2 from D): T = [[T1, Q1^* W Q2], [0, T2]], and Q places Q1 on the rows of
    the first block of those coordinates."""
    k, m = T1.shape[0], T2.shape[0]
    n = k + m
    T = np.zeros((n, n), dtype=np.result_type(T1, T2, W))
    T[:k, :k] = T1
    T[k:, k:] = T2
    T[:k, k:] = Q1.conj().T @ W @ Q2
    Q = np.zeros((n, n), dtype=np.result_type(Q1, Q2))
    rows1 = slice(m, n) if lower else slice(0, k)  # D's rows are the last in J
    rows2 = slice(0, m) if lower else slice(k, n)
    Q[rows1, :k] = Q1
    Q[rows2, k:] = Q2
    return T, Q
