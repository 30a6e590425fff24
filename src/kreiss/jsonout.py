"""JSON output: the one encoding of every ``to_dict()`` and ``--json`` in kreiss.

:func:`jsonable` turns a result into plain Python objects that :func:`json.dumps` writes as
strict JSON (RFC 8259, ``allow_nan=False`` holds); :func:`dumps` is ``json.dumps`` of it.

Convention
----------
=====================================  ===========================================
value                                  JSON
=====================================  ===========================================
None, bool, str                        null, true / false, string (unchanged)
int, numpy integer                     number (int)
finite float, numpy floating           number
nan                                    the string ``"nan"``
+inf, -inf                             the strings ``"inf"``, ``"-inf"``
complex z (Python or numpy)            ``[z.real, z.imag]``, each part by the float rule
numpy array                            nested lists, elementwise by the rules above
list, tuple                            list
dict                                   object, keys as ``str(key)``
object with a ``to_dict()`` method     its ``to_dict()``, encoded
other dataclass instance               object of its fields, encoded
os.PathLike                            its path as a string
anything else                          :class:`TypeError`
=====================================  ===========================================

Non-finite numbers are strings because JSON has no NaN or infinity; ``float(s)`` reads each
back.  None (null) means "not computed / not applicable", never NaN.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os

import numpy as np


def _float(x: float) -> float | str:
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def jsonable(value):
    """``value`` as plain Python objects by the module's convention (recursively)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return _float(float(value))
    if isinstance(value, complex | np.complexfloating):
        return [_float(float(value.real)), _float(float(value.imag))]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if callable(getattr(value, "to_dict", None)):
        return jsonable(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"no JSON encoding for {type(value).__name__}")


def dumps(value, indent: int | None = None) -> str:
    """Strict JSON text of :func:`jsonable` (``value``)."""
    return json.dumps(jsonable(value), indent=indent, allow_nan=False)
