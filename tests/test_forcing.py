"""ERF formulas against AR6 published values."""

from __future__ import annotations

import numpy as np
import pytest

import esm
from esm import diagnostics, params, scenarios
from esm.kernels import forcing as F
from esm.kernels import integrate
from esm.kernels import layout as L
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


# --------------------------------------------------------------------------------------
# Terms linear in the change since 1750: ozone, ERFari, stratospheric H2O, contrails, BC on
# snow, land-use albedo (esm.kernels.forcing; AR6 WGI Ch.7 emulator, FaIR 2.1)
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ar6_2019():
    """Changes 1750-2019 standing for the inputs of the AR6 2019 ERF.

    CH4 and N2O: AR6 Table 7.5 concentrations (M0, M19, N0, N19 above). Emissions: the shipped
    historical emissions (fair-calibrate v1.4.1 harmonised CEDS/GFED history, GCB2021 land-use
    CO2, RCMIP aviation NOx), 2019 minus 1750. EESC: the halogen cycle of the model
    (integrate.halogen_series) driven by the shipped halogen emissions, 2019 annual mean.
    Temperature: AR6 assessed GMST of 2018 (the ozone feedback uses the previous year's).
    Cumulative land-use CO2: 1750-2018 plus half of 2019 (the annual mean the model uses).
    """
    years, emis, _ = scenarios.to_arrays(scenarios.load("ssp245", end=2019))
    assert years[0] == 1750 and years[-1] == 2019
    hs = np.empty((years.size, integrate.N_HS))
    init = np.full(L.N_HALOGENS, np.nan)
    integrate.halogen_series(
        emis, params.halogen_array(), hs, emis[0], init, np.empty(L.N_HALOGENS)
    )
    de = emis[-1] - emis[0]
    luc = emis[:, L.E_CO2_LANDUSE]
    return {
        "d_ch4": M19 - M0,
        "d_n2o": N19 - N0,
        "d_eesc": hs[-1, integrate.HS_DEESC_MEAN],
        "d_so2": de[L.E_SO2],
        "d_bc": de[L.E_BC],
        "d_oc": de[L.E_OC],
        "d_nh3": de[L.E_NH3],
        "d_nox": de[L.E_NOX],
        "d_nmvoc": de[L.E_NMVOC],
        "d_co": de[L.E_CO],
        "d_nox_aviation": de[L.E_NOX_AVIATION],
        "e_2019": emis[-1],
        "e_1750": emis[0],
        "cumulative_landuse": luc[:-1].sum() + 0.5 * luc[-1],
        "gmst_2018": float(read_validation("gmst").loc[2018, "ar6_gmst"]),
    }


def ozone_args(x, p, temperature=0.0, scale=None):
    """Arguments of F.ozone_thornhill2021 from the changes ``x`` and parameters ``p``."""
    return (
        x["d_ch4"],
        x["d_n2o"],
        x["d_eesc"],
        x["d_co"],
        x["d_nmvoc"],
        x["d_nox"],
        temperature,
        p["ozone_ch4"],
        p["ozone_n2o"],
        p["ozone_eesc"],
        p["ozone_co"],
        p["ozone_nmvoc"],
        p["ozone_nox"],
        p["ozone_temperature_feedback"],
        p["erf_scale_ozone"] if scale is None else scale,
    )


ARI_TERMS = ("so2", "bc", "oc", "nh3", "nox", "nmvoc", "ch4", "n2o", "eesc")


def ari_args(x, p, scale=None):
    """Arguments of F.ari_smith2021 from the changes ``x`` and parameters ``p``."""
    return (
        *(x[f"d_{k}"] for k in ARI_TERMS),
        *(p[f"ari_{k}"] for k in ARI_TERMS),
        p["erf_scale_ari"] if scale is None else scale,
    )


def ar6(component):
    """AR6 2019 ERF (best, p05, p95) of ``component`` (validation/ar6_erf_2019.csv)."""
    row = read_validation("ar6_erf_2019").loc[component]
    return row["best"], row["p05"], row["p95"]


def test_ozone_2019_matches_ar6(ar6_2019):
    """AR6 2019 ozone ERF 0.47 (0.24-0.71) W m-2. erf_scale_ozone is calibrated to the AR6 best
    estimate (validation/calibrate_defaults.py, in the model's own 2019 state): with the AR6
    concentrations and GMST instead, within 0.02 W m-2 (4 %) of it, and inside the 5-95 %
    range (the prior width of erf_scale_ozone). The AR6 FaIR 2.1 coefficients unscaled (scale 1)
    stay inside the 5-95 % range."""
    best, lo, hi = ar6("ozone")
    p = params.defaults()
    value = F.ozone_thornhill2021(*ozone_args(ar6_2019, p, ar6_2019["gmst_2018"]))
    assert value == pytest.approx(best, abs=0.02)
    assert lo <= value <= hi
    unscaled = F.ozone_thornhill2021(*ozone_args(ar6_2019, p, ar6_2019["gmst_2018"], scale=1.0))
    assert lo <= unscaled <= hi


def test_ari_2019_inside_ar6_range(ar6_2019):
    """AR6 2019 ERFari -0.22 (-0.47 to 0.04) W m-2: inside the 5-95 % range (the prior width of
    erf_scale_ari) with the default scale (posterior central member) and with scale 1 (the AR6
    FaIR 2.1 radiative efficiencies); negative."""
    best, lo, hi = ar6("aerosol_ari")
    p = params.defaults()
    for scale in (p["erf_scale_ari"], 1.0):
        value = F.ari_smith2021(*ari_args(ar6_2019, p, scale))
        assert lo <= value <= hi, (scale, value)
        assert value < 0.0


def test_aci_2019_inside_ar6_range(ar6_2019):
    """AR6 2019 ERFaci -0.84 (-1.45 to -0.25) W m-2: beta ln(1 + ...) minus its 1750 value,
    with the default coefficients, inside the 5-95 % range (the prior width of aci_beta)."""
    best, lo, hi = ar6("aerosol_aci")
    p = params.defaults()

    def aci(e):
        return F.aci_smith2021(
            e[L.E_SO2], e[L.E_BC], e[L.E_OC], p["aci_beta"], p["aci_so2"], p["aci_bc"], p["aci_oc"]
        )

    value = aci(ar6_2019["e_2019"]) - aci(ar6_2019["e_1750"])
    assert lo <= value <= hi


def test_h2o_stratospheric_2019_matches_ar6(ar6_2019):
    """AR6 2019 stratospheric H2O ERF 0.05 W m-2, which the default coefficient (4.397e-5 W m-2
    ppb-1, fair-calibrate v1.4.1) reproduces for the AR6 CH4 change 729.2 -> 1866.3 ppb: within
    5e-4 W m-2 (1 %; the coefficient has four digits)."""
    best, lo, hi = ar6("h2o_stratospheric")
    value = F.h2o_stratospheric_ar6(ar6_2019["d_ch4"], params.defaults()["h2o_stratospheric_ch4"])
    assert value == pytest.approx(best, abs=5e-4)
    assert best == pytest.approx(0.05, abs=1e-9)


def test_contrails_2019_inside_ar6_range(ar6_2019):
    """AR6 2019 contrail ERF 0.058 (0.019-0.097) W m-2: inside the 5-95 % range (the prior width
    of contrails_nox_aviation) with the AR6 FaIR 2.1 coefficient and the RCMIP aviation NOx."""
    best, lo, hi = ar6("contrails")
    value = F.contrails_ar6(ar6_2019["d_nox_aviation"], params.defaults()["contrails_nox_aviation"])
    assert lo <= value <= hi
    assert value > 0.0


def test_bc_on_snow_2019_inside_ar6_range(ar6_2019):
    """AR6 2019 BC-on-snow ERF 0.08 (0.00-0.18) W m-2: inside the 5-95 % range (the prior width
    of bc_on_snow_bc) with the AR6 FaIR 2.1 coefficient."""
    best, lo, hi = ar6("bc_on_snow")
    value = F.bc_on_snow_ar6(ar6_2019["d_bc"], params.defaults()["bc_on_snow_bc"])
    assert lo <= value <= hi
    assert value > 0.0


def test_land_use_albedo_2019_matches_ar6(ar6_2019):
    """AR6 2019 land-use ERF -0.20 (-0.30 to -0.10) W m-2. land_use_albedo is calibrated to the
    AR6 best estimate with the shipped land-use emissions (229 GtC to mid-2019): within
    0.002 W m-2 (1 %, the four digits of the coefficient) of it."""
    best, lo, hi = ar6("land_use")
    value = F.land_use_albedo_ar6(
        ar6_2019["cumulative_landuse"], params.defaults()["land_use_albedo"]
    )
    assert value == pytest.approx(best, abs=0.002)
    assert lo <= value <= hi


def test_linear_terms_are_zero_at_the_preindustrial_state():
    """No change since 1750 and no warming: every linear term is exactly zero."""
    p = params.defaults()
    zero = {f"d_{k}": 0.0 for k in (*ARI_TERMS, "co")}
    assert F.ozone_thornhill2021(*ozone_args(zero, p)) == 0.0
    assert F.ari_smith2021(*ari_args(zero, p)) == 0.0
    assert F.h2o_stratospheric_ar6(0.0, p["h2o_stratospheric_ch4"]) == 0.0
    assert F.contrails_ar6(0.0, p["contrails_nox_aviation"]) == 0.0
    assert F.bc_on_snow_ar6(0.0, p["bc_on_snow_bc"]) == 0.0
    assert F.land_use_albedo_ar6(0.0, p["land_use_albedo"]) == 0.0


def test_ozone_form_and_signs():
    """Each change enters with its own sensitivity times the scale; the temperature feedback
    is added unscaled; ozone rises with CH4, N2O, CO, NMVOC and NOx, falls with EESC and
    (feedback -0.037 W m-2 K-1) with warming."""
    p = dict(params.defaults())
    names = ("ch4", "n2o", "eesc", "co", "nmvoc", "nox")
    zero = {f"d_{k}": 0.0 for k in names}
    scale = 1.5
    for k in names:
        x = dict(zero, **{f"d_{k}": 10.0})
        value = F.ozone_thornhill2021(*ozone_args(x, p, scale=scale))
        assert value == pytest.approx(scale * p[f"ozone_{k}"] * 10.0, rel=1e-14), k
        assert (value < 0.0) if k == "eesc" else (value > 0.0), k
    feedback = F.ozone_thornhill2021(*ozone_args(zero, p, temperature=2.0, scale=scale))
    assert feedback == pytest.approx(2.0 * p["ozone_temperature_feedback"], rel=1e-14)
    assert feedback < 0.0
    # the scale multiplies the emission and concentration part only
    x = {f"d_{k}": 1.0 + i for i, k in enumerate(names)}
    a = F.ozone_thornhill2021(*ozone_args(x, p, temperature=1.0, scale=1.0))
    b = F.ozone_thornhill2021(*ozone_args(x, p, temperature=1.0, scale=2.0))
    c = F.ozone_thornhill2021(*ozone_args(x, p, temperature=0.0, scale=1.0))
    assert b - a == pytest.approx(c, rel=1e-12)


def test_ari_form_and_signs():
    """Each change enters with its own radiative efficiency times the scale (so ERFari is
    additive and linear); SO2, OC, NH3 (nitrate) cool, BC warms."""
    p = params.defaults()
    zero = {f"d_{k}": 0.0 for k in ARI_TERMS}
    scale = 0.8
    total = 0.0
    x_all = {}
    for i, k in enumerate(ARI_TERMS):
        dx = 10.0 * (i + 1)
        x_all[f"d_{k}"] = dx
        value = F.ari_smith2021(*ari_args(dict(zero, **{f"d_{k}": dx}), p, scale))
        assert value == pytest.approx(scale * p[f"ari_{k}"] * dx, rel=1e-14), k
        total += value
    assert F.ari_smith2021(*ari_args(x_all, p, scale)) == pytest.approx(total, rel=1e-12)
    for k, sign in (("so2", -1.0), ("oc", -1.0), ("nh3", -1.0), ("bc", 1.0)):
        assert sign * F.ari_smith2021(*ari_args(dict(zero, **{f"d_{k}": 1.0}), p, 1.0)) > 0.0
    doubled = {k: 2.0 * v for k, v in x_all.items()}
    assert F.ari_smith2021(*ari_args(doubled, p, scale)) == pytest.approx(2.0 * total, rel=1e-12)


@pytest.mark.parametrize(
    ("fn", "param", "sign"),
    [
        (F.h2o_stratospheric_ar6, "h2o_stratospheric_ch4", 1.0),
        (F.contrails_ar6, "contrails_nox_aviation", 1.0),
        (F.bc_on_snow_ar6, "bc_on_snow_bc", 1.0),
        (F.land_use_albedo_ar6, "land_use_albedo", -1.0),
    ],
)
def test_single_agent_terms_are_proportional(fn, param, sign):
    """ERF = coefficient x change: proportional, with the sign of the AR6 2019 value (strat.
    H2O, contrails, BC on snow warm; land-use albedo cools)."""
    s = params.defaults()[param]
    assert fn(123.0, s) == pytest.approx(s * 123.0, rel=1e-15)
    assert fn(246.0, s) == pytest.approx(2.0 * fn(123.0, s), rel=1e-15)
    assert sign * fn(1.0, s) > 0.0


def test_model_erf_terms_are_zero_in_the_first_year():
    """In the first (pre-industrial) year of a run every term computed from the change since
    that year's state is exactly zero. Not CO2 and land use: they follow the CO2 emitted within
    the first year (land use: coefficient x half the first year's land-use emission)."""
    first = esm.run("ssp245", end=1751).sel(year=1750)
    for v in (
        "erf_ch4",
        "erf_n2o",
        "erf_halogens",
        "erf_ozone",
        "erf_aerosol_ari",
        "erf_aerosol_aci",
        "erf_h2o_stratospheric",
        "erf_contrails",
        "erf_bc_on_snow",
    ):
        assert float(first[v]) == 0.0, v
    e_luc = scenarios.to_arrays(scenarios.load("ssp245", end=1751))[1][0, L.E_CO2_LANDUSE]
    expected = params.defaults()["land_use_albedo"] * 0.5 * e_luc
    assert float(first["erf_land_use"]) == pytest.approx(expected, rel=1e-12)
