"""Effective radiative forcing (ERF) formulas, one function per published formulation.

All functions return W m-2. Callers subtract the value at the first-year (pre-industrial)
state, so every component is zero in the first year, and apply scale factors and tropospheric
adjustments (ERF = SARF (1 + adjustment) x scale).
"""

from __future__ import annotations

import math

from esm.kernels._jit import jit

# --------------------------------------------------------------------------------------
# Layout declarations (esm.kernels.layout generates the array layouts from them)
# --------------------------------------------------------------------------------------
# The forcing process owns every ERF term. The formulas of this module give the CO2, CH4,
# N2O, halogen and aerosol-cloud terms; the terms linear in a concentration or emission change
# (ozone, aerosol-radiation, stratospheric H2O, contrails, BC on snow, land-use albedo, solar,
# volcanic), the scalings and the total are evaluated inline in integrate.py (step 2, and the
# CO2 term in each sub-step of integrate._carbon_climate_year).

#: State slots owned by the forcing: none.
STATE: tuple[str, ...] = ()

#: Parameters read (units, bounds, sources: esm.params).
PARAMS = (
    # greenhouse-gas forcing
    "erf_scale_co2",
    "erf_scale_ch4",
    "erf_scale_n2o",
    "erf_scale_halogens",
    "adjustment_co2",
    "adjustment_ch4",
    "adjustment_n2o",
    # aerosol-radiation interactions
    "ari_so2",
    "ari_bc",
    "ari_oc",
    "ari_nh3",
    "ari_nox",
    "ari_nmvoc",
    "ari_ch4",
    "ari_n2o",
    "ari_eesc",
    "erf_scale_ari",
    # aerosol-cloud interactions
    "aci_beta",
    "aci_so2",
    "aci_bc",
    "aci_oc",
    # ozone
    "ozone_ch4",
    "ozone_n2o",
    "ozone_eesc",
    "ozone_co",
    "ozone_nmvoc",
    "ozone_nox",
    "ozone_temperature_feedback",
    "erf_scale_ozone",
    # other anthropogenic and natural forcing
    "h2o_stratospheric_ch4",
    "contrails_nox_aviation",
    "bc_on_snow_bc",
    "land_use_albedo",
    "erf_scale_solar",
    "erf_scale_volcanic",
    # feedback switch (1 = on, 0 = off)
    "switch_co2_radiative",
)

#: Per-year outputs (units and long names: esm.metadata.OUTPUTS).
OUTPUTS = (
    "erf",  # total, the forcing of the energy balance
    "erf_co2",
    "erf_ch4",
    "erf_n2o",
    "erf_halogens",
    "erf_ozone",
    "erf_aerosol_ari",
    "erf_aerosol_aci",
    "erf_h2o_stratospheric",
    "erf_land_use",
    "erf_bc_on_snow",
    "erf_contrails",
    "erf_solar",
    "erf_volcanic",
)

# Meinshausen et al. (2020), GMD 13, 3571, Table 3 (as in AR6 WGI Ch.7 and FaIR 2 ghg.py).
#: Reference concentrations of the fit [ppm, ppb, ppb] (Meinshausen et al. 2017 1750 values).
MEINSHAUSEN_C0 = 277.15
MEINSHAUSEN_M0 = 731.41
MEINSHAUSEN_N0 = 273.87
_A1, _B1, _C1, _D1 = -2.4785e-07, 7.5906e-04, -2.1492e-03, 5.2488
_A2, _B2, _C2, _D2 = -3.4197e-04, 2.5455e-04, -2.4357e-04, 0.12173
_A3, _B3, _D3 = -8.9603e-05, -1.2462e-04, 0.045194


@jit
def co2_sarf_meinshausen2020(co2, n2o):
    """Stratospheric-temperature-adjusted RF of CO2 [W m-2] vs 277.15 ppm (ppm, ppb in)."""
    c_alpha_max = MEINSHAUSEN_C0 - _B1 / (2.0 * _A1)
    if co2 <= MEINSHAUSEN_C0:
        alpha_p = _D1
    elif co2 <= c_alpha_max:
        dc = co2 - MEINSHAUSEN_C0
        alpha_p = _D1 + _A1 * dc * dc + _B1 * dc
    else:
        alpha_p = _D1 - _B1 * _B1 / (4.0 * _A1)
    alpha_n2o = _C1 * math.sqrt(n2o)
    return (alpha_p + alpha_n2o) * math.log(co2 / MEINSHAUSEN_C0)


@jit
def ch4_sarf_meinshausen2020(ch4, n2o):
    """SARF of CH4 [W m-2] vs 731.41 ppb (ppb in)."""
    return (_A3 * math.sqrt(ch4) + _B3 * math.sqrt(n2o) + _D3) * (
        math.sqrt(ch4) - math.sqrt(MEINSHAUSEN_M0)
    )


@jit
def n2o_sarf_meinshausen2020(co2, ch4, n2o):
    """SARF of N2O [W m-2] vs 273.87 ppb (ppm, ppb, ppb in)."""
    return (_A2 * math.sqrt(co2) + _B2 * math.sqrt(n2o) + _C2 * math.sqrt(ch4) + _D2) * (
        math.sqrt(n2o) - math.sqrt(MEINSHAUSEN_N0)
    )


@jit
def halogen_erf(conc, baseline, radiative_efficiency, adjustment):
    """ERF of the halogenated gases [W m-2]: sum RE (X - X_pi)(1 + adj) / 1000.

    ``conc`` and ``baseline`` in ppt, ``radiative_efficiency`` in W m-2 ppb-1.
    """
    total = 0.0
    for i in range(conc.size):
        total += radiative_efficiency[i] * (conc[i] - baseline[i]) * (1.0 + adjustment[i])
    return total * 1e-3


@jit
def aci_smith2021(so2, bc, oc, beta, s_so2, s_bc, s_oc):
    """Aerosol-cloud ERF before subtracting the baseline [W m-2].

    ``beta ln(1 + s_SO2 E_SO2 + s_BC E_BC + s_OC E_OC)`` (Smith et al. 2021, JGR 126,
    e2020JD033622; AR6 WGI Ch.7 ``ghan`` form); emissions in Mt yr-1.
    """
    return beta * math.log(1.0 + s_so2 * so2 + s_bc * bc + s_oc * oc)
