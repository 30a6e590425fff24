"""The certified peak sup_t ||A^t||_2 by branch and bound over t, with powers by squaring.

Walking t = 1, 2, 3, ... costs one product per step, and the horizon grows like
1/(1 - rho(A)): millions of steps as rho -> 1.  This module needs O(log T) products plus a
refinement near the peak.  Everything runs on the triangular Schur factor T (||A^t|| = ||T^t||).

**Tail.** Q_k = T^(2^k) by repeated squaring until ||Q_K|| < 1 (its rounding included).  Then
every t >= t0 = 2^K is t0 + s with ||T^t|| <= ||Q_K|| ||T^s|| < ||T^s||, so by induction the
supremum over all t >= 0 is the maximum over 0 <= t < t0.

**A bound on a whole interval.** A node is {a, a + p, ..., a + p (l - 1)} with step p = 1
or 2 (2 when eigenvalues near -rho matter: then U = T^2 has them near +rho^2).  With
U = T^p, P = T^a and Dk = P (U - I)^k, Newton's forward-difference formula with remainder
(the weights sum to C(s, m) by the hockey-stick identity; tested) gives, for 0 <= s < l,

    T^(a+ps) = P + s D1 + sum_{k=2}^{m-1} C(s, k) Dk + sum_{j=0}^{s-m} C(s-1-j, m-1) Dm U^j,

so ||T^(a+ps)|| <= max(||P||, ||P + (l-1) D1||) + sum_{k=2}^{m-1} C(l-1, k) ||Dk||
+ C(l-1, m) ||Dm|| max_{j <= l-1-m} ||T^(pj)||.  The first term is the norm of a matrix
affine in s, a convex function of s, so its maximum over [0, l-1] sits at an end.  Near the
peak the differences Dk are small (the curve is flat there; for the Jordan block
||Dk|| ~ (1-a)^k ||P||), which is what makes long intervals prunable; a plain
submultiplicative bound ||P|| ||T^s|| is not (||T^s|| > 1 for the small s that matter).
Order m = ``ORDER``: a node of length l ~ d^0.4 / (1-a)^0.4 suffices at distance d from the
peak of the Jordan block, O(T^0.6 (1 - a)^0.4) nodes in all.

**Certificate.** Nodes are dyadic in s, a = r + p s0 with s0 a multiple of 2^k >= 2^k, so
the p j <= p (l - 1 - m) of the remainder all lie before a.  Let M(m) = max(1, x of the
nodes that start before m), where a node's x = main + rem * M(p (l - 1 - m) + 1) is its
bound.  Then ||T^t|| <= M(m) for every t < m, by induction over the nodes in order of t.
Best-first branch and bound on x, splitting the node with the largest x, until the largest
x is within ``tol`` of the largest computed norm (``sup``, the exact norm of a power,
attained at ``argmax``): the same idea as the Kreiss certificate's bound over r (Mitchell
2021).

**Rounding.** The expansion is applied to the *computed* power P^ = T^a + E_P, exactly:
T^(a+ps) = P^ U^s - E_P U^s, so ||T^(a+ps)|| <= ||P^ U^s|| + ||E_P|| M(ps + 1), and P^'s
error enters once instead of being multiplied by C(l-1, k).  The differences P^ (U - I)^k
are then computed with only their own product's rounding, bounded componentwise by
n u || |P^| |(U - I)^k| || (Higham, *Accuracy and Stability of Numerical Algorithms*, 2002,
sec. 3.5; one real product of absolute values more).  ||E_P|| is a first-order estimate,
the smaller of two: componentwise, |E_P| <= (m n u) |T|^a for a product tree of m
multiplications (|T|^a is carried beside T^a); and normwise, each product's local error
delta (||delta|| <= n u ||X|| ||Y||) reaches T^a as T^i delta T^j, of norm at most M^2
||delta||, M the largest norm of a power (the largest found is used).  The first is small
when |T| has no more transient than T (a Jordan block, the paper's class in its block Schur
basis), the second when M is small.  The tail is re-checked with the final M.  Norms of
n > 64 matrices come from Lanczos converged to 1e-13 relative (:mod:`.norms`); 1e-13 is
added to each norm that enters an upper bound.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np
from scipy.linalg import blas

from .norms import Norm2
from .schur import SchurForm

#: relative accuracy of the computed 2-norms (Lanczos' stopping test; SVD is better)
NORM_RTOL = 1e-13
#: order m of the forward-difference expansion on a node
ORDER = 4
#: matrices kept in the branch-and-bound's nodes at most this many bytes; beyond, a node's
#: power is recomputed from the squares when it is split
NODE_BYTES = 1 << 30
#: squaring stops here (t0 = 2^62) if ||T^(2^k)|| never falls below 1
MAX_LEVEL = 62


@dataclass(frozen=True)
class Peak:
    """What :func:`power_peak` found: the exact norms it computed (``t``, ``norms``), the
    largest (``sup`` at ``argmax``), the certified ``sup_upper`` over [0, ``end``), whether
    the tail t >= ``end`` is certified below it (``tail``), and the work done."""

    t: np.ndarray
    norms: np.ndarray
    sup: float
    argmax: int
    sup_upper: float
    end: int
    tail: bool
    products: int
    nodes: int
    step: int
    rounding: float
    message: str


class _Samples(dict):
    """t -> the computed ||T^t||, with the largest kept as ``peak`` (read at every bound)."""

    def __init__(self, items=()):
        super().__init__(items)
        self.peak = max(self.values(), default=0.0)

    def __setitem__(self, t, value):
        super().__setitem__(t, value)
        if value > self.peak:
            self.peak = value


def _abs_norms(X: np.ndarray, k: int = 1) -> np.ndarray:
    """For the k blocks of columns of X = [X_1, ..., X_k], rigorous, cheap upper bounds on
    ||X_i||_2: min(||X_i||_F, sqrt(||X_i||_1 ||X_i||_inf)); inf where they overflow."""
    n = X.shape[0]
    a = np.abs(X).reshape(n, k, X.shape[1] // k)
    with np.errstate(over="ignore", invalid="ignore"):
        fro = np.sqrt(np.einsum("ikj,ikj->k", a, a))
        mixed = np.sqrt(a.sum(axis=0).max(axis=1) * a.sum(axis=2).max(axis=0))
    v = np.minimum(fro, mixed)
    return np.where(np.isfinite(v), v, np.inf)


def _abs_norm(X: np.ndarray) -> float:
    return float(_abs_norms(X)[0])


def _step(S: SchurForm) -> int:
    """p = 1 or 2, whichever makes |lambda^p - 1| / p smallest over the eigenvalues that
    still count at the peak's time scale 1 / (1 - rho) (weight |lambda|^(1 / (1 - rho)))."""
    lam = S.eigenvalues
    rho = float(np.max(np.abs(lam))) if lam.size else 0.0
    if not 0 < rho < 1:
        return 1
    with np.errstate(under="ignore"):
        w = np.abs(lam) ** min(1 / (1 - rho), 1e6)
    score = [float(np.max(w * np.abs(lam**p - 1))) / p for p in (1, 2)]
    return 1 if score[0] <= score[1] else 2


@dataclass
class _Power:
    """A computed power T^t with what its rounding estimate needs: ``absT`` = |T|^t carried
    beside it (an upper bound on |fl(...)| up to first order), ``ops`` the multiplications of
    its product tree, ``delta`` the sum of their local error bounds n u ||X|| ||Y||."""

    t: int
    X: np.ndarray | None
    absT: np.ndarray | None
    norm: float
    abs_norm: float
    ops: int
    delta: float

    def error(self, u: float, M: float) -> float:
        """First-order estimate of ||fl(T^t) - T^t||_2 (module docstring)."""
        return min(self.ops * u * self.abs_norm, M * M * self.delta)

    def dropped(self) -> _Power:
        return _Power(self.t, None, None, self.norm, self.abs_norm, self.ops, self.delta)


class _Powers:
    """T, its dyadic powers Q_k = T^(2^k) by squaring, products of powers, and the blocks
    E = [(U - I), ..., (U - I)^m] (U = T^p) and [Q_k, Q_k E] that give a node's differences
    [D1, ..., Dm] = P E, and its right half's [P Q_k, P Q_k E], in one product each."""

    def __init__(self, S: SchurForm, p: int):
        self.n = n = S.n
        self.p = p
        self.u = n * np.finfo(float).eps
        self.norm2 = Norm2(n)
        self.products = 0
        # real arithmetic (4x cheaper) when A has a real *triangular* Schur form
        real = S.T_real is not None and not np.any(np.tril(S.T_real, -1))
        T = np.asfortranarray(S.T_real if real else S.T)
        self.trmm = blas.dtrmm if real else blas.ztrmm
        absT = np.asfortranarray(np.abs(T))
        self.Q = [_Power(1, T, absT, self.norm2(T), _abs_norm(absT), 0, 0.0)]
        if p == 2:
            self.square()
        F = np.asfortranarray(self.Q[-1].X - np.eye(n))
        blocks = [F]
        for _ in range(ORDER - 1):
            blocks.append(self.trmm(1.0, F, blocks[-1]))
        self.E = np.asfortranarray(np.hstack(blocks))
        self.E_abs = np.asfortranarray(np.abs(self.E))

    def norm(self, X: np.ndarray) -> float:
        """||X||_2; inf when X has overflowed."""
        return self.norm2(X) if np.all(np.isfinite(X)) else math.inf

    def mul(self, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """X @ Y for an upper-triangular X (BLAS trmm: one product per n columns of Y)."""
        self.products += Y.shape[1] // self.n
        return self.trmm(1.0, X, Y)

    def times(self, P: _Power, Q: _Power, XY: np.ndarray | None = None) -> _Power:
        """The power P Q (``XY``: its matrix, if computed already)."""
        if XY is None:
            XY = self.mul(P.X, Q.X)
        absT = np.asfortranarray(blas.dtrmm(1.0, P.absT, Q.absT))
        return _Power(P.t + Q.t, np.asfortranarray(XY), absT, self.norm(XY), _abs_norm(absT),
                      P.ops + Q.ops + 1, P.delta + Q.delta + self.u * P.norm * Q.norm)

    def square(self) -> _Power:
        Q = self.times(self.Q[-1], self.Q[-1])
        self.Q.append(Q)
        return Q

    def level(self, k: int) -> _Power:
        """U^(2^k) = T^(p 2^k)."""
        return self.Q[k + self.p - 1]

    def power(self, a: int) -> _Power:
        """T^a as a product of dyadic powers (a >= 1)."""
        P, k = None, 0
        while a:
            if a & 1:
                P = self.Q[k] if P is None else self.times(P, self.Q[k])
            a >>= 1
            k += 1
        return P


@dataclass
class _Node:
    """The times a, a + p, ..., a + p (length - 1): a dyadic block of 2^level steps of p,
    clipped to the domain."""

    P: _Power
    level: int
    D: np.ndarray | None = None  # [D1, ..., Dm], Dk = fl(P^ (U - I)^k)
    dlocal: np.ndarray | None = None  # bounds on the rounding of each Dk's product
    dnorm: np.ndarray | None = None  # upper bounds on ||P^ (U - I)^k||, k = 2..m
    length: int = 0
    main: float = math.inf
    rem: float = 0.0  # x = main + rem * M(p (length - 1 - m) + 1) + errP * M(p (length - 1) + 1)
    errP: float = 0.0  # the estimate of ||fl(T^a) - T^a||
    x: float = math.inf
    err: float = 0.0  # the rounding estimates in x: below them, splitting cannot help
    version: int = 0  # heap entries of an older version are stale


def power_peak(S: SchurForm, horizon: int | None = None, *, tol: float = 1e-12,
               maxiter: int = 100_000, step: int | None = None) -> Peak:
    """The certified maximum of ||A^t||_2 over 0 <= t <= ``horizon`` (None: over all t >= 0,
    which needs rho(A) < 1) by branch and bound over t; see the module docstring.

    Returns the largest exact norm found (``sup``, at ``argmax``) and an upper bound
    ``sup_upper`` within ``tol`` (relative) of it (or the bound reached when ``maxiter``
    matrix products, counted in ``products``, ran out, or when rounding errors are larger
    than ``tol``).  ``step``: p (default: by
    :func:`_step`).
    """
    p = _step(S) if step is None else int(step)
    W = _Powers(S, p)
    n, u, m = S.n, W.u, ORDER
    samples = _Samples({0: 1.0, 1: W.Q[0].norm})
    if p == 2:
        samples[2] = W.Q[1].norm

    def peak() -> float:
        return samples.peak

    def error(P: _Power) -> float:
        return P.error(u, max(1.0, peak()))

    def upper(P: _Power) -> float:
        return P.norm * (1 + NORM_RTOL) + error(P)

    # the squares: up to the horizon, or until ||T^(2^K)|| < 1 with its rounding
    tail = False  # found a square below 1
    if horizon is not None:
        end = horizon + 1
        while 2 * W.Q[-1].t <= horizon and math.isfinite(W.Q[-1].norm):
            samples[2 * W.Q[-1].t] = W.square().norm
    else:
        while math.isfinite(W.Q[-1].norm) and len(W.Q) <= MAX_LEVEL:
            if upper(W.Q[-1]) < 1:
                tail = True
                break
            if W.products >= maxiter:
                break
            samples[2 * W.Q[-1].t] = W.square().norm
        # ||T^(2^K)|| < 1: the domain is [0, 2^K); else [0, 2^(K+1)) from the squares there are
        end = W.Q[-1].t if tail else 2 * W.Q[-1].t
    if not math.isfinite(W.Q[-1].norm):
        return _result(samples, math.inf, end=W.Q[-1].t, tail=False, W=W, nodes=0,
                       rounding=math.inf,
                       message=f"||A^t|| overflows the floating-point range by t = {W.Q[-1].t}")
    samples = _Samples((t, v) for t, v in samples.items() if t < end)

    keep = max(1, NODE_BYTES // ((m + 3) * 16 * n * n))  # P, |P| and D per stored node
    part: dict[int, _Node] = {}  # the partition of [p, end) into nodes, by first t
    cache: dict[int, float] = {}  # M(mt), dropped when a node starting before mt changes

    def prefix(mt: int) -> float:
        """M(mt): the certified bound on ||T^t|| for all t < mt."""
        if mt not in cache:
            first = max([1.0] + [samples[t] for t in range(min(mt, p))])
            cache[mt] = max([first] + [c.x for a, c in part.items() if a < mt])
        return cache[mt]

    def changed(t: int):
        for mt in [mt for mt in cache if mt > t]:
            del cache[mt]

    def bound(node: _Node) -> float:
        x = node.main + node.errP * prefix(p * (node.length - 1) + 1)
        if node.rem:
            x += node.rem * prefix(p * (node.length - 1 - m) + 1)
        return min(node.x, x)

    def evaluate(node: _Node, x_parent: float = math.inf) -> _Node:
        P = node.P
        node.length = ell = min(1 << node.level, -(-(end - P.t) // p))
        node.main = P.norm * (1 + NORM_RTOL)
        node.err = node.errP
        node.rem = 0.0
        if ell >= 2:
            xn = W.norm(P.X + (ell - 1) * node.D[:, :n])
            if ell == 2:  # P + D1 = T^(a+p): an exact norm
                samples[P.t + p] = xn
            local = (ell - 1) * float(node.dlocal[0])
            node.err += local
            node.main = max(node.main, xn * (1 + NORM_RTOL) + local)
            node.main += sum(math.comb(ell - 1, k) * float(node.dnorm[k - 2])
                             for k in range(2, m))
            node.rem = math.comb(ell - 1, m) * float(node.dnorm[m - 2])
        node.x = x_parent
        node.x = bound(node)
        part[P.t] = node
        changed(P.t)
        return node

    def make(P: _Power, level: int, x_parent=math.inf) -> _Node:
        """The node starting at P^ = fl(T^a)."""
        samples[P.t] = P.norm
        D = W.mul(P.X, W.E)
        absD = blas.dtrmm(1.0, np.abs(P.X), W.E_abs)
        dlocal = u * _abs_norms(absD, m)
        dnorm = (_abs_norms(D, m) + dlocal)[1:]
        node = _Node(P, level, np.asfortranarray(D), dlocal, dnorm, errP=error(P))
        return evaluate(node, x_parent)

    heap: list = []

    def push(node: _Node):
        if len(heap) >= keep:  # drop the matrices; recomputed from the squares if split
            node.P, node.D = node.P.dropped(), None
        node.version += 1
        heapq.heappush(heap, (-node.x, node.P.t, node.version, node))

    def split(node: _Node):
        """Halve a node: the left half keeps T^a, the right one costs one product."""
        nonlocal nodes
        if node.P.X is None:  # dropped for memory: recompute (another product tree)
            node = make(W.power(node.P.t), node.level, node.x)
        k = node.level - 1
        if node.P.t + p * (1 << k) < end:
            push(make(W.times(node.P, W.level(k)), k, node.x))
            nodes += 1
        node.level = k
        push(evaluate(node, node.x))
        nodes += 1

    nodes = 0
    for k in range(len(W.Q) - p + 1):  # the roots: s in [2^k, 2^(k+1)) for t = r + p s
        for r in range(p):
            U = W.level(k)
            if r + U.t < end:
                push(make(U if r == 0 else W.times(W.Q[0], U), k))
                nodes += 1
    stopped = False
    while heap and -heap[0][0] > peak() * (1 + tol):
        key, _, version, node = heapq.heappop(heap)
        if version != node.version:
            continue  # split or re-queued since
        x = bound(node)
        if x < node.x:  # the prefix bound has improved since: re-queue
            node.x = x
            changed(node.P.t)
            push(node)
            continue
        if node.length <= 2 or node.x <= peak() * (1 + tol) + 2 * node.err:
            continue  # exact norms, or within rounding of the peak: splitting cannot help
        if W.products >= maxiter:
            push(node)
            stopped = True
            break
        split(node)
    # the final bounds, in order of t: each uses the prefix before it
    for a in sorted(part):
        part[a].x = bound(part[a])
        changed(a)
    sup_upper = max([1.0, peak()] + [node.x for node in part.values()])
    Q = W.Q[-1]
    if horizon is not None:  # a square within the horizon below 1 certifies all t >= 0
        Q = next((Q for Q in W.Q if upper(Q) < 1), Q)
    tail = upper(Q) < 1  # re-checked with the final peak, which enters the rounding
    rounding = error(Q)
    gap = sup_upper / peak() - 1
    if stopped:
        msg = f"stopped at {W.products} products (maxiter), relative gap {gap:.2g}"
    elif gap > tol:
        msg = f"rounding limits the bracket to a relative gap of {gap:.2g}"
    else:
        msg = f"certified to a relative gap of {gap:.2g}"
    if tail:
        msg += f"; sup over all t >= 0: ||A^{Q.t}|| < 1"
    elif horizon is not None:
        msg += "; sup over [0, horizon] only: no square A^(2^k) within it has a norm < 1"
    else:
        msg += (f"; not certified beyond t = {end - 1}: no power up to 2^{len(W.Q) - 1} has "
                f"a norm below 1 with its rounding estimate ({rounding:.2g})")
    return _result(samples, sup_upper, end=end, tail=tail, W=W, nodes=nodes,
                   rounding=rounding, message=msg)


def _result(samples, sup_upper, *, end, tail, W, nodes, rounding, message) -> Peak:
    ts = np.array(sorted(samples), dtype=np.int64)
    norms = np.array([samples[t] for t in ts])
    i = int(np.argmax(norms))
    return Peak(t=ts, norms=norms, sup=float(norms[i]), argmax=int(ts[i]),
                sup_upper=float(sup_upper), end=int(end), tail=tail, products=W.products,
                nodes=nodes, step=W.p, rounding=float(rounding), message=message)
