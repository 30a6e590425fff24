"""Products with a LinearOperator, and the probabilistic norm bounds they give.

The matrix-free modules (:mod:`.matfree`) see ``A`` only through ``A @ V`` and ``A^H @ U``.
:func:`product` applies a real operator to complex vectors (real and imaginary parts
separately); :func:`witness_operator` is the float64 twin that re-checks every witness.

||A||^2 = lambda_max(A^H A) and omega(A) = lambda_max((A + A^H) / 2) are bounded from above by
Lanczos with the Kuczynski-Wozniakowski bound (SIAM J. Matrix Anal. Appl. 13, 1992, Thm 4.2;
:func:`.krylov.lanczos_top`): each holds with probability >= 1 - ``delta``.
"""

from __future__ import annotations

import math

import numpy as np

from .krylov import Counted, lanczos_top

#: failure probability of each probabilistic bound (union bounds add them up)
DELTA = 1e-6
#: default Arnoldi dimension for the projections
KRYLOV_DIM = 80


def is_complex(op) -> bool:
    """Whether the operator acts on complex vectors (its dtype is complex)."""
    return np.issubdtype(np.dtype(op.dtype), np.complexfloating)


def product(op, V, adjoint: bool = False):
    """op @ V (op^H @ V with ``adjoint``) for real or complex V: a real operator is applied
    to the real and imaginary parts."""
    V = np.asarray(V)
    one = V.ndim == 1
    V2 = V.reshape(V.shape[0], -1)
    f = op.rmatmat if adjoint else op.matmat
    if np.iscomplexobj(V2) and not is_complex(op):
        out = np.asarray(f(np.ascontiguousarray(V2.real))) + 1j * np.asarray(
            f(np.ascontiguousarray(V2.imag)))
    else:
        out = np.asarray(f(V2))
    return out.reshape(-1) if one else out


def adjoint_product(op, U):
    """op^H @ U (:func:`product` with ``adjoint``)."""
    return product(op, U, adjoint=True)


def witness_operator(op):
    """The operator that re-checks witnesses: a float64 twin where the operator offers one
    (the coupled layer's float32 / GPU operators do, where the objective runs in float64),
    also through an adjoint ``A.H`` (scipy keeps the operator as its ``A``), else the
    operator itself."""
    inner = op.inner if isinstance(op, Counted) else op
    twin = getattr(inner, "float64", None)
    if callable(twin):
        return twin()
    base = getattr(inner, "A", None)
    if callable(getattr(base, "float64", None)) and inner is not base:
        return base.float64().H
    return op


def _computes_in(op) -> np.dtype:
    """The precision ``op`` computes in (:class:`.krylov.Counted` reports float64 for any)."""
    inner = op.inner if isinstance(op, Counted) else op
    return np.dtype(getattr(inner, "dtype", np.float64))


def witness_note(wop) -> str:
    """What a message adds when the witnesses could only be re-checked in single precision
    (an objective that runs only in float32)."""
    if witness_status(wop) == "witnessed":
        return ""
    return (f"; witness re-checked in {_computes_in(wop)} only (the operator runs only in "
            "that precision)")


def witness_status(wop) -> str:
    """"witnessed" when ``wop`` computes in double precision, else "estimate": a residual
    ||(zI - A) x|| re-checked in float32 loses ~1e-7 ||A|| ||x|| to cancellation, as much as
    the residual itself where K is large, with no known sign (the 10^5 GAN as a float32 model:
    K >= 35602.7 from the float32 residual, 35632.3 from the float64 one at the same z, x)."""
    return "witnessed" if _computes_in(wop) in (np.float64, np.complex128) else "estimate"


def norm_bound(op, rng, delta: float = DELTA, rtol: float = 1e-3, kmax: int = 300):
    """||A|| by Lanczos on A^H A: (estimate, probabilistic upper bound, failure probability)."""
    n = op.shape[0]
    lb = lanczos_top(lambda v: adjoint_product(op, product(op, v)), n, rng, delta=delta,
                     rtol=rtol, kmax=kmax, complex_=is_complex(op))
    return math.sqrt(lb.estimate), math.sqrt(lb.upper), lb.failure


def numerical_abscissa_bound(op, rng, norm_upper: float, delta: float = DELTA,
                             rtol: float = 1e-3, kmax: int = 300):
    """omega(A) = lambda_max((A + A^H)/2): (estimate, upper, failure).  The Hermitian part
    plus s I (s = an upper bound of ||A||) is PSD, so the Kuczynski-Wozniakowski bound
    applies to it: omega <= (theta + s) / (1 - eps) - s."""
    n = op.shape[0]
    s = norm_upper if math.isfinite(norm_upper) else 0.0

    def apply(v):
        return (product(op, v) + adjoint_product(op, v)) / 2 + s * v

    lb = lanczos_top(apply, n, rng, delta=delta, rtol=rtol, kmax=kmax, complex_=is_complex(op))
    upper = lb.upper - s if math.isfinite(norm_upper) else math.inf
    return lb.estimate - s, upper, lb.failure


__all__ = ["DELTA", "KRYLOV_DIM", "adjoint_product", "is_complex", "norm_bound",
           "numerical_abscissa_bound", "product", "witness_note", "witness_operator",
           "witness_status"]
