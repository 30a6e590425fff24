"""kreiss sweep: the spec's checks, Dask against in-process, resume, a killed worker, and the
files it writes."""

from __future__ import annotations

import json
import math
import os
import signal
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from kreiss.cli import app
from kreiss.errors import InputError
from kreiss.experiments.sweep import sweep

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests.helpers for the workers

SPEC = {"family": "class", "quantities": ["kreiss", "transient", "bounds"],
        "grid": {"n": [6, 10], "gamma": [0.9, 0.99], "c": [0.1, 1.0], "seed": [0, 1]}}


@pytest.fixture(scope="module")
def client():
    from kreiss.cells import local_cluster

    with local_cluster(2) as c:
        yield c


def numbers(ds: xr.Dataset) -> dict:
    return {v: ds[v].values for v in ds.data_vars if v != "seconds"}


@pytest.mark.parametrize(("patch", "match"), [
    ({"family": "nope"}, "family"),
    ({"family": "no.such.module:f"}, "cannot import"),
    ({"quantities": ["kreiss", "wrong"]}, "unknown quantities"),
    ({"quantities": []}, "quantities"),
    ({"grid": {}}, "grid"),
    ({"grid": {**SPEC["grid"], "n": []}}, "no values"),
    ({"grid": {**SPEC["grid"], "gamma": [0.9, 1.0]}}, "gamma"),
    ({"grid": {**SPEC["grid"], "c": [0.1, "big"]}}, "not a finite number"),
    ({"grid": {**SPEC["grid"], "n": [6.5]}}, "whole numbers"),
    ({"grid": {"n": [6], "gamma": [0.9], "seed": [0]}}, "missing"),
    ({"options": {"eps": -1}}, "option"),
    ({"extra": 1}, "unknown spec entries"),
])
def test_bad_spec_is_one_error_before_any_work(tmp_path, patch, match):
    out = tmp_path / "out"
    with pytest.raises(InputError, match=match) as info:
        sweep({**SPEC, **patch}, out)
    assert "\n" not in str(info.value)
    assert not out.exists()


def test_cli_bad_spec_exits_2_without_traceback(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text('family = "class"\nquantities = ["kreiss"]\n[grid]\nn = [4]\ngamma = [1.5]\n'
                 'c = [1]\nseed = [0]\n')
    res = CliRunner().invoke(app, ["sweep", str(f), "--out", str(tmp_path / "o"),
                                   "--in-process"])
    assert res.exit_code == 2 and "gamma" in res.output and "Traceback" not in res.output


def test_dask_equals_in_process_bit_for_bit(tmp_path, client):
    a = sweep(SPEC, tmp_path / "local")
    b = sweep(SPEC, tmp_path / "dask", client=client)
    assert a.done == b.done == a.total == 16 and a.failed == b.failed == 0
    na, nb = numbers(a.dataset), numbers(b.dataset)
    for k in na:
        np.testing.assert_array_equal(na[k], nb[k], err_msg=k)
    # the files hold the same numbers, and the values are the library's
    ds = xr.open_dataset(tmp_path / "dask" / "sweep.nc")
    for k in na:
        np.testing.assert_array_equal(ds[k].values, na[k], err_msg=k)
    assert np.all(ds.K_lower.values <= ds.sup.values * (1 + 1e-9))  # K <= sup_t ||J^t||
    assert np.all(ds.sup.values <= math.e * ds.n.values[:, None, None, None] * ds.K_upper.values)
    assert np.all(ds.K_upper.values <= ds.sharp_bound.values * (1 + 1e-9))  # the class bound
    csv_rows = (tmp_path / "dask" / "sweep.csv").read_text().splitlines()
    assert len(csv_rows) == 17 and csv_rows[0].startswith("n,gamma,c,seed,K,")
    meta = json.loads((tmp_path / "dask" / "sweep.json").read_text())
    assert meta["partial"] is False and meta["spec"]["grid"]["seed"] == [0, 1]
    assert "numpy" in meta["versions"] and meta["done"] == 16


def test_interrupt_then_resume_repeats_no_cell(tmp_path):
    out = tmp_path / "s"
    seen = []

    def stop_after_five(done, failed, total):
        seen.append(done)
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep(SPEC, out, progress=stop_after_five)
    # a valid, loadable partial result
    part = xr.open_dataset(out / "sweep.nc")
    assert int(np.isfinite(part.K.values).sum()) == 5
    assert json.loads((out / "sweep.json").read_text())["partial"] is True
    res = sweep(SPEC, out, resume=True)
    assert res.skipped == 5 and res.ran == 11 and res.done == 16 and not res.partial
    assert len(list((out / "cells").glob("*.json"))) == 16
    again = sweep(SPEC, out)  # a rerun: nothing to do
    assert again.ran == 0 and again.skipped == 16
    with pytest.raises(InputError, match="nothing to resume"):
        sweep(SPEC, tmp_path / "empty", resume=True)


def test_failing_cell_is_recorded_not_fatal(tmp_path):
    spec = {"family": "helpers.sweep_family:broken", "quantities": ["transient"],
            "grid": {"a": [0.5, 0.9], "seed": [0, 1]}}
    res = sweep(spec, tmp_path / "f")
    assert res.done == 4 and res.failed == 2
    bad = [r for r in res.rows if r["error"]]
    assert all(r["seed"] == 1 and "broken on purpose" in r["error"] for r in bad)
    assert all(math.isnan(r["sup"]) for r in bad)


def test_killed_worker_costs_only_its_cells(tmp_path, client):
    spec = {"family": "helpers.sweep_family:slow_jordan", "quantities": ["transient"],
            "grid": {"a": [0.5, 0.7, 0.9], "seed": [0, 1, 2], "delay": [0.4]}}
    pids = list(client.run(os.getpid).values())
    killed = []

    def kill_once(done, failed, total):
        if done >= 1 and not killed:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    res = sweep(spec, tmp_path / "k", client=client, progress=kill_once)
    assert killed and res.done == res.total == 9 and res.failed == 0
    for r in res.rows:  # ||[[a, b], [0, a]]^t|| peaks; the seed sets b = 1 + seed
        assert r["sup"] >= max(1.0, np.linalg.norm([[r["a"], 1 + r["seed"]], [0, r["a"]]], 2))
    client.wait_for_workers(2, timeout=60)


def test_family_list_is_a_grid_dimension(tmp_path):
    spec = {"family": ["class", "lq"], "quantities": ["kreiss", "bounds"],
            "grid": {"n": [8], "gamma": [0.9], "c": [0.5], "seed": [0]}}
    res = sweep(spec, tmp_path / "fam")
    ds = res.dataset
    assert list(ds.dims)[0] == "family" and list(ds.family.values) == ["class", "lq"]
    assert res.done == 2 and res.failed == 0
    # each family's J has the gamma and ||C|| of its grid cell, and K stays below the sharp
    # bound of the paper's class (both families are block lower-triangular)
    np.testing.assert_allclose(ds.gamma_J.values.ravel(), 0.9, rtol=1e-9)
    np.testing.assert_allclose(ds.c_J.values.ravel(), 0.5, rtol=1e-9)
    assert np.all(ds.K_upper.values <= ds.sharp_bound.values * (1 + 1e-9))


def test_fit_law_recovers_known_exponents(tmp_path):
    from kreiss.experiments.scaling import fit_law, scaling_law

    n, g, c = [50, 100, 200], [0.9, 0.99, 0.999], [0.1, 1.0, 10.0]
    N, G, C = np.meshgrid(n, g, c, indexing="ij")
    K = 3.0 * C**0.8 / (1 - G) * N**-0.25  # a law with known exponents
    ds = xr.Dataset({"K": (("n", "gamma", "c"), K), "sup": (("n", "gamma", "c"), 2 * K)},
                    coords={"n": n, "gamma": g, "c": c})
    f = fit_law(ds, "K", floor=0.0)
    assert f["cells"] == 27 and f["r2"] == pytest.approx(1.0)
    assert (f["b_c"], f["b_g"], f["b_n"]) == pytest.approx((0.8, 1.0, -0.25), abs=1e-9)
    assert f["a"] == pytest.approx(math.log(3.0), abs=1e-9)
    ds.to_netcdf(tmp_path / "sweep.nc", engine="h5netcdf")
    fits = scaling_law(tmp_path)
    assert fits["K/None"]["b_g"] == pytest.approx(1.0, abs=1e-9)
    assert (tmp_path / "scaling_K.png").stat().st_size > 0
