"""The Dirac-GAN: the smallest GAN, where every step of the chain has a closed form.

Mescheder, Geiger & Nowozin, "Which training methods for GANs do actually converge?"
(ICML 2018), Section 2: data p_D = delta_0, generator p_theta = delta_theta, discriminator
D_psi(x) = psi x, and L(theta, psi) = f(psi theta) + f(0) with f(t) = -log(1 + e^{-t}).
The generator (x = theta) minimises L; the discriminator (y = psi) maximises
L - (gamma / 2) psi^2, where (gamma / 2) psi^2 = (gamma / 2) E_{p_D} ||grad_x D_psi||^2 is the
R1 penalty (gamma = 0: none).  As two objectives to minimise, F = L and
G = -L + (gamma / 2) psi^2.

With f'(0) = 1/2, f''(0) = -1/4, one step of simultaneous gradient descent with step h on
both players has, at the equilibrium (0, 0), the Jacobian

    J = I + h M,   M = [[0, -1/2], [1/2, -gamma]],

so A = 1, B = -h/2, C = h/2, D = 1 - h gamma (B != 0: outside the paper's class), and
eigenvalues 1 + h mu with mu = (-gamma +- sqrt(gamma^2 - 1)) / 2.  Without R1,
|1 + h mu|^2 = 1 + h^2 / 4 > 1 for every h (Mescheder et al. 2018, Section 2: simultaneous
GD on the unregularised Dirac-GAN does not converge); with R1 (gamma > 0, their Section 4)
the iteration is stable exactly when |1 + h mu| < 1 for both mu, i.e. h < 2 |Re mu| / |mu|^2
(Mescheder, Nowozin & Geiger, "The numerics of GANs", NeurIPS 2017).
"""

from __future__ import annotations

import cmath
import math

import numpy as np

from ..errors import InputError


def dirac_gan(gamma: float = 0.0):
    """Torch objectives (F, G) of the Dirac-GAN with R1 weight ``gamma`` (module docstring),
    functions of the scalar tensors (theta, psi)."""
    from ._torch import require_torch

    gamma = _check_gamma(gamma)
    torch = require_torch()

    def L(theta, psi):
        return -torch.nn.functional.softplus(-psi * theta) - math.log(2.0)

    def F(theta, psi):
        return L(theta, psi)

    def G(theta, psi):
        return -L(theta, psi) + 0.5 * gamma * psi * psi

    return F, G


def dirac_gan_jacobian(h: float, gamma: float = 0.0) -> np.ndarray:
    """J = I + h [[0, -1/2], [1/2, -gamma]] at the equilibrium (module docstring)."""
    gamma = _check_gamma(gamma)
    return np.array([[1.0, -h / 2], [h / 2, 1.0 - h * gamma]])


def dirac_gan_eigenvalues(h: float, gamma: float = 0.0) -> tuple[complex, complex]:
    """1 + h mu, mu = (-gamma +- sqrt(gamma^2 - 1)) / 2."""
    gamma = _check_gamma(gamma)
    root = cmath.sqrt(gamma * gamma - 1.0)
    return 1 + h * (-gamma + root) / 2, 1 + h * (-gamma - root) / 2


def dirac_gan_max_step(gamma: float) -> float:
    """The largest stable step: min over mu of 2 |Re mu| / |mu|^2 (0 without R1)."""
    gamma = _check_gamma(gamma)
    root = cmath.sqrt(gamma * gamma - 1.0)
    mus = ((-gamma + root) / 2, (-gamma - root) / 2)
    return min(2 * abs(m.real) / abs(m) ** 2 for m in mus)


def _check_gamma(gamma) -> float:
    g = float(gamma)
    if not (math.isfinite(g) and g >= 0):
        raise InputError(f"the R1 weight gamma must be finite and >= 0, got {gamma!r}")
    return g
