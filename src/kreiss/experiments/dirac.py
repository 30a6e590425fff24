"""Table 3 (d): the Dirac-GAN with and without R1, a closed-form check of the whole chain
objectives -> J (autodiff) -> rho(J) -> K(J) (:mod:`kreiss.coupled.dirac` for the maths).

For a 2 x 2 matrix R, sigma_max^2 + sigma_min^2 = ||R||_F^2 and sigma_max sigma_min = |det R|,
so sigma_min(zI - J) has a closed form and K(J) = sup_{|z| > 1} (|z| - 1) / sigma_min(zI - J)
can be computed without any of the core's machinery (:func:`kreiss_closed_form`: a polar grid
and a local refinement): an independent check of the certified bracket.
"""

from __future__ import annotations

import math

import numpy as np

#: (step h, R1 weight gamma) of the Table 3 (d) rows
SETTINGS = ((0.1, 0.0), (0.1, 1.0), (1.0, 1.0), (0.5, 3.0), (1.0, 3.0))


def sigma_min_2x2(J: np.ndarray, z: np.ndarray) -> np.ndarray:
    """sigma_min(zI - J) for a 2 x 2 J at every z, from ||R||_F and |det R| (module doc)."""
    z = np.asarray(z, dtype=complex)
    a, b, c, d = (complex(v) for v in J.ravel())
    r11, r22 = z - a, z - d
    fro2 = np.abs(r11) ** 2 + np.abs(r22) ** 2 + abs(b) ** 2 + abs(c) ** 2
    det = np.abs(r11 * r22 - b * c)
    disc = np.sqrt(np.maximum(fro2 * fro2 - 4 * det * det, 0.0))
    return 2 * det / np.sqrt(2 * (fro2 + disc))  # = sqrt((fro2 - disc) / 2), stably


def kreiss_closed_form(J: np.ndarray) -> tuple[float, complex]:
    """max(1, the max over a polar grid of 1 < |z| <= 1 + 10^3, polished by Nelder-Mead) of
    (|z| - 1) / sigma_min(zI - J) with the closed-form sigma_min: a lower bound on K(J),
    tight when the grid resolves the maximiser (K >= 1 is the limit |z| -> inf).  |z| is
    kept below 1 + 10^3 because sigma_max^2 - sigma_min^2 cancels in ||R||_F^4 - 4 det^2
    with a relative error u ||R||_F^2 / (sigma_max - sigma_min)^2."""
    from scipy.optimize import minimize

    top = math.log(1e3)
    s = np.logspace(-8, 3, 600)
    th = np.linspace(-math.pi, math.pi, 721)
    S, T = np.meshgrid(s, th, indexing="ij")
    Z = (1 + S) * np.exp(1j * T)
    phi = S / sigma_min_2x2(J, Z)
    i = np.unravel_index(int(np.argmax(phi)), phi.shape)

    def neg(x):
        r = math.exp(min(x[0], top))
        return -r / float(sigma_min_2x2(J, (1 + r) * np.exp(1j * x[1])))

    res = minimize(neg, [math.log(S[i]), T[i]], method="Nelder-Mead",
                   options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 2000})
    if -res.fun > phi[i]:
        best, a, b = -res.fun, min(res.x[0], top), res.x[1]
    else:
        best, a, b = float(phi[i]), math.log(S[i]), T[i]
    if best <= 1.0:
        return 1.0, complex(math.inf, 0.0)
    return float(best), (1 + math.exp(a)) * complex(math.cos(b), math.sin(b))


def dirac_row(h: float, gamma: float) -> dict:
    """One row of Table 3 (d): J by autodiff at the equilibrium against the closed form,
    rho against |1 + h mu|, K's certified bracket against the closed-form maximisation."""
    import torch

    from ..coupled.dirac import (
        dirac_gan,
        dirac_gan_eigenvalues,
        dirac_gan_jacobian,
        dirac_gan_max_step,
    )
    from ..coupled.jacobian import simultaneous_gd_jacobian
    from ..errors import UnstableError
    from ..linalg import kreiss_constant, spectral_radius

    F, G = dirac_gan(gamma)
    zero = torch.zeros((), dtype=torch.float64)
    J = np.asarray(simultaneous_gd_jacobian(F, G, zero, zero, h, h).J)
    J_exact = dirac_gan_jacobian(h, gamma)
    rho = spectral_radius(J)
    rho_exact = max(abs(v) for v in dirac_gan_eigenvalues(h, gamma))
    row = dict(h=h, gamma=gamma, J_error=float(np.max(np.abs(J - J_exact))), rho=rho,
               rho_exact=rho_exact, max_step=dirac_gan_max_step(gamma),
               K_lower=math.inf, K_upper=math.inf, K_closed_form=math.inf)
    if rho_exact < 1:
        try:
            K = kreiss_constant(J)
            row.update(K_lower=K.lower, K_upper=K.upper)
        except UnstableError:
            pass
        row["K_closed_form"] = kreiss_closed_form(J_exact)[0]
    return row


def table3_dirac() -> list[dict]:
    """The rows of Table 3 (d) for :data:`SETTINGS`."""
    return [dirac_row(h, g) for h, g in SETTINGS]


def monitor_dirac(eta: float, gamma: float, *, steps: int, theta0: float = 1.0,
                  psi0: float = 1.0, progress=None, **monitor):
    """Train the Dirac-GAN from (theta0, psi0) by simultaneous GD with step ``eta`` and the
    monitor attached (arguments as :func:`kreiss.experiments.gan.monitor_run`)."""
    import time

    import torch

    from ..coupled.dirac import dirac_gan
    from ..coupled.monitor import Monitor

    F, G = dirac_gan(gamma)
    theta = torch.tensor(float(theta0), dtype=torch.float64)
    psi = torch.tensor(float(psi0), dtype=torch.float64)
    mon = Monitor.simultaneous_gd(F, G, theta, psi, eta, eta, **monitor)
    t0 = time.perf_counter()
    with mon:
        for k in range(steps):
            th, ps = theta.clone().requires_grad_(), psi.clone().requires_grad_()
            gt = torch.autograd.grad(F(th, psi), th)[0]
            gp = torch.autograd.grad(G(theta, ps), ps)[0]
            with torch.no_grad():
                theta -= eta * gt
                psi -= eta * gp
            mon.step()
            if progress is not None:
                progress(k)
    total = time.perf_counter() - t0
    return mon, dict(n=2, p=1, steps=steps, eta=eta, gamma=gamma, seconds=total,
                     seconds_monitor=mon.seconds, seconds_training=total - mon.seconds,
                     overhead=mon.overhead, looks=len(mon.records), deferred=mon.deferred,
                     every=mon.every, window=mon.window,
                     final=[float(theta), float(psi)])
