"""Units of scenario inputs: the internal unit of each species and conversions into it.

Internal units (the only units the kernels see): CO2 in Gt C yr-1, other gases and aerosol
precursors in Mt yr-1 of the named compound (SO2 as SO2, NOx as NO2, BC/OC as C), halogenated
gases in kt yr-1. Unit strings are IAMC-style (``"Mt CO2/yr"``, ``"Gt C/yr"``, ``"kt HFC134a/yr"``)
or UDUNITS-style (``"Mt SO2 yr-1"``). This module is the only place that converts units.
"""

from __future__ import annotations

import re

from esm.constants import (
    GTCO2_PER_GTC,
    MOLAR_MASS_N,
    MOLAR_MASS_N2O,
    MOLAR_MASS_NH3,
    MOLAR_MASS_NO2,
    MOLAR_MASS_S,
    MOLAR_MASS_SO2,
)
from esm.kernels.layout import HALOGEN_NAMES, SPECIES_NAMES


class UnitError(ValueError):
    """A unit string that cannot be parsed or does not fit the species."""


#: tonnes per mass prefix
_PREFIX_TONNES = {"t": 1.0, "kt": 1e3, "Gg": 1e3, "Mt": 1e6, "Tg": 1e6, "Gt": 1e9, "Pg": 1e9}

#: compound spellings accepted per species -> mass of the internal compound per unit mass
_COMPOUNDS: dict[str, dict[str, float]] = {
    "co2_fossil": {"C": 1.0, "CO2": 1.0 / GTCO2_PER_GTC},
    "co2_landuse": {"C": 1.0, "CO2": 1.0 / GTCO2_PER_GTC},
    "ch4": {"CH4": 1.0},
    "n2o": {"N2O": 1.0, "N": MOLAR_MASS_N2O / (2.0 * MOLAR_MASS_N)},
    "so2": {"SO2": 1.0, "S": MOLAR_MASS_SO2 / MOLAR_MASS_S},
    "bc": {"BC": 1.0, "C": 1.0},
    "oc": {"OC": 1.0, "C": 1.0},
    "nh3": {"NH3": 1.0, "N": MOLAR_MASS_NH3 / MOLAR_MASS_N},
    "nox": {"NO2": 1.0, "NOx": 1.0, "N": MOLAR_MASS_NO2 / MOLAR_MASS_N},
    "nox_aviation": {"NO2": 1.0, "NOx": 1.0, "N": MOLAR_MASS_NO2 / MOLAR_MASS_N},
    "nmvoc": {"VOC": 1.0, "NMVOC": 1.0},
    "co": {"CO": 1.0},
}

#: internal mass prefix per species
_INTERNAL_PREFIX = {k: ("Gt" if k.startswith("co2_") else "Mt") for k in _COMPOUNDS}
_INTERNAL_PREFIX.update({h: "kt" for h in HALOGEN_NAMES})

_UNIT_RE = re.compile(
    r"^\s*(t|kt|Gg|Mt|Tg|Gt|Pg)\s*([A-Za-z0-9][A-Za-z0-9\-_]*)\s*"
    r"(?:/\s*(?:yr|a|year)|\s+(?:yr|a)-1)\s*$"
)


def _norm(name: str) -> str:
    return re.sub(r"[-_\s]", "", name).lower()


def internal_unit(species: str) -> str:
    """The internal unit string of a species, e.g. ``"Gt C/yr"``, ``"kt HFC-134a/yr"``."""
    if species in _COMPOUNDS:
        compound = next(iter(_COMPOUNDS[species]))
        return f"{_INTERNAL_PREFIX[species]} {compound}/yr"
    if species in HALOGEN_NAMES:
        from esm.params import halogen_table

        return f"kt {halogen_table().loc[species, 'name']}/yr"
    raise KeyError(species)


def conversion_factor(species: str, unit: str) -> float:
    """Factor that converts values in ``unit`` into the internal unit of ``species``."""
    if species not in SPECIES_NAMES:
        raise KeyError(species)
    m = _UNIT_RE.match(str(unit))
    if not m:
        raise UnitError(
            f"{species}: cannot read unit {unit!r}; expected e.g. "
            f"{internal_unit(species)!r} (mass prefix t/kt/Mt/Gt, compound, per year)"
        )
    prefix, compound = m.group(1), m.group(2)
    if species in HALOGEN_NAMES:
        from esm.params import halogen_table

        allowed = {_norm(species): 1.0, _norm(halogen_table().loc[species, "name"]): 1.0}
        if species == "hfc4310mee":
            allowed[_norm("HFC4310")] = 1.0
        factor = allowed.get(_norm(compound))
    else:
        factor = _COMPOUNDS[species].get(compound)
    if factor is None:
        raise UnitError(
            f"{species}: unit {unit!r} names compound {compound!r}, which does not fit; "
            f"expected e.g. {internal_unit(species)!r}"
        )
    return factor * _PREFIX_TONNES[prefix] / _PREFIX_TONNES[_INTERNAL_PREFIX[species]]
