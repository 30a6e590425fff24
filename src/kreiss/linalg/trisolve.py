"""Triangular solves with many diagonal shifts at once.

No LAPACK routine solves (T - z_k I) x_k = b_k for many shifts z_k; solving them one by
one with ``trsv`` is BLAS-2 bound.  Here the shifts share the off-diagonal work: recursive
back substitution (halve T; solve the bottom half; one GEMM over *all* shifts updates the
top half; solve the top half), so the off-diagonal blocks are BLAS-3 GEMMs with a fat
inner dimension, and only diagonal blocks of <= ``BLOCK`` rows are swept, by a compiled
(numba) kernel looping over rows and shifts.  Cost n^2 m / 2 multiply-adds for m shifts,
almost all of it in the GEMMs.

Two structures cut that further:

* a real (quasi-)triangular T (the real Schur form of a real A, 2 x 2 diagonal blocks for
  complex pairs): the GEMMs multiply a real matrix into the real and imaginary parts at
  once, half the flops of a complex GEMM;
* zero blocks: each GEMM covers only the rows of its block that hold non-zeros (for the
  Schur form [[T_D, C'], [0, T_A]] of a block-triangular J with normal diagonal blocks, only
  the C' block: half the work).

The sweep works on the float view of X (real and imaginary parts side by side) and
multiplies by precomputed reciprocal pivots, so its loops vectorise: ~6x faster than the
same kernel in complex arithmetic with divisions (48 rows, 650 shifts: 0.22 vs 1.3 ms).
Real entries go four at a time (32 rows of Grcar(400)'s real Schur factor, 1310 shifts:
0.26 vs 0.35 ms; eight at a time gained nothing more).
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

BLOCK = 32


@numba.njit(cache=True, nogil=True)
def _sweep(Tre, Tim, Z, D, Xf):  # pragma: no cover - compiled
    """In place: X[:, k] <- (T - z_k I)^{-1} X[:, k] for a quasi upper-triangular block
    T = Tre + i Tim.  Every complex array comes as its float view (real and imaginary parts
    side by side: X as Xf (nb, 2m), the shifts as Z (2m,), the pivots as D (nb, 2m)), so
    that all loops are plain float loops the compiler vectorises.

    Rows bottom-up.  A 1 x 1 pivot multiplies by D[i, k] = 1 / (T_ii - z_k); a 2 x 2
    diagonal block (real T: Tre[i, i-1] != 0) by its inverse, 1 / det in D[i - 1, k]
    (:func:`_pivots`), by Cramer's rule, forward stable for 2 x 2 (Higham, *Accuracy and
    Stability of Numerical Algorithms*, 2002, sec. 1.10.1).
    """
    nb, m2 = Xf.shape
    i = nb - 1
    while i >= 0:
        lo = i - 1 if i > 0 and Tre[i, i - 1] != 0 else i
        for r in range(lo, i + 1):
            j = i + 1
            while j < nb:
                if j + 4 <= nb and (Tim[r, j] == 0 and Tim[r, j + 1] == 0
                                    and Tim[r, j + 2] == 0 and Tim[r, j + 3] == 0):
                    # four real entries at once: a quarter of the loads and stores of row r
                    a0, a1, a2, a3 = Tre[r, j], Tre[r, j + 1], Tre[r, j + 2], Tre[r, j + 3]
                    if a0 != 0 or a1 != 0 or a2 != 0 or a3 != 0:
                        for k in range(m2):
                            Xf[r, k] -= (a0 * Xf[j, k] + a1 * Xf[j + 1, k]
                                         + a2 * Xf[j + 2, k] + a3 * Xf[j + 3, k])
                    j += 4
                    continue
                a, b = Tre[r, j], Tim[r, j]
                if b == 0:
                    if a != 0:
                        for k in range(m2):
                            Xf[r, k] -= a * Xf[j, k]
                else:
                    for k in range(0, m2, 2):
                        xr, xi = Xf[j, k], Xf[j, k + 1]
                        Xf[r, k] -= a * xr - b * xi
                        Xf[r, k + 1] -= a * xi + b * xr
                j += 1
        if lo == i:
            for k in range(0, m2, 2):
                xr, xi = Xf[i, k], Xf[i, k + 1]
                dr, di = D[i, k], D[i, k + 1]
                Xf[i, k] = xr * dr - xi * di
                Xf[i, k + 1] = xr * di + xi * dr
        else:
            b, c, tl, ti = Tre[lo, i], Tre[i, lo], Tre[lo, lo], Tre[i, i]
            for k in range(0, m2, 2):
                zr, zi = Z[k], Z[k + 1]
                x0r, x0i, x1r, x1i = Xf[lo, k], Xf[lo, k + 1], Xf[i, k], Xf[i, k + 1]
                # u0 = (T_ii - z) x0 - b x1,  u1 = (T_ll - z) x1 - c x0
                u0r = (ti - zr) * x0r + zi * x0i - b * x1r
                u0i = (ti - zr) * x0i - zi * x0r - b * x1i
                u1r = (tl - zr) * x1r + zi * x1i - c * x0r
                u1i = (tl - zr) * x1i - zi * x1r - c * x0i
                dr, di = D[lo, k], D[lo, k + 1]
                Xf[lo, k] = u0r * dr - u0i * di
                Xf[lo, k + 1] = u0r * di + u0i * dr
                Xf[i, k] = u1r * dr - u1i * di
                Xf[i, k + 1] = u1r * di + u1i * dr
        i = lo - 1


def _plan(T: np.ndarray, block: int, lo: int = 0, hi: int | None = None) -> list:
    """Recursive back substitution on rows lo:hi, bottom-up, as a list of steps:
    ("sweep", s, e): solve with the diagonal block T[s:e, s:e] (at most ``block`` rows);
    ("gemm", r0, r1, s, e): X[r0:r1] -= T[r0:r1, s:e] X[s:e].
    Halving keeps the GEMMs fat (inner dimension up to n/2, not ``block``); a split never
    cuts a 2 x 2 diagonal block, and each GEMM covers only the rows r0:r1 of its block that
    hold non-zeros (none: no step)."""
    hi = T.shape[0] if hi is None else hi
    if hi - lo <= block:
        return [("sweep", lo, hi)]
    mid = (lo + hi) // 2
    if T[mid, mid - 1] != 0:
        mid += 1
    steps = _plan(T, block, mid, hi)
    rows = np.nonzero(np.any(T[lo:mid, mid:hi] != 0, axis=1))[0]
    if rows.size:
        steps.append(("gemm", lo + int(rows[0]), lo + int(rows[-1]) + 1, mid, hi))
    return steps + _plan(T, block, lo, mid)


def _pivots(T: np.ndarray, z: np.ndarray, tiny: float) -> np.ndarray:
    """(n, m): 1 / (T_ii - z_k), and 1 / det(T[i:i+2, i:i+2] - z_k I) on the first row i of
    each 2 x 2 diagonal block.  A pivot (determinant) below ``tiny`` (``tiny**2``) in
    modulus is replaced by it: a shift on an eigenvalue gives sigma_min ~ eps ||A||."""
    d = np.diag(T)[:, None] - z[None, :]
    lead = np.nonzero(np.diag(T, -1))[0]
    if lead.size:
        d[lead] = d[lead] * d[lead + 1] - (T[lead, lead + 1] * T[lead + 1, lead])[:, None]
    small = np.full(d.shape[0], tiny)
    small[lead] = tiny * tiny
    bad = np.abs(d) < small[:, None]
    d[bad] = np.broadcast_to(small[:, None], d.shape)[bad]
    return 1.0 / d


@dataclass(frozen=True)
class Shifts:
    """A batch of shifts z with the reciprocal pivots 1 / (T_ii - z_k) of both solves."""

    z: np.ndarray
    dinv: np.ndarray  # (n, m): 1 / (T_ii - z_k)
    dinv_adjoint: np.ndarray  # the same for the flipped adjoint (P T^H P - conj(z))

    def take(self, keep) -> Shifts:
        return Shifts(self.z[keep], np.ascontiguousarray(self.dinv[:, keep]),
                      np.ascontiguousarray(self.dinv_adjoint[:, keep]))


class ShiftedTriangular:
    """The family z -> (T - zI) for a (quasi) upper-triangular T, with solves by it and its
    adjoint for many shifts at once.

    T is complex upper triangular, or real quasi upper triangular (a real Schur factor:
    1 x 1 and 2 x 2 diagonal blocks).  A shift on an eigenvalue is moved off it by
    eps * max|T_ii| (sigma_min then comes out ~ eps ||A|| instead of a division by zero).
    """

    def __init__(self, T: np.ndarray, block: int = BLOCK):
        real = not np.iscomplexobj(T) or not np.any(np.imag(T))
        # complex: triangular (anything below the diagonal is rounding noise of the Schur form)
        self.T = np.ascontiguousarray(np.real(T) if real else np.triu(T),
                                      dtype=float if real else complex)
        # (T - zI)^H y = b  <=>  (P T^H P - conj(z)) (P y) = P b,  P = reversal: upper again.
        TH = np.ascontiguousarray(self.T.conj().T[::-1, ::-1])
        self._parts = [(np.ascontiguousarray(M.real), np.ascontiguousarray(M.imag), M,
                        _plan(M, block)) for M in (self.T, TH)]
        self._lead = np.nonzero(np.diag(self.T, -1))[0]  # first rows of 2 x 2 blocks
        self._tiny = np.finfo(float).eps * max(1.0, float(np.max(np.abs(np.diag(self.T)))))

    @property
    def n(self) -> int:
        return self.T.shape[0]

    def shifts(self, z) -> Shifts:
        """Prepare the shifts ``z`` (1-D) for :meth:`solve` / :meth:`solve_adjoint`."""
        z = np.asarray(z, dtype=complex).ravel()
        dinv = _pivots(self.T, z, self._tiny)
        # the flipped adjoint's pivots are the same, conjugated and reversed; only a 2 x 2
        # block's determinant moves from its first row (l) to the flipped first row (n-2-l)
        adj = dinv[::-1].conj()
        lead = self._lead
        if lead.size:
            adj[self.n - 2 - lead] = dinv[lead].conj()
        return Shifts(z, dinv, np.ascontiguousarray(adj))

    def _solve(self, part, z, dinv, B):
        Tre, Tim, T, plan = self._parts[part]
        X = np.array(B, dtype=complex, order="C", copy=True)
        Xr = X.view(np.float64)  # (n, 2m): real and imaginary parts side by side
        zf, Df = np.ascontiguousarray(z).view(np.float64), dinv.view(np.float64)
        real = T.dtype == np.float64
        for step in plan:
            if step[0] == "sweep":
                _, s, e = step
                _sweep(Tre[s:e, s:e], Tim[s:e, s:e], zf, Df[s:e], Xr[s:e])
            else:
                _, r0, r1, s, e = step
                if real:
                    Xr[r0:r1] -= T[r0:r1, s:e] @ Xr[s:e]
                else:
                    X[r0:r1] -= T[r0:r1, s:e] @ X[s:e]
        return X

    def solve(self, s: Shifts, B):
        """X with (T - z_k I) X[:, k] = B[:, k] for each shift (B: (n, m), unchanged)."""
        return self._solve(0, s.z, s.dinv, B)

    def solve_adjoint(self, s: Shifts, B):
        """Y with (T - z_k I)^H Y[:, k] = B[:, k]."""
        return self._solve(1, np.conj(s.z), s.dinv_adjoint, B[::-1])[::-1]
