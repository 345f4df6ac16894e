"""The one table of output variables: name, units, long name and kind.

``kind`` is ``"mean"`` for annual means of states and ``"total"`` for annual totals of fluxes
(CF ``cell_methods``). ``public`` marks the names of the output contract (README, *Output
variables*); the others are diagnostics that may be added to. Kernel outputs that are not
listed here (e.g. ``temperature``, ``co2_end``) are intermediate and converted by the runner.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Var:
    units: str
    long_name: str
    kind: str = "mean"  # "mean" (state) or "total" (flux)
    public: bool = False


_T = "temperature: difference"

OUTPUTS: dict[str, Var] = {
    # concentrations
    "co2": Var("ppm", "atmospheric CO2 mole fraction", public=True),
    "ch4": Var("ppb", "atmospheric CH4 mole fraction", public=True),
    "n2o": Var("ppb", "atmospheric N2O mole fraction", public=True),
    "co2_end": Var(
        "ppm", "atmospheric CO2 at the end of the year (prescribed in concentration-driven years)"
    ),
    # temperature and heat
    "gsat": Var("K", "global surface air temperature anomaly relative to 1850-1900", public=True),
    "temperature_intermediate_ocean": Var("K", "intermediate ocean layer temperature anomaly"),
    "temperature_deep_ocean": Var("K", "deep ocean layer temperature anomaly"),
    "ocean_heat_content": Var(
        "ZJ", "ocean heat content change since the start of the run", public=True
    ),
    "toa_imbalance": Var("W m-2", "top-of-atmosphere energy imbalance (downward positive)"),
    # forcing
    "erf": Var("W m-2", "total effective radiative forcing", public=True),
    "erf_anthropogenic": Var("W m-2", "anthropogenic effective radiative forcing"),
    "erf_co2": Var("W m-2", "effective radiative forcing of CO2", public=True),
    "erf_ch4": Var("W m-2", "effective radiative forcing of CH4", public=True),
    "erf_n2o": Var("W m-2", "effective radiative forcing of N2O", public=True),
    "erf_halogens": Var("W m-2", "effective radiative forcing of halogenated gases", public=True),
    "erf_ozone": Var(
        "W m-2",
        "effective radiative forcing of ozone (tropospheric and stratospheric)",
        public=True,
    ),
    "erf_aerosol_ari": Var(
        "W m-2", "effective radiative forcing of aerosol-radiation interactions", public=True
    ),
    "erf_aerosol_aci": Var(
        "W m-2", "effective radiative forcing of aerosol-cloud interactions", public=True
    ),
    "erf_aerosol": Var("W m-2", "effective radiative forcing of aerosols (ari + aci)"),
    "erf_other": Var(
        "W m-2",
        "other anthropogenic ERF: stratospheric H2O, land-use albedo, BC on snow, contrails",
        public=True,
    ),
    "erf_h2o_stratospheric": Var("W m-2", "ERF of stratospheric water vapour from CH4"),
    "erf_land_use": Var("W m-2", "ERF of land-use albedo change"),
    "erf_bc_on_snow": Var("W m-2", "ERF of black carbon on snow and ice"),
    "erf_contrails": Var("W m-2", "ERF of contrails and contrail cirrus"),
    "erf_solar": Var("W m-2", "solar effective radiative forcing"),
    "erf_volcanic": Var("W m-2", "volcanic effective radiative forcing"),
    # carbon budget
    "emissions_co2_fossil": Var(
        "GtC yr-1",
        "fossil and industrial CO2 emissions as fed to the "
        "model (diagnosed in concentration-driven years)",
        "total",
        public=True,
    ),
    "emissions_co2_landuse": Var("GtC yr-1", "land-use change CO2 emissions", "total", public=True),
    "atmospheric_growth": Var("GtC yr-1", "growth of atmospheric CO2", "total", public=True),
    "ocean_sink": Var(
        "GtC yr-1", "ocean CO2 sink (positive: uptake from the atmosphere)", "total", public=True
    ),
    "land_sink": Var(
        "GtC yr-1",
        "natural land CO2 sink, NPP minus heterotrophic "
        "respiration (GCB S_LAND; excludes land-use emissions)",
        "total",
        public=True,
    ),
    "npp": Var("GtC yr-1", "net primary production", "total"),
    "heterotrophic_respiration": Var("GtC yr-1", "heterotrophic respiration", "total"),
    "carbon_vegetation": Var("GtC", "vegetation carbon"),
    "carbon_detritus": Var("GtC", "detritus (litter) carbon"),
    "carbon_soil": Var("GtC", "soil carbon"),
    "ocean_carbon": Var("GtC", "ocean carbon taken up since the start of the run"),
    "cumulative_emissions_co2": Var(
        "GtC", "cumulative fossil and land-use CO2 emissions since the start of the run"
    ),
    "ocean_dic": Var("umol kg-1", "mixed-layer dissolved inorganic carbon perturbation"),
    "ocean_pco2": Var("ppm", "surface-ocean pCO2 perturbation"),
    "ch4_lifetime": Var("yr", "atmospheric CH4 lifetime (start of year)"),
    "eesc": Var("ppt", "equivalent effective stratospheric chlorine"),
    "carbon_residual": Var(
        "GtC",
        "carbon-budget closure residual: change of atmosphere + ocean + land + permafrost carbon, "
        "plus the permafrost carbon emitted as CH4, minus cumulative fossil emissions "
        "(round-off only)",
    ),
    # permafrost carbon
    "permafrost_emissions_co2": Var(
        "GtC yr-1",
        "CO2 emissions from thawed permafrost carbon (natural source; not part of "
        "emissions_co2_fossil or cumulative_emissions_co2)",
        "total",
    ),
    "permafrost_emissions_ch4": Var(
        "Mt CH4 yr-1",
        "CH4 emissions from thawed permafrost carbon (they enter the CH4 cycle the next year)",
        "total",
    ),
    "carbon_permafrost_frozen": Var("GtC", "frozen permafrost soil carbon"),
    "carbon_permafrost_thawed": Var("GtC", "thawed permafrost carbon not yet decomposed"),
    "permafrost_thawed_fraction": Var(
        "1", "thawed fraction of the pre-industrial (first-year) permafrost"
    ),
}

#: Kernel output name -> public name, where they differ.
KERNEL_RENAME = {
    "temperature_intermediate": "temperature_intermediate_ocean",
    "temperature_deep": "temperature_deep_ocean",
    "heat_content": "ocean_heat_content",
}

#: Variables computed by the runner from kernel outputs: name -> kernel outputs it needs.
DERIVED = {
    "gsat": ("temperature",),
    "erf_aerosol": ("erf_aerosol_ari", "erf_aerosol_aci"),
    "erf_other": ("erf_h2o_stratospheric", "erf_land_use", "erf_bc_on_snow", "erf_contrails"),
    "erf_anthropogenic": ("erf", "erf_solar", "erf_volcanic"),
}

#: Names of the output contract.
PUBLIC = tuple(k for k, v in OUTPUTS.items() if v.public)


def attrs(name: str) -> dict[str, str]:
    """CF-style attributes of an output variable."""
    v = OUTPUTS[name]
    a = {
        "units": v.units,
        "long_name": v.long_name,
        "cell_methods": "year: mean" if v.kind == "mean" else "year: sum",
    }
    if v.units == "K":
        a["units_metadata"] = _T
    return a
