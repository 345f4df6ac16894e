"""IAMC / RCMIP emission tables: variable names, classification, and the per-scenario reader.

The layout is the one of the RCMIP v5.1.0 input files, pyam and scmdata: columns ``Model,
Scenario, Region, Variable, Unit`` (any case), one column per year, one row per time series.
Other columns (``Mip_Era``, ``Activity_Id``, ...) are ignored. Files, DataFrames (wide or
long), pyam and scmdata objects are read by :func:`esm.scenarios.read.read_scenario`;
:func:`read_iamc` is the same reader for one scenario. Both return a scenario Dataset for
:func:`esm.run` with the units as given; :func:`esm.scenarios.to_arrays`
converts them (``"Mt CO2/yr"``, ``"kt N2O/yr"``, ``"Mt NOx/yr"``, ``"kt HFC4310mee/yr"``, ...).

The name tables (:data:`SPECIES_VARIABLES`, :data:`ALIASES`, :data:`NATURAL_VARIABLES`,
:data:`NOT_MODELLED`, :data:`AGGREGATES`) are those of :mod:`esm.io.names`, the one RCMIP name
table that the output writer :mod:`esm.io.iamc` uses too; they are re-exported here.

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
are filled by linear interpolation, with a warning, and listed in
``ds.attrs["interpolated_years"]``. A species
without values at the first or last year of the scenario is an error (nothing is extrapolated).
Negative emissions of species other than CO2 are an error unless ``negative="zero"`` (then they
are set to zero, with a warning, and listed in ``ds.attrs["zeroed_negative"]``); nothing is
changed silently. A variable in more than one row of a scenario is an error.
"""

from __future__ import annotations

import re
import sys
import warnings
from functools import cache

import numpy as np
import pandas as pd
import xarray as xr

from esm import scenarios as _scenarios  # ScenarioError, looked up at call time (import order)

# the one RCMIP name table (input and output) now lives in esm/io/names.py
from esm.io.names import (
    AGGREGATES,
    ALIASES,
    NATURAL_VARIABLES,
    NOT_MODELLED,
    SPECIES_VARIABLES,
    _prefixes,
)
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

#: Spellings of W/m^2 accepted for natural forcing (compared without blanks, lower case).
_WM2 = {"wm-2", "w/m^2", "w/m2", "wm^-2", "w/m**2", "wm**-2"}


def _key(variable: str) -> str:
    """Comparison key of a variable name: lower case, no blanks around ``|``."""
    return "|".join(part.strip() for part in str(variable).split("|")).lower()


def _gas_key(name: str) -> str:
    return re.sub(r"[-_\s]", "", name).lower()


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
    """A one-line :class:`esm.scenarios.ScenarioError`."""
    return _scenarios.ScenarioError(" ".join(str(msg).split()))


def _warn(msg: str) -> None:
    """A UserWarning attributed to the first caller outside ``esm.scenarios``."""
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith("esm.scenarios"):
        frame, level = frame.f_back, level + 1
    warnings.warn(msg, UserWarning, stacklevel=level)


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
    return _scenarios._fmt_years(years)


def _is_missing(cell) -> bool:
    if cell is None:
        return True
    if isinstance(cell, str):
        return cell.strip().lower() in ("", "nan")
    return isinstance(cell, (float, np.floating)) and np.isnan(cell)


def _numbers(cells, years: np.ndarray, label: str, variable: str) -> np.ndarray:
    """Cells of one row as float64 (NaN where empty); a cell that is not a number raises."""
    out = np.full(len(cells), np.nan)
    for k, cell in enumerate(cells):
        if _is_missing(cell):
            continue
        if isinstance(cell, (bool, np.bool_)):
            value = None
        else:
            try:
                value = float(cell.strip() if isinstance(cell, str) else cell)
            except (TypeError, ValueError):
                value = None
        if value is None:
            raise _error(
                f"{label}: {variable} has a value that is not a number in {years[k]} "
                f"({cell!r}); correct that cell (leave it empty for a missing value)"
            )
        if not np.isfinite(value):
            raise _error(f"{label}: {variable} is infinite in {years[k]}; correct that cell")
        out[k] = value
    return out


def negative_note(variable: str, values: np.ndarray, years: np.ndarray, unit: str) -> str:
    """How a series goes negative (for errors and ``attrs["zeroed_negative"]``)."""
    neg = values < 0
    if values.ndim > 1:
        neg = neg.any(axis=tuple(range(values.ndim - 1)))
    return (
        f"{variable} down to {values[values < 0].min():.3g} {unit} in year(s) "
        f"{_fmt_years(years[neg])}"
    )


def negative_error(label: str, notes: list[str]) -> Exception:
    return _error(
        f"{label}: negative emissions: {'; '.join(notes)}; only CO2 may be negative "
        "(pass negative='zero' to set them to zero)"
    )


def _set_to_dataset(
    df: pd.DataFrame, columns: list, given_years: np.ndarray, label: str, negative: str
) -> xr.Dataset:
    """One (model, scenario, region) set of wide IAMC rows -> scenario Dataset (annual years).

    ``df`` has the lower-case columns model, scenario, region, variable, unit; ``columns`` are
    its time columns in increasing order and ``given_years`` their years. Returns the Dataset
    with attrs ``ignored_variables``, ``ignored_reasons``, ``interpolated_years`` (and
    ``zeroed_negative``, ``interpolation`` when it changed something), warning about changes.
    """
    keys = [_key(v) for v in df["variable"]]
    seen: dict[str, int] = {}
    for k, variable in zip(keys, df["variable"], strict=True):
        seen[k] = seen.get(k, 0) + 1
        if seen[k] == 2:
            raise _error(
                f"{label}: variable {str(variable)!r} appears in more than one row "
                f"(units {', '.join(map(repr, df['unit'][[x == k for x in keys]]))}); "
                "keep one row per variable"
            )
    kept: dict[str, tuple[str, str, np.ndarray]] = {}
    ignored: list[str] = []
    reasons: list[str] = []
    unknown: list[str] = []
    rows = df[["variable", "unit"]].astype(str).to_numpy()
    cells = df[columns].to_numpy(dtype=object)
    for (variable, unit), row in zip(rows, cells, strict=True):
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
            unit = _check_unit(detail, variable, unit, label)
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
    table = {s: _numbers(row, given_years, label, v) for s, (v, _, row) in kept.items()}
    have = np.array([np.isfinite(v) for v in table.values()])
    any_year = have.any(axis=0)
    if not any_year.any():
        raise _error(f"{label}: no values (every cell is empty)")
    first, last = given_years[any_year][0], given_years[any_year][-1]
    out_years = np.arange(first, last + 1)
    interpolated = np.zeros(out_years.size, dtype=bool)
    data = {}
    zeroed: list[str] = []
    for species, values in table.items():
        variable, unit, _ = kept[species]
        ok = np.isfinite(values)
        if not ok.any():
            raise _error(f"{label}: {variable} has no values (every cell is empty)")
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
        if (filled < 0).any() and not species.startswith("co2_") and species in SPECIES_NAMES:
            zeroed.append(negative_note(variable, filled, out_years, unit))
            filled = np.where(filled < 0, 0.0, filled)
        data[species] = ("year", filled, {"units": unit, "iamc_variable": variable})
    if zeroed and negative == "error":
        raise negative_error(label, zeroed)
    order = [*SPECIES_NAMES, "solar", "volcanic"]
    ds = xr.Dataset({k: data[k] for k in order if k in data}, coords={"year": out_years})
    ds.attrs.update(
        {
            "ignored_variables": ignored,
            "ignored_reasons": reasons,
            "interpolated_years": [int(y) for y in out_years[interpolated]],
        }
    )
    if zeroed:
        ds.attrs["zeroed_negative"] = zeroed
        _warn(
            f"{label}: negative emissions set to zero (negative='zero'): {'; '.join(zeroed)}; "
            "listed in attrs['zeroed_negative']"
        )
    if interpolated.any():
        filled_years = _fmt_years(out_years[interpolated])
        ds.attrs["interpolation"] = f"linear between given years ({filled_years} filled)"
        _warn(
            f"{label}: {int(interpolated.sum())} year(s) without a value filled by linear "
            f"interpolation ({filled_years}); listed in attrs['interpolated_years']"
        )
    return ds


def read_iamc(
    path_or_dataframe,
    scenario: str | None = None,
    model: str | None = None,
    region: str | None = "World",
    negative: str = "error",
) -> xr.Dataset:
    """Read one IAMC/RCMIP scenario into a scenario Dataset for :func:`esm.run`.

    The same reader as :func:`esm.scenarios.read.read_scenario` (every source it accepts,
    same attributes), except that data holding several time-series sets are an error here
    (pick one with ``scenario``/``model``/``region``) instead of a ``scenario`` dimension.

    Parameters
    ----------
    path_or_dataframe
        CSV/xlsx file, DataFrame (wide: Model, Scenario, Region, Variable, Unit, <years>, any
        case, other columns ignored; or long), pyam/scmdata object or scenario Dataset.
    scenario, model, region
        Select one time-series set; required (scenario and/or model) when the data hold
        several, and the error lists them. ``region=None`` accepts any single region.
    negative
        Negative emissions of species other than CO2 (the model rejects them): ``"error"``
        raises, naming them; ``"zero"`` sets them to zero, warns, and lists what it changed in
        ``ds.attrs["zeroed_negative"]`` (the RCMIP v5.1.0 SSP files have small negative
        halogen emissions, e.g. HFC-227ea down to -0.18 kt/yr in 1978-1988).

    Returns
    -------
    xarray.Dataset
        One variable per species found (units as given) on an annual ``year`` coordinate, plus
        ``solar``/``volcanic`` if given. Attributes: ``scenario``, ``model``, ``region``,
        ``source``, ``source_format``, ``layout``, ``ignored_variables`` and
        ``ignored_reasons`` (lists), ``ignored_columns`` and ``interpolated_years`` (list of
        the years filled by linear interpolation, with a warning). Species absent from the
        data are absent here: run with ``missing="zero"`` to take them as zero.

    Raises
    ------
    esm.scenarios.ScenarioError
        Missing columns, ambiguous or absent scenario/model/region, unknown variables,
        duplicates, units that do not fit the species, non-numeric values, a species without
        a value at the first or last year, or negative non-CO2 emissions.
    """
    from esm.scenarios.read import _read

    return _read(
        path_or_dataframe,
        scenario=scenario,
        model=model,
        region=region,
        negative=negative,
        several="error",
    )
