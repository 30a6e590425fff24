"""Block-triangular J with Hermitian diagonal blocks: the minimum of sigma_min(zI - J) over
each circle |z| = r (line Re z = x) lies on the real axis (the inertia argument in
kreiss.linalg._kreiss_certificate), so kreiss_constant with ``blocks`` certifies K from SVDs
on the axis alone.  Checked against brute force over the curve and against the level-set
certificate on the same matrix without ``blocks``: two independent methods."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreiss import kreiss_constant
from kreiss.linalg._kreiss_certificate import axis_slack


def hermitian(rng, m, radius, top, complex_):
    X = rng.standard_normal((m, m)) + (1j * rng.standard_normal((m, m)) if complex_ else 0)
    H = (X + X.conj().T) / 2
    w, V = np.linalg.eigh(H)
    w = radius * w / np.max(np.abs(w))
    w[np.argmax(np.abs(w))] = top * radius  # the eigenvalue of largest modulus: +- radius
    M = (V * w) @ V.conj().T
    return (M + M.conj().T) / 2  # exactly Hermitian in floating point


def paper_class(seed, n, gamma, c, *, complex_=False, sign=1.0, upper=False):
    rng = np.random.default_rng(seed)
    p = n // 2
    A = hermitian(rng, p, gamma, sign, complex_)
    D = hermitian(rng, n - p, 0.9 * gamma, 1.0, complex_)
    C = rng.standard_normal((n - p, p)) + (1j * rng.standard_normal((n - p, p)) if complex_
                                           else 0)
    C *= c / np.linalg.norm(C, 2)
    J = np.block([[A, np.zeros((p, n - p))], [C, D]])
    return (J.T.copy() if upper else J), (p, n - p)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 12), complex_=st.booleans(),
       sign=st.sampled_from([1.0, -1.0]), r=st.floats(1.0, 3.0))
def test_the_minimum_over_the_circle_and_the_line_is_on_the_real_axis(seed, n, complex_,
                                                                      sign, r):
    J, _ = paper_class(seed, n, 0.9, 2.0, complex_=complex_, sign=sign)
    eye = np.eye(n)

    def smin(z):
        return np.linalg.svd(z * eye - J, compute_uv=False)[-1]

    theta = np.linspace(-np.pi, np.pi, 721)
    on_circle = min(smin(r * np.exp(1j * t)) for t in theta)
    axis = min(smin(r), smin(-r))
    assert axis <= on_circle * (1 + 1e-12) + 1e-14
    x = r - 0.9  # right of the spectrum: the continuous-time line
    on_line = min(smin(x + 1j * y) for y in np.linspace(-3, 3, 601))
    assert smin(x) <= on_line * (1 + 1e-12) + 1e-14


def test_the_claim_fails_without_the_structure():
    """A non-Hermitian diagonal block: sigma_min on the circle dips below both axis values
    (so the axis path must not be taken there)."""
    rng = np.random.default_rng(3)
    A = rng.standard_normal((6, 6))
    A *= 0.9 / np.max(np.abs(np.linalg.eigvals(A)))
    J = np.block([[A, np.zeros((6, 6))], [rng.standard_normal((6, 6)), 0.5 * np.eye(6)]])
    eye = np.eye(12)
    r = 1.05
    circle = min(np.linalg.svd(r * np.exp(1j * t) * eye - J, compute_uv=False)[-1]
                 for t in np.linspace(-np.pi, np.pi, 721))
    axis = min(np.linalg.svd(s * eye - J, compute_uv=False)[-1] for s in (r, -r))
    assert circle < 0.99 * axis
    assert axis_slack(J, (6, 6), np.linalg.norm(J, 2)) is None


def test_axis_slack_is_twice_the_distance_to_the_structure():
    J, b = paper_class(1, 8, 0.9, 1.0)
    norm = np.linalg.norm(J, 2)
    assert axis_slack(J, b, norm) == 0.0
    E = np.zeros_like(J)
    E[0, 1] = 1e-15  # A no longer exactly symmetric: ||J - J_s||_F = 1e-15 / sqrt(2)
    assert axis_slack(J + E, b, norm) == pytest.approx(2 * 1e-15 / np.sqrt(2), rel=1e-12)
    F = np.zeros_like(J)
    F[0, 6] = 1e-3  # B far from zero, C nonzero: not the structure
    assert axis_slack(J + F, b, norm) is None
    Jt, bt = paper_class(1, 8, 0.9, 1.0, upper=True)  # C = 0, B != 0
    assert axis_slack(Jt, bt, norm) == 0.0
    # B and C both pass as zero: B's distance counts (the Schur form from the blocks drops
    # B, so the sigma_min computed are those of J without it), even where C is smaller
    G = np.diag([0.5, -0.5, 0.3, 0.2])
    G[0, 2], G[2, 0] = 1e-15, 1e-17
    assert axis_slack(G, (2, 2), 0.5) == pytest.approx(2e-15, rel=1e-12)


@pytest.mark.parametrize("kind", ["discrete", "continuous"])
@pytest.mark.parametrize("seed,n,complex_,sign,upper", [
    (0, 12, False, 1.0, False), (1, 20, False, -1.0, False), (2, 10, True, 1.0, False),
    (3, 16, True, -1.0, True), (4, 40, False, 1.0, True), (5, 180, False, -1.0, False),
])
def test_axis_certificate_agrees_with_the_level_set_certificate(kind, seed, n, complex_,
                                                                 sign, upper):
    """The same J with blocks (axis SVDs, no eigenproblem) and without (level-set tests):
    both certified, the brackets overlap, and the axis path runs no level-set test.  n = 180
    takes the Lanczos estimates between nodes."""
    J, b = paper_class(seed, n, 0.95, 1.5, complex_=complex_, sign=sign, upper=upper)
    if kind == "continuous":  # spectral abscissa -0.03
        J = J - (np.max(np.linalg.eigvals(J).real) + 0.03) * np.eye(n)
    fast = kreiss_constant(J, kind, blocks=b)
    ref = kreiss_constant(J, kind)
    assert fast.certified and ref.certified
    assert fast.level_set_tests == 0 and ref.level_set_tests > 0
    assert "real axis" in fast.message and "real axis" not in ref.message
    assert fast.lower <= ref.upper and ref.lower <= fast.upper
    assert fast.upper <= fast.lower * (1 + 1e-8)


def test_axis_certificate_meets_a_closed_form():
    """J = [[a, 0], [b, a]] (2 x 2, blocks 1 + 1, Hermitian 1 x 1 blocks): a Jordan block's
    transpose, K by the closed form of test_kreiss_constant."""
    a, b = 0.9, 1.0
    x = abs(b) / (2 * (1 - a))
    exact = (x + 1 / x) / 2
    res = kreiss_constant(np.array([[a, 0.0], [b, a]]), blocks=(1, 1))
    assert res.level_set_tests == 0 and res.lower <= exact <= res.upper
    assert res.upper - res.lower <= 1e-8 * exact


def test_analyze_with_blocks_takes_the_axis_path():
    """kreiss.analyze passes its block split on: K of a class member runs no level-set test,
    and without the split (a plain matrix) it does, with overlapping brackets."""
    import kreiss

    J, b = paper_class(7, 14, 0.95, 2.0)
    with_blocks = kreiss.analyze(J, blocks=b[0]).kreiss
    plain = kreiss.analyze(J).kreiss
    assert with_blocks.level_set_tests == 0 and plain.level_set_tests > 0
    assert with_blocks.lower <= plain.upper and plain.lower <= with_blocks.upper
