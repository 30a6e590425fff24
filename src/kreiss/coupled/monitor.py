"""A transient-amplification monitor for a training loop of two players.

Every ``every`` calls of :meth:`Monitor.step` the monitor linearises the update map at the
current point (:mod:`.linearise`: dense, with certified K and transient, up to
``dense_max`` unknowns, from products above) and records rho(J) (an estimate), the Kreiss
constant from below (a certified bracket on the dense path), the transient peak over a
window, the block norms and symmetry defects that decide whether the paper's class
applies.  Then, over the ``window`` steps that follow, it measures what training does:

* ``product_norm`` = ||J_{s+W-1} ... J_s||: the product of the step Jacobians met along the
  trajectory (the paper's Appendix L, Proposition 22 and Remark 24 bound it; here it is
  measured).  Up to n = ``EXACT_WINDOW_N``: the exact 2-norm of the product of the dense
  J_t.  Above: ||J_{s+W-1} ... J_s d|| along the look's most amplified direction d, by one
  Jacobian-vector product per step (witnessed from below).
* ``linear_growth`` = ||J_{s+W-1} ... J_s d||: the linear prediction along d.
* ``perturbation_growth`` = ||w'_{s+W} - w_{s+W}|| / ||w'_s - w_s||: a twin run started at
  w_s + eps d and carried by the update map, against the loop's own iterates w_t (read
  from the live parameters).  It matches ``linear_growth`` when the update map is the loop's
  update and eps is small enough for the linearisation to hold.

**Cost budget.**  The monitor times itself against the loop: when its own time exceeds
``budget`` times the loop's time since the first call, a due look waits for the next call
(counted in ``deferred``).  The first look is always taken.

Output: ``records`` (frozen :class:`MonitorRecord`), and, with ``out``, ``monitor.csv`` and
``monitor.jsonl`` written as each record completes (and TensorBoard scalars when
``tensorboard=True`` and ``torch.utils.tensorboard`` is importable); :meth:`Monitor.plot`.
"""

from __future__ import annotations

import csv
import json
import math
import time
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..jsonout import jsonable
from ._torch import require_torch
from .linearise import Look, dense_look, krylov_look

#: columns of monitor.csv, in order (the fields of :class:`MonitorRecord` but n, p and the
#: complex K_z, which monitor.jsonl has)
COLUMNS = (
    "step", "method", "rho", "rho_residual", "rho_status", "verdict", "K_lower", "K_upper",
    "K_status", "transient_peak", "transient_argmax", "transient_horizon",
    "transient_status", "norm_B",
    "norm_C", "asym_A", "asym_D", "paper_class", "numerical_abscissa", "product_norm",
    "product_status", "linear_growth", "perturbation_growth", "window", "products",
    "seconds",
)


@dataclass(frozen=True)
class MonitorRecord(Look):
    """One look (the fields of :class:`.linearise.Look`) and the window after it (module
    docstring); monitor.csv has the columns :data:`COLUMNS`.  ``seconds`` is the monitor's
    own time for the look and its window; ``products`` the Jacobian products of the look
    (dense path: n, one per column of J)."""

    step: int
    product_norm: float
    product_status: str
    linear_growth: float
    perturbation_growth: float
    window: int
    seconds: float

    def to_dict(self) -> dict:
        return jsonable({f.name: getattr(self, f.name) for f in fields(self)})


#: up to this n the window's product is formed exactly (one dense J per step); above it,
#: along d (one Jacobian-vector product per step)
EXACT_WINDOW_N = 200


class _Window:
    """The steps after a look: the twin run, and the product of the step Jacobians met
    (dense: the matrix; krylov: applied to the look's direction d by forward-mode products,
    exact for piecewise-linear networks too, where finite differences would straddle kinks).
    ``prev`` is the loop's state at the previous call, where the next factor J_t is taken."""

    def __init__(self, look, w, length: int, eps: float, torch):
        self.look, self.length, self.done, self.eps = look, length, 0, eps
        self.d = torch.as_tensor(look.direction, dtype=w.dtype, device=w.device)
        self.twin = w + eps * self.d
        self.prev = w
        self.product = np.eye(look.n) if look.J is not None and look.n <= EXACT_WINDOW_N \
            else None
        self.along = self.d


class Monitor:
    """Linearise a two-player update every ``every`` steps and watch the window after
    (module docstring).

    Parameters
    ----------
    update : callable
        The update map on the flat state: a 1-D torch tensor of length n (in the state's
        precision, float64 or float32) to one of
        the same length (include optimiser state, e.g. momenta, in the state).
    state : callable
        Returns the loop's current flat state (1-D tensor of length n).
    blocks : int or (p, q)
        Size of the first player's part of the state.
    every : steps between looks.  window : steps after each look over which the product of
        step Jacobians and the twin run are carried (at most ``every``).
    horizon : transient window of the dense path (the Krylov path's is ``krylov`` - 1).
    krylov : Arnoldi steps per look on the matrix-free path.
    dense_max : largest n for the dense path.
    budget : largest fraction of the loop's time the monitor may take (None: no limit).
    perturbation : size of the twin's perturbation relative to max(1, ||w||).
    out : directory for monitor.csv / monitor.jsonl (None: keep records in memory only).
    progress : print one line per look (rich, to stderr).
    """

    def __init__(self, update, state, blocks, *, every: int = 100, window: int = 5,
                 horizon: int = 100, krylov: int = 6, dense_max: int = 500,
                 budget: float | None = 0.1, perturbation: float = 1e-4, out=None,
                 tensorboard: bool = False, progress: bool = False, seed: int = 0):
        torch = require_torch()
        self._torch = torch
        self._update, self._state = update, state
        w = self._read()
        n = w.numel()
        from ..linalg.validate import split_after

        self.p = split_after(blocks, n)
        self.n = n
        self.every = _positive_int(every, "every")
        self.window = min(_positive_int(window, "window"), self.every)
        self.horizon = _positive_int(horizon, "horizon")
        self.krylov = _positive_int(krylov, "krylov")
        if self.krylov < 3:
            raise InputError(f"krylov = {krylov} must be at least 3")
        self.dense_max = int(dense_max)
        if budget is not None and not (math.isfinite(budget) and budget > 0):
            raise InputError(f"budget must be a positive fraction or None, got {budget!r}")
        self.budget = budget
        if not (math.isfinite(perturbation) and 0 < perturbation < 1):
            raise InputError(f"perturbation must lie in (0, 1), got {perturbation!r}")
        self.perturbation = float(perturbation)
        self._rng = np.random.default_rng(seed)
        self._records: list[MonitorRecord] = []
        self._calls = 0
        self._due = True
        self._open: _Window | None = None
        self._start = None
        self._first: float | None = None
        self.seconds = 0.0
        self._progress = progress
        self._out = Path(out) if out is not None else None
        self._csv = self._csv_file = self._jsonl = self._tb = None
        if self._out is not None:
            self._open_files(tensorboard)

    @classmethod
    def simultaneous_gd(cls, F, G, x, y, alpha: float, beta: float, **kwargs) -> Monitor:
        """The monitor of simultaneous gradient descent (eq. (3) of the paper) on the live
        parameters ``x`` and ``y``: tensors, mappings name -> tensor, or ``torch.nn.Module``
        (its named parameters), read at every call; F and G as in
        :func:`.simultaneous_gd_step`."""
        from .jacobian import simultaneous_gd_step

        torch = require_torch()
        x, y = _live(torch, x), _live(torch, y)
        step, w, p, _ = simultaneous_gd_step(F, G, x, y, alpha, beta)
        leaves = [*(x.values() if isinstance(x, dict) else [x]),
                  *(y.values() if isinstance(y, dict) else [y])]

        def state():
            return torch.cat([t.detach().reshape(-1).to(w.dtype) for t in leaves])

        return cls(step, state, (p, w.numel() - p), **kwargs)

    # -- the loop's side ----------------------------------------------------------------
    @property
    def records(self) -> tuple[MonitorRecord, ...]:
        return tuple(self._records)

    @property
    def overhead(self) -> float:
        """The monitor's time over the loop's own time since the first call."""
        if self._first is None:
            return 0.0
        loop = time.perf_counter() - self._first - self.seconds
        return self.seconds / loop if loop > 0 else math.inf

    @property
    def deferred(self) -> int:
        """Looks scheduled (one every ``every`` calls) but not taken: the budget held them
        back until the next was due."""
        return -(-self._calls // self.every) - len(self._records) - (self._open is not None)

    def step(self) -> MonitorRecord | None:
        """Call once per training step, after the update.  Returns the record completed at
        this call, if any."""
        t0 = time.perf_counter()
        if self._first is None:
            self._first = t0
        done = None
        if self._calls % self.every == 0:
            self._due = True
        looking = self._due and self._affordable(t0)
        if self._open is not None or looking:  # the state is read only when it is used
            w = self._read()
            if self._open is not None:
                done = self._advance(w)
            if looking and self._open is None:
                self._look(w)
                self._due = False
        self._calls += 1
        self.seconds += time.perf_counter() - t0
        return done

    def close(self) -> None:
        """Finish an open window with what it has and close the files."""
        if self._open is not None:
            self._finish(self._open, None)
            self._open = None
        for f in (self._csv_file, self._jsonl):
            if f is not None:
                f.close()
        if self._tb is not None:
            self._tb.close()
        self._csv = self._jsonl = self._tb = self._csv_file = None

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- looks and windows ----------------------------------------------------------------
    def _read(self):
        torch = self._torch
        w = self._state()
        if not isinstance(w, torch.Tensor) or w.ndim != 1:
            raise InputError("state() must return a 1-D torch tensor")
        w = w.detach()
        if not w.is_floating_point():
            w = w.to(torch.float64)
        if getattr(self, "n", None) is not None and w.numel() != self.n:
            raise InputError(f"state() returned {w.numel()} entries, expected {self.n}")
        return w

    def _affordable(self, now: float) -> bool:
        if self.budget is None or self._start is None:  # no limit, or the first look
            return True
        loop = now - self._first - self.seconds
        return self.seconds <= self.budget * max(loop, 0.0)

    def _look(self, w) -> None:
        t0 = time.perf_counter()
        if self.n <= self.dense_max:
            look = dense_look(self._update, w, self.p, horizon=self.horizon)
        else:
            look = krylov_look(self._update, w, self.p, m=self.krylov,
                               start=getattr(self, "_track", None), rng=self._rng)
            self._track = look.start
        scale = max(1.0, float(w.norm()))
        self._start = (self._calls, look, t0)
        self._open = _Window(look, w, self.window, self.perturbation * scale, self._torch)
        self._window_seconds = time.perf_counter() - t0

    def _advance(self, w):
        """One loop step has passed since the window's last call: advance the twin and the
        product by the step Jacobian at the previous state."""
        from ..linalg.threads import blas_threads

        win, torch = self._open, self._torch
        t0 = time.perf_counter()
        with torch.no_grad():
            win.twin = self._update(win.twin)
        with blas_threads(1):  # see linearise.krylov_look
            if win.product is not None:
                J = win.look.J if win.done == 0 else self._dense_J(win.prev)
                win.product = J @ win.product
            else:
                win.along = torch.func.jvp(self._update, (win.prev,),
                                           (win.along,))[1].detach()
        win.prev = w
        win.done += 1
        self._window_seconds += time.perf_counter() - t0
        if win.done >= win.length:
            rec = self._finish(win, w)
            self._open = None
            return rec
        return None

    def _dense_J(self, w) -> np.ndarray:
        from .jacobian import _dense

        return np.asarray(_dense(self._update, w, self.p, method="step").J)

    def _finish(self, win: _Window, w) -> MonitorRecord:
        look = win.look
        d = np.asarray(look.direction)
        if w is None or win.done < win.length:
            prod = lin = growth = math.nan
            status = "unfinished"
        else:
            growth = float((win.twin - w).norm()) / win.eps
            if win.product is not None:
                prod = float(np.linalg.norm(win.product, 2))
                lin = float(np.linalg.norm(win.product @ d))
                status = "exact"
            else:  # ||J_{s+W-1} ... J_s d|| <= the norm: witnessed from below
                lin = prod = float(win.along.norm())
                status = "witnessed"
        step0 = self._start[0]
        keep = {f.name: getattr(look, f.name) for f in fields(Look)}
        rec = MonitorRecord(
            step=step0, product_norm=prod, product_status=status, linear_growth=lin,
            perturbation_growth=growth, window=win.done, seconds=self._window_seconds,
            **keep)
        self._records.append(rec)
        self._write(rec)
        return rec

    # -- output ---------------------------------------------------------------------------
    def _open_files(self, tensorboard: bool) -> None:
        try:
            self._out.mkdir(parents=True, exist_ok=True)
            self._csv_file = open(self._out / "monitor.csv", "w", newline="")  # noqa: SIM115
            self._jsonl = open(self._out / "monitor.jsonl", "w")  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"cannot write {self._out}: {exc.strerror}") from None
        self._csv = csv.writer(self._csv_file)
        self._csv.writerow(COLUMNS)
        if tensorboard:
            try:
                from torch.utils.tensorboard import SummaryWriter
            except ImportError:
                self._tb = None
            else:
                self._tb = SummaryWriter(str(self._out / "tensorboard"))

    def _write(self, rec: MonitorRecord) -> None:
        if self._csv is not None:
            row = rec.to_dict()
            self._csv.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
            self._csv_file.flush()
            self._jsonl.write(json.dumps(row) + "\n")
            self._jsonl.flush()
        if self._tb is not None:
            for c in COLUMNS:
                v = getattr(rec, c)
                if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                    self._tb.add_scalar(f"kreiss/{c}", v, rec.step)
        if self._progress:
            from rich.console import Console

            Console(stderr=True).print(
                f"step {rec.step}: rho {rec.rho:.6g} ({rec.verdict}), K >= {rec.K_lower:.4g}, "
                f"peak {rec.transient_peak:.4g} at t = {rec.transient_argmax:g}, "
                f"product {rec.product_norm:.4g}, twin {rec.perturbation_growth:.4g}, "
                f"overhead {100 * self.overhead:.1f}%", highlight=False)

    def to_dict(self) -> dict:
        return jsonable(dict(records=[r.to_dict() for r in self._records],
                             every=self.every, window=self.window, n=self.n, p=self.p,
                             overhead=self.overhead, seconds=self.seconds,
                             deferred=self.deferred, calls=self._calls))

    def plot(self, path=None):
        """Four panels against the step: rho; K from below and the transient peak; ||B||,
        ||C||; the window's product norm, linear prediction and twin growth."""
        from ..linalg.plotting import pyplot

        fig, axes = pyplot().subplots(2, 2, figsize=(10, 7), squeeze=False)
        r = self._records
        s = np.array([x.step for x in r], dtype=float)

        def col(name):
            return np.array([getattr(x, name) for x in r], dtype=float)

        ax = axes[0][0]
        ax.plot(s, col("rho"), ".-", label=r"$\rho(J)$")
        ax.axhline(1.0, color="gray", lw=0.8, ls=":")
        ax.set_ylabel(r"$\rho(J)$")
        ax = axes[0][1]
        ax.semilogy(s, col("K_lower"), ".-", label="K from below")
        ax.semilogy(s, col("transient_peak"), ".-", label=r"$\max_t \|J^t\|$ (window)")
        ax.legend(loc="best", fontsize=8)
        ax = axes[1][0]
        ax.semilogy(s, np.maximum(col("norm_B"), 1e-300), ".-", label=r"$\|B\|$")
        ax.semilogy(s, np.maximum(col("norm_C"), 1e-300), ".-", label=r"$\|C\|$")
        ax.legend(loc="best", fontsize=8)
        ax = axes[1][1]
        ax.semilogy(s, col("product_norm"), ".-", label=r"$\|J_{s+W-1}\cdots J_s\|$")
        ax.semilogy(s, col("linear_growth"), "x--", label="linear, along d")
        ax.semilogy(s, col("perturbation_growth"), "+:", label="twin run")
        ax.legend(loc="best", fontsize=8)
        for a in (axes[1][0], axes[1][1]):
            a.set_xlabel("step")
        fig.tight_layout()
        if path is not None:
            fig.savefig(path)
        return fig


def _positive_int(v, name: str) -> int:
    try:
        i = int(v)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a whole number >= 1, got {v!r}") from None
    if i != v or i < 1:
        raise InputError(f"{name} must be a whole number >= 1, got {v!r}")
    return i


def _live(torch, v):
    """Parameters of a module as a dict; tensors and mappings as they are (read live)."""
    if isinstance(v, torch.nn.Module):
        return dict(v.named_parameters())
    return v
