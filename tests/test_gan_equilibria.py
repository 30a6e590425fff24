"""Why Table 3 (c) has no finite K for ReLU GANs (docs/reproduce.md): at a stationary point
of a GAN whose losses are invariant under rescaling a ReLU unit, (W_in, b_in, W_out) ->
(c W_in, c b_in, W_out / c), the orbit is a curve of stationary points, so the step
Jacobian J fixes its tangent: J v = v, rho(J) >= 1 and K(J) = inf."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from kreiss.coupled.jacobian import simultaneous_gd_jacobian  # noqa: E402
from kreiss.experiments.gan import _mlp  # noqa: E402
from kreiss.linalg import spectral_radius  # noqa: E402


def _params(sizes, gen):
    P = {}
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        P[f"W{i}"] = torch.randn(b, a, generator=gen, dtype=torch.float64) / math.sqrt(a)
        P[f"b{i}"] = 0.1 * torch.randn(b, generator=gen, dtype=torch.float64)
    return P


def test_relu_gan_equilibrium_has_eigenvalue_one():
    gen = torch.Generator().manual_seed(0)
    noise = torch.randn(32, 2, generator=gen, dtype=torch.float64)
    g = _params((2, 6, 2), gen)                       # the generator at the teacher
    real = _mlp(torch, g, noise).detach()             # realisable data: fake == real
    d = _params((2, 5, 1), gen)
    d["W1"] = torch.zeros_like(d["W1"])               # D = const: its input gradient is 0
    d["b1"] = torch.zeros_like(d["b1"])
    sp, gamma = torch.nn.functional.softplus, 1.0

    def loss_g(gp, dp):
        return sp(-_mlp(torch, dp, _mlp(torch, gp, noise))).mean()

    def loss_d(gp, dp):
        gx = torch.func.grad(lambda x: _mlp(torch, dp, x).sum())(real)
        return (sp(-_mlp(torch, dp, real)).mean() + sp(_mlp(torch, dp, _mlp(torch, gp, noise)))
                .mean() + 0.5 * gamma * (gx * gx).sum(1).mean())   # R1

    eta = 0.05
    res = simultaneous_gd_jacobian(loss_g, loss_d, g, d, eta, eta)
    J = np.asarray(res.J)
    # the rescaling tangent of generator unit 0: d/dc (c W0[0], c b0[0], W1[:, 0] / c) at 1
    parts = {"W0": torch.zeros(6, 2), "b0": torch.zeros(6), "W1": torch.zeros(2, 6),
             "b1": torch.zeros(2)}
    parts["W0"][0], parts["b0"][0], parts["W1"][:, 0] = g["W0"][0], g["b0"][0], -g["W1"][:, 0]
    v = np.zeros(J.shape[0])
    v[:res.p] = torch.cat([parts[k].reshape(-1) for k in g]).numpy()
    fixed = np.linalg.norm(J @ v - v) / np.linalg.norm(v)
    u = np.zeros_like(v)
    u[:res.p] = np.random.default_rng(0).standard_normal(res.p)
    moved = np.linalg.norm(J @ u - u) / np.linalg.norm(u)
    assert fixed <= 1e-8 and moved >= 1e3 * fixed  # v is fixed up to rounding, u is not
    assert spectral_radius(J) >= 1 - 1e-8


def test_gan_as_a_float32_model_has_the_float64_jacobian_to_rounding():
    from kreiss.errors import InputError
    from kreiss.experiments.gan import GANConfig, gan_problem

    cfg = GANConfig(hidden_g=8, hidden_d=8)
    J64 = simultaneous_gd_jacobian(*gan_problem(cfg, 0), 0.05, 0.05).J
    lg, ld, g, d = gan_problem(cfg, 0, dtype=torch.float32)
    assert all(v.dtype == torch.float32 for v in [*g.values(), *d.values()])
    J32 = simultaneous_gd_jacobian(lg, ld, g, d, 0.05, 0.05).J  # runs only in float32
    err = np.abs(J32 - J64).max()
    assert 0 < err < 1e-5 * np.abs(J64).max()
    with pytest.raises(InputError, match="dtype must be"):
        gan_problem(cfg, 0, dtype=torch.int64)
