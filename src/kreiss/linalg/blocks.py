"""Views of the blocks of J = [[A, B], [C, D]], the x block of size p first."""

from __future__ import annotations

import numpy as np


class BlockViews:
    """Mixin for (frozen) dataclasses with fields ``J`` (n x n) and ``p``: the four blocks."""

    J: np.ndarray
    p: int

    @property
    def A(self) -> np.ndarray:
        return self.J[: self.p, : self.p]

    @property
    def B(self) -> np.ndarray:
        return self.J[: self.p, self.p :]

    @property
    def C(self) -> np.ndarray:
        return self.J[self.p :, : self.p]

    @property
    def D(self) -> np.ndarray:
        return self.J[self.p :, self.p :]
