"""The paper's problems as seeded generators (numpy only).

* :func:`paper_class_instance` -- a member of the paper's class C(gamma, c) (Theorem 7):
  J = [[A, 0], [C, D]] with A, D symmetric, rho(A) = rho(D) = gamma exactly, ||C|| = c exactly,
  C of a chosen rank, spectra of a chosen shape (:data:`SHAPES`).
* :func:`lq_bilevel` -- the linear-quadratic bilevel problem of Section 7 as data
  (M, b, N, P), its coupled-GD Jacobian derived analytically, and a documented way to reach
  a prescribed gamma and ||C|| (the paper does not say how its instances were drawn).
* :func:`gradient_flow_instance` -- the continuous-time gradient flow of Appendix N.
* :func:`time_varying_sequence` -- a sequence J_0, ..., J_{T-1} satisfying Assumption 21
  (Appendix L).

Every generator takes ``seed`` (anything :func:`numpy.random.default_rng` accepts) and records
its parameters in ``.params`` so a run can be repeated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from ._blocks import BlockViews, frozen_array

#: Spectrum shapes. Each is a profile s in [0, 1] mapped to eigenvalues gamma * (1 - 2 s) in
#: [-gamma, gamma] (discrete time) or mu + (L - mu) s in [mu, L] (gradient flow); the first
#: eigenvalue always has s = 0, so rho = gamma (resp. the smallest curvature is mu) exactly.
#:
#: ``uniform``   s ~ U[0, 1]: eigenvalues uniform in [-gamma, gamma]
#: ``linspace``  s evenly spaced in [0, 1] (both ends attained, deterministic)
#: ``positive``  s ~ U[0, 1/2]: eigenvalues in [0, gamma] (gradient steps alpha <= 1/L)
#: ``clustered`` s ~ U[0, 0.05]: eigenvalues clustered in [0.9 gamma, gamma]
#: ``two-point`` s alternating 0, 1: eigenvalues {+gamma, -gamma}
#: ``constant``  s = 0: all eigenvalues gamma (A = gamma I)
#: ``constant-negative`` s = 1 (except the first): all eigenvalues -gamma but one
SHAPES = (
    "uniform",
    "linspace",
    "positive",
    "clustered",
    "two-point",
    "constant",
    "constant-negative",
)


def _profile(n: int, shape: str, rng: np.random.Generator) -> np.ndarray:
    if shape == "uniform":
        s = rng.uniform(0.0, 1.0, n)
    elif shape == "linspace":
        s = np.linspace(0.0, 1.0, n)
    elif shape == "positive":
        s = rng.uniform(0.0, 0.5, n)
    elif shape == "clustered":
        s = rng.uniform(0.0, 0.05, n)
    elif shape == "two-point":
        s = (np.arange(n) % 2).astype(float)
    elif shape == "constant":
        s = np.zeros(n)
    elif shape == "constant-negative":
        s = np.ones(n)
    else:
        raise InputError(f"unknown spectrum shape {shape!r}; choose one of {', '.join(SHAPES)}")
    s[0] = 0.0
    return s


def spectrum(n: int, gamma: float, shape: str = "uniform", seed=None) -> np.ndarray:
    """``n`` real eigenvalues in [-gamma, gamma] of the given shape, the first equal to gamma.

    So max |eigenvalue| = gamma exactly. See :data:`SHAPES`.
    """
    n = _positive_int(n, "n")
    gamma = _in_range(gamma, "gamma", 0.0, 1.0, upper_open=True)
    return gamma * (1.0 - 2.0 * _profile(n, shape, np.random.default_rng(seed)))


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CoupledProblem(BlockViews):
    """A generated Jacobian J = [[A, B], [C, D]] (A: p x p) and how it was made.

    ``kind`` is ``"discrete"`` (J is the one-step map, eq. (1)) or ``"continuous"`` (J is the
    generator of the gradient flow, Appendix N). ``eig_A`` / ``eig_D`` are the prescribed
    eigenvalues of the diagonal blocks, ``params`` every argument of the generator (seed
    included), JSON-safe.
    """

    J: np.ndarray
    p: int
    eig_A: np.ndarray
    eig_D: np.ndarray
    params: dict[str, Any]
    kind: str = "discrete"

    @property
    def structure(self):
        """:class:`~kreiss.coupled.BlockStructure` of J (radii, norms, symmetry, B = 0?).

        For ``kind="continuous"`` the radii are those of the generator; its ``paper_class``
        (a discrete-time test, gamma < 1) says nothing about the flow."""
        from .jacobian import block_structure

        return block_structure(self.J, self.p)

    def _extra_arrays(self) -> dict:
        return {"params": json.dumps(self.params), "kind": self.kind}

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary: parameters, kind, structure report (J itself is not included;
        use :meth:`save` for the matrices)."""
        return {
            "kind": self.kind,
            "n": self.n,
            "p": self.p,
            "q": self.q,
            "params": dict(self.params),
            "structure": self.structure.to_dict(),
        }


@dataclass(frozen=True, eq=False)
class LQBilevel(CoupledProblem):
    """The linear-quadratic bilevel problem of Section 7 with its data and fixed point.

    Outer ``F(x, y) = 1/2 ||M x - b||^2 + mu/2 ||y||^2``, inner ``G(x, y) = 1/2 ||N y - P x||^2``;
    see :func:`lq_bilevel` for the update and its Jacobian. ``x_star``, ``y_star`` is the fixed
    point of the coupled iteration, ``alpha``, ``beta`` the step sizes.
    """

    M: np.ndarray = field(default=None)
    b: np.ndarray = field(default=None)
    N: np.ndarray = field(default=None)
    P: np.ndarray = field(default=None)
    mu: float = 0.1
    alpha: float = 1.0
    beta: float = 1.0
    outer: str = "partial"
    x_star: np.ndarray = field(default=None)
    y_star: np.ndarray = field(default=None)

    def _extra_arrays(self) -> dict:
        out = super()._extra_arrays()
        out.update(alpha=self.alpha, beta=self.beta, mu=self.mu, M=self.M, b=self.b, N=self.N,
                   P=self.P, x_star=self.x_star, y_star=self.y_star)  # fmt: skip
        return out

    def objectives(self):
        """The torch objectives ``(F, G)`` whose simultaneous GD step (eq. (3)) has Jacobian
        :attr:`J` everywhere (the problem is quadratic): pass them with :attr:`x_star`,
        :attr:`y_star`, :attr:`alpha`, :attr:`beta` to
        :func:`~kreiss.coupled.simultaneous_gd_jacobian` to check J by automatic
        differentiation. For ``outer="implicit"`` the x-player's objective is the surrogate
        ``1/2 ||M x - b||^2 + mu y^T H x`` whose x-gradient is the hypergradient with y in
        place of y*(x)."""
        from ._torch import require_torch

        torch = require_torch()
        M, b, N, P = (torch.tensor(np.array(a)) for a in (self.M, self.b, self.N, self.P))
        mu = self.mu

        if self.outer == "implicit":
            H = torch.linalg.solve(N.T @ N, N.T @ P)

            def F(x, y):
                return 0.5 * torch.sum((M @ x - b) ** 2) + mu * (y @ (H @ x))
        else:

            def F(x, y):
                return 0.5 * torch.sum((M @ x - b) ** 2) + 0.5 * mu * torch.sum(y**2)

        def G(x, y):
            return 0.5 * torch.sum((N @ y - P @ x) ** 2)

        return F, G


@dataclass(frozen=True, eq=False)
class TimeVaryingSequence:
    """Jacobians J_0, ..., J_{T-1} (array ``Js`` of shape (T, n, n)) satisfying Assumption 21:
    J_t = [[A_t, 0], [C_t, D_t]], A_t, D_t symmetric with rho <= gamma, ||C_t|| <= c."""

    Js: np.ndarray
    p: int
    params: dict[str, Any]

    @property
    def T(self) -> int:
        return self.Js.shape[0]

    @property
    def n(self) -> int:
        return self.Js.shape[1]

    def product_norms(self) -> np.ndarray:
        """``||J_{t-1} ... J_1 J_0||`` for t = 0, ..., T (1 at t = 0): the transient of the
        time-varying iteration e_{t+1} = J_t e_t, which Proposition 22 bounds."""
        out = np.empty(self.T + 1)
        X = np.eye(self.n)
        out[0] = 1.0
        for t in range(self.T):
            X = self.Js[t] @ X
            out[t + 1] = np.linalg.norm(X, 2)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"T": self.T, "n": self.n, "p": self.p, "params": dict(self.params)}


# --------------------------------------------------------------------------------------------
# generators
# --------------------------------------------------------------------------------------------


def paper_class_instance(
    p: int,
    q: int,
    gamma: float,
    c: float,
    *,
    shape: str = "uniform",
    shape_D: str | None = None,
    rank: int | None = None,
    singular: str = "random",
    align: bool = False,
    seed=None,
) -> CoupledProblem:
    """A member J = [[A, 0], [C, D]] of the paper's class C(gamma, c) (Theorems 4, 7).

    A = Q_A diag(a) Q_A^T and D = Q_D diag(d) Q_D^T with Q_A, Q_D Haar-random orthogonal and
    eigenvalues a (p of them, shape ``shape``), d (q of them, shape ``shape_D``, default the
    same) from :func:`spectrum`, so rho(A) = rho(D) = gamma exactly with eigenvalue +gamma
    present. C = U diag(s) V^T (q x p) has ``rank`` (default min(p, q)) singular values s with
    s_1 = c exactly: the rest all equal to c (``singular="flat"``) or c * U(0, 1)
    (``singular="random"``). Its singular vectors are Haar-random, or with ``align=True`` the
    eigenvectors of A and D taken in the order of their spectra, so the top singular pair of C
    maps A's gamma-eigenvector onto D's (the direction used in the proof of Theorem 5, which
    makes the transient largest for the given spectra).
    """
    p, q = _positive_int(p, "p"), _positive_int(q, "q")
    gamma = _in_range(gamma, "gamma", 0.0, 1.0, upper_open=True)
    c = _in_range(c, "c", 0.0, np.inf)
    rank = min(p, q) if rank is None else _positive_int(rank, "rank")
    if rank > min(p, q):
        raise InputError(f"rank = {rank} exceeds min(p, q) = {min(p, q)}")
    if singular not in ("random", "flat"):
        raise InputError(f"singular must be 'random' or 'flat', got {singular!r}")
    shape_D = shape if shape_D is None else shape_D
    rng = np.random.default_rng(seed)
    eig_A = gamma * (1.0 - 2.0 * _profile(p, shape, rng))
    eig_D = gamma * (1.0 - 2.0 * _profile(q, shape_D, rng))
    Q_A, Q_D = _haar(p, rng), _haar(q, rng)
    if align:
        V, U = Q_A[:, :rank], Q_D[:, :rank]
    else:
        V, U = _haar(p, rng)[:, :rank], _haar(q, rng)[:, :rank]
    s = np.full(rank, c) if singular == "flat" else c * np.r_[1.0, rng.uniform(0, 1, rank - 1)]
    C = (U * s) @ V.T
    J = _assemble(Q_A @ np.diag(eig_A) @ Q_A.T, np.zeros((p, q)), C, Q_D @ np.diag(eig_D) @ Q_D.T)
    params = dict(
        p=p, q=q, gamma=gamma, c=c, shape=shape, shape_D=shape_D, rank=rank,
        singular=singular, align=bool(align), seed=_seed_repr(seed),
    )  # fmt: skip
    return CoupledProblem(J=J, p=p, eig_A=frozen_array(eig_A), eig_D=frozen_array(eig_D),
                          params=params)  # fmt: skip


def lq_bilevel(
    p: int = 50,
    q: int = 50,
    mu: float = 0.1,
    gamma: float = 0.9,
    c: float = 1.0,
    *,
    data: str = "gaussian",
    oversample: float = 4.0,
    shape: str = "uniform",
    rank: int | None = None,
    outer: str = "partial",
    seed=None,
) -> LQBilevel:
    """The linear-quadratic bilevel problem of Section 7, tuned to rho = gamma and ||C|| = c.

    Problem (Section 7, with the paper's data matrices renamed to avoid a clash with the
    Jacobian blocks: its A, C, D are M, N, P here)::

        outer  F(x, y) = 1/2 ||M x - b||^2 + mu/2 ||y||^2,      x in R^p
        inner  G(x, y) = 1/2 ||N y - P x||^2,                  y in R^q

    Simultaneous gradient descent, eq. (3), with partial gradients (``outer="partial"``,
    the default) is x' = x - alpha M^T (M x - b), y' = y - beta N^T (N y - P x), so

        J = [[I - alpha M^T M, 0], [beta N^T P, I - beta N^T N]]

    exactly (the problem is quadratic): block-triangular with symmetric diagonal blocks, the
    paper's class. mu does not enter J in this mode (d/dx of mu/2 ||y||^2 is 0); it is kept
    because the paper states it. With ``outer="implicit"`` the x-player follows the
    hypergradient of F(x, y*(x)) with the current y in place of y*(x):
    x' = x - alpha (M^T (M x - b) + mu H^T y), H = dy*/dx = (N^T N)^{-1} N^T P, which adds the
    block B = -alpha mu H^T (the "nearly self-referential" case of Theorem 9) and makes the
    fixed point the true bilevel solution.

    How gamma and c are reached (our choice; the paper leaves it open):

    ``data="gaussian"`` (default): M (m x p) and N (m' x q) have i.i.d. N(0, 1/m) entries with
    m = ceil(oversample * p), m' = ceil(oversample * q) rows, b ~ N(0, I_m), and P (m' x p) is a
    product of Gaussian m' x rank and rank x p factors. The step sizes are solved for:
    alpha = (1 - gamma) / lambda_min(M^T M), so that the largest eigenvalue of
    A = I - alpha M^T M is exactly gamma; likewise beta for D. This needs
    alpha lambda_max(M^T M) <= 1 + gamma, i.e. cond(M^T M) <= (1 + gamma) / (1 - gamma);
    with oversample = 4 the condition number is about 9 (Marchenko-Pastur), so gamma down to
    about 0.8 is reachable, lower gamma needs a larger ``oversample`` (else InputError).
    Finally P is rescaled so that ||C|| = ||beta N^T P|| = c exactly. The spectra of A and D
    are then shifted Marchenko-Pastur laws, as for a random regression.

    ``data="spectral"``: alpha = beta = 1 and the Jacobian blocks are drawn first, as in
    :func:`paper_class_instance` (spectrum ``shape``, ``rank``), then the data are solved for:
    M = Q diag(sqrt(1 - a)) Q_A^T (so M^T M = I - A), N likewise, P = N^{-T} C. This reaches
    every member of the class with spectra in [-gamma, gamma] and square invertible M, N.

    In both modes x_star, y_star is the fixed point of the iteration (least squares solutions;
    for ``outer="implicit"``, (M^T M + mu H^T H) x = M^T b and y = H x).
    """
    p, q = _positive_int(p, "p"), _positive_int(q, "q")
    gamma = _in_range(gamma, "gamma", 0.0, 1.0, upper_open=True)
    c = _in_range(c, "c", 0.0, np.inf)
    mu = _in_range(mu, "mu", 0.0, np.inf)
    rank = min(p, q) if rank is None else _positive_int(rank, "rank")
    if rank > min(p, q):
        raise InputError(f"rank = {rank} exceeds min(p, q) = {min(p, q)}")
    if outer not in ("partial", "implicit"):
        raise InputError(f"outer must be 'partial' or 'implicit', got {outer!r}")
    rng = np.random.default_rng(seed)
    if data == "gaussian":
        oversample = _in_range(oversample, "oversample", 1.0, np.inf)
        m, m2 = int(np.ceil(oversample * p)), int(np.ceil(oversample * q))
        M = rng.standard_normal((m, p)) / np.sqrt(m)
        N = rng.standard_normal((m2, q)) / np.sqrt(m2)
        b = rng.standard_normal(m)
        alpha = _step_for_gamma(M, gamma, oversample, "M")
        beta = _step_for_gamma(N, gamma, oversample, "N")
        P = rng.standard_normal((m2, rank)) @ rng.standard_normal((rank, p))
        if c > 0:
            P *= c / np.linalg.norm(beta * N.T @ P, 2)
        else:
            P[:] = 0.0
    elif data == "spectral":
        inst = paper_class_instance(p, q, gamma, c, shape=shape, rank=rank, seed=rng)
        alpha = beta = 1.0
        M = _haar(p, rng) @ _sqrt_of_identity_minus(inst.A)
        N = _haar(q, rng) @ _sqrt_of_identity_minus(inst.D)
        P = np.linalg.solve(N.T, inst.C)
        b = rng.standard_normal(p)
    else:
        raise InputError(f"data must be 'gaussian' or 'spectral', got {data!r}")

    A = np.eye(p) - alpha * M.T @ M
    C = beta * N.T @ P
    D = np.eye(q) - beta * N.T @ N
    if outer == "implicit":
        H = np.linalg.solve(N.T @ N, N.T @ P)
        B = -alpha * mu * H.T
        x_star = np.linalg.solve(M.T @ M + mu * H.T @ H, M.T @ b)
        y_star = H @ x_star
    else:
        B = np.zeros((p, q))
        x_star = np.linalg.lstsq(M, b, rcond=None)[0]
        y_star = np.linalg.lstsq(N, P @ x_star, rcond=None)[0]
    A, D = (A + A.T) / 2, (D + D.T) / 2  # exact symmetry (rounding in M^T M)
    params = dict(
        p=p, q=q, mu=mu, gamma=gamma, c=c, data=data, oversample=oversample, shape=shape,
        rank=rank, outer=outer, alpha=alpha, beta=beta, seed=_seed_repr(seed),
    )  # fmt: skip
    return LQBilevel(
        J=_assemble(A, B, C, D), p=p, eig_A=frozen_array(np.linalg.eigvalsh(A)[::-1]),
        eig_D=frozen_array(np.linalg.eigvalsh(D)[::-1]), params=params, M=frozen_array(M),
        b=frozen_array(b), N=frozen_array(N), P=frozen_array(P), mu=mu, alpha=alpha, beta=beta,
        outer=outer, x_star=frozen_array(x_star), y_star=frozen_array(y_star),
    )  # fmt: skip


def gradient_flow_instance(
    p: int,
    q: int,
    mu: float,
    c: float,
    *,
    L: float = 1.0,
    shape: str = "uniform",
    rank: int | None = None,
    seed=None,
) -> CoupledProblem:
    """The continuous-time coupled gradient flow of Appendix N (``kind="continuous"``).

    x' = -H_xx (x - x*),  y' = -H_yx (x - x*) - H_yy (y - y*), i.e. e' = J e with generator

        J = -[[H_xx, 0], [H_yx, H_yy]],

    H_xx, H_yy symmetric with eigenvalues mu + (L - mu) s in [mu, L] (profile s of
    :data:`SHAPES`; the smallest is mu exactly: strong convexity mu) and ||H_yx|| = c
    exactly, singular vectors Haar-random. Its transient is ||exp(tJ)||, its Kreiss constant
    the continuous one (``kreiss_constant(J, kind="continuous")``). One explicit Euler step
    of size h gives the discrete map I + h J.
    """
    p, q = _positive_int(p, "p"), _positive_int(q, "q")
    mu = _in_range(mu, "mu", 0.0, np.inf, lower_open=True)
    L = _in_range(L, "L", mu, np.inf)
    c = _in_range(c, "c", 0.0, np.inf)
    rank = min(p, q) if rank is None else _positive_int(rank, "rank")
    if rank > min(p, q):
        raise InputError(f"rank = {rank} exceeds min(p, q) = {min(p, q)}")
    rng = np.random.default_rng(seed)
    h_x = mu + (L - mu) * _profile(p, shape, rng)
    h_y = mu + (L - mu) * _profile(q, shape, rng)
    Q_x, Q_y = _haar(p, rng), _haar(q, rng)
    s = c * np.r_[1.0, rng.uniform(0, 1, rank - 1)]
    H_yx = (_haar(q, rng)[:, :rank] * s) @ _haar(p, rng)[:, :rank].T
    J = -_assemble(Q_x @ np.diag(h_x) @ Q_x.T, np.zeros((p, q)), H_yx, Q_y @ np.diag(h_y) @ Q_y.T)
    params = dict(p=p, q=q, mu=mu, c=c, L=L, shape=shape, rank=rank, seed=_seed_repr(seed))
    return CoupledProblem(J=J, p=p, eig_A=frozen_array(-h_x), eig_D=frozen_array(-h_y),
                          params=params, kind="continuous")  # fmt: skip


def time_varying_sequence(
    p: int,
    q: int,
    gamma: float,
    c: float,
    T: int,
    *,
    drift: float = 0.05,
    shape: str = "uniform",
    seed=None,
) -> TimeVaryingSequence:
    """A sequence J_0, ..., J_{T-1} satisfying Assumption 21 exactly (Appendix L).

    J_t = [[A_t, 0], [C_t, D_t]] with A_t = Q_A(t) diag(a) Q_A(t)^T, D_t likewise, and
    C_t = Q_D(t) C_0' Q_A(t)^T: the spectra (shape ``shape``, radius gamma) and the singular
    values of C_t (||C_t|| = c) stay fixed while the eigenvectors rotate, Q(t+1) = Q(t) R with
    R = expm(drift * S), S a random skew-symmetric matrix of spectral norm 1 (so ``drift`` is
    the largest rotation angle per step, in radians). ``drift = 0`` gives the constant
    sequence J_t = J_0, a :func:`paper_class_instance`.
    """
    from scipy.linalg import expm

    T = _positive_int(T, "T")
    drift = _in_range(drift, "drift", 0.0, np.inf)
    rng = np.random.default_rng(seed)
    base = paper_class_instance(p, q, gamma, c, shape=shape, seed=rng)
    p, q = base.p, base.q
    Q_A, Q_D = np.linalg.eigh(base.A)[1], np.linalg.eigh(base.D)[1]
    a, d = np.linalg.eigvalsh(base.A), np.linalg.eigvalsh(base.D)
    C0 = Q_D.T @ base.C @ Q_A  # C in the eigenbases, kept fixed
    R_A, R_D = expm(drift * _unit_skew(p, rng)), expm(drift * _unit_skew(q, rng))
    Js = np.empty((T, p + q, p + q))
    for t in range(T):
        A = Q_A @ np.diag(a) @ Q_A.T
        D = Q_D @ np.diag(d) @ Q_D.T
        Js[t] = _assemble((A + A.T) / 2, np.zeros((p, q)), Q_D @ C0 @ Q_A.T, (D + D.T) / 2)
        Q_A, Q_D = Q_A @ R_A, Q_D @ R_D
    Js.setflags(write=False)
    params = dict(p=p, q=q, gamma=base.params["gamma"], c=base.params["c"], T=T, drift=drift,
                  shape=shape, seed=_seed_repr(seed))  # fmt: skip
    return TimeVaryingSequence(Js=Js, p=p, params=params)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _assemble(A, B, C, D) -> np.ndarray:
    return frozen_array(np.block([[A, B], [C, D]]))


def _haar(n: int, rng: np.random.Generator) -> np.ndarray:
    """Haar-distributed orthogonal n x n matrix (QR of a Gaussian, signs fixed; Mezzadri 2007)."""
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)


def _unit_skew(n: int, rng: np.random.Generator) -> np.ndarray:
    if n == 1:
        return np.zeros((1, 1))
    X = rng.standard_normal((n, n))
    S = X - X.T
    return S / np.linalg.norm(S, 2)


def _sqrt_of_identity_minus(A: np.ndarray) -> np.ndarray:
    """R with R^T R = I - A for symmetric A with eigenvalues < 1 (R = diag(sqrt(1 - a)) Q^T)."""
    a, Q = np.linalg.eigh(A)
    return np.sqrt(1.0 - a)[:, None] * Q.T


def _step_for_gamma(M: np.ndarray, gamma: float, oversample: float, name: str) -> float:
    h = np.linalg.eigvalsh(M.T @ M)
    step = (1.0 - gamma) / h[0]
    if step * h[-1] > 1.0 + gamma * (1 + 1e-12):
        reach = (h[-1] - h[0]) / (h[-1] + h[0])
        raise InputError(
            f"gamma = {gamma} is below what Gaussian data reach here ({reach:.3g} for {name} "
            f"with oversample = {oversample}); raise oversample or use data='spectral'"
        )
    return float(step)


def _positive_int(v, name: str) -> int:
    try:
        iv = int(v)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a positive integer, got {v!r}") from None
    if iv != v or iv < 1:
        raise InputError(f"{name} must be a positive integer, got {v!r}")
    return iv


def _in_range(v, name, lo, hi, *, lower_open=False, upper_open=False) -> float:
    try:
        fv = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, got {v!r}") from None
    ok = (fv > lo if lower_open else fv >= lo) and (fv < hi if upper_open else fv <= hi)
    if not ok or np.isnan(fv):
        left, right = "(" if lower_open else "[", ")" if upper_open else "]"
        raise InputError(f"{name} must lie in {left}{lo:g}, {hi:g}{right}, got {v!r}")
    return fv


def _seed_repr(seed):
    if seed is None or isinstance(seed, (int, np.integer)):
        return None if seed is None else int(seed)
    return repr(seed)
