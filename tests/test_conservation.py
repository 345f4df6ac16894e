"""Carbon conservation and steady state of the coupled model."""

from __future__ import annotations

import numpy as np
import pytest

import esm

from .conftest import constant_scenario

BUDGET = [
    "emissions_co2_fossil",
    "emissions_co2_landuse",
    "permafrost_emissions_co2",
    "atmospheric_growth",
    "ocean_sink",
    "land_sink",
    "carbon_residual",
    "carbon_vegetation",
    "carbon_detritus",
    "carbon_soil",
    "ocean_carbon",
    "co2",
]


def annual_closure(ds):
    """Fossil + land use + permafrost CO2 - growth - ocean sink - land sink [GtC yr-1]."""
    return (
        ds.emissions_co2_fossil
        + ds.emissions_co2_landuse
        + ds.permafrost_emissions_co2
        - ds.atmospheric_growth
        - ds.ocean_sink
        - ds.land_sink
    )


@pytest.mark.parametrize(
    ("scenario", "end"), [("ssp245", 2100), ("ssp119", 2300), ("ssp585", 2499)]
)
def test_carbon_closes_every_year(scenario, end):
    """fossil + land use + permafrost CO2 - growth - ocean sink - land sink = 0 per year
    (< 1e-6 GtC), and atmosphere + ocean + land + permafrost change plus permafrost CH4 carbon
    minus cumulative fossil emissions stays < 1e-6 GtC."""
    ds = esm.run(scenario, end=end, variables=BUDGET)
    assert np.abs(annual_closure(ds)).max() < 1e-6
    assert np.abs(ds.carbon_residual).max() < 1e-6
    # the closure is not trivially zero: the terms are large
    assert float(ds.ocean_sink.max()) > 2.0 and float(np.abs(ds.land_sink).max()) > 2.0


def test_carbon_closes_with_removals_and_afforestation():
    """Net-negative fossil emissions (CCS/DACCS) and negative land use keep the budget closed."""
    years = np.arange(1750, 2201)
    fossil = np.interp(years, [1750, 1900, 2020, 2060, 2100, 2200], [0, 0.5, 10, 0, -5, -5])
    landuse = np.interp(years, [1750, 2020, 2060, 2200], [0.1, 1.0, -1.0, -1.0])
    ds = esm.run(constant_scenario(years, co2_fossil=fossil, co2_landuse=landuse), variables=BUDGET)
    assert np.abs(annual_closure(ds)).max() < 1e-6
    assert np.abs(ds.carbon_residual).max() < 1e-6
    # removals lower CO2 after the net-zero year
    assert float(ds.co2.sel(year=2200)) < float(ds.co2.sel(year=2060))


def test_steady_state_with_zero_emissions_and_forcing():
    """No anthropogenic emissions and no natural forcing: every state stays at pre-industrial."""
    ds = esm.run(constant_scenario(range(1750, 2051)))
    assert np.allclose(ds.co2, 278.3, atol=1e-10)
    assert np.allclose(ds.ch4, 729.2, atol=1e-9)
    assert np.allclose(ds.n2o, 270.1, atol=1e-9)
    assert np.abs(ds.gsat).max() < 1e-12
    assert np.abs(ds.erf).max() < 1e-12
    assert np.abs(ds.ocean_sink).max() < 1e-12 and np.abs(ds.land_sink).max() < 1e-10
    assert np.ptp(ds.carbon_soil.values) < 1e-9


def test_steady_state_with_constant_preindustrial_emissions():
    """Constant non-zero emissions equal to the first year's are balanced by natural sources."""
    hist = esm.scenarios.load("ssp245")
    first = {v: float(hist[v].isel(year=0)) for v in esm.kernels.layout.SPECIES_NAMES}
    ds = esm.run(
        constant_scenario(range(1750, 1900), **{**first, "co2_fossil": 0.0, "co2_landuse": 0.0})
    )
    assert np.allclose(ds.ch4, 729.2, atol=1e-9) and np.allclose(ds.n2o, 270.1, atol=1e-9)
    assert np.abs(ds.erf).max() < 1e-12


def test_ocean_heat_content_is_the_integral_of_the_toa_imbalance():
    from esm.constants import EARTH_AREA, OCEAN_HEAT_FRACTION, SECONDS_PER_YEAR

    ds = esm.run("ssp245", variables=["ocean_heat_content", "toa_imbalance"])
    zj_per_wyr = OCEAN_HEAT_FRACTION * EARTH_AREA * SECONDS_PER_YEAR / 1e21
    # annual-mean OHC increases by the mean of consecutive annual-mean imbalances (trapezoid;
    # exact for an imbalance linear in time, within 3 % in volcanic years)
    d_ohc = np.diff(ds.ocean_heat_content.values)
    n = ds.toa_imbalance.values
    assert np.allclose(d_ohc, 0.5 * (n[1:] + n[:-1]) * zj_per_wyr, rtol=0.03, atol=0.5)
    # over decades the change equals the integral of the imbalance
    h = ds.ocean_heat_content.sel(year=[1971, 2018]).values
    n = ds.toa_imbalance.sel(year=slice(1971, 2018)).values
    integral = (n.sum() - 0.5 * (n[0] + n[-1])) * zj_per_wyr
    assert h[1] - h[0] == pytest.approx(integral, rel=0.01)
