"""Land carbon: vegetation, detritus (litter) and soil pools.

Structure after Hector's ``simpleNbox`` (Hartin et al. 2015, GMD 8, 939; Dorheim et al. 2024,
GMD 17, 4855), one global biome:

* NPP = NPP_pi * f_luc * (1 + beta x / (1 + s x)), x = ln(CO2 / CO2_pi)
  (CO2 fertilisation: logarithmic for s = 0, as in Hector; s > 0 saturates it at high CO2,
  the way nutrient limitation does, see :func:`net_primary_production`)
* dV/dt = f_v NPP - k_v V
* dD/dt = f_d NPP + f_ld k_v V - (k_dr q + k_ds) D
* dS/dt = (1 - f_v - f_d) NPP + (1 - f_ld) k_v V + k_ds D - k_s q S
* heterotrophic respiration R_h = k_dr q D + k_s q S with q = Q10^(T / 10).

The natural land sink (GCB S_LAND) is NPP - R_h. Land-use emissions (bookkeeping E_LUC, which
already include regrowth and legacy fluxes) are taken out of the pools in proportion to their
size, and NPP is scaled by ``f_luc = 1 - cumulative E_LUC / (V + D + S)_pi`` (Hector's
``npp_luc_adjust``): a pool system at steady state stays at (scaled) steady state, so cleared
land does not "regrow" a second time inside S_LAND.

Numerics: one backward-Euler cascade per sub-step (V, then D, then S), which is unconditionally
stable and conserves carbon exactly: the pool change equals NPP - R_h - E_LUC times dt.
"""

from __future__ import annotations

import math

from esm.kernels import vmath
from esm.kernels._jit import jit

# --------------------------------------------------------------------------------------
# Layout declarations (esm.kernels.layout generates the array layouts from them)
# --------------------------------------------------------------------------------------
#: State slots owned by the land carbon cycle.
STATE = (
    "carbon_vegetation",  # GtC
    "carbon_detritus",  # GtC
    "carbon_soil",  # GtC
    "cumulative_landuse",  # GtC, cumulative land-use emissions (sets f_luc)
)

#: Parameters read (units, bounds, sources: esm.params).
PARAMS = (
    "npp_pi",
    "co2_fertilisation",
    "co2_fertilisation_saturation",
    "respiration_q10",
    "npp_fraction_vegetation",
    "npp_fraction_detritus",
    "litterfall_fraction_detritus",
    "vegetation_turnover_rate",
    "detritus_respiration_rate",
    "detritus_to_soil_rate",
    "soil_respiration_rate",
    # feedback switches (1 = on, 0 = off)
    "switch_co2_fertilisation",
    "switch_respiration_temperature",
)

#: Per-year outputs (units and long names: esm.metadata.OUTPUTS).
OUTPUTS = (
    "land_sink",
    "npp",
    "heterotrophic_respiration",
    "carbon_vegetation",
    "carbon_detritus",
    "carbon_soil",
)

#: Sums over the sub-steps of a year (annual means and totals; layout.ACCUMULATOR_NAMES).
ACCUMULATORS = (
    "land_sink",  # GtC yr-1
    "npp",  # GtC yr-1
    "heterotrophic_respiration",  # GtC yr-1
    "carbon_vegetation",  # GtC
    "carbon_detritus",  # GtC
    "carbon_soil",  # GtC
)

#: Per-member constants computed once before the time loop (integrate._prepare;
#: layout.CONSTANT_NAMES).
CONSTANTS = (
    "land_carbon_pi",  # GtC, pre-industrial vegetation + detritus + soil carbon
    "log_q10",  # ln Q10 of heterotrophic respiration (0 with the feedback switched off)
)


@jit
def steady_state_pools(npp, f_v, f_d, f_ld, k_v, k_dr, k_ds, k_s):
    """Steady-state vegetation, detritus and soil carbon [GtC] for NPP [GtC yr-1] at q = 1."""
    veg = f_v * npp / k_v
    det = (f_d * npp + f_ld * k_v * veg) / (k_dr + k_ds)
    soil = ((1.0 - f_v - f_d) * npp + (1.0 - f_ld) * k_v * veg + k_ds * det) / k_s
    return veg, det, soil


@jit
def prepare(npp, f_v, f_d, f_ld, k_v, k_dr, k_ds, k_s, q10, respiration_switch):
    """The per-member constants :data:`CONSTANTS`, in order: the pre-industrial land carbon
    (vegetation + detritus + soil of :func:`steady_state_pools`) [GtC] and ln Q10 of
    heterotrophic respiration (ln 1 = 0 with ``respiration_switch`` off)."""
    veg, det, soil = steady_state_pools(npp, f_v, f_d, f_ld, k_v, k_dr, k_ds, k_s)
    q = q10 if respiration_switch > 0.5 else 1.0
    return veg + det + soil, math.log(q)


@jit(inline=True)
def fertilisation_factor(beta, saturation, co2, co2_pi):
    """CO2 fertilisation factor of NPP [1]: 1 + beta x / (1 + s max(x, 0)), x = ln(CO2/CO2_pi).

    With ``saturation`` s = 0 this is the logarithmic form of Hector and MAGICC
    (Meinshausen et al. 2011, ACP 11, 1417, eq. A15); s > 0 lets the response saturate at
    high CO2 faster than the logarithm, as progressive nutrient (nitrogen, phosphorus)
    limitation does in land models with nutrient cycles (Zaehle et al. 2015, J. Clim. 28,
    2494; Terrer et al. 2019, Nat. Clim. Change 9, 684). MAGICC6 blends the logarithm with a
    rectangular hyperbola for the same reason. Below pre-industrial CO2 the form stays
    logarithmic. dF/dx = beta at x = 0 for every s, so s changes the response at high CO2
    and leaves the response to small perturbations alone.
    """
    x = vmath.log(co2 / co2_pi)
    return 1.0 + beta * x / (1.0 + saturation * max(x, 0.0))


@jit(inline=True)
def net_primary_production(npp_pi, beta, saturation, co2, co2_pi, luc_factor):
    """NPP [GtC yr-1]: NPP_pi (f_luc + F - 1), with F the CO2 fertilisation factor
    (:func:`fertilisation_factor`) and f_luc the land-use area factor.

    Land use removes the pre-industrial productivity of cleared land (f_luc < 1) but not the
    CO2-fertilisation increment F - 1. This is the convention of the Global Carbon Budget, whose
    land-use emissions (bookkeeping models, without environmental effects) are paired with a
    natural land sink S_LAND computed under pre-industrial land cover (Friedlingstein et al.
    2022, ESSD 14, 1917, sect. 2.5): the loss of additional sink capacity of cleared land is
    counted in neither term. Scaling F - 1 by f_luc as well (Hector's NPP_pi f_luc F) counts
    that loss once more against a sink that excludes it, so a model calibrated to the GCB
    budget needs a CO2 fertilisation about 1/f_luc too strong (f_luc about 0.88 in 2019), which
    lowers its airborne fraction and TCRE in idealised (land-use free) experiments.
    """
    return npp_pi * (luc_factor + fertilisation_factor(beta, saturation, co2, co2_pi) - 1.0)


@jit
def respiration_factor(q10, temperature):
    """Q10 temperature factor of heterotrophic respiration, q10**(T / 10) [1]."""
    return respiration_factor_from_log(math.log(q10), temperature)


@jit(inline=True)
def respiration_factor_from_log(log_q10, temperature):
    """:func:`respiration_factor` from ``log_q10`` = ln(Q10), which the integrator computes
    once per member instead of once per sub-step."""
    return vmath.exp(log_q10 * temperature / 10.0)


@jit(inline=True)
def remove_landuse(veg, det, soil, amount):
    """Take ``amount`` [GtC] out of the pools in proportion to their size; returns new pools."""
    total = veg + det + soil
    frac = amount / total
    return veg - veg * frac, det - det * frac, soil - soil * frac


@jit(inline=True)
def pool_step(veg, det, soil, npp, q, dt, f_v, f_d, f_ld, k_v, k_dr, k_ds, k_s):
    """Advance the pools by ``dt`` [yr] (backward-Euler cascade).

    Returns (veg, det, soil, respiration) where ``respiration`` [GtC] is the heterotrophic
    respiration over the step; ``npp * dt - respiration`` equals the change of total carbon.
    """
    veg_new = (veg + f_v * npp * dt) / (1.0 + k_v * dt)
    litter = k_v * veg_new * dt
    det_new = (det + f_d * npp * dt + f_ld * litter) / (1.0 + (k_dr * q + k_ds) * dt)
    rh_det = k_dr * q * det_new * dt
    to_soil = k_ds * det_new * dt
    soil_new = (soil + (1.0 - f_v - f_d) * npp * dt + (1.0 - f_ld) * litter + to_soil) / (
        1.0 + k_s * q * dt
    )
    rh_soil = k_s * q * soil_new * dt
    return veg_new, det_new, soil_new, rh_det + rh_soil


@jit(inline=True)
def step(
    veg,
    det,
    soil,
    cumulative_landuse,
    co2,
    co2_pi,
    temperature,
    e_luc,
    dt,
    npp_pi,
    beta,
    saturation,
    f_v,
    f_d,
    f_ld,
    k_v,
    k_dr,
    k_ds,
    k_s,
    land_carbon_pi,
    log_q10,
):
    """One sub-step of ``dt`` [yr] of the land carbon cycle: NPP at the start of the step
    (:func:`net_primary_production`, land-use area factor 1 - cumulative land use / the
    pre-industrial land carbon), the land-use emissions ``e_luc`` [GtC yr-1] taken from the
    pools (:func:`remove_landuse`) and the pool cascade with Q10 respiration at
    ``temperature`` [K] (:func:`pool_step`). ``co2`` [ppm] and ``temperature`` are what the
    land sees (the coupling switches are applied by the caller); ``land_carbon_pi`` and
    ``log_q10`` come from :func:`prepare`.

    Returns (veg, det, soil, npp, respiration): pools [GtC], NPP [GtC yr-1] and the
    heterotrophic respiration of the step [GtC].
    """
    luc_factor = 1.0 - cumulative_landuse / land_carbon_pi
    npp = net_primary_production(npp_pi, beta, saturation, co2, co2_pi, luc_factor)
    q = respiration_factor_from_log(log_q10, temperature)
    veg, det, soil = remove_landuse(veg, det, soil, e_luc * dt)
    veg, det, soil, rh = pool_step(veg, det, soil, npp, q, dt, f_v, f_d, f_ld, k_v, k_dr, k_ds, k_s)
    return veg, det, soil, npp, rh
