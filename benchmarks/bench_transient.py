"""Benchmark: the certified sup_t ||J^t|| by branch and bound over t against walking t = 1, 2, ...

Run by hand:  .venv/bin/python benchmarks/bench_transient.py [--repeats 3]

Cases (issue 14, part 1):
- the 2 x 2 Jordan block [[a, 1], [0, a]] at a = 0.999 and 0.99999 (target: < 0.1 s at
  0.99999); baseline: ``transient(curve=True, until="certified")``, every t until a norm is
  certified below 1 or its default cap of 1e5 steps (at 0.99999 it needs ~2e6), timed in full;
- the paper's class, n = 200, gamma = 0.9999, ||C|| = 1 and 0.01 (target: < 2 s); the
  walk's baseline is timed on its first 3000 steps and scaled to the steps it needs (the
  first t with ||J^t|| < 1, which the branch and bound reports).
Times are the minimum over the repeats; the counts (products, nodes) do not drift.  The
agreement column compares the two sups where the walk ran in full.
"""

import argparse
import time

import numpy as np
from _instances import block_triangular

from kreiss import transient
from kreiss.linalg.schur import schur_form

PROBE = 3000  # steps of the walk timed for the class, then scaled


def best_of(f, repeats):
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return out, min(times), max(times)


def steps_to_certify(S, res) -> int:
    """The first t >= 1 with ||J^t|| < 1 among the norms the branch and bound computed
    (an upper estimate of the steps the walk needs)."""
    below = res.t[(res.t > 0) & (res.norms < 1)]
    return int(below.min()) if below.size else int(res.horizon)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    print("case | branch and bound (min..max s) | products, nodes | walk baseline | ratio | "
          "sup, rel. diff")
    for a in (0.999, 0.99999):
        S = schur_form(np.array([[a, 1.0], [0.0, a]]))
        res, tb, tb_hi = best_of(lambda S=S: transient(None, schur=S), args.repeats)
        walk, tw, _ = best_of(
            lambda S=S: transient(None, schur=S, curve=True, until="certified"), 1)
        print(f"Jordan a = {a} | {tb:.4f}..{tb_hi:.4f} s | {res.evaluations}, {res.nodes} | "
              f"{tw:.2f} s ({walk.evaluations} steps, certified {walk.certified}) | "
              f"{tw / tb:.0f}x | "
              f"{res.sup:.12g} at t = {res.argmax:.0f}, {abs(res.sup - walk.sup) / walk.sup:.1e}"
              f" (gap {res.sup_upper / res.sup - 1:.1e}, certified {res.certified})")
    for c in (1.0, 0.01):
        J, blocks = block_triangular(200, 0.9999, c, seed=0)
        S = schur_form(J, blocks=blocks)
        res, tb, tb_hi = best_of(lambda S=S: transient(None, schur=S), args.repeats)
        _, tw, _ = best_of(lambda S=S: transient(None, schur=S, curve=True, horizon=PROBE), 1)
        need = steps_to_certify(S, res)
        tw_full = tw * need / PROBE
        print(f"class n = 200, gamma = 0.9999, c = {c} | {tb:.3f}..{tb_hi:.3f} s | "
              f"{res.evaluations}, {res.nodes} | {tw_full:.0f} s (scaled from {PROBE} of "
              f"~{need} steps) | {tw_full / tb:.0f}x | {res.sup:.12g} at t = {res.argmax:.0f} "
              f"(gap {res.sup_upper / res.sup - 1:.1e}, certified {res.certified})")


if __name__ == "__main__":
    main()
