"""esm: a reduced-complexity Earth-system model.

Emissions of CO2, CH4, N2O, aerosol precursors and 40 halogenated gases are turned into
concentrations, effective radiative forcing and temperature, with an explicit atmosphere /
land / ocean carbon budget.

>>> import esm
>>> ds = esm.run("ssp245")            # doctest: +SKIP
>>> many = esm.run_many(["ssp126", "ssp585"], members=100)  # scenario x member  # doctest: +SKIP
>>> ds["gsat"].sel(year=2100)         # doctest: +SKIP
>>> iam = esm.read_scenario("iam.csv")  # IAMC/RCMIP CSV, xlsx, pyam, scmdata  # doctest: +SKIP
>>> esm.run(iam)                       # spliced onto history from its start  # doctest: +SKIP
"""

from esm import io, params, scenarios
from esm.budgets import budget, goal
from esm.ensembles import ensemble
from esm.runner import ModelError, _esm_version, run, run_many
from esm.scenarios import ScenarioError, read_scenario
from esm.sensitivities import sensitivity
from esm.state import Model, State

__all__ = [
    "run",
    "run_many",
    "ensemble",
    "sensitivity",
    "budget",
    "goal",
    "params",
    "scenarios",
    "read_scenario",
    "io",
    "State",
    "Model",
    "ModelError",
    "ScenarioError",
]
__version__ = _esm_version()
