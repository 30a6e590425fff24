"""Block views shared by the coupled result types: J = [[A, B], [C, D]] split after p."""

from __future__ import annotations

import numpy as np

from ..linalg.blocks import BlockViews as _Blocks


class BlockViews(_Blocks):
    """The block views plus n, q and ``save`` for the coupled result types."""

    J: np.ndarray
    p: int

    @property
    def n(self) -> int:
        return self.J.shape[0]

    @property
    def q(self) -> int:
        return self.n - self.p

    def save(self, path) -> None:
        """Write ``J, A, B, C, D``, ``p`` and the extras of :meth:`_extra_arrays` (parameters,
        step sizes) to an ``.npz`` file, which ``kreiss analyze`` / ``kreiss simulate`` and
        :func:`kreiss.io.load_matrix` read."""
        extra = self._extra_arrays()
        np.savez(path, J=self.J, A=self.A, B=self.B, C=self.C, D=self.D, p=self.p, **extra)

    def _extra_arrays(self) -> dict:
        return {}


def frozen_array(M) -> np.ndarray:
    """A read-only float64 copy of ``M``."""
    out = np.array(M, dtype=np.float64, copy=True)
    out.setflags(write=False)
    return out
