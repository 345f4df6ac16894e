"""Scenario unit conversion (esm.scenarios.units), checked against hand-written factors and
against pint / openscm-units.

Molar-mass conventions. The model uses the IUPAC molar masses of ``esm.constants`` and, for
CO2 / C, the Global Carbon Budget factor 3.664. openscm-units (0.6) uses integer atomic masses
(C 12, N 14, O 16, S 32, H 1), e.g. CO2 / C = 44/12 = 3.6667; IUPAC masses would give
44.009/12.011 = 3.6640. So a factor from the model and one from openscm-units differ by the
ratio of the two conventions, at most 0.132 % (NH3 as N: (17.031/14.007) / (17/14)).
"""

from __future__ import annotations

import re

import pytest

from esm.kernels.layout import HALOGEN_NAMES, SPECIES_NAMES
from esm.scenarios.units import UnitError, accepted_units, conversion_factor, internal_unit

# Molar masses [g mol-1] written out here (IUPAC, as in esm.constants) and the GCB CO2/C ratio.
CO2_PER_C = 3.664
M_N, M_S = 14.007, 32.06
M_N2O, M_NO2, M_SO2, M_NH3 = 44.013, 46.006, 64.066, 17.031

N2O_PER_N = M_N2O / (2 * M_N)  # 1.5711: 1 t N2O-N (N2ON) is 44.013/28.014 t N2O
NO2_PER_N = M_NO2 / M_N  # 3.2845
SO2_PER_S = M_SO2 / M_S  # 1.9983
NH3_PER_N = M_NH3 / M_N  # 1.2159

# (1) explicit table: species, unit string as users write it, factor into the internal unit
TABLE = [
    # CO2 (internal Gt C/yr)
    ("co2_fossil", "Gt C/yr", 1.0),
    ("co2_fossil", "GtC/yr", 1.0),
    ("co2_landuse", "Pg C/yr", 1.0),
    ("co2_fossil", "PgC yr-1", 1.0),
    ("co2_fossil", "Mt CO2/yr", 1e-3 / CO2_PER_C),
    ("co2_fossil", "MtCO2/yr", 1e-3 / CO2_PER_C),
    ("co2_landuse", "Gt CO2 / yr", 1.0 / CO2_PER_C),
    ("co2_fossil", "t CO2/a", 1e-9 / CO2_PER_C),
    ("co2_fossil", "Mt CO2 yr^-1", 1e-3 / CO2_PER_C),
    ("co2_fossil", "Mt CO2 yr**-1", 1e-3 / CO2_PER_C),
    ("co2_fossil", "Mt CO2/year", 1e-3 / CO2_PER_C),
    ("co2_fossil", "  Tg  CO2  /  yr  ", 1e-3 / CO2_PER_C),
    ("co2_fossil", "Mt CO2 a-1", 1e-3 / CO2_PER_C),
    ("co2_fossil", "Gt C yr^(-1)", 1.0),
    ("co2_fossil", "kg C/yr", 1e-12),
    ("co2_fossil", "g CO2/yr", 1e-15 / CO2_PER_C),
    # CH4, CO, NMVOC (internal Mt/yr of the compound)
    ("ch4", "Mt CH4/yr", 1.0),
    ("ch4", "Gg CH4/yr", 1e-3),
    ("ch4", "Tg CH4 yr-1", 1.0),
    ("co", "Mt CO/yr", 1.0),
    ("nmvoc", "Mt VOC/yr", 1.0),
    ("nmvoc", "Mt NMVOC/yr", 1.0),
    # N2O (internal Mt N2O/yr)
    ("n2o", "Mt N2O/yr", 1.0),
    ("n2o", "kt N2O/yr", 1e-3),
    ("n2o", "Mt N2ON/yr", N2O_PER_N),
    ("n2o", "Tg N2ON yr-1", N2O_PER_N),
    # SO2 (internal Mt SO2/yr)
    ("so2", "Mt SO2/yr", 1.0),
    ("so2", "Mt SOx/yr", 1.0),
    ("so2", "Tg S/yr", SO2_PER_S),
    ("so2", "Gg S yr-1", 1e-3 * SO2_PER_S),
    # NOx (internal Mt NO2/yr; NOx counts as NO2)
    ("nox", "Mt NOx/yr", 1.0),
    ("nox", "Mt NO2/yr", 1.0),
    ("nox", "Tg NOx/yr", 1.0),
    ("nox", "Mt N/yr", NO2_PER_N),
    ("nox_aviation", "kt N/yr", 1e-3 * NO2_PER_N),
    ("nox_aviation", "Mt NOx/yr", 1.0),
    # NH3 (internal Mt NH3/yr)
    ("nh3", "Mt NH3/yr", 1.0),
    ("nh3", "Tg N/yr", NH3_PER_N),
    # BC, OC (internal Mt/yr as carbon)
    ("bc", "Mt BC/yr", 1.0),
    ("bc", "Mt C/yr", 1.0),
    ("oc", "Mt OC/yr", 1.0),
    ("oc", "Gg C/yr", 1e-3),
    # halogenated gases (internal kt/yr)
    ("hfc134a", "kt HFC134a/yr", 1.0),
    ("hfc134a", "kt HFC-134a/yr", 1.0),
    ("hfc134a", "t HFC-134a/yr", 1e-3),
    ("hfc134a", "kt hfc134a/yr", 1.0),
    ("cfc11", "kt CFC11/yr", 1.0),
    ("cfc11", "Gg CFC-11/yr", 1.0),
    ("sf6", "kt SF6/yr", 1.0),
    ("sf6", "Mt SF6/yr", 1e3),
    ("c_c4f8", "kt cC4F8/yr", 1.0),
    ("c_c4f8", "kt c-C4F8/yr", 1.0),
    ("hfc4310mee", "kt HFC4310mee/yr", 1.0),
    ("hfc4310mee", "kt HFC4310/yr", 1.0),
    ("hfc4310mee", "kt HFC-43-10mee/yr", 1.0),
    ("halon1211", "kt Halon-1211 yr-1", 1.0),
]


@pytest.mark.parametrize(("species", "unit", "expected"), TABLE)
def test_conversion_table(species, unit, expected):
    # rel 1e-14: only float rounding of (compound factor) x (prefix ratio)
    assert conversion_factor(species, unit) == pytest.approx(expected, rel=1e-14)


def test_internal_units():
    assert internal_unit("co2_fossil") == "Gt C/yr"
    assert internal_unit("ch4") == "Mt CH4/yr"
    assert internal_unit("n2o") == "Mt N2O/yr"
    assert internal_unit("so2") == "Mt SO2/yr"
    assert internal_unit("nox") == "Mt NO2/yr"
    assert internal_unit("nh3") == "Mt NH3/yr"
    assert internal_unit("bc") == "Mt BC/yr"
    assert internal_unit("hfc134a") == "kt HFC-134a/yr"
    assert internal_unit("c_c4f8") == "kt c-C4F8/yr"
    for species in SPECIES_NAMES:
        assert conversion_factor(species, internal_unit(species)) == 1.0, species


def test_accepted_units_enumeration():
    prefixes = ["g", "kg", "t", "kt", "Gg", "Mt", "Tg", "Gt", "Pg"]
    assert accepted_units("nox") == tuple(
        f"{p} {c}/yr" for c in ("NO2", "NOx", "N") for p in prefixes
    )
    assert accepted_units("n2o") == tuple(f"{p} {c}/yr" for c in ("N2O", "N2ON") for p in prefixes)
    assert accepted_units("hfc4310mee") == tuple(
        f"{p} {c}/yr" for c in ("HFC-4310mee", "HFC4310mee", "HFC4310") for p in prefixes
    )
    assert len(accepted_units("ch4")) == 9
    tonnes = dict(zip(prefixes, [1e-6, 1e-3, 1.0, 1e3, 1e3, 1e6, 1e6, 1e9, 1e9], strict=True))
    for species in SPECIES_NAMES:
        units = accepted_units(species)
        assert units, species
        for unit in units:
            p, compound = unit.removesuffix("/yr").split(" ", 1)
            per_tonne = conversion_factor(species, f"t {compound}/yr")
            assert conversion_factor(species, unit) == pytest.approx(
                tonnes[p] * per_tonne, rel=1e-14
            ), unit
    with pytest.raises(KeyError, match="co2"):
        accepted_units("co2")


# (2) every accepted pair against openscm-units

#: model factor / openscm-units factor, from the two molar-mass conventions (see module doc)
CONVENTION_RATIO = {
    ("co2", "CO2"): (44 / 12) / CO2_PER_C,  # 1.000728
    ("n2o", "N2ON"): N2O_PER_N / (44 / 28),  # 0.999795
    ("nox", "N"): NO2_PER_N / (46 / 14),  # 0.999626
    ("so2", "S"): SO2_PER_S / 2.0,  # 0.999158
    ("nh3", "N"): NH3_PER_N / (17 / 14),  # 1.001323
}
#: largest |model/openscm - 1| allowed: the NH3-as-N convention difference, 1.32e-3
MAX_REL_DIFF = 1.5e-3
#: openscm-units contexts needed for X-as-nitrogen conversions
CONTEXT = {
    "n2o": "N2O_conversions",
    "nox": "NOx_conversions",
    "nox_aviation": "NOx_conversions",
    "nh3": "NH3_conversions",
}
#: pairs openscm-units cannot convert: it keeps BC and OC as dimensions apart from carbon
NOT_IN_OPENSCM = {("bc", "C"), ("oc", "C")}


def _group(species):
    return "co2" if species.startswith("co2_") else "nox" if species.startswith("nox") else species


def _openscm(unit):
    # openscm-units names have no "-" (HFC134a, cC4F8, CFC11, Halon1211)
    return unit.replace("-", "")


def test_every_accepted_unit_matches_openscm_units():
    pytest.importorskip("pint")
    openscm_units = pytest.importorskip("openscm_units")
    import pint

    ur = openscm_units.unit_registry
    n, max_diff, at = 0, 0.0, None
    skipped = set()
    for species in SPECIES_NAMES:
        target = _openscm(internal_unit(species))
        for unit in accepted_units(species):
            compound = unit.removesuffix("/yr").split(" ", 1)[1]
            ctx = CONTEXT.get(species)
            q = ur.Quantity(1.0, _openscm(unit))
            if (species, compound) in NOT_IN_OPENSCM:
                with pytest.raises(pint.DimensionalityError):
                    q.to(target)
                skipped.add((species, compound))
                continue
            reference = (q.to(target, ctx) if ctx else q.to(target)).magnitude
            ours = conversion_factor(species, unit)
            ratio = ours / reference
            expected = CONVENTION_RATIO.get((_group(species), compound), 1.0)
            assert ratio == pytest.approx(expected, rel=1e-12), (species, unit)
            assert abs(ratio - 1.0) <= MAX_REL_DIFF, (species, unit)
            if abs(ratio - 1.0) > max_diff:
                max_diff, at = abs(ratio - 1.0), (species, compound)
            n += 1
    assert skipped == NOT_IN_OPENSCM
    # 9 prefixes x (23 non-halogen compounds without BC/OC as C; 40 halogens: 23 names with
    # "-" and their openscm spelling, 17 without, plus HFC4310)
    assert len(HALOGEN_NAMES) == 40
    assert n == 9 * (23 + 23 * 2 + 17 + 1) == 783
    assert at == ("nh3", "N")
    assert max_diff == pytest.approx(NH3_PER_N / (17 / 14) - 1.0, rel=1e-9)


@pytest.mark.parametrize(
    ("species", "unit"),
    [
        ("co2_fossil", "GtC/yr"),
        ("co2_fossil", "MtCO2/yr"),
        ("co2_fossil", "Gt CO2 / yr"),
        ("co2_fossil", "t CO2/a"),
        ("co2_fossil", "Mt CO2 yr^-1"),
        ("co2_fossil", "Mt CO2 yr**-1"),
        ("co2_fossil", "Mt CO2/year"),
        ("ch4", "Gg CH4/yr"),
        ("so2", "Tg S/yr"),
        ("nmvoc", "Mt VOC/yr"),
        ("cfc11", "kt CFC11/yr"),
    ],
)
def test_spelling_variants_match_openscm_units(species, unit):
    openscm_units = pytest.importorskip("openscm_units")
    ur = openscm_units.unit_registry
    reference = ur.Quantity(1.0, unit).to(_openscm(internal_unit(species))).magnitude
    compound = "CO2" if "CO2" in unit else "S" if species == "so2" else ""
    expected = CONVENTION_RATIO.get((_group(species), compound), 1.0)
    assert conversion_factor(species, unit) / reference == pytest.approx(expected, rel=1e-12)


def test_nox_means_no2_in_openscm_units():
    """The module's reading of NOx (as NO2) is openscm-units' default."""
    openscm_units = pytest.importorskip("openscm_units")
    ur = openscm_units.unit_registry
    nox = ur.Quantity(1.0, "Mt NOx/yr")
    assert nox.to("Mt NO2/yr", "NOx_conversions").magnitude == pytest.approx(1.0, rel=1e-15)
    assert nox.to("Mt N/yr", "NOx_conversions").magnitude == pytest.approx(14 / 46, rel=1e-15)
    assert ur.Quantity(1.0, "Mt N2ON/yr").to("Mt N2O/yr").magnitude == pytest.approx(44 / 28)
    # why "Mt N/yr" is refused for N2O: openscm-units' context gives 44/14, not 44/28
    n_as_n2o = ur.Quantity(1.0, "Mt N/yr").to("Mt N2O/yr", "N2O_conversions").magnitude
    assert n_as_n2o == pytest.approx(44 / 14, rel=1e-15)


# (3) errors

_PREFIXES = "g, kg, t, kt, Gg, Mt, Tg, Gt, Pg"


@pytest.mark.parametrize(
    ("species", "unit", "message"),
    [
        (
            "n2o",
            "Mt CH4/yr",
            "n2o: unit 'Mt CH4/yr' names compound 'CH4', which does not fit n2o; "
            "expected one of N2O, N2ON (e.g. 'Mt N2O/yr')",
        ),
        (
            "n2o",
            "Tg N/yr",
            "n2o: unit 'Tg N/yr': 'N' is ambiguous for N2O (openscm-units' N2O_conversions "
            "reads 1 t N as 44/14 t N2O, N2O-N is 44/28 t N2O); write N2O as nitrogen as 'N2ON' "
            "(e.g. 'Mt N2ON/yr', 1 t N2ON = 44.013/28.014 t N2O) or give 'Mt N2O/yr'",
        ),
        ("so2", "Mt N/yr", "so2: unit 'Mt N/yr' names compound 'N', which does not fit so2"),
        ("ch4", "Mt C/yr", "ch4: unit 'Mt C/yr' names compound 'C', which does not fit ch4"),
        (
            "nox",
            "Mt NO/yr",
            "nox: unit 'Mt NO/yr' names compound 'NO', which does not fit nox; "
            "expected one of NO2, NOx, N (e.g. 'Mt NO2/yr')",
        ),
        ("nh3", "Mt NH3 N/yr", "nh3: unit 'Mt NH3 N/yr' names compound 'NH3 N', which does"),
        ("co2_fossil", "Mt CO2-eq/yr", "names compound 'CO2-eq', which does not fit co2_fossil"),
        (
            "hfc134a",
            "kt HFC-125/yr",
            "hfc134a: unit 'kt HFC-125/yr' names compound 'HFC-125', which does not fit "
            "hfc134a; expected one of HFC-134a, HFC134a (e.g. 'kt HFC-134a/yr')",
        ),
        (
            "co2_fossil",
            "W/m^2",
            "co2_fossil: cannot read unit 'W/m^2'; expected an annual mass flux such as "
            f"'Gt C/yr' (mass prefix {_PREFIXES}; compound; per year: /yr, /a, yr-1)",
        ),
        ("co2_fossil", "ppm", "co2_fossil: cannot read unit 'ppm'; expected an annual mass"),
        ("so2", "furlongs", "so2: cannot read unit 'furlongs'"),
        (
            "so2",
            "Kt SO2/yr",
            f"so2: unit 'Kt SO2/yr' has unknown mass prefix 'Kt'; expected one of {_PREFIXES} "
            "(e.g. 'Mt SO2/yr')",
        ),
        ("so2", "mt SO2/yr", "so2: unit 'mt SO2/yr' has unknown mass prefix 'mt'"),
        (
            "so2",
            "KtSO2/yr",
            f"so2: unit 'KtSO2/yr' does not start with a known mass prefix ({_PREFIXES})",
        ),
        (
            "so2",
            "Mt SO2/month",
            "so2: unit 'Mt SO2/month' is per 'month'; only annual fluxes are accepted "
            "(per yr, a or year), e.g. 'Mt SO2/yr'",
        ),
        ("ch4", "Mt CH4 mon-1", "ch4: unit 'Mt CH4 mon-1' is per 'mon'; only annual fluxes"),
        ("sf6", "kt SF6/day", "sf6: unit 'kt SF6/day' is per 'day'; only annual fluxes"),
        ("co2_fossil", "kg C s-1", "unit 'kg C s-1' is per 's'; only annual fluxes"),
        (
            "so2",
            "Mt SO2",
            "so2: unit 'Mt SO2' has no time unit; emissions are annual fluxes, e.g. 'Mt SO2/yr'",
        ),
        ("so2", "Gt/yr", "so2: unit 'Gt/yr' names no compound; expected e.g. 'Mt SO2/yr'"),
        ("so2", "", "so2: unit is an empty string; expected e.g. 'Mt SO2/yr'"),
        ("so2", "   ", "so2: unit is an empty string"),
        ("so2", None, "so2: unit is None; expected a unit string such as 'Mt SO2/yr'"),
        (
            "so2",
            3.0,
            "so2: unit must be a string, not float 3.0; expected e.g. 'Mt SO2/yr'",
        ),
        ("ch4", b"Mt CH4/yr", "ch4: unit must be a string, not bytes b'Mt CH4/yr'"),
    ],
)
def test_unit_errors(species, unit, message):
    with pytest.raises(UnitError, match=re.escape(message)):
        conversion_factor(species, unit)


def test_unknown_species():
    with pytest.raises(KeyError, match="hfc999"):
        conversion_factor("hfc999", "kt HFC999/yr")
