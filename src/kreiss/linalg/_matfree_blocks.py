"""The paper's block structure tested from products, and its probabilistic Kreiss bound.

For J = [[A, B], [C, D]] split after p, products with one block are products with J on
vectors supported on one part.  :func:`block_tags` tests B = 0 and the symmetry of A and D
on Gaussian probes; when they hold, :func:`class_upper_bound` evaluates the sharp class bound
K <= (x + 1/x)/2, x = c / (2(1 - gamma)) (docs/theory.md) with gamma >= rho(A), rho(D) and
c >= ||C|| bounded by Lanczos (Kuczynski & Wozniakowski, SIAM J. Matrix Anal. Appl. 13, 1992).
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError
from ._matfree_norms import adjoint_product, product
from .krylov import lanczos_top


class _Block:
    """Products with one block of a square operator split after p: rows ``r``, columns ``c``
    (each "x" = first p coordinates or "y" = the rest)."""

    def __init__(self, op, p, rows, cols):
        self.op, self.p, self.rows, self.cols = op, p, rows, cols
        self.n = op.shape[0]

    def _embed(self, v, part):
        out = np.zeros(self.n, dtype=np.result_type(v, np.float64))
        if part == "x":
            out[: self.p] = v
        else:
            out[self.p :] = v
        return out

    def _take(self, w, part):
        return w[: self.p] if part == "x" else w[self.p :]

    def matvec(self, v):
        return self._take(product(self.op, self._embed(v, self.cols)), self.rows)

    def rmatvec(self, u):
        return self._take(adjoint_product(self.op, self._embed(u, self.rows)), self.cols)

    @property
    def size(self):
        return self.p if self.cols == "x" else self.n - self.p


def block_tags(A, blocks, *, probes: int = 2, rtol: float = 1e-10, seed: int = 0) -> dict:
    """Whether J = [[A, B], [C, D]] (split after p) has B = 0 and symmetric A and D, tested
    on random probes: ||B v|| <= rtol ||J|| ||v|| and |u^T A v - v^T A u| <= rtol ...
    For a fixed nonzero B (asymmetric A) a Gaussian probe passes with probability 0 in exact
    arithmetic; the tolerance ``rtol`` (relative to the products' size) absorbs rounding.
    Returns {"block_triangular", "symmetric_A", "symmetric_D"} -> bool."""
    op = A
    n = op.shape[0]
    p, q = blocks
    if p + q != n or p <= 0 or q <= 0:
        raise InputError(f"blocks {tuple(blocks)} do not split an operator of order {n}")
    rng = np.random.default_rng(seed)
    Bl = _Block(op, p, "x", "y")
    Al, Dl = _Block(op, p, "x", "x"), _Block(op, p, "y", "y")
    tri = symA = symD = True
    for _ in range(probes):
        w = rng.standard_normal(n)
        Jw = product(op, w)
        scale = float(np.linalg.norm(Jw)) + float(np.linalg.norm(w))
        tri &= float(np.linalg.norm(Bl.matvec(w[p:]))) <= rtol * scale
        for blk, size, flag in ((Al, p, "A"), (Dl, q, "D")):
            u, v = rng.standard_normal(size), rng.standard_normal(size)
            Av, Au = blk.matvec(v), blk.matvec(u)
            bound = rtol * (np.linalg.norm(Av) * np.linalg.norm(u)
                            + np.linalg.norm(Au) * np.linalg.norm(v) + 1e-300)
            ok = abs(float(u @ Av) - float(v @ Au)) <= bound
            if flag == "A":
                symA &= ok
            else:
                symD &= ok
    return {"block_triangular": bool(tri), "symmetric_A": bool(symA), "symmetric_D": bool(symD)}


def class_upper_bound(op, blocks, rng, delta):
    """Sharp class bound with gamma >= rho(A), rho(D) and c >= ||C|| from Lanczos:
    (upper, failure probability, note)."""
    from .blocks import sharp_kreiss_constant_value

    tags = block_tags(op, blocks)
    if not all(tags.values()):
        missing = [k for k, v in tags.items() if not v]
        return math.inf, 0.0, "no upper bound: not in the paper's class (" + \
            ", ".join(missing) + " fails on random probes)"
    p, _ = blocks
    d = delta / 3
    ups, fail = [], 0.0
    for rows, cols in (("x", "x"), ("y", "y"), ("y", "x")):
        blk = _Block(op, p, rows, cols)
        lb = lanczos_top(lambda v, b=blk: b.rmatvec(b.matvec(v)), blk.size, rng, delta=d,
                         rtol=1e-6, kmax=400)
        ups.append(math.sqrt(lb.upper))
        fail += lb.failure
    gamma, c = max(ups[0], ups[1]), ups[2]
    if not gamma < 1:
        return math.inf, 0.0, (f"no upper bound: the probabilistic bound on gamma is "
                               f"{gamma:.6g} >= 1")
    value, _ = sharp_kreiss_constant_value(gamma, c)
    return value, fail, (f"K <= {value:.6g} with probability >= 1 - {fail:.1g} (sharp class "
                         f"bound, gamma <= {gamma:.6g}, ||C|| <= {c:.6g} by Lanczos)")


__all__ = ["block_tags", "class_upper_bound"]
