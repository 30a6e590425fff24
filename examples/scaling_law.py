"""Exponents and figures of the scaling law from a finished sweep (docs/sweep.md).

    python examples/scaling_law.py DIR    # DIR: the --out of kreiss sweep examples/scaling*.toml
"""

import json
import sys

from kreiss.experiments.scaling import scaling_law

if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    fits = scaling_law(sys.argv[1])
    for name, f in fits.items():
        print(f"{name:12s} cells {f['cells']:4d}  b_c = {f['b_c']:.3f} +- {f['b_c_se']:.3f}  "
              f"b_g = {f['b_g']:.3f} +- {f['b_g_se']:.3f}  b_n = {f['b_n']:.3f} +- "
              f"{f['b_n_se']:.3f}  R^2 = {f['r2']:.3f}")
    print(json.dumps(fits, indent=1), file=open(f"{sys.argv[1]}/scaling.json", "w"))
