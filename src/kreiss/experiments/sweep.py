"""Sweeps: a grid of independent cells (instance family x parameters x seed), each built and
measured where it runs, persisted as it completes, gathered into an xarray Dataset.

A spec (TOML, or the same as a dict)::

    family = "class"                  # "class", "lq", "gan", "package.module:function",
                                      # or a list of them (then a grid dimension "family")
    quantities = ["kreiss", "transient"]
    [grid]
    n = [20, 40]
    gamma = [0.9, 0.99]
    c = [0.1, 1.0]
    seed = [0, 1, 2]
    [options]                         # optional: eps (pseudospectral_radius), tol (kreiss)
    eps = 0.01

Each cell is one task (:func:`run_cell`): it builds J from its parameters and seed on the
worker (nothing large crosses the wire), computes the quantities with one thread, and returns
a flat row.  The engine is Dask distributed (a ``Client``; the CLI starts a LocalCluster with
one single-threaded process per core, or connects to ``--scheduler``); without a client the
cells run in this process, in the same order-independent way, so both give identical rows.

Nothing is lost: each finished cell is written atomically to ``DIR/cells/<key>.json`` by the
driver as it completes; a rerun (``--resume``) skips the cells found there; a cell whose
worker dies is rescheduled by Dask; an exception inside a cell is recorded as its ``error``;
Ctrl-C writes the partial result.  ``DIR/sweep.nc`` (xarray, indexed by the grid),
``DIR/sweep.csv`` (one row per cell) and ``DIR/sweep.json`` (spec, versions, seeds, counts)
are rewritten from the cell files at the end.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import itertools
import json
import math
import os
import platform
import time
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..cells import run_cells
from ..errors import InputError
from ..jsonout import jsonable

FAMILIES = ("class", "lq", "gan")
QUANTITIES = ("kreiss", "transient", "bounds", "lyapunov", "pseudospectral_radius")
#: the grid parameters each built-in family needs (user functions take what their grid has)
FAMILY_PARAMS = {"class": ("n", "gamma", "c", "seed"), "lq": ("n", "gamma", "c", "seed"),
                 "gan": ("eta", "seed")}
#: the columns each quantity adds (besides ``seconds`` and ``error``)
COLUMNS = {
    "kreiss": ("K", "K_lower", "K_upper", "K_status"),
    "transient": ("sup", "argmax", "sup_upper", "sup_status"),
    "bounds": ("gamma_J", "c_J", "theorem4a", "sharp_bound"),
    "lyapunov": ("lyapunov", "lyapunov_status"),
    "pseudospectral_radius": ("rho_eps", "rho_eps_lower", "rho_eps_upper", "rho_eps_status"),
}
OPTIONS = {"eps": 1e-2, "tol": 1e-8, "mu": 0.1}


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep specification (module docstring)."""

    family: tuple[str, ...]  # more than one: the grid's first dimension, "family"
    quantities: tuple[str, ...]
    grid: dict[str, tuple]
    options: dict = field(default_factory=dict)

    @property
    def cells(self) -> list[dict]:
        """Every grid cell, in grid order (the last key varies fastest)."""
        keys = list(self.grid)
        return [dict(zip(keys, vals, strict=True)) for vals in itertools.product(
            *(self.grid[k] for k in keys))]

    def key(self, params: dict) -> str:
        """A cell's file name: a hash of the family, quantities, options and its parameters."""
        blob = json.dumps([list(self.family), self.quantities, sorted(self.options.items()),
                           sorted(params.items())], default=str)
        return hashlib.sha1(blob.encode()).hexdigest()[:20]

    def to_dict(self) -> dict:
        family = self.family[0] if len(self.family) == 1 else list(self.family)
        return {"family": family, "quantities": list(self.quantities),
                "grid": {k: list(v) for k, v in self.grid.items()}, "options": self.options}


def load_spec(spec) -> SweepSpec:
    """A :class:`SweepSpec` from a TOML file, a dict, or a spec; every check happens here,
    before any work (one-line :class:`InputError` for each problem)."""
    if isinstance(spec, SweepSpec):
        return spec
    if isinstance(spec, str | os.PathLike):
        path = Path(spec)
        try:
            raw = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: not valid TOML ({exc})") from None
    elif isinstance(spec, dict):
        raw = spec
    else:
        raise InputError(f"a sweep spec is a TOML file or a dict, got {type(spec).__name__}")
    unknown = set(raw) - {"family", "quantities", "grid", "options"}
    if unknown:
        raise InputError(f"unknown spec entries {sorted(unknown)}; expected family, "
                         "quantities, grid, options")
    family = raw.get("family")
    families = family if isinstance(family, list) else [family]
    if not families or len(set(map(str, families))) != len(families):
        raise InputError(f"family must be a name or a list of distinct names, got {family!r}")
    for f in families:
        if not isinstance(f, str) or not (f in FAMILIES or ":" in f or "." in f):
            raise InputError(f"family must be one of {', '.join(FAMILIES)} or a dotted path "
                             f"'package.module:function', got {f!r}")
        if f not in FAMILIES:
            _user_function(f)
    quantities = raw.get("quantities")
    if isinstance(quantities, str):
        quantities = [quantities]
    if not quantities or not isinstance(quantities, list):
        raise InputError(f"quantities must be a non-empty list from {', '.join(QUANTITIES)}")
    bad = [q for q in quantities if q not in QUANTITIES]
    if bad:
        raise InputError(f"unknown quantities {bad}; known: {', '.join(QUANTITIES)}")
    if "gan" in families and set(quantities) - {"kreiss", "transient", "pseudospectral_radius"}:
        raise InputError("family 'gan' supports the quantities kreiss, transient and "
                         "pseudospectral_radius")
    grid = raw.get("grid")
    if not isinstance(grid, dict) or not grid:
        raise InputError("the spec needs a [grid] table with at least one parameter")
    clean: dict[str, tuple] = {}
    for name, values in grid.items():
        values = values if isinstance(values, list) else [values]
        if not values:
            raise InputError(f"grid parameter {name!r} has no values")
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise InputError(f"grid parameter {name!r}: {v!r} is not a finite number")
        if len(set(values)) != len(values):
            raise InputError(f"grid parameter {name!r} repeats a value")
        clean[name] = tuple(values)
    if "family" in clean:
        raise InputError("'family' is not a grid parameter: list the families in family = [...]")
    for f in families:
        need = FAMILY_PARAMS.get(f, ())
        missing = [p for p in need if p not in clean]
        if missing:
            raise InputError(f"family {f!r} needs the grid parameters {list(need)}; "
                             f"missing {missing}")
    if "gamma" in clean and not all(0 <= g < 1 for g in clean["gamma"]):
        raise InputError(f"gamma must lie in [0, 1), got {list(clean['gamma'])}")
    if "c" in clean and not all(c >= 0 for c in clean["c"]):
        raise InputError(f"c must be >= 0, got {list(clean['c'])}")
    for name in ("n", "seed", "hidden_g", "hidden_d", "depth"):
        if name in clean and not all(float(v).is_integer() and v >= (0 if name == "seed" else 1)
                                     for v in clean[name]):
            raise InputError(f"{name} must hold whole numbers "
                             f"{'>= 0' if name == 'seed' else '>= 1'}, got {list(clean[name])}")
    options = dict(raw.get("options") or {})
    unknown = set(options) - set(OPTIONS)
    if unknown:
        raise InputError(f"unknown options {sorted(unknown)}; known: {sorted(OPTIONS)}")
    for k, v in options.items():
        if isinstance(v, bool) or not isinstance(v, int | float) or not v > 0:
            raise InputError(f"option {k!r} must be a number > 0, got {v!r}")
    if len(families) > 1:
        clean = {"family": tuple(families), **clean}
    return SweepSpec(tuple(families), tuple(quantities), clean, options)


def _user_function(path: str) -> Callable:
    mod, _, name = path.partition(":") if ":" in path else path.rpartition(".")
    try:
        fn = getattr(importlib.import_module(mod), name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise InputError(f"family {path!r}: cannot import it ({exc})") from None
    if not callable(fn):
        raise InputError(f"family {path!r} is not a function")
    return fn


# ------------------------------------------------------------------------ one cell


def build(family: str, params: dict, options: dict):
    """(J, blocks) of one cell, built from its parameters and seed."""
    if family == "class":
        from ..theory.instances import random_class

        n = int(params["n"])
        p = n // 2
        inst = random_class(np.random.default_rng(int(params["seed"])), p, n - p,
                            float(params["gamma"]), float(params["c"]))
        return inst["J"], (p, n - p)
    if family == "lq":
        from ..coupled.problems import lq_bilevel

        n = int(params["n"])
        p = n // 2
        P = lq_bilevel(p, n - p, options.get("mu", OPTIONS["mu"]), float(params["gamma"]),
                       float(params["c"]), seed=int(params["seed"]))
        return P.J, (P.p, P.q)
    if family == "gan":  # simultaneous GD with step eta at the GAN's seeded initialisation
        from ..coupled.jacobian import simultaneous_gd_jacobian
        from .gan import GANConfig, gan_problem

        sizes = {k: int(params[k]) for k in ("hidden_g", "hidden_d", "depth") if k in params}
        loss_g, loss_d, g, d = gan_problem(GANConfig(**sizes), int(params["seed"]))
        eta = float(params["eta"])
        res = simultaneous_gd_jacobian(loss_g, loss_d, g, d, eta, eta)
        return np.asarray(res.J), (res.p, res.J.shape[0] - res.p)
    out = _user_function(family)(**params)
    return out if isinstance(out, tuple) else (out, None)


def run_cell(family: str, quantities: Iterable[str], options: dict, params: dict) -> dict:
    """One cell's row: its parameters, the columns of its quantities (:data:`COLUMNS`),
    ``seconds``, and ``error`` ("" when it succeeded).  Runs with one thread, so that the
    numbers do not depend on where it runs.  A "family" parameter overrides ``family``."""
    from ..linalg.threads import blas_threads

    row = dict(params)
    for q in quantities:
        row.update({c: math.nan for c in COLUMNS[q]})
    row["error"] = ""
    t0 = time.perf_counter()
    try:
        with blas_threads(1):
            given = {k: v for k, v in params.items() if k != "family"}
            J, blocks = build(params.get("family", family), given, options)
            for q in quantities:
                row.update(_measure(q, J, blocks, options))
    except Exception as exc:  # recorded, not fatal to the sweep
        row["error"] = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    row["seconds"] = time.perf_counter() - t0
    return row


def _measure(q: str, J, blocks, options: dict) -> dict:
    from ..linalg.kreiss_constant import kreiss_constant
    from ..linalg.threads import set_threads, threads
    from ..linalg.transient import transient

    saved = threads()
    set_threads(1)
    try:
        if q == "kreiss":
            K = kreiss_constant(J, blocks=blocks, tol=options.get("tol", OPTIONS["tol"]))
            return {"K": K.value, "K_lower": K.lower, "K_upper": K.upper,
                    "K_status": "certified" if K.certified else "bracket"}
        if q == "transient":
            T = transient(J)
            status = "certified" if T.certified else "finite horizon"
            return {"sup": T.sup, "argmax": T.argmax, "sup_upper": T.sup_upper,
                    "sup_status": status}
        if q == "bounds":
            from ..theory import facts, sharp_kreiss_bound, theorem4a

            F = facts(J, blocks)
            return {"gamma_J": F.gamma, "c_J": F.c,
                    "theorem4a": theorem4a(F.gamma, F.c).value if F.gamma < 1 else math.inf,
                    "sharp_bound": sharp_kreiss_bound(F.gamma, F.c).value
                    if F.gamma < 1 else math.inf}
        if q == "lyapunov":
            from ..linalg.lyapunov import lyapunov_bound

            L = lyapunov_bound(J)
            return {"lyapunov": L.value, "lyapunov_status": "certified"}  # or no result
        from ..linalg.radii import pseudospectral_radius

        R = pseudospectral_radius(J, options.get("eps", OPTIONS["eps"]))
        return {"rho_eps": R.value, "rho_eps_lower": R.lower, "rho_eps_upper": R.upper,
                "rho_eps_status": R.upper_status}
    finally:
        set_threads(saved)


# ------------------------------------------------------------------------ the sweep


@dataclass(frozen=True)
class SweepResult:
    """A finished (or interrupted) sweep: the rows of the grid's finished cells in grid
    order, the xarray Dataset indexed by the grid, counts, and where it was written."""

    spec: SweepSpec
    rows: list[dict] = field(repr=False)
    dataset: object = field(repr=False)
    total: int
    done: int
    failed: int
    skipped: int
    ran: int
    partial: bool
    out: Path
    seconds: float

    def to_dict(self) -> dict:
        return jsonable({"spec": self.spec.to_dict(), "total": self.total, "done": self.done,
                         "failed": self.failed, "skipped": self.skipped, "ran": self.ran,
                         "partial": self.partial, "out": str(self.out),
                         "seconds": self.seconds})

    def plot(self, x: str = "c", y: str = "K", ax=None):
        """``y`` against ``x`` on log-log axes, one series per value of gamma (if gridded)."""
        from ..linalg.plotting import new_axes

        ax = new_axes(ax)
        groups: dict = {}
        for r in self.rows:
            if r.get(y) is not None and np.isfinite(r.get(y, np.nan)):
                groups.setdefault(r.get("gamma"), []).append((r[x], r[y]))
        for g, pts in sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0])):
            xs, ys = zip(*sorted(pts), strict=True)
            ax.loglog(xs, ys, "o", ms=3, label=None if g is None else f"gamma = {g:g}")
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        if groups and next(iter(groups)) is not None:
            ax.legend(loc="best", fontsize="small")
        return ax


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _read_cells(cells: Path) -> dict[str, dict]:
    rows = {}
    for f in cells.glob("*.json"):
        try:
            rows[f.stem] = json.loads(f.read_text())
        except (OSError, json.JSONDecodeError):
            continue  # a torn file cannot exist (atomic writes); ignore strays
    return rows


def _versions() -> dict:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for pkg in ("kreiss", "numpy", "scipy", "dask", "distributed", "xarray", "torch"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out


def sweep(spec, out, *, client=None, resume: bool = False,
          progress: Callable[[int, int, int], None] | None = None) -> SweepResult:
    """Run every cell of ``spec`` (:func:`load_spec`) not yet finished in ``out``.

    ``client``: a ``dask.distributed.Client`` (cells run as Dask tasks; a worker that dies
    costs only its running cells, which Dask reruns elsewhere); None: in this process.
    ``resume``: insist that ``out`` holds this spec's earlier sweep (a rerun skips finished
    cells either way).  ``progress(done, failed, total)`` after each cell.  Ctrl-C writes
    the partial result and re-raises KeyboardInterrupt.
    """
    S = load_spec(spec)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} exists and is not a directory")
    cells_dir = out / "cells"
    if resume and not (out / "sweep.json").exists():
        raise InputError(f"nothing to resume in {out}: no sweep.json there")
    cells_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    keys = [S.key(p) for p in S.cells]
    finished = _read_cells(cells_dir)
    pending = [(k, p) for k, p in zip(keys, S.cells, strict=True) if k not in finished]
    skipped = len(keys) - len(pending)
    ran = 0
    done = skipped
    failed = sum(1 for k in keys if k in finished and finished[k].get("error"))
    interrupted = False
    meta = {"spec": S.to_dict(), "versions": _versions(), "started": started,
            "seeds": "each cell draws from numpy.random.default_rng(seed) (its grid value)",
            "engine": "in-process" if client is None else str(getattr(client, "scheduler_info",
                                                                     lambda: {})().get("address")),
            }
    _write_atomic(out / "sweep.json", json.dumps(jsonable({**meta, "partial": True}), indent=1))

    def record(key: str, row: dict):
        nonlocal done, failed, ran
        _write_atomic(cells_dir / f"{key}.json", json.dumps(jsonable(row)))
        finished[key] = row
        done += 1
        ran += 1
        failed += bool(row.get("error"))
        if progress is not None:
            progress(done, failed, len(keys))

    if progress is not None:
        progress(done, failed, len(keys))
    def lost(i: int, exc: BaseException):  # its worker died too often: not persisted, a
        nonlocal failed  # rerun retries it
        failed += 1
        if progress is not None:
            progress(done, failed, len(keys))

    args = (S.family[0], S.quantities, S.options)
    try:
        run_cells(run_cell, [(*args, params) for _, params in pending], client=client,
                  done=lambda i, row: record(pending[i][0], row), failed=lost)
    except KeyboardInterrupt:
        interrupted = True
    rows = [_clean(finished[k]) for k in keys if k in finished]
    dataset = _dataset(S, rows)
    _write_outputs(out, S, rows, dataset)
    partial = interrupted or len(rows) < len(keys)
    result = SweepResult(S, rows, dataset, total=len(keys), done=len(rows),
                         failed=sum(1 for r in rows if r.get("error")), skipped=skipped, ran=ran,
                         partial=partial, out=out, seconds=time.perf_counter() - t0)
    meta.update(finished=time.strftime("%Y-%m-%dT%H:%M:%S%z"), partial=partial,
                total=result.total, done=result.done, failed=result.failed,
                skipped=skipped, ran=ran, seconds=result.seconds)
    _write_atomic(out / "sweep.json", json.dumps(jsonable(meta), indent=1))
    if interrupted:
        raise KeyboardInterrupt
    return result


def _clean(row: dict) -> dict:
    """A row read back from JSON: "nan" / "inf" strings of numeric columns as floats."""
    out = {}
    for k, v in row.items():
        if isinstance(v, str) and v in ("nan", "inf", "-inf") and k != "error":
            v = float(v)
        out[k] = v
    return out


def _columns(S: SweepSpec) -> list[str]:
    cols = [c for q in S.quantities for c in COLUMNS[q]]
    return cols + ["seconds", "error"]


def _dataset(S: SweepSpec, rows: list[dict]):
    """The rows as an xarray Dataset with one dimension per grid parameter; cells not run
    are NaN (numbers) or "" (strings)."""
    import xarray as xr

    dims = list(S.grid)
    shape = tuple(len(S.grid[d]) for d in dims)
    index = {d: {v: i for i, v in enumerate(S.grid[d])} for d in dims}
    data = {}
    for col in _columns(S):
        text = col == "error" or col.endswith("_status")
        data[col] = np.full(shape, "" if text else np.nan, dtype=object if text else float)
    for r in rows:
        at = tuple(index[d][r[d]] for d in dims)
        for col in data:
            v = r.get(col)
            if v is not None:
                data[col][at] = str(v) if data[col].dtype == object else float(v)
    ds = xr.Dataset({c: (dims, a.astype(str) if a.dtype == object else a)
                     for c, a in data.items()},
                    coords={d: list(S.grid[d]) for d in dims})
    ds.attrs.update(family=",".join(S.family), quantities=",".join(S.quantities),
                    options=json.dumps(S.options), cells=len(rows))
    return ds


def _write_outputs(out: Path, S: SweepSpec, rows: list[dict], dataset) -> None:
    cols = list(S.grid) + _columns(S)
    tmp = out / f".sweep.csv.{os.getpid()}.tmp"
    with tmp.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for r in rows:
            w.writerow([r.get(c, "") for c in cols])
    os.replace(tmp, out / "sweep.csv")
    tmp = out / f".sweep.nc.{os.getpid()}.tmp"
    dataset.to_netcdf(tmp, engine="h5netcdf")
    os.replace(tmp, out / "sweep.nc")
