"""A dense input as a square float64 / complex128 array, checked: the one array check under
:func:`.validate.as_square_matrix` and :func:`.operator.as_operator` (below both, so that
neither imports the other for it)."""

from __future__ import annotations

import numpy as np

from ..errors import InputError


def square_array(A, name: str = "A") -> np.ndarray:
    """``A`` as a 2-D float64 or complex128 array (real when the imaginary part is zero),
    or :class:`InputError` in one line: not numeric, not 2-D, empty, not square, NaN/Inf."""
    try:
        M = np.asarray(A)
    except Exception as exc:  # pragma: no cover - numpy rarely fails here
        raise InputError(f"{name} is not an array: {exc}") from None
    if M.dtype == object or not (np.issubdtype(M.dtype, np.number) or M.dtype == bool):
        raise InputError(f"{name} is not numeric (dtype {M.dtype})")
    if M.ndim != 2:
        raise InputError(f"{name} must be a 2-D matrix, got shape {M.shape}")
    if M.size == 0:
        raise InputError(f"{name} is empty (shape {M.shape})")
    if M.shape[0] != M.shape[1]:
        raise InputError(f"{name} must be square, got shape {M.shape}")
    M = M.astype(np.complex128 if np.iscomplexobj(M) else np.float64, copy=False)
    if not np.all(np.isfinite(M)):
        raise InputError(f"{name} contains NaN or Inf")
    if np.iscomplexobj(M) and np.all(M.imag == 0):
        M = np.ascontiguousarray(M.real)
    return M
