"""Tables and reports for :func:`~.applicable.bounds_for` and the audit.

rich is imported here (a dependency of the package); matplotlib only inside the figure
functions, by :func:`kreiss.linalg.plotting.pyplot` (Agg unless a backend was chosen).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
from rich.table import Table

from ..jsonout import dumps
from ..linalg.plotting import pyplot
from .resolvent_bounds import theorem4, theorem4a, theorem4b, theorem5
from .sharp import extremal_matrix, sharp_kreiss_bound, sharp_power_bound
from .transient_bounds import theorem18

_MARK = {True: "[green]yes[/]", False: "[bold red]NO[/]", None: "[dim]-[/]"}
_VERDICT = {"holds": "[green]holds[/]", "loose": "[yellow]loose[/]",
            "fails": "[bold red]fails[/]", "untested": "[dim]untested[/]"}


def _num(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float) and math.isnan(x):
        return "-"
    if isinstance(x, float) and math.isinf(x):
        return "inf"
    return f"{x:.5g}"


def _hypotheses(bound) -> str:
    failed = [p.text for p in bound.preconditions if p.holds is False]
    unknown = [p.text for p in bound.preconditions if p.holds is None]
    if failed:
        return "[red]fails: " + "; ".join(failed) + "[/]"
    if unknown:
        return "[yellow]unchecked: " + "; ".join(unknown) + "[/]"
    return "[green]all hold[/]"


def bounds_table(rows, title: str = "Bounds for J") -> Table:
    """A rich Table of :class:`~.applicable.BoundRow` s: statement, what it bounds, relation,
    bound, exact value, ratio bound/exact, whether it is true here, hypotheses, note."""
    t = Table(title=title, show_lines=False)
    for col, kw in (("statement", {}), ("bounds", {}), ("kind", {}),
                    ("bound", {"justify": "right"}), ("exact", {"justify": "right"}),
                    ("ratio", {"justify": "right"}), ("true here", {}), ("hypotheses", {}),
                    ("note", {})):
        t.add_column(col, **kw)
    for r in rows:
        b = r.bound
        t.add_row(b.label, b.quantity, b.relation, _num(b.value), _num(r.exact), _num(r.ratio),
                  _MARK[r.consistent], _hypotheses(b), r.note)
    return t


def audit_table(results) -> Table:
    """A rich Table of audit results: id, verdict, worst ratio, instances, evidence."""
    t = Table(title="kreiss audit", show_lines=False)
    for col in ("id", "verdict", "worst ratio", "instances", "evidence"):
        t.add_column(col, justify="right" if col in ("worst ratio", "instances") else "left")
    for r in results:
        t.add_row(r.id, _VERDICT.get(r.verdict, r.verdict), _num(r.worst_ratio),
                  str(r.instances), r.evidence + (f" [dim]({r.counterexample})[/]"
                                                  if r.counterexample else ""))
    return t


# ------------------------------------------------------------------------- figures
def _curves(gamma: float, cs: np.ndarray, exact) -> dict:
    d = 1 - gamma
    out = {"exact": np.array([exact.kreiss(extremal_matrix(gamma, c)).value for c in cs])}
    out["sharp (ours)"] = np.array([sharp_kreiss_bound(gamma, c).value for c in cs])
    out["Thm 4, eq. (4)"] = np.array([theorem4(gamma, c).value for c in cs])
    a = np.array([theorem4a(gamma, c).value for c in cs])
    out["Thm 4(a)"] = np.where(cs <= d * d, a, np.nan)
    out["Thm 4(a) formula, c > (1-gamma)^2"] = np.where(cs >= d * d, a, np.nan)
    out["Thm 4(b), eq. (10)"] = np.array([theorem4b(gamma, c).value for c in cs])
    out["Thm 5 (lower)"] = np.array([theorem5(gamma, c).value for c in cs])
    return out


_STYLE = {"exact": dict(marker="o", ls="none", color="k", ms=4),
          "sharp (ours)": dict(color="k", lw=1.2),
          "Thm 4, eq. (4)": dict(color="C0"), "Thm 4(a)": dict(color="C1", lw=2),
          "Thm 4(a) formula, c > (1-gamma)^2": dict(color="C1", ls=":"),
          "Thm 4(b), eq. (10)": dict(color="C3", ls="--"),
          "Thm 5 (lower)": dict(color="C2", ls="-.")}


def figure_bounds_vs_c(path, exact, gammas=(0.5, 0.9, 0.99), points: int = 9):
    """K bounds against ||C|| = c for several gamma; 'exact' is K(J*) from the numerical
    core, the largest K(J) over the class (J* = [[gamma, 0], [c, gamma]] attains it)."""
    plt = pyplot()
    fig, axes = plt.subplots(1, len(gammas), figsize=(4.2 * len(gammas), 3.8), squeeze=False)
    for ax, g in zip(axes[0], gammas, strict=True):
        d = 1 - g
        cs = d * np.logspace(-2, 3, points)
        for name, ys in _curves(g, cs, exact).items():
            ax.plot(cs, ys, label=name, **_STYLE[name])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(f"gamma = {g}")
        ax.set_xlabel("c = ||C||")
    axes[0][0].set_ylabel("K(J): bound, and exact max over the class")
    axes[0][-1].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return Path(path)


def figure_bounds_vs_gamma(path, exact, cs=(0.01, 1.0), points: int = 9):
    """The same curves against gamma at fixed c."""
    plt = pyplot()
    fig, axes = plt.subplots(1, len(cs), figsize=(4.2 * len(cs), 3.8), squeeze=False)
    gammas = 1 - np.logspace(-2.3, -0.1, points)
    for ax, c in zip(axes[0], cs, strict=True):
        data = [_curves(g, np.array([c]), exact) for g in gammas]
        for name in data[0]:
            ax.plot(1 - gammas, [x[name][0] for x in data], label=name, **_STYLE[name])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(f"c = {c}")
        ax.set_xlabel("1 - gamma")
    axes[0][0].set_ylabel("K(J)")
    axes[0][-1].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return Path(path)


def figure_powers(path, exact, gamma: float = 0.9, c: float = 1.0):
    """||J*^t|| (core) against the sharp power bound and Theorem 18's e n K gamma^t."""
    plt = pyplot()
    J = extremal_matrix(gamma, c)
    norms = exact.powers(J)
    K = exact.kreiss(J).value
    t = np.arange(norms.size)
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    ax.semilogy(t, norms, "ko", ms=3, label="||J*^t|| (exact)")
    ax.semilogy(t, [sharp_power_bound(gamma, c, int(s)).value for s in t], "k-", lw=1,
                label="sharp power bound (ours)")
    ax.semilogy(t, [theorem18(K, gamma, 2, int(s)).value for s in t], "C3--",
                label="Thm 18: e n K gamma^t")
    ax.set_xlabel("t")
    ax.set_title(f"J* = [[{gamma}, 0], [{c}, {gamma}]]")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return Path(path)


def write_report(results, out, exact, *, quick: bool, seconds: float, command: str) -> Path:
    """Write audit.md, audit.json and the figures into ``out``; returns the .md path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pts = 5 if quick else 9
    figs = [figure_bounds_vs_c(out / "bounds_vs_c.png", exact, points=pts),
            figure_bounds_vs_gamma(out / "bounds_vs_gamma.png", exact, points=pts),
            figure_powers(out / "powers.png", exact)]
    (out / "audit.json").write_text(dumps(results, indent=1))
    lines = [
        "# kreiss audit", "",
        f"`{command}` ({'quick' if quick else 'full'} mode, {seconds:.0f} s).", "",
        "Ratio >= 1 means the claim holds on an instance (bound/exact for upper bounds, "
        "exact/bound for lower bounds, min(x/y, y/x) for equalities and approximations). "
        "*worst* is the smallest ratio found; *max* the largest. Exact values: "
        "`kreiss.kreiss_constant` (certified bracket), `kreiss.transient`, "
        "`kreiss.lyapunov_bound`. Proofs and readings: docs/theory.md.", "",
        "| id | statement | verdict | worst | max | instances | evidence |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ev = r.evidence.replace("|", "\\|")
        st = r.statement.replace("|", "\\|")
        cx = ""
        if r.counterexample:
            rel = os.path.relpath(r.counterexample, out)
            cx = f" [`{Path(rel).name}`]({rel})"
        lines.append(f"| {r.id} | {st} | **{r.verdict}** | {_num(r.worst_ratio)} | "
                     f"{_num(r.max_ratio)} | {r.instances} | {ev}{cx} |")
    lines += ["", "## Notes", ""]
    for r in results:
        lines.append(f"- **{r.id}** ({r.label}; read as: {r.reading}). {r.notes}")
    lines += ["", "## Figures", ""]
    captions = ["Bounds on K(J) against c; dots: exact K(J*) = max over the class.",
                "The same against 1 - gamma.",
                "Powers of J*: exact, our sharp bound (equal), Theorem 18 (fails for large t)."]
    for f, cap in zip(figs, captions, strict=True):
        lines += [f"![{cap}]({f.name})", "", cap, ""]
    md = out / "audit.md"
    md.write_text("\n".join(lines))
    return md
