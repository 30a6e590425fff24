"""The typer application shared by the command modules."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    name="kreiss",
    help="Transient amplification in coupled gradient descent: pseudospectra, certified "
    "Kreiss constants, the paper's bounds, and its experiments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console()
err_console = Console(stderr=True)


def console_error(message: str) -> None:
    """Print a one-line error to stderr."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
