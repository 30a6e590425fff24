"""What a statement of the paper gives for given quantities: :class:`Bound`, and the facts
about a concrete J that its hypotheses need (:class:`Facts`).

A bound is never handed out bare: it carries the paper's label, what it bounds, its relation to it,
and each hypothesis with whether it holds (``True``/``False``) or could not be checked
from what the caller passed (``None``).  :attr:`Bound.applies` is ``True`` only when every
hypothesis is known to hold.

Relations
---------
``upper``       quantity <= value
``lower``       quantity >= value
``equality``    quantity == value
``threshold``   value is a critical level; the statement says what happens on either side
``asymptotic``  quantity ~ value (a leading-order or order-of-magnitude statement)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..jsonout import jsonable
from ..linalg.blocks import BlockViews
from ..linalg.structure import BlockStructure, block_structure
from ..linalg.validate import as_square_matrix, check_blocks

RELATIONS = ("upper", "lower", "equality", "threshold", "asymptotic")



@dataclass(frozen=True)
class Precondition:
    """One hypothesis of a statement; ``holds`` is None when it could not be checked."""

    text: str
    holds: bool | None
    detail: str = ""

    def to_dict(self) -> dict:
        return {"text": self.text, "holds": self.holds, "detail": self.detail}


@dataclass(frozen=True)
class Bound:
    """A statement of the paper (or of this package) evaluated at given quantities.

    Attributes
    ----------
    id : audit id of the statement (``"thm4a"``), see :mod:`kreiss.theory.claims`.
    label : the paper's label, e.g. ``"Theorem 4(a)"``.
    quantity : what is bounded, e.g. ``"K(J)"`` or ``"sup_t ||J^t||"``.
    relation : how the quantity relates to ``value``, one of :data:`RELATIONS`.
    value : the bound (``inf`` when the statement gives nothing finite).
    preconditions : the statement's hypotheses and whether they hold.
    statement : the claim in one line.
    where : extra numbers, e.g. the maximising radius ``{"r": 1.2}``.
    """

    id: str
    label: str
    quantity: str
    relation: str
    value: float
    preconditions: tuple[Precondition, ...] = ()
    statement: str = ""
    where: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise InputError(f"relation must be one of {', '.join(RELATIONS)}, "
                             f"got {self.relation!r}")

    @property
    def applies(self) -> bool | None:
        """True if every hypothesis holds, False if one fails, None if some are unchecked."""
        states = [p.holds for p in self.preconditions]
        if any(s is False for s in states):
            return False
        if any(s is None for s in states):
            return None
        return True

    @property
    def failed_preconditions(self) -> tuple[Precondition, ...]:
        return tuple(p for p in self.preconditions if p.holds is False)

    def to_dict(self) -> dict:
        return jsonable({
            "id": self.id,
            "label": self.label,
            "quantity": self.quantity,
            "relation": self.relation,
            "value": self.value,
            "applies": self.applies,
            "preconditions": self.preconditions,
            "statement": self.statement,
            "where": self.where,
        })


@dataclass(frozen=True)
class Facts(BlockViews):
    """The quantities of J = [[A, B], [C, D]] that the paper's hypotheses are stated in, read
    from its :class:`~kreiss.linalg.structure.BlockStructure` (the one structure object).

    ``gamma`` is max(rho(A), rho(D)), the smallest gamma the hypotheses allow; ``c`` is
    ||C||.  ``B_zero`` and ``A_symmetric`` / ``D_symmetric`` (Hermitian) hold to the one
    tolerance of :mod:`kreiss.linalg.tags`: J is within 4 n eps ||J||_2 of a matrix with
    B = 0 (with A, resp. D, Hermitian).
    """

    J: np.ndarray
    structure: BlockStructure

    p = property(lambda self: self.structure.p)
    q = property(lambda self: self.structure.q)
    n = property(lambda self: self.structure.p + self.structure.q)
    rho_A = property(lambda self: self.structure.rho_A)
    rho_D = property(lambda self: self.structure.rho_D)
    gamma = property(lambda self: self.structure.gamma)
    norm_B = property(lambda self: self.structure.norm_B)
    norm_C = property(lambda self: self.structure.norm_C)
    c = property(lambda self: self.structure.norm_C)
    A_symmetric = property(lambda self: self.structure.symmetric_A)
    D_symmetric = property(lambda self: self.structure.symmetric_D)
    B_zero = property(lambda self: self.structure.block_triangular)

    @property
    def symmetric(self) -> bool:
        return self.A_symmetric and self.D_symmetric


def facts(J, blocks: tuple[int, int] | None = None) -> Facts:
    """The :class:`Facts` of ``J`` split as [[A, B], [C, D]] with A of size p = blocks[0].

    ``J`` may already be a :class:`Facts` (returned unchanged).  Without ``blocks`` a
    matrix of even size is split in halves.
    """
    if isinstance(J, Facts):
        return J
    M = as_square_matrix(J, name="J")
    n = M.shape[0]
    if blocks is None:
        if n % 2:
            raise InputError(f"J is {n} x {n}: give blocks=(p, q) with p + q = {n}")
        blocks = (n // 2, n // 2)
    p, _ = check_blocks(blocks, n)
    return Facts(J=M, structure=block_structure(M, p))


def facts_from_blocks(A, C, D, B=None) -> Facts:
    """:class:`Facts` of J = [[A, B], [C, D]] (B = 0 when omitted)."""
    A, C, D = (np.atleast_2d(np.asarray(X)) for X in (A, C, D))
    B = np.zeros((A.shape[0], D.shape[0])) if B is None else np.atleast_2d(np.asarray(B))
    return facts(np.block([[A, B], [C, D]]), (A.shape[0], D.shape[0]))
