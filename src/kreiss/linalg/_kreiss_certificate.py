"""The certificate behind :func:`.kreiss_constant.kreiss_constant`: phi on one family of
curves, certified levels of s(t), and the bounds they give between nodes.

The Kreiss constant, discrete or continuous, is a 1-D problem over a parameter t (the radius
r, resp. the abscissa x) of
phi(t) = w(t) / s(t), with w(t) = t - 1 (resp. t) and s(t) the minimum of sigma_min(zI - A)
over the circle |z| = r (resp. the line Re z = x).

**Certificate.**  For a unit vector v put c_v = v^*Av.  Then ||(zI - A)v||^2 =
|z - c_v|^2 + ||Av||^2 - |c_v|^2, and minimising over the circle (line) first gives

    s(r)^2 = min_v (r - |c_v|)^2 + ||Av||^2 - |c_v|^2,
    s(x)^2 = min_v (x - Re c_v)^2 + ||Av||^2 - |c_v|^2 .

So m(t) = s(t)^2 - t^2 is a minimum of affine functions of t: **m is concave**, and lies above
its chord on any interval.  Second, log ||(zI - A)^{-1}|| is subharmonic off the spectrum, so
its maximum over the circle |z| = r is a convex function of log r for r > rho(A) (Hadamard's
three-circle theorem, which holds for subharmonic functions: compare with A + B log|z| in the
maximum principle; Ransford, *Potential Theory in the Complex Plane*, 1995, ch. 2), and over
the line Re z = x a convex function of x for x > alpha(A) (three lines: compare with
A + B Re z; ||R|| is bounded on such strips): **log s is concave in log r** (resp. in x),
and lies above its chord too.  A node t_i whose level-set test (:mod:`.levelset`) proves
s(t_i) >= l_i therefore bounds phi on a whole interval [t_i, t_j] by the maximum of w(t)^2 /
(t^2 + chord(t)), and by the maximum of w(t) / exp(chord of log l), each in closed form; the
smaller counts.  On an interval of width h near the maximiser the first loses O(h^2 / s^2)
relative, the second O(h^2 / (r - 1)^2) (there s'/s = 1/(r - 1)); as s ~ (r - 1) / K, the
first is ~K^2 times looser and needs nodes in proportion to K near the stability boundary
(400 nodes left a 2 x 2 Jordan block with a = 0.9999, K = 2500, at a 1e-2 gap; with the
second, 30 nodes certify 1e-8).
Beyond the last node, ||(zI - A)^{-1}|| <= 1 / (|z| - ||A||) (resp. 1 / (Re z - omega(A)),
omega the numerical abscissa) bounds the tail, and the limit |z| -> infinity gives K >= 1.
If ||A|| <= 1 (resp. omega(A) <= 0), K = 1 exactly.

**Block-triangular J with Hermitian diagonal blocks** (the paper's class: J = [[A, 0],
[C, D]], A and D Hermitian; or B instead of C, by transposition): the minimum of sigma_min
over each curve lies on the real axis, s(r) = min(sigma_min(rI - J), sigma_min(-rI - J)) and
s(x) = sigma_min(xI - J), so each node's level is computed by one or two dense SVDs, with no
level-set eigenproblem.  Proof: with A = U L U^*, D = V M V^* (L, M real diagonal) and
C' = V^* C U, eliminate u_1 and v_2 from [[-eps I, X], [X^*, -eps I]], X = zI - J in that
basis (eigenvalues -eps -+ sigma_i(X)): by Haynsworth's inertia additivity the number of
singular values of zI - J below eps > 0 is the number of negative eigenvalues of

    G(z) = [[(|z - L|^2 - eps^2) / eps, -C'^*], [-C', (|z - M|^2 - eps^2) / eps]].

On |z| = r, |z - l|^2 = r^2 + l^2 - 2 r l cos(theta) for real l: G is affine in cos(theta),
so G >= 0 at cos(theta) = +-1 gives G >= 0 on the whole circle.  On Re z = x,
|z - l|^2 = (x - l)^2 + y^2: G grows with y^2.  A J within the structure tags' tolerance
(:mod:`.tags`) of such a J_s counts: sigma_min moves by at most ||J - J_s||_2 <= ||J - J_s||_F
= e, so the level is min(sigma_min(+-rI - J)) - 2 e (:func:`axis_slack`), taken off with the
rounding below (and added to it in the witness of ``lower``).

**Rounding.**  A dense SVD of X = zI - A and a level-set test are exact for some X + E with
||E|| <= p(n) u ||X|| (backward stability), so they hold for X itself only up to
delta(t) = ``ROUNDING`` n eps (2 ||A|| + |t|) (Weyl's inequality).  Inverse Lanczos (above
``DENSE_N``) gives a Ritz value, an upper bound on sigma_min: it places nodes and gives lower
bounds on K, and the decision that an arc between crossings lies outside the pseudospectrum,
on which a level rests, is a dense SVD.
A node's certified level is l - delta (never below 0).  ``lower`` is re-evaluated at the
returned ``z`` as a witness: with v the computed right singular vector of X (an exact
float64 vector), ||X^{-1}|| >= ||v|| / ||Xv||, and Xv is formed in extended precision
(``numpy.longdouble``, 64-bit mantissa on x86) with its rounding bound added, so the
cancellation in Xv (its norm is sigma_min, far below ||X|| ||v|| near the maximiser) costs
eps_ld ||X|| instead of eps ||X||.  Without the input matrix or above ``WITNESS_MAX_N``:
w / (s + delta).  Where
the maximiser's sigma_min is not far above delta (K near 1/eps, a nearly defective A) the
bracket widens to what can be certified, and the result says so: a refinement that would
only move bounds by less than their rounding is not made.
"""

from __future__ import annotations

import math

import numpy as np

from .levelset import THREADED_N, circle_crossings, vertical_crossings
from .scalar_min import minimize_bounded
from .schur import SchurForm
from .sigma_min import backward_error, sigma_min_triangular
from .tags import default_rtol, frobenius, is_hermitian, is_zero
from .threads import blas_threads
from .validate import split_after

#: up to this size every sigma_min is a dense SVD (cheaper than Lanczos' overhead, and exact)
DENSE_N = 160
#: p(n) / n of the backward-error bound p(n) eps ||X|| of sigma_min and the level-set tests
ROUNDING = 1
#: up to this n, ``lower`` is witnessed in extended precision (module docstring)
WITNESS_MAX_N = DENSE_N


class CurveProblem:
    """phi(t) = w(t) / s(t) on one family of curves (circles or vertical lines)."""

    def __init__(self, S: SchurForm, kind: str, npts: int, tail_radius: float,
                 axis_slack: float | None = None):
        self.S, self.kind = S, kind
        #: J block-triangular with Hermitian diagonal blocks (to 2 ||J - J_s||_F = this): s
        #: from the real axis (module docstring); None: level-set tests
        self.axis_slack = axis_slack
        #: ||(zI - A)^{-1}|| <= 1 / (t - tail_radius) beyond it (||A||, resp. omega(A))
        self.tail_radius = tail_radius
        # sigma_min from the real quasi-triangular factor when there is one (real solves)
        self.T = S.T_real if S.T_real is not None else S.T
        # level-set tests on the real matrix when there is one (real geev, ~4x cheaper)
        self.L = S.matrix() if S.is_real else S.T
        self._op = None  # the shifted solver, built (and numba imported) when first needed
        self.c0 = 1.0 if kind == "discrete" else 0.0
        self.npts = npts
        self.evals = 0
        self.tests = 0
        if kind == "continuous":
            H = (S.T - S.T.conj().T) / 2j
            ev = np.linalg.eigvalsh(H)
            self.ylo, self.yhi = float(ev[0]), float(ev[-1])
            pad = 1e-3 * max(1.0, S.norm)
            self.ylo, self.yhi = self.ylo - pad, self.yhi + pad

    # -- the curve ---------------------------------------------------------------------
    def point(self, t, arg):
        """z at parameter t and position ``arg`` on the curve; the angles +-pi give exactly
        -t (e^{i pi} rounds to -1 + 1.2e-16 i, which made the real axis complex)."""
        arg = np.asarray(arg)
        if self.kind == "discrete":
            return t * np.where(np.abs(arg) == np.pi, -1.0 + 0j, np.exp(1j * arg))
        return t + 1j * arg

    def sample_args(self) -> np.ndarray:
        m = self.npts
        if self.kind == "discrete":
            hi = np.pi if self.S.is_real else np.pi * (1 - 2 / m)
            lo = 0.0 if self.S.is_real else -np.pi
            return np.linspace(lo, hi, m if not self.S.is_real else m // 2 + 1)
        lo = 0.0 if self.S.is_real else self.ylo
        return np.linspace(lo, self.yhi, m)

    def crossings(self, t: float, eps: float) -> np.ndarray:
        self.tests += 1
        if self.kind == "discrete":
            return circle_crossings(self.L, t, eps)
        return vertical_crossings(self.L, t, eps)

    def arcs_midpoints(self, cross: np.ndarray) -> np.ndarray:
        """Midpoints of the arcs (intervals) between consecutive crossing points."""
        if cross.size == 0:
            return cross
        if self.kind == "discrete":
            nxt = np.append(cross[1:], cross[0] + 2 * np.pi)
            return (cross + nxt) / 2
        return (cross[1:] + cross[:-1]) / 2 if cross.size > 1 else cross

    # -- sigma_min ---------------------------------------------------------------------
    def sigma(self, z, accurate: bool = True, exact: bool = False) -> np.ndarray:
        """sigma_min at the points z; ``accurate=False`` for the coarse global sampling,
        whose values only choose starting points (never enter a bound).  Above ``DENSE_N``
        inverse Lanczos: a Ritz value, an upper bound on sigma_min that may miss the smallest
        singular value, which is safe for lower bounds on K (w / sigma) but not for deciding
        that an arc lies outside the pseudospectrum: ``exact=True`` (a dense SVD) there."""
        z = np.atleast_1d(z)
        self.evals += z.size
        if exact or self.S.n <= DENSE_N:
            return sigma_min_triangular(self.T, z, method="dense")
        if self._op is None:
            from .trisolve import ShiftedTriangular

            self._op = ShiftedTriangular(self.T)
        return sigma_min_triangular(self.T, z, op=self._op, tol=1e-10 if accurate else 1e-4)

    def _axis(self, arg: float, width: float) -> float | None:
        """For real A, the point of the real axis (angle 0 or pi, resp. ordinate 0) that
        ``arg`` lies on up to 1e-6 ``width``, else None."""
        if not self.S.is_real:
            return None
        axes = (0.0, np.pi, -np.pi) if self.kind == "discrete" else (0.0,)
        for a in axes:
            if abs(arg - a) <= 1e-6 * width:
                return abs(a)
        return None

    def axis_min(self, t: float, exact: bool = False) -> tuple[float, float]:
        """(s, arg): the smaller sigma_min at the curve's real points, t and -t on a circle,
        t on a line; for a J with ``axis_slack`` that is s(t) (module docstring)."""
        args = np.array([0.0, np.pi] if self.kind == "discrete" else [0.0])
        z = self.point(t, args).real  # exactly real: real SVDs or solves
        with blas_threads(None if exact and self.S.n >= THREADED_N else 1):
            sig = self.sigma(z, exact=exact)
        i = int(np.argmin(sig))
        return float(sig[i]), float(args[i])

    def local_min(self, t: float, arg: float, width: float,
                  s_arg: float | None = None) -> tuple[float, float]:
        """Minimise sigma_min along the curve near ``arg`` (Brent, bounded); never worse
        than ``arg`` itself, whose sigma_min ``s_arg`` is computed unless given.

        For real A, sigma_min is even about the real axis (conj(zI - A) = conj(z) I - A), so
        a point on it is a critical point; if a step of 1e-3 ``width`` off the axis goes up,
        it is taken as the local minimum (2 SVDs, one real, instead of Brent's ~9).  Nothing
        rests on that: the level-set test that follows is global."""
        axis = self._axis(arg, width)
        if axis is not None:
            s0 = s_arg if s_arg is not None and arg == axis else float(
                self.sigma(self.point(t, axis))[0])
            if float(self.sigma(self.point(t, axis + 1e-3 * width))[0]) >= s0:
                return s0, axis
            arg, s_arg = axis, s0
        x, fx, _ = minimize_bounded(lambda a: float(self.sigma(self.point(t, a))[0]),
                                    arg - width, arg + width, 1e-6 * width)
        s0 = float(self.sigma(self.point(t, arg))[0]) if s_arg is None else s_arg
        return (fx, x) if fx < s0 else (s0, arg)

    def search(self, t: float, args, width: float | None = None) -> tuple[float, float]:
        """(s, arg): a local minimum of sigma_min along the curve at t, searched (half-width
        ``width``, default a quarter of :meth:`arg_width`) from the best of the positions
        ``args`` by coarse values; with ``axis_slack``, the minimum on the real axis, which
        is the curve's (module docstring).  Uncertified: it places nodes and starts tests."""
        if self.axis_slack is not None:
            return self.axis_min(t)
        args = np.array(sorted(set(np.atleast_1d(args).tolist())), dtype=float)
        s_arg = None
        if args.size > 1:
            sig = self.sigma(self.point(t, args), accurate=False)
            i = int(np.argmin(sig))
            # dense sigma_min is exact, so the start's value is reused
            args, s_arg = args[i:i + 1], float(sig[i]) if self.S.n <= DENSE_N else None
        g = float(args[0])
        return self.local_min(t, g, 0.25 * self.arg_width(g) if width is None else width, s_arg)

    def s_certified(self, t: float, hints: list[float], eta: float, start=None):
        """Return (s_est, arg_est, l) with sigma_min(point(t, arg_est)) = s_est and a proof
        (level-set test) that s(t) >= l = s_est (1 - eta); ``start``: a local minimum
        (s, arg) at t found already.  With ``axis_slack``: s_est by dense SVDs at the real
        points and l = s_est, no test (the slack is in :meth:`delta`, which the caller takes
        off every level; module docstring)."""
        if self.axis_slack is not None:  # the slack is taken off with the rounding (delta)
            s_est, arg = self.axis_min(t, exact=True)
            return s_est, arg, s_est
        args = self.sample_args()
        width = float(args[1] - args[0]) if args.size > 1 else 1.0
        # start: the nearest node's minimiser, else a global sampling (the level-set test
        # below is global either way)
        s_est, arg = start if start is not None else self.search(t, hints or args, width)
        for _ in range(20):
            level = s_est * (1 - eta)
            mids = self.arcs_midpoints(self.crossings(t, level))
            if mids.size == 0:
                return s_est, arg, level
            msig = self.sigma(self.point(t, mids), exact=True)
            i = int(np.argmin(msig))
            if msig[i] >= level:
                return s_est, arg, level
            span = width if self.kind == "continuous" else np.pi / 4
            s_est, arg = self.local_min(t, float(mids[i]), span, float(msig[i]))
        return s_est, arg, 0.0  # could not certify: the interval bounds become infinite

    def slope(self, t: float, arg: float, s: float) -> float:
        """d s / d t at a node, by a central difference at the minimiser ``arg`` (an estimate:
        by the envelope theorem the minimiser's move along the curve does not change it to
        first order).  The step is 1e-4 of w(t), the scale on which s varies near the
        stability boundary (a forward step of 1e-6 t was ~1e-3 off there for a 2 x 2 Jordan
        block at a = 0.999, enough to mislead the node placement); at t_lo a forward one."""
        if t > self.c0:
            h = 1e-4 * self.w(t)
            up, down = self.sigma(self.point(np.array([t + h, t - h]), arg))
            return float(up - down) / (2 * h)
        h = 1e-6 * max(abs(t), 1.0)
        return (float(self.sigma(self.point(t + h, arg))[0]) - s) / h

    # -- bounds ------------------------------------------------------------------------
    def w(self, t: float) -> float:
        return t - self.c0

    def delta(self, t: float) -> float:
        """What rounding may move a computed sigma_min(zI - A) by, for z at parameter t
        (|z| = t, resp. Re z = t, |Im z| <= ||A||), plus ``axis_slack`` where the levels
        come from the real axis: module docstring."""
        return ROUNDING * backward_error(self.S.n, self.S.norm, t) + (self.axis_slack or 0.0)

    def interval_bound(self, a, la, b, lb) -> tuple[float, float]:
        """An upper bound on phi over [a, b] from the certified s(a) >= la, s(b) >= lb, and
        where that bound peaks: the smaller of the two certificates (module docstring)."""
        return min(self._chord_bound(a, la, b, lb), self._log_chord_bound(a, la, b, lb))

    def node_bound(self, a, la, b, lb) -> float:
        """The bound on [a, b] without the chord's loss, max(w(a) / la, w(b) / lb) (b = inf:
        the tail bound): what no refinement of [a, b] can go below."""
        if b == math.inf:
            return self.tail_bound(a)
        return max(self.w(t) / lv if lv > 0 else math.inf for t, lv in ((a, la), (b, lb)))

    def _chord_bound(self, a, la, b, lb) -> tuple[float, float]:
        """max over [a, b] of w(t) / sqrt(t^2 + chord(t)), chord of m = l^2 - t^2."""
        ma, mb = la * la - a * a, lb * lb - b * b
        beta = (mb - ma) / (b - a)
        alpha = ma - beta * a
        tq = min(max(-beta / 2, a), b)
        if tq * tq + beta * tq + alpha <= 0:
            return math.inf, tq
        cand = [a, b]
        den = beta + 2 * self.c0
        if den != 0:
            tc = -(2 * alpha + self.c0 * beta) / den
            if a < tc < b:
                cand.append(tc)
        quad = [(t * t + beta * t + alpha, t) for t in cand]
        if min(q for q, _ in quad) <= 0:  # a level 0 (rounding ate it) at an end
            return math.inf, tq
        return max((self.w(t) / math.sqrt(q), t) for q, t in quad)

    def _log_chord_bound(self, a, la, b, lb) -> tuple[float, float]:
        """max over [a, b] of w(t) / exp(chord of log l) in the variable where log s is
        concave: log t for circles (s >= la (t / a)^p), t for lines (s >= la e^{q (t - a)})."""
        if la <= 0 or lb <= 0 or (self.kind == "discrete" and a <= 0):
            return math.inf, (a + b) / 2
        if self.kind == "discrete":
            p = math.log(lb / la) / math.log(b / a)

            def lower(t):
                return la * (t / a) ** p

            tc = p / (p - 1) if p > 1 else math.inf  # d/dt (t - 1) t^-p = 0
        else:
            q = math.log(lb / la) / (b - a)

            def lower(t):
                return la * math.exp(q * (t - a))

            tc = 1 / q if q > 0 else math.inf  # d/dt t e^{-q t} = 0
        cand = [a, b] + ([tc] if a < tc < b else [])
        return max((self.w(t) / lower(t), t) for t in cand)

    def tail_bound(self, t: float) -> float:
        """sup over t' >= t of w(t') ||R|| by ||R(z)|| <= 1 / (t' - b), b = ||A|| or omega."""
        b = self.tail_radius
        if t <= b:
            return math.inf
        return max(1.0, self.w(t) / (t - b))

    def arg_width(self, arg: float) -> float:
        """Half-width of the search for the minimiser along the curve near ``arg``."""
        if self.kind == "discrete":
            return np.pi / 8
        return 0.125 * (self.yhi - self.ylo)


def axis_slack(J: np.ndarray, blocks, norm: float) -> float | None:
    """2 ||J - J_s||_F for J_s the nearest matrix [[A, 0], [C, D]] with A and D Hermitian
    (if B does not pass as zero: [[A, B], [0, D]]), when J has that structure by the tags'
    rule (:mod:`.tags`; ``norm`` = ||J||_2), else None: sigma_min on the real axis then gives
    s within this slack (module docstring)."""
    n = J.shape[0]
    p = split_after(blocks, n)
    rtol = default_rtol(n)
    A, B, C, D = J[:p, :p], J[:p, p:], J[p:, :p], J[p:, p:]
    if not (is_hermitian(A, norm, rtol) and is_hermitian(D, norm, rtol)):
        return None
    # B first: where it passes, the Schur form from the blocks (:mod:`.schur`) drops it, so
    # the computed sigma_min are those of J without B, and J_s must not keep it either
    off = next((frobenius(M) for M in (B, C) if is_zero(M, norm, rtol)), None)
    if off is None:
        return None
    return 2 * math.hypot(off, frobenius(A - A.conj().T) / 2, frobenius(D - D.conj().T) / 2)


#: candidate splits that :func:`axis_split_candidates` returns (each costs an O(n^2) check)
MAX_SPLIT_CHECKS = 8


def axis_split_candidates(J: np.ndarray) -> list[int]:
    """The splits p (0 < p < n) of J = [[A, B], [C, D]] (A: p x p) that may have B or C zero
    and A, D Hermitian by the tags' rule, in increasing order, at most ``MAX_SPLIT_CHECKS``:
    every p where :func:`axis_slack` is not None is among them (if there are no more than
    that many).  O(n^2): every entry of a block is at most its Frobenius norm, so an entry
    above theta = 4 n eps ||J||_F (>= the tags' rtol ||J||_2) rules out the splits that put
    it in a block that must vanish, and an asymmetric pair |J_ij - conj(J_ji)| > 2 theta
    those that put it in A or D.  The caller checks them with :func:`axis_slack`."""
    n = J.shape[0]
    if n < 2:
        return []
    theta = default_rtol(n) * frobenius(J)
    i, j = np.nonzero(np.triu(np.abs(J - J.conj().T) > 2 * theta))  # i <= j
    lo = max(1, int(i.max()) + 1 if i.size else 1)  # D = J[p:, p:] holds no such pair
    hi = min(n - 1, int(j.min()) if j.size else n - 1)  # nor A = J[:p, :p]
    if lo > hi:
        return []
    big = np.abs(J) > theta
    free = ~_ruled_out(np.triu(big, 1)) | ~_ruled_out(np.tril(big, -1).T)  # B = 0 | C = 0
    return [p for p in range(lo, hi + 1) if free[p]][:MAX_SPLIT_CHECKS]


def _ruled_out(U: np.ndarray) -> np.ndarray:
    """For U strictly upper triangular (boolean, n x n): the splits p = 0 .. n that put some
    True entry U_ij (i < j) into the block J[:p, p:], i.e. i < p <= j."""
    n = U.shape[0]
    rows = np.flatnonzero(U.any(axis=1))
    last = n - 1 - np.argmax(U[rows, ::-1], axis=1)  # each row's last True column
    count = np.zeros(n + 2, dtype=np.int64)
    np.add.at(count, rows + 1, 1)
    np.add.at(count, last + 1, -1)
    return np.cumsum(count)[: n + 1] > 0


def witness_lower(A: np.ndarray, z: complex, w: float) -> float:
    """w ||v|| / ||(zI - A) v|| for v the computed smallest right singular vector, with Xv in
    extended precision and its rounding bound (module docstring): a certified lower bound on
    w ||(zI - A)^{-1}||."""
    n = A.shape[0]
    X = z * np.eye(n) - A
    v = np.linalg.svd(X)[2][-1].conj()
    ld = np.clongdouble
    vl = v.astype(ld)
    r = ld(z) * vl - A.astype(ld) @ vl
    eps = float(np.finfo(np.longdouble).eps)
    rn = float(np.sqrt(np.sum(np.abs(r) ** 2)))
    vn = float(np.sqrt(np.sum(np.abs(vl) ** 2)))
    av = np.abs(A) @ np.abs(v)
    err = (n + 2) * eps * (abs(z) * vn + float(np.linalg.norm(av))) * (1 + 1e-6)
    return w * vn * (1 - 4 * eps) / (rn + err)


__all__ = ["DENSE_N", "MAX_SPLIT_CHECKS", "ROUNDING", "WITNESS_MAX_N", "CurveProblem",
           "axis_slack", "axis_split_candidates", "witness_lower"]
