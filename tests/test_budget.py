"""Remaining carbon budgets and goal paths (esm.budget, esm.goal): the pathway family, the
framework's terms adding up, agreement of the two methods, the goal run forward, clear errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import esm
from esm import budgets as B
from esm import scenarios
from esm._data import validation_dir
from esm.cli import main
from esm.constants import GTCO2_PER_GTC

MEMBERS = 120


@pytest.fixture(scope="module")
def b15():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return B.budget(1.5, members=MEMBERS)


@pytest.fixture(scope="module")
def b20():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return B.budget(2.0, members=MEMBERS)


def test_linear_path_reaches_net_zero_with_the_analytic_cumulative():
    p = B.net_zero_path(2050, start=2020)
    years = p["year"].values
    net = B._net_co2(p)
    e0 = net[years == 2020][0]
    # linear: E(t) = E0 (1 - (t - 2020) / 30), zero from 2050 on
    assert np.allclose(net[(years >= 2020) & (years <= 2050)], e0 * (1 - np.arange(31) / 30))
    assert np.all(net[years >= 2050] == 0.0)
    # sum over 2020..2049 of E0 (1 - k/30) = E0 (30 + 1) / 2
    assert B._cumulative_from(p)[-1] == pytest.approx(e0 * 31 / 2, rel=1e-12)
    # before the decline: the background (SSP2-4.5) exactly, every species
    bg = scenarios.load("ssp245").sel(year=slice(1750, 2019))
    for name in ("co2_fossil", "ch4", "so2", "hfc134a"):
        assert np.array_equal(p[name].sel(year=slice(1750, 2019)).values, bg[name].values)


def test_held_path_has_the_analytic_cumulative():
    """2020 emissions held 10 years, then a straight decline to net zero in 2100."""
    p = B.net_zero_path(2100, hold=10)
    e0 = B._net_co2(p)[p["year"].values == 2020][0]
    # 10 E0 held (2020-2029), then sum over 2030..2099 of E0 (1 - k/70) = E0 (70 + 1) / 2
    assert B._cumulative_from(p)[-1] == pytest.approx(e0 * (10 + 71 / 2), rel=1e-12)


def test_deep_co2_cuts_get_the_lowest_ssp_non_co2():
    """Fossil CO2 below every SSP in 2035: each non-CO2 species takes the lowest SSP value."""
    p = B.net_zero_path(2030)
    low = min(float(scenarios.load(n)["ch4"].sel(year=2035)) for n in scenarios.available()[1:])
    assert float(p["ch4"].sel(year=2035)) == pytest.approx(low, rel=1e-12)


def test_emissions_2015_2019_match_the_global_carbon_budget(b15):
    gcb = pd.read_csv(validation_dir() / "gcb2021_budget.csv", comment="#", index_col=0)
    # E_FOS net of cement carbonation plus E_LUC [GtC/yr]
    expected = (gcb.loc[2015:2019, "fossil"] + gcb.loc[2015:2019, "landuse"]).sum() * GTCO2_PER_GTC
    # the shipped history is GCB2021 CO2 (fair-calibrate v1.4.1); cement carbonation aside
    assert b15.attrs["emissions_2015_2019_GtCO2"] == pytest.approx(expected, rel=0.03)


def test_framework_terms_add_up_for_every_member(b15):
    w = b15.attrs["warming_limit_K"]
    left = w - b15["warming_historical"] - b15["warming_nonco2"] - b15["zec50"]
    expected = left / b15["tcre"] * 1000.0 * GTCO2_PER_GTC - b15.attrs["emissions_2015_2019_GtCO2"]
    assert np.allclose(b15["budget_member"].values, expected.values, rtol=1e-10)
    # the likelihood columns are quantiles of those member budgets
    for L in b15["likelihood"].values:
        assert float(b15["budget_framework"].sel(likelihood=L)) == pytest.approx(
            np.quantile(b15["budget_member"].values, 1 - L)
        )


def test_the_family_covers_the_assessed_2k_budgets(b20):
    """Net zero 2025-2100, then 2020 emissions held up to 75 years: 2 K is reached at every
    likelihood, and cumulative CO2 rises along the family."""
    assert np.all(np.diff(b20["cumulative_co2"].values) > 0)
    assert np.all(np.isfinite(b20["budget_simulation"].values[:-1]))  # 17 % to 67 %


def test_budgets_fall_with_likelihood_and_rise_with_the_limit(b15, b20):
    for ds in (b15, b20):
        fw = ds["budget_framework"].values
        assert np.all(np.diff(fw) < 0)
        sim = ds["budget_simulation"].values
        finite = sim[np.isfinite(sim)]
        assert np.all(np.diff(finite) < 0)
    assert np.all(b20["budget_framework"].values > b15["budget_framework"].values)


def test_simulation_and_framework_agree_within_the_framework_spread(b20):
    """2 K at 50 %: the two methods differ by less than half the 33-67 % range."""
    p = b20.sel(likelihood=0.5)
    half = (
        float(b20["budget_framework"].sel(likelihood=0.33))
        - float(b20["budget_framework"].sel(likelihood=0.67))
    ) / 2
    assert abs(float(p["budget_simulation"]) - float(p["budget_framework"])) < half


def test_simulation_budget_is_where_the_peak_quantile_crosses_the_limit(b20):
    c = b20["cumulative_co2"].values
    found = b20["likelihood"].values[np.isfinite(b20["budget_simulation"].values)]
    assert found.size >= 2
    for L in found:
        q = np.quantile(b20["peak_warming"].values, L, axis=1)
        x = float(b20["budget_simulation"].sel(likelihood=L))
        assert np.interp(x, c, q) == pytest.approx(2.0, abs=1e-9)


def test_ar6_budgets_are_given_beside_the_model(b15, b20):
    assert float(b15["budget_ar6"].sel(likelihood=0.5)) == 500.0
    assert float(b15["budget_ar6"].sel(likelihood=0.67)) == 400.0
    assert float(b20["budget_ar6"].sel(likelihood=0.67)) == 1150.0
    assert float(b20["budget_ar6"].sel(likelihood=0.83)) == 900.0


def test_goal_path_run_forward_meets_its_goal():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        g = B.goal(1.8, 0.5, members=80, seed=3)
        # forward: the same members (seed) through the public ensemble
        scenario = g.drop_vars(["co2_net", "peak_warming"])
        ens = esm.ensemble(scenario, members=80, seed=3, variables=["gsat"])
    peak = ens["gsat"].sel(year=slice(2020, 2100)).max("year").values
    assert np.quantile(peak, 0.5) == pytest.approx(1.8, abs=0.01)
    assert g.attrs["net_zero_year"] > 2030
    years = g["year"].values
    net = g["co2_net"].values
    assert np.all(net[years >= np.ceil(g.attrs["net_zero_year"])] == 0.0)
    assert g.attrs["co2_net_2030"] == pytest.approx(net[years == 2030][0])


def test_goal_path_written_as_csv_runs_back_identically(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        g = B.goal(2.0, 0.5, members=40)
    path = scenarios.write_csv(g, tmp_path / "goal.csv", header=["test"])
    back = esm.read_scenario(path)
    for name in ("co2_fossil", "ch4", "so2"):
        assert np.array_equal(back[name].values, g[name].values)
    a = esm.run(back, variables=["gsat"], end=2100)
    b = esm.run(g.drop_vars(["co2_net", "peak_warming"]), variables=["gsat"], end=2100)
    assert np.array_equal(a["gsat"].values, b["gsat"].values)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: B.budget(1.5, likelihood=67),
            "likelihood must be between 0 and 1 (exclusive): the share of members that stay "
            "below the limit, not 67; for 67 % give 0.67",
        ),
        (
            lambda: B.budget(1.5, likelihood=0.0),
            "likelihood must be between 0 and 1 (exclusive): the share of members that stay "
            "below the limit, not 0",
        ),
        (
            lambda: B.budget(1.5, likelihood=[]),
            "likelihood is empty; give e.g. likelihood=[0.5, 0.67]",
        ),
        (
            lambda: B.budget(1.5, net_zero_years=[2050, 2040, 2060]),
            "net_zero_years must be at least three increasing years after 2020, not "
            "[2050, 2040, 2060]",
        ),
        (lambda: B.budget(1.5, shape="step"), "shape must be one of linear, cosine, not 'step'"),
        (
            lambda: B.budget(1.5, hold_years=[10, 5]),
            "hold_years must be increasing, > 0 and < 80 (the years from 2020 to the last "
            "net-zero year), not [10, 5]",
        ),
        (lambda: B.goal(1.5, likelihood=1.0), "likelihood must be between 0 and 1"),
        (lambda: B.net_zero_path(2010), "net_zero_year must be after start (2020)"),
        (
            lambda: B.net_zero_path(2050, net_negative=5),
            "net_negative must be <= 0 GtCO2/yr, not 5",
        ),
    ],
)
def test_errors(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value).startswith(message)


def test_limit_below_present_warming_is_refused():
    with pytest.raises(ValueError, match=r"warming 1 K is at or below the members' present"):
        B.budget(1.0, members=20)


def test_unreachable_goal_names_the_earliest_path():
    with pytest.raises(ValueError, match=r"even net zero in 2026 \(from 2025, linear\) peaks at"):
        B.goal(1.25, 0.5, members=20)


def test_cli_budget_and_goal(tmp_path, capsys):
    out = tmp_path / "b.csv"
    assert main(["budget", "2", "--likelihood", "50", "--members", "40", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "simulation   framework  IPCC AR6" in text
    assert "The terms add up (median member)" in text
    table = pd.read_csv(out)
    assert set(table["quantity"]) >= {"budget_simulation", "budget_framework", "tcre", "zec50"}
    assert table.loc[table["quantity"] == "budget_ar6", "value"].iloc[0] == 1350.0
    path = tmp_path / "goal.csv"
    assert main(["goal", "2", "--members", "40", "--out", str(path)]) == 0
    assert "net zero in" in capsys.readouterr().out
    assert esm.read_scenario(path)["co2_fossil"].sizes["year"] == 351


def test_cli_budget_writes_netcdf(tmp_path, capsys):
    """`esm budget --out FILE.nc` writes every budget and term (the documented 'everything'); the
    budget has no time axis, so the file has none: the same budgets and TCRE as the CSV."""
    import xarray as xr

    nc, csv = tmp_path / "b.nc", tmp_path / "b.csv"
    for out in (nc, csv):
        argv = ["budget", "2", "--likelihood", "50", "--members", "20", "--out", str(out)]
        assert main(argv) == 0
    assert f"wrote netCDF: {nc}" in capsys.readouterr().out
    table = pd.read_csv(csv).set_index("quantity")
    with xr.open_dataset(nc) as ds:
        assert "time" not in ds.dims and ds.attrs["Conventions"] == "CF-1.10"
        assert float(ds["budget_ar6"].item()) == table.loc["budget_ar6", "value"] == 1350.0
        for name in ("budget_simulation", "budget_framework"):
            assert float(ds[name].item()) == pytest.approx(table.loc[name, "value"], rel=1e-9)
        assert ds["tcre"].sizes["member"] == 20


@pytest.mark.parametrize(
    "argv, message",
    [
        (["budget", "1.5", "--likelihood", "150"], "150 is outside (0, 100)"),
        (["goal", "1.5", "--likelihood", "x"], "'x' is not a number"),
        (["budget", "warm"], "'warm' is not a warming in K"),
    ],
)
def test_cli_errors(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err
