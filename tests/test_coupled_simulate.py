"""Simulation of coupled GD against closed-form linear recurrences and the core's predictions."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from kreiss.coupled import gradient_flow_instance, paper_class_instance, simulate
from kreiss.errors import InputError, UnstableError


def test_deterministic_jordan_type_block_follows_its_closed_form():
    # J = [[g, 0], [c, g]]: J^t e1 = (g^t, t c g^(t-1))  (Lemma 17 with p = q = 1)
    g, c = 0.8, 3.0
    res = simulate(np.array([[g, 0.0], [c, g]]), 60, blocks=1, e0=[1.0, 0.0], predict=False)
    t = np.arange(61)
    exact = np.hypot(g**t, t * c * g ** np.maximum(t - 1, 0))
    np.testing.assert_allclose(res.deterministic, exact, rtol=1e-12)
    np.testing.assert_allclose(res.rms, exact, rtol=1e-12)
    assert res.peak_time == int(np.argmax(exact)) and res.peak == pytest.approx(exact.max())
    assert res.noise_floor == 0.0 and res.kreiss is None


def test_iterations_to_tolerance_of_a_scalar_contraction():
    # J = g I, ||e_t|| = g^t: first t with g^t <= tol is ceil(log tol / log g)
    g, tol = 0.7, 1e-5
    res = simulate(g * np.eye(3), 100, e0=[0.0, 1.0, 0.0], tol=tol, predict=False)
    assert res.iterations_to_tol == math.ceil(math.log(tol) / math.log(g))
    assert simulate(g * np.eye(3), 5, e0="random", tol=tol, predict=False).iterations_to_tol is None


def test_noise_level_matches_theorem_11_normalisation():
    # J = 0: e_1 = eta_0, E||eta||^2 = (alpha^2 + beta^2) sigma^2 exactly
    a, b, s = 0.3, 0.5, 2.0
    res = simulate(np.zeros((5, 5)), 3, blocks=2, e0=np.zeros(5), sigma=s, alpha=a, beta=b,
                   runs=4000, seed=0, predict=False)  # fmt: skip
    target = (a**2 + b**2) * s**2
    assert res.expected_square[1] == pytest.approx(target, rel=1e-12)
    # Monte Carlo mean of a chi-square-type variable: 5 standard errors
    sq = res.norms[:, 1] ** 2
    assert abs(sq.mean() - target) < 5 * sq.std() / np.sqrt(sq.size)


def test_stochastic_mean_square_of_a_scalar_block_recurrence():
    # J = g I (n = 4, p = q = 2), Q = diag(a^2 s^2/2, a^2 s^2/2, b^2 s^2/2, b^2 s^2/2):
    # E||e_t||^2 = g^(2t) ||e0||^2 + tr Q (1 - g^(2t)) / (1 - g^2)
    g, a, b, s = 0.9, 0.5, 0.25, 0.4
    e0 = np.array([1.0, 2.0, 0.0, -1.0])
    res = simulate(g * np.eye(4), 80, blocks=2, e0=e0, sigma=s, alpha=a, beta=b, runs=3000,
                   seed=1, predict=False)  # fmt: skip
    t = np.arange(81)
    trQ = (a**2 + b**2) * s**2
    exact = g ** (2 * t) * 6.0 + trQ * (1 - g ** (2 * t)) / (1 - g**2)
    np.testing.assert_allclose(res.expected_square, exact, rtol=1e-12)
    assert res.noise_floor_exact == pytest.approx(trQ / (1 - g**2), rel=1e-10)
    # measured against exact, within sampling error (3000 runs: a few percent)
    np.testing.assert_allclose(res.rms**2, exact, rtol=0.08)
    assert res.noise_floor == pytest.approx(res.noise_floor_exact, rel=0.05)


def test_predictions_bracket_the_measurements():
    prob = paper_class_instance(4, 4, 0.9, 2.0, align=True, seed=0)
    res = simulate(prob, sigma=0.05, runs=300, seed=2, lyapunov_rho=0.97)
    n = prob.n
    # e0 = "worst" attains sup_t ||J^t|| (noise-free), which the Kreiss matrix theorem brackets
    assert res.deterministic.max() == pytest.approx(res.transient_sup, rel=1e-10)
    assert res.kreiss <= res.transient_sup * (1 + 1e-8)
    assert res.transient_sup <= math.e * n * res.kreiss_upper
    assert np.all(res.deterministic <= res.envelope * (1 + 1e-10))
    assert np.all(res.deterministic <= res.e0_norm * res.lyapunov.bound_at(res.t) * (1 + 1e-10))
    # noise floor: measured ~ exact <= bound of the proof of Theorem 11
    assert res.noise_floor == pytest.approx(res.noise_floor_exact, rel=0.1)
    assert res.noise_floor_exact <= res.noise_floor_bound
    assert res.paper_peak_time == pytest.approx(math.log(res.kreiss) / -math.log(0.9), rel=1e-6)
    out = json.loads(json.dumps(res.to_dict()))
    assert out["kreiss"] == res.kreiss and len(out["rms"]) == res.steps + 1


def test_worst_case_iterations_bound_the_noise_free_run():
    prob = paper_class_instance(5, 3, 0.8, 1.0, seed=3)
    res = simulate(prob, e0="random", seed=4, tol=1e-4)
    assert res.iterations_to_tol is not None
    assert res.iterations_to_tol <= res.predicted_iterations_to_tol


def test_plot_writes_a_png(tmp_path):
    res = simulate(np.array([[0.5, 0.0], [2.0, 0.6]]), 30, blocks=1, sigma=0.01, runs=5, seed=0)
    path = tmp_path / "sim.png"
    res.plot(path=path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_input():
    with pytest.raises(InputError, match="continuous-time generator"):
        simulate(gradient_flow_instance(2, 2, 0.5, 1.0, seed=0))
    with pytest.raises(UnstableError, match="pass steps="):
        simulate(np.diag([1.2, 0.1]))
    diverging = simulate(np.diag([1.2, 0.1]), 10, e0=[1.0, 0.0], predict=False)
    assert diverging.deterministic[-1] == pytest.approx(1.2**10)
    with pytest.raises(InputError, match="e0 must be"):
        simulate(np.eye(2) * 0.5, 5, e0="best")
    with pytest.raises(InputError, match="length 2"):
        simulate(np.eye(2) * 0.5, 5, e0=[1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="sigma"):
        simulate(np.eye(2) * 0.5, 5, sigma=-1.0)


def test_run_gd_on_the_lq_problem_is_the_linear_iteration():
    pytest.importorskip("torch")
    from kreiss.coupled import lq_bilevel, run_gd

    prob = lq_bilevel(p=6, q=5, gamma=0.9, c=2.0, seed=1)
    F, G = prob.objectives()
    rng = np.random.default_rng(0)
    dx, dy = rng.standard_normal(6), rng.standard_normal(5)
    run = run_gd(F, G, prob.x_star + dx, prob.y_star + dy, prob.alpha, prob.beta, 60,
                 x_star=prob.x_star, y_star=prob.y_star)  # fmt: skip
    sim = simulate(prob, 60, e0=np.r_[dx, dy], predict=False)
    np.testing.assert_allclose(run.errors, sim.deterministic, rtol=1e-10, atol=1e-12)


def test_run_gd_noise_level_and_nonlinear_linearisation():
    torch = pytest.importorskip("torch")
    from kreiss.coupled import run_gd, simultaneous_gd_jacobian

    def F(x, y):
        return torch.sum(torch.log(torch.cosh(x)))

    def G(x, y):
        return 0.5 * torch.sum((y - 2 * torch.sin(x)) ** 2)

    a, b, s = 0.2, 0.3, 1.5
    # from the fixed point (0, 0): e_1 = (-a xi, -b zeta), E||e_1||^2 = (a^2 + b^2) s^2
    sq = np.array([run_gd(F, G, np.zeros(2), np.zeros(2), a, b, 1, sigma=s,
                          seed=k).errors[1] ** 2 for k in range(400)])  # fmt: skip
    target = (a**2 + b**2) * s**2
    assert abs(sq.mean() - target) < 5 * sq.std() / np.sqrt(sq.size)
    # a tiny perturbation follows the Jacobian at the fixed point
    J = simultaneous_gd_jacobian(F, G, np.zeros(2), np.zeros(2), a, b).J
    e0 = 1e-7 * np.array([1.0, -1.0, 0.5, 2.0])
    run = run_gd(F, G, e0[:2], e0[2:], a, b, 20)
    lin = [np.linalg.norm(np.linalg.matrix_power(J, t) @ e0) for t in range(21)]
    np.testing.assert_allclose(run.errors, lin, rtol=1e-6)
