"""Jacobians of coupled update maps, by automatic differentiation (torch.func).

One step of simultaneous ("coupled") gradient descent, eq. (3) of the paper,

    x' = x - alpha * grad_x F(x, y),        y' = y - beta * grad_y G(x, y),

has at a point (x, y) the Jacobian

    J = [[A, B], [C, D]] = [[I - alpha F_xx, -alpha F_xy], [-beta G_yx, I - beta G_yy]],

eq. (1) and Section 3 of the paper. At a fixed point (x*, y*) this J is exactly the matrix of
the linearised iteration e_{t+1} = J e_t, whose transient sup_t ||J^t|| the rest of kreiss
bounds. The paper's theory needs B = 0 (F does not depend on y through its x-gradient) and A,
D symmetric (true for Hessian blocks of C^2 objectives, Schwarz's theorem); :class:`BlockStructure`
(:mod:`kreiss.linalg.structure`, the one structure object, re-exported here)
reports how far a given J is from these preconditions.

Any other update map (heavy-ball momentum, Adam, extragradient...) is covered by
:func:`step_jacobian`: pass the map on the flat state vector (parameters *and* optimiser state)
and the sizes of the two players' blocks. Where a dense J does not fit in memory,
:func:`jacobian_operator` gives a matrix-free :class:`scipy.sparse.linalg.LinearOperator`
(Jacobian-vector products by forward mode, vector-Jacobian products by reverse mode).

torch is imported lazily, inside the functions.  **Precision**: derivatives are taken in
float64 wherever the objectives (the update map) run there.  A model trained in float32
closes over float32 data that float64 parameters cannot meet (torch refuses mixed-precision
products); when every floating tensor of the point is float32 (or narrower) and the map
fails in float64, the derivatives are taken in float32 instead (:func:`precision`).  A dense
J comes back as a float64 array either way; the matrix-free operator re-checks its witnesses
in float64 where the map runs there (:meth:`TorchJacobianOperator.float64`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.sparse.linalg import LinearOperator

from ..errors import InputError
from ..jsonout import jsonable
from ..linalg.structure import BlockStructure, block_structure
from ..linalg.validate import split_after
from ._blocks import BlockViews, frozen_array
from ._torch import require_torch

#: Largest n for which :func:`simultaneous_gd_jacobian` / :func:`step_jacobian` build a dense
#: J (n^2 float64 = 512 MiB at n = 8192); above it, use :func:`jacobian_operator`.
MAX_DENSE = 8192


# --------------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CoupledJacobian(BlockViews):
    """The Jacobian J (n x n, float64, read-only) of an update map at a point, split as
    [[A, B], [C, D]] after the first ``p`` coordinates, with its :class:`BlockStructure`.

    ``point`` is the flat point (x, y) (or the flat state) where J was taken; ``alpha`` and
    ``beta`` are the step sizes for :func:`simultaneous_gd_jacobian` (None otherwise).
    """

    J: np.ndarray
    p: int
    point: np.ndarray
    structure: BlockStructure
    alpha: float | None = None
    beta: float | None = None
    method: str = "step"
    shapes: dict[str, Any] = field(default_factory=dict)

    def _extra_arrays(self) -> dict:
        steps = {k: v for k, v in (("alpha", self.alpha), ("beta", self.beta)) if v is not None}
        return {"point": self.point, **steps}

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary: sizes, step sizes, structure report, and J as nested lists."""
        return jsonable({"n": self.n, "p": self.p, "q": self.q, "alpha": self.alpha,
                         "beta": self.beta, "method": self.method, "shapes": self.shapes,
                         "structure": self.structure, "J": self.J})


# --------------------------------------------------------------------------------------------
# points: a tensor/array of any shape, or a mapping name -> tensor (e.g. model parameters)
# --------------------------------------------------------------------------------------------


class _Layout:
    """Flatten a point (tensor, array, number, or a mapping of them) to one flat vector of
    ``dtype`` (default float64)."""

    def __init__(self, value, name: str, torch, dtype=None):
        self.torch = torch
        self.name = name
        if isinstance(value, dict):
            if not value:
                raise InputError(f"{name} is an empty mapping")
            self.keys = list(value)
            leaves = [value[k] for k in self.keys]
        else:
            self.keys = None
            leaves = [value]
        self.leaves = leaves
        self.dtype = dtype or torch.float64
        self.tensors = [self._tensor(v) for v in leaves]
        self.shapes = [tuple(t.shape) for t in self.tensors]
        self.sizes = [t.numel() for t in self.tensors]
        self.size = sum(self.sizes)
        if self.size == 0:
            raise InputError(f"{name} has no entries")

    def _tensor(self, v):
        torch = self.torch
        if isinstance(v, torch.Tensor):
            t = v.detach().to(self.dtype)
        else:
            try:
                t = torch.tensor(np.array(v, dtype=np.float64)).to(self.dtype)
            except (TypeError, ValueError) as exc:
                raise InputError(f"{self.name} is not numeric: {exc}") from None
        if not bool(torch.isfinite(t).all()):
            raise InputError(f"{self.name} contains NaN or Inf")
        return t

    def flat(self):
        return self.torch.cat([t.reshape(-1) for t in self.tensors])

    def unflatten(self, v):
        parts = self.torch.split(v, self.sizes)
        leaves = [part.reshape(shape) for part, shape in zip(parts, self.shapes, strict=True)]
        return leaves[0] if self.keys is None else dict(zip(self.keys, leaves, strict=True))

    def describe(self):
        if self.keys is None:
            return self.shapes[0]
        return {k: s for k, s in zip(self.keys, self.shapes, strict=True)}


def precision(torch, leaves, runs, dtype=None):
    """The precision the derivatives are taken in (module docstring): ``dtype`` if given,
    else float64 unless every leaf of the point is a float32 (or narrower) tensor and
    ``runs(torch.float64)`` (one call of the map in float64) fails on a precision clash."""
    if dtype is not None:
        if dtype not in (torch.float32, torch.float64):
            raise InputError(f"dtype must be torch.float32 or torch.float64, got {dtype!r}")
        return dtype
    narrow = all(isinstance(v, torch.Tensor) and v.is_floating_point()
                 and torch.finfo(v.dtype).bits <= 32 for v in leaves)
    if not narrow:
        return torch.float64
    try:
        runs(torch.float64)
    except RuntimeError as exc:
        if _is_clash(exc):
            return torch.float32
        raise
    return torch.float64


def _is_clash(exc: Exception) -> bool:
    """A torch error from mixing precisions (e.g. "expected m1 and m2 to have the same
    dtype", "... got Double, Float ...")."""
    text = str(exc).lower()
    return "dtype" in text or ("double" in text and "float" in text)


def _clash_error(call: str, args: str, dt, exc: Exception) -> InputError:
    """The one-line error for a map that fails on a precision clash at ``dt``."""
    return InputError(
        f"{call} fails with {args} as {dt} ({str(exc).splitlines()[0]}): the tensors it closes "
        "over (data, buffers) must have the point's precision")


def _check_step_sizes(alpha, beta) -> tuple[float, float]:
    out = []
    for name, v in (("alpha", alpha), ("beta", beta)):
        try:
            v = float(v)
        except (TypeError, ValueError):
            raise InputError(f"{name} must be a number, got {v!r}") from None
        if not (np.isfinite(v) and v > 0):
            raise InputError(f"{name} must be finite and > 0 (Assumption 3), got {v}")
        out.append(v)
    return out[0], out[1]


def _check_objective(torch, fun, name, x, y):
    """Call ``fun(x, y)`` once eagerly so a wrong return type, or a precision clash with the
    tensors it closes over, fails with one clear line."""
    try:
        value = fun(x, y)
    except RuntimeError as exc:
        if not _is_clash(exc):
            raise
        dt = next(iter(x.values())).dtype if isinstance(x, dict) else x.dtype
        raise _clash_error(f"{name}(x, y)", "x, y", dt, exc) from None
    if not isinstance(value, torch.Tensor):
        raise InputError(
            f"{name}(x, y) must return a torch scalar computed from its arguments, "
            f"got {type(value).__name__}"
        )
    if value.numel() != 1:
        raise InputError(f"{name}(x, y) must return a scalar, got shape {tuple(value.shape)}")


# --------------------------------------------------------------------------------------------
# update maps and their Jacobians
# --------------------------------------------------------------------------------------------


def simultaneous_gd_step(F, G, x, y, alpha: float, beta: float, dtype=None):
    """The update map of eq. (3) on the flat vector w = (x, y), and the flat point.

    ``F(x, y)`` and ``G(x, y)`` are torch functions returning scalars; ``x``, ``y`` are
    tensors, arrays or numbers of any shape, or mappings name -> tensor (e.g.
    ``dict(model.named_parameters())``); ``F`` and ``G`` receive them in that form, in the
    point's precision (module docstring; ``dtype`` forces one). Returns ``(step, w, p,
    shapes)``: ``step`` maps a flat tensor w = (x, y) of that precision
    to ``(x - alpha grad_x F, y - beta grad_y G)`` flattened, ``w`` is the flat point, ``p``
    the flat size of x, ``shapes`` the layout of x and y (to read blocks back).
    """
    torch = require_torch()
    alpha, beta = _check_step_sizes(alpha, beta)
    lx, ly = _Layout(x, "x", torch), _Layout(y, "y", torch)

    def runs(dt):
        xt, yt = (lx.unflatten(lx.flat().to(dt)), ly.unflatten(ly.flat().to(dt)))
        F(xt, yt), G(xt, yt)

    dtype = precision(torch, lx.leaves + ly.leaves, runs, dtype)
    if dtype != lx.dtype:
        lx, ly = _Layout(x, "x", torch, dtype), _Layout(y, "y", torch, dtype)
    p = lx.size
    _check_objective(torch, F, "F", lx.unflatten(lx.flat()), ly.unflatten(ly.flat()))
    _check_objective(torch, G, "G", lx.unflatten(lx.flat()), ly.unflatten(ly.flat()))

    def F_flat(xf, yf):
        return F(lx.unflatten(xf), ly.unflatten(yf)).reshape(())

    def G_flat(xf, yf):
        return G(lx.unflatten(xf), ly.unflatten(yf)).reshape(())

    grad_x = torch.func.grad(F_flat, argnums=0)
    grad_y = torch.func.grad(G_flat, argnums=1)

    def step(w):
        xf, yf = w[:p], w[p:]
        return torch.cat([xf - alpha * grad_x(xf, yf), yf - beta * grad_y(xf, yf)])

    w = torch.cat([lx.flat(), ly.flat()])
    return step, w, p, {"x": lx.describe(), "y": ly.describe()}


def simultaneous_gd_jacobian(F, G, x, y, alpha: float, beta: float) -> CoupledJacobian:
    """Jacobian J = [[A, B], [C, D]] of one step of simultaneous gradient descent, eq. (3).

    A = I - alpha F_xx, B = -alpha F_xy, C = -beta G_yx, D = I - beta G_yy (Section 3 of the
    paper), evaluated at (x, y) by forward-over-reverse automatic differentiation
    (``torch.func.jacfwd`` of ``torch.func.grad``) in the point's precision (module
    docstring), returned in float64. Arguments as in
    :func:`simultaneous_gd_step`; the blocks follow the flattening of x then y.

    Example::

        import torch
        F = lambda x, y: 0.5 * x @ x                     # leader ignores y: B = 0
        G = lambda x, y: 0.5 * (y - x) @ (y - x)         # follower tracks x
        res = simultaneous_gd_jacobian(F, G, torch.zeros(3), torch.zeros(3), 0.1, 0.1)
        res.J, res.C, res.structure.paper_class          # C = 0.1 I, True
    """
    step, w, p, shapes = simultaneous_gd_step(F, G, x, y, alpha, beta)
    a, b = _check_step_sizes(alpha, beta)
    return _dense(step, w, p, alpha=a, beta=b, method="simultaneous-gd", shapes=shapes)


def step_jacobian(step, w, blocks) -> CoupledJacobian:
    """Jacobian of an arbitrary update map ``w -> step(w)`` at the flat state ``w``.

    ``step`` maps a 1-D torch tensor of length n (float64, or float32 where w is: module
    docstring) to one of the same length; include
    any optimiser state in w (e.g. w = (x, v_x, y, v_y) for heavy-ball momentum, then
    ``blocks = (2p, 2q)``: the first player's state first). ``blocks`` is the size p of the
    first block, or the pair (p, q) with p + q = n; the result is split after p.
    """
    torch = require_torch()
    w, out = _point(torch, step, w)
    n = w.numel()
    p = split_after(blocks, n)
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (n,):
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        raise InputError(f"step(w) must return a tensor of shape ({n},), got {shape}")
    return _dense(step, w, p, method="step")


def _point(torch, step, w, dtype=None):
    """(w, step(w)): the flat point of an update map in the precision of :func:`precision`,
    and the map there; a map that cannot run there is a one-line InputError."""
    layout = _Layout(w, "w", torch)
    dt = precision(torch, layout.leaves, lambda d: step(layout.flat().to(d)), dtype)
    w = layout.flat().to(dt)
    try:
        return w, step(w)
    except RuntimeError as exc:
        if not _is_clash(exc):
            raise
        raise _clash_error("step(w)", "w", dt, exc) from None


def _dense(step, w, p, **meta) -> CoupledJacobian:
    torch = require_torch()
    n = w.numel()
    if n > MAX_DENSE:
        raise InputError(
            f"a dense J would be {n} x {n} ({8 * n * n / 2**30:.1f} GiB); "
            "use kreiss.coupled.jacobian_operator for a matrix-free LinearOperator"
        )
    J = frozen_array(torch.func.jacfwd(step)(w).detach().cpu().double().numpy())
    if not np.all(np.isfinite(J)):
        raise InputError("the Jacobian contains NaN or Inf at this point")
    point = frozen_array(w.detach().cpu().double().numpy())
    return CoupledJacobian(J=J, p=p, point=point, structure=block_structure(J, p), **meta)


# --------------------------------------------------------------------------------------------
# matrix-free
# --------------------------------------------------------------------------------------------


def jacobian_operator(step, w, blocks=None, *, dtype=None, device=None, chunk: int = 64):
    """Matrix-free Jacobian of ``step`` at ``w`` as a :class:`TorchJacobianOperator`, a
    :class:`scipy.sparse.linalg.LinearOperator` that every function of the core accepts.

    ``A @ v`` is a Jacobian-vector product (``torch.func.jvp``, forward mode), ``A.T @ u`` a
    vector-Jacobian product (``torch.func.vjp``, reverse mode, the pullback built once at
    w); blocks of vectors go through ``torch.func.vmap`` ``chunk`` at a time.  ``dtype``
    (default: the point's precision, module docstring; torch.float32 or torch.float64) and
    ``device`` (default: w's; e.g. "cuda")
    say where the products run: ``step`` must accept a flat tensor there.  Costs a small
    multiple of one step per product and no n x n storage.  ``blocks`` (p or (p, q)) is
    stored as the attribute ``blocks`` for callers that split J.
    """
    torch = require_torch()
    w, _ = _point(torch, step, w, dtype)
    n = w.numel()
    p = split_after(blocks, n) if blocks is not None else None
    return TorchJacobianOperator(step, w, None if p is None else (p, n - p), dtype=dtype,
                                 device=device, chunk=chunk)


class TorchJacobianOperator(LinearOperator):
    """J = d step / dw at w, with its products done in torch on w's device.

    Besides the LinearOperator protocol (numpy in, numpy out, one host transfer per block of
    vectors) it offers :meth:`power_norms`, which pushes a block of vectors through J
    ``horizon`` times without leaving the device (the matrix-free transient uses it), and
    :meth:`float64`, the twin that re-checks witnesses in double precision.
    """

    def __init__(self, step, w, blocks, *, dtype=None, device=None, chunk: int = 64):
        torch = require_torch()
        self.torch = torch
        self.tdtype = dtype or w.dtype
        if self.tdtype not in (torch.float32, torch.float64):
            raise InputError(f"dtype must be torch.float32 or torch.float64, got {dtype}")
        self.device = torch.device(device) if device is not None else w.device
        self.step = step
        self.w = w.detach().to(device=self.device, dtype=self.tdtype)
        self.chunk = max(1, int(chunk))
        self.blocks = blocks
        self._twin = None  # the float64 twin, once asked for (:meth:`float64`)
        n = self.w.numel()
        npdtype = np.float64 if self.tdtype == torch.float64 else np.float32
        super().__init__(dtype=np.dtype(npdtype), shape=(n, n))
        _, self._pullback = torch.func.vjp(step, self.w)
        self._jvp_block = torch.func.vmap(self._jvp)
        self._vjp_block = torch.func.vmap(lambda u: self._pullback(u)[0])

    def _jvp(self, v):
        return self.torch.func.jvp(self.step, (self.w,), (v,))[1]

    # -- host <-> device -----------------------------------------------------------------
    def _to_device(self, V):
        return self.torch.from_numpy(np.ascontiguousarray(V, dtype=self.dtype)).to(self.device)

    def _blocks_of(self, fn, V):
        """fn over the columns of V (n x k numpy), ``chunk`` columns per vmap call."""
        if np.iscomplexobj(V):
            return self._blocks_of(fn, V.real) + 1j * self._blocks_of(fn, V.imag)
        out = np.empty(V.shape, dtype=self.dtype)
        for j in range(0, V.shape[1], self.chunk):
            cols = self._to_device(V[:, j : j + self.chunk].T)
            out[:, j : j + self.chunk] = fn(cols).detach().cpu().numpy().T
        return out

    def _matvec(self, v):
        return self._matmat(np.asarray(v).reshape(-1, 1)).reshape(-1)

    def _rmatvec(self, u):
        return self._rmatmat(np.asarray(u).reshape(-1, 1)).reshape(-1)

    def _matmat(self, V):
        return self._blocks_of(self._jvp_block, np.asarray(V))

    def _rmatmat(self, U):
        return self._blocks_of(self._vjp_block, np.asarray(U))

    # -- fast paths ------------------------------------------------------------------------
    def power_norms(self, V, horizon: int):
        """(N, X): N[t, j] = ||J^t V[:, j]|| for t = 0..horizon, X = J^horizon V, with the
        iteration on the device (one transfer in, one out)."""
        torch = self.torch
        if np.iscomplexobj(V):
            raise InputError("power_norms takes real vectors")
        with torch.no_grad():
            X = self._to_device(np.asarray(V).T)
            norms = [torch.linalg.vector_norm(X, dim=1)]
            for _ in range(int(horizon)):
                X = torch.cat([self._jvp_block(X[j : j + self.chunk])
                               for j in range(0, X.shape[0], self.chunk)])
                norms.append(torch.linalg.vector_norm(X, dim=1))
            N = torch.stack(norms).double().cpu().numpy()
        return N, X.double().cpu().numpy().T

    def float64(self):
        """The same Jacobian with float64 products; itself if already float64, or if the step
        cannot run in float64 (an objective closing over float32 data: module docstring)."""
        if self.tdtype == self.torch.float64:
            return self
        if self._twin is None:  # built once: each witness re-check asks for it
            try:
                self.step(self.w.double())
                self._twin = TorchJacobianOperator(
                    self.step, self.w.double(), self.blocks, dtype=self.torch.float64,
                    device=self.device, chunk=self.chunk)
            except RuntimeError:
                self._twin = self
        return self._twin


def simultaneous_gd_operator(F, G, x, y, alpha: float, beta: float, *, dtype=None,
                             device=None, chunk: int = 64):
    """Matrix-free version of :func:`simultaneous_gd_jacobian` (see :func:`jacobian_operator`
    for ``dtype``, ``device``, ``chunk``); the returned operator's ``blocks`` attribute is
    (p, q), the flat sizes of x and y."""
    step, w, p, _ = simultaneous_gd_step(F, G, x, y, alpha, beta, dtype=dtype)
    return jacobian_operator(step, w, blocks=(p, w.numel() - p), dtype=dtype, device=device,
                             chunk=chunk)
