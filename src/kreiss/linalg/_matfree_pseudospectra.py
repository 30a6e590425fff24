"""Pseudospectra, pseudospectral radius and abscissa from products: the Arnoldi projection.

sigma_min(z I~ - H) of the (m+1) x m Hessenberg matrix of A V_m = V_{m+1} H bounds
sigma_min(zI - A) from above (Toh & Trefethen, SIAM J. Sci. Comput. 17, 1996), so each
computed eps-level set lies *inside* Lambda_eps(A): an inner approximation (the EigTool
projection; Wright & Trefethen, SIAM J. Sci. Comput. 23, 2001).  The outermost (rightmost)
point of the projected level set is witnessed by ||(zI - A)x|| <= eps ||x||; above,
Lambda_eps(A) lies in |z| <= ||A|| + eps and Re z <= omega(A) + eps (Trefethen & Embree,
*Spectra and Pseudospectra*, 2005, Thm 17.2), with ||A|| and omega(A) bounded by Lanczos
(probabilistic).
"""

from __future__ import annotations

import math

import numpy as np

from ._matfree_norms import (
    DELTA,
    KRYLOV_DIM,
    is_complex,
    norm_bound,
    numerical_abscissa_bound,
    product,
    witness_note,
    witness_operator,
    witness_status,
)
from .krylov import Counted, arnoldi, random_unit, sigma_min_rect
from .scalar_min import minimize_bounded
from .threads import one_blas_thread


@one_blas_thread
def pseudospectra_krylov(A, real=None, imag=None, *, npts: int = 100, m: int | None = None,
                         seed: int = 0):
    """sigma_min(z I~ - H) on a grid: upper bounds of sigma_min(zI - A), so every level set
    drawn is an inner approximation of the pseudospectrum (module docstring)."""
    from ._pseudospectra_results import PseudospectraResult

    op = Counted(A)
    n = op.shape[0]
    rng = np.random.default_rng(seed)
    m = int(min(n, m or KRYLOV_DIM))
    F = arnoldi(op, random_unit(n, rng, is_complex(op)), m, rng)
    mm = F.H.shape[1]
    ritz = np.linalg.eigvals(F.H[:mm, :mm])
    nrm = float(np.linalg.norm(F.H, 2))
    if real is None or imag is None:
        pad = 0.1 * max(np.ptp(ritz.real), np.ptp(ritz.imag), 1e-3 * max(nrm, 1e-300))
        rx = np.linspace(ritz.real.min() - pad, ritz.real.max() + pad, npts)
        iy = np.linspace(ritz.imag.min() - pad, ritz.imag.max() + pad, npts)
        real = rx if real is None else real
        imag = iy if imag is None else imag
    real = np.asarray(real, dtype=float).ravel()
    imag = np.asarray(imag, dtype=float).ravel()
    Z = real[None, :] + 1j * imag[:, None]
    s, _ = sigma_min_rect(F.H, Z.ravel())
    return PseudospectraResult(
        real=real, imag=imag, sigma_min=s.reshape(Z.shape), eigenvalues=ritz, norm=nrm,
        method="krylov",
        message=(f"inner approximation: sigma_min of the {mm + 1} x {mm} Arnoldi projection "
                 f"({op.products} products) bounds sigma_min(zI - A) from above, so each "
                 "level set lies inside the true pseudospectrum"))


@one_blas_thread
def pseudospectral_krylov(A, eps: float, quantity: str, *, m: int | None = None,
                          seed: int = 0, delta: float = DELTA):
    """rho_eps (``quantity="pseudospectral_radius"``) or alpha_eps (abscissa) matrix-free.

    Lower: the outermost (rightmost) point z of {sigma_min(z I~ - H) <= eps} along rays
    (horizontal lines) through a grid of angles (ordinates), by bisection, refined over the
    angle; witnessed by x = V_m y with ||(zI - A)x|| <= eps ||x|| (one product).  Upper:
    Lambda_eps(A) lies in |z| <= ||A|| + eps and in Re z <= omega(A) + eps (Trefethen &
    Embree, Thm 17.2), with ||A|| and omega(A) bounded by Lanczos (probabilistic).
    """
    from ._pseudospectra_results import PseudospectralResult

    op = Counted(A)
    n = op.shape[0]
    rng = np.random.default_rng(seed)
    cplx = is_complex(op)
    m = int(min(n, m or KRYLOV_DIM))
    F = arnoldi(op, random_unit(n, rng, cplx), m, rng)
    H = F.H
    mm = H.shape[1]
    ritz = np.linalg.eigvals(H[:mm, :mm])
    hn = float(np.linalg.norm(H, 2))
    radius = quantity == "pseudospectral_radius"
    target = eps * (1 - 1e-9)

    def point(c, b):  # c: radius (abscissa), b: angle (ordinate)
        return c * complex(math.cos(b), math.sin(b)) if radius else complex(c, b)

    hi = hn + eps  # sigma_min(z I~ - H) >= |z| - ||H|| > eps beyond it
    cgrid = np.linspace(0 if radius else -hi, hi, 33)

    def bisect(a, c, b):
        """Boundary between a (inside) and c (outside) on the line of parameter b."""
        for _ in range(60):
            mid = (a + c) / 2
            if float(sigma_min_rect(H, point(mid, b), vectors=False)[0][0]) <= target:
                a = mid
            else:
                c = mid
            if c - a <= 1e-13 * max(abs(c), eps):
                break
        return a

    def coarse(bs):
        """Per line: index into cgrid of the outermost grid point inside (-1: none)."""
        Z = np.array([point(c, b) for b in bs for c in cgrid])
        s, _ = sigma_min_rect(H, Z, vectors=False)
        inside = (s <= target).reshape(len(bs), cgrid.size)
        return np.where(inside.any(axis=1),
                        cgrid.size - 1 - np.argmax(inside[:, ::-1], axis=1), -1)

    def outermost(b):
        j = int(coarse([b])[0])
        if j < 0:
            return -math.inf
        return float(cgrid[j]) if j == cgrid.size - 1 else bisect(cgrid[j], cgrid[j + 1], b)

    if radius:
        bs = np.unique(np.concatenate([np.linspace(-np.pi, np.pi, 32, endpoint=False),
                                       np.angle(ritz)]))
    else:
        span = max(np.ptp(ritz.imag), hn) + eps
        bs = np.unique(np.concatenate([np.linspace(ritz.imag.min() - span / 4,
                                                   ritz.imag.max() + span / 4, 32),
                                       ritz.imag]))
    js = coarse(bs)
    cs = np.where(js >= 0, cgrid[np.maximum(js, 0)], -np.inf)
    c_best, b_best = -math.inf, 0.0
    for i in np.argsort(-cs)[:3]:
        if js[i] >= 0:
            ci = outermost(float(bs[i]))
            if ci > c_best:
                c_best, b_best = ci, float(bs[i])
    width = float(np.min(np.diff(np.sort(bs)))) if bs.size > 1 else 1.0
    if math.isfinite(c_best):
        x, fx, _ = minimize_bounded(lambda b: -outermost(b), b_best - width, b_best + width,
                                    1e-8, maxiter=25)
        if -fx > c_best:
            c_best, b_best = -fx, x
    wop = witness_operator(op)
    lower, zbest, witness, ok = -math.inf, complex(math.nan, math.nan), None, False
    if math.isfinite(c_best):
        z = point(c_best, b_best)
        _, Y = sigma_min_rect(H, z)
        x = F.V[:, :mm] @ Y[0]
        check = float(np.linalg.norm(z * x - product(wop, x)) / np.linalg.norm(x))
        ok = check <= eps
        if ok:
            lower, zbest, witness = (abs(z) if radius else z.real), z, x / np.linalg.norm(x)
    nrm, nrm_up, p1 = norm_bound(op, rng, delta / 2)
    if radius:
        upper, fail = nrm_up + eps, p1
    else:
        _, om_up, p2 = numerical_abscissa_bound(op, rng, nrm_up, delta / 2)
        upper, fail = om_up + eps, p1 + p2
    sym = "rho_eps" if radius else "alpha_eps"
    msg = (f"{sym} >= {lower:.10g} witnessed (||(zI - A)x|| <= eps ||x||), <= {upper:.10g} "
           f"with probability >= 1 - {fail:.1g}; {op.products} products{witness_note(wop)}"
           if ok else f"{sym}: no witnessed point (the projected level set gave none); "
           f"<= {upper:.10g} with probability >= 1 - {fail:.1g}")
    return PseudospectralResult(
        quantity=quantity, eps=eps, value=lower, lower=lower, upper=upper, z=zbest,
        certified=False, iterations=0, level_set_tests=0, n=n, message=msg, method="krylov",
        lower_status=witness_status(wop) if ok else "certified",
        upper_status="probabilistic", failure_probability=fail, products=op.products,
        witness=witness)


__all__ = ["pseudospectra_krylov", "pseudospectral_krylov"]
