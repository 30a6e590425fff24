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


def test_small_dense_problems_do_not_import_the_slow_modules():
    """A fresh process's first K (real and complex), transient (discrete and continuous) and
    pseudospectral radius of a 10 x 10 stay off numba, scipy.sparse and scipy.optimize (their
    imports cost ~0.4 s of a cold start; the node placement of kreiss_constant once pulled
    scipy.optimize in, and the local searches used its bounded Brent until kreiss had its
    own, kreiss.linalg.scalar_min)."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np, kreiss\n"
        "A = np.triu(np.random.default_rng(0).standard_normal((10, 10)) * 0.3)"
        " + 0.4 * np.eye(10)\n"
        "kreiss.kreiss_constant(A); kreiss.kreiss_constant(A - 2 * np.eye(10),"
        " kind='continuous')\n"
        "kreiss.transient(A); kreiss.pseudospectral_radius(A, 1e-2)\n"
        "kreiss.transient(A - np.eye(10), kind='continuous')\n"
        "kreiss.kreiss_constant(np.exp(0.7j) * A)  # off the real axis: Brent's local search\n"
        "print([m for m in ('numba', 'scipy.sparse', 'scipy.optimize') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_the_script_registers_only_the_command_it_runs(tmp_path):
    """`kreiss analyze` imports only the module of `analyze` (a cold start does not pay for
    the others) and, with --json, not rich.console; kreiss.cli.COMMANDS names every command
    of the full application, with the module that registers it."""
    import subprocess
    import sys

    import numpy as np
    import typer

    from kreiss import cli

    commands = typer.main.get_command(cli.app).commands
    assert set(commands) == set(cli.COMMANDS)
    for name, module in cli.COMMANDS.items():
        assert commands[name].callback.__module__ == f"kreiss.cli.{module}"
    assert cli._command_named(["--threads", "2", "analyze", "f.npy"]) == "analyze"
    assert cli._command_named(["--threads=2", "sweep"]) == "sweep"
    assert cli._command_named(["--help", "analyze"]) is None  # lists every command

    code = (
        "import sys; from kreiss.cli import main\n"
        "sys.argv = ['kreiss', '--threads', '1', 'analyze', sys.argv[1], '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('kreiss.cli.')))\n"
        "print('rich.console' in sys.modules)\n"
    )
    path = tmp_path / "j.npy"
    np.save(path, 0.5 * np.eye(3))
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True).stdout
    modules, rich = out.strip().splitlines()[-2:]
    assert modules == "['kreiss.cli._app', 'kreiss.cli.analyze']"
    assert rich == "False"  # --json prints no rich output: its Console is made on first use
