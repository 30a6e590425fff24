"""The theorem registry: every statement the audit checks, each declared once as a
:class:`~kreiss.theory.claim.Claim` (label, bound function, source, documented verdict and
audit), in the order of docs/theory.md.

The claims are written by family in private modules: the resolvent bounds (Theorems 4, 5,
7, 9, Lemma 16, Propositions 19, 20), the transient bounds (Theorems 8, 11, 18, Lemma 17,
eq. (2), Proposition 22), stability (Theorem 10), the NTK (Theorem 12), continuous time
(Appendix N), the IQC bound (Appendix M) and ours (Theorem S); the instance pools they share
are in :mod:`kreiss.theory.instances`.
"""

from __future__ import annotations

from ...errors import InputError
from ..claim import Claim
from ._continuous import CT, ct_instance
from ._iqc import IQC
from ._ntk import THM12
from ._ours import SHARP_K, SHARP_T
from ._resolvent import (
    LEMMA16,
    PROP19,
    PROP20,
    THM4_EQ4,
    THM4A,
    THM4B_EQ10,
    THM4B_EXP,
    THM4C,
    THM5,
    THM7,
    THM9,
)
from ._stability import THM10A, THM10B, THM10C
from ._transient import KMT, LEMMA17, PROP22, THM8_DURATION, THM8_PEAK, THM11, THM18

CLAIMS: tuple[Claim, ...] = (
    THM4_EQ4, THM4A, THM4B_EQ10, THM4B_EXP, THM4C, THM5, THM7, THM8_PEAK, THM8_DURATION,
    THM9, THM10A, THM10B, THM10C, THM11, THM12, THM18, LEMMA16, LEMMA17, KMT, PROP19,
    PROP20, PROP22, CT, IQC, SHARP_K, SHARP_T,
)

#: the ids of the paper's statements (source "paper"), in the order of docs/theory.md
PAPER_IDS = tuple(c.id for c in CLAIMS if c.source == "paper")


def get_claim(claim_id: str) -> Claim:
    """The registered claim with this id."""
    for c in CLAIMS:
        if c.id == claim_id:
            return c
    raise InputError(f"unknown claim {claim_id!r}; known: {', '.join(c.id for c in CLAIMS)}")


__all__ = ["CLAIMS", "PAPER_IDS", "get_claim", "ct_instance"]
