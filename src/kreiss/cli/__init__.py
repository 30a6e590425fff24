"""The ``kreiss`` command line.

Each sub-module registers its commands on :data:`app` through :func:`._app.command`.
"""

from __future__ import annotations

from . import analyze as _analyze  # noqa: F401  (registers commands)
from . import coupled as _coupled  # noqa: F401
from . import monitor as _monitor  # noqa: F401
from . import reproduce as _reproduce  # noqa: F401
from . import sweep as _sweep  # noqa: F401
from . import theory as _theory  # noqa: F401
from ._app import app


def main() -> None:
    """Entry point of the ``kreiss`` script; Ctrl-C outside a running command (while
    starting up or parsing) also ends it with one line and status 130."""
    try:
        app()
    except KeyboardInterrupt:
        from ._app import console_error

        console_error("interrupted")
        raise SystemExit(130) from None
