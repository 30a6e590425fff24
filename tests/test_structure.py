"""The one structure object (kreiss.linalg.structure): B = 0 and symmetry decided once, to
rtol ||J||_2 with rtol = 4 n eps, alike for the coupled report, the theory's preconditions
and the block Schur form."""

from __future__ import annotations

import numpy as np
import pytest

from kreiss import coupled
from kreiss.errors import InputError
from kreiss.linalg import schur_form
from kreiss.linalg.structure import BlockStructure, block_structure
from kreiss.linalg.tags import default_rtol
from kreiss.theory import facts, theorem4a


def _assembled(J, p):
    """Whether schur_form took the block path (its Q is block anti-diagonal)."""
    S = schur_form(J, blocks=(p, J.shape[0] - p))
    return not np.any(S.Q[:p, : J.shape[0] - p])


def test_issue_example_coupled_report_and_theorem_agree():
    # issue #13: paper_class was True (rtol 1e-9) while theorem4a said "B = 0" fails (exact 0)
    J = np.array([[0.9, 1e-13], [0.01, 0.9]])
    S = coupled.block_structure(J, 1)
    pre = {p.text: p.holds for p in theorem4a(0.9, 0.01, J=J, blocks=(1, 1)).preconditions}
    assert S.block_triangular is False and S.paper_class is False
    assert pre["B = 0 (J block lower-triangular)"] is False
    assert facts(J, (1, 1)).B_zero is False and not _assembled(J, 1)


@pytest.mark.parametrize(("b", "zero"), [(0.0, True), (1e-17, True), (1e-13, False)])
def test_b_zero_is_one_decision(b, zero):
    # the tolerance here: 4 n eps ||J||_2 = 1.6e-15
    J = np.array([[0.9, b], [0.01, 0.9]])
    S = block_structure(J, 1)
    F = facts(J, (1, 1))
    pre = {p.text: p.holds for p in theorem4a(0.9, 0.01, J=J, blocks=(1, 1)).preconditions}
    assert S.block_triangular is zero and S.paper_class is zero and F.B_zero is zero
    assert pre["B = 0 (J block lower-triangular)"] is zero
    assert _assembled(J, 1) is zero


@pytest.mark.parametrize(("e", "symmetric"), [(0.0, True), (1e-17, True), (1e-12, False)])
def test_symmetry_is_one_decision(e, symmetric):
    A = np.array([[0.5, 0.2 + e], [0.2, 0.3]])
    J = np.zeros((3, 3))
    J[:2, :2], J[2, 2], J[2, 0] = A, 0.4, 1.0
    S, F = block_structure(J, 2), facts(J, (2, 1))
    assert S.symmetric_A is symmetric and F.A_symmetric is symmetric
    assert S.paper_class is symmetric and F.symmetric is symmetric
    assert S.symmetric_D and S.block_triangular


def test_fields_radii_norms_and_tolerance():
    J = np.array([[0.5, 0.0, 0.0], [0.0, -0.7, 0.0], [2.0, 0.0, 0.25]])
    S = block_structure(J, 2)
    assert isinstance(S, BlockStructure) and coupled.BlockStructure is BlockStructure
    assert (S.p, S.q, S.rho_A, S.rho_D, S.gamma) == (2, 1, 0.7, 0.25, 0.7)
    assert S.norm_C == pytest.approx(2.0) and S.norm_B == 0.0
    assert S.norm_J == pytest.approx(np.linalg.norm(J, 2)) and S.rtol == default_rtol(3)
    assert S.rho_J == pytest.approx(0.7) and S.paper_class
    d = S.to_dict()
    assert d["paper_class"] is True and d["rtol"] == S.rtol
    loose = block_structure(np.array([[0.9, 1e-13], [0.01, 0.9]]), 1, rtol=1e-9)
    assert loose.block_triangular and loose.rtol == 1e-9


def test_one_block_and_bad_sizes():
    S = block_structure(np.diag([0.5, 0.2]), 2)  # q = 0: a single player
    assert (S.q, S.rho_D, S.norm_B, S.norm_C) == (0, 0.0, 0.0, 0.0) and S.paper_class
    assert block_structure(np.eye(2), (1, 1)) == block_structure(np.eye(2), 1)
    for p in (0, 3, 1.5, True, (1, 2), (0, 2), "a"):
        with pytest.raises(InputError, match="blocks"):
            block_structure(np.eye(2), p)
    with pytest.raises(InputError, match="rtol"):
        block_structure(np.eye(2), 1, rtol=-1.0)
