"""Permafrost carbon: kernel formulas, switch, carbon conservation and size of the feedback."""

from __future__ import annotations

import math

import numpy as np
import pytest

import esm
from esm import params
from esm.constants import MOLAR_MASS_C, MOLAR_MASS_CH4, MOLAR_MASS_CO2
from esm.kernels import permafrost as pf

V = params.defaults()
C0 = V["permafrost_carbon_pi"]
THAW = (
    V["permafrost_thaw_min_fraction"],
    V["permafrost_thaw_sensitivity"],
    V["permafrost_thaw_shape"],
)


def step(state, temperature, dt):
    """One permafrost step with the default parameters at global warming ``temperature``."""
    return pf.advance(
        *state,
        pf.local_warming(temperature, V["permafrost_warming_amplification"]),
        dt,
        *THAW,
        V["permafrost_thaw_rate"],
        V["permafrost_refreeze_rate"],
        V["permafrost_fast_fraction"],
        V["permafrost_fast_turnover_time"],
        V["permafrost_slow_turnover_time"],
        V["permafrost_respiration_sensitivity"],
    )


PF_VARS = [
    "permafrost_emissions_co2",
    "permafrost_emissions_ch4",
    "carbon_permafrost_frozen",
    "carbon_permafrost_thawed",
    "permafrost_thawed_fraction",
]


# ------------------------------------------------------------------------------ kernel
def test_no_thaw_without_warming_and_steady_state():
    """a_eq(0) = 0 exactly (and for cooling); at T = 0 a step changes nothing."""
    for p_min, g, k in (THAW, (0.209, 0.176, 2.30), (0.772, 0.153, 2.05), (1.16, 0.19, 1.68)):
        assert pf.thawed_fraction_equilibrium(0.0, p_min, g, k) == 0.0
        assert pf.thawed_fraction_equilibrium(-3.0, p_min, g, k) == 0.0
    out = step((C0, 0.0, 0.0, 0.0), 0.0, 1.0 / 6)
    assert out == (C0, 0.0, 0.0, 0.0, 0.0)


def test_equilibrium_thawed_fraction_shape_and_limit():
    """Rises monotonically from 0 to 1; for k = 1 it is the logistic
    -p + (1 + p) / (1 + e^(-g T) / p)."""
    t = np.linspace(0.01, 20.0, 400)
    a = np.array([pf.thawed_fraction_equilibrium(x, *THAW) for x in t])
    assert np.all(np.diff(a) > 0) and 0.0 < a[0] < 1e-3
    assert pf.thawed_fraction_equilibrium(200.0, *THAW) == pytest.approx(1.0, abs=1e-12)
    p, g = 0.3, 0.25
    for x in (0.5, 2.0, 7.0):
        logistic = -p + (1 + p) / (1 + math.exp(-g * x) / p)
        assert pf.thawed_fraction_equilibrium(x, p, g, 1.0) == pytest.approx(logistic, rel=1e-13)


def factors(t_local, a, dt, v_thaw=0.5, v_froz=0.045, tau=(500.0, 7500.0), kappa=0.4):
    """The integrator's per-year factors (step_constants once, step_factors each year)."""
    const = pf.step_constants(dt, *THAW[:1], THAW[1], THAW[2], v_thaw, v_froz)
    return pf.step_factors(t_local, a, dt, THAW[0], *const, tau[0], tau[1], kappa)


def test_thawed_fraction_relaxes_exactly_and_refreezes_slower():
    """da/dt = v (a_eq - a): the sub-step is the exact exponential relaxation, at v_thaw while
    thawing and at the slower v_froz while refreezing, whatever the sub-step length."""
    v_thaw, v_froz = 0.5, 0.045
    a_eq, relax, _, _ = factors(8.0, 0.0, 2.0, v_thaw, v_froz)  # warm: thawing
    assert relax == pytest.approx(math.exp(-2 * v_thaw), rel=1e-14)
    one = pf.step(0.0, 0.0, 0.0, 0.0, a_eq, relax, 1.0, 1.0, 0.5)[3]
    assert one == pytest.approx(a_eq * (1 - math.exp(-2 * v_thaw)), rel=1e-14)
    _, half_relax, _, _ = factors(8.0, 0.0, 1.0, v_thaw, v_froz)
    half = pf.step(0.0, 0.0, 0.0, 0.0, a_eq, half_relax, 1.0, 1.0, 0.5)[3]
    two = pf.step(0.0, 0.0, 0.0, half, a_eq, half_relax, 1.0, 1.0, 0.5)[3]
    assert two == pytest.approx(one, rel=1e-14)
    _, back_relax, _, _ = factors(0.0, 0.4, 2.0, v_thaw, v_froz)  # cooled: refreezing
    assert back_relax == pytest.approx(math.exp(-2 * v_froz), rel=1e-14)
    back = pf.step(0.0, 0.0, 0.0, 0.4, 0.0, back_relax, 1.0, 1.0, 0.5)[3]
    assert back == pytest.approx(0.4 * math.exp(-2 * v_froz), rel=1e-14)


def test_thawed_pool_decays_exactly_at_constant_temperature():
    """n sub-steps of the exact decay equal the analytic exponential, whatever n."""
    tau, t_local, kappa, years = 500.0, 6.0, 0.4, 30.0
    factor = pf.decomposition_factor(t_local, kappa)
    assert factor == pytest.approx(math.exp(10 * kappa) ** (t_local / 10), rel=1e-13)  # Q10 form
    analytic = 100.0 * math.exp(-factor * years / tau)
    for n in (1, 6, 180):
        a_eq, _, keep, _ = factors(t_local, 0.0, years / n, tau=(tau, tau), kappa=kappa)
        pool, released = 100.0, 0.0
        for _ in range(n):  # a held at a_eq: no thaw transfer, decay only
            _, pool, _, _, r = pf.step(0.0, pool, 0.0, a_eq, a_eq, 1.0, keep, keep, 0.5)
            released += r
        assert pool == pytest.approx(analytic, rel=1e-12)
        assert pool + released == pytest.approx(100.0, rel=1e-14)


def test_thaw_and_refreeze_transfers_conserve_and_stay_positive():
    frozen, fast, slow = pf.thaw_transfer(900.0, 0.0, 0.0, 0.0, 0.25, 0.1)
    assert (frozen, fast, slow) == pytest.approx((675.0, 22.5, 202.5), rel=1e-14)
    # refreeze half of the thawed area: half of each thawed pool returns
    f2, a2, s2 = pf.thaw_transfer(frozen, fast, slow, 0.25, 0.125, 0.1)
    assert (f2, a2, s2) == pytest.approx((787.5, 11.25, 101.25), rel=1e-14)
    # complete refreeze returns everything still thawed
    assert pf.thaw_transfer(frozen, fast, slow, 0.25, 0.0, 0.1) == pytest.approx((900.0, 0, 0))


def test_step_conserves_carbon_and_is_stable_for_long_steps():
    """Warming, then cooling, with up to 50-year steps: pools stay >= 0 and the pool total
    falls by exactly the released carbon."""
    for dt in (1.0 / 6, 1.0, 50.0):
        state = (C0, 0.0, 0.0, 0.0)
        total_released = 0.0
        for temperature in (1.0, 3.0, 8.0, 15.0, 4.0, 0.0, -1.0):
            *state, released = step(state, temperature, dt)
            total_released += released
            assert min(state) >= 0.0 and released >= 0.0 and state[3] < 1.0
        assert state[0] + state[1] + state[2] + total_released == pytest.approx(C0, rel=1e-13)
        assert total_released > 0.0


# ------------------------------------------------------------------------------ switch
def test_switch_off_equals_a_model_without_permafrost_carbon():
    """switch_permafrost = 0 gives zero permafrost fluxes and thawed carbon, and the same
    results bit for bit as switching the process on with no frozen carbon, whatever the
    other permafrost parameters."""
    names = ["co2", "ch4", "gsat", "land_sink", "ocean_sink", "carbon_residual", *PF_VARS]
    off = esm.run("ssp585", {"switch_permafrost": 0.0}, variables=names)
    empty = esm.run("ssp585", {"permafrost_carbon_pi": 0.0}, variables=names)
    changed = {
        "switch_permafrost": 0.0,
        "permafrost_respiration_sensitivity": 0.9,
        "permafrost_thaw_sensitivity": 1.0,
    }
    other = esm.run("ssp585", changed, variables=names)
    for var in ("permafrost_emissions_co2", "permafrost_emissions_ch4", "carbon_permafrost_thawed"):
        assert np.all(off[var].values == 0.0), var
        assert np.all(empty[var].values == 0.0), var
    assert np.allclose(off.carbon_permafrost_frozen, C0, rtol=1e-14)
    assert np.all(off.permafrost_thawed_fraction.values == 0.0)
    for var in ("co2", "ch4", "gsat", "land_sink", "ocean_sink", "carbon_residual"):
        assert np.array_equal(off[var].values, empty[var].values), var
        assert np.array_equal(off[var].values, other[var].values), var


def test_switch_on_warms_and_raises_co2_and_ch4():
    on = esm.run("ssp585", variables=["co2", "ch4", "gsat", *PF_VARS])
    off = esm.run("ssp585", {"switch_permafrost": 0.0}, variables=["co2", "ch4", "gsat"])
    d = on.sel(year=2100) - off.sel(year=2100)
    assert 5.0 < float(d.co2) < 80.0  # ppm
    assert 0.02 < float(d.gsat) < 0.4  # K
    assert float(d.ch4) > 0.0


def test_ch4_split_and_one_year_lag():
    """CH4 carbon is f_CH4 of the decomposed carbon; the CH4 of year y enters the CH4 cycle
    in year y + 1, so CH4 is unchanged in the first year with permafrost emissions."""
    on = esm.run("ssp245", end=2100, variables=["ch4", *PF_VARS])
    off = esm.run("ssp245", {"switch_permafrost": 0.0}, end=2100, variables=["ch4"])
    f = V["permafrost_ch4_fraction"]
    co2 = on.permafrost_emissions_co2.values
    ch4_c = on.permafrost_emissions_ch4.values * MOLAR_MASS_C / MOLAR_MASS_CH4 / 1000.0
    assert np.allclose(ch4_c, co2 * f / (1.0 - f), rtol=1e-10, atol=1e-15)
    first = int(np.argmax(co2 > 0.0))
    assert co2[first] > 0.0
    assert on.ch4.values[first] == off.ch4.values[first]
    assert on.ch4.values[first + 1] > off.ch4.values[first + 1]


# ------------------------------------------------------------------------------ budget
def test_carbon_closes_with_strong_permafrost_release():
    """SSP5-8.5 to 2300 releases hundreds of GtC; every year fossil + land use + permafrost CO2
    - growth - ocean - land = 0 and the residual (permafrost pools and CH4 carbon included)
    stays below 1e-6 GtC."""
    ds = esm.run(
        "ssp585",
        end=2300,
        variables=[
            "emissions_co2_fossil",
            "emissions_co2_landuse",
            "atmospheric_growth",
            "ocean_sink",
            "land_sink",
            "carbon_residual",
            *PF_VARS,
        ],
    )
    closure = (
        ds.emissions_co2_fossil
        + ds.emissions_co2_landuse
        + ds.permafrost_emissions_co2
        - ds.atmospheric_growth
        - ds.ocean_sink
        - ds.land_sink
    )
    assert float(np.abs(closure).max()) < 1e-6
    assert float(np.abs(ds.carbon_residual).max()) < 1e-6
    released = float(ds.permafrost_emissions_co2.sum())
    assert released > 300.0  # the closure is not trivial
    # pools (annual means) fall by what was emitted, to within one year's emissions
    ch4_c = float(ds.permafrost_emissions_ch4.sum()) * MOLAR_MASS_C / MOLAR_MASS_CH4 / 1000.0
    pools = ds.carbon_permafrost_frozen + ds.carbon_permafrost_thawed
    last = float(ds.permafrost_emissions_co2[-1]) / (1 - V["permafrost_ch4_fraction"])
    assert C0 - float(pools[-1]) == pytest.approx(released + ch4_c, abs=last)


# ------------------------------------------------------------------------------ size
def test_release_per_degree_is_within_the_ar6_assessment():
    """SSP5-8.5: permafrost CO2 2020-2100 per K of GSAT in 2100 inside the AR6 range
    3.1-41 PgC/K (central 18; Canadell et al. 2021, Table 5.7); the CH4, as CO2-equivalent
    (GWP100 27.0 for non-fossil CH4, AR6 Table 7.15), inside 0.7-7.3 PgCeq/K. History: less
    than 3 PgC to 2019 and less than 1 ppm of CO2 in 2019."""
    ds = esm.run("ssp585", variables=["gsat", "co2", *PF_VARS])
    warming = float(ds.gsat.sel(year=2100))
    co2 = float(ds.permafrost_emissions_co2.sel(year=slice(2020, 2100)).sum())
    ch4_c = (
        float(ds.permafrost_emissions_ch4.sel(year=slice(2020, 2100)).sum())
        * MOLAR_MASS_C
        / MOLAR_MASS_CH4
        / 1000.0
    )
    ch4_ceq = ch4_c * MOLAR_MASS_CH4 / MOLAR_MASS_C * 27.0 * MOLAR_MASS_C / MOLAR_MASS_CO2
    assert 3.1 < co2 / warming < 41.0
    assert 10.0 < co2 / warming < 25.0  # the defaults aim near the AR6 central 18
    assert 0.7 < ch4_ceq / warming < 7.3
    assert float(ds.permafrost_emissions_co2.sel(year=slice(1750, 2019)).sum()) < 3.0
    off = esm.run("ssp585", {"switch_permafrost": 0.0}, end=2019, variables=["co2"])
    assert 0.0 < float(ds.co2.sel(year=2019) - off.co2.sel(year=2019)) < 1.0
    # the thaw follows warming: more in SSP5-8.5 than in SSP1-2.6
    low = esm.run("ssp126", variables=["permafrost_thawed_fraction"])
    assert float(low.permafrost_thawed_fraction.sel(year=2100)) < float(
        ds.permafrost_thawed_fraction.sel(year=2100)
    )
