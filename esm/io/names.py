"""The one RCMIP / IAMC name table of esm, for both directions.

Scenario input (:mod:`esm.scenarios.iamc`, :func:`esm.scenarios.read_scenario`) reads the
emission and natural-forcing names of :data:`SPECIES_VARIABLES`, :data:`ALIASES` and
:data:`NATURAL_VARIABLES`, ignoring :data:`NOT_MODELLED` gases and :data:`AGGREGATES` (the
classification rules are in :mod:`esm.scenarios.iamc`). Model output
(:mod:`esm.io.iamc`) is written under the names of :data:`IAMC_VARIABLES`, which takes the
CO2 emission and natural-forcing names from the input tables, so a written run reads back.

:data:`IAMC_VARIABLES` is the one table that names esm output variables in the IAMC world:
esm variable -> (RCMIP variable name, IAMC unit string, factor from the esm unit). The names are
those of the RCMIP v5.1.0 input files and of the RCMIP / openscm-runner output variables, so
that results plug into RCMIP-style tooling. Choices worth knowing:

* **Carbon fluxes.** RCMIP has no ``Carbon Flux|...`` hierarchy; it reports the carbon budget
  as ``Net Atmosphere to Ocean Flux|CO2`` and ``Net Atmosphere to Land Flux|CO2`` (positive:
  uptake from the atmosphere), in Mt CO2/yr like its emissions. ``ocean_sink`` maps to the
  former. ``land_sink`` (the natural land sink, GCB S_LAND) maps to the latter, as in the
  emission-driven simple climate models that report it (land-use emissions are an input
  emission there and here): the budget then closes in IAMC names as
  ``Emissions|CO2|MAGICC Fossil and Industrial`` + ``Emissions|CO2|MAGICC AFOLU`` +
  ``permafrost_emissions_co2`` = atmospheric growth + ``Net Atmosphere to Ocean Flux|CO2`` +
  ``Net Atmosphere to Land Flux|CO2``. The land-atmosphere exchange *including* land use is
  that land flux minus ``Emissions|CO2|MAGICC AFOLU``. ``atmospheric_growth`` and the
  permafrost outputs have no RCMIP names and are not written.
* **Halogenated gases.** RCMIP v5.1.0 reports the ERF of all halogenated gases together as
  ``Effective Radiative Forcing|Anthropogenic|Other|Other WMGHGs`` (every well-mixed GHG
  except CO2, CH4, N2O); ``erf_halogens`` maps there.
* **Ozone.** RCMIP splits ``...|Tropospheric Ozone`` and ``...|Stratospheric Ozone``; esm
  computes their sum, written as ``Effective Radiative Forcing|Anthropogenic|Ozone``.
* **Land use.** ``erf_land_use`` (albedo) is RCMIP's ``...|Anthropogenic|Albedo Change``.
* ``erf_other`` is **not** written: RCMIP's ``...|Anthropogenic|Other`` holds BC on snow,
  stratospheric H2O, contrails *and the halogenated gases*, but not land-use albedo, so the two
  sums differ. Its four components are written under their RCMIP names instead.
* ``toa_imbalance`` is RCMIP's ``Heat Uptake`` (W/m^2, whole Earth); ``ocean_heat_content``
  is ``Heat Content|Ocean`` in ZJ; ``gsat`` is ``Surface Air Temperature Change`` (relative to
  1850-1900 when the run covers it, see the ``reference_period`` attribute of ``gsat``).
"""

from __future__ import annotations

from typing import NamedTuple

from esm.constants import GTCO2_PER_GTC

__all__ = [
    "SPECIES_VARIABLES",
    "ALIASES",
    "NATURAL_VARIABLES",
    "NOT_MODELLED",
    "AGGREGATES",
    "IamcName",
    "IAMC_VARIABLES",
    "NOT_IN_IAMC",
    "MT_CO2_PER_GTC",
]

# ------------------------------------------------------------------------------ scenario input
_MF = "Emissions|Montreal Gases"
_FG = "Emissions|F-Gases"

#: Species -> its RCMIP v5.1.0 emissions variable (the canonical name; esm writes these).
SPECIES_VARIABLES: dict[str, str] = {
    "co2_fossil": "Emissions|CO2|MAGICC Fossil and Industrial",
    "co2_landuse": "Emissions|CO2|MAGICC AFOLU",
    "ch4": "Emissions|CH4",
    "n2o": "Emissions|N2O",
    "so2": "Emissions|Sulfur",
    "bc": "Emissions|BC",
    "oc": "Emissions|OC",
    "nh3": "Emissions|NH3",
    "nox": "Emissions|NOx",
    "nox_aviation": "Emissions|NOx|MAGICC Fossil and Industrial|Aircraft",
    "nmvoc": "Emissions|VOC",
    "co": "Emissions|CO",
    "cfc11": f"{_MF}|CFC|CFC11",
    "cfc12": f"{_MF}|CFC|CFC12",
    "cfc113": f"{_MF}|CFC|CFC113",
    "cfc114": f"{_MF}|CFC|CFC114",
    "cfc115": f"{_MF}|CFC|CFC115",
    "hcfc22": f"{_MF}|HCFC22",
    "hcfc141b": f"{_MF}|HCFC141b",
    "hcfc142b": f"{_MF}|HCFC142b",
    "ccl4": f"{_MF}|CCl4",
    "chcl3": f"{_MF}|CHCl3",
    "ch2cl2": f"{_MF}|CH2Cl2",
    "ch3cl": f"{_MF}|CH3Cl",
    "ch3ccl3": f"{_MF}|CH3CCl3",
    "ch3br": f"{_MF}|CH3Br",
    "halon1211": f"{_MF}|Halon1211",
    "halon1301": f"{_MF}|Halon1301",
    "halon2402": f"{_MF}|Halon2402",
    "cf4": f"{_FG}|PFC|CF4",
    "c2f6": f"{_FG}|PFC|C2F6",
    "c3f8": f"{_FG}|PFC|C3F8",
    "c_c4f8": f"{_FG}|PFC|cC4F8",
    "c4f10": f"{_FG}|PFC|C4F10",
    "c5f12": f"{_FG}|PFC|C5F12",
    "c6f14": f"{_FG}|PFC|C6F14",
    "c7f16": f"{_FG}|PFC|C7F16",
    "c8f18": f"{_FG}|PFC|C8F18",
    "nf3": f"{_FG}|NF3",
    "sf6": f"{_FG}|SF6",
    "so2f2": f"{_FG}|SO2F2",
    "hfc125": f"{_FG}|HFC|HFC125",
    "hfc134a": f"{_FG}|HFC|HFC134a",
    "hfc143a": f"{_FG}|HFC|HFC143a",
    "hfc152a": f"{_FG}|HFC|HFC152a",
    "hfc227ea": f"{_FG}|HFC|HFC227ea",
    "hfc23": f"{_FG}|HFC|HFC23",
    "hfc236fa": f"{_FG}|HFC|HFC236fa",
    "hfc245fa": f"{_FG}|HFC|HFC245fa",
    "hfc32": f"{_FG}|HFC|HFC32",
    "hfc365mfc": f"{_FG}|HFC|HFC365mfc",
    "hfc4310mee": f"{_FG}|HFC|HFC4310mee",
}

#: Other IAMC spellings of non-halogen species (SSP / AR6 scenario databases).
ALIASES: dict[str, str] = {
    "Emissions|CO2|Energy and Industrial Processes": "co2_fossil",
    "Emissions|CO2|Fossil and Industrial": "co2_fossil",
    "Emissions|CO2|AFOLU": "co2_landuse",
    "Emissions|SO2": "so2",
    "Emissions|NMVOC": "nmvoc",
}

#: Natural forcing rows -> scenario variable (W m-2; RCMIP writes "W/m^2").
NATURAL_VARIABLES: dict[str, str] = {
    "Effective Radiative Forcing|Natural|Solar": "solar",
    "Effective Radiative Forcing|Natural|Volcanic": "volcanic",
}

#: Halogenated gases in RCMIP/IAMC files that the model does not have (ignored, listed).
NOT_MODELLED: dict[str, str] = {
    "halon1202": "Halon-1202 is not among the model's 40 halogenated gases",
}


def _prefixes(variable: str) -> list[str]:
    parts = variable.split("|")
    return ["|".join(parts[:k]) for k in range(1, len(parts))]


#: Aggregates: sums over species that the model takes one by one (ignored, listed). Every
#: group above a name of SPECIES_VARIABLES or NATURAL_VARIABLES that is not itself a species
#: (``Emissions|NOx`` is above the aviation NOx) is one, and so are these.
AGGREGATES: frozenset[str] = frozenset(
    {
        "Emissions|CO2",
        "Emissions|Kyoto Gases",
        "Emissions|HFC",
        "Emissions|PFC",
        "Emissions|F-Gases",
        "Emissions|Montreal Gases",
        "Emissions|Montreal Gases|HCFC",
        "Emissions|Montreal Gases|Halon",
    }
    | {p for v in (*SPECIES_VARIABLES.values(), *NATURAL_VARIABLES) for p in _prefixes(v)}
) - set(SPECIES_VARIABLES.values())


# ------------------------------------------------------------------------------ model output
#: Natural-forcing input variable -> its RCMIP name (the reader's table, inverted).
_NATURAL_NAMES = {v: k for k, v in NATURAL_VARIABLES.items()}

#: Mt CO2 per Gt C.
MT_CO2_PER_GTC = 1000.0 * GTCO2_PER_GTC

_ERF = "Effective Radiative Forcing"
_ANT = f"{_ERF}|Anthropogenic"
_WM2 = "W/m^2"


class IamcName(NamedTuple):
    """IAMC name of an esm output: variable, unit, and factor (IAMC value = factor x esm)."""

    variable: str
    unit: str
    factor: float


#: esm output variable -> (RCMIP/IAMC variable, IAMC unit, factor from the esm unit of
#: :data:`esm.metadata.OUTPUTS`). Rows are written in this order.
IAMC_VARIABLES: dict[str, IamcName] = {
    # concentrations
    "co2": IamcName("Atmospheric Concentrations|CO2", "ppm", 1.0),
    "ch4": IamcName("Atmospheric Concentrations|CH4", "ppb", 1.0),
    "n2o": IamcName("Atmospheric Concentrations|N2O", "ppb", 1.0),
    # temperature and heat
    "gsat": IamcName("Surface Air Temperature Change", "K", 1.0),
    "ocean_heat_content": IamcName("Heat Content|Ocean", "ZJ", 1.0),
    "toa_imbalance": IamcName("Heat Uptake", _WM2, 1.0),
    # effective radiative forcing
    "erf": IamcName(_ERF, _WM2, 1.0),
    "erf_anthropogenic": IamcName(_ANT, _WM2, 1.0),
    "erf_co2": IamcName(f"{_ANT}|CO2", _WM2, 1.0),
    "erf_ch4": IamcName(f"{_ANT}|CH4", _WM2, 1.0),
    "erf_n2o": IamcName(f"{_ANT}|N2O", _WM2, 1.0),
    "erf_halogens": IamcName(f"{_ANT}|Other|Other WMGHGs", _WM2, 1.0),
    "erf_ozone": IamcName(f"{_ANT}|Ozone", _WM2, 1.0),
    "erf_aerosol": IamcName(f"{_ANT}|Aerosols", _WM2, 1.0),
    "erf_aerosol_ari": IamcName(f"{_ANT}|Aerosols|Aerosols-radiation Interactions", _WM2, 1.0),
    "erf_aerosol_aci": IamcName(f"{_ANT}|Aerosols|Aerosols-cloud Interactions", _WM2, 1.0),
    "erf_land_use": IamcName(f"{_ANT}|Albedo Change", _WM2, 1.0),
    "erf_bc_on_snow": IamcName(f"{_ANT}|Other|BC on Snow", _WM2, 1.0),
    "erf_h2o_stratospheric": IamcName(f"{_ANT}|Other|CH4 Oxidation Stratospheric H2O", _WM2, 1.0),
    "erf_contrails": IamcName(f"{_ANT}|Other|Contrails and Contrail-induced Cirrus", _WM2, 1.0),
    "erf_solar": IamcName(_NATURAL_NAMES["solar"], _WM2, 1.0),
    "erf_volcanic": IamcName(_NATURAL_NAMES["volcanic"], _WM2, 1.0),
    # carbon budget (GtC/yr -> Mt CO2/yr)
    # the names the scenario reader takes as inputs (one RCMIP name table for both directions)
    "emissions_co2_fossil": IamcName(SPECIES_VARIABLES["co2_fossil"], "Mt CO2/yr", MT_CO2_PER_GTC),
    "emissions_co2_landuse": IamcName(
        SPECIES_VARIABLES["co2_landuse"], "Mt CO2/yr", MT_CO2_PER_GTC
    ),
    "ocean_sink": IamcName("Net Atmosphere to Ocean Flux|CO2", "Mt CO2/yr", MT_CO2_PER_GTC),
    "land_sink": IamcName("Net Atmosphere to Land Flux|CO2", "Mt CO2/yr", MT_CO2_PER_GTC),
    "cumulative_emissions_co2": IamcName("Cumulative Emissions|CO2", "Mt CO2", MT_CO2_PER_GTC),
}

#: esm outputs deliberately left out of the IAMC table, with the reason (shown in errors).
NOT_IN_IAMC = {
    "erf_other": "RCMIP's 'Effective Radiative Forcing|Anthropogenic|Other' includes the "
    "halogenated gases and excludes land-use albedo; write its components erf_land_use, "
    "erf_bc_on_snow, erf_h2o_stratospheric and erf_contrails instead",
    "atmospheric_growth": "RCMIP has no variable for it; it equals emissions (fossil, land use "
    "and permafrost) minus the ocean and land fluxes",
    "permafrost_emissions_co2": "RCMIP has no variable for natural permafrost emissions",
    "permafrost_emissions_ch4": "RCMIP has no variable for natural permafrost emissions",
}
