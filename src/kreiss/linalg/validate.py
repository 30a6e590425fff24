"""Input checks shared by every entry point of the numerical core."""

from __future__ import annotations

import numpy as np

from ..errors import InputError


def as_square_matrix(A, name: str = "A") -> np.ndarray:
    """Return ``A`` as a 2-D float64 or complex128 array, or raise :class:`InputError`.

    Rejects empty, non-square, non-numeric and non-finite input with a one-line message:
    a Kreiss constant of a matrix holding NaN is never computed.
    """
    from .operator import check_dense_fits, is_operator_like, materialise, square_order

    if is_operator_like(A):  # scipy.sparse or LinearOperator: refuse before allocating
        check_dense_fits(square_order(A, name), name)
        A = A.toarray() if hasattr(A, "toarray") else materialise(A, name)
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
