"""Pseudospectral abscissa and radius by criss-cross, with a global certificate.

alpha_eps(A) = max Re Lambda_eps(A) and rho_eps(A) = max |Lambda_eps(A)|, Lambda_eps(A) =
{z : sigma_min(zI - A) <= eps}, to machine accuracy by the criss-cross algorithms of Burke,
Lewis & Overton (IMA J. Numer. Anal. 23, 2003) and Mengi & Overton (IMA J. Numer. Anal. 25,
2005): level-set tests on vertical lines (circles) alternate with searches along horizontal
lines (rays); a test beyond the value that finds no crossing certifies it from above.  The
problem is first scaled by a power of two to unit size, which is exact.

**Rounding.**  A computed crossing or sigma_min is exact for a matrix within
delta = n eps (2 ||A|| + |z|) of A (:func:`.sigma_min.backward_error`), and near a
nearly defective eigenvalue the boundary of Lambda_eps moves by delta / sigma' >> delta (for a
Jordan block, d rho_eps / d eps ~ eps^{-1/2}).  So the criss-cross runs twice: at level
eps - delta, whose outermost point z has sigma_min(zI - A) <= eps and gives ``lower``
(attained), and, from there, at level eps + delta, whose certificate test shows
sigma_min > eps beyond ``upper``.  Where eps <= delta no point is proven inside, and the
lower bound is an estimate.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..errors import InputError
from ._pseudospectra_results import PseudospectralResult
from .levelset import circle_crossings, horizontal_crossings, radial_crossings, vertical_crossings
from .operator import resolve
from .schur import SchurForm, schur_form
from .sigma_min import backward_error, sigma_min_triangular
from .threads import one_blas_thread


def _schur(A) -> SchurForm:
    return A if isinstance(A, SchurForm) else schur_form(A)


def _power_of_two_scale(S: SchurForm, eps: float) -> float:
    """s = 2^k nearest max(||A||, eps): dividing T and eps by s is exact, and brings a
    1e-300 or 1e300 problem to unit scale (rho_eps(sA) = s rho_{eps/s}(A), the same for
    alpha_eps), where the level-set pencils neither underflow nor overflow."""
    m = max(S.norm, eps)
    return 2.0 ** round(math.log2(m)) if m > 0 and math.isfinite(m) else 1.0


def _scaled(S: SchurForm, s: float) -> SchurForm:
    return SchurForm(T=S.T / s, Q=S.Q, is_real=S.is_real, norm=S.norm / s,
                     T_real=None if S.T_real is None else S.T_real / s, Q_real=S.Q_real)


def _rescaled(res: PseudospectralResult, s: float, eps: float) -> PseudospectralResult:
    import dataclasses

    return dataclasses.replace(
        res, eps=eps, value=res.value * s, lower=res.lower * s, upper=res.upper * s,
        z=res.z * s, message=res.message + f" (computed on A / {s:g}, eps / {s:g})")


def _check_eps(eps) -> float:
    try:
        e = float(eps)
    except (TypeError, ValueError):
        raise InputError(f"eps must be a positive number, got {eps!r}") from None
    if not (math.isfinite(e) and e > 0):
        raise InputError(f"eps must be a positive finite number, got {eps!r}")
    return e


def _inside(T: np.ndarray, z: np.ndarray, eps: float) -> np.ndarray:
    """sigma_min(zI - T) < eps at each z, by a dense SVD: inverse Lanczos gives a Ritz value,
    an upper bound on sigma_min that may miss the smallest singular value, so it could call an
    inside point outside and an upper bound would rest on it."""
    return sigma_min_triangular(T, z, method="dense") < eps


def _inside_runs(
    T: np.ndarray, cuts: np.ndarray, point: Callable, eps: float, cyclic: bool
) -> list[tuple[float, float]]:
    """Maximal runs of gaps between consecutive ``cuts`` on which sigma_min < eps.

    ``cuts`` (sorted) are where *some* singular value equals eps, so sigma_min - eps keeps
    one sign on each gap; it is decided at the gap's midpoint.  Cyclic gaps (angles) wrap
    from the last cut to the first + 2 pi.  Adjacent inside gaps are merged: the cut between
    them was a spurious crossing (another singular value) or a tangency.
    """
    if cuts.size == 0:
        return []
    if cyclic:
        lo, hi = cuts, np.append(cuts[1:], cuts[0] + 2 * np.pi)
    else:
        lo, hi = cuts[:-1], cuts[1:]
    if lo.size == 0:
        return []
    inside = _inside(T, point((lo + hi) / 2), eps)
    if not np.any(inside):
        return []
    if cyclic and np.all(inside):
        return [(float(cuts[0]), float(cuts[0] + 2 * np.pi))]
    start = 0
    if cyclic:  # begin the sweep just after an outside gap so no run is cut in two
        start = int(np.nonzero(~inside)[0][0]) + 1
    runs: list[list[float]] = []
    prev = False
    for k in range(lo.size):
        j = (start + k) % lo.size
        a, b = float(lo[j]), float(hi[j])
        if cyclic and j < start:
            a, b = a + 2 * np.pi, b + 2 * np.pi
        if inside[j]:
            if prev:
                runs[-1][1] = b
            else:
                runs.append([a, b])
        prev = bool(inside[j])
    return [(a, b) for a, b in runs]


def _result(quantity: str, symbol: str, eps: float, n: int, out) -> PseudospectralResult:
    """Package :func:`_bracket`'s output (value, z, upper, certified, iterations, tests,
    delta, proven)."""
    value, z, upper, certified, it, tests, delta, proven = out
    if certified:
        msg = f"{symbol} in [{value:.16g}, {upper:.16g}]"
    else:
        msg = f"{symbol} >= {value:.16g}; the certificate test did not pass in {it} iterations"
    if not proven:
        msg += (f"; eps = {eps:.3g} is at the rounding level {delta:.3g} (n eps ||A||): "
                "the lower bound is an estimate")
    elif delta > 1e-6 * eps:
        msg += f"; rounding ({delta:.2g} on sigma_min) limits the bracket"
    return PseudospectralResult(
        quantity=quantity, eps=eps, value=value, lower=value, upper=upper, z=complex(z),
        certified=certified, iterations=it, level_set_tests=tests, n=n, message=msg,
        method="dense", lower_status="certified" if proven else "estimate",
        upper_status="certified" if certified else "estimate",
    )


def _entry(quantity: str, core, A, eps, maxiter: int, method: str) -> PseudospectralResult:
    """The public functions around their dense ``core(S, eps, maxiter)``: eps checked, the
    matrix-free path taken for large operators, the problem scaled by a power of two
    (module docstring)."""
    eps = _check_eps(eps)
    path, A = resolve(A, method)
    if path == "krylov":
        from ._matfree_pseudospectra import pseudospectral_krylov

        return pseudospectral_krylov(A, eps, quantity)
    S = _schur(A)
    s = _power_of_two_scale(S, eps)
    if s != 1.0 and not 2.0**-20 <= s <= 2.0**20:
        return _rescaled(core(_scaled(S, s), eps / s, maxiter), s, eps)
    return core(S, eps, maxiter)


def _bracket(start, tests_at, scale, maxiter, eps, delta):
    """The two criss-cross runs of the module docstring: ``tests_at(level)`` returns
    (line_test, search) at that level and ``start(level)`` the first point."""
    proven = eps - delta > 0
    level = eps - delta if proven else eps
    line_test, search = tests_at(level)
    c, z, _, _, it1, t1 = _criss_cross(start(search), line_test, search, scale, maxiter)
    line_test, search = tests_at(eps + delta)
    _, _, upper, certified, it2, t2 = _criss_cross((c, z), line_test, search, scale, maxiter)
    return c, z, upper, certified, it1 + it2, t1 + t2, delta, proven


def _criss_cross(start, line_test, search, scale, maxiter):
    """Shared loop of both criss-cross algorithms.

    ``line_test(c)`` returns the midpoints of the inside runs of the level-set test at
    level c (a vertical line x = c, or a circle |z| = c); ``search(m)`` returns the outermost
    crossing (c', z') along the perpendicular search through midpoint m (a horizontal line,
    or a ray), which satisfies sigma_min(z'I - A) = eps.  Once a step gains less than
    ``delta`` the next test is placed at value + delta; finding no inside run there
    certifies value <= sup < value + delta.
    """
    c, z = start
    tests = 1
    delta = 1e-11 * scale(c)
    c_test = c
    certified = False
    it = stalls = 0
    while it < maxiter:
        it += 1
        mids = line_test(c_test)
        tests += 1
        if not mids and c_test > c:
            certified = True
            break
        best, zbest = c, z
        for m in mids:
            cm, zm = search(m)
            tests += 1
            if cm is not None and cm > best:
                best, zbest = cm, zm
        if best > c_test:
            progress = best - c
            c, z = best, zbest
            c_test = c if progress > delta else c + delta
        elif c_test > c:
            # an inside run beyond the current value, yet no search went further out: a
            # rounding-level disagreement between the tests; widen the margin.
            stalls += 1
            if stalls > 4:
                break
            delta *= 10
            c_test = c + delta
        else:  # only the tangency at the current value: converged, go and certify
            c_test = c + delta
    upper = c_test if certified else math.inf
    return c, z, upper, certified, it, tests


@one_blas_thread
def pseudospectral_abscissa(A, eps, *, maxiter: int = 100, method: str = "auto"
                            ) -> PseudospectralResult:
    """alpha_eps(A) = max{Re z : sigma_min(zI - A) <= eps} by criss-cross.

    Burke, Lewis & Overton (IMA J. Numer. Anal. 23, 2003): on the vertical line Re z = x the
    points where some singular value of zI - A equals eps are the imaginary eigenvalues of a
    2n Hamiltonian matrix (:func:`vertical_crossings`); sigma_min at the midpoints of
    consecutive crossings picks the intervals inside Lambda_eps(A).  From each interval's
    midpoint a horizontal search finds the rightmost crossing, which lies on the boundary of
    Lambda_eps(A); the largest becomes the next x.  Convergence is global (every component
    of Lambda_eps(A) contains an eigenvalue left of x, so it meets the line) and locally
    quadratic.  Real A: the vertical test is a real eigenproblem, intervals come in conjugate
    pairs and only those reaching Im z >= 0 are searched.  ``A``: a matrix or a
    :class:`SchurForm`.
    """
    return _entry("pseudospectral_abscissa", _abscissa, A, eps, maxiter, method)


def _abscissa(S: SchurForm, eps: float, maxiter: int) -> PseudospectralResult:
    T, is_real = S.T, S.is_real
    lam = S.eigenvalues[int(np.argmax(S.eigenvalues.real))]
    # real A makes the vertical test a real 2n eigenproblem: about 3x cheaper than with T
    V = S.matrix() if is_real else T

    def scale(c):
        return max(abs(c), eps)

    def tests_at(level):
        def line_test(x):
            ys = vertical_crossings(V, x, level)
            runs = _inside_runs(T, ys, lambda y: x + 1j * y, level, cyclic=False)
            if is_real:
                runs = [r for r in runs if r[1] >= 0]
            return [(a + b) / 2 for a, b in runs]

        def search(y):
            xs = horizontal_crossings(T, y, level)
            return (None, None) if xs.size == 0 else (float(xs[-1]), complex(xs[-1], y))

        return line_test, search

    def start(search):
        x0, z0 = search(float(lam.imag))
        if x0 is None or x0 < lam.real:  # rounding only: lam itself is inside Lambda_eps
            x0, z0 = float(lam.real), complex(lam)
        return x0, z0

    delta = backward_error(S.n, S.norm, S.norm + eps)
    out = _bracket(start, tests_at, scale, maxiter, eps, delta)
    return _result("pseudospectral_abscissa", "alpha_eps", eps, S.n, out)


@one_blas_thread
def pseudospectral_radius(A, eps, *, maxiter: int = 100, method: str = "auto"
                          ) -> PseudospectralResult:
    """rho_eps(A) = max{|z| : sigma_min(zI - A) <= eps} by criss-cross in polar coordinates.

    Mengi & Overton (IMA J. Numer. Anal. 25, 2005): the circle |z| = r meets the level sets
    sigma_k(zI - A) = eps at the unit-modulus eigenvalues of a 2n pencil
    (:func:`circle_crossings`); sigma_min at the mid-angles of consecutive crossings picks the
    arcs inside Lambda_eps(A); a radial search along each arc's mid-angle
    (:func:`radial_crossings`) finds the outermost crossing, and the largest radius is the
    next r.  Real A: arcs come in conjugate pairs, only those with mid-angle in [0, pi] are
    searched.  ``A`` may be a matrix or a :class:`SchurForm`.
    """
    return _entry("pseudospectral_radius", _radius, A, eps, maxiter, method)


def _radius(S: SchurForm, eps: float, maxiter: int) -> PseudospectralResult:
    T, is_real = S.T, S.is_real
    lam = S.eigenvalues[int(np.argmax(np.abs(S.eigenvalues)))]

    def scale(c):
        return max(abs(c), eps)

    def tests_at(level):
        def line_test(r):
            th = circle_crossings(T, r, level)
            if th.size == 0:
                # no crossing: the circle lies entirely inside or entirely outside
                probe = np.linspace(-np.pi, np.pi, 8, endpoint=False)
                inside = _inside(T, r * np.exp(1j * probe), level)
                return [float(p) for p in probe[inside]]
            runs = _inside_runs(T, th, lambda t: r * np.exp(1j * t), level, cyclic=True)
            mids = [(a + b) / 2 for a, b in runs]
            if is_real:
                mids = [m for m in mids if math.sin(m) >= -1e-9]
            return mids

        def search(theta):
            rs = radial_crossings(T, theta, level)
            return (None, None) if rs.size == 0 else (float(rs[-1]),
                                                      rs[-1] * np.exp(1j * theta))

        return line_test, search

    def start(search):
        theta0 = float(np.angle(lam)) if lam != 0 else 0.0
        r0, z0 = search(theta0)
        if r0 is None or r0 < abs(lam):  # rounding only: lam itself is inside Lambda_eps
            r0, z0 = float(abs(lam)), complex(lam)
        return r0, z0

    delta = backward_error(S.n, S.norm, S.norm + eps)
    out = _bracket(start, tests_at, scale, maxiter, eps, delta)
    return _result("pseudospectral_radius", "rho_eps", eps, S.n, out)


__all__ = ["PseudospectralResult", "pseudospectral_abscissa", "pseudospectral_radius"]
