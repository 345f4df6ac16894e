"""China pathways: data, lever arithmetic, composition, conservation, effect and errors."""

from __future__ import annotations

import numpy as np
import pytest

import esm
from esm import china
from esm.china import emissions as P
from esm.constants import GTC_PER_PPM, GTCO2_PER_GTC
from esm.kernels.layout import SPECIES_NAMES


@pytest.fixture(scope="module")
def bg():
    return P.background("ssp245")


def china_species(bg, **levers):
    return P.china_emissions(bg, china.Levers(**levers))


def years_of(bg):
    return bg["year"].values


def test_history_editions_and_units():
    h = china.history()
    assert float(h.co2_fossil.sel(year=2019)) * GTCO2_PER_GTC == pytest.approx(10.71, abs=0.02)
    assert float(h.co2_fossil.sel(year=2023)) * GTCO2_PER_GTC == pytest.approx(11.95, abs=0.02)
    assert float(h.ch4.sel(year=2019)) == pytest.approx(54.0, abs=0.1)  # CEDS v_2021_02_05
    assert np.isnan(float(h.ch4.sel(year=2020)))  # CEDS ends in 2019
    assert set(h.data_vars) <= set(SPECIES_NAMES)


def test_reference_composition_is_exactly_the_background(bg):
    """China following its share of the background: RoW + China = background, every species."""
    ds, _ = P.compose(bg, china.preset("reference"))
    for sp in SPECIES_NAMES:
        np.testing.assert_allclose(ds[sp].values, bg[sp].values, rtol=1e-12, atol=1e-12)


def test_rest_of_world_is_the_same_in_every_pathway(bg):
    ref, ref_china = P.compose(bg, china.preset("reference"))
    for name in ("current-policies", "neutral-2060", "1.5C"):
        ds, ch = P.compose(bg, china.preset(name))
        for sp in ("co2_fossil", "co2_landuse", "ch4", "so2"):
            np.testing.assert_allclose(
                ds[sp].values - ch[sp], ref[sp].values - ref_china[sp], atol=1e-9
            )


@pytest.mark.parametrize(
    ("lever", "value", "changed"),
    [
        ("ccus", 1.0, {"co2_fossil"}),
        ("ecosystem_sink", 1.0, {"co2_landuse"}),
        ("conservation", 0.5, {"co2_landuse"}),
        ("ch4_cut", 0.5, {"ch4"}),
        ("n2o_cut", 0.5, {"n2o"}),
        ("so2_cut", 0.5, {"so2"}),
        ("pollutant_cut", 0.5, {"nox", "bc", "oc", "co", "nmvoc"}),
    ],
)
def test_each_lever_changes_exactly_its_species(bg, lever, value, changed):
    base = china_species(bg)
    new = china_species(bg, **{lever: value})
    differ = {sp for sp in SPECIES_NAMES if not np.array_equal(base[sp], new[sp])}
    assert differ == changed


def test_lever_amounts_and_ramps(bg):
    y = years_of(bg)
    i = {t: int(np.searchsorted(y, t)) for t in (2025, 2040, 2060, 2100)}
    base = china_species(bg)
    new = china_species(
        bg,
        ccus=1.0,
        ccus_year=2060,
        ecosystem_sink=2.0,
        ecosystem_sink_year=2040,
        ch4_cut=0.4,
        nonco2_year=2060,
    )
    d_fossil = (base["co2_fossil"] - new["co2_fossil"]) * GTCO2_PER_GTC
    assert d_fossil[i[2025]] == pytest.approx(0.0)
    assert d_fossil[i[2040]] == pytest.approx(1.0 * 15 / 35)  # linear ramp 2025 -> 2060
    assert d_fossil[i[2060]] == pytest.approx(1.0) and d_fossil[i[2100]] == pytest.approx(1.0)
    d_land = (base["co2_landuse"] - new["co2_landuse"]) * GTCO2_PER_GTC
    assert d_land[i[2040]] == pytest.approx(2.0) and d_land[i[2100]] == pytest.approx(2.0)
    assert new["ch4"][i[2060]] == pytest.approx(0.6 * base["ch4"][i[2060]])


def test_fgas_attribution_and_cut(bg):
    base = china_species(bg)
    assert all(not base[sp].any() for sp in P.FGASES)  # not attributed by default
    shared = china_species(bg, fgas_share=0.3)
    cut = china_species(bg, fgas_share=0.3, fgas_cut=0.5, nonco2_year=2050)
    i = int(np.searchsorted(years_of(bg), 2060))
    assert shared["hfc134a"][i] == pytest.approx(0.3 * float(bg.hfc134a[i]))
    assert cut["hfc134a"][i] == pytest.approx(0.5 * shared["hfc134a"][i])
    assert np.array_equal(cut["cfc11"], base["cfc11"])  # Montreal gases stay in the RoW


def test_co2_trajectory_hits_peak_and_residual(bg):
    y = years_of(bg)
    lv = china.preset("neutral-2060")
    gross = P.china_emissions(bg, lv)["lever_gross_fossil"]
    at = {t: gross[int(np.searchsorted(y, t))] for t in (2023, 2028, 2030, 2045, 2060, 2100)}
    assert at[2023] == pytest.approx(11.95, abs=0.01)  # GCB2024 observation
    assert at[2028] == pytest.approx(12.2) and at[2030] == pytest.approx(12.2)  # plateau
    assert at[2060] == pytest.approx(3.0) and at[2100] == pytest.approx(3.0)
    assert 3.0 < at[2045] < 12.2
    assert np.all(np.diff(gross[(y >= 2030) & (y <= 2060)]) <= 1e-12)  # monotone decline


def test_carbon_is_conserved_with_removals(bg):
    """Net-negative China (1.5C: CCUS and sinks) keeps the budget closed to 1e-6 GtC."""
    scen = china.scenario("1.5C", background="ssp126")
    ds = esm.run(
        scen,
        variables=[
            "carbon_residual",
            "atmospheric_growth",
            "ocean_sink",
            "land_sink",
            "emissions_co2_fossil",
            "emissions_co2_landuse",
            "permafrost_emissions_co2",
        ],
    )
    assert float(np.abs(ds.carbon_residual).max()) < 1e-6
    closure = (
        ds.emissions_co2_fossil
        + ds.emissions_co2_landuse
        + ds.permafrost_emissions_co2
        - ds.atmospheric_growth
        - ds.ocean_sink
        - ds.land_sink
    )
    assert float(np.abs(closure).max()) < 1e-6


@pytest.mark.parametrize(
    ("levers", "message"),
    [
        ({"co2_peak": -1.0}, "co2_peak = -1.0 GtCO2/yr is outside"),
        ({"co2_target_year": 2027}, "must come after the peak year"),
        ({"co2_residual": 13.0}, "exceeds the peak"),
        ({"ccus": -0.5}, "ccus = -0.5"),
        ({"ch4_cut": 1.5}, "ch4_cut = 1.5"),
        ({"fgas_cut": 0.5}, "needs fgas_share > 0"),
        ({"co2_decline": "zigzag"}, "co2_decline must be one of"),
        ({"ccus_year": 2020}, "ccus_year = 2020"),
    ],
)
def test_bad_levers_are_rejected(levers, message):
    with pytest.raises(ValueError, match=message):
        china.preset("neutral-2060", **levers)


def test_incomplete_co2_levers_and_unknown_names():
    with pytest.raises(ValueError, match="go together"):
        china.Levers(co2_peak_year=2028)
    with pytest.raises(KeyError, match="unknown lever 'co2_peek'"):
        china.preset("neutral-2060", co2_peek=12)
    with pytest.raises(KeyError, match="unknown China pathway 'net-zero'; presets"):
        china.preset("net-zero")


def test_effect_of_neutrality_follows_tcre_and_levers_add_up():
    eff = china.effect("neutral-2060", members=1)
    d = eff.delta_gsat.sel(year=2100)
    pathway = float(d.sel(case="pathway"))
    assert -0.35 < pathway < -0.1  # CAT 2020: 0.2-0.3 degC less warming by 2100
    tcre = float(eff.delta_gsat_tcre.sel(case="pathway", year=2100))
    assert pathway == pytest.approx(tcre, rel=0.25)  # dominated by CO2: TCRE arithmetic holds
    levers = float(d.sel(case=[c for c in eff.case.values if c != "pathway"]).sum())
    assert levers == pytest.approx(pathway, rel=0.1)  # the lever effects nearly add up
    avoided = eff.cumulative_co2_avoided.sel(case="pathway")
    assert float(avoided.sel(year=2020)) == 0.0 and float(avoided.sel(year=2100)) > 400


def test_effect_ensemble_percentiles():
    eff = china.effect("neutral-2060", members=20, breakdown=False)
    d = eff.delta_gsat.sel(case="pathway", year=2100)
    assert list(eff.percentile.values) == [5, 50, 95]
    assert float(d.sel(percentile=5)) < float(d.sel(percentile=50)) < float(d.sel(percentile=95))


def test_contribution_to_historical_warming():
    c = china.contribution(end=2020)
    g = c.delta_gsat.sel(year=2020)
    assert 0.05 < float(g.sel(case="all")) < 0.25
    assert float(g.sel(case="CO2")) > 0 and float(g.sel(case="aerosols and ozone precursors")) < 0
    # the CO2 contribution is an airborne fraction of China's cumulative CO2
    h = china.history().sel(year=slice(None, 2020))
    cum_gtc = float((h.co2_fossil.fillna(0) + h.co2_landuse.fillna(0)).sum())
    af = float(c.delta_co2.sel(case="CO2", year=2020)) * GTC_PER_PPM / cum_gtc
    assert 0.35 < af < 0.6
