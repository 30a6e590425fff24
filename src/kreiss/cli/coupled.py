"""`kreiss problem`, `kreiss simulate` and `kreiss lyapunov`: coupled-GD instances and runs.

Heavy modules (numpy, the numerical core, matplotlib) are imported inside the commands so that
``kreiss --help`` stays fast.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..jsonout import dumps
from ._app import command


class ProblemKind(StrEnum):
    cls = "class"
    lq = "lq"
    flow = "flow"


def _fmt(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    return f"{float(x):.6g}"


@command("problem", background=True)
def problem(
    kind: Annotated[ProblemKind, typer.Argument(help="class: the paper's class C(gamma, c); "
                    "lq: the linear-quadratic bilevel problem of Section 7; flow: the "
                    "gradient flow of Appendix N.", show_default=False)],  # fmt: skip
    out: Annotated[Path, typer.Option("-o", "--out", help="Output .npz (keys J, A, B, C, D).")],
    p: Annotated[int, typer.Option(help="Size of x.")] = 50,
    q: Annotated[int, typer.Option(help="Size of y.")] = 50,
    gamma: Annotated[float, typer.Option(help="rho(A) = rho(D) (class, lq).")] = 0.9,
    c: Annotated[float, typer.Option("--c", help="||C|| (flow: ||H_yx||).")] = 1.0,
    shape: Annotated[str, typer.Option(help="Spectrum shape: uniform, linspace, positive, "
                     "clustered, two-point, constant, constant-negative.")] = (
        "uniform"
    ),
    rank: Annotated[int | None, typer.Option(help="Rank of C (default min(p, q)).")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed.")] = 0,
    align: Annotated[bool, typer.Option(help="class: align C with the top eigenvectors.")] = False,
    singular: Annotated[str, typer.Option(help="class: singular values of C, random|flat.")] = (
        "random"
    ),
    mu: Annotated[float, typer.Option(help="lq: mu; flow: strong convexity.")] = 0.1,
    data: Annotated[str, typer.Option(help="lq: gaussian|spectral data.")] = "gaussian",
    oversample: Annotated[float, typer.Option(help="lq gaussian: rows per unknown.")] = 4.0,
    outer: Annotated[str, typer.Option(help="lq: partial (B = 0) | implicit.")] = "partial",
    L: Annotated[float, typer.Option("--L", help="flow: largest curvature.")] = 1.0,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Generate a coupled-GD instance and save it as .npz for `kreiss analyze` / `simulate`."""
    from .. import coupled

    if out.suffix.lower() != ".npz":
        raise InputError(f"{out}: the output must be an .npz file")
    if kind is ProblemKind.cls:
        prob = coupled.paper_class_instance(p, q, gamma, c, shape=shape, rank=rank,
                                            singular=singular, align=align, seed=seed)  # fmt: skip
    elif kind is ProblemKind.lq:
        prob = coupled.lq_bilevel(p, q, mu, gamma, c, data=data, oversample=oversample,
                                  shape=shape, rank=rank, outer=outer, seed=seed)  # fmt: skip
    else:
        prob = coupled.gradient_flow_instance(p, q, mu, c, L=L, shape=shape, rank=rank, seed=seed)
    prob.save(out)
    summary = prob.to_dict()
    summary["file"] = str(out)
    if json_out:
        typer.echo(dumps(summary, indent=2))
        return
    s = summary["structure"]
    typer.echo(f"wrote {out}: {kind.value} instance, n = {prob.n} (p = {prob.p}, q = {prob.q})")
    typer.echo(
        f"rho(A) = {_fmt(s['rho_A'])}, rho(D) = {_fmt(s['rho_D'])}, ||C|| = {_fmt(s['norm_C'])}, "
        f"||B|| = {_fmt(s['norm_B'])}, A, D symmetric: {s['symmetric_A'] and s['symmetric_D']}"
    )
    if kind is ProblemKind.lq:
        typer.echo(f"alpha = {_fmt(prob.alpha)}, beta = {_fmt(prob.beta)}, mu = {_fmt(mu)}")


def _step_size(data, key: str, file: Path) -> float | None:
    """A step size stored in an .npz (by `kreiss problem lq`): a finite number > 0."""
    from ..linalg.validate import check_positive

    if key not in data.files:
        return None
    try:
        value = float(data[key])
    except (TypeError, ValueError):
        raise InputError(f"{file}: {key} is not a number ({data[key]!r})") from None
    return check_positive(value, f"{file}: {key}")


def _load_with_steps(file: Path):
    """(J, p, alpha, beta) from FILE; alpha/beta from an .npz written by `kreiss problem lq`."""
    import numpy as np

    from ..io import load_matrix

    loaded = load_matrix(file, blocks=True)
    alpha = beta = None
    if file.suffix.lower() == ".npz":
        with np.load(file, allow_pickle=False) as data:
            if "kind" in data.files and str(data["kind"]) == "continuous":
                raise InputError(f"{file}: holds a continuous-time generator (kreiss problem flow)")
            alpha, beta = (_step_size(data, k, file) for k in ("alpha", "beta"))
    p = loaded.blocks[0] if loaded.blocks else None
    return loaded.J, p, alpha, beta


@command("simulate", background=True)
def simulate_cmd(
    file: Annotated[Path, typer.Argument(help="Matrix file (.npz from `kreiss problem`, .npy, "
                    ".mtx, .csv).", show_default=False)],  # fmt: skip
    steps: Annotated[int | None, typer.Option(help="Horizon (default from rho(J), tol).")] = None,
    sigma: Annotated[float, typer.Option(help="Gradient-noise level (Theorem 11).")] = 0.0,
    alpha: Annotated[float | None, typer.Option(help="x step size for the noise "
                     "(default: from the file, else 1).")] = None,  # fmt: skip
    beta: Annotated[float | None, typer.Option(help="y step size for the noise.")] = None,
    p: Annotated[int | None, typer.Option(help="Size of x (default: from the blocks).")] = None,
    runs: Annotated[int | None, typer.Option(help="Independent runs (default 1, 100 noisy).")] = (
        None
    ),
    tol: Annotated[float, typer.Option(help="Tolerance on ||e_t||.")] = 1e-6,
    e0: Annotated[str, typer.Option(help="Initial error: worst|random.")] = "worst",
    seed: Annotated[int | None, typer.Option(help="Random seed.")] = 0,
    lyapunov_rho: Annotated[float | None, typer.Option("--lyapunov-rho",
                            help="Add the Lyapunov envelope with this rate.")] = None,  # fmt: skip
    predict: Annotated[bool, typer.Option(help="Compute K(J) and the transient.")] = True,
    plot: Annotated[Path | None, typer.Option(help="Write ||e_t|| against the bounds (PNG).",
                    show_default=False)] = None,  # fmt: skip
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Simulate e_{t+1} = J e_t + noise from FILE; measured transient beside the theory."""
    from ..coupled import simulate

    J, p_file, a_file, b_file = _load_with_steps(file)
    res = simulate(
        J,
        steps,
        blocks=p if p is not None else p_file,
        e0=e0,
        sigma=sigma,
        alpha=alpha if alpha is not None else a_file,
        beta=beta if beta is not None else b_file,
        runs=runs,
        tol=tol,
        seed=seed,
        predict=predict,
        lyapunov_rho=lyapunov_rho,
    )
    if plot is not None:
        res.plot(path=plot)
    if json_out:
        out = res.to_dict()
        out["file"] = str(file)
        typer.echo(dumps(out, indent=2))
        return
    typer.echo(f"{file}: n = {res.n}, rho(J) = {_fmt(res.spectral_radius)}, "
                  f"{res.steps} steps, {res.runs} run(s), sigma = {_fmt(res.sigma)}")  # fmt: skip
    rows = [
        ("peak ||e_t||", res.peak, res.transient_sup and res.transient_sup * res.e0_norm,
         "||e0|| sup_t ||J^t||"),
        ("peak time", res.peak_time, res.transient_argmax, "argmax_t ||J^t||"),
        ("", None, res.paper_peak_time, "paper: log K / -log rho (Thm 8)"),
        ("iterations to tol", res.iterations_to_tol, res.predicted_iterations_to_tol,
         "worst case over e0"),
        ("K(J)", None, res.kreiss, "certified lower bound"),
        ("e n K(J) ||e0||", None, res.kreiss_matrix_bound, "Kreiss matrix theorem"),
        ("noise floor E||e||^2", res.noise_floor, res.noise_floor_exact, "Stein equation"),
        ("", None, res.noise_floor_bound, "tr(Q) sum ||J^k||^2 (Thm 11 proof)"),
    ]  # fmt: skip
    if res.lyapunov is not None:
        rows.append(("Lyapunov sqrt(kappa)", None, res.lyapunov.value,
                     f"rate {_fmt(res.lyapunov.rate)}"))  # fmt: skip
    typer.echo(f"{'quantity':<22} {'measured':>12} {'predicted':>12}  note")
    for name, measured, predicted, note in rows:
        typer.echo(f"{name:<22} {_fmt(measured):>12} {_fmt(predicted):>12}  {note}")  # fmt: skip
    if plot is not None:
        typer.echo(f"wrote {plot}")


@command("lyapunov", background=True)
def lyapunov_cmd(
    file: Annotated[Path, typer.Argument(help="Matrix file.", show_default=False)],
    rho: Annotated[float | None, typer.Option(help="Rate (default 1: bound on sup ||J^t||).")] = (
        None
    ),
    solver: Annotated[str | None, typer.Option(help="CLARABEL or SCS (default by size).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Certified quadratic-Lyapunov bound ||J^t|| <= sqrt(kappa(P)) rate^t, and the paper's
    K_IQC = sqrt(kappa(P)) / (1 - gamma) beside it."""
    from ..io import load_matrix
    from ..linalg.lyapunov import lyapunov_bound

    J = load_matrix(file)
    res = lyapunov_bound(J, rho=rho, solver=solver)
    gap = 1.0 - res.spectral_radius
    paper = res.value / gap if rho is None else None
    if json_out:
        out = res.to_dict()
        out.update(file=str(file), paper_K_IQC=paper)
        typer.echo(dumps(out, indent=2))
        return
    typer.echo(f"{file}: n = {res.n}, rho(J) = {_fmt(res.spectral_radius)}")
    typer.echo(f"||J^t|| <= {_fmt(res.value)} * {_fmt(res.rate)}^t for all t "
                  f"(sqrt(kappa(P)), certified; {res.solver}, {res.solve_time:.2g} s)")  # fmt: skip
    if paper is not None:
        typer.echo(f"paper's K_IQC = sqrt(kappa(P))/(1 - gamma) = {_fmt(paper)} "
                      "(Appendix M, gamma = rho(J))")  # fmt: skip
