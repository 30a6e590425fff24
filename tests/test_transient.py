"""Transients ||A^t||, ||e^{tA}||: closed forms, the certified-sup logic, lower bounds."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.linalg as sla

from kreiss.errors import InputError, UnstableError
from kreiss.linalg.schur import schur_form
from kreiss.linalg.transient import transient, transient_lower_bound


def sigma_max_2x2_upper(p, q):
    """||[[p, q], [0, p]]||_2 = (|q| + sqrt(|q|^2 + 4|p|^2)) / 2.

    (s1 s2 = |p|^2 and s1^2 + s2^2 = 2|p|^2 + |q|^2, so s1 - s2 = |q|.)
    """
    p, q = np.abs(p), np.abs(q)
    return (q + np.sqrt(q**2 + 4 * p**2)) / 2


def jordan_power_norm(a, b, t):
    """||A^t|| for A = [[a, b], [0, a]]: A^t = [[a^t, t a^(t-1) b], [0, a^t]]."""
    t = np.asarray(t, dtype=float)
    return sigma_max_2x2_upper(np.abs(a) ** t, t * np.abs(a) ** (t - 1) * abs(b))


def jordan_exp_norm(a, b, t):
    """||e^{tA}|| for A = [[a, b], [0, a]], a real: e^{tA} = e^{at} [[1, bt], [0, 1]]."""
    t = np.asarray(t, dtype=float)
    return np.exp(a * t) * sigma_max_2x2_upper(1.0, b * t)


def jordan_exp_argmax(a, b):
    """d/dt log of e^{at} (bt + sqrt(b^2 t^2 + 4))/2 vanishes at sqrt(b^2 t^2 + 4) = -b/a."""
    return np.sqrt(b**2 / a**2 - 4) / b


def nonnormal(n, seed, radius=0.6, coupling=0.5):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    B = np.diag(radius + 0.05 * rng.standard_normal(n)) + coupling * np.diag(np.ones(n - 1), 1)
    return Q @ B @ Q.T


# ------------------------------------------------------------------ discrete time


@pytest.mark.parametrize(("a", "b"), [(0.9, 2.0), (0.7j - 0.3, 1.5), (-0.5, 0.2)])
def test_discrete_jordan_closed_form(a, b):
    A = np.array([[a, b], [0, a]])
    res = transient(A, curve=True)
    assert res.kind == "discrete"
    np.testing.assert_array_equal(res.t, np.arange(res.t.size))
    np.testing.assert_allclose(res.norms, jordan_power_norm(a, b, res.t), rtol=1e-12)
    # the exact sup over all t >= 0, from the closed form on a long range
    tt = np.arange(0, 2000)
    exact = jordan_power_norm(a, b, tt)
    assert res.certified
    assert res.sup == pytest.approx(exact.max(), rel=1e-12)
    assert res.argmax == tt[np.argmax(exact)]
    assert res.sup_upper == res.sup
    # automatic horizon: decayed below 1e-3 * max(1, peak)
    assert res.norms[-1] <= 1e-3 * max(1.0, res.sup)


def test_discrete_until_certified_stops_at_first_norm_below_one():
    a, b = 0.95, 1.0
    A = np.array([[a, b], [0, a]])
    res = transient(A, curve=True, until="certified")
    exact = jordan_power_norm(a, b, np.arange(0, 3000))
    first_below = int(np.nonzero((np.arange(3000) > 0) & (exact < 1))[0][0])
    assert res.certified
    assert res.t[-1] == first_below
    assert res.sup == pytest.approx(exact.max(), rel=1e-12)
    assert res.argmax == np.argmax(exact)
    with pytest.raises(InputError):
        transient(A, kind="continuous", curve=True, until="certified")


def test_discrete_normal_matrix_norms_are_powers_of_rho():
    rng = np.random.default_rng(1)
    lam = np.array([0.8, -0.5 + 0.5j, 0.3j, 0.1])
    Q, _ = np.linalg.qr(rng.standard_normal((4, 4)) + 1j * rng.standard_normal((4, 4)))
    A = Q @ np.diag(lam) @ Q.conj().T
    res = transient(A)
    np.testing.assert_allclose(res.norms, 0.8**res.t, rtol=1e-12)
    assert res.sup == 1.0 and res.argmax == 0.0 and res.certified
    res = transient(A, curve=True)
    np.testing.assert_allclose(res.norms, 0.8**res.t, rtol=1e-12)
    assert res.sup == 1.0 and res.argmax == 0.0 and res.certified


def test_discrete_lanczos_norms_match_dense_svd():
    # n above the dense threshold: norms by warm-started Lanczos on P^* P
    A = nonnormal(80, seed=2)
    res = transient(A, horizon=60, curve=True)
    P = np.eye(80)
    exact = [1.0]
    for _ in range(60):
        P = P @ A
        exact.append(np.linalg.norm(P, 2))
    np.testing.assert_allclose(res.norms, exact, rtol=1e-10)
    assert res.sup > 5  # a genuine transient


def test_certified_sup_equals_sup_over_a_much_longer_horizon():
    A = nonnormal(8, seed=3, radius=0.85, coupling=0.9)
    auto = transient(A, curve=True)
    assert auto.certified and auto.sup > 2
    t0 = auto.t[np.nonzero((auto.t > 0) & (auto.norms < 1))[0][0]]
    longer = transient(A, horizon=int(5 * auto.t[-1]), curve=True)
    assert longer.sup == pytest.approx(auto.sup, rel=1e-13)
    assert longer.argmax == auto.argmax <= t0
    # a horizon that stops before the norm falls below 1 certifies nothing
    early = transient(A, horizon=int(t0) - 1, curve=True)
    assert not early.certified
    assert "horizon" in early.message


def test_contraction_is_certified_at_the_first_step():
    A = np.array([[0.3, 0.4], [0.0, -0.2]])
    assert np.linalg.norm(A, 2) < 1
    res = transient(A, horizon=5)
    assert res.certified and res.sup == 1.0 and res.argmax == 0.0


def test_huge_transient_rounding_blocks_the_certificate():
    # A = Q (0.6 I + 0.9 S) Q^T, S the 30 x 30 shift: A^k = Q (sum_j binom(k, j) 0.6^(k-j)
    # 0.9^j S^j) Q^T.  The peak (~1e9) is computed accurately, but rounding errors of size
    # u * peak^2 swamp the tail, so a computed norm below 1 must not certify.
    from math import comb

    m, a, c = 30, 0.6, 0.9
    Q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((m, m)))
    A = Q @ (a * np.eye(m) + c * np.diag(np.ones(m - 1), 1)) @ Q.T

    def exact(k):
        M = sum(
            np.diag(np.full(m - j, comb(k, j) * a ** (k - j) * c**j), j)
            for j in range(min(k, m - 1) + 1)
        )
        return np.linalg.norm(M, 2)

    res = transient(A, curve=True)
    peak = max(exact(k) for k in range(int(res.argmax) - 3, int(res.argmax) + 4))
    assert peak > 1e8
    assert res.sup == pytest.approx(peak, rel=1e-9)
    assert np.any(res.norms[1:] < 1)
    assert not res.certified
    assert "rounding" in res.message and res.rounding > 1


def test_unstable_discrete():
    A = np.array([[1.0, 1.0], [0.0, 1.0]])
    with pytest.raises(UnstableError) as info:
        transient(A)
    assert "\n" not in str(info.value)
    res = transient(A, horizon=10, curve=True)  # an explicit horizon just computes
    np.testing.assert_allclose(res.norms, jordan_power_norm(1.0, 1.0, np.arange(11)), rtol=1e-13)
    assert not res.certified and res.argmax == 10


def test_max_steps_cap_is_reported():
    A = np.array([[0.999, 1.0], [0.0, 0.999]])
    res = transient(A, maxiter=50, curve=True)
    assert res.t[-1] == 50
    assert not res.certified
    assert "maxiter" in res.message


# ------------------------------------------------------------------ continuous time


@pytest.mark.parametrize(("a", "b"), [(-0.5, 4.0), (-1.0, 30.0)])
def test_continuous_jordan_closed_form(a, b):
    A = np.array([[a, b], [0, a]])
    res = transient(A, "continuous", curve=True)
    assert res.kind == "continuous"
    np.testing.assert_allclose(res.norms, jordan_exp_norm(a, b, res.t), rtol=1e-11)
    ts = jordan_exp_argmax(a, b)
    assert res.sup == pytest.approx(float(jordan_exp_norm(a, b, ts)), rel=1e-10)
    assert res.argmax == pytest.approx(ts, rel=1e-4)
    assert res.certified
    # sup_upper is a rigorous bound between the samples
    fine = np.linspace(0, res.t[-1], 200001)
    assert jordan_exp_norm(a, b, fine).max() <= res.sup_upper * (1 + 1e-12)
    assert res.sup_upper <= res.sup * (1.02 if b < 10 else 1.1)
    assert res.norms[-1] <= 1e-3 * res.sup
    # the default: branch and bound on the grid of e^{hA}, certified for all t >= 0
    bnb = transient(A, "continuous")
    np.testing.assert_allclose(bnb.norms, jordan_exp_norm(a, b, bnb.t), rtol=1e-10)
    assert bnb.certified
    assert bnb.sup == pytest.approx(float(jordan_exp_norm(a, b, ts)), rel=1e-10)
    assert bnb.argmax == pytest.approx(ts, rel=1e-4)
    fine = np.linspace(0, 20 / abs(a), 400001)
    assert jordan_exp_norm(a, b, fine).max() <= bnb.sup_upper * (1 + 1e-12)
    assert bnb.sup_upper <= bnb.sup * 1.011  # tol = 1e-2


def test_continuous_slow_decay_is_certified_not_capped():
    # ||e^{tA}|| for [[-e, b], [0, -e]] peaks at t = 1/e with value ~ b/(e e): walking with
    # steps of 1/(4 ||A||) stopped at t = 250 (the step cap), where sup_upper bounded only
    # [0, 250], below the true supremum 36788 at t = 1000
    eps, b = 1e-3, 100.0
    res = transient(np.array([[-eps, b], [0.0, -eps]]), "continuous")
    true = float(jordan_exp_norm(-eps, b, 1 / eps))
    assert res.certified and res.argmax == pytest.approx(1 / eps, rel=1e-4)
    assert res.sup == pytest.approx(true, rel=1e-9)
    assert true <= res.sup_upper <= 1.011 * res.sup


def test_continuous_normal_matrix():
    lam = np.array([-0.2 + 3.0j, -0.2 - 3.0j, -1.0])
    rng = np.random.default_rng(4)
    Q, _ = np.linalg.qr(rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3)))
    A = Q @ np.diag(lam) @ Q.conj().T
    assert transient(A, "continuous").sup_upper == 1.0  # omega(A) <= 0: nothing to search
    res = transient(A, "continuous", curve=True)
    np.testing.assert_allclose(res.norms, np.exp(-0.2 * res.t), rtol=1e-11)
    assert res.sup == pytest.approx(1.0) and res.argmax == 0.0
    assert res.certified
    assert res.sup_upper == pytest.approx(1.0)  # omega(A) = -0.2 <= 0: no growth between samples


def test_continuous_explicit_horizon_and_unstable():
    A = np.array([[0.1, 1.0], [0.0, 0.1]])
    with pytest.raises(UnstableError):
        transient(A, "continuous")
    res = transient(A, "continuous", horizon=3.0, curve=True)
    assert res.t[0] == 0.0 and res.t[-1] == 3.0
    np.testing.assert_allclose(res.norms, jordan_exp_norm(0.1, 1.0, res.t), rtol=1e-12)
    assert res.argmax == pytest.approx(3.0)
    assert not res.certified
    bnb = transient(A, "continuous", horizon=3.0)
    assert bnb.sup == pytest.approx(float(jordan_exp_norm(0.1, 1.0, 3.0)), rel=1e-10)
    assert bnb.argmax == pytest.approx(3.0) and not bnb.certified


def test_continuous_lanczos_path_matches_expm():
    A = nonnormal(70, seed=5, radius=-0.5, coupling=1.0)
    res = transient(A, "continuous", horizon=4.0, curve=True)
    idx = np.linspace(0, res.t.size - 1, 6).astype(int)
    exact = [np.linalg.norm(sla.expm(t * A), 2) for t in res.t[idx]]
    np.testing.assert_allclose(res.norms[idx], exact, rtol=1e-10)


@pytest.mark.parametrize("kind", ["discrete", "continuous"])
def test_kreiss_matrix_theorem_against_kreiss_constant(kind):
    # K(A) <= sup_t ||A^t|| <= e n K(A) (LeVeque & Trefethen 1984, Spijker 1991), and the
    # same for e^{tA}: an independent check of both computations
    from kreiss.linalg.kreiss_constant import kreiss_constant

    A = nonnormal(8, seed=3, radius=0.85, coupling=0.9)
    M = A if kind == "discrete" else A - np.eye(8)
    K = kreiss_constant(M, kind=kind).value
    res = transient(M, kind)
    assert res.certified
    assert K <= res.sup_upper * (1 + 1e-9)
    assert res.sup <= np.e * 8 * K


# ------------------------------------------------------------------ lower bounds


def test_discrete_lower_bound_below_running_max_jordan():
    a, b = 0.95, 3.0
    A = np.array([[a, b], [0, a]])
    t = np.arange(1, 400)
    lb = transient_lower_bound(A, t, "discrete")
    running = np.maximum.accumulate(jordan_power_norm(a, b, t))
    assert np.all(lb.bound <= running * (1 + 1e-10))
    assert lb.bound.max() > 0.3 * running.max()  # informative, not vacuous
    ok = lb.bound > 0
    assert np.all(np.abs(lb.z[ok]) > 1)


def test_continuous_lower_bound_below_running_sup_jordan():
    a, b = -0.3, 5.0
    A = np.array([[a, b], [0, a]])
    t = np.linspace(0.05, 20, 300)
    lb = transient_lower_bound(A, t, "continuous")
    # s -> ||e^{sA}|| rises until t* and then falls, so its running sup is g(min(t, t*))
    running = jordan_exp_norm(a, b, np.minimum(t, jordan_exp_argmax(a, b)))
    assert np.all(lb.bound <= running * (1 + 1e-10))
    assert lb.bound.max() > 0.3 * running.max()
    ok = lb.bound > 0
    assert np.all(lb.z[ok].real > 0)


def test_lower_bound_below_computed_norms_random():
    A = nonnormal(10, seed=6, radius=0.8, coupling=0.8)
    res = transient(A, lower_bound=True, curve=True)
    assert np.isnan(res.lower_bound[0])
    running = np.maximum.accumulate(res.norms[1:])
    assert np.all(res.lower_bound[1:] <= running * (1 + 1e-10))
    assert np.nanmax(res.lower_bound) > 1


def test_discrete_lower_bound_takes_whole_steps_only():
    """The discrete bound is proved for whole numbers of steps and grows with t: for 4 N (N
    the 6 x 6 shift, ||(4N)^k|| = 4^k) it would give 4.64 at t = 1.5, above
    max_{0 < k <= 1.5} ||A^k|| = 4."""
    A = 4.0 * np.diag(np.ones(5), 1)
    assert transient_lower_bound(A, [1], "discrete").bound[0] <= 4.0 * (1 + 1e-12)
    for t in (0.5, 1.5, [1, 2.5]):
        with pytest.raises(InputError, match="whole numbers"):
            transient_lower_bound(A, t, "discrete")


def test_lower_bound_formula_at_explicit_points():
    # A = 0: max ||A^k|| = 0 for k >= 1; the bound must give nothing (here c = 0)
    zero = transient_lower_bound(np.zeros((2, 2)), [1, 5], "discrete", z=[2.0])
    np.testing.assert_array_equal(zero.bound, [0.0, 0.0])
    # hand value: A = [[0.5, 4], [0, 0.5]], z = 2: 2I - A = [[1.5, -4], [0, 1.5]] has
    # s1 s2 = 2.25 and s1 - s2 = 4, so sigma_min = 0.5 and ||(zI - A)^{-1}|| = 2
    A = np.array([[0.5, 4.0], [0.0, 0.5]])
    z, r = 2.0, 2.0
    R = 2.0
    c = (r - 1) * (r * R - 1)
    K = (r - 1) * R
    t = np.array([1.0, 3.0, 10.0])
    got = transient_lower_bound(A, t, "discrete", z=[z]).bound
    np.testing.assert_allclose(got, r**t / (1 + (r**t - 1) / c), rtol=1e-12)
    assert K > 1 and np.all(got >= r**t / (1 + (r**t - 1) / K))
    running = np.maximum.accumulate(jordan_power_norm(0.5, 4.0, np.arange(1, 11)))
    assert np.all(got <= running[t.astype(int) - 1])
    # points with |z| <= 1 (discrete) or Re z <= 0 (continuous) are ignored
    assert transient_lower_bound(A, t, "discrete", z=[0.5j]).bound.max() == 0
    assert transient_lower_bound(A, t, "continuous", z=[-1.0]).bound.max() == 0


# ------------------------------------------------------------------ output and errors


def test_to_dict_and_plot():
    A = np.array([[0.9, 2.0], [0.0, 0.9]])
    res = transient(A, lower_bound=True, schur=schur_form(A))
    d = json.loads(json.dumps(res.to_dict()))
    assert d["sup"] == pytest.approx(res.sup)
    assert d["lower_bound"][0] == "nan"
    ax = res.plot()
    assert len(ax.lines) >= 3
    lb = transient_lower_bound(A, [1, 2, 3], "discrete")
    json.dumps(lb.to_dict())
    assert len(lb.plot().lines) == 1


def test_bad_arguments_are_one_line_input_errors():
    A = np.array([[0.5, 1.0], [0.0, 0.5]])
    for call in (
        lambda: transient(A, kind="weird"),
        lambda: transient(A, horizon=-1),
        lambda: transient(A, horizon=2.5),
        lambda: transient(A, horizon=float("nan")),
        lambda: transient(A, maxiter=0),
        lambda: transient(np.ones((2, 3))),
        lambda: transient_lower_bound(A, [0, 1]),
        lambda: transient_lower_bound(A, [1], kind="x"),
    ):
        with pytest.raises(InputError) as info:
            call()
        assert "\n" not in str(info.value)
