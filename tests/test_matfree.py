"""Matrix-free path (issue 10): the seam, witnessed lower bounds against the certified dense
values, probabilistic upper bounds, projected pseudospectra, radii, size guards."""

import math

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, aslinearoperator

import kreiss
from kreiss.errors import InputError
from kreiss.linalg.matfree import block_tags
from kreiss.linalg.operator import MATERIALISE_MAX_N, resolve


def aligned_class(n, gamma, c, seed=0):
    """J = [[A, 0], [C, D]] of the paper's class (A = D symmetric, spectrum in
    [-gamma, gamma]) with C = c u v^T coupling the top eigenvectors: K = sharp bound."""
    rng = np.random.default_rng(seed)
    Q = np.linalg.qr(rng.standard_normal((n, n)))[0]
    lam = np.linspace(-gamma, gamma, n)
    A = (Q * lam) @ Q.T
    A = (A + A.T) / 2
    C = c * np.outer(Q[:, -1], Q[:, -1])
    return np.block([[A, np.zeros((n, n))], [C, A]])


def random_class(n, gamma, c, seed):
    """The paper's class with random symmetric A, D (rho = gamma) and random C, ||C|| = c."""
    rng = np.random.default_rng(seed)

    def sym():
        M = rng.standard_normal((n, n))
        M = M + M.T
        return gamma * M / np.max(np.abs(np.linalg.eigvalsh(M)))

    C = rng.standard_normal((n, n))
    C *= c / np.linalg.norm(C, 2)
    return np.block([[sym(), np.zeros((n, n))], [C, sym()]])


def grcar(n, k=3):
    return (np.diag(-np.ones(n - 1), -1) + np.eye(n)
            + sum(np.diag(np.ones(n - j), j) for j in range(1, k + 1)))


def transient_demo(n):
    """EigTool's transient_demo: 0.4 (diag(e^{2 pi i k / n}) + cyclic shift) - 0.5 I."""
    x = 2 * np.pi * np.arange(n) / n
    Z = np.diag(np.ones(n - 1), 1)
    Z[-1, 0] = 1
    return 0.4 * (np.diag(np.exp(1j * x)) + Z) - 0.5 * np.eye(n)


def scaled(M, rho):
    return M * (rho / np.max(np.abs(np.linalg.eigvals(M))))


CASES = {
    "class-aligned": lambda: aligned_class(100, 0.99, 1.0),
    "grcar": lambda: scaled(grcar(60), 0.9),
    "transient_demo": lambda: transient_demo(80),
    "random": lambda: scaled(np.random.default_rng(3).standard_normal((120, 120)), 0.95),
}
#: cases with K >= 3: the matrix-free lower bound must reach 95% of the certified value
LARGE_K = {"class-aligned", "grcar", "transient_demo"}


@pytest.fixture(scope="module")
def dense_values():
    out = {}
    for name, make in CASES.items():
        J = make()
        out[name] = (J, kreiss.kreiss_constant(J), kreiss.transient(J, curve=True))
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_kreiss_lower_bound_is_witnessed_and_never_exceeds_the_certified_value(
        name, dense_values):
    J, Kd, _ = dense_values[name]
    Kk = kreiss.kreiss_constant(aslinearoperator(J), method="krylov")
    assert Kk.method == "krylov" and Kk.lower_status == "witnessed"
    assert Kk.lower <= Kd.upper * (1 + 1e-12)
    if name in LARGE_K:
        assert Kd.lower >= 3
        assert Kk.lower >= 0.95 * Kd.lower
    # the witness re-checks with one product (dense here)
    x, z = Kk.witness, Kk.z
    if math.isfinite(z.real):
        again = (abs(z) - 1) * np.linalg.norm(x) / np.linalg.norm(z * x - J @ x)
        assert again == pytest.approx(Kk.lower, rel=1e-9)
    assert not Kk.certified and math.isinf(Kk.upper)  # no structure: no upper bound


@pytest.mark.parametrize("name", sorted(CASES))
def test_transient_lower_bounds_never_exceed_the_norms_and_find_the_peak(name, dense_values):
    J, _, Td = dense_values[name]
    h = int(Td.t[-1])
    Tk = kreiss.transient(aslinearoperator(J), horizon=h, method="krylov")
    assert Tk.method == "krylov" and math.isinf(Tk.sup_upper) and not Tk.certified
    assert np.all(Tk.norms <= Td.norms[: Tk.norms.size] * (1 + 1e-10) + 1e-14)
    assert Tk.sup >= 0.95 * Td.sup
    k = int(Tk.argmax)
    again = np.linalg.norm(np.linalg.matrix_power(J, k) @ Tk.witness)
    assert again == pytest.approx(Tk.sup, rel=1e-9)


def test_continuous_kreiss_lower_bound():
    J = transient_demo(60)
    Kd = kreiss.kreiss_constant(J, kind="continuous")
    Kk = kreiss.kreiss_constant(aslinearoperator(J), kind="continuous", method="krylov")
    assert Kk.lower <= Kd.upper * (1 + 1e-12)
    assert Kk.lower >= 0.95 * Kd.lower
    x, z = Kk.witness, Kk.z
    again = z.real * np.linalg.norm(x) / np.linalg.norm(z * x - J @ x)
    assert again == pytest.approx(Kk.lower, rel=1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_probabilistic_class_upper_bound_holds(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(8, 40))
    gamma = float(rng.choice([0.5, 0.9, 0.97]))
    c = float(rng.choice([0.05, 0.5, 2.0]))
    J = random_class(n, gamma, c, seed) if seed % 2 else aligned_class(n, gamma, c, seed)
    Kd = kreiss.kreiss_constant(J, blocks=(n, n))
    Kk = kreiss.kreiss_constant(aslinearoperator(J), method="krylov", blocks=(n, n))
    assert Kk.upper_status == "probabilistic" and 0 < Kk.failure_probability <= 1e-6
    assert Kk.lower <= Kd.upper * (1 + 1e-12)
    assert Kk.upper >= Kd.lower * (1 - 1e-12)


def test_upper_bound_refused_outside_the_class():
    n = 10
    J = random_class(n, 0.9, 1.0, 0)
    J[0, n + 1] = 0.3  # B != 0
    tags = block_tags(aslinearoperator(J), (n, n))
    assert tags == {"block_triangular": False, "symmetric_A": True, "symmetric_D": True}
    Kk = kreiss.kreiss_constant(aslinearoperator(J), method="krylov", blocks=(n, n))
    assert math.isinf(Kk.upper) and "block_triangular" in Kk.message


def test_stability_verdicts_and_radius_agree_with_dense():
    J = scaled(np.random.default_rng(5).standard_normal((150, 150)), 0.95)
    st = kreiss.stability(aslinearoperator(J), method="krylov")
    assert st.verdict == "stable" and st.status == "estimate"
    assert st.spectral_radius == pytest.approx(kreiss.spectral_radius(J), rel=1e-8)
    assert kreiss.spectral_radius(sp.csr_array(J), method="krylov") == pytest.approx(
        0.95, rel=1e-8)
    assert np.all(st.residuals < 1e-8)
    nrm = np.linalg.norm(J, 2)
    assert st.norm <= nrm * (1 + 1e-12) <= st.norm_upper * (1 + 1e-12)
    om = kreiss.numerical_abscissa(J)
    assert st.numerical_abscissa <= om + 1e-12 and om <= st.numerical_abscissa_upper + 1e-12
    unstable = kreiss.stability(aslinearoperator(J * 1.1), method="krylov")
    assert unstable.verdict == "unstable" and "K(A) >=" in unstable.message


def test_projected_pseudospectra_are_inner_approximations():
    J = grcar(60)
    xs, ys = np.linspace(-1, 3, 9), np.linspace(-3, 3, 9)
    d = kreiss.pseudospectra(J, xs, ys)
    k = kreiss.pseudospectra(aslinearoperator(J), xs, ys, method="krylov")
    assert k.method == "krylov" and "inner approximation" in k.message
    assert np.all(k.sigma_min >= d.sigma_min * (1 - 1e-8))


@pytest.mark.parametrize("fn", ["pseudospectral_radius", "pseudospectral_abscissa"])
def test_pseudospectral_radii_bracket_the_dense_value(fn):
    J = scaled(grcar(50), 0.9)
    eps = 1e-3
    d = getattr(kreiss, fn)(J, eps)
    k = getattr(kreiss, fn)(aslinearoperator(J), eps, method="krylov")
    assert k.lower_status == "witnessed" and k.upper_status == "probabilistic"
    assert k.lower <= d.upper * (1 + 1e-12) and d.lower <= k.upper
    assert k.lower >= d.lower - 0.05 * abs(d.lower)
    z, x = k.z, k.witness
    assert np.linalg.norm(z * x - J @ x) <= eps * (1 + 1e-9)


# ------------------------------------------------------------------------------ the seam


def test_auto_materialises_small_operators_and_gives_the_dense_answer():
    J = aligned_class(20, 0.9, 1.0)
    assert resolve(aslinearoperator(J))[0] == "dense"
    Kd = kreiss.kreiss_constant(J)
    for form in (sp.csr_array(J), aslinearoperator(J)):
        K = kreiss.kreiss_constant(form)
        assert K.method == "dense" and (K.lower, K.upper) == (Kd.lower, Kd.upper)
    assert kreiss.transient(sp.csr_array(J)).sup == kreiss.transient(J).sup


def test_auto_goes_matrix_free_above_the_size_and_dense_refuses_what_cannot_fit():
    n = MATERIALISE_MAX_N + 400
    J = sp.diags([0.5 * np.ones(n), 0.4 * np.ones(n - 1)], [0, -1], format="csr")
    K = kreiss.kreiss_constant(J)
    assert K.method == "krylov" and K.lower >= 1
    huge = sp.identity(10**5, format="csr") * 0.5
    with pytest.raises(InputError, match="GiB.*method='krylov'"):
        kreiss.kreiss_constant(huge, method="dense")
    with pytest.raises(InputError, match="method must be one of"):
        kreiss.transient(J, method="lanczos")


def test_operator_errors_are_one_line():
    class Rect(LinearOperator):
        def _matvec(self, v):
            return v[:3]

    with pytest.raises(InputError, match="square"):
        kreiss.kreiss_constant(Rect(shape=(3, 4), dtype=float), method="krylov")
    with pytest.raises(InputError, match="NaN"):
        kreiss.transient(sp.csr_array(np.array([[np.nan, 0], [0, 0.5]])), method="krylov")
    with pytest.raises(InputError, match="discrete time only"):
        kreiss.transient(aslinearoperator(np.eye(5) * 0.5), kind="continuous", method="krylov")


# ------------------------------------------------------------------------------ torch operator


def _torch_problem():
    torch = pytest.importorskip("torch")
    from kreiss.coupled import simultaneous_gd_jacobian, simultaneous_gd_operator

    gen = torch.Generator().manual_seed(0)
    W = torch.randn(7, 6, generator=gen, dtype=torch.float64)

    def F(x, y):  # strongly convex in x, weakly coupled to y (B != 0)
        return 0.5 * x @ x + torch.sum(torch.log(torch.cosh(x))) + 0.05 * torch.sin(x) @ y[:6]

    def G(x, y):  # W cast to the players' dtype, so the float32 operator works too
        return 0.5 * torch.sum((y - W.to(x.dtype) @ torch.tanh(x)) ** 2)

    x0 = torch.randn(6, generator=gen, dtype=torch.float64)
    y0 = torch.randn(7, generator=gen, dtype=torch.float64)
    J = simultaneous_gd_jacobian(F, G, x0, y0, 0.1, 0.2).J
    return torch, J, lambda **kw: simultaneous_gd_operator(F, G, x0, y0, 0.1, 0.2, **kw)


def test_torch_operator_products_equal_the_dense_jacobian():
    torch, J, make = _torch_problem()
    op = make(chunk=2)  # blocks of 2 vectors per vmap call
    rng = np.random.default_rng(0)
    V, U = rng.standard_normal((13, 5)), rng.standard_normal((13, 3))
    np.testing.assert_allclose(op @ V, J @ V, atol=1e-13)
    np.testing.assert_allclose(op.T @ U, J.T @ U, atol=1e-13)
    np.testing.assert_allclose(op @ V[:, 0], J @ V[:, 0], atol=1e-13)
    Vc = V + 1j * rng.standard_normal(V.shape)
    np.testing.assert_allclose(op @ Vc, J @ Vc, atol=1e-13)
    N, X = op.power_norms(V, 6)
    P = [np.linalg.matrix_power(J, t) @ V for t in range(7)]
    np.testing.assert_allclose(N, [np.linalg.norm(p, axis=0) for p in P], rtol=1e-12)
    np.testing.assert_allclose(X, P[-1], atol=1e-12)
    assert op.blocks == (6, 7) and op.float64() is op
    op32 = make(dtype=torch.float32)
    assert op32.dtype == np.float32
    np.testing.assert_allclose(op32 @ V, J @ V, atol=1e-5)
    twin = op32.float64()
    np.testing.assert_allclose(twin @ V, J @ V, atol=1e-13)


def test_torch_operator_through_the_core_matches_dense():
    torch, J, make = _torch_problem()
    Kd = kreiss.kreiss_constant(J)
    for op in (make(), make(dtype=torch.float32)):
        Kk = kreiss.kreiss_constant(op, method="krylov")
        assert Kk.lower <= Kd.upper * (1 + 1e-9)
        x, z = Kk.witness, Kk.z
        if math.isfinite(z.real):  # the witness was re-checked in float64
            again = (abs(z) - 1) * np.linalg.norm(x) / np.linalg.norm(z * x - J @ x)
            assert again == pytest.approx(Kk.lower, rel=1e-7)
    Td = kreiss.transient(J, horizon=30, curve=True)
    Tk = kreiss.transient(make(), horizon=30, method="krylov")
    assert np.all(Tk.norms <= Td.norms * (1 + 1e-10))
    assert Tk.sup >= 0.95 * Td.sup
    assert kreiss.kreiss_constant(make()).method == "dense"  # auto: small, materialised
    assert kreiss.kreiss_constant(make()).lower == pytest.approx(Kd.lower, rel=1e-12)



def test_witnesses_through_the_adjoint_are_rechecked_in_float64():
    """analyze_operator on A^H: the float32 operator's K witness still finds its float64
    twin through scipy's adjoint wrapper, so it stays witnessed and re-checks on J^T."""
    torch, J, make = _torch_problem()
    res = kreiss.analyze_operator(make(dtype=torch.float32), horizon=10, adjoint="yes")
    K = res.kreiss
    assert K.lower_status == "witnessed" and "only" not in K.message
    zt = np.conj(K.z)  # the witness x is for J^T at conj(z)
    x = K.witness
    again = (abs(zt) - 1) * np.linalg.norm(x) / np.linalg.norm(zt * x - J.T @ x)
    assert again == pytest.approx(K.lower, rel=1e-7)
    assert K.lower <= kreiss.kreiss_constant(J).upper * (1 + 1e-9)


# ------------------------------------------------------------------------------ files and CLI


def test_cli_analyze_sparse_mtx_goes_matrix_free(tmp_path):
    import json

    import scipy.io
    from typer.testing import CliRunner

    from kreiss.cli import app

    n = MATERIALISE_MAX_N + 100  # 2 x 2 blocks [[0.9, 2], [0, 0.8]]: sup_t ||J^t|| is theirs
    b = np.zeros(n - 1)
    b[::2] = 2.0
    J = sp.diags([np.tile([0.9, 0.8], n // 2), b], [0, 1], format="coo")
    path = tmp_path / "J.mtx"
    scipy.io.mmwrite(path, J)
    runner = CliRunner()
    res = runner.invoke(app, ["analyze", str(path), "--horizon", "50"])
    assert res.exit_code == 0, res.output
    assert "matrix-free" in res.output and "witnessed" in res.output
    res = runner.invoke(app, ["analyze", str(path), "--horizon", "50", "--json"])
    d = json.loads(res.stdout)
    assert d["method"] == "krylov" and d["kreiss"]["lower_status"] == "witnessed"
    assert d["transient"]["method"] == "krylov"
    B = np.array([[0.9, 2.0], [0.0, 0.8]])
    sup = max(np.linalg.norm(np.linalg.matrix_power(B, t), 2) for t in range(51))
    assert 0.95 * sup <= d["transient"]["sup"] <= sup * (1 + 1e-12)
    assert d["stability"]["verdict"] == "stable"
    assert d["stability"]["spectral_radius"] == pytest.approx(0.9, rel=1e-8)


def test_mtx_banner_size_is_refused_before_reading(tmp_path):
    from typer.testing import CliRunner

    from kreiss.cli import app

    path = tmp_path / "big.mtx"
    path.write_text("%%MatrixMarket matrix array real general\n1000000 1000000\n1.0\n")
    with pytest.raises(InputError, match="GiB"):
        kreiss.load_matrix(path)
    res = CliRunner().invoke(app, ["analyze", str(path)])
    assert res.exit_code == 2 and "GiB" in res.stderr and "Traceback" not in res.output
    assert len(res.stderr.strip().splitlines()) == 1


def test_analyze_operator_through_the_adjoint():
    # A^T has the conjugate spectrum, the same K and the same ||A^t||: every bound computed
    # from products with A^T still holds for A, and the class bound still uses A's blocks
    J, blocks = aligned_class(60, 0.95, 1.0), (60, 60)
    K = kreiss.kreiss_constant(J, blocks=blocks)
    sup = kreiss.transient(J, horizon=60).sup
    op = aslinearoperator(J)
    for adjoint in ("no", "yes"):
        res = kreiss.analyze_operator(op, horizon=60, blocks=blocks, adjoint=adjoint)
        assert res.stability.spectral_radius == pytest.approx(0.95, rel=1e-8)
        assert res.kreiss.lower <= K.upper * (1 + 1e-9)
        assert res.kreiss.lower >= 0.95 * K.lower
        assert res.transient.sup <= sup * (1 + 1e-9)
        assert res.kreiss.upper_status == "probabilistic" and res.kreiss.upper >= K.lower
        assert ("A^H" in res.kreiss.message) == (adjoint == "yes")
    with pytest.raises(InputError, match="adjoint"):
        kreiss.analyze_operator(op, adjoint="maybe")
