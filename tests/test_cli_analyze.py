"""`kreiss analyze` and `kreiss pseudospectra`: error paths, JSON against the library,
the 2 x 2 closed form, figures, and the variadic --eps."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from kreiss.cli import app
from kreiss.cli.analyze import expand_variadic

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def assert_one_line_error(result, match):
    """Non-zero exit, exactly one error line naming the problem, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error:") and match in err, err
    assert "Traceback" not in result.output


def jordan(a, b):
    return np.array([[a, b], [0.0, a]])


def closed_form_K(a, b):
    """K([[a, b], [0, a]]) for 0 <= a < 1: (x + 1/x)/2 with x = |b|/(2(1-a)), or 1 if x < 1.

    ||(zI - J)^{-1}|| = (|b|/s^2 + sqrt(b^2/s^4 + 4/s^2))/2 with s = |z - a|, smallest on
    |z| = r at z = r; maximising (r - 1) times it over r > 1 gives this value.
    """
    x = abs(b) / (2 * (1 - a))
    return (x + 1 / x) / 2 if x >= 1 else 1.0


@pytest.fixture
def stable_file(tmp_path):
    path = tmp_path / "j.npy"
    np.save(path, jordan(0.6, 3.0))
    return path


# ------------------------------------------------------------------ error paths


def _bad_files(tmp_path):
    """(path, expected fragment of the one-line error) for each kind of bad input."""
    bad = {}
    bad["missing"] = (tmp_path / "absent.npy", "no such file")
    (tmp_path / "j.txt").write_text("1 2\n3 4\n")
    bad["extension"] = (tmp_path / "j.txt", "unknown extension")
    (tmp_path / "n.csv").write_text("1, 2\n3, x\n")
    bad["non-numeric"] = (tmp_path / "n.csv", "line 2: 'x' is not a number")
    np.save(tmp_path / "ns.npy", np.ones((2, 3)))
    bad["non-square"] = (tmp_path / "ns.npy", "must be square")
    (tmp_path / "e.csv").write_text("")
    bad["empty"] = (tmp_path / "e.csv", "empty")
    np.save(tmp_path / "nan.npy", np.array([[0.5, np.nan], [0, 0.5]]))
    bad["nan"] = (tmp_path / "nan.npy", "NaN or Inf")
    (tmp_path / "inf.csv").write_text("0.5, inf\n0, 0.5\n")
    bad["inf"] = (tmp_path / "inf.csv", "NaN or Inf")
    (tmp_path / "d.npz").mkdir()
    bad["directory"] = (tmp_path / "d.npz", "is a directory")
    np.savez(tmp_path / "k.npz", X=np.eye(2), Y=np.eye(2))
    bad["npz keys"] = (tmp_path / "k.npz", "keys found: X, Y")
    (tmp_path / "c.npy").write_bytes(b"not numpy at all")
    bad["corrupt"] = (tmp_path / "c.npy", "not a .npy file")
    return bad


@pytest.mark.parametrize(
    "case",
    ["missing", "extension", "non-numeric", "non-square", "empty", "nan", "inf",
     "directory", "npz keys", "corrupt"],
)
@pytest.mark.parametrize("cmd", [["analyze"], ["analyze", "--json"], ["pseudospectra"]])
def test_bad_input_gives_one_line(tmp_path, case, cmd):
    path, match = _bad_files(tmp_path)[case]
    result = run(*cmd, path)
    assert_one_line_error(result, match)
    assert str(path) in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("cmd", ["analyze", "pseudospectra"])
def test_no_file_and_unknown_example(cmd, stable_file):
    assert_one_line_error(run(cmd), "give exactly one of FILE or --example")
    assert_one_line_error(run(cmd, stable_file, "--example", "bt100"), "exactly one")
    assert_one_line_error(run(cmd, "--example", "nope"), "unknown example 'nope'")


def test_bad_options(stable_file):
    assert_one_line_error(run("analyze", stable_file, "--blocks", "2"), "do not split")
    assert_one_line_error(run("analyze", stable_file, "--blocks", "0"), "do not split")
    assert_one_line_error(run("analyze", stable_file, "--tol", "0"), "--tol")
    assert_one_line_error(run("analyze", stable_file, "--grid", "1"), "--grid")
    assert_one_line_error(run("pseudospectra", stable_file, "--eps", "0.1", "-0.2"), "--eps")
    assert_one_line_error(run("pseudospectra", stable_file, "--radius", "0"), "--radius")
    assert_one_line_error(run("pseudospectra", stable_file, "--real", "1", "0"), "--real")
    assert_one_line_error(run("pseudospectra", stable_file, "--grid", "1"), "--grid")


def test_plot_dir_that_is_a_file(stable_file):
    assert_one_line_error(run("analyze", stable_file, "--plot", stable_file), "not a directory")


def test_matrix_free_refusals_come_before_any_computation(stable_file, tmp_path):
    for extra in (["--continuous"], ["--plot", tmp_path / "figs"]):
        assert_one_line_error(run("analyze", stable_file, "--method", "krylov", *extra),
                              "the matrix-free path supports neither --continuous nor --plot")
    assert not (tmp_path / "figs").exists()
    assert_one_line_error(run("analyze", stable_file, "--method", "krylov", "--horizon", "0"),
                          "--horizon must be >= 1")


# ------------------------------------------------------------------ rho >= 1


@pytest.mark.parametrize("json_flag", [False, True])
def test_unstable_prints_K_inf_and_exits_2(tmp_path, json_flag):
    path = tmp_path / "u.npy"
    np.save(path, np.array([[1.25, 1.0], [0.0, 0.5]]))
    result = run("analyze", path, *(["--json"] if json_flag else []))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and "1.25 > 1: the Kreiss constant is infinite" in err
    if json_flag:
        out = json.loads(result.stdout)
        assert out["stable"] is False
        assert out["kreiss"]["value"] == "inf" and out["transient"]["sup"] == "inf"
        assert out["spectral_radius"] == pytest.approx(1.25, rel=1e-14)
    else:
        assert "inf" in result.stdout and "rho = 1.25 > 1" in result.stdout


def test_unstable_continuous(tmp_path):
    path = tmp_path / "u.npy"
    np.save(path, np.array([[0.1, 1.0], [0.0, -2.0]]))
    result = run("analyze", path, "--continuous", "--json")
    assert result.exit_code == 2
    out = json.loads(result.stdout)
    assert out["kind"] == "continuous" and out["kreiss"]["value"] == "inf"
    assert out["spectral_abscissa"] == pytest.approx(0.1, rel=1e-14)
    # the same matrix shifted left is stable in continuous time
    np.save(path, np.array([[-0.1, 1.0], [0.0, -2.0]]))
    assert run("analyze", path, "--continuous", "--json").exit_code == 0


def test_spectral_radius_exactly_one_is_not_called_infinite(tmp_path):
    """K(diag(1, 1/2)) = 1 is finite; the core refuses rho = 1, the CLI must not say inf."""
    path = tmp_path / "one.npy"
    np.save(path, np.diag([1.0, 0.5]))
    result = run("analyze", path, "--json")
    assert result.exit_code == 2
    out = json.loads(result.stdout)
    assert out["kreiss"]["value"] is None and out["transient"]["sup"] is None
    assert "inf" not in result.stderr and "power bounded" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------ JSON vs library


def test_json_matches_the_library(tmp_path):
    from kreiss import kreiss_constant, numerical_abscissa, transient

    rng = np.random.default_rng(3)
    J = 0.3 * rng.standard_normal((6, 6))
    J[0, 5] = 4.0
    J *= 0.9 / np.max(np.abs(np.linalg.eigvals(J)))
    np.save(tmp_path / "r.npy", J)
    result = run("analyze", tmp_path / "r.npy", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    K = kreiss_constant(J)
    T = transient(J)
    assert out["n"] == 6 and out["kind"] == "discrete"
    assert out["spectral_radius"] == pytest.approx(0.9, rel=1e-12)
    assert out["norm"] == pytest.approx(np.linalg.norm(J, 2), rel=1e-12)
    assert out["numerical_abscissa"] == pytest.approx(float(numerical_abscissa(J)), rel=1e-12)
    assert out["numerical_abscissa"] == pytest.approx(
        np.linalg.eigvalsh((J + J.T) / 2)[-1], rel=1e-10)
    assert out["kreiss"]["value"] == K.value
    assert out["kreiss"]["lower"] == K.lower and out["kreiss"]["upper"] == K.upper
    assert out["kreiss"]["z"] == [K.z.real, K.z.imag]
    assert out["transient"]["sup"] == pytest.approx(float(T.sup), rel=1e-12)
    assert out["transient"]["argmax"] == pytest.approx(float(T.argmax))
    # the Kreiss matrix theorem as reported
    kmt = out["kreiss_matrix_theorem"]
    assert kmt["upper"] == pytest.approx(math.e * 6 * K.value)
    assert kmt["holds"] is (K.value <= T.sup * (1 + 1e-6) <= kmt["upper"] * (1 + 1e-6))
    assert kmt["holds"]


@pytest.mark.parametrize(("a", "b"), [(0.6, 3.0), (0.9, 0.5), (0.0, 5.0), (0.5, 0.5)])
def test_json_K_of_2x2_matches_closed_form(tmp_path, a, b):
    np.save(tmp_path / "j.npy", jordan(a, b))
    result = run("analyze", tmp_path / "j.npy", "--json")
    assert result.exit_code == 0, result.output
    k = json.loads(result.stdout)["kreiss"]
    K = closed_form_K(a, b)
    assert k["value"] == pytest.approx(K, rel=1e-7)
    assert k["lower"] <= K * (1 + 1e-12) and K <= k["upper"] * (1 + 1e-12)
    if K == 1.0:  # the supremum is the limit |z| -> infinity
        assert k["z"][0] == "inf"


@pytest.mark.parametrize(("a", "b"), [(-0.5, 3.0), (-0.2, 0.3)])
def test_json_continuous_K_of_2x2_matches_closed_form(tmp_path, a, b):
    """Continuous time: on Re z = x the resolvent norm is largest at z = x, s = x - a, and
    x ||(zI - J)^{-1}|| is the discrete expression with 1 - a replaced by -a."""
    np.save(tmp_path / "j.npy", jordan(a, b))
    result = run("analyze", tmp_path / "j.npy", "--json", "--continuous")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["kind"] == "continuous" and out["transient"]["kind"] == "continuous"
    assert out["kreiss"]["value"] == pytest.approx(closed_form_K(a + 1, b), rel=1e-7)


def test_json_is_strict_json_everywhere(tmp_path):
    """No NaN/Infinity tokens: the strict parser accepts the output of an unstable J."""
    np.save(tmp_path / "u.npy", np.array([[2.0, 1.0], [0.0, 0.5]]))
    text = run("analyze", tmp_path / "u.npy", "--json").stdout

    def refuse(token):
        raise ValueError(token)

    json.loads(text, parse_constant=refuse)


def test_human_summary(stable_file):
    result = run("analyze", stable_file)
    assert result.exit_code == 0, result.output
    out = result.stdout
    K = closed_form_K(0.6, 3.0)
    for label in ("spectral radius", "norm ||J||_2", "numerical abscissa", "Kreiss constant",
                  "certified bracket", "attained at", "sup_t ||J^t||",
                  "Kreiss matrix theorem", "holds"):
        assert label in out, label
    assert f"{K:.6g}" in out


def test_blocks_from_file_and_theory_table_or_note(tmp_path):
    A = np.array([[0.5]])
    C = np.array([[2.0]])
    D = np.array([[0.5]])
    np.savez(tmp_path / "b.npz", A=A, C=C, D=D)
    result = run("analyze", tmp_path / "b.npz", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["blocks"] == [1, 1]
    # [[0.5, 0], [2, 0.5]] has the same singular values as its transpose [[0.5, 2], [0, 0.5]]
    assert out["kreiss"]["value"] == pytest.approx(closed_form_K(0.5, 2.0), rel=1e-7)
    try:
        from kreiss.theory import bounds_for  # noqa: F401
    except ImportError:
        assert "not available" in out["bounds_note"] and out["bounds"] is None
    else:
        # every row compares a bound of the theory layer with an exact value; those about
        # K(J) must see the K reported above (the CLI hands it over, no recomputation)
        rows = out["bounds"]
        assert rows and all("applies" in r and "exact" in r for r in rows)
        k_rows = [r for r in rows if r["quantity"] == "K(J)" and r["exact"] is not None]
        assert k_rows and all(r["exact"] == out["kreiss"]["value"] for r in k_rows)
    # the human summary names the table (or says why there is none), in one piece
    text = run("analyze", tmp_path / "b.npz").stdout
    assert "The paper's bounds for this J" in text or "not available" in text


def test_blocks_option_gives_the_same_K(tmp_path):
    rng = np.random.default_rng(0)
    J = np.zeros((4, 4))
    J[:2, :2] = np.diag([0.7, -0.2])
    J[2:, 2:] = np.diag([0.4, 0.1])
    J[2:, :2] = rng.standard_normal((2, 2))
    np.save(tmp_path / "bt.npy", J)
    plain = json.loads(run("analyze", tmp_path / "bt.npy", "--json").stdout)
    blocked = json.loads(run("analyze", tmp_path / "bt.npy", "--json", "--blocks", "2").stdout)
    assert blocked["blocks"] == [2, 2] and plain["blocks"] is None
    assert blocked["kreiss"]["value"] == pytest.approx(plain["kreiss"]["value"], rel=1e-6)


# ------------------------------------------------------------------ figures


def test_plot_writes_png_files(tmp_path, stable_file):
    out = tmp_path / "figs"
    result = run("analyze", stable_file, "--plot", out)
    assert result.exit_code == 0, result.output
    for name in ("pseudospectra.png", "transient.png"):
        data = (out / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 5000


def test_pseudospectra_variadic_eps_exact_spelling(tmp_path, stable_file):
    fig = tmp_path / "fig.png"
    result = run("pseudospectra", stable_file, "--eps", "1e-1", "1e-2", "1e-3", "-o", fig,
                 "--grid", "40", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["eps"] == [1e-3, 1e-2, 1e-1]  # levels drawn, ascending
    assert fig.read_bytes().startswith(b"\x89PNG")
    # repeated flags and the list before FILE mean the same
    again = run("pseudospectra", "--eps", "1e-1", "1e-2", "--eps", "1e-3", stable_file,
                "--grid", "40", "-o", fig, "--json")
    assert json.loads(again.stdout)["eps"] == [1e-3, 1e-2, 1e-1]


def test_pseudospectra_window_options(tmp_path, stable_file):
    fig = tmp_path / "w.png"
    result = run("pseudospectra", stable_file, "--real", "-2", "2", "--imag", "-1.5", "1.5",
                 "--grid", "30", "-o", fig, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["window"] == {"real": [-2.0, 2.0], "imag": [-1.5, 1.5], "grid": 30}
    assert fig.stat().st_size > 5000


def test_default_window_holds_the_largest_pseudospectrum(tmp_path, stable_file):
    """On the boundary of the automatic window sigma_min(zI - J) > max eps (dense SVD)."""
    result = run("pseudospectra", stable_file, "--eps", "0.3", "0.1", "--grid", "20",
                 "-o", tmp_path / "p.png", "--json")
    assert result.exit_code == 0, result.output
    (x0, x1), (y0, y1) = (json.loads(result.stdout)["window"][k] for k in ("real", "imag"))
    s = np.linspace(0, 1, 101)
    edge = np.concatenate([x0 + (x1 - x0) * s + 1j * y0, x0 + (x1 - x0) * s + 1j * y1,
                           x0 + 1j * (y0 + (y1 - y0) * s), x1 + 1j * (y0 + (y1 - y0) * s)])
    J = np.load(stable_file)
    smin = [np.linalg.svd(z * np.eye(2) - J, compute_uv=False)[-1] for z in edge]
    assert min(smin) > 0.3
    assert x0 < -1 and x1 > 1 and y0 < -1 and y1 > 1  # the unit circle is in view


def test_pseudospectral_radius_and_abscissa_json(stable_file):
    """For a normal matrix the eps-pseudospectrum is the union of eps-disks."""
    from kreiss import pseudospectral_abscissa, pseudospectral_radius

    J = np.load(stable_file)
    result = run("pseudospectra", stable_file, "--radius", "0.01", "--abscissa", "0.01",
                 "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert "figure" not in out
    r = out["pseudospectral_radius"]
    a = out["pseudospectral_abscissa"]
    assert r["eps"] == 0.01 and a["eps"] == 0.01
    assert r["value"] == pytest.approx(float(_value(pseudospectral_radius(J, 0.01))), rel=1e-12)
    assert a["value"] == pytest.approx(float(_value(pseudospectral_abscissa(J, 0.01))),
                                       rel=1e-12)
    # [[0.6, 3], [0, 0.6]]: sigma_min(z - J) <= eps reaches beyond 0.6 + eps (non-normal)
    assert r["value"] > 0.61 and a["value"] > 0.61


def test_pseudospectral_radius_of_a_normal_matrix(tmp_path):
    np.save(tmp_path / "d.npy", np.diag([0.5, -0.8]))
    out = json.loads(run("pseudospectra", tmp_path / "d.npy", "--radius", "0.1",
                         "--abscissa", "0.1", "--json").stdout)
    assert out["pseudospectral_radius"]["value"] == pytest.approx(0.9, rel=1e-8)
    assert out["pseudospectral_abscissa"]["value"] == pytest.approx(0.6, rel=1e-8)


def _value(res):
    return res.value if hasattr(res, "value") else res


# ------------------------------------------------------------------ --eps parsing


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["f.npy", "--eps", "1e-1", "1e-2", "-o", "x.png"],
         ["f.npy", "--eps", "1e-1", "--eps", "1e-2", "-o", "x.png"]),
        (["--eps", "0.1", "0.01", "f.npy"], ["--eps", "0.1", "--eps", "0.01", "f.npy"]),
        (["--eps=0.1", "0.01"], ["--eps=0.1", "--eps", "0.01"]),
        (["--eps", "0.1", "--", "0.5"], ["--eps", "0.1", "--", "0.5"]),
        (["--grid", "10", "20"], ["--grid", "10", "20"]),
        (["--eps"], ["--eps", ""]),
    ],
)
def test_expand_variadic(args, expected):
    assert expand_variadic(args, ("--eps",)) == expected


# ------------------------------------------------------------------ end to end


def test_subprocess_error_has_no_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "kreiss", "analyze", str(tmp_path / "absent.csv")],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"error: {tmp_path / 'absent.csv'}: no such file"


def test_bundled_example_is_found():
    """--example bt100 reaches the 100 x 100 matrix (checked cheaply: --blocks 0 is refused
    with the size in the message, before any computation)."""
    result = run("analyze", "--example", "bt100", "--blocks", "0")
    assert_one_line_error(result, "do not split a 100 x 100 matrix")
    assert "bt100.npz" in result.stderr


def test_slow_decay_reports_the_certified_sup_not_a_cap(tmp_path):
    # before: the transient walked to its 1e5-step cap and printed the cap as the sup
    # beside "Kreiss matrix theorem VIOLATED"
    a = 0.99999
    np.save(tmp_path / "j.npy", np.array([[a, 1.0], [0.0, a]]))
    result = run("analyze", tmp_path / "j.npy", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    tr = out["transient"]
    assert tr["certified"] and tr["argmax"] == 99999
    p, q = a**99999, 99999 * a**99998  # ||[[p, q], [0, p]]|| = (q + sqrt(q^2 + 4 p^2)) / 2
    assert tr["sup"] == pytest.approx((q + math.sqrt(q * q + 4 * p * p)) / 2, rel=1e-10)
    assert out["kreiss_matrix_theorem"]["holds"] is True
    human = run("analyze", tmp_path / "j.npy")
    assert "VIOLATED" not in human.stdout and "certified" in human.stdout
