"""The window of a pseudospectral portrait: the part of the complex plane a figure shows.

A portrait is read against the stability boundary, so the window holds, besides the
eigenvalues, the unit circle (discrete time) or the origin of the imaginary axis
(continuous time), and every eps-pseudospectrum asked for: Lambda_eps(A) lies in the
numerical range W(A) widened by eps (Trefethen & Embree, *Spectra and Pseudospectra*,
2005, Thm 17.2), the box of :func:`~kreiss.linalg.pseudospectra.auto_region`.
"""

from __future__ import annotations

import numpy as np

from .pseudospectra import auto_region
from .schur import SchurForm
from .validate import check_kind


def portrait_window(S: SchurForm, kind: str = "discrete", points=(), eps_max: float = 0.0):
    """((xmin, xmax), (ymin, ymax)): a square window, 10% wider than the smallest square
    about its centre that holds the eigenvalues of ``S``, the unit circle (``kind``
    "discrete") or the origin ("continuous"), the complex ``points`` (e.g. a Kreiss
    maximiser) and the box holding Lambda_eps for every eps <= ``eps_max``."""
    check_kind(kind)
    rx, iy = auto_region(S, eps_max, 2)
    box = [complex(rx[0], iy[0]), complex(rx[-1], iy[-1])]
    stab = [1, -1, 1j, -1j] if kind == "discrete" else [0]
    pts = np.concatenate([S.eigenvalues, np.asarray(list(points) + box + stab, dtype=complex)])
    cx = (pts.real.min() + pts.real.max()) / 2
    cy = (pts.imag.min() + pts.imag.max()) / 2
    half = 0.55 * max(np.ptp(pts.real), np.ptp(pts.imag))
    return (cx - half, cx + half), (cy - half, cy + half)
