"""kreiss.analyze: the mathematics of one call (the Kreiss matrix theorem, closed forms, the
paper's class), the matrix-free path, figures, one-line errors, and the identity
``kreiss analyze --json`` == ``kreiss.analyze(file).to_dict()``."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import scipy.io
import scipy.sparse as sp
from typer.testing import CliRunner

import kreiss
from kreiss.cli import app
from kreiss.coupled import paper_class_instance
from kreiss.errors import InputError
from kreiss.linalg.operator import MATERIALISE_MAX_N
from kreiss.theory import sharp_kreiss_bound


def cli_json(*args):
    result = CliRunner().invoke(app, ["analyze", *map(str, args), "--json"])
    return result.exit_code, json.loads(result.stdout)


def assert_kreiss_matrix_theorem(a):
    """K(J) <= sup_t ||J^t|| <= e n K(J), with the certified brackets on either side."""
    K, T = a.kreiss, a.transient
    assert K.lower <= K.value <= K.upper
    assert K.lower <= T.sup_upper * (1 + 1e-12)
    assert T.sup <= math.e * a.n * K.upper * (1 + 1e-12)
    kmt = a.kreiss_matrix_theorem
    assert kmt.holds is True
    assert kmt.lower.value == K.value and kmt.upper.value == pytest.approx(math.e * a.n * K.value)


def test_paper_class_instance():
    """J = [[A, 0], [C, D]] of the class C(gamma, c): blocks come with the instance, the
    sharp class bound holds, and every bound on K(J) is compared with the K reported."""
    gamma, c = 0.8, 2.0
    problem = paper_class_instance(4, 3, gamma, c, seed=1)
    a = kreiss.analyze(problem)
    assert a.method == "dense" and a.blocks == (4, 3) and a.stable and a.message is None
    assert a.spectral_radius == pytest.approx(gamma, rel=1e-12)
    assert a.norm == pytest.approx(np.linalg.norm(problem.J, 2), rel=1e-12)
    assert_kreiss_matrix_theorem(a)
    assert a.kreiss.upper <= sharp_kreiss_bound(gamma, c).value * (1 + 1e-9)
    k_rows = [r for r in a.bounds if r.bound.quantity == "K(J)" and r.exact is not None]
    assert k_rows and all(r.exact == a.kreiss.value for r in k_rows)
    assert all(r.consistent for r in a.bounds if r.bound.id == "sharp-kreiss")
    assert a.to_dict() == kreiss.analyze(problem.J, blocks=4).to_dict()  # split given
    json.loads(json.dumps(a.to_dict(), allow_nan=False))  # strict JSON


@pytest.mark.parametrize("n", [2, 5])
def test_jordan_block(n):
    """J = 0.9 I + N (N the shift): K([[a, b], [0, a]]) = (x + 1/x)/2, x = b / (2(1 - a))."""
    J = 0.9 * np.eye(n) + np.eye(n, k=1)
    a = kreiss.analyze(J)
    assert a.blocks is None and a.bounds is None and a.bounds_note is None
    assert_kreiss_matrix_theorem(a)
    if n == 2:
        x = 1 / (2 * 0.1)
        assert a.kreiss.value == pytest.approx((x + 1 / x) / 2, rel=1e-7)
        assert a.transient.sup == pytest.approx(max(
            np.linalg.norm(np.linalg.matrix_power(J, t), 2) for t in range(200)), rel=1e-10)


def test_continuous_time():
    J = np.array([[-0.5, 3.0, 0.0], [0.0, -0.5, 1.0], [0.0, 0.0, -1.0]])
    a = kreiss.analyze(J, kind="continuous")
    assert a.kind == "continuous" and a.transient.kind == "continuous"
    assert_kreiss_matrix_theorem(a)


@pytest.mark.parametrize(("J", "value"), [(np.array([[1.25, 1.0], [0.0, 0.5]]), "inf"),
                                          (np.diag([1.0, 0.5]), None)])
def test_not_stable(J, value):
    a = kreiss.analyze(J)
    assert a.stable is False and a.kreiss is None and a.transient is None
    assert a.kreiss_matrix_theorem is None and a.message
    d = a.to_dict()
    assert d["kreiss"]["value"] == value and d["transient"]["sup"] == value
    with pytest.raises(InputError, match="no transient"):
        a.plot_transient()
    assert len(a.plot().axes) == 1  # the portrait only


def test_to_dict_is_the_cli_json(tmp_path):
    """The same file through the library and through ``kreiss analyze --json``."""
    np.savez(tmp_path / "b.npz", A=[[0.5]], C=[[2.0]], D=[[0.5]])
    np.save(tmp_path / "j.npy", np.array([[0.6, 3.0], [0.0, 0.6]]))
    np.save(tmp_path / "c.npy", np.array([[-0.6, 3.0], [0.0, -0.6]]))
    np.save(tmp_path / "u.npy", np.array([[2.0, 1.0], [0.0, 0.5]]))
    for name, args, kwargs, status in (
            ("b.npz", [], {}, 0),
            ("j.npy", ["--blocks", "1"], {"blocks": 1}, 0),
            ("c.npy", ["--continuous"], {"kind": "continuous"}, 0),
            ("u.npy", [], {}, 2)):
        code, out = cli_json(tmp_path / name, *args)
        assert code == status
        assert out == kreiss.analyze(tmp_path / name, **kwargs).to_dict()
        assert out["file"] == str(tmp_path / name)
    assert kreiss.analyze(np.load(tmp_path / "j.npy")).file is None


def test_plot_returns_a_figure():
    from matplotlib.figure import Figure

    a = kreiss.analyze(paper_class_instance(3, 3, 0.7, 1.5, seed=0))
    fig = a.plot(grid=30)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert a.plot_transient().get_ylabel() == "||J^t||"


def test_sparse_above_the_dense_limit_goes_matrix_free(tmp_path):
    """Block diagonal with 2 x 2 blocks B = [[0.9, 2], [0, 0.8]]: K(J) = K(B) and
    ||J^t|| = ||B^t||, so the witnessed lower bounds sit below B's exact values."""
    n = MATERIALISE_MAX_N + 100
    b = np.zeros(n - 1)
    b[::2] = 2.0
    J = sp.diags([np.tile([0.9, 0.8], n // 2), b], [0, 1], format="csr")
    a = kreiss.analyze(J, horizon=50)
    assert a.method == "krylov" and a.stable is True and a.schur is None
    B = np.array([[0.9, 2.0], [0.0, 0.8]])
    sup = max(np.linalg.norm(np.linalg.matrix_power(B, t), 2) for t in range(51))
    assert 0.95 * sup <= a.transient.sup <= sup * (1 + 1e-12)
    assert a.kreiss.lower <= kreiss.kreiss_constant(B).upper * (1 + 1e-9)
    assert a.kreiss.lower_status == "witnessed"
    scipy.io.mmwrite(tmp_path / "J.mtx", J)
    code, out = cli_json(tmp_path / "J.mtx", "--horizon", "50")
    mine = kreiss.analyze(tmp_path / "J.mtx", horizon=50).to_dict()
    assert code == 0 and out.pop("seconds") >= 0 and mine.pop("seconds") >= 0
    for d in (out, mine):  # times, which differ between the two runs
        assert set(d.pop("part_seconds")) == {"stability", "transient", "kreiss"}
    assert out == mine
    assert len(a.plot().axes) == 1  # the witnessed transient only
    with pytest.raises(InputError, match="no portrait"):
        a.plot_pseudospectra()


def test_method_krylov_on_a_small_matrix():
    J = 0.5 * np.eye(6) + np.eye(6, k=1)
    a = kreiss.analyze(J, method="krylov", horizon=20)
    dense = kreiss.analyze(J)
    assert a.method == "krylov" and dense.method == "dense"
    assert a.kreiss.lower <= dense.kreiss.upper * (1 + 1e-9)
    assert a.transient.sup <= dense.transient.sup_upper * (1 + 1e-9)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"kind": "bogus"}, "kind"),
    ({"method": "qr"}, "method"),
    ({"blocks": 4}, "do not split"),
    ({"tol": 0}, "tol"),
    ({"method": "krylov", "kind": "continuous"}, "discrete time only"),
    ({"method": "krylov", "horizon": 0}, "horizon"),
])
def test_bad_arguments_raise_one_line(kwargs, match):
    with pytest.raises(InputError, match=match) as info:
        kreiss.analyze(0.5 * np.eye(4) + np.eye(4, k=1), **kwargs)
    assert "\n" not in str(info.value)


def test_bad_matrix_and_file(tmp_path):
    with pytest.raises(InputError, match="square"):
        kreiss.analyze(np.ones((2, 3)))
    with pytest.raises(InputError, match="no such file"):
        kreiss.analyze(tmp_path / "absent.npy")
