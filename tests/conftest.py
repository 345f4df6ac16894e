"""Shared fixtures: default historical and scenario runs (computed once per session)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import esm
from esm import observations


def read_validation(name: str) -> pd.DataFrame:
    """A validation table by file stem, indexed by its key column (esm.observations.load)."""
    return observations.load(name)


@pytest.fixture(scope="session")
def targets() -> pd.DataFrame:
    """validation/targets.csv indexed by name."""
    return observations.load("targets")


@pytest.fixture(scope="session")
def history():
    """Default emission-driven run 1750-2020 (SSP2-4.5 history), all variables."""
    return esm.run("ssp245", end=2020)


@pytest.fixture(scope="session")
def ssp585():
    return esm.run("ssp585")


def period_mean(ds, var, start, end):
    return float(ds[var].sel(year=slice(start, end)).mean())


def period_sum(ds, var, start, end):
    return float(ds[var].sel(year=slice(start, end)).sum())


def constant_scenario(years=range(1750, 1901), **overrides):
    """A scenario with every species at zero (or ``overrides`` arrays/values) and no forcing."""
    import xarray as xr

    from esm.kernels.layout import SPECIES_NAMES
    from esm.scenarios import internal_unit

    years = np.asarray(list(years))
    ds = xr.Dataset(coords={"year": years})
    for v in SPECIES_NAMES:
        value = overrides.get(v, 0.0)
        ds[v] = (
            "year",
            np.broadcast_to(np.asarray(value, float), years.shape).copy(),
            {"units": internal_unit(v)},
        )
    for v in ("solar", "volcanic"):
        value = overrides.get(v, 0.0)
        ds[v] = (
            "year",
            np.broadcast_to(np.asarray(value, float), years.shape).copy(),
            {"units": "W m-2"},
        )
    ds.attrs["scenario"] = "test"
    return ds
