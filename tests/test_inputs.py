"""Bad input gives a clear error naming what and where, before any computation."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import esm
from esm.scenarios import ScenarioError

from .conftest import constant_scenario


def test_unknown_scenario_lists_the_available_ones():
    with pytest.raises(ScenarioError, match=r"unknown scenario 'ssp999'.*ssp245.*ssp585"):
        esm.run("ssp999")


def test_nan_names_variable_and_year():
    ds = constant_scenario(range(1750, 1800))
    ds["ch4"][10] = np.nan
    with pytest.raises(ScenarioError, match=r"ch4 is NaN .* year\(s\) 1760"):
        esm.run(ds)


def test_missing_years_are_reported():
    ds = constant_scenario(range(1750, 1800)).drop_sel(year=[1770, 1771])
    with pytest.raises(ScenarioError, match="missing years 1770-1771"):
        esm.run(ds)


def test_non_monotonic_years():
    ds = constant_scenario(range(1750, 1800))
    ds = ds.isel(year=[0, 2, 1] + list(range(3, 50)))
    with pytest.raises(ScenarioError, match="years must increase"):
        esm.run(ds)


def test_unknown_species():
    ds = constant_scenario(range(1750, 1800))
    ds["hfc999"] = ("year", np.zeros(50), {"units": "kt HFC999/yr"})
    with pytest.raises(ScenarioError, match="unknown species 'hfc999'"):
        esm.run(ds)


def test_missing_species_error_or_zero():
    ds = constant_scenario(range(1750, 1800)).drop_vars(["sf6", "nh3"])
    with pytest.raises(ScenarioError, match="missing species nh3, sf6"):
        esm.run(ds)
    out = esm.run(ds, missing="zero", variables=["co2"])
    assert out.sizes["year"] == 50


def test_unknown_and_mismatched_units():
    ds = constant_scenario(range(1750, 1800))
    ds["so2"].attrs["units"] = "furlongs"
    with pytest.raises(ScenarioError, match="so2: cannot read unit 'furlongs'"):
        esm.run(ds)
    ds["so2"].attrs["units"] = "Mt CH4/yr"
    with pytest.raises(ScenarioError, match="so2: unit 'Mt CH4/yr' names compound 'CH4'"):
        esm.run(ds)
    del ds["so2"].attrs["units"]
    with pytest.raises(ScenarioError, match="so2 has no 'units'"):
        esm.run(ds)


def test_unit_conversion_gives_identical_runs():
    """Mt CO2/yr vs Gt C/yr and Mt S vs Mt SO2 give the same result."""
    base = esm.scenarios.load("ssp245", end=2030)
    alt = base.copy(deep=True)
    alt["co2_fossil"] = alt["co2_fossil"] * 3664.0
    alt["co2_fossil"].attrs["units"] = "Mt CO2/yr"
    alt["so2"] = alt["so2"] * (32.06 / 64.066)
    alt["so2"].attrs["units"] = "Tg S/yr"
    a = esm.run(base, variables=["co2", "gsat"])
    b = esm.run(alt, variables=["co2", "gsat"])
    np.testing.assert_allclose(a.co2, b.co2, rtol=1e-12)
    np.testing.assert_allclose(a.gsat, b.gsat, rtol=1e-9, atol=1e-12)


def test_negative_non_co2_emissions_are_rejected():
    ds = constant_scenario(range(1750, 1800))
    ds["ch4"][5] = -1.0
    with pytest.raises(ScenarioError, match="ch4 is negative .* year\\(s\\) 1755"):
        esm.run(ds)


def test_bad_parameters():
    with pytest.raises(KeyError, match="did you mean co2_fertilisation"):
        esm.run("ssp245", params={"co2_fertilization": 0.5})
    with pytest.raises(
        ValueError, match=r"co2_fertilisation = 9.0 is outside its allowed range \[0.0, 2.5\]"
    ):
        esm.run("ssp245", params={"co2_fertilisation": 9.0})
    with pytest.raises(ValueError, match="not finite"):
        esm.run("ssp245", params={"respiration_q10": float("nan")})


def test_unknown_output_variable():
    with pytest.raises(KeyError, match="unknown output variable 'temprature'"):
        esm.run("ssp245", variables=["temprature"])


def test_prescribed_co2_must_start_at_co2_pi():
    co2 = xr.DataArray([280.0, 281.0, 282.0], coords={"year": [1750, 1751, 1752]}, dims="year")
    with pytest.raises(ScenarioError, match="co2_pi"):
        esm.run("ssp245", co2=co2)


def test_natural_forcing_must_be_complete():
    ds = constant_scenario(range(1750, 1800)).drop_vars("volcanic")
    with pytest.raises(ScenarioError, match="both 'solar' and 'volcanic'"):
        esm.run(ds)


def test_starting_after_the_scenario_start_warns():
    """A run cut after the scenario's first year treats that year as pre-industrial: say so."""
    with pytest.warns(UserWarning, match="takes 1900 as a pre-industrial steady state"):
        esm.run("ssp245", start=1900, end=1910, variables=["co2"])
