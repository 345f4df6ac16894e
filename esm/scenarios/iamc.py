"""Read emission scenarios from IAMC / RCMIP wide CSV files (or pandas tables).

The layout is the one of the RCMIP v5.1.0 input files, pyam and scmdata: columns ``Model,
Scenario, Region, Variable, Unit`` (any case), one column per year, one row per time series.
Other columns (``Mip_Era``, ``Activity_Id``, ...) are ignored. :func:`read_iamc` returns a
scenario Dataset for :func:`esm.run` with the units as given; :func:`esm.scenarios.to_arrays`
converts them (``"Mt CO2/yr"``, ``"kt N2O/yr"``, ``"Mt NOx/yr"``, ``"kt HFC4310mee/yr"``, ...).

Every variable of the chosen scenario is classified by :func:`classify_variable`, in this order
(variable names are compared ignoring case and blanks around ``|``):

1. **species**: a name of :data:`SPECIES_VARIABLES` (the RCMIP names) or :data:`ALIASES`
   (common IAMC spellings; note that IAMC ``AFOLU`` CO2 can include agricultural fossil fuel
   use, which RCMIP's ``MAGICC AFOLU`` excludes); or ``Emissions|...|<gas>`` whose last
   component is one of the model's 40 halogenated gases, compared without case, ``-``, ``_``
   and blanks (``Emissions|Montreal Gases|CFC|CFC11``, ``Emissions|HFC|HFC-134a``,
   ``Emissions|F-Gases|PFC|cC4F8`` -> ``c_c4f8``); or solar / volcanic ERF
   (``Effective Radiative Forcing|Natural|Solar`` / ``|Volcanic``, W/m^2).
2. **ignored, not modelled**: a halogenated gas the model does not have
   (:data:`NOT_MODELLED`, e.g. RCMIP's ``Emissions|Montreal Gases|Halon1202``).
3. **ignored, aggregate**: a sum of species (:data:`AGGREGATES`: ``Emissions|CO2`` = fossil +
   AFOLU, ``Emissions|F-Gases``, ``Emissions|Montreal Gases|CFC``, ``Emissions|Kyoto Gases``,
   every group above a name of :data:`SPECIES_VARIABLES`, ...).
4. **ignored, breakdown**: a sector or sub-sector below a species (``Emissions|CH4|MAGICC Fossil
   and Industrial`` below ``Emissions|CH4``) or below the CO2 total (``Emissions|CO2|Energy``:
   the model takes the fossil / AFOLU split).
5. anything else is **unknown** and raises :class:`esm.scenarios.ScenarioError` naming it.

Ignored variables are listed in ``ds.attrs["ignored_variables"]`` (reasons in
``ds.attrs["ignored_reasons"]``, same order). A total ``Emissions|CO2`` without either of its
components is an error, not an aggregate to drop.

RCMIP files are annual to 2015 and 10-yearly after: years without a value between two values
are filled by linear interpolation and listed in ``ds.attrs["interpolated_years"]``. A species
without values at the first or last year of the scenario is an error (nothing is extrapolated).
Negative emissions of species other than CO2 are an error unless ``negative="zero"`` (then they
are set to zero and listed in ``ds.attrs["zeroed_negative"]``); nothing is changed silently.
"""

from __future__ import annotations

import re
from functools import cache
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from esm import scenarios as _scenarios  # ScenarioError, looked up at call time (import order)
from esm.kernels.layout import HALOGEN_NAMES, SPECIES_NAMES
from esm.scenarios.units import UnitError, conversion_factor

__all__ = [
    "read_iamc",
    "classify_variable",
    "SPECIES_VARIABLES",
    "ALIASES",
    "AGGREGATES",
    "NOT_MODELLED",
    "NATURAL_VARIABLES",
]

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
_WM2 = {"wm-2", "w/m^2", "w/m2", "wm^-2", "w/m**2", "wm**-2"}

#: Halogenated gases in RCMIP/IAMC files that the model does not have (ignored, listed).
NOT_MODELLED: dict[str, str] = {
    "halon1202": "Halon-1202 is not among the model's 40 halogenated gases",
}


def _key(variable: str) -> str:
    """Comparison key of a variable name: lower case, no blanks around ``|``."""
    return "|".join(part.strip() for part in str(variable).split("|")).lower()


def _gas_key(name: str) -> str:
    return re.sub(r"[-_\s]", "", name).lower()


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

_BY_KEY = {_key(v): s for s, v in SPECIES_VARIABLES.items()}
_BY_KEY.update({_key(v): s for v, s in ALIASES.items()})
_BY_KEY.update({_key(v): s for v, s in NATURAL_VARIABLES.items()})
_AGGREGATE_KEYS = {_key(v) for v in AGGREGATES}
_CO2_TOTAL = _key("Emissions|CO2")


@cache
def _halogen_keys() -> dict[str, str]:
    from esm.params import halogen_table

    names = halogen_table()["name"]
    keys = {_gas_key(s): s for s in HALOGEN_NAMES}
    keys.update({_gas_key(names[s]): s for s in HALOGEN_NAMES})
    keys[_gas_key("HFC43-10mee")] = "hfc4310mee"
    return keys


def _species_of(key: str) -> str | None:
    if key in _BY_KEY:
        return _BY_KEY[key]
    parts = key.split("|")
    if len(parts) >= 2 and parts[0] == "emissions":
        return _halogen_keys().get(_gas_key(parts[-1]))
    return None


def classify_variable(variable: str) -> tuple[str, str]:
    """How :func:`read_iamc` treats an IAMC variable name.

    Returns ``("species", <scenario variable>)``, ``("ignored", <reason>)`` or
    ``("unknown", "")``; the rules are in the module docstring.
    """
    key = _key(variable)
    species = _species_of(key)
    if species is not None:
        return "species", species
    parts = key.split("|")
    if parts[0] == "emissions" and len(parts) >= 2 and _gas_key(parts[-1]) in NOT_MODELLED:
        return "ignored", f"not modelled: {NOT_MODELLED[_gas_key(parts[-1])]}"
    if key in _AGGREGATE_KEYS:
        return "ignored", "aggregate of species that are read one by one"
    for prefix in reversed(_prefixes(key)):
        above = _species_of(prefix)
        if above is not None:
            return "ignored", f"breakdown of {SPECIES_VARIABLES.get(above, prefix)} ({above})"
    if key.startswith(_CO2_TOTAL + "|"):
        return "ignored", "breakdown of Emissions|CO2 (the model takes the fossil / AFOLU split)"
    return "unknown", ""


def _error(msg: str) -> Exception:
    return _scenarios.ScenarioError(msg)


def _year_of(column) -> int | None:
    if isinstance(column, (int, np.integer)) and not isinstance(column, bool):
        return int(column)
    if isinstance(column, (float, np.floating)) and float(column).is_integer():
        return int(column)
    if isinstance(column, str) and re.fullmatch(r"\s*\d{1,4}\s*", column):
        return int(column)
    return None


def _frame(source, what: str) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        df = source
        if any(n is not None for n in df.index.names):  # e.g. pyam's timeseries()
            df = df.reset_index()
        return df.copy()
    if isinstance(source, (str, PathLike)):
        path = Path(source)
        if not path.is_file():
            raise _error(f"{what}: no such file")
        return pd.read_csv(path)
    raise TypeError(f"read_iamc needs a path or a pandas.DataFrame, not {type(source)}")


def _choose(df: pd.DataFrame, what: str, **wanted) -> pd.DataFrame:
    for field, value in wanted.items():
        if value is None:
            continue
        sub = df[df[field] == value]
        if sub.empty:
            have = ", ".join(map(repr, sorted(df[field].astype(str).unique())))
            raise _error(f"{what}: no rows with {field} {value!r}; the data have {have}")
        df = sub
    combos = sorted({tuple(map(str, r)) for r in df[["model", "scenario", "region"]].values})
    if len(combos) > 1:
        listed = "; ".join(f"model={m!r} scenario={s!r} region={r!r}" for m, s, r in combos[:20])
        more = f" and {len(combos) - 20} more" if len(combos) > 20 else ""
        raise _error(
            f"{what}: the data hold {len(combos)} time-series sets, pick one with "
            f"scenario=..., model=... or region=...: {listed}{more}"
        )
    return df


def _check_unit(species: str, variable: str, unit: str, what: str) -> str:
    if species in ("solar", "volcanic"):
        if re.sub(r"\s", "", str(unit)).lower() not in _WM2:
            raise _error(f"{what}: {variable} must be in W/m^2, not {unit!r}")
        return "W m-2"
    try:
        conversion_factor(species, unit)
    except UnitError as err:
        raise _error(f"{what}: {variable}: {err}") from None
    return str(unit)


def _fmt_years(years) -> str:
    years = [int(y) for y in years]
    shown = ", ".join(map(str, years[:5]))
    return shown + (f" and {len(years) - 5} more" if len(years) > 5 else "")


def read_iamc(
    path_or_dataframe: str | PathLike | pd.DataFrame,
    scenario: str | None = None,
    model: str | None = None,
    region: str | None = "World",
    negative: str = "error",
) -> xr.Dataset:
    """Read an IAMC/RCMIP wide table of emissions into a scenario Dataset for :func:`esm.run`.

    Parameters
    ----------
    path_or_dataframe
        CSV file or DataFrame with columns Model, Scenario, Region, Variable, Unit (any case)
        and one column per year; other columns are ignored.
    scenario, model, region
        Select one time-series set; required (scenario and/or model) when the data hold
        several, and the error lists them. ``region=None`` accepts any single region.
    negative
        Negative emissions of species other than CO2 (the model rejects them): ``"error"``
        raises, naming them; ``"zero"`` sets them to zero and lists what it changed in
        ``ds.attrs["zeroed_negative"]`` (the RCMIP v5.1.0 SSP files have small negative
        halogen emissions, e.g. HFC-227ea down to -0.18 kt/yr in 1978-1988).

    Returns
    -------
    xarray.Dataset
        One variable per species found (units as given) on an annual ``year`` coordinate, plus
        ``solar``/``volcanic`` if given. Attributes: ``scenario``, ``model``, ``region``,
        ``source``, ``ignored_variables`` and ``ignored_reasons`` (lists), and
        ``interpolated_years`` (list of the years filled by linear interpolation).
        Species absent from the data are absent here: run with ``missing="zero"`` to take
        them as zero.

    Raises
    ------
    esm.scenarios.ScenarioError
        Missing columns, ambiguous or absent scenario/model/region, unknown variables,
        duplicates, units that do not fit the species, non-numeric values, a species without
        a value at the first or last year, or negative non-CO2 emissions.
    """
    if negative not in ("error", "zero"):
        raise ValueError(f"negative must be 'error' or 'zero', not {negative!r}")
    is_frame = isinstance(path_or_dataframe, pd.DataFrame)
    what = "IAMC table" if is_frame else str(path_or_dataframe)
    df = _frame(path_or_dataframe, what)
    rename, years = {}, {}
    for col in df.columns:
        year = _year_of(col)
        if year is not None:
            years[col] = year
        elif str(col).strip().lower() in ("model", "scenario", "region", "variable", "unit"):
            rename[col] = str(col).strip().lower()
    df = df.rename(columns=rename)
    missing = [c for c in ("model", "scenario", "region", "variable", "unit") if c not in df]
    if missing:
        raise _error(
            f"{what}: missing column(s) {', '.join(missing)} (IAMC layout: Model, Scenario, "
            "Region, Variable, Unit, <years>)"
        )
    if not years:
        raise _error(f"{what}: no year columns (expected e.g. 1750, 1751, ...)")
    df = _choose(df, what, scenario=scenario, model=model, region=region)
    name = str(df["scenario"].iloc[0])
    label = f"{what}, scenario {name}"

    kept: dict[str, tuple[str, str, pd.Series]] = {}
    ignored: list[str] = []
    reasons: list[str] = []
    unknown: list[str] = []
    for _, row in df.iterrows():
        variable = str(row["variable"])
        kind, detail = classify_variable(variable)
        if kind == "unknown":
            unknown.append(variable)
        elif kind == "ignored":
            ignored.append(variable)
            reasons.append(detail)
        elif detail in kept:
            raise _error(
                f"{label}: {kept[detail][0]!r} and {variable!r} both give {detail}; keep one"
            )
        else:
            unit = _check_unit(detail, variable, row["unit"], label)
            kept[detail] = (variable, unit, row)
    if unknown:
        raise _error(
            f"{label}: unknown variable(s) {', '.join(map(repr, unknown))}; the model reads "
            "the RCMIP emission names of esm.scenarios.iamc.SPECIES_VARIABLES (rules: "
            "esm.scenarios.iamc module docstring)"
        )
    if not kept:
        raise _error(f"{label}: no emission variable the model knows")
    if any(_key(v) == _CO2_TOTAL for v in ignored) and not {"co2_fossil", "co2_landuse"} & set(
        kept
    ):
        raise _error(
            f"{label}: only total Emissions|CO2 is given; the model needs "
            f"{SPECIES_VARIABLES['co2_fossil']!r} and {SPECIES_VARIABLES['co2_landuse']!r}"
        )

    columns = sorted(years, key=years.get)
    given_years = np.array([years[c] for c in columns], dtype=np.int64)
    if np.unique(given_years).size != given_years.size:
        raise _error(f"{what}: a year appears in more than one column")
    table = {}
    for species, (variable, _, row) in kept.items():
        try:
            table[species] = row[columns].to_numpy(dtype=np.float64)
        except (TypeError, ValueError) as err:
            raise _error(f"{label}: {variable} has a value that is not a number ({err})") from None
        if np.isinf(table[species]).any():
            raise _error(f"{label}: {variable} is infinite in some year")
    have = np.array([np.isfinite(v) for v in table.values()])
    any_year = have.any(axis=0)
    if not any_year.any():
        raise _error(f"{label}: no values")
    first, last = given_years[any_year][0], given_years[any_year][-1]
    out_years = np.arange(first, last + 1)
    interpolated = np.zeros(out_years.size, dtype=bool)
    data = {}
    zeroed: list[str] = []
    for species, values in table.items():
        variable, unit, _ = kept[species]
        ok = np.isfinite(values)
        if not ok.any():
            raise _error(f"{label}: {variable} has no values")
        if given_years[ok][0] > first:
            raise _error(
                f"{label}: {variable} has no value before {given_years[ok][0]} but the scenario "
                f"starts in {first} (nothing is extrapolated; give values from {first})"
            )
        if given_years[ok][-1] < last:
            raise _error(
                f"{label}: {variable} has no value after {given_years[ok][-1]} but the scenario "
                f"ends in {last} (nothing is extrapolated)"
            )
        interpolated |= ~np.isin(out_years, given_years[ok])
        filled = np.interp(out_years, given_years[ok], values[ok])
        neg = filled < 0
        if neg.any() and not species.startswith("co2_") and species in SPECIES_NAMES:
            note = (
                f"{variable} down to {filled[neg].min():.3g} {unit} in year(s) "
                f"{_fmt_years(out_years[neg])}"
            )
            zeroed.append(note)
            filled = np.where(neg, 0.0, filled)
        data[species] = ("year", filled, {"units": unit, "iamc_variable": variable})
    if zeroed and negative == "error":
        raise _error(
            f"{label}: negative emissions: {'; '.join(zeroed)}; only CO2 may be negative "
            "(pass negative='zero' to set them to zero)"
        )
    order = [*SPECIES_NAMES, "solar", "volcanic"]
    ds = xr.Dataset({k: data[k] for k in order if k in data}, coords={"year": out_years})
    row0 = df.iloc[0]
    ds.attrs.update(
        {
            "scenario": name,
            "model": str(row0["model"]),
            "region": str(row0["region"]),
            "source": what,
            "ignored_variables": ignored,
            "ignored_reasons": reasons,
            "interpolated_years": [int(y) for y in out_years[interpolated]],
        }
    )
    if zeroed:
        ds.attrs["zeroed_negative"] = zeroed
    if interpolated.any():
        ds.attrs["interpolation"] = (
            f"linear between given years ({_fmt_years(out_years[interpolated])} filled)"
        )
    return ds
