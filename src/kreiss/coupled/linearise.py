"""One look at an update map w -> step(w) at a point: the quantities the training monitor
records, dense (certified) for small models, from products for large ones.

Both paths return a :class:`Linearisation` with the same fields.  Notation: J = d step / dw
at w, split after p as [[A, B], [C, D]] (x = the first p coordinates, y = the rest).

* **dense** (n <= ``dense_max``): J by ``torch.func.jacfwd``; rho(J) from all eigenvalues,
  the certified Kreiss bracket (:func:`kreiss.linalg.kreiss_constant`, infinite when
  rho >= 1), the certified sup_{t <= horizon} ||J^t|| (:func:`kreiss.linalg.transient`),
  exact block norms and symmetry defects, the numerical abscissa.
* **krylov**: ``krylov`` steps of Arnoldi on J^T (vector-Jacobian products, the cheap
  direction of reverse-mode autodiff; J^T has the same spectrum up to conjugation, the same
  Kreiss constant, since sigma_min(zI - J^T) = sigma_min(zI - J), and ||(J^T)^t|| = ||J^t||)
  from ``start`` (the previous look's witness: the monitor tracks the amplified subspace
  as training moves).  From J^T V_m = V_{m+1} H:
  - Ritz values with residuals |h_{m+1,m}| |e_m^T y| (each an exact eigenvalue of J + E
    with ||E|| <= residual), status ``estimate``;
  - K(J) >= (|z| - 1) ||x|| / ||(zI - J^T) x||, maximised over z on the projection
    (Toh & Trefethen, SIAM J. Sci. Comput. 17, 1996) and re-checked with one product
    (``witnessed``);
  - ||J^t|| >= sigma_max(H_{k+t} ... H_{k+1}) for t < m, k = m + 1 - t, since
    (J^T)^t V_k = V_{k+t} H[:k+t, :k+t-1] ... H[:k+1, :k] (``estimate``: exact up to the
    basis's orthogonality, which CGS2 keeps at working precision);
  - ||B|| and ||C|| from below and the symmetry defects of A and D on four block probes
    [a; 0], [b; 0], [0; c], [0; d] in one batched product: ||B^T a||, ||C^T c|| and
    |b.(A^T a) - a.(A^T b)| / max(||A^T a||, ||A^T b||) (zero for a symmetric A; a
    random-probe estimate otherwise).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

#: the monitor's Kreiss tolerance on the dense path (relative gap of the bracket)
KREISS_TOL = 1e-3


@dataclass(frozen=True)
class Look:
    """What one look at J found: the numbers a :class:`.monitor.MonitorRecord` carries.
    ``*_status``: certified / witnessed / estimate (module docstring)."""

    method: str
    n: int
    p: int
    rho: float
    rho_residual: float
    rho_status: str
    verdict: str
    K_lower: float
    K_upper: float
    K_status: str
    K_z: complex
    transient_peak: float
    transient_argmax: float
    transient_horizon: float
    transient_status: str
    norm_B: float
    norm_C: float
    asym_A: float
    asym_D: float
    paper_class: bool
    numerical_abscissa: float
    products: int


@dataclass(frozen=True)
class Linearisation(Look):
    """A :class:`Look` with the vectors the monitor carries on."""

    #: unit vector that the frozen J amplifies most over the transient window (the
    #: monitor's perturbation direction) and the next look's Arnoldi start
    direction: np.ndarray = field(repr=False, compare=False)
    start: np.ndarray = field(repr=False, compare=False)
    #: the dense J (dense path only)
    J: np.ndarray | None = field(default=None, repr=False, compare=False)


def _defect(M: np.ndarray) -> float:
    """||M - M^T||_F / ||M||_F (0 for the zero matrix)."""
    nrm = float(np.linalg.norm(M))
    return float(np.linalg.norm(M - M.T)) / nrm if nrm > 0 else 0.0


def dense_look(step, w, p: int, *, horizon: int) -> Linearisation:
    """The dense path (module docstring) at the flat torch point ``w`` (its precision)."""
    from ..errors import UnstableError
    from ..linalg import kreiss_constant, schur_form, transient
    from ..linalg.matfree import stability
    from .jacobian import _dense

    cj = _dense(step, w, p, method="step")
    J = np.asarray(cj.J)
    n = J.shape[0]
    S = schur_form(J)  # one Schur form for the radius, K, the transient and omega
    st = stability(S)
    if st.spectral_radius < 1:
        try:
            K = kreiss_constant(J, tol=KREISS_TOL, schur=S)
            k_lo, k_up, k_st, k_z = K.lower, K.upper, "certified", complex(K.z)
        except UnstableError:  # rho within rounding of 1
            k_lo = k_up = math.inf
            k_st, k_z = "unstable", complex(math.nan, 0)
    else:
        k_lo = k_up = math.inf
        k_st, k_z = "unstable", complex(math.nan, 0)
    tr = transient(None, horizon=horizon, schur=S)
    U, _, Vt = np.linalg.svd(np.linalg.matrix_power(J, max(int(tr.argmax), 1)))
    A, D = J[:p, :p], J[p:, p:]
    return Linearisation(
        method="dense", n=n, p=p, rho=st.spectral_radius,
        rho_residual=float(np.max(st.residuals)) if st.residuals.size else 0.0,
        rho_status=st.status, verdict=st.verdict, K_lower=k_lo, K_upper=k_up, K_status=k_st,
        K_z=k_z, transient_peak=tr.sup, transient_argmax=tr.argmax,
        transient_horizon=float(horizon), transient_status="certified",
        norm_B=float(np.linalg.norm(J[:p, p:], 2)) if n > p else 0.0,
        norm_C=float(np.linalg.norm(J[p:, :p], 2)) if n > p else 0.0,
        asym_A=_defect(A), asym_D=_defect(D) if n > p else 0.0,
        paper_class=bool(cj.structure.paper_class), numerical_abscissa=st.numerical_abscissa,
        products=n, direction=Vt[0].copy(), start=U[:, 0].copy(), J=J)


def _projected_transient(H: np.ndarray) -> tuple[np.ndarray, list]:
    """sigma_max of (J^T)^t restricted to V_k, k = m + 1 - t, for t = 1..m-1, from
    J^T V_m = V_{m+1} H (module docstring); also the right singular vectors y (length k)."""
    m = H.shape[1]
    peaks, vecs = [], []
    for t in range(1, m):
        _, s, Vh = np.linalg.svd(_chain(H, m + 1 - t, t))
        peaks.append(float(s[0]))
        vecs.append(Vh[0].conj())
    return np.array(peaks), vecs


def krylov_look(step, w, p: int, *, m: int, start, rng: np.random.Generator
                ) -> Linearisation:
    """The matrix-free path (module docstring) at the flat torch point ``w``.

    numpy's BLAS gets one thread here: its few small calls between torch's products would
    otherwise leave its worker threads spinning against torch's (measured on the 10^5
    GAN: 81 ms per vector-Jacobian product inside Arnoldi instead of 33-41 ms)."""
    from ..linalg.threads import blas_threads

    with blas_threads(1):
        return _krylov_look(step, w, p, m=m, start=start, rng=rng)


def _krylov_look(step, w, p: int, *, m: int, start, rng: np.random.Generator
                 ) -> Linearisation:
    from ..linalg.krylov import Counted, arnoldi, random_unit, sigma_min_rect
    from ..linalg.matfree import projected_maximiser, stability_verdict, witness_status
    from .jacobian import TorchJacobianOperator

    n = w.numel()
    op = TorchJacobianOperator(step, w, (p, n - p))
    opT = Counted(op.T)
    v0 = random_unit(n, rng) if start is None else start + 1e-3 * random_unit(n, rng)
    F = arnoldi(opT, v0, m, rng)
    H, mm = F.H, F.H.shape[1]
    theta, Y = np.linalg.eig(H[:mm, :mm])
    tail = 0.0 if F.breakdown else abs(H[mm, mm - 1])
    res = tail * np.abs(Y[-1, :]) / np.linalg.norm(Y, axis=0)
    top = int(np.argmax(np.abs(theta)))
    verdict, _ = stability_verdict("discrete", theta, res, converged=True)
    # K from below: the projected maximiser, re-checked with one product
    z, _ = projected_maximiser(H, "discrete", float(np.linalg.norm(H, 2)))
    _, Yz = sigma_min_rect(H, z)
    x = F.V[:, :mm] @ Yz[0]
    if abs(z.imag) <= 1e-14 * abs(z):
        x, z = x.real, complex(z.real, 0.0)
    r = z * x - opT.matvec(x)
    k_lo = max(1.0, (abs(z) - 1) * float(np.linalg.norm(x) / np.linalg.norm(r)))
    # transient from below on t < m, and the input direction J amplifies most
    peaks, ys = _projected_transient(H)
    i = int(np.argmax(peaks))
    t_star, k = i + 1, mm - i
    u = F.V[:, :k] @ ys[i]  # (J^T)^t u is large, so J^t amplifies direction (J^T)^t u
    d = F.V[:, : k + t_star] @ (_chain(H, k, t_star) @ ys[i])
    direction = np.real(d) / np.linalg.norm(np.real(d))
    # block probes: J^T [a; 0] = [A^T a; B^T a], J^T [0; c] = [C^T c; D^T c]
    q = n - p
    P = np.zeros((n, 4 if q else 2))  # a single player (q = 0): no B, C, D
    P[:p, :2] = rng.standard_normal((p, 2))
    if q:
        P[p:, 2:] = rng.standard_normal((q, 2))
    P /= np.linalg.norm(P, axis=0)
    R = opT.matmat(P)
    asym_A = _probe_defect(P[:p, 0], P[:p, 1], R[:p, 0], R[:p, 1])
    norm_B = norm_C = asym_D = 0.0
    if q:
        norm_B = float(max(np.linalg.norm(R[p:, 0]), np.linalg.norm(R[p:, 1])))
        norm_C = float(max(np.linalg.norm(R[:p, 2]), np.linalg.norm(R[:p, 3])))
        asym_D = _probe_defect(P[p:, 2], P[p:, 3], R[p:, 2], R[p:, 3])
    scale = float(np.linalg.norm(H, 2))
    tol = 1e-10 * max(scale, 1.0)
    start_next = np.real(u) / np.linalg.norm(np.real(u)) if np.any(np.real(u)) else None
    return Linearisation(
        method="krylov", n=n, p=p, rho=float(abs(theta[top])),
        rho_residual=float(res[top]), rho_status="estimate", verdict=verdict,
        K_lower=k_lo, K_upper=math.inf, K_z=complex(z), K_status=witness_status(op),
        transient_peak=max(1.0, float(peaks[i])), transient_argmax=float(t_star),
        transient_horizon=float(mm - 1), transient_status="estimate", norm_B=norm_B,
        norm_C=norm_C, asym_A=asym_A, asym_D=asym_D,
        paper_class=bool(norm_B <= tol and asym_A <= 1e-10 and asym_D <= 1e-10),
        numerical_abscissa=math.nan, products=opT.products,
        direction=direction, start=start_next if start_next is not None else v0)


def _chain(H: np.ndarray, k: int, t: int) -> np.ndarray:
    """H[:k+t, :k+t-1] ... H[:k+1, :k]: (J^T)^t V_k = V_{k+t} times this."""
    P = H[: k + 1, :k]
    for j in range(k + 1, k + t):
        P = H[: j + 1, :j] @ P
    return P


def _probe_defect(a, b, Ata, Atb) -> float:
    """|b.(A^T a) - a.(A^T b)| / max(||A^T a||, ||A^T b||): zero when A is symmetric."""
    scale = max(float(np.linalg.norm(Ata)), float(np.linalg.norm(Atb)))
    return abs(float(b @ Ata) - float(a @ Atb)) / scale if scale > 0 else 0.0
