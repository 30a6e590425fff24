"""The linear-quadratic bilevel problem of Section 7: data (M, b, N, P), its coupled-GD
Jacobian derived analytically, and a documented way to reach a prescribed gamma and ||C||
(the paper does not say how its instances were drawn; see :func:`lq_bilevel`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ._blocks import frozen_array
from ._paper_class import CoupledProblem, paper_class_instance
from ._random_matrices import assemble, coupling_rank, haar, in_range, positive_int, seed_repr


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
    p, q = positive_int(p, "p"), positive_int(q, "q")
    gamma = in_range(gamma, "gamma", 0.0, 1.0, upper_open=True)
    c = in_range(c, "c", 0.0, np.inf)
    mu = in_range(mu, "mu", 0.0, np.inf)
    rank = coupling_rank(rank, p, q)
    if outer not in ("partial", "implicit"):
        raise InputError(f"outer must be 'partial' or 'implicit', got {outer!r}")
    rng = np.random.default_rng(seed)
    if data == "gaussian":
        oversample = in_range(oversample, "oversample", 1.0, np.inf)
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
        M = haar(p, rng) @ _sqrt_of_identity_minus(inst.A)
        N = haar(q, rng) @ _sqrt_of_identity_minus(inst.D)
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
        rank=rank, outer=outer, alpha=alpha, beta=beta, seed=seed_repr(seed),
    )  # fmt: skip
    return LQBilevel(
        J=assemble(A, B, C, D), p=p, eig_A=frozen_array(np.linalg.eigvalsh(A)[::-1]),
        eig_D=frozen_array(np.linalg.eigvalsh(D)[::-1]), params=params, M=frozen_array(M),
        b=frozen_array(b), N=frozen_array(N), P=frozen_array(P), mu=mu, alpha=alpha, beta=beta,
        outer=outer, x_star=frozen_array(x_star), y_star=frozen_array(y_star),
    )  # fmt: skip


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


__all__ = ["LQBilevel", "lq_bilevel"]
