"""Bounds from the paper that need more than the numerical core (stub, landing soon)."""

from __future__ import annotations


def paper_iqc_bound(J, gamma=None):
    """The paper's Appendix M formula K_IQC = sqrt(kappa(P)) / (1 - gamma)."""
    raise NotImplementedError("paper_iqc_bound lands shortly")
