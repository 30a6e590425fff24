"""Benchmark: pseudospectra time against n, Grcar(n) on a fixed 100 x 100 grid (issue 14,
part 5: no cliffs).

Run by hand:  .venv/bin/python benchmarks/bench_pseudospectra_scaling.py [--max-n 1600]

For n = 50, 100, ..., max-n: the Schur factorisation and the grid (x in [-1, 3], y in
[-3.5, 3.5]) timed separately (min of 2 repeats up to n = 400, one run above), the number
of points on the rounding floor, and the exponent of a least-squares fit t ~ n^p of the grid
time over n >= 100.  Baseline in the same run: one dense SVD per point, timed on 20 points
and scaled to the grid, where n <= 400.
"""

import argparse
import time

import numpy as np
from _instances import grcar

from kreiss import pseudospectra
from kreiss.linalg.schur import schur_form
from kreiss.linalg.sigma_min import floor

X = np.linspace(-1, 3, 100)
Y = np.linspace(-3.5, 3.5, 100)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-n", type=int, default=1600)
    args = ap.parse_args()
    pseudospectra(grcar(60), npts=10)  # compile the kernels (cold start is another benchmark)
    ns = [n for n in (50, 100, 200, 400, 800, 1600, 3200) if n <= args.max_n]
    rows = []
    for n in ns:
        A = grcar(n)
        reps = 2 if n <= 400 else 1
        ts, tg = [], []
        for _ in range(reps):
            t0 = time.perf_counter()
            S = schur_form(A)
            ts.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            r = pseudospectra(A, schur=S, real=X, imag=Y)
            tg.append(time.perf_counter() - t0)
        on_floor = int(np.sum(r.sigma_min == floor(S.T_real)))
        base = ""
        if n <= 400:
            rng = np.random.default_rng(0)
            pts = X[rng.integers(0, 100, 20)] + 1j * Y[rng.integers(0, 100, 20)]
            t0 = time.perf_counter()
            for z in pts:
                np.linalg.svd(z * np.eye(n) - A, compute_uv=False)
            tb = (time.perf_counter() - t0) * X.size * Y.size / pts.size
            base = f"; dense SVD per point {tb:.1f} s (scaled), {tb / min(tg):.0f}x"
        rows.append((n, min(tg)))
        print(f"Grcar({n}): Schur {min(ts):.2f} s, grid {min(tg):.2f} s, "
              f"{on_floor} of 10000 points on the floor{base}", flush=True)
    fit = [(n, t) for n, t in rows if n >= 100]
    if len(fit) >= 2:
        p = np.polyfit(np.log([n for n, _ in fit]), np.log([t for _, t in fit]), 1)[0]
        print(f"grid time ~ n^{p:.2f} over n = {fit[0][0]}..{fit[-1][0]}")


if __name__ == "__main__":
    main()
