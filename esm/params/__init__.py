"""Model parameters: each declared once (default, units, bounds, source, meaning).

Groups: :mod:`esm.params.carbon` (pre-industrial state, ocean, land), :mod:`esm.params.gases`
(CH4, N2O), :mod:`esm.params.forcing` (ERF), :mod:`esm.params.climate` (energy balance and
feedback switches); per-gas properties of the 40 halogenated gases in ``halogens.csv``.

>>> from esm import params
>>> params.defaults()["co2_fertilisation"]  # doctest: +SKIP
>>> params.table()                          # a pandas DataFrame, one row per parameter
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

import numpy as np

from esm.kernels import layout
from esm.params import carbon, climate, forcing, gases
from esm.params._spec import Param

__all__ = ["Param", "PARAMETERS", "defaults", "vector", "table", "halogen_table", "check_name"]


def _collect() -> dict[str, Param]:
    declared: dict[str, Param] = {}
    for module in (carbon, gases, forcing, climate):
        for prm in module.PARAMS:
            if prm.name in declared:
                raise RuntimeError(f"parameter {prm.name} declared twice")
            declared[prm.name] = prm
    missing = [n for n in layout.PARAM_NAMES if n not in declared]
    extra = [n for n in declared if n not in layout.PARAM_NAMES]
    if missing or extra:
        raise RuntimeError(f"params/layout mismatch: undeclared {missing}, not in layout {extra}")
    return {name: declared[name] for name in layout.PARAM_NAMES}


#: All parameters in kernel (layout) order.
PARAMETERS: dict[str, Param] = _collect()


def defaults() -> dict[str, float]:
    """Default value of every parameter, in kernel order."""
    return {name: prm.default for name, prm in PARAMETERS.items()}


def check_name(name: str) -> None:
    """Raise ``KeyError`` naming close matches if ``name`` is not a parameter."""
    if name not in PARAMETERS:
        close = difflib.get_close_matches(name, PARAMETERS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown parameter {name!r}{hint} (see esm.params.table())")


def check_value(name: str, value: float) -> float:
    """Validate one value against its declaration; return it as float."""
    check_name(name)
    prm = PARAMETERS[name]
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"parameter {name}: value {value!r} is not a number") from None
    if not math.isfinite(v):
        raise ValueError(f"parameter {name}: value {v} is not finite")
    lo, hi = prm.bounds
    if not lo <= v <= hi:
        units = "" if prm.units == "1" else f" {prm.units}"
        raise ValueError(f"parameter {name} = {v}{units} is outside its allowed range [{lo}, {hi}]")
    return v


def vector(overrides: Mapping[str, float] | None = None) -> np.ndarray:
    """Parameter vector for the kernels: defaults updated with validated ``overrides``."""
    values = defaults()
    for name, value in (overrides or {}).items():
        values[name] = check_value(name, value)
    return np.array([values[n] for n in layout.PARAM_NAMES], dtype=np.float64)


def table():
    """All declarations as a pandas DataFrame (index: name)."""
    import pandas as pd

    rows = [
        {
            "name": p.name,
            "group": p.group,
            "default": p.default,
            "units": p.units,
            "lower": p.bounds[0],
            "upper": p.bounds[1],
            "description": p.description,
            "source": p.source,
        }
        for p in PARAMETERS.values()
    ]
    return pd.DataFrame(rows).set_index("name")


@lru_cache(maxsize=1)
def halogen_table():
    """The halogenated-gas property table (``esm/params/halogens.csv``) as a DataFrame."""
    import pandas as pd

    with resources.files("esm.params").joinpath("halogens.csv").open() as fh:
        df = pd.read_csv(fh, comment="#").set_index("species")
    if tuple(df.index) != layout.HALOGEN_NAMES:
        raise RuntimeError("esm/params/halogens.csv species differ from esm.kernels.layout")
    return df


def halogen_array() -> np.ndarray:
    """Halogen properties as float64[N_HALOGENS, N_HALO] in ``layout.HALO_NAMES`` order."""
    return np.ascontiguousarray(halogen_table()[list(layout.HALO_NAMES)].to_numpy(np.float64))
