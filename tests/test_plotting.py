"""The one axes helper (kreiss.linalg.plotting): Agg when no matplotlib backend was chosen,
the user's backend kept otherwise -- by every .plot() and report figure."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = """
import matplotlib, numpy as np
import kreiss
from kreiss.coupled import simulate
from kreiss.theory.report import figure_powers
from kreiss.theory.exact import Exact
A = np.array([[0.5, 1.0], [0.0, 0.5]])
kreiss.numerical_range(A).plot()
kreiss.transient(A).plot()
kreiss.pseudospectra(A, npts=8).plot()
simulate(A, 5, blocks=1, predict=False).plot()
figure_powers(r"{png}", Exact())
print(matplotlib.get_backend().lower())
"""


@pytest.mark.parametrize(("chosen", "expected"), [(None, "agg"), ("template", "template")])
def test_backend_is_agg_only_when_none_was_chosen(tmp_path, chosen, expected):
    # before: NumericalRange.plot, TransientResult.plot and the audit figures switched any
    # backend (a notebook's, a GUI's; "template" here) to Agg
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["MPLCONFIGDIR"] = str(tmp_path)  # no user matplotlibrc
    if chosen is not None:
        env["MPLBACKEND"] = chosen
    png = tmp_path / "powers.png"
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(png=png)], env=env,
                         capture_output=True, text=True, check=True)
    assert out.stdout.split()[-1] == expected
    assert png.read_bytes()[:4] == b"\x89PNG"
