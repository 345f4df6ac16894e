"""Time integration of one member, and the parallel loop over members.

Order of operations in each year (states at the start of the year, ``T_prev`` = previous
year's mean surface temperature; FaIR 2 ``run()`` ordering):

1. gas cycles of CH4, N2O and the 40 halogenated gases over the whole year (exact
   exponential, lifetimes from the start-of-year state, ``T_prev``);
2. non-CO2 ERF from the annual-mean concentrations, the year's emissions and ``T_prev``
   (held constant through the year), plus solar and volcanic forcing;
3. ``n_sub`` sub-steps of the coupled carbon cycle and energy balance: land pools (backward
   Euler), permafrost thaw and decomposition (exact exponentials for the start-of-year
   temperature, ``esm.kernels.permafrost``), implicit air-sea flux and mixed-layer response,
   atmospheric CO2 box, CO2 ERF from the end-of-sub-step CO2, exact EBM step;
4. annual means of states (trapezoid over the sub-steps) and annual totals of fluxes.

Permafrost carbon is part of the natural carbon cycle: its CO2 enters the atmospheric CO2 box
like an emission within each sub-step (it is not counted in ``cumulative_emissions_co2``). Its
CH4 is added to the CH4 source of the gas cycle, which runs at the start of the year, so the gas
cycle of year y uses the permafrost CH4 emitted in year y - 1 (a one-year lag, small against
the 9-12 yr CH4 lifetime). The carbon emitted as CH4 leaves the CO2 budget: its oxidation to
CO2 is neglected, as FaIR does for natural CH4, so ``carbon_residual`` counts it as a sink.

In concentration-driven years (``co2_target[y]`` finite) step 3 is repeated with trial fossil
emissions (secant iterations) until the CO2 at the end of the year equals ``co2_target[y]``;
the compatible fossil emissions are written to ``emissions_co2_fossil``. Because a
concentration-driven year *is* an emission-driven year with those emissions, re-running the
diagnosed emissions reproduces the CO2 path to the solver tolerance.

Layout: every state slot, parameter and output used here is declared by name in the process
module it belongs to (``STATE``, ``PARAMS``, ``OUTPUTS``; :mod:`esm.kernels.layout` numbers
them). The ERF terms of step 2 are declared in :mod:`esm.kernels.forcing`, whose functions give
their formulas (this module applies the scale factors and baselines of the SARF terms). What
this module computes itself, with no process module (the atmospheric CO2 box, the carbon-budget
accumulators and diagnostics, the carbon-climate coupling switches, the status codes), is
declared in :mod:`esm.kernels.coupling`: not here, because this module imports the layout
generated from the declarations.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from esm.constants import (
    EARTH_AREA,
    GTC_PER_PPM,
    JOULES_PER_ZJ,
    MOLES_AIR,
    OCEAN_HEAT_FRACTION,
    SECONDS_PER_YEAR,
    TG_PER_PPB_CH4,
    TG_PER_PPB_N2O,
)
from esm.kernels import layout as L
from esm.kernels._jit import jit
from esm.kernels.ebm import ebm_operators
from esm.kernels.forcing import (
    aci_smith2021,
    ari_smith2021,
    bc_on_snow_ar6,
    ch4_sarf_meinshausen2020,
    co2_sarf_meinshausen2020,
    contrails_ar6,
    h2o_stratospheric_ar6,
    halogen_erf,
    land_use_albedo_ar6,
    n2o_sarf_meinshausen2020,
    ozone_thornhill2021,
)
from esm.kernels.gases import ch4_lifetime_factor, eesc, one_box_step
from esm.kernels.land import (
    net_primary_production,
    pool_step,
    remove_landuse,
    respiration_factor,
    steady_state_pools,
)
from esm.kernels.ocean import (
    POLYNOMIAL_PCO2_LIMIT,
    advance_boxes,
    dic_per_ppm,
    implicit_air_sea_flux,
    propagators,
    response_sum,
    surface_pco2,
)
from esm.kernels.permafrost import (
    MT_CH4_PER_GTC,
    local_warming,
    step_constants,
    step_factors,
    substep,
)

#: Heat content [W yr m-2] to ocean heat content [ZJ].
_HEAT_TO_ZJ = OCEAN_HEAT_FRACTION * EARTH_AREA * SECONDS_PER_YEAR / JOULES_PER_ZJ

# accumulator slots of one year of sub-steps
_A_CO2 = 0
_A_T1 = 1
_A_T2 = 2
_A_T3 = 3
_A_ERF_CO2 = 4
_A_OCEAN = 5
_A_LAND = 6
_A_NPP = 7
_A_RH = 8
_A_DIC = 9
_A_PCO2 = 10
_A_TOA = 11
_A_VEG = 12
_A_DET = 13
_A_SOIL = 14
_A_HEAT = 15
_A_OCEAN_C = 16
_A_CUM = 17
_A_PCO2_MAX = 18
_A_NEG = 19
_A_PF_CO2 = 20
_A_PF_CH4 = 21
_A_PF_FROZEN = 22
_A_PF_THAWED = 23
_A_PF_FRACTION = 24
N_ACC = 25

# scalar constants of one member precomputed by _prepare()
_C_L0 = 0  # total pre-industrial land carbon [GtC]
_C_DIC_PER_PPM = 1
_C_DIC_PER_FLUX = 2  # DIC added by a unit flux over one sub-step [umol kg-1 / (ppm yr-1)]
_C_CO2_SARF0 = 3
_C_CH4_SARF0 = 4
_C_N2O_SARF0 = 5
_C_ACI0 = 6
_C_CH4_NATURAL = 7  # Tg CH4 yr-1
_C_N2O_NATURAL = 8  # Tg N2O yr-1
_C_PF_CURVE = 9  # permafrost step constants (esm.kernels.permafrost.step_constants)
_C_PF_GK = 10
_C_PF_INV_K = 11
_C_PF_RELAX_THAW = 12
_C_PF_RELAX_FROZ = 13
N_CONST = 14


@jit
def _pools_pi(p):
    """Pre-industrial steady-state land pools (vegetation, detritus, soil) [GtC] of member p."""
    return steady_state_pools(
        p[L.P_NPP_PI],
        p[L.P_NPP_FRACTION_VEGETATION],
        p[L.P_NPP_FRACTION_DETRITUS],
        p[L.P_LITTERFALL_FRACTION_DETRITUS],
        p[L.P_VEGETATION_TURNOVER_RATE],
        p[L.P_DETRITUS_RESPIRATION_RATE],
        p[L.P_DETRITUS_TO_SOIL_RATE],
        p[L.P_SOIL_RESPIRATION_RATE],
    )


@jit
def _prepare(p, emis0, n_sub, decay, gain, phi, gamma):
    """Per-member precomputation: steady state, propagators, EBM operators, CH4/N2O sources."""
    c = np.zeros(N_CONST)
    dt = 1.0 / n_sub
    veg, det, soil = _pools_pi(p)
    c[_C_L0] = veg + det + soil
    c[_C_DIC_PER_PPM] = dic_per_ppm(p[L.P_OCEAN_MIXED_LAYER_DEPTH], p[L.P_OCEAN_AREA])
    w = propagators(dt, p[L.P_OCEAN_MIXING_TIME_SCALE], decay, gain)
    c[_C_DIC_PER_FLUX] = c[_C_DIC_PER_PPM] * w
    phi_, gamma_ = ebm_operators(
        p[L.P_CLIMATE_FEEDBACK],
        p[L.P_HEAT_CAPACITY_SURFACE],
        p[L.P_HEAT_CAPACITY_INTERMEDIATE],
        p[L.P_HEAT_CAPACITY_DEEP],
        p[L.P_HEAT_EXCHANGE_SURFACE_INTERMEDIATE],
        p[L.P_HEAT_EXCHANGE_INTERMEDIATE_DEEP],
        p[L.P_DEEP_OCEAN_EFFICACY],
        dt,
    )
    phi[:, :] = phi_
    gamma[:] = gamma_
    co2_pi, ch4_pi, n2o_pi = p[L.P_CO2_PI], p[L.P_CH4_PI], p[L.P_N2O_PI]
    c[_C_CO2_SARF0] = co2_sarf_meinshausen2020(co2_pi, n2o_pi)
    c[_C_CH4_SARF0] = ch4_sarf_meinshausen2020(ch4_pi, n2o_pi)
    c[_C_N2O_SARF0] = n2o_sarf_meinshausen2020(co2_pi, ch4_pi, n2o_pi)
    c[_C_ACI0] = aci_smith2021(
        emis0[L.E_SO2],
        emis0[L.E_BC],
        emis0[L.E_OC],
        p[L.P_ACI_BETA],
        p[L.P_ACI_SO2],
        p[L.P_ACI_BC],
        p[L.P_ACI_OC],
    )
    # natural sources that hold the first year at steady state
    c[_C_CH4_NATURAL] = ch4_pi * TG_PER_PPB_CH4 / p[L.P_CH4_LIFETIME_PI] - emis0[L.E_CH4]
    c[_C_N2O_NATURAL] = n2o_pi * TG_PER_PPB_N2O / p[L.P_N2O_LIFETIME_PI] - emis0[L.E_N2O]
    pf = step_constants(
        dt,
        p[L.P_PERMAFROST_THAW_MIN_FRACTION],
        p[L.P_PERMAFROST_THAW_SENSITIVITY],
        p[L.P_PERMAFROST_THAW_SHAPE],
        p[L.P_PERMAFROST_THAW_RATE],
        p[L.P_PERMAFROST_REFREEZE_RATE],
    )
    c[_C_PF_CURVE], c[_C_PF_GK], c[_C_PF_INV_K], c[_C_PF_RELAX_THAW], c[_C_PF_RELAX_FROZ] = pf
    return c


@jit
def _carbon_climate_year(
    s, e_fos, e_luc, f_other, n2o_mean, p, c, n_sub, decay, gain, phi, gamma, acc
):
    """Advance carbon cycle, CO2 forcing and EBM through one year of ``n_sub`` sub-steps.

    ``s`` (state) is updated in place; ``acc`` receives annual means / totals.
    ``f_other`` [W m-2] is all non-CO2 ERF (constant through the year).
    """
    dt = 1.0 / n_sub
    acc[:] = 0.0
    co2_pi = p[L.P_CO2_PI]
    sees_co2 = p[L.P_SWITCH_CARBON_CYCLE_SEES_CO2]
    sees_warming = p[L.P_SWITCH_CARBON_CYCLE_SEES_WARMING]
    beta = p[L.P_CO2_FERTILISATION] * p[L.P_SWITCH_CO2_FERTILISATION]
    q10 = p[L.P_RESPIRATION_Q10]
    if p[L.P_SWITCH_RESPIRATION_TEMPERATURE] < 0.5:
        q10 = 1.0
    kg = 1.0 / p[L.P_OCEAN_GAS_EXCHANGE_TIME]
    erf_co2_factor = (
        p[L.P_ERF_SCALE_CO2] * (1.0 + p[L.P_ADJUSTMENT_CO2]) * p[L.P_SWITCH_CO2_RADIATIVE]
    )
    cap1 = p[L.P_HEAT_CAPACITY_SURFACE]
    cap2 = p[L.P_HEAT_CAPACITY_INTERMEDIATE]
    cap3 = p[L.P_HEAT_CAPACITY_DEEP]
    boxes = s[L.S_OCEAN_BOX0 : L.S_OCEAN_BOX0 + L.N_OCEAN_BOXES]
    permafrost_on = p[L.P_SWITCH_PERMAFROST] > 0.5
    f_ch4 = p[L.P_PERMAFROST_CH4_FRACTION]
    f_fast = p[L.P_PERMAFROST_FAST_FRACTION]
    # permafrost: factors of this year's sub-steps at the start-of-year temperature
    pf_eq, pf_relax, pf_keep_fast, pf_keep_slow = 0.0, 1.0, 1.0, 1.0
    if permafrost_on:
        pf_eq, pf_relax, pf_keep_fast, pf_keep_slow = step_factors(
            local_warming(
                s[L.S_TEMPERATURE_SURFACE] * sees_warming, p[L.P_PERMAFROST_WARMING_AMPLIFICATION]
            ),
            s[L.S_PERMAFROST_THAWED_FRACTION],
            dt,
            p[L.P_PERMAFROST_THAW_MIN_FRACTION],
            c[_C_PF_CURVE],
            c[_C_PF_GK],
            c[_C_PF_INV_K],
            c[_C_PF_RELAX_THAW],
            c[_C_PF_RELAX_FROZ],
            p[L.P_PERMAFROST_FAST_TURNOVER_TIME],
            p[L.P_PERMAFROST_SLOW_TURNOVER_TIME],
            p[L.P_PERMAFROST_RESPIRATION_SENSITIVITY],
        )
    half = 0.5 / n_sub
    for _ in range(n_sub):
        dco2 = s[L.S_CO2_PERTURBATION]
        t1 = s[L.S_TEMPERATURE_SURFACE]
        t2 = s[L.S_TEMPERATURE_INTERMEDIATE]
        t3 = s[L.S_TEMPERATURE_DEEP]
        veg, det, soil = s[L.S_CARBON_VEGETATION], s[L.S_CARBON_DETRITUS], s[L.S_CARBON_SOIL]
        heat0 = cap1 * t1 + cap2 * t2 + cap3 * t3
        ocean_c0 = s[L.S_OCEAN_UPTAKE] * GTC_PER_PPM
        cum0 = s[L.S_CUMULATIVE_EMISSIONS]
        t_carbon = t1 * sees_warming
        co2_carbon = co2_pi + dco2 * sees_co2
        # land: NPP at the start of the step, land-use removal, pool cascade
        luc_factor = 1.0 - s[L.S_CUMULATIVE_LANDUSE] / c[_C_L0]
        npp = net_primary_production(
            p[L.P_NPP_PI], beta, p[L.P_CO2_FERTILISATION_SATURATION], co2_carbon, co2_pi, luc_factor
        )
        q = respiration_factor(q10, t_carbon)
        veg, det, soil = remove_landuse(veg, det, soil, e_luc * dt)
        veg, det, soil, rh = pool_step(
            veg,
            det,
            soil,
            npp,
            q,
            dt,
            p[L.P_NPP_FRACTION_VEGETATION],
            p[L.P_NPP_FRACTION_DETRITUS],
            p[L.P_LITTERFALL_FRACTION_DETRITUS],
            p[L.P_VEGETATION_TURNOVER_RATE],
            p[L.P_DETRITUS_RESPIRATION_RATE],
            p[L.P_DETRITUS_TO_SOIL_RATE],
            p[L.P_SOIL_RESPIRATION_RATE],
        )
        land_flux = npp - rh / dt  # GtC yr-1, natural land sink
        # permafrost: thaw and decomposition (exact for the start-of-year temperature)
        pf_co2 = 0.0  # GtC yr-1
        pf_ch4 = 0.0  # GtC yr-1
        if permafrost_on:
            frozen, fast, slow, frac, released = substep(
                s[L.S_PERMAFROST_FROZEN],
                s[L.S_PERMAFROST_THAWED_FAST],
                s[L.S_PERMAFROST_THAWED_SLOW],
                s[L.S_PERMAFROST_THAWED_FRACTION],
                pf_eq,
                pf_relax,
                pf_keep_fast,
                pf_keep_slow,
                f_fast,
            )
            s[L.S_PERMAFROST_FROZEN] = frozen
            s[L.S_PERMAFROST_THAWED_FAST] = fast
            s[L.S_PERMAFROST_THAWED_SLOW] = slow
            s[L.S_PERMAFROST_THAWED_FRACTION] = frac
            released_ch4 = f_ch4 * released
            pf_co2 = (released - released_ch4) / dt
            pf_ch4 = released_ch4 / dt
            s[L.S_CUMULATIVE_PERMAFROST_CH4] += released_ch4
        # ocean: implicit air-sea flux
        dic0 = c[_C_DIC_PER_PPM] * response_sum(boxes, s[L.S_OCEAN_UPTAKE], decay)
        g0, g1 = surface_pco2(
            dic0,
            t_carbon * p[L.P_OCEAN_SURFACE_WARMING_RATIO],
            co2_pi,
            p[L.P_OCEAN_CHEMISTRY_TEMPERATURE],
            p[L.P_OCEAN_PCO2_TEMPERATURE_SENSITIVITY],
            p[L.P_SWITCH_CARBONATE_CHEMISTRY],
            p[L.P_SWITCH_OCEAN_SOLUBILITY_TEMPERATURE],
        )
        free = (e_fos + e_luc - land_flux + pf_co2) * dt / GTC_PER_PPM  # ppm without the ocean
        flux = implicit_air_sea_flux(
            (dco2 + free) * sees_co2, dt * sees_co2, c[_C_DIC_PER_FLUX], kg, g0, g1
        )
        advance_boxes(boxes, flux, dt, decay, gain)
        s[L.S_OCEAN_UPTAKE] += flux * dt
        dco2_new = dco2 + free - flux * dt
        dic_new = dic0 + flux * c[_C_DIC_PER_FLUX]
        pco2_new = g0 + g1 * flux * c[_C_DIC_PER_FLUX]
        # CO2 forcing and energy balance
        co2_new = co2_pi + dco2_new
        erf_co2 = erf_co2_factor * (co2_sarf_meinshausen2020(co2_new, n2o_mean) - c[_C_CO2_SARF0])
        forcing = f_other + erf_co2
        n1 = phi[0, 0] * t1 + phi[0, 1] * t2 + phi[0, 2] * t3 + gamma[0] * forcing
        n2 = phi[1, 0] * t1 + phi[1, 1] * t2 + phi[1, 2] * t3 + gamma[1] * forcing
        n3 = phi[2, 0] * t1 + phi[2, 1] * t2 + phi[2, 2] * t3 + gamma[2] * forcing
        # store
        s[L.S_CO2_PERTURBATION] = dco2_new
        s[L.S_CARBON_VEGETATION], s[L.S_CARBON_DETRITUS], s[L.S_CARBON_SOIL] = veg, det, soil
        s[L.S_CUMULATIVE_LANDUSE] += e_luc * dt
        s[L.S_CUMULATIVE_EMISSIONS] += (e_fos + e_luc) * dt
        s[L.S_CUMULATIVE_OCEAN_SINK] += flux * GTC_PER_PPM * dt
        s[L.S_CUMULATIVE_LAND_SINK] += land_flux * dt
        s[L.S_TEMPERATURE_SURFACE] = n1
        s[L.S_TEMPERATURE_INTERMEDIATE] = n2
        s[L.S_TEMPERATURE_DEEP] = n3
        heat1 = cap1 * n1 + cap2 * n2 + cap3 * n3
        # accumulate: trapezoid means of states, totals of fluxes
        acc[_A_CO2] += half * (2.0 * co2_pi + dco2 + dco2_new)
        acc[_A_T1] += half * (t1 + n1)
        acc[_A_T2] += half * (t2 + n2)
        acc[_A_T3] += half * (t3 + n3)
        acc[_A_ERF_CO2] += erf_co2 * dt
        acc[_A_OCEAN] += flux * GTC_PER_PPM * dt
        acc[_A_LAND] += land_flux * dt
        acc[_A_NPP] += npp * dt
        acc[_A_RH] += rh
        acc[_A_DIC] += dic_new * dt
        acc[_A_PCO2] += pco2_new * dt
        acc[_A_TOA] += heat1 - heat0  # dH/dt = N exactly; annual mean N = dH over the year
        acc[_A_VEG] += veg * dt
        acc[_A_DET] += det * dt
        acc[_A_SOIL] += soil * dt
        acc[_A_HEAT] += half * (heat0 + heat1)
        acc[_A_OCEAN_C] += half * (ocean_c0 + s[L.S_OCEAN_UPTAKE] * GTC_PER_PPM)
        acc[_A_CUM] += half * (cum0 + s[L.S_CUMULATIVE_EMISSIONS])
        acc[_A_PCO2_MAX] = max(acc[_A_PCO2_MAX], pco2_new)
        acc[_A_PF_CO2] += pf_co2 * dt
        acc[_A_PF_CH4] += pf_ch4 * dt
        acc[_A_PF_FROZEN] += s[L.S_PERMAFROST_FROZEN] * dt
        acc[_A_PF_THAWED] += (s[L.S_PERMAFROST_THAWED_FAST] + s[L.S_PERMAFROST_THAWED_SLOW]) * dt
        acc[_A_PF_FRACTION] += s[L.S_PERMAFROST_THAWED_FRACTION] * dt
        if veg < 0.0 or det < 0.0 or soil < 0.0 or co2_new <= 0.0 or npp < 0.0:
            acc[_A_NEG] = 1.0
        if (
            s[L.S_PERMAFROST_FROZEN] < 0.0
            or s[L.S_PERMAFROST_THAWED_FAST] < 0.0
            or s[L.S_PERMAFROST_THAWED_SLOW] < 0.0
        ):
            acc[_A_NEG] = 1.0


#: Columns of the member-independent halogen series computed by :func:`halogen_series`.
HS_DEESC_START = 0  # EESC change at the start of the year [ppt]
HS_DEESC_MEAN = 1  # EESC change, annual mean [ppt]
HS_ERF = 2  # ERF of the halogenated gases before scaling [W m-2]
HS_EESC_MEAN = 3  # EESC, annual mean [ppt]
N_HS = 4


@jit
def halogen_series(emis, halo, out, emis0, conc_init, conc_final):
    """Halogenated gases of one emission set: EESC and unscaled ERF per year, out[year, k].

    Their lifetimes and properties do not depend on the member's parameters or climate, so
    they are computed once per emission set and shared by every member (natural sources hold
    the pre-industrial emissions ``emis0`` at the baseline concentrations, as for CH4 and N2O).
    The concentrations start at ``conc_init`` [ppt] (NaN in its first element: the baseline)
    and end in ``conc_final`` (for a restart).
    """
    n = L.N_HALOGENS
    mass = np.empty(n)
    decay = np.empty(n)
    natural = np.empty(n)
    for i in range(n):
        mass[i] = MOLES_AIR * halo[i, L.H_MOLECULAR_WEIGHT] * 1e-21  # kt per ppt
        decay[i] = math.exp(-1.0 / halo[i, L.H_LIFETIME])
        natural[i] = (
            halo[i, L.H_BASELINE] * mass[i] / halo[i, L.H_LIFETIME] - emis0[L.E_HALOGEN0 + i]
        )
    cl = halo[:, L.H_CL_ATOMS]
    br = halo[:, L.H_BR_ATOMS]
    fr = halo[:, L.H_FRACTIONAL_RELEASE]
    base = halo[:, L.H_BASELINE]
    eesc0 = eesc(base, cl, br, fr)
    conc = base.copy() if math.isnan(conc_init[0]) else conc_init.copy()
    mean = np.empty(n)
    for y in range(emis.shape[0]):
        out[y, HS_DEESC_START] = eesc(conc, cl, br, fr) - eesc0
        for i in range(n):
            tau = halo[i, L.H_LIFETIME]
            x_eq = (emis[y, L.E_HALOGEN0 + i] + natural[i]) * tau / mass[i]
            dev = conc[i] - x_eq
            mean[i] = x_eq + dev * tau * (1.0 - decay[i])
            conc[i] = x_eq + dev * decay[i]
        out[y, HS_EESC_MEAN] = eesc(mean, cl, br, fr)
        out[y, HS_DEESC_MEAN] = out[y, HS_EESC_MEAN] - eesc0
        out[y, HS_ERF] = halogen_erf(
            mean, base, halo[:, L.H_RADIATIVE_EFFICIENCY], halo[:, L.H_ADJUSTMENT]
        )
    conc_final[:] = conc


#: Restart vector of one member: the kernel state (layout.STATE_NAMES) followed by the values
#: carried from one year to the next outside it.
R_T_PREV = L.N_STATE  # GSAT of the previous year [K] (CH4 lifetime, ozone)
R_PF_CH4_PREV = L.N_STATE + 1  # permafrost CH4 of the previous year [Mt CH4 yr-1]
R_E_FOS_GUESS = L.N_STATE + 2  # first guess of the concentration-driven emission solver
N_RESTART = L.N_STATE + 3


@jit
def integrate_member(
    emis, natural, co2_target, p, hseries, n_sub, out, out_cols, emis0, init, final
):
    """Integrate one member over all years; returns a status code (bit flags, layout.STATUS_*).

    Parameters
    ----------
    emis : float64[n_years, N_SPECIES]
        Anthropogenic emissions in internal units (GtC yr-1 for CO2, Mt yr-1, kt yr-1), flux
        over each year. The first year defines the pre-industrial (steady) state.
    natural : float64[n_years, 2]
        Solar and volcanic ERF [W m-2], annual means.
    co2_target : float64[n_years]
        CO2 [ppm] at the end of each year for concentration-driven years; NaN where the year is
        emission-driven.
    p : float64[N_PARAMS]
        Parameters in ``layout.PARAM_NAMES`` order.
    hseries : float64[n_years, N_HS]
        Halogen series of this emission set (:func:`halogen_series`).
    n_sub : int
        Carbon-cycle / EBM sub-steps per year.
    out : float64[n_years, n_cols]
        Output array filled in place.
    out_cols : int64[N_OUT]
        Column of ``out`` for each kernel output (``layout.OUT_NAMES``), -1 to skip it.
    emis0 : float64[N_SPECIES]
        Pre-industrial emissions (those of the first year of the original run).
    init : float64[N_RESTART]
        Restart vector to start from; NaN in its first element: the pre-industrial steady state.
    final : float64[N_RESTART]
        Receives the restart vector after the last year.
    """
    n_years = emis.shape[0]
    status = L.STATUS_OK
    decay = np.empty(L.N_OCEAN_BOXES)
    gain = np.empty(L.N_OCEAN_BOXES)
    phi = np.empty((3, 3))
    gamma = np.empty(3)
    c = _prepare(p, emis0, n_sub, decay, gain, phi, gamma)

    s = np.zeros(L.N_STATE)
    trial = np.zeros(L.N_STATE)
    acc = np.zeros(N_ACC)
    row = np.zeros(L.N_OUT)
    veg0, det0, soil0 = _pools_pi(p)
    s[L.S_CARBON_VEGETATION], s[L.S_CARBON_DETRITUS], s[L.S_CARBON_SOIL] = veg0, det0, soil0
    s[L.S_CH4] = p[L.P_CH4_PI]
    s[L.S_N2O] = p[L.P_N2O_PI]
    s[L.S_PERMAFROST_FROZEN] = p[L.P_PERMAFROST_CARBON_PI]

    co2_pi, ch4_pi, n2o_pi = p[L.P_CO2_PI], p[L.P_CH4_PI], p[L.P_N2O_PI]
    t_prev = 0.0
    pf_ch4_prev = 0.0  # permafrost CH4 of the previous year [Mt CH4 yr-1]
    e_fos_guess = emis0[L.E_CO2_FOSSIL]
    if not math.isnan(init[0]):  # restart
        s[:] = init[: L.N_STATE]
        t_prev = init[R_T_PREV]
        pf_ch4_prev = init[R_PF_CH4_PREV]
        e_fos_guess = init[R_E_FOS_GUESS]
    for y in range(n_years):
        e = emis[y]
        # ---- 1. gas cycles -------------------------------------------------------------
        alpha = 1.0
        if p[L.P_SWITCH_CH4_LIFETIME] > 0.5:
            alpha = ch4_lifetime_factor(
                s[L.S_CH4] - ch4_pi,
                s[L.S_N2O] - n2o_pi,
                e[L.E_NOX] - emis0[L.E_NOX],
                e[L.E_NMVOC] - emis0[L.E_NMVOC],
                hseries[y, HS_DEESC_START],
                t_prev,
                p[L.P_CH4_LIFETIME_CH4_SENSITIVITY],
                p[L.P_CH4_LIFETIME_N2O_SENSITIVITY],
                p[L.P_CH4_LIFETIME_NOX_SENSITIVITY],
                p[L.P_CH4_LIFETIME_NMVOC_SENSITIVITY],
                p[L.P_CH4_LIFETIME_EESC_SENSITIVITY],
                p[L.P_CH4_LIFETIME_TEMPERATURE_SENSITIVITY],
            )
            if not math.isfinite(alpha):
                status |= L.STATUS_LIFETIME_RANGE
        tau_ch4 = p[L.P_CH4_LIFETIME_PI] * alpha
        ch4_end, ch4_mean = one_box_step(
            s[L.S_CH4], e[L.E_CH4] + c[_C_CH4_NATURAL] + pf_ch4_prev, tau_ch4, TG_PER_PPB_CH4, 1.0
        )
        tau_n2o = p[L.P_N2O_LIFETIME_PI] * (s[L.S_N2O] / n2o_pi) ** p[L.P_N2O_LIFETIME_N2O_EXPONENT]
        n2o_end, n2o_mean = one_box_step(
            s[L.S_N2O], e[L.E_N2O] + c[_C_N2O_NATURAL], tau_n2o, TG_PER_PPB_N2O, 1.0
        )
        deesc = hseries[y, HS_DEESC_MEAN]
        dch4 = ch4_mean - ch4_pi
        dn2o = n2o_mean - n2o_pi
        # ---- 2. non-CO2 forcing ---------------------------------------------------------
        # (parameters, outputs and formulas: esm.kernels.forcing)
        co2_for_n2o = co2_pi + s[L.S_CO2_PERTURBATION] * p[L.P_SWITCH_CO2_RADIATIVE]
        erf_ch4 = (
            p[L.P_ERF_SCALE_CH4]
            * (1.0 + p[L.P_ADJUSTMENT_CH4])
            * (ch4_sarf_meinshausen2020(ch4_mean, n2o_mean) - c[_C_CH4_SARF0])
        )
        erf_n2o = (
            p[L.P_ERF_SCALE_N2O]
            * (1.0 + p[L.P_ADJUSTMENT_N2O])
            * (n2o_sarf_meinshausen2020(co2_for_n2o, ch4_mean, n2o_mean) - c[_C_N2O_SARF0])
        )
        erf_hal = p[L.P_ERF_SCALE_HALOGENS] * hseries[y, HS_ERF]
        de_so2 = e[L.E_SO2] - emis0[L.E_SO2]
        de_bc = e[L.E_BC] - emis0[L.E_BC]
        de_oc = e[L.E_OC] - emis0[L.E_OC]
        de_nh3 = e[L.E_NH3] - emis0[L.E_NH3]
        de_nox = e[L.E_NOX] - emis0[L.E_NOX]
        de_nmvoc = e[L.E_NMVOC] - emis0[L.E_NMVOC]
        de_co = e[L.E_CO] - emis0[L.E_CO]
        erf_o3 = ozone_thornhill2021(
            dch4,
            dn2o,
            deesc,
            de_co,
            de_nmvoc,
            de_nox,
            t_prev,
            p[L.P_OZONE_CH4],
            p[L.P_OZONE_N2O],
            p[L.P_OZONE_EESC],
            p[L.P_OZONE_CO],
            p[L.P_OZONE_NMVOC],
            p[L.P_OZONE_NOX],
            p[L.P_OZONE_TEMPERATURE_FEEDBACK],
            p[L.P_ERF_SCALE_OZONE],
        )
        erf_ari = ari_smith2021(
            de_so2,
            de_bc,
            de_oc,
            de_nh3,
            de_nox,
            de_nmvoc,
            dch4,
            dn2o,
            deesc,
            p[L.P_ARI_SO2],
            p[L.P_ARI_BC],
            p[L.P_ARI_OC],
            p[L.P_ARI_NH3],
            p[L.P_ARI_NOX],
            p[L.P_ARI_NMVOC],
            p[L.P_ARI_CH4],
            p[L.P_ARI_N2O],
            p[L.P_ARI_EESC],
            p[L.P_ERF_SCALE_ARI],
        )
        erf_aci = (
            aci_smith2021(
                e[L.E_SO2],
                e[L.E_BC],
                e[L.E_OC],
                p[L.P_ACI_BETA],
                p[L.P_ACI_SO2],
                p[L.P_ACI_BC],
                p[L.P_ACI_OC],
            )
            - c[_C_ACI0]
        )
        erf_h2o = h2o_stratospheric_ar6(dch4, p[L.P_H2O_STRATOSPHERIC_CH4])
        erf_contrails = contrails_ar6(
            e[L.E_NOX_AVIATION] - emis0[L.E_NOX_AVIATION], p[L.P_CONTRAILS_NOX_AVIATION]
        )
        erf_snow = bc_on_snow_ar6(de_bc, p[L.P_BC_ON_SNOW_BC])
        # annual mean of the cumulative land-use emissions: start of the year + half the year's
        cum_landuse = s[L.S_CUMULATIVE_LANDUSE] + 0.5 * e[L.E_CO2_LANDUSE]
        erf_lu = land_use_albedo_ar6(cum_landuse, p[L.P_LAND_USE_ALBEDO])
        erf_solar = p[L.P_ERF_SCALE_SOLAR] * natural[y, L.N_SOLAR]
        erf_volc = p[L.P_ERF_SCALE_VOLCANIC] * natural[y, L.N_VOLCANIC]
        f_other = (
            erf_ch4
            + erf_n2o
            + erf_hal
            + erf_o3
            + erf_ari
            + erf_aci
            + erf_h2o
            + erf_contrails
            + erf_snow
            + erf_lu
            + erf_solar
            + erf_volc
        )
        # ---- 3. carbon cycle and energy balance ---------------------------------------
        e_luc = e[L.E_CO2_LANDUSE]
        e_fos = e[L.E_CO2_FOSSIL]
        co2_start = s[L.S_CO2_PERTURBATION]
        target = co2_target[y]
        if math.isfinite(target):
            # secant iterations on the fossil emissions for the end-of-year CO2
            x0 = e_fos_guess
            trial[:] = s
            _carbon_climate_year(
                trial, x0, e_luc, f_other, n2o_mean, p, c, n_sub, decay, gain, phi, gamma, acc
            )
            f0 = trial[L.S_CO2_PERTURBATION] + co2_pi - target
            x1 = x0 + 1.0
            converged = False
            for _ in range(30):
                trial[:] = s
                _carbon_climate_year(
                    trial, x1, e_luc, f_other, n2o_mean, p, c, n_sub, decay, gain, phi, gamma, acc
                )
                e_fos = x1  # the emissions `trial` and `acc` correspond to
                f1 = trial[L.S_CO2_PERTURBATION] + co2_pi - target
                if abs(f1) < 1e-10 * max(1.0, abs(target)):
                    converged = True
                    break
                if f1 == f0:
                    break
                x0, x1, f0 = x1, x1 - f1 * (x1 - x0) / (f1 - f0), f1
            if not converged:
                status |= L.STATUS_CONC_SOLVER
            e_fos_guess = e_fos
            s[:] = trial
        else:
            _carbon_climate_year(
                s, e_fos, e_luc, f_other, n2o_mean, p, c, n_sub, decay, gain, phi, gamma, acc
            )
        s[L.S_CH4] = ch4_end
        s[L.S_N2O] = n2o_end
        t_prev = acc[_A_T1]
        pf_ch4_prev = acc[_A_PF_CH4] * MT_CH4_PER_GTC
        # ---- 4. outputs -----------------------------------------------------------------
        erf_co2 = acc[_A_ERF_CO2]
        row[L.O_CO2] = acc[_A_CO2]
        row[L.O_CH4] = ch4_mean
        row[L.O_N2O] = n2o_mean
        row[L.O_TEMPERATURE] = acc[_A_T1]
        row[L.O_TEMPERATURE_INTERMEDIATE] = acc[_A_T2]
        row[L.O_TEMPERATURE_DEEP] = acc[_A_T3]
        row[L.O_ERF] = f_other + erf_co2
        row[L.O_ERF_CO2] = erf_co2
        row[L.O_ERF_CH4] = erf_ch4
        row[L.O_ERF_N2O] = erf_n2o
        row[L.O_ERF_HALOGENS] = erf_hal
        row[L.O_ERF_OZONE] = erf_o3
        row[L.O_ERF_AEROSOL_ARI] = erf_ari
        row[L.O_ERF_AEROSOL_ACI] = erf_aci
        row[L.O_ERF_H2O_STRATOSPHERIC] = erf_h2o
        row[L.O_ERF_LAND_USE] = erf_lu
        row[L.O_ERF_BC_ON_SNOW] = erf_snow
        row[L.O_ERF_CONTRAILS] = erf_contrails
        row[L.O_ERF_SOLAR] = erf_solar
        row[L.O_ERF_VOLCANIC] = erf_volc
        row[L.O_EMISSIONS_CO2_FOSSIL] = e_fos
        row[L.O_EMISSIONS_CO2_LANDUSE] = e_luc
        row[L.O_ATMOSPHERIC_GROWTH] = (s[L.S_CO2_PERTURBATION] - co2_start) * GTC_PER_PPM
        row[L.O_OCEAN_SINK] = acc[_A_OCEAN]
        row[L.O_LAND_SINK] = acc[_A_LAND]
        row[L.O_NPP] = acc[_A_NPP]
        row[L.O_HETEROTROPHIC_RESPIRATION] = acc[_A_RH]
        row[L.O_CARBON_VEGETATION] = acc[_A_VEG]
        row[L.O_CARBON_DETRITUS] = acc[_A_DET]
        row[L.O_CARBON_SOIL] = acc[_A_SOIL]
        row[L.O_OCEAN_CARBON] = acc[_A_OCEAN_C]
        row[L.O_CUMULATIVE_EMISSIONS_CO2] = acc[_A_CUM]
        row[L.O_OCEAN_DIC] = acc[_A_DIC]
        row[L.O_OCEAN_PCO2] = acc[_A_PCO2]
        row[L.O_HEAT_CONTENT] = acc[_A_HEAT] * _HEAT_TO_ZJ
        row[L.O_TOA_IMBALANCE] = acc[_A_TOA]
        row[L.O_CH4_LIFETIME] = tau_ch4
        row[L.O_EESC] = hseries[y, HS_EESC_MEAN]
        fossil_total = s[L.S_CUMULATIVE_EMISSIONS] - s[L.S_CUMULATIVE_LANDUSE]
        land_change = (
            s[L.S_CARBON_VEGETATION] + s[L.S_CARBON_DETRITUS] + s[L.S_CARBON_SOIL] - c[_C_L0]
        )
        permafrost_change = (
            s[L.S_PERMAFROST_FROZEN]
            + s[L.S_PERMAFROST_THAWED_FAST]
            + s[L.S_PERMAFROST_THAWED_SLOW]
            - p[L.P_PERMAFROST_CARBON_PI]
        )
        row[L.O_CARBON_RESIDUAL] = (
            s[L.S_CO2_PERTURBATION] * GTC_PER_PPM
            + s[L.S_OCEAN_UPTAKE] * GTC_PER_PPM
            + land_change
            + permafrost_change
            + s[L.S_CUMULATIVE_PERMAFROST_CH4]
            - fossil_total
        )
        row[L.O_CO2_END] = co2_pi + s[L.S_CO2_PERTURBATION]
        row[L.O_PERMAFROST_EMISSIONS_CO2] = acc[_A_PF_CO2]
        row[L.O_PERMAFROST_EMISSIONS_CH4] = pf_ch4_prev
        row[L.O_CARBON_PERMAFROST_FROZEN] = acc[_A_PF_FROZEN]
        row[L.O_CARBON_PERMAFROST_THAWED] = acc[_A_PF_THAWED]
        row[L.O_PERMAFROST_THAWED_FRACTION] = acc[_A_PF_FRACTION]
        for k in range(L.N_OUT):
            col = out_cols[k]
            if col >= 0:
                out[y, col] = row[k]
        # ---- status (codes declared in esm.kernels.coupling.STATUS) ----------------------
        if acc[_A_NEG] > 0.0 or ch4_end < 0.0 or n2o_end < 0.0:
            status |= L.STATUS_NEGATIVE_POOL
        if acc[_A_PCO2_MAX] > POLYNOMIAL_PCO2_LIMIT and p[L.P_SWITCH_CARBONATE_CHEMISTRY] > 0.5:
            status |= L.STATUS_CHEMISTRY_RANGE
        if not (
            math.isfinite(row[L.O_CO2])
            and math.isfinite(row[L.O_TEMPERATURE])
            and math.isfinite(ch4_mean)
            and math.isfinite(n2o_mean)
        ):
            status |= L.STATUS_NONFINITE
    final[: L.N_STATE] = s
    final[R_T_PREV] = t_prev
    final[R_PF_CH4_PREV] = pf_ch4_prev
    final[R_E_FOS_GUESS] = e_fos_guess
    return status


@jit(parallel=True)
def integrate_members(
    emis,
    emis_index,
    natural,
    co2_target,
    params,
    halo,
    n_sub,
    out,
    out_cols,
    status,
    emis0,
    halo_init,
    halo_final,
    init,
    final,
):
    """Integrate many members in parallel (numba threads over members).

    ``emis[k]``, ``co2_target[k]`` are emission sets (scenarios); member ``m`` uses set
    ``emis_index[m]`` and parameters ``params[m]``; ``out[m]`` and ``status[m]`` receive its
    results. The halogen chemistry, which does not depend on the member, is computed once per
    emission set. Each member is integrated by exactly the same code as a single run, so
    results do not depend on how members are batched.

    Restart (all NaN-first arrays mean "from the pre-industrial steady state"): ``emis0[k]``
    are the pre-industrial emissions of set ``k``, ``halo_init[k]``/``halo_final[k]`` its
    halogen concentrations at the start and end [ppt], ``init[m]``/``final[m]`` the restart
    vectors of member ``m`` (``N_RESTART``).
    """
    n_sets = emis.shape[0]
    hseries = np.empty((n_sets, emis.shape[1], N_HS))
    for k in prange(n_sets):
        halogen_series(emis[k], halo, hseries[k], emis0[k], halo_init[k], halo_final[k])
    n_members = params.shape[0]
    for m in prange(n_members):
        k = emis_index[m]
        status[m] = integrate_member(
            emis[k],
            natural,
            co2_target[k],
            params[m],
            hseries[k],
            n_sub,
            out[m],
            out_cols,
            emis0[k],
            init[m],
            final[m],
        )
