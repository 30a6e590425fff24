"""`kreiss sweep`: a grid of instances on Dask, persisted cell by cell (docs/sweep.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import command, console, dask_client


@command("sweep")
def sweep_cmd(
    spec: Annotated[Path, typer.Argument(help="the sweep spec (TOML)", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="output directory")] = Path("sweep"),
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="LocalCluster processes (default: one per CPU)")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="address of a running Dask scheduler, e.g. tcp://host:8786")] = None,
    in_process: Annotated[bool, typer.Option(
        "--in-process", help="run the cells in this process, without Dask")] = False,
    resume: Annotated[bool, typer.Option(
        "--resume", help="continue the sweep in --out (a rerun skips finished cells anyway)")
    ] = False,
) -> None:
    """Run every cell of SPEC not yet finished in OUT; write sweep.nc, sweep.csv, sweep.json."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from ..errors import InputError
    from ..experiments.sweep import load_spec, sweep
    from ..linalg.threads import cores

    if sum(x is not None and x is not False for x in (workers, scheduler, in_process or None)) > 1:
        raise InputError("give at most one of --workers, --scheduler, --in-process")
    S = load_spec(spec)  # every spec error before any cluster starts
    with dask_client(None if in_process else (workers or cores()), scheduler) as client:
        cols = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("failed {task.fields[failed]}"), TimeElapsedColumn(),
                TextColumn("ETA"), TimeRemainingColumn())
        with Progress(*cols, console=console()) as prog:
            task = prog.add_task("cells", total=len(S.cells), failed=0)

            def tick(done, failed, total):
                prog.update(task, completed=done, failed=failed)

            try:
                res = sweep(S, out, client=client, resume=resume, progress=tick)
            except KeyboardInterrupt:
                console().print(f"interrupted: the finished cells are in {out} "
                                "(sweep.nc, sweep.csv); rerun to continue")
                raise typer.Exit(130) from None
    console().print(f"{res.done} of {res.total} cells done ({res.failed} failed, "
                    f"{res.skipped} found finished) in {res.seconds:.1f} s -> "
                    f"{out / 'sweep.nc'}, {out / 'sweep.csv'}")
    if res.failed:
        raise typer.Exit(1)
