"""Metric definitions on synthetic inputs with known answers, and the default metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
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
    """ECS 2.5-4.0 K, TCR 1.4-2.2 K (AR6 likely), TCRE 1.0-2.3 K/EgC, ZEC50 within +-0.3 K.

    (The default parameters need not sit on the AR6 central values, so only the likely ranges
    are required.)"""
    m = default_metrics
    assert 2.5 <= m["ecs"] <= 4.0
    assert m["ecs"] == pytest.approx(diagnostics.ecs(), rel=1e-12)
    assert 2.5 <= m["ecs_gregory"] <= 4.0
    assert 1.4 <= m["tcr"] <= 2.2
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


# ------------------------------------------------------------------------------ many members
@pytest.fixture(scope="module")
def three_members():
    return metrics.parameter_table(members=3)


def test_member_path_equals_single_member_computations(three_members):
    """compute_members (each experiment once for all members) gives what compute() gives for
    each member alone, to round-off."""
    batch = metrics.compute_members(three_members)
    assert list(batch.columns) == list(metrics.METRICS) and len(batch) == 3
    for i, (_, row) in enumerate(three_members.iterrows()):
        single = metrics.compute(row.to_dict())
        for k in metrics.METRICS:
            assert batch.iloc[i][k] == pytest.approx(single[k], rel=1e-9, abs=1e-12), (i, k)


def test_chunks_do_not_change_the_result(three_members, monkeypatch):
    whole = metrics.compute_members(three_members)
    monkeypatch.setattr(metrics, "CHUNK", 2)
    pd.testing.assert_frame_equal(metrics.compute_members(three_members), whole)


def test_batched_experiments_equal_single_runs(three_members):
    """Each member's batched run equals esm.experiments.run with its parameters (the per-member
    compatible emissions of the emission-driven branches included)."""
    runs = metrics.run_experiments(three_members)
    for i, (_, row) in enumerate(three_members.iterrows()):
        values = row.to_dict()
        for name in ("esm-1pctCO2", "esm-1pct-brch-1000PgC", "1pctCO2-bgc", "esm-flat10"):
            single = X.run(name, values, variables=metrics.VARIABLES)
            for var in metrics.VARIABLES:
                np.testing.assert_allclose(
                    runs[name][var].values[i], single[var].values, rtol=1e-9, atol=1e-12,
                    err_msg=f"{name} {var} member {i}",
                )  # fmt: skip


def test_vectorised_definitions_match_one_series_at_a_time():
    rng = np.random.default_rng(1)
    t = np.cumsum(rng.random((4, 151)), axis=1) * 0.02
    n = 7.0 - 1.2 * t + 0.05 * rng.standard_normal((4, 151))
    f, lam = metrics.gregory(t, n)
    for m in range(4):
        f1, lam1 = metrics.gregory(t[m], n[m])
        assert isinstance(f1, float)
        assert f[m] == pytest.approx(f1, rel=1e-12) and lam[m] == pytest.approx(lam1, rel=1e-12)
        assert metrics.window_mean(t, 61, 80)[m] == pytest.approx(metrics.window_mean(t[m], 61, 80))


def test_tcre_change_on_known_series():
    """Proportional warming: no change; warming growing as cum^1.1: (1000/200)^0.1 - 1."""
    e = np.r_[0.0, np.full(100, 10.0)]
    cum = np.cumsum(e)
    for power, expected in ((1.0, 0.0), (1.1, 5.0**0.1 - 1.0)):
        ds = xr.Dataset(
            {"emissions_co2_fossil": ("year", e), "gsat": ("year", 1.6e-3 * cum**power)}
        )
        assert metrics._tcre_change(ds, 200.0, 1000.0) == pytest.approx(expected, abs=1e-12)


def test_percentile_table_over_posterior_members():
    table = metrics.table(members=20)
    assert list(table.index) == list(metrics.METRICS)
    cols = list(metrics.PERCENTILE_COLUMNS)
    assert cols == ["p5", "p17", "p50", "p83", "p95"]
    pct = table[cols].to_numpy(float)
    assert np.isfinite(pct).all()
    assert (np.diff(pct, axis=1) >= 0).all()  # ordered
    assert {"units", "meaning", "target", "low", "high", "kind"} <= set(table.columns)
    assert set(table.index[table["target"] != ""]) == set(metrics.TARGETS)
    text = metrics.format_table(table)
    assert all(c in text.splitlines()[0] for c in cols)


def test_members_are_bounded_by_the_posterior():
    with pytest.raises(ValueError, match="members"):
        metrics.parameter_table(members=0)
    with pytest.raises(ValueError, match="posterior has"):
        metrics.parameter_table(members=10**7)
