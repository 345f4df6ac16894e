"""Scenario input: emissions and natural forcing as an ``xarray.Dataset``.

A scenario Dataset has an integer ``year`` coordinate (annual, contiguous) and one variable per
emitted species (names: ``esm.kernels.layout.SPECIES_NAMES``), each with a ``units``
attribute; optionally ``solar`` and ``volcanic`` ERF [W m-2]. Emissions are fluxes over each
year. The first year is taken as the pre-industrial (steady) state.

This package is the only place where scenario units are converted and inputs are checked
(:func:`to_arrays`); errors name the variable, the year and the problem, before any
computation.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from esm._data import forcings_dir
from esm.kernels import layout
from esm.scenarios.units import UnitError, conversion_factor, internal_unit

__all__ = [
    "read_scenario",
    "read_iamc",
    "ScenarioError",
    "UnitError",
    "available",
    "load",
    "read_csv",
    "write_csv",
    "to_arrays",
    "natural_forcing",
    "internal_unit",
]

NATURAL_VARIABLES = ("solar", "volcanic")


class ScenarioError(ValueError):
    """Invalid scenario input (the message names the variable, the year and the problem)."""


def available() -> list[str]:
    """Names of the scenarios shipped in ``forcings/emissions``."""
    return sorted(p.name.removesuffix(".csv.gz") for p in _emissions_dir().glob("*.csv.gz"))


def _emissions_dir() -> Path:
    return forcings_dir() / "emissions"


def _read_commented(path: Path) -> tuple[pd.DataFrame, list[str]]:
    text = _read_text(path)
    header = [ln[2:] for ln in text.splitlines() if ln.startswith("#")]
    return pd.read_csv(io.StringIO(text), comment="#"), header


@cache
def _natural() -> pd.DataFrame:
    df, _ = _read_commented(forcings_dir() / "natural_forcing.csv")
    return df.set_index("year")


def natural_forcing(years) -> xr.Dataset:
    """Default solar and volcanic ERF [W m-2] (AR6 / fair-calibrate v1.4.1) for ``years``."""
    nat = _natural()
    years = np.asarray(years)
    outside = years[(years < nat.index[0]) | (years > nat.index[-1])]
    if outside.size:
        raise ScenarioError(
            f"natural forcing: no default data for year {outside[0]} (available "
            f"{nat.index[0]}-{nat.index[-1]}); give 'solar' and 'volcanic' in the scenario"
        )
    ds = xr.Dataset(coords={"year": years})
    for v in NATURAL_VARIABLES:
        ds[v] = ("year", nat.loc[years, v].to_numpy(), {"units": "W m-2", "long_name": f"{v} ERF"})
    return ds


def load(name: str, start: int | None = None, end: int | None = None) -> xr.Dataset:
    """Load a shipped scenario (see :func:`available`) with default natural forcing."""
    names = available()
    if name not in names:
        raise ScenarioError(f"unknown scenario {name!r}; available: {', '.join(names)}")
    ds = read_csv(_emissions_dir() / f"{name}.csv.gz", name=name)
    ds = ds.sel(year=slice(start, end))
    if ds.sizes["year"] == 0:
        raise ScenarioError(f"scenario {name}: no years in {start}-{end}")
    nat = natural_forcing(ds["year"].values)
    return ds.assign({v: nat[v] for v in NATURAL_VARIABLES})


def _fmt_years(years) -> str:
    """The first five of ``years`` and how many more ("1750, 1751 and 3 more")."""
    years = [int(y) for y in years]
    shown = ", ".join(map(str, years[:5]))
    return shown + (f" and {len(years) - 5} more" if len(years) > 5 else "")


def check_years(years: np.ndarray, what: str = "scenario", min_years: int = 2) -> np.ndarray:
    """Validate a ``year`` coordinate: integer, increasing, one value per year, no gaps (at
    least ``min_years``: 1 for a run continued from a saved state)."""
    years = np.asarray(years)
    if years.ndim != 1 or years.size < min_years:
        raise ScenarioError(
            f"{what}: 'year' must be a 1-D coordinate with at least {min_years} year(s)"
        )
    if not np.all(np.isfinite(years.astype(float))) or np.any(years != np.round(years)):
        raise ScenarioError(f"{what}: 'year' values must be whole numbers")
    years = years.astype(np.int64)
    step = np.diff(years)
    if np.any(step <= 0):
        i = int(np.argmax(step <= 0))
        raise ScenarioError(f"{what}: years must increase (year {years[i + 1]} follows {years[i]})")
    if np.any(step != 1):
        i = int(np.argmax(step != 1))
        gap = (
            f"year {years[i] + 1}"
            if years[i + 1] - years[i] == 2
            else f"years {years[i] + 1}-{years[i + 1] - 1}"
        )
        raise ScenarioError(
            f"{what}: missing {gap} (annual data required; interpolate first, e.g. "
            "ds.interp(year=range(first, last + 1)))"
        )
    return years


def check_species_names(ds: xr.Dataset, name: str) -> None:
    """Raise if ``ds`` holds a variable that is neither a species nor solar/volcanic forcing."""
    known = set(layout.SPECIES_NAMES) | set(NATURAL_VARIABLES)
    unknown = [v for v in ds.data_vars if v not in known]
    if unknown:
        raise ScenarioError(
            f"{name}: unknown species {', '.join(map(repr, unknown))}; the model knows "
            f"{', '.join(layout.SPECIES_NAMES)} (and solar, volcanic forcing)"
        )


def to_arrays(ds: xr.Dataset, missing: str = "error", min_years: int = 2):
    """Check a scenario Dataset and return (years, emis, natural) in internal units.

    ``emis`` is float64[n_years, N_SPECIES] (layout order), ``natural`` float64[n_years, 2].
    ``missing="zero"`` fills absent species with zero emissions; the default raises.
    """
    if not isinstance(ds, xr.Dataset):
        raise ScenarioError(f"scenario must be a name or an xarray.Dataset, not {type(ds)}")
    name = ds.attrs.get("scenario", "scenario")
    if "year" not in ds.coords:
        raise ScenarioError(f"{name}: no 'year' coordinate")
    years = check_years(ds["year"].values, name, min_years)
    check_species_names(ds, name)
    absent = [v for v in layout.SPECIES_NAMES if v not in ds.data_vars]
    if absent and missing != "zero":
        raise ScenarioError(
            f"{name}: missing species {', '.join(absent)} (pass missing='zero' to run "
            "with zero emissions of them)"
        )
    emis = np.zeros((years.size, layout.N_SPECIES))
    for k, v in enumerate(layout.SPECIES_NAMES):
        if v not in ds.data_vars:
            continue
        da = ds[v]
        if da.dims != ("year",):
            raise ScenarioError(
                f"{name}: variable {v} must have the single dimension 'year', not {da.dims}"
            )
        if "units" not in da.attrs:
            raise ScenarioError(
                f"{name}: variable {v} has no 'units' attribute (e.g. {internal_unit(v)!r})"
            )
        try:
            factor = conversion_factor(v, da.attrs["units"])
        except UnitError as err:
            raise ScenarioError(f"{name}: {err}") from None
        values = da.values.astype(np.float64)
        bad = ~np.isfinite(values)
        if bad.any():
            raise ScenarioError(
                f"{name}: {v} is NaN or infinite in year(s) {_fmt_years(years[bad])}"
            )
        if not v.startswith("co2_") and (values < 0).any():
            neg = values < 0
            raise ScenarioError(
                f"{name}: {v} is negative ({values[neg][0]:g} {da.attrs['units']}) in year(s) "
                f"{_fmt_years(years[neg])}; only CO2 emissions may be negative (removals)"
            )
        emis[:, k] = values * factor
    if all(v in ds.data_vars for v in NATURAL_VARIABLES):
        nat_ds = ds
    elif any(v in ds.data_vars for v in NATURAL_VARIABLES):
        raise ScenarioError(f"{name}: give both 'solar' and 'volcanic' forcing, or neither")
    else:
        nat_ds = natural_forcing(years)
    natural = np.zeros((years.size, 2))
    for k, v in enumerate(NATURAL_VARIABLES):
        values = nat_ds[v].values.astype(np.float64)
        unit = nat_ds[v].attrs.get("units", "W m-2")
        if unit not in ("W m-2", "W/m2", "W m^-2", "W/m^2"):
            raise ScenarioError(f"{name}: {v} must be in W m-2, not {unit!r}")
        bad = ~np.isfinite(values)
        if bad.any():
            raise ScenarioError(f"{name}: {v} forcing is NaN in year(s) {_fmt_years(years[bad])}")
        natural[:, k] = values
    return years, np.ascontiguousarray(emis), np.ascontiguousarray(natural)


# the native scenario CSV (read_csv, write_csv) now lives in esm/io/scenario_csv.py
from esm.io.scenario_csv import _read_text, read_csv, write_csv  # noqa: E402, F401
from esm.scenarios.iamc import read_iamc  # noqa: E402  (uses ScenarioError defined above)
from esm.scenarios.read import read_scenario  # noqa: E402
