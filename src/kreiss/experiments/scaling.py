"""The scaling law K(J) ~ ||C|| / (1 - gamma) measured on a sweep (docs/sweep.md).

The paper frames its results as K(J) ~ ||C|| / (1 - gamma) for its class; the least upper
bound over the class, (x + 1/x) / 2 with x = c / (2 (1 - gamma))
(:func:`kreiss.theory.sharp_kreiss_bound`), grows like c / (4 (1 - gamma)).  A sweep over
(n, gamma, c, seed) measures how K and sup_t ||J^t|| of actual instances grow: a least
squares fit of

    log y = a + b_c log c + b_g log(1 / (1 - gamma)) + b_n log n

over the cells out of the trivial regime (y >= ``floor``), per family, gives the exponents
(b_c, b_g, b_n) and their standard errors.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

__all__ = ["fit_law", "scaling_law"]


def fit_law(ds, y: str = "K", family: str | None = None, floor: float = 2.0) -> dict:
    """Exponents of ``y`` (a Dataset variable) in c, 1/(1 - gamma) and n (module docstring):
    {"b_c", "b_g", "b_n", their "*_se", "a", "cells", "r2"}; NaN when too few cells."""
    sel = ds.sel(family=family) if family is not None and "family" in ds.dims else ds
    Y = sel[y]
    c = np.broadcast_to(sel["c"].broadcast_like(Y).values, Y.shape)
    g = np.broadcast_to(sel["gamma"].broadcast_like(Y).values, Y.shape)
    n = np.broadcast_to(sel["n"].broadcast_like(Y).values, Y.shape)
    v = Y.values
    ok = np.isfinite(v) & (v >= floor) & (c > 0)
    out = {"cells": int(ok.sum())}
    if ok.sum() < 5:
        return {**out, **{k: math.nan for k in ("a", "b_c", "b_g", "b_n", "b_c_se", "b_g_se",
                                                 "b_n_se", "r2")}}
    X = np.column_stack([np.ones(ok.sum()), np.log(c[ok]), np.log(1 / (1 - g[ok])),
                         np.log(n[ok])])
    yy = np.log(v[ok])
    coef, *_ = np.linalg.lstsq(X, yy, rcond=None)
    resid = yy - X @ coef
    dof = max(1, X.shape[0] - X.shape[1])
    cov = (resid @ resid / dof) * np.linalg.pinv(X.T @ X)
    se = np.sqrt(np.diag(cov))
    r2 = 1 - resid @ resid / max(((yy - yy.mean()) ** 2).sum(), 1e-300)
    return {**out, "a": float(coef[0]), "b_c": float(coef[1]), "b_g": float(coef[2]),
            "b_n": float(coef[3]), "b_c_se": float(se[1]), "b_g_se": float(se[2]),
            "b_n_se": float(se[3]), "r2": float(r2)}


def scaling_law(path, out=None) -> dict:
    """Fits for K and sup_t ||J^t|| per family from ``path``/sweep.nc, and the figures
    ``scaling_K.png`` and ``scaling_sup.png`` (y against c / (1 - gamma), log-log, with the
    sharp class bound and Theorem 4(a) at the same (gamma, c)) written to ``out``
    (default: ``path``)."""
    import xarray as xr

    from ..linalg.plotting import new_axes
    from ..theory import sharp_kreiss_bound, theorem4a

    path = Path(path)
    out = Path(out) if out is not None else path
    ds = xr.open_dataset(path / "sweep.nc" if path.is_dir() else path)
    families = list(ds.family.values) if "family" in ds.dims else [None]
    fits = {}
    for y in ("K", "sup"):
        if y not in ds:
            continue
        ax = new_axes(None, figsize=(7, 5))
        for fam in families:
            sel = ds.sel(family=fam) if fam is not None else ds
            x = (sel["c"] / (1 - sel["gamma"])).broadcast_like(sel[y]).values.ravel()
            ax.loglog(x, sel[y].values.ravel(), "o", ms=3, alpha=0.6, label=f"{fam or y}")
            fits[f"{y}/{fam}"] = fit_law(ds, y, fam)
        gs, cs = ds["gamma"].values, ds["c"].values
        pts = sorted((c / (1 - g), sharp_kreiss_bound(g, c).value) for g in gs for c in cs
                     if c > 0)
        ax.loglog(*zip(*pts, strict=True), "k.", ms=4, label="sharp class bound (same gamma, c)")
        weak = [(c / (1 - g), theorem4a(g, c).value) for g in gs for c in cs
                if 0 < c <= (1 - g) ** 2]  # where its weak-coupling hypothesis holds
        if weak:
            ax.loglog(*zip(*sorted(weak), strict=True), "r.", ms=3,
                      label="Theorem 4(a), where c <= (1 - gamma)^2")
        law = [(fam or y, fits[f"{y}/{fam}"]) for fam in families]
        ax.set_title("fit: " + "; ".join(
            f"{name} c^{f['b_c']:.2f} (1-gamma)^-{f['b_g']:.2f} n^{f['b_n']:.2f}"
            for name, f in law), fontsize="small")
        ax.set_xlabel("c / (1 - gamma)")
        ax.set_ylabel("K(J)" if y == "K" else "sup_t ||J^t||")
        ax.legend(loc="upper left", fontsize="small")
        ax.figure.savefig(out / f"scaling_{y}.png", dpi=120, bbox_inches="tight")
    return fits
