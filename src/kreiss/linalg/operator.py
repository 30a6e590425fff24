"""The one seam of the numerical core: what a matrix argument may be, and which path runs.

Every public function of the core accepts, for its matrix ``A``:

* a dense array (anything :func:`numpy.asarray` turns into a square numeric matrix);
* a :mod:`scipy.sparse` matrix or array;
* a :class:`scipy.sparse.linalg.LinearOperator` with ``matvec`` and ``rmatvec`` (the coupled
  layer's torch-backed Jacobian is one);
* a :class:`~kreiss.linalg.schur.SchurForm` (dense path only).

``method="dense"`` materialises the matrix and runs the certified Schur-based algorithms;
``method="krylov"`` runs the matrix-free ones (:mod:`.matfree`), which use products
``A @ v`` and ``A.T @ v`` (``A.H`` for complex operators) only; ``method="auto"`` takes
the dense path for arrays and for sparse matrices or operators of order at most
:data:`MATERIALISE_MAX_N` (Pseudospectra.jl switches at the same size), and the matrix-free path
above it.  Nothing is densified that cannot fit: the dense path refuses, in one line with the
memory it would need, any order whose working set (:func:`dense_bytes`) exceeds half the
machine's memory.

Every number a result carries has one of four statuses (:data:`STATUSES`):

``certified``
    proven by the algorithm up to the rounding it states (the dense path's brackets);
``witnessed``
    a lower bound backed by a stored vector (and point) that re-checks it with one more
    product, e.g. K(A) >= (|z| - 1) ||x|| / ||(zI - A)x||;
``probabilistic``
    holds unless a random start vector was unlucky, with the failure probability stated
    (Kuczynski & Wozniakowski 1992 for Lanczos);
``estimate``
    a computed value with no guarantee in either direction (e.g. an ARPACK eigenvalue,
    reported with its residual).
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError

METHODS = ("auto", "dense", "krylov")
STATUSES = ("certified", "witnessed", "probabilistic", "estimate")


@dataclass(frozen=True, kw_only=True)
class BoundStatus:
    """What a bracket [lower, upper] rests on, shared by the results that have one
    (keyword-only, after each result's own fields)."""

    #: "dense" (Schur-based, certified) or "krylov" (matrix-free, :mod:`.matfree`)
    method: str = "dense"
    #: status of ``lower`` / ``upper`` (:data:`STATUSES`)
    lower_status: str = "certified"
    upper_status: str = "certified"
    #: probability that a probabilistic bound fails (0 for certified ones)
    failure_probability: float = 0.0
    #: products A v / A^H v (matrix-free path)
    products: int = 0
    #: krylov: the unit vector that re-checks ``lower`` with one more product
    witness: np.ndarray | None = field(default=None, repr=False, compare=False)
#: ``method="auto"`` materialises sparse matrices and operators up to this order.
MATERIALISE_MAX_N = 1600
#: bytes of working memory of the dense path per n^2 (A, the real and complex Schur factors
#: and their unitary factors, the 2n x 2n level-set pencils: about 14 float64 n x n arrays)
DENSE_BYTES_PER_ENTRY = 14 * 8


def check_method(method: str) -> str:
    if method not in METHODS:
        raise InputError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    return method


def dense_bytes(n: int) -> int:
    """Working memory of the dense path at order n (see :data:`DENSE_BYTES_PER_ENTRY`)."""
    return DENSE_BYTES_PER_ENTRY * n * n


def memory_bytes() -> int:
    """Physical memory of this machine (a large default where it cannot be read)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not on Linux
        return 1 << 40


def _gib(b: float) -> str:
    return f"{b / 2**30:.1f} GiB"


def check_dense_fits(n: int, name: str = "A") -> None:
    """Raise :class:`InputError` before allocating if the dense path cannot fit order n."""
    need, have = dense_bytes(n), memory_bytes()
    if need > have // 2:
        raise InputError(
            f"{name}: the dense path at n = {n} needs about {_gib(need)} "
            f"(this machine has {_gib(have)}); use method='krylov' (matrix-free)"
        )


def is_operator_like(A) -> bool:
    """A sparse matrix or a LinearOperator (inputs that are not materialised by default).

    Neither can exist before its module is imported, so a dense call never pays for
    importing scipy.sparse (~0.2 s of a cold start)."""
    sp = sys.modules.get("scipy.sparse")
    if sp is not None and sp.issparse(A):
        return True
    spla = sys.modules.get("scipy.sparse.linalg")
    return spla is not None and isinstance(A, spla.LinearOperator)


def square_order(A, name: str = "A") -> int:
    """n for a square sparse matrix or operator, with the core's one-line errors."""
    shape = getattr(A, "shape", None)
    if shape is None or len(shape) != 2:
        raise InputError(f"{name} must be a 2-D matrix or operator, got shape {shape}")
    m, n = int(shape[0]), int(shape[1])
    if m == 0 or n == 0:
        raise InputError(f"{name} is empty (shape {shape})")
    if m != n:
        raise InputError(f"{name} must be square, got shape {shape}")
    dtype = np.dtype(getattr(A, "dtype", None) or np.float64)
    if not (np.issubdtype(dtype, np.number) or np.issubdtype(dtype, np.bool_)):
        raise InputError(f"{name} is not numeric (dtype {dtype})")
    sp = sys.modules.get("scipy.sparse")
    if sp is not None and sp.issparse(A) and A.nnz and not np.all(np.isfinite(A.data)):
        raise InputError(f"{name} contains NaN or Inf")
    return n


def as_operator(A, name: str = "A"):
    """``A`` (dense, sparse or operator) as a square LinearOperator over float64/complex128.

    A sparse matrix is converted to CSR once (fast products both ways); a dense array is
    validated as by :func:`~kreiss.linalg.validate.as_square_matrix`.
    """
    import scipy.sparse as sp
    from scipy.sparse.linalg import LinearOperator

    if isinstance(A, LinearOperator):
        square_order(A, name)
        return A
    if sp.issparse(A):
        square_order(A, name)
        M = sp.csr_array(A)
        if not (np.issubdtype(M.dtype, np.floating) or np.issubdtype(M.dtype, np.complexfloating)):
            M = M.astype(np.float64)
        return _matrix_operator()(M)
    from ._arrays import square_array

    return _matrix_operator()(square_array(A, name))


@functools.cache
def _matrix_operator():
    """The LinearOperator class of a matrix (defined on first use: scipy.sparse is lazy)."""
    from scipy.sparse.linalg import LinearOperator

    class MatrixOperator(LinearOperator):
        """A matrix (sparse or dense) as a LinearOperator; ``matrix`` keeps it for
        materialising."""

        def __init__(self, M):
            super().__init__(dtype=M.dtype, shape=M.shape)
            self.matrix = M
            self._MH = M.conj().T

        def _matvec(self, v):
            return self.matrix @ v

        def _matmat(self, V):
            return self.matrix @ V

        def _rmatvec(self, u):
            return self._MH @ u

        def _rmatmat(self, U):
            return self._MH @ U

    return MatrixOperator


def materialise(op, name: str = "A", block: int = 256) -> np.ndarray:
    """The dense matrix of ``op`` from products with blocks of identity columns.

    Checked first by :func:`check_dense_fits`; a sparse matrix is densified directly.
    """
    n = square_order(op, name)
    check_dense_fits(n, name)
    M = getattr(op, "matrix", None)
    if M is not None:
        return M.toarray() if hasattr(M, "toarray") else np.asarray(M)
    dtype = np.result_type(op.dtype, np.float64)
    out = np.empty((n, n), dtype=dtype)
    for j in range(0, n, block):
        k = min(block, n - j)
        E = np.zeros((n, k), dtype=dtype)
        E[j + np.arange(k), np.arange(k)] = 1.0
        out[:, j : j + k] = np.asarray(op.matmat(E)).reshape(n, k)
    if not np.all(np.isfinite(out)):
        raise InputError(f"{name} contains NaN or Inf")
    return out


def resolve(A, method: str = "auto", name: str = "A"):
    """("dense", matrix-like) or ("krylov", LinearOperator): the path a function takes.

    Dense inputs (arrays, SchurForm) stay as they are on the dense path, so every dense
    entry point keeps its own checks; sparse matrices and operators are materialised for
    the dense path (auto: up to :data:`MATERIALISE_MAX_N`), wrapped as operators otherwise.
    """
    check_method(method)
    if not is_operator_like(A):
        if method == "krylov":
            matrix = getattr(A, "matrix", None)  # a SchurForm: back to Q T Q^*
            return "krylov", as_operator(matrix() if callable(matrix) else A, name)
        return "dense", A
    n = square_order(A, name)
    if method == "krylov" or (method == "auto" and n > MATERIALISE_MAX_N):
        return "krylov", as_operator(A, name)
    return "dense", materialise(as_operator(A, name), name)
