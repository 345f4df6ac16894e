"""Set-up of the standard experiments and the feedback switches they rely on."""

from __future__ import annotations

import numpy as np
import pytest

import esm
from esm import experiments as X
from esm import params
from esm.constants import GTC_PER_PPM
from esm.kernels.forcing import co2_sarf_meinshausen2020

C0 = X.CO2_PICONTROL
VARS = [
    "co2",
    "gsat",
    "erf",
    "erf_co2",
    "land_sink",
    "ocean_sink",
    "emissions_co2_fossil",
    "cumulative_emissions_co2",
    "co2_end",
]


@pytest.fixture(scope="module")
def one_pct():
    return X.run("1pctCO2", variables=VARS)


def test_unknown_experiment():
    with pytest.raises(esm.ScenarioError, match="unknown experiment 'foo'; available: piControl"):
        X.run("foo")


def test_picontrol_stays_at_rest():
    ds = X.run("piControl", variables=VARS)
    assert np.allclose(ds.co2, C0, atol=1e-10)
    assert np.abs(ds.gsat).max() < 1e-12 and np.abs(ds.land_sink).max() < 1e-10


def test_1pctco2_doubles_in_year_70_and_quadruples_in_year_140(one_pct):
    end = one_pct.co2_end.values  # position k = end of experiment year k (0 = spin-up year)
    assert one_pct.co2.values[0] == pytest.approx(C0, abs=1e-9)
    assert end[69] < 2 * C0 < end[70]
    assert end[139] < 4 * C0 < end[140]
    # the end of each year follows C0 * 1.01^t exactly
    ends = one_pct.co2_end.values[1:]
    assert np.allclose(ends, C0 * 1.01 ** np.arange(1, ends.size + 1), rtol=1e-9)


def test_abrupt_4xco2_forcing_is_constant():
    ds = X.run("abrupt-4xCO2", variables=VARS)
    scale = params.defaults()["erf_scale_co2"]  # ERF scale of the default member
    f4x = (
        scale
        * 1.05
        * (co2_sarf_meinshausen2020(4 * C0, 270.1) - co2_sarf_meinshausen2020(C0, 270.1))
    )
    erf = ds.erf_co2.values[1:]
    # constant to 0.2 %: with constant emissions inside a year the CO2 sags slightly between
    # its prescribed end-of-year values while the sinks are large (first years)
    assert np.ptp(erf) < 0.02
    assert np.ptp(erf[10:]) < 1e-3
    assert erf[10:].mean() == pytest.approx(f4x, abs=2e-3)
    assert np.allclose(ds.co2.values[1:], 4 * C0, rtol=3e-3)
    assert np.allclose(ds.co2_end.values, 4 * C0, rtol=1e-10)
    assert float(ds.gsat[-1]) > 4.0  # 150 years after quadrupling: well on the way to 2 x ECS


def test_bgc_and_rad_configurations(one_pct):
    bgc = X.run("1pctCO2-bgc", variables=VARS)
    rad = X.run("1pctCO2-rad", variables=VARS)
    assert np.abs(bgc.gsat).max() == 0.0 and np.abs(bgc.erf).max() == 0.0
    assert np.allclose(bgc.co2, one_pct.co2, atol=0.1)  # same prescribed CO2
    # rad: the carbon cycle sees pre-industrial CO2 but warming -> it loses carbon
    assert rad.land_sink.values[1:].sum() < 0 and rad.ocean_sink.values[1:].sum() < 0
    assert float(rad.gsat[-1]) == pytest.approx(float(one_pct.gsat[-1]), abs=1e-3)


def test_esm_1pctco2_reproduces_the_concentration_path(one_pct):
    """The compatible emissions of 1pctCO2, run emission-driven, give back its CO2."""
    esm1 = X.run("esm-1pctCO2", variables=VARS)
    assert np.abs(esm1.co2.values - one_pct.co2.values).max() < 1e-6
    assert np.abs(esm1.gsat.values - one_pct.gsat.values).max() < 1e-8


def test_zec_branch_stops_at_exactly_1000_gtc(one_pct):
    zec = X.run("esm-1pct-brch-1000PgC", variables=VARS)
    e = zec.emissions_co2_fossil.values
    stop = int(np.nonzero(e > 0)[0][-1])
    assert e[: stop + 1].sum() == pytest.approx(1000.0, abs=1e-9)
    assert np.all(e[stop + 1 :] == 0.0)
    assert np.allclose(e[:stop], one_pct.emissions_co2_fossil.values[:stop])
    co2 = zec.co2.values
    assert np.all(np.diff(co2[stop + 1 :]) < 0)  # CO2 falls once emissions stop


def test_flat10_family():
    flat = X.run("esm-flat10", variables=VARS)
    e = flat.emissions_co2_fossil.values
    assert e[0] == 0.0 and np.all(e[1:101] == 10.0)
    cdr = X.run("esm-flat10-cdr", variables=VARS)
    cum = np.cumsum(cdr.emissions_co2_fossil.values)
    assert cum[100] == pytest.approx(1000.0)
    assert cum[300] == pytest.approx(0.0, abs=1e-9)  # net zero cumulative after 300 years
    assert np.all(cdr.emissions_co2_fossil.values[301:] == 0.0)
    assert cdr.emissions_co2_fossil.values[250] == -10.0
    zec = X.run("esm-flat10-zec", variables=VARS)
    assert np.all(zec.emissions_co2_fossil.values[101:] == 0.0)


@pytest.mark.parametrize(
    ("switch", "check"),
    [
        (
            "switch_co2_fertilisation",
            lambda on, off: off.land_sink.sum() < 0.1 * on.land_sink.sum(),
        ),
        (
            "switch_respiration_temperature",
            lambda on, off: off.land_sink.sum() > on.land_sink.sum(),
        ),
        ("switch_carbonate_chemistry", lambda on, off: off.ocean_sink.sum() > on.ocean_sink.sum()),
        (
            "switch_ocean_solubility_temperature",
            lambda on, off: off.ocean_sink.sum() > on.ocean_sink.sum(),
        ),
        (
            "switch_carbon_cycle_sees_warming",
            lambda on, off: (
                off.land_sink.sum() + off.ocean_sink.sum()
                > on.land_sink.sum() + on.ocean_sink.sum()
            ),
        ),
        ("switch_co2_radiative", lambda on, off: float(np.abs(off.gsat).max()) == 0.0),
    ],
)
def test_feedback_switches_act_on_their_process(one_pct, switch, check):
    off = X.run("1pctCO2", {switch: 0.0}, variables=VARS)
    assert bool(check(one_pct, off)), switch


def test_fertilisation_off_removes_the_land_sink_without_warming():
    """bgc configuration with no fertilisation: the land neither gains nor loses carbon."""
    ds = X.run("1pctCO2-bgc", {"switch_co2_fertilisation": 0.0}, variables=VARS)
    assert np.abs(ds.land_sink).max() < 1e-10


def test_ch4_lifetime_switch():
    on = esm.run("ssp245", end=2019, variables=["ch4", "ch4_lifetime"])
    off = esm.run(
        "ssp245", end=2019, params={"switch_ch4_lifetime": 0.0}, variables=["ch4", "ch4_lifetime"]
    )
    assert np.allclose(off.ch4_lifetime, esm.params.defaults()["ch4_lifetime_pi"])
    assert float(on.ch4_lifetime[-1]) != float(off.ch4_lifetime[-1])


def test_airborne_fraction_uses_the_gcb_conversion(one_pct):
    """Atmospheric carbon = 2.124 GtC per ppm: growth + sinks = diagnosed emissions."""
    growth = (one_pct.co2_end.values[-1] - C0) * GTC_PER_PPM
    sinks = float(one_pct.land_sink.sum() + one_pct.ocean_sink.sum())
    assert growth + sinks == pytest.approx(float(one_pct.emissions_co2_fossil.sum()), rel=1e-9)
