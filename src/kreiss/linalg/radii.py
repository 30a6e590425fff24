"""Spectral, numerical and pseudospectral radii and abscissae.

For A in C^{n x n}, with Lambda(A) its spectrum, W(A) = {x^* A x : ||x|| = 1} its numerical
range and Lambda_eps(A) = {z : sigma_min(zI - A) <= eps} its eps-pseudospectrum:

* spectral radius ``rho(A) = max |Lambda(A)|`` and abscissa ``alpha(A) = max Re Lambda(A)``;
* numerical abscissa ``omega(A) = max Re W(A) = lambda_max((A + A^*)/2)`` and numerical radius
  ``r(A) = max |W(A)| = max_phi lambda_max(Re(e^{-i phi} A))`` (Trefethen & Embree, *Spectra
  and Pseudospectra*, 2005, ch. 17);
* pseudospectral abscissa ``alpha_eps(A) = max Re Lambda_eps(A)`` and radius
  ``rho_eps(A) = max |Lambda_eps(A)|``, computed to machine accuracy by the criss-cross
  algorithms of Burke, Lewis & Overton (IMA J. Numer. Anal. 23, 2003) and Mengi & Overton
  (IMA J. Numer. Anal. 25, 2005), with a global certificate.

For normal A, Lambda_eps(A) is the union of the discs of radius eps about the eigenvalues, so
alpha_eps = alpha + eps and rho_eps = rho + eps; non-normality makes both larger.

The spectral radius and abscissa are here; the numerical range, abscissa and radius in
:mod:`._numerical_range`; the pseudospectral abscissa and radius in :mod:`._criss_cross`.
"""

from __future__ import annotations

import numpy as np

from ._criss_cross import PseudospectralResult, pseudospectral_abscissa, pseudospectral_radius
from ._numerical_range import (
    NumericalRange,
    numerical_abscissa,
    numerical_radius,
    numerical_range,
)
from .operator import resolve
from .schur import SchurForm
from .validate import as_square_matrix


def _eigenvalues(A) -> np.ndarray:
    if isinstance(A, SchurForm):
        return A.eigenvalues
    return np.linalg.eigvals(as_square_matrix(A))


def spectral_radius(A, *, method: str = "auto") -> float:
    """rho(A) = max |lambda| over the eigenvalues of ``A`` (a matrix, a :class:`SchurForm`,
    a sparse matrix or a LinearOperator).  ``method="krylov"``: ARPACK's estimate; the
    evidence (residuals, verdict) is in :func:`.matfree.stability`."""
    path, M = resolve(A, method)
    if path == "krylov":
        from ._matfree_stability import stability

        return stability(M, method="krylov").spectral_radius
    return float(np.max(np.abs(_eigenvalues(M))))


def spectral_abscissa(A, *, method: str = "auto") -> float:
    """alpha(A) = max Re lambda over the eigenvalues of ``A`` (as :func:`spectral_radius`)."""
    path, M = resolve(A, method)
    if path == "krylov":
        from ._matfree_stability import stability

        return stability(M, "continuous", method="krylov").spectral_abscissa
    return float(np.max(_eigenvalues(M).real))


__all__ = ["NumericalRange", "PseudospectralResult", "numerical_abscissa", "numerical_radius",
           "numerical_range", "pseudospectral_abscissa", "pseudospectral_radius",
           "spectral_abscissa", "spectral_radius"]
