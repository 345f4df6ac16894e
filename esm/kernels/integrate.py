"""Time integration of the members, in blocks of :data:`LANES` members advanced together.

Members are integrated in blocks of ``LANES`` (8): all per-member quantities of a block live in
one workspace array, one row per quantity and one column (SIMD lane) per member, and every
per-year and per-sub-step computation is a loop over the lanes that the compiler vectorises
(the members' arithmetic runs in the lanes of one vector instruction; the exponential and the
logarithm are the vectorisable :mod:`esm.kernels.vmath` functions, and the loops hold selects
instead of branches). Blocks run in parallel on threads (the kernel releases the GIL;
``esm.runner`` splits a batch into block ranges). A member's operations are the
same in every lane and block, so results do not depend on how members are batched
(``tests/test_numerics.py``, bit for bit) and the generated code is checked to be vector code
(``tests/test_kernel_simd.py``).

Order of operations in each year (states at the start of the year, ``T_prev`` = previous
year's mean surface temperature; FaIR 2 ``run()`` ordering):

1. gas cycles of CH4, N2O and the 40 halogenated gases over the whole year (exact
   exponential, lifetimes from the start-of-year state, ``T_prev``);
2. non-CO2 ERF from the annual-mean concentrations, the year's emissions and ``T_prev``
   (held constant through the year), plus solar and volcanic forcing;
3. ``n_sub`` sub-steps of the coupled carbon cycle and energy balance: land pools (backward
   Euler, ``land.step``), permafrost thaw and decomposition (exact exponentials for the
   start-of-year temperature, ``permafrost.step``), implicit air-sea flux and mixed-layer
   response (``ocean.step``), atmospheric CO2 box, CO2 ERF from the end-of-sub-step CO2, exact
   EBM step (``ebm.step``);
4. annual means of states (trapezoid over the sub-steps) and annual totals of fluxes.

Permafrost carbon is part of the natural carbon cycle: its CO2 enters the atmospheric CO2 box
like an emission within each sub-step (it is not counted in ``cumulative_emissions_co2``). Its
CH4 is added to the CH4 source of the gas cycle, which runs at the start of the year, so the gas
cycle of year y uses the permafrost CH4 emitted in year y - 1 (a one-year lag, small against
the 9-12 yr CH4 lifetime). The carbon emitted as CH4 leaves the CO2 budget: its oxidation to
CO2 is neglected, as FaIR does for natural CH4, so ``carbon_residual`` counts it as a sink.

In concentration-driven years (``co2_target[y]`` finite) step 3 is repeated with trial fossil
emissions (secant iterations, each lane its own) until the CO2 at the end of the year equals
``co2_target[y]``;
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
from esm.kernels import vmath
from esm.kernels._jit import jit
from esm.kernels.ebm import ebm_operators
from esm.kernels.ebm import step as ebm_step
from esm.kernels.forcing import (
    aci_smith2021,
    ari_smith2021,
    bc_on_snow_ar6,
    ch4_sarf_meinshausen2020,
    co2_sarf_given_n2o_term,
    co2_sarf_n2o_term,
    contrails_ar6,
    h2o_stratospheric_ar6,
    halogen_erf,
    land_use_albedo_ar6,
    n2o_sarf_meinshausen2020,
    ozone_thornhill2021,
)
from esm.kernels.forcing import prepare as forcing_prepare
from esm.kernels.gases import ch4_lifetime_factor, eesc, one_box_step
from esm.kernels.gases import prepare as gases_prepare
from esm.kernels.land import prepare as land_prepare
from esm.kernels.land import (
    steady_state_pools,
)
from esm.kernels.land import step as land_step
from esm.kernels.ocean import POLYNOMIAL_PCO2_LIMIT
from esm.kernels.ocean import prepare as ocean_prepare
from esm.kernels.ocean import step as ocean_step
from esm.kernels.permafrost import (
    MT_CH4_PER_GTC,
    local_warming,
    step_factors,
)
from esm.kernels.permafrost import prepare as permafrost_prepare
from esm.kernels.permafrost import step as permafrost_step

#: Heat content [W yr m-2] to ocean heat content [ZJ].
_HEAT_TO_ZJ = OCEAN_HEAT_FRACTION * EARTH_AREA * SECONDS_PER_YEAR / JOULES_PER_ZJ


@jit(inline=True)
def _land_pool_params(p):
    """The arguments of land.steady_state_pools from member parameters ``p``: NPP_pi, the NPP
    and litterfall fractions and the turnover and respiration rates."""
    return (
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
def _pools_pi(p):
    """Pre-industrial steady-state land pools (vegetation, detritus, soil) [GtC] of member p."""
    return steady_state_pools(*_land_pool_params(p))


@jit(inline=True)
def _put(c, first, values):
    """Store a process's constants (its ``prepare``'s tuple, in its ``CONSTANTS`` order) from
    row ``first`` on: each process's constants are adjacent in layout.CONSTANT_NAMES."""
    for i, v in enumerate(values):
        c[first + i] = v


@jit(inline=True)
def _lane_rows6(W, first, m):
    """Lane ``m`` of the six workspace rows from ``first`` on, as a tuple (the ocean's
    response states and their propagators: ``ocean.step`` takes tuples)."""
    N = LANES
    return (
        W[first * N + m],
        W[(first + 1) * N + m],
        W[(first + 2) * N + m],
        W[(first + 3) * N + m],
        W[(first + 4) * N + m],
        W[(first + 5) * N + m],
    )


@jit
def _prepare(p, emis0, n_sub, decay, gain, phi, gamma):
    """Per-member constants (layout.CONSTANT_NAMES) from each process's ``prepare``, the ocean
    propagators (``decay``, ``gain``) and the EBM operators (``phi``, ``gamma``)."""
    c = np.zeros(L.N_CONSTANTS)
    dt = 1.0 / n_sub
    land_constants = land_prepare(
        *_land_pool_params(p), p[L.P_RESPIRATION_Q10], p[L.P_SWITCH_RESPIRATION_TEMPERATURE]
    )
    _put(c, L.C_LAND_CARBON_PI, land_constants)
    ocean_constants = ocean_prepare(
        dt,
        p[L.P_OCEAN_MIXED_LAYER_DEPTH],
        p[L.P_OCEAN_AREA],
        p[L.P_OCEAN_MIXING_TIME_SCALE],
        p[L.P_OCEAN_GAS_EXCHANGE_TIME],
        decay,
        gain,
    )
    _put(c, L.C_DIC_PER_PPM, ocean_constants)
    gas_constants = gases_prepare(
        p[L.P_CH4_PI],
        p[L.P_N2O_PI],
        p[L.P_CH4_LIFETIME_PI],
        p[L.P_N2O_LIFETIME_PI],
        emis0[L.E_CH4],
        emis0[L.E_N2O],
    )
    _put(c, L.C_CH4_NATURAL, gas_constants)
    forcing_constants = forcing_prepare(
        p[L.P_CO2_PI],
        p[L.P_CH4_PI],
        p[L.P_N2O_PI],
        emis0[L.E_SO2],
        emis0[L.E_BC],
        emis0[L.E_OC],
        p[L.P_ACI_BETA],
        p[L.P_ACI_SO2],
        p[L.P_ACI_BC],
        p[L.P_ACI_OC],
        p[L.P_ERF_SCALE_CO2],
        p[L.P_ADJUSTMENT_CO2],
        p[L.P_SWITCH_CO2_RADIATIVE],
    )
    _put(c, L.C_CO2_SARF_PI, forcing_constants)
    permafrost_constants = permafrost_prepare(
        dt,
        p[L.P_PERMAFROST_THAW_MIN_FRACTION],
        p[L.P_PERMAFROST_THAW_SENSITIVITY],
        p[L.P_PERMAFROST_THAW_SHAPE],
        p[L.P_PERMAFROST_THAW_RATE],
        p[L.P_PERMAFROST_REFREEZE_RATE],
    )
    _put(c, L.C_THAW_CURVE, permafrost_constants)
    phi_, gamma_ = ebm_operators(
        p[L.P_CLIMATE_FEEDBACK],
        p[L.P_HEAT_CAPACITY_SURFACE],
        p[L.P_HEAT_CAPACITY_INTERMEDIATE],
        p[L.P_HEAT_CAPACITY_DEEP],
        p[L.P_HEAT_EXCHANGE_SURFACE_INTERMEDIATE],
        p[L.P_HEAT_EXCHANGE_INTERMEDIATE_DEEP],
        p[L.P_DEEP_OCEAN_EFFICACY],
        dt,
        p[L.P_EBM_LAYERS],
    )
    phi[:, :] = phi_
    gamma[:] = gamma_
    return c


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


# --------------------------------------------------------------------------------------
# The block workspace: every per-member quantity of a block of members, one row each
# --------------------------------------------------------------------------------------
#: Members advanced together in the innermost loops: one block of members fills the SIMD
#: lanes (8 doubles: one AVX-512 or two AVX2 registers). A block with fewer members (a single
#: run) is padded with copies of its first member, whose results are discarded: a vectorised
#: loop of 8 lanes is faster than the scalar loop for one member. Blocks run in parallel.
LANES = 8

#: The year's emissions (or their change since the first year) and halogen values of a lane,
#: rows ``W_GATHER + _G_*`` (each lane may use another emission set).
GATHERED = (
    "ch4",  # Mt CH4 yr-1
    "n2o",  # Mt N2O yr-1
    "so2",  # Mt yr-1
    "bc",
    "oc",
    "d_so2",  # changes since the first year [Mt yr-1]
    "d_bc",
    "d_oc",
    "d_nh3",
    "d_nox",
    "d_nmvoc",
    "d_co",
    "d_nox_aviation",
    "deesc_start",  # EESC change at the start of the year [ppt]
    "deesc_mean",  # EESC change, annual mean [ppt]
    "halogen_erf",  # ERF of the halogenated gases before scaling [W m-2]
    "eesc_mean",  # EESC, annual mean [ppt]
)
_g = L._indexer(GATHERED, "gathered value")
_G_CH4 = _g("ch4")
_G_N2O = _g("n2o")
_G_SO2 = _g("so2")
_G_BC = _g("bc")
_G_OC = _g("oc")
_G_D_SO2 = _g("d_so2")
_G_D_BC = _g("d_bc")
_G_D_OC = _g("d_oc")
_G_D_NH3 = _g("d_nh3")
_G_D_NOX = _g("d_nox")
_G_D_NMVOC = _g("d_nmvoc")
_G_D_CO = _g("d_co")
_G_D_NOX_AVIATION = _g("d_nox_aviation")
_G_DEESC_START = _g("deesc_start")
_G_DEESC_MEAN = _g("deesc_mean")
_G_HALOGEN_ERF = _g("halogen_erf")
_G_EESC_MEAN = _g("eesc_mean")
N_GATHER = len(GATHERED)

#: The rows of the workspace W[row, lane], in order: (block name, rows, what they hold). One
#: array for all of them, so that the compiler needs no run-time checks for overlapping arrays
#: before it vectorises a loop over the lanes. Each block's first row is the constant
#: ``W_<NAME>`` below, computed from its name (:func:`esm.kernels.layout.block_starts`).
WORKSPACE = (
    ("state", L.N_STATE, "the state (layout.STATE_NAMES)"),
    ("backup", L.N_STATE, "start-of-year state of the concentration-driven solver"),
    ("saved", L.N_STATE, "state accepted by the solver"),
    ("param", L.N_PARAMS, "parameters (layout.PARAM_NAMES)"),
    ("const", L.N_CONSTANTS, "per-member constants (layout.CONSTANT_NAMES, _prepare)"),
    ("acc", L.N_ACCUMULATORS, "annual means and totals of the sub-steps (layout.A_*)"),
    ("acc_saved", L.N_ACCUMULATORS, "the same, accepted by the solver"),
    ("decay", L.N_OCEAN_BOXES, "ocean response propagators (ocean.propagators)"),
    ("gain", L.N_OCEAN_BOXES, "ocean response gains (ocean.propagators)"),
    ("phi", 9, "EBM step operator, row-major 3 x 3 (ebm.ebm_operators)"),
    ("gamma", 3, "EBM forcing response over a sub-step (ebm.ebm_operators)"),
    ("pf", 4, "this year's permafrost factors: equilibrium, relaxation, keep fast, slow"),
    ("e_fos", 1, "fossil CO2 emissions fed to the carbon cycle [GtC yr-1]"),
    ("e_luc", 1, "land-use CO2 emissions [GtC yr-1]"),
    ("f_other", 1, "non-CO2 ERF [W m-2]"),
    ("n2o_mean", 1, "annual-mean N2O [ppb]"),
    ("x0", 1, "secant iterates of the concentration-driven solver [GtC yr-1]"),
    ("x1", 1, "secant iterate"),
    ("f0", 1, "CO2 misfit at x0 [ppm]"),
    ("target", 1, "CO2 at the end of the year [ppm]; NaN: emission-driven"),
    ("done", 1, "1 once the solver has accepted the lane's state"),
    ("converged", 1, "1 if the solver converged"),
    ("t_prev", 1, "GSAT of the previous year [K] (restart value R_T_PREV)"),
    ("pf_ch4_prev", 1, "permafrost CH4 of the previous year [Mt CH4 yr-1] (restart value)"),
    ("e_fos_guess", 1, "first guess of the solver (restart value)"),
    ("ch4_end", 1, "CH4 at the end of the year [ppb]"),
    ("ch4_mean", 1, "annual-mean CH4 [ppb]"),
    ("n2o_end", 1, "N2O at the end of the year [ppb]"),
    ("alpha_n2o", 1, "N2O term of the CO2 SARF (forcing.co2_sarf_n2o_term) [W m-2]"),
    ("tau_ch4", 1, "CH4 lifetime [yr]"),
    ("e_given", 1, "the year's fossil emissions before the solver [GtC yr-1]"),
    ("e_accepted", 1, "fossil emissions of the state the solver accepted [GtC yr-1]"),
    ("land_flux", 1, "natural land sink of a sub-step [GtC yr-1]"),
    ("pf_co2", 1, "permafrost CO2 emissions of a sub-step [GtC yr-1]"),
    ("dco2_start", 1, "CO2 perturbation at the start of a sub-step [ppm]"),
    ("erf", 12, "the 12 non-CO2 ERF terms, in the order of _gases_and_forcing [W m-2]"),
    ("co2_start", 1, "CO2 perturbation at the start of the year [ppm]"),
    ("gather", N_GATHER, "the year's emissions and halogen values of each lane (GATHERED)"),
    ("out", L.N_OUT, "the year's outputs (layout.OUTPUT_NAMES)"),
)
_W_START, N_W = L.block_starts(WORKSPACE)
_w = _W_START.__getitem__
W_STATE = _w("state")
W_BACKUP = _w("backup")
W_SAVED = _w("saved")
W_PARAM = _w("param")
W_CONST = _w("const")
W_ACC = _w("acc")
W_ACC_SAVED = _w("acc_saved")
W_DECAY = _w("decay")
W_GAIN = _w("gain")
W_PHI = _w("phi")
W_GAMMA = _w("gamma")
W_PF = _w("pf")
W_E_FOS = _w("e_fos")
W_E_LUC = _w("e_luc")
W_F_OTHER = _w("f_other")
W_N2O_MEAN = _w("n2o_mean")
W_X0 = _w("x0")
W_X1 = _w("x1")
W_F0 = _w("f0")
W_TARGET = _w("target")
W_DONE = _w("done")
W_CONVERGED = _w("converged")
W_T_PREV = _w("t_prev")
W_PF_CH4_PREV = _w("pf_ch4_prev")
W_E_FOS_GUESS = _w("e_fos_guess")
W_CH4_END = _w("ch4_end")
W_CH4_MEAN = _w("ch4_mean")
W_N2O_END = _w("n2o_end")
W_ALPHA_N2O = _w("alpha_n2o")
W_TAU_CH4 = _w("tau_ch4")
W_E_GIVEN = _w("e_given")
W_E_ACCEPTED = _w("e_accepted")
W_LAND_FLUX = _w("land_flux")
W_PF_CO2 = _w("pf_co2")
W_DCO2_START = _w("dco2_start")
W_ERF = _w("erf")
W_CO2_START = _w("co2_start")
W_GATHER = _w("gather")
W_OUT = _w("out")
L.check_prefixed(globals(), "W_", _W_START, "workspace block")
L.check_prefixed(globals(), "_G_", {n: i for i, n in enumerate(GATHERED)}, "gathered value")


@jit
def _land_lanes(W, dt, half):
    """Land carbon of every lane over one sub-step of ``dt`` [yr] (:func:`land.step`).

    Reads the land's state, the CO2 perturbation and GSAT as the coupling switches let the
    land see them, and the land-use emissions (row ``W_E_LUC``); writes the pools, the
    natural land sink of the sub-step (row ``W_LAND_FLUX``, for the ocean's atmosphere) and
    the land's accumulators.
    """
    N = LANES
    P = W_PARAM
    C = W_CONST
    S = W_STATE
    A = W_ACC
    for m in range(N):
        co2_pi = W[(P + L.P_CO2_PI) * N + m]
        co2_carbon = (
            co2_pi
            + W[(S + L.S_CO2_PERTURBATION) * N + m]
            * W[(P + L.P_SWITCH_CARBON_CYCLE_SEES_CO2) * N + m]
        )
        t_carbon = (
            W[(S + L.S_TEMPERATURE_SURFACE) * N + m]
            * W[(P + L.P_SWITCH_CARBON_CYCLE_SEES_WARMING) * N + m]
        )
        e_luc = W[W_E_LUC * N + m]
        cum_luc = W[(S + L.S_CUMULATIVE_LANDUSE) * N + m]
        veg, det, soil, npp, rh = land_step(
            W[(S + L.S_CARBON_VEGETATION) * N + m],
            W[(S + L.S_CARBON_DETRITUS) * N + m],
            W[(S + L.S_CARBON_SOIL) * N + m],
            cum_luc,
            co2_carbon,
            co2_pi,
            t_carbon,
            e_luc,
            dt,
            W[(P + L.P_NPP_PI) * N + m],
            W[(P + L.P_CO2_FERTILISATION) * N + m] * W[(P + L.P_SWITCH_CO2_FERTILISATION) * N + m],
            W[(P + L.P_CO2_FERTILISATION_SATURATION) * N + m],
            W[(P + L.P_NPP_FRACTION_VEGETATION) * N + m],
            W[(P + L.P_NPP_FRACTION_DETRITUS) * N + m],
            W[(P + L.P_LITTERFALL_FRACTION_DETRITUS) * N + m],
            W[(P + L.P_VEGETATION_TURNOVER_RATE) * N + m],
            W[(P + L.P_DETRITUS_RESPIRATION_RATE) * N + m],
            W[(P + L.P_DETRITUS_TO_SOIL_RATE) * N + m],
            W[(P + L.P_SOIL_RESPIRATION_RATE) * N + m],
            W[(C + L.C_LAND_CARBON_PI) * N + m],
            W[(C + L.C_LOG_Q10) * N + m],
        )
        land_flux = npp - rh / dt  # GtC yr-1, natural land sink
        W[(S + L.S_CARBON_VEGETATION) * N + m] = veg
        W[(S + L.S_CARBON_DETRITUS) * N + m] = det
        W[(S + L.S_CARBON_SOIL) * N + m] = soil
        W[(S + L.S_CUMULATIVE_LANDUSE) * N + m] = cum_luc + e_luc * dt
        W[(S + L.S_CUMULATIVE_LAND_SINK) * N + m] += land_flux * dt
        W[W_LAND_FLUX * N + m] = land_flux
        W[(A + L.A_LAND_SINK) * N + m] += land_flux * dt
        W[(A + L.A_NPP) * N + m] += npp * dt
        W[(A + L.A_HETEROTROPHIC_RESPIRATION) * N + m] += rh
        W[(A + L.A_CARBON_VEGETATION) * N + m] += veg * dt
        W[(A + L.A_CARBON_DETRITUS) * N + m] += det * dt
        W[(A + L.A_CARBON_SOIL) * N + m] += soil * dt
        bad = W[(A + L.A_NEGATIVE) * N + m]  # one select each: a branch stops vectorisation
        bad = 1.0 if veg < 0.0 else bad
        bad = 1.0 if det < 0.0 else bad
        bad = 1.0 if soil < 0.0 else bad
        bad = 1.0 if npp < 0.0 else bad
        W[(A + L.A_NEGATIVE) * N + m] = bad


@jit
def _permafrost_lanes(W, dt, half):
    """Permafrost carbon of every lane over one sub-step (:func:`permafrost.step`), with this
    year's factors (row ``W_PF``, from :func:`_gases_and_forcing`). Writes the pools, the
    permafrost CO2 emissions of the sub-step (row ``W_PF_CO2``, for the ocean's atmosphere),
    the CH4 it releases (a state, the gas cycle's source next year) and its accumulators.
    """
    N = LANES
    P = W_PARAM
    S = W_STATE
    A = W_ACC
    for m in range(N):
        frozen, fast, slow, frac, released = permafrost_step(
            W[(S + L.S_PERMAFROST_FROZEN) * N + m],
            W[(S + L.S_PERMAFROST_THAWED_FAST) * N + m],
            W[(S + L.S_PERMAFROST_THAWED_SLOW) * N + m],
            W[(S + L.S_PERMAFROST_THAWED_FRACTION) * N + m],
            W[W_PF * N + m],
            W[(W_PF + 1) * N + m],
            W[(W_PF + 2) * N + m],
            W[(W_PF + 3) * N + m],
            W[(P + L.P_PERMAFROST_FAST_FRACTION) * N + m],
        )
        released_ch4 = W[(P + L.P_PERMAFROST_CH4_FRACTION) * N + m] * released
        pf_co2 = (released - released_ch4) / dt  # GtC yr-1
        W[W_PF_CO2 * N + m] = pf_co2
        W[(S + L.S_PERMAFROST_FROZEN) * N + m] = frozen
        W[(S + L.S_PERMAFROST_THAWED_FAST) * N + m] = fast
        W[(S + L.S_PERMAFROST_THAWED_SLOW) * N + m] = slow
        W[(S + L.S_PERMAFROST_THAWED_FRACTION) * N + m] = frac
        W[(S + L.S_CUMULATIVE_PERMAFROST_CH4) * N + m] += released_ch4
        W[(A + L.A_PERMAFROST_EMISSIONS_CO2) * N + m] += pf_co2 * dt
        W[(A + L.A_PERMAFROST_EMISSIONS_CH4) * N + m] += released_ch4
        W[(A + L.A_CARBON_PERMAFROST_FROZEN) * N + m] += frozen * dt
        W[(A + L.A_CARBON_PERMAFROST_THAWED) * N + m] += (fast + slow) * dt
        W[(A + L.A_PERMAFROST_THAWED_FRACTION) * N + m] += frac * dt
        bad = W[(A + L.A_NEGATIVE) * N + m]
        bad = 1.0 if frozen < 0.0 else bad
        bad = 1.0 if fast < 0.0 else bad
        bad = 1.0 if slow < 0.0 else bad
        W[(A + L.A_NEGATIVE) * N + m] = bad


@jit
def _ocean_lanes(W, dt, half):
    """Ocean carbon and the atmospheric CO2 box of every lane over one sub-step
    (:func:`ocean.step`): the air-sea flux is implicit in the CO2 the atmosphere would hold
    at the end of the step with the emissions (rows ``W_E_FOS``, ``W_E_LUC``), the land sink
    (``W_LAND_FLUX``) and the permafrost CO2 (``W_PF_CO2``) of this sub-step. Writes the new
    CO2 perturbation (keeping the old one in ``W_DCO2_START``), the ocean's state, the
    cumulative emissions and sinks and the ocean's accumulators.
    """
    N = LANES
    P = W_PARAM
    C = W_CONST
    S = W_STATE
    A = W_ACC
    for m in range(N):
        sees_co2 = W[(P + L.P_SWITCH_CARBON_CYCLE_SEES_CO2) * N + m]
        dco2 = W[(S + L.S_CO2_PERTURBATION) * N + m]
        uptake = W[(S + L.S_OCEAN_UPTAKE) * N + m]
        emitted = W[W_E_FOS * N + m] + W[W_E_LUC * N + m]
        # ppm added to the atmosphere by everything but the ocean
        free = (emitted - W[W_LAND_FLUX * N + m] + W[W_PF_CO2 * N + m]) * dt / GTC_PER_PPM
        boxes, uptake_new, flux, dic, pco2_new = ocean_step(
            _lane_rows6(W, S + L.S_OCEAN_BOX0, m),
            uptake,
            (dco2 + free) * sees_co2,
            dt * sees_co2,
            dt,
            W[(S + L.S_TEMPERATURE_SURFACE) * N + m]
            * W[(P + L.P_SWITCH_CARBON_CYCLE_SEES_WARMING) * N + m],
            W[(P + L.P_CO2_PI) * N + m],
            W[(P + L.P_OCEAN_SURFACE_WARMING_RATIO) * N + m],
            W[(P + L.P_OCEAN_CHEMISTRY_TEMPERATURE) * N + m],
            W[(P + L.P_OCEAN_PCO2_TEMPERATURE_SENSITIVITY) * N + m],
            W[(P + L.P_SWITCH_CARBONATE_CHEMISTRY) * N + m],
            W[(P + L.P_SWITCH_OCEAN_SOLUBILITY_TEMPERATURE) * N + m],
            W[(C + L.C_DIC_PER_PPM) * N + m],
            W[(C + L.C_DIC_PER_FLUX) * N + m],
            W[(C + L.C_GAS_EXCHANGE_RATE) * N + m],
            _lane_rows6(W, W_DECAY, m),
            _lane_rows6(W, W_GAIN, m),
        )
        for i, box in enumerate(boxes):
            W[(S + L.S_OCEAN_BOX0 + i) * N + m] = box
        W[W_DCO2_START * N + m] = dco2
        W[(S + L.S_CO2_PERTURBATION) * N + m] = dco2 + free - flux * dt
        W[(S + L.S_OCEAN_UPTAKE) * N + m] = uptake_new
        W[(S + L.S_CUMULATIVE_OCEAN_SINK) * N + m] += flux * GTC_PER_PPM * dt
        cum = W[(S + L.S_CUMULATIVE_EMISSIONS) * N + m]
        cum_new = cum + emitted * dt
        W[(S + L.S_CUMULATIVE_EMISSIONS) * N + m] = cum_new
        W[(A + L.A_OCEAN_SINK) * N + m] += flux * GTC_PER_PPM * dt
        W[(A + L.A_OCEAN_DIC) * N + m] += dic * dt
        W[(A + L.A_OCEAN_PCO2) * N + m] += pco2_new * dt
        W[(A + L.A_OCEAN_CARBON) * N + m] += half * (uptake + uptake_new) * GTC_PER_PPM
        W[(A + L.A_CUMULATIVE_EMISSIONS) * N + m] += half * (cum + cum_new)
        largest = W[(A + L.A_OCEAN_PCO2_MAX) * N + m]
        W[(A + L.A_OCEAN_PCO2_MAX) * N + m] = pco2_new if pco2_new > largest else largest


@jit
def _atmosphere_lanes(W, dt, half):
    """CO2 forcing and the energy balance of every lane over one sub-step: the CO2 ERF of the
    end-of-step CO2 (:func:`forcing.co2_sarf_given_n2o_term`, with this year's N2O term
    ``W_ALPHA_N2O``) plus the year's non-CO2 ERF (``W_F_OTHER``) drive :func:`ebm.step`
    (operators ``W_PHI``, ``W_GAMMA``). Writes the temperatures and the accumulators of CO2,
    ERF, temperatures, heat content and top-of-atmosphere imbalance.
    """
    N = LANES
    P = W_PARAM
    C = W_CONST
    S = W_STATE
    A = W_ACC
    for m in range(N):
        co2_pi = W[(P + L.P_CO2_PI) * N + m]
        dco2 = W[W_DCO2_START * N + m]
        dco2_new = W[(S + L.S_CO2_PERTURBATION) * N + m]
        co2_new = co2_pi + dco2_new
        erf_co2 = W[(C + L.C_ERF_CO2_FACTOR) * N + m] * (
            co2_sarf_given_n2o_term(co2_new, W[W_ALPHA_N2O * N + m])
            - W[(C + L.C_CO2_SARF_PI) * N + m]
        )
        forcing = W[W_F_OTHER * N + m] + erf_co2
        t1 = W[(S + L.S_TEMPERATURE_SURFACE) * N + m]
        t2 = W[(S + L.S_TEMPERATURE_INTERMEDIATE) * N + m]
        t3 = W[(S + L.S_TEMPERATURE_DEEP) * N + m]
        n1, n2, n3 = ebm_step(
            t1,
            t2,
            t3,
            forcing,
            (
                W[W_PHI * N + m],
                W[(W_PHI + 1) * N + m],
                W[(W_PHI + 2) * N + m],
                W[(W_PHI + 3) * N + m],
                W[(W_PHI + 4) * N + m],
                W[(W_PHI + 5) * N + m],
                W[(W_PHI + 6) * N + m],
                W[(W_PHI + 7) * N + m],
                W[(W_PHI + 8) * N + m],
            ),
            (W[W_GAMMA * N + m], W[(W_GAMMA + 1) * N + m], W[(W_GAMMA + 2) * N + m]),
        )
        cap1 = W[(P + L.P_HEAT_CAPACITY_SURFACE) * N + m]
        cap2 = W[(P + L.P_HEAT_CAPACITY_INTERMEDIATE) * N + m]
        cap3 = W[(P + L.P_HEAT_CAPACITY_DEEP) * N + m]
        heat0 = cap1 * t1 + cap2 * t2 + cap3 * t3
        heat1 = cap1 * n1 + cap2 * n2 + cap3 * n3
        W[(S + L.S_TEMPERATURE_SURFACE) * N + m] = n1
        W[(S + L.S_TEMPERATURE_INTERMEDIATE) * N + m] = n2
        W[(S + L.S_TEMPERATURE_DEEP) * N + m] = n3
        W[(A + L.A_CO2) * N + m] += half * (2.0 * co2_pi + dco2 + dco2_new)
        W[(A + L.A_TEMPERATURE_SURFACE) * N + m] += half * (t1 + n1)
        W[(A + L.A_TEMPERATURE_INTERMEDIATE) * N + m] += half * (t2 + n2)
        W[(A + L.A_TEMPERATURE_DEEP) * N + m] += half * (t3 + n3)
        W[(A + L.A_ERF_CO2) * N + m] += erf_co2 * dt
        # dH/dt = N exactly: the annual mean of N is the year's change of H
        W[(A + L.A_TOA_IMBALANCE) * N + m] += heat1 - heat0
        W[(A + L.A_HEAT_CONTENT) * N + m] += half * (heat0 + heat1)
        bad = W[(A + L.A_NEGATIVE) * N + m]
        W[(A + L.A_NEGATIVE) * N + m] = 1.0 if co2_new <= 0.0 else bad


@jit
def _carbon_climate_block(W, n_sub):
    """Advance carbon cycle, CO2 forcing and EBM of the :data:`LANES` members of a block
    through one year of ``n_sub`` sub-steps.

    ``W`` is the workspace as one flat array: row ``r`` of lane ``m`` at ``r * LANES + m``. The
    state (rows ``W_STATE``) is updated in place, with the fossil emissions of row ``W_E_FOS``;
    rows ``W_ACC`` receive annual means and totals. The non-CO2 ERF (``W_F_OTHER``), the N2O
    term of the CO2 forcing (``W_ALPHA_N2O``) and the permafrost factors (``W_PF``), which
    :func:`_gases_and_forcing` computes, are constant through the year.

    Each sub-step runs one loop over the lanes per process, in this order: land
    (:func:`_land_lanes`), permafrost (:func:`_permafrost_lanes`), ocean with the atmospheric
    CO2 box (:func:`_ocean_lanes`), CO2 forcing and the energy balance
    (:func:`_atmosphere_lanes`). Each calls its process module's pure ``step`` and passes its
    fluxes on in rows of ``W``, so that a process is replaced by replacing its loop and
    module. Each loop has no branch that differs between members (selects
    instead), calls only functions that are inlined, and uses the :mod:`esm.kernels.vmath`
    exponential and logarithm, so that the compiler turns it into SIMD code. The rows and the
    number of lanes are compile-time constants, from which the compiler can prove that rows
    do not overlap; with a row or a lane count chosen at run time it cannot, and it does not
    vectorise (``tests/test_kernel_simd.py`` checks the generated code).
    """
    N = LANES
    dt = 1.0 / n_sub
    half = 0.5 / n_sub
    A = W_ACC
    for i in range(L.N_ACCUMULATORS * N):
        W[A * N + i] = 0.0
    for _ in range(n_sub):
        _land_lanes(W, dt, half)
        _permafrost_lanes(W, dt, half)
        _ocean_lanes(W, dt, half)
        _atmosphere_lanes(W, dt, half)


@jit
def _gases_and_forcing(W, y, emis, kset, natural, hseries, emis0, n_sub):
    """Step 1 and 2 of a year for every lane: gas cycles of CH4 and N2O over the year, and
    the non-CO2 ERF from the annual-mean concentrations, the year's emissions and ``T_prev``
    (parameters, outputs and formulas of the ERF terms: :mod:`esm.kernels.forcing`); and the
    permafrost factors of the year's ``n_sub`` sub-steps at the start-of-year temperature
    (rows ``W_PF``, :func:`esm.kernels.permafrost.step_factors`), which
    :func:`_carbon_climate_block` uses.

    ``W`` is the flat workspace (:func:`_carbon_climate_block`). A first loop copies each
    lane's emissions and halogen values (lanes may use different emission sets) into rows of
    ``W``; the second, over the lanes, is vectorised like the sub-steps. The permafrost factors
    are in that loop, not in the sub-steps' function, so that their chain of exp and log
    overlaps the gases' (a loop of one vector is bound by the latency of its chains).
    """
    N = LANES
    P = W_PARAM
    C = W_CONST
    S = W_STATE
    G = W_GATHER
    for m in range(N):
        k = kset[m]
        e = emis[k, y]
        e0 = emis0[k]
        h = hseries[k, y]
        W[(G + _G_CH4) * N + m] = e[L.E_CH4]
        W[(G + _G_N2O) * N + m] = e[L.E_N2O]
        W[(G + _G_SO2) * N + m] = e[L.E_SO2]
        W[(G + _G_BC) * N + m] = e[L.E_BC]
        W[(G + _G_OC) * N + m] = e[L.E_OC]
        W[(G + _G_D_SO2) * N + m] = e[L.E_SO2] - e0[L.E_SO2]
        W[(G + _G_D_BC) * N + m] = e[L.E_BC] - e0[L.E_BC]
        W[(G + _G_D_OC) * N + m] = e[L.E_OC] - e0[L.E_OC]
        W[(G + _G_D_NH3) * N + m] = e[L.E_NH3] - e0[L.E_NH3]
        W[(G + _G_D_NOX) * N + m] = e[L.E_NOX] - e0[L.E_NOX]
        W[(G + _G_D_NMVOC) * N + m] = e[L.E_NMVOC] - e0[L.E_NMVOC]
        W[(G + _G_D_CO) * N + m] = e[L.E_CO] - e0[L.E_CO]
        W[(G + _G_D_NOX_AVIATION) * N + m] = e[L.E_NOX_AVIATION] - e0[L.E_NOX_AVIATION]
        W[(G + _G_DEESC_START) * N + m] = h[HS_DEESC_START]
        W[(G + _G_DEESC_MEAN) * N + m] = h[HS_DEESC_MEAN]
        W[(G + _G_HALOGEN_ERF) * N + m] = h[HS_ERF]
        W[(G + _G_EESC_MEAN) * N + m] = h[HS_EESC_MEAN]
        W[W_E_FOS * N + m] = e[L.E_CO2_FOSSIL]
        W[W_E_LUC * N + m] = e[L.E_CO2_LANDUSE]
    solar = natural[y, L.N_SOLAR]
    volcanic = natural[y, L.N_VOLCANIC]
    dt = 1.0 / n_sub
    for m in range(N):
        # ---- 0. permafrost: factors of this year's sub-steps at the start-of-year
        # temperature (in this loop, so that their chain of exp and log overlaps the gases')
        on = W[(P + L.P_SWITCH_PERMAFROST) * N + m] > 0.5
        eq, relax, keep_fast, keep_slow = step_factors(
            local_warming(
                W[(S + L.S_TEMPERATURE_SURFACE) * N + m]
                * W[(P + L.P_SWITCH_CARBON_CYCLE_SEES_WARMING) * N + m],
                W[(P + L.P_PERMAFROST_WARMING_AMPLIFICATION) * N + m],
            ),
            W[(S + L.S_PERMAFROST_THAWED_FRACTION) * N + m],
            dt,
            W[(P + L.P_PERMAFROST_THAW_MIN_FRACTION) * N + m],
            W[(C + L.C_THAW_CURVE) * N + m],
            W[(C + L.C_THAW_GK) * N + m],
            W[(C + L.C_THAW_INV_K) * N + m],
            W[(C + L.C_RELAX_THAW) * N + m],
            W[(C + L.C_RELAX_REFREEZE) * N + m],
            W[(P + L.P_PERMAFROST_FAST_TURNOVER_TIME) * N + m],
            W[(P + L.P_PERMAFROST_SLOW_TURNOVER_TIME) * N + m],
            W[(P + L.P_PERMAFROST_RESPIRATION_SENSITIVITY) * N + m],
        )
        # switched off: the factors that leave every pool as it is
        W[W_PF * N + m] = eq if on else W[(S + L.S_PERMAFROST_THAWED_FRACTION) * N + m]
        W[(W_PF + 1) * N + m] = relax if on else 1.0
        W[(W_PF + 2) * N + m] = keep_fast if on else 1.0
        W[(W_PF + 3) * N + m] = keep_slow if on else 1.0
        t_prev = W[W_T_PREV * N + m]
        ch4_pi = W[(P + L.P_CH4_PI) * N + m]
        n2o_pi = W[(P + L.P_N2O_PI) * N + m]
        ch4 = W[(S + L.S_CH4) * N + m]
        n2o = W[(S + L.S_N2O) * N + m]
        d_nox = W[(G + _G_D_NOX) * N + m]
        d_nmvoc = W[(G + _G_D_NMVOC) * N + m]
        # ---- 1. gas cycles ---------------------------------------------------------------
        alpha = ch4_lifetime_factor(
            ch4 - ch4_pi,
            n2o - n2o_pi,
            d_nox,
            d_nmvoc,
            W[(G + _G_DEESC_START) * N + m],
            t_prev,
            W[(P + L.P_CH4_LIFETIME_CH4_SENSITIVITY) * N + m],
            W[(P + L.P_CH4_LIFETIME_N2O_SENSITIVITY) * N + m],
            W[(P + L.P_CH4_LIFETIME_NOX_SENSITIVITY) * N + m],
            W[(P + L.P_CH4_LIFETIME_NMVOC_SENSITIVITY) * N + m],
            W[(P + L.P_CH4_LIFETIME_EESC_SENSITIVITY) * N + m],
            W[(P + L.P_CH4_LIFETIME_TEMPERATURE_SENSITIVITY) * N + m],
        )
        alpha = alpha if W[(P + L.P_SWITCH_CH4_LIFETIME) * N + m] > 0.5 else 1.0
        tau_ch4 = W[(P + L.P_CH4_LIFETIME_PI) * N + m] * alpha
        ch4_end, ch4_mean = one_box_step(
            ch4,
            W[(G + _G_CH4) * N + m] + W[(C + L.C_CH4_NATURAL) * N + m] + W[W_PF_CH4_PREV * N + m],
            tau_ch4,
            TG_PER_PPB_CH4,
            1.0,
        )
        tau_n2o = W[(P + L.P_N2O_LIFETIME_PI) * N + m] * vmath.power(
            n2o / n2o_pi, W[(P + L.P_N2O_LIFETIME_N2O_EXPONENT) * N + m]
        )
        n2o_end, n2o_mean = one_box_step(
            n2o,
            W[(G + _G_N2O) * N + m] + W[(C + L.C_N2O_NATURAL) * N + m],
            tau_n2o,
            TG_PER_PPB_N2O,
            1.0,
        )
        deesc = W[(G + _G_DEESC_MEAN) * N + m]
        dch4 = ch4_mean - ch4_pi
        dn2o = n2o_mean - n2o_pi
        # ---- 2. non-CO2 forcing ----------------------------------------------------------
        co2_for_n2o = (
            W[(P + L.P_CO2_PI) * N + m]
            + W[(S + L.S_CO2_PERTURBATION) * N + m] * W[(P + L.P_SWITCH_CO2_RADIATIVE) * N + m]
        )
        erf_ch4 = (
            W[(P + L.P_ERF_SCALE_CH4) * N + m]
            * (1.0 + W[(P + L.P_ADJUSTMENT_CH4) * N + m])
            * (ch4_sarf_meinshausen2020(ch4_mean, n2o_mean) - W[(C + L.C_CH4_SARF_PI) * N + m])
        )
        erf_n2o = (
            W[(P + L.P_ERF_SCALE_N2O) * N + m]
            * (1.0 + W[(P + L.P_ADJUSTMENT_N2O) * N + m])
            * (
                n2o_sarf_meinshausen2020(co2_for_n2o, ch4_mean, n2o_mean)
                - W[(C + L.C_N2O_SARF_PI) * N + m]
            )
        )
        erf_hal = W[(P + L.P_ERF_SCALE_HALOGENS) * N + m] * W[(G + _G_HALOGEN_ERF) * N + m]
        d_bc = W[(G + _G_D_BC) * N + m]
        erf_o3 = ozone_thornhill2021(
            dch4,
            dn2o,
            deesc,
            W[(G + _G_D_CO) * N + m],
            d_nmvoc,
            d_nox,
            t_prev,
            W[(P + L.P_OZONE_CH4) * N + m],
            W[(P + L.P_OZONE_N2O) * N + m],
            W[(P + L.P_OZONE_EESC) * N + m],
            W[(P + L.P_OZONE_CO) * N + m],
            W[(P + L.P_OZONE_NMVOC) * N + m],
            W[(P + L.P_OZONE_NOX) * N + m],
            W[(P + L.P_OZONE_TEMPERATURE_FEEDBACK) * N + m],
            W[(P + L.P_ERF_SCALE_OZONE) * N + m],
        )
        erf_ari = ari_smith2021(
            W[(G + _G_D_SO2) * N + m],
            d_bc,
            W[(G + _G_D_OC) * N + m],
            W[(G + _G_D_NH3) * N + m],
            d_nox,
            d_nmvoc,
            dch4,
            dn2o,
            deesc,
            W[(P + L.P_ARI_SO2) * N + m],
            W[(P + L.P_ARI_BC) * N + m],
            W[(P + L.P_ARI_OC) * N + m],
            W[(P + L.P_ARI_NH3) * N + m],
            W[(P + L.P_ARI_NOX) * N + m],
            W[(P + L.P_ARI_NMVOC) * N + m],
            W[(P + L.P_ARI_CH4) * N + m],
            W[(P + L.P_ARI_N2O) * N + m],
            W[(P + L.P_ARI_EESC) * N + m],
            W[(P + L.P_ERF_SCALE_ARI) * N + m],
        )
        erf_aci = (
            aci_smith2021(
                W[(G + _G_SO2) * N + m],
                W[(G + _G_BC) * N + m],
                W[(G + _G_OC) * N + m],
                W[(P + L.P_ACI_BETA) * N + m],
                W[(P + L.P_ACI_SO2) * N + m],
                W[(P + L.P_ACI_BC) * N + m],
                W[(P + L.P_ACI_OC) * N + m],
            )
            - W[(C + L.C_ACI_PI) * N + m]
        )
        erf_h2o = h2o_stratospheric_ar6(dch4, W[(P + L.P_H2O_STRATOSPHERIC_CH4) * N + m])
        erf_contrails = contrails_ar6(
            W[(G + _G_D_NOX_AVIATION) * N + m], W[(P + L.P_CONTRAILS_NOX_AVIATION) * N + m]
        )
        erf_snow = bc_on_snow_ar6(d_bc, W[(P + L.P_BC_ON_SNOW_BC) * N + m])
        # annual mean of the cumulative land-use emissions: start of the year + half the year's
        cum_landuse = W[(S + L.S_CUMULATIVE_LANDUSE) * N + m] + 0.5 * W[W_E_LUC * N + m]
        erf_lu = land_use_albedo_ar6(cum_landuse, W[(P + L.P_LAND_USE_ALBEDO) * N + m])
        erf_solar = W[(P + L.P_ERF_SCALE_SOLAR) * N + m] * solar
        erf_volc = W[(P + L.P_ERF_SCALE_VOLCANIC) * N + m] * volcanic
        W[W_ERF * N + m] = erf_ch4
        W[(W_ERF + 1) * N + m] = erf_n2o
        W[(W_ERF + 2) * N + m] = erf_hal
        W[(W_ERF + 3) * N + m] = erf_o3
        W[(W_ERF + 4) * N + m] = erf_ari
        W[(W_ERF + 5) * N + m] = erf_aci
        W[(W_ERF + 6) * N + m] = erf_h2o
        W[(W_ERF + 7) * N + m] = erf_contrails
        W[(W_ERF + 8) * N + m] = erf_snow
        W[(W_ERF + 9) * N + m] = erf_lu
        W[(W_ERF + 10) * N + m] = erf_solar
        W[(W_ERF + 11) * N + m] = erf_volc
        W[W_F_OTHER * N + m] = (
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
        W[W_CH4_END * N + m] = ch4_end
        W[W_CH4_MEAN * N + m] = ch4_mean
        W[W_N2O_END * N + m] = n2o_end
        W[W_N2O_MEAN * N + m] = n2o_mean
        W[W_ALPHA_N2O * N + m] = co2_sarf_n2o_term(n2o_mean)
        W[W_TAU_CH4 * N + m] = tau_ch4


@jit
def _copy_rows(W, lanes, src, dst, n):
    for k in range(n):
        for m in range(lanes):
            W[dst + k, m] = W[src + k, m]


@jit
def _concentration_driven_year(W, flat, lanes, n_sub, status):
    """Step 3 of a year in which some lanes have a CO2 target (row ``W_TARGET`` finite):
    secant iterations on each such lane's fossil emissions until its CO2 at the end of the
    year equals the target. Every lane's iterates depend only on its own values; the lanes
    without a target keep the state of their emissions. The compatible fossil emissions are
    left in ``W_E_FOS``, the accepted state and annual values in ``W_STATE`` and ``W_ACC``.
    ``flat`` is ``W`` as one row (:func:`_carbon_climate_block`)."""
    _copy_rows(W, lanes, W_STATE, W_BACKUP, L.N_STATE)
    for m in range(lanes):
        W[W_E_GIVEN, m] = W[W_E_FOS, m]
        if math.isfinite(W[W_TARGET, m]):
            W[W_X0, m] = W[W_E_FOS_GUESS, m]
            W[W_E_FOS, m] = W[W_X0, m]
    _carbon_climate_block(flat, n_sub)
    remaining = 0
    for m in range(lanes):
        target = W[W_TARGET, m]
        W[W_CONVERGED, m] = 0.0
        W[W_E_ACCEPTED, m] = W[W_E_FOS, m]
        if math.isfinite(target):
            W[W_F0, m] = W[W_STATE + L.S_CO2_PERTURBATION, m] + W[W_PARAM + L.P_CO2_PI, m] - target
            W[W_X1, m] = W[W_X0, m] + 1.0
            W[W_DONE, m] = 0.0
            remaining += 1
        else:
            W[W_X1, m] = W[W_E_GIVEN, m]
            W[W_DONE, m] = 1.0
            _accept(W, m)
    for _ in range(30):
        if remaining == 0:
            break
        _copy_rows(W, lanes, W_BACKUP, W_STATE, L.N_STATE)
        _copy_rows(W, lanes, W_X1, W_E_FOS, 1)
        _carbon_climate_block(flat, n_sub)
        for m in range(lanes):
            if W[W_DONE, m] > 0.5:
                continue
            target = W[W_TARGET, m]
            x1 = W[W_X1, m]
            W[W_E_ACCEPTED, m] = x1  # the emissions the trial state corresponds to
            f1 = W[W_STATE + L.S_CO2_PERTURBATION, m] + W[W_PARAM + L.P_CO2_PI, m] - target
            f0 = W[W_F0, m]
            if abs(f1) < 1e-10 * max(1.0, abs(target)):
                W[W_CONVERGED, m] = 1.0
                W[W_DONE, m] = 1.0
            elif f1 == f0:
                W[W_DONE, m] = 1.0
            else:
                x0 = W[W_X0, m]
                W[W_X0, m] = x1
                W[W_X1, m] = x1 - f1 * (x1 - x0) / (f1 - f0)
                W[W_F0, m] = f1
            if W[W_DONE, m] > 0.5:
                _accept(W, m)
                remaining -= 1
    for m in range(lanes):
        if W[W_DONE, m] < 0.5:  # not converged in 30 iterations: keep the last trial
            _accept(W, m)
        if math.isfinite(W[W_TARGET, m]):
            if W[W_CONVERGED, m] < 0.5:
                status[m] |= L.STATUS_CONC_SOLVER
            W[W_E_FOS_GUESS, m] = W[W_E_ACCEPTED, m]
    _copy_rows(W, lanes, W_SAVED, W_STATE, L.N_STATE)
    _copy_rows(W, lanes, W_ACC_SAVED, W_ACC, L.N_ACCUMULATORS)
    _copy_rows(W, lanes, W_E_ACCEPTED, W_E_FOS, 1)


@jit
def _accept(W, m):
    """Keep lane ``m``'s trial state and its annual values as the solver's result."""
    for k in range(L.N_STATE):
        W[W_SAVED + k, m] = W[W_STATE + k, m]
    for k in range(L.N_ACCUMULATORS):
        W[W_ACC_SAVED + k, m] = W[W_ACC + k, m]


@jit
def _outputs(W):
    """The kernel outputs (layout.OUT_NAMES) of the year just integrated, into rows
    ``W_OUT`` of the flat workspace ``W`` (a loop over the lanes, vectorised)."""
    N = LANES
    S = W_STATE
    A = W_ACC
    for m in range(N):
        co2_pi = W[(W_PARAM + L.P_CO2_PI) * N + m]
        erf_co2 = W[(A + L.A_ERF_CO2) * N + m]
        W[(W_OUT + L.O_CO2) * N + m] = W[(A + L.A_CO2) * N + m]
        W[(W_OUT + L.O_CH4) * N + m] = W[W_CH4_MEAN * N + m]
        W[(W_OUT + L.O_N2O) * N + m] = W[W_N2O_MEAN * N + m]
        W[(W_OUT + L.O_TEMPERATURE) * N + m] = W[(A + L.A_TEMPERATURE_SURFACE) * N + m]
        W[(W_OUT + L.O_TEMPERATURE_INTERMEDIATE) * N + m] = W[
            (A + L.A_TEMPERATURE_INTERMEDIATE) * N + m
        ]
        W[(W_OUT + L.O_TEMPERATURE_DEEP) * N + m] = W[(A + L.A_TEMPERATURE_DEEP) * N + m]
        W[(W_OUT + L.O_ERF) * N + m] = W[W_F_OTHER * N + m] + erf_co2
        W[(W_OUT + L.O_ERF_CO2) * N + m] = erf_co2
        W[(W_OUT + L.O_ERF_CH4) * N + m] = W[(W_ERF + 0) * N + m]
        W[(W_OUT + L.O_ERF_N2O) * N + m] = W[(W_ERF + 1) * N + m]
        W[(W_OUT + L.O_ERF_HALOGENS) * N + m] = W[(W_ERF + 2) * N + m]
        W[(W_OUT + L.O_ERF_OZONE) * N + m] = W[(W_ERF + 3) * N + m]
        W[(W_OUT + L.O_ERF_AEROSOL_ARI) * N + m] = W[(W_ERF + 4) * N + m]
        W[(W_OUT + L.O_ERF_AEROSOL_ACI) * N + m] = W[(W_ERF + 5) * N + m]
        W[(W_OUT + L.O_ERF_H2O_STRATOSPHERIC) * N + m] = W[(W_ERF + 6) * N + m]
        W[(W_OUT + L.O_ERF_CONTRAILS) * N + m] = W[(W_ERF + 7) * N + m]
        W[(W_OUT + L.O_ERF_BC_ON_SNOW) * N + m] = W[(W_ERF + 8) * N + m]
        W[(W_OUT + L.O_ERF_LAND_USE) * N + m] = W[(W_ERF + 9) * N + m]
        W[(W_OUT + L.O_ERF_SOLAR) * N + m] = W[(W_ERF + 10) * N + m]
        W[(W_OUT + L.O_ERF_VOLCANIC) * N + m] = W[(W_ERF + 11) * N + m]
        W[(W_OUT + L.O_EMISSIONS_CO2_FOSSIL) * N + m] = W[W_E_FOS * N + m]
        W[(W_OUT + L.O_EMISSIONS_CO2_LANDUSE) * N + m] = W[W_E_LUC * N + m]
        W[(W_OUT + L.O_ATMOSPHERIC_GROWTH) * N + m] = (
            W[(S + L.S_CO2_PERTURBATION) * N + m] - W[W_CO2_START * N + m]
        ) * GTC_PER_PPM
        W[(W_OUT + L.O_OCEAN_SINK) * N + m] = W[(A + L.A_OCEAN_SINK) * N + m]
        W[(W_OUT + L.O_LAND_SINK) * N + m] = W[(A + L.A_LAND_SINK) * N + m]
        W[(W_OUT + L.O_NPP) * N + m] = W[(A + L.A_NPP) * N + m]
        W[(W_OUT + L.O_HETEROTROPHIC_RESPIRATION) * N + m] = W[
            (A + L.A_HETEROTROPHIC_RESPIRATION) * N + m
        ]
        W[(W_OUT + L.O_CARBON_VEGETATION) * N + m] = W[(A + L.A_CARBON_VEGETATION) * N + m]
        W[(W_OUT + L.O_CARBON_DETRITUS) * N + m] = W[(A + L.A_CARBON_DETRITUS) * N + m]
        W[(W_OUT + L.O_CARBON_SOIL) * N + m] = W[(A + L.A_CARBON_SOIL) * N + m]
        W[(W_OUT + L.O_OCEAN_CARBON) * N + m] = W[(A + L.A_OCEAN_CARBON) * N + m]
        W[(W_OUT + L.O_CUMULATIVE_EMISSIONS_CO2) * N + m] = W[
            (A + L.A_CUMULATIVE_EMISSIONS) * N + m
        ]
        W[(W_OUT + L.O_OCEAN_DIC) * N + m] = W[(A + L.A_OCEAN_DIC) * N + m]
        W[(W_OUT + L.O_OCEAN_PCO2) * N + m] = W[(A + L.A_OCEAN_PCO2) * N + m]
        W[(W_OUT + L.O_HEAT_CONTENT) * N + m] = W[(A + L.A_HEAT_CONTENT) * N + m] * _HEAT_TO_ZJ
        W[(W_OUT + L.O_TOA_IMBALANCE) * N + m] = W[(A + L.A_TOA_IMBALANCE) * N + m]
        W[(W_OUT + L.O_CH4_LIFETIME) * N + m] = W[W_TAU_CH4 * N + m]
        W[(W_OUT + L.O_EESC) * N + m] = W[(W_GATHER + _G_EESC_MEAN) * N + m]
        fossil_total = (
            W[(S + L.S_CUMULATIVE_EMISSIONS) * N + m] - W[(S + L.S_CUMULATIVE_LANDUSE) * N + m]
        )
        land_change = (
            W[(S + L.S_CARBON_VEGETATION) * N + m]
            + W[(S + L.S_CARBON_DETRITUS) * N + m]
            + W[(S + L.S_CARBON_SOIL) * N + m]
            - W[(W_CONST + L.C_LAND_CARBON_PI) * N + m]
        )
        permafrost_change = (
            W[(S + L.S_PERMAFROST_FROZEN) * N + m]
            + W[(S + L.S_PERMAFROST_THAWED_FAST) * N + m]
            + W[(S + L.S_PERMAFROST_THAWED_SLOW) * N + m]
            - W[(W_PARAM + L.P_PERMAFROST_CARBON_PI) * N + m]
        )
        W[(W_OUT + L.O_CARBON_RESIDUAL) * N + m] = (
            W[(S + L.S_CO2_PERTURBATION) * N + m] * GTC_PER_PPM
            + W[(S + L.S_OCEAN_UPTAKE) * N + m] * GTC_PER_PPM
            + land_change
            + permafrost_change
            + W[(S + L.S_CUMULATIVE_PERMAFROST_CH4) * N + m]
            - fossil_total
        )
        W[(W_OUT + L.O_CO2_END) * N + m] = co2_pi + W[(S + L.S_CO2_PERTURBATION) * N + m]
        W[(W_OUT + L.O_PERMAFROST_EMISSIONS_CO2) * N + m] = W[
            (A + L.A_PERMAFROST_EMISSIONS_CO2) * N + m
        ]
        W[(W_OUT + L.O_PERMAFROST_EMISSIONS_CH4) * N + m] = W[W_PF_CH4_PREV * N + m]
        W[(W_OUT + L.O_CARBON_PERMAFROST_FROZEN) * N + m] = W[
            (A + L.A_CARBON_PERMAFROST_FROZEN) * N + m
        ]
        W[(W_OUT + L.O_CARBON_PERMAFROST_THAWED) * N + m] = W[
            (A + L.A_CARBON_PERMAFROST_THAWED) * N + m
        ]
        W[(W_OUT + L.O_PERMAFROST_THAWED_FRACTION) * N + m] = W[
            (A + L.A_PERMAFROST_THAWED_FRACTION) * N + m
        ]


@jit
def _integrate_block(
    first,
    count,
    emis,
    emis_index,
    natural,
    co2_target,
    params,
    hseries,
    n_sub,
    out,
    out_cols,
    status,
    emis0,
    init,
    final,
):
    """Integrate members ``first .. first + count - 1`` (``count`` <= :data:`LANES`) together,
    one lane each, the remaining lanes with copies of the first member. Arguments as
    :func:`integrate_members`."""
    lanes = LANES
    n_years = emis.shape[1]
    flat = np.zeros(N_W * lanes)  # the workspace, row after row
    W = flat.reshape((N_W, lanes))
    kset = np.empty(lanes, np.int64)
    flags = np.zeros(lanes, np.int64)
    decay = np.empty(L.N_OCEAN_BOXES)
    gain = np.empty(L.N_OCEAN_BOXES)
    phi = np.empty((3, 3))
    gamma = np.empty(3)
    for m in range(count):
        member = first + m
        p = params[member]
        k = emis_index[member]
        kset[m] = k
        for i in range(L.N_PARAMS):
            W[W_PARAM + i, m] = p[i]
        c = _prepare(p, emis0[k], n_sub, decay, gain, phi, gamma)
        for i in range(L.N_CONSTANTS):
            W[W_CONST + i, m] = c[i]
        for i in range(L.N_OCEAN_BOXES):
            W[W_DECAY + i, m] = decay[i]
            W[W_GAIN + i, m] = gain[i]
        for i in range(3):
            for j in range(3):
                W[W_PHI + 3 * i + j, m] = phi[i, j]
            W[W_GAMMA + i, m] = gamma[i]
        start = init[member]
        if math.isnan(start[0]):  # the pre-industrial steady state
            veg0, det0, soil0 = _pools_pi(p)
            W[W_STATE + L.S_CARBON_VEGETATION, m] = veg0
            W[W_STATE + L.S_CARBON_DETRITUS, m] = det0
            W[W_STATE + L.S_CARBON_SOIL, m] = soil0
            W[W_STATE + L.S_CH4, m] = p[L.P_CH4_PI]
            W[W_STATE + L.S_N2O, m] = p[L.P_N2O_PI]
            W[W_STATE + L.S_PERMAFROST_FROZEN, m] = p[L.P_PERMAFROST_CARBON_PI]
            W[W_T_PREV, m] = 0.0
            W[W_PF_CH4_PREV, m] = 0.0  # permafrost CH4 of the previous year [Mt CH4 yr-1]
            W[W_E_FOS_GUESS, m] = emis0[k, L.E_CO2_FOSSIL]
        else:  # restart
            for i in range(L.N_STATE):
                W[W_STATE + i, m] = start[i]
            W[W_T_PREV, m] = start[R_T_PREV]
            W[W_PF_CH4_PREV, m] = start[R_PF_CH4_PREV]
            W[W_E_FOS_GUESS, m] = start[R_E_FOS_GUESS]
    for m in range(count, lanes):  # padding: copies of the first member
        kset[m] = kset[0]
        for r in range(N_W):
            W[r, m] = W[r, 0]
    for y in range(n_years):
        _gases_and_forcing(flat, y, emis, kset, natural, hseries, emis0, n_sub)
        for m in range(lanes):
            if not math.isfinite(W[W_TAU_CH4, m]):  # a CH4 lifetime factor 1 + s dx <= 0
                flags[m] |= L.STATUS_LIFETIME_RANGE
        any_target = False
        for m in range(lanes):
            target = co2_target[kset[m], y]
            W[W_TARGET, m] = target
            any_target = any_target or math.isfinite(target)
            W[W_CO2_START, m] = W[W_STATE + L.S_CO2_PERTURBATION, m]
        if any_target:
            _concentration_driven_year(W, flat, lanes, n_sub, flags)
        else:
            _carbon_climate_block(flat, n_sub)
        for m in range(lanes):
            W[W_STATE + L.S_CH4, m] = W[W_CH4_END, m]
            W[W_STATE + L.S_N2O, m] = W[W_N2O_END, m]
            W[W_T_PREV, m] = W[W_ACC + L.A_TEMPERATURE_SURFACE, m]
            W[W_PF_CH4_PREV, m] = W[W_ACC + L.A_PERMAFROST_EMISSIONS_CH4, m] * MT_CH4_PER_GTC
        _outputs(flat)
        for m in range(count):  # member by member: its year's columns are adjacent in out
            row = out[first + m, y]
            for j in range(L.N_OUT):
                col = out_cols[j]
                if col >= 0:
                    row[col] = W[W_OUT + j, m]
        # ---- status (codes declared in esm.kernels.coupling.STATUS) ----------------------
        for m in range(count):
            if W[W_ACC + L.A_NEGATIVE, m] > 0.0 or W[W_CH4_END, m] < 0.0 or W[W_N2O_END, m] < 0.0:
                flags[m] |= L.STATUS_NEGATIVE_POOL
            if (
                W[W_ACC + L.A_OCEAN_PCO2_MAX, m] > POLYNOMIAL_PCO2_LIMIT
                and W[W_PARAM + L.P_SWITCH_CARBONATE_CHEMISTRY, m] > 0.5
            ):
                flags[m] |= L.STATUS_CHEMISTRY_RANGE
            if not (
                math.isfinite(W[W_OUT + L.O_CO2, m])
                and math.isfinite(W[W_OUT + L.O_TEMPERATURE, m])
                and math.isfinite(W[W_OUT + L.O_CH4, m])
                and math.isfinite(W[W_OUT + L.O_N2O, m])
            ):
                flags[m] |= L.STATUS_NONFINITE
    for m in range(count):
        member = first + m
        status[member] = flags[m]
        for i in range(L.N_STATE):
            final[member, i] = W[W_STATE + i, m]
        final[member, R_T_PREV] = W[W_T_PREV, m]
        final[member, R_PF_CH4_PREV] = W[W_PF_CH4_PREV, m]
        final[member, R_E_FOS_GUESS] = W[W_E_FOS_GUESS, m]


@jit(nogil=True)
def halogen_sets(emis, halo, hseries, emis0, halo_init, halo_final):
    """:func:`halogen_series` of every emission set ``k``: ``hseries[k]`` and
    ``halo_final[k]``."""
    for k in range(emis.shape[0]):
        halogen_series(emis[k], halo, hseries[k], emis0[k], halo_init[k], halo_final[k])


@jit(nogil=True)
def integrate_members(
    emis,
    emis_index,
    natural,
    co2_target,
    params,
    hseries,
    n_sub,
    out,
    out_cols,
    status,
    emis0,
    init,
    final,
    first_block,
    last_block,
):
    """Integrate the members of blocks ``first_block .. last_block - 1`` (:data:`LANES`
    members each, the members of a block together in SIMD lanes). It releases the GIL, so
    that threads can run disjoint block ranges of one batch at once (``esm.runner``).

    ``emis[k]``, ``co2_target[k]`` are emission sets (scenarios); member ``m`` uses set
    ``emis_index[m]`` and parameters ``params[m]``; ``out[m]`` and ``status[m]`` receive its
    results. ``hseries[k]`` is the halogen chemistry of set ``k`` (:func:`halogen_sets`), which
    does not depend on the member. A member's arithmetic is the same in every lane, block and
    batch size, so results do not depend on how members are batched (tested bit for bit).

    Restart (NaN-first arrays mean "from the pre-industrial steady state"): ``emis0[k]`` are
    the pre-industrial emissions of set ``k``, ``init[m]``/``final[m]`` the restart vectors of
    member ``m`` (``N_RESTART``).
    """
    n_members = params.shape[0]
    for b in range(first_block, last_block):
        first = b * LANES
        _integrate_block(
            first,
            min(LANES, n_members - first),
            emis,
            emis_index,
            natural,
            co2_target,
            params,
            hseries,
            n_sub,
            out,
            out_cols,
            status,
            emis0,
            init,
            final,
        )
