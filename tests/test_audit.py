"""The verdict machinery on planted true and false claims, counterexample files re-checked
by loading them, and `kreiss audit --json` on a few claims."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from kreiss.cli import app
from kreiss.io import load_matrix
from kreiss.theory.audit import Claim, Evaluation, judge, recheck, run_claim
from kreiss.theory.claims import CLAIMS, PAPER_IDS, ct_instance, get_claim
from kreiss.theory.exact import Value
from kreiss.theory.instances import star

IDS = ("thm4-eq4 thm4a thm4b-eq10 thm4b-expansion thm4c thm5 thm7 thm8-peak thm8-duration "
       "thm9 thm10a thm10b thm10c thm11 thm12 thm18 lemma16 lemma17 kmt prop19 prop20 prop22 "
       "ct-analogue iqc-formula").split()


class ClosedForm:
    """Test oracle: K of [[a, 0], [c, a]] by the closed form (x + 1/x)/2, x = |c|/(2(1-|a|))
    when x >= 1, else 1 (the transpose of [[a, b], [0, a]]); an optional bracket width."""

    def __init__(self, width: float = 0.0):
        self.width = width
        self.calls = 0

    def kreiss(self, M, kind="discrete"):
        self.calls += 1
        a, c = abs(M[0, 0]), abs(M[1, 0])
        assert M.shape == (2, 2) and M[0, 1] == 0 and M[1, 1] == M[0, 0]
        x = c / (2 * (1 - a))
        k = (x + 1 / x) / 2 if x >= 1 else 1.0
        return Value(k, k * (1 - self.width), k * (1 + self.width))


def _star(gamma, c):
    return {"J": np.array([[gamma, 0.0], [c, gamma]]), "gamma": gamma, "c": c}


def _planted(bound, relation="upper", extremal=None, sample=None, search=None, **kw):
    def evaluate(inst, exact):
        ex = exact.kreiss(inst["J"])
        b = bound(inst["gamma"], inst["c"])
        if relation == "upper":
            return Evaluation(b / ex.value, inst, "planted", b < ex.lower * (1 - 1e-9))
        return Evaluation(ex.value / b, inst, "planted", ex.upper < b * (1 - 1e-9))

    return Claim("planted", "Planted", "planted claim", "", evaluate,
                 extremal or (lambda quick: [_star(0.9, 0.05), _star(0.9, 1.0), _star(0.5, 3.0)]),
                 sample, search, **kw)


def _sharp(g, c):  # hand-derived closed form, independent of kreiss.theory.sharp
    x = c / (2 * (1 - g))
    return (x + 1 / x) / 2 if x >= 1 else 1.0


def test_planted_true_tight_claim_holds():
    res = run_claim(_planted(_sharp), exact=ClosedForm(), budget_s=0)
    assert res.verdict == "holds" and res.worst_ratio == pytest.approx(1.0)
    assert res.counterexample is None and res.instances == 3


def test_planted_true_loose_claim_is_loose_with_worst_ratio():
    res = run_claim(_planted(lambda g, c: 2 * _sharp(g, c) + 1), exact=ClosedForm(), budget_s=0)
    assert res.verdict == "loose"
    # ratios 3 (S = 1), 6.2/2.6 (S = 2.6) and 13/5 (S = 5/3): the smallest is reported
    assert res.worst_ratio == pytest.approx(6.2 / 2.6)


def test_planted_false_claim_fails_with_smallest_counterexample(tmp_path):
    res = run_claim(_planted(lambda g, c: 1.5), exact=ClosedForm(), budget_s=0, out=tmp_path)
    assert res.verdict == "fails"
    # J*(0.9, 1) has K = 2.6, J*(0.5, 3) has K = (3 + 1/3)/2: the larger violation is picked
    assert res.worst_ratio == pytest.approx(1.5 / 2.6)
    data = np.load(res.counterexample)
    assert np.array_equal(data["J"], [[0.9, 0.0], [1.0, 0.9]])
    assert str(data["claim"]) == "planted"
    assert load_matrix(res.counterexample).shape == (2, 2)


def test_counterexample_data_use_the_one_json_encoding():
    # kreiss.jsonout: complex as [re, im], non-finite floats as strings (strict JSON)
    inst = _star(0.9, 1.0) | {"z": 1 + 2j, "w": np.array([0.5j]), "r": math.inf}
    res = run_claim(_planted(lambda g, c: 1.5, extremal=lambda quick: [inst]),
                    exact=ClosedForm(), budget_s=0)
    data = res.to_dict()["counterexample_data"]
    assert (data["z"], data["w"], data["r"]) == ([1.0, 2.0], [[0.0, 0.5]], "inf")
    json.dumps(res.to_dict(), allow_nan=False)


def test_planted_lower_bound_orientation():
    # 'K >= S - 0.5' holds (loose where S = 1); 'K >= 2 S' fails everywhere
    assert run_claim(_planted(lambda g, c: _sharp(g, c) - 0.5, relation="lower"),
                     exact=ClosedForm(), budget_s=0).verdict == "loose"
    assert run_claim(_planted(lambda g, c: 2 * _sharp(g, c), relation="lower"),
                     exact=ClosedForm(), budget_s=0).verdict == "fails"


def test_search_finds_a_violation_the_extremal_instances_miss():
    # every fixed instance has c <= 2(1-gamma) (K = 1); the claim K <= 1.2 breaks for large c
    def build(th):
        return _star(0.5, float(np.exp(np.clip(th[0], -5, 5))))

    claim = _planted(lambda g, c: 1.2, extremal=lambda quick: [_star(0.5, 0.1)],
                     search=(1, build))
    res = run_claim(claim, exact=ClosedForm(), quick=False, budget_s=5)
    assert res.verdict == "fails" and res.worst_ratio < 1


def test_violation_inside_the_error_bracket_is_not_a_failure():
    # bound 2.6 * (1 - 1e-4) < K = 2.6, but the oracle only knows K within 1e-3
    claim = _planted(lambda g, c: _sharp(g, c) * (1 - 1e-4),
                     extremal=lambda quick: [_star(0.9, 1.0)])
    assert run_claim(claim, exact=ClosedForm(width=1e-3), budget_s=0).verdict == "holds"
    assert run_claim(claim, exact=ClosedForm(width=0.0), budget_s=0).verdict == "fails"


def test_approximation_tolerance():
    claim = _planted(lambda g, c: 1.0, extremal=lambda quick: [_star(0.9, 1.0)], fail_below=0.3)
    verdict, worst, _, cx = judge(claim, [Evaluation(0.4, {}, "x")])
    assert (verdict, worst, cx) == ("holds", 0.4, None)
    assert judge(claim, [Evaluation(0.2, {}, "x")])[0] == "fails"
    assert judge(claim, [])[0] == "untested"


def test_every_paper_id_has_a_claim():
    assert list(PAPER_IDS) == IDS
    assert len({c.id for c in CLAIMS}) == len(CLAIMS)


def _only(claim_id, instances=None):
    claim = get_claim(claim_id)
    if instances is None:
        return claim
    return dataclasses.replace(claim, extremal=lambda quick: instances)


@pytest.mark.parametrize(("claim_id", "instances"), [
    ("thm4b-eq10", [star(0.5, 0.01), star(0.9, 2.0)]),
    ("thm5", [star(0.9, 4.0, -0.9)]),
    ("thm9", None),
    ("lemma16", None),
    ("thm11", None),
    ("thm18", [star(0.5, 20.0)]),
    ("ct-analogue", [ct_instance([[2.0]], [[0.0]], [[2.0]])]),
])
def test_real_counterexamples_recheck_from_file(tmp_path, claim_id, instances):
    claim = _only(claim_id, instances)
    res = run_claim(claim, quick=True, budget_s=0, out=tmp_path)
    assert res.verdict == "fails"
    ev = recheck(res.counterexample, claims=[claim])
    assert ev.ratio == pytest.approx(res.counterexample_data["ratio"])
    assert res.worst_ratio <= ev.ratio
    assert ev.ratio < claim.fail_below and ev.certified
    loaded = load_matrix(res.counterexample, blocks=True)
    assert np.array_equal(loaded.J, np.load(res.counterexample)["J"])


def test_thm9_counterexample_is_checkable_by_hand(tmp_path):
    res = run_claim(get_claim("thm9"), quick=True, budget_s=0, out=tmp_path)
    d = np.load(res.counterexample)
    J, B = d["J"], d["B"]
    # hypothesis eps||B0|| K0 < 1 - gamma with K0 = K([[g,0],[c,g]]) = (x+1/x)/2 by hand
    g, c = float(d["gamma"]), float(d["c"])
    x = c / (2 * (1 - g))
    assert np.linalg.norm(B, 2) * (x + 1 / x) / 2 < 1 - g
    assert np.max(np.abs(np.linalg.eigvals(J))) > 1  # K(J_eps) infinite


def test_cli_audit_json(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["audit", "--quick", "--json", "--id", "thm10b",
                                      "--id", "thm11", "--id", "lemma16"])
    assert result.exit_code == 0, result.output
    start = result.stdout.index("[")
    rows = json.loads(result.stdout[start:])
    assert [r["id"] for r in rows] == ["thm10b", "thm11", "lemma16"]
    by = {r["id"]: r for r in rows}
    assert by["thm10b"]["verdict"] == "holds" and by["thm10b"]["counterexample"] is None
    assert by["thm11"]["verdict"] == "fails"
    assert set(by["thm11"]) >= {"id", "statement", "verdict", "worst_ratio", "counterexample"}
    assert math.isfinite(by["lemma16"]["worst_ratio"])
    # without --out nothing is written (the counterexample went to ./ before)
    assert by["thm11"]["counterexample"] is None and list(tmp_path.iterdir()) == []
    out = tmp_path / "audit"
    again = CliRunner().invoke(app, ["audit", "--quick", "--json", "--id", "thm11",
                                     "--out", str(out)])
    assert again.exit_code == 0, again.output
    row = json.loads(again.stdout[again.stdout.index("["):])[0]
    assert row["verdict"] == "fails" and Path(row["counterexample"]).exists()
    assert Path(row["counterexample"]).parent == out / "counterexamples"


def test_cli_rejects_unknown_id():
    result = CliRunner().invoke(app, ["audit", "--id", "thm99"])
    assert result.exit_code == 2 and "unknown claim" in result.output


def test_audit_on_dask_matches_in_process():
    # claims as Dask tasks: the extremal instances (no random search) give the same verdicts
    from kreiss.cells import local_cluster
    from kreiss.theory.audit import run_audit

    ids = {"thm10b", "thm11", "lemma16"}
    local = run_audit(quick=True, ids=ids, evaluations=12)
    with local_cluster(2) as client:
        remote = run_audit(quick=True, ids=ids, client=client, evaluations=12)
    assert [r.id for r in remote] == [r.id for r in local]
    assert [r.verdict for r in remote] == [r.verdict for r in local]
    # the budget is counted in evaluations: the same seed gives the same instances
    assert [r.ratios for r in remote] == [r.ratios for r in local]


def test_seeded_audit_is_reproducible():
    from kreiss.theory.audit import run_audit

    ids = {"thm4a", "thm8-peak"}
    a = run_audit(quick=True, ids=ids, seed=3, evaluations=15)
    b = run_audit(quick=True, ids=ids, seed=3, evaluations=15)
    c = run_audit(quick=True, ids=ids, seed=4, evaluations=15)
    assert [r.ratios for r in a] == [r.ratios for r in b]
    assert [r.ratios for r in a] != [r.ratios for r in c]
    assert all(r.instances <= len(r.ratios) for r in a)


def test_cli_seeded_audit_prints_the_same_twice():
    def run():
        res = CliRunner().invoke(app, ["audit", "--quick", "--id", "thm8-peak", "--seed", "5",
                                       "--evaluations", "10", "--json"])
        assert res.exit_code == 0, res.output
        rows = json.loads(res.stdout)
        return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]

    assert run() == run()
