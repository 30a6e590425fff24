"""`kreiss` commands (placeholder until this layer lands)."""

from ._app import app, command  # noqa: F401
