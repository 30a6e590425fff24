"""The one place where ``kreiss.coupled`` imports torch, lazily, with a clear message."""

from __future__ import annotations

from ..errors import KreissError


class TorchMissingError(KreissError, ImportError):
    """torch is needed (automatic differentiation) but not installed."""


def require_torch():
    """Return the ``torch`` module, or raise :class:`TorchMissingError` naming the extra."""
    try:
        import torch
    except ImportError:
        raise TorchMissingError(
            "this needs torch (automatic differentiation): pip install 'kreiss[torch]'"
        ) from None
    return torch
