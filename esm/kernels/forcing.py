"""Effective radiative forcing (ERF) formulas, one function per published formulation.

All functions return W m-2. Two kinds:

* the formulas in absolute concentrations or emissions (:func:`co2_sarf_meinshausen2020`,
  :func:`ch4_sarf_meinshausen2020`, :func:`n2o_sarf_meinshausen2020`, :func:`aci_smith2021`):
  callers subtract the value at the first-year (pre-industrial) state, so that every component
  is zero in the first year, and apply scale factors and tropospheric adjustments
  (ERF = SARF (1 + adjustment) x scale);
* the formulas linear in the change since the first year (:func:`halogen_erf`,
  :func:`ozone_thornhill2021`, :func:`ari_smith2021`, :func:`h2o_stratospheric_ar6`,
  :func:`contrails_ar6`, :func:`bc_on_snow_ar6`, :func:`land_use_albedo_ar6`): zero for no
  change by construction; :func:`ozone_thornhill2021` and :func:`ari_smith2021`
  include their scale factor (for ozone it multiplies the emission and concentration part only,
  not the temperature feedback).
"""

from __future__ import annotations

import math

from esm.kernels import vmath
from esm.kernels._jit import jit

# --------------------------------------------------------------------------------------
# Layout declarations (esm.kernels.layout generates the array layouts from them)
# --------------------------------------------------------------------------------------
# The forcing process owns every ERF term. The formulas of this module give the CO2, CH4,
# N2O, halogen, ozone, aerosol-radiation, aerosol-cloud, stratospheric H2O, contrail, BC-on-snow
# and land-use albedo terms; integrate.py calls them (step 2, and the CO2 term in each sub-step
# of integrate._carbon_climate_block) and itself applies only the scale factors and adjustments
# of the SARF formulas, the scale factor of the halogen term, the pre-industrial baselines of
# the CO2, CH4, N2O and aerosol-cloud terms, the scale factors of the prescribed solar and
# volcanic series and the sum.

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

#: Per-member constants computed once before the time loop (integrate._prepare;
#: layout.CONSTANT_NAMES): forcing of the first-year state, subtracted so that ERF starts at 0.
CONSTANTS = (
    "co2_sarf_pi",  # W m-2
    "ch4_sarf_pi",  # W m-2
    "n2o_sarf_pi",  # W m-2
    "aci_pi",  # W m-2, aerosol-cloud term of the first year's emissions
    "erf_co2_factor",  # 1, ERF/SARF of CO2 times its scale factor and switch
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
    return co2_sarf_given_n2o_term(co2, co2_sarf_n2o_term(n2o))


@jit(inline=True)
def co2_sarf_n2o_term(n2o):
    """The N2O term ``c1 sqrt(N2O)`` of the CO2 SARF coefficient [W m-2] (Meinshausen et al.
    2020, Table 3); constant while N2O is, so the integrator computes it once a year."""
    return _C1 * math.sqrt(n2o)


@jit(inline=True)
def co2_sarf_given_n2o_term(co2, alpha_n2o):
    """:func:`co2_sarf_meinshausen2020` with its N2O term ``alpha_n2o``
    (:func:`co2_sarf_n2o_term`) given [W m-2]."""
    c_alpha_max = MEINSHAUSEN_C0 - _B1 / (2.0 * _A1)
    if co2 <= MEINSHAUSEN_C0:
        alpha_p = _D1
    elif co2 <= c_alpha_max:
        dc = co2 - MEINSHAUSEN_C0
        alpha_p = _D1 + _A1 * dc * dc + _B1 * dc
    else:
        alpha_p = _D1 - _B1 * _B1 / (4.0 * _A1)
    return (alpha_p + alpha_n2o) * vmath.log(co2 / MEINSHAUSEN_C0)


@jit(inline=True)
def ch4_sarf_meinshausen2020(ch4, n2o):
    """SARF of CH4 [W m-2] vs 731.41 ppb (ppb in)."""
    return (_A3 * math.sqrt(ch4) + _B3 * math.sqrt(n2o) + _D3) * (
        math.sqrt(ch4) - math.sqrt(MEINSHAUSEN_M0)
    )


@jit(inline=True)
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


@jit(inline=True)
def aci_smith2021(so2, bc, oc, beta, s_so2, s_bc, s_oc):
    """Aerosol-cloud ERF before subtracting the baseline [W m-2].

    ``beta ln(1 + s_SO2 E_SO2 + s_BC E_BC + s_OC E_OC)`` (Smith et al. 2021, JGR 126,
    e2020JD033622; AR6 WGI Ch.7 ``ghan`` form); emissions in Mt yr-1.
    """
    return beta * vmath.log(1.0 + s_so2 * so2 + s_bc * bc + s_oc * oc)


# --------------------------------------------------------------------------------------
# Terms linear in the change since the first (pre-industrial) year
# --------------------------------------------------------------------------------------
# Emission changes are annual emissions minus those of the first year [Mt yr-1 of the species:
# SO2 as SO2, NOx as NO2, BC and OC as C]; concentration changes are annual means minus the
# first-year state [ppb CH4 and N2O, ppt EESC]. Coefficients: esm.params.forcing.


@jit(inline=True)
def ozone_thornhill2021(
    d_ch4,
    d_n2o,
    d_eesc,
    d_co,
    d_nmvoc,
    d_nox,
    temperature,
    s_ch4,
    s_n2o,
    s_eesc,
    s_co,
    s_nmvoc,
    s_nox,
    feedback,
    scale,
):
    """Tropospheric and stratospheric ozone ERF [W m-2] relative to the first year.

    ``scale (s_CH4 dCH4 + s_N2O dN2O + s_EESC dEESC + s_CO dE_CO + s_NMVOC dE_NMVOC
    + s_NOx dE_NOx) + feedback T``

    Parameters
    ----------
    d_ch4, d_n2o : float
        Concentration changes [ppb].
    d_eesc : float
        Change of equivalent effective stratospheric chlorine [ppt].
    d_co, d_nmvoc, d_nox : float
        Emission changes [Mt yr-1; NOx as NO2].
    temperature : float
        Global surface temperature change [K] (the model passes the previous year's).
    s_ch4, s_n2o, s_eesc : float
        Sensitivities [W m-2 ppb-1, W m-2 ppb-1, W m-2 ppt-1].
    s_co, s_nmvoc, s_nox : float
        Sensitivities [W m-2 (Mt yr-1)-1].
    feedback : float
        Ozone-climate feedback [W m-2 K-1] (negative).
    scale : float
        Scale factor on the emission and concentration part (not on the feedback).

    Notes
    -----
    Linear ozone emulator of AR6 WGI Chapter 7 (Forster et al. 2021,
    doi:10.1017/9781009157896.009) as in FaIR 2.1 (Leach et al. 2021, GMD 14, 3007; Smith et
    al. 2021), with sensitivities after Thornhill et al. (2021) ACP 21, 853,
    doi:10.5194/acp-21-853-2021, and Skeie et al. (2020); default values of the AR6 FaIR 2.1.0
    species file (esm.params.forcing).
    """
    return (
        scale
        * (
            s_ch4 * d_ch4
            + s_n2o * d_n2o
            + s_eesc * d_eesc
            + s_co * d_co
            + s_nmvoc * d_nmvoc
            + s_nox * d_nox
        )
        + feedback * temperature
    )


@jit(inline=True)
def ari_smith2021(
    d_so2,
    d_bc,
    d_oc,
    d_nh3,
    d_nox,
    d_nmvoc,
    d_ch4,
    d_n2o,
    d_eesc,
    s_so2,
    s_bc,
    s_oc,
    s_nh3,
    s_nox,
    s_nmvoc,
    s_ch4,
    s_n2o,
    s_eesc,
    scale,
):
    """Aerosol-radiation ERF (ERFari) [W m-2] relative to the first year.

    ``scale (s_SO2 dE_SO2 + s_BC dE_BC + s_OC dE_OC + s_NH3 dE_NH3 + s_NOx dE_NOx
    + s_NMVOC dE_NMVOC + s_CH4 dCH4 + s_N2O dN2O + s_EESC dEESC)``

    Parameters
    ----------
    d_so2, d_bc, d_oc, d_nh3, d_nox, d_nmvoc : float
        Emission changes [Mt yr-1; SO2 as SO2, BC and OC as C, NOx as NO2].
    d_ch4, d_n2o : float
        Concentration changes [ppb].
    d_eesc : float
        Change of equivalent effective stratospheric chlorine [ppt].
    s_so2, s_bc, s_oc, s_nh3, s_nox, s_nmvoc : float
        Radiative efficiencies [W m-2 (Mt yr-1)-1] (sulphate, BC, OC, nitrate from NH3 and
        NOx, secondary organic aerosol from NMVOC).
    s_ch4, s_n2o, s_eesc : float
        Radiative efficiencies [W m-2 ppb-1, W m-2 ppb-1, W m-2 ppt-1].
    scale : float
        Scale factor on the sum.

    Notes
    -----
    Linear ERFari of the AR6 WGI Chapter 7 emulator (Smith et al. 2021, JGR 126,
    e2020JD033622; FaIR 2.1, Leach et al. 2021, GMD 14, 3007); default radiative efficiencies
    of the AR6 FaIR 2.1.0 species file (esm.params.forcing).
    """
    return scale * (
        s_so2 * d_so2
        + s_bc * d_bc
        + s_oc * d_oc
        + s_nh3 * d_nh3
        + s_nox * d_nox
        + s_nmvoc * d_nmvoc
        + s_ch4 * d_ch4
        + s_n2o * d_n2o
        + s_eesc * d_eesc
    )


@jit(inline=True)
def h2o_stratospheric_ar6(d_ch4, s_ch4):
    """ERF of stratospheric water vapour from CH4 oxidation [W m-2]: ``s_CH4 dCH4``.

    ``d_ch4`` is the CH4 concentration change [ppb], ``s_ch4`` the ERF per ppb
    [W m-2 ppb-1]. Linear in the CH4 change as in the AR6 WGI Chapter 7 emulator (FaIR 2.1,
    Leach et al. 2021, GMD 14, 3007); the default coefficient (fair-calibrate v1.4.1 species
    file, Smith et al. 2024, GMD 17, 8569) gives the AR6 assessed 0.05 W m-2 for 1750-2019.
    """
    return s_ch4 * d_ch4


@jit(inline=True)
def contrails_ar6(d_nox_aviation, s_nox_aviation):
    """ERF of contrails and contrail cirrus [W m-2]: ``s dE_NOx,aviation``.

    ``d_nox_aviation`` is the change of aviation NOx emissions [Mt NO2 yr-1] (a proxy of air
    traffic), ``s_nox_aviation`` the ERF per emission [W m-2 (Mt NO2 yr-1)-1]. Linear as in the
    AR6 WGI Chapter 7 emulator (FaIR 2.1, Leach et al. 2021, GMD 14, 3007; Smith et al. 2021);
    default coefficient of the AR6 FaIR 2.1.0 species file (esm.params.forcing).
    """
    return s_nox_aviation * d_nox_aviation


@jit(inline=True)
def bc_on_snow_ar6(d_bc, s_bc):
    """ERF of light-absorbing particles on snow and ice [W m-2]: ``s_BC dE_BC``.

    ``d_bc`` is the change of black-carbon emissions [Mt C yr-1], ``s_bc`` the ERF per
    emission [W m-2 (Mt yr-1)-1]. Linear as in the AR6 WGI Chapter 7 emulator (FaIR 2.1,
    Leach et al. 2021, GMD 14, 3007; Smith et al. 2021); default coefficient of the AR6
    FaIR 2.1.0 species file (esm.params.forcing).
    """
    return s_bc * d_bc


@jit(inline=True)
def land_use_albedo_ar6(cumulative_landuse, s_landuse):
    """Land-use albedo (and irrigation) ERF [W m-2]: ``s C_LUC``.

    ``cumulative_landuse`` is the cumulative land-use CO2 emission since the first year [GtC]
    (the model passes its annual mean: the start-of-year total plus half the year's
    emission), ``s_landuse`` the ERF per GtC [W m-2 GtC-1] (negative). Linear in cumulative
    land-use CO2 emissions as in the AR6 WGI Chapter 7 emulator (FaIR 2.1, Leach et al. 2021,
    GMD 14, 3007; AR6 coefficient -0.00028729 W m-2 per GtCO2); the default coefficient is
    calibrated to the AR6 2019 ERF of -0.2 W m-2 (esm.params.forcing).
    """
    return s_landuse * cumulative_landuse


@jit
def prepare(
    co2_pi,
    ch4_pi,
    n2o_pi,
    so2_0,
    bc_0,
    oc_0,
    aci_beta,
    aci_so2,
    aci_bc,
    aci_oc,
    erf_scale_co2,
    adjustment_co2,
    switch_co2_radiative,
):
    """The per-member constants :data:`CONSTANTS`, in order: the SARF of CO2, CH4 and N2O and
    the aerosol-cloud term of the first year (subtracted so that ERF starts at 0) [W m-2], and
    the factor from CO2 SARF to ERF (scale x (1 + adjustment) x radiative switch) [1]."""
    return (
        co2_sarf_meinshausen2020(co2_pi, n2o_pi),
        ch4_sarf_meinshausen2020(ch4_pi, n2o_pi),
        n2o_sarf_meinshausen2020(co2_pi, ch4_pi, n2o_pi),
        aci_smith2021(so2_0, bc_0, oc_0, aci_beta, aci_so2, aci_bc, aci_oc),
        erf_scale_co2 * (1.0 + adjustment_co2) * switch_co2_radiative,
    )
