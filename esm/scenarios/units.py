"""Units of scenario inputs: the internal unit of each species and conversions into it.

This module is the only place that converts scenario units (one table, :data:`_COMPOUNDS`,
plus the halogen names of ``esm/params/halogens.csv``).

Internal units (the only units the kernels see): CO2 in Gt C yr-1, other gases and aerosol
precursors in Mt yr-1 of the named compound (SO2 as SO2, NOx as NO2, BC and OC as C, NH3 as
NH3, N2O as N2O, NMVOC as NMVOC, CO as CO), halogenated gases in kt yr-1.

A unit string is ``<mass prefix> <compound> <per year>``:

* mass prefix: ``g``, ``kg``, ``t``, ``kt`` = ``Gg``, ``Mt`` = ``Tg``, ``Gt`` = ``Pg`` (case
  matters: ``mt``, ``MT``, ``Kt`` are refused); the space before the compound may be left out
  (``GtC``, ``MtCO2``) when the compound starts with a capital letter;
* per year: ``/yr``, ``/a``, ``/year``, ``/annum`` (spaces around ``/`` allowed) or
  ``yr-1``, ``yr^-1``, ``yr**-1``, ``a-1`` (also ``a^-1`` ...). Emissions are annual fluxes:
  per-month, per-day, per-second ... units are refused, and so is a unit with no time;
* compound, per species (names as in openscm-units, whose definitions they follow):

  ============  ==========================================================================
  CO2           ``C`` (Gt C = Pg C), ``CO2`` (1 t CO2 = 1/3.664 t C, :data:`GTCO2_PER_GTC`,
                the Global Carbon Budget convention; openscm-units uses 44/12 = 3.6667,
                0.073 % more)
  CH4           ``CH4``
  N2O           ``N2O``; ``N2ON`` = N2O expressed as its nitrogen, N2O-N
                (1 t N2ON = 44.013/28.014 t N2O; openscm-units: 44/28). ``N`` is refused:
                openscm-units' ``N2O_conversions`` context reads it as 1 t N = 44/14 t N2O,
                half the N2O-N mass, so ``Mt N/yr`` means different things in different tools.
  SO2           ``SO2``, ``SOx`` (= SO2, as in openscm-units); ``S`` = SO2 as sulphur
                (1 t S = 64.066/32.06 t SO2)
  BC, OC        ``BC`` / ``OC``, or ``C`` (the mass of black / organic carbon as carbon;
                not organic matter). openscm-units has no conversion between BC or OC and C.
  NH3           ``NH3``; ``N`` = NH3 expressed as nitrogen (1 t N = 17.031/14.007 t NH3)
  NOx           ``NOx`` = ``NO2``: NOx is counted as NO2 mass, which is the openscm-units
                default (its ``NOx_conversions`` context: 1 t NOx = 14/46 t N);
                ``N`` = NOx expressed as nitrogen (1 t N = 46.006/14.007 t NO2). NOx as NO
                (``NO``) is refused.
  NMVOC         ``NMVOC``, ``VOC`` (the same, as in openscm-units)
  CO            ``CO``
  halogens      the name in ``halogens.csv`` (``HFC-134a``, ``c-C4F8``), the openscm-units
                name (``HFC134a``, ``cC4F8``), or the species key (``hfc134a``); matched
                ignoring case, ``-`` and ``_``; ``HFC4310`` is also HFC-43-10mee
  ============  ==========================================================================

So ``Mt N/yr`` means nitrogen of the species in question, NH3-N for ``nh3`` and NOx-N for
``nox`` (never a cross-species conversion); for ``n2o`` write ``N2ON``. Molar masses are those of
:mod:`esm.constants` (IUPAC); openscm-units uses integer ones (C 12, N 14, O 16, S 32, H 1), so
its factors differ from these by up to 0.13 % (NH3 as N: (17/14) / (17.031/14.007)).

:func:`accepted_units` lists every prefix / compound pair accepted for a species in the
canonical ``"<prefix> <compound>/yr"`` spelling; :func:`conversion_factor` gives the factor
into :func:`internal_unit`. Anything else raises :class:`UnitError` naming the species, the
unit string and what is expected.
"""

from __future__ import annotations

import re
from functools import cache

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

__all__ = ["UnitError", "accepted_units", "conversion_factor", "internal_unit"]


class UnitError(ValueError):
    """A unit string that cannot be parsed or does not fit the species."""


#: tonnes per mass prefix
_PREFIX_TONNES = {
    "g": 1e-6,
    "kg": 1e-3,
    "t": 1.0,
    "kt": 1e3,
    "Gg": 1e3,
    "Mt": 1e6,
    "Tg": 1e6,
    "Gt": 1e9,
    "Pg": 1e9,
}
#: prefixes tried longest first, so that ``Gg`` is not read as ``G`` + ``g...``
_PREFIXES_LONGEST_FIRST = sorted(_PREFIX_TONNES, key=len, reverse=True)
_PREFIX_LIST = ", ".join(_PREFIX_TONNES)

_N2O_PER_N2ON = MOLAR_MASS_N2O / (2.0 * MOLAR_MASS_N)

#: compound spellings accepted per species -> mass of the internal compound per unit mass;
#: the first spelling is the internal one
_COMPOUNDS: dict[str, dict[str, float]] = {
    "co2_fossil": {"C": 1.0, "CO2": 1.0 / GTCO2_PER_GTC},
    "co2_landuse": {"C": 1.0, "CO2": 1.0 / GTCO2_PER_GTC},
    "ch4": {"CH4": 1.0},
    "n2o": {"N2O": 1.0, "N2ON": _N2O_PER_N2ON},
    "so2": {"SO2": 1.0, "SOx": 1.0, "S": MOLAR_MASS_SO2 / MOLAR_MASS_S},
    "bc": {"BC": 1.0, "C": 1.0},
    "oc": {"OC": 1.0, "C": 1.0},
    "nh3": {"NH3": 1.0, "N": MOLAR_MASS_NH3 / MOLAR_MASS_N},
    "nox": {"NO2": 1.0, "NOx": 1.0, "N": MOLAR_MASS_NO2 / MOLAR_MASS_N},
    "nox_aviation": {"NO2": 1.0, "NOx": 1.0, "N": MOLAR_MASS_NO2 / MOLAR_MASS_N},
    "nmvoc": {"VOC": 1.0, "NMVOC": 1.0},
    "co": {"CO": 1.0},
}

#: spellings refused with a reason, (species, compound) -> explanation
_REFUSED = {
    ("n2o", "N"): (
        "'N' is ambiguous for N2O (openscm-units' N2O_conversions reads 1 t N as 44/14 t N2O, "
        "N2O-N is 44/28 t N2O); write N2O as nitrogen as 'N2ON' (e.g. 'Mt N2ON/yr', "
        "1 t N2ON = 44.013/28.014 t N2O) or give 'Mt N2O/yr'"
    ),
}

#: extra halogen spellings (beyond the halogens.csv name, its openscm-units form and the key)
_HALOGEN_ALIASES = {"hfc4310mee": ("HFC4310",)}

#: internal mass prefix per species
_INTERNAL_PREFIX = {k: ("Gt" if k.startswith("co2_") else "Mt") for k in _COMPOUNDS}
_INTERNAL_PREFIX.update({h: "kt" for h in HALOGEN_NAMES})

_ANNUAL = frozenset({"yr", "a", "year", "annum"})
_OTHER_TIME = frozenset(
    {"s", "sec", "second", "min", "minute", "h", "hr", "hour", "d", "day", "week", "wk"}
    | {"mon", "month", "decade", "century"}
)

#: ``<mass> / <time>`` or ``<mass> <time>-1`` (``^-1``, ``**-1``, ``^(-1)``)
_RATE_RE = re.compile(
    r"^\s*(?P<mass>\S.*?)\s*"
    r"(?:/\s*(?P<per>[A-Za-z]+)|\s(?P<inv>[A-Za-z]+)\s*(?:\^|\*\*)?\s*\(?\s*-\s*1\s*\)?)\s*$"
)
_COMPOUND_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_]*$")


def _norm(name: str) -> str:
    return re.sub(r"[-_\s]", "", name).lower()


@cache
def _halogen_spellings(species: str) -> tuple[str, ...]:
    """Canonical spellings of a halogen: halogens.csv name, openscm-units name, aliases."""
    from esm.params import halogen_table

    name = str(halogen_table().loc[species, "name"])
    spellings = [name, name.replace("-", ""), *_HALOGEN_ALIASES.get(species, ())]
    return tuple(dict.fromkeys(spellings))


def _compounds(species: str) -> dict[str, float]:
    """Accepted compound spellings of a species -> factor into the internal compound."""
    if species in HALOGEN_NAMES:
        return dict.fromkeys(_halogen_spellings(species), 1.0)
    return _COMPOUNDS[species]


def internal_unit(species: str) -> str:
    """The internal unit string of a species, e.g. ``"Gt C/yr"``, ``"kt HFC-134a/yr"``."""
    if species in _COMPOUNDS or species in HALOGEN_NAMES:
        compound = next(iter(_compounds(species)))
        return f"{_INTERNAL_PREFIX[species]} {compound}/yr"
    raise KeyError(species)


def accepted_units(species: str) -> tuple[str, ...]:
    """Every accepted (mass prefix, compound) pair of a species, spelt ``"<prefix> <compound>/yr"``.

    :func:`conversion_factor` also accepts these with the other per-year spellings and
    spacings described in the module docstring (and halogen names in any case, with or
    without ``-`` / ``_``); nothing else.
    """
    if species not in SPECIES_NAMES:
        raise KeyError(species)
    return tuple(f"{p} {c}/yr" for c in _compounds(species) for p in _PREFIX_TONNES)


def _split_mass(mass: str) -> tuple[str, str] | None:
    """``"Mt CO2"`` / ``"MtCO2"`` -> ``("Mt", "CO2")``; None if no known prefix starts it."""
    for prefix in _PREFIXES_LONGEST_FIRST:
        if not mass.startswith(prefix):
            continue
        rest = mass[len(prefix) :]
        if rest == "" or rest[0].isspace() or rest[0].isupper():
            return prefix, rest.strip()
    return None


def conversion_factor(species: str, unit: str) -> float:
    """Factor that converts values in ``unit`` into the internal unit of ``species``.

    >>> conversion_factor("co2_fossil", "Mt CO2/yr")  # 1e-3 / 3.664
    0.0002729257641921397
    """
    if species not in SPECIES_NAMES:
        raise KeyError(species)
    example = internal_unit(species)
    if unit is None:
        raise UnitError(f"{species}: unit is None; expected a unit string such as {example!r}")
    if not isinstance(unit, str):
        raise UnitError(
            f"{species}: unit must be a string, not {type(unit).__name__} {unit!r}; "
            f"expected e.g. {example!r}"
        )
    if unit.strip() == "":
        raise UnitError(f"{species}: unit is an empty string; expected e.g. {example!r}")
    cannot_read = (
        f"{species}: cannot read unit {unit!r}; expected an annual mass flux such as "
        f"{example!r} (mass prefix {_PREFIX_LIST}; compound; per year: /yr, /a, yr-1)"
    )

    m = _RATE_RE.match(unit)
    if m is None:
        if _split_mass(unit.strip()) is not None:
            raise UnitError(
                f"{species}: unit {unit!r} has no time unit; emissions are annual fluxes, "
                f"e.g. {example!r}"
            )
        raise UnitError(cannot_read)
    per = m.group("per") or m.group("inv")
    if per not in _ANNUAL:
        if per in _OTHER_TIME:
            raise UnitError(
                f"{species}: unit {unit!r} is per {per!r}; only annual fluxes are accepted "
                f"(per yr, a or year), e.g. {example!r}"
            )
        raise UnitError(cannot_read)

    mass = m.group("mass")
    split = _split_mass(mass)
    if split is None:
        head = mass.split()[0]
        if len(mass.split()) > 1 and head.isalpha():
            raise UnitError(
                f"{species}: unit {unit!r} has unknown mass prefix {head!r}; expected one of "
                f"{_PREFIX_LIST} (e.g. {example!r})"
            )
        raise UnitError(
            f"{species}: unit {unit!r} does not start with a known mass prefix "
            f"({_PREFIX_LIST}); expected e.g. {example!r}"
        )
    prefix, compound = split
    if compound == "":
        raise UnitError(f"{species}: unit {unit!r} names no compound; expected e.g. {example!r}")

    refused = _REFUSED.get((species, compound))
    if refused is not None:
        raise UnitError(f"{species}: unit {unit!r}: {refused}")
    compounds = _compounds(species)
    if species in HALOGEN_NAMES:
        by_norm = {_norm(c): f for c in compounds for f in [compounds[c]]}
        by_norm.setdefault(_norm(species), 1.0)
        factor = by_norm.get(_norm(compound)) if _COMPOUND_RE.match(compound) else None
    else:
        factor = compounds.get(compound)
    if factor is None:
        raise UnitError(
            f"{species}: unit {unit!r} names compound {compound!r}, which does not fit "
            f"{species}; expected one of {', '.join(compounds)} (e.g. {example!r})"
        )
    return factor * _PREFIX_TONNES[prefix] / _PREFIX_TONNES[_INTERNAL_PREFIX[species]]
