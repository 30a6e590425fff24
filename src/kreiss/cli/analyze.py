"""`kreiss analyze`, `kreiss pseudospectra` and `kreiss version`.

`kreiss analyze` parses options and prints :func:`kreiss.analyze` (the report, its
``to_dict()`` for --json, its plots for --plot).  The numerical core, numpy and matplotlib
are imported inside the commands so that ``kreiss --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand

from ..errors import InputError
from ..jsonout import dumps
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


def _load(file: Path | None, example: str | None, sparse: bool = False):
    """The LoadedMatrix named by FILE or --example (exactly one); ``sparse``: a large
    MatrixMarket file stays sparse (for the matrix-free path)."""
    from ..io import load_matrix

    if (file is None) == (example is None):
        raise InputError("give exactly one of FILE or --example NAME")
    if example is not None:
        from ..data import example_path

        file = example_path(example)
    return load_matrix(file, blocks=True, sparse=sparse)


def _print_json(obj) -> None:
    """One JSON object, encoded as every result's ``to_dict()`` (:mod:`kreiss.jsonout`)."""
    typer.echo(dumps(obj, indent=2))


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


@command("analyze", background=True)
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
    grid: Annotated[int, typer.Option("--grid", help="--plot: grid points per axis.")] = 80,
    method: Annotated[
        str, typer.Option("--method", metavar="auto|dense|krylov",
                          help="dense: certified Schur-based path; krylov: matrix-free "
                          "(witnessed lower bounds, probabilistic upper bounds); auto: "
                          "krylov for sparse files above n = 1600."),
    ] = "auto",
    horizon: Annotated[
        int, typer.Option("--horizon", help="Matrix-free path: the transient's last step.")
    ] = 200,
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

    Matrix-free (--method krylov, or a sparse .mtx above n = 1600): a stability
    verdict, the transient's witnessed lower bounds up to --horizon and the
    Kreiss constant's witnessed lower bound, each with its status.
    """
    from ..linalg.operator import check_method
    from ..theory.analysis import analysis_method
    from ..theory.analysis import analyze as analyze_matrix

    check_method(method)
    if not (tol > 0 and math.isfinite(tol)):
        raise InputError(f"--tol must be a positive number, got {tol}")
    if grid < 2:
        raise InputError(f"--grid must be at least 2, got {grid}")
    if plot is not None and plot.exists() and not plot.is_dir():
        raise InputError(f"--plot {plot}: exists and is not a directory")
    loaded = _load(file, example, sparse=method != "dense")
    matrix_free = analysis_method(loaded.J, method) == "krylov"
    if matrix_free:
        if continuous or plot is not None:
            raise InputError("the matrix-free path supports neither --continuous nor --plot")
        if horizon < 1:
            raise InputError(f"--horizon must be >= 1, got {horizon}")
    n = loaded.J.shape[0]
    with (console().status(f"matrix-free analysis of a {n} x {n} operator ...") if matrix_free
          else contextlib.nullcontext()):
        result = analyze_matrix(loaded, blocks, "continuous" if continuous else "discrete",
                                method=method, tol=tol, horizon=horizon)
    report = result.to_dict()
    if plot is not None:
        report["figures"] = _write_figures(result, plot, grid)
    if json_out:
        _print_json(report)
    elif matrix_free:
        _print_matrix_free(result)
    else:
        _print_summary(report)
    if result.message is not None:
        console_error(result.message)
        raise typer.Exit(2)


def _print_matrix_free(result) -> None:
    from rich.markup import escape

    console().print(f"[bold]{escape(result.file)}[/]  discrete time, n = {result.n}, "
                    "matrix-free", highlight=False)
    for line in result.matrix_free.summary().splitlines():
        console().print(escape(line), highlight=False)


def _print_summary(r: dict) -> None:
    from rich.markup import escape
    from rich.table import Table

    cont = r["kind"] == "continuous"
    head = f"[bold]{r['file']}[/]  {r['kind']} time, n = {r['n']}"
    if r["blocks"]:
        head += f", blocks {r['blocks'][0]} + {r['blocks'][1]}"
    console().print(head, highlight=False)
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
        status = "certified" if k["certified"] else "NOT converged"
        bracket = escape(f"[{_fmt(k['lower'], 10)}, {_fmt(k['upper'], 10)}]")
        t.add_row("  certified bracket", f"{bracket}  ({status})")
        z = complex(*map(float, k["z"]))
        where = ("the limit Re z -> inf" if cont else "the limit |z| -> inf") \
            if not math.isfinite(z.real) else \
            f"z = {_fmt(z)}  ({'Re z' if cont else '|z|'} = " \
            f"{_fmt(z.real if cont else abs(z))})"
        t.add_row("  attained at", where)
        tr = r["transient"]
        step = "t" if cont else "step t"
        if tr["certified"]:
            t.add_row(f"sup_t {power}", f"[bold]{_fmt(tr['sup'])}[/] at {step} = "
                      f"{_fmt(tr['argmax'])}  (certified <= {_fmt(tr['sup_upper'])})")
        else:
            t.add_row(f"sup_t {power}", f">= [bold]{_fmt(tr['sup'])}[/] at {step} = "
                      f"{_fmt(tr['argmax'])}: not certified ({tr['message']})")
        m = r["kreiss_matrix_theorem"]
        mark = {True: "[green]holds[/]", False: "[bold red]VIOLATED[/]",
                None: "[yellow]not checked: the sup is not certified[/]"}[m["holds"]]
        t.add_row("Kreiss matrix theorem", f"K <= sup <= e n K {mark}")
        t.add_row("", f"{_fmt(m['lower'])} <= {_fmt(tr['sup'])} <= {_fmt(m['upper'])}")
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
    console().print(t, highlight=False)
    if r["bounds"]:
        _print_bounds(r["bounds"])
    elif r["bounds_note"]:
        console().print(f"bounds: {r['bounds_note']}", highlight=False)
    for name, path in (r.get("figures") or {}).items():
        console().print(f"wrote {name}: {path}", highlight=False)


def _print_bounds(rows: list[dict]) -> None:
    """The theory table: statement, its claim on this J, the exact value, the ratio, whether
    its hypotheses hold here ("applies") and whether the claim is true here ("true")."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    sign = {"upper": "<=", "lower": ">=", "equality": "=", "threshold": "vs", "asymptotic": "~"}
    yes_no = {True: "[green]yes[/]", False: "[red]no[/]", None: "-"}
    t = Table(title="The paper's bounds for this J", title_justify="left", box=box.SIMPLE,
              caption="applies: its hypotheses hold on J;  true: the claim holds on J",
              caption_justify="left")
    t.add_column("statement", ratio=3)
    t.add_column("claim on this J", ratio=4)
    for col in ("exact", "ratio", "applies", "true"):
        t.add_column(col, justify="right" if col in ("exact", "ratio") else "center",
                     no_wrap=True)
    for row in rows:
        claim = f"{row.get('quantity', '')} {sign.get(row.get('relation'), '?')} " \
            f"{_cell(row.get('value'))}"
        t.add_row(escape(str(row.get("label", row.get("id", "")))), escape(claim),
                  _cell(row.get("exact")), _cell(row.get("ratio")),
                  yes_no.get(row.get("applies"), "-"), yes_no.get(row.get("consistent"), "-"))
    console().print(t, highlight=False)


def _cell(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, str):
        return "-" if v == "nan" else v
    x = float(v)
    return "-" if math.isnan(x) else _fmt(x, 4)


# ------------------------------------------------------------------ figures


#: inches, of each figure written
FIGSIZE = (6.4, 5.2)

#: the figure formats -o accepts (matplotlib's Agg, PDF, SVG and PS backends)
FIGURE_SUFFIXES = (".png", ".pdf", ".svg", ".ps", ".eps", ".jpg", ".jpeg")


def _check_figure_path(path: Path) -> None:
    """-o means exactly the file given: checked before any computation."""
    if path.is_dir():
        raise InputError(f"-o {path} is a directory; give a file name, e.g. "
                         f"{path / 'pseudospectra.png'}")
    if path.suffix.lower() not in FIGURE_SUFFIXES:
        raise InputError(f"-o {path}: the file name must end in one of "
                         f"{', '.join(FIGURE_SUFFIXES)}")


def _save(ax, path) -> None:
    """Write the figure of ``ax`` to ``path`` and release it."""
    from ..linalg.plotting import pyplot

    ax.figure.set_layout_engine("constrained")
    ax.figure.savefig(path, dpi=120)
    pyplot().close(ax.figure)


def _write_figures(result, directory: Path, grid: int) -> dict:
    """pseudospectra.png and, for stable J, transient.png (:class:`kreiss.Analysis`'s
    ``plot_pseudospectra`` and ``plot_transient``) in ``directory``: {name: path}."""
    from ..linalg.plotting import new_axes

    directory.mkdir(parents=True, exist_ok=True)
    draw = {"pseudospectra": lambda ax: result.plot_pseudospectra(ax, grid)}
    if result.transient is not None:
        draw["transient"] = result.plot_transient
    files = {}
    for name, plot in draw.items():
        files[name] = str(directory / f"{name}.png")
        _save(plot(new_axes(figsize=FIGSIZE)), files[name])
    return files


# ------------------------------------------------------------------ pseudospectra


@command("pseudospectra", cls=_EpsListCommand, background=True)
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
    grid: Annotated[int, typer.Option("--grid", help="Grid points per axis.")] = 100,
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
    for name, v in (("--eps", eps or []), ("--abscissa", [abscissa]), ("--radius", [radius])):
        for x in v:
            if x is not None and not (x > 0 and math.isfinite(x)):
                raise InputError(f"{name} must be a positive number, got {x}")
    if grid < 2:
        raise InputError(f"--grid must be at least 2, got {grid}")
    for name, rng in (("--real", real), ("--imag", imag)):
        if rng is not None and not (math.isfinite(rng[0]) and math.isfinite(rng[1])):
            raise InputError(f"{name} needs finite MIN and MAX, got {rng[0]} {rng[1]}")
        if rng is not None and not rng[0] < rng[1]:
            raise InputError(f"{name} needs MIN < MAX, got {rng[0]} {rng[1]}")
    want_figure = output is not None or (abscissa is None and radius is None)
    path = output or Path("pseudospectra.png")
    if want_figure:
        _check_figure_path(path)
    if want_figure and not path.resolve().parent.is_dir():
        raise InputError(f"-o {path}: directory {path.parent} does not exist")
    loaded = _load(file, example)

    import numpy as np

    J = loaded.J
    report: dict = {"file": str(loaded.path), "n": J.shape[0]}
    if abscissa is not None:
        from .. import pseudospectral_abscissa

        report["pseudospectral_abscissa"] = pseudospectral_abscissa(J, abscissa).to_dict()
    if radius is not None:
        from .. import pseudospectral_radius

        report["pseudospectral_radius"] = pseudospectral_radius(J, radius).to_dict()
    if want_figure:
        from .. import pseudospectra, schur_form
        from ..linalg.plotting import new_axes
        from ..linalg.window import portrait_window

        kind = "continuous" if continuous else "discrete"
        S = schur_form(J, blocks=loaded.blocks)
        wr, wi = portrait_window(S, kind, (), max(eps) if eps else 0.0)
        xs = np.linspace(*(real or wr), grid)
        ys = np.linspace(*(imag or wi), grid)
        ps = pseudospectra(None, real=xs, imag=ys, schur=S)
        report["eps"] = sorted(float(e) for e in (eps or ps.default_levels()))
        _save(ps.plot(eps=report["eps"], ax=new_axes(figsize=FIGSIZE),
                      unit_circle=kind == "discrete", imaginary_axis=kind == "continuous"),
              path)
        report["window"] = {"real": [xs[0], xs[-1]], "imag": [ys[0], ys[-1]], "grid": grid}
        report["figure"] = str(path)
    if json_out:
        _print_json(report)
        return
    from rich.markup import escape

    for key in ("pseudospectral_abscissa", "pseudospectral_radius"):
        if key in report:
            d = report[key]
            bracket = escape(f"[{_fmt(d['lower'], 10)}, {_fmt(d['upper'], 10)}]")
            z = complex(float(d["z"][0]), float(d["z"][1]))
            console().print(f"{key.replace('_', ' ')} (eps = {_fmt(d['eps'])}): "
                            f"[bold]{_fmt(d['value'])}[/]  certified in {bracket}, attained at "
                            f"z = {_fmt(z)}", highlight=False)
    if "figure" in report:
        console().print(f"wrote {report['figure']}", highlight=False)


# ------------------------------------------------------------------ version


@command()
def version() -> None:
    """Print the kreiss version."""
    from .. import __version__

    print(__version__)
