"""Where a level set {z : sigma_min(zI - A) = eps} meets a circle or a straight line.

Each test is one dense eigenvalue problem of size 2n, whose eigenvalues on the unit circle
(resp. the real line) are exactly the points of the curve where *some* singular value of
zI - A equals eps (Byers, SIAM J. Sci. Stat. Comput. 9, 1988; Burke, Lewis & Overton,
IMA J. Numer. Anal. 23, 2003; Mengi & Overton, IMA J. Numer. Anal. 25, 2005; EigTool's
``pspr_2way_theta``).  Callers evaluate sigma_min between consecutive crossings to tell which
arcs lie inside the eps-pseudospectrum.  Pass the triangular Schur factor T instead of A: the
tests are unitarily invariant and T makes the blocks cheaper to form.

Derivations (u, v singular vectors, (zI - A) v = eps u, (zI - A)^* u = eps v):

* circle z = r e^{i theta}, lam = e^{i theta}:
  lam [[r I, 0], [eps I, A^*]] [v; u] = [[A, eps I], [0, r I]] [v; u];
* vertical line z = x + i y:  i y [v; u] = [[A - x I, eps I], [-eps I, x I - A^*]] [v; u];
* ray z = r e^{i theta}, r real:  r [v; u] = [[e^{-i theta} A, eps e^{-i theta} I],
  [eps e^{i theta} I, e^{i theta} A^*]] [v; u];
* horizontal line z = x + i y, x real:
  x [v; u] = [[A - i y I, eps I], [eps I, A^* + i y I]] [v; u].
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import scipy.linalg as sla

from .threads import blas_threads

#: from this n on the 2n-eigenproblems get all BLAS threads (callers pin one for their many
#: small calls): at 2n = 2000 geev 2.8 -> 2.2 s and the LU 0.64 -> 0.31 s on 2 cores
THREADED_N = 500
#: eigenvalues within this relative distance of the unit circle / real axis count as on it;
#: false positives are harmless (callers re-evaluate sigma_min there), misses are not.
ON_CURVE_TOL = 1e-6


def _threads_for_large(test):
    @functools.wraps(test)
    def wrapper(A, *args):
        with blas_threads(None if A.shape[0] >= THREADED_N else 1):
            return test(A, *args)

    return wrapper


def _scale(A: np.ndarray, *others: float) -> float:
    return max(1.0, float(np.max(np.abs(A))), *[abs(o) for o in others])


@_threads_for_large
def circle_crossings(A: np.ndarray, r: float, eps: float) -> np.ndarray:
    """Angles theta in [-pi, pi) where some singular value of r e^{i theta} I - A equals eps.

    The pencil M0 - lam M1 above is turned into a standard eigenproblem by the Moebius map
    lam = w (mu + i) / (mu - i), |w| = 1, which sends the real mu-axis onto the unit circle:
    mu is an eigenvalue of (M0 - w M1)^{-1} i (M0 + w M1).  One LU and one dense ``geev``
    instead of QZ (about 5x faster at 2n = 800).  The rotation w is chosen so that
    M0 - w M1 is well conditioned (it is singular only if eps is a singular value at w);
    for real A, w = +-1 is tried first so that the eigenproblem is real.
    """
    n = A.shape[0]
    eye = np.eye(n)
    zero = np.zeros((n, n))
    M0 = np.block([[A, eps * eye], [zero, r * eye]])
    M1 = np.block([[r * eye, zero], [eps * eye, A.conj().T]])
    # real A: w = +-1 keeps (M0 - w M1)^{-1} (M0 + w M1) real, and a real geev is ~4x cheaper
    rotations = (1.0, -1.0) if not np.iscomplexobj(A) else ()
    rotations += tuple(np.exp(1j * phi) for phi in (2.399963229728653, 0.7853981633974483))
    best = None
    for w in rotations:
        with warnings.catch_warnings():  # exactly singular only for eps below the rounding
            warnings.simplefilter("ignore", sla.LinAlgWarning)  # level, where callers
            lu = sla.lu_factor(M0 - w * M1, check_finite=False)  # discard the level anyway
        d = np.abs(np.diag(lu[0]))
        rcond = d.min() / d.max()
        if best is None or rcond > best[0]:
            best = (rcond, w, lu)
        if rcond > 1e-8:
            break
    _, w, lu = best
    nu = sla.eigvals(sla.lu_solve(lu, M0 + w * M1, check_finite=False), overwrite_a=True,
                     check_finite=False)
    mu = 1j * nu  # eigenvalues of (M0 - w M1)^{-1} i (M0 + w M1)
    on = np.abs(mu.imag) <= ON_CURVE_TOL * (1.0 + np.abs(mu))
    lam = w * (mu[on] + 1j) / (mu[on] - 1j)
    return np.sort(np.angle(lam))


@_threads_for_large
def vertical_crossings(A: np.ndarray, x: float, eps: float) -> np.ndarray:
    """Ordinates y where some singular value of (x + i y) I - A equals eps."""
    n = A.shape[0]
    eye = np.eye(n)
    H = np.block([[A - x * eye, eps * eye], [-eps * eye, x * eye - A.conj().T]])
    mu = sla.eigvals(H, overwrite_a=True, check_finite=False)
    on = np.abs(mu.real) <= ON_CURVE_TOL * _scale(A, x, eps)
    return np.sort(mu.imag[on])


@_threads_for_large
def radial_crossings(A: np.ndarray, theta: float, eps: float) -> np.ndarray:
    """Radii r >= 0 where some singular value of r e^{i theta} I - A equals eps."""
    n = A.shape[0]
    eye = np.eye(n)
    w = np.exp(1j * theta)
    H = np.block([[A / w, (eps / w) * eye], [(eps * w) * eye, w * A.conj().T]])
    mu = sla.eigvals(H, overwrite_a=True, check_finite=False)
    on = np.abs(mu.imag) <= ON_CURVE_TOL * _scale(A, eps)
    r = mu.real[on]
    return np.sort(r[r >= 0])


@_threads_for_large
def horizontal_crossings(A: np.ndarray, y: float, eps: float) -> np.ndarray:
    """Abscissae x where some singular value of (x + i y) I - A equals eps."""
    n = A.shape[0]
    eye = np.eye(n)
    H = np.block([[A - 1j * y * eye, eps * eye], [eps * eye, A.conj().T + 1j * y * eye]])
    mu = sla.eigvals(H, overwrite_a=True, check_finite=False)
    on = np.abs(mu.imag) <= ON_CURVE_TOL * _scale(A, y, eps)
    return np.sort(mu.real[on])
