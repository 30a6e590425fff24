"""Benchmark: a sweep of paper-class cells (n = 100) as a plain loop, on a 1-worker and on a
2-worker Dask LocalCluster (issue 12, part 7).

Run by hand:  .venv/bin/python benchmarks/bench_sweep.py [--cells 1000]

The cells: gamma in {0.9, 0.99}, c log-spaced in [0.01, 10], seeds; quantities kreiss and
transient.  Printed: wall time of each engine (cluster start-up excluded),
speed-up and parallel efficiency against the plain loop, and the cells per second.  The
numbers are identical across engines (checked).
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from kreiss.experiments.sweep import sweep


def spec(cells: int) -> dict:
    seeds = max(1, cells // 20)
    return {"family": "class", "quantities": ["kreiss", "transient"],
            "grid": {"n": [100], "gamma": [0.9, 0.99],
                     "c": [float(c) for c in np.logspace(-2, 1, 10)],
                     "seed": list(range(seeds))}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cells", type=int, default=1000)
    args = ap.parse_args()
    S = spec(args.cells)
    total = 20 * len(S["grid"]["seed"])
    tmp = Path(tempfile.mkdtemp())
    results = {}
    t0 = time.perf_counter()
    results["loop"] = sweep(S, tmp / "loop")
    times = {"loop": time.perf_counter() - t0}
    from kreiss.cells import local_cluster

    for workers in (1, 2):
        with local_cluster(workers) as client:
            t0 = time.perf_counter()
            results[workers] = sweep(S, tmp / f"w{workers}", client=client)
            times[workers] = time.perf_counter() - t0
    ref = results["loop"].dataset
    for k in (1, 2):
        for v in ref.data_vars:
            if v != "seconds":
                assert (ref[v].values == results[k].dataset[v].values).all(), v
    base = times["loop"]
    print(f"{total} cells, n = 100 (kreiss + transient); identical numbers on every engine")
    print(f"plain loop : {base:.1f} s ({total / base:.2f} cells/s)")
    for k in (1, 2):
        t = times[k]
        print(f"{k} worker{'s' if k > 1 else ' '} : {t:.1f} s ({total / t:.2f} cells/s), "
              f"speed-up {base / t:.2f}x, efficiency {base / t / k:.0%}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
