"""The Lanczos stopping test on many small symmetric tridiagonal matrices at once.

Each shift's Lanczos matrix T_k (diagonal alpha, off-diagonal beta, residual norm beta_k)
stops when its top Ritz value theta_1 is certified to relative accuracy ``tol``:
|lambda - theta_1| <= res and <= res^2 / (theta_1 - theta_2), res = beta_k |u_k| with u the
top eigenvector of T_k (Parlett, *The Symmetric Eigenvalue Problem*, 1998, ch. 11).

Nothing here diagonalises T_k (QL is O(k^2) per matrix, ``syevd`` O(k^3)); each step below
is O(k), from the LDL^T pivots d_i(x) of T_k - x I:

* theta_1 by Laguerre's method on p(x) = det(xI - T_k) from the right (a Gershgorin bound):
  for a polynomial with real roots it converges monotonically to the largest root, cubically
  (Wilkinson, *The Algebraic Eigenvalue Problem*, 1965, sec. 7.10; Parlett, ch. 3).  Right of
  every eigenvalue all pivots are negative, p'/p = sum_i d_i'/d_i, and -(p'/p)' from the
  differentiated pivot recurrence;
* u_k from a twisted factorization of T_k - theta_1 I (below), accurate to
  O(eps theta / gap): formulas built on theta_1(T_k) - theta_1(T_{k-1}) (such as
  u_k^2 = chi_{k-1} / chi_k' at theta_1) lose half the digits, and a one-sided recurrence
  fails when u is small at its starting end;
* the gap test needs no theta_2: res^2 / (theta_1 - theta_2) <= tol theta_1 iff T_k has one
  eigenvalue above mu = theta_1 - res^2 / (tol theta_1), i.e. k - 1 negative pivots of
  T_k - mu I (Sylvester's inertia; the count is backward stable, Demmel, *Applied Numerical
  Linear Algebra*, 1997, sec. 5.3.4).
"""

from __future__ import annotations

import math

import numba
import numpy as np

EPS = np.finfo(float).eps


@numba.njit(cache=True, nogil=True)
def _negative_pivots(a, b2, k, x, pivmin):  # pragma: no cover - compiled
    """Number of negative pivots of T_k - x I = number of eigenvalues of T_k below x."""
    d = a[0] - x
    neg = 0
    for i in range(k):
        if i:
            d = a[i] - x - b2[i - 1] / d
        if abs(d) < pivmin:
            d = -pivmin
        if d < 0:
            neg += 1
    return neg


@numba.njit(cache=True, nogil=True)
def _laguerre_top(a, b2, k, x, pivmin):  # pragma: no cover - compiled
    """The largest eigenvalue of T_k by Laguerre's method from an upper bound x."""
    for _ in range(100):
        d, d1, d2 = a[0] - x, -1.0, 0.0
        if not d < 0:
            return x
        g = d1 / d
        h = g * g
        ok = True
        for i in range(1, k):
            r = b2[i - 1] / d
            d1n = -1.0 + r * d1 / d
            d2 = r * (d2 - 2.0 * d1 * d1 / d) / d
            d1 = d1n
            d = a[i] - x - r
            if not d < 0:
                ok = False
                break
            t = d1 / d
            g += t
            h += t * t - d2 / d
        if not ok:  # x is no longer right of theta_1: it agrees with it to rounding
            return x
        step = k / (g + math.sqrt(max((k - 1) * (k * h - g * g), 0.0)))
        if step <= 2 * EPS * abs(x):
            return x - step
        x -= step
    return x


@numba.njit(cache=True, nogil=True)
def _last_component(a, b, b2, k, theta, pivmin):  # pragma: no cover - compiled
    """|u_k| of the unit eigenvector u of T_k (diagonal a, off-diagonal b, b2 = b^2) for its
    eigenvalue theta, from a twisted factorization (Dhillon & Parlett, "Orthogonal eigenvectors and
    relative gaps", SIAM J. Matrix Anal. Appl. 25, 2004, sec. 3): top-down pivots d+,
    bottom-up pivots d-, twist r where gamma_r = d+_r + d-_r - (a_r - theta) is smallest,
    then v_r = 1 and v spreads out by products of -b / pivot, with no cancellation."""
    dp = np.empty(k)
    dm = np.empty(k)
    d = a[0] - theta
    for i in range(k):
        if i:
            d = a[i] - theta - b2[i - 1] / d
        if abs(d) < pivmin:
            d = -pivmin
        dp[i] = d
    d = a[k - 1] - theta
    for i in range(k - 1, -1, -1):
        if i < k - 1:
            d = a[i] - theta - b2[i] / d
        if abs(d) < pivmin:
            d = -pivmin
        dm[i] = d
    r = 0
    best = np.inf
    for i in range(k):
        g = abs(dp[i] + dm[i] - (a[i] - theta))
        if g < best:
            best = g
            r = i
    ss = 1.0
    v = 1.0
    for i in range(r - 1, -1, -1):
        v = -b[i] * v / dp[i]
        ss += v * v
    v = 1.0
    for i in range(r + 1, k):
        v = -b[i - 1] * v / dm[i]
        ss += v * v
    return abs(v) / math.sqrt(ss)


@numba.njit(cache=True, nogil=True)
def lanczos_test(alpha, beta, k, live, tol, lowest):  # pragma: no cover - compiled
    """For each column j with live[j] (rows :k of alpha and beta: T_k and beta_k):
    theta[j] = the top eigenvalue of T_k, done[j] = certified to relative accuracy ``tol``
    (or an invariant subspace: beta_k <= 1e-14 theta).  Columns not live: NaN, False.

    theta = 1 / sigma^2 with sigma known only to ~``lowest`` absolutely (the rounding floor
    of :mod:`.sigma_min`): the relative accuracy asked of theta is at most
    4 lowest sqrt(theta), what rounding allows (else shifts near the floor never converge
    and fall back to a dense SVD each)."""
    m = alpha.shape[1]
    theta = np.full(m, np.nan)
    done = np.zeros(m, dtype=np.bool_)
    a = np.empty(k)
    b = np.empty(k)
    b2 = np.empty(k)
    for j in range(m):
        if not live[j]:
            continue
        scale = 0.0  # in units of the largest entry, beta^2 cannot overflow
        for i in range(k):
            scale = max(scale, abs(alpha[i, j]), abs(beta[i, j]))
        if scale == 0.0:
            theta[j] = 0.0
            done[j] = True
            continue
        hi = -np.inf
        for i in range(k):
            a[i] = alpha[i, j] / scale
            b[i] = abs(beta[i, j]) / scale if i < k - 1 else 0.0
            b2[i] = b[i] * b[i]
        for i in range(k):
            hi = max(hi, a[i] + b[i] + (b[i - 1] if i else 0.0))  # Gershgorin
        hi += 4 * EPS * k * max(abs(hi), 1.0)
        pivmin = EPS * EPS * max(1.0, hi * hi)
        th = _laguerre_top(a, b2, k, hi, pivmin)
        beta_k = abs(beta[k - 1, j]) / scale
        res = beta_k * _last_component(a, b, b2, k, th, pivmin)
        rtol = max(tol, 4.0 * lowest * np.sqrt(max(th * scale, 0.0)))
        ok = res <= rtol * th or beta_k <= 1e-14 * th
        if not ok and k > 1:
            mu = th - res * res / (rtol * th)
            ok = _negative_pivots(a, b2, k, mu, pivmin) == k - 1
        theta[j] = th * scale
        done[j] = ok
    return theta, done


@numba.njit(cache=True, nogil=True)
def three_term(wf, qf, pf, beta_prev, alpha, beta):  # pragma: no cover - compiled
    """One Lanczos step's vector work for all shifts, in place, in three passes over
    W = M Q (float views: real and imaginary parts side by side, columns = shifts):
    alpha = Re diag(Q^H W);  W -= Q diag(alpha) + Q_prev diag(beta_prev);
    beta = column norms of W;  W <- W diag(1 / beta)  (the next Q; beta = 0 leaves W).
    NumPy needs ~8 passes and as many temporaries for this (8.5 vs 1.5 ms at n = 400 with
    1310 shifts, against 23 ms for the two solves)."""
    n, m2 = wf.shape
    acc = np.zeros(m2)
    for i in range(n):
        for k in range(m2):
            acc[k] += qf[i, k] * wf[i, k]
    for k in range(0, m2, 2):
        a = acc[k] + acc[k + 1]
        alpha[k // 2] = a
        acc[k] = a
        acc[k + 1] = a
    bp = np.empty(m2)
    for k in range(m2):
        bp[k] = beta_prev[k // 2]
    ss = np.zeros(m2)
    for i in range(n):
        for k in range(m2):
            x = wf[i, k] - acc[k] * qf[i, k] - bp[k] * pf[i, k]
            wf[i, k] = x
            ss[k] += x * x
    for k in range(0, m2, 2):
        b = np.sqrt(ss[k] + ss[k + 1])
        beta[k // 2] = b
        ss[k] = 1.0 / b if b > 0 else 1.0
        ss[k + 1] = ss[k]
    for i in range(n):
        for k in range(m2):
            wf[i, k] *= ss[k]
