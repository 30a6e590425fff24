"""lyapunov_bound: a certified bound, checked against direct matrix powers and hand values."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from kreiss.coupled import paper_class_instance, paper_iqc_bound
from kreiss.errors import InputError, KreissError, UnstableError
from kreiss.linalg.lyapunov import lyapunov_bound


def _powers(J, tol=1e-4, t_max=20_000):
    """||J^t|| for t = 0, 1, ... until it has decayed below tol (direct products)."""
    X, out = np.eye(J.shape[0], dtype=J.dtype), [1.0]
    for _ in range(t_max):
        X = J @ X
        out.append(np.linalg.norm(X, 2))
        if out[-1] < tol:
            break
    return np.array(out)


def _random_nonnormal(rng, n, radius):
    X = np.triu(rng.standard_normal((n, n)), 1) * 2 + np.diag(rng.uniform(-1, 1, n))
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    J = Q @ X @ Q.T
    return J * radius / np.max(np.abs(np.linalg.eigvals(J)))


CASES = [
    ("class uniform", lambda: paper_class_instance(4, 4, 0.9, 1.0, seed=0).J),
    ("class aligned", lambda: paper_class_instance(3, 5, 0.8, 3.0, align=True, seed=1).J),
    ("class two-point", lambda: paper_class_instance(5, 3, 0.7, 0.5, shape="two-point", seed=2).J),
    ("class constant", lambda: paper_class_instance(2, 2, 0.95, 0.2, shape="constant", seed=3).J),
    ("nonnormal 6", lambda: _random_nonnormal(np.random.default_rng(4), 6, 0.8)),
    ("nonnormal 9", lambda: _random_nonnormal(np.random.default_rng(5), 9, 0.6)),
    ("jordan", lambda: 0.85 * np.eye(4) + np.diag(np.ones(3), 1)),
]


@pytest.mark.parametrize(("name", "make"), CASES, ids=[c[0] for c in CASES])
def test_bound_exceeds_the_transient_computed_by_direct_powers(name, make):
    J = make()
    res = lyapunov_bound(J)
    sup = _powers(J).max()
    assert res.value >= sup * (1 - 1e-12), (res.value, sup)
    assert res.rate <= 1.0 and res.rho == 1.0
    # the certificate itself: P > 0, J^T P J <= P up to rounding, kappa from P's eigenvalues
    eig = np.linalg.eigvalsh(res.P)
    assert eig[0] > 0
    assert res.value == pytest.approx(np.sqrt(eig[-1] / eig[0]), rel=1e-12)
    S = res.P - J.T @ res.P @ J
    assert np.linalg.eigvalsh((S + S.T) / 2)[0] >= -1e-9 * eig[-1]
    json.dumps(res.to_dict())


def test_rate_below_one_bounds_every_power():
    J = paper_class_instance(3, 3, 0.8, 2.0, align=True, seed=6).J
    rho = 0.9
    res = lyapunov_bound(J, rho=rho)
    norms = _powers(J, tol=1e-8)
    t = np.arange(norms.size)
    assert res.rate <= rho
    assert np.all(norms <= res.bound_at(t) * (1 + 1e-12))
    # decay certificate is worse than the plain one: kappa grows as rho shrinks
    assert res.value >= lyapunov_bound(J).value * (1 - 1e-6)


def test_normal_matrix_needs_no_amplification():
    rng = np.random.default_rng(7)
    Q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    J = Q @ np.diag([0.9, -0.5, 0.3, 0.0, -0.95]) @ Q.T
    assert lyapunov_bound(J).value == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("a", [0.5, 3.0])
def test_nilpotent_two_by_two_hand_value(a):
    # J = [[0, a], [0, 0]]: sup_t ||J^t|| = max(1, a), and P = diag(1, a^2) (a >= 1) or I
    # (a < 1) is feasible for J^T P J <= P with kappa = max(1, a)^2, so the optimum is max(1, a)
    J = np.array([[0.0, a], [0.0, 0.0]])
    assert lyapunov_bound(J).value == pytest.approx(max(1.0, a), rel=1e-4)


def test_complex_matrix_via_real_embedding():
    J = np.array([[0.5j, 2.0], [0.0, -0.4 + 0.3j]])
    res = lyapunov_bound(J)
    assert res.n == 4 and res.value >= _powers(J).max() * (1 - 1e-12)


def test_the_two_solvers_agree():
    J = paper_class_instance(3, 3, 0.85, 1.5, seed=8).J
    clarabel, scs = lyapunov_bound(J, solver="clarabel"), lyapunov_bound(J, solver="SCS")
    assert clarabel.solver == "CLARABEL" and scs.solver == "SCS"
    assert scs.value == pytest.approx(clarabel.value, rel=1e-3)


def test_unstable_and_bad_input_fail_in_one_line():
    with pytest.raises(UnstableError, match="spectral radius 1.1") as info:
        lyapunov_bound(np.diag([1.1, 0.5]))
    assert "\n" not in str(info.value)
    with pytest.raises(UnstableError):
        lyapunov_bound(np.eye(2))  # rho(J) = 1: the default rho = 1 is not above it
    with pytest.raises(UnstableError, match="rho = 0.5"):
        lyapunov_bound(np.diag([0.6, 0.1]), rho=0.5)
    with pytest.raises(InputError, match="rho must be"):
        lyapunov_bound(np.diag([0.6, 0.1]), rho=-1)
    with pytest.raises(InputError, match="solver"):
        lyapunov_bound(np.diag([0.6, 0.1]), solver="mosek")
    with pytest.raises(InputError, match="square"):
        lyapunov_bound(np.ones((2, 3)))


def test_missing_cvxpy_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "cvxpy", None)
    with pytest.raises(KreissError, match=r"kreiss\[sdp\]"):
        lyapunov_bound(np.diag([0.5, 0.2]))


def test_paper_iqc_formula_is_labelled_and_divides_by_the_gap():
    J = paper_class_instance(2, 2, 0.9, 1.0, seed=9).J
    iqc = paper_iqc_bound(J)
    assert iqc.gamma == pytest.approx(0.9)
    assert iqc.value * (1 - 0.9) == pytest.approx(iqc.lyapunov.value)
    assert "paper" in iqc.label and iqc.value > iqc.lyapunov.value
    json.dumps(iqc.to_dict())
    with pytest.raises(InputError, match="gamma"):
        paper_iqc_bound(J, gamma=1.0)


def test_valid_on_a_spread_of_random_class_instances():
    rng = np.random.default_rng(10)
    shapes = ["uniform", "positive", "clustered", "two-point", "linspace", "constant"]
    for k, shape in enumerate(shapes):
        gamma, c = rng.uniform(0.3, 0.93), rng.uniform(0.1, 5.0)
        J = paper_class_instance(3, 4, gamma, c, shape=shape, align=bool(k % 2), seed=k).J
        res = lyapunov_bound(J)
        assert res.value >= _powers(J).max() * (1 - 1e-12), (shape, gamma, c)


def test_schur_complement_formulation_agrees(monkeypatch):
    import kreiss.linalg.lyapunov as lyap

    J = paper_class_instance(3, 3, 0.8, 2.0, seed=12).J
    direct = lyapunov_bound(J, solver="CLARABEL")
    monkeypatch.setattr(lyap, "SCHUR_ABOVE_N", 2)  # pose the 2n x 2n LMI instead
    schur = lyapunov_bound(J, solver="CLARABEL")
    assert schur.value == pytest.approx(direct.value, rel=1e-5)
    assert schur.value >= _powers(J).max()
