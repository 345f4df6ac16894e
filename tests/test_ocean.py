"""Ocean carbon: HILDA response refit, carbonate chemistry, exact propagators."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from esm.kernels import ocean


def hilda_original(t):
    """Joos et al. (1996, Tellus 48B, 397) two-piece HILDA fit (CICERO-SCM _rs_function)."""
    if t < 2.0:
        return (
            0.12935
            + 0.21898 * math.exp(-t / 0.034569)
            + 0.17003 * math.exp(-t / 0.26936)
            + 0.24071 * math.exp(-t / 0.96083)
            + 0.24093 * math.exp(-t / 4.9792)
        )
    return (
        0.022936
        + 0.24278 * math.exp(-t / 1.2679)
        + 0.13963 * math.exp(-t / 5.2528)
        + 0.089318 * math.exp(-t / 18.601)
        + 0.037820 * math.exp(-t / 68.736)
        + 0.035549 * math.exp(-t / 232.30)
    )


@pytest.mark.parametrize("t", [0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0, 100.0, 500.0, 1000.0])
def test_hilda_refit_step_response_matches_original(t):
    """The mixed-layer carbon for a constant flux, integral_0^t r_s, agrees within 0.5 %.

    (Measured: at most 0.14 %. Point by point the BernSCM refit deviates from the two-piece
    original by up to 0.50 % at 1 yr and 0.83 % near 16 yr; the often-quoted "within 0.3 %" holds
    only at some of its listed times; see the next test.)
    """
    refit = quad(lambda x: ocean.hilda_response(x, 1.0), 0.0, t, limit=200)[0]
    original = quad(hilda_original, 0.0, t, points=[2.0] if t > 2 else None, limit=200)[0]
    assert refit == pytest.approx(original, rel=0.005)


@pytest.mark.parametrize("t", [0.1, 1.0, 2.0, 5.0, 10.0, 16.0, 50.0, 100.0, 500.0, 1000.0])
def test_hilda_refit_pointwise_within_one_percent(t):
    assert ocean.hilda_response(t, 1.0) == pytest.approx(hilda_original(t), rel=0.01)


def test_hilda_response_starts_near_one_and_keeps_a_permanent_fraction():
    assert ocean.hilda_response(0.0, 1.0) == pytest.approx(0.99865, abs=1e-4)
    assert ocean.hilda_response(1e6, 1.0) == pytest.approx(ocean.HILDA_A_INF)


def test_dic_per_ppm_for_hilda():
    """c / (h A_oc) = 6.3425 umol kg-1 per ppm for h = 75 m, A = 3.62e14 m2 (Joos 1996)."""
    assert ocean.dic_per_ppm(75.0, 3.62e14) == pytest.approx(6.3425, abs=1e-4)


def test_joos_polynomial_coefficients_at_18_2_degc():
    """At T = 18.2 degC: 1.3021 d + 3.7929e-3 d^2 + 9.1193e-6 d^3 + ... (Joos 1996, App. A)."""
    d = 1e-6
    value, slope = ocean.joos_pco2(0.0, 18.2)
    assert value == 0.0
    assert slope == pytest.approx(1.3021, abs=1e-4)
    p, _ = ocean.joos_pco2(100.0, 18.2)
    expected = 1.3021e2 + 3.7929e-3 * 1e4 + 9.1193e-6 * 1e6 + 1.4880e-8 * 1e8 + 1.2425e-10 * 1e10
    assert p == pytest.approx(expected, rel=1e-3)
    # the analytic slope equals the numerical derivative
    for dic in (10.0, 100.0, 250.0):
        num = (ocean.joos_pco2(dic + d, 18.2)[0] - ocean.joos_pco2(dic - d, 18.2)[0]) / (2 * d)
        assert ocean.joos_pco2(dic, 18.2)[1] == pytest.approx(num, rel=1e-6)


def test_revelle_factor_grows_with_dic():
    """d pCO2 / d DIC: 1.30 at 0, 1.76 at 50, 2.46 at 100, 5.38 at 200 (Joos 1996, App. A)."""
    for dic, slope in [(0.0, 1.30), (50.0, 1.76), (100.0, 2.46), (200.0, 5.38)]:
        assert ocean.joos_pco2(dic, 18.2)[1] == pytest.approx(slope, abs=0.02)


def test_temperature_factor_of_surface_pco2():
    """Takahashi: (dpCO2 + C0) exp(0.0423 dT) - C0; about +17 ppm at 400 ppm and 1 K."""
    p0, _ = ocean.surface_pco2(0.0, 0.0, 278.3, 18.1716, 0.0423, 1.0, 1.0)
    assert p0 == 0.0
    dic = 40.0
    base, _ = ocean.joos_pco2(dic, 18.1716)
    warm, _ = ocean.surface_pco2(dic, 1.0, 278.3, 18.1716, 0.0423, 1.0, 1.0)
    assert warm == pytest.approx((base + 278.3) * math.exp(0.0423) - 278.3)
    assert warm - base == pytest.approx((base + 278.3) * 0.0432, rel=0.01)
    off, _ = ocean.surface_pco2(dic, 1.0, 278.3, 18.1716, 0.0423, 1.0, 0.0)
    assert off == base
    linear, slope = ocean.surface_pco2(dic, 0.0, 278.3, 18.1716, 0.0423, 0.0, 0.0)
    assert linear == pytest.approx(ocean.joos_pco2(0.0, 18.1716)[1] * dic)


def test_propagators_integrate_a_constant_flux_exactly():
    """The recursion equals the convolution integral of r_s for a constant flux."""
    dt, n, flux = 1.0 / 12.0, 120, 2.0
    decay = np.empty(6)
    gain = np.empty(6)
    w = ocean.propagators(dt, 1.0, decay, gain)
    boxes = np.zeros(6)
    uptake = 0.0
    for _ in range(n):
        ocean.advance_boxes(boxes, flux, dt, decay, gain)
        uptake += flux * dt
    t_end = n * dt
    # integral_0^T r_s(T - t') dt' analytically
    pairs = zip(ocean.HILDA_A, ocean.HILDA_TAU, strict=True)
    analytic = ocean.HILDA_A_INF * t_end + sum(
        a * tau * (1.0 - math.exp(-t_end / tau)) for a, tau in pairs
    )
    ones = np.ones(6)
    assert ocean.response_sum(boxes, uptake, ones) == pytest.approx(flux * analytic, rel=1e-12)
    assert w == pytest.approx(ocean.HILDA_A_INF * dt + np.sum(ocean.HILDA_A * gain))


def test_implicit_air_sea_flux_solves_the_linearised_equation():
    kg, dt, w, g0, g1, free = 1 / 9.06, 1 / 12, 0.5, 10.0, 1.5, 40.0
    f = ocean.implicit_air_sea_flux(free, dt, w, kg, g0, g1)
    assert f == pytest.approx(kg * ((free - f * dt) - (g0 + g1 * f * w)), rel=1e-12)


def _run_ocean(years, dco2_atm, closed, n_sub=6, nonlinear=0.0, warming=0.0):
    """Ocean steps of one member with linear chemistry; ``closed``: the atmosphere gives up
    what the ocean takes (the integrator's coupling), else it is held at ``dco2_atm``."""
    dt = 1.0 / n_sub
    decay, gain = np.empty(6), np.empty(6)
    per_ppm, per_flux, kg = ocean.prepare(dt, 75.0, 3.62e14, 1.0, 9.06, decay, gain)
    boxes, uptake, dco2 = (0.0,) * 6, 0.0, dco2_atm
    for _ in range(years * n_sub):
        boxes, uptake_new, flux, dic, pco2 = ocean.step(
            boxes, uptake, dco2, dt if closed else 0.0, dt, warming, 278.3, 0.717, 18.1716,
            0.0423, nonlinear, 1.0, per_ppm, per_flux, kg, tuple(decay), tuple(gain),
        )  # fmt: skip
        assert uptake_new - uptake == pytest.approx(flux * dt, rel=1e-12)
        uptake = uptake_new
        if closed:
            dco2 -= flux * dt
    return uptake, dco2, dic, pco2, per_ppm


def test_ocean_step_equilibrates_with_a_fixed_atmosphere():
    """Held at +100 ppm for 10 000 years (the coupled system's slowest mode takes about
    800 years), the mixed layer ends in equilibrium (surface pCO2 = 100 ppm) and, once the
    decaying responses have gone, holds DIC = K A_inf U (the permanent fraction of
    the HILDA response): the uptake is U = 100 / (slope K A_inf), with the Joos (1996)
    initial slope (linear chemistry) and K = 6.3425 umol kg-1 ppm-1."""
    uptake, _, dic, pco2, per_ppm = _run_ocean(10000, 100.0, closed=False)
    slope = ocean.joos_pco2(0.0, 18.1716)[1]
    assert pco2 == pytest.approx(100.0, abs=1e-3)
    assert dic == pytest.approx(100.0 / slope, rel=1e-5)
    assert uptake == pytest.approx(100.0 / (slope * per_ppm * ocean.HILDA_A_INF), rel=1e-3)


def test_ocean_step_conserves_a_pulse_and_keeps_its_equilibrium_airborne_share():
    """A 100 ppm pulse in a closed atmosphere-ocean system: atmosphere + ocean stays 100 ppm
    at every step, and at equilibrium the airborne share is x / (1 + x), x = slope K A_inf
    (about 16 % for linear chemistry: HILDA's permanent fraction)."""
    uptake, dco2, _, pco2, per_ppm = _run_ocean(10000, 100.0, closed=True)
    x = ocean.joos_pco2(0.0, 18.1716)[1] * per_ppm * ocean.HILDA_A_INF
    assert dco2 + uptake == pytest.approx(100.0, rel=1e-12)
    assert dco2 / 100.0 == pytest.approx(x / (1.0 + x), rel=1e-3)
    assert 0.15 < dco2 / 100.0 < 0.17
    assert pco2 == pytest.approx(dco2, abs=1e-3)


def test_ocean_step_takes_up_less_with_carbonate_chemistry_and_warming():
    """The Revelle effect and warmer water each reduce the uptake of a fixed +100 ppm."""
    linear = _run_ocean(200, 100.0, closed=False)[0]
    chemistry = _run_ocean(200, 100.0, closed=False, nonlinear=1.0)[0]
    warm = _run_ocean(200, 100.0, closed=False, warming=2.0)[0]
    assert chemistry < 0.9 * linear
    assert warm < linear
