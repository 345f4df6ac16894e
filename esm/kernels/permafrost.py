"""Permafrost carbon: thaw of a frozen soil-carbon pool and decomposition of the thawed carbon.

Reduced-form scheme of OSCAR v2.2/v3 (Gasser et al. 2018, Nature Geosci. 11, 830,
doi:10.1038/s41561-018-0227-0, Methods and Supplementary Table S4), which emulates the
permafrost modules of JSBACH, ORCHIDEE-MICT and JULES; one northern-permafrost region, two
pools of thawed carbon:

* local (permafrost-region) warming ``T_L = w T`` with an amplification ``w`` of global warming;
* equilibrium thawed fraction of the pre-industrial frozen pool (generalised logistic, zero at
  ``T_L = 0``, tending to 1 for large warming; Gasser et al. 2018, eq. of ``D_pthaw_bar``)::

      a_eq(T_L) = -p_min + (1 + p_min) / (1 + ((1 + 1/p_min)^k - 1) exp(-g k T_L))^(1/k)

  (not below 0: cooling below the first-year state does not freeze extra carbon);
* the thawed fraction ``a`` relaxes towards ``a_eq`` at ``v_thaw`` when thawing and at the
  slower ``v_froz`` when refreezing: ``da/dt = v (a_eq - a)``;
* frozen carbon ``F`` thaws in proportion to the newly thawed area (the still-frozen carbon is
  spread evenly over the still-frozen fraction ``1 - a``): a share ``f_fast`` enters the fast
  thawed pool ``R_fast``, the rest the slow pool ``R_slow``; refreezing returns the share
  ``-da / a`` of each thawed pool to ``F`` (thawed carbon that has already decomposed cannot
  refreeze, so no pool ever goes negative);
* each thawed pool decomposes at ``f_T / tau`` with the exponential (Q10-type) temperature
  factor ``f_T = exp(kappa T_L)`` (Gasser et al. 2018, ``f_resp_pf``, without its small
  quadratic term; Q10 = exp(10 kappa) per 10 K of local warming);
* a fraction ``f_CH4`` of the decomposed carbon is emitted as CH4, the rest as CO2 (2.3 %,
  Gasser et al. 2018 after Schuur et al. 2015, also Schneider von Deimling et al. 2012 and
  Woodard et al. 2021).

At ``T = 0`` nothing thaws: the first (pre-industrial) year is at steady state with all the
permafrost carbon frozen. Carbon budget: ``F + R_fast + R_slow`` changes only by the emissions.

Numerics: the local warming is held at its start-of-year value through the year's sub-steps
(the permafrost time-scales, 1 / v_thaw = 2 yr and longer, are much longer than a year's
change of temperature), so the exponential factors are computed once a year. Each sub-step:
exact exponential relaxation of ``a``; the thaw (or refreeze) transfer; exact exponential decay
of each thawed pool. This is the exact solution for the held temperature, unconditionally
stable; it keeps the pools non-negative and conserves carbon exactly (up to round-off).
"""

from __future__ import annotations

import math

from esm.constants import MOLAR_MASS_C, MOLAR_MASS_CH4
from esm.kernels import vmath
from esm.kernels._jit import jit

#: Mt CH4 per GtC emitted as CH4.
MT_CH4_PER_GTC = 1000.0 * MOLAR_MASS_CH4 / MOLAR_MASS_C

# --------------------------------------------------------------------------------------
# Layout declarations (esm.kernels.layout generates the array layouts from them)
# --------------------------------------------------------------------------------------
#: State slots owned by the permafrost.
STATE = (
    "permafrost_frozen",  # GtC, frozen carbon (permafrost_carbon_pi in the first year)
    "permafrost_thawed_fast",  # GtC, thawed carbon, fast pool
    "permafrost_thawed_slow",  # GtC, thawed carbon, slow pool
    "permafrost_thawed_fraction",  # 1, thawed fraction of the first-year frozen area
    "cumulative_permafrost_ch4",  # GtC emitted as CH4 (leaves the CO2 system)
)

#: Parameters read (units, bounds, sources: esm.params).
PARAMS = (
    "permafrost_carbon_pi",
    "permafrost_warming_amplification",
    "permafrost_thaw_sensitivity",
    "permafrost_thaw_min_fraction",
    "permafrost_thaw_shape",
    "permafrost_thaw_rate",
    "permafrost_refreeze_rate",
    "permafrost_fast_fraction",
    "permafrost_fast_turnover_time",
    "permafrost_slow_turnover_time",
    "permafrost_respiration_sensitivity",
    "permafrost_ch4_fraction",
    "switch_permafrost",  # 1 = on, 0 = off
)

#: Per-year outputs (units and long names: esm.metadata.OUTPUTS).
OUTPUTS = (
    "permafrost_emissions_co2",
    "permafrost_emissions_ch4",
    "carbon_permafrost_frozen",
    "carbon_permafrost_thawed",
    "permafrost_thawed_fraction",
)

#: Sums over the sub-steps of a year (annual means and totals; layout.ACCUMULATOR_NAMES).
ACCUMULATORS = (
    "permafrost_emissions_co2",  # GtC yr-1
    "permafrost_emissions_ch4",  # GtC, the year's total
    "carbon_permafrost_frozen",  # GtC
    "carbon_permafrost_thawed",  # GtC
    "permafrost_thawed_fraction",  # 1
)

#: Per-member constants of the sub-steps (:func:`step_constants`, computed once before the
#: time loop by integrate._prepare; layout.CONSTANT_NAMES).
CONSTANTS = (
    "thaw_curve",  # (1 + 1/p_min)^k - 1
    "thaw_gk",  # g k [K-1]
    "thaw_inv_k",  # 1/k
    "relax_thaw",  # exp(-v_thaw dt)
    "relax_refreeze",  # exp(-v_froz dt)
)


@jit(inline=True)
def local_warming(temperature, amplification):
    """Permafrost-region warming T_L = w T [K] (Gasser et al. 2018, ``w_clim_pf``)."""
    return amplification * temperature


@jit
def thaw_curve_constant(p_min, k):
    """The constant c = (1 + 1/p_min)^k - 1 of the equilibrium thawed fraction [1]."""
    return (1.0 + 1.0 / p_min) ** k - 1.0


@jit(inline=True)
def equilibrium_from_constants(t_local, p_min, c, gk, inv_k):
    """a_eq(T_L) from precomputed c (:func:`thaw_curve_constant`), g k and 1/k (per member)."""
    a = -p_min + (1.0 + p_min) / vmath.power(1.0 + c * vmath.exp(-gk * t_local), inv_k)
    # kept in [0, 1] (1 - a_eq may round to below 0 for strong warming); selects, not
    # branches, so that the integrator's loop over members stays vectorisable
    a = 0.0 if a < 0.0 else a
    a = 1.0 if a > 1.0 else a
    return 0.0 if t_local <= 0.0 else a


@jit
def thawed_fraction_equilibrium(t_local, p_min, g, k):
    """Equilibrium thawed fraction a_eq(T_L) [1] of the pre-industrial frozen carbon.

    Generalised logistic of Gasser et al. (2018, Methods, ``D_pthaw_bar``; OSCAR v3
    ``Eq__D_pthaw_bar``)::

        a_eq = -p_min + (1 + p_min) / (1 + ((1 + 1/p_min)^k - 1) exp(-g k T_L))^(1/k)

    0 at T_L = 0, -> 1 for T_L -> infinity; ``p_min`` [1] sets the lower asymptote -p_min,
    ``g`` [K-1] the sensitivity and ``k`` [1] the shape. Kept in [0, 1] (no extra freezing;
    round-off).
    """
    return equilibrium_from_constants(t_local, p_min, thaw_curve_constant(p_min, k), g * k, 1.0 / k)


@jit(inline=True)
def thaw_transfer(frozen, fast, slow, a, a_new, f_fast):
    """Move carbon between the frozen and thawed pools for a thawed-fraction change a -> a_new.

    Thaw (a_new > a): the frozen carbon of the newly thawed area, ``F (a_new - a) / (1 - a)``,
    goes to the fast (share ``f_fast``) and slow pools. Refreeze (a_new < a): the share
    ``(a - a_new) / a`` of each thawed pool returns to the frozen pool. Returns the new
    (frozen, fast, slow) [GtC]; their sum is unchanged.
    """
    # both cases computed and one selected (the integrator's loop over members stays
    # vectorisable); a division by zero in the case not taken is discarded
    thawed = frozen * (a_new - a) / (1.0 - a)
    to_fast = f_fast * thawed
    share = (a - a_new) / a
    back_fast = fast * share
    back_slow = slow * share
    thaw = a_new > a
    refreeze = a_new < a
    frozen_new = (
        frozen - thawed if thaw else (frozen + back_fast + back_slow if refreeze else frozen)
    )
    fast_new = fast + to_fast if thaw else (fast - back_fast if refreeze else fast)
    slow_new = slow + (thawed - to_fast) if thaw else (slow - back_slow if refreeze else slow)
    return frozen_new, fast_new, slow_new


@jit(inline=True)
def decomposition_factor(t_local, kappa):
    """Temperature factor exp(kappa T_L) [1] of the decomposition of thawed carbon.

    Gasser et al. (2018, ``f_resp_pf`` = exp(k_resp (g1 T_L + g2 T_L^2)), here linear:
    kappa = k_resp g1 [K-1]); equivalent to Q10^(T_L / 10) with Q10 = exp(10 kappa).
    """
    return vmath.exp(kappa * t_local)


@jit
def step_constants(dt, p_min, g, k, v_thaw, v_froz):
    """Per-member constants for sub-steps of ``dt`` [yr], :data:`CONSTANTS` in order: (curve,
    gk, inv_k, relax_thaw, relax_froz) = ((1 + 1/p_min)^k - 1, g k, 1/k, exp(-v_thaw dt),
    exp(-v_froz dt)). Also named :func:`prepare`, as in the other process modules."""
    return (
        thaw_curve_constant(p_min, k),
        g * k,
        1.0 / k,
        math.exp(-v_thaw * dt),
        math.exp(-v_froz * dt),
    )


#: The per-member constants of this process (the name every process module uses).
prepare = step_constants


@jit(inline=True)
def step_factors(
    t_local, a, dt, p_min, curve, gk, inv_k, relax_thaw, relax_froz, tau_fast, tau_slow, kappa
):
    """Factors of the sub-steps taken at local warming ``t_local`` [K] from thawed fraction a.

    Returns (a_eq, relax, keep_fast, keep_slow): the equilibrium thawed fraction, the
    relaxation factor of ``a`` over one sub-step (thaw or refreeze rate: ``a`` approaches
    ``a_eq`` without crossing it, so the direction holds while ``t_local`` does) and the
    fractions of the fast and slow thawed pools left after one sub-step of exact decay.
    """
    a_eq = equilibrium_from_constants(t_local, p_min, curve, gk, inv_k)
    relax_factor = relax_thaw if a_eq >= a else relax_froz
    factor = decomposition_factor(t_local, kappa)
    keep_fast = vmath.exp(-factor * dt / tau_fast)
    keep_slow = vmath.exp(-factor * dt / tau_slow)
    return a_eq, relax_factor, keep_fast, keep_slow


@jit(inline=True)
def step(frozen, fast, slow, a, a_eq, relax_factor, keep_fast, keep_slow, f_fast):
    """One sub-step with the factors of :func:`step_factors`: relax the thawed fraction, move
    the thawed (or refrozen) carbon, decay the thawed pools exactly.

    Returns (frozen, fast, slow, a, released): pools [GtC], thawed fraction [1] and the carbon
    [GtC] decomposed (emitted as CO2 and CH4, split by the caller). The pool total falls by
    exactly ``released`` (up to round-off).
    """
    a_new = a_eq + (a - a_eq) * relax_factor
    frozen, fast, slow = thaw_transfer(frozen, fast, slow, a, a_new, f_fast)
    fast_new = fast * keep_fast
    slow_new = slow * keep_slow
    return frozen, fast_new, slow_new, a_new, (fast - fast_new) + (slow - slow_new)


@jit
def advance(
    frozen,
    fast,
    slow,
    a,
    t_local,
    dt,
    p_min,
    g,
    k,
    v_thaw,
    v_froz,
    f_fast,
    tau_fast,
    tau_slow,
    kappa,
):
    """Advance the permafrost pools by ``dt`` [yr] at constant local warming ``t_local`` [K].

    Exact for constant ``t_local``. Returns (frozen, fast, slow, a, released) as
    :func:`step`. (The integrator computes :func:`step_constants` once per member and
    :func:`step_factors` once per year, then calls :func:`step`.)
    """
    curve, gk, inv_k, relax_thaw, relax_froz = step_constants(dt, p_min, g, k, v_thaw, v_froz)
    a_eq, relax_factor, keep_fast, keep_slow = step_factors(
        t_local, a, dt, p_min, curve, gk, inv_k, relax_thaw, relax_froz, tau_fast, tau_slow, kappa
    )
    return step(frozen, fast, slow, a, a_eq, relax_factor, keep_fast, keep_slow, f_fast)
