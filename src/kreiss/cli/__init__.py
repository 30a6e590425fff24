"""The ``kreiss`` command line.

Each sub-module registers its commands on :data:`app`.  Errors of type
:class:`kreiss.errors.KreissError` (and unreadable files) print one line and exit 2,
without a traceback.
"""

from __future__ import annotations

import sys

from ._app import app, console_error

from . import analyze as _analyze  # noqa: E402,F401  (registers commands)
from . import theory as _theory  # noqa: E402,F401
from . import coupled as _coupled  # noqa: E402,F401
from . import reproduce as _reproduce  # noqa: E402,F401


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kreiss`` script."""
    from ..errors import KreissError

    try:
        app(args=argv, standalone_mode=False)
    except KreissError as exc:
        console_error(str(exc))
        return 2
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        console_error(f"cannot read {getattr(exc, 'filename', '') or exc}: {exc.strerror}")
        return 2
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.exceptions.Exit):
            return exc.exit_code
        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        if isinstance(exc, click.exceptions.Abort):
            return 1
        raise
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
