"""Certified brackets that hold in floating point (issue 15): closed forms of Jordan blocks
at a = fl(1 - 10^-k) and near-defective random matrices, against values computed in 40-60
digits with mpmath at the test's own points.  No certified bracket may exclude them."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kreiss import kreiss_constant


def resolvent_value(A: np.ndarray, z: complex, digits: int = 50):
    """(|z| - 1) / sigma_min(zI - A) in ``digits`` digits (A and z taken exactly)."""
    with mpmath.workdps(digits):
        n = A.shape[0]
        zz = mpmath.mpc(z.real, z.imag)
        M = mpmath.matrix(n, n)
        for i in range(n):
            for j in range(n):
                M[i, j] = (zz if i == j else 0) - mpmath.mpf(float(A[i, j]))
        s = min(mpmath.svd_c(M, compute_uv=False))
        return (abs(zz) - 1) / s


@pytest.mark.parametrize("k", range(6, 16))
def test_jordan_bracket_contains_the_closed_form(k):
    # [[a, 1], [0, a]] with a = fl(1 - 10^-k): 1 - a is exact in binary64, and
    # K = (x + 1/x) / 2 with x = 1 / (2 (1 - a)) (the sharp class bound at c = 1)
    a = float(1 - 10.0**-k)
    A = np.array([[a, 1.0], [0.0, a]])
    with mpmath.workdps(60):
        x = 1 / (2 * (mpmath.mpf(1) - mpmath.mpf(a)))
        K = (x + 1 / x) / 2
    res = kreiss_constant(A)
    assert res.lower <= K <= res.upper
    assert res.value == res.lower
    # lower is attained at z: the exact value there is at least lower
    if np.isfinite(res.z.real):
        assert res.lower <= resolvent_value(A, res.z)
    if not res.certified:
        assert "rounding" in res.message


def near_defective(seed: int, n: int, rho: float) -> np.ndarray:
    """An upper bidiagonal with eigenvalues spread over 1e-9 near rho, rotated."""
    rng = np.random.default_rng(seed)
    lam = rho - 1e-9 * rng.uniform(0, 1, n)
    B = np.diag(lam) + np.diag(rng.uniform(0.5, 1.5, n - 1), 1)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return Q @ B @ Q.T


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(3, 7),
       rho=st.sampled_from([0.97, 0.99, 0.999, 0.9999, 0.99997]))
def test_near_defective_brackets_hold_in_high_precision(seed, n, rho):
    A = near_defective(seed, n, rho)
    if np.max(np.abs(np.linalg.eigvals(A))) >= 1:
        return
    res = kreiss_constant(A)
    assert res.lower <= res.upper
    if np.isfinite(res.z.real):
        exact_at_z = resolvent_value(A, res.z, 40)
        assert res.lower <= exact_at_z  # attained: never above the true value at z
        assert exact_at_z <= res.upper  # the sup bounds every point
    if not res.certified:
        assert "rounding" in res.message or "budget" in res.message


@pytest.mark.parametrize("blocks", [None, (10, 10)])
def test_no_exact_one_where_rounding_hides_the_transient(blocks):
    """A 2 x 2 core [[-1e-13, 8.8e-12], [0, -1e-13]] (K ~ 22, computed on its own, where it
    is well scaled) inside a diagonal J with ||J|| = 1000: its coupling passes as a zero
    block B (4 n eps ||J|| = 1.8e-11), and without it the computed numerical abscissa is
    <= 0.  The continuous K must not come out as "1 exactly": the bracket contains the
    core's K (here [1, inf]: double precision cannot resolve the core inside J)."""
    n, p = 20, 10
    J = np.diag(-np.linspace(500.0, 1000.0, n))
    J[0, 0] = J[p, p] = -1e-13
    J[0, p] = 8.8e-12
    core = kreiss_constant(np.array([[-1e-13, 8.8e-12], [0.0, -1e-13]]), "continuous")
    assert core.certified and core.lower > 20
    res = kreiss_constant(J, "continuous", blocks=blocks)
    assert res.lower <= core.upper and res.upper >= core.lower
    assert not res.certified and "rounding" in res.message


@pytest.mark.parametrize("A,kind", [
    (np.array([[-1.0, 2.0], [0.0, -1.0]]), "continuous"),  # omega = 0 exactly
    (np.array([[0.0, 1.0], [0.0, 0.0]]), "discrete"),  # ||A|| = 1 exactly, rho = 0
    (np.array([[0.3, 1.0, 0.0], [0.0, -0.2, 0.5], [0.0, 0.0, 0.1]]) / 1.2, "discrete"),
])
def test_k_is_one_at_the_boundary_of_the_contractive_matrices(A, kind):
    """||A|| = 1 (omega = 0) within rounding: K = 1 by the theorem, certified through the
    branch and bound (the tail bound with the computed norm plus its rounding) rather than
    the shortcut that needs the norm below 1 by more than rounding."""
    if A.shape[0] == 3:
        A = A / np.linalg.norm(A, 2)  # ||A||_2 = 1 to rounding
    res = kreiss_constant(A, kind)
    assert res.certified and res.lower == 1.0 and res.upper <= 1 + 1e-8
