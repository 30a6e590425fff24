"""Radii and abscissae: closed forms, brute-force dense SVD on grids, certificates."""

from __future__ import annotations

import json

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from kreiss.errors import InputError
from kreiss.linalg.radii import (
    numerical_abscissa,
    numerical_radius,
    numerical_range,
    pseudospectral_abscissa,
    pseudospectral_radius,
    spectral_abscissa,
    spectral_radius,
)
from kreiss.linalg.schur import schur_form


def smin(A, z):
    """sigma_min(zI - A) by dense SVD, for an array of shifts z."""
    z = np.atleast_1d(np.asarray(z, dtype=complex))
    n = A.shape[0]
    X = z[:, None, None] * np.eye(n) - A
    with threadpool_limits(1, user_api="blas"):
        return np.linalg.svd(X, compute_uv=False)[:, -1]


def random_unitary(n, rng):
    Z = rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))
    Q, R = np.linalg.qr(Z)
    return Q * (np.diag(R) / np.abs(np.diag(R)))


def jordan(a, b):
    return np.array([[a, b], [0, a]])


def jordan_eps_radius(b, eps):
    """Lambda_eps([[a, b], [0, a]]) is the disc about a of radius sqrt(eps^2 + |b| eps).

    With d = z - a the singular values s1 >= s2 of [[d, -b], [0, d]] satisfy s1 s2 = |d|^2
    and s1^2 + s2^2 = 2|d|^2 + |b|^2; s2 = eps gives (|d|^2 - eps^2)^2 = |b|^2 eps^2.
    """
    return np.sqrt(eps**2 + abs(b) * eps)


# ------------------------------------------------------------------ spectral, numerical


def test_spectral_radius_and_abscissa_of_diagonal():
    A = np.diag([0.3, -2.0 + 1.0j, 1.5j])
    assert spectral_radius(A) == pytest.approx(np.sqrt(5.0))
    assert spectral_abscissa(A) == pytest.approx(0.3)
    S = schur_form(A)
    assert spectral_radius(S) == pytest.approx(np.sqrt(5.0))
    assert spectral_abscissa(S) == pytest.approx(0.3)


def test_numerical_abscissa_and_radius_of_jordan_block():
    # W([[a, b], [0, a]]) is the disc about a of radius |b|/2
    a, b = 0.3 - 0.4j, 2.0
    A = jordan(a, b)
    assert numerical_abscissa(A) == pytest.approx(a.real + b / 2, abs=1e-14)
    assert numerical_radius(A) == pytest.approx(abs(a) + b / 2, rel=1e-9)
    W = numerical_range(A, npts=64)
    np.testing.assert_allclose(np.abs(W.points - a), b / 2, atol=1e-12)
    assert W.numerical_abscissa == pytest.approx(a.real + b / 2, abs=1e-14)
    assert W.numerical_radius <= abs(a) + b / 2 + 1e-12
    assert W.numerical_radius_upper >= abs(a) + b / 2 - 1e-12


def test_numerical_radius_of_normal_matrix_is_spectral_radius():
    rng = np.random.default_rng(3)
    lam = np.array([1.0, -0.5 + 1.2j, 0.2 - 0.9j, -1.1])
    Q = random_unitary(4, rng)
    A = Q @ np.diag(lam) @ Q.conj().T
    assert numerical_radius(A) == pytest.approx(np.max(np.abs(lam)), rel=1e-9)
    assert numerical_abscissa(A) == pytest.approx(1.0, abs=1e-13)


def test_numerical_range_points_and_support_lines():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((6, 6)) + 1j * rng.standard_normal((6, 6))
    W = numerical_range(A, npts=48)
    # each point lies on its supporting line ...
    np.testing.assert_allclose((np.exp(-1j * W.angles) * W.points).real, W.support, atol=1e-12)
    # ... and no point of W(A) lies beyond any supporting line
    X = rng.standard_normal((6, 2000)) + 1j * rng.standard_normal((6, 2000))
    X /= np.linalg.norm(X, axis=0)
    w = np.einsum("ik,ij,jk->k", X.conj(), A, X)
    proj = (np.exp(-1j * W.angles)[:, None] * w[None, :]).real
    assert np.all(proj <= W.support[:, None] + 1e-12)
    # the bracket for the numerical radius contains the refined value
    r = numerical_radius(A)
    assert W.numerical_radius - 1e-12 <= r <= W.numerical_radius_upper + 1e-12
    assert np.max(np.abs(w)) <= r * (1 + 1e-9)


def test_numerical_range_real_matrix_uses_symmetry_correctly():
    rng = np.random.default_rng(7)
    A = rng.standard_normal((5, 5))
    Wr = numerical_range(A, npts=40)
    Wc = numerical_range(schur_form(A), npts=40)  # complex T: no symmetry shortcut
    np.testing.assert_allclose(Wr.support, Wc.support, atol=1e-12)
    np.testing.assert_allclose(Wr.points, Wc.points, atol=1e-7)
    json.dumps(Wr.to_dict())


def test_numerical_range_plot_and_bad_angles():
    A = jordan(0.5, 1.0)
    ax = numerical_range(A, npts=16).plot()
    assert len(ax.lines) == 2
    with pytest.raises(InputError):
        numerical_range(A, npts=2)


# ------------------------------------------------------------------ closed forms


@pytest.mark.parametrize("eps", [1e-6, 0.1, 3.0])
def test_normal_matrix_alpha_and_rho_eps(eps):
    rng = np.random.default_rng(11)
    lam = np.array([0.4 + 0.3j, -1.0 + 2.0j, 0.1 - 0.8j, -0.7, 0.3 + 1.5j])
    Q = random_unitary(5, rng)
    A = Q @ np.diag(lam) @ Q.conj().T
    a = pseudospectral_abscissa(A, eps)
    r = pseudospectral_radius(A, eps)
    assert a.value == pytest.approx(0.4 + eps, rel=1e-10, abs=1e-12)
    assert r.value == pytest.approx(np.abs(lam).max() + eps, rel=1e-10, abs=1e-12)
    for res in (a, r):
        assert res.certified
        assert res.lower <= res.upper <= res.lower * (1 + 1e-8)


def test_real_normal_matrix_with_complex_pair():
    # rotation-scaling block: eigenvalues 0.2 +- 0.9i, plus -0.95
    A = np.zeros((3, 3))
    A[:2, :2] = [[0.2, 0.9], [-0.9, 0.2]]
    A[2, 2] = -0.95
    eps = 0.05
    assert pseudospectral_abscissa(A, eps).value == pytest.approx(0.2 + eps, rel=1e-12)
    r = pseudospectral_radius(A, eps)
    assert r.value == pytest.approx(max(np.hypot(0.2, 0.9), 0.95) + eps, rel=1e-12)


@pytest.mark.parametrize(("a", "b", "eps"), [(0.5, 1.0, 0.1), (-0.2, 10.0, 1e-3), (0.0, 1.0, 1e-8)])
def test_jordan_block_closed_forms(a, b, eps):
    # the bracket holds the closed form and is as wide as rounding makes it: the levels
    # eps -+ delta, delta = n u (3 ||A|| + eps), move the boundary by delta d(d)/d(eps), and
    # the criss-cross places its certificate test 1e-11 (relative) beyond its value
    d = jordan_eps_radius(b, eps)
    slope = (jordan_eps_radius(b, eps * 1.001) - d) / (0.001 * eps)
    width = 4 * 2 * np.finfo(float).eps * (3 * (abs(a) + b) + eps) * slope
    A = jordan(a, b)
    res = pseudospectral_abscissa(A, eps)
    assert res.certified and res.lower_status == "certified"
    assert res.lower <= a + d <= res.upper and res.upper - res.lower <= width + 1e-10
    assert smin(A, res.z)[0] == pytest.approx(eps, rel=1e-7)
    rr = pseudospectral_radius(A, eps)
    assert rr.lower <= abs(a) + d <= rr.upper and rr.upper - rr.lower <= width + 1e-10


def test_complex_jordan_block_radius():
    a, b, eps = 0.6 * np.exp(2.0j), 0.8, 0.02
    rr = pseudospectral_radius(jordan(a, b), eps)
    assert rr.value == pytest.approx(abs(a) + jordan_eps_radius(b, eps), rel=1e-10)
    assert np.angle(rr.z) == pytest.approx(2.0, abs=1e-5)


def test_global_convergence_to_a_component_without_the_rightmost_eigenvalue():
    # block diagonal: a normal eigenvalue 0.5 (rightmost, where the iteration starts) and a
    # Jordan block at 0 whose pseudospectral disc reaches further right
    eps, b = 0.01, 100.0
    A = np.zeros((3, 3))
    A[0, 0] = 0.5
    A[1:, 1:] = jordan(0.0, b)
    d = jordan_eps_radius(b, eps)
    assert d > 0.5 + eps
    assert pseudospectral_abscissa(A, eps).value == pytest.approx(d, rel=1e-10)
    # same for the radius: the largest eigenvalue in modulus is -0.7i
    B = np.zeros((3, 3), dtype=complex)
    B[0, 0] = -0.7j
    B[1:, 1:] = jordan(0.0, b)
    assert pseudospectral_radius(B, eps).value == pytest.approx(d, rel=1e-10)


def test_spurious_crossings_of_the_larger_singular_value_are_discarded():
    # diag(0, 0.5), eps = 1: the line Re z = 0.6 meets |z| = 1 at y = +-0.8, but there the
    # other singular value |z - 0.5| < 1, so those crossings are not on the boundary
    from kreiss.linalg.levelset import vertical_crossings

    A = np.diag([0.0, 0.5])
    ys = vertical_crossings(A, 0.6, 1.0)
    np.testing.assert_allclose(np.sort(np.abs(ys)), [0.8, 0.8, np.sqrt(0.99), np.sqrt(0.99)])
    assert pseudospectral_abscissa(A, 1.0).value == pytest.approx(1.5, rel=1e-12)
    assert pseudospectral_radius(A, 1.0).value == pytest.approx(1.5, rel=1e-12)


# ------------------------------------------------------------------ brute force


def _random_nonnormal(n, seed, real):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n))
    if not real:
        A = A + 1j * rng.standard_normal((n, n))
    return A / np.sqrt(n) + np.triu(rng.standard_normal((n, n)), 1)


@pytest.mark.parametrize(("seed", "real"), [(0, True), (1, False), (2, True)])
def test_abscissa_agrees_with_dense_svd_grid(seed, real):
    A = _random_nonnormal(5, seed, real)
    eps = 0.1
    res = pseudospectral_abscissa(A, eps)
    assert res.certified
    # grid around the answer: every grid point inside Lambda_eps has Re z <= value
    h = 0.005
    ymax = np.linalg.norm(A, 2) + eps  # Lambda_eps(A) lies in |z| <= ||A|| + eps
    xs = np.arange(res.value - 0.2, res.value + 0.05, h)
    ys = np.arange(-ymax, ymax, h)
    X, Y = np.meshgrid(xs, ys)
    s = smin(A, (X + 1j * Y).ravel()).reshape(X.shape)
    inside = s <= eps
    grid_max = X[inside].max()
    assert res.value >= grid_max - 1e-12
    assert res.value - grid_max < 5 * h
    # the attaining point is on the boundary; the certificate line is outside
    assert smin(A, res.z)[0] == pytest.approx(eps, rel=1e-8)
    line = res.upper + 1j * np.linspace(-6, 6, 20001)
    assert np.all(smin(A, line) > eps)
    assert res.upper - res.lower <= 1e-9 * max(1.0, abs(res.value))


@pytest.mark.parametrize(("seed", "real"), [(3, True), (4, False)])
def test_radius_agrees_with_dense_svd_grid(seed, real):
    A = _random_nonnormal(5, seed, real)
    eps = 0.05
    res = pseudospectral_radius(A, eps)
    assert res.certified
    h = 0.005
    rs = np.arange(res.value - 0.2, res.value + 0.05, h)
    th = np.linspace(-np.pi, np.pi, 2000, endpoint=False)
    R, TH = np.meshgrid(rs, th)
    s = smin(A, (R * np.exp(1j * TH)).ravel()).reshape(R.shape)
    grid_max = R[s <= eps].max()
    assert res.value >= grid_max - 1e-12
    assert res.value - grid_max < 5 * h
    assert smin(A, res.z)[0] == pytest.approx(eps, rel=1e-8)
    circle = res.upper * np.exp(1j * np.linspace(-np.pi, np.pi, 20001))
    assert np.all(smin(A, circle) > eps)


@pytest.mark.parametrize("eps", [1e-4, 0.3, 50.0])
def test_general_enclosures(eps):
    # alpha + eps <= alpha_eps <= omega + eps  and  rho + eps <= rho_eps <= r(A) + eps,
    # since sigma_min(zI - A) >= dist(z, W(A))
    A = _random_nonnormal(8, 9, real=True)
    a = pseudospectral_abscissa(A, eps).value
    assert spectral_abscissa(A) + eps - 1e-10 <= a <= numerical_abscissa(A) + eps + 1e-10
    r = pseudospectral_radius(A, eps).value
    assert spectral_radius(A) + eps - 1e-10 <= r <= numerical_radius(A) + eps + 1e-10


def test_real_matrix_matches_its_complex_unitary_similarity():
    rng = np.random.default_rng(12)
    A = _random_nonnormal(6, 12, real=True)
    Q = random_unitary(6, rng)
    B = Q @ A @ Q.conj().T  # complex: no symmetry is used
    for f in (pseudospectral_abscissa, pseudospectral_radius):
        assert f(A, 0.07).value == pytest.approx(f(B, 0.07).value, rel=1e-9)


def test_lanczos_path_agrees_with_brute_force():
    # n > 24: sigma_min by inverse Lanczos decides the intervals
    A = _random_nonnormal(30, 21, real=True)
    eps = 0.02
    res = pseudospectral_abscissa(schur_form(A), eps)
    assert res.certified
    assert smin(A, res.z)[0] == pytest.approx(eps, rel=1e-8)
    line = res.upper + 1j * np.linspace(-15, 15, 6001)
    assert np.all(smin(A, line) > eps)
    rr = pseudospectral_radius(A, eps)
    assert smin(A, rr.z)[0] == pytest.approx(eps, rel=1e-8)
    assert abs(rr.z) == pytest.approx(rr.value)
    circle = rr.upper * np.exp(1j * np.linspace(-np.pi, np.pi, 6001))
    assert np.all(smin(A, circle) > eps)


# ------------------------------------------------------------------ input and output


@pytest.mark.parametrize("eps", [0.0, -1.0, float("nan"), float("inf"), "x", None])
def test_bad_eps_is_one_line_input_error(eps):
    for f in (pseudospectral_abscissa, pseudospectral_radius):
        with pytest.raises(InputError) as info:
            f(np.eye(2), eps)
        assert "\n" not in str(info.value)


def test_bad_matrix_is_input_error():
    with pytest.raises(InputError):
        pseudospectral_abscissa(np.ones((2, 3)), 0.1)
    with pytest.raises(InputError):
        spectral_radius([[np.nan]])


def test_to_dict_is_json_safe_including_uncertified():
    res = pseudospectral_radius(jordan(0.5, 1.0), 0.1)
    d = json.loads(json.dumps(res.to_dict()))
    assert d["value"] == pytest.approx(res.value)
    assert d["z"] == pytest.approx([res.z.real, res.z.imag])
    stopped = pseudospectral_abscissa(_random_nonnormal(5, 0, True), 0.1, maxiter=1)
    assert not stopped.certified
    assert stopped.to_dict()["upper"] == "inf"
    assert stopped.value <= pseudospectral_abscissa(_random_nonnormal(5, 0, True), 0.1).value


def test_brackets_hold_the_closed_form_near_defective():
    # rotated 2 x 2 Jordan blocks a I + s N, eps from 1e-15 to 1e-6: Lambda_eps is the disc
    # about a of radius s sqrt(e + e^2), e = eps / s (60-digit arithmetic); a bracket that
    # treated computed sigma_min as exact excluded it in 377 of 400 such cases
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 60
    rng = np.random.default_rng(1)
    for _ in range(30):
        a, eps, s = rng.uniform(0.2, 0.99), 10.0 ** rng.uniform(-15, -6), 10.0 ** rng.uniform(0, 6)
        Q, _ = np.linalg.qr(rng.standard_normal((2, 2)))
        A = Q @ np.array([[a, s], [0.0, a]]) @ Q.T
        e = mpmath.mpf(eps) / mpmath.mpf(s)
        truth = mpmath.mpf(a) + mpmath.mpf(s) * mpmath.sqrt(e + e * e)
        for res in (pseudospectral_radius(A, eps), pseudospectral_abscissa(A, eps)):
            if res.lower_status == "certified":
                assert mpmath.mpf(res.lower) <= truth
            if res.upper_status == "certified":
                assert truth <= mpmath.mpf(res.upper)
            assert res.lower_status == "certified" or "rounding level" in res.message
