"""Benchmarks (b) and (c): certified Kreiss constants vs the paper's Appendix M grid.

Run by hand:  .venv/bin/python benchmarks/bench_kreiss.py [--skip-large]

(b) J block-triangular, n = 100, gamma = 0.99, ||C|| = 1 (random C, and C aligned with the
    top eigenvectors, the class's worst case): kreiss_constant(tol=1e-8) vs the paper's grid
    (r = 1.01 .. 11 step 0.01, 100 angles, one dense SVD per point).  The grid's time is
    measured on a subsample of its radii and scaled; its *value* is computed on the full grid
    with kreiss's batched sigma_min (identical to the SVDs up to ~1e-10).
(c) n = 1000 (random C): time to a bracket certified to relative gap 1e-3, and to 1e-8, with
    ``blocks`` (the paper's class: SVDs on the real axis), without them (the split found in
    J, the same path), against the same J in a random orthonormal basis (where no split
    shows: the level-set certificate of a general J, one 2n eigenproblem per node), same run.
(d) with --n2000: the same at n = 2000, gamma = 0.95, to 1e-8 (~8 minutes, most of it the
    level-set baseline).
"""

import argparse
import time

import numpy as np
from _instances import block_triangular

from kreiss import kreiss_constant
from kreiss.experiments.appendix_m import appendix_m_grid_kreiss

RADII = 1.0 + 0.01 * np.arange(1, 1001)
ANGLES = np.linspace(0, 2 * np.pi, 100, endpoint=False)


def appendix_m_grid(J, radii_sample=10):
    """(value, time): the grid's value on the full grid (kreiss.experiments.appendix_m, batched
    sigma_min), its time for one dense SVD per point measured on ``radii_sample`` radii."""
    n = J.shape[0]
    rng = np.random.default_rng(0)
    rs = rng.choice(RADII, size=radii_sample, replace=False)
    t0 = time.perf_counter()
    for r in rs:
        for th in ANGLES:
            np.linalg.svd(r * np.exp(1j * th) * np.eye(n) - J, compute_uv=False)
    t_grid = (time.perf_counter() - t0) * RADII.size / radii_sample
    return appendix_m_grid_kreiss(J).value, t_grid


def rotated(J, seed=1):
    """Q J Q^T for a random orthogonal Q: the same K (unitarily invariant), and no block
    split for kreiss_constant to find, so it takes the level-set certificate of a general J."""
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal(J.shape))
    return Q @ J @ Q.T


def timed(J, tol, blocks, maxiter):
    t0 = time.perf_counter()
    res = kreiss_constant(J, tol=tol, blocks=blocks, maxiter=maxiter)
    return res, time.perf_counter() - t0


def report(label, res, t):
    print(f"   {label}: K in [{res.lower:.12g}, {res.upper:.12g}] gap {res.gap:.1e} "
          f"({res.message}; {res.nodes} nodes, {res.level_set_tests} level-set "
          f"eigenproblems of size {2 * res.n}) in {t:.2f} s; |z*| - 1 = {abs(res.z) - 1:.3g}")


def case(name, J, blocks, tol, maxiter=400, grid=True):
    """K with ``blocks`` (the paper's class: SVDs on the real axis), without them (the split
    found in J), and of the same J in a random basis (the baseline: level sets), same run."""
    print(name)
    res, t = timed(J, tol, blocks, maxiter)
    report("with blocks (axis SVDs)", res, t)
    found, tf = timed(J, tol, None, maxiter)
    report("without blocks (the split found in J)", found, tf)
    ref, tr = timed(rotated(J), tol, None, maxiter)
    report("Q J Q^T, Q random orthogonal (no split: level sets)", ref, tr)
    print(f"   -> {tr / t:.1f}x faster; brackets overlap: "
          f"{res.lower <= ref.upper and ref.lower <= res.upper}")
    if grid:
        g, tg = appendix_m_grid(J)
        print(f"   Appendix M grid: {g:.12g} (rel. error {(res.lower - g) / res.lower:.1e} "
              f"below the certified lower bound) in {tg:.1f} s (extrapolated) -> kreiss is "
              f"{tg / t:.0f}x faster")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--n2000", action="store_true")
    args = ap.parse_args()
    kreiss_constant(np.array([[0.5, 3.0], [0.0, 0.5]]))  # warm-up (numba compile)
    J, b = block_triangular(100, 0.99, 1.0, seed=0)
    case("(b) n=100 gamma=.99 ||C||=1, random C", J, b, 1e-8)
    J, b = block_triangular(100, 0.99, 1.0, seed=0, aligned=True)
    case("(b) n=100 gamma=.99 ||C||=1, aligned C", J, b, 1e-8)
    if not args.skip_large:
        J, b = block_triangular(1000, 0.95, 1.0, seed=0)
        case("(c) n=1000 gamma=.95 ||C||=1, random C, tol 1e-3", J, b, 1e-3, grid=False)
        case("    the same to the default tol 1e-8", J, b, 1e-8, grid=False)
    if args.n2000:
        J, b = block_triangular(2000, 0.95, 1.0, seed=0)
        case("(d) n=2000 gamma=.95 ||C||=1, random C, tol 1e-8", J, b, 1e-8, grid=False)


if __name__ == "__main__":
    main()
