"""kreiss: transient amplification in coupled gradient descent.

Layers, each importing only those below it (the design notes live beside the repository in
``../shared/design.md``; the README's Layout section lists the modules)::

    cli / plot       `kreiss ...` commands and figures
    experiments      the paper's Tables 1-3 (``kreiss reproduce``), sweeps on Dask
    coupled          J from objectives (torch.func), LQ bilevel problem, simulation, GAN
    theory           the paper's statements as functions, the sharp bound, the audit
    linalg           pseudospectra, certified Kreiss constants, transients, radii, Lyapunov

The public names below are loaded lazily, so ``import kreiss`` stays light (no torch, no
cvxpy, no matplotlib until used).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    # numerical core
    "pseudospectra": "kreiss.linalg.pseudospectra",
    "kreiss_constant": "kreiss.linalg.kreiss_constant",
    "transient": "kreiss.linalg.transient",
    "pseudospectral_abscissa": "kreiss.linalg.radii",
    "pseudospectral_radius": "kreiss.linalg.radii",
    "numerical_range": "kreiss.linalg.radii",
    "numerical_abscissa": "kreiss.linalg.radii",
    "spectral_radius": "kreiss.linalg.radii",
    "spectral_abscissa": "kreiss.linalg.radii",
    "schur_form": "kreiss.linalg.schur",
    "lyapunov_bound": "kreiss.linalg.lyapunov",
    "stability": "kreiss.linalg.matfree",
    "analyze_operator": "kreiss.linalg.matfree",
    "load_matrix": "kreiss.io",
    # one call: the report of `kreiss analyze`
    "analyze": "kreiss.theory.analysis",
    "Analysis": "kreiss.theory.analysis",
    "KreissError": "kreiss.errors",
    "InputError": "kreiss.errors",
    "UnstableError": "kreiss.errors",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'kreiss' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
