"""Kreiss constants with a certified bracket.

Discrete time:   K(A) = sup_{|z| > 1} (|z| - 1) ||(zI - A)^{-1}||,
continuous time: K(A) = sup_{Re z > 0} Re(z) ||(zI - A)^{-1}||.

Both are 1-D problems over the radius r (the abscissa x) of phi = w / s, s the minimum of
sigma_min(zI - A) over the circle |z| = r (the line Re z = x).  Nodes t whose level-set test
certifies s(t) from below bound phi on whole intervals between them, and beyond the last
(the concave-chord certificate, with its rounding analysis: :mod:`._kreiss_certificate`).
For a block-triangular A with Hermitian diagonal blocks (the paper's class: the split is
``blocks``, or found in A in O(n^2)) s(t) is attained on the real axis, and dense SVDs there
replace the tests.
Branch and bound over t refines the intervals whose bound exceeds the best value found until
the relative gap is below ``tol`` (where the next node goes: :mod:`._kreiss_nodes`); ``lower``
is re-evaluated at the returned ``z`` as a witness.

This replaces the interpolation-based certificate of Mitchell ("Fast interpolation-based
globality certificates for computing Kreiss constants and the distance to uncontrollability",
SIAM J. Matrix Anal. Appl. 42, 2021) by a rigorous one that needs only values at nodes; the
level-set tests at the nodes are those of Mitchell ("Computing the Kreiss constant of a
matrix", SIAM J. Matrix Anal. Appl. 41, 2020) and of EigTool.  The paper's Appendix M grid
(r in [1.01, 11]) misses maximisers at r - 1 < 0.01 and the limit r -> infinity.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from ..errors import InputError, UnstableError
from ._kreiss_certificate import (
    WITNESS_MAX_N,
    CurveProblem,
    axis_slack,
    axis_split_candidates,
    witness_lower,
)
from ._kreiss_nodes import local_max, planned_split
from ._kreiss_result import KreissResult
from .operator import resolve
from .schur import SchurForm, schur_form
from .sigma_min import backward_error
from .threads import blas_threads
from .validate import as_square_matrix, check_kind, check_positive

#: log-spaced nodes in t - t_lo placed before branch and bound (plus t_lo and the tail)
INITIAL_NODES = 3
#: the tail [t, inf) is split at t_lo + TAIL_STEP (t - t_lo)
TAIL_STEP = 4.0


def _trivial(S: SchurForm, kind, value, z, message, **kw) -> KreissResult:
    return KreissResult(
        value=value, lower=value, upper=value, z=z, kind=kind, n=S.n,
        spectral_radius=S.spectral_radius, spectral_abscissa=S.spectral_abscissa,
        norm=S.norm, certified=True, evaluations=0, level_set_tests=0, nodes=0,
        message=message,
    )


def kreiss_constant(
    A,
    kind: str = "discrete",
    tol: float = 1e-8,
    *,
    blocks: tuple[int, int] | None = None,
    maxiter: int = 400,
    npts: int = 64,
    schur: SchurForm | None = None,
    method: str = "auto",
) -> KreissResult:
    """Kreiss constant of ``A`` with a certified bracket (see the module docstring).

    Parameters
    ----------
    A : (n, n) array_like, real or complex.
    kind : "discrete" (sup over |z| > 1) or "continuous" (sup over Re z > 0).
    tol : target relative gap (upper - lower) / lower.
    blocks : (p, q) for J = [[A11, 0], [A21, A22]]: Schur form from the diagonal blocks; if
        A11 and A22 are also Hermitian (the paper's class; or A21 = 0 instead of A12), each
        node's level comes from dense SVDs on the real axis, with no level-set eigenproblem
        (:mod:`._kreiss_certificate`).  None: such a split, if J has one, is found in
        O(n^2) (:func:`._kreiss_certificate.axis_split_candidates`; the message names it).
    maxiter : budget of branch-and-bound nodes (``nodes``); if exhausted, ``certified`` is
        False and the bracket is still valid.
    npts : points per circle (line) in the global sampling at each node.
    method : "auto", "dense" or "krylov" (:mod:`.operator`).  ``A`` may be an array, a
        scipy.sparse matrix or a LinearOperator; "krylov" returns a witnessed lower bound
        and, when ``blocks`` (or the operator's ``blocks`` attribute) is given and J is in
        the paper's class, a probabilistic upper bound (:func:`.matfree.kreiss_krylov`).

    Raises
    ------
    UnstableError
        rho(A) > 1 (discrete) or spectral abscissa > 0 (continuous): K is infinite; exactly
        1 (0): K is finite only for power-bounded A, not decidable in floating point.
    """
    check_kind(kind)
    tol = check_positive(tol, "tol", below=1.0)
    maxiter = check_positive(maxiter, "maxiter", integer=True)
    npts = check_positive(npts, "npts", integer=True)
    if schur is None:
        path, M = resolve(A, method)
        if path == "krylov":
            from ._matfree_kreiss import kreiss_krylov

            return kreiss_krylov(M, kind, blocks=blocks or getattr(A, "blocks", None))
        A = M
    # many small BLAS calls: threads only add synchronisation (8x slower on a loaded 2-core box)
    with blas_threads(1):
        return _kreiss_constant(A, kind, tol, blocks, maxiter, npts, schur)


def _unstable_message(quantity: str, value: float, edge: float, margin: float) -> str:
    """rho > 1 (alpha > 0): K is infinite.  rho = 1 (alpha = 0) exactly: K is finite iff A
    is power bounded (every eigenvalue on the boundary semisimple; J = I has K = 1), which
    rounding cannot decide, so it is refused without calling K infinite; so is a value
    beyond the boundary by no more than ``margin``, what rounding may move the matrix by
    (a stable J in another basis can come out so)."""
    # enough digits to show the excess (1 + 1e-12 printed as "1 > 1" before)
    digits = max(6, min(17, 1 - math.floor(math.log10(max(abs(value - edge), 1e-300)))))
    if value > edge + margin:
        return (f"{quantity} {value:.{digits}g} > {edge:g}: the Kreiss constant is "
                "infinite")
    if value > edge:
        return (f"{quantity} {value:.{digits}g} exceeds {edge:g} by no more than rounding "
                f"may move the matrix ({margin:.2g}): floating point cannot decide whether K "
                "is finite")
    return (f"{quantity} = {edge:g}: K is finite only if the matrix is power bounded "
            "(eigenvalues on the stability boundary semisimple), which floating point cannot "
            "decide; kreiss computes K for strictly stable matrices")


#: above this ||A|| the certificate's pencils and bounds (which square ||A||) overflow
MAX_NORM = 1e150


def _kreiss_constant(A, kind, tol, blocks, maxiter, npts, schur) -> KreissResult:
    given = None  # the input matrix itself: its structure, and the witness of ``lower``
    if A is not None and not isinstance(A, SchurForm):
        given = as_square_matrix(A)
    # splits of the paper's class J may have (blocks not given), checked below
    splits = [] if blocks is not None or given is None else axis_split_candidates(given)
    split = (splits[0], len(given) - splits[0]) if splits else blocks
    S = schur if schur is not None else schur_form(A, blocks=split)
    if S.norm > MAX_NORM:  # K is not scale-invariant: no rescaling can help
        raise InputError(f"||A|| = {S.norm:.3g} is beyond what the certificate handles in "
                         f"double precision (it squares ||A||; at most {MAX_NORM:g})")
    # block-triangular with Hermitian diagonal blocks: s on the real axis, no eigenproblems
    slack, found = None, ""
    if blocks is not None and given is not None:
        slack = axis_slack(given, blocks, S.norm)
    for p in splits:
        slack = axis_slack(given, p, S.norm)
        if slack is not None:
            if p != splits[0] and schur is None:  # axis_slack assumes this split's Schur form
                S = schur_form(A, blocks=(p, S.n - p))
            found = f"split {p} + {S.n - p} found in J; "
            break
    # what may move the computed ||A||, omega(A) and the spectrum off A's: rounding (each is
    # that of some A + E, ||E|| <= 2 n eps ||A||), and a block B = J[:p, p:] that the Schur
    # form from the blocks dropped as zero (||B||_2 <= ||B||_F <= 4 n eps ||A||, :mod:`.tags`;
    # it moves omega by ||B||_2 / 2).  The tail bounds use the computed value plus this, and
    # "K = 1 exactly" needs it below the boundary by this much: a 2 x 2 core [[-1e-13,
    # 8.8e-12], [0, -1e-13]] inside a J with ||J|| = 1000 has K ~ 22, and its computed omega
    # was <= 0 without B
    margin = 2 * backward_error(S.n, S.norm, 0.0)
    if kind == "discrete":
        rho = S.spectral_radius
        if rho >= 1:
            raise UnstableError(_unstable_message("spectral radius", rho, 1.0, margin))
        if S.norm <= 1 - margin:
            return _trivial(S, kind, 1.0, complex(math.inf, 0),
                            f"||A|| = {S.norm:.6g} <= 1: K = 1 exactly (sup at |z| -> inf)")
        P = CurveProblem(S, kind, npts, tail_radius=S.norm + margin, axis_slack=slack)
        t_lo, scale = 1.0, 1.0 - rho
    else:
        alpha = S.spectral_abscissa
        if alpha >= 0:
            raise UnstableError(_unstable_message("spectral abscissa", alpha, 0.0, margin))
        omega = float(np.linalg.eigvalsh((S.T + S.T.conj().T) / 2)[-1])
        if omega <= -margin:
            return _trivial(S, kind, 1.0, complex(math.inf, 0),
                            f"numerical abscissa {omega:.6g} <= 0: K = 1 exactly "
                            "(sup at Re z -> inf)")
        P = CurveProblem(S, kind, npts, tail_radius=omega + margin, axis_slack=slack)
        t_lo, scale = 0.0, -alpha
    witness = given if given is not None and S.n <= WITNESS_MAX_N else None
    return _branch_and_bound(P, S, kind, t_lo, scale, tol, maxiter, witness, found)


def _branch_and_bound(P: CurveProblem, S, kind, t_lo, scale, tol, maxiter,
                      A=None, found: str = "") -> KreissResult:
    """``A``: the input matrix (witness of ``lower``); ``found``: the split found in it,
    for the message."""
    eta = tol / 8
    nodes: dict[float, tuple] = {}  # t -> (s_est, arg, certified level, computed level)
    slopes: dict[float, float] = {}  # t -> d s / d t (an estimate: places nodes only)
    best = [1.0, complex(math.inf, 0)]  # the limit at infinity

    def note(t, s, arg):
        if s > 0 and P.w(t) / s > best[0]:
            best[0], best[1] = P.w(t) / s, complex(P.point(t, arg))

    def evaluate(t, start=None):
        hints = [nodes[min(nodes, key=lambda k: abs(k - t))][1]] if nodes else []
        s, arg, lev = P.s_certified(t, hints, eta, start)
        nodes[t] = (s, arg, max(lev - P.delta(t), 0.0), lev)  # certified, and as computed
        slopes[t] = P.slope(t, arg, s) if s > 0 else math.nan
        note(t, s, arg)

    def estimate(t, args):
        """(s, arg) at t by a local search from the best of ``args`` (uncertified: the
        values place nodes, and each is a lower bound on K)."""
        s, a = P.search(t, args)
        note(t, s, a)
        return s, a

    # initial nodes: t_lo (nothing else bounds phi on (t_lo, first node): on lines too,
    # phi may peak at x ~ |alpha| / n there) and log-spaced in t - t_lo around the scale of
    # the spectral gap
    ts = [t_lo, *(t_lo + scale * np.logspace(-1.5, 1.5, INITIAL_NODES))]
    for t in ts:
        evaluate(float(t))

    # the maximiser, located by uncertified values near the best node, becomes a node: the
    # intervals then close from it outward (below)
    finite = [k for k in nodes if nodes[k][0] > 0]
    if finite:
        keys = sorted(nodes)
        tb = max(finite, key=lambda k: P.w(k) / nodes[k][0])
        i = keys.index(tb)
        lo = keys[max(i - 1, 0)]
        hi = keys[i + 1] if i + 1 < len(keys) else t_lo + TAIL_STEP * (tb - t_lo)
        t_hat = local_max(P, lo, hi, [nodes[k][1] for k in {lo, tb, hi} & nodes.keys()],
                          estimate)
        if t_hat is not None:
            evaluate(t_hat)

    def split(a, b, tU):
        """The next node in [a, b] (:func:`._kreiss_nodes.planned_split`, else where the
        bound peaks)."""
        planned = planned_split(P, nodes, slopes, a, b, best[0] * (1 + 0.9 * tol), eta,
                                estimate)
        if planned is not None:
            return planned
        ra, rb = a - t_lo, b - t_lo
        if ra > 0 and rb > 4 * ra:  # across scales: the geometric mean
            return t_lo + math.sqrt(ra * rb), None
        # where the bound peaks, kept off the ends (n = 100, gamma = .99: 41 nodes, not 46)
        return min(max(tU, a + 0.2 * (b - a)), b - 0.2 * (b - a)), None

    heap = []

    def push(a, b):
        U, tU = P.interval_bound(a, nodes[a][2], b, nodes[b][2])
        U0, _ = P.interval_bound(a, nodes[a][3], b, nodes[b][3])  # without the rounding
        heapq.heappush(heap, (-U, a, b, tU, U0))

    def push_tail(t):
        """The tail [t, inf) as one more interval: a node further out only when its bound
        is the largest (evaluated eagerly, the tail cost 2 of 11 nodes at n = 100 that the
        final best value did not need)."""
        U = P.tail_bound(t)
        heapq.heappush(heap, (-U, t, math.inf, math.inf, U))

    keys = sorted(nodes)
    for a, b in zip(keys[:-1], keys[1:], strict=True):
        push(a, b)
    push_tail(keys[-1])

    settled = 0.0  # bounds that only rounding keeps above the target: not refined further
    while heap and len(nodes) < maxiter:
        U = -heap[0][0]
        if U <= best[0] * (1 + tol):
            break
        _, a, b, tU, U0 = heapq.heappop(heap)
        if U0 <= best[0] * (1 + tol) and P.node_bound(
                a, nodes[a][2], b, nodes[b][2] if b < math.inf else 0.0) > best[0] * (1 + tol):
            settled = max(settled, U)  # rounding keeps even the nodes' own values above
            continue
        if b == math.inf:
            t_new = t_lo + TAIL_STEP * (a - t_lo)
            evaluate(t_new)
            push(a, t_new)
            push_tail(t_new)
            continue
        mid, start = split(a, b, tU)
        if not a < mid < b:
            heapq.heappush(heap, (-U, a, b, tU, U0))
            break
        evaluate(mid, start)
        push(a, mid)
        push(mid, b)
    lower, z = best[0], complex(best[1])
    if math.isfinite(z.real):  # re-evaluated at z, less what rounding may have moved
        t = abs(z) if kind == "discrete" else z.real
        if A is not None:
            lower = witness_lower(A, z, P.w(t))
        else:
            lower = P.w(t) / (float(P.sigma(np.array([z]))[0]) + P.delta(t))
        if lower < 1.0:  # the limit at infinity gives K >= 1 exactly
            lower, z = 1.0, complex(math.inf, 0)
    upper = max([-h[0] for h in heap] + [settled, best[0], lower])
    certified = upper <= lower * (1 + tol)
    if certified:
        msg = "certified"
        if P.axis_slack is not None:
            msg += (f" ({found}block-triangular, Hermitian diagonal blocks: levels from the "
                    "real axis)")
    elif len(nodes) >= maxiter:
        msg = f"node budget {maxiter} exhausted"
    else:
        msg = (f"certified to a relative gap of {(upper - lower) / lower:.2g} only: rounding "
               f"(what double precision supports) limits the bracket, not tol = {tol:g}")
    return KreissResult(
        value=float(lower), lower=float(lower), upper=float(upper), z=z, kind=kind,
        n=S.n, spectral_radius=S.spectral_radius, spectral_abscissa=S.spectral_abscissa,
        norm=S.norm, certified=bool(certified), evaluations=P.evals,
        level_set_tests=P.tests, nodes=len(nodes), message=msg,
    )


__all__ = ["KreissResult", "kreiss_constant"]
