"""Jacobians of coupled update maps: autodiff against hand-derived and finite-difference J."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from kreiss.coupled import (  # noqa: E402
    block_structure,
    jacobian_operator,
    simultaneous_gd_jacobian,
    simultaneous_gd_operator,
    simultaneous_gd_step,
    step_jacobian,
)
from kreiss.coupled._torch import TorchMissingError  # noqa: E402
from kreiss.errors import InputError, KreissError  # noqa: E402


def _sym(rng, n):
    X = rng.standard_normal((n, n))
    return X + X.T


def test_quadratic_objectives_give_the_hand_derived_jacobian():
    # F = 1/2 x'Hx + x'Ky, G = 1/2 y'Sy + y'Lx: grad_x F = Hx + Ky, grad_y G = Sy + Lx, so
    # J = [[I - a H, -a K], [-b L, I - b S]] (Section 3 of the paper)
    rng = np.random.default_rng(0)
    p, q, a, b = 4, 3, 0.1, 0.2
    H, S = _sym(rng, p), _sym(rng, q)
    K, L = rng.standard_normal((p, q)), rng.standard_normal((q, p))
    Ht, St, Kt, Lt = (torch.tensor(M) for M in (H, S, K, L))

    def F(x, y):
        return 0.5 * x @ Ht @ x + x @ Kt @ y

    def G(x, y):
        return 0.5 * y @ St @ y + y @ Lt @ x

    res = simultaneous_gd_jacobian(F, G, rng.standard_normal(p), rng.standard_normal(q), a, b)
    expected = np.block([[np.eye(p) - a * H, -a * K], [-b * L, np.eye(q) - b * S]])
    np.testing.assert_allclose(res.J, expected, atol=1e-14)
    np.testing.assert_allclose(res.B, -a * K, atol=1e-14)
    np.testing.assert_allclose(res.C, -b * L, atol=1e-14)
    assert res.J.dtype == np.float64 and (res.p, res.q, res.n) == (p, q, p + q)
    assert not res.structure.block_triangular
    assert res.structure.symmetric_A and res.structure.symmetric_D


def test_nonlinear_jacobian_matches_central_differences_of_the_step():
    def F(x, y):
        return torch.sum(torch.log(torch.cosh(x))) + torch.sin(x[0]) * torch.sum(y**2)

    def G(x, y):
        return torch.sum(y**4) / 4 + torch.dot(torch.tanh(x), y) + torch.exp(y[1])

    x0, y0 = np.array([0.3, -0.7]), np.array([0.5, 0.1])
    res = simultaneous_gd_jacobian(F, G, x0, y0, 0.3, 0.05)
    step, w, p, _ = simultaneous_gd_step(F, G, x0, y0, 0.3, 0.05)
    h = 1e-6
    fd = np.empty((4, 4))
    for j in range(4):
        e = torch.zeros(4, dtype=torch.float64)
        e[j] = h
        fd[:, j] = ((step(w + e) - step(w - e)) / (2 * h)).numpy()
    np.testing.assert_allclose(res.J, fd, atol=1e-8)
    assert res.structure.symmetric_A and res.structure.symmetric_D  # Hessian blocks
    assert not res.structure.block_triangular  # F depends on y through its x-gradient


def test_structure_report_of_a_block_triangular_jacobian():
    # F ignores y, so B = 0; A = (1 - a) I, D = (1 - b) I, C = b I
    def F(x, y):
        return 0.5 * x @ x

    def G(x, y):
        return 0.5 * (y - x) @ (y - x)

    res = simultaneous_gd_jacobian(F, G, torch.ones(3), torch.zeros(3), 0.25, 0.5)
    s = res.structure
    assert s.block_triangular and s.norm_B == 0.0 and s.paper_class
    assert s.rho_A == pytest.approx(0.75) and s.rho_D == pytest.approx(0.5)
    assert s.norm_C == pytest.approx(0.5) and s.gamma == pytest.approx(0.75)
    assert s.rho_J == pytest.approx(0.75)
    json.dumps(res.to_dict())


def test_block_structure_flags_asymmetry_and_large_radius():
    J = np.array([[1.5, 0.7, 0.0], [0.0, 0.2, 1.0], [3.0, 0.0, 0.1]])
    s = block_structure(J, 2)
    assert not s.symmetric_A and s.asymmetry_A > 0.5
    assert s.rho_A == pytest.approx(1.5) and not s.paper_class
    assert s.norm_B == pytest.approx(1.0) and s.norm_C == pytest.approx(3.0)
    with pytest.raises(InputError, match="blocks"):
        block_structure(J, 0)


def test_mapping_points_flatten_in_key_order():
    # x given as a dict of a 2x2 weight and a bias; F sees the same structure
    def F(x, y):
        return 0.5 * torch.sum(x["W"] ** 2) + torch.sum(x["b"] ** 2) + torch.sum(x["W"]) * y[0]

    def G(x, y):
        return 0.5 * y @ y - y[0] * x["b"][1]

    x = {"W": torch.zeros(2, 2), "b": torch.zeros(2)}
    res = simultaneous_gd_jacobian(F, G, x, torch.zeros(1), 1.0, 1.0)
    assert res.p == 6 and res.q == 1 and res.shapes["x"] == {"W": (2, 2), "b": (2,)}
    # A = I - diag(1,1,1,1,2,2); B = -d^2F/dx dy0 = -1 on W entries; C = -d^2G/dy0 dx = +1 on b[1]
    np.testing.assert_allclose(np.diag(res.A), [0, 0, 0, 0, -1, -1])
    np.testing.assert_allclose(res.B.ravel(), [-1, -1, -1, -1, 0, 0])
    np.testing.assert_allclose(res.C.ravel(), [0, 0, 0, 0, 0, 1])


def test_heavy_ball_state_jacobian_matches_closed_form():
    # heavy ball on both players: x' = x - a grad + m (x - x_prev), state (x, x_prev, y, y_prev)
    rng = np.random.default_rng(1)
    p, q, a, b, m = 2, 3, 0.1, 0.2, 0.5
    H, S = _sym(rng, p), _sym(rng, q)
    L = rng.standard_normal((q, p))
    Ht, St, Lt = (torch.tensor(M) for M in (H, S, L))

    def step(w):
        x, xp, y, yp = w[:p], w[p : 2 * p], w[2 * p : 2 * p + q], w[2 * p + q :]
        x_new = x - a * (Ht @ x) + m * (x - xp)
        y_new = y - b * (St @ y + Lt @ x) + m * (y - yp)
        return torch.cat([x_new, x, y_new, y])

    res = step_jacobian(step, torch.zeros(2 * (p + q)), blocks=(2 * p, 2 * q))
    Ip, Iq = np.eye(p), np.eye(q)
    A = np.block([[(1 + m) * Ip - a * H, -m * Ip], [Ip, 0 * Ip]])
    D = np.block([[(1 + m) * Iq - b * S, -m * Iq], [Iq, 0 * Iq]])
    C = np.zeros((2 * q, 2 * p))
    C[:q, :p] = -b * L
    np.testing.assert_allclose(res.J, np.block([[A, np.zeros((2 * p, 2 * q))], [C, D]]))
    assert res.structure.block_triangular and not res.structure.symmetric_A  # momentum


def test_matrix_free_operator_agrees_with_dense_jacobian():
    def F(x, y):
        return torch.sum(torch.cos(x) * y[:3]) + 0.5 * x @ x

    def G(x, y):
        return torch.sum(torch.sinh(y)) * 0.1 + torch.dot(x, y[1:]) ** 2

    x0, y0 = np.array([0.1, 0.2, 0.3]), np.array([0.4, -0.5, 0.6, 0.7])
    J = simultaneous_gd_jacobian(F, G, x0, y0, 0.2, 0.3).J
    op = simultaneous_gd_operator(F, G, x0, y0, 0.2, 0.3)
    rng = np.random.default_rng(2)
    v, u, V = rng.standard_normal(7), rng.standard_normal(7), rng.standard_normal((7, 3))
    assert op.shape == (7, 7) and op.blocks == (3, 4)
    np.testing.assert_allclose(op.matvec(v), J @ v, atol=1e-13)
    np.testing.assert_allclose(op.rmatvec(u), J.T @ u, atol=1e-13)
    np.testing.assert_allclose(op.matmat(V), J @ V, atol=1e-13)
    step, w, _, _ = simultaneous_gd_step(F, G, x0, y0, 0.2, 0.3)
    np.testing.assert_allclose(jacobian_operator(step, w) @ v, J @ v, atol=1e-13)


def test_save_writes_blocks_that_load_matrix_reads(tmp_path):
    from kreiss.io import load_matrix

    def F(x, y):
        return 0.5 * x @ x

    def G(x, y):
        return 0.5 * (y - 2 * x) @ (y - 2 * x)

    res = simultaneous_gd_jacobian(F, G, np.zeros(2), np.zeros(2), 0.5, 0.5)
    path = tmp_path / "J.npz"
    res.save(path)
    with np.load(path) as data:
        assert set(data.files) >= {"J", "A", "B", "C", "D"}
        np.testing.assert_array_equal(data["C"], res.C)
    loaded = load_matrix(path, blocks=True)
    np.testing.assert_array_equal(loaded.J, res.J)


def test_missing_torch_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    with pytest.raises(TorchMissingError, match=r"pip install 'kreiss\[torch\]'") as info:
        simultaneous_gd_jacobian(lambda x, y: x, lambda x, y: y, [0.0], [0.0], 0.1, 0.1)
    assert isinstance(info.value, KreissError) and isinstance(info.value, ImportError)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("F", "alpha", "match"),
    [
        (lambda x, y: x * y, 0.1, "must return a scalar"),
        (lambda x, y: 1.0, 0.1, "must return a torch scalar"),
        (lambda x, y: torch.sum(x * y), 0.0, "alpha must be finite and > 0"),
        (lambda x, y: torch.sum(x * y), float("nan"), "alpha must be finite and > 0"),
    ],
)
def test_bad_objectives_and_steps_fail_in_one_line(F, alpha, match):
    with pytest.raises(InputError, match=match):
        simultaneous_gd_jacobian(F, lambda x, y: torch.sum(y**2), [1.0, 2.0], [3.0, 4.0], alpha, 1)


def test_bad_points_steps_and_blocks():
    with pytest.raises(InputError, match="NaN or Inf"):
        simultaneous_gd_jacobian(
            lambda x, y: x @ x, lambda x, y: y @ y, [np.nan], [1.0], 0.1, 0.1
        )
    with pytest.raises(InputError, match="shape"):
        step_jacobian(lambda w: w[:2], torch.zeros(3), blocks=2)
    with pytest.raises(InputError, match="p \\+ q"):
        step_jacobian(lambda w: w, torch.zeros(3), blocks=(2, 2))


def _float32_game():
    """A float32 model as torch users write it: parameters and the data it closes over."""
    gen = torch.Generator().manual_seed(0)
    data = torch.randn(16, 3, generator=gen)

    def F(x, y):
        return torch.tanh(data @ x).mean() * (data @ y).mean() + 0.5 * x @ x

    def G(x, y):
        return -torch.tanh(data @ x).mean() * (data @ y).mean() + 0.5 * y @ y

    x = torch.randn(3, generator=gen)
    y = torch.randn(3, generator=gen)
    return F, G, x, y, data


def test_float32_model_is_differentiated_in_its_own_precision():
    F, G, x, y, data = _float32_game()
    cj = simultaneous_gd_jacobian(F, G, x, y, 0.1, 0.2)
    # the same game built in float64 (data cast too): J agrees to float32 rounding
    d64 = data.double()

    def F64(x, y):
        return torch.tanh(d64 @ x).mean() * (d64 @ y).mean() + 0.5 * x @ x

    def G64(x, y):
        return -torch.tanh(d64 @ x).mean() * (d64 @ y).mean() + 0.5 * y @ y

    J64 = simultaneous_gd_jacobian(F64, G64, x.double(), y.double(), 0.1, 0.2).J
    assert cj.J.dtype == np.float64
    err = np.abs(cj.J - J64).max()
    assert 0 < err < 1e-6  # float32 rounding: not exact, yet far below the entries (~1)
    op = simultaneous_gd_operator(F, G, x, y, 0.1, 0.2)
    assert op.dtype == np.float32
    v = np.random.default_rng(0).standard_normal(6)
    np.testing.assert_allclose(op @ v, J64 @ v, atol=1e-5)
    # the witness twin stays in float32: the objective cannot run in float64, and says so
    assert op.float64() is op
    from kreiss import transient

    tr = transient(op, horizon=5, method="krylov")
    assert "re-checked in float32" in tr.message
    assert tr.sup <= np.linalg.norm(np.linalg.matrix_power(J64, int(tr.argmax)), 2) * (1 + 1e-5)
    from kreiss import kreiss_constant

    K = kreiss_constant(op, method="krylov")  # a float32 residual: an estimate, not a witness
    assert K.lower_status == "estimate" and "float32 only" in K.message
    from kreiss import analyze_operator

    Kt = analyze_operator(op, horizon=5, adjoint="yes").kreiss  # through A^H: the same
    assert Kt.lower_status == "estimate" and "float32 only" in Kt.message


def test_precision_clash_with_closed_over_data_is_one_line():
    F, G, x, y, _ = _float32_game()
    with pytest.raises(InputError, match="closes over") as err:
        simultaneous_gd_operator(F, G, x, y, 0.1, 0.2, dtype=torch.float64)
    assert "\n" not in str(err.value)
    for bad in (torch.int32, "float32", torch.float16):
        with pytest.raises(InputError, match="dtype must be"):
            simultaneous_gd_operator(F, G, x, y, 0.1, 0.2, dtype=bad)
        with pytest.raises(InputError, match="dtype must be"):
            simultaneous_gd_step(F, G, x, y, 0.1, 0.2, dtype=bad)
