"""The sharp bound (docs/theory.md): closed forms by hand, attained by J* (core and a
brute-force grid agree), never exceeded on the class, and the identities it implies."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kreiss import kreiss_constant
from kreiss.theory import (
    extremal_matrix,
    midpoint_estimator,
    sharp_continuous_kreiss_bound,
    sharp_kreiss_bound,
    sharp_power_bound,
    sharp_transient_bound,
    theorem4,
    theorem4a,
)
from kreiss.theory.instances import random_class


def brute_kreiss(M, radii=200, angles=361):
    """Test-only reference: max over a (|z| - 1, arg z) grid of (|z|-1)/sigma_min(zI - M),
    refined by Nelder-Mead; with the limit 1 at |z| -> inf."""
    from scipy.optimize import minimize

    u = np.logspace(-5, 4, radii)
    th = np.linspace(-np.pi, np.pi, angles)
    z = ((1 + u)[:, None] * np.exp(1j * th)[None, :]).ravel()
    n = M.shape[0]
    s = np.linalg.svd(z[:, None, None] * np.eye(n) - M, compute_uv=False)[:, -1]
    vals = (np.abs(z) - 1) / s
    i = int(np.argmax(vals))

    def f(x):
        zz = (1 + math.exp(x[0])) * np.exp(1j * x[1])
        return -(abs(zz) - 1) / np.linalg.svd(zz * np.eye(n) - M, compute_uv=False)[-1]

    res = minimize(f, [math.log(abs(z[i]) - 1), np.angle(z[i])], method="Nelder-Mead",
                   options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 2000})
    return max(1.0, float(vals[i]), -res.fun)


@pytest.mark.parametrize(("gamma", "c", "expected"), [
    (0.9, 1.0, 2.6),     # x = 5: (5 + 1/5)/2
    (0.5, 0.3, 1.0),     # x = 0.3 < 1
    (0.0, 5.0, 1.45),    # x = 2.5: (2.5 + 0.4)/2
    (0.99, 1.0, 25.01),  # x = 50
])
def test_closed_form_by_hand(gamma, c, expected):
    assert sharp_kreiss_bound(gamma, c).value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("gamma", "c"), [(0.9, 1.0), (0.5, 10.0), (0.0, 5.0), (0.7, 0.5)])
def test_attained_by_extremal_matrix(gamma, c):
    J = extremal_matrix(gamma, c)
    S = sharp_kreiss_bound(gamma, c).value
    K = kreiss_constant(J, tol=1e-9)
    assert K.lower * (1 - 1e-9) <= S <= K.upper * (1 + 1e-9)


def test_closed_form_agrees_with_brute_force_grid():
    # independent of the core: the lead's closed form for [[a, b], [0, a]] is the transpose
    for gamma, c in ((0.9, 1.0), (0.3, 4.0)):
        J = extremal_matrix(gamma, c)
        assert brute_kreiss(J) == pytest.approx(sharp_kreiss_bound(gamma, c).value, rel=1e-6)
        assert brute_kreiss(J.T) == pytest.approx(sharp_kreiss_bound(gamma, c).value, rel=1e-6)


def test_never_exceeded_on_the_class():
    rng = np.random.default_rng(5)
    cases = [(1, 2, "+-gamma", "rank1-top"), (2, 2, "uniform", "dense"),
             (3, 1, "-gamma", "rank1"), (2, 3, "+gamma", "dense")]
    for p, q, spec, coup in cases:
        gamma, c = rng.uniform(0.3, 0.95), 10 ** rng.uniform(-1, 1)
        x = random_class(rng, p, q, gamma, c, spec, coup)
        K = kreiss_constant(x["J"], tol=1e-8)
        assert K.lower <= sharp_kreiss_bound(x["gamma"], x["c"]).value * (1 + 1e-9)
        # the two-radius form is smaller and still a bound
        ra = np.max(np.abs(np.linalg.eigvalsh(x["A"])))
        rd = np.max(np.abs(np.linalg.eigvalsh(x["D"])))
        two = sharp_kreiss_bound(ra, x["c"], rd).value
        assert K.lower <= two * (1 + 1e-9) <= sharp_kreiss_bound(x["gamma"], x["c"]).value * (
            1 + 1e-6)


def test_two_radii_attained_and_continuous_in_radii():
    for a, b, c in ((0.9, 0.3, 2.0), (0.2, 0.8, 5.0)):
        K = kreiss_constant(extremal_matrix(a, c, b), tol=1e-9)
        S = sharp_kreiss_bound(a, c, b).value
        assert K.lower * (1 - 1e-7) <= S <= K.upper * (1 + 1e-7)
    # unequal-radius numerics tend to the equal-radius closed form
    assert sharp_kreiss_bound(0.9, 1.0, 0.9 - 1e-9).value == pytest.approx(2.6, rel=1e-6)


@pytest.mark.parametrize(("gamma", "c"), [(0.9, 1.0), (0.99, 0.5), (0.5, 0.3), (0.2, 30.0)])
def test_eq4_is_sharp_bound_plus_one_and_4a_formula_dominates(gamma, c):
    # docs/theory.md: eq. (4) = S + 1 exactly, and 2/(1-g) + c/(4(1-g)) >= S for every c
    S = sharp_kreiss_bound(gamma, c).value
    assert theorem4(gamma, c).value == pytest.approx(S + 1, rel=1e-9)
    assert theorem4a(gamma, c).value >= S


def test_transient_bound_by_hand_and_by_powers():
    # gamma = 0.5, c = 1: ||J*^t|| = 0.5^(t-1) (t + sqrt(t^2 + 1))/2, largest at t = 1
    b = sharp_transient_bound(0.5, 1.0)
    assert b.value == pytest.approx((1 + math.sqrt(2)) / 2) and b.where["t"] == 1
    assert sharp_transient_bound(0.0, 5.0).value == pytest.approx(5.0)  # nilpotent: ||J|| = c
    for gamma, c in ((0.9, 1.0), (0.99, 0.2), (0.6, 0.1)):
        J = extremal_matrix(gamma, c)
        norms = [np.linalg.norm(np.linalg.matrix_power(J, t), 2) for t in range(1500)]
        assert sharp_transient_bound(gamma, c).value == pytest.approx(max(norms), rel=1e-12)
        assert sharp_transient_bound(gamma, c).where["t"] == int(np.argmax(norms))


def test_power_bound_dominates_class_powers_and_is_attained():
    rng = np.random.default_rng(11)
    for p, q in ((2, 2), (3, 2), (1, 3)):
        x = random_class(rng, p, q, 0.85, 2.0, "+-gamma", "rank1-top")
        ra = np.max(np.abs(np.linalg.eigvalsh(x["A"])))
        rd = np.max(np.abs(np.linalg.eigvalsh(x["D"])))
        P = np.eye(p + q)
        for t in range(60):
            bound = sharp_power_bound(ra, x["c"], t, rd).value
            assert np.linalg.norm(P, 2) <= bound * (1 + 1e-10)
            P = x["J"] @ P
    J = extremal_matrix(0.85, 2.0, 0.4)
    for t in (0, 1, 7, 40):
        assert np.linalg.norm(np.linalg.matrix_power(J, t), 2) == pytest.approx(
            sharp_power_bound(0.85, 2.0, t, 0.4).value, rel=1e-12)


def test_continuous_time_sharp_bound_and_scale_invariance():
    for mu, c in ((1.0, 8.0), (10.0, 1000.0), (2.0, 1.0)):
        A = -np.array([[mu, 0.0], [c, mu]])
        K = kreiss_constant(A, kind="continuous", tol=1e-9)
        S = sharp_continuous_kreiss_bound(mu, c).value
        assert K.lower * (1 - 1e-9) <= S <= K.upper * (1 + 1e-9)
    # (mu, c) -> (10 mu, 10 c) leaves K_ct unchanged
    assert sharp_continuous_kreiss_bound(1.0, 100.0).value == pytest.approx(
        sharp_continuous_kreiss_bound(10.0, 1000.0).value)


def test_midpoint_estimator_error_within_half_gap():
    rng = np.random.default_rng(2)
    gamma, c = 0.8, 3.0
    S = sharp_kreiss_bound(gamma, c).value
    for spec in ("+gamma", "+-gamma", "uniform"):
        x = random_class(rng, 2, 2, gamma, c, spec, "dense")
        K = kreiss_constant(x["J"], tol=1e-8).value
        est = midpoint_estimator(np.max(np.abs(np.linalg.eigvalsh(x["A"]))),
                                 np.max(np.abs(np.linalg.eigvalsh(x["D"]))), x["c"])
        assert abs(est - K) <= (S - 1) / 2 + 1e-9


def test_radii_equal_up_to_rounding():
    # log(0.3) == log(0.29999999999999993): the two-radius formula must not divide by zero
    a, b = 0.3, 0.29999999999999993
    assert sharp_transient_bound(a, 0.245, b).value == pytest.approx(
        sharp_transient_bound(0.3, 0.245).value)
    assert sharp_power_bound(a, 0.245, 3, b).value == pytest.approx(
        sharp_power_bound(0.3, 0.245, 3).value)


def test_bad_radii_rejected():
    with pytest.raises(ValueError):
        sharp_kreiss_bound(1.0, 1.0)
    with pytest.raises(ValueError):
        sharp_continuous_kreiss_bound(0.0, 1.0)
