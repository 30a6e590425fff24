"""The import graph (tools/import_graph.py): every module imports only its own layer and
those below it (README "Layout"), and no two modules import each other, even lazily."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "import_graph", Path(__file__).resolve().parents[1] / "tools" / "import_graph.py")
graph_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(graph_tool)


def test_layers_are_respected():
    g = graph_tool.graph()
    assert "kreiss.linalg.kreiss_constant" in g  # the walk found the sources
    assert graph_tool.layer_violations(g) == []


def test_no_import_cycle():
    assert graph_tool.cycles(graph_tool.graph()) == []


def test_the_checks_can_fail():
    g = {"kreiss.linalg.a": {"kreiss.theory.b"}, "kreiss.theory.b": {"kreiss.linalg.a"}}
    assert graph_tool.layer_violations(g) == ["kreiss.linalg.a (linalg) imports kreiss.theory.b "
                                              "(theory)"]
    assert graph_tool.cycles(g)


def test_the_audit_reads_the_registry_and_not_the_reverse():
    # theory.claims imported audit, which imported it back (issue #13)
    g = graph_tool.graph()
    assert "kreiss.theory.claims" in g["kreiss.theory.audit"]
    assert not any("kreiss.theory.audit" in deps for m, deps in g.items()
                   if m.startswith("kreiss.theory.claims"))
