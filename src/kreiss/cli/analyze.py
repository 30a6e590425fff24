"""`kreiss analyze` and `kreiss pseudospectra` (placeholder until the core lands)."""

from ._app import command


@command()
def version() -> None:
    """Print the kreiss version."""
    from .. import __version__

    print(__version__)
