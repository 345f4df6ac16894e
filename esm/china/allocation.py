"""China's share of a global goal under a stated allocation rule.

>>> from esm import budgets, china
>>> g = budgets.goal(1.7, likelihood=0.5)                       # doctest: +SKIP
>>> a = china.share_of_goal(g, rule="equal-per-capita")         # doctest: +SKIP
>>> a.attrs["china_remaining_from_2024_GtCO2"], a.attrs["china_net_zero_year"]  # doctest: +SKIP

**The rule is a choice, not a finding.** How a global budget is divided between countries is an
ethical and political judgement; the model states the rule it was given and computes its
arithmetic, nothing more. Two rules are offered (:data:`RULES`):

* ``equal-per-capita``: China's share of the world population in ``year`` (UN World Population
  Prospects 2024 via Our World in Data, ``forcings/china/population.csv``);
* ``grandfathering``: China's share of global net CO2 (fossil + land use) in ``year``: China
  from ``forcings/china/historical.csv`` (GCB2024 national), the world from the goal path
  itself (in 2020 the shipped history, GCB2021).

The global budget is the goal path's cumulative net CO2 from 1 January 2020 to the end of its
net-zero year (rounded up; :func:`esm.goal`'s ``cumulative_co2_2020_to_net_zero``); removals
after net zero are not counted. China's budget from 2020 is ``share x`` that; China's observed
net CO2 of 2020-2023 is subtracted, which leaves the allowance from 1 January 2024.

**Land use** follows the Global Carbon Budget's bookkeeping convention (E_LUC, the net flux from
land-use change estimated by bookkeeping models) for China and for the world. National
greenhouse-gas inventories report LULUCF differently (they also count the uptake of managed
forests) and give China a larger sink, hence a larger allowance for the same rule.

**China's path** (stylised): net CO2 falls in a straight line from its observed 2023 value E0
to zero in the net-zero year Z and stays at zero, the annual value of year t being
``E0 (1 - (t - 2023) / (Z - 2023))`` (as :func:`esm.budgets.net_zero_path`); Z (fractional) is
the year whose path emits exactly the remaining allowance from 2024, solved in closed form:
with ``a = allowance / E0`` and ``n = ceil(2a)`` (the number of years from 2024 with emissions),
``Z - 2023 = n (n + 1) / (2 (n - a))``. An immediate stop (net zero in 2024) emits nothing from
2024, so only a negative allowance (China has already emitted more than its share since 2020)
has no path: then the net-zero year is NaN and the attribute ``note`` says so.
"""

from __future__ import annotations

import math
import numbers
from functools import cache

import numpy as np
import pandas as pd
import xarray as xr

from esm._data import forcings_dir
from esm.constants import GTCO2_PER_GTC

__all__ = [
    "RULES",
    "share_of_goal",
    "share_table",
    "write_csv",
    "population",
    "check_rule",
    "check_year",
]

#: Allocation rules: name -> what the share is.
RULES = {
    "equal-per-capita": "China's share of the world population in the share year",
    "grandfathering": "China's share of global net CO2 (fossil + land use) in the share year",
}
#: First year counted in the global budget (1 January), as in :mod:`esm.budgets`.
BUDGET_START = 2020
#: Last year of China's observed CO2 (``forcings/china/historical.csv``); the allowance and
#: the stylised path start the year after.
LAST_OBSERVED = 2023
#: Last year of the global emission history that is GCB2021 exactly (forcings/README.md).
GCB2021_LAST = 2020
#: Last year of the returned path unless China's net-zero year is later.
PATH_END = 2100

_POP_FILE = "china/population.csv"
_HIST_FILE = "china/historical.csv"
_POP_SOURCE = (
    "UN World Population Prospects 2024 estimates via Our World in Data (CC BY 4.0), "
    "forcings/china/population.csv"
)
_CHINA_SOURCE = (
    "forcings/china/historical.csv: GCB2024 national territorial fossil CO2 (cement carbonation "
    "not subtracted) + land use as the mean of the four GCB2024 bookkeeping models"
)
_LAND_USE = (
    "land use follows the Global Carbon Budget's bookkeeping convention (E_LUC from bookkeeping "
    "models) for China and the world; national inventories (UNFCCC LULUCF) also count managed-"
    "forest uptake and give China a larger sink"
)
_CHOICE = (
    "the allocation rule is the user's choice, an ethical and political judgement, not a "
    "finding of the model; other rules give other shares"
)


# ------------------------------------------------------------------------------ data
@cache
def _population() -> pd.DataFrame:
    t = pd.read_csv(forcings_dir() / _POP_FILE, comment="#", index_col=0)
    t = t.drop(columns="unit")
    t.columns = [int(c) for c in t.columns]
    return t.astype(float)


def population() -> pd.DataFrame:
    """Population [persons] of ``China`` and ``World`` (rows) by year (columns), 1950-2023:
    UN World Population Prospects 2024 estimates via Our World in Data (CC BY 4.0)."""
    return _population().copy()


@cache
def _china_net_co2() -> pd.Series:
    """China's observed net CO2 (fossil + land use) [GtCO2/yr] by year."""
    t = pd.read_csv(forcings_dir() / _HIST_FILE, comment="#", index_col=0)
    units = t.pop("unit")
    for sp in ("co2_fossil", "co2_landuse"):
        if units[sp] != "Gt C/yr":  # the file's unit; guard against a silent change
            raise ValueError(f"{_HIST_FILE}: {sp} in {units[sp]!r}, expected 'Gt C/yr'")
    t.columns = [int(c) for c in t.columns]
    net = (t.loc["co2_fossil"] + t.loc["co2_landuse"]) * GTCO2_PER_GTC
    return net.dropna().astype(float)


# ------------------------------------------------------------------------------ checks
def check_rule(rule) -> str:
    """``rule`` if it is one of :data:`RULES`, else a ``ValueError`` listing the rules."""
    if not isinstance(rule, str) or rule not in RULES:
        raise ValueError(f"unknown allocation rule {rule!r}; rules: {', '.join(RULES)}")
    return rule


def _data_years(rule: str) -> tuple[int, int, str]:
    if rule == "equal-per-capita":
        cols = _population().columns
        return int(cols[0]), int(cols[-1]), "the population data (UN WPP 2024)"
    years = _china_net_co2().index
    return int(years[0]), int(years[-1]), "China's CO2 data (forcings/china/historical.csv)"


def check_year(rule: str, year) -> int:
    """``year`` as an int if the data of ``rule`` cover it, else a ``ValueError`` naming the
    years they cover."""
    rule = check_rule(rule)
    first, last, what = _data_years(rule)
    if (
        isinstance(year, (bool, np.bool_))
        or not isinstance(year, numbers.Real)
        or not float(year).is_integer()
    ):
        raise ValueError(f"year must be a whole year, not {year!r}")
    year = int(year)
    if not first <= year <= last:
        raise ValueError(
            f"year {year} is outside {what} of the {rule} rule: give a year in {first}-{last}"
        )
    return year


def _check_goal(goal) -> tuple[np.ndarray, np.ndarray, float]:
    if not isinstance(goal, xr.Dataset):
        raise TypeError(f"goal must be an xarray Dataset from esm.goal, not {type(goal).__name__}")
    if "co2_net" not in goal or "year" not in goal.coords:
        raise ValueError(
            "goal must have a 'co2_net' variable [GtCO2/yr] on 'year' (the Dataset of esm.goal)"
        )
    nz = goal.attrs.get("net_zero_year")
    if not isinstance(nz, numbers.Real) or not math.isfinite(nz):
        raise ValueError(f"goal must have a finite 'net_zero_year' attribute, not {nz!r}")
    years = goal["year"].values.astype(int)
    net = np.asarray(goal["co2_net"].values, dtype=float)
    last = math.ceil(nz)
    if years[0] > BUDGET_START or years[-1] < last:
        raise ValueError(
            f"goal's co2_net covers {years[0]}-{years[-1]}; it must cover {BUDGET_START} to its "
            f"net-zero year ({last})"
        )
    return years, net, float(nz)


# ------------------------------------------------------------------------------ path
def _net_zero_year(remaining: float, e0: float) -> float:
    """Net-zero year Z of the straight decline from ``e0`` in LAST_OBSERVED whose emissions from
    LAST_OBSERVED + 1 sum to ``remaining`` (closed form, module docstring); NaN if negative."""
    if not e0 > 0:
        raise ValueError(f"China's {LAST_OBSERVED} net CO2 must be positive, not {e0:g}")
    if remaining < 0:
        return math.nan
    if remaining == 0:
        return float(LAST_OBSERVED + 1)
    a = remaining / e0
    n = math.ceil(2.0 * a)
    return LAST_OBSERVED + n * (n + 1) / (2.0 * (n - a))


def _path_values(years: np.ndarray, e0: float, z: float) -> np.ndarray:
    """Annual net CO2 of the straight decline from ``e0`` (LAST_OBSERVED) to zero in ``z``."""
    frac = np.clip(1.0 - (years - LAST_OBSERVED) / (z - LAST_OBSERVED), 0.0, 1.0)
    return e0 * frac


# ------------------------------------------------------------------------------ main
def share_of_goal(goal: xr.Dataset, rule: str = "equal-per-capita", year: int = 2020):
    """China's share of a global goal under the allocation ``rule``, and a path that keeps to it.

    **The rule is the user's choice, not a finding of the model**: the model states it and
    computes its arithmetic.

    Parameters
    ----------
    goal
        The Dataset of :func:`esm.goal` (or any Dataset with ``co2_net`` [GtCO2/yr] on
        ``year``, covering 2020 to its net-zero year, and a ``net_zero_year`` attribute).
    rule
        ``"equal-per-capita"``: China's share of the world population in ``year`` (UN WPP
        2024, 1950-2023); ``"grandfathering"``: China's share of global net CO2 (fossil + land
        use) in ``year`` (China from ``forcings/china/historical.csv``, the world from the
        goal's ``co2_net``, which is the shipped history in 2020).
    year
        Year of the share (default 2020, the first year of the budget).

    Returns
    -------
    xarray.Dataset
        ``china_co2_net`` [GtCO2/yr] by ``year`` from 2020: observed 2020-2023, then net CO2
        falling in a straight line from its 2023 value to zero in the net-zero year that uses
        exactly the remaining allowance from 2024 (NaN from 2024 if the allowance is negative),
        to 2100 or the net-zero year if later. Attributes: ``rule``, ``share``, ``share_year``,
        ``global_budget_GtCO2`` (cumulative net CO2 from 1 January 2020 to the global net-zero
        year), ``china_budget_from_2020_GtCO2`` (share x global), ``china_emitted_2020_2023_GtCO2``,
        ``china_remaining_from_2024_GtCO2`` (budget minus emitted), ``china_co2_net_2023_GtCO2``,
        ``china_net_zero_year`` (NaN when no path meets the allowance), ``note``, the source of
        each number (``*_source``), ``land_use`` and ``rule_is_a_choice``.

    Land use follows the Global Carbon Budget's bookkeeping convention (E_LUC), not national
    inventories (which count managed-forest uptake and give China a larger sink).

    Raises
    ------
    ValueError
        An unknown rule (the message lists the rules), a year outside the rule's data, a goal
        without ``co2_net`` or ``net_zero_year``, or not covering 2020 to its net-zero year.
    """
    rule = check_rule(rule)
    year = check_year(rule, year)
    years, net, nz = _check_goal(goal)
    china = _china_net_co2()

    counted = (years >= BUDGET_START) & (years <= math.ceil(nz))
    global_budget = float(net[counted].sum())

    if rule == "equal-per-capita":
        pop = _population()
        china_pop, world_pop = float(pop.loc["China", year]), float(pop.loc["World", year])
        share = china_pop / world_pop
        basis = (
            f"China / World population {year}: {china_pop / 1e6:.1f} / {world_pop / 1e6:.1f} "
            "million (UN WPP 2024)"
        )
        share_source = f"{basis}; {_POP_SOURCE}"
    else:
        if year not in years:
            raise ValueError(
                f"year {year} is outside the goal's co2_net ({years[0]}-{years[-1]}) of the "
                f"grandfathering rule"
            )
        world = float(net[years == year][0])
        if not world > 0:
            raise ValueError(
                f"global net CO2 in {year} is {world:g} GtCO2/yr: grandfathering needs a positive "
                "global emission in the share year"
            )
        share = float(china.loc[year]) / world
        global_what = (
            f"the goal's co2_net, in {year} the shipped history: GCB2021 global fossil CO2 net of "
            "the cement-carbonation sink + GCB2021 land use (another edition and cement "
            "convention than China's)"
            if year <= GCB2021_LAST
            else f"the goal's co2_net in {year}"
        )
        basis = (
            f"China / global net CO2 {year}: {float(china.loc[year]):.2f} / {world:.2f} "
            f"GtCO2/yr (GCB2024 China; global {'GCB2021' if year <= GCB2021_LAST else 'goal'})"
        )
        share_source = f"{basis}; China: {_CHINA_SOURCE}; global: {global_what}"

    china_budget = share * global_budget
    emitted = float(china.loc[BUDGET_START:LAST_OBSERVED].sum())
    remaining = china_budget - emitted
    e0 = float(china.loc[LAST_OBSERVED])
    z = _net_zero_year(remaining, e0)

    end = max(PATH_END, math.ceil(z)) if math.isfinite(z) else PATH_END
    out_years = np.arange(BUDGET_START, end + 1)
    observed = out_years <= LAST_OBSERVED
    values = np.where(
        observed,
        china.reindex(out_years).to_numpy(),
        _path_values(out_years, e0, z) if math.isfinite(z) else np.nan,
    )
    if math.isfinite(z):
        note = "none"
        path_text = (
            f"observed {BUDGET_START}-{LAST_OBSERVED}; from {LAST_OBSERVED + 1} a straight decline "
            f"from the {LAST_OBSERVED} value ({e0:.2f} GtCO2/yr) to zero in {z:.2f}, then zero; "
            f"the annual value of year t is E{LAST_OBSERVED} (1 - (t - {LAST_OBSERVED}) / "
            f"(Z - {LAST_OBSERVED}))"
        )
    else:
        note = (
            f"no path: the remaining allowance from {LAST_OBSERVED + 1} is negative "
            f"({remaining:.1f} GtCO2): China emitted {emitted:.1f} GtCO2 in "
            f"{BUDGET_START}-{LAST_OBSERVED}, more than its budget from {BUDGET_START} under "
            f"this rule ({china_budget:.1f} GtCO2); even an immediate stop (net zero in "
            f"{LAST_OBSERVED + 1}, nothing emitted from then) exceeds it by {-remaining:.1f} "
            "GtCO2, so the net-zero year is NaN"
        )
        path_text = (
            f"observed {BUDGET_START}-{LAST_OBSERVED}; NaN from {LAST_OBSERVED + 1} ({note})"
        )

    title = goal.attrs.get("title", "the given goal path")
    ds = xr.Dataset(
        {
            "china_co2_net": (
                "year",
                values,
                {
                    "units": "GtCO2/yr",
                    "long_name": "China net CO2 emissions (fossil + land use) under the rule",
                },
            )
        },
        coords={"year": out_years},
    )
    ds["year"].attrs = {"units": "yr"}
    ds.attrs.update(
        {
            "title": f"China's share of the global goal ({title}) by {rule}, {year}",
            "rule": rule,
            "rule_definition": RULES[rule],
            "rule_is_a_choice": _CHOICE,
            "share_year": year,
            "share": share,
            "share_basis": basis,
            "share_source": share_source,
            "global_net_zero_year": nz,
            "global_budget_GtCO2": global_budget,
            "global_budget_source": (
                f"the goal's co2_net summed from 1 January {BUDGET_START} to the end of "
                f"{math.ceil(nz)} (its net-zero year {nz:.2f} rounded up; removals after net zero "
                f"not counted): {title}"
            ),
            "china_budget_from_2020_GtCO2": china_budget,
            "china_budget_source": "share x global_budget_GtCO2",
            "china_emitted_2020_2023_GtCO2": emitted,
            "china_emitted_source": f"sum of observed net CO2 2020-2023, {_CHINA_SOURCE}",
            "china_remaining_from_2024_GtCO2": remaining,
            "china_remaining_source": (
                "china_budget_from_2020_GtCO2 - china_emitted_2020_2023_GtCO2"
            ),
            "china_co2_net_2023_GtCO2": e0,
            "china_co2_net_2023_source": _CHINA_SOURCE,
            "china_net_zero_year": z,
            "china_net_zero_year_source": (
                "closed form: with a = remaining / E2023 and n = ceil(2a), "
                "Z - 2023 = n (n + 1) / (2 (n - a)); the path from 2024 sums to the remaining "
                "allowance"
            ),
            "china_path": path_text,
            "note": note,
            "land_use": _LAND_USE,
        }
    )
    return ds


def share_table(ds: xr.Dataset) -> str:
    """The block printed by ``esm goal --china-share RULE``."""
    a = ds.attrs
    z = a["china_net_zero_year"]
    e0 = a["china_co2_net_2023_GtCO2"]
    lines = [
        f"China's share of the goal by {a['rule']} ({a['share_year']}); the rule is a choice, "
        "not a finding",
        f"  share                           {a['share']:7.4f}  {a['share_basis']}",
        f"  global budget 2020 to net zero  {a['global_budget_GtCO2']:7.1f}  GtCO2 (the goal "
        f"path, net zero {a['global_net_zero_year']:.1f})",
        f"  China budget from 2020          {a['china_budget_from_2020_GtCO2']:7.1f}  GtCO2 "
        "(share x global)",
        f"  China emitted 2020-2023         {a['china_emitted_2020_2023_GtCO2']:7.1f}  GtCO2 "
        "(observed, GCB2024 fossil + land use)",
        f"  China remaining from 2024       {a['china_remaining_from_2024_GtCO2']:7.1f}  GtCO2",
        "  China net zero                  "
        + (
            f"{z:7.1f}  (straight line from {e0:.2f} GtCO2/yr in 2023)"
            if math.isfinite(z)
            else f"{'none':>7}  (no straight line from {e0:.2f} GtCO2/yr in 2023 meets it)"
        ),
    ]
    if a["note"] != "none":
        lines.append(f"  note: {a['note']}")
    lines.append(
        "  land use: GCB bookkeeping convention (E_LUC); national inventories count a larger "
        "sink for China"
    )
    return "\n".join(lines)


def write_csv(ds: xr.Dataset, path) -> None:
    """Write the result of :func:`share_of_goal` as CSV, atomically: ``# name: value`` lines
    with every attribute, then ``year,china_co2_net`` (GtCO2/yr, full precision; empty where
    no path meets the allowance). Read back with
    ``pandas.read_csv(path, comment="#", float_precision="round_trip")``."""
    from esm import io as _io

    lines = [f"# {k}: {' '.join(str(v).split())}" for k, v in ds.attrs.items()]
    lines.append("year,china_co2_net")
    for y, v in zip(ds["year"].values, ds["china_co2_net"].values, strict=True):
        lines.append(f"{int(y)},{repr(float(v)) if math.isfinite(v) else ''}")
    text = "\n".join(lines) + "\n"

    def writer(tmp, cancel):
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)

    _io.atomic_write(path, writer)
