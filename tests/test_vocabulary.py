"""One result vocabulary (issue #13): the names of docs/results.md are the only names.

Every frozen result dataclass exported from kreiss, kreiss.linalg, kreiss.theory and
kreiss.coupled has fields from the vocabulary or from its own row of the page's
result-specific table; the public functions name their tolerances, iteration limits, sample
counts, block sizes and Schur forms from the page's argument table.  Each disagreement that
issue #13 listed (converged / certified, sigma_evaluations / evaluations, max_nodes /
max_steps / max_rounds / maxiter, n_samples / n_angles / npts, rtol / tol, kind meaning
upper / lower) fails one of these tests.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[1] / "docs" / "results.md"
MODULES = ("kreiss", "kreiss.linalg", "kreiss.theory", "kreiss.coupled")

#: names the vocabulary retired, each a synonym of a vocabulary name
RETIRED = {"sigma_evaluations", "max_nodes", "max_steps", "max_rounds", "max_products",
           "n_samples", "n_angles", "n_radii", "npoints", "num", "max_iter", "atol_J"}
#: arguments that name a tolerance, an iteration limit, a sample count, a block size or a
#: Schur form: each must be a name of the page's argument table
ARGUMENT_PATTERN = re.compile(r"tol|^max|iter|^n_|npts|samples|angles|block|^p$|^q$|schur")
#: generators build a matrix of block sizes p, q (docs/results.md)
GENERATORS = {"gradient_flow_instance", "lq_bilevel", "paper_class_instance",
              "time_varying_sequence"}
#: the functions whose ``rtol`` decides "zero" / "symmetric" (docs/results.md)
RTOL_DECISIONS = {"block_structure", "block_tags"}
#: the exceptions docs/results.md names as not yet on the vocabulary
KNOWN: set[tuple[str, str]] = set()


def _sections() -> dict[str, str]:
    text = PAGE.read_text()
    parts = re.split(r"^## ", text, flags=re.M)
    return {p.splitlines()[0].strip(): p for p in parts[1:]}


def _first_column(section: str) -> set[str]:
    names = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            names |= set(re.findall(r"`([A-Za-z_]\w*)`", line.split("|")[1]))
    return names


FIELDS = _first_column(_sections()["Result fields"])
ARGUMENTS = _first_column(_sections()["Arguments"])


def _own_fields() -> dict[str, set[str]]:
    rows = {}
    for line in _sections()["Result-specific names"].splitlines():
        cells = line.split("|")
        if line.startswith("| `") and len(cells) > 3:
            (name,) = re.findall(r"`(\w+)`", cells[1])
            rows[name] = set(re.findall(r"`(\w+)`", cells[2]))
    return rows


def _exported():
    seen = {}
    for m in MODULES:
        mod = importlib.import_module(m)
        for name in mod.__all__:
            obj = getattr(mod, name)
            seen.setdefault(name, obj)
    return seen


RESULTS = {n: o for n, o in _exported().items()
           if isinstance(o, type) and dataclasses.is_dataclass(o)
           and o.__dataclass_params__.frozen}
FUNCTIONS = {n: o for n, o in _exported().items()
             if inspect.isfunction(o) or (isinstance(o, type) and not dataclasses.is_dataclass(o)
                                          and not issubclass(o, BaseException))}


def test_the_page_parses():
    assert {"value", "lower", "upper", "certified", "message", "evaluations", "nodes",
            "iterations", "products", "kind", "relation"} <= FIELDS
    assert {"tol", "rtol", "maxiter", "npts", "blocks", "schur"} <= ARGUMENTS
    assert len(RESULTS) >= 20 and len(FUNCTIONS) >= 40


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_result_fields_are_in_the_vocabulary(name):
    own = _own_fields().get(name, set())
    for f in dataclasses.fields(RESULTS[name]):
        base = f.name.removesuffix("_upper")
        # a result may echo an argument it was called with (``tol``, ``seed``, ``rtol``)
        assert f.name in FIELDS | ARGUMENTS or base in FIELDS or f.name in own, (
            f"{name}.{f.name} is neither a name of docs/results.md nor in {name}'s row there")
        assert f.name not in RETIRED, f"{name}.{f.name} is a retired synonym"


def test_no_retired_name_is_documented_as_a_result_field():
    own = set().union(*_own_fields().values())
    assert not (RETIRED & (FIELDS | ARGUMENTS | own))


def test_converged_and_certified_are_not_synonyms():
    """``certified``: a proven bracket met its tolerance; ``converged``: an eigensolver met
    its tolerance, no bracket.  A result with a bracket says ``certified``."""
    for name, cls in RESULTS.items():
        fields = {f.name for f in dataclasses.fields(cls)}
        if {"lower", "upper"} <= fields or "sup_upper" in fields:
            assert "converged" not in fields, name
        assert not {"converged", "certified"} <= fields, name


def test_kind_means_discrete_or_continuous():
    from kreiss.theory import Bound, theorem4

    b = theorem4(0.5, 0.1)
    assert "kind" not in {f.name for f in dataclasses.fields(Bound)}
    assert b.relation == "upper" and b.to_dict()["relation"] == "upper"
    for name, cls in RESULTS.items():
        f = {x.name: x for x in dataclasses.fields(cls)}.get("kind")
        if f is not None and f.default is not dataclasses.MISSING:
            assert f.default in ("discrete", "continuous"), name


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_argument_names_are_in_the_vocabulary(name):
    try:
        params = inspect.signature(FUNCTIONS[name]).parameters
    except (TypeError, ValueError):  # pragma: no cover - builtins
        return
    for arg in params:
        if arg in RETIRED:
            pytest.fail(f"{name}({arg}=...) uses a retired name")
        if arg == "rtol":  # a decision threshold, not a requested accuracy (``tol``)
            assert name in RTOL_DECISIONS, f"{name}(rtol=...): a requested accuracy is tol"
            continue
        if not ARGUMENT_PATTERN.search(arg) or arg in ARGUMENTS:
            continue
        if name in GENERATORS and arg in ("p", "q"):
            continue
        if (name, arg) in KNOWN:
            continue
        if arg in ("block", "lanczos_steps", "probes"):  # transient_krylov's block width,
            continue                                     # Lanczos steps, block_tags' probes
        pytest.fail(f"{name}({arg}=...): not a name of docs/results.md's argument table")


def test_schur_form_is_passed_as_schur():
    from kreiss import kreiss_constant, pseudospectra, transient

    for f in (kreiss_constant, pseudospectra, transient):
        assert "schur" in inspect.signature(f).parameters, f.__name__
