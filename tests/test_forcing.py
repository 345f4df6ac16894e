"""ERF formulas against AR6 published values."""

from __future__ import annotations

import numpy as np
import pytest

from esm import diagnostics, params
from esm.kernels import forcing as F
from esm.kernels.layout import H_ADJUSTMENT, H_BASELINE, H_RADIATIVE_EFFICIENCY

from .conftest import read_validation

# AR6 WGI Table 7.5 concentrations (1750 baseline and 2019)
C0, M0, N0 = 278.3, 729.2, 270.1
C19, M19, N19 = 409.85, 1866.3, 332.1


def erf(fn, *args, base, adj):
    return (fn(*args) - fn(*base)) * (1.0 + adj)


def test_co2_ch4_n2o_erf_2019_match_ar6():
    """Meinshausen et al. (2020) with AR6 adjustments reproduce AR6 2019 ERF to 0.005 W m-2."""
    erf_ar6 = read_validation("ar6_erf_2019")["best"]
    co2 = erf(F.co2_sarf_meinshausen2020, C19, N19, base=(C0, N0), adj=0.05)
    ch4 = erf(F.ch4_sarf_meinshausen2020, M19, N19, base=(M0, N0), adj=-0.14)
    n2o = erf(F.n2o_sarf_meinshausen2020, C19, M19, N19, base=(C0, M0, N0), adj=0.07)
    assert co2 == pytest.approx(erf_ar6["co2"], abs=0.005)
    assert ch4 == pytest.approx(erf_ar6["ch4"], abs=0.005)
    assert n2o == pytest.approx(erf_ar6["n2o"], abs=0.005)


def test_doubled_co2_forcing():
    """F2x = 3.93 W m-2 (AR6; Meinshausen 2020 + 5 % adjustment gives 3.936) with the forcing
    scale at its AR6 central value 1 (the default member's scale multiplies it)."""
    assert diagnostics.f2x({"erf_scale_co2": 1.0}) == pytest.approx(3.93, abs=0.01)
    scale = params.defaults()["erf_scale_co2"]
    assert diagnostics.f2x() == pytest.approx(scale * diagnostics.f2x({"erf_scale_co2": 1.0}))


def test_co2_forcing_is_logarithmic_below_saturation_and_zero_at_reference():
    assert F.co2_sarf_meinshausen2020(F.MEINSHAUSEN_C0, 300.0) == 0.0
    # beyond C_alpha_max the coefficient is constant: ERF(4x)/ERF(2x) -> 2 for large C
    big = 4000.0
    r = (F.co2_sarf_meinshausen2020(4 * big, N0) - F.co2_sarf_meinshausen2020(big, N0)) / (
        F.co2_sarf_meinshausen2020(2 * big, N0) - F.co2_sarf_meinshausen2020(big, N0)
    )
    assert r == pytest.approx(2.0, rel=1e-12)
    # AR6: 4xCO2 is less than twice 2xCO2 in this range (ratio 0.476 of 2x/4x)
    two = F.co2_sarf_meinshausen2020(2 * C0, N0) - F.co2_sarf_meinshausen2020(C0, N0)
    four = F.co2_sarf_meinshausen2020(4 * C0, N0) - F.co2_sarf_meinshausen2020(C0, N0)
    assert two / four == pytest.approx(0.476, abs=0.002)


def test_halogen_erf_is_zero_at_baseline_and_linear():
    t = params.halogen_array()
    base = t[:, H_BASELINE]
    re_ = t[:, H_RADIATIVE_EFFICIENCY]
    adj = t[:, H_ADJUSTMENT]
    assert F.halogen_erf(base, base, re_, adj) == 0.0
    one = base.copy()
    one[0] += 100.0  # +100 ppt CFC-11: 0.25941 W m-2 ppb-1 x 0.1 ppb x 1.13
    assert F.halogen_erf(one, base, re_, adj) == pytest.approx(0.25941 * 0.1 * 1.13, rel=1e-12)


def test_aci_is_logarithmic_in_emissions():
    beta, s = -1.0, 0.02
    a = F.aci_smith2021(100.0, 0.0, 0.0, beta, s, 0.0, 0.0)
    assert a == pytest.approx(beta * np.log(1.0 + s * 100.0))
    assert F.aci_smith2021(0.0, 0.0, 0.0, beta, s, 0.1, 0.1) == 0.0
