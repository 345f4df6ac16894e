"""Concentration-driven CO2 with diagnosed compatible emissions, and the round trip."""

from __future__ import annotations

import numpy as np
import xarray as xr

import esm

from .conftest import read_validation


def test_compatible_emissions_reproduce_the_co2_path():
    """Diagnose emissions from AR6 CO2 1750-2019; re-running them emission-driven reproduces
    the concentration-driven CO2 path (to 1e-6 ppm) and the historical CO2 closely."""
    obs = read_validation("ghg_concentrations")["co2"].loc[1750:2019]
    co2 = xr.DataArray(obs.values, coords={"year": obs.index.values}, dims="year")
    conc = esm.run("ssp245", end=2019, co2=co2)
    # End-of-year CO2 is prescribed as the mean of adjacent annual means, so a year's mean is
    # the average of its two bounds, (m[y-1] + 2 m[y] + m[y+1]) / 4, up to the curvature of
    # the path inside the year (sinks grow as CO2 rises under constant emissions).
    m = obs.values
    bounds_mean = (np.r_[m[0], m[:-1]] + 2 * m + np.r_[m[1:], 2 * m[-1] - m[-2]]) / 4
    bounds_mean[0] = 0.5 * (m[0] + 0.5 * (m[0] + m[1]))  # the first year starts at co2_pi
    assert np.abs(conc.co2.values - bounds_mean).max() < 0.1
    assert np.abs(conc.co2.values - m).max() < 0.5
    scen = esm.scenarios.load("ssp245", end=2019)
    scen["co2_fossil"] = ("year", conc.emissions_co2_fossil.values, {"units": "Gt C/yr"})
    emis = esm.run(scen)
    assert np.abs(emis.co2.values - conc.co2.values).max() < 1e-6
    assert np.abs(emis.gsat.values - conc.gsat.values).max() < 1e-6
    # diagnosed fossil emissions are close to the GCB inventory recently (budget imbalance)
    gcb = read_validation("gcb2021_budget")["fossil"]
    diagnosed = float(conc.emissions_co2_fossil.sel(year=slice(2010, 2019)).mean())
    assert abs(diagnosed - gcb.loc[2010:2019].mean()) < 1.5


def test_mixed_mode_switches_to_emissions_after_the_prescribed_years():
    co2 = xr.DataArray([278.3] + [np.nan] * 10, coords={"year": np.arange(1750, 1761)}, dims="year")
    a = esm.run("ssp245", end=1760, co2=co2, variables=["co2"])
    b = esm.run("ssp245", end=1760, variables=["co2"])
    assert np.abs(a.co2.values[1:] - b.co2.values[1:]).max() < 0.05
