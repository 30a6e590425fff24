"""Witnessed lower bounds on the transient ||A^t|| from products only.

||A^t|| >= ||A^t v|| / ||v|| for every v, and one forward sweep re-checks it.  The sweep of a
random block finds the peak region; Lanczos on the Gram operator (A^t)^H A^t at a candidate
step t (Golub & Van Loan, *Matrix Computations*, 4th ed., 2013, section 10.1) then gives a
near-optimal v, the top right singular vector of A^t, whose forward sweep lifts the curve.
Nothing here is an upper bound.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError
from ._matfree_norms import adjoint_product, is_complex, product, witness_note, witness_operator
from ._transient_result import TransientResult
from .krylov import Counted, lanczos_top, random_unit


def _power_norms(op, V, horizon: int, stop=None):
    """||A^t V[:, j]|| for t = 0..horizon (rows), and A^horizon V; the operator's own
    ``power_norms`` (torch: no host round trip per step) when it has one."""
    inner = op.inner if isinstance(op, Counted) else op
    fast = getattr(inner, "power_norms", None)
    if fast is not None and stop is None:
        N, X = fast(V, horizon)
        if isinstance(op, Counted):
            op.products += V.shape[1] * horizon
        return np.asarray(N), np.asarray(X)
    N = [np.linalg.norm(V, axis=0)]
    X = V
    for t in range(1, horizon + 1):
        X = product(op, X)
        N.append(np.linalg.norm(X, axis=0))
        if stop is not None and stop(t, np.array(N)):
            break
    return np.array(N), X


def _power(op, v, t):
    for _ in range(t):
        v = product(op, v)
    return v


def _power_adjoint(op, u, t):
    for _ in range(t):
        u = adjoint_product(op, u)
    return u


def transient_krylov(A, horizon: int | None = None, *, block: int = 4, rounds: int = 8,
                     lanczos_steps: int = 10, maxiter: int = 1000, seed: int = 0):
    """Witnessed lower bounds on ||A^t|| for t = 0..horizon from products only.

    1. A block of ``block`` random unit vectors is pushed forward: ||A^t v_j|| (one product
       per vector and step).  horizon None: until the largest falls below
       min(0.5, 1e-3 peak), or t = ``maxiter``.
    2. Each round picks the step t* >= 1 where the curve peaks, else the next of horizon,
       horizon / 2, horizon / 4, ..., 1 (random vectors hold little of the most amplified
       direction and may place the peak anywhere), runs max(3, min(60, 50
       ``lanczos_steps`` / t*)) steps of Lanczos on (A^t*)^H A^t* (2 t* products each),
       warm-started at the vector that is best there, and pushes the Ritz vector forward
       (``horizon`` products), lifting the curve wherever it does better.  ``rounds``
       rounds, each about 100 ``lanczos_steps`` + ``horizon`` products.

    Every value is ||A^t v|| / ||v|| for a stored unit v (``witness`` attains the sup,
    re-checked in float64); nothing is an upper bound (``sup_upper`` is inf).
    """
    op = Counted(A)
    n = op.shape[0]
    rng = np.random.default_rng(seed)
    cplx = is_complex(op)
    V = random_unit(n, rng, cplx, k=block)
    if horizon is None:
        def stop(t, N):
            top = N.max(axis=1)
            return top[-1] <= min(0.5, 1e-3 * top.max()) or t >= maxiter
        N, _ = _power_norms(op, V, maxiter, stop)
        horizon = N.shape[0] - 1
        capped = horizon >= maxiter
    else:
        horizon = int(horizon)
        if horizon < 1:
            raise InputError(f"horizon must be >= 1 step, got {horizon}")
        N, _ = _power_norms(op, V, horizon)
        capped = False
    curve = N.max(axis=1)
    vectors = [V[:, j] for j in range(block)]
    owner = N.argmax(axis=1)  # index into vectors of the best vector at each t
    done: set[int] = set()
    def peak():  # t >= 1: at t = 0 every vector gives 1
        return 1 + int(np.argmax(curve[1:]))

    grid = sorted({max(1, horizon >> k) for k in range(int(math.log2(horizon)) + 1)},
                  reverse=True)
    queue = [peak()] + grid
    for _ in range(max(1, rounds)):
        todo = [t for t in queue if t > 0 and t not in done]
        if not todo:
            break
        t = todo[0]
        done.add(t)

        def gram(v, t=t):
            return _power_adjoint(op, _power(op, v, t), t)

        v0 = vectors[owner[t]] + 1e-3 * random_unit(n, rng, cplx)
        # about 1000 products a round: many steps at small t (the top singular values of
        # A^t may cluster), at least 3 at large t (from a warm start: 3 power steps and more)
        steps = max(3, min(60, lanczos_steps * 50 // t))
        v = lanczos_top(gram, n, rng, v0=v0, kmax=steps, rtol=1e-8,
                        keep_basis=True, complex_=cplx).vector
        Nv, _ = _power_norms(op, v[:, None], horizon)
        vectors.append(v)
        better = Nv[:, 0] > curve
        curve = np.where(better, Nv[:, 0], curve)
        owner = np.where(better, len(vectors) - 1, owner)
        queue = [peak()] + queue[1:]
    i = int(np.argmax(curve))
    witness = vectors[owner[i]]
    # the witness re-checked in float64 (one forward sweep to argmax)
    wop = witness_operator(op)
    sup = float(np.linalg.norm(_power(wop, witness, i))) if i > 0 else 1.0
    t = np.arange(curve.size, dtype=float)
    msg = (f"lower bounds ||A^t v|| / ||v|| (witnessed) from {op.products} products; "
           f"sup >= {sup:.6g} at t = {i}{witness_note(wop)}")
    if capped:
        msg += f"; stopped after {maxiter} steps before the curve decayed"
    return TransientResult(
        kind="discrete", t=t, norms=curve, sup=sup, argmax=float(i), sup_upper=math.inf,
        certified=False, horizon=float(t[-1]), n=n, spectral_radius=math.nan,
        spectral_abscissa=math.nan, norm=float(curve[1]) if curve.size > 1 else math.nan,
        evaluations=op.products, rounding=0.0, message=msg, method="krylov",
        witness=witness)


__all__ = ["transient_krylov"]
