"""Energy-balance model: exact step, equilibrium, ECS/TCR against published numbers."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import scipy.linalg

import esm
from esm import diagnostics
from esm.kernels import ebm

# fair-calibrate v1.4.1 medians of each parameter (Smith et al. 2024, GMD 17, 8569):
# ECS 3.00 K, TCR 1.74 K
FAIR_MEDIAN = {
    "climate_feedback": -1.298,
    "heat_capacity_surface": 4.13,
    "heat_capacity_intermediate": 17.21,
    "heat_capacity_deep": 85.40,
    "heat_exchange_surface_intermediate": 2.447,
    "heat_exchange_intermediate_deep": 1.156,
    "deep_ocean_efficacy": 1.286,
}
FAIR_MEDIAN_F2X = 7.794 / 2.0  # FaIR: F2x = F4x / 2
# the member of the 841-member ensemble closest to (3.0, 1.8): id 911896
FAIR_911896 = {
    "climate_feedback": -1.173,
    "heat_capacity_surface": 2.458,
    "heat_capacity_intermediate": 21.07,
    "heat_capacity_deep": 91.53,
    "heat_exchange_surface_intermediate": 3.165,
    "heat_exchange_intermediate_deep": 0.523,
    "deep_ocean_efficacy": 1.316,
}


def args(v):
    return (
        v["climate_feedback"],
        v["heat_capacity_surface"],
        v["heat_capacity_intermediate"],
        v["heat_capacity_deep"],
        v["heat_exchange_surface_intermediate"],
        v["heat_exchange_intermediate_deep"],
        v["deep_ocean_efficacy"],
    )


@pytest.mark.parametrize("scale", [0.01, 1.0, 30.0])
def test_expm_matches_scipy(scale):
    rng = np.random.default_rng(1)
    m = rng.normal(size=(4, 4)) * scale
    assert np.allclose(ebm.expm_small(m), scipy.linalg.expm(m), rtol=1e-11, atol=1e-12)


def test_ecs_tcr_of_fair_median_parameters():
    """ECS 3.00 and TCR 1.74 K for the v1.4.1 medians; 3.00 / 1.79 K for member 911896."""
    assert diagnostics.ecs(FAIR_MEDIAN, FAIR_MEDIAN_F2X) == pytest.approx(3.00, abs=0.01)
    tcr = diagnostics.tcr_ebm(FAIR_MEDIAN, FAIR_MEDIAN_F2X, window=None)
    assert tcr == pytest.approx(1.74, abs=0.01)
    assert diagnostics.ecs(FAIR_911896, 7.032 / 2) == pytest.approx(3.00, abs=0.01)
    assert diagnostics.tcr_ebm(FAIR_911896, 7.032 / 2, window=None) == pytest.approx(1.79, abs=0.01)


def test_stepping_reproduces_the_analytic_ramp_and_equilibrium():
    """The exact-step kernel integrates a forcing ramp like the eigen-decomposition solution,
    and a constant forcing F2x relaxes to ECS = -F2x / lambda."""
    v = FAIR_MEDIAN
    rate, dt = 0.05, 1.0 / 12.0
    phi, gamma = ebm.ebm_operators(*args(v), dt)
    x = np.zeros(3)
    n = int(70 / dt)
    for k in range(n):  # forcing held at the mid-step value: second-order accurate
        x = phi @ x + gamma * rate * (k + 0.5) * dt
    analytic = diagnostics.ebm_ramp_response(v, rate, [n * dt])[0]
    assert x[0] == pytest.approx(analytic, rel=2e-4)
    phi, gamma = ebm.ebm_operators(*args(v), 100.0)  # one 100-yr step is still exact/stable
    x = np.zeros(3)
    for _ in range(200):
        x = phi @ x + gamma * 3.9
    assert x == pytest.approx(np.full(3, 3.9 / 1.298), rel=1e-9)


def test_heat_content_change_equals_toa_imbalance():
    """dH/dt = N with H = C1 T1 + C2 T2 + C3 T3 (energy conservation of the EBM)."""
    v = FAIR_MEDIAN
    dt = 1e-4
    phi, gamma = ebm.ebm_operators(*args(v), dt)
    x = np.array([1.0, 0.6, 0.2])
    caps = np.array(
        [v["heat_capacity_surface"], v["heat_capacity_intermediate"], v["heat_capacity_deep"]]
    )
    forcing = 3.0
    x1 = phi @ x + gamma * forcing
    dh = caps @ (x1 - x) / dt
    mid = 0.5 * (x + x1)
    n = ebm.toa_imbalance(
        forcing,
        *mid,
        v["climate_feedback"],
        v["heat_exchange_intermediate_deep"],
        v["deep_ocean_efficacy"],
    )
    assert dh == pytest.approx(n, rel=1e-6)


def test_default_ecs_and_tcr():
    """Defaults (the posterior's central member, no longer tuned to the AR6 best estimates):
    ECS and TCR inside the AR6 likely ranges 2.5-4.0 K and 1.4-2.2 K, and the analytic TCR
    of the EBM agrees with the 1pctCO2 experiment (years 61-80) to 0.1 K."""
    assert 2.5 <= diagnostics.ecs() <= 4.0
    assert 1.4 <= diagnostics.tcr_ebm() <= 2.2
    tcr = esm.experiments.run("1pctCO2", variables=["gsat"])["gsat"].values[61:81].mean()
    assert diagnostics.tcr_ebm() == pytest.approx(tcr, abs=0.1)


# ------------------------------------------------------------------ two-layer alternative
def _geoffroy_step_response(v, forcing, t):
    """Closed-form two-layer response to a step forcing (Geoffroy et al. 2013a, J. Climate 26,
    1841, eqs. 14-21; with efficacy, 2013b, gamma -> eps gamma in the surface equation)."""
    lam = -v["climate_feedback"]
    c, c0 = v["heat_capacity_surface"], v["heat_capacity_deep"]
    gamma, eps = v["heat_exchange_surface_intermediate"], v["deep_ocean_efficacy"]
    b = (lam + eps * gamma) / c + gamma / c0
    b_star = (lam + eps * gamma) / c - gamma / c0
    delta = b * b - 4.0 * lam * gamma / (c * c0)
    tau_f = c * c0 / (2.0 * lam * gamma) * (b - np.sqrt(delta))
    tau_s = c * c0 / (2.0 * lam * gamma) * (b + np.sqrt(delta))
    phi_f = c / (2.0 * eps * gamma) * (b_star - np.sqrt(delta))
    phi_s = c / (2.0 * eps * gamma) * (b_star + np.sqrt(delta))
    a_f = phi_s * tau_f * lam / (c * (phi_s - phi_f))
    a_s = -phi_f * tau_s * lam / (c * (phi_s - phi_f))
    assert a_f + a_s == pytest.approx(1.0)
    return forcing / lam * (a_f * (1 - np.exp(-t / tau_f)) + a_s * (1 - np.exp(-t / tau_s)))


def two_layer_args(v):
    full = {**esm.params.defaults(), **v}
    return (*args(full), 1.0, 2.0)  # dt = 1 yr, two layers


def test_two_layer_steps_follow_the_closed_form_step_response():
    """Geoffroy et al. (2013b) CMIP5 multi-model mean parameters, constant forcing 3.7 W m-2:
    the exact step gives the published two-mode solution to 1e-10 K over 500 years."""
    v = ebm.GEOFFROY_2013
    phi, gamma = ebm.ebm_operators(*two_layer_args(v))
    x, temps = np.zeros(3), []
    for _ in range(500):
        x = phi @ x + gamma * 3.7
        temps.append(x[0])
    expected = _geoffroy_step_response(v, 3.7, np.arange(1, 501))
    np.testing.assert_allclose(temps, expected, rtol=0, atol=1e-10)
    assert x[1] == 0.0  # no intermediate layer


def test_two_layer_heat_content_change_equals_toa_imbalance():
    v = {**esm.params.defaults(), **ebm.GEOFFROY_2013}
    dt = 1e-4
    phi, gamma = ebm.ebm_operators(*args(v), dt, 2.0)
    x = np.array([1.0, 0.0, 0.3])
    caps = np.array(
        [v["heat_capacity_surface"], v["heat_capacity_intermediate"], v["heat_capacity_deep"]]
    )
    x1 = phi @ x + gamma * 3.0
    mid = 0.5 * (x + x1)
    n = ebm.toa_imbalance_two_layer(
        3.0,
        mid[0],
        mid[2],
        v["climate_feedback"],
        v["heat_exchange_surface_intermediate"],
        v["deep_ocean_efficacy"],
    )
    assert caps @ (x1 - x) / dt == pytest.approx(n, rel=1e-6)


def test_the_model_runs_with_the_two_layer_ebm_chosen_by_name():
    """The whole model with the two-layer EBM: chosen by name or number alike, the 1pctCO2
    warming of years 61-80 equals the analytic TCR of the two-layer model, and the
    intermediate temperature stays zero."""
    named = esm.run("ssp245", params={**ebm.GEOFFROY_2013, "ebm_layers": "two-layer"})
    numbered = esm.run("ssp245", params=ebm.GEOFFROY_2013)
    assert named.gsat.equals(numbered.gsat)
    assert float(np.abs(named.gsat - esm.run("ssp245").gsat).max()) > 0.1  # another model
    one = esm.experiments.run(
        "1pctCO2", params=ebm.GEOFFROY_2013, variables=["gsat", "temperature_intermediate_ocean"]
    )
    tcr = one["gsat"].values[61:81].mean()
    assert tcr == pytest.approx(diagnostics.tcr_ebm(ebm.GEOFFROY_2013), abs=0.02)
    assert float(np.abs(one["temperature_intermediate_ocean"]).max()) == 0.0


@pytest.mark.parametrize("value", ["four-layer", 2.5, True])
def test_ebm_choice_must_be_a_known_model(value):
    message = f"parameter ebm_layers: {value!r} is not one of 'three-layer' (3), 'two-layer' (2)"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        esm.run("ssp245", params={"ebm_layers": value})


@pytest.mark.parametrize("layers", ["three-layer", "two-layer"])
def test_step_reaches_the_equilibrium_warming_of_the_feedback(layers):
    """ebm.step, the integrator's sub-step, is phi T + gamma F with the operators of
    ebm_operators; under a constant forcing every layer approaches F / -lambda (the efficacy
    changes the path, not the equilibrium)."""
    v = esm.params.defaults()
    n = {"three-layer": 3.0, "two-layer": 2.0}[layers]
    phi, gamma = ebm.ebm_operators(*args(v), 1.0 / 6.0, n)
    t = (0.3, 0.2, 0.1)
    one = ebm.step(*t, 3.7, tuple(phi.ravel()), tuple(gamma))
    np.testing.assert_allclose(one, phi @ np.array(t) + gamma * 3.7, rtol=1e-15, atol=1e-15)
    for _ in range(6 * 30000):  # the deep ocean takes millennia
        t = ebm.step(*t, 3.7, tuple(phi.ravel()), tuple(gamma))
    expected = 3.7 / -v["climate_feedback"]
    assert t[0] == pytest.approx(expected, rel=1e-6)
    assert t[2] == pytest.approx(expected, rel=1e-6)


def test_one_batch_mixes_the_two_energy_balance_models():
    """The EBM is chosen per member by a parameter, not by compiling another kernel: a batch
    of a three-layer and a two-layer member gives each member exactly its own single run."""
    two = {**ebm.GEOFFROY_2013, "ebm_layers": "two-layer"}
    table = pd.DataFrame([{n: esm.params.defaults()[n] for n in two}, two])
    batch = esm.run_many("ssp245", table, variables=["gsat", "ocean_heat_content"], squeeze=True)
    for member, single in enumerate((esm.run("ssp245"), esm.run("ssp245", params=two))):
        for v in ("gsat", "ocean_heat_content"):
            assert np.array_equal(batch[v].isel(member=member).values, single[v].values), v
    assert float(np.abs(batch.gsat.isel(member=0) - batch.gsat.isel(member=1)).max()) > 0.1
