"""Overhead of the training monitor (issue #11): the paper's GAN grown to ~10^5 parameters
(two hidden layers of width 224, as in bench_matfree) trained by simultaneous GD with the
monitor attached at every = 100, against the same loop without it, timed in the same run.

Printed per setting: seconds of the plain loop, of the monitored loop, the monitor's own
seconds and their ratio to the loop (the overhead), looks taken / deferred, the products
per look (which do not drift) and the cost of one look in training steps.  Timings are the
minimum over ``--repeats`` runs; these 2-core machines drift 10-30% between runs.

    python benchmarks/bench_monitor.py [--steps 1000] [--repeats 2] [--small]
"""

from __future__ import annotations

import argparse
import time

from kreiss.experiments.gan import GANConfig, gan_problem, monitor_run, train


def plain_seconds(cfg, steps, repeats):
    best = float("inf")
    for _ in range(repeats):
        lg, ld, g, d = gan_problem(cfg, 0)
        t0 = time.perf_counter()
        train(lg, ld, g, d, 0.01, steps)
        best = min(best, time.perf_counter() - t0)
    return best


def monitored(cfg, steps, repeats, **kw):
    best = None
    for _ in range(repeats):
        mon, s = monitor_run(cfg, 0.01, 0, steps=steps, **kw)
        if best is None or s["seconds"] < best[1]["seconds"]:
            best = (mon, s)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--small", action="store_true", help="the paper's GAN only (n = 451)")
    a = ap.parse_args()
    settings = [("paper's GAN, n = 451 (dense looks)", GANConfig(), {})]
    if not a.small:
        settings.append(("GAN 2-224-224-2 / 2-224-224-1, n = 102819 (matrix-free looks)",
                         GANConfig(hidden_g=224, hidden_d=224, depth=2), {}))
    for label, cfg, extra in settings:
        base = plain_seconds(cfg, a.steps, a.repeats)
        step_s = base / a.steps
        print(f"\n{label}: plain loop {base:.2f} s ({1e3 * step_s:.2f} ms per step)")
        for budget in (None, 0.1):
            mon, s = monitored(cfg, a.steps, a.repeats, every=100, budget=budget, **extra)
            looks = mon.records
            per_look = s["seconds_monitor"] / max(len(looks), 1)
            products = [r.products for r in looks]
            print(f"  every = 100, budget {budget}: monitored loop {s['seconds']:.2f} s, "
                  f"monitor {s['seconds_monitor']:.2f} s = {100 * s['overhead']:.1f}% of "
                  f"the loop ({s['seconds'] / base:.2f}x the plain loop); "
                  f"{len(looks)} looks, {s['deferred']} deferred; products per look "
                  f"{products[0] if products else 0} (+{s['window']} in the window); one look "
                  f"and its window ~ {per_look / step_s:.0f} training steps")


if __name__ == "__main__":
    main()
