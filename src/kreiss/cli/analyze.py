"""`kreiss analyze`, `kreiss pseudospectra` and `kreiss version`.

The numerical core, numpy and matplotlib are imported inside the commands so that
``kreiss --help`` stays fast.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand

from ..errors import InputError, UnstableError
from ._app import command, console, console_error

# ------------------------------------------------------------------ variadic options


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def expand_variadic(args: list[str], names: tuple[str, ...]) -> list[str]:
    """Rewrite ``--eps 0.1 0.01 0.001`` as ``--eps 0.1 --eps 0.01 --eps 0.001``.

    Click options take a fixed number of values; after an option in ``names`` (and its own
    value) every following token that parses as a number is given the option again.  The
    first token that is not a number (a FILE, another option, ``--``) ends the list.
    """
    out: list[str] = []
    current = None
    it = iter(args)
    for token in it:
        if token == "--":
            out.append(token)
            out.extend(it)
            break
        if current is not None and _is_number(token):
            out += [current, token]
            continue
        current = None
        out.append(token)
        name = token.split("=", 1)[0]
        if name in names:
            current = name
            if "=" not in token:  # the option's own first value follows unchanged
                out.append(next(it, ""))
    return out


class _EpsListCommand(TyperCommand):
    """A command whose ``--eps`` accepts several values after one flag."""

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, expand_variadic(list(args), ("--eps",)))


# ------------------------------------------------------------------ shared helpers

FileArg = Annotated[
    Path | None,
    typer.Argument(
        help="Matrix file: .npy, .npz (J, or blocks A, C, D and optionally B), .mtx or .csv.",
        metavar="FILE",
        show_default=False,
    ),
]
ExampleOpt = Annotated[
    str | None,
    typer.Option("--example", metavar="NAME", help="Use a bundled example instead of FILE (bt100).",
                 show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead.")]
ContinuousOpt = Annotated[
    bool,
    typer.Option("--continuous", help="Continuous time (e^{tJ}, Re z > 0) instead of J^t."),
]


def _load(file: Path | None, example: str | None):
    """The LoadedMatrix named by FILE or --example (exactly one)."""
    from ..io import load_matrix

    if (file is None) == (example is None):
        raise InputError("give exactly one of FILE or --example NAME")
    if example is not None:
        from ..data import example_path

        file = example_path(example)
    return load_matrix(file, blocks=True)


def _jsonable(x):
    """JSON-safe copy: non-finite floats become "inf" / "-inf" (NaN becomes null),
    complex numbers [re, im], numpy scalars and arrays Python numbers and lists."""
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if hasattr(x, "tolist"):  # numpy scalar or array
        return _jsonable(x.tolist())
    if isinstance(x, complex):
        return [_jsonable(x.real), _jsonable(x.imag)]
    if isinstance(x, float):
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
    return x


def _print_json(obj) -> None:
    typer.echo(json.dumps(_jsonable(obj), indent=2, allow_nan=False))


def _fmt(x, digits: int = 6) -> str:
    if x is None:
        return "-"
    if isinstance(x, complex):
        if not math.isfinite(x.real):
            return "inf"
        sign = "+" if x.imag >= 0 else "-"
        return f"{x.real:.{digits}g} {sign} {abs(x.imag):.{digits}g}i"
    x = float(x)
    return "inf" if math.isinf(x) else f"{x:.{digits}g}"


# ------------------------------------------------------------------ analyze


@command("analyze")
def analyze(
    file: FileArg = None,
    example: ExampleOpt = None,
    continuous: ContinuousOpt = False,
    json_out: JsonOpt = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write pseudospectra.png and transient.png into DIR.",
                     metavar="DIR", show_default=False),
    ] = None,
    blocks: Annotated[
        int | None,
        typer.Option("--blocks", metavar="P", show_default=False,
                     help="Treat J as [[A, B], [C, D]] with A of size P (default: the "
                     "blocks stored in an .npz); shows the paper's bounds."),
    ] = None,
    tol: Annotated[float, typer.Option("--tol", help="Relative gap of the K bracket.")] = 1e-8,
) -> None:
    """Spectral radius, norms, certified Kreiss constant and peak transient of J.

    Prints n, the spectral radius and abscissa, ||J||_2, the numerical abscissa,
    the Kreiss constant K(J) with its certified bracket lower <= K <= upper and
    the point z where it is attained, sup_t ||J^t|| (--continuous: ||e^{tJ}||)
    and the t of the peak, and the Kreiss matrix theorem K <= sup <= e n K.

    Unstable J (spectral radius > 1; --continuous: abscissa > 0): the summary
    is printed with K = inf and sup = inf stated, an error line goes to stderr,
    and the exit status is 2.  Spectral radius exactly 1 (abscissa 0): K is not
    computed (finite only if J is power bounded), exit status 2.
    """
    if not (tol > 0 and math.isfinite(tol)):
        raise InputError(f"--tol must be a positive number, got {tol}")
    loaded = _load(file, example)

    import numpy as np

    from .. import kreiss_constant, numerical_abscissa, transient
    from ..io import block_sizes

    J = loaded.J
    n = J.shape[0]
    sizes = block_sizes(blocks, n, str(loaded.path)) if blocks is not None else loaded.blocks
    kind = "continuous" if continuous else "discrete"

    report: dict = {"file": str(loaded.path), "kind": kind, "n": n,
                    "blocks": list(sizes) if sizes else None}
    unstable_msg = None
    try:
        K = kreiss_constant(J, kind=kind, tol=tol, blocks=sizes)
    except UnstableError as exc:
        K, unstable_msg = None, str(exc)

    eigs = np.linalg.eigvals(J)
    rho = float(np.max(np.abs(eigs))) if K is None else K.spectral_radius
    alpha = float(np.max(eigs.real)) if K is None else K.spectral_abscissa
    report.update(
        spectral_radius=rho,
        spectral_abscissa=alpha,
        norm=float(np.linalg.norm(J, 2)) if K is None else K.norm,
        numerical_abscissa=float(numerical_abscissa(J)),
    )
    if K is not None:
        report["kreiss"] = {"value": K.value, "lower": K.lower, "upper": K.upper,
                            "z": K.z, "converged": K.converged, "message": K.message}
        T = transient(J, kind=kind)
        sup = float(T.sup)
        report["transient"] = {"kind": kind, "sup": sup, "argmax": float(T.argmax),
                               "horizon": float(np.max(T.t))}
        bound = math.e * n * K.value
        report["kreiss_matrix_theorem"] = {
            "lower": K.value, "upper": bound,
            "holds": bool(K.value <= sup * (1 + 1e-6) and sup <= bound * (1 + 1e-6)),
        }
    else:
        growing = rho > 1 if kind == "discrete" else alpha > 0
        value = math.inf if growing else None
        report["kreiss"] = {"value": value, "lower": value, "upper": value, "z": None,
                            "converged": growing, "message": unstable_msg}
        report["transient"] = {"kind": kind, "sup": value, "argmax": None, "horizon": None}
        report["kreiss_matrix_theorem"] = None
    report["stable"] = K is not None
    report["bounds"], bounds_note = _bounds(J, sizes, kind)
    report["bounds_note"] = bounds_note

    if plot is not None:
        report["figures"] = _analyze_figures(plot, J, kind, K, T if K is not None else None)

    if json_out:
        _print_json(report)
    else:
        _print_summary(report)
    if unstable_msg is not None:
        console_error(unstable_msg)
        raise typer.Exit(2)


def _bounds(J, sizes, kind):
    """The theory layer's table of the paper's bounds for J, or (None, why not)."""
    if sizes is None:
        return None, None
    if kind != "discrete":
        return None, "the paper's bounds are stated for discrete time"
    try:
        from ..theory import bounds_for
    except ImportError:
        return None, "kreiss.theory is not available: no table of the paper's bounds"
    from ..errors import KreissError

    try:
        table = bounds_for(J, blocks=sizes)
    except KreissError as exc:
        return None, str(exc)
    rows = table if isinstance(table, (list, tuple)) else getattr(table, "rows", [table])
    return [r.to_dict() if hasattr(r, "to_dict") else dict(r) for r in rows], None


def _print_summary(r: dict) -> None:
    from rich.table import Table

    cont = r["kind"] == "continuous"
    head = f"[bold]{r['file']}[/]  {r['kind']} time, n = {r['n']}"
    if r["blocks"]:
        head += f", blocks {r['blocks'][0]} + {r['blocks'][1]}"
    console.print(head, highlight=False)
    t = Table(show_header=False, box=None, pad_edge=False)
    t.add_column(style="cyan", no_wrap=True)
    t.add_column()
    t.add_row("spectral radius rho(J)", _fmt(r["spectral_radius"]))
    t.add_row("spectral abscissa alpha(J)", _fmt(r["spectral_abscissa"]))
    t.add_row("norm ||J||_2", _fmt(r["norm"]))
    t.add_row("numerical abscissa omega(J)", _fmt(r["numerical_abscissa"]))
    k = r["kreiss"]
    power = "||e^{tJ}||" if cont else "||J^t||"
    if r["stable"]:
        t.add_row("Kreiss constant K(J)", f"[bold]{_fmt(k['value'])}[/]")
        status = "certified" if k["converged"] else "NOT converged"
        t.add_row("  certified bracket", f"[{_fmt(k['lower'], 10)}, {_fmt(k['upper'], 10)}]"
                  f"  ({status})")
        z = k["z"]
        where = ("the limit Re z -> inf" if cont else "the limit |z| -> inf") \
            if not math.isfinite(z.real) else \
            f"z = {_fmt(z)}  ({'Re z' if cont else '|z|'} = " \
            f"{_fmt(z.real if cont else abs(z))})"
        t.add_row("  attained at", where)
        tr = r["transient"]
        step = "t" if cont else "step t"
        t.add_row(f"sup_t {power}", f"[bold]{_fmt(tr['sup'])}[/] at {step} = {_fmt(tr['argmax'])}")
        m = r["kreiss_matrix_theorem"]
        mark = "[green]holds[/]" if m["holds"] else "[bold red]VIOLATED[/]"
        t.add_row("Kreiss matrix theorem",
                  f"K <= sup <= e n K:  {_fmt(m['lower'])} <= {_fmt(tr['sup'])} <= "
                  f"{_fmt(m['upper'])}  {mark}")
    else:
        if k["value"] is None:
            t.add_row("Kreiss constant K(J)", "[bold red]not computed[/] "
                      f"({'alpha = 0' if cont else 'rho = 1'}: finite only if J is "
                      "power bounded)")
        else:
            quantity = f"alpha = {_fmt(r['spectral_abscissa'])} > 0" if cont \
                else f"rho = {_fmt(r['spectral_radius'])} > 1"
            t.add_row("Kreiss constant K(J)", f"[bold red]inf[/] ({quantity})")
            t.add_row(f"sup_t {power}", "[bold red]inf[/] (grows without bound)")
    console.print(t, highlight=False)
    if r["bounds"]:
        _print_bounds(r["bounds"])
    elif r["bounds_note"]:
        console.print(f"bounds: {r['bounds_note']}", highlight=False)
    for name, path in (r.get("figures") or {}).items():
        console.print(f"wrote {name}: {path}", highlight=False)


def _print_bounds(rows: list[dict]) -> None:
    from rich.table import Table

    cols = list(dict.fromkeys(k for row in rows for k in row))
    t = Table(title="The paper's bounds for this J", title_justify="left")
    for c in cols:
        t.add_column(c)
    for row in rows:
        t.add_row(*(_cell(row.get(c)) for c in cols))
    console.print(t, highlight=False)


def _cell(v) -> str:
    if isinstance(v, float):
        return _fmt(v)
    if isinstance(v, (list, tuple)):
        return ", ".join(_cell(x) for x in v)
    return "-" if v is None else str(v)


# ------------------------------------------------------------------ figures


def _new_figure():
    """A matplotlib Figure and Axes without pyplot (no GUI backend, nothing global)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 5.2), layout="constrained")
    return fig, fig.subplots()


def _plot_dir(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        raise InputError(f"--plot {path}: exists and is not a directory")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _analyze_figures(directory: Path, J, kind: str, K, T) -> dict:
    """pseudospectra.png (portrait, eigenvalues, unit circle or imaginary axis, Kreiss
    maximiser) and, for stable J, transient.png (curve, sup, the lower bound K)."""
    import numpy as np

    from .. import pseudospectra

    out = _plot_dir(directory)
    z = K.z if K is not None and math.isfinite(K.z.real) else None
    real, imag = _window(J, kind, [z] if z is not None else [])
    ps = pseudospectra(J, real=np.linspace(*real, 160), imag=np.linspace(*imag, 160))
    fig, ax = _new_figure()
    _portrait(ax, ps, None, kind)
    if z is not None:
        ax.plot([z.real], [z.imag], marker="*", color="crimson", ms=14, ls="none",
                label=f"Kreiss maximiser, K = {K.value:.4g}")
    ax.legend(loc="upper right", fontsize=8)
    files = {"pseudospectra": str(out / "pseudospectra.png")}
    fig.savefig(files["pseudospectra"], dpi=120)
    if T is not None:
        fig2, ax2 = _new_figure()
        t = np.asarray(T.t, dtype=float)
        ax2.plot(t, T.norms, color="C0", label="||e^{tJ}||" if kind == "continuous"
                 else "||J^t||")
        ax2.plot([T.argmax], [T.sup], marker="o", color="crimson", ls="none",
                 label=f"sup = {T.sup:.4g} at t = {T.argmax:.4g}")
        ax2.axhline(K.value, color="0.4", ls="--",
                    label=f"K(J) = {K.value:.4g} (Kreiss lower bound on sup)")
        ax2.set_xlabel("t")
        ax2.set_ylabel("norm")
        ax2.set_yscale("log")
        ax2.legend(fontsize=8)
        files["transient"] = str(out / "transient.png")
        fig2.savefig(files["transient"], dpi=120)
    return files


def _window(J, kind: str, points) -> tuple[tuple[float, float], tuple[float, float]]:
    """A square window holding the eigenvalues, the unit circle (or a stretch of the
    imaginary axis) and ``points``, padded by 10 %."""
    import numpy as np

    eigs = np.linalg.eigvals(J)
    pts = np.concatenate([eigs, np.asarray(points, dtype=complex)])
    if kind == "discrete":
        pts = np.concatenate([pts, [1, -1, 1j, -1j]])
    else:
        pts = np.concatenate([pts, [0]])
    cx = (pts.real.min() + pts.real.max()) / 2
    cy = (pts.imag.min() + pts.imag.max()) / 2
    half = 0.55 * max(np.ptp(pts.real), np.ptp(pts.imag), 1e-3 * max(1.0, np.abs(pts).max()))
    half = max(half, 0.5)
    return (cx - half, cx + half), (cy - half, cy + half)


def _portrait(ax, ps, eps, kind: str) -> None:
    """eps-pseudospectra boundaries (contours of sigma_min at eps), eigenvalues, and the
    stability boundary: unit circle (discrete) or imaginary axis (continuous)."""
    import numpy as np

    sig = np.asarray(ps.sigma_min)
    if eps is None:
        lo = math.floor(np.log10(max(sig.min(), 1e-300))) + 1
        hi = math.ceil(np.log10(sig.max())) - 1
        eps = [10.0**k for k in range(max(lo, hi - 7), hi + 1)] or [float(np.median(sig))]
    levels = np.log10(sorted(eps))
    cs = ax.contour(ps.real, ps.imag, np.log10(sig), levels=levels, cmap="viridis_r")
    ax.clabel(cs, fmt=lambda v: f"1e{v:.2g}" if float(v).is_integer() else f"{10**v:.2g}",
              fontsize=7)
    ev = np.asarray(ps.eigenvalues)
    ax.plot(ev.real, ev.imag, "k.", ms=4, label="eigenvalues")
    if kind == "discrete":
        th = np.linspace(0, 2 * np.pi, 400)
        ax.plot(np.cos(th), np.sin(th), color="0.3", lw=0.8, ls="--", label="unit circle")
    else:
        ax.axvline(0, color="0.3", lw=0.8, ls="--", label="imaginary axis")
    ax.set_xlim(min(ps.real), max(ps.real))
    ax.set_ylim(min(ps.imag), max(ps.imag))
    ax.set_aspect("equal")
    ax.set_xlabel("Re z")
    ax.set_ylabel("Im z")
    ax.set_title("eps-pseudospectra: log10 eps on the contours")


# ------------------------------------------------------------------ pseudospectra


@command("pseudospectra", cls=_EpsListCommand)
def pseudospectra_cmd(
    file: FileArg = None,
    example: ExampleOpt = None,
    eps: Annotated[
        list[float] | None,
        typer.Option("--eps", metavar="EPS...", show_default=False,
                     help="Levels to draw, one or more: --eps 1e-1 1e-2 1e-3 "
                     "(default: every power of ten in the window)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Figure to write (.png, .pdf, .svg); default "
                     "pseudospectra.png unless only --abscissa/--radius are asked.",
                     show_default=False),
    ] = None,
    real: Annotated[
        tuple[float, float] | None,
        typer.Option("--real", metavar="XMIN XMAX", help="Real range of the window.",
                     show_default=False),
    ] = None,
    imag: Annotated[
        tuple[float, float] | None,
        typer.Option("--imag", metavar="YMIN YMAX", help="Imaginary range of the window.",
                     show_default=False),
    ] = None,
    grid: Annotated[int, typer.Option("--grid", help="Grid points per axis.")] = 160,
    abscissa: Annotated[
        float | None,
        typer.Option("--abscissa", metavar="EPS", show_default=False,
                     help="Compute the eps-pseudospectral abscissa."),
    ] = None,
    radius: Annotated[
        float | None,
        typer.Option("--radius", metavar="EPS", show_default=False,
                     help="Compute the eps-pseudospectral radius."),
    ] = None,
    continuous: ContinuousOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """eps-pseudospectra of J as a figure; pseudospectral abscissa and radius.

    The portrait shows the boundaries of the sets sigma_min(zI - J) <= eps for
    each eps, the eigenvalues, and the unit circle (--continuous: the imaginary
    axis).  Levels: --eps 1e-1 1e-2 1e-3 (or --eps 1e-1 --eps 1e-2).
    """
    import numpy as np

    loaded = _load(file, example)
    J = loaded.J
    for name, v in (("--eps", eps or []), ("--abscissa", [abscissa]), ("--radius", [radius])):
        for x in v:
            if x is not None and not (x > 0 and math.isfinite(x)):
                raise InputError(f"{name} must be a positive number, got {x}")
    if grid < 2:
        raise InputError(f"--grid must be at least 2, got {grid}")
    for name, rng in (("--real", real), ("--imag", imag)):
        if rng is not None and not rng[0] < rng[1]:
            raise InputError(f"{name} needs MIN < MAX, got {rng[0]} {rng[1]}")
    report: dict = {"file": str(loaded.path), "n": J.shape[0]}
    if abscissa is not None:
        from .. import pseudospectral_abscissa

        report["pseudospectral_abscissa"] = _result_dict(
            pseudospectral_abscissa(J, abscissa), abscissa)
    if radius is not None:
        from .. import pseudospectral_radius

        report["pseudospectral_radius"] = _result_dict(pseudospectral_radius(J, radius), radius)
    want_figure = output is not None or (abscissa is None and radius is None)
    if want_figure:
        from .. import pseudospectra

        kind = "continuous" if continuous else "discrete"
        wr, wi = _window(J, kind, [])
        xs = np.linspace(*(real or wr), grid)
        ys = np.linspace(*(imag or wi), grid)
        ps = pseudospectra(J, real=xs, imag=ys)
        fig, ax = _new_figure()
        _portrait(ax, ps, eps, kind)
        ax.legend(loc="upper right", fontsize=8)
        path = output or Path("pseudospectra.png")
        if path.parent != Path() and not path.parent.is_dir():
            raise InputError(f"-o {path}: directory {path.parent} does not exist")
        fig.savefig(path, dpi=120)
        report["figure"] = str(path)
    if json_out:
        _print_json(report)
        return
    for key in ("pseudospectral_abscissa", "pseudospectral_radius"):
        if key in report:
            d = report[key]
            console.print(f"{key.replace('_', ' ')} (eps = {_fmt(d['eps'])}): "
                          f"[bold]{_fmt(d['value'])}[/]", highlight=False)
    if "figure" in report:
        console.print(f"wrote {report['figure']}", highlight=False)


def _result_dict(res, eps: float) -> dict:
    """A pseudospectral radius/abscissa result as a dict with at least ``eps`` and ``value``."""
    d = res.to_dict() if hasattr(res, "to_dict") else {"value": float(res)}
    d.setdefault("eps", eps)
    return d


# ------------------------------------------------------------------ version


@command()
def version() -> None:
    """Print the kreiss version."""
    from .. import __version__

    print(__version__)
