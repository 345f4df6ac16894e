"""China's choices: the current-policies preset, neutrality_year, out-of-step warnings, lever
sweeps, ``esm china --show`` / ``sweep`` / ``--out``, and the errors for bad input."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import esm
from esm import china, cli, metrics
from esm.china import levers as L
from esm.constants import GTCO2_PER_GTC

IEA = L.IEA_WEO2023_STEPS_CHINA_CO2  # Mt CO2/yr


def no_warnings(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


# ------------------------------------------------------------------------------ current policies
def test_current_policies_reproduces_iea_weo2023_steps():
    """The preset follows the IEA WEO 2023 STEPS change from 2022: 2030 within 2 %, 2050 within
    0.1 % of the harmonised values; the published numbers are the ones quoted."""
    text = china.PRESETS["current-policies"][0]
    for year in (2022, 2030, 2050):
        assert f"{IEA[year]:g} Mt in {year}" in text  # quoted exactly, with the year
    assert "world-energy-outlook-2023-free-dataset" in text
    p = china.pathway("current-policies")
    gross = p["gross_fossil"]
    gcb_2022 = float(china.history().co2_fossil.sel(year=2022)) * GTCO2_PER_GTC
    assert float(gross.sel(year=2022)) == pytest.approx(gcb_2022)  # observed, not projected
    factor = gcb_2022 / (IEA[2022] / 1000.0)
    assert factor == pytest.approx(0.9397, abs=1e-4)  # IEA 6 % above GCB2024 in 2022
    target = {y: IEA[y] / 1000.0 * factor for y in (2030, 2050)}
    assert target[2030] == pytest.approx(10.58, abs=0.005)
    assert target[2050] == pytest.approx(6.48, abs=0.005)
    assert float(gross.sel(year=2030)) == pytest.approx(target[2030], rel=0.02)
    assert float(gross.sel(year=2030)) / target[2030] - 1 == pytest.approx(0.010, abs=0.001)
    assert float(gross.sel(year=2050)) == pytest.approx(target[2050], rel=0.001)
    # the IEA's relative changes from 2022: -7.2 % by 2030, -43.2 % by 2050
    assert float(gross.sel(year=2030)) / gcb_2022 - 1 == pytest.approx(-0.072, abs=0.015)
    assert float(gross.sel(year=2050)) / gcb_2022 - 1 == pytest.approx(-0.432, abs=0.002)
    after = gross.sel(year=slice(2024, None)).values
    assert after.argmax() == 0 and np.all(np.diff(after) <= 1e-12)  # peaks in 2024, declines
    assert float(gross.sel(year=2100)) == pytest.approx(6.48)  # held after the IEA's 2050
    for lever in ("ccus", "ecosystem_sink", "conservation"):
        assert not p[lever].any()  # no removals
    ref = china.pathway("reference")
    for sp in ("ch4", "so2", "co2_landuse"):  # non-CO2 and land use as in the reference
        np.testing.assert_array_equal(p[sp].values, ref[sp].values)


def test_presets_as_defined_do_not_warn():
    for name in china.PRESETS:
        no_warnings(china.preset, name)
    no_warnings(china.preset, "neutral-2060", neutrality_year=2050)


# ------------------------------------------------------------------------------ neutrality_year
def test_neutrality_year_moves_all_year_levers_and_individual_levers_win():
    lv = no_warnings(china.preset, "neutral-2060", neutrality_year=2050)
    assert {k: getattr(lv, k) for k in L.NEUTRALITY_LEVERS} == dict.fromkeys(
        L.NEUTRALITY_LEVERS, 2050
    )
    assert (lv.co2_peak_year, lv.co2_plateau) == (2028, 2)  # consistent: left alone
    with pytest.warns(UserWarning, match="co2_target_year = 2050, before ccus_year = 2060;"):
        lv = china.preset("neutral-2060", neutrality_year=2050, ccus_year=2060)
    assert lv.ccus_year == 2060 and lv.co2_target_year == lv.nonco2_year == 2050
    moved = china.preset("neutral-2060").replace(neutrality_year=2055)
    assert {getattr(moved, k) for k in L.NEUTRALITY_LEVERS} == {2055}
    direct = china.Levers(co2_peak_year=2028, co2_peak=12.0, co2_residual=3.0, neutrality_year=2055)
    assert {getattr(direct, k) for k in L.NEUTRALITY_LEVERS} == {2055}
    assert china.Levers().ccus_year == 2060  # the default without neutrality_year
    src = L.sources("neutral-2060", neutrality_year=2050, ccus_year=2060)
    assert src["co2_target_year"] == src["nonco2_year"] == "neutrality_year"
    assert src["ccus_year"] == src["neutrality_year"] == "set"
    assert src["co2_peak"] == "preset" and src["conservation"] == "default"


def test_neutrality_year_shortens_plateau_then_moves_peak_with_warning():
    msg = (
        "neutrality_year = 2029 comes before the end of the CO2 peak and plateau (co2_peak_year "
        "2028 + co2_plateau 2 years): co2_plateau shortened from 2 years to 0"
    )
    with pytest.warns(UserWarning, match=re.escape(msg)):
        lv = china.preset("neutral-2060", neutrality_year=2029)
    assert (lv.co2_peak_year, lv.co2_plateau, lv.co2_target_year) == (2028, 0, 2029)
    with pytest.warns(UserWarning, match=re.escape("co2_peak_year moved from 2028 to 2026")):
        lv = china.preset("neutral-2060", neutrality_year=2027)
    assert (lv.co2_peak_year, lv.co2_plateau, lv.co2_target_year) == (2026, 0, 2027)
    with pytest.raises(ValueError, match="must come after the peak year"):
        china.preset("neutral-2060", neutrality_year=2029, co2_plateau=2)  # both given


def test_out_of_step_levers_warn_naming_them():
    msg = (
        "levers out of step: the fossil decline ends in co2_target_year = 2050, before "
        "ecosystem_sink_year = 2060, ccus_year = 2060, nonco2_year = 2060; set neutrality_year "
        "to move them together, or each of them"
    )
    with pytest.warns(UserWarning, match=re.escape(msg)):
        china.preset("neutral-2060", co2_target_year=2050)
    reverse = "the fossil decline ends in co2_target_year = 2060, after ccus_year = 2050;"
    with pytest.warns(UserWarning, match=re.escape(reverse)):
        china.preset("neutral-2060", ccus_year=2050)
    # a ramp of zero has no year that matters
    no_warnings(china.preset, "current-policies", conservation_year=2070)
    with pytest.warns(UserWarning, match="neutrality_year = 2050 ends no fossil decline"):
        china.preset("reference", neutrality_year=2050)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (2020, "lever neutrality_year = 2020 yr is outside its allowed range [2026, 2150]"),
        ("2050", "lever neutrality_year must be a number, not '2050'"),
    ],
)
def test_neutrality_year_bad_values(value, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        china.preset("neutral-2060", neutrality_year=value)


def test_earlier_neutrality_avoids_more_warming():
    """neutrality_year=2050 avoids more warming than 2060 (2100 and peak, default member), by
    about the TCRE arithmetic of the extra CO2 avoided; 2060 is the preset itself."""
    eff = no_warnings(china.effect, "neutral-2060", neutrality_year=2050)
    assert {eff.attrs["levers"][k] for k in L.NEUTRALITY_LEVERS} == {2050}
    # conservation is zero: moving its year is no lever group of its own
    assert list(eff.case.values) == [
        "pathway",
        "emission reduction",
        "sink increase",
        "carbon sequestration",
        "non-CO2",
    ]
    s = china.sweep("neutral-2060", "neutrality_year", [2050, 2060])
    aw, peak = s.avoided_warming.values, s.peak_warming_reduction.values
    assert aw[0] > aw[1] + 0.015 and peak[0] > peak[1] + 0.015
    assert aw[0] == pytest.approx(-float(eff.delta_gsat.sel(case="pathway", year=2100)))
    base = china.effect("neutral-2060", breakdown=False)
    assert aw[1] == pytest.approx(-float(base.delta_gsat.sel(case="pathway", year=2100)))
    extra = s.cumulative_co2_avoided.values[0] - s.cumulative_co2_avoided.values[1]
    assert extra == pytest.approx(56.0, abs=0.5)  # GtCO2 more avoided by 2100
    tcre_k = s.attrs["tcre"] * extra / GTCO2_PER_GTC / 1000.0
    assert aw[0] - aw[1] == pytest.approx(tcre_k, rel=0.2)


def test_current_policies_baseline_halves_the_effect_of_neutrality():
    """neutral-2060 against current policies (which already peak in 2024) avoids less than half
    the warming it avoids against China's SSP2-4.5 share, whose CO2 grows to 2050."""
    vs_ref = china.effect("neutral-2060", reference="reference", breakdown=False)
    # the lever groups alone on the current-policies reference (decline to 2050, sinks to 2060)
    # are the breakdown's combinations, not the user's: no out-of-step warning
    vs_cp = no_warnings(china.effect, "neutral-2060", reference="current-policies")
    cp = china.effect("current-policies", reference="reference", breakdown=False)
    d = {k: float(e.delta_gsat.sel(case="pathway", year=2100)) for k, e in
         (("ref", vs_ref), ("cp", vs_cp), ("cp-ref", cp))}  # fmt: skip
    assert 0 < d["cp"] / d["ref"] < 0.5
    assert d["cp"] + d["cp-ref"] == pytest.approx(d["ref"], abs=1e-9)  # paired runs add up
    avoided = {k: float(e.cumulative_co2_avoided.sel(case="pathway", year=2100)) for k, e in
               (("ref", vs_ref), ("cp", vs_cp))}  # fmt: skip
    assert avoided["ref"] == pytest.approx(538, abs=2)  # emissions arithmetic of the levers
    assert avoided["cp"] == pytest.approx(260, abs=2)
    # warming avoided ~ TCRE x CO2 avoided (the default's 1pctCO2 TCRE; within 25 %: the
    # pathways' warming per tonne is below the idealised TCRE, and non-CO2 cuts add a little)
    tcre = metrics.compute()["tcre"] / 1000.0 / GTCO2_PER_GTC  # K per GtCO2
    for k in ("ref", "cp"):
        assert -d[k] == pytest.approx(tcre * avoided[k], rel=0.25)
    # by 2060 neutral-2060 has barely gained on current policies (its later, higher peak): less
    # than a fifth of its gain by 2100, as for the CO2 it has avoided by then
    gain = {y: -float(vs_cp.delta_gsat.sel(case="pathway", year=y)) for y in (2060, 2100)}
    early = float(vs_cp.cumulative_co2_avoided.sel(case="pathway", year=2060))
    assert abs(gain[2060]) < 0.2 * gain[2100]
    assert abs(early) < 0.2 * avoided["cp"]


# ------------------------------------------------------------------------------ sweep
def test_sweep_is_monotone_in_ccus():
    s = china.sweep("neutral-2060", "ccus", [0, 0.5, 1, 2])
    assert list(s.value.values) == [0, 0.5, 1, 2]
    assert np.all(np.diff(s.avoided_warming.values) > 0.005)
    assert np.all(np.diff(s.peak_warming_reduction.values) > 0.005)
    assert np.all(np.diff(s.delta_co2.values) < 0)
    # 1 GtCO2/yr of CCUS ramped 2025 -> 2060 and held to 2100 stores 18 + 40 = 58 GtCO2
    np.testing.assert_allclose(np.diff(s.china_cumulative_co2.values), [-29, -29, -58], atol=1e-9)
    np.testing.assert_allclose(np.diff(s.cumulative_co2_avoided.values), [29, 29, 58], atol=1e-9)
    assert s.attrs["pathway_value"] == 0.75
    assert np.isnan(s.china_net_zero_year.values[0]) and s.china_net_zero_year.values[-1] == 2058
    ens = china.sweep("neutral-2060", "ccus", [0, 1, 2], members=20)
    assert list(ens.percentile.values) == [5, 50, 95]
    for q in (5, 50, 95):
        assert np.all(np.diff(ens.avoided_warming.sel(percentile=q).values) > 0)


@pytest.mark.parametrize(
    ("lever", "values", "error", "message"),
    [
        ("ccs", [1], KeyError, "unknown lever 'ccs'; levers: co2_peak_year, co2_peak,"),
        ("ccus", [], ValueError, "sweep: no values given for lever ccus"),
        ("ccus", "", ValueError, "sweep: no values given for lever ccus"),
        ("ccus", [0, "x"], ValueError, "sweep: value 'x' of lever ccus is not a number"),
        ("ccus", "0,one", ValueError, "sweep: value 'one' of lever ccus is not a number"),
        (
            "co2_decline",
            ["linear"],
            ValueError,
            "sweep: lever co2_decline is not numeric (it takes one of linear, exponential, "
            "cosine); sweep one of co2_peak_year,",
        ),
        (
            "ccus",
            [1, 6],
            ValueError,
            "sweep: value 6 of lever ccus is outside its allowed range [0, 5] GtCO2/yr",
        ),
        (
            "neutrality_year",
            [2020],
            ValueError,
            "sweep: value 2020 of lever neutrality_year is outside its allowed range [2026, "
            "2150] yr",
        ),
    ],
)
def test_sweep_bad_input(lever, values, error, message):
    with pytest.raises(error, match=re.escape(message)):
        china.sweep("neutral-2060", lever, values)


def test_sweep_lever_cannot_also_be_set():
    with pytest.raises(ValueError, match=re.escape("sweep: lever ccus is swept; do not also set")):
        china.sweep("neutral-2060", "ccus", [1], ccus=2)


# ------------------------------------------------------------------------------ command line
def test_show_prints_every_lever_with_units_and_source(capsys):
    assert cli.main(["china", "--show", "neutral-2060", "--set", "neutrality_year=2050"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:] if line.strip()}
    for name, spec in china.LEVERS.items():
        assert name in rows, name
        if spec.units:
            assert spec.units in rows[name]
    assert rows["ccus_year"][1:] == ["2050", "yr", "2025-2150", "neutrality_year"]
    assert rows["neutrality_year"][-1] == "set"
    assert rows["co2_peak"][1:] == ["12.2", "GtCO2/yr", "0-30", "preset"]
    assert rows["conservation"][-1] == "default"


def test_sweep_command_table_files_and_figure(tmp_path, capsys):
    nc, csv, png = tmp_path / "s.nc", tmp_path / "s.csv", tmp_path / "s.png"
    argv = ["china", "sweep", "--lever", "ccus", "--values", "0,1", "--members", "3"]
    assert cli.main([*argv, "--out", str(nc), "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "esm china sweep: ccus [GtCO2/yr] in neutral-2060 vs reference" in out
    assert png.stat().st_size > 20_000
    ds = esm.io.read(nc)
    assert list(ds.value.values) == [0, 1] and list(ds.percentile.values) == [5, 50, 95]
    api = china.sweep("neutral-2060", "ccus", [0, 1], members=3)
    np.testing.assert_allclose(ds.avoided_warming.values, api.avoided_warming.values)
    assert cli.main([*argv, "--out", str(csv)]) == 0
    df = pd.read_csv(csv)
    keys = ["variable", "lever_value", "percentile", "year"]
    assert not df.duplicated(keys).any()  # tidy: one row per variable/value/percentile/year
    row = df[(df.variable == "avoided_warming") & (df.lever_value == 1) & (df.percentile == 50)]
    assert float(row.value.item()) == pytest.approx(float(api.avoided_warming.sel(value=1)[1]))
    assert set(df.variable) == set(api.data_vars)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["china", "sweep", "--lever", "ccus", "--values", "0,x"], "value 'x' of lever ccus"),
        (["china", "sweep", "--lever", "ccus", "--values", ""], "no values given for lever ccus"),
        (["china", "sweep", "--lever", "co2_decline", "--values", "1"], "is not numeric"),
        (["china", "sweep", "--lever", "nope", "--values", "1"], "unknown lever 'nope'; levers:"),
        (["china", "sweep", "--lever", "ccus", "--values", "9"], "outside its allowed range"),
        (["china", "sweep", "--values", "1"], "china sweep: give --lever LEVER"),
        (["china", "sweep", "--lever", "ccus"], "china sweep: give --values V1,V2,..."),
        (["china", "neutral-2060", "--lever", "ccus"], "--lever belong to 'esm china sweep'"),
        (["china", "--show", "net-zero"], "unknown China pathway 'net-zero'"),
    ],
)
def test_china_command_errors_are_one_line(capsys, argv, message):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and message in err


def test_out_of_step_warning_reaches_stderr(capsys):
    assert cli.main(["china", "neutral-2060", "--set", "co2_target_year=2050"]) == 0
    err = capsys.readouterr().err
    expected = "levers out of step: the fossil decline ends in co2_target_year = 2050, before"
    assert f"esm: warning: {expected}" in err


def test_effect_out_netcdf_and_csv(tmp_path, capsys):
    """--out writes the effect: CF netCDF that reads back to the same numbers, and an IAMC CSV
    with one row per scenario, variable and quantile (the years as columns)."""
    nc, csv = tmp_path / "e.nc", tmp_path / "e.csv"
    argv = ["china", "current-policies", "--members", "3"]
    assert cli.main([*argv, "--out", str(nc)]) == 0
    assert cli.main([*argv, "--out", str(csv)]) == 0
    capsys.readouterr()
    eff = china.effect("current-policies", members=3)
    back = esm.io.read(nc)
    xr.testing.assert_allclose(back.delta_gsat, eff.delta_gsat)
    df = pd.read_csv(csv)
    assert not df.duplicated(["scenario", "region", "variable", "quantile"]).any()
    row = df[
        (df.scenario == "pathway minus reference")
        & (df.variable == "Surface Air Temperature Change")
        & (df["quantile"] == 0.5)
    ]
    expected = float(eff.delta_gsat.sel(case="pathway", percentile=50, year=2100))
    assert float(row["2100"].item()) == pytest.approx(expected)
    assert [str(y) for y in range(1750, 2101)] == list(df.columns[7:])


def test_sweep_figure_draws_the_effect_against_the_lever_value():
    from esm.china.plot import sweep_figure

    s = china.sweep("neutral-2060", "neutrality_year", [2050, 2060, 2070], members=5)
    assert s.attrs["pathway_value"] == 2060  # all of neutral-2060's year levers end in 2060
    fig = sweep_figure(s)
    ax_a, ax_b, ax_c = fig.axes[:3]
    median = next(x for x in ax_a.get_lines() if x.get_label().endswith("2100: median"))
    np.testing.assert_allclose(median.get_xdata(), [2050, 2060, 2070])
    np.testing.assert_allclose(median.get_ydata(), s.avoided_warming.sel(percentile=50).values)
    assert len(ax_a.collections) == 1  # the 5-95 % band of the end-year effect
    assert ax_a.get_xlabel() == "neutrality_year (year)"
    assert len([x for x in ax_c.get_lines() if x.get_label().startswith("neutrality_year =")]) == 3
