"""Pseudospectra on a grid: sigma_min(zI - A) at z = x + iy.

Lambda_eps(A) = {z : sigma_min(zI - A) < eps} (Trefethen & Embree, *Spectra and
Pseudospectra*, 2005, ch. 2).  The grid is computed as in EigTool (Wright, 2002): one complex
Schur factorisation, then inverse Lanczos per point (:mod:`.sigma_min`), here for all grid
points at once so that the triangular solves are BLAS-3 (:mod:`.trisolve`).  For real A,
the real Schur factor halves the flops of those solves, and sigma_min(conj(z) I - A) =
sigma_min(zI - A) halves the work on grids symmetric about the real axis.
"""

from __future__ import annotations

import numpy as np

from ._pseudospectra_results import PseudospectraResult
from .operator import resolve
from .schur import SchurForm, schur_form
from .sigma_min import sigma_min_triangular
from .validate import check_grid, check_positive


def auto_region(S: SchurForm, eps_max: float = 0.0, npts: int = 100):
    """A grid holding every eps-pseudospectrum with eps <= eps_max.

    Lambda_eps(A) lies in the numerical range W(A) widened by eps (Trefethen & Embree,
    Thm 17.2), and W(A) lies in the box of the extreme eigenvalues of the Hermitian and
    skew-Hermitian parts.  The box is padded by 5% and by eps_max.
    """
    if S.T_real is not None:  # real arithmetic; the skew part's eigenvalues are +-i sigma
        T = S.T_real
        hx = np.linalg.eigvalsh((T + T.T) / 2)
        yhi = np.linalg.norm((T - T.T) / 2, 2)
        ylo = -yhi
    else:
        hx = np.linalg.eigvalsh((S.T + S.T.conj().T) / 2)
        hy = np.linalg.eigvalsh((S.T - S.T.conj().T) / 2j)
        ylo, yhi = hy[0], hy[-1]
    xlo, xhi = hx[0], hx[-1]
    pad = 0.05 * max(xhi - xlo, yhi - ylo, 1e-3 * max(S.norm, 1e-300)) + eps_max
    if S.is_real:
        yhi = max(abs(ylo), abs(yhi))
        ylo = -yhi
    return (np.linspace(xlo - pad, xhi + pad, npts), np.linspace(ylo - pad, yhi + pad, npts))


def _mirror_rows(imag: np.ndarray):
    """(yy, inverse): the distinct |imag| (values within 8 eps max|imag| merged, so that a
    linspace(-a, a) grid, symmetric only up to rounding, is halved) and, per ordinate, its
    row in yy.  Merged ordinates differ by ~1e-16 |y|, and sigma_min is 1-Lipschitz."""
    a = np.abs(imag)
    order = np.argsort(a)
    new = np.diff(a[order]) > 8 * np.finfo(float).eps * max(float(a.max(initial=0.0)), 1e-300)
    group = np.concatenate([[0], np.cumsum(new)])
    inverse = np.empty(a.size, dtype=int)
    inverse[order] = group
    yy = np.zeros(group[-1] + 1 if a.size else 0)
    yy[group] = a[order]
    return yy, inverse


def pseudospectra(
    A,
    real=None,
    imag=None,
    *,
    npts: int = 100,
    eps=None,
    blocks: tuple[int, int] | None = None,
    tol: float = 1e-10,
    schur: SchurForm | None = None,
    method: str = "auto",
) -> PseudospectraResult:
    """sigma_min(zI - A) on a grid (the data behind a pseudospectra portrait).

    Parameters
    ----------
    A : (n, n) array_like.
    real, imag : 1-D arrays of grid abscissae / ordinates.  Omitted: :func:`auto_region`
        with ``npts`` points per axis, large enough for the largest of ``eps``.
    eps : levels the caller means to plot (only used to size the automatic region).
    blocks : (p, q) for a block-triangular J, lower or upper (faster Schur form).
    tol : relative Lanczos residual; sigma_min is accurate to about tol / 2 relative.
    method : "auto", "dense" or "krylov" (:mod:`.operator`); "krylov" projects onto an
        Arnoldi space: an inner approximation (:func:`.matfree.pseudospectra_krylov`).
    """
    if schur is None:
        path, A = resolve(A, method)
        if path == "krylov":
            from ._matfree_pseudospectra import pseudospectra_krylov

            return pseudospectra_krylov(A, real, imag, npts=npts)
    npts = check_positive(npts, "npts", integer=True)
    S = schur if schur is not None else schur_form(A, blocks=blocks)
    if real is None or imag is None:
        eps_max = float(np.max(eps)) if eps is not None else 0.0
        rx, iy = auto_region(S, eps_max, npts)
        real = rx if real is None else real
        imag = iy if imag is None else imag
    real, imag = check_grid(real, "real"), check_grid(imag, "imag")
    yy, inverse = _mirror_rows(imag) if S.is_real else (imag, np.arange(imag.size))
    Z = real[None, :] + 1j * yy[:, None]
    sig = sigma_min_triangular(S.T_real if S.T_real is not None else S.T, Z, tol=tol)
    return PseudospectraResult(real=real, imag=imag, sigma_min=sig[inverse],
                               eigenvalues=S.eigenvalues, norm=S.norm)
