"""`kreiss reproduce` on a tiny configuration: files, columns, consistency with the core."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest

from kreiss.experiments.appendix_m import appendix_m_grid_kreiss
from kreiss.experiments.gan import GANConfig
from kreiss.experiments.report import paper_values, reproduce
from kreiss.experiments.tables import TABLE1_ROWS, TABLE2_ROWS, LQConfig, instance
from kreiss.linalg.kreiss_constant import kreiss_constant

TINY_LQ = LQConfig(seeds=(0, 1), p=4, q=4, oversample=10.0, rows1=((0.9, 1.0), (0.99, 1.0)),
                   rows2=((0.99, 1.0),), grid_dr=0.05, grid_n_r=20, grid_n_theta=12,
                   lyapunov_p=4, tol=1e-8)
TINY_GAN = GANConfig(etas=(0.05,), seeds=(0,), hidden_g=3, hidden_d=2, batch=16, steps=15,
                     horizon=20)


def _read(path):
    with open(path) as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep")
    res = reproduce("quick", (1, 2, 3), out, lq=TINY_LQ, gan=TINY_GAN)
    return out, res


def test_files_and_columns(run):
    out, _ = run
    for name in ("table1.csv", "table2.csv", "table3.csv", "table1.md", "report.md",
                 "metadata.json", "pseudospectra.png", "kreiss_scaling.png", "gan.png"):
        assert (out / name).stat().st_size > 0, name
    t1, t2, t3 = (_read(out / f"table{k}.csv") for k in (1, 2, 3))
    assert len(t1) == 2 and len(t2) == 1 and len(t3) == 1
    assert {"gamma", "c", "K_num_mean", "K_num_std"} <= set(t1[0])
    assert {"gamma", "c", "sup_norm_mean", "sup_norm_std"} <= set(t2[0])
    for rows in (t1, t2, t3):
        for col in rows[0]:
            if col.endswith("_mean"):
                assert col[:-5] + "_std" in rows[0], col
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["lq_config"]["seeds"] == [0, 1] and "numpy" in meta["versions"]


def test_values_consistent_with_core(run):
    _, res = run
    for row in res["tables"][1]:
        Ks = [kreiss_constant(instance(row["gamma"], row["c"], s, TINY_LQ).J, tol=1e-8).value
              for s in TINY_LQ.seeds]
        assert row["K_num_mean"] == pytest.approx(np.mean(Ks), rel=1e-6)
        # every grid point is a lower bound on K (Definition 2)
        assert row["K_grid_mean"] <= row["K_num_upper_mean"] * (1 + 1e-9)
        # the sharp bound holds for every instance of the class
        assert row["K_num_upper_mean"] <= row["K_sharp"] * (1 + 1e-6)
    for d in res["raw"][2]["0.99,1.0"]:
        n = 2 * TINY_LQ.p
        # Kreiss matrix theorem K <= sup_t ||J^t|| <= e n K, and the Lyapunov bound is valid
        assert d["K_PS"] <= d["sup_norm"] * (1 + 1e-9) <= math.e * n * d["K_PS"]
        assert d["sqrt_kappa"] >= d["sup_norm"] * (1 - 1e-6)


def test_deterministic(run, tmp_path):
    out, _ = run
    reproduce("quick", (1, 2, 3), tmp_path, lq=TINY_LQ, gan=TINY_GAN)
    for k in (1, 2, 3):
        a, b = _read(out / f"table{k}.csv"), _read(tmp_path / f"table{k}.csv")
        drop = {"seconds"}
        assert [{c: v for c, v in r.items() if c not in drop} for r in a] == \
               [{c: v for c, v in r.items() if c not in drop} for r in b]


def test_paper_values_file():
    pv = paper_values()
    assert "REPORTED" in pv["_note"]
    assert [(r["gamma"], r["c"]) for r in pv["table1"]] == list(TABLE1_ROWS)
    assert [(r["gamma"], r["c"]) for r in pv["table2"]] == list(TABLE2_ROWS)
    assert [r["eta"] for r in pv["table3"]] == [0.001, 0.01, 0.1]


def test_grid_two_by_two_closed_form():
    # J = [[g, 0], [c, g]]: K = (x + 1/x)/2, x = c/(2(1-g)), attained at real z = r* > 1
    g, c = 0.9, 1.0
    x = c / (2 * (1 - g))
    exact = (x + 1 / x) / 2
    grid = appendix_m_grid_kreiss(np.array([[g, 0.0], [c, g]]), dr=0.01, n_r=200, n_theta=4)
    r_star = g + c * x / (x * x - 1)
    assert grid.value <= exact * (1 + 1e-12)
    assert grid.value == pytest.approx(exact, rel=1e-3)
    assert abs(grid.z) == pytest.approx(r_star, abs=0.01)


def test_grid_seeds_limits_the_grid_to_the_first_seeds():
    from dataclasses import replace

    from kreiss.experiments.tables import table1

    cfg = replace(TINY_LQ, rows1=((0.99, 1.0),), grid_seeds=1)
    rows, raw = table1(cfg)
    per = raw["0.99,1.0"]
    assert rows[0]["grid_seeds"] == 1 and math.isnan(per[1]["K_grid"])
    P = instance(0.99, 1.0, 0, cfg)
    alone = appendix_m_grid_kreiss(P.J, dr=cfg.grid_dr, n_r=cfg.grid_n_r,
                                   n_theta=cfg.grid_n_theta, blocks=(P.p, P.q))
    assert rows[0]["K_grid_mean"] == alone.value and rows[0]["K_grid_std"] == 0.0


def test_grid_uses_conjugate_symmetry_of_real_matrices():
    # the grid maximum of a real J equals that of the same J as a complex matrix (all angles)
    rng = np.random.default_rng(1)
    J = 0.45 * rng.standard_normal((6, 6)) / np.sqrt(6)
    J[0, 5] = 2.0
    real = appendix_m_grid_kreiss(J, dr=0.05, n_r=30, n_theta=16)
    full = appendix_m_grid_kreiss(J.astype(complex), dr=0.05, n_r=30, n_theta=16)
    assert real.value == pytest.approx(full.value, rel=1e-12)


def test_dask_gives_the_same_tables(run, tmp_path):
    # the instances as Dask tasks on a 2-worker LocalCluster: the same numbers
    from kreiss.cells import local_cluster

    out, _ = run
    with local_cluster(2) as client:
        reproduce("quick", (1, 2), tmp_path, lq=TINY_LQ, gan=TINY_GAN, client=client)
    for k in (1, 2):
        a, b = _read(out / f"table{k}.csv"), _read(tmp_path / f"table{k}.csv")
        assert a == b


def test_never_replaces_a_file_it_did_not_write(tmp_path):
    # a user's own report.md in --out: refused before any work, kept; --force replaces it
    from kreiss.errors import InputError

    out = tmp_path / "res"
    out.mkdir()
    (out / "report.md").write_text("my notes")
    with pytest.raises(InputError, match="not written by kreiss"):
        reproduce("quick", (1,), out, lq=TINY_LQ, gan=TINY_GAN)
    assert (out / "report.md").read_text() == "my notes"
    assert sorted(p.name for p in out.iterdir()) == ["report.md"]
    reproduce("quick", (1,), out, lq=TINY_LQ, gan=TINY_GAN, force=True)
    manifest = json.loads((out / "manifest.json").read_text())["files"]
    assert "report.md" in manifest and "table1.csv" in manifest
    assert not any(p.name.startswith(".kreiss-") for p in out.iterdir())  # staging removed
    # a rerun replaces only its own files, without --force
    reproduce("quick", (1,), out, lq=TINY_LQ, gan=TINY_GAN)
