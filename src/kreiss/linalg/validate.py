"""Input checks shared by every entry point of the numerical core."""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError
from ._arrays import square_array


def as_square_matrix(A, name: str = "A") -> np.ndarray:
    """Return ``A`` as a 2-D float64 or complex128 array, or raise :class:`InputError`.

    A scipy.sparse matrix or LinearOperator is densified only if it fits
    (:func:`.operator.check_dense_fits`); then :func:`._arrays.square_array` rejects empty,
    non-square, non-numeric and non-finite input with a one-line message: a Kreiss constant
    of a matrix holding NaN is never computed.
    """
    from .operator import check_dense_fits, is_operator_like, materialise, square_order

    if is_operator_like(A):  # scipy.sparse or LinearOperator: refuse before allocating
        check_dense_fits(square_order(A, name), name)
        A = A.toarray() if hasattr(A, "toarray") else materialise(A, name)
    return square_array(A, name)


KINDS = ("discrete", "continuous")


def check_kind(kind) -> str:
    """"discrete" or "continuous", else a one-line :class:`InputError`."""
    if kind not in KINDS:
        raise InputError(f"kind must be 'discrete' or 'continuous', got {kind!r}")
    return kind


def check_positive(value, name: str, *, integer: bool = False, below: float | None = None):
    """A finite number > 0 (a whole number when ``integer``; < ``below`` if given)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    bad = not (math.isfinite(v) and v > 0) or (integer and v != int(v)) or (
        below is not None and not v < below) or isinstance(value, bool)
    if bad:
        what = "a whole number >= 1" if integer else "a finite number > 0"
        extra = f" and < {below:g}" if below is not None else ""
        raise InputError(f"{name} must be {what}{extra}, got {value!r}")
    return int(v) if integer else v


def check_blocks(blocks, n: int | None = None) -> tuple[int, int]:
    """(p, q): two whole numbers >= 1 (with p + q = n when ``n`` is given), else a one-line
    :class:`InputError`."""
    try:
        p, q = (int(b) for b in blocks)
        ok = all(float(b) == int(b) for b in blocks)
    except (TypeError, ValueError):
        ok = False
    ok = ok and p >= 1 and q >= 1
    if n is None and not ok:
        raise InputError(f"blocks must be two whole numbers (p, q) >= 1, got {blocks!r}")
    if n is not None and not (ok and p + q == n):
        raise InputError(f"blocks {blocks!r} do not split a {n} x {n} matrix: give two "
                         f"whole numbers (p, q) >= 1 with p + q = {n}")
    return p, q


def split_after(blocks, n: int) -> int:
    """p from ``blocks`` = p or (p, q) with 0 < p <= n and p + q = n (q = 0: one player),
    else a one-line :class:`InputError`: where J = [[A, B], [C, D]] is split."""
    try:
        sizes = [blocks] if np.ndim(blocks) == 0 else list(blocks)
        ok = all(float(b) == int(b) and not isinstance(b, bool) for b in sizes)
        sizes = [int(b) for b in sizes]
    except (TypeError, ValueError):
        ok = False
    ok = ok and len(sizes) in (1, 2) and 0 < sizes[0] <= n and (
        len(sizes) == 1 or (sizes[1] >= 0 and sum(sizes) == n))
    if not ok:
        raise InputError(f"blocks = {blocks!r} must be p or (p, q) with 0 < p <= n and "
                         f"p + q = n = {n}")
    return sizes[0]


def check_number(value, name: str, *, low: float = 0.0, strict: bool = False) -> float:
    """A finite number >= ``low`` (> ``low`` when ``strict``), else a one-line
    :class:`InputError`."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not math.isfinite(v) or v < low or (strict and v == low) or isinstance(value, bool):
        what = ">" if strict else ">="
        raise InputError(f"{name} must be a finite number {what} {low:g}, got {value!r}")
    return v


def check_grid(values, name: str) -> np.ndarray:
    """A non-empty 1-D array of finite grid coordinates."""
    try:
        a = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise InputError(f"{name} must hold numbers, got {values!r}") from None
    if a.size == 0:
        raise InputError(f"{name} is empty: give at least one coordinate")
    if not np.all(np.isfinite(a)):
        raise InputError(f"{name} must be finite, got {a.tolist()[:6]}")
    return a
