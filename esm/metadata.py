"""The one table of output variables: name, units, long name, kind and CF standard name.

``kind`` is ``"mean"`` for annual means of states, ``"total"`` for annual totals of fluxes
(CF ``cell_methods``) and ``"end"`` for values at the end of the year. ``public`` marks the
names of the output contract (README, *Output variables*); the others are diagnostics that may
be added to. Kernel outputs that are not listed here (e.g. ``temperature``) are intermediate
and converted by the runner.

``units`` are esm's units (README, plots, IAMC conversion factors). Some name the substance
(``GtC yr-1``, ``Mt CH4 yr-1``), which UDUNITS cannot parse; :func:`cf_units` gives the
UDUNITS form written to netCDF files (``Gt yr-1``) and the substance the mass refers to, which
the file states in ``long_name`` (CF has no units for "mass of carbon"). ``standard_name`` is
set only where the CF standard name table has a name for the quantity with compatible
canonical units (checked by ``tests/test_files.py``; a global mean of a local quantity is
written with ``cell_methods: area: mean``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Var:
    units: str
    long_name: str
    kind: str = "mean"  # "mean" (state), "total" (flux) or "end" (end of the year)
    public: bool = False
    standard_name: str | None = None  # CF standard name (global mean where it is local)


_T = "temperature: difference"
_MF = "mole_fraction_of_{}_in_air"

OUTPUTS: dict[str, Var] = {
    # concentrations
    "co2": Var(
        "ppm",
        "atmospheric CO2 mole fraction",
        public=True,
        standard_name=_MF.format("carbon_dioxide"),
    ),
    "ch4": Var(
        "ppb", "atmospheric CH4 mole fraction", public=True, standard_name=_MF.format("methane")
    ),
    "n2o": Var(
        "ppb",
        "atmospheric N2O mole fraction",
        public=True,
        standard_name=_MF.format("nitrous_oxide"),
    ),
    "co2_end": Var(
        "ppm",
        "atmospheric CO2 at the end of the year (prescribed in concentration-driven years)",
        "end",
        standard_name=_MF.format("carbon_dioxide"),
    ),
    # temperature and heat
    "gsat": Var(
        "K",
        "global surface air temperature anomaly relative to 1850-1900",
        public=True,
        standard_name="air_temperature_anomaly",
    ),
    "temperature_intermediate_ocean": Var(
        "K",
        "intermediate ocean layer temperature anomaly",
        standard_name="sea_water_temperature_anomaly",
    ),
    "temperature_deep_ocean": Var(
        "K", "deep ocean layer temperature anomaly", standard_name="sea_water_temperature_anomaly"
    ),
    "ocean_heat_content": Var(
        "ZJ", "ocean heat content change since the start of the run", public=True
    ),
    "toa_imbalance": Var(
        "W m-2",
        "top-of-atmosphere energy imbalance (downward positive)",
        standard_name="toa_net_downward_radiative_flux",
    ),
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
        "1",
        "fraction of the pre-industrial (first-year) frozen permafrost carbon that has thawed "
        "so far, decomposed or not",
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
    """CF-style attributes of an output variable in memory (esm units, ``year`` dimension)."""
    v = OUTPUTS[name]
    a = {"units": v.units, "long_name": v.long_name}
    if v.kind != "end":
        a["cell_methods"] = "year: mean" if v.kind == "mean" else "year: sum"
    if v.standard_name:
        a["standard_name"] = v.standard_name
    if v.units == "K":
        a["units_metadata"] = _T
    return a


#: Substances named in esm unit strings -> the words that state the mass basis in files.
SUBSTANCES = {
    "CO2": "CO2",
    "CH4": "CH4",
    "N2O": "N2O",
    "NO2": "NO2",
    "C": "carbon",
    "N": "nitrogen",
}

_MASS_OF = re.compile(r"(?<![A-Za-z])([kMGTP]?t) ?(CO2|CH4|N2O|NO2|C|N)(?![A-Za-z0-9])")


def cf_units(units: str) -> tuple[str, str | None]:
    """UDUNITS form of an esm unit string and the substance its mass refers to.

    ``"GtC yr-1"`` -> ``("Gt yr-1", "carbon")``; ``"W m-2 (Mt NO2 yr-1)-1"`` ->
    ``("W m-2 (Mt yr-1)-1", "NO2")``; units without a substance are returned unchanged with
    ``None``. Two different substances in one unit string raise ``ValueError``.
    """
    found = {SUBSTANCES[m.group(2)] for m in _MASS_OF.finditer(units)}
    if len(found) > 1:
        raise ValueError(f"unit {units!r} names several substances: {', '.join(sorted(found))}")
    return _MASS_OF.sub(r"\1", units), (found.pop() if found else None)


def cell_methods(name: str, cf_unit: str | None = None) -> str | None:
    """CF ``cell_methods`` of output ``name`` in a file with a ``time`` axis (None: none).

    Annual means are ``time: mean``. An annual total of a flux given as a rate (``Gt yr-1``)
    is the mean rate over the year, so it is ``time: mean`` too (``time: sum`` would need an
    amount unit such as ``Gt``). Values at the end of the year have none. Variables with a
    standard name of a local quantity are global means: ``area: mean`` is added.
    """
    v = OUTPUTS[name]
    if v.kind == "end":
        return None
    unit = cf_unit if cf_unit is not None else cf_units(v.units)[0]
    method = "time: sum" if v.kind == "total" and not unit.endswith("yr-1") else "time: mean"
    return f"area: mean {method}" if v.standard_name else method
