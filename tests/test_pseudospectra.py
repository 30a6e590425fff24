"""Pseudospectra grids against dense SVD, and closed forms for normal matrices."""

import sys
from pathlib import Path

import numpy as np
import pytest

from kreiss import pseudospectra

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _instances import grcar  # noqa: E402


def test_grid_matches_dense_svd():
    rng = np.random.default_rng(1)
    n = 140  # above the dense cut-off: the batched Lanczos path
    A = rng.standard_normal((n, n)) / np.sqrt(n) + np.diag(np.ones(n - 1), 1)
    x = np.linspace(-2, 2, 9)
    y = np.linspace(-1.5, 1.5, 7)
    res = pseudospectra(A, real=x, imag=y)
    assert res.sigma_min.shape == (y.size, x.size)
    ref = np.array([[np.linalg.svd((a + 1j * b) * np.eye(n) - A, compute_uv=False)[-1]
                     for a in x] for b in y])
    np.testing.assert_allclose(res.sigma_min, ref, rtol=1e-8)


def test_normal_matrix_sigma_min_is_distance_to_spectrum():
    rng = np.random.default_rng(4)
    ev = rng.standard_normal(30) + 1j * rng.standard_normal(30)
    Q, _ = np.linalg.qr(rng.standard_normal((30, 30)) + 1j * rng.standard_normal((30, 30)))
    A = Q @ np.diag(ev) @ Q.conj().T
    res = pseudospectra(A, npts=12)
    Z = res.real[None, :] + 1j * res.imag[:, None]
    dist = np.min(np.abs(Z[..., None] - ev), axis=-1)
    np.testing.assert_allclose(res.sigma_min, dist, rtol=1e-8, atol=1e-12)


def test_auto_region_contains_the_spectrum_and_the_eps_pseudospectrum():
    A = np.array([[0.5, 10.0], [0.0, -0.5]])
    res = pseudospectra(A, npts=30, eps=[0.1])
    ev = np.linalg.eigvals(A)
    assert res.real[0] < ev.real.min() and res.real[-1] > ev.real.max()
    # the eps = 0.1 pseudospectrum stays inside the box: sigma_min >= 0.1 on its boundary
    edge = np.concatenate([res.sigma_min[0], res.sigma_min[-1], res.sigma_min[:, 0],
                           res.sigma_min[:, -1]])
    assert edge.min() >= 0.1


def test_plot_writes_a_png(tmp_path):
    res = pseudospectra(np.array([[0.9, 2.0], [0.0, 0.5]]), npts=25)
    ax = res.plot(eps=[1e-1, 1e-2], unit_circle=True, mark=1.2 + 0j)
    out = tmp_path / "ps.png"
    ax.figure.savefig(out)
    assert out.stat().st_size > 1000


@pytest.mark.parametrize("n", [800, 1600])
def test_deep_inside_grcar_is_floored_never_inf(n):
    # sigma_min(zI - A) deep inside Grcar's pseudospectrum underflows (1e-79 at n = 800);
    # the solves' 1/sigma^2 overflowed to inf at n = 1600.  Values below the rounding level
    # eps ||T|| are reported as that floor: finite, no warning, and still >= sigma_min
    import warnings

    from kreiss.linalg.schur import schur_form
    from kreiss.linalg.sigma_min import floor

    A = grcar(n)
    S = schur_form(A)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = pseudospectra(A, schur=S, real=np.linspace(0.5, 1.5, 10),
                          imag=np.linspace(0.5, 2.5, 10))
    lowest = floor(S.T_real)
    assert np.all(np.isfinite(r.sigma_min)) and np.all(r.sigma_min >= lowest)
    assert np.sum(r.sigma_min == lowest) > 10  # the deep points sit on the floor
    assert lowest < 1e-14 * 10  # the floor is the rounding level of a ||A|| ~ 4 matrix
    # away from the floor the values are those of a dense SVD
    z = np.array([2.5 + 3.2j, -0.6 + 0.4j])
    dense = np.linalg.svd(z[:, None, None] * np.eye(n) - A, compute_uv=False)[:, -1]
    got = pseudospectra(A, schur=S, real=z.real[:1], imag=z.imag[:1]).sigma_min.ravel()
    assert got[0] == pytest.approx(dense[0], rel=1e-8)
