"""Benchmark: kreiss processes side by side on a shared machine (issue 14, part 3).

Run by hand:  .venv/bin/python benchmarks/bench_threads.py [--repeats 2]

One workload (pseudospectra of Grcar(400) on a 40 x 40 grid, the chunked Lanczos path, then
K of a paper-class J with n = 200) runs in a fresh process alone, then as two processes at
once, (a) with the default budget (every process takes all the CPUs) and (b) with
KREISS_NUM_THREADS = CPUs / 2 each.  Printed: the wall time of one alone (min of repeats)
and the ratio of the side-by-side wall time to it; fair sharing of 2 cores gives ~2x.
"""

import argparse
import os
import subprocess
import sys
import time

WORK = """
import sys
sys.path.insert(0, {bench!r})
from _instances import block_triangular, grcar
from kreiss import kreiss_constant, pseudospectra
pseudospectra(grcar(400), npts=40)
J, b = block_triangular(200, 0.99, 1.0, seed=0)
kreiss_constant(J, blocks=b)
"""


def run(k: int, env: dict) -> float:
    code = WORK.format(bench=os.path.dirname(os.path.abspath(__file__)))
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env) for _ in range(k)]
    if any(p.wait() for p in procs):
        raise SystemExit("a worker failed")
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    cpus = len(os.sched_getaffinity(0))
    base = dict(os.environ)
    run(1, base)  # warm the numba cache and the file cache
    for label, env in [("default budget", base),
                       (f"KREISS_NUM_THREADS={max(1, cpus // 2)}",
                        {**base, "KREISS_NUM_THREADS": str(max(1, cpus // 2))})]:
        alone = min(run(1, env) for _ in range(args.repeats))
        pair = min(run(2, env) for _ in range(args.repeats))
        print(f"{label}: one alone {alone:.2f} s; two side by side {pair:.2f} s "
              f"= {pair / alone:.2f}x ({cpus} CPUs)")


if __name__ == "__main__":
    main()
