"""The one JSON convention (kreiss.jsonout): NaN "nan", infinities "inf" / "-inf", complex
[re, im], numpy scalars and arrays as Python numbers and lists, None as null; every
``to_dict()`` and ``--json`` writes strict JSON by it."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest

import kreiss
from kreiss.jsonout import dumps, jsonable

NAN, INF = math.nan, math.inf


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), (True, True), (np.bool_(False), False), ("x", "x"),
    (3, 3), (np.int64(3), 3), (0.5, 0.5), (np.float32(0.5), 0.5),
    (NAN, "nan"), (np.float64(NAN), "nan"), (INF, "inf"), (-INF, "-inf"),
    (1 + 2j, [1.0, 2.0]), (np.complex128(complex(INF, NAN)), ["inf", "nan"]),
    (np.array([1.0, NAN, -INF]), [1.0, "nan", "-inf"]),
    (np.array([[1j]]), [[[0.0, 1.0]]]),
    ((1, 2.5), [1, 2.5]), ({1: NAN}, {"1": "nan"}),
    (Path("a/b.npy"), "a/b.npy"),
])
def test_convention(value, expected):
    assert jsonable(value) == expected


def test_types_are_plain_python():
    out = jsonable({"i": np.int32(1), "f": np.float64(2.0), "b": np.bool_(True)})
    assert [type(v) for v in out.values()] == [int, float, bool]


def test_results_dataclasses_and_unknown_objects():
    @dataclasses.dataclass
    class Plain:
        z: complex
        a: np.ndarray

    class WithDict:
        def to_dict(self):
            return {"v": INF}

    assert jsonable(Plain(1j, np.array([NAN]))) == {"z": [0.0, 1.0], "a": ["nan"]}
    assert jsonable([WithDict()]) == [{"v": "inf"}]
    with pytest.raises(TypeError, match="object"):
        jsonable(object())


def test_dumps_is_strict_json():
    text = dumps({"x": [NAN, INF, 1j]})
    assert json.loads(text) == {"x": ["nan", "inf", [0.0, 1.0]]}
    assert "NaN" not in text and "Infinity" not in text


def test_kreiss_result_encodes_nan_and_complex_z():
    # before: its private encoder passed NaN through (invalid JSON)
    res = kreiss.kreiss_constant(np.array([[0.5, 1.0], [0.0, 0.5]]))
    d = dataclasses.replace(res, upper=NAN, z=complex(1.5, -INF)).to_dict()
    assert d["upper"] == "nan" and d["z"] == [1.5, "-inf"]
    json.dumps(d, allow_nan=False)


def test_simulation_nan_is_the_string_nan_as_everywhere_else():
    # before: coupled.simulate wrote NaN as null, the core as "nan"
    from kreiss.coupled import simulate

    res = simulate(np.array([[0.5, 0.0], [1.0, 0.5]]), 10, blocks=1, predict=False)
    d = dataclasses.replace(res, noise_floor=NAN, rms=np.array([NAN, 1.0])).to_dict()
    assert d["noise_floor"] == "nan" and d["rms"] == ["nan", 1.0]
    json.dumps(d, allow_nan=False)


def test_pseudospectra_eigenvalues_are_pairs():
    res = kreiss.pseudospectra(np.diag([0.5 + 0.25j, -0.5]), npts=5)
    d = res.to_dict()
    assert d["eigenvalues"] == [[0.5, 0.25], [-0.5, 0.0]]
    json.dumps(d, allow_nan=False)
