"""Numerical core on ndarrays (and, matrix-free, on LinearOperators): Schur-based resolvent
norms, pseudospectra, Kreiss constants, transients, pseudospectral radii/abscissae, the
numerical range, Lyapunov bounds.

Knows nothing of gradient descent, the paper, or torch.  The functions are re-exported here
(as scipy.linalg does from its private modules), so ``from kreiss.linalg import
kreiss_constant`` is the function, not its module.  Heavy dependencies (scipy.sparse,
scipy.optimize, numba, cvxpy) are imported only by the paths that use them.
"""

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
from .threads import set_threads
from .transient import TransientLowerBound, TransientResult, transient, transient_lower_bound

__all__ = [
    "KreissResult", "LyapunovResult", "NumericalRange", "Peak", "PseudospectraResult",
    "PseudospectralResult", "SchurForm", "TransientLowerBound", "TransientResult",
    "kreiss_constant", "lyapunov_bound", "numerical_abscissa", "numerical_radius",
    "numerical_range", "power_peak", "pseudospectra", "pseudospectral_abscissa",
    "pseudospectral_radius", "schur_form", "set_threads", "spectral_abscissa",
    "spectral_radius", "transient", "transient_lower_bound",
]
