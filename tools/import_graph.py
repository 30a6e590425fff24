"""The import graph of src/kreiss: layers respected and no cycle between modules.

    python tools/import_graph.py          # package-level edges, largest modules, checks

Every ``import`` / ``from ... import`` is read from the source (AST, function bodies
included, so lazy imports count).  Layers, lowest first (docs: README "Layout",
../shared/design.md): the base modules (errors, jsonout, cells, data), linalg, io, theory,
coupled, experiments, cli; a module may import only its own layer and those below.
Package ``__init__`` files re-export and are left out of the cycle check; the top package
``kreiss`` (its version and a table of lazy names) counts as a base module.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
LAYERS = ["base", "linalg", "io", "theory", "coupled", "experiments", "cli", "top"]
BASE = {"kreiss.errors", "kreiss.jsonout", "kreiss.cells", "kreiss.data"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    if module in BASE or module == "kreiss":  # kreiss/__init__: __version__ and a lazy table
        return "base"
    if module == "kreiss.__main__":
        return "top"
    return module.split(".")[1] if module.count(".") >= 1 else "top"


def imports(path: Path, modules: set[str]) -> set[str]:
    """kreiss modules that ``path`` imports (a package import counts as its __init__)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = (f"{base}.{node.module}" if node.module else base) if node.level \
                else node.module
            subs = {f"{target}.{a.name}" for a in node.names} & modules
            out |= subs or {target}
    return {m for m in out if m in modules} - {name}


def graph() -> dict[str, set[str]]:
    files = sorted((SRC / "kreiss").rglob("*.py"))
    modules = {module_name(p) for p in files}
    return {module_name(p): imports(p, modules) for p in files}


def layer_violations(g: dict[str, set[str]]) -> list[str]:
    rank = {name: i for i, name in enumerate(LAYERS)}
    return [f"{m} ({layer(m)}) imports {d} ({layer(d)})" for m, deps in sorted(g.items())
            for d in sorted(deps) if rank[layer(d)] > rank[layer(m)]]


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Cycles among modules, package __init__ files (re-exports) left out."""
    packages = {m for m in g if (SRC / Path(*m.split("."))).is_dir()}
    h = {m: deps - packages for m, deps in g.items() if m not in packages}
    found, done, stack = [], set(), []

    def visit(m):
        if m in stack:
            found.append(stack[stack.index(m):] + [m])
            return
        if m in done:
            return
        stack.append(m)
        for n in sorted(h.get(m, ())):
            visit(n)
        stack.pop()
        done.add(m)

    for m in sorted(h):
        visit(m)
    return found


def main() -> int:
    g = graph()
    edges: dict[tuple[str, str], int] = {}
    for m, deps in g.items():
        for d in deps:
            if layer(d) != layer(m):
                edges[(layer(m), layer(d))] = edges.get((layer(m), layer(d)), 0) + 1
    print("layer -> layer it imports (module imports)")
    for (a, b), k in sorted(edges.items(), key=lambda e: (LAYERS.index(e[0][0]), e[0][1])):
        print(f"  {a:12s} -> {b:12s} {k}")
    sizes = sorted(((len(p.read_text().splitlines()), module_name(p))
                    for p in (SRC / "kreiss").rglob("*.py")), reverse=True)[:6]
    print("largest modules:", ", ".join(f"{m} {n}" for n, m in sizes))
    bad, loops = layer_violations(g), cycles(g)
    print("layer violations:", bad or "none")
    print("cycles:", [" -> ".join(c) for c in loops] or "none")
    return 1 if bad or loops else 0


if __name__ == "__main__":
    sys.exit(main())
