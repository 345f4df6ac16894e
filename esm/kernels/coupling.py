"""Declarations of what the coupled time loop (:mod:`esm.kernels.integrate`) computes itself.

Every process module (``ocean``, ``land``, ``permafrost``, ``gases``, ``forcing``, ``ebm``)
declares the state slots it owns (``STATE``), the per-member parameters it reads (``PARAMS``,
names as in :mod:`esm.params`) and the per-year outputs it writes (``OUTPUTS``, units and long
names in :data:`esm.metadata.OUTPUTS`); :mod:`esm.kernels.layout` generates the array layouts
from them. The quantities here have no process module: ``integrate.py`` computes them while it
couples the processes (the atmospheric CO2 box, the carbon-budget bookkeeping, the switches that
couple the carbon cycle to climate, the status codes). They are declared in this module rather
than in ``integrate.py`` because ``integrate.py`` imports the layout generated from them.
"""

from __future__ import annotations

#: State slots (units in the comments). Carbon perturbations relative to the first year.
STATE = (
    # the atmospheric CO2 box (integrate._carbon_climate_block)
    "co2_perturbation",  # ppm above co2_pi
    # carbon-budget accumulators (integrate._carbon_climate_block)
    "cumulative_emissions",  # GtC, cumulative fossil + land-use CO2 emissions
    "cumulative_ocean_sink",  # GtC, cumulative ocean sink
    "cumulative_land_sink",  # GtC, cumulative natural land sink
)

#: Parameters (units, bounds, sources: esm.params).
PARAMS = (
    # pre-industrial (first-year) atmosphere: the steady state every process starts from,
    # set by integrate._integrate_block
    "co2_pi",
    "ch4_pi",
    "n2o_pi",
    # feedback switches of the carbon-climate coupling (integrate._carbon_climate_block)
    "switch_carbon_cycle_sees_warming",
    "switch_carbon_cycle_sees_co2",
)

#: Per-year outputs (units and long names: esm.metadata.OUTPUTS), written by
#: integrate._integrate_block.
OUTPUTS = (
    "co2",  # annual mean of the atmospheric CO2 box
    "emissions_co2_fossil",  # as fed to the model (diagnosed in concentration-driven years)
    "emissions_co2_landuse",
    "atmospheric_growth",
    "cumulative_emissions_co2",
    "carbon_residual",  # carbon-budget closure over atmosphere, ocean, land and permafrost
    "co2_end",
)

#: Sums over the sub-steps of a year that become annual means and totals (rows of the
#: integrator's workspace; layout.ACCUMULATOR_NAMES), kept by the atmospheric CO2 box.
ACCUMULATORS = (
    "co2",  # ppm, annual mean of the atmospheric CO2 box
    "erf_co2",  # W m-2, annual-mean CO2 ERF
    "cumulative_emissions",  # GtC, annual mean of the cumulative CO2 emissions
    "negative",  # 1 once a carbon pool or NPP became negative in the year (status)
)

#: Status codes written per member by integrate._integrate_block: bit ``2**k`` for the k-th
#: name (layout.STATUS_*); the runner raises or warns.
STATUS = (
    "nonfinite",  # a state became NaN or infinite
    "negative_pool",  # a carbon pool, NPP or a concentration went negative
    "chemistry_range",  # ocean pCO2 perturbation beyond the Joos polynomial's range
    "lifetime_range",  # a CH4 lifetime factor (1 + s*dx) became non-positive
    "conc_solver",  # concentration-driven emissions solver did not converge
)
