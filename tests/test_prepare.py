"""Each process module's ``prepare``: the per-member constants it declares (``CONSTANTS``), in
their order, with the physics they stand for; the integrator stores each process's tuple in
the rows layout generates from those declarations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from esm import params
from esm.constants import TG_PER_PPB_CH4, TG_PER_PPB_N2O
from esm.kernels import forcing, gases, land, layout, ocean, permafrost

P = params.vector()
DT = 1.0 / 6.0


def _p(name: str) -> float:
    return float(P[layout.PARAM_NAMES.index(name)])


def _land():
    names = (
        "npp_pi",
        "npp_fraction_vegetation",
        "npp_fraction_detritus",
        "litterfall_fraction_detritus",
        "vegetation_turnover_rate",
        "detritus_respiration_rate",
        "detritus_to_soil_rate",
        "soil_respiration_rate",
    )
    return [_p(n) for n in names]


def _ocean():
    decay, gain = np.empty(layout.N_OCEAN_BOXES), np.empty(layout.N_OCEAN_BOXES)
    args = (
        DT,
        _p("ocean_mixed_layer_depth"),
        _p("ocean_area"),
        _p("ocean_mixing_time_scale"),
        _p("ocean_gas_exchange_time"),
        decay,
        gain,
    )
    return ocean.prepare(*args), decay, gain


def _gases(e_ch4=0.0, e_n2o=0.0):
    return gases.prepare(
        _p("ch4_pi"), _p("n2o_pi"), _p("ch4_lifetime_pi"), _p("n2o_lifetime_pi"), e_ch4, e_n2o
    )


def _forcing(so2=0.0, bc=0.0, oc=0.0, switch=1.0):
    return forcing.prepare(
        _p("co2_pi"),
        _p("ch4_pi"),
        _p("n2o_pi"),
        so2,
        bc,
        oc,
        _p("aci_beta"),
        _p("aci_so2"),
        _p("aci_bc"),
        _p("aci_oc"),
        _p("erf_scale_co2"),
        _p("adjustment_co2"),
        switch,
    )


def _permafrost():
    return permafrost.prepare(
        DT,
        _p("permafrost_thaw_min_fraction"),
        _p("permafrost_thaw_sensitivity"),
        _p("permafrost_thaw_shape"),
        _p("permafrost_thaw_rate"),
        _p("permafrost_refreeze_rate"),
    )


PREPARED = {
    "land": lambda: land.prepare(*_land(), _p("respiration_q10"), 1.0),
    "ocean": lambda: _ocean()[0],
    "gases": _gases,
    "forcing": _forcing,
    "permafrost": _permafrost,
}


@pytest.mark.parametrize("process", sorted(PREPARED))
def test_prepare_returns_the_declared_constants_in_the_rows_the_integrator_uses(process):
    module = layout.PROCESSES[process]
    values = PREPARED[process]()
    assert len(values) == len(module.CONSTANTS)
    assert all(math.isfinite(v) for v in values)
    # the integrator stores the tuple from the row of the first constant on (_put)
    first = layout.CONSTANT_NAMES.index(module.CONSTANTS[0])
    assert layout.CONSTANT_NAMES[first : first + len(values)] == module.CONSTANTS


def test_every_process_with_constants_has_a_prepare():
    with_constants = {n for n, m in layout.PROCESSES.items() if getattr(m, "CONSTANTS", ())}
    assert with_constants == set(PREPARED)
    assert sum(len(layout.PROCESSES[n].CONSTANTS) for n in PREPARED) == layout.N_CONSTANTS


def test_land_constants_are_the_steady_state_carbon_and_log_q10():
    total, log_q10 = land.prepare(*_land(), 2.0, 1.0)
    assert total == pytest.approx(sum(land.steady_state_pools(*_land())), rel=1e-15)
    assert log_q10 == pytest.approx(math.log(2.0), rel=1e-15)
    assert land.prepare(*_land(), 2.0, 0.0)[1] == 0.0  # Q10 feedback switched off


def test_ocean_constants_are_hilda_dic_per_ppm_and_the_exchange_rate():
    """HILDA: 75 m mixed layer over 3.62e14 m2 gives 6.3425 umol kg-1 of DIC per ppm taken up
    (Joos et al. 1996); one sub-step's flux adds that times the response weight
    A_inf dt + sum A_i tau_i (1 - exp(-dt / tau_i))."""
    (per_ppm, per_flux, rate), decay, gain = _ocean()
    assert per_ppm == pytest.approx(
        ocean.dic_per_ppm(_p("ocean_mixed_layer_depth"), _p("ocean_area"))
    )
    if _p("ocean_mixed_layer_depth") == 75.0 and _p("ocean_area") == 3.62e14:
        assert per_ppm == pytest.approx(6.3425, abs=5e-5)
    weight = ocean.HILDA_A_INF * DT + float(np.sum(ocean.HILDA_A * gain))
    assert per_flux == pytest.approx(per_ppm * weight, rel=1e-14)
    tau = ocean.HILDA_TAU * _p("ocean_mixing_time_scale")
    np.testing.assert_allclose(decay, np.exp(-DT / tau), rtol=1e-15)
    assert rate == pytest.approx(1.0 / _p("ocean_gas_exchange_time"), rel=1e-15)


@pytest.mark.parametrize(("e_ch4", "e_n2o"), [(0.0, 0.0), (19.0, 1.1)])
def test_natural_sources_hold_ch4_and_n2o_at_their_first_year_values(e_ch4, e_n2o):
    ch4_natural, n2o_natural = _gases(e_ch4, e_n2o)
    for x0, natural, emitted, tau, mass in (
        (_p("ch4_pi"), ch4_natural, e_ch4, _p("ch4_lifetime_pi"), TG_PER_PPB_CH4),
        (_p("n2o_pi"), n2o_natural, e_n2o, _p("n2o_lifetime_pi"), TG_PER_PPB_N2O),
    ):
        end, mean = gases.one_box_step(x0, natural + emitted, tau, mass, 1.0)
        assert end == pytest.approx(x0, rel=1e-12) and mean == pytest.approx(x0, rel=1e-12)


def test_forcing_constants_are_the_first_year_forcing_and_the_co2_factor():
    co2_0, ch4_0, n2o_0, aci_0, factor = _forcing(so2=2.0, bc=0.5, oc=3.0)
    assert co2_0 == forcing.co2_sarf_meinshausen2020(_p("co2_pi"), _p("n2o_pi"))
    assert aci_0 == forcing.aci_smith2021(
        2.0, 0.5, 3.0, _p("aci_beta"), _p("aci_so2"), _p("aci_bc"), _p("aci_oc")
    )
    assert factor == pytest.approx(_p("erf_scale_co2") * (1.0 + _p("adjustment_co2")))
    assert _forcing(switch=0.0)[4] == 0.0  # CO2 radiatively inert


def test_permafrost_constants_are_its_step_constants():
    curve, gk, inv_k, relax_thaw, relax_froz = _permafrost()
    p_min, g, k = (_p(f"permafrost_thaw_{n}") for n in ("min_fraction", "sensitivity", "shape"))
    assert curve == pytest.approx((1.0 + 1.0 / p_min) ** k - 1.0, rel=1e-14)
    assert (gk, inv_k) == pytest.approx((g * k, 1.0 / k))
    assert relax_thaw == pytest.approx(math.exp(-_p("permafrost_thaw_rate") * DT))
    assert relax_froz == pytest.approx(math.exp(-_p("permafrost_refreeze_rate") * DT))
    assert permafrost.prepare is permafrost.step_constants
