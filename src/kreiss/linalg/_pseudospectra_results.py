"""Results of the pseudospectral computations, dense or matrix-free: a grid of sigma_min
(:func:`.pseudospectra.pseudospectra`) and a certified pseudospectral abscissa / radius
(:mod:`._criss_cross`).  Their own module, so that the matrix-free path builds them without
importing the dense drivers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..jsonout import jsonable
from .operator import BoundStatus


@dataclass(frozen=True)
class PseudospectraResult:
    """sigma_min(zI - A) on the grid ``real`` x ``imag``.

    ``sigma_min[i, j]`` belongs to z = real[j] + 1j * imag[i] (shape (len(imag), len(real)),
    as ``matplotlib.pyplot.contour(real, imag, sigma_min)`` expects).
    """

    real: np.ndarray
    imag: np.ndarray
    sigma_min: np.ndarray
    eigenvalues: np.ndarray
    norm: float
    #: "dense" (Schur + inverse Lanczos) or "krylov" (Arnoldi projection: inner approximation;
    #: ``eigenvalues`` are then Ritz values and ``norm`` is ||H||)
    method: str = "dense"
    message: str = ""

    def default_levels(self, count: int = 6) -> np.ndarray:
        """Decades of eps between the grid's smallest value and its median."""
        lo = max(float(np.min(self.sigma_min)), 1e-14 * max(self.norm, 1e-300))
        hi = float(np.median(self.sigma_min))
        k_hi = int(np.floor(np.log10(hi)))
        k_lo = max(int(np.ceil(np.log10(lo))), k_hi - count + 1)
        return 10.0 ** np.arange(k_lo, k_hi + 1)

    def to_dict(self) -> dict:
        return jsonable({"real": self.real, "imag": self.imag, "sigma_min": self.sigma_min,
                         "eigenvalues": self.eigenvalues, "norm": self.norm,
                         "method": self.method, "message": self.message})

    def plot(self, eps=None, ax=None, unit_circle: bool = False, imaginary_axis: bool = False,
             mark=None, title: str | None = None):
        """Contours of log10 sigma_min at the levels ``eps`` with the eigenvalues (dots).

        ``unit_circle`` / ``imaginary_axis`` draw the stability boundary of discrete /
        continuous time; ``mark`` (complex) marks a point, e.g. a Kreiss maximiser.
        Returns the matplotlib Axes.
        """
        from .plotting import pseudospectra_axes

        levels = np.sort(np.atleast_1d(eps if eps is not None else self.default_levels()))
        return pseudospectra_axes(self, levels, ax=ax, unit_circle=unit_circle,
                                  imaginary_axis=imaginary_axis, mark=mark, title=title)


@dataclass(frozen=True)
class PseudospectralResult(BoundStatus):
    """alpha_eps(A) or rho_eps(A) with a certificate.

    ``value == lower`` is attained: ``z`` is a point with sigma_min(zI - A) = eps (a rightmost /
    outermost crossing of a level-set test), so Re z (|z|) is a lower bound.  ``upper`` is the
    abscissa of a vertical line (radius of a circle) on which sigma_min(zI - A) > eps
    everywhere; every component of Lambda_eps(A) contains an eigenvalue to its left (inside
    it), so Lambda_eps(A) lies in Re z < upper (|z| < upper).  ``certified`` says that test
    passed, up to the rounding of the 2n-dimensional eigenproblems and of the dense SVDs that
    decide which arcs lie inside.
    """

    quantity: str
    eps: float
    value: float
    lower: float
    upper: float
    z: complex
    certified: bool
    iterations: int
    level_set_tests: int
    n: int
    message: str

    def to_dict(self) -> dict:
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__
                         if k != "witness"})
