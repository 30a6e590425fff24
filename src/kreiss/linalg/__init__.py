"""Numerical core on ndarrays (and, matrix-free, on LinearOperators): Schur-based resolvent
norms, pseudospectra, Kreiss constants, transients, pseudospectral radii/abscissae, the
numerical range, Lyapunov bounds, and the block structure of J = [[A, B], [C, D]].

Knows nothing of gradient descent, the paper, or torch.  The functions are re-exported here
(as scipy.linalg does from its private modules), so ``from kreiss.linalg import
kreiss_constant`` is the function, not its module; each is listed with the module that
describes its algorithm in docs/api.md.  Heavy dependencies (scipy.sparse, scipy.optimize,
numba, cvxpy) are imported only by the paths that use them: the matrix-free names (ARPACK
and Lanczos through scipy.sparse.linalg) are loaded on first use.
"""

from __future__ import annotations

import importlib

from .kreiss_constant import KreissResult, kreiss_constant
from .lyapunov import LyapunovResult, lyapunov_bound
from .peak import Peak, power_peak
from .pseudospectra import PseudospectraResult, pseudospectra
from .radii import (
    NumericalRange,
    PseudospectralResult,
    numerical_abscissa,
    numerical_radius,
    numerical_range,
    pseudospectral_abscissa,
    pseudospectral_radius,
    spectral_abscissa,
    spectral_radius,
)
from .schur import SchurForm, schur_form
from .structure import BlockStructure, block_structure
from .threads import set_threads
from .transient import TransientLowerBound, TransientResult, transient, transient_lower_bound

#: the matrix-free names, imported from :mod:`.matfree` on first use
_MATFREE = (
    "MatrixFreeAnalysis", "StabilityResult", "analyze_operator", "block_tags",
    "kreiss_krylov", "pseudospectra_krylov", "pseudospectral_krylov", "stability",
    "transient_krylov",
)


def __getattr__(name: str):
    if name not in _MATFREE:
        raise AttributeError(f"module 'kreiss.linalg' has no attribute {name!r}")
    value = getattr(importlib.import_module(".matfree", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "BlockStructure", "KreissResult", "LyapunovResult", "MatrixFreeAnalysis",
    "NumericalRange", "Peak", "PseudospectraResult", "PseudospectralResult", "SchurForm",
    "StabilityResult", "TransientLowerBound", "TransientResult", "analyze_operator",
    "block_structure", "block_tags", "kreiss_constant", "kreiss_krylov", "lyapunov_bound",
    "numerical_abscissa", "numerical_radius", "numerical_range", "power_peak",
    "pseudospectra", "pseudospectra_krylov", "pseudospectral_abscissa",
    "pseudospectral_krylov", "pseudospectral_radius", "schur_form", "set_threads",
    "spectral_abscissa", "spectral_radius", "stability", "transient", "transient_krylov",
    "transient_lower_bound",
]
