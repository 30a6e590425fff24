"""`kreiss monitor gan|dirac`: train a GAN with the transient-amplification monitor attached.

Heavy modules (torch, numpy, the numerical core, matplotlib) are imported inside the command
so that ``kreiss --help`` stays fast.
"""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..jsonout import jsonable
from ._app import command, console


class Model(StrEnum):
    gan = "gan"
    dirac = "dirac"


class Reg(StrEnum):
    none = "none"
    r1 = "r1"


@command("monitor", background=True)
def monitor(
    model: Annotated[Model, typer.Argument(help="gan: the paper's GAN (Section 7); dirac: "
                     "the Dirac-GAN of Mescheder et al. (2018), where J has a closed form.",
                     show_default=False)],  # fmt: skip
    out: Annotated[Path, typer.Option("--out", help="Directory for monitor.csv, "
                   "monitor.jsonl, monitor.png and summary.json.")],
    steps: Annotated[int, typer.Option(min=1, help="Training steps.")] = 1000,
    every: Annotated[int, typer.Option(min=1, help="Steps between looks.")] = 100,
    window: Annotated[int, typer.Option(min=1, help="Steps after each look over which the "
                      "product of step Jacobians and the twin run are carried.")] = 5,
    eta: Annotated[float, typer.Option(help="Step size of both players.")] = 0.01,
    reg: Annotated[Reg, typer.Option(help="Discriminator regulariser.")] = Reg.none,
    gamma: Annotated[float, typer.Option(help="R1 weight (with --reg r1).")] = 1.0,
    weight_decay: Annotated[float, typer.Option(help="gan: weight decay on both players.")] = 0.0,
    hidden_g: Annotated[int, typer.Option(min=1, help="gan: generator width.")] = 64,
    hidden_d: Annotated[int, typer.Option(min=1, help="gan: discriminator width.")] = 32,
    depth: Annotated[int, typer.Option(min=1, help="gan: hidden layers per network.")] = 1,
    seed: Annotated[int, typer.Option(min=0, help="gan: initialisation seed.")] = 0,
    budget: Annotated[float, typer.Option(help="Largest fraction of the training time the "
                      "monitor may take (0: no limit).")] = 0.1,
    krylov: Annotated[int, typer.Option(min=3, help="Arnoldi steps per look (matrix-free "
                      "path).")] = 6,
    dense_max: Annotated[int, typer.Option(help="Largest n analysed densely.")] = 500,
    horizon: Annotated[int, typer.Option(min=1, help="Transient window of the dense path.")] = 100,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Train a GAN by simultaneous gradient descent with the monitor attached; write
    monitor.csv (one row per look), monitor.jsonl, monitor.png and summary.json."""
    from rich.progress import Progress

    if not (math.isfinite(eta) and eta > 0):
        raise InputError(f"--eta must be a positive number, got {eta}")
    for name, value in (("--budget", budget), ("--gamma", gamma),
                        ("--weight-decay", weight_decay)):
        if not (math.isfinite(value) and value >= 0):
            raise InputError(f"{name} must be a finite number >= 0, got {value}")
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} exists and is not a directory")
    r1 = gamma if reg is Reg.r1 else 0.0
    kw = dict(every=every, window=window, out=out, budget=budget or None, krylov=krylov,
              dense_max=dense_max, horizon=horizon)
    with Progress(transient=True, console=console(), disable=json_out) as bar:
        task = bar.add_task(f"training the {model.value}", total=steps)

        def tick(k):
            bar.update(task, completed=k + 1)

        if model is Model.gan:
            from ..experiments.gan import GANConfig, monitor_run

            cfg = GANConfig(hidden_g=hidden_g, hidden_d=hidden_d, depth=depth, r1=r1,
                            weight_decay=weight_decay)
            mon, summary = monitor_run(cfg, eta, seed, steps=steps, progress=tick, **kw)
        else:
            from ..experiments.dirac import monitor_dirac

            mon, summary = monitor_dirac(eta, r1, steps=steps, progress=tick, **kw)
    mon.plot(out / "monitor.png")
    summary["files"] = ["monitor.csv", "monitor.jsonl", "monitor.png", "summary.json"]
    (out / "summary.json").write_text(json.dumps(jsonable(summary), indent=1))
    if json_out:
        console().print_json(json.dumps(jsonable(summary)))
        return
    last = mon.records[-1] if mon.records else None
    console().print(f"{model.value}: n = {summary['n']} (p = {summary['p']}), {steps} steps, "
                    f"{summary['looks']} looks ({summary['deferred']} deferred by the budget)",
                    highlight=False)
    console().print(f"training {summary['seconds_training']:.2f} s, monitor "
                    f"{summary['seconds_monitor']:.2f} s: overhead "
                    f"{100 * summary['overhead']:.1f}% of training time", highlight=False)
    if last is not None:
        console().print(f"last look (step {last.step}, {last.method}): rho {last.rho:.6g} "
                        f"({last.rho_status}, {last.verdict}), K >= {last.K_lower:.6g} "
                        f"({last.K_status}), transient peak {last.transient_peak:.6g} at t = "
                        f"{last.transient_argmax:g}, ||B|| {last.norm_B:.3g}, ||C|| "
                        f"{last.norm_C:.3g}", highlight=False)
    console().print(f"wrote {out}/monitor.csv, monitor.jsonl, monitor.png, summary.json",
                    highlight=False)
