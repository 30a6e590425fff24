"""The result of :func:`.kreiss_constant.kreiss_constant`, dense or matrix-free (its own
module, so that the matrix-free path builds it without importing the dense driver)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..jsonout import jsonable
from .operator import BoundStatus


@dataclass(frozen=True)
class KreissResult(BoundStatus):
    """A Kreiss constant with its certified bracket ``lower <= K <= upper``.

    ``value`` equals ``lower``: it is attained at ``z`` (``z`` is ``inf`` when the supremum
    is the limit |z| -> infinity, K = 1).  Dense path: ``upper`` is proven by the
    concave-chord certificate of :mod:`._kreiss_certificate` (up to rounding in the
    level-set tests).  Matrix-free path (``method == "krylov"``): ``lower`` is witnessed by
    ``z`` and ``witness``, ``upper`` is inf or probabilistic (``upper_status``).
    ``certified``: the bracket met the tolerance, upper <= lower (1 + tol) (the bracket is
    valid either way).  Work: ``evaluations`` of sigma_min(zI - A), ``level_set_tests``
    (2n x 2n eigenproblems), ``nodes`` of the branch and bound in t (docs/results.md).
    """

    value: float
    lower: float
    upper: float
    z: complex
    kind: str
    n: int
    spectral_radius: float
    spectral_abscissa: float
    norm: float
    certified: bool
    evaluations: int
    level_set_tests: int
    nodes: int
    message: str

    @property
    def gap(self) -> float:
        """Relative width (upper - lower) / lower of the certified bracket."""
        return (self.upper - self.lower) / self.lower

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("witness")
        return jsonable(d | {"gap": self.gap})
