"""The theorem registry: each claim's audit reaches the verdict it declares, docs/theory.md's
verdict table agrees with the registry, each claim names the function that states it, and
kreiss.theory imports without a cycle."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import numpy as np
import pytest

import kreiss.theory
from kreiss.errors import InputError
from kreiss.theory import bounds_for
from kreiss.theory.audit import run_claim
from kreiss.theory.claims import CLAIMS, PAPER_IDS, get_claim
from kreiss.theory.exact import Exact

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def exact():
    return Exact()  # shared: the claims ask for K of the same extremal instances


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_audit_reaches_the_declared_verdict(claim, exact):
    # the extremal instances alone (no random draws or search): deterministic, and each
    # verdict is the mathematical fact docs/theory.md proves for the statement
    res = run_claim(claim, exact=exact, quick=True, budget_s=0)
    assert res.verdict == claim.verdict, res.evidence
    if claim.verdict == "fails":
        assert res.counterexample_data["ratio"] < claim.fail_below
    else:
        assert res.worst_ratio >= claim.fail_below * (1 - 1e-9)


def _docs_table() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "theory.md").read_text()
    section = text[text.index("## 2. "):text.index("## 3. ")]
    return re.findall(r"^\| ([a-z0-9-]+) \|.*?\| (holds|loose|fails) \|", section, re.M)


def test_docs_verdict_table_matches_the_registry():
    rows = _docs_table()
    assert [i for i, _ in rows] == list(PAPER_IDS)
    assert {i: v for i, v in rows} == {c.id: c.verdict for c in CLAIMS if c.source == "paper"}
    text = (ROOT / "docs" / "theory.md").read_text()
    assert f"the paper's {len(PAPER_IDS)} ids" in text
    assert all(f"`{c.id}`" in text for c in CLAIMS if c.source == "ours")


def _constants(code) -> set:
    """The constants compiled into a function (nested code included)."""
    out = set()
    for k in code.co_consts:
        out |= _constants(k) if inspect.iscode(k) else {k}
    return out


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_names_the_exported_function_that_states_it(claim):
    fn = claim.bound
    assert getattr(kreiss.theory, fn.__name__) is fn
    assert fn.__name__ in kreiss.theory.__all__
    assert claim.id in _constants(fn.__code__)  # the Bound it returns carries the id


def test_ids_unique_and_lookup():
    assert len({c.id for c in CLAIMS}) == len(CLAIMS)
    assert get_claim("thm10b").label == "Theorem 10(b)"
    with pytest.raises(InputError, match="unknown claim"):
        get_claim("thm99")


def test_bounds_for_lists_only_registered_statements():
    rows = bounds_for(np.array([[0.9, 0.0], [1.0, 0.9]]), (1, 1), lyapunov=False)
    ids = {r.bound.id for r in rows}
    assert ids <= {c.id for c in CLAIMS}
    needs = [r for r in rows if r.note.startswith("needs")]
    assert needs and all(r.bound.label == get_claim(r.bound.id).label for r in needs)
