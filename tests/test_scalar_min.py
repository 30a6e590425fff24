"""Brent's bounded minimisation (kreiss.linalg.scalar_min): closed forms, the tolerance it
promises, and agreement with scipy.optimize's implementation of the same method."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from kreiss.linalg.scalar_min import minimize_bounded


@given(c=st.floats(-5, 5), width=st.floats(0.1, 10), k=st.integers(1, 3))
@settings(max_examples=60, deadline=None)
def test_minimiser_of_even_powers_within_the_promised_tolerance(c, width, k):
    lo, hi = c - width * 0.3, c + width * 0.7
    xtol = 1e-8 * width
    x, fx, nfev = minimize_bounded(lambda x: (x - c) ** (2 * k) + 1.0, lo, hi, xtol)
    # flat to order 2k: the value is resolved, x only to what f distinguishes
    assert fx >= 1.0 and fx - 1.0 <= 1e-12
    if k == 1:
        assert abs(x - c) <= xtol / 3 + 2 * math.sqrt(2.0**-52) * abs(x) + 1e-7 * width
    assert lo < x < hi and nfev <= 500


def test_closed_forms_and_an_end_minimum():
    x, fx, _ = minimize_bounded(lambda t: -t * math.exp(-t), 0.0, 5.0, 1e-10)
    assert abs(x - 1.0) < 1e-6 and abs(fx + math.exp(-1.0)) < 1e-14
    x, _, _ = minimize_bounded(math.cos, 2.0, 4.0, 1e-10)
    assert abs(x - math.pi) < 1e-6
    # a monotone f: the minimum is at the end, approached to within the tolerance
    x, _, _ = minimize_bounded(lambda t: t, 1.0, 2.0, 1e-6)
    assert 1.0 < x < 1.0 + 1e-5


def test_offsets_resolve_a_tiny_interval_far_from_zero():
    """At t = 1 with an interval of 1e-10 the relative resolution sqrt(eps) |t| would stop
    at once; minimising over the offset u = t - 1 (what local_max does) finds the peak."""
    c = 3e-11
    u, _, _ = minimize_bounded(lambda u: (u - c) ** 2, 0.0, 1e-10, 1e-16)
    assert abs(u - c) < 1e-14


def test_evaluation_budget():
    calls = []

    def f(t):
        calls.append(t)
        return math.sin(50 * t)

    _, _, nfev = minimize_bounded(f, 0.0, 1.0, 1e-14, maxiter=5)
    assert nfev == len(calls) == 5
    calls.clear()
    _, _, nfev = minimize_bounded(f, 0.0, 1.0, 1e-14)
    assert nfev == len(calls) and 5 < nfev < 100


@given(seed=st.integers(0, 10_000))
@settings(max_examples=40, deadline=None)
def test_agrees_with_scipys_bounded_brent(seed):
    """The same method: on a random smooth function, the same local minimum and value."""
    rng = np.random.default_rng(seed)
    a, b, ph = rng.uniform(0.5, 3, 3), rng.uniform(0.5, 3, 3), rng.uniform(0, 6, 3)

    def f(t):
        return float(np.sum(a * np.sin(b * t + ph)))

    x, fx, _ = minimize_bounded(f, -1.0, 2.0, 1e-9)
    ref = minimize_scalar(f, bounds=(-1.0, 2.0), method="bounded", options={"xatol": 1e-9})
    # (to its tolerance: scipy's sqrt(eps) is sqrt(2.2e-16), so the steps differ slightly)
    assert abs(fx - ref.fun) <= 1e-9 * (1 + abs(ref.fun))
    assert abs(x - ref.x) <= 1e-6
