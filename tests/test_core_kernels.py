"""Many-shift triangular solves and batched sigma_min against LAPACK, shift by shift."""

import numpy as np
import pytest
import scipy.linalg as sla

from kreiss.linalg.schur import schur_form
from kreiss.linalg.sigma_min import sigma_min_triangular
from kreiss.linalg.trisolve import ShiftedTriangular, solve_shifted_upper


@pytest.mark.parametrize("n,m", [(1, 3), (7, 1), (60, 5), (130, 17)])
def test_shifted_solves_match_trtrs(n, m):
    rng = np.random.default_rng(n + m)
    T = np.triu(rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))) + 3 * np.eye(n)
    z = rng.standard_normal(m) + 1j * rng.standard_normal(m)
    B = rng.standard_normal((n, m)) + 1j * rng.standard_normal((n, m))
    X = solve_shifted_upper(T, z, B, block=16)
    op = ShiftedTriangular(T, block=16)
    Y = op.solve_adjoint(z, B)
    for k in range(m):  # backward errors (random triangular T are badly conditioned)
        M = T - z[k] * np.eye(n)
        scale = np.linalg.norm(M, 2)
        x_ref = sla.solve_triangular(M, B[:, k])
        assert np.linalg.norm(M @ X[:, k] - B[:, k]) <= 1e-13 * scale * np.linalg.norm(X[:, k])
        assert np.linalg.norm(M.conj().T @ Y[:, k] - B[:, k]) <= 1e-13 * scale * np.linalg.norm(
            Y[:, k])
        if np.linalg.cond(M) < 1e6:
            np.testing.assert_allclose(X[:, k], x_ref, rtol=1e-8)


@pytest.mark.parametrize("n", [10, 40, 90])
def test_sigma_min_lanczos_matches_svd(n):
    rng = np.random.default_rng(n)
    A = rng.standard_normal((n, n)) / np.sqrt(n)
    S = schur_form(A)
    z = 1.3 * rng.standard_normal(25) + 1j * rng.standard_normal(25)
    sig, V = sigma_min_triangular(S.T, z, method="lanczos", return_vectors=True)
    ref = np.array([np.linalg.svd(zk * np.eye(n) - A, compute_uv=False)[-1] for zk in z])
    np.testing.assert_allclose(sig, ref, rtol=1e-8)
    for k in range(z.size):  # returned vectors are right singular vectors of T - zI
        assert abs(np.linalg.norm((S.T - z[k] * np.eye(n)) @ V[:, k]) - sig[k]) < 1e-9


def test_sigma_min_on_an_eigenvalue_is_tiny_not_nan():
    A = np.diag([0.5, -0.25, 0.1]) + np.triu(np.ones((3, 3)), 1)
    sig = sigma_min_triangular(schur_form(A).T, np.array([0.5, 0.1]), method="lanczos")
    assert np.all(np.isfinite(sig)) and np.all(sig < 1e-12)


def test_block_triangular_schur_is_a_schur_form_of_J():
    rng = np.random.default_rng(3)
    p, q = 6, 4
    Ms = rng.standard_normal((p, p))
    Md = rng.standard_normal((q, q))
    J = np.zeros((p + q, p + q))
    J[:p, :p] = Ms + Ms.T
    J[p:, p:] = Md + Md.T
    J[p:, :p] = rng.standard_normal((q, p))
    S = schur_form(J, blocks=(p, q))
    assert np.allclose(np.tril(S.T, -1), 0)
    np.testing.assert_allclose(S.Q.conj().T @ S.Q, np.eye(p + q), atol=1e-12)
    np.testing.assert_allclose(S.matrix(), J, atol=1e-12)


def test_blocks_that_do_not_split_the_matrix_are_refused():
    from kreiss.errors import InputError

    with pytest.raises(InputError, match="do not split"):
        schur_form(np.eye(4), blocks=(3, 3))
