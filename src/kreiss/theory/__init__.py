"""The paper's statements as functions, a sharp bound of our own, and the audit.

Every function returns a :class:`Bound`: value, relation, the paper's label, its hypotheses
and whether they hold.  :func:`bounds_for` lists every bound for one J beside the exact
value; :func:`sharp_kreiss_bound` is the best possible bound over the paper's class
(docs/theory.md); :mod:`kreiss.theory.audit` checks each statement against exact values.
The statements themselves are registered once, in :mod:`kreiss.theory.claims` (label, bound
function, source, documented verdict and audit).
"""

from .applicable import BoundRow, bounds_for
from .bound import Bound, Facts, Precondition, facts, facts_from_blocks
from .continuous import continuous_time_analogue, continuous_time_matrix
from .iqc import iqc_formula
from .ntk import ntk_jacobian, theorem12
from .resolvent_bounds import (
    jordan_block,
    lemma16,
    proposition19,
    proposition20,
    theorem4,
    theorem4a,
    theorem4b,
    theorem4b_expansion,
    theorem4c,
    theorem5,
    theorem7,
    theorem9,
)
from .sharp import (
    extremal_matrix,
    midpoint_estimator,
    sharp_continuous_kreiss_bound,
    sharp_kreiss_bound,
    sharp_power_bound,
    sharp_transient_bound,
)
from .stability import theorem10a, theorem10b, theorem10c
from .transient_bounds import (
    kreiss_matrix_theorem,
    lemma17,
    mean_square_error,
    power_blocks,
    proposition22,
    theorem8_duration,
    theorem8_peak,
    theorem11,
    theorem18,
)

__all__ = [
    "BoundRow", "bounds_for", "Bound", "Facts", "Precondition", "facts", "facts_from_blocks",
    "continuous_time_analogue", "continuous_time_matrix", "iqc_formula", "ntk_jacobian",
    "theorem12", "jordan_block", "lemma16", "proposition19", "proposition20", "theorem4",
    "theorem4a", "theorem4b", "theorem4b_expansion", "theorem4c", "theorem5", "theorem7",
    "theorem9", "extremal_matrix", "midpoint_estimator", "sharp_continuous_kreiss_bound",
    "sharp_kreiss_bound", "sharp_power_bound", "sharp_transient_bound", "theorem10a",
    "theorem10b", "theorem10c", "kreiss_matrix_theorem", "lemma17", "mean_square_error",
    "power_blocks", "proposition22", "theorem8_duration", "theorem8_peak", "theorem11",
    "theorem18",
]
