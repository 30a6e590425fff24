"""Matplotlib for every figure of kreiss (imported lazily by the ``.plot()`` methods and
the report writers): :func:`pyplot` and :func:`new_axes` are the one way a figure is made.

Backend: one the user chose -- ``matplotlib.use``, ``MPLBACKEND``, a matplotlibrc, or pyplot
already in use -- is kept (a notebook's inline backend, a GUI); when none was chosen, Agg,
so that figures are written headless and nothing opens a window.
"""

from __future__ import annotations

import numpy as np


def pyplot():
    """``matplotlib.pyplot``, on the Agg backend unless a backend was chosen (module doc)."""
    import matplotlib

    if matplotlib.rcParams._get_backend_or_none() is None:  # None: nothing chosen yet
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def new_axes(ax=None, figsize=(6, 5)):
    """``ax`` itself, or the Axes of a new ``figsize`` (inches) figure made by :func:`pyplot`."""
    if ax is not None:
        return ax
    _, ax = pyplot().subplots(figsize=figsize)
    return ax


def pseudospectra_axes(res, levels, ax=None, unit_circle=False, imaginary_axis=False,
                       mark=None, title=None):
    """Contours of log10 sigma_min at ``levels`` (the boundaries of Lambda_eps), eigenvalues."""
    ax = new_axes(ax)
    logs = np.log10(np.maximum(res.sigma_min, 1e-300))
    lv = np.log10(levels)
    cs = ax.contour(res.real, res.imag, logs, levels=lv, cmap="viridis_r", linewidths=1.2)
    ax.clabel(cs, fmt=lambda v: f"1e{v:.0f}" if float(v).is_integer() else f"{10**v:.2g}",
              fontsize=7)
    ev = res.eigenvalues
    ax.plot(ev.real, ev.imag, "k.", ms=4, label="eigenvalues")
    if unit_circle:
        th = np.linspace(0, 2 * np.pi, 400)
        ax.plot(np.cos(th), np.sin(th), "r--", lw=0.8, label="|z| = 1")
    if imaginary_axis:
        ax.axvline(0.0, color="r", ls="--", lw=0.8, label="Re z = 0")
    if mark is not None and np.isfinite(mark):
        ax.plot([mark.real], [mark.imag], "rx", ms=8, label="Kreiss maximiser")
    ax.set_xlim(res.real[0], res.real[-1])
    ax.set_ylim(res.imag[0], res.imag[-1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("Re z")
    ax.set_ylabel("Im z")
    ax.set_title(title or "pseudospectra: sigma_min(zI - A) = eps")
    ax.legend(loc="upper right", fontsize=7)
    return ax
