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
