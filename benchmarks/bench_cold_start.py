"""Benchmark: a fresh process (issue 14, part 2).

Run by hand:  .venv/bin/python benchmarks/bench_cold_start.py [--repeats 5]

(a) `python -c` importing kreiss and computing K of a 10 x 10 matrix: the first call
    against a second, warm call in the same process;
(b) `kreiss analyze FILE --json` on a 10 x 10 .npy, end to end, against a fresh process that
    only imports numpy, scipy.linalg and typer (what no change to kreiss can remove), the two
    interleaved;
(c) the first pseudospectra grid of Grcar(400) (40 x 40, the numba path) in a fresh process
    with numba's cache warm, and with an empty cache directory (what a read-only
    installation without a writable cache pays on every start), against a warm call.
Times: the minimum over the repeats, and the max, with kreiss's bytecode compiled first (as
`pip install` does).  Small matrices never import numba,
scipy.sparse or scipy.optimize (checked in (a)).
"""

import argparse
import compileall
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FIRST_K = """
import sys, time
t0 = time.perf_counter()
import numpy as np, kreiss
A = np.triu(np.random.default_rng(0).standard_normal((10, 10)) * 0.3) + 0.4 * np.eye(10)
t1 = time.perf_counter(); kreiss.kreiss_constant(A); t2 = time.perf_counter()
kreiss.kreiss_constant(0.99 * A); t3 = time.perf_counter()
lazy = not any(m in sys.modules for m in ("numba", "scipy.sparse", "scipy.optimize"))
print(t2 - t1, t3 - t2, t1 - t0, lazy)
"""

FLOOR = "import numpy, scipy.linalg, typer"

GRID = """
import sys, time
sys.path.insert(0, {bench!r})
import numpy as np
from _instances import grcar
from kreiss import pseudospectra
A = grcar(400)
x, y = np.linspace(-1, 3, 40), np.linspace(-3.5, 3.5, 40)
t0 = time.perf_counter(); pseudospectra(A, real=x, imag=y); t1 = time.perf_counter()
pseudospectra(A, real=x + 1e-3, imag=y); t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def run(code: str, env=None) -> list[float]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    return [float(v) if v not in ("True", "False") else v == "True" for v in out]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    # kreiss's bytecode, as `pip install` writes it: without it (an editable install under
    # PYTHONDONTWRITEBYTECODE=1, as on the development VM) every start compiles ~50 modules
    package = importlib.util.find_spec("kreiss").submodule_search_locations[0]
    compileall.compile_dir(package, quiet=1)
    r = [run(FIRST_K) for _ in range(args.repeats)]
    first, warm = min(x[0] for x in r), min(x[1] for x in r)
    print(f"(a) first K (10 x 10) in a fresh process {first:.3f}-{max(x[0] for x in r):.3f} s, "
          f"warm {warm:.4f} s, import kreiss {min(x[2] for x in r):.3f} s; numba, "
          f"scipy.sparse, scipy.optimize never imported: {all(x[3] for x in r)}")
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "j.npy"
        np.save(f, np.triu(np.random.default_rng(0).standard_normal((10, 10)) * 0.3)
                + 0.4 * np.eye(10))
        kreiss = Path(sys.executable).with_name("kreiss")
        # interleaved, so that both see the same load: the machine's speed drifts over
        # minutes by more than the difference being measured
        ts, floor = [], []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            subprocess.run([str(kreiss), "analyze", str(f), "--json"], capture_output=True,
                           check=True)
            ts.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", FLOOR], check=True)
            floor.append(time.perf_counter() - t0)
        under = sum(t < 0.5 for t in ts)
        print(f"(b) kreiss analyze 10 x 10 --json, end to end: {min(ts):.3f}-{max(ts):.3f} s "
              f"({under} of {len(ts)} runs under 0.5 s); baseline `python -c '{FLOOR}'` "
              f"{min(floor):.3f}-{max(floor):.3f} s (interleaved): kreiss's own share "
              f"{min(ts) - min(floor):.3f} s")
    code = GRID.format(bench=os.path.dirname(os.path.abspath(__file__)))
    run(code)  # make sure the package cache is warm
    warm_cache = [run(code) for _ in range(max(2, args.repeats // 2))]
    cold = []
    for _ in range(max(2, args.repeats // 2)):
        with tempfile.TemporaryDirectory() as d:
            cold.append(run(code, env={**os.environ, "NUMBA_CACHE_DIR": d}))
    print(f"(c) Grcar(400) 40 x 40 grid: first call with numba's cache warm "
          f"{min(x[0] for x in warm_cache):.2f} s, with an empty cache (compiling) "
          f"{min(x[0] for x in cold):.2f} s, warm call {min(x[1] for x in warm_cache):.2f} s")


if __name__ == "__main__":
    main()
