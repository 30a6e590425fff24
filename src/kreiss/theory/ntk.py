"""Theorem 12 (Appendix H): Theorem 4 for the effective neural tangent kernel."""

from __future__ import annotations

import math

import numpy as np

from .bound import Bound, Precondition
from .resolvent_bounds import theorem4, theorem4a


def _psd(name: str, M: np.ndarray) -> Precondition:
    sym = bool(np.allclose(M, M.conj().T, rtol=0, atol=1e-12 * max(1.0, np.abs(M).max())))
    lo = float(np.linalg.eigvalsh((M + M.conj().T) / 2)[0])
    return Precondition(f"{name} symmetric PSD", sym and lo >= -1e-12 * max(1.0, np.abs(M).max()),
                        f"lambda_min = {lo:.6g}")


def ntk_jacobian(theta_xx, theta_xy, theta_yx, theta_yy, eta: float) -> np.ndarray:
    """J = I - eta K_eff, K_eff = [[Theta_xx, Theta_xy], [Theta_yx, Theta_yy]]."""
    K = np.block([[np.atleast_2d(theta_xx), np.atleast_2d(theta_xy)],
                  [np.atleast_2d(theta_yx), np.atleast_2d(theta_yy)]])
    return np.eye(K.shape[0]) - eta * K


def theorem12(theta_xx, theta_yx, eta: float, theta_yy=None) -> Bound:
    """Theorem 12: Theorem 4 applies to J = I - eta K_eff with
    gamma = 1 - eta lambda_min(Theta_xx) and ||C|| = eta ||Theta_yx||.

    The value is the larger of Theorem 4's bounds that hold at those (gamma, c): eq. (4),
    and (a) when eta ||Theta_yx|| <= (1-gamma)^2 -- the most favourable reading.  The
    statement overlooks Theta_yy (rho(D) is not bounded by this gamma), eta lambda_max
    (rho(A) = max |1 - eta lambda| can exceed it) and Theta_xy (J is block-triangular
    only if it vanishes).
    """
    Txx = np.atleast_2d(np.asarray(theta_xx, dtype=float))
    Tyx = np.atleast_2d(np.asarray(theta_yx, dtype=float))
    gamma = 1 - eta * float(np.linalg.eigvalsh((Txx + Txx.T) / 2)[0])
    c = eta * float(np.linalg.norm(Tyx, 2))
    pres = [Precondition("eta > 0", bool(eta > 0), f"eta = {eta:.6g}"), _psd("Theta_xx", Txx)]
    if theta_yy is not None:
        pres.append(_psd("Theta_yy", np.atleast_2d(np.asarray(theta_yy, dtype=float))))
    pres.append(Precondition("0 <= gamma < 1", bool(0 <= gamma < 1), f"gamma = {gamma:.6g}"))
    value = math.inf
    if 0 <= gamma < 1:
        a = theorem4a(gamma, c)
        value = max(theorem4(gamma, c).value,
                    a.value if all(p.holds is not False for p in a.preconditions) else 0.0)
    return Bound("thm12", "Theorem 12", "K(I - eta K_eff)", "upper", value, tuple(pres),
                 "Theorem 4 applies to I - eta K_eff with gamma = 1 - eta lambda_min(Theta_xx), "
                 "||C|| = eta ||Theta_yx||", {"gamma": gamma, "c": c})
