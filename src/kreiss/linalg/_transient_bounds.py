"""Pseudospectral lower bounds on the transient, from the resolvent norm at points z.

Continuous time (Trefethen & Embree, *Spectra and Pseudospectra*, 2005, Thm 15.4): a point
z with Re z > 0 where a ||(zI - A)^{-1}|| = K > 1 forces sup_{0 < s <= t} ||e^{sA}|| to grow
like e^{at} / (1 + (e^{at} - 1)/K); discrete time (Thm 16.4, EigTool's ``transient_bestlb``)
likewise with |z| = r > 1.  All resolvent norms come from one batched sigma_min on the Schur
factor; proofs in :func:`transient_lower_bound`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..jsonout import jsonable
from .schur import SchurForm, schur_form
from .sigma_min import sigma_min_triangular
from .threads import one_blas_thread
from .validate import check_kind


@dataclass(frozen=True)
class TransientLowerBound:
    """Pseudospectral lower bounds on the running maximum of the transient.

    ``bound[i] <= max_{0 < s <= t[i]} ||A^s||`` (or ``sup_{0 < s <= t[i]} ||e^{sA}||``),
    attained by the point ``z[i]`` of the candidates (NaN / 0 where no candidate gives a
    positive bound).
    """

    kind: str
    t: np.ndarray
    bound: np.ndarray
    z: np.ndarray

    def to_dict(self) -> dict:
        return jsonable(
            {
                "kind": self.kind,
                "t": self.t,
                "bound": self.bound,
                "z": self.z,
            }
        )

    def plot(self, ax=None):
        from .plotting import new_axes

        ax = new_axes(ax)
        ok = self.bound > 0
        ax.semilogy(self.t[ok], self.bound[ok], "--", label="pseudospectral lower bound")
        ax.set_xlabel("t")
        ax.legend(loc="best")
        return ax


def lower_bounds_at(S: SchurForm, t: np.ndarray, kind: str) -> np.ndarray:
    """:func:`transient_lower_bound` at the times t > 0 (NaN at t = 0)."""
    lb = np.full(t.size, np.nan)
    pos = t > 0
    if np.any(pos):
        lb[pos] = transient_lower_bound(S, t[pos], kind).bound
    return lb


def _default_candidates(S: SchurForm, kind: str, npts: int) -> np.ndarray:
    lam = S.eigenvalues
    scale = max(S.norm, 1e-300)
    if kind == "discrete":
        # |z| = r > 1: geometric in r - 1 from 1e-4 to 10 max(1, ||A||)
        radii = 1 + max(1.0, scale) * np.logspace(-4, 1, npts)
        top = lam[np.argsort(-np.abs(lam))[:8]]
        grid = np.linspace(-np.pi, np.pi, npts, endpoint=False)
        angles = np.concatenate([grid, np.angle(top)])
        if S.is_real:
            angles = np.abs(angles)
        angles = np.unique(np.round(angles, 12))
        return (radii[:, None] * np.exp(1j * angles)[None, :]).ravel()
    # Re z = a > 0: geometric from 1e-4 ||A|| to 10 ||A||; Im z across the spectrum
    a = scale * np.logspace(-4, 1, npts)
    ymin, ymax = float(lam.imag.min()), float(lam.imag.max())
    pad = 0.5 * scale
    right = lam.imag[np.argsort(-lam.real)[:8]]
    ys = np.concatenate([np.linspace(ymin - pad, ymax + pad, npts), right])
    if S.is_real:
        ys = np.abs(ys)
    ys = np.unique(np.round(ys, 12))
    return (a[:, None] + 1j * ys[None, :]).ravel()


@one_blas_thread
def transient_lower_bound(
    A, t, kind: str = "discrete", z=None, *, npts: int = 16
) -> TransientLowerBound:
    """Lower bounds on max_{0 < s <= t} ||A^s|| (or sup_{0 < s <= t} ||e^{sA}||) from the
    resolvent norm at points z, maximised over the candidates ``z``.

    Continuous time (Trefethen & Embree, 2005, Thm 15.4, eq. (15.11)): for a = Re z > 0 and
    K = a ||(zI - A)^{-1}||,  sup_{0 < s <= t} ||e^{sA}|| >= e^{at} / (1 + (e^{at} - 1)/K).
    Proof: (zI - A)^{-1} = int_0^t e^{-zs} e^{sA} ds + e^{-zt} e^{tA} (zI - A)^{-1}; take norms
    and solve for M = sup ||e^{sA}||.

    Discrete time (Trefethen & Embree, Thm 16.4, eq. (16.15); EigTool's ``transient_bestlb``):
    for |z| = r > 1 and R = ||(zI - A)^{-1}||, with c = (r - 1)(rR - 1),
    max_{0 < k <= t} ||A^k|| >= r^t / (1 + (r^t - 1)/c)   (when c > 0).
    Proof: (zI - A)^{-1} = sum_{k<t} A^k z^{-k-1} + A^t z^{-t} (zI - A)^{-1}; bound the k = 0
    term by 1/r and the others by M = max_{0<k<=t} ||A^k||, then solve for M.  With
    K = (r - 1) R, c = rK - (r - 1) >= K whenever K >= 1, so this is at least the bound
    r^t / (1 + (r^t - 1)/K).

    Both are c / (1 + (c - 1) q) with q = r^{-t} (e^{-at}), evaluated in that stable form.
    ``z`` defaults to a polar (discrete) or half-plane (continuous) grid of ``npts`` points
    per axis (radii x angles, resp. real parts x imaginary parts); all resolvent norms
    come from one batched :func:`sigma_min_triangular` call.
    """
    kind = check_kind(kind)
    S = A if isinstance(A, SchurForm) else schur_form(A)
    tt = np.atleast_1d(np.asarray(t, dtype=float))
    if np.any(~np.isfinite(tt)) or np.any(tt <= 0):
        raise InputError("t must hold finite times > 0 (the bounds concern 0 < s <= t)")
    if kind == "discrete" and np.any(tt != np.floor(tt)):
        # the bound grows with t but is proved for whole steps only: at t = 1.5 it exceeded
        # max_{k <= 1} ||A^k|| (4.64 > 4 for 4 N, N the 6 x 6 shift)
        raise InputError("discrete t must hold whole numbers of steps >= 1")
    if z is None:
        zz = _default_candidates(S, kind, npts)
    else:
        zz = np.atleast_1d(np.asarray(z, dtype=complex)).ravel()
    if kind == "discrete":
        zz = zz[np.abs(zz) > 1]
        g = np.abs(zz)
    else:
        zz = zz[zz.real > 0]
        g = zz.real
    bound = np.zeros(tt.size)
    best_z = np.full(tt.size, np.nan + 0j)
    if zz.size == 0:
        return TransientLowerBound(kind=kind, t=tt, bound=bound, z=best_z)
    sig = sigma_min_triangular(S.T, zz)
    with np.errstate(divide="ignore", over="ignore"):
        R = 1.0 / sig
        c = (g - 1) * (g * R - 1) if kind == "discrete" else g * R
        logg = np.log(g) if kind == "discrete" else g
    keep = c > 0
    zz, c, logg = zz[keep], c[keep], logg[keep]
    if zz.size == 0:
        return TransientLowerBound(kind=kind, t=tt, bound=bound, z=best_z)
    chunk = max(1, int(4e6 // zz.size))
    for s in range(0, tt.size, chunk):
        q = np.exp(-tt[s : s + chunk, None] * logg[None, :])
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            B = np.where(np.isinf(c), 1 / q, c / (1 + (c - 1) * q))
        j = np.argmax(B, axis=1)
        bound[s : s + chunk] = B[np.arange(j.size), j]
        best_z[s : s + chunk] = zz[j]
    return TransientLowerBound(kind=kind, t=tt, bound=bound, z=best_z)


__all__ = ["TransientLowerBound", "lower_bounds_at", "transient_lower_bound"]
