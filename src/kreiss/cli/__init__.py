"""The ``kreiss`` command line.

Each sub-module registers its commands on the typer application through
:func:`._app.command`.  The script imports only the module of the command it runs
(:data:`COMMANDS`; all of them for ``kreiss --help`` or an unknown name), so that a fresh
``kreiss analyze`` does not import, nor have typer build, the other commands;
``kreiss.cli.app`` is the application with every command registered.
"""

from __future__ import annotations

import importlib
import sys

#: each command and the sub-module that registers it
COMMANDS = {
    "analyze": "analyze", "pseudospectra": "analyze", "version": "analyze",
    "problem": "coupled", "simulate": "coupled", "lyapunov": "coupled",
    "monitor": "monitor", "reproduce": "reproduce", "sweep": "sweep", "audit": "theory",
}


def _register(names) -> None:
    for module in dict.fromkeys(COMMANDS[name] for name in names):  # in COMMANDS' order
        importlib.import_module(f".{module}", __name__)


def _command_named(argv: list[str]) -> str | None:
    """The command in ``argv`` (after the root options: only ``--threads N`` takes a value);
    None for ``--help`` before it, which lists every command."""
    it = iter(argv)
    for token in it:
        if token == "--help":
            return None
        if token == "--threads":
            next(it, None)
        elif not token.startswith("-"):
            return token
    return None


def __getattr__(name: str):
    if name != "app":
        raise AttributeError(f"module 'kreiss.cli' has no attribute {name!r}")
    from ._app import app

    _register(COMMANDS)
    return app


def main() -> None:
    """Entry point of the ``kreiss`` script; Ctrl-C outside a running command (while
    starting up or parsing) also ends it with one line and status 130."""
    try:
        command = _command_named(sys.argv[1:])
        _register([command] if command in COMMANDS else COMMANDS)
        from ._app import app

        app()
    except KeyboardInterrupt:
        from ._app import console_error

        console_error("interrupted")
        raise SystemExit(130) from None
