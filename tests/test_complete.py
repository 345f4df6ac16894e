"""esm.scenarios.complete: splice onto history, harmonise, infill missing species."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import xarray as xr

import esm
from esm import scenarios
from esm.kernels.layout import SPECIES_NAMES
from esm.scenarios import ScenarioError
from esm.scenarios.complete import complete

SSPS = [n for n in scenarios.available() if n != "historical"]


def cut(name="ssp245", start=2015, end=2100):
    return scenarios.load(name).sel(year=slice(start, end))


def completed(ds, **kw):
    """complete() with its warnings recorded: (Dataset, list of warning messages)."""
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        out = complete(ds, **kw)
    return out, [str(w.message) for w in rec if issubclass(w.category, UserWarning)]


def history_2015(species):
    return float(scenarios.load("ssp245")[species].sel(year=2015))


# ---------------------------------------------------------------------------------------------
# the claim the module relies on: one common history in all shipped SSPs
# ---------------------------------------------------------------------------------------------


def test_shipped_ssps_share_history_to_2022():
    data = {n: scenarios.load(n) for n in SSPS}
    assert len(SSPS) == 8
    for sp in SPECIES_NAMES:
        arr = np.array([data[n][sp].sel(year=slice(1750, 2100)).values for n in SSPS])
        same = np.all(arr == arr[0], axis=0)
        last_common = 2020 if sp == "nox_aviation" else 2022
        assert same[: last_common - 1750 + 1].all(), sp  # 1750..last_common bit-identical
        if not same.all():  # Montreal-Protocol gases are common in every year
            assert 1750 + int(np.argmin(same)) == last_common + 1, sp
    # so the spread in the RCMIP harmonisation year 2015 is zero
    v2015 = [float(data[n]["co2_fossil"].sel(year=2015)) for n in SSPS]
    assert max(v2015) - min(v2015) == 0.0


# ---------------------------------------------------------------------------------------------
# splice
# ---------------------------------------------------------------------------------------------


def test_spliced_2015_scenario_reproduces_the_full_run():
    full = esm.run("ssp245", variables=["gsat"]).gsat.sel(year=2100).item()
    # esm.run splices by itself; history=None asks for 2015 as the steady state
    with pytest.warns(UserWarning, match="completed by esm.scenarios.complete"):
        auto = esm.run(cut(), variables=["gsat"]).gsat.sel(year=2100).item()
    assert auto == full
    unspliced = esm.run(cut(), variables=["gsat"], history=None).gsat.sel(year=2100).item()
    ds, msgs = completed(cut())
    assert len(msgs) == 1
    assert int(ds.year[0]) == 1750 and int(ds.year[-1]) == 2100
    spliced = esm.run(ds, variables=["gsat"]).gsat.sel(year=2100).item()
    assert spliced == pytest.approx(full, abs=0.01)
    # the problem this solves: 2015 taken as a steady state loses more than 1 K by 2100
    assert full - unspliced > 1.0
    # the ssp245 tail agrees with the history in 2015, so every species is unchanged
    ref = scenarios.load("ssp245", end=2100)
    for sp in SPECIES_NAMES:
        np.testing.assert_array_equal(ds[sp].values, ref[sp].values, err_msg=sp)


def test_units_converted_and_attrs_kept():
    ds = cut()
    ds["co2_fossil"] = ds["co2_fossil"] * 3664.0  # Gt C -> Mt CO2 (1 Gt C = 3.664 Gt CO2)
    ds["co2_fossil"].attrs = {"units": "Mt CO2/yr", "iamc_variable": "Emissions|CO2|Energy"}
    out, _ = completed(ds)
    assert out["co2_fossil"].attrs == {
        "units": "Gt C/yr",
        "iamc_variable": "Emissions|CO2|Energy",
    }
    ref = scenarios.load("ssp245", end=2100)["co2_fossil"].values
    np.testing.assert_allclose(out["co2_fossil"].values, ref, rtol=1e-12)
    assert out["hfc134a"].attrs["units"] == "kt HFC-134a/yr"


def test_gap_start_2030_takes_history_to_2029():
    out, _ = completed(cut(start=2030))
    ref = scenarios.load("ssp245", end=2100)
    assert int(out.year[0]) == 1750
    np.testing.assert_array_equal(out["ch4"].values, ref["ch4"].values)
    assert out.attrs["history_splice"] == (
        "1750-2029 from shipped ssp245 (species and natural forcing)"
    )


def test_scenario_starting_1750_is_returned_unchanged_without_warning():
    ds = scenarios.load("ssp126", end=2100)
    out, msgs = completed(ds)
    assert msgs == []
    for v in ds.data_vars:
        np.testing.assert_array_equal(out[v].values, ds[v].values)
    assert out.attrs["history_splice"] == "none (the scenario starts in 1750)"
    assert out.attrs["infilled"] == ["none"]
    assert out.attrs["completed_by"] == "esm.scenarios.complete"


def test_user_history_dataset_and_its_reach():
    hist = scenarios.load("ssp126", end=2014)
    out, _ = completed(cut(start=2015), history=hist, harmonise="none")
    assert out.attrs["harmonisation"][0] == "co2_fossil: none (the history has no value in 2015)"
    assert out.attrs["history_splice"].startswith("1750-2014 from the given history Dataset")
    short = scenarios.load("ssp126", end=2010)
    with pytest.raises(ScenarioError, match=r"ends in 2010, before 2014 .* reaches it"):
        complete(cut(start=2015), history=short)
    # splicing is possible, but harmonisation needs the history's 2015 value
    with pytest.raises(ScenarioError, match=r"has no co2_fossil in year 2015 .*1750-2014"):
        complete(cut(start=2015), history=hist, harmonise="auto")


# ---------------------------------------------------------------------------------------------
# harmonisation
# ---------------------------------------------------------------------------------------------


def linear_fossil(ds):
    """co2_fossil = 10 + 0.1 (t - 2015) Gt C/yr: x(2015) = 10, x(2025) = 11."""
    ds = ds.copy()
    ds["co2_fossil"] = ("year", 10.0 + 0.1 * (ds.year.values - 2015), {"units": "Gt C/yr"})
    return ds


def test_ratio_and_offset_analytic():
    h = history_2015("co2_fossil")
    r, _ = completed(linear_fossil(cut()), harmonise="ratio", converge=2035)
    o, _ = completed(linear_fossil(cut()), harmonise="offset", converge=2035)
    # 2025 is half way from 2015 to 2035: w = 1/2
    # ratio: 11 * (1 + (h/10 - 1)/2) = 5.5 + 0.55 h; offset: 11 + (h - 10)/2 = 6 + 0.5 h
    assert r["co2_fossil"].sel(year=2025).item() == pytest.approx(5.5 + 0.55 * h, rel=1e-12)
    assert o["co2_fossil"].sel(year=2025).item() == pytest.approx(6.0 + 0.5 * h, rel=1e-12)
    # 2030: w = 1/4, x = 11.5
    assert r["co2_fossil"].sel(year=2030).item() == pytest.approx(
        11.5 * (1 + (h / 10 - 1) / 4), rel=1e-12
    )
    assert o["co2_fossil"].sel(year=2030).item() == pytest.approx(11.5 + (h - 10) / 4, rel=1e-12)
    assert r.attrs["harmonisation"][0].startswith(f"co2_fossil: ratio, factor {h / 10:.6g} in 2015")
    assert o.attrs["harmonisation"][0].startswith(f"co2_fossil: offset, {h - 10:+.6g} Gt C/yr")


@pytest.mark.parametrize("method", ["ratio", "offset", "auto"])
@pytest.mark.parametrize("converge", [2030, 2050])
def test_equals_history_at_y0_and_scenario_from_converge(method, converge):
    ds = linear_fossil(cut())
    ds["ch4"] = ds["ch4"] * 1.3
    ds["co2_landuse"] = ds["co2_landuse"] - 0.8
    out, _ = completed(ds, harmonise=method, converge=converge)
    for sp in ("co2_fossil", "ch4", "co2_landuse"):
        assert out[sp].sel(year=2015).item() == history_2015(sp), sp
        late = slice(converge, 2100)
        np.testing.assert_array_equal(out[sp].sel(year=late).values, ds[sp].sel(year=late).values)
        # and in between it differs from both (the adjustment fades)
        mid = out[sp].sel(year=converge - 5).item()
        assert mid != ds[sp].sel(year=converge - 5).item(), sp


def test_none_leaves_the_scenario_and_reports_the_jump():
    ds = linear_fossil(cut())
    out, msgs = completed(ds, harmonise={"co2_fossil": "none"})
    np.testing.assert_array_equal(
        out["co2_fossil"].sel(year=slice(2015, None)).values, ds["co2_fossil"].values
    )
    h = history_2015("co2_fossil")
    assert out.attrs["harmonisation"][0] == f"co2_fossil: none (h={h:.6g}, x=10 Gt C/yr in 2015)"
    assert "co2_fossil" not in msgs[0]  # not harmonised, so not among the adjusted species


def test_auto_rule():
    ds = cut()
    ds["ch4"] = ds["ch4"] * 1.25  # h/x = 0.8: ratio
    ds["n2o"] = ds["n2o"] * 3.0  # h/x = 1/3: offset (stays positive: n2o hardly declines)
    # so2: 4 h in 2015, linearly down to 0.1 h in 2040, then flat. An offset -3h w(t) makes it
    # negative in 2030 (4 - 3.9*15/25 - 3*20/35 = -0.054 h), so auto keeps the sign with ratio
    h_so2 = history_2015("so2")
    t = ds.year.values
    so2 = h_so2 * np.where(t < 2040, 4.0 - 3.9 * (t - 2015) / 25, 0.1)
    ds["so2"] = ("year", so2, {"units": "Mt SO2/yr"})
    ds["co2_landuse"] = ds["co2_landuse"] * 1.05  # within 0.5-2, still offset
    out, _ = completed(ds)
    rec = {r.split(":")[0]: r for r in out.attrs["harmonisation"]}
    assert "ratio" in rec["ch4"].split(",")[0]
    assert rec["n2o"].startswith("n2o: offset") and "[auto: h/x outside 0.5-2]" in rec["n2o"]
    assert rec["so2"].startswith("so2: ratio") and "offset would make it negative" in rec["so2"]
    assert rec["co2_landuse"].startswith("co2_landuse: offset")
    assert rec["co2_landuse"].endswith("[auto: net land-use flux]")
    assert (out["so2"].values >= 0).all()
    # h = 0 < x (x * h <= 0 picks an offset), but -x(2015) w(t) would go negative: a factor
    # fading from 0 in 2015 to 1 in 2050 instead, e.g. x(2029) * (1 - 21/35) in 2029
    hist = scenarios.load("ssp245", end=2100)
    hist["cfc11"] = hist["cfc11"] * 0.0
    out0, _ = completed(ds.assign(cfc11=ds["cfc11"] + 1.0), history=hist)
    rec0 = next(r for r in out0.attrs["harmonisation"] if r.startswith("cfc11"))
    assert rec0.endswith(
        "[auto: x or h is zero, or they differ in sign, but the offset would make it negative]"
    )
    x2029 = ds["cfc11"].sel(year=2029).item() + 1.0
    assert out0["cfc11"].sel(year=2029).item() == pytest.approx(x2029 * 14 / 35, rel=1e-12)
    with pytest.raises(
        ScenarioError,
        match=re.escape(
            "ssp245: so2 becomes negative in 2030 with 'offset' harmonisation; "
            "pass harmonise={'so2': 'ratio'} (or 'auto')"
        ),
    ):
        complete(ds, harmonise={"so2": "offset"})


def test_auto_offset_for_net_negative_fossil_co2():
    ds = cut("ssp119")
    ds["co2_fossil"] = ds["co2_fossil"] * 1.1  # h/x = 1/1.1 would be a ratio, but it goes < 0
    assert (ds["co2_fossil"].sel(year=slice(2015, 2070)) < 0).any()  # from 2060 on
    ratio, _ = completed(ds, converge=2050)  # positive until converge: ratio
    assert ratio.attrs["harmonisation"][0].startswith("co2_fossil: ratio")
    out, _ = completed(ds, converge=2070)
    assert out.attrs["harmonisation"][0].startswith("co2_fossil: offset")
    assert out.attrs["harmonisation"][0].endswith("[auto: net-negative CO2]")


def test_ratio_of_zero_is_an_error():
    ds = cut()
    ds["nox_aviation"] = ds["nox_aviation"] * 0.0
    msg = (
        "ssp245: nox_aviation is zero in 2015, so 'ratio' harmonisation is undefined; "
        "pass harmonise={'nox_aviation': 'offset'} (or 'auto')"
    )
    with pytest.raises(ScenarioError, match=re.escape(msg)):
        complete(ds, harmonise="ratio")
    out, _ = completed(ds)  # auto: x = 0, so an offset of +h fading to 0 by 2050
    h = history_2015("nox_aviation")
    assert out["nox_aviation"].sel(year=2029).item() == pytest.approx(h * 21 / 35, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# missing species
# ---------------------------------------------------------------------------------------------

DROPPED = ["ch4", "so2", "nox_aviation", "hfc134a"]


def test_missing_error_lists_species_and_options():
    msg = (
        "ssp245: missing species ch4, so2, nox_aviation, hfc134a (from 2015); pass "
        "missing='zero', 'background' (a shipped scenario's values) or 'quantile' (infilled "
        "from the shipped SSPs by fossil CO2)"
    )
    with pytest.raises(ScenarioError, match=re.escape(msg)):
        complete(cut().drop_vars(DROPPED))


def test_missing_zero_keeps_history_before():
    out, msgs = completed(cut().drop_vars(DROPPED), missing="zero")
    ref = scenarios.load("ssp245")
    for sp in DROPPED:
        assert (out[sp].sel(year=slice(2015, None)).values == 0).all()
        np.testing.assert_array_equal(
            out[sp].sel(year=slice(1750, 2014)).values, ref[sp].sel(year=slice(1750, 2014)).values
        )
    assert out.attrs["infilled"][0] == "ch4: zero in 2015-2100 (history 1750-2014 before)"
    assert "infilled 4 species as zero: ch4, so2, nox_aviation, hfc134a" in msgs[0]


def test_missing_background_takes_all_years():
    out, msgs = completed(cut().drop_vars(DROPPED), missing="background", background="ssp585")
    ref = scenarios.load("ssp585", end=2100)
    for sp in DROPPED:
        np.testing.assert_array_equal(out[sp].values, ref[sp].values)
        assert out[sp].attrs["infilled"] == "shipped ssp585"
    assert out.attrs["infilled"][1] == "so2: shipped ssp585, all years 1750-2100"
    assert "from shipped ssp585: ch4, so2, nox_aviation, hfc134a" in msgs[0]


def test_missing_quantile_recovers_ssp126_where_it_is_the_unique_member_at_its_rank():
    followers = ["ch4", "so2", "nox", "bc", "hfc134a", "nox_aviation"]
    out, msgs = completed(cut("ssp126").drop_vars(followers), missing="quantile")
    years = np.arange(2015, 2101)
    data = {n: scenarios.load(n).sel(year=years) for n in SSPS}
    lead = np.array([data[n]["co2_fossil"].values for n in SSPS])
    k = SSPS.index("ssp126")
    checked = 0
    for sp in followers:
        vals = np.array([data[n][sp].values for n in SSPS])
        got = out[sp].sel(year=years).values
        # always inside the SSP range, and their common value while they agree (2015-2020)
        assert np.all(got >= vals.min(axis=0)) and np.all(got <= vals.max(axis=0))
        np.testing.assert_array_equal(got[:6], vals[k, :6])
        for t in range(years.size):
            lead_unique = np.count_nonzero(lead[:, t] == lead[k, t]) == 1
            rank = int(np.sum(lead[:, t] < lead[k, t]))
            if lead_unique:  # ssp126's fossil CO2 is the rank-th smallest: so is the follower
                assert got[t] == np.sort(vals[:, t])[rank], (sp, years[t])
            sp_unique = np.count_nonzero(vals[:, t] == vals[k, t]) == 1
            same_rank = rank == np.sum(vals[:, t] < vals[k, t])
            if lead_unique and sp_unique and same_rank:
                assert got[t] == vals[k, t], (sp, years[t])
                checked += 1
    assert checked > 150  # of 6 x 78 scenario years (187 in the shipped data)
    assert "infilled 6 species by co2_fossil quantile among the shipped SSPs" in msgs[0]
    assert "outside the SSP range" not in msgs[0]


def test_missing_quantile_needs_the_lead_gas():
    msg = (
        "ssp245: missing='quantile' needs co2_fossil (the lead gas), which is missing; pass "
        "missing='background' or 'zero'"
    )
    with pytest.raises(ScenarioError, match=re.escape(msg)):
        complete(cut().drop_vars(["co2_fossil"]), missing="quantile")


# ---------------------------------------------------------------------------------------------
# warning, attrs, several scenarios, checks
# ---------------------------------------------------------------------------------------------


def test_one_warning_names_large_adjustments_and_infilled_species():
    ds = cut().drop_vars(["cfc11", "nox_aviation"])
    ds["co2_landuse"] = ds["co2_landuse"] + 0.5  # (h - x)/x = -0.5/1.80 = -28 %
    ds["ch4"] = ds["ch4"] * 1.05  # -4.8 %: below the 10 % threshold
    out, msgs = completed(ds, missing="background")
    assert len(msgs) == 1
    (msg,) = msgs
    assert msg.startswith(
        "ssp245: completed by esm.scenarios.complete: spliced 1750-2014 from shipped ssp245"
    )
    assert "harmonised 50 species in 2015 converging by 2050" in msg
    assert "(adjusted more than 10 %: co2_landuse -28 %)" in msg
    assert "ch4" not in msg
    assert "infilled 2 species from shipped ssp245: nox_aviation, cfc11" in msg
    assert len(out.attrs["harmonisation"]) == 50
    assert out.attrs["harmonisation_year"] == 2015
    h = history_2015("co2_landuse")
    assert out.attrs["harmonisation"][1] == (
        f"co2_landuse: offset, -0.5 Gt C/yr in 2015 (h={h:.6g}, x={h + 0.5:.6g} Gt C/yr), "
        f"relative adjustment {100 * -0.5 / (h + 0.5):+.3g} %, converged by 2050 "
        "[auto: net land-use flux]"
    )
    assert out.attrs["infilled"] == [
        "nox_aviation: shipped ssp245, all years 1750-2100",
        "cfc11: shipped ssp245, all years 1750-2100",
    ]


def test_scenario_dimension_completes_each_scenario():
    parts = [cut("ssp245"), linear_fossil(cut("ssp126"))]
    multi = xr.concat(parts, dim=xr.DataArray(["a", "b"], dims="scenario", name="scenario"))
    out, msgs = completed(multi)
    assert len(msgs) == 1
    assert out["co2_fossil"].dims == ("scenario", "year")
    assert out["co2_fossil"].attrs["units"] == "Gt C/yr"
    for label, part in zip(["a", "b"], parts, strict=True):
        single, _ = completed(part)
        for sp in SPECIES_NAMES:
            np.testing.assert_array_equal(out[sp].sel(scenario=label).values, single[sp].values)
    assert out.attrs["history_splice"][1] == (
        "b: 1750-2014 from shipped ssp245 (species and natural forcing)"
    )
    assert out.attrs["harmonisation"][len(SPECIES_NAMES)].startswith("b: co2_fossil: ratio")


def test_checks():
    early = scenarios.load("ssp245", end=2100)
    early = early.assign_coords(year=early.year - 10)
    with pytest.raises(ScenarioError, match=r"starts in 1740, before 1750; cut it"):
        complete(early)
    with pytest.raises(ScenarioError, match=r"starts in 2101, after 2100; no history"):
        complete(scenarios.load("ssp245", start=2101, end=2200))
    ds = cut()
    ds["bc"] = ds["bc"].where(ds.year != 2031)
    with pytest.raises(ScenarioError, match=r"^ssp245: bc is NaN or infinite in year 2031; "):
        complete(ds)
    with pytest.raises(ScenarioError, match=r"converge=2015 must be after"):
        complete(cut(), converge=2015)
    with pytest.raises(ScenarioError, match=r"harmonise: unknown species 'co2'"):
        complete(cut(), harmonise={"co2": "ratio"})
