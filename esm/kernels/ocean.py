"""Ocean carbon: Joos et al. (1996) mixed-layer pulse-response model (HILDA).

Physics (Joos et al. 1996, Tellus 48B, 397-417; as in BernSCM, Strassmann & Joos 2018,
GMD 11, 1887):

* air-sea flux ``F = k_g (dCO2_atm - dpCO2_sea)`` [ppm yr-1 of atmospheric CO2],
  ``k_g = 1 / ocean_gas_exchange_time``;
* mixed-layer DIC perturbation ``dDIC(t) = K * integral F(t') r_s(t - t') dt'`` with
  ``K = c / (h A_oc)`` [umol kg-1 ppm-1] and the HILDA response ``r_s`` written as a sum of
  exponentials (BernSCM single-piece refit, ``parOceanHILDA6P.inc``), so the convolution is
  carried as one recursive state per exponential (never an O(N^2) sum);
* carbonate chemistry: Joos et al. (1996, App. A) fifth-order polynomial dDIC -> dpCO2;
* temperature dependence of pCO2 (Takahashi et al. 1993):
  ``dpCO2(T) = (dpCO2 + CO2_pi) exp(alpha T_ocean) - CO2_pi`` with the sea-surface warming
  ``T_ocean`` = ``ocean_surface_warming_ratio`` x GSAT (the caller applies the ratio).

Numerics: the response states are advanced exactly for a flux held constant over a
sub-step; the air-sea flux is implicit (backward Euler, linearised once about the state
without the new flux), which is stable for any step and converged at six sub-steps a year
(Strassmann & Joos 2018, section 4: "implicit treatment is essential for ocean C").
:func:`step` is one such sub-step of one member, the function the integrator calls.
"""

from __future__ import annotations

import math

import numpy as np

from esm.kernels import vmath
from esm.kernels._jit import jit

#: BernSCM refit of the HILDA mixed-layer response r_s(t) = A_INF + sum A_i exp(-t / TAU_i)
#: (``src/parOceanHILDA6P.inc``, Strassmann & Joos 2018). Dimensionless weights, years.
HILDA_A = np.array([0.27830433, 0.23337218, 0.13732822, 0.05154051, 0.03503318, 0.24013944])
HILDA_TAU = np.array([0.45253504, 2.19901724, 12.03837102, 59.58359820, 237.30651757, 0.03855458])
HILDA_A_INF = 0.022936

#: Unit factor c in dDIC = c / (h A_oc) * integral F dt [umol m3 ppm-1 kg-1] (Joos et al. 1996).
DIC_FACTOR = 1.722e17

#: Upper end of the range in which the Joos (1996) polynomial was fitted [ppm].
POLYNOMIAL_PCO2_LIMIT = 1320.0

# --------------------------------------------------------------------------------------
# Layout declarations (esm.kernels.layout generates the array layouts from them)
# --------------------------------------------------------------------------------------
#: Recursive convolution integrals carried in the state, one per exponential of the response.
N_BOXES = HILDA_A.size

#: State slots owned by the ocean.
STATE = (
    *(f"ocean_box{i}" for i in range(N_BOXES)),  # ppm yr, response integrals (recursive)
    "ocean_uptake",  # ppm of atmospheric CO2, cumulative air-to-sea flux
)

#: Parameters read (units, bounds, sources: esm.params).
PARAMS = (
    "ocean_gas_exchange_time",
    "ocean_mixing_time_scale",
    "ocean_mixed_layer_depth",
    "ocean_area",
    "ocean_chemistry_temperature",
    "ocean_pco2_temperature_sensitivity",
    "ocean_surface_warming_ratio",
    # feedback switches (1 = on, 0 = off)
    "switch_carbonate_chemistry",
    "switch_ocean_solubility_temperature",
)

#: Per-year outputs (units and long names: esm.metadata.OUTPUTS).
OUTPUTS = (
    "ocean_sink",
    "ocean_carbon",
    "ocean_dic",
    "ocean_pco2",
)

#: Sums over the sub-steps of a year (annual means and totals; layout.ACCUMULATOR_NAMES).
ACCUMULATORS = (
    "ocean_sink",  # GtC yr-1
    "ocean_dic",  # umol kg-1
    "ocean_pco2",  # ppm
    "ocean_carbon",  # GtC, cumulative uptake
    "ocean_pco2_max",  # ppm, the year's highest surface pCO2 (range of the chemistry fit)
)

#: Per-member constants computed once before the time loop (integrate._prepare;
#: layout.CONSTANT_NAMES).
CONSTANTS = (
    "dic_per_ppm",  # umol kg-1 of mixed-layer DIC per ppm taken up
    "dic_per_flux",  # DIC added by a unit flux over one sub-step [umol kg-1 / (ppm yr-1)]
    "gas_exchange_rate",  # yr-1, 1 / ocean_gas_exchange_time
)


@jit
def dic_per_ppm(mixed_layer_depth, ocean_area):
    """Mixed-layer DIC change per ppm of CO2 taken up [umol kg-1 ppm-1] (6.3425 for HILDA)."""
    return DIC_FACTOR / (mixed_layer_depth * ocean_area)


@jit
def hilda_response(t, tau_scale):
    """Mixed-layer response r_s(t) [1] of the HILDA refit with time-scales times ``tau_scale``."""
    r = HILDA_A_INF
    for i in range(HILDA_A.size):
        r += HILDA_A[i] * math.exp(-t / (HILDA_TAU[i] * tau_scale))
    return r


@jit(inline=True)
def joos_pco2(dic, t_chem):
    """Surface-ocean pCO2 perturbation [ppm] for a DIC perturbation [umol kg-1].

    Joos et al. (1996) Appendix A polynomial at chemistry temperature ``t_chem`` [degC]
    (valid 17.7-18.3 degC and dpCO2 up to about 1320 ppm). Returns (dpCO2, d dpCO2 / d dDIC).
    """
    c1 = 1.5568 - 1.3993e-2 * t_chem
    c2 = (7.4706 - 0.20207 * t_chem) * 1e-3
    c3 = -(1.2748 - 0.12015 * t_chem) * 1e-5
    c4 = (2.4491 - 0.12639 * t_chem) * 1e-7
    c5 = -(1.5468 - 0.15326 * t_chem) * 1e-10
    d = dic
    value = d * (c1 + d * (c2 + d * (c3 + d * (c4 + d * c5))))
    slope = c1 + d * (2.0 * c2 + d * (3.0 * c3 + d * (4.0 * c4 + d * 5.0 * c5)))
    return value, slope


@jit(inline=True)
def surface_pco2(dic, temperature, co2_pi, t_chem, alpha, nonlinear_chemistry, solubility):
    """Surface pCO2 perturbation [ppm] and its DIC derivative, with the feedback switches.

    ``nonlinear_chemistry`` = 0 replaces the polynomial by its initial slope (a fixed Revelle
    factor, no carbonate saturation); ``solubility`` = 0 removes the temperature factor.
    """
    # every case computed and one selected, so that the integrator's loop over members has
    # no branch (it stays vectorisable)
    p_poly, dp_poly = joos_pco2(dic, t_chem)
    p0, dp_linear = joos_pco2(0.0, t_chem)
    nonlinear = nonlinear_chemistry > 0.5
    p = p_poly if nonlinear else dp_linear * dic
    dp = dp_poly if nonlinear else dp_linear
    f = vmath.exp(alpha * temperature)
    with_solubility = solubility > 0.5
    p_warm = (p + co2_pi) * f - co2_pi if with_solubility else p
    dp_warm = dp * f if with_solubility else dp
    return p_warm, dp_warm


@jit
def propagators(dt, tau_scale, decay, gain):
    """Fill the exact one-step propagators of the response states for step ``dt`` [yr].

    For each exponential ``i``: ``decay[i] = exp(-dt / tau_i)`` and
    ``gain[i] = tau_i (1 - decay[i])`` [yr], so that a state advances as
    ``M_i <- M_i decay[i] + F gain[i]`` (exact for a flux F held constant over the step).
    Returns the total weight ``w`` of a unit flux in the response-weighted sum
    (``A_INF dt + sum gain``) [yr].
    """
    w = HILDA_A_INF * dt
    for i in range(HILDA_A.size):
        tau = HILDA_TAU[i] * tau_scale
        decay[i] = math.exp(-dt / tau)
        gain[i] = tau * (1.0 - decay[i])
        w += HILDA_A[i] * gain[i]
    return w


@jit
def prepare(dt, mixed_layer_depth, ocean_area, tau_scale, gas_exchange_time, decay, gain):
    """The per-member constants :data:`CONSTANTS`, in order, for sub-steps of ``dt`` [yr]:
    DIC per ppm taken up [umol kg-1 ppm-1] (:func:`dic_per_ppm`), DIC added by a unit flux
    over one sub-step (times the response weight of :func:`propagators`, which fills
    ``decay`` and ``gain``) and the gas-exchange rate 1 / ``gas_exchange_time`` [yr-1]."""
    per_ppm = dic_per_ppm(mixed_layer_depth, ocean_area)
    w = propagators(dt, tau_scale, decay, gain)
    return per_ppm, per_ppm * w, 1.0 / gas_exchange_time


@jit(inline=True)
def response_term(i, box, decay):
    """Term ``A_i M_i decay_i`` of :func:`response_sum` for response state ``i`` [ppm yr]."""
    return HILDA_A[i] * box * decay


@jit(inline=True)
def advance_box(box, flux, decay, gain):
    """One response state advanced by a sub-step of constant flux [ppm yr-1] (exact)."""
    return box * decay + flux * gain


@jit(inline=True)
def response_sum(boxes, uptake, decay):
    """Response-weighted integral sum(A_i M_i decay_i) + A_INF uptake [ppm yr] (arrays or
    tuples)."""
    s = HILDA_A_INF * uptake
    for i in range(HILDA_A.size):
        s += response_term(i, boxes[i], decay[i])
    return s


@jit(inline=True)
def advance_each(boxes, flux, decay, gain):
    """The response states (a tuple) advanced by a sub-step of constant flux [ppm yr-1]
    (:func:`advance_box` for each of the six exponentials of the HILDA refit)."""
    return (
        advance_box(boxes[0], flux, decay[0], gain[0]),
        advance_box(boxes[1], flux, decay[1], gain[1]),
        advance_box(boxes[2], flux, decay[2], gain[2]),
        advance_box(boxes[3], flux, decay[3], gain[3]),
        advance_box(boxes[4], flux, decay[4], gain[4]),
        advance_box(boxes[5], flux, decay[5], gain[5]),
    )


if N_BOXES != 6:  # advance_each is written out for the six exponentials of the refit
    raise ImportError(f"ocean.advance_each expects 6 response states, the refit has {N_BOXES}")


@jit
def advance_boxes(boxes, flux, dt, decay, gain):
    """Advance the response states in place with a constant flux [ppm yr-1]; returns nothing."""
    for i in range(HILDA_A.size):
        boxes[i] = advance_box(boxes[i], flux, decay[i], gain[i])


@jit(inline=True)
def implicit_air_sea_flux(dco2_free, dco2_dilution, dic_per_flux, kg, g0, g1):
    """Air-sea flux [ppm yr-1] over one sub-step, backward Euler linearised about ``dic_old``.

    Solves ``F = kg (dCO2_end - dpCO2_sea(dDIC_old + F w))`` with
    ``dCO2_end = dco2_free - F * dco2_dilution`` (``dco2_dilution`` = dt when the atmosphere
    responds to the flux, 0 when the atmospheric CO2 seen by the ocean is fixed) and the
    chemistry linearised about the DIC without the new flux as ``g0 + g1 F w``, where
    ``dic_per_flux`` = w [umol kg-1 per ppm yr-1] is the DIC a unit flux adds in the step.
    """
    return kg * (dco2_free - g0) / (1.0 + kg * dco2_dilution + kg * g1 * dic_per_flux)


@jit(inline=True)
def step(
    boxes,
    uptake,
    dco2_seen,
    dilution,
    dt,
    temperature,
    co2_pi,
    surface_warming_ratio,
    t_chem,
    alpha,
    nonlinear_chemistry,
    solubility,
    dic_per_ppm,
    dic_per_flux,
    kg,
    decay,
    gain,
):
    """One sub-step of ``dt`` [yr] of the ocean carbon cycle for one member.

    The mixed-layer DIC from the response states (:func:`response_sum` of the tuples
    ``boxes`` [ppm yr] and ``decay``, with ``gain``, of :func:`propagators`) and the uptake so
    far ``uptake`` [ppm]; its surface pCO2 at the sea-surface warming ``surface_warming_ratio``
    x ``temperature`` [K] (:func:`surface_pco2`); the implicit air-sea flux
    (:func:`implicit_air_sea_flux`) against ``dco2_seen``, the atmospheric CO2 perturbation
    [ppm] the ocean would see at the end of the step without it, diluted by ``dilution`` [yr]
    per unit flux (``dt`` when the atmosphere responds, 0 when it is held fixed: the caller
    applies the coupling switches); the response states advanced with that flux
    (:func:`advance_each`). ``dic_per_ppm``, ``dic_per_flux`` and ``kg`` are the
    :data:`CONSTANTS` of :func:`prepare`.

    Returns (boxes, uptake, flux, dic, pco2): the new response states, the new cumulative
    uptake [ppm], the flux [ppm yr-1] and the mixed-layer DIC [umol kg-1] and surface pCO2
    [ppm] perturbations at the end of the step.
    """
    dic = dic_per_ppm * response_sum(boxes, uptake, decay)
    g0, g1 = surface_pco2(
        dic,
        temperature * surface_warming_ratio,
        co2_pi,
        t_chem,
        alpha,
        nonlinear_chemistry,
        solubility,
    )
    flux = implicit_air_sea_flux(dco2_seen, dilution, dic_per_flux, kg, g0, g1)
    boxes_new = advance_each(boxes, flux, decay, gain)
    return (
        boxes_new,
        uptake + flux * dt,
        flux,
        dic + flux * dic_per_flux,
        g0 + g1 * flux * dic_per_flux,
    )
