"""Atmospheric cycles of CH4, N2O and the halogenated gases (one well-mixed box each).

Each gas obeys ``dB/dt = E_anthropogenic + E_natural - B / tau`` for its total atmospheric
burden B. The natural source is set so that the first year (pre-industrial) is at steady state:
``E_natural = X_pi m / tau_pi - E_anthropogenic(first year)`` (m = mass per unit mole fraction).
With a constant lifetime this is identical to FaIR's perturbation form; with a state-dependent
lifetime it keeps the natural source fixed while the sink changes.

Lifetimes:

* CH4: ``tau = tau_pi * alpha`` with the Thornhill et al. (2021, ACP 21, 853) multi-species form
  used in AR6 and FaIR 2: ``ln alpha = sum_i ln(1 + s_i dx_i)`` over CH4, N2O, NOx, NMVOC, EESC
  and temperature;
* N2O: ``tau = tau_pi (N2O / N2O_pi)^k`` (Ward & Mahowald 2014, eq. B8, as in Hector);
* halogens: constant lifetimes from the gas table.

Numerics: exact exponential over one year with the lifetime of the start of the year (FaIR 2
``gas_cycle/forward.py``); the annual mean is the exact mean of that solution.
"""

from __future__ import annotations

import math

from esm.constants import BR_CL_RATIO, TG_PER_PPB_CH4, TG_PER_PPB_N2O
from esm.kernels import vmath
from esm.kernels._jit import jit

# --------------------------------------------------------------------------------------
# Layout declarations (esm.kernels.layout generates the array layouts from them)
# --------------------------------------------------------------------------------------
#: State slots owned by the gas cycles (the halogens are member-independent: integrate.py
#: computes them once per emission set, outside the member state).
STATE = (
    "ch4",  # ppb
    "n2o",  # ppb
)

#: Parameters read (units, bounds, sources: esm.params). The pre-industrial concentrations
#: ch4_pi and n2o_pi are declared with co2_pi in esm.kernels.coupling.
PARAMS = (
    "ch4_lifetime_pi",
    "ch4_lifetime_ch4_sensitivity",
    "ch4_lifetime_n2o_sensitivity",
    "ch4_lifetime_nox_sensitivity",
    "ch4_lifetime_nmvoc_sensitivity",
    "ch4_lifetime_eesc_sensitivity",
    "ch4_lifetime_temperature_sensitivity",
    "n2o_lifetime_pi",
    "n2o_lifetime_n2o_exponent",
    "switch_ch4_lifetime",  # feedback switch (1 = on, 0 = off)
)

#: Per-year outputs (units and long names: esm.metadata.OUTPUTS).
OUTPUTS = (
    "ch4",
    "n2o",
    "ch4_lifetime",
    "eesc",
)

#: Per-member constants computed once before the time loop (integrate._prepare;
#: layout.CONSTANT_NAMES): natural sources that hold the first year at steady state.
CONSTANTS = (
    "ch4_natural",  # Tg CH4 yr-1
    "n2o_natural",  # Tg N2O yr-1
)


@jit(inline=True)
def one_box_step(x_start, source, tau, mass_per_unit, dt):
    """Advance a one-box gas by ``dt`` [yr] with constant source [mass yr-1] and lifetime [yr].

    Returns (x_end, x_mean) in the units of ``x_start`` (concentration); ``mass_per_unit``
    converts concentration to mass (e.g. Tg per ppb).
    """
    x_eq = source * tau / mass_per_unit
    decay = vmath.exp(-dt / tau)
    x_end = x_eq + (x_start - x_eq) * decay
    x_mean = x_eq + (x_start - x_eq) * tau * (1.0 - decay) / dt
    return x_end, x_mean


@jit(inline=True)
def ch4_lifetime_factor(
    dch4, dn2o, dnox, dnmvoc, deesc, temperature, s_ch4, s_n2o, s_nox, s_nmvoc, s_eesc, s_temp
):
    """CH4 lifetime factor alpha [1] (Thornhill et al. 2021 / FaIR 2 ``ch4_lifetime.py``).

    ``dch4``, ``dn2o`` [ppb], ``deesc`` [ppt]: changes of concentration; ``dnox``, ``dnmvoc``
    [Mt yr-1]: changes of emission, all relative to the first year; ``temperature`` [K].
    Returns NaN when a factor ``1 + s dx`` is not positive (outside the formula's domain).

    FaIR writes the product of the six factors as ``exp(sum(log(1 + s dx)))``; it is computed
    here as the product itself, the same number to round-off (``tests/test_gases.py``)
    without six logarithms and an exponential per member and year.
    """
    t_ch4 = 1.0 + s_ch4 * dch4
    t_n2o = 1.0 + s_n2o * dn2o
    t_nox = 1.0 + s_nox * dnox
    t_nmvoc = 1.0 + s_nmvoc * dnmvoc
    t_eesc = 1.0 + s_eesc * deesc
    t_temp = 1.0 + s_temp * temperature
    alpha = t_ch4 * t_n2o * t_nox * t_nmvoc * t_eesc * t_temp
    # selects, not branches: the integrator's loop over members stays vectorisable
    alpha = math.nan if t_ch4 <= 0.0 else alpha
    alpha = math.nan if t_n2o <= 0.0 else alpha
    alpha = math.nan if t_nox <= 0.0 else alpha
    alpha = math.nan if t_nmvoc <= 0.0 else alpha
    alpha = math.nan if t_eesc <= 0.0 else alpha
    return math.nan if t_temp <= 0.0 else alpha


@jit
def eesc(conc, cl_atoms, br_atoms, fractional_release):
    """Equivalent effective stratospheric chlorine [ppt] from halogen concentrations [ppt].

    EESC = sum_i (n_Cl,i + 45 n_Br,i) X_i fr_i (WMO 2018; FaIR 2 ``gas_cycle/eesc.py``, where
    the release factors relative to CFC-11 cancel).
    """
    total = 0.0
    for i in range(conc.size):
        total += (cl_atoms[i] + BR_CL_RATIO * br_atoms[i]) * conc[i] * fractional_release[i]
    return total


@jit
def prepare(ch4_pi, n2o_pi, ch4_lifetime_pi, n2o_lifetime_pi, ch4_emissions_0, n2o_emissions_0):
    """The per-member constants :data:`CONSTANTS`, in order: the natural CH4 and N2O sources
    [Tg yr-1] that hold the first year at steady state (burden / lifetime less the first
    year's anthropogenic emissions)."""
    return (
        ch4_pi * TG_PER_PPB_CH4 / ch4_lifetime_pi - ch4_emissions_0,
        n2o_pi * TG_PER_PPB_N2O / n2o_lifetime_pi - n2o_emissions_0,
    )
