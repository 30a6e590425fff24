"""Matrix-free stability, transient and Kreiss analysis from products A v and A^H v only.

For operators too large to factor (10^4 - 10^7 unknowns: a model's Jacobian by JVP / VJP,
a sparse discretisation), nothing can be certified from above without a shifted solve, but
every lower bound below comes with a **witness** that one more product re-checks, and the
upper bounds that structure allows are **probabilistic** with a stated failure probability
(statuses: :mod:`.operator`).

* **Stability** (:func:`stability`): the outermost (rightmost) eigenvalues by ARPACK, each
  with its residual r = ||A x - lambda x|| / ||x||: lambda is an exact eigenvalue of A + E
  with ||E|| = r (the Ritz pair's backward error), so sigma_min(lambda I - A) <= r.
* **Transient** (:func:`transient_krylov`): ||A^t|| >= ||A^t v|| / ||v|| for any v.  A block
  of random vectors is pushed forward to find the peak region; at the candidate peaks
  Lanczos on (A^t)^H A^t gives a near-optimal v, whose forward sweep raises the whole curve.
* **Kreiss constant** (:func:`kreiss_krylov`): Arnoldi's A V_m = V_{m+1} H gives
  sigma_min(z I~ - H) >= sigma_min(zI - A) (Toh & Trefethen, SIAM J. Sci. Comput. 17, 1996),
  so maximising (|z| - 1) / sigma_min(z I~ - H) over the small H finds z and x = V_m y with
  K(A) >= (|z| - 1) ||x|| / ||(zI - A) x||, recomputed with one product.  A restart from the
  witness x refines it.  Upper bound: when the operator is block lower-triangular with
  symmetric diagonal blocks (the paper's class; checked on random probes), the sharp class
  bound (x + 1/x)/2, x = c / (2(1 - gamma)), with gamma and c = ||C|| bounded from above by
  Lanczos (Kuczynski & Wozniakowski 1992): it holds with probability >= 1 - delta.
* **Pseudospectra** (:func:`pseudospectra_krylov`): sigma_min(z I~ - H) on a grid, an upper
  bound of sigma_min(zI - A), so each computed eps-level set lies *inside* Lambda_eps(A)
  (the Wright-Trefethen / EigTool projection; Wright & Trefethen, SIAM J. Sci. Comput. 23,
  2001): an inner approximation.
* **Pseudospectral radius / abscissa** (:func:`pseudospectral_krylov`): the outermost
  (rightmost) point of the projected level set, witnessed by ||(zI - A)x|| <= eps ||x||;
  above: ||A|| + eps (omega(A) + eps), probabilistic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from ..errors import InputError
from ..jsonout import jsonable
from .krylov import (
    Counted,
    arnoldi,
    arpack_eigs,
    lanczos_top,
    random_unit,
    sigma_min_rect,
)
from .threads import one_blas_thread

#: failure probability of each probabilistic bound (union bounds add them up)
DELTA = 1e-6
#: default Arnoldi dimension for the projections
KRYLOV_DIM = 80


def _complex(op) -> bool:
    return np.issubdtype(np.dtype(op.dtype), np.complexfloating)


def _apply(op, V, adjoint: bool = False):
    """op @ V (op^H @ V with ``adjoint``) for real or complex V: a real operator is applied
    to the real and imaginary parts."""
    V = np.asarray(V)
    one = V.ndim == 1
    V2 = V.reshape(V.shape[0], -1)
    f = op.rmatmat if adjoint else op.matmat
    if np.iscomplexobj(V2) and not _complex(op):
        out = np.asarray(f(np.ascontiguousarray(V2.real))) + 1j * np.asarray(
            f(np.ascontiguousarray(V2.imag)))
    else:
        out = np.asarray(f(V2))
    return out.reshape(-1) if one else out


def _apply_adjoint(op, U):
    return _apply(op, U, adjoint=True)


def _witness_operator(op):
    """The operator that re-checks witnesses: a float64 twin where the operator offers one
    (the coupled layer's float32 / GPU operators do), else the operator itself."""
    inner = op.inner if isinstance(op, Counted) else op
    twin = getattr(inner, "float64", None)
    return twin() if callable(twin) else op


# ------------------------------------------------------------------------------ norms


def norm_bound(op, rng, delta: float = DELTA, rtol: float = 1e-3, kmax: int = 300):
    """||A|| by Lanczos on A^H A: (estimate, probabilistic upper bound, failure probability)."""
    n = op.shape[0]
    lb = lanczos_top(lambda v: _apply_adjoint(op, _apply(op, v)), n, rng, delta=delta,
                     rtol=rtol, kmax=kmax, complex_=_complex(op))
    return math.sqrt(lb.estimate), math.sqrt(lb.upper), lb.failure


def numerical_abscissa_bound(op, rng, norm_upper: float, delta: float = DELTA,
                             rtol: float = 1e-3, kmax: int = 300):
    """omega(A) = lambda_max((A + A^H)/2): (estimate, upper, failure).  The Hermitian part
    plus s I (s = an upper bound of ||A||) is PSD, so the Kuczynski-Wozniakowski bound
    applies to it: omega <= (theta + s) / (1 - eps) - s."""
    n = op.shape[0]
    s = norm_upper if math.isfinite(norm_upper) else 0.0

    def apply(v):
        return (_apply(op, v) + _apply_adjoint(op, v)) / 2 + s * v

    lb = lanczos_top(apply, n, rng, delta=delta, rtol=rtol, kmax=kmax, complex_=_complex(op))
    upper = lb.upper - s if math.isfinite(norm_upper) else math.inf
    return lb.estimate - s, upper, lb.failure


# ------------------------------------------------------------------------------ stability


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


def _verdict(kind, lam, res, converged):
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
        F = arnoldi(op, random_unit(n, rng, _complex(op)), KRYLOV_DIM, rng)
        mm = F.H.shape[1]
        theta, Y = np.linalg.eig(F.H[:mm, :mm])
        keep = (np.argsort(-np.abs(theta)) if which == "LM" else np.argsort(-theta.real))[:k]
        X = F.V[:, :mm] @ Y[:, keep]
        lam = theta[keep]
        R = _apply(op, X) - X * lam[None, :]
        res = np.linalg.norm(R, axis=0) / np.linalg.norm(X, axis=0)
    nrm, nrm_up, p1 = norm_bound(op, rng)
    om, om_up, p2 = numerical_abscissa_bound(op, rng, nrm_up)
    verdict, msg = _verdict(kind, lam, res, converged)
    rho, alpha = float(np.max(np.abs(lam))), float(np.max(lam.real))
    order = np.argsort(-np.abs(lam)) if kind == "discrete" else np.argsort(-lam.real)
    return StabilityResult(
        kind=kind, method="krylov", spectral_radius=rho, spectral_abscissa=alpha,
        eigenvalues=lam[order], residuals=res[order], status="estimate", verdict=verdict,
        norm=nrm, norm_upper=nrm_up, numerical_abscissa=om, numerical_abscissa_upper=om_up,
        failure_probability=p1 + p2, converged=bool(converged), n=n, products=op.products,
        message=msg)


def _stability_dense(M, kind) -> StabilityResult:
    from .radii import numerical_abscissa
    from .schur import SchurForm, schur_form

    S = M if isinstance(M, SchurForm) else schur_form(M)
    lam = S.eigenvalues
    res = np.full(lam.size, S.n * np.finfo(float).eps * S.norm)
    order = np.argsort(-np.abs(lam)) if kind == "discrete" else np.argsort(-lam.real)
    verdict, msg = _verdict(kind, lam[order], res[order], True)
    msg = msg.replace(" that ARPACK missed is not excluded (estimate)", " (all n computed)")
    om = numerical_abscissa(S)
    return StabilityResult(
        kind=kind, method="dense", spectral_radius=S.spectral_radius,
        spectral_abscissa=S.spectral_abscissa, eigenvalues=lam[order], residuals=res[order],
        status="estimate", verdict=verdict, norm=S.norm, norm_upper=S.norm,
        numerical_abscissa=om, numerical_abscissa_upper=om, failure_probability=0.0,
        converged=True, n=S.n, products=0, message=msg)


# ------------------------------------------------------------------------------ transient


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
        X = _apply(op, X)
        N.append(np.linalg.norm(X, axis=0))
        if stop is not None and stop(t, np.array(N)):
            break
    return np.array(N), X


def _power(op, v, t):
    for _ in range(t):
        v = _apply(op, v)
    return v


def _power_adjoint(op, u, t):
    for _ in range(t):
        u = _apply_adjoint(op, u)
    return u


def transient_krylov(A, horizon: int | None = None, *, block: int = 4, rounds: int = 8,
                     lanczos_steps: int = 10, max_steps: int = 1000, seed: int = 0):
    """Witnessed lower bounds on ||A^t|| for t = 0..horizon from products only.

    1. A block of ``block`` random unit vectors is pushed forward: ||A^t v_j|| (one product
       per vector and step).  horizon None: until the largest falls below
       min(0.5, 1e-3 peak), or ``max_steps``.
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
    from .transient import TransientResult

    op = Counted(A)
    n = op.shape[0]
    rng = np.random.default_rng(seed)
    cplx = _complex(op)
    V = random_unit(n, rng, cplx, k=block)
    if horizon is None:
        def stop(t, N):
            top = N.max(axis=1)
            return top[-1] <= min(0.5, 1e-3 * top.max()) or t >= max_steps
        N, _ = _power_norms(op, V, max_steps, stop)
        horizon = N.shape[0] - 1
        capped = horizon >= max_steps
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
    wop = _witness_operator(op)
    sup = float(np.linalg.norm(_power(wop, witness, i))) if i > 0 else 1.0
    t = np.arange(curve.size, dtype=float)
    msg = (f"lower bounds ||A^t v|| / ||v|| (witnessed) from {op.products} products; "
           f"sup >= {sup:.6g} at t = {i}")
    if capped:
        msg += f"; stopped after {max_steps} steps before the curve decayed"
    return TransientResult(
        kind="discrete", t=t, norms=curve, sup=sup, argmax=float(i), sup_upper=math.inf,
        certified=False, horizon=float(t[-1]), n=n, spectral_radius=math.nan,
        spectral_abscissa=math.nan, norm=float(curve[1]) if curve.size > 1 else math.nan,
        evaluations=op.products, rounding=0.0, message=msg, method="krylov",
        witness=witness)


# ------------------------------------------------------------------------------ Kreiss


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


def _projected_maximiser(H, kind, scale, start=None):
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
    from .kreiss_constant import KreissResult

    op = Counted(A)
    n = op.shape[0]
    rng = np.random.default_rng(seed)
    cplx = _complex(op)
    m = int(min(n, m or KRYLOV_DIM))
    wop = _witness_operator(op)
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
        z, _ = _projected_maximiser(
            H, kind, scale, start=best[1] if math.isfinite(best[1].real) else None)
        _, Y = sigma_min_rect(H, z)
        x = F.V[:, :mm] @ Y[0]
        if not cplx and abs(z.imag) <= 1e-14 * abs(z):
            x, z = x.real, complex(z.real, 0.0)
        r = z * x - _apply(wop, x)
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
        upper, failure, note = _class_upper(op, blocks, rng, delta)
        upper_status = "probabilistic" if math.isfinite(upper) else "certified"
    msg = (f"K >= {lower:.6g} witnessed at z = {zbest:.6g} (Arnoldi m = {m}, "
           f"{op.products} products); {note}")
    return KreissResult(
        value=lower, lower=lower, upper=max(upper, lower), z=zbest, kind=kind, n=n,
        spectral_radius=ritz_rho, spectral_abscissa=ritz_alpha, norm=math.nan,
        converged=False, sigma_evaluations=0, level_set_tests=0, nodes=0, message=msg,
        method="krylov", lower_status="witnessed", upper_status=upper_status,
        failure_probability=failure, products=op.products, witness=witness)


# ------------------------------------------------------------------------------ structure


class _Block:
    """Products with one block of a square operator split after p: rows ``r``, columns ``c``
    (each "x" = first p coordinates or "y" = the rest)."""

    def __init__(self, op, p, rows, cols):
        self.op, self.p, self.rows, self.cols = op, p, rows, cols
        self.n = op.shape[0]

    def _embed(self, v, part):
        out = np.zeros(self.n, dtype=np.result_type(v, np.float64))
        if part == "x":
            out[: self.p] = v
        else:
            out[self.p :] = v
        return out

    def _take(self, w, part):
        return w[: self.p] if part == "x" else w[self.p :]

    def matvec(self, v):
        return self._take(_apply(self.op, self._embed(v, self.cols)), self.rows)

    def rmatvec(self, u):
        return self._take(_apply_adjoint(self.op, self._embed(u, self.rows)), self.cols)

    @property
    def size(self):
        return self.p if self.cols == "x" else self.n - self.p


def block_tags(A, blocks, *, probes: int = 2, rtol: float = 1e-10, seed: int = 0) -> dict:
    """Whether J = [[A, B], [C, D]] (split after p) has B = 0 and symmetric A and D, tested
    on random probes: ||B v|| <= rtol ||J|| ||v|| and |u^T A v - v^T A u| <= rtol ...
    For a fixed nonzero B (asymmetric A) a Gaussian probe passes with probability 0 in exact
    arithmetic; the tolerance ``rtol`` (relative to the products' size) absorbs rounding.
    Returns {"block_triangular", "symmetric_A", "symmetric_D"} -> bool."""
    op = A
    n = op.shape[0]
    p, q = blocks
    if p + q != n or p <= 0 or q <= 0:
        raise InputError(f"blocks {tuple(blocks)} do not split an operator of order {n}")
    rng = np.random.default_rng(seed)
    Bl = _Block(op, p, "x", "y")
    Al, Dl = _Block(op, p, "x", "x"), _Block(op, p, "y", "y")
    tri = symA = symD = True
    for _ in range(probes):
        w = rng.standard_normal(n)
        Jw = _apply(op, w)
        scale = float(np.linalg.norm(Jw)) + float(np.linalg.norm(w))
        tri &= float(np.linalg.norm(Bl.matvec(w[p:]))) <= rtol * scale
        for blk, size, flag in ((Al, p, "A"), (Dl, q, "D")):
            u, v = rng.standard_normal(size), rng.standard_normal(size)
            Av, Au = blk.matvec(v), blk.matvec(u)
            bound = rtol * (np.linalg.norm(Av) * np.linalg.norm(u)
                            + np.linalg.norm(Au) * np.linalg.norm(v) + 1e-300)
            ok = abs(float(u @ Av) - float(v @ Au)) <= bound
            if flag == "A":
                symA &= ok
            else:
                symD &= ok
    return {"block_triangular": bool(tri), "symmetric_A": bool(symA), "symmetric_D": bool(symD)}


def _class_upper(op, blocks, rng, delta):
    """Sharp class bound with gamma >= rho(A), rho(D) and c >= ||C|| from Lanczos:
    (upper, failure probability, note)."""
    from .blocks import sharp_kreiss_constant_value

    tags = block_tags(op, blocks)
    if not all(tags.values()):
        missing = [k for k, v in tags.items() if not v]
        return math.inf, 0.0, "no upper bound: not in the paper's class (" + \
            ", ".join(missing) + " fails on random probes)"
    p, _ = blocks
    d = delta / 3
    ups, fail = [], 0.0
    for rows, cols in (("x", "x"), ("y", "y"), ("y", "x")):
        blk = _Block(op, p, rows, cols)
        lb = lanczos_top(lambda v, b=blk: b.rmatvec(b.matvec(v)), blk.size, rng, delta=d,
                         rtol=1e-6, kmax=400)
        ups.append(math.sqrt(lb.upper))
        fail += lb.failure
    gamma, c = max(ups[0], ups[1]), ups[2]
    if not gamma < 1:
        return math.inf, 0.0, (f"no upper bound: the probabilistic bound on gamma is "
                               f"{gamma:.6g} >= 1")
    value, _ = sharp_kreiss_constant_value(gamma, c)
    return value, fail, (f"K <= {value:.6g} with probability >= 1 - {fail:.1g} (sharp class "
                         f"bound, gamma <= {gamma:.6g}, ||C|| <= {c:.6g} by Lanczos)")


# ------------------------------------------------------------------------------ pseudospectra


@one_blas_thread
def pseudospectra_krylov(A, real=None, imag=None, *, npts: int = 100, m: int | None = None,
                         seed: int = 0):
    """sigma_min(z I~ - H) on a grid: upper bounds of sigma_min(zI - A), so every level set
    drawn is an inner approximation of the pseudospectrum (module docstring)."""
    from .pseudospectra import PseudospectraResult

    op = Counted(A)
    n = op.shape[0]
    rng = np.random.default_rng(seed)
    m = int(min(n, m or KRYLOV_DIM))
    F = arnoldi(op, random_unit(n, rng, _complex(op)), m, rng)
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
    from scipy.optimize import minimize_scalar

    from .radii import PseudospectralResult

    op = Counted(A)
    n = op.shape[0]
    rng = np.random.default_rng(seed)
    cplx = _complex(op)
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
        res = minimize_scalar(lambda b: -outermost(b), bounds=(b_best - width, b_best + width),
                              method="bounded", options={"xatol": 1e-8, "maxiter": 25})
        if -res.fun > c_best:
            c_best, b_best = float(-res.fun), float(res.x)
    wop = _witness_operator(op)
    lower, zbest, witness, ok = -math.inf, complex(math.nan, math.nan), None, False
    if math.isfinite(c_best):
        z = point(c_best, b_best)
        _, Y = sigma_min_rect(H, z)
        x = F.V[:, :mm] @ Y[0]
        check = float(np.linalg.norm(z * x - _apply(wop, x)) / np.linalg.norm(x))
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
           f"with probability >= 1 - {fail:.1g}; {op.products} products"
           if ok else f"{sym}: no witnessed point (the projected level set gave none); "
           f"<= {upper:.10g} with probability >= 1 - {fail:.1g}")
    return PseudospectralResult(
        quantity=quantity, eps=eps, value=lower, lower=lower, upper=upper, z=zbest,
        certified=False, iterations=0, level_set_tests=0, n=n, message=msg, method="krylov",
        lower_status="witnessed" if ok else "certified",
        upper_status="probabilistic", failure_probability=fail, products=op.products,
        witness=witness)


# ------------------------------------------------------------------------------ one call


@dataclass(frozen=True)
class MatrixFreeAnalysis:
    """What a user with a large J gets from one call (:func:`analyze_operator`): a stability
    verdict, the transient lower-bound curve with its peak, and the Kreiss lower bound with
    its witness, each with its status."""

    stability: StabilityResult
    transient: object
    kreiss: object
    seconds: float

    def to_dict(self) -> dict:
        return {"stability": self.stability.to_dict(), "transient": self.transient.to_dict(),
                "kreiss": self.kreiss.to_dict(), "seconds": self.seconds}

    def summary(self) -> str:
        s, tr, k = self.stability, self.transient, self.kreiss
        up = "inf" if not math.isfinite(k.upper) else f"{k.upper:.6g} ({k.upper_status}, " \
            f"failure probability {k.failure_probability:.1g})"
        return "\n".join([
            f"n = {s.n}, matrix-free ({s.products + tr.evaluations + k.products} products, "
            f"{self.seconds:.1f} s)",
            f"stability: {s.verdict}; rho ~ {s.spectral_radius:.6g} ({s.message})",
            f"||J|| in [{s.norm:.6g}, {s.norm_upper:.6g}] (upper probabilistic)",
            f"sup_t ||J^t|| >= {tr.sup:.6g} at t = {tr.argmax:.0f} (witnessed, t <= "
            f"{tr.horizon:.0f})",
            f"K(J) >= {k.lower:.6g} at z = {k.z:.6g} (witnessed); K(J) <= {up}",
        ])


def analyze_operator(A, *, horizon: int = 200, blocks=None, seed: int = 0
                     ) -> MatrixFreeAnalysis:
    """Stability verdict, transient lower-bound curve to ``horizon`` and the Kreiss lower
    bound (plus the class upper bound when ``blocks`` is given and holds) of a large
    operator, matrix-free."""
    import time

    from .operator import as_operator

    t0 = time.perf_counter()
    blocks = blocks or getattr(A, "blocks", None)
    A = as_operator(A)
    st = stability(A, method="krylov", seed=seed)
    tr = transient_krylov(A, horizon, seed=seed)
    k = kreiss_krylov(A, blocks=blocks, seed=seed)
    return MatrixFreeAnalysis(stability=st, transient=tr, kreiss=k,
                              seconds=time.perf_counter() - t0)


__all__ = ["MatrixFreeAnalysis", "StabilityResult", "analyze_operator",
           "block_tags", "kreiss_krylov", "norm_bound", "pseudospectra_krylov",
           "pseudospectral_krylov", "stability", "transient_krylov"]
