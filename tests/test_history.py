"""The default configuration against the historical targets (emission-driven, 1750-2020).

Targets and tolerances: validation/targets.csv (GCB2021, AR6), stated per test. Tests of
quantities the calibration fits (validation/calibrate_posterior.py: GSAT and GMST, the CO2,
CH4 and N2O records, ocean heat uptake, the GCB 2011-2020 sinks, aerosol ERF 2005-2014) are
marked ``fit``; the others check what was not fitted.
"""

from __future__ import annotations

import numpy as np
import pytest

from esm import diagnostics

from .conftest import period_mean, period_sum, read_validation


@pytest.mark.fit
def test_gcb_2011_2020_airborne_fraction_and_sinks(history, targets):
    """GCB2021 2011-2020: AF 0.476 +- 0.05, ocean 2.78 +- 0.4, land 3.06 +- 0.5 GtC/yr."""
    b = diagnostics.carbon_budget(history, 2011, 2020)
    assert b["airborne_fraction"] == pytest.approx(0.476, abs=0.05)
    assert b["ocean_sink"] == pytest.approx(
        targets.loc["gcb_2011_2020_ocean_sink", "value"], abs=0.4
    )
    assert b["land_sink"] == pytest.approx(targets.loc["gcb_2011_2020_land_sink", "value"], abs=0.5)
    # the model is driven by GCB2021 emissions (10.63 GtC/yr)
    assert b["emissions"] == pytest.approx(10.63, abs=0.01)


def test_gcb_cumulative_sinks_1850_2020(history):
    """Cumulative 1850-2020 sinks within 20 % of GCB2021 (ocean 168.4, land 195.4 GtC)."""
    assert period_sum(history, "ocean_sink", 1850, 2020) == pytest.approx(168.4, rel=0.2)
    assert period_sum(history, "land_sink", 1850, 2020) == pytest.approx(195.4, rel=0.2)


def test_decadal_sinks_grow_like_gcb(history):
    """Both sinks roughly double from the 1960s to the 2010s, as in GCB2021 (x2.6)."""
    for var in ("ocean_sink", "land_sink"):
        ratio = period_mean(history, var, 2010, 2019) / period_mean(history, var, 1960, 1969)
        assert 1.6 < ratio < 3.5, (var, ratio)


@pytest.mark.fit
def test_concentrations_2019(history):
    """AR6 2019: CO2 409.9 +- 4 ppm, CH4 1866 +- 50 ppb, N2O 332 +- 5 ppb."""
    r = history.sel(year=2019)
    assert float(r.co2) == pytest.approx(409.9, abs=4.0)
    assert float(r.ch4) == pytest.approx(1866.3, abs=50.0)
    assert float(r.n2o) == pytest.approx(332.1, abs=5.0)


@pytest.mark.fit
@pytest.mark.xfail(
    strict=True,
    reason="missed by the default (the posterior's central member): -5.5 ppm in 1920 "
    "(1990-2019 max 1.1 ppm and RMSE 0.6 ppm, 1850-2019 RMSE 2.9 ppm). The posterior's CO2 "
    "likelihood is 4 ppm wide (1959-2019) and 5 ppm (ice cores); the default is chosen typical "
    "in ECS, TCR, TCRE, ZEC50, flat10 linearity and aerosol ERF first and best-fitting second",
)
def test_co2_concentration_history(history):
    """Emission-driven CO2 follows AR6 Annex III within 5 ppm in every year 1850-2019 and
    within 3 ppm (RMSE 1.5 ppm) in 1990-2019 (the esm 0.1 defaults, tuned to these: -4.9 ppm
    in 1920, 1990-2019 max 2.2 ppm, RMSE 1.4 ppm)."""
    obs = read_validation("ghg_concentrations")["co2"]
    diff = history.co2.sel(year=slice(1850, 2019)).values - obs.loc[1850:2019].values
    assert np.abs(diff).max() < 5.0
    assert np.abs(diff[-30:]).max() < 3.0
    assert np.sqrt(np.mean(diff[-30:] ** 2)) < 1.5
    assert np.sqrt(np.mean(diff**2)) < 3.0


ERF_NAMES = {
    "co2": "erf_co2",
    "ch4": "erf_ch4",
    "n2o": "erf_n2o",
    "halogens": "erf_halogens",
    "ozone": "erf_ozone",
    "h2o_stratospheric": "erf_h2o_stratospheric",
    "aerosol_ari": "erf_aerosol_ari",
    "aerosol_aci": "erf_aerosol_aci",
    "aerosol": "erf_aerosol",
    "land_use": "erf_land_use",
    "bc_on_snow": "erf_bc_on_snow",
    "contrails": "erf_contrails",
    "total_anthropogenic": "erf_anthropogenic",
}


@pytest.mark.parametrize("component", list(ERF_NAMES))
def test_erf_2019_inside_ar6_range(history, component):
    """ERF 2019 vs 1750 of each component inside the AR6 5-95 % range (Table 7.8 data)."""
    ar6 = read_validation("ar6_erf_2019").loc[component]
    value = float(history[ERF_NAMES[component]].sel(year=2019))
    assert ar6["p05"] <= value <= ar6["p95"], (component, value, ar6["p05"], ar6["p95"])


@pytest.mark.xfail(
    strict=True,
    reason="missed by the default (the posterior's central member): 2.37 W m-2, inside "
    "AR6's 5-95 % range but 0.35 below its best estimate. Its CO2 forcing scale "
    "(erf_scale_co2 0.926; posterior 5-95 % 0.86-1.11) gives CO2 ERF 2.00 W m-2 (AR6 2.16) and "
    "its aerosols -1.25 W m-2 (AR6 -1.06); the default is chosen typical in ECS, TCR, TCRE, "
    "ZEC50, flat10 linearity and aerosol ERF 2005-2014, not in total ERF 2019",
)
def test_total_anthropogenic_erf_2019(history):
    """Total anthropogenic ERF 2019: 2.72 (1.96-3.48) W m-2; within 0.15 of the best estimate."""
    assert float(history.erf_anthropogenic.sel(year=2019)) == pytest.approx(2.72, abs=0.15)


@pytest.mark.fit
def test_gsat_2011_2020(history):
    """GSAT 2011-2020 vs 1850-1900: 1.09 K (0.95-1.20), AR6 SPM A.1.2."""
    assert 0.95 <= period_mean(history, "gsat", 2011, 2020) <= 1.20
    assert period_mean(history, "gsat", 2011, 2020) == pytest.approx(1.09, abs=0.05)
    assert period_mean(history, "gsat", 1850, 1900) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.fit
def test_gsat_tracks_observed_gmst(history):
    """RMSE against the AR6 assessed GMST 1850-2020 under 0.15 K."""
    obs = read_validation("gmst")["ar6_gmst"].dropna().loc[1850:2020]
    model = history.gsat.sel(year=obs.index).values
    assert np.sqrt(np.mean((model - obs.values) ** 2)) < 0.15


@pytest.mark.fit
def test_ocean_heat_uptake_1971_2018(history, targets):
    """Ocean heat content change 1971-2018: 396 (286-506) ZJ, AR6 Table 7.1."""
    d = float(history.ocean_heat_content.sel(year=2018) - history.ocean_heat_content.sel(year=1971))
    assert 285.7 <= d <= 506.3


@pytest.mark.fit
def test_aerosol_erf_2005_2014(history):
    """ERFari -0.3 +- 0.3 and ERFaci -1.0 +- 0.7 W m-2 (2005-2014 vs 1750; fair-calibrate)."""
    assert period_mean(history, "erf_aerosol_ari", 2005, 2014) == pytest.approx(-0.3, abs=0.3)
    assert period_mean(history, "erf_aerosol_aci", 2005, 2014) == pytest.approx(-1.0, abs=0.7)
