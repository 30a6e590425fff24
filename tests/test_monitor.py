"""The training monitor against dense kreiss and explicit products, the Dirac-GAN closed
forms, the `kreiss monitor` command, and the framework adapters."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from kreiss.coupled.dirac import (  # noqa: E402
    dirac_gan,
    dirac_gan_eigenvalues,
    dirac_gan_jacobian,
    dirac_gan_max_step,
)
from kreiss.coupled.jacobian import simultaneous_gd_jacobian  # noqa: E402
from kreiss.coupled.monitor import COLUMNS, Monitor  # noqa: E402
from kreiss.errors import InputError  # noqa: E402
from kreiss.linalg import kreiss_constant, spectral_radius, transient  # noqa: E402

ETA = 0.05


def _game(seed=0, p=5, q=4, quartic=0.1):
    """A smooth nonlinear two-player game (quadratic + quartic) and a start point."""
    g = torch.Generator().manual_seed(seed)
    P = torch.randn(p, p, generator=g, dtype=torch.float64)
    P = P @ P.T / p + 0.5 * torch.eye(p, dtype=torch.float64)
    Q = torch.randn(q, q, generator=g, dtype=torch.float64)
    Q = Q @ Q.T / q + 0.5 * torch.eye(q, dtype=torch.float64)
    M = torch.randn(p, q, generator=g, dtype=torch.float64)
    N = 3 * torch.randn(q, p, generator=g, dtype=torch.float64)

    def F(x, y):
        return 0.5 * x @ P @ x + x @ M @ y + quartic * (x**4).sum()

    def G(x, y):
        return 0.5 * y @ Q @ y - y @ N @ x + quartic * (y**4).sum()

    x0 = torch.randn(p, generator=g, dtype=torch.float64)
    y0 = torch.randn(q, generator=g, dtype=torch.float64)
    return F, G, x0, y0


def _train(F, G, x, y, steps, mon=None, states=None):
    """Plain simultaneous GD in place; the state after each update goes to ``states``."""
    for _ in range(steps):
        xr, yr = x.clone().requires_grad_(), y.clone().requires_grad_()
        gx = torch.autograd.grad(F(xr, y), xr)[0]
        gy = torch.autograd.grad(G(x, yr), yr)[0]
        with torch.no_grad():
            x -= ETA * gx
            y -= ETA * gy
        if states is not None:
            states.append(torch.cat([x, y]).clone())
        if mon is not None:
            mon.step()


def _monitored(dense_max, steps=45, every=20, window=4, quartic=0.1, **kw):
    F, G, x, y = _game(quartic=quartic)
    states = []
    mon = Monitor.simultaneous_gd(F, G, x, y, ETA, ETA, every=every, window=window,
                                  dense_max=dense_max, budget=None, **kw)
    with mon:
        _train(F, G, x, y, steps, mon, states)
    return F, G, mon, states


def _J(F, G, w, p=5):
    return np.asarray(simultaneous_gd_jacobian(F, G, w[:p], w[p:], ETA, ETA).J)


def test_dense_look_matches_dense_kreiss():
    F, G, mon, states = _monitored(dense_max=100)
    assert [r.step for r in mon.records] == [0, 20, 40]
    for r in mon.records:
        J = _J(F, G, states[r.step])
        assert r.method == "dense" and r.rho_status == "estimate"
        assert r.rho == pytest.approx(spectral_radius(J), rel=1e-13)
        assert r.norm_B == pytest.approx(np.linalg.norm(J[:5, 5:], 2), rel=1e-12)
        assert r.norm_C == pytest.approx(np.linalg.norm(J[5:, :5], 2), rel=1e-12)
        if r.rho < 1:
            K = kreiss_constant(J)
            assert K.lower <= r.K_upper * (1 + 1e-12) and r.K_lower <= K.upper * (1 + 1e-12)
        else:
            assert math.isinf(r.K_lower)
        tr = transient(J, horizon=100, curve=True)
        assert r.transient_peak == pytest.approx(tr.sup, rel=1e-10)


def test_product_norm_is_the_product_of_the_step_jacobians_met():
    F, G, mon, states = _monitored(dense_max=100)
    for r in mon.records:
        assert r.window == 4 and r.product_status == "exact"
        P = np.eye(9)
        for t in range(r.step, r.step + r.window):
            P = _J(F, G, states[t]) @ P
        assert r.product_norm == pytest.approx(np.linalg.norm(P, 2), rel=1e-10)
        assert r.linear_growth <= r.product_norm * (1 + 1e-12)
        # the twin run is the nonlinear map: it agrees with the linear prediction to
        # first order in the perturbation (1e-4 relative)
        assert r.perturbation_growth == pytest.approx(r.linear_growth, rel=1e-2)


def test_linear_game_twin_equals_linear_prediction():
    F, G, mon, _ = _monitored(dense_max=100, quartic=0.0, perturbation=1e-2)
    for r in mon.records:
        assert r.perturbation_growth == pytest.approx(r.linear_growth, rel=1e-9)


def test_krylov_look_bounds_from_below():
    F, G, mon, states = _monitored(dense_max=3, krylov=8)
    for r in mon.records:
        J = _J(F, G, states[r.step])
        assert r.method == "krylov" and r.K_status == "witnessed" and math.isinf(r.K_upper)
        assert r.rho_status == "estimate" and r.transient_status == "estimate"
        if spectral_radius(J) < 1:
            assert r.K_lower <= kreiss_constant(J).upper * (1 + 1e-9)
        sup = transient(J, horizon=int(r.transient_horizon), curve=True).sup
        assert r.transient_peak <= sup * (1 + 1e-9)
        assert r.norm_B <= np.linalg.norm(J[:5, 5:], 2) * (1 + 1e-12)
        assert r.norm_C <= np.linalg.norm(J[5:, :5], 2) * (1 + 1e-12)
        # Arnoldi on 8 of 9 dimensions: the Ritz value is close to the spectral radius
        assert abs(r.rho - spectral_radius(J)) <= 0.05
        # the product along d against the explicit product
        assert r.product_status == "witnessed"
        assert r.product_norm <= _window_norm(F, G, states, r) * (1 + 1e-12)
        assert r.perturbation_growth == pytest.approx(r.linear_growth, rel=1e-2)


def _window_norm(F, G, states, r):
    P = np.eye(9)
    for t in range(r.step, r.step + r.window):
        P = _J(F, G, states[t]) @ P
    return np.linalg.norm(P, 2)


def test_monitor_writes_csv_and_jsonl(tmp_path):
    F, G, x, y = _game()
    with Monitor.simultaneous_gd(F, G, x, y, ETA, ETA, every=10, window=3, budget=None,
                                 out=tmp_path) as mon:
        _train(F, G, x, y, 25, mon)
    rows = list(csv.DictReader((tmp_path / "monitor.csv").open()))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 3
    assert float(rows[1]["rho"]) == pytest.approx(mon.records[1].rho, rel=1e-15)
    lines = [json.loads(s) for s in (tmp_path / "monitor.jsonl").read_text().splitlines()]
    assert [d["step"] for d in lines] == [0, 10, 20]
    fig = mon.plot(tmp_path / "m.png")
    assert (tmp_path / "m.png").stat().st_size > 0 and len(fig.axes) == 4


def test_budget_defers_looks():
    F, G, x, y = _game()
    mon = Monitor.simultaneous_gd(F, G, x, y, ETA, ETA, every=2, window=1, budget=1e-6)
    with mon:
        _train(F, G, x, y, 20, mon)
    assert len(mon.records) == 1 and mon.deferred == 9  # the first look is always taken


@pytest.mark.parametrize("kw", [dict(every=0), dict(window=1.5), dict(budget=-1),
                                dict(perturbation=2.0), dict(krylov=2)])
def test_monitor_bad_arguments(kw):
    F, G, x, y = _game()
    with pytest.raises(InputError):
        Monitor.simultaneous_gd(F, G, x, y, ETA, ETA, **kw)


# -- the Dirac-GAN --------------------------------------------------------------------------


@pytest.mark.parametrize("h,gamma", [(0.1, 0.0), (0.3, 0.5), (1.0, 1.0), (0.5, 3.0)])
def test_dirac_gan_jacobian_and_spectrum(h, gamma):
    F, G = dirac_gan(gamma)
    z = torch.zeros((), dtype=torch.float64)
    J = np.asarray(simultaneous_gd_jacobian(F, G, z, z, h, h).J)
    np.testing.assert_allclose(J, dirac_gan_jacobian(h, gamma), rtol=0, atol=1e-15)
    lam = np.sort_complex(np.linalg.eigvals(J))
    exact = np.sort_complex(np.array(dirac_gan_eigenvalues(h, gamma)))
    np.testing.assert_allclose(lam, exact, atol=1e-7)
    # Mescheder et al. (2018): without R1 |lambda|^2 = 1 + h^2/4 for every h
    if gamma == 0:
        assert spectral_radius(J) == pytest.approx(math.sqrt(1 + h * h / 4), rel=1e-14)
    else:
        assert (spectral_radius(J) < 1) == (h < dirac_gan_max_step(gamma))


def test_dirac_gan_kreiss_two_ways():
    from kreiss.experiments.dirac import kreiss_closed_form

    for h, gamma in ((1.0, 1.0), (0.5, 3.0), (0.1, 1.0)):
        J = dirac_gan_jacobian(h, gamma)
        K = kreiss_constant(J)
        closed, _ = kreiss_closed_form(J)
        assert K.lower <= closed * (1 + 1e-9) and closed <= K.upper * (1 + 1e-9)


def test_dirac_gan_monitor_converges_with_r1():
    from kreiss.experiments.dirac import monitor_dirac

    mon, summary = monitor_dirac(0.5, 3.0, steps=200, every=50, window=5, budget=None)
    assert np.hypot(*summary["final"]) < 1e-3
    last = mon.records[-1]
    assert last.rho == pytest.approx(spectral_radius(dirac_gan_jacobian(0.5, 3.0)), rel=1e-3)
    mon, summary = monitor_dirac(0.1, 0.0, steps=200, every=50, window=5, budget=None)
    assert np.hypot(*summary["final"]) > np.hypot(1.0, 1.0)  # spirals outwards


# -- the command and the adapters -------------------------------------------------------------


def test_cli_monitor_dirac(tmp_path):
    from typer.testing import CliRunner

    from kreiss.cli import app

    out = tmp_path / "m"
    res = CliRunner().invoke(app, ["monitor", "dirac", "--out", str(out), "--steps", "60",
                                   "--every", "20", "--reg", "r1", "--gamma", "3",
                                   "--eta", "0.5", "--budget", "0"])
    assert res.exit_code == 0, res.output
    assert "overhead" in res.output
    rows = list(csv.DictReader((out / "monitor.csv").open()))
    assert len(rows) == 3 and {"step", "rho", "K_lower", "transient_peak", "norm_B",
                               "product_norm", "perturbation_growth", "seconds"} <= set(rows[0])
    assert (out / "monitor.png").stat().st_size > 0
    assert json.loads((out / "summary.json").read_text())["looks"] == 3
    for opt, val in (("--eta", "nan"), ("--gamma", "-1"), ("--weight-decay", "inf"),
                     ("--budget", "-0.5")):
        bad = CliRunner().invoke(app, ["monitor", "gan", "--out", str(out), opt, val])
        assert bad.exit_code == 2 and opt.lstrip("-").split("-")[0] in bad.output
        assert "Traceback" not in bad.output


def test_lightning_adapter():
    pl = pytest.importorskip("lightning.pytorch", reason="the lightning extra is not installed")
    from kreiss.coupled.adapters import lightning_callback

    F, G, x, y = _game()

    class Game(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.x = torch.nn.Parameter(x.clone())
            self.y = torch.nn.Parameter(y.clone())
            self.automatic_optimization = False

        def training_step(self, batch, idx):
            gx = torch.autograd.grad(F(self.x, self.y.detach()), self.x)[0]
            gy = torch.autograd.grad(G(self.x.detach(), self.y), self.y)[0]
            with torch.no_grad():
                self.x -= ETA * gx
                self.y -= ETA * gy

        def train_dataloader(self):
            return torch.utils.data.DataLoader(torch.zeros(12, 1), batch_size=1)

        def configure_optimizers(self):
            return None

    model = Game()
    mon = Monitor.simultaneous_gd(F, G, model.x, model.y, ETA, ETA, every=5, window=2,
                                  budget=None)
    trainer = pl.Trainer(max_epochs=1, callbacks=[lightning_callback(mon)], logger=False,
                         enable_checkpointing=False, enable_progress_bar=False,
                         enable_model_summary=False, accelerator="cpu")
    trainer.fit(model)
    assert [r.step for r in mon.records] == [0, 5, 10]
    states = []
    _train(F, G, x.clone(), y.clone(), 1, states=states)  # the first look follows update 1
    assert mon.records[0].rho == pytest.approx(spectral_radius(_J(F, G, states[0])), rel=1e-12)


def test_huggingface_adapter(tmp_path):
    tr = pytest.importorskip("transformers", reason="the huggingface extra is not installed")
    from kreiss.coupled.adapters import huggingface_callback

    F, G, x, y = _game()

    class Game(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.x = torch.nn.Parameter(x.clone())
            self.y = torch.nn.Parameter(y.clone())

        def forward(self, z=None, labels=None):
            # one loss whose gradient is the simultaneous-GD field (F in x, G in y)
            loss = F(self.x, self.y.detach()) + G(self.x.detach(), self.y)
            return {"loss": loss}

    model = Game()
    mon = Monitor.simultaneous_gd(F, G, model.x, model.y, ETA, ETA, every=4, window=2,
                                  budget=None)
    args = tr.TrainingArguments(output_dir=str(tmp_path), max_steps=10, learning_rate=ETA,
                                per_device_train_batch_size=1, lr_scheduler_type="constant",
                                optim="sgd", weight_decay=0.0, report_to=[],
                                save_strategy="no", use_cpu=True, logging_strategy="no",
                                max_grad_norm=0.0)
    ds = [{"z": torch.zeros(1)} for _ in range(10)]
    trainer = tr.Trainer(model=model, args=args, train_dataset=ds,
                         callbacks=[huggingface_callback(mon)])
    trainer.train()
    assert [r.step for r in mon.records] == [0, 4, 8]
    # Trainer's SGD is exactly simultaneous GD here, so the twin follows the loop
    assert all(r.perturbation_growth == pytest.approx(r.linear_growth, rel=1e-2)
               for r in mon.records if r.window == 2)


def test_tensorboard_scalars(tmp_path):
    pytest.importorskip("tensorboard", reason="the tensorboard extra is not installed")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    F, G, x, y = _game()
    with Monitor.simultaneous_gd(F, G, x, y, ETA, ETA, every=10, window=2, budget=None,
                                 out=tmp_path, tensorboard=True) as mon:
        _train(F, G, x, y, 25, mon)
    acc = EventAccumulator(str(tmp_path / "tensorboard"))
    acc.Reload()
    rho = [e.value for e in acc.Scalars("kreiss/rho")]
    assert rho == pytest.approx([r.rho for r in mon.records], rel=1e-6)


def test_readme_training_loop_runs(tmp_path, monkeypatch):
    """The README's plain loop with the monitor attached, shortened to 120 steps."""
    import re
    from pathlib import Path

    text = (Path(__file__).parents[1] / "README.md").read_text()
    section = text[text.index("## Watching a training loop"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert "mon.step()" in code
    monkeypatch.chdir(tmp_path)
    torch.manual_seed(0)
    scope: dict = {}
    exec(compile(code.replace("range(1000)", "range(120)"), "README", "exec"), scope)
    mon = scope["mon"]
    assert mon.records[0].step == 0 and len(mon.records) + mon.deferred == 2
    assert (tmp_path / "runs/monitor/monitor.csv").exists()
    assert (tmp_path / "runs/monitor/monitor.png").exists()


def test_single_player_krylov_look():
    # q = 0: plain gradient descent on one player; J = I - eta H is symmetric
    torch.manual_seed(0)
    M = torch.randn(6, 6, dtype=torch.float64)
    H = M @ M.T / 6 + torch.eye(6, dtype=torch.float64)
    w = torch.randn(6, dtype=torch.float64, requires_grad=False)

    def update(v):
        return v - ETA * (H @ v)

    mon = Monitor(update, lambda: w, 6, every=5, window=2, dense_max=2, krylov=5,
                  budget=None)
    for _ in range(8):
        with torch.no_grad():
            w.copy_(update(w))
        mon.step()
    mon.close()
    J = np.eye(6) - ETA * H.numpy()
    for r in mon.records:
        assert (r.norm_B, r.norm_C, r.asym_D) == (0.0, 0.0, 0.0)
        assert r.asym_A <= 1e-12 and r.K_lower <= kreiss_constant(J).upper * (1 + 1e-9)


@pytest.mark.parametrize("dense_max", [500, 10])
def test_float32_modules_are_watched_in_their_precision(dense_max):
    """nn.Modules in float32 with float32 data (a loop as torch users write it) on both
    paths: the look's rho matches the float64 J of the same point to float32 rounding."""
    gen = torch.Generator().manual_seed(3)
    data = torch.randn(32, 2, generator=gen)
    torch.manual_seed(3)
    gnet = torch.nn.Sequential(torch.nn.Linear(2, 6), torch.nn.Tanh(), torch.nn.Linear(6, 2))
    dnet = torch.nn.Sequential(torch.nn.Linear(2, 6), torch.nn.Tanh(), torch.nn.Linear(6, 1))
    call = torch.func.functional_call

    def game(x):  # the objectives, closing over the data x
        def F(g, d):
            return torch.nn.functional.softplus(-call(dnet, d, (call(gnet, g, (x,)),))).mean()

        def G(g, d):
            fake = call(gnet, g, (x,))
            return (torch.nn.functional.softplus(call(dnet, d, (fake,))).mean()
                    + torch.nn.functional.softplus(-call(dnet, d, (x + 1,))).mean())

        return F, G

    mon = Monitor.simultaneous_gd(*game(data), gnet, dnet, 0.1, 0.1, every=1, window=1,
                                  dense_max=dense_max, krylov=20, budget=None)
    mon.step()
    mon.step()
    mon.close()
    rec = mon.records[0]
    g = {k: v.detach().double() for k, v in gnet.named_parameters()}
    d = {k: v.detach().double() for k, v in dnet.named_parameters()}
    rho = spectral_radius(simultaneous_gd_jacobian(*game(data.double()), g, d, 0.1, 0.1).J)
    assert rec.rho == pytest.approx(rho, rel=1e-5 if dense_max == 500 else 1e-3)
