"""bounds_for: every bound beside the exact value, failed hypotheses reported, and the
rich table renders it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from rich.console import Console

from kreiss.errors import InputError
from kreiss.theory import bounds_for
from kreiss.theory.exact import Value
from kreiss.theory.report import bounds_table


class Stub:
    """Exact values given by hand (J* = [[0.9, 0], [1, 0.9]]: K = (5 + 1/5)/2 = 2.6);
    ||J^t|| by products; a fixed Lyapunov value."""

    def __init__(self, K):
        self.K = K

    def kreiss(self, M, kind="discrete"):
        return Value.exact(self.K)

    def powers(self, M):
        P, out = np.eye(M.shape[0]), []
        for _ in range(400):
            out.append(np.linalg.norm(P, 2))
            P = M @ P
        return np.array(out)

    def lyapunov(self, M):
        return 10.0


def _by(rows):
    out = {}
    for r in rows:
        out.setdefault((r.bound.id, r.bound.label), r)
    return out


def test_rows_for_the_extremal_matrix():
    J = np.array([[0.9, 0.0], [1.0, 0.9]])
    rows = bounds_for(J, (1, 1), exact=Stub(2.6))
    by = _by(rows)
    eq4 = by[("thm4-eq4", "Theorem 4, eq. (4)")]
    assert eq4.exact == 2.6 and eq4.ratio == pytest.approx(3.6 / 2.6) and eq4.consistent
    # 4(a): c = 1 > (1 - 0.9)^2, so the hypothesis fails and no verdict is given on J
    a = by[("thm4a", "Theorem 4(a)")]
    assert a.bound.applies is False and a.consistent is None
    assert any("weak coupling" in p.text for p in a.bound.failed_preconditions)
    # eq. (10) is below K(J) here: 2(s-0.1)/s + (s-0.1)/s^2, s = sqrt(1.01), is about 2.697
    assert by[("thm4b-eq10", "Theorem 4(b), eq. (10)")].consistent is True
    sharp = [r for r in rows if r.bound.id == "sharp-kreiss"]
    assert all(r.ratio == pytest.approx(1.0) for r in sharp)
    assert by[("lemma17", "Lemma 17")].ratio == pytest.approx(1.0)  # equality for J*
    assert by[("thm18", "Theorem 18")].consistent is False  # e n K gamma^t < ||J^t||
    ids = {r.bound.id for r in rows}
    assert {"thm5", "thm7", "kmt", "thm8-peak", "prop22", "thm10a", "thm10b", "thm10c",
            "iqc-formula", "prop20", "thm11", "thm12", "ct-analogue"} <= ids
    needs = [r for r in rows if r.bound.id in ("thm11", "thm12", "ct-analogue")]
    assert all(r.note.startswith("needs") and r.bound.applies is None for r in needs)


def test_failed_hypotheses_are_reported_not_dropped():
    J = np.array([[0.5, 0.2, 0.0], [0.0, 0.5, 0.0], [1.0, 0.0, 0.3]])  # A not symmetric
    rows = bounds_for(J, (2, 1), exact=Stub(1.5), lyapunov=False)
    thm4 = [r for r in rows if r.bound.id.startswith("thm4")]
    assert thm4 and all("A, D symmetric" in [p.text for p in r.bound.failed_preconditions]
                        for r in thm4)
    assert any(r.bound.id == "iqc-formula" and "skipped" in r.note for r in rows)


def test_coupled_J_gets_theorem9_and_block_triangular_hypothesis_fails():
    J = np.array([[0.5, 0.01], [1.0, 0.5]])
    rows = bounds_for(J, (1, 1), exact=Stub(1.2))
    by = _by(rows)
    assert ("thm9", "Theorem 9") in by
    assert "B = 0 (J block lower-triangular)" in [
        p.text for p in by[("thm4-eq4", "Theorem 4, eq. (4)")].bound.failed_preconditions]


def test_with_the_core_and_json_and_table():
    J = np.array([[0.9, 0.0], [1.0, 0.9]])
    rows = bounds_for(J, (1, 1), lyapunov=False)
    sharp = [r for r in rows if r.bound.id == "sharp-kreiss"][0]
    assert sharp.exact == pytest.approx(2.6, rel=1e-6)  # K(J*) from the core
    json.dumps([r.to_dict() for r in rows])
    console = Console(record=True, width=250)
    console.print(bounds_table(rows))
    text = console.export_text()
    assert "Theorem 4(a)" in text and "weak coupling" in text and "Theorem 18" in text


def test_bad_blocks():
    with pytest.raises(InputError):
        bounds_for(np.eye(3))


def test_unstable_diagonal_block_reports_why_nothing_applies():
    rows = bounds_for(np.array([[1.2, 0.0], [1.0, 0.5]]), (1, 1))
    first = rows[0]
    assert first.bound.applies is False and "none of them applies" in first.note
    assert all(r.consistent is None for r in rows)
