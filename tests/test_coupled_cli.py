"""`kreiss problem`, `kreiss simulate`, `kreiss lyapunov` end to end (CliRunner)."""

from __future__ import annotations

import json

import numpy as np
from typer.testing import CliRunner

from kreiss.cli import app
from kreiss.io import load_matrix

runner = CliRunner()


def _invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_problem_class_writes_blocks_that_load_back(tmp_path):
    out = tmp_path / "J.npz"
    r = _invoke("problem", "class", "-o", out, "--p", 4, "--q", 3, "--gamma", 0.8, "--c", 1.5,
                "--rank", 2, "--seed", 1)  # fmt: skip
    assert r.exit_code == 0, r.output
    loaded = load_matrix(out, blocks=True)
    assert loaded.blocks == (4, 3)
    A, B, C = loaded.J[:4, :4], loaded.J[:4, 4:], loaded.J[4:, :4]
    np.testing.assert_array_equal(B, 0)
    assert np.isclose(np.max(np.abs(np.linalg.eigvalsh(A))), 0.8)
    assert np.isclose(np.linalg.norm(C, 2), 1.5)
    assert np.linalg.matrix_rank(C) == 2


def test_problem_lq_json_and_simulate_reads_its_step_sizes(tmp_path):
    out = tmp_path / "lq.npz"
    r = _invoke("problem", "lq", "-o", out, "--p", 6, "--q", 5, "--gamma", 0.9, "--c", 0.2,
                "--json")  # fmt: skip
    assert r.exit_code == 0, r.output
    info = json.loads(r.output)
    assert info["params"]["p"] == 6 and np.isclose(info["structure"]["norm_C"], 0.2)
    with np.load(out) as data:
        alpha = float(data["alpha"])
    r = _invoke("simulate", out, "--sigma", 0.1, "--runs", 10, "--steps", 40, "--json",
                "--no-predict")  # fmt: skip
    assert r.exit_code == 0, r.output
    sim = json.loads(r.output)
    assert sim["alpha"] == alpha and sim["p"] == 6 and sim["runs"] == 10
    assert len(sim["rms"]) == 41


def test_simulate_table_and_plot(tmp_path):
    out, png = tmp_path / "J.npz", tmp_path / "sim.png"
    assert _invoke("problem", "class", "-o", out, "--p", 3, "--q", 3, "--c", 2).exit_code == 0
    r = _invoke("simulate", out, "--plot", png)
    assert r.exit_code == 0, r.output
    assert "peak ||e_t||" in r.output and "Kreiss matrix theorem" in r.output
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_lyapunov_command_reports_both_bounds(tmp_path):
    out = tmp_path / "J.npz"
    assert _invoke("problem", "class", "-o", out, "--p", 2, "--q", 2, "--c", 1).exit_code == 0
    r = _invoke("lyapunov", out, "--json")
    assert r.exit_code == 0, r.output
    res = json.loads(r.output)
    assert np.isclose(res["paper_K_IQC"] * (1 - res["spectral_radius"]), res["value"])


def test_errors_are_one_line_with_exit_code_2(tmp_path):
    r = _invoke("simulate", tmp_path / "missing.npz")
    assert r.exit_code == 2 and "no such file" in r.output
    r = _invoke("problem", "class", "-o", tmp_path / "J.npy")
    assert r.exit_code == 2 and "must be an .npz" in r.output
    r = _invoke("problem", "class", "-o", tmp_path / "J.npz", "--gamma", 1.5)
    assert r.exit_code == 2 and "gamma must lie in" in r.output
    flow = tmp_path / "F.npz"
    assert _invoke("problem", "flow", "-o", flow, "--p", 2, "--q", 2).exit_code == 0
    r = _invoke("simulate", flow)
    assert r.exit_code == 2 and "continuous-time" in r.output
    unstable = tmp_path / "U.npy"
    np.save(unstable, np.diag([1.5, 0.2]))
    r = _invoke("lyapunov", unstable)
    assert r.exit_code == 2 and "spectral radius 1.5" in r.output
