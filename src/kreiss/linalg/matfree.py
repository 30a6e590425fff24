"""Matrix-free stability, transient and Kreiss analysis from products A v and A^H v only.

For operators too large to factor (10^4 - 10^7 unknowns: a model's Jacobian by JVP / VJP,
a sparse discretisation), nothing can be certified from above without a shifted solve, but
every lower bound below comes with a **witness** that one more product re-checks, and the
upper bounds that structure allows are **probabilistic** with a stated failure probability
(statuses: :mod:`.operator`).  This module is the public face; each algorithm lives in the
module named after what it computes, whose docstring states the maths:

* **Stability** (:func:`stability`, :mod:`._matfree_stability`): the outermost (rightmost)
  eigenvalues by ARPACK, each with its residual (the Ritz pair's backward error).
* **Transient** (:func:`transient_krylov`, :mod:`._matfree_transient`): ||A^t|| >=
  ||A^t v|| / ||v||, v from a random block and Lanczos on (A^t)^H A^t at the peaks.
* **Kreiss constant** (:func:`kreiss_krylov`, :mod:`._matfree_kreiss`): the maximiser of
  (|z| - 1) / sigma_min(z I~ - H) over Arnoldi's small H (Toh & Trefethen, SIAM J. Sci.
  Comput. 17, 1996), witnessed; above, the sharp class bound with gamma and ||C|| from
  Lanczos when the block structure holds (:func:`block_tags`, :mod:`._matfree_blocks`).
* **Pseudospectra, radius / abscissa** (:func:`pseudospectra_krylov`,
  :func:`pseudospectral_krylov`, :mod:`._matfree_pseudospectra`): inner approximations from
  the same projection (Wright & Trefethen, SIAM J. Sci. Comput. 23, 2001), witnessed.
* **Norms** (:func:`norm_bound`, :mod:`._matfree_norms`): ||A|| and omega(A) with
  Kuczynski-Wozniakowski probabilistic upper bounds.
* **One call** (:func:`analyze_operator`, here): the verdict, the transient and K together.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ._matfree_blocks import block_tags, class_upper_bound
from ._matfree_kreiss import kreiss_krylov, projected_maximiser
from ._matfree_norms import DELTA, norm_bound, numerical_abscissa_bound, witness_status
from ._matfree_pseudospectra import pseudospectra_krylov, pseudospectral_krylov
from ._matfree_stability import StabilityResult, stability, stability_verdict
from ._matfree_transient import transient_krylov
from .krylov import Counted
from .threads import blas_threads


@dataclass(frozen=True)
class MatrixFreeAnalysis:
    """What a user with a large J gets from one call (:func:`analyze_operator`): a stability
    verdict, the transient lower-bound curve with its peak, and the Kreiss lower bound with
    its witness, each with its status."""

    stability: StabilityResult
    transient: object
    kreiss: object
    seconds: float
    #: wall-clock seconds of each part: {"stability": .., "transient": .., "kreiss": ..}
    part_seconds: dict = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"stability": self.stability.to_dict(), "transient": self.transient.to_dict(),
                "kreiss": self.kreiss.to_dict(), "seconds": self.seconds,
                "part_seconds": dict(self.part_seconds)}

    def summary(self) -> str:
        s, tr, k = self.stability, self.transient, self.kreiss
        up = "inf" if not math.isfinite(k.upper) else f"{k.upper:.6g} ({k.upper_status}, " \
            f"failure probability {k.failure_probability:.1g})"
        return "\n".join([
            f"n = {s.n}, matrix-free ({s.products + tr.evaluations + k.products} products, "
            f"{self.seconds:.1f} s)",
            f"stability: {s.verdict}; rho ~ {s.spectral_radius:.6g} ({s.message})",
            f"||J|| in [{s.norm:.6g}, {s.norm_upper:.6g}] (upper probabilistic)",
            f"sup_t ||J^t|| >= {tr.sup:.6g} at t = {tr.argmax:.0f} (witnessed, t <= "
            f"{tr.horizon:.0f})",
            f"K(J) >= {k.lower:.6g} at z = {k.z:.6g} ({k.lower_status}); K(J) <= {up}",
        ])


def analyze_operator(A, *, horizon: int = 200, blocks=None, seed: int = 0,
                     adjoint: str = "auto", k: int = 2, rounds: int = 2
                     ) -> MatrixFreeAnalysis:
    """Stability verdict, transient lower-bound curve to ``horizon`` and the Kreiss lower
    bound (plus the class upper bound when ``blocks`` is given and holds) of a large
    operator, matrix-free.

    A^T has the conjugate spectrum, the same Kreiss constant (sigma_min(zI - A^T) =
    sigma_min(zI - A)) and ||(A^T)^t|| = ||A^t||, so every number can come from products
    with A^T instead.  ``adjoint``: "auto" times products each way and uses A^T where it is
    clearly faster (a model's Jacobian: the vector-Jacobian product of reverse mode, 1.7-2.4x
    cheaper than the Jacobian-vector product on the paper's GAN), never for products under
    ``TIMED_PRODUCT`` (the choice would follow timing noise); "yes" or "no".  With A^T the witness
    vectors (the Kreiss witness, the transient's v) are vectors for A^T, said in the
    messages.  ``k``: eigenvalues ARPACK resolves for the verdict (the outermost matters;
    each more costs products), ``rounds``: refinement rounds of the transient
    (:func:`transient_krylov`).
    """
    import time

    from .operator import as_operator

    t0 = time.perf_counter()
    blocks = blocks or getattr(A, "blocks", None)
    A = as_operator(A)
    if adjoint not in ("auto", "yes", "no"):
        raise InputError(f"adjoint must be 'auto', 'yes' or 'no', got {adjoint!r}")
    use_adjoint = adjoint == "yes" or (adjoint == "auto" and _adjoint_is_faster(A, seed))
    op = A.H if use_adjoint else A
    marks = [time.perf_counter()]
    with blas_threads(1):  # numpy's idle BLAS workers would slow torch-backed products
        st = stability(op, method="krylov", seed=seed, k=k)
        if use_adjoint:  # the eigenvalues of A are the conjugates of those found for A^H
            st = dataclasses.replace(st, eigenvalues=np.conj(st.eigenvalues),
                                     message=st.message + " (products with A^H)")
        marks.append(time.perf_counter())
        tr = transient_krylov(op, horizon, seed=seed, rounds=rounds)
        marks.append(time.perf_counter())
        kr = kreiss_krylov(op, blocks=None if use_adjoint else blocks, seed=seed)
    if use_adjoint:
        tr = dataclasses.replace(tr, message=tr.message + "; witness v is for A^H")
        kr = dataclasses.replace(kr, z=np.conj(kr.z),
                                 message=kr.message + "; witness x is for A^H at conj(z)")
        if blocks is not None and kr.kind == "discrete":  # the class bound needs A's blocks
            counted = Counted(A)
            upper, failure, note = class_upper_bound(counted, blocks,
                                                     np.random.default_rng(seed), DELTA)
            if math.isfinite(upper):
                kr = dataclasses.replace(
                    kr, upper=max(upper, kr.lower), upper_status="probabilistic",
                    failure_probability=failure, products=kr.products + counted.products,
                    message=kr.message + "; " + note)
    marks.append(time.perf_counter())
    parts = dict(zip(("stability", "transient", "kreiss"), np.diff(marks).tolist(),
                     strict=True))
    return MatrixFreeAnalysis(stability=st, transient=tr, kreiss=kr,
                              seconds=time.perf_counter() - t0, part_seconds=parts)


#: below this time per product (seconds) the direction is not timed: there is nothing to
#: gain, and timings of microseconds would flip the choice (and the last digits) between runs
TIMED_PRODUCT = 1e-3


def _adjoint_is_faster(A, seed: int) -> bool:
    """Two products each way on a random vector, after a warm-up call of each: A^H when its
    best time is under 0.8x A's, and A's is at least ``TIMED_PRODUCT``."""
    import time

    v = np.random.default_rng(seed).standard_normal(A.shape[0])
    times = []
    for f in (A.matvec, A.rmatvec):
        f(v)
        best = math.inf
        for _ in range(2):
            t0 = time.perf_counter()
            f(v)
            best = min(best, time.perf_counter() - t0)
        times.append(best)
        if times[0] < TIMED_PRODUCT:
            return False
    return times[1] < 0.8 * times[0]


__all__ = ["MatrixFreeAnalysis", "StabilityResult", "analyze_operator", "block_tags",
           "kreiss_krylov", "norm_bound", "numerical_abscissa_bound", "projected_maximiser",
           "pseudospectra_krylov", "pseudospectral_krylov", "stability", "stability_verdict",
           "transient_krylov", "witness_status"]
