"""`kreiss audit`: every claim of the paper against exact values, with counterexamples."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from ._app import command, console, dask_client


@command()
def audit(
    quick: Annotated[bool, typer.Option("--quick", help="88 evaluations a claim (960).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of verdicts.")] = False,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write audit.md, audit.json, figures and counterexamples here.")] = None,
    only: Annotated[list[str] | None, typer.Option(
        "--id", help="Audit only this claim id (repeatable).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the random instances.")] = 0,
    evaluations: Annotated[int | None, typer.Option(
        "--evaluations", min=0, help="Evaluations per claim beyond its extremal instances "
        "(default 88 quick, 960 full); the same seed and budget give the same audit.")
    ] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="run the claims on a Dask LocalCluster of N processes")
    ] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="run the claims on the Dask scheduler at this address")] = None,
) -> None:
    """Check each statement of the paper on random, extremal and optimised instances.

    Verdicts: holds (attained), loose (holds, never attained; worst ratio reported), fails
    (a certified counterexample, saved as <id>.npz that `kreiss analyze` loads).
    """
    from ..theory.audit import run_audit
    from ..theory.claims import CLAIMS
    from ..theory.exact import Exact

    known = {c.id for c in CLAIMS}
    unknown = sorted(set(only or ()) - known)
    if unknown:
        from ..errors import InputError

        raise InputError(
            f"unknown claim id(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    cx_dir = out / "counterexamples" if out is not None else None  # nothing written unasked
    exact = Exact()
    t0 = time.perf_counter()

    def progress(r):
        console(stderr=True).print(f"[dim]{r.id:16s} {r.verdict:6s} {r.seconds:6.1f} s[/]",
                                   highlight=False)

    with dask_client(workers, scheduler) as client:
        results = run_audit(quick=quick, seed=seed, exact=exact, out=cx_dir,
                            ids=set(only) if only else None, progress=progress,
                            evaluations=evaluations, client=client)
    seconds = time.perf_counter() - t0
    if out is not None:
        from ..theory.report import write_report

        command_line = " ".join(["kreiss audit", *sys.argv[2:]])
        md = write_report(results, out, exact, quick=quick, seconds=seconds, command=command_line)
        console(stderr=True).print(f"report: {md}", highlight=False)
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in results], indent=1))
        return
    from ..theory.report import audit_table

    console().print(audit_table(results))
    where = f"counterexamples in {cx_dir}" if cx_dir is not None else \
        "counterexamples not saved (give --out DIR)"
    console().print(f"{len(results)} claims in {seconds:.0f} s; {where}", highlight=False)
