"""Many-shift triangular solves and batched sigma_min against LAPACK, shift by shift."""

import numpy as np
import pytest
import scipy.linalg as sla

from kreiss.linalg.schur import schur_form
from kreiss.linalg.sigma_min import sigma_min_triangular
from kreiss.linalg.trisolve import ShiftedTriangular


def _triangular_cases(n, seed):
    """Complex triangular, real quasi-triangular (a real Schur factor, with 2 x 2 blocks),
    and real triangular with zero tiles (the Schur form of a block-triangular J)."""
    rng = np.random.default_rng(seed)
    T = np.triu(rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))) + 3 * np.eye(n)
    Tq = sla.schur(rng.standard_normal((n, n)), output="real")[0] + 3 * np.eye(n)
    Tz = np.diag(rng.standard_normal(n))
    Tz[: n // 2, n // 2:] = rng.standard_normal((n // 2, n - n // 2))
    return {"complex": T, "real quasi-triangular": Tq, "zero tiles": Tz}


@pytest.mark.parametrize("n,m", [(1, 3), (7, 1), (60, 5), (130, 17)])
@pytest.mark.parametrize("kind", ["complex", "real quasi-triangular", "zero tiles"])
def test_shifted_solves_match_lapack(n, m, kind):
    rng = np.random.default_rng(n + m)
    T = _triangular_cases(n, n + m)[kind]
    z = rng.standard_normal(m) + 1j * rng.standard_normal(m)
    B = rng.standard_normal((n, m)) + 1j * rng.standard_normal((n, m))
    op = ShiftedTriangular(T, block=16)
    X = op.solve(op.shifts(z), B)
    Y = op.solve_adjoint(op.shifts(z), B)
    for k in range(m):  # backward errors (random triangular T are badly conditioned)
        M = T - z[k] * np.eye(n)
        scale = np.linalg.norm(M, 2)
        x_ref = np.linalg.solve(M, B[:, k])
        assert np.linalg.norm(M @ X[:, k] - B[:, k]) <= 1e-13 * scale * np.linalg.norm(X[:, k])
        assert np.linalg.norm(M.conj().T @ Y[:, k] - B[:, k]) <= 1e-13 * scale * np.linalg.norm(
            Y[:, k])
        if np.linalg.cond(M) < 1e6:
            np.testing.assert_allclose(X[:, k], x_ref, rtol=1e-8)


def test_real_schur_factor_gives_the_same_sigma_min():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((70, 70)) / np.sqrt(70)
    S = schur_form(A)
    assert S.T_real is not None and np.any(np.diag(S.T_real, -1))  # has 2 x 2 blocks
    np.testing.assert_allclose(S.Q_real @ S.T_real @ S.Q_real.T, A, atol=1e-12)
    z = rng.standard_normal(30) + 1j * rng.standard_normal(30)
    a = sigma_min_triangular(S.T_real, z, method="lanczos")
    b = sigma_min_triangular(S.T, z, method="lanczos")
    ref = np.array([np.linalg.svd(zk * np.eye(70) - A, compute_uv=False)[-1] for zk in z])
    np.testing.assert_allclose(a, ref, rtol=1e-8)
    np.testing.assert_allclose(b, ref, rtol=1e-8)


@pytest.mark.parametrize("n", [10, 40, 90])
def test_sigma_min_lanczos_matches_svd(n):
    rng = np.random.default_rng(n)
    A = rng.standard_normal((n, n)) / np.sqrt(n)
    S = schur_form(A)
    z = 1.3 * rng.standard_normal(25) + 1j * rng.standard_normal(25)
    sig = sigma_min_triangular(S.T, z, method="lanczos")
    ref = np.array([np.linalg.svd(zk * np.eye(n) - A, compute_uv=False)[-1] for zk in z])
    np.testing.assert_allclose(sig, ref, rtol=1e-8)


def test_sigma_min_on_an_eigenvalue_is_tiny_not_nan():
    A = np.diag([0.5, -0.25, 0.1]) + np.triu(np.ones((3, 3)), 1)
    sig = sigma_min_triangular(schur_form(A).T, np.array([0.5, 0.1]), method="lanczos")
    assert np.all(np.isfinite(sig)) and np.all(sig < 1e-12)


@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("symmetric", [True, False])
def test_block_triangular_schur_is_a_schur_form_of_J(lower, symmetric):
    """[[A, 0], [C, D]] and [[A, B], [0, D]]: the Schur form from the diagonal blocks' (Q
    maps each block's coordinates to its own rows only), real and complex factors."""
    rng = np.random.default_rng(3)
    p, q = 6, 4
    Ms = rng.standard_normal((p, p))
    Md = rng.standard_normal((q, q))
    J = np.zeros((p + q, p + q))
    J[:p, :p] = Ms + Ms.T if symmetric else Ms
    J[p:, p:] = Md + Md.T if symmetric else Md
    if lower:
        J[p:, :p] = rng.standard_normal((q, p))
    else:
        J[:p, p:] = rng.standard_normal((p, q))
    S = schur_form(J, blocks=(p, q))
    assert np.allclose(np.tril(S.T, -1), 0)
    np.testing.assert_allclose(S.Q.conj().T @ S.Q, np.eye(p + q), atol=1e-12)
    np.testing.assert_allclose(S.matrix(), J, atol=1e-12)
    np.testing.assert_allclose(S.Q_real @ S.T_real @ S.Q_real.T, J, atol=1e-12)
    assert np.allclose(np.tril(S.T_real, -2), 0)
    # assembled, not a full QR iteration: A's columns of Q live on A's rows alone
    cols_A = slice(q, p + q) if lower else slice(0, p)
    assert not np.any(S.Q[p:, cols_A])


def test_a_schur_form_stands_in_for_the_matrix():
    """A SchurForm passed as A (not as schur=) is taken as the factorisation, as the dense
    path promises (operator.resolve): it failed with 'A is not numeric (dtype object)'."""
    from kreiss import kreiss_constant, pseudospectra, transient

    A = 0.6 * np.array([[0.9, 1.0, 0.0], [0.0, 0.8, 0.5], [0.3, 0.0, -0.5]])
    S = schur_form(A)
    assert schur_form(S) is S
    assert transient(S).sup == transient(None, schur=S).sup
    k1, k2 = kreiss_constant(S), kreiss_constant(None, schur=S)
    assert (k1.lower, k1.upper) == (k2.lower, k2.upper)
    grid = dict(real=np.linspace(-1, 1, 4), imag=np.linspace(-1, 1, 3))
    np.testing.assert_array_equal(pseudospectra(S, **grid).sigma_min,
                                  pseudospectra(A, **grid).sigma_min)


def test_blocks_that_do_not_split_the_matrix_are_refused():
    from kreiss.errors import InputError

    with pytest.raises(InputError, match="do not split"):
        schur_form(np.eye(4), blocks=(3, 3))


def _reference_test(alpha, beta, k, tol):
    """The Lanczos stopping test from a full eigendecomposition of each T_k (LAPACK)."""
    theta, done, margin = [], [], []
    for j in range(alpha.shape[1]):
        w, S = sla.eigh_tridiagonal(alpha[:k, j], beta[: k - 1, j])
        res = beta[k - 1, j] * abs(S[-1, -1])
        err = res if k == 1 else min(res, res**2 / max(w[-1] - w[-2], 1e-300))
        theta.append(w[-1])
        done.append(err <= tol * w[-1] or beta[k - 1, j] <= 1e-14 * w[-1])
        margin.append(abs(np.log(max(err, 1e-300) / (tol * w[-1]))))
    return np.array(theta), np.array(done), np.array(margin)


@pytest.mark.parametrize("k", [1, 2, 3, 7, 20, 45])
def test_lanczos_test_matches_a_full_eigendecomposition(k):
    """Top Ritz value and stop decision against syev on every T_k, including scaled,
    nearly decoupled matrices whose top eigenvector sits at the first or the last row
    (there a one-sided recurrence for u_k, or one through theta_1(T_k) - theta_1(T_{k-1}),
    gets the decision wrong)."""
    from kreiss.linalg.tridiagonal import lanczos_test

    rng = np.random.default_rng(k)
    m = 400
    alpha = rng.uniform(0.1, 10, (k, m)) * 10.0 ** rng.uniform(-8, 8, m)
    beta = rng.uniform(0, 1, (k, m)) * alpha.max(0) * 10.0 ** rng.uniform(-13, 0, m)
    alpha[0, : m // 4] *= 20  # top eigenvector at the first row
    alpha[-1, m // 4 : m // 2] *= 20  # ... at the last row
    tol = 1e-10
    theta, done = lanczos_test(alpha, beta, k, np.ones(m, dtype=bool), tol, 0.0)
    ref_theta, ref_done, margin = _reference_test(alpha, beta, k, tol)
    assert np.allclose(theta, ref_theta, rtol=1e-13, atol=0)
    clear = margin > 1e-3  # decisions right at the threshold may go either way
    assert clear.sum() > 0.9 * m
    assert np.array_equal(done[clear], ref_done[clear])
    assert 0 < ref_done[clear].sum() < clear.sum()  # both outcomes occur


def test_lanczos_test_skips_columns_that_are_not_live():
    from kreiss.linalg.tridiagonal import lanczos_test

    alpha, beta = np.ones((3, 4)), np.full((3, 4), 0.5)
    live = np.array([True, False, True, False])
    theta, done = lanczos_test(alpha, beta, 3, live, 1e-10, 0.0)
    assert np.isnan(theta[~live]).all() and not done[~live].any()
    assert np.allclose(theta[live], 1 + 0.5 * np.sqrt(2))  # tridiag(1/2, 1, 1/2), order 3


def test_blas_threads_none_lifts_an_outer_limit():
    """None means one thread per core even inside blas_threads(1) (threadpoolctl's own
    limits=None would leave the outer limit in force: large products ran on one thread)."""
    from threadpoolctl import threadpool_info

    from kreiss.linalg.threads import blas_threads, cores

    np.linalg.svd(np.eye(3))  # make sure BLAS is loaded

    def counts():
        return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}

    with blas_threads(1):
        assert counts() == {1}
        with blas_threads(None):  # (a BLAS built single-threaded, as some solvers ship, stays 1)
            assert max(counts()) == cores()
        assert counts() == {1}


def test_linalg_reexports_the_functions_not_their_modules():
    import kreiss
    import kreiss.linalg as la

    for name in la.__all__:
        obj = getattr(la, name)
        assert callable(obj) and not isinstance(obj, type(la)), name
    assert la.kreiss_constant is kreiss.kreiss_constant and la.transient is kreiss.transient
