"""Matplotlib drawing for the core's results (imported lazily by their ``.plot()``).

Uses the Agg backend when no backend was chosen, so figures work headless.
"""

from __future__ import annotations

import numpy as np


def new_axes(ax=None, figsize=(6, 5)):
    """Return ``ax`` or a fresh Axes on an Agg-safe figure."""
    import matplotlib

    if ax is not None:
        return ax
    if matplotlib.get_backend().lower() not in ("agg", "pdf", "svg", "ps", "cairo"):
        try:
            matplotlib.use("Agg")
        except Exception:  # pragma: no cover - backend already fixed by the user
            pass
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
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
