"""Read and write the matrices kreiss analyses.

Formats (chosen by the file's extension, case-insensitive):

``.npy``
    one 2-D array.
``.npz``
    the array ``J``; or the blocks ``A``, ``C``, ``D`` (and optionally ``B``) of
    J = [[A, B], [C, D]] -- a missing ``B`` (or ``C``) is a zero block, so ``A, C, D`` is the
    paper's block lower-triangular Jacobian; or a single array of any name
    (``np.savez(path, J)`` stores it as ``arr_0``).
``.mtx``
    MatrixMarket (:func:`scipy.io.mmread`): densified, or kept sparse (CSR) with
    ``sparse=True`` when its order exceeds :data:`~kreiss.linalg.operator.MATERIALISE_MAX_N`.
    The banner's declared size is checked before any entry is read.
``.csv``
    numbers separated by commas or by whitespace, one matrix row per line; blank lines and
    lines starting with ``#`` are skipped.

Every problem with a file -- missing, a directory, unknown extension, corrupt, no usable
keys, a non-number, empty, non-square, NaN or Inf, blocks that do not fit -- raises
:class:`~kreiss.errors.InputError` with one line naming the file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import InputError
from .linalg.operator import is_operator_like
from .linalg.validate import as_square_matrix

SUFFIXES = (".npy", ".npz", ".mtx", ".csv")


@dataclass(frozen=True)
class LoadedMatrix:
    """A matrix read from a file.

    Attributes
    ----------
    J : (n, n) ndarray, or a scipy.sparse CSR array (``load_matrix(..., sparse=True)``)
        float64 (complex128 when the file holds complex entries), finite, square.
    blocks : (p, q) or None
        Sizes of the diagonal blocks when the file gave J as blocks (``.npz`` with ``A``).
    path : Path
    """

    J: np.ndarray
    blocks: tuple[int, int] | None
    path: Path


def load_matrix(path, blocks: bool = False, sparse: bool = False):
    """Read a square matrix from ``path``.

    Parameters
    ----------
    path : str or Path
        A ``.npy``, ``.npz``, ``.mtx`` or ``.csv`` file (see the module docstring).
    blocks : bool
        If False (default) return the matrix; if True return a :class:`LoadedMatrix`, whose
        ``blocks`` holds (p, q) when the file stored the blocks of J = [[A, B], [C, D]].
    sparse : bool
        Keep a sparse MatrixMarket matrix of order above
        :data:`~kreiss.linalg.operator.MATERIALISE_MAX_N` sparse (for the matrix-free path).

    Raises
    ------
    InputError
        With one line naming the file, for any file that does not hold a finite square matrix.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a matrix file")
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"{p}: unknown extension {p.suffix or '(none)'!r}; expected one of "
            + ", ".join(SUFFIXES)
        )
    sizes = None
    if suffix == ".npz":
        M, sizes = _read_npz(p)
    elif suffix == ".mtx":
        M = _read_mtx(p, sparse)
    else:
        M = {".npy": _read_npy, ".csv": _read_csv}[suffix](p)
    if is_operator_like(M):  # a sparse .mtx kept sparse
        J = M
    else:
        J = as_square_matrix(M, name=str(p))
    return LoadedMatrix(J, sizes, p) if blocks else J


def save_matrix(path, J, blocks=None) -> Path:
    """Write ``J`` to a ``.npz`` file that :func:`load_matrix` reads back.

    Parameters
    ----------
    path : str or Path
        Must end in ``.npz``.
    J : (n, n) array_like
    blocks : int or (p, q), optional
        Also store the blocks A = J[:p, :p], B = J[:p, p:], C = J[p:, :p], D = J[p:, p:].

    Returns
    -------
    Path
        The file written.
    """
    p = Path(path)
    if p.suffix.lower() != ".npz":
        raise InputError(f"{p}: save_matrix writes .npz files only")
    M = as_square_matrix(J, name="J")
    arrays = {"J": M}
    if blocks is not None:
        bp, bq = block_sizes(blocks, M.shape[0], str(p))
        arrays.update(A=M[:bp, :bp], B=M[:bp, bp:], C=M[bp:, :bp], D=M[bp:, bp:])
    np.savez(p, **arrays)
    return p


def block_sizes(blocks, n: int, name: str = "J") -> tuple[int, int]:
    """(p, q) from ``blocks`` given as p or (p, q), checked to split an n x n matrix."""
    if np.ndim(blocks) == 0:
        bp, bq = int(blocks), n - int(blocks)
    else:
        bp, bq = (int(b) for b in blocks)
    if bp <= 0 or bq <= 0 or bp + bq != n:
        raise InputError(f"{name}: blocks ({bp}, {bq}) do not split a {n} x {n} matrix")
    return bp, bq


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _check_magic(p: Path, magics: tuple[bytes, ...], what: str) -> None:
    """Refuse a file without the format's signature (np.load would try to unpickle it)."""
    with open(p, "rb") as f:
        head = f.read(6)
    if not any(head.startswith(m) for m in magics):
        raise InputError(f"{p}: not {what} (the file does not start with its signature)")


#: a loaded array may take at most this share of the machine's memory
LOAD_SHARE = 0.5


def _check_declared(shape, dtype, what: str) -> None:
    """Refuse, before reading any data, an array whose declared size would not fit (half
    the machine's memory): a
    100-byte file can declare 10^6 x 10^6 (7.3 TiB), and a compressed one of zeros
    decompresses to its declared size."""
    from .linalg.operator import memory_bytes

    need = int(np.prod(shape, dtype=float)) * np.dtype(dtype).itemsize
    have = memory_bytes()
    if need > LOAD_SHARE * have:
        raise InputError(f"{what} declares shape {tuple(shape)} ({need / 2**30:.3g} GiB), "
                         f"more than {LOAD_SHARE:.0%} of this machine's {have / 2**30:.3g} GiB")


def _npy_header(fh) -> tuple[tuple, np.dtype]:
    """(shape, dtype) from an .npy header, reading nothing else."""
    from numpy.lib import format as npformat

    version = npformat.read_magic(fh)
    read = {(1, 0): npformat.read_array_header_1_0, (2, 0): npformat.read_array_header_2_0}
    shape, _, dtype = read.get(version, npformat.read_array_header_2_0)(fh)
    return shape, dtype


def _read_npy(p: Path) -> np.ndarray:
    _check_magic(p, (b"\x93NUMPY", b"PK"), "a .npy file")
    if p.read_bytes()[:2] != b"PK":
        try:
            with p.open("rb") as fh:
                shape, dtype = _npy_header(fh)
        except Exception:
            shape = None  # np.load below reports the damage
        if shape is not None:
            _check_declared(shape, dtype, str(p))
    try:
        M = np.load(p, allow_pickle=False)
    except Exception as exc:
        why = _first_line(exc)
        if isinstance(exc, SyntaxError) or "malformed node" in why:
            why = "its header is damaged"  # numpy parses the header with ast
        raise InputError(f"{p}: cannot read as .npy: {why}") from None
    if not isinstance(M, np.ndarray):
        M.close()
        raise InputError(f"{p}: is an .npz archive, not a .npy array")
    return M


def _read_npz(p: Path) -> tuple[np.ndarray, tuple[int, int] | None]:
    _check_magic(p, (b"PK",), "an .npz archive")
    try:
        with zipfile.ZipFile(p) as z:  # every member's declared size, before any data
            for info in z.infolist():
                if info.filename.endswith(".npy"):
                    with z.open(info) as fh:
                        shape, dtype = _npy_header(fh)
                    _check_declared(shape, dtype, f"{p}: member {info.filename}")
        with np.load(p, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except InputError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as exc:
        raise InputError(f"{p}: cannot read as .npz: {_first_line(exc)}") from None
    keys = ", ".join(sorted(arrays)) or "none"
    if "J" not in arrays and "A" not in arrays and len(arrays) == 1:
        return next(iter(arrays.values())), None
    if "A" not in arrays:
        if "J" in arrays:
            return arrays["J"], None
        raise InputError(f"{p}: no array J and no blocks A, D (keys found: {keys})")
    if "D" not in arrays:
        raise InputError(f"{p}: block A given without block D (keys found: {keys})")
    blocks = {k: arrays[k] for k in "ABCD" if k in arrays}
    for k, M in blocks.items():
        if M.ndim != 2:
            raise InputError(f"{p}: block {k} must be 2-D, got shape {M.shape}")
    A, D = blocks["A"], blocks["D"]
    bp, bq = A.shape[0], D.shape[0]
    want = {"A": (bp, bp), "B": (bp, bq), "C": (bq, bp), "D": (bq, bq)}
    for k, M in blocks.items():
        if M.shape != want[k]:
            raise InputError(
                f"{p}: block {k} has shape {M.shape}, expected {want[k]} "
                f"for A of size {bp} and D of size {bq}"
            )
    for k in "BC":
        if k not in blocks:
            blocks[k] = np.zeros(want[k], dtype=np.result_type(A, D))
    J = np.block([[blocks["A"], blocks["B"]], [blocks["C"], blocks["D"]]])
    if "J" in arrays:
        if arrays["J"].shape != J.shape or not np.array_equal(arrays["J"], J):
            raise InputError(f"{p}: array J disagrees with the blocks A, B, C, D stored beside it")
    return J, (bp, bq)


def _read_mtx(p: Path, sparse: bool = False):
    """MatrixMarket: the banner's size is checked first (a 100-byte file may declare a
    10^6 x 10^6 dense array); coordinate files of order above MATERIALISE_MAX_N stay sparse when
    ``sparse``, else are densified after the same check."""
    import scipy.io
    import scipy.sparse as sp

    from .linalg.operator import MATERIALISE_MAX_N, check_dense_fits, square_order

    try:
        rows, cols, entries, fmt, _, _ = scipy.io.mminfo(p)
    except Exception as exc:
        raise InputError(f"{p}: cannot read as MatrixMarket: {_first_line(exc)}") from None
    if rows != cols:
        raise InputError(f"{p}: must be square, got shape ({rows}, {cols})")
    keep_sparse = sparse and fmt == "coordinate" and rows > MATERIALISE_MAX_N
    if not keep_sparse:
        check_dense_fits(int(rows), str(p))
    try:
        M = scipy.io.mmread(p)
    except Exception as exc:
        raise InputError(f"{p}: cannot read as MatrixMarket: {_first_line(exc)}") from None
    if keep_sparse:
        M = sp.csr_array(M)
        square_order(M, str(p))
        return M
    return M.toarray() if hasattr(M, "toarray") else np.asarray(M)


def _read_csv(p: Path) -> np.ndarray:
    try:
        text = p.read_text(encoding="utf-8-sig")  # a byte-order mark (Excel) is not data
    except UnicodeDecodeError:
        raise InputError(f"{p}: not a text file") from None
    rows: list[list[complex]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(",")] if "," in line else line.split()
        row = [_number(field, p, lineno) for field in fields]
        if rows and len(row) != len(rows[0]):
            raise InputError(
                f"{p}: line {lineno} has {len(row)} values, the first row has {len(rows[0])}"
            )
        rows.append(row)
    if not rows:
        raise InputError(f"{p}: is empty (no numbers)")
    M = np.array(rows, dtype=complex)
    return M.real.copy() if not np.any(M.imag) else M


def _number(field: str, p: Path, lineno: int) -> complex:
    try:
        return float(field)
    except ValueError:
        pass
    try:
        return complex(field.replace("i", "j"))
    except ValueError:
        raise InputError(f"{p}: line {lineno}: {field!r} is not a number") from None
