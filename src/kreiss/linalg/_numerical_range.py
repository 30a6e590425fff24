"""The numerical range W(A) = {x^* A x : ||x|| = 1}: its boundary, the numerical abscissa
omega(A) = max Re W(A) = lambda_max((A + A^*)/2) and the numerical radius r(A) = max |W(A)|.

W(A) is convex (Toeplitz-Hausdorff) and unitarily invariant, so the Schur factor T serves as
well as A.  Its support function in direction e^{i phi} is h(phi) = lambda_max(Re(e^{-i phi}
A)), and the top eigenvector x gives the boundary point x^* A x (Johnson, Numer. Math. 1978;
Trefethen & Embree, *Spectra and Pseudospectra*, 2005, ch. 17): boundary points bound r(A)
from below, the polygon of supporting lines from above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

from ..errors import InputError
from ..jsonout import jsonable
from .operator import resolve
from .schur import SchurForm
from .threads import one_blas_thread
from .validate import as_square_matrix


def _matrix(A) -> np.ndarray:
    # W(A) is unitarily invariant, so the Schur factor T serves as well as A.
    return A.T if isinstance(A, SchurForm) else as_square_matrix(A)


def numerical_abscissa(A, *, method: str = "auto") -> float:
    """omega(A) = lambda_max((A + A^*)/2) = max Re W(A) = d/dt ||e^{tA}|| at t = 0+.

    ``||e^{tA}|| <= e^{t omega(A)}`` for all t >= 0 (Trefethen & Embree, 2005, Thm 17.1).
    ``method="krylov"``: the top Lanczos Ritz value of the Hermitian part, a lower estimate
    (its probabilistic upper bound: :func:`.matfree.stability`).
    """
    path, A = resolve(A, method)
    if path == "krylov":
        from ._matfree_norms import norm_bound, numerical_abscissa_bound

        rng = np.random.default_rng(0)
        return numerical_abscissa_bound(A, rng, norm_bound(A, rng)[1])[0]
    M = _matrix(A)
    return float(sla.eigvalsh((M + M.conj().T) / 2, subset_by_index=[M.shape[0] - 1] * 2)[0])


def _support(M: np.ndarray, phis: np.ndarray):
    """h(phi) = lambda_max(Re(e^{-i phi} M)) and a boundary point x^* M x of W(M) per angle.

    Johnson's algorithm (Numer. Math. 1978; Trefethen & Embree, ch. 17): the top eigenvector
    x of the Hermitian part of e^{-i phi} M maximises Re(e^{-i phi} z) over z in W(M), so
    x^* M x is a boundary point with supporting line Re(e^{-i phi} z) = h(phi).
    """
    H = (M + M.conj().T) / 2
    K = (M - M.conj().T) / 2j
    n = M.shape[0]
    h = np.empty(phis.size)
    pts = np.empty(phis.size, dtype=complex)
    for j, phi in enumerate(phis):
        w, x = sla.eigh(math.cos(phi) * H + math.sin(phi) * K, subset_by_index=[n - 1, n - 1])
        x = x[:, 0]
        h[j] = w[0]
        pts[j] = np.vdot(x, M @ x)
    return h, pts


def _outer_vertices(phis: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Corners of the polygon cut out by the supporting lines x cos phi + y sin phi = h(phi).

    Consecutive angles (cyclically) must differ by less than pi; the polygon contains W(A).
    """
    p1, p2 = phis, np.roll(phis, -1)
    h1, h2 = h, np.roll(h, -1)
    det = np.sin(p2 - p1)
    x = (h1 * np.sin(p2) - h2 * np.sin(p1)) / det
    y = (h2 * np.cos(p1) - h1 * np.cos(p2)) / det
    return x + 1j * y


@dataclass(frozen=True)
class NumericalRange:
    """Boundary of the numerical range W(A) sampled at ``angles`` (counterclockwise).

    ``points`` lie on the boundary of W(A), so their convex hull is inside W(A); the supporting
    lines Re(e^{-i phi} z) = ``support`` bound a polygon (``outer_vertices``) containing W(A).
    Hence ``numerical_radius <= r(A) <= numerical_radius_upper``.
    """

    points: np.ndarray
    angles: np.ndarray
    support: np.ndarray
    numerical_abscissa: float
    numerical_radius: float
    numerical_radius_upper: float
    eigenvalues: np.ndarray

    @property
    def outer_vertices(self) -> np.ndarray:
        return _outer_vertices(self.angles, self.support)

    def to_dict(self) -> dict:
        return jsonable(
            {
                "points": self.points,
                "angles": self.angles,
                "support": self.support,
                "numerical_abscissa": self.numerical_abscissa,
                "numerical_radius": self.numerical_radius,
                "numerical_radius_upper": self.numerical_radius_upper,
                "eigenvalues": self.eigenvalues,
            }
        )

    def plot(self, ax=None):
        """Draw the boundary of W(A) and the eigenvalues; returns the axes."""
        from .plotting import new_axes

        ax = new_axes(ax)
        closed = np.append(self.points, self.points[:1])
        ax.plot(closed.real, closed.imag, "-", label="boundary of W(A)")
        ax.plot(self.eigenvalues.real, self.eigenvalues.imag, "k.", label="eigenvalues")
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_xlabel("Re z")
        ax.set_ylabel("Im z")
        ax.legend(loc="best")
        return ax


@one_blas_thread
def numerical_range(A, npts: int = 128) -> NumericalRange:
    """Boundary points of W(A) at ``npts`` equally spaced support directions.

    Costs one Hermitian eigenproblem per angle (half as many for real A: W(A) is then
    symmetric about the real axis, and the point for -phi is the conjugate of that for phi).
    """
    if int(npts) < 3:
        raise InputError(f"npts must be >= 3, got {npts}")
    M = _matrix(A)
    npts = int(npts)
    phis = 2 * np.pi * np.arange(npts) / npts
    if np.isrealobj(M):
        half = phis <= np.pi
        hh, ph = _support(M, phis[half])
        h = np.empty(npts)
        pts = np.empty(npts, dtype=complex)
        h[half], pts[half] = hh, ph
        mirror = np.mod(npts - np.nonzero(~half)[0], npts)  # -phi = 2 pi - phi
        h[~half], pts[~half] = h[mirror], np.conj(pts[mirror])
    else:
        h, pts = _support(M, phis)
    outer = _outer_vertices(phis, h)
    return NumericalRange(
        points=pts,
        angles=phis,
        support=h,
        numerical_abscissa=float(h[0]),
        numerical_radius=float(np.max(np.abs(pts))),
        numerical_radius_upper=float(np.max(np.abs(outer))),
        eigenvalues=np.linalg.eigvals(M),
    )


@one_blas_thread
def numerical_radius(A, tol: float = 1e-10, maxiter: int = 60) -> float:
    """r(A) = max |W(A)|, to relative accuracy ``tol`` (at most ``maxiter`` bisection rounds).

    Bracketed by boundary points of W(A) (below) and the corners of the supporting-line
    polygon (above); angle intervals whose corner still exceeds the lower bound are bisected
    until the bracket closes.  A corner of two lines at angle d phi apart carries a rounding
    error ~ 1e-16 / d phi, so intervals narrower than 1e-7 are not split further.  Returns the
    lower end of the bracket (attained by a point of W(A)).
    """
    M = _matrix(A)
    phis = 2 * np.pi * np.arange(16) / 16
    h, pts = _support(M, phis)
    for _ in range(maxiter):
        lower = float(np.max(np.abs(pts)))
        gap = np.append(np.diff(phis), 2 * np.pi - phis[-1] + phis[0])
        corner = np.abs(_outer_vertices(phis, h))
        bad = np.nonzero((corner > lower * (1 + tol)) & (gap > 1e-7))[0]
        if bad.size == 0:
            break
        new = np.mod(phis[bad] + gap[bad] / 2, 2 * np.pi)
        hn, pn = _support(M, new)
        order = np.argsort(np.concatenate([phis, new]))
        phis = np.concatenate([phis, new])[order]
        h = np.concatenate([h, hn])[order]
        pts = np.concatenate([pts, pn])[order]
    return float(np.max(np.abs(pts)))


__all__ = ["NumericalRange", "numerical_abscissa", "numerical_radius", "numerical_range"]
