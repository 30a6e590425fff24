"""Benchmark (a): 100 x 100 pseudospectra grids, kreiss vs one dense SVD per point.

Run by hand:  .venv/bin/python benchmarks/bench_pseudospectra.py [--sample 100] [--repeat 3]

The dense baseline (numpy.linalg.svd, singular values only, one call per grid point) is timed
on a random subsample of the grid and its per-point cost multiplied by the grid size; the
agreement check uses the same points.  Both run in this process, one after the other, each
``--repeat`` times; the minimum is reported (this VM's speed drifts by 10-30% between runs).
"""

import argparse
import time

import numpy as np
from _instances import block_triangular, grcar

from kreiss import pseudospectra


def bench(name, A, blocks, npts, sample, repeat, rng):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = pseudospectra(A, npts=npts, blocks=blocks)
        times.append(time.perf_counter() - t0)
    t_fast = min(times)
    n = A.shape[0]
    idx = rng.choice(res.sigma_min.size, size=sample, replace=False)
    iy, ix = np.unravel_index(idx, res.sigma_min.shape)
    dense = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        ref = np.array([np.linalg.svd((res.real[j] + 1j * res.imag[i]) * np.eye(n) - A,
                                      compute_uv=False)[-1] for i, j in zip(iy, ix, strict=True)])
        dense.append((time.perf_counter() - t0) / sample * res.sigma_min.size)
    t_dense = min(dense)
    got = res.sigma_min[iy, ix]
    mask = ref > 1e-10 * np.linalg.norm(A, 2)
    err = np.max(np.abs(got[mask] - ref[mask]) / ref[mask])
    print(f"{name:34s} n={n:4d} grid {npts}x{npts}: kreiss {t_fast:7.2f} s (min of {repeat}: "
          f"{', '.join(f'{t:.2f}' for t in times)}) | dense SVD {t_dense:8.1f} s (extrapolated "
          f"from {sample} points, min of {repeat}) | speed-up {t_dense / t_fast:6.1f}x | max "
          f"rel. diff {err:.1e}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--npts", type=int, default=100)
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3, help="timings: the minimum of this many")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    # warm-up: numba compiles the kernels (cached on disk afterwards); n > 128 takes the
    # Lanczos path
    pseudospectra(grcar(200), npts=4)
    pseudospectra(block_triangular(200, 0.9, 1.0)[0], npts=4)
    bench("Grcar(400)", grcar(400), None, args.npts, args.sample, args.repeat, rng)
    J, blocks = block_triangular(400, 0.95, 1.0, seed=0)
    bench("block-triangular J (rho .95, ||C||=1)", J, blocks, args.npts, args.sample,
          args.repeat, rng)


if __name__ == "__main__":
    main()
