"""Property-based tests: any finite, physically sensible scenario runs, stays finite and
conserves carbon.

"Physically sensible" here: fossil CO2 between -5 and 30 GtC/yr (removals up to half of today's
emissions, emissions up to three times today's), land-use CO2 between -2 and 3 GtC/yr, CH4/N2O and
aerosol precursors scaled by 0-3 times their SSP2-4.5 paths, NOx, NMVOC and CO by 0-1.5 times (the
shapes stay those of real emission paths while their levels vary far beyond the SSP range). Near
2 times SSP2-4.5 NOx (default parameters) the linear CH4-lifetime factor 1 + s dNOx of Thornhill
et al. (2021) leaves its domain; that case is a clear ModelError (tests/test_hostile.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import esm
from esm.kernels.layout import SPECIES_NAMES

from .test_conservation import BUDGET, annual_closure

#: minutes, not seconds: deselect with -m "not slow" while developing (CI runs them)
pytestmark = pytest.mark.slow

YEARS = np.arange(1750, 2201)
KNOTS = np.array([1750, 1850, 1950, 2000, 2020, 2050, 2100, 2150, 2200])

_paths = st.lists(st.floats(-5.0, 30.0), min_size=KNOTS.size, max_size=KNOTS.size)
_landuse = st.lists(st.floats(-2.0, 3.0), min_size=KNOTS.size, max_size=KNOTS.size)
_scales = st.tuples(st.floats(0.0, 3.0), st.floats(0.0, 3.0), st.floats(0.0, 1.5))


@pytest.fixture(scope="module")
def base():
    return esm.scenarios.load("ssp245").sel(year=slice(1750, 2200))


def _scenario(base, fossil, landuse, scales):
    ds = base.copy(deep=True)
    # knots start at zero in 1750 so the first year stays the pre-industrial steady state
    ds["co2_fossil"].values[:] = np.interp(YEARS, KNOTS, [0.0, *fossil[1:]])
    ds["co2_landuse"].values[:] = np.interp(YEARS, KNOTS, [0.0, *landuse[1:]])
    groups = (("ch4", "n2o"), ("so2", "bc", "oc", "nh3"), ("nox", "nmvoc", "co"))
    for group, scale in zip(groups, scales, strict=True):
        for v in group:
            ds[v].values[:] *= scale
    return ds


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fossil=_paths, landuse=_landuse, scales=_scales)
def test_any_sensible_scenario_runs_and_conserves_carbon(base, fossil, landuse, scales):
    ds = esm.run(_scenario(base, fossil, landuse, scales), variables=[*BUDGET, "gsat", "ch4"])
    values = np.stack([ds[v].values for v in ds.data_vars])
    assert np.isfinite(values).all()
    assert np.abs(annual_closure(ds)).max() < 1e-6
    assert np.abs(ds.carbon_residual).max() < 1e-6
    # land pools stay positive; temperature within what such emissions can do (three times
    # SSP2-4.5 aerosols with net removals of CO2 cool by about 3 K)
    for pool in ("carbon_vegetation", "carbon_detritus", "carbon_soil"):
        assert float(ds[pool].min()) > 0.0
    assert -8.0 < float(ds.gsat.min()) and float(ds.gsat.max()) < 15.0


@settings(max_examples=20, deadline=None)
@given(
    species=st.sampled_from([s for s in SPECIES_NAMES if not s.startswith("co2_")]),
    value=st.floats(-1e6, -1e-9),
    year=st.integers(1751, 2100),
)
def test_any_negative_non_co2_emission_is_refused_naming_species_and_year(species, value, year):
    ds = esm.scenarios.load("ssp245", end=2100)
    ds[species].loc[year] = value
    with pytest.raises(esm.ScenarioError, match=rf"{species} is negative .* in year\(s\) {year}"):
        esm.run(ds)
