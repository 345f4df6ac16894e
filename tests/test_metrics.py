"""Metric definitions on synthetic inputs with known answers, and the default metrics."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from esm import diagnostics, metrics
from esm import experiments as X

from .conftest import read_validation


def synthetic(land, ocean, gsat, n=151):
    """An experiment-like Dataset with given per-year land/ocean sinks and GSAT."""
    years = np.arange(1849, 1849 + n)
    as_array = lambda v: np.broadcast_to(np.asarray(v, float), years.shape).copy()  # noqa: E731
    return xr.Dataset(
        {
            "land_sink": ("year", as_array(land)),
            "ocean_sink": ("year", as_array(ocean)),
            "gsat": ("year", as_array(gsat)),
        },
        coords={"year": years},
    )


def test_gregory_regression_recovers_a_known_line():
    t = np.linspace(0.5, 6.0, 150)
    f, lam = metrics.gregory(t, 7.9 - 1.25 * t)
    assert f == pytest.approx(7.9) and lam == pytest.approx(-1.25)


def test_window_mean_uses_cmip_years():
    values = np.arange(151.0)  # position k = experiment year k
    assert metrics.window_mean(values, 61, 80) == pytest.approx(70.5)


def test_feedback_definitions_on_synthetic_runs():
    """beta = dC_BGC / dCO2 and gamma = (dC_COU - dC_BGC) / dT (Arora et al. 2020)."""
    year = 70
    d_co2 = X.CO2_PICONTROL * (1.01**year - 1.0)
    bgc = synthetic(land=2.0, ocean=1.0, gsat=0.0)
    cou = synthetic(land=1.5, ocean=0.9, gsat=2.0)
    fb = metrics.feedbacks(cou, bgc, year)
    n = year + 1  # spin-up year plus years 1..70
    assert fb["beta_land"] == pytest.approx(2.0 * n / d_co2)
    assert fb["beta_ocean"] == pytest.approx(1.0 * n / d_co2)
    assert fb["gamma_land"] == pytest.approx(-0.5 * n / 2.0)
    assert fb["gamma_ocean"] == pytest.approx(-0.1 * n / 2.0)


def test_tcre_spread_is_zero_for_proportional_warming():
    ds = xr.Dataset(
        {
            "cumulative_emissions_co2": ("year", np.linspace(0, 2000, 151)),
            "gsat": ("year", np.linspace(0, 2000, 151) * 1.6e-3),
        }
    )
    assert metrics._tcre_spread(ds, 20, 140) == pytest.approx(0.0, abs=1e-12)


@pytest.fixture(scope="module")
def default_metrics():
    return metrics.compute()


def test_default_climate_response(default_metrics):
    """ECS 2.5-4.0 K, TCR 1.4-2.2 K (AR6 likely), TCRE 1.0-2.3 K/EgC, ZEC50 within +-0.3 K."""
    m = default_metrics
    assert m["ecs"] == pytest.approx(3.0, abs=0.01)
    assert 2.5 <= m["ecs_gregory"] <= 4.0
    assert m["tcr"] == pytest.approx(1.8, abs=0.02)
    assert m["tcr"] == pytest.approx(diagnostics.tcr_ebm(), abs=0.1)  # experiment vs analytic
    assert 1.0 <= m["tcre"] <= 2.3
    assert -0.3 <= m["zec50"] <= 0.3
    assert 0.45 <= m["airborne_fraction_2x"] <= 0.60


def test_default_carbon_feedbacks_against_cmip6(default_metrics):
    """Arora et al. (2020) CMIP6 mean +- sd at 4xCO2: beta_land, gamma_land, gamma_ocean inside
    one sd; beta_ocean inside two sd (measured 0.862 GtC/ppm, one-sd band 0.72-0.86: the HILDA
    ocean calibrated to GCB2021 is slightly more efficient than the CMIP6 ESMs)."""
    t = read_validation("targets")
    m = default_metrics
    for name in ("beta_land", "gamma_land", "gamma_ocean"):
        row = t.loc[f"cmip6_{name}"]
        assert row["low"] <= m[name] <= row["high"], name
    row = t.loc["cmip6_beta_ocean"]
    sd = row["high"] - row["value"]
    assert abs(m["beta_ocean"] - row["value"]) <= 2 * sd
    # 2x and 4x agree in sign and rough size
    assert m["beta_land_2x"] > 0 and m["beta_ocean_2x"] > 0
    assert m["gamma_land_2x"] < 0 and m["gamma_ocean_2x"] < 0


def test_warming_is_near_linear_in_cumulative_emissions(default_metrics):
    """Once cumulative emissions exceed 200 GtC, GSAT / cumulative CO2 varies by less than half
    of its mean along esm-1pctCO2 and esm-flat10 (near-linear TCRE)."""
    assert default_metrics["tcre_spread_1pct"] < 0.5
    assert default_metrics["tcre_spread_flat10"] < 0.5


def test_metrics_table_has_units_and_targets():
    table = metrics.table()
    assert list(table.index) == list(metrics.METRICS)
    assert (table["units"] != "").all()
    targeted = table[table["target"] != ""]
    assert set(targeted.index) == set(metrics.TARGETS)
