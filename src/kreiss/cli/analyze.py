"""`kreiss analyze`, `kreiss pseudospectra` and `kreiss version`.

The numerical core, numpy and matplotlib are imported inside the commands so that
``kreiss --help`` stays fast.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand

from ..errors import InputError, UnstableError
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
    from ..linalg.operator import MATERIALISE_MAX_N, check_method

    check_method(method)
    if not (tol > 0 and math.isfinite(tol)):
        raise InputError(f"--tol must be a positive number, got {tol}")
    if grid < 2:
        raise InputError(f"--grid must be at least 2, got {grid}")
    if plot is not None and plot.exists() and not plot.is_dir():
        raise InputError(f"--plot {plot}: exists and is not a directory")
    loaded = _load(file, example, sparse=method != "dense")
    if method == "krylov" or (method == "auto" and loaded.J.shape[0] > MATERIALISE_MAX_N):
        if continuous or plot is not None:
            raise InputError("the matrix-free path supports neither --continuous nor --plot")
        if horizon < 1:
            raise InputError(f"--horizon must be >= 1, got {horizon}")
        _analyze_matrix_free(loaded, blocks, horizon, json_out)
        return

    from .. import kreiss_constant, numerical_abscissa, schur_form, transient
    from ..io import block_sizes

    J = loaded.J
    n = J.shape[0]
    sizes = block_sizes(blocks, n, str(loaded.path)) if blocks is not None else loaded.blocks
    kind = "continuous" if continuous else "discrete"
    S = schur_form(J, blocks=sizes)  # one factorisation for K, the transient and the figure

    report: dict = {"file": str(loaded.path), "kind": kind, "n": n,
                    "blocks": list(sizes) if sizes else None,
                    "spectral_radius": S.spectral_radius,
                    "spectral_abscissa": S.spectral_abscissa,
                    "norm": S.norm,
                    "numerical_abscissa": float(numerical_abscissa(J))}
    unstable_msg = T = None
    try:
        K = kreiss_constant(J, kind=kind, tol=tol, schur=S)
    except UnstableError as exc:
        K, unstable_msg = None, str(exc)
    if K is not None:
        report["kreiss"] = {"value": K.value, "lower": K.lower, "upper": K.upper,
                            "z": [K.z.real, K.z.imag], "converged": K.converged,
                            "message": K.message}
        T = transient(S, kind=kind)  # the certified sup by branch and bound over t
        sup = float(T.sup)
        report["transient"] = {"kind": kind, "sup": sup, "argmax": float(T.argmax),
                               "sup_upper": T.sup_upper, "certified": T.certified,
                               "horizon": T.horizon, "message": T.message}
        bound = math.e * n * K.value
        # sup is attained (a lower bound on the true sup), sup_upper bounds it when certified:
        # a violation needs sup > e n K, or a certified sup_upper < K
        violated = sup > bound * (1 + 1e-6) or (T.certified and
                                                 K.value > T.sup_upper * (1 + 1e-6))
        report["kreiss_matrix_theorem"] = {
            "lower": K.value, "upper": bound,
            "holds": False if violated else (True if T.certified else None),
        }
    else:
        growing = S.spectral_radius > 1 if kind == "discrete" else S.spectral_abscissa > 0
        value = math.inf if growing else None
        if not growing:  # on the boundary K may be finite (J = I has K = 1): do not say inf
            what = (f"spectral radius {S.spectral_radius:.6g} = 1" if kind == "discrete"
                    else f"spectral abscissa {S.spectral_abscissa:.6g} = 0")
            unstable_msg = f"{what}: K(J) is not computed (finite only if J is power bounded)"
        report["kreiss"] = {"value": value, "lower": value, "upper": value, "z": None,
                            "converged": None, "message": unstable_msg}
        report["transient"] = {"kind": kind, "sup": value, "argmax": None, "horizon": None}
        report["kreiss_matrix_theorem"] = None
    report["stable"] = K is not None
    report["bounds"], bounds_note = _bounds(J, sizes, kind, K, T, tol)
    report["bounds_note"] = bounds_note

    if plot is not None:
        report["figures"] = _analyze_figures(plot, S, kind, K, T, grid)

    if json_out:
        _print_json(report)
    else:
        _print_summary(report)
    if unstable_msg is not None:
        console_error(unstable_msg)
        raise typer.Exit(2)


def _analyze_matrix_free(loaded, blocks, horizon: int, json_out: bool) -> None:
    """`kreiss analyze` on the matrix-free path (:func:`kreiss.analyze_operator`)."""
    from ..io import block_sizes
    from ..linalg.matfree import analyze_operator

    n = loaded.J.shape[0]
    sizes = block_sizes(blocks, n, str(loaded.path)) if blocks is not None else loaded.blocks
    with console.status(f"matrix-free analysis of a {n} x {n} operator ..."):
        res = analyze_operator(loaded.J, horizon=horizon, blocks=sizes)
    if json_out:
        _print_json({"file": str(loaded.path), "n": n, "method": "krylov", **res.to_dict()})
        return
    from rich.markup import escape

    console.print(f"[bold]{escape(str(loaded.path))}[/]  discrete time, n = {n}, "
                  "matrix-free", highlight=False)
    for line in res.summary().splitlines():
        console.print(escape(line), highlight=False)


def _bounds(J, sizes, kind: str, K, T, tol: float):
    """Rows (dicts) of ``kreiss.theory.bounds_for`` for J, or (None, a one-line reason).

    K(J) and ||J^t|| already computed here are handed to the theory layer (anything with
    ``kreiss``/``powers``/``lyapunov`` methods may stand in for its ``Exact``)."""
    if sizes is None:
        return None, None
    if kind != "discrete":
        return None, "the paper's bounds are stated for discrete time (J^t)"
    try:
        from ..theory import bounds_for
        from ..theory.exact import Exact, Value
    except ImportError:
        return None, "kreiss.theory is not available: no table of the paper's bounds"
    import numpy as np

    from ..errors import KreissError

    class Known(Exact):
        """The theory's Exact, answering for J itself from the values computed above."""

        def kreiss(self, M, kind: str = "discrete"):
            if K is not None and kind == "discrete" and np.array_equal(M, J):
                return Value(float(K.value), float(K.lower), float(K.upper))
            return super().kreiss(M, kind)

    try:
        with np.errstate(all="ignore"):
            rows = bounds_for(J, blocks=tuple(sizes), exact=Known(tol=max(tol, 1e-10)))
    except KreissError as exc:
        return None, f"bounds: {exc}"
    return [row.to_dict() for row in rows], None


def _print_summary(r: dict) -> None:
    from rich.markup import escape
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
        bracket = escape(f"[{_fmt(k['lower'], 10)}, {_fmt(k['upper'], 10)}]")
        t.add_row("  certified bracket", f"{bracket}  ({status})")
        z = complex(*k["z"])
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
    console.print(t, highlight=False)
    if r["bounds"]:
        _print_bounds(r["bounds"])
    elif r["bounds_note"]:
        console.print(f"bounds: {r['bounds_note']}", highlight=False)
    for name, path in (r.get("figures") or {}).items():
        console.print(f"wrote {name}: {path}", highlight=False)


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
        claim = f"{row.get('quantity', '')} {sign.get(row.get('kind'), '?')} " \
            f"{_cell(row.get('value'))}"
        t.add_row(escape(str(row.get("label", row.get("id", "")))), escape(claim),
                  _cell(row.get("exact")), _cell(row.get("ratio")),
                  yes_no.get(row.get("applies"), "-"), yes_no.get(row.get("consistent"), "-"))
    console.print(t, highlight=False)


def _cell(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, str):
        return "-" if v == "nan" else v
    x = float(v)
    return "-" if math.isnan(x) else _fmt(x, 4)


# ------------------------------------------------------------------ figures


def _new_figure():
    """A matplotlib Figure and Axes without pyplot (no GUI backend, nothing global)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 5.2), layout="constrained")
    return fig, fig.subplots()


#: the figure formats -o accepts (matplotlib's Agg, PDF, SVG and PS backends)
FIGURE_SUFFIXES = (".png", ".pdf", ".svg", ".ps", ".eps", ".jpg", ".jpeg")


def _check_figure_path(path: Path) -> None:
    """-o means exactly the file given: checked before any computation."""
    from ..errors import InputError

    if path.is_dir():
        raise InputError(f"-o {path} is a directory; give a file name, e.g. "
                         f"{path / 'pseudospectra.png'}")
    if path.suffix.lower() not in FIGURE_SUFFIXES:
        raise InputError(f"-o {path}: the file name must end in one of "
                         f"{', '.join(FIGURE_SUFFIXES)}")


def _analyze_figures(directory: Path, S, kind: str, K, T, grid: int) -> dict:
    """pseudospectra.png (portrait, eigenvalues, unit circle or imaginary axis, Kreiss
    maximiser) and, for stable J, transient.png (the curve, its sup, the pseudospectral
    lower bound, and the line K(J), itself a lower bound on the sup)."""
    import numpy as np

    from .. import pseudospectra

    directory.mkdir(parents=True, exist_ok=True)
    z = K.z if K is not None and math.isfinite(K.z.real) else None
    real, imag = _window(S, kind, [z] if z is not None else [])
    ps = pseudospectra(None, real=np.linspace(*real, grid), imag=np.linspace(*imag, grid),
                       schur=S)
    levels = [float(e) for e in ps.default_levels()]
    title = None
    if z is not None:  # the level whose pseudospectrum reaches the maximiser
        star = (z.real if kind == "continuous" else abs(z) - 1) / K.value
        levels.append(star)
        title = f"pseudospectra; K(J) = {K.value:.4g} at x (level {star:.3g})"
    fig, _ = _portrait(ps, levels, kind, mark=z, title=title)
    files = {"pseudospectra": str(directory / "pseudospectra.png")}
    fig.savefig(files["pseudospectra"], dpi=120)
    if T is not None:  # the curve to a few times the certified argmax, for the picture
        from .. import transient

        span = 3 * T.argmax + (10 if kind == "discrete" else 10 / max(S.norm, 1e-300))
        span = min(span, T.horizon) if T.certified else span
        horizon = max(1, min(int(span), 20_000)) if kind == "discrete" else span
        curve = transient(S, kind=kind, horizon=horizon, curve=True, lower_bound=True)
        fig2, ax2 = _new_figure()
        ax2.axhline(K.value, color="0.4", ls="--", lw=0.8,
                    label=f"K(J) = {K.value:.4g} <= sup (Kreiss matrix theorem)")
        curve.plot(ax=ax2)
        ax2.set_ylabel("||e^{tJ}||" if kind == "continuous" else "||J^t||")
        files["transient"] = str(directory / "transient.png")
        fig2.savefig(files["transient"], dpi=120)
    return files


def _window(S, kind: str, points, eps_max: float = 0.0):
    """(xmin, xmax), (ymin, ymax) of a square window holding the eigenvalues, the unit
    circle (or the origin of the imaginary axis), ``points``, and the core's
    :func:`~kreiss.linalg.pseudospectra.auto_region` for levels up to ``eps_max`` (the
    numerical range widened by eps_max, which holds every such pseudospectrum)."""
    import numpy as np

    from ..linalg.pseudospectra import auto_region

    rx, iy = auto_region(S, eps_max, 2)
    box = [complex(rx[0], iy[0]), complex(rx[-1], iy[-1])]
    stab = [1, -1, 1j, -1j] if kind == "discrete" else [0]
    pts = np.concatenate([S.eigenvalues, np.asarray(list(points) + box + stab, dtype=complex)])
    cx = (pts.real.min() + pts.real.max()) / 2
    cy = (pts.imag.min() + pts.imag.max()) / 2
    half = 0.55 * max(np.ptp(pts.real), np.ptp(pts.imag))
    return (cx - half, cx + half), (cy - half, cy + half)


def _portrait(ps, eps, kind: str, mark=None, title=None):
    """A Figure with the core's portrait of ``ps`` at the levels ``eps`` (None: the core's
    default decades) and the unit circle (discrete) or imaginary axis (continuous).

    Returns (figure, the levels drawn)."""
    levels = sorted(float(e) for e in (eps if eps else ps.default_levels()))
    fig, ax = _new_figure()
    ps.plot(eps=levels, ax=ax, unit_circle=kind == "discrete",
            imaginary_axis=kind == "continuous", mark=mark, title=title)
    return fig, levels


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
        from .. import pseudospectra

        kind = "continuous" if continuous else "discrete"
        from .. import schur_form

        S = schur_form(J, blocks=loaded.blocks)
        wr, wi = _window(S, kind, [], max(eps) if eps else 0.0)
        xs = np.linspace(*(real or wr), grid)
        ys = np.linspace(*(imag or wi), grid)
        ps = pseudospectra(None, real=xs, imag=ys, schur=S)
        fig, report["eps"] = _portrait(ps, eps, kind)
        report["window"] = {"real": [xs[0], xs[-1]], "imag": [ys[0], ys[-1]], "grid": grid}
        fig.savefig(path, dpi=120)
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
            console.print(f"{key.replace('_', ' ')} (eps = {_fmt(d['eps'])}): "
                          f"[bold]{_fmt(d['value'])}[/]  certified in {bracket}, attained at "
                          f"z = {_fmt(z)}", highlight=False)
    if "figure" in report:
        console.print(f"wrote {report['figure']}", highlight=False)


# ------------------------------------------------------------------ version


@command()
def version() -> None:
    """Print the kreiss version."""
    from .. import __version__

    print(__version__)
