"""The long property check of issue 15: certified Kreiss brackets against 40-digit values.

Run by hand:  .venv/bin/python benchmarks/bench_rounding.py [--count 248]

Near-defective matrices (n = 3..7, an upper bidiagonal with eigenvalues spread over 1e-9
near rho in [0.97, 0.99997], rotated by a random orthogonal matrix), as in the issue.  For
each: K's bracket and the exact value of (|z| - 1) / sigma_min(zI - A) at the returned z in
40 digits.  Printed: how many brackets have lower above that value (a false "attained"
value) or upper below it (a false certificate), how many were certified to tol 1e-8, and
how many say that rounding limits them.  Both false counts must be 0.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_kreiss_rounding import near_defective, resolvent_value  # noqa: E402

from kreiss import kreiss_constant  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=248)
    args = ap.parse_args()
    rng = np.random.default_rng(2026)
    bad_lower = bad_upper = certified = rounding = 0
    t0 = time.perf_counter()
    done = 0
    for i in range(args.count):
        n = int(rng.integers(3, 8))
        rho = float(rng.uniform(0.97, 0.99997))
        A = near_defective(i, n, rho)
        if np.max(np.abs(np.linalg.eigvals(A))) >= 1:
            continue
        res = kreiss_constant(A)
        done += 1
        certified += res.certified
        rounding += "rounding" in res.message
        if np.isfinite(res.z.real):
            v = resolvent_value(A, res.z, 40)
            bad_lower += res.lower > v
            bad_upper += v > res.upper
    print(f"{done} matrices in {time.perf_counter() - t0:.1f} s: lower above the 40-digit "
          f"value at z: {bad_lower}; upper below it: {bad_upper}; certified to 1e-8: "
          f"{certified}; bracket limited by rounding (and saying so): {rounding}")


if __name__ == "__main__":
    main()
