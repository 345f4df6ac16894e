"""Land carbon pools: steady state, conservation, fertilisation and Q10."""

from __future__ import annotations

import math

import pytest

from esm import params
from esm.kernels import land

V = params.defaults()
POOL_ARGS = (
    V["npp_fraction_vegetation"],
    V["npp_fraction_detritus"],
    V["litterfall_fraction_detritus"],
    V["vegetation_turnover_rate"],
    V["detritus_respiration_rate"],
    V["detritus_to_soil_rate"],
    V["soil_respiration_rate"],
)


def test_steady_state_pools_match_hector_analytic_values():
    """V* = f_v NPP / k_v = 562 PgC, D* = 62, S* ~ 2030 for Hector's defaults (Hector v3.5
    simpleNbox, Dorheim et al. 2024)."""
    veg, det, soil = land.steady_state_pools(56.2, 0.35, 0.60, 0.98, 0.035, 0.25, 0.6, 0.02)
    assert veg == pytest.approx(562.0, rel=1e-3)
    assert det == pytest.approx(62.0, rel=0.01)
    assert soil == pytest.approx(2030.0, rel=0.01)


def test_pools_stay_at_steady_state():
    npp = V["npp_pi"]
    veg, det, soil = land.steady_state_pools(npp, *POOL_ARGS)
    v2, d2, s2, rh = land.pool_step(veg, det, soil, npp, 1.0, 1.0 / 12, *POOL_ARGS)
    assert (v2, d2, s2) == pytest.approx((veg, det, soil), rel=1e-13)
    assert rh == pytest.approx(npp / 12, rel=1e-12)


@pytest.mark.parametrize("dt", [1.0 / 12, 1.0, 10.0])
def test_pool_step_conserves_carbon(dt):
    veg, det, soil = 500.0, 70.0, 1800.0
    npp, q = 70.0, 1.3
    v2, d2, s2, rh = land.pool_step(veg, det, soil, npp, q, dt, *POOL_ARGS)
    assert (v2 + d2 + s2) - (veg + det + soil) == pytest.approx(npp * dt - rh, abs=1e-10)


def test_fertilisation_and_q10():
    # s = 0: the logarithmic form of Hector / MAGICC
    assert land.net_primary_production(60.0, 0.5, 0.0, 2 * 280.0, 280.0, 1.0) == pytest.approx(
        60.0 * (1 + 0.5 * math.log(2.0))
    )
    # s = 1 at 4xCO2: beta x / (1 + x), x = ln 4; 10 % of the land cleared removes 10 % of
    # the pre-industrial NPP but not the fertilisation increment (GCB convention)
    x = math.log(4.0)
    assert land.net_primary_production(60.0, 0.5, 1.0, 4 * 280.0, 280.0, 0.9) == pytest.approx(
        60.0 * (0.9 + 0.5 * x / (1 + x))
    )
    assert land.respiration_factor(2.0, 10.0) == pytest.approx(2.0)
    assert land.respiration_factor(1.5, 0.0) == 1.0


@pytest.mark.parametrize("saturation", [0.0, 0.5, 2.0])
def test_fertilisation_saturation_keeps_the_small_signal_slope(saturation):
    # d(factor)/d ln(CO2) = beta at pre-industrial CO2 for every saturation; below
    # pre-industrial CO2 the form stays logarithmic
    h = 1e-6
    up = land.fertilisation_factor(0.6, saturation, 280.0 * math.exp(h), 280.0)
    assert (up - 1.0) / h == pytest.approx(0.6, rel=1e-5)
    low = land.fertilisation_factor(0.6, saturation, 140.0, 280.0)
    assert low == pytest.approx(1 + 0.6 * math.log(0.5))
    # saturation lowers the response at high CO2, monotonically
    hi = [land.fertilisation_factor(0.6, s, 1120.0, 280.0) for s in (0.0, 0.5, 2.0)]
    assert hi[0] > hi[1] > hi[2] > 1.0


def test_landuse_removal_is_proportional():
    v, d, s = land.remove_landuse(600.0, 60.0, 1800.0, 24.6)
    assert v + d + s == pytest.approx(2460.0 - 24.6)
    assert v / 600.0 == pytest.approx(s / 1800.0)


def _step(veg, det, soil, co2, temperature, e_luc, dt, cumulative_landuse=0.0):
    npp_pi = V["npp_pi"]
    total, log_q10 = land.prepare(npp_pi, *POOL_ARGS, V["respiration_q10"], 1.0)
    return land.step(
        veg,
        det,
        soil,
        cumulative_landuse,
        co2,
        V["co2_pi"],
        temperature,
        e_luc,
        dt,
        npp_pi,
        V["co2_fertilisation"],
        V["co2_fertilisation_saturation"],
        *POOL_ARGS,
        total,
        log_q10,
    )


def test_land_step_keeps_the_steady_state_and_conserves_carbon():
    """land.step, the integrator's sub-step: at pre-industrial CO2 and temperature the steady
    pools stay put; otherwise the pools change by NPP dt - respiration - land use dt."""
    pools = land.steady_state_pools(V["npp_pi"], *POOL_ARGS)
    veg, det, soil, npp, rh = _step(*pools, V["co2_pi"], 0.0, 0.0, 1.0 / 6.0)
    assert (veg, det, soil) == pytest.approx(pools, rel=1e-12)
    assert npp * (1.0 / 6.0) == pytest.approx(rh, rel=1e-12)
    dt = 0.25
    veg, det, soil, npp, rh = _step(*pools, 560.0, 1.5, 1.2, dt, cumulative_landuse=40.0)
    change = veg + det + soil - sum(pools)
    assert change == pytest.approx(npp * dt - rh - 1.2 * dt, abs=1e-9)
    assert npp > V["npp_pi"] * (1.0 - 40.0 / sum(pools))  # fertilised above its land-use share
