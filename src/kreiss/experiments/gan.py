"""Table 3: a small GAN trained by simultaneous gradient descent, and its one-step Jacobian.

Setup (every choice a field of :class:`GANConfig`): data = a 2-D mixture of ``modes``
Gaussians with centres on a circle of radius ``radius`` and std ``data_std``; a fixed batch of
``batch`` real samples and fixed latent noise z ~ N(0, I_2) (drawn from the initialisation's
seed). Generator 2 -> ``hidden_g`` -> 2, discriminator 2 -> ``hidden_d`` -> 1, ReLU, float64.
Losses: discriminator L_D = softplus(-D(x)) + softplus(D(G(z))) (logistic), generator the
non-saturating L_G = softplus(-D(G(z))), batch means. Simultaneous GD with step eta on both.

Measured per initialisation (definitions in docs/reproduce.md):
  J       = Jacobian of one simultaneous GD step at the final parameters w_T
            (``simultaneous_gd_jacobian``, x = generator, y = discriminator; B != 0 here);
  gamma_est = rho(J);  K_est = certified K(J) when rho(J) < 1 (else NaN: unstable);
  T_peak  = argmax_t ||J^t||_2 over t <= horizon (NaN if that is the horizon: no peak);
  T_conv  = first t with ||J^t||_2 < conv_tol (NaN if not reached within horizon);
  train curve = ||w_t - w_T||;
  grad    = ||simultaneous gradient|| at w_T (zero at a stationary point), and
            :func:`eigen_reason`: why rho(J) >= 1.
Settings (:func:`table3`): (a) as above; (b) along training, the monitor's looks
(:class:`kreiss.coupled.Monitor`); (c) the same GAN with the R1 penalty ``r1_setting``
(Mescheder, Geiger & Nowozin 2018); (d) the Dirac-GAN (:mod:`.dirac`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..errors import InputError


@dataclass(frozen=True)
class GANConfig:
    etas: tuple[float, ...] = (0.001, 0.01, 0.1)
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    hidden_g: int = 64
    hidden_d: int = 32
    modes: int = 8
    radius: float = 2.0
    data_std: float = 0.05
    batch: int = 256
    steps: int = 2000
    horizon: int = 1000
    conv_tol: float = 1e-2
    tol: float = 1e-4
    #: hidden layers of each network (the paper's: 1)
    depth: int = 1
    #: R1 penalty (gamma / 2) mean ||grad_x D(x)||^2 on the real batch, added to L_D
    #: (Mescheder et al. 2018); 0: none (the paper's GAN)
    r1: float = 0.0
    #: weight decay (lambda / 2) ||params||^2 added to each player's loss; 0: none
    weight_decay: float = 0.0
    #: setting (c): the R1 weight of the regularised runs beside the plain ones (0: skip)
    r1_setting: float = 1.0
    #: setting (b): monitor looks along each training run (dense, every steps // looks)
    looks: int = 4


def _mlp_params(torch, sizes, gen):
    params = {}
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        params[f"W{i}"] = torch.randn(b, a, generator=gen, dtype=torch.float64) / math.sqrt(a)
        params[f"b{i}"] = torch.zeros(b, dtype=torch.float64)
    return params


def _mlp(torch, params, x):
    """ReLU MLP: every layer but the last followed by a ReLU."""
    layers = len(params) // 2
    for i in range(layers):
        x = x @ params[f"W{i}"].T + params[f"b{i}"]
        if i < layers - 1:
            x = torch.relu(x)
    return x


def gan_problem(cfg: GANConfig, seed: int, dtype=None):
    """The GAN of the module docstring at its seeded initialisation: (loss_g, loss_d, g, d)
    with g, d the generator's and discriminator's parameters (dicts of float64 tensors, or
    ``dtype``: the same draws rounded, data included, as a model trained in float32 has them)
    and the losses functions of (g, d)."""
    import torch

    F = torch.nn.functional
    gen = torch.Generator().manual_seed(int(seed))
    k = torch.randint(cfg.modes, (cfg.batch,), generator=gen)
    ang = 2 * math.pi * k.double() / cfg.modes
    real = cfg.radius * torch.stack([torch.cos(ang), torch.sin(ang)], 1)
    real = real + cfg.data_std * torch.randn(cfg.batch, 2, generator=gen, dtype=torch.float64)
    noise = torch.randn(cfg.batch, 2, generator=gen, dtype=torch.float64)
    g = _mlp_params(torch, (2, *[cfg.hidden_g] * cfg.depth, 2), gen)
    d = _mlp_params(torch, (2, *[cfg.hidden_d] * cfg.depth, 1), gen)
    if dtype is not None:
        if dtype not in (torch.float32, torch.float64):
            raise InputError(f"dtype must be torch.float32 or torch.float64, got {dtype!r}")
        real, noise = real.to(dtype), noise.to(dtype)
        g, d = ({k: v.to(dtype) for k, v in m.items()} for m in (g, d))

    def decay(params):
        return 0.5 * cfg.weight_decay * sum((v * v).sum() for v in params.values())

    def loss_g(gp, dp):
        loss = F.softplus(-_mlp(torch, dp, _mlp(torch, gp, noise))).mean()
        return loss + decay(gp) if cfg.weight_decay else loss

    def loss_d(gp, dp):
        fake = _mlp(torch, gp, noise)
        loss = F.softplus(-_mlp(torch, dp, real)).mean() + F.softplus(_mlp(torch, dp, fake)).mean()
        if cfg.r1:
            gx = torch.func.grad(lambda xr: _mlp(torch, dp, xr).sum())(real)
            loss = loss + 0.5 * cfg.r1 * (gx * gx).sum(1).mean()
        return loss + decay(dp) if cfg.weight_decay else loss

    return loss_g, loss_d, g, d


def train(loss_g, loss_d, g: dict, d: dict, eta: float, steps: int, after=None) -> None:
    """Simultaneous gradient descent with step ``eta``, the plain PyTorch loop a user would
    write: both gradients at the current point by autograd, then both players updated in
    place (so that a monitor holding g and d reads them live); ``after(k, Lg, Ld)`` is called
    after update k = 0, 1, ..."""
    import torch

    for k in range(steps):
        gp = [v.requires_grad_(True) for v in g.values()]
        dp = [v.requires_grad_(True) for v in d.values()]
        Lg, Ld = loss_g(g, d), loss_d(g, d)
        gg = torch.autograd.grad(Lg, gp)
        gd = torch.autograd.grad(Ld, dp)
        with torch.no_grad():
            for v, dv in zip((*gp, *dp), (*gg, *gd), strict=True):
                v.requires_grad_(False)
                v.sub_(eta * dv)
        if after is not None:
            after(k, Lg, Ld)


def eigen_reason(lam: np.ndarray, eta: float) -> dict:
    """Why rho(J) >= 1, from the eigenvalues lambda = 1 - eta mu of J (mu: eigenvalues of
    the Jacobian of the simultaneous gradient field).  |1 - eta mu| < 1 iff Re mu > 0 and
    eta < 2 Re mu / |mu|^2 (Mescheder, Nowozin & Geiger, "The numerics of GANs", NeurIPS
    2017): an
    eigenvalue with Re mu <= 0 is outside the unit disc for every step size (rotation when
    mu is imaginary), the others only for steps above the bound.  Returns: how far outside
    (max |lambda| - 1), how many eigenvalues are outside, how many of those are complex
    (rotation) and how many have Re mu <= 0 (no step size helps), how many lie within 1e-10
    of 1 (flat directions of the losses), and the largest eta the others allow."""
    mu = (1 - lam) / eta
    out = np.abs(lam) > 1
    pos = mu.real > 0
    bound = 2 * mu.real[pos] / np.abs(mu[pos]) ** 2
    return dict(outside=float(np.max(np.abs(lam)) - 1), n_outside=int(out.sum()),
                n_rotation=int((out & (np.abs(lam.imag) > 1e-12)).sum()),
                n_no_step=int((out & ~pos).sum()),
                n_unit=int((np.abs(lam - 1) <= 1e-10).sum()),
                eta_max=float(bound.min()) if bound.size else 0.0)


def run_one(eta: float, seed: int, cfg: GANConfig) -> dict:
    """Train one GAN with the monitor attached (setting (b)) and measure its Jacobian at
    w_T (setting (a); setting (c) when ``cfg.r1`` > 0) (module docstring)."""
    import torch

    from ..coupled.jacobian import simultaneous_gd_jacobian, simultaneous_gd_step
    from ..coupled.monitor import Monitor
    from ..errors import UnstableError
    from ..linalg.kreiss_constant import kreiss_constant
    from ..linalg.transient import transient

    loss_g, loss_d, g, d = gan_problem(cfg, seed)
    traj, lg, ld = [], [], []
    mon = Monitor.simultaneous_gd(loss_g, loss_d, g, d, eta, eta,
                                  every=max(cfg.steps // max(cfg.looks, 1), 1), window=5,
                                  horizon=min(cfg.horizon, 100), budget=None)

    def after(k, Lg, Ld):
        traj.append(torch.cat([v.reshape(-1) for v in (*g.values(), *d.values())]).numpy())
        lg.append(float(Lg.detach()))
        ld.append(float(Ld.detach()))
        mon.step()

    with mon:
        train(loss_g, loss_d, g, d, eta, cfg.steps, after)
    traj = np.asarray(traj)
    dist = np.linalg.norm(traj - traj[-1], axis=1)
    res = simultaneous_gd_jacobian(loss_g, loss_d, g, d, eta, eta)
    step, w, _, _ = simultaneous_gd_step(loss_g, loss_d, g, d, eta, eta)
    grad = float((step(w) - w).norm()) / eta  # the simultaneous gradient at w_T
    J = np.asarray(res.J)
    lam = np.linalg.eigvals(J)
    rho = float(np.max(np.abs(lam)))
    st = res.structure
    try:
        K = kreiss_constant(J, tol=cfg.tol).value
    except UnstableError:
        K = float("nan")
    curve = transient(J, horizon=cfg.horizon, curve=True, maxiter=cfg.horizon)
    norms = curve.norms
    T_peak = curve.argmax if curve.argmax < curve.horizon else math.nan  # still growing
    below = np.nonzero(norms[1:] < cfg.conv_tol)[0]
    return dict(
        eta=eta, seed=seed, n=J.shape[0], p=res.p, gamma_est=rho, K_est=K,
        T_peak=T_peak, T_conv=float(below[0] + 1) if below.size else float("nan"),
        sup_norm=float(norms.max()), norm_B=float(np.linalg.norm(res.B, 2)),
        norm_C=float(np.linalg.norm(res.C, 2)), paper_class=bool(st.paper_class),
        rho_A=float(st.rho_A), rho_D=float(st.rho_D), grad=grad, r1=cfg.r1,
        symmetric_A=bool(st.symmetric_A), symmetric_D=bool(st.symmetric_D),
        **eigen_reason(lam, eta), looks=[r.to_dict() for r in mon.records],
        loss_g=lg, loss_d=ld, dist=dist.tolist(), norms=norms.tolist(),
    )


#: columns of the Table 3 rows (mean and std over the seeds)
TABLE3_KEYS = ("gamma_est", "T_peak", "K_est", "T_conv", "sup_norm", "norm_B", "norm_C",
               "grad", "outside", "n_outside", "n_rotation", "n_no_step", "n_unit", "eta_max")


def _rows(cfg: GANConfig, per_all: list[dict]) -> list[dict]:
    """Mean and std over the seeds of each eta's runs."""
    rows, k = [], len(cfg.seeds)
    for j, eta in enumerate(cfg.etas):
        per = per_all[j * k:(j + 1) * k]
        row = dict(eta=eta)
        for key in TABLE3_KEYS:
            a = np.array([p[key] for p in per], dtype=float)
            row[f"{key}_mean"] = float(np.mean(a))
            row[f"{key}_std"] = float(np.std(a, ddof=1)) if a.size > 1 else 0.0
        row.update(n=per[0]["n"], p=per[0]["p"], seeds=len(per),
                   paper_class=all(p["paper_class"] for p in per),
                   symmetric_A=all(p["symmetric_A"] for p in per),
                   symmetric_D=all(p["symmetric_D"] for p in per))
        rows.append(row)
    return rows


def _trajectory(cfg: GANConfig, per_all: list[dict]) -> list[dict]:
    """Setting (b): the monitor's looks along training, summarised per eta."""
    out, k = [], len(cfg.seeds)
    for j, eta in enumerate(cfg.etas):
        looks = [x for p in per_all[j * k:(j + 1) * k] for x in p["looks"]]
        rho = np.array([x["rho"] for x in looks], dtype=float)
        ratio = np.array([float(x["perturbation_growth"]) / float(x["linear_growth"])
                          for x in looks if x["window"] == 5], dtype=float)
        out.append(dict(eta=eta, looks=len(looks), stable=int((rho < 1).sum()),
                        rho_min=float(rho.min()), rho_max=float(rho.max()),
                        peak_max=max(float(x["transient_peak"]) for x in looks),
                        product_max=max(float(x["product_norm"]) for x in looks),
                        twin_over_linear=float(np.median(ratio)) if ratio.size else math.nan))
    return out


def table3(cfg: GANConfig, progress=None, client=None) -> tuple[list[dict], dict]:
    """Table 3 in its four settings: rows of (a) (w_T of the plain GAN), and in ``raw``:
    "runs" and "r1" (every run of the plain and the R1 GAN, by eta), "rows_r1" (setting
    (c)), "trajectory" (setting (b), the monitor's looks) and "dirac" (setting (d)).  The
    (eta, seed, setting) runs go through :func:`kreiss.cells.run_cells`."""
    from ..cells import run_cells
    from .dirac import table3_dirac

    configs = [cfg] + ([replace(cfg, r1=cfg.r1_setting)] if cfg.r1_setting else [])
    cells = [(eta, seed, c) for c in configs for eta in cfg.etas for seed in cfg.seeds]
    per_all = run_cells(run_one, cells, client=client,
                        done=lambda i, r: progress("table3") if progress else None)
    m = len(cfg.etas) * len(cfg.seeds)
    plain, r1 = per_all[:m], per_all[m:]
    k = len(cfg.seeds)

    def by_eta(per):
        return {str(eta): per[j * k:(j + 1) * k] for j, eta in enumerate(cfg.etas)}

    raw = dict(runs=by_eta(plain), r1=by_eta(r1), rows_r1=_rows(cfg, r1) if r1 else [],
               trajectory=_trajectory(cfg, plain), dirac=table3_dirac())
    return _rows(cfg, plain), raw


def cells_count(cfg: GANConfig) -> int:
    """Runs of :func:`table3` (for progress bars)."""
    return len(cfg.etas) * len(cfg.seeds) * (2 if cfg.r1_setting else 1)


def monitor_run(cfg: GANConfig, eta: float, seed: int, *, steps: int | None = None,
                progress=None, **monitor):
    """Train the GAN of ``cfg`` (``steps`` updates, default ``cfg.steps``) with a
    :class:`kreiss.coupled.Monitor` attached to the plain loop (:func:`train`); ``monitor``
    are its keyword arguments (every, window, out, budget, ...), ``progress(k)`` is called
    after each update.  Returns (monitor, summary): n, p, steps, the loop's and the
    monitor's seconds, the overhead (monitor / loop) and the looks taken and deferred."""
    import time

    from ..coupled.monitor import Monitor

    loss_g, loss_d, g, d = gan_problem(cfg, seed)
    steps = cfg.steps if steps is None else int(steps)
    mon = Monitor.simultaneous_gd(loss_g, loss_d, g, d, eta, eta, **monitor)

    def after(k, Lg, Ld):
        mon.step()
        if progress is not None:
            progress(k)

    t0 = time.perf_counter()
    with mon:
        train(loss_g, loss_d, g, d, eta, steps, after)
    total = time.perf_counter() - t0
    summary = dict(n=mon.n, p=mon.p, steps=steps, eta=eta, seed=seed,
                   seconds=total, seconds_monitor=mon.seconds,
                   seconds_training=total - mon.seconds, overhead=mon.overhead,
                   looks=len(mon.records), deferred=mon.deferred, every=mon.every,
                   window=mon.window)
    return mon, summary
