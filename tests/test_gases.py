"""Gas cycles: exact one-box solution, CH4 lifetime, EESC."""

from __future__ import annotations

import math

import numpy as np
import pytest

from esm.constants import TG_PER_PPB_CH4, mass_per_mole_fraction
from esm.kernels import gases


def test_mass_per_ppb():
    """Whole-atmosphere conversions: 2.844 Tg CH4 ppb-1 (FaIR 1/0.3517), 24.35 kt ppt-1 CFC-11."""
    assert TG_PER_PPB_CH4 == pytest.approx(2.844, abs=0.001)
    assert mass_per_mole_fraction(137.36) == pytest.approx(24.35, abs=0.01)


def test_one_box_step_is_the_exact_solution():
    x0, source, tau, m, dt = 1800.0, 600.0, 9.0, 2.844, 1.0
    x_eq = source * tau / m
    x_end, x_mean = gases.one_box_step(x0, source, tau, m, dt)
    assert x_end == pytest.approx(x_eq + (x0 - x_eq) * math.exp(-dt / tau), rel=1e-14)
    # the mean is the time integral of the exact solution (numerical quadrature check)
    t = np.linspace(0.0, dt, 100001)
    x = x_eq + (x0 - x_eq) * np.exp(-t / tau)
    assert x_mean == pytest.approx(np.trapezoid(x, t) / dt, rel=1e-9)
    # steady state is kept exactly
    assert gases.one_box_step(x_eq, source, tau, m, dt) == pytest.approx((x_eq, x_eq))


def test_ch4_lifetime_factor_is_the_product_of_terms():
    s = (2.5e-4, -7.2e-4, -2.6e-3, 1.6e-3, -5.3e-6, -0.04)
    dx = (1100.0, 60.0, 120.0, 150.0, 1000.0, 1.1)
    alpha = gases.ch4_lifetime_factor(*dx, *s)
    expected = np.prod([1 + a * b for a, b in zip(s, dx, strict=True)])
    assert alpha == pytest.approx(expected, rel=1e-12)
    # FaIR 2's form of the same product (ch4_lifetime.py): exp of the sum of the logarithms
    fair = np.exp(np.sum(np.log([1 + a * b for a, b in zip(s, dx, strict=True)])))
    assert alpha == pytest.approx(fair, rel=1e-14)
    assert gases.ch4_lifetime_factor(0, 0, 0, 0, 0, 0, *s) == 1.0
    assert math.isnan(gases.ch4_lifetime_factor(0, 0, 500.0, 0, 0, 0, *s))  # 1 - 1.3 < 0


def test_eesc_weights_bromine_45_times_chlorine():
    conc = np.array([1.0, 1.0])
    cl = np.array([3.0, 0.0])
    br = np.array([0.0, 1.0])
    fr = np.array([0.47, 0.5])
    assert gases.eesc(conc, cl, br, fr) == pytest.approx(3 * 0.47 + 45 * 0.5)
