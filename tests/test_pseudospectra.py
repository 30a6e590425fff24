"""Pseudospectra grids against dense SVD, and closed forms for normal matrices."""

import numpy as np

from kreiss import pseudospectra


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
