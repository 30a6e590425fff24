"""The certified sup_t ||A^t|| by branch and bound over t (:mod:`kreiss.linalg.peak`):
the forward-difference identity it rests on, closed forms for Jordan blocks near rho = 1,
and agreement with walking every t."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kreiss.linalg.peak import power_peak
from kreiss.linalg.schur import schur_form
from kreiss.linalg.transient import transient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _instances import block_triangular  # noqa: E402


def jordan_norm(a: float, t):
    """||[[a, 1], [0, a]]^t||_2 = (q + sqrt(q^2 + 4 p^2)) / 2 with p = a^t, q = t a^(t-1)
    (s1 s2 = p^2 and s1 - s2 = q for [[p, q], [0, p]])."""
    t = np.asarray(t, dtype=float)
    p, q = a**t, t * a ** (t - 1)
    return (q + np.sqrt(q * q + 4 * p * p)) / 2


@pytest.mark.parametrize("m", [1, 2, 4])
@pytest.mark.parametrize("s", [0, 1, 3, 7, 12])
def test_forward_difference_formula_with_remainder(m, s):
    # U^s = sum_{k<m} C(s,k) (U-I)^k + sum_{j=0}^{s-m} C(s-1-j, m-1) (U-I)^m U^j,
    # the identity every node's bound rests on; its weights sum to C(s, m)
    rng = np.random.default_rng(s + 10 * m)
    U = rng.standard_normal((5, 5)) / 3
    F = U - np.eye(5)
    mp = np.linalg.matrix_power
    rhs = sum(math.comb(s, k) * mp(F, k) for k in range(m))
    rhs = rhs + sum(math.comb(s - 1 - j, m - 1) * mp(F, m) @ mp(U, j) for j in range(s - m + 1))
    np.testing.assert_allclose(rhs, mp(U, s), atol=1e-12)
    assert sum(math.comb(s - 1 - j, m - 1) for j in range(s - m + 1)) == math.comb(s, m)


@pytest.mark.parametrize("a", [0.9, 0.99, 0.999, 0.99999])
def test_jordan_block_near_one_matches_the_closed_form(a):
    res = transient(np.array([[a, 1.0], [0.0, a]]))
    # the peak of t a^(t-1) is near t = -1/log(a); scan the closed form around it
    t_star = -1 / math.log(a)
    tt = np.arange(max(0, int(0.5 * t_star) - 5), int(2 * t_star) + 5)
    exact = jordan_norm(a, tt)
    true_sup, true_arg = exact.max(), tt[np.argmax(exact)]
    assert res.certified
    assert res.sup == pytest.approx(true_sup, rel=1e-10)
    assert abs(jordan_norm(a, res.argmax) - true_sup) <= 1e-10 * true_sup
    assert abs(res.argmax - true_arg) <= 1
    assert true_sup * (1 - 1e-13) <= res.sup_upper <= res.sup * (1 + 1e-9)
    # every norm it reports is an exact norm of a power
    np.testing.assert_allclose(res.norms, jordan_norm(a, res.t), rtol=1e-9)
    # O(log T) squarings plus a refinement near the peak, not the ~2e6 steps that walking
    # needs at a = 0.99999 before ||A^t|| < 1
    assert res.nodes < 1000 and res.evaluations < 2000


@pytest.mark.parametrize(("gamma", "c"), [(0.99, 1.0), (0.999, 0.1)])
def test_paper_class_agrees_with_walking_every_t(gamma, c):
    J, blocks = block_triangular(40, gamma, c, seed=1)
    S = schur_form(J, blocks=blocks)
    walk = transient(J, curve=True, until="certified", schur=S)
    bnb = transient(J, schur=S)
    assert walk.certified and bnb.certified
    assert bnb.sup == pytest.approx(walk.sup, rel=1e-10)
    assert bnb.argmax == walk.argmax
    assert walk.sup * (1 - 1e-12) <= bnb.sup_upper <= bnb.sup * (1 + 1e-8)
    # eigenvalues near -gamma: the nodes step through U = J^2
    assert power_peak(S).step == 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(2, 7), rho=st.floats(0.3, 0.97),
       coupling=st.floats(0.0, 3.0), complex_=st.booleans())
def test_random_matrices_agree_with_walking(seed, n, rho, coupling, complex_):
    rng = np.random.default_rng(seed)
    lam = rho * np.exp(2j * np.pi * rng.uniform(size=n)) if complex_ else \
        rho * rng.uniform(-1, 1, n)
    lam[0] = rho if not complex_ else lam[0]
    T = np.diag(lam) + coupling * np.triu(rng.standard_normal((n, n)), 1)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)) + (1j if complex_ else 0)
                        * rng.standard_normal((n, n)))
    A = Q @ T @ Q.conj().T
    walk = transient(A, curve=True, until="certified")
    bnb = transient(A)
    if walk.certified and walk.sup < 1e6:
        assert bnb.certified
        assert bnb.sup == pytest.approx(walk.sup, rel=1e-9)
        assert bnb.sup_upper >= walk.sup * (1 - 1e-12)
        assert bnb.sup_upper <= bnb.sup * (1 + 1e-6)


def test_horizon_unstable_and_overflow():
    A = np.array([[1.0, 1.0], [0.0, 1.0]])  # ||A^t|| grows like t
    res = transient(A, horizon=1000)
    assert res.argmax == 1000 and not res.certified
    assert res.sup == pytest.approx(jordan_norm(1.0, 1000), rel=1e-12)
    assert "horizon" in res.message
    big = transient(2 * np.eye(3), horizon=2000)  # 2^2000 overflows: inf, never NaN
    assert big.sup == math.inf and big.sup_upper == math.inf and not big.certified
    assert "overflow" in big.message


def test_contraction_and_nilpotent():
    res = transient(np.array([[0.3, 0.4], [0.0, -0.2]]))
    assert res.certified and res.sup == 1.0 and res.argmax == 0 and res.evaluations <= 10
    nil = transient(np.array([[0.0, 5.0], [0.0, 0.0]]))  # ||N|| = 5, N^2 = 0
    assert nil.certified and nil.sup == pytest.approx(5.0) and nil.argmax == 1


def test_product_budget_is_reported():
    res = transient(np.array([[0.99999, 1.0], [0.0, 0.99999]]), maxiter=60)
    assert not res.certified or res.sup_upper > res.sup
    assert "maxiter" in res.message
