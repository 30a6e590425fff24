"""The Kreiss constant from products: a witnessed lower bound by Arnoldi projection.

Arnoldi's A V_m = V_{m+1} H gives sigma_min(z I~ - H) >= sigma_min(zI - A) (Toh & Trefethen,
SIAM J. Sci. Comput. 17, 1996), so maximising phi(z) = (|z| - 1) / sigma_min(z I~ - H) (Re z in
place of |z| - 1 in continuous time) over the small H finds z and x = V_m y with
K(A) >= (|z| - 1) ||x|| / ||(zI - A) x||, recomputed with one product
(:func:`projected_maximiser`).  A restart from the witness x refines it.  Upper bound: when the
operator is block lower-triangular with symmetric diagonal blocks (the paper's class; checked
on random probes), the sharp class bound (:func:`._matfree_blocks.class_upper_bound`), which
holds with probability >= 1 - delta.
"""

from __future__ import annotations

import math

import numpy as np

from ._matfree_blocks import class_upper_bound
from ._matfree_norms import (
    DELTA,
    KRYLOV_DIM,
    is_complex,
    product,
    witness_note,
    witness_operator,
    witness_status,
)
from .krylov import Counted, arnoldi, random_unit, sigma_min_rect
from .threads import one_blas_thread


def _curve_point(kind, a, b):
    """z from the search coordinates: discrete (log(r - 1), angle), continuous (log Re z, Im z)."""
    if kind == "discrete":
        return (1 + math.exp(a)) * complex(math.cos(b), math.sin(b))
    return complex(math.exp(a), b)


def _gain(kind, z):
    return abs(z) - 1 if kind == "discrete" else z.real


def _coords(kind, z):
    """Inverse of :func:`_curve_point`."""
    if kind == "discrete":
        return np.array([math.log(max(abs(z) - 1, 1e-300)), math.atan2(z.imag, z.real)])
    return np.array([math.log(max(z.real, 1e-300)), z.imag])


def projected_maximiser(H, kind, scale, start=None):
    """(z, phi) maximising phi(z) = gain(z) / sigma_min(z I~ - H): a polar (half-plane) grid
    around the Ritz values (unless a ``start`` point is given), then Nelder-Mead from the
    best two points.  The values only steer the search: the caller's witness decides."""
    m = H.shape[1]
    ritz = np.linalg.eigvals(H[:m, :m])

    def neg(x):
        z = _curve_point(kind, x[0], x[1])
        sv = float(sigma_min_rect(H, z, vectors=False)[0][0])
        return -_gain(kind, z) / sv if sv > 0 else -1e300

    if start is not None:
        starts = [_coords(kind, start)]
        best = (start, -neg(starts[0]))
    else:
        if kind == "discrete":
            logs = np.log(max(scale, 1.0) * np.logspace(-4, 1, 16))
            top = ritz[np.argsort(-np.abs(ritz))[:8]]
            b = np.unique(np.concatenate([np.linspace(-np.pi, np.pi, 32, endpoint=False),
                                          np.angle(top)]))
        else:
            logs = np.log(max(scale, 1e-300) * np.logspace(-4, 1, 16))
            right = ritz[np.argsort(-ritz.real)[:8]]
            pad = 0.5 * max(scale, 1e-300)
            b = np.unique(np.concatenate([
                np.linspace(ritz.imag.min() - pad, ritz.imag.max() + pad, 32), right.imag]))
        A_, B_ = np.meshgrid(logs, b, indexing="ij")
        X = np.column_stack([A_.ravel(), B_.ravel()])
        Z = np.array([_curve_point(kind, a, bb) for a, bb in X])
        s, _ = sigma_min_rect(H, Z, vectors=False)
        g = np.array([_gain(kind, z) for z in Z])
        with np.errstate(divide="ignore"):
            phi = np.where(s > 0, g / s, np.inf)
        best = (Z[int(np.argmax(phi))], float(np.max(phi)))
        starts = [X[i] for i in np.argsort(-phi)[:2]]
    from scipy.optimize import minimize  # lazily: ~0.15 s to import

    for x0 in starts:
        res = minimize(neg, x0, method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 300})
        if -res.fun > best[1]:
            best = (_curve_point(kind, *res.x), float(-res.fun))
    return best


@one_blas_thread
def kreiss_krylov(A, kind: str = "discrete", *, m: int | None = None, rounds: int = 3,
                  blocks: tuple[int, int] | None = None, seed: int = 0, delta: float = DELTA):
    """Matrix-free Kreiss constant: a witnessed lower bound, and a probabilistic upper bound
    when A is block lower-triangular with symmetric diagonal blocks (module docstring).

    ``m``: Arnoldi dimension (default min(n, 80)); ``rounds``: restarts, each from the
    previous witness vector (a Krylov space rich in the maximiser's singular vector).
    """
    from ._kreiss_result import KreissResult

    op = Counted(A)
    n = op.shape[0]
    rng = np.random.default_rng(seed)
    cplx = is_complex(op)
    m = int(min(n, m or KRYLOV_DIM))
    wop = witness_operator(op)
    best = (1.0, complex(math.inf, 0), None)  # the limit |z| -> inf gives K >= 1
    v0 = random_unit(n, rng, cplx)
    ritz_rho = ritz_alpha = math.nan
    for _ in range(max(1, rounds)):
        F = arnoldi(op, v0, m, rng)
        H = F.H
        mm = H.shape[1]
        ritz = np.linalg.eigvals(H[:mm, :mm])
        ritz_rho = max(float(np.max(np.abs(ritz))), 0.0 if math.isnan(ritz_rho) else ritz_rho)
        ritz_alpha = float(np.max(ritz.real))
        scale = float(np.linalg.norm(H, 2))
        z, _ = projected_maximiser(
            H, kind, scale, start=best[1] if math.isfinite(best[1].real) else None)
        _, Y = sigma_min_rect(H, z)
        x = F.V[:, :mm] @ Y[0]
        if not cplx and abs(z.imag) <= 1e-14 * abs(z):
            x, z = x.real, complex(z.real, 0.0)
        r = z * x - product(wop, x)
        value = _gain(kind, z) * np.linalg.norm(x) / np.linalg.norm(r)
        if value > best[0]:
            best = (float(value), z, x / np.linalg.norm(x))
        if F.breakdown:
            break
        v0 = best[2] if best[2] is not None else random_unit(n, rng, cplx)
        v0 = v0 + 1e-2 * random_unit(n, rng, cplx)
    lower, zbest, witness = best
    upper, upper_status, failure, note = math.inf, "certified", 0.0, "no upper bound matrix-free"
    if blocks is not None and kind == "discrete":
        upper, failure, note = class_upper_bound(op, blocks, rng, delta)
        upper_status = "probabilistic" if math.isfinite(upper) else "certified"
    msg = (f"K >= {lower:.6g} witnessed at z = {zbest:.6g} (Arnoldi m = {m}, "
           f"{op.products} products); {note}{witness_note(wop)}")
    return KreissResult(
        value=lower, lower=lower, upper=max(upper, lower), z=zbest, kind=kind, n=n,
        spectral_radius=ritz_rho, spectral_abscissa=ritz_alpha, norm=math.nan,
        certified=False, evaluations=0, level_set_tests=0, nodes=0, message=msg,
        method="krylov", lower_status=witness_status(wop), upper_status=upper_status,
        failure_probability=failure, products=op.products, witness=witness)


__all__ = ["kreiss_krylov", "projected_maximiser"]
