"""Thin adapters that attach a :class:`.monitor.Monitor` to a training framework's loop.

Each calls ``monitor.step()`` after every optimiser step and ``monitor.close()`` at the end
of training; everything else is the monitor's.  The frameworks are optional
(``pip install 'kreiss[lightning]'`` / ``'kreiss[huggingface]'``) and imported only here.
"""

from __future__ import annotations

from ..errors import KreissError


def _require(module: str, extra: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise KreissError(f"this adapter needs {module.split('.')[0]}: "
                          f"pip install 'kreiss[{extra}]'") from None


def lightning_callback(monitor):
    """A ``lightning.pytorch.Callback`` that steps ``monitor`` after every training batch
    (``on_train_batch_end``) and closes it at ``on_train_end``."""
    pl = _require("lightning.pytorch", "lightning")

    class KreissMonitorCallback(pl.Callback):
        def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
            monitor.step()

        def on_train_end(self, trainer, pl_module):
            monitor.close()

    return KreissMonitorCallback()


def huggingface_callback(monitor):
    """A ``transformers.TrainerCallback`` that steps ``monitor`` after every optimiser step
    (``on_step_end``) and closes it at ``on_train_end``."""
    tr = _require("transformers", "huggingface")

    class KreissMonitorCallback(tr.TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            monitor.step()

        def on_train_end(self, args, state, control, **kwargs):
            monitor.close()

    return KreissMonitorCallback()
