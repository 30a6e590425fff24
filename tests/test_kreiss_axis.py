"""Block-triangular J with Hermitian diagonal blocks: the minimum of sigma_min(zI - J) over
each circle |z| = r (line Re z = x) lies on the real axis (the inertia argument in
kreiss.linalg._kreiss_certificate), so kreiss_constant with ``blocks`` certifies K from SVDs
on the axis alone, and finds such a split itself when ``blocks`` is not given.  Checked
against brute force over the curve and against the level-set certificate on the same
matrix in a random orthonormal basis (K is unitarily invariant, and no split shows there):
two independent methods."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kreiss import kreiss_constant
from kreiss.linalg._kreiss_certificate import (
    MAX_SPLIT_CHECKS,
    axis_slack,
    axis_split_candidates,
)


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


def rotated(J, seed=0):
    """Q J Q^* for a random unitary (orthogonal for real J) Q: the same K, no block split."""
    rng = np.random.default_rng(seed)
    n = J.shape[0]
    X = rng.standard_normal((n, n)) + (1j * rng.standard_normal((n, n))
                                       if np.iscomplexobj(J) else 0)
    Q, _ = np.linalg.qr(X)
    return Q @ J @ Q.conj().T


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
    """J with blocks, and without them (the split found in J): axis SVDs, no eigenproblem;
    the same J in a random orthonormal basis: level-set tests.  All certified, the brackets
    overlap.  n = 180 takes the Lanczos estimates between nodes."""
    J, b = paper_class(seed, n, 0.95, 1.5, complex_=complex_, sign=sign, upper=upper)
    if kind == "continuous":  # spectral abscissa -0.03
        J = J - (np.max(np.linalg.eigvals(J).real) + 0.03) * np.eye(n)
    fast = kreiss_constant(J, kind, blocks=b)
    found = kreiss_constant(J, kind)
    ref = kreiss_constant(rotated(J, seed), kind)
    assert fast.certified and found.certified and ref.certified
    assert fast.level_set_tests == found.level_set_tests == 0 and ref.level_set_tests > 0
    assert "real axis" in fast.message and "real axis" not in ref.message
    assert f"split {b[0]} + {b[1]} found" in found.message and "found" not in fast.message
    for res in (fast, found):
        assert res.lower <= ref.upper and ref.lower <= res.upper
        assert res.upper <= res.lower * (1 + 1e-8)


def test_axis_certificate_meets_a_closed_form():
    """J = [[a, 0], [b, a]] (2 x 2, blocks 1 + 1, Hermitian 1 x 1 blocks): a Jordan block's
    transpose, K by the closed form of test_kreiss_constant."""
    a, b = 0.9, 1.0
    x = abs(b) / (2 * (1 - a))
    exact = (x + 1 / x) / 2
    res = kreiss_constant(np.array([[a, 0.0], [b, a]]), blocks=(1, 1))
    assert res.level_set_tests == 0 and res.lower <= exact <= res.upper
    assert res.upper - res.lower <= 1e-8 * exact


def test_analyze_takes_the_axis_path():
    """kreiss.analyze passes its block split on, or K finds it: a class member runs no
    level-set test; the same J in another basis does, with overlapping brackets."""
    import kreiss

    J, b = paper_class(7, 14, 0.95, 2.0)
    with_blocks = kreiss.analyze(J, blocks=b[0]).kreiss
    plain = kreiss.analyze(J).kreiss
    other = kreiss.analyze(rotated(J)).kreiss
    assert with_blocks.level_set_tests == plain.level_set_tests == 0
    assert other.level_set_tests > 0
    assert with_blocks.lower <= other.upper and other.lower <= with_blocks.upper


def brute_force_splits(J):
    """Every p with axis_slack not None: n checks of O(n^2) each."""
    norm = np.linalg.norm(J, 2)
    return [p for p in range(1, J.shape[0]) if axis_slack(J, p, norm) is not None]


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 14), complex_=st.booleans(),
       upper=st.booleans(), noise=st.sampled_from([0.0, 0.1, 0.9, 1.1, 10.0, 1e6]),
       where=st.sampled_from(["B", "C", "A", "D", "all"]), zero_c=st.booleans())
def test_split_candidates_contain_every_split_of_the_class(seed, n, complex_, upper, noise,
                                                           where, zero_c):
    """axis_split_candidates (O(n^2) entrywise conditions) misses no split that the exact
    check accepts, on class members at a random split, perturbed by entries from far below
    to far above the tags' tolerance (4 n eps ||J||_2) in one block or everywhere; and a
    class member with its split untouched (or perturbed far below the tolerance) is found."""
    rng = np.random.default_rng(seed)
    p = int(rng.integers(1, n)) if n > 1 else 1
    A = hermitian(rng, p, 0.9, 1.0, complex_)
    D = hermitian(rng, n - p, 0.8, 1.0, complex_) if n > p else np.zeros((0, 0))
    C = rng.standard_normal((n - p, p)) * (0.0 if zero_c else 1.0)
    J = np.block([[A, np.zeros((p, n - p))], [C, D]]).astype(complex if complex_ else float)
    tol = 4 * n * np.finfo(float).eps * np.linalg.norm(J, 2)
    E = np.zeros_like(J)
    rows, cols = {"B": (slice(0, p), slice(p, n)), "C": (slice(p, n), slice(0, p)),
                  "A": (slice(0, p), slice(0, p)), "D": (slice(p, n), slice(p, n)),
                  "all": (slice(0, n), slice(0, n))}[where]
    E[rows, cols] = rng.standard_normal(E[rows, cols].shape)
    E *= noise * tol / max(np.linalg.norm(E), 1e-300)
    J = J + E
    if upper:
        J = J.T.copy()
    candidates = axis_split_candidates(J)
    assert candidates == sorted(set(candidates)) and all(0 < c < n for c in candidates)
    exact = brute_force_splits(J)
    if len(candidates) < MAX_SPLIT_CHECKS:
        assert set(exact) <= set(candidates)
    if n > 1 and noise <= 0.1:
        assert p in exact


def test_split_candidates_of_an_unstructured_matrix_are_none():
    """A generic matrix, and a class member with one off-block entry (or one asymmetric
    pair) far above the tolerance: no candidates where no split can hold."""
    rng = np.random.default_rng(0)
    assert axis_split_candidates(rng.standard_normal((30, 30))) == []
    J, (p, q) = paper_class(1, 12, 0.9, 1.0)
    J[0, 1] += 1e-3  # A no longer Hermitian: the split must leave (0, 1) out of A
    assert axis_split_candidates(J) == []  # p = 1 leaves it out, but then D holds C
    J2, _ = paper_class(1, 12, 0.9, 1.0)
    J2[0, 11] = 1e-3  # B nonzero and C nonzero: no split of this J
    assert brute_force_splits(J2) == [] and all(
        axis_slack(J2, c, np.linalg.norm(J2, 2)) is None for c in axis_split_candidates(J2))
