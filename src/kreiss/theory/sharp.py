"""Sharp bounds over the paper's class (proofs in docs/theory.md).

Class: J = [[A, 0], [C, D]] with A, D symmetric (normal suffices), rho(A) <= alpha,
rho(D) <= beta (alpha = beta = gamma in the paper), 0 <= alpha, beta < 1, ||C|| <= c.

**Resolvent.**  For |z| = r > max(alpha, beta), ||(zI - A)^{-1}|| <= 1/(r - alpha),
||(zI - D)^{-1}|| <= 1/(r - beta), and the spectral norm of a block matrix is at most that
of the matrix of its blocks' norms, which is monotone in its (nonnegative) entries:

    ||(zI - J)^{-1}|| <= || [[a, 0], [c a e, e]] ||,   a = 1/(r - alpha), e = 1/(r - beta).

J* = [[alpha, 0], [c, beta]] attains this at z = r, and the sup over |z| = r of its
resolvent norm is attained there, so

    sup over the class of K(J) = K(J*) = sup_{r>1} (r - 1) || [[a, 0], [c a e, e]] ||.

For alpha = beta = gamma, with x = c / (2(1 - gamma)):  K(J*) = (x + 1/x)/2 if x >= 1,
else 1 (then K(J) = 1 exactly for every J in the class).

**Powers.**  J^t = [[A^t, 0], [S_t, D^t]] (Lemma 17), ||S_t|| <= c h_t with
h_t = sum_{k<t} beta^(t-1-k) alpha^k, so ||J^t|| <= || [[alpha^t, 0], [c h_t, beta^t]] ||,
which is ||J*^t||: the bound on every ||J^t|| and on sup_t ||J^t|| is attained by J*.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError
from ..linalg.blocks import sharp_kreiss_constant_value
from ..linalg.validate import check_blocks, check_number
from .bound import Bound, Precondition
from .hypotheses import block_triangular_class, optional_facts, sup_over

OURS = "ours, docs/theory.md"


def lower_triangular_norm(a, b, e):
    """Spectral norm of [[a, 0], [b, e]] for a, b, e >= 0 (vectorised):
    (sqrt((a+e)^2 + b^2) + sqrt((a-e)^2 + b^2)) / 2, since sigma_1 sigma_2 = ae and
    sigma_1^2 + sigma_2^2 = a^2 + b^2 + e^2."""
    return (np.hypot(a + e, b) + np.hypot(a - e, b)) / 2


def _radii(gamma, gamma_d, c) -> tuple[float, float, float]:
    """(alpha, beta, c) checked: radii in [0, 1), c finite and >= 0 (else InputError)."""
    alpha = check_number(gamma, "gamma")
    beta = alpha if gamma_d is None else check_number(gamma_d, "gamma_d")
    if not max(alpha, beta) < 1:
        raise InputError(f"radii must lie in [0, 1), got gamma={gamma!r}, gamma_d={gamma_d!r}")
    return alpha, beta, check_number(c, "c")


def _steps(t) -> np.ndarray:
    """``t`` as a float array of whole numbers >= 0 (else InputError)."""
    try:
        a = np.asarray(t, dtype=float)
    except (TypeError, ValueError):
        a = np.array(np.nan)
    if not (np.all(np.isfinite(a)) and np.all(a >= 0) and np.all(a == np.floor(a))):
        raise InputError(f"t must be whole numbers >= 0, got {np.ravel(t)[:6].tolist()}")
    return a


def _class_pres(gamma, gamma_d, c, J, blocks):
    pres = block_triangular_class(optional_facts(J, blocks), max(gamma, gamma_d), c)
    if J is not None and gamma_d != gamma:
        F = optional_facts(J, blocks)
        pres[3] = Precondition("rho(A) <= alpha, rho(D) <= beta",
                               F.rho_A <= gamma * (1 + 1e-12) and F.rho_D <= gamma_d * (1 + 1e-12),
                               f"rho(A) = {F.rho_A:.6g}, rho(D) = {F.rho_D:.6g}")
    return tuple(pres)


def sharp_kreiss_bound(gamma: float, c: float, gamma_d: float | None = None,
                       J=None, blocks=None) -> Bound:
    """The least upper bound of K(J) over the class (module docstring), attained by
    :func:`extremal_matrix`.  ``gamma`` bounds rho(A); ``gamma_d`` bounds rho(D)
    (default: ``gamma``).  For equal radii this is (x + 1/x)/2, x = c/(2(1-gamma)), or 1
    when x <= 1; for unequal radii the 1-D supremum over r is computed numerically.
    """
    alpha, beta, c = _radii(gamma, gamma_d, c)
    if alpha == beta:
        value, r = sharp_kreiss_constant_value(alpha, c)
    else:
        def f(r):
            a, e = 1 / (r - alpha), 1 / (r - beta)
            return (r - 1) * lower_triangular_norm(a, c * a * e, e)

        value, r = sup_over(f, limit=1.0, lo=1.0)
    return Bound("sharp-kreiss", "Sharp Kreiss bound (" + OURS + ")", "K(J)", "upper", value,
                 _class_pres(alpha, beta, c, J, blocks),
                 "K(J) <= K([[alpha, 0], [c, beta]]), attained", {"r": r})


def power_bound_values(gamma: float, c: float, t, gamma_d: float | None = None) -> np.ndarray:
    """|| [[alpha^t, 0], [c h_t, beta^t]] || for integer t >= 0 (vectorised), the exact
    ||J*^t||; h_t = sum_{k<t} beta^(t-1-k) alpha^k computed without cancellation."""
    alpha, beta, c = _radii(gamma, gamma_d, c)
    t = _steps(t)
    hi, lo = max(alpha, beta), min(alpha, beta)
    L = math.log(hi) - math.log(lo) if lo > 0 else math.inf
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        if hi == 0:
            h = np.where(t == 1, 1.0, 0.0)
        elif lo == 0 or L == 0:  # L == 0 also for radii that differ in the last bit
            base = np.where(t >= 1, hi ** np.maximum(t - 1, 0), 0.0)
            h = base if lo == 0 else t * base
        else:
            h = hi ** np.maximum(t - 1, 0) * (-np.expm1(-t * L)) / (-math.expm1(-L))
        a = np.where(t == 0, 1.0, alpha**t)
        e = np.where(t == 0, 1.0, beta**t)
    return lower_triangular_norm(a, c * h, e)


def sharp_power_bound(gamma: float, c: float, t: int, gamma_d: float | None = None,
                      J=None, blocks=None) -> Bound:
    """The least upper bound of ||J^t|| over the class at one t, attained by J*."""
    alpha, beta, c = _radii(gamma, gamma_d, c)
    value = float(power_bound_values(alpha, c, t, beta))
    return Bound("sharp-power", "Sharp power bound (" + OURS + ")", "||J^t||", "upper", value,
                 _class_pres(alpha, beta, c, J, blocks),
                 "||J^t|| <= ||[[alpha^t, 0], [c h_t, beta^t]]||, attained", {"t": t})


def sharp_transient_value(gamma: float, c: float, gamma_d: float | None = None
                          ) -> tuple[float, int]:
    """(sup_t ||J*^t||, the first t attaining it).

    Scans t = 0, 1, ... in blocks; stops once t is past the peak of the envelope
    c t m^(t-1) + m^t (m = max radius), which dominates every later term, and the envelope
    has fallen below the best value found.
    """
    alpha, beta, c = _radii(gamma, gamma_d, c)
    m = max(alpha, beta)
    if m == 0:
        return (max(1.0, c), 1 if c > 1 else 0)
    t_env = 1 / -math.log(m) + 1  # t m^(t-1) decreases for t beyond this
    best, arg, start, step = -1.0, 0, 0, 4096
    while True:
        t = np.arange(start, start + step)
        vals = power_bound_values(alpha, c, t, beta)
        if not np.all(np.isfinite(vals)):
            raise ArithmeticError(f"non-finite power bound at alpha={alpha!r}, beta={beta!r}")
        i = int(np.argmax(vals))
        if vals[i] > best:
            best, arg = float(vals[i]), int(t[i])
        end = float(t[-1])
        envelope = c * end * m ** (end - 1) + m**end
        if end > t_env and envelope < best:
            return best, arg
        start += step


def sharp_transient_bound(gamma: float, c: float, gamma_d: float | None = None,
                          J=None, blocks=None) -> Bound:
    """The least upper bound of sup_t ||J^t|| over the class, attained by J*."""
    alpha, beta, c = _radii(gamma, gamma_d, c)
    value, t = sharp_transient_value(alpha, c, beta)
    return Bound("sharp-transient", "Sharp transient bound (" + OURS + ")", "sup_t ||J^t||",
                 "upper", value, _class_pres(alpha, beta, c, J, blocks),
                 "sup_t ||J^t|| <= sup_t ||J*^t||, attained", {"t": t})


def extremal_matrix(gamma: float, c: float, gamma_d: float | None = None,
                    blocks: tuple[int, int] = (1, 1)) -> np.ndarray:
    """J* = [[alpha I_p, 0], [c e_1 e_1^T, beta I_q]], which attains both sharp bounds."""
    alpha, beta, c = _radii(gamma, gamma_d, c)
    p, q = check_blocks(blocks)
    J = np.zeros((p + q, p + q))
    J[:p, :p] = alpha * np.eye(p)
    J[p:, p:] = beta * np.eye(q)
    J[p, 0] = c
    return J


def sharp_continuous_kreiss_bound(mu: float, c: float) -> Bound:
    """Continuous time (Appendix N's setting): for A = -[[H_xx, 0], [H_yx, H_yy]] with
    H_xx, H_yy symmetric >= mu I and ||H_yx|| <= c, the least upper bound of K_ct(A) is
    (x + 1/x)/2 with x = c/(2 mu) if x >= 1, else 1; attained by -[[mu, 0], [c, mu]]."""
    mu, c = check_number(mu, "mu", strict=True), check_number(c, "c")
    x = c / (2 * mu)
    value = (x + 1 / x) / 2 if x > 1 else 1.0
    where = {"s": c * x / (x * x - 1) - mu if x > 1 else math.inf}
    return Bound("sharp-ct", "Sharp continuous-time bound (" + OURS + ")", "K_ct(A)", "upper",
                 value, (Precondition("mu > 0", True, f"mu = {mu:.6g}"),),
                 "K_ct(A) <= K_ct(-[[mu, 0], [c, mu]]), attained", where)


def midpoint_estimator(rho_A: float, rho_D: float, norm_C: float) -> float:
    """(1 + S)/2 with S = the sharp bound at (max(rho_A, rho_D), ||C||): an estimator of
    K(J) from the statistics of Theorem 7 whose worst-case error over C(gamma, c) is at most
    (S(gamma, c) - 1)/2, because 1 <= K(J) <= S for every J in the class."""
    s, _ = sharp_kreiss_constant_value(max(rho_A, rho_D), norm_C)
    return (1 + s) / 2
