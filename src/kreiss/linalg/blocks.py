"""Views of the blocks of J = [[A, B], [C, D]], the x block of size p first, and the sharp
Kreiss bound of the paper's block-triangular class (proof in docs/theory.md)."""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError
from .validate import check_number


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


def sharp_kreiss_constant_value(gamma: float, c: float) -> tuple[float, float]:
    """(K(J*), maximising radius) for alpha = beta = gamma, in closed form.

    With x = c/(2(1-gamma)): (x + 1/x)/2 at r* = gamma + c x / (x^2 - 1) when x > 1;
    else 1, the limit r -> inf.
    """
    gamma, c = check_number(gamma, "gamma"), check_number(c, "c")
    if not gamma < 1:
        raise InputError(f"gamma must be < 1, got {gamma!r}")
    x = c / (2 * (1 - gamma))
    if x <= 1:
        return 1.0, math.inf
    return (x + 1 / x) / 2, gamma + c * x / (x * x - 1)
