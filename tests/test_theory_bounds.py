"""Each statement of the paper as a function: values against hand computations, and the
hypotheses reported (never silently ignored)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from kreiss.errors import InputError
from kreiss.theory import (
    continuous_time_analogue,
    facts,
    iqc_formula,
    jordan_block,
    kreiss_matrix_theorem,
    lemma16,
    lemma17,
    mean_square_error,
    power_blocks,
    proposition19,
    proposition20,
    proposition22,
    theorem4,
    theorem4a,
    theorem4b,
    theorem4b_expansion,
    theorem4c,
    theorem5,
    theorem7,
    theorem8_duration,
    theorem8_peak,
    theorem9,
    theorem10a,
    theorem10b,
    theorem10c,
    theorem11,
    theorem12,
    theorem18,
)


def _pre(bound, text):
    (p,) = [p for p in bound.preconditions if p.text.startswith(text)]
    return p.holds


# ------------------------------------------------------------------ Theorem 4 family
def test_eq4_supremum_by_hand():
    # f(s) = 2 - 2d/s + c/s - c d/s^2 (s = r - gamma, d = 1 - gamma); for c > 2d the
    # stationary point s = 2cd/(c - 2d); gamma = 0.9, c = 1: s = 0.25, f = 2 - 0.8 + 4 - 1.6.
    b = theorem4(0.9, 1.0)
    assert b.value == pytest.approx(3.6, rel=1e-10)
    assert b.where["r"] == pytest.approx(0.9 + 0.25, rel=1e-6)
    assert (b.relation, b.label) == ("upper", "Theorem 4, eq. (4)")
    # c <= 2d: f increases to its limit 2 at r -> inf
    b = theorem4(0.9, 0.1)
    assert b.value == pytest.approx(2.0, rel=1e-12) and math.isinf(b.where["r"])


def test_theorem4a_value_and_weak_coupling_hypothesis():
    b = theorem4a(0.9, 0.01)  # 2/0.1 + 0.01/0.4
    assert b.value == pytest.approx(20.025)
    assert _pre(b, "||C|| <= (1-gamma)^2") is True
    assert _pre(theorem4a(0.9, 0.02), "||C|| <= (1-gamma)^2") is False
    assert theorem4a(0.9, 0.02).applies is False


def test_theorem4b_eq10_and_expansion():
    # s* = sqrt(0.25 + 0.01); 2(s* - 0.5)/s* + 0.01 (s* - 0.5)/0.26
    assert theorem4b(0.5, 0.01).value == pytest.approx(0.0392194929, rel=1e-8)
    assert theorem4b(0.5, 0.01).where["r"] == pytest.approx(0.5 + math.sqrt(0.26))
    e = theorem4b_expansion(0.9, 0.01)  # 2/0.1 + 4 * 0.01 / 0.1^3
    assert e.value == pytest.approx(60.0) and e.relation == "asymptotic"


def test_theorem4c_needs_c_zero():
    assert theorem4c(0.7, 0.0).value == 1.0
    assert _pre(theorem4c(0.7, 0.0), "C = 0") is True
    assert _pre(theorem4c(0.7, 0.3), "C = 0") is False


def test_theorem5_limits():
    # c = 0: sup_r (r-1)/(r-gamma) = 1 (limit r -> inf)
    assert theorem5(0.9, 0.0).value == pytest.approx(1.0, rel=1e-9)
    b = theorem5(0.9, 1.0)
    assert b.relation == "lower"
    # a lower value than eq. (4)'s at the same point: (r-1)sqrt(a^2+b^2) <= (r-1)(2a+b)
    assert b.value < theorem4(0.9, 1.0).value


def test_theorem7_and_theorem9():
    assert theorem7(0.9, 1.0).value == pytest.approx(12.5)  # 1 / (8 * 0.01)
    b = theorem9(K0=2.0, gamma=0.5, eps_norm_B0=0.1)  # 2 / (1 - 0.2/0.5)
    assert b.value == pytest.approx(2 / 0.6)
    assert _pre(b, "eps ||B0|| K0") is True
    b = theorem9(K0=2.0, gamma=0.5, eps_norm_B0=0.3)
    assert math.isinf(b.value) and b.applies is False


def test_lemma16_by_hand():
    # n = 2: (r-1)(1/d + 1/d^2), d = r - gamma, peaks at d = 2(1-g)/g... value 1 + g^2/(4(1-g))
    eq, asym = lemma16(0.5, 2)
    assert eq.value == pytest.approx(1 + 0.25 / 2, rel=1e-9)
    assert asym.value == pytest.approx(2.0) and asym.relation == "asymptotic"
    J = jordan_block(0.5, 3)
    assert np.array_equal(J, [[0.5, 1, 0], [0, 0.5, 1], [0, 0, 0.5]])


def test_propositions_19_20_by_hand():
    lo, hi = proposition19(0.5, 1.0, 1.5)  # |w| = 1
    assert (lo.value, hi.value) == (pytest.approx(math.sqrt(2)), pytest.approx(3.0))
    lo, hi = proposition20(0.5, 1.0, 2.5)  # r - gamma = 2
    assert lo.value == pytest.approx(math.sqrt(1 / 4 + 1 / 16))
    assert hi.value == pytest.approx(1.0 + 0.25)
    assert proposition19(0.5, 1.0, 0.3)[0].applies is False  # |z| <= gamma


# ------------------------------------------------------------------ powers
def test_kmt_theorem8_theorem18_by_hand():
    lo, hi = kreiss_matrix_theorem(2.0, 3)
    assert (lo.value, hi.value) == (2.0, pytest.approx(6 * math.e))
    assert theorem8_peak(math.e, math.exp(-1)).value == pytest.approx(1.0)
    d = theorem8_duration(math.e**2, math.exp(-1), K=1.0, n=2)
    assert d.value == pytest.approx(2.0) and d.applies
    assert theorem8_duration(0.01, 0.5, K=1.0, n=2).applies is False  # tau not >> 1/(enK)
    assert theorem18(1.0, 0.5, 2, 2).value == pytest.approx(math.e / 2)


def test_lemma17_prop22_theorem11_by_hand():
    assert lemma17(2.0, 0.5, 3).value == pytest.approx(1.5)  # 2 * 3 * 0.25
    prod, kstar = proposition22(2.0, 0.5, 1.0, 2, 2)
    assert prod.value == pytest.approx((2 * math.e) ** 2)  # (e n K* gamma)^T
    assert kstar.value == pytest.approx(4.5)  # 2/0.5 + 1/2
    assert theorem11(2.0, 0.5, math.exp(-1)).value == pytest.approx(16.0)


def test_power_blocks_match_matrix_power():
    rng = np.random.default_rng(0)
    A, D = rng.standard_normal((3, 3)), rng.standard_normal((2, 2))
    C = rng.standard_normal((2, 3))
    J = np.block([[A, np.zeros((3, 2))], [C, D]])
    At, S, Dt = power_blocks(A, C, D, 5)
    J5 = np.linalg.matrix_power(J, 5)
    np.testing.assert_allclose(J5[:3, :3], At, rtol=1e-12)
    np.testing.assert_allclose(J5[3:, :3], S, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(J5[3:, 3:], Dt, rtol=1e-12)


def test_mean_square_error_scalar_closed_form():
    # e_{t+1} = g e_t + eta_t: E e_t^2 = g^(2t) e0^2 + s (1 - g^(2t)) / (1 - g^2)
    g, s = 0.8, 0.3
    out = mean_square_error([[g]], [2.0], [[s]], 6)
    t = np.arange(7)
    np.testing.assert_allclose(out, g ** (2 * t) * 4 + s * (1 - g ** (2 * t)) / (1 - g * g))


# ------------------------------------------------------------------ Theorem 10
def test_theorem10_thresholds():
    b = theorem10a(0.5, 0.5, 0.1, 0.1)
    assert b.value == pytest.approx(0.25) and b.relation == "threshold"
    assert _pre(b, "||B|| ||C|| <") is True
    assert _pre(theorem10a(0.5, 0.5, 1.0, 1.0), "||B|| ||C|| <") is False
    assert theorem10b(0.5, 1.0, 0.25, -0.5).value == pytest.approx(0.25)
    c = theorem10c(0.5, 0.5, 0.5, 0.5)
    assert c.value == pytest.approx(0.25)
    # bc = 0.25 = threshold: eigenvalues 0.5 +- 0.5, rho = 1 exactly (the boundary of iff)
    assert np.max(np.abs(np.linalg.eigvals([[0.5, 0.5], [0.5, 0.5]]))) == pytest.approx(1.0)
    assert theorem10c(-0.1, 1, 1, 0.5).applies is False


# ------------------------------------------------------------------ appendices
def test_theorem12_reads_gamma_and_c_from_theta():
    b = theorem12([[0.5]], [[3.0]], 1.0, [[0.01]])
    assert b.where["gamma"] == pytest.approx(0.5) and b.where["c"] == pytest.approx(3.0)
    # eq. (4) at gamma = 0.5, c = 3 (c > 2d): 2 + (c - 2d)^2 / (4 c d) = 2 + 4/6
    assert b.value == pytest.approx(2 + 4 / 6, rel=1e-9)
    assert theorem12([[-1.0]], [[1.0]], 0.5).applies is False  # Theta_xx not PSD


def test_continuous_and_iqc_formulas():
    assert continuous_time_analogue(2.0, 0.0).value == pytest.approx(0.5)
    assert continuous_time_analogue(1.0, 4.0).value == pytest.approx(2.0)
    assert iqc_formula(2.0, 0.5).value == pytest.approx(4.0)


# ------------------------------------------------------------------ hypotheses with a J
def test_hypotheses_checked_on_a_matrix():
    J = np.array([[0.5, 0.0], [2.0, -0.4]])
    b = theorem4(0.5, 2.0, J=J, blocks=(1, 1))
    assert b.applies is True
    J2 = np.array([[0.5, 0.0, 0.0], [0.0, 0.5, 0.0], [1.0, 0.0, 0.3]])
    J2[0, 1] = 0.2  # A not symmetric
    b = theorem4(0.5, 1.0, J=J2, blocks=(2, 1))
    assert _pre(b, "A, D symmetric") is False and b.applies is False
    assert [p.text for p in b.failed_preconditions] == ["A, D symmetric"]
    b = theorem4(0.4, 2.0, J=J, blocks=(1, 1))  # rho(A) = 0.5 > 0.4
    assert _pre(b, "rho(A), rho(D) <= gamma") is False
    assert theorem4(0.5, 2.0).applies is None  # no J: unchecked, not assumed
    Jb = J.copy()
    Jb[0, 1] = 0.1
    assert _pre(theorem4(0.5, 2.0, J=Jb, blocks=(1, 1)), "B = 0") is False


def test_facts_and_json():
    F = facts(np.array([[0.5, 0.0], [2.0, -0.7]]), (1, 1))
    assert (F.gamma, F.c, F.B_zero, F.symmetric) == (pytest.approx(0.7), 2.0, True, True)
    with pytest.raises(InputError, match="blocks"):
        facts(np.eye(3))
    with pytest.raises(InputError, match="do not split"):
        facts(np.eye(3), (2, 2))
    d = theorem9(2.0, 0.5, 0.3).to_dict()
    assert d["value"] == "inf" and json.loads(json.dumps(d))["applies"] is False
