"""Stability from products: the outermost eigenvalues with their residuals, and a verdict.

ARPACK (implicitly restarted Arnoldi; Lehoucq, Sorensen & Yang, *ARPACK Users' Guide*, 1998)
finds the outermost (``kind="discrete"``) or rightmost (continuous) eigenvalues, each with its
residual r = ||A x - lambda x|| / ||x||: lambda is an exact eigenvalue of A + E with ||E|| = r
(the Ritz pair's backward error), so sigma_min(lambda I - A) <= r.  An eigenvalue outside the
unit circle (right of the imaginary axis) by more than its residual proves instability, or
else K(A) >= distance / residual (:func:`stability_verdict`).  The dense path computes all
eigenvalues (LAPACK, residual n u ||A||).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..jsonout import jsonable
from ._matfree_norms import KRYLOV_DIM, is_complex, norm_bound, numerical_abscissa_bound, product
from .krylov import Counted, arnoldi, arpack_eigs, random_unit


@dataclass(frozen=True)
class StabilityResult:
    """Spectral radius / abscissa with the evidence behind them, and a stability verdict.

    ``eigenvalues`` are the outermost (discrete) or rightmost (continuous) eigenvalues found,
    ``residuals[i]`` = ||A x_i - lambda_i x_i|| / ||x_i||: lambda_i is an exact eigenvalue of
    A + E with ||E|| <= residuals[i] (status ``estimate``: a missed eigenvalue is not
    excluded).  ``verdict``: "stable", "unstable" or "undecided", explained in ``message``.
    ``norm`` / ``norm_upper`` and ``numerical_abscissa`` / ``numerical_abscissa_upper``:
    estimates and bounds that hold with probability >= 1 - ``failure_probability`` (exact
    on the dense path).
    """

    kind: str
    method: str
    spectral_radius: float
    spectral_abscissa: float
    eigenvalues: np.ndarray
    residuals: np.ndarray
    status: str
    verdict: str
    norm: float
    norm_upper: float
    numerical_abscissa: float
    numerical_abscissa_upper: float
    failure_probability: float
    converged: bool
    n: int
    products: int
    message: str

    def to_dict(self) -> dict:
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__})


def stability_verdict(kind, lam, res, converged):
    """(verdict, message) from Ritz values and residuals (see :class:`StabilityResult`)."""
    dist = np.abs(lam) - 1 if kind == "discrete" else lam.real  # > 0: outside
    edge = "unit circle" if kind == "discrete" else "imaginary axis"
    out = np.nonzero(dist > res)[0]
    if out.size:
        i = out[np.argmax(dist[out])]
        kl = dist[i] / res[i] if res[i] > 0 else math.inf
        return "unstable", (
            f"eigenvalue {lam[i]:.6g} lies outside the {edge} by {dist[i]:.3g} with residual "
            f"{res[i]:.2g}: A is unstable, or else K(A) >= {kl:.3g} (witnessed)")
    if converged and np.all(dist < -res):
        return "stable", (
            f"the {lam.size} outermost eigenvalues found lie inside the {edge} by more than "
            f"their residuals (largest {float(np.max(res)):.2g}); an eigenvalue that ARPACK "
            "missed is not excluded (estimate)")
    return "undecided", (f"an eigenvalue found lies within its residual of the {edge}, or "
                         "ARPACK did not converge: stability is not decided")


def stability(A, kind: str = "discrete", *, method: str = "auto", k: int = 6,
              seed: int = 0, tol: float = 1e-10) -> StabilityResult:
    """Spectral radius (abscissa) and a stability verdict, dense or matrix-free.

    Dense: all eigenvalues (LAPACK; residual n u ||A||, the backward error of the QR
    algorithm).  Krylov: the ``k`` eigenvalues of largest modulus (rightmost for
    ``kind="continuous"``) by ARPACK (if it converges none, the Ritz pairs of an
    80-step Arnoldi run), residuals recomputed by one block product, and
    ||A|| and omega(A) by Lanczos with probabilistic upper bounds.
    """
    from .operator import resolve
    from .validate import check_kind

    kind = check_kind(kind)
    path, M = resolve(A, method)
    if path == "dense":
        return _stability_dense(M, kind)
    op = Counted(M)
    n = op.shape[0]
    rng = np.random.default_rng(seed)
    which = "LM" if kind == "discrete" else "LR"
    if n < 4:
        raise InputError("the matrix-free path needs n >= 4; use method='dense'")
    lam, _, res, converged = arpack_eigs(op, k, which, rng, tol=tol)
    if lam.size == 0:  # ARPACK resolved nothing (far from normal): plain Arnoldi's Ritz pairs
        F = arnoldi(op, random_unit(n, rng, is_complex(op)), KRYLOV_DIM, rng)
        mm = F.H.shape[1]
        theta, Y = np.linalg.eig(F.H[:mm, :mm])
        keep = (np.argsort(-np.abs(theta)) if which == "LM" else np.argsort(-theta.real))[:k]
        X = F.V[:, :mm] @ Y[:, keep]
        lam = theta[keep]
        R = product(op, X) - X * lam[None, :]
        res = np.linalg.norm(R, axis=0) / np.linalg.norm(X, axis=0)
    nrm, nrm_up, p1 = norm_bound(op, rng)
    om, om_up, p2 = numerical_abscissa_bound(op, rng, nrm_up)
    verdict, msg = stability_verdict(kind, lam, res, converged)
    rho, alpha = float(np.max(np.abs(lam))), float(np.max(lam.real))
    order = np.argsort(-np.abs(lam)) if kind == "discrete" else np.argsort(-lam.real)
    return StabilityResult(
        kind=kind, method="krylov", spectral_radius=rho, spectral_abscissa=alpha,
        eigenvalues=lam[order], residuals=res[order], status="estimate", verdict=verdict,
        norm=nrm, norm_upper=nrm_up, numerical_abscissa=om, numerical_abscissa_upper=om_up,
        failure_probability=p1 + p2, converged=bool(converged), n=n, products=op.products,
        message=msg)


def _stability_dense(M, kind) -> StabilityResult:
    from ._numerical_range import numerical_abscissa
    from .schur import SchurForm, schur_form

    S = M if isinstance(M, SchurForm) else schur_form(M)
    lam = S.eigenvalues
    res = np.full(lam.size, S.n * np.finfo(float).eps * S.norm)
    order = np.argsort(-np.abs(lam)) if kind == "discrete" else np.argsort(-lam.real)
    verdict, msg = stability_verdict(kind, lam[order], res[order], True)
    msg = msg.replace(" that ARPACK missed is not excluded (estimate)", " (all n computed)")
    om = numerical_abscissa(S)
    return StabilityResult(
        kind=kind, method="dense", spectral_radius=S.spectral_radius,
        spectral_abscissa=S.spectral_abscissa, eigenvalues=lam[order], residuals=res[order],
        status="estimate", verdict=verdict, norm=S.norm, norm_upper=S.norm,
        numerical_abscissa=om, numerical_abscissa_upper=om, failure_probability=0.0,
        converged=True, n=S.n, products=0, message=msg)


__all__ = ["StabilityResult", "stability", "stability_verdict"]
