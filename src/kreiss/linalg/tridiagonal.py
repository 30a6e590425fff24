"""Top eigenpairs of many small symmetric tridiagonal matrices (the Lanczos matrices).

The Lanczos stopping test needs, for each shift, the two largest eigenvalues of its k x k
tridiagonal T_k and the last component of the top eigenvector.  LAPACK's ``syevd`` on the
stacked dense matrices costs O(k^3) each (97 ms for 650 matrices of order 43, more than the
triangular solves of a step).  Implicit QL with Wilkinson shifts (Bowdler, Martin, Reinsch
& Wilkinson, "The QR and QL algorithms for symmetric matrices", Numer. Math. 11, 1968)
applied to the last row of the eigenvector matrix only is O(k^2): each plane rotation
updates two entries of that row.
"""

from __future__ import annotations

import math

import numba
import numpy as np


@numba.njit(cache=True)
def _ql_last_row(d, e, z):  # pragma: no cover - compiled
    """In place: d <- eigenvalues of tridiag(d, e) (e[i] couples i, i+1; e[-1] unused),
    z <- z Q for the orthogonal Q of the eigenvectors (z = e_k^T gives their last row)."""
    n = d.size
    eps = 2.220446049250313e-16
    e[n - 1] = 0.0
    for l in range(n):
        for _ in range(60):
            m = l
            while m < n - 1:
                if abs(e[m]) <= eps * (abs(d[m]) + abs(d[m + 1])):
                    break
                m += 1
            if m == l:
                break
            g = (d[l + 1] - d[l]) / (2.0 * e[l])
            r = math.hypot(g, 1.0)
            g = d[m] - d[l] + e[l] / (g + (r if g >= 0 else -r))
            s = 1.0
            c = 1.0
            p = 0.0
            underflow = False
            for i in range(m - 1, l - 1, -1):
                f = s * e[i]
                b = c * e[i]
                r = math.hypot(f, g)
                e[i + 1] = r
                if r == 0.0:
                    d[i + 1] -= p
                    e[m] = 0.0
                    underflow = True
                    break
                s = f / r
                c = g / r
                g = d[i + 1] - p
                r = (d[i] - g) * s + 2.0 * c * b
                p = s * r
                d[i + 1] = g + p
                g = c * r - b
                f = z[i + 1]
                z[i + 1] = s * z[i] + c * f
                z[i] = c * z[i] - s * f
            if underflow:
                continue
            d[l] -= p
            e[l] = g
            e[m] = 0.0


@numba.njit(cache=True)
def top_ritz(alpha, beta, k, live):  # pragma: no cover - compiled
    """For each column j with live[j]: the largest and second largest eigenvalues of the
    k x k tridiagonal matrix with diagonal alpha[:k, j] and off-diagonal beta[:k-1, j], and
    the modulus of the last component of the top eigenvector (theta2 = theta1 when k = 1:
    no gap is known).  Columns not live get NaN."""
    m = alpha.shape[1]
    th1 = np.full(m, np.nan)
    th2 = np.full(m, np.nan)
    last = np.full(m, np.nan)
    d = np.empty(k)
    e = np.empty(k)
    z = np.empty(k)
    for j in range(m):
        if not live[j]:
            continue
        for i in range(k):
            d[i] = alpha[i, j]
            e[i] = beta[i, j] if i < k - 1 else 0.0
            z[i] = 0.0
        z[k - 1] = 1.0
        _ql_last_row(d, e, z)
        i1 = 0
        for i in range(1, k):
            if d[i] > d[i1]:
                i1 = i
        t2 = d[i1] if k == 1 else -np.inf
        for i in range(k):
            if i != i1 and d[i] > t2:
                t2 = d[i]
        th1[j] = d[i1]
        th2[j] = t2
        last[j] = abs(z[i1])
    return th1, th2, last
