"""Observations and assessments shipped in ``validation/`` (see validation/README.md).

One loader for every consumer (figures, command line, validation report, tests), so each file
is read and indexed the same way everywhere.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from esm._data import validation_dir


@cache
def _read(stem: str) -> pd.DataFrame:
    df = pd.read_csv(validation_dir() / f"{stem}.csv", comment="#")
    for key in ("year", "name", "component", "model"):
        if key in df.columns:
            return df.set_index(key)
    return df


def load(stem: str) -> pd.DataFrame:
    """A validation table by file stem (``"gmst"``, ``"gcb2021_budget"``, ``"targets"``, ...),
    indexed by its first key column (year, name, component or model). Returns a copy."""
    return _read(stem).copy()


def gcb_budget(start: int, end: int) -> dict[str, float]:
    """GCB2021 budget over ``start``-``end``: means [GtC yr-1] and fractions of emissions, with
    the keys of :func:`esm.diagnostics.carbon_budget`."""
    g = _read("gcb2021_budget").loc[start:end].mean()
    out = {
        "emissions": float(g["fossil"] + g["landuse"]),
        "atmospheric_growth": float(g["atmospheric_growth"]),
        "ocean_sink": float(g["ocean_sink"]),
        "land_sink": float(g["land_sink"]),
    }
    out["airborne_fraction"] = out["atmospheric_growth"] / out["emissions"]
    out["ocean_fraction"] = out["ocean_sink"] / out["emissions"]
    out["land_fraction"] = out["land_sink"] / out["emissions"]
    return out


def gmst_mean(start: int, end: int, column: str = "ar6_gmst") -> float:
    """Observed GMST [K vs 1850-1900] averaged over ``start``-``end`` (AR6 assessed by default)."""
    return float(_read("gmst")[column].loc[start:end].mean())
