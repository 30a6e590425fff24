"""Everything about one J in one call: :func:`analyze` and its result :class:`Analysis`
(what ``kreiss analyze`` prints; ``--json`` prints :meth:`Analysis.to_dict`).

Dense path (``method="dense"``; one Schur form J = Q T Q^H serves every number):

* the spectral radius rho(J), the spectral abscissa alpha(J), ||J||_2 and the numerical
  abscissa omega(J) = lambda_max((J + J^H) / 2);
* the Kreiss constant K(J) = sup_{|z| > 1} (|z| - 1) ||(zI - J)^{-1}|| (continuous time:
  sup_{Re z > 0} Re z ||(zI - J)^{-1}||) with a certified bracket and the point z where it
  is attained (:func:`~kreiss.linalg.kreiss_constant.kreiss_constant`: level-set tests on
  circles, Mitchell, SIAM J. Matrix Anal. Appl. 42, 2021);
* sup_{t >= 0} ||J^t|| (||e^{tJ}||) and the t of the peak, certified by branch and bound
  (:func:`~kreiss.linalg.transient.transient`);
* the Kreiss matrix theorem K(J) <= sup_t ||J^t|| <= e n K(J) (eq. (2); Kreiss 1962,
  LeVeque & Trefethen 1984, Spijker 1991; the same constants bound ||e^{tJ}|| by the
  continuous-time K) checked on these numbers (:class:`KreissMatrixCheck`);
* with ``blocks`` (J = [[A, B], [C, D]]), every bound of the paper beside the exact value
  of what it bounds and whether its hypotheses hold (:func:`~kreiss.theory.bounds_for`).

Matrix-free path (``method="krylov"``, for operators too large to factor):
:func:`~kreiss.linalg.matfree.analyze_operator` -- a stability verdict, witnessed lower
bounds on ||J^t|| up to ``horizon`` and on K(J), and the class upper bound when it holds.

This module sits in the theory layer because it is the lowest one that holds every piece
(the numerical core below it and the paper's bounds in it): coupled and experiments may
call it without importing upwards.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError, KreissError, UnstableError
from ..io import LoadedMatrix, block_sizes, load_matrix
from ..jsonout import jsonable
from ..linalg.blocks import BlockViews
from ..linalg.kreiss_constant import KreissResult, kreiss_constant
from ..linalg.operator import (
    MATERIALISE_MAX_N,
    check_method,
    is_operator_like,
    resolve,
    square_order,
)
from ..linalg.radii import numerical_abscissa
from ..linalg.schur import SchurForm, schur_form
from ..linalg.transient import TransientResult, transient
from ..linalg.validate import as_square_matrix, check_kind, check_positive
from .applicable import BoundRow, bounds_for
from .bound import Bound
from .exact import Exact, Value
from .transient_bounds import kreiss_matrix_theorem

#: tolerance of the Kreiss matrix theorem check (relative), for rounding in K and the sup
KMT_RTOL = 1e-6


@dataclass(frozen=True)
class KreissMatrixCheck:
    """The Kreiss matrix theorem on one J: ``lower`` (K(J) <= sup) and ``upper``
    (sup <= e n K(J)) as :func:`~kreiss.theory.kreiss_matrix_theorem` states them.

    ``holds`` is False when the numbers contradict it (the attained sup exceeds e n K, or a
    certified upper bound on the sup is below K; each beyond :data:`KMT_RTOL`), True when
    the certified sup lies between, and None when the sup is not certified.
    """

    lower: Bound
    upper: Bound
    holds: bool | None

    @classmethod
    def of(cls, K: KreissResult, T: TransientResult, n: int) -> KreissMatrixCheck:
        lower, upper = kreiss_matrix_theorem(K.value, n)
        violated = T.sup > upper.value * (1 + KMT_RTOL) or (
            T.certified and lower.value > T.sup_upper * (1 + KMT_RTOL))
        return cls(lower, upper, False if violated else (True if T.certified else None))

    def to_dict(self) -> dict:
        return jsonable({"lower": self.lower.value, "upper": self.upper.value,
                         "holds": self.holds})


@dataclass(frozen=True)
class Analysis:
    """The result of :func:`analyze`.

    Attributes
    ----------
    file : the file J was read from, or None.
    kind : "discrete" (J^t) or "continuous" (e^{tJ}).
    n : order of J.
    blocks : (p, q) of J = [[A, B], [C, D]], or None.
    method : "dense" (certified) or "krylov" (matrix-free).
    kreiss : K(J) with its bracket; None when J is not stable (see ``message``).
    transient : sup_t ||J^t|| and its argmax; None when J is not stable.
    message : None when J is stable; else why K(J) is infinite (rho > 1, alpha > 0) or not
        computed (rho = 1, alpha = 0: finite only if J is power bounded).
    spectral_radius, spectral_abscissa, norm, numerical_abscissa : of J (dense path).
    kreiss_matrix_theorem : the theorem checked on ``kreiss`` and ``transient`` (dense path,
        J stable).
    bounds : the paper's bounds on J (``blocks`` given, discrete time), else None with the
        reason in ``bounds_note``.
    matrix_free : the matrix-free path's result (``method == "krylov"``).
    schur : the Schur form shared by every dense computation and the figures.
    """

    file: str | None
    kind: str
    n: int
    blocks: tuple[int, int] | None
    method: str
    kreiss: KreissResult | None
    transient: TransientResult | None
    message: str | None = None
    spectral_radius: float | None = None
    spectral_abscissa: float | None = None
    norm: float | None = None
    numerical_abscissa: float | None = None
    kreiss_matrix_theorem: KreissMatrixCheck | None = None
    bounds: tuple[BoundRow, ...] | None = None
    bounds_note: str | None = None
    #: the matrix-free path's :class:`kreiss.linalg.matfree.MatrixFreeAnalysis`
    matrix_free: object | None = field(default=None, repr=False)
    schur: SchurForm | None = field(default=None, repr=False, compare=False)

    @property
    def stable(self) -> bool | None:
        """rho(J) < 1 (alpha(J) < 0); matrix-free: the verdict, None when undecided."""
        if self.matrix_free is not None:
            return {"stable": True, "unstable": False}.get(self.matrix_free.stability.verdict)
        return self.kreiss is not None

    def to_dict(self) -> dict:
        """The JSON object of ``kreiss analyze --json`` (encoded by :mod:`kreiss.jsonout`)."""
        if self.matrix_free is not None:
            return jsonable({"file": self.file, "n": self.n, "method": "krylov",
                             **self.matrix_free.to_dict()})
        K, T = self.kreiss, self.transient
        if K is not None:
            kreiss = {"value": K.value, "lower": K.lower, "upper": K.upper, "z": K.z,
                      "certified": K.certified, "message": K.message}
            trans = {"kind": self.kind, "sup": T.sup, "argmax": T.argmax,
                     "sup_upper": T.sup_upper, "certified": T.certified,
                     "horizon": T.horizon, "message": T.message}
        else:  # J = I has K = 1: on the boundary say "not computed", not inf
            growing = self.spectral_radius > 1 if self.kind == "discrete" \
                else self.spectral_abscissa > 0
            value = math.inf if growing else None
            kreiss = {"value": value, "lower": value, "upper": value, "z": None,
                      "certified": None, "message": self.message}
            trans = {"kind": self.kind, "sup": value, "argmax": None, "horizon": None}
        return jsonable({
            "file": self.file, "kind": self.kind, "n": self.n, "blocks": self.blocks,
            "spectral_radius": self.spectral_radius,
            "spectral_abscissa": self.spectral_abscissa, "norm": self.norm,
            "numerical_abscissa": self.numerical_abscissa, "kreiss": kreiss,
            "transient": trans, "kreiss_matrix_theorem": self.kreiss_matrix_theorem,
            "stable": self.stable, "bounds": self.bounds, "bounds_note": self.bounds_note,
        })

    def plot(self, grid: int = 80):
        """A figure of :meth:`plot_pseudospectra` beside :meth:`plot_transient` (each when
        there is one: no portrait on the matrix-free path, no transient for unstable J)."""
        from ..linalg.plotting import pyplot

        panels = ([lambda ax: self.plot_pseudospectra(ax, grid)] if self.schur else []) + (
            [self.plot_transient] if self.transient is not None else [])
        fig, axes = pyplot().subplots(1, len(panels), figsize=(6.4 * len(panels), 5.2),
                                      layout="constrained", squeeze=False)
        for draw, ax in zip(panels, axes[0], strict=True):
            draw(ax)
        return fig

    def plot_pseudospectra(self, ax=None, grid: int = 80):
        """The portrait: boundaries of Lambda_eps(J) = {z : sigma_min(zI - J) <= eps} at the
        core's default levels and at eps* = (|z*| - 1) / K(J) (continuous: Re z* / K(J)),
        the level whose pseudospectrum reaches the Kreiss maximiser z* (marked), with the
        eigenvalues and the unit circle (imaginary axis), on a grid x grid
        :func:`~kreiss.linalg.window.portrait_window`.  Returns the Axes."""
        from ..linalg.pseudospectra import pseudospectra
        from ..linalg.window import portrait_window

        if self.schur is None:
            raise InputError("the matrix-free analysis draws no portrait: use "
                             "kreiss.linalg.matfree.pseudospectra_krylov")
        grid = check_positive(grid, "grid", integer=True)
        K = self.kreiss
        z = K.z if K is not None and math.isfinite(K.z.real) else None
        real, imag = portrait_window(self.schur, self.kind, [z] if z is not None else [])
        ps = pseudospectra(None, real=np.linspace(*real, grid), imag=np.linspace(*imag, grid),
                           schur=self.schur)
        levels = [float(e) for e in ps.default_levels()]
        title = None
        if z is not None:
            star = (z.real if self.kind == "continuous" else abs(z) - 1) / K.value
            levels.append(star)
            title = f"pseudospectra; K(J) = {K.value:.4g} at x (level {star:.3g})"
        return ps.plot(eps=sorted(levels), ax=ax, unit_circle=self.kind == "discrete",
                       imaginary_axis=self.kind == "continuous", mark=z, title=title)

    def plot_transient(self, ax=None):
        """||J^t|| (||e^{tJ}||) to about three times the argmax with its pseudospectral lower
        bound, and the line K(J), itself a lower bound on the sup (Kreiss matrix theorem);
        matrix-free: the witnessed lower-bound curve.  Returns the Axes."""
        from ..linalg.plotting import new_axes

        T, K = self.transient, self.kreiss
        if T is None:
            raise InputError(f"no transient to draw: {self.message}")
        if self.schur is None:
            return T.plot(ax=new_axes(ax))
        span = 3 * T.argmax + (10 if self.kind == "discrete" else 10 / max(self.norm, 1e-300))
        span = min(span, T.horizon) if T.certified else span
        horizon = max(1, min(int(span), 20_000)) if self.kind == "discrete" else span
        curve = transient(None, kind=self.kind, schur=self.schur, horizon=horizon, curve=True,
                          lower_bound=True)
        ax = new_axes(ax)
        ax.axhline(K.value, color="0.4", ls="--", lw=0.8,
                   label=f"K(J) = {K.value:.4g} <= sup (Kreiss matrix theorem)")
        curve.plot(ax=ax)
        ax.set_ylabel("||e^{tJ}||" if self.kind == "continuous" else "||J^t||")
        return ax


def analysis_method(J, method: str = "auto") -> str:
    """"dense" or "krylov": the path :func:`analyze` takes for ``J`` (an array, sparse
    matrix or LinearOperator).  "auto" is "krylov" above
    :data:`~kreiss.linalg.operator.MATERIALISE_MAX_N`, where the O(n^3) Schur form would
    dominate, for dense input too."""
    if check_method(method) != "auto":
        return method
    n = square_order(J) if is_operator_like(J) else as_square_matrix(J).shape[0]
    return "krylov" if n > MATERIALISE_MAX_N else "dense"


def analyze(J, blocks=None, kind: str = "discrete", *, method: str = "auto",
            tol: float = 1e-8, horizon: int = 200, seed: int = 0) -> Analysis:
    """Spectral radius, norms, the certified Kreiss constant, the peak transient, the Kreiss
    matrix theorem and the paper's bounds of J, in one call (module docstring).

    Parameters
    ----------
    J : array_like, sparse matrix, LinearOperator, a file name (read by
        :func:`kreiss.load_matrix`), a :class:`~kreiss.io.LoadedMatrix`, or an object with
        blocks (``J`` and ``p``: a CoupledProblem, a CoupledJacobian).
    blocks : p or (p, q): J = [[A, B], [C, D]] with A of size p; default: the blocks stored
        with J (an .npz file of blocks, a CoupledProblem), else none.
    kind : "discrete" (J^t, |z| > 1) or "continuous" (e^{tJ}, Re z > 0; dense path only).
    method : "auto", "dense" or "krylov" (:func:`analysis_method`).
    tol : relative gap asked of the certified bracket of K(J).
    horizon : matrix-free path: the transient's last step.
    seed : matrix-free path: seed of the random starting vectors.

    Raises
    ------
    InputError
        With one line, for a bad J, file, block split or argument.
    """
    check_kind(kind)
    tol = check_positive(tol, "tol")
    file, J, stored = _source(J, method)
    path = analysis_method(J, method)
    n = J.shape[0]
    sizes = block_sizes(blocks, n, file or "J") if blocks is not None else stored
    if path == "krylov":
        if kind != "discrete":
            raise InputError("the matrix-free path supports discrete time only")
        horizon = check_positive(horizon, "horizon", integer=True)
        from ..linalg.matfree import analyze_operator  # lazily: scipy.sparse, optimize

        res = analyze_operator(J, horizon=horizon, blocks=sizes, seed=seed)
        return Analysis(file, kind, n, sizes, "krylov", res.kreiss, res.transient,
                        matrix_free=res)
    _, M = resolve(J, "dense", file or "J")
    S = schur_form(M, blocks=sizes)
    K = T = message = kmt = None
    try:
        K = kreiss_constant(M, kind=kind, tol=tol, blocks=sizes, schur=S)
    except UnstableError as exc:
        message = str(exc)
    if K is not None:
        T = transient(M, kind=kind, schur=S)  # the certified sup by branch and bound over t
        kmt = KreissMatrixCheck.of(K, T, n)
    elif not (S.spectral_radius > 1 if kind == "discrete" else S.spectral_abscissa > 0):
        what = (f"spectral radius {S.spectral_radius:.6g} = 1" if kind == "discrete"
                else f"spectral abscissa {S.spectral_abscissa:.6g} = 0")
        message = f"{what}: K(J) is not computed (finite only if J is power bounded)"
    bounds, note = _bounds(M, sizes, kind, K, tol)
    return Analysis(file, kind, n, sizes, "dense", K, T, message,
                    S.spectral_radius, S.spectral_abscissa, S.norm,
                    float(numerical_abscissa(M)), kmt, bounds, note, schur=S)


def _source(J, method: str):
    """(file name or None, the matrix or operator, the block sizes stored with it)."""
    if isinstance(J, str | os.PathLike):
        J = load_matrix(J, blocks=True, sparse=method != "dense")
    if isinstance(J, LoadedMatrix):
        return str(J.path), J.J, J.blocks
    if isinstance(J, BlockViews):
        n = square_order(J.J) if is_operator_like(J.J) else np.shape(J.J)[0]
        return None, J.J, (J.p, n - J.p)
    if not is_operator_like(J):
        J = as_square_matrix(J, "J")
    return None, J, None


class _Known(Exact):
    """The theory's :class:`~kreiss.theory.exact.Exact`, answering K(J) for J itself from
    the value already computed (no second branch and bound)."""

    def __init__(self, J: np.ndarray, K: KreissResult | None, tol: float):
        super().__init__(tol=tol)
        self._J, self._K = J, K

    def kreiss(self, M, kind: str = "discrete") -> Value:
        if self._K is not None and kind == "discrete" and np.array_equal(M, self._J):
            return Value(float(self._K.value), float(self._K.lower), float(self._K.upper))
        return super().kreiss(M, kind)


def _bounds(J, sizes, kind: str, K, tol: float):
    """(rows of :func:`~kreiss.theory.bounds_for` for J, None), or (None, why there are
    none)."""
    if sizes is None:
        return None, None
    if kind != "discrete":
        return None, "the paper's bounds are stated for discrete time (J^t)"
    try:
        with np.errstate(all="ignore"):
            rows = bounds_for(J, blocks=tuple(sizes), exact=_Known(J, K, max(tol, 1e-10)))
    except KreissError as exc:
        return None, f"bounds: {exc}"
    return tuple(rows), None


__all__ = ["Analysis", "KreissMatrixCheck", "analysis_method", "analyze"]
