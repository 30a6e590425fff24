"""`kreiss reproduce`: regenerate the paper's Tables 1-3 (docs/reproduce.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import command, console, dask_client


@command("reproduce")
def reproduce_cmd(
    quick: Annotated[bool, typer.Option("--quick/--full", help="quick (default) or full")] = True,
    tables: Annotated[list[int] | None, typer.Option("--tables", help="1, 2, 3")] = None,
    out: Annotated[Path, typer.Option("--out", help="output directory")] = Path("results"),
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="run the instances on a Dask LocalCluster of N processes")
    ] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="run the instances on the Dask scheduler at this address")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="replace files in --out that kreiss did not write")] = False,
) -> None:
    """Recompute Tables 1-3 of the paper; write CSV, Markdown, figures, report.md."""
    from rich.progress import Progress
    from rich.table import Table

    from ..errors import InputError
    from ..experiments.report import reproduce, ticks

    tables = tables or [1, 2, 3]
    bad = [t for t in tables if t not in (1, 2, 3)]
    if bad:
        raise InputError(f"--tables takes 1, 2, 3; got {bad}")
    mode = "quick" if quick else "full"
    with dask_client(workers, scheduler) as client, Progress(console=console()) as prog:
        task = prog.add_task(f"reproduce ({mode})", total=ticks(mode, tables))
        res = reproduce(mode, tuple(tables), out, progress=lambda tag: prog.advance(task),
                        client=client, force=force)
    for k, rows in res["tables"].items():
        t = Table(title=f"Table {k}")
        cols = [c for c in rows[0] if c.endswith("_mean") or c in ("gamma", "c", "eta")][:9]
        for c in cols:
            t.add_column(c)
        for r in rows:
            t.add_row(*[f"{r[c]:.4g}" if isinstance(r[c], float) else str(r[c]) for c in cols])
        console().print(t)
    console().print(f"wrote {out}/ (report.md with every column and Table 3's four settings, "
                    "metadata.json, table*.csv/.md, figures)")
