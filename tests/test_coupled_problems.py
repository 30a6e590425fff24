"""Problem generators: the prescribed radius, norm, rank and spectra hold; LQ Jacobian is right."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kreiss.coupled import (
    SHAPES,
    gradient_flow_instance,
    lq_bilevel,
    paper_class_instance,
    spectrum,
    time_varying_sequence,
)
from kreiss.errors import InputError


@pytest.mark.parametrize("shape", SHAPES)
def test_class_instance_meets_its_prescription(shape):
    prob = paper_class_instance(6, 5, 0.9, 0.7, shape=shape, rank=3, seed=11)
    A, B, C, D = prob.A, prob.B, prob.C, prob.D
    np.testing.assert_array_equal(B, 0)
    np.testing.assert_allclose(A, A.T, atol=1e-15)
    np.testing.assert_allclose(D, D.T, atol=1e-15)
    eA, eD = np.linalg.eigvalsh(A), np.linalg.eigvalsh(D)
    np.testing.assert_allclose(eA, np.sort(prob.eig_A), atol=1e-13)
    np.testing.assert_allclose(eD, np.sort(prob.eig_D), atol=1e-13)
    assert np.max(np.abs(eA)) == pytest.approx(0.9, abs=1e-13)
    assert np.max(eA) == pytest.approx(0.9, abs=1e-13)  # +gamma is an eigenvalue
    assert np.max(np.abs(eD)) == pytest.approx(0.9, abs=1e-13)
    sv = np.linalg.svd(C, compute_uv=False)
    assert sv[0] == pytest.approx(0.7, rel=1e-13) and np.sum(sv > 1e-12) == 3
    assert prob.structure.paper_class
    json.dumps(prob.to_dict())


def test_shapes_have_their_documented_spectra():
    g = 0.8
    assert set(np.round(spectrum(7, g, "two-point"), 12)) == {0.8, -0.8}
    np.testing.assert_allclose(spectrum(5, g, "linspace"), [0.8, 0.4, 0.0, -0.4, -0.8])
    np.testing.assert_array_equal(spectrum(4, g, "constant"), [g] * 4)
    np.testing.assert_allclose(spectrum(4, g, "constant-negative"), [g, -g, -g, -g])
    pos = spectrum(50, g, "positive", seed=0)
    assert pos.min() >= 0 and pos.max() == g
    cl = spectrum(50, g, "clustered", seed=0)
    assert cl.min() >= 0.9 * g and cl.max() == g
    un = spectrum(200, g, "uniform", seed=0)
    assert un.min() < -0.7 and un.max() == g  # spread over [-gamma, gamma]
    with pytest.raises(InputError, match="unknown spectrum shape 'wide'"):
        spectrum(3, g, "wide")


def test_seed_reproduces_and_differs():
    a = paper_class_instance(3, 3, 0.5, 1.0, seed=5)
    b = paper_class_instance(3, 3, 0.5, 1.0, seed=5)
    c = paper_class_instance(3, 3, 0.5, 1.0, seed=6)
    np.testing.assert_array_equal(a.J, b.J)
    assert not np.allclose(a.J, c.J)
    assert a.params["seed"] == 5 and a.params["gamma"] == 0.5


def test_flat_aligned_coupling_maps_top_eigenvector_to_top_eigenvector():
    prob = paper_class_instance(4, 4, 0.6, 2.0, singular="flat", align=True, seed=3)
    np.testing.assert_allclose(np.linalg.svd(prob.C, compute_uv=False), [2.0] * 4)
    eA, VA = np.linalg.eigh(prob.A)
    eD, VD = np.linalg.eigh(prob.D)
    u_A, u_D = VA[:, -1], VD[:, -1]  # eigenvectors for +gamma (uniform: simple eigenvalue)
    assert eA[-1] == pytest.approx(0.6) and eD[-1] == pytest.approx(0.6)
    assert abs(u_D @ prob.C @ u_A) == pytest.approx(2.0, rel=1e-12)


def test_class_generator_rejects_bad_parameters():
    with pytest.raises(InputError, match="gamma must lie in"):
        paper_class_instance(2, 2, 1.0, 1.0)
    with pytest.raises(InputError, match="c must lie in"):
        paper_class_instance(2, 2, 0.5, -1.0)
    with pytest.raises(InputError, match="rank = 3 exceeds"):
        paper_class_instance(2, 4, 0.5, 1.0, rank=3)
    with pytest.raises(InputError, match="p must be a positive integer"):
        paper_class_instance(0, 4, 0.5, 1.0)


@pytest.mark.parametrize("data", ["gaussian", "spectral"])
@pytest.mark.parametrize("outer", ["partial", "implicit"])
def test_lq_jacobian_is_the_linearisation_of_its_update(data, outer):
    # independent of autodiff: the update is affine, so step(w* + d) - w* = J d exactly
    prob = lq_bilevel(p=6, q=5, mu=0.3, gamma=0.9, c=0.4, data=data, outer=outer, seed=2)
    M, b, N, P, a, be, mu = prob.M, prob.b, prob.N, prob.P, prob.alpha, prob.beta, prob.mu
    H = np.linalg.solve(N.T @ N, N.T @ P)

    def step(x, y):
        gx = M.T @ (M @ x - b) + (mu * H.T @ y if outer == "implicit" else 0)
        return np.r_[x - a * gx, y - be * N.T @ (N @ y - P @ x)]

    xs, ys = prob.x_star, prob.y_star
    np.testing.assert_allclose(step(xs, ys), np.r_[xs, ys], atol=1e-10)  # fixed point
    d = np.random.default_rng(0).standard_normal(11)
    np.testing.assert_allclose(step(xs + d[:6], ys + d[6:]) - np.r_[xs, ys], prob.J @ d, atol=1e-10)
    s = prob.structure
    assert s.rho_A == pytest.approx(0.9, abs=1e-12) and s.rho_D == pytest.approx(0.9, abs=1e-12)
    assert s.norm_C == pytest.approx(0.4, rel=1e-12)
    assert s.block_triangular == (outer == "partial")
    if outer == "implicit":
        assert s.norm_B == pytest.approx(a * mu * np.linalg.norm(H, 2), rel=1e-12)


@pytest.mark.parametrize("outer", ["partial", "implicit"])
def test_lq_analytic_jacobian_matches_autodiff(outer):
    pytest.importorskip("torch")
    from kreiss.coupled import simultaneous_gd_jacobian

    prob = lq_bilevel(p=8, q=7, gamma=0.95, c=0.1, outer=outer, seed=4)
    F, G = prob.objectives()
    res = simultaneous_gd_jacobian(F, G, prob.x_star, prob.y_star, prob.alpha, prob.beta)
    np.testing.assert_allclose(res.J, prob.J, atol=1e-13)


def test_lq_default_size_and_unreachable_gamma():
    prob = lq_bilevel(seed=0)  # p = q = 50, mu = 0.1, the paper's Section 7
    assert (prob.p, prob.q, prob.mu) == (50, 50, 0.1)
    assert prob.params["data"] == "gaussian" and prob.structure.paper_class
    with pytest.raises(InputError, match="raise oversample or use data='spectral'"):
        lq_bilevel(p=10, q=10, gamma=0.3, seed=0)
    assert lq_bilevel(p=10, q=10, gamma=0.3, data="spectral", seed=0).structure.gamma == (
        pytest.approx(0.3)
    )
    with pytest.raises(InputError, match="data must be"):
        lq_bilevel(p=3, q=3, data="uniform")


def test_gradient_flow_generator():
    prob = gradient_flow_instance(4, 3, 0.2, 1.5, L=2.0, seed=1)
    assert prob.kind == "continuous"
    np.testing.assert_array_equal(prob.B, 0)
    hx, hy = np.linalg.eigvalsh(-prob.A), np.linalg.eigvalsh(-prob.D)
    assert hx[0] == pytest.approx(0.2) and hy[0] == pytest.approx(0.2)
    assert hx[-1] <= 2.0 + 1e-12 and hy[-1] <= 2.0 + 1e-12
    assert np.linalg.norm(prob.C, 2) == pytest.approx(1.5)
    # spectral abscissa is -mu: the flow decays
    assert np.max(np.linalg.eigvals(prob.J).real) == pytest.approx(-0.2)
    with pytest.raises(InputError, match="mu must lie in"):
        gradient_flow_instance(2, 2, 0.0, 1.0)


def test_time_varying_sequence_satisfies_assumption_21():
    seq = time_varying_sequence(3, 4, 0.85, 0.6, 12, drift=0.2, seed=3)
    assert seq.Js.shape == (12, 7, 7)
    for J in seq.Js:
        A, B, C, D = J[:3, :3], J[:3, 3:], J[3:, :3], J[3:, 3:]
        np.testing.assert_array_equal(B, 0)
        np.testing.assert_allclose(A, A.T, atol=1e-14)
        assert np.max(np.abs(np.linalg.eigvalsh(A))) == pytest.approx(0.85)
        assert np.max(np.abs(np.linalg.eigvalsh(D))) == pytest.approx(0.85)
        assert np.linalg.norm(C, 2) == pytest.approx(0.6)
    assert not np.allclose(seq.Js[0], seq.Js[1])
    # products against direct multiplication, in the other order of association
    X = seq.Js[4] @ (seq.Js[3] @ (seq.Js[2] @ (seq.Js[1] @ seq.Js[0])))
    assert seq.product_norms()[5] == pytest.approx(np.linalg.norm(X, 2))


def test_time_varying_without_drift_is_constant():
    seq = time_varying_sequence(2, 2, 0.7, 1.0, 5, drift=0.0, seed=0)
    np.testing.assert_allclose(seq.Js[4], seq.Js[0], atol=1e-14)
    J = seq.Js[0]
    norms = seq.product_norms()
    assert norms[3] == pytest.approx(np.linalg.norm(np.linalg.matrix_power(J, 3), 2))


def test_save_round_trips_through_load_matrix(tmp_path):
    from kreiss.io import load_matrix

    prob = paper_class_instance(3, 2, 0.5, 1.0, seed=0)
    prob.save(tmp_path / "J.npz")
    loaded = load_matrix(tmp_path / "J.npz", blocks=True)
    np.testing.assert_array_equal(loaded.J, prob.J)
    assert loaded.blocks == (3, 2)
