"""Remaining carbon budgets and emission paths for a temperature goal.

Two questions policy analysts ask, answered over the calibrated posterior:

* :func:`budget`: how much CO2 can the world still emit, from 1 January 2020, and keep peak
  warming below a limit with a given likelihood? By two methods side by side:

  - **simulation**: a family of net-zero CO2 pathways (:func:`net_zero_path`: net zero in 2025,
    2030, ... 2100 by a straight decline from 2020, then the 2020 emissions held for 5, 10, ...
    75 years before a decline to net zero in 2100) run through the posterior members; peak
    warming (2020-2100) against cumulative CO2; the budget is the cumulative CO2 to net zero of
    the pathway whose peak warming stays below the limit for the given share of members (linear
    between neighbouring pathways);
  - **framework** (Rogelj et al. 2019, Nature 571, 335; IPCC AR6 WGI 5.5.2), per member with
    the model's own terms::

        B = (T_lim - T_hist - dT_nonCO2 - ZEC) / TCRE - E_2015-2019

    with T_hist the member's GSAT 2010-2019 (vs 1850-1900), TCRE and ZEC50 the member's
    1pctCO2 and esm-1pct-brch-1000PgC metrics (:mod:`esm.metrics`), dT_nonCO2 the member's
    non-CO2 warming at its peak relative to 2010-2019 in the pathway of the family whose
    cumulative CO2 equals B (solved per member), and E_2015-2019 the CO2 emitted in 2015-2019
    (T_hist is the 2010-2019 mean, centred on 2015; AR6 counts the same way). The budget at
    likelihood L is the (1 - L) quantile of B over the members.

  The two agree when warming is proportional to cumulative CO2 along the pathways (TCRE of the
  idealised experiment = TCRE of the pathway) and ZEC50 is the commitment after the pathway;
  the difference between them measures how far the model departs from that (see
  ``budget_table``). The IPCC AR6 budgets (WGI SPM Table SPM.2) are given beside them.

* :func:`goal`: the global net CO2 path of a stated family (decline from ``start`` to net
  zero, linear or cosine, optionally a net-negative tail) whose peak warming over the
  posterior meets ``peak_warming`` at ``likelihood``: the net-zero year is the free parameter,
  solved with Brent's method.

**Non-CO2 emissions** follow the CO2 path consistently: every species other than CO2 is
infilled by the quantile of fossil CO2 among the eight shipped SSPs in each year
(:func:`esm.scenarios.complete.complete` with ``missing="quantile"``), so a pathway with deep
CO2 cuts gets the non-CO2 emissions of the SSPs with similar CO2 (SSP1-1.9 and SSP1-2.6 where
fossil CO2 is below every SSP). Before the decline starts the pathway is the background
scenario (default SSP2-4.5, the shipped history to 2022). **Non-CO2 warming** is the total
warming minus the warming of the same pathway with every non-CO2 emission held at its 1750
value (natural forcing unchanged in both).

Warming is GSAT relative to 1850-1900 (as in AR6's budgets). A likelihood is the share of
posterior members whose peak warming stays at or below the limit.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from esm import ensembles, runner, scenarios
from esm import params as _params
from esm._checks import check_count
from esm.constants import GTCO2_PER_GTC
from esm.kernels import layout
from esm.scenarios.complete import complete

__all__ = ["budget", "goal", "net_zero_path", "AR6_BUDGETS", "SHAPES"]

#: IPCC AR6 WGI SPM Table SPM.2 (IPCC 2021, doi:10.1017/9781009157896.001): remaining carbon
#: budgets [GtCO2] from 1 January 2020 by peak warming [K vs 1850-1900] and likelihood of
#: staying below it; historical warming 2010-2019 1.07 K; non-CO2 contribution from the
#: AR6 scenario database; rounded to 50 GtCO2.
AR6_BUDGETS = {
    1.5: {0.17: 900.0, 0.33: 650.0, 0.50: 500.0, 0.67: 400.0, 0.83: 300.0},
    1.7: {0.17: 1450.0, 0.33: 1050.0, 0.50: 850.0, 0.67: 700.0, 0.83: 550.0},
    2.0: {0.17: 2300.0, 0.33: 1700.0, 0.50: 1350.0, 0.67: 1150.0, 0.83: 900.0},
}
#: AR6 WGI SPM A.1.2 / Table SPM.2: human-caused GSAT increase 1850-1900 to 2010-2019 [K]
#: (likely range 0.8-1.3).
AR6_HISTORICAL_WARMING = (1.07, 0.8, 1.3)
#: First year counted in the budget (from 1 January).
BUDGET_START = 2020
#: Years of the historical-warming reference of the framework (mean).
HIST_WINDOW = (2010, 2019)
#: Shapes of the decline to net zero: x = (t - start) / (net_zero_year - start) in [0, 1].
SHAPES = ("linear", "cosine")
#: Net-zero years of the pathway family of :func:`budget` (declines from 2020).
NET_ZERO_YEARS = tuple(range(2025, 2101, 5))
#: Years the 2020 emissions are held before a decline to net zero in 2100: the family's
#: extension to budgets above that of the straight decline from 2020 to 2100.
HOLD_YEARS = tuple(range(5, 80, 5))
#: Last year of every pathway, and of the peak-warming search (2020-2100, the century of the
#: scenarios: the shipped SSPs' extensions beyond 2100 are stylised, not scenarios).
END = 2100
#: Default likelihoods of :func:`budget`.
LIKELIHOODS = (0.17, 0.33, 0.5, 0.67, 0.83)
_CO2 = ("co2_fossil", "co2_landuse")


# ------------------------------------------------------------------------------ checks
def check_likelihood(value, name: str = "likelihood") -> float:
    """``value`` as a float strictly between 0 and 1, or a ``ValueError`` with a hint."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number between 0 and 1, not {value!r}")
    value = float(value)
    if not 0.0 < value < 1.0 or math.isnan(value):
        hint = f"; for {value:g} % give {value / 100:g}" if 1.0 < value < 100.0 else ""
        raise ValueError(
            f"{name} must be between 0 and 1 (exclusive): the share of members that stay "
            f"below the limit, not {value:g}{hint}"
        )
    return value


def _check_likelihoods(values) -> np.ndarray:
    if isinstance(values, numbers.Real) and not isinstance(values, (bool, np.bool_)):
        values = [values]
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValueError(f"likelihood must be a number or a list of numbers, not {values!r}")
    out = [check_likelihood(v) for v in values]
    if not out:
        raise ValueError("likelihood is empty; give e.g. likelihood=[0.5, 0.67]")
    if len(set(out)) != len(out):
        raise ValueError(f"likelihood has duplicates: {out}")
    return np.array(out)


def _check_warming(value, name: str = "warming") -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number in K above 1850-1900, not {value!r}")
    value = float(value)
    if not math.isfinite(value) or not 0.0 < value <= 6.0:
        raise ValueError(f"{name} must be a warming in K above 1850-1900 in (0, 6], not {value:g}")
    return value


def _check_shape(shape: str) -> str:
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}, not {shape!r}")
    return shape


# ------------------------------------------------------------------------------ pathways
def _decline(x: np.ndarray, shape: str) -> np.ndarray:
    """Remaining fraction of the start-year emissions at x in [0, 1] (1 -> 0)."""
    x = np.clip(x, 0.0, 1.0)
    if shape == "linear":
        return 1.0 - x
    return 0.5 * (1.0 + np.cos(np.pi * x))


def _background(background) -> xr.Dataset:
    if isinstance(background, str):
        return scenarios.load(background)
    raise TypeError(f"background must be a shipped scenario name, not {type(background)}")


def _co2_paths(
    bg: xr.Dataset,
    years: np.ndarray,
    net_zero_year: float,
    start: int,
    shape: str,
    net_negative: float,
    negative_years: float,
    hold: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Fossil and land-use CO2 [GtC/yr] for ``years`` (>= start): the start-year values held
    for ``hold`` years, then the decline to zero in ``net_zero_year``."""
    f0 = float(bg["co2_fossil"].sel(year=start))
    l0 = float(bg["co2_landuse"].sel(year=start))
    first = start + hold
    frac = _decline((years - first) / (net_zero_year - first), shape)
    fossil, landuse = f0 * frac, l0 * frac
    if net_negative < 0:  # net-negative tail: removals counted as negative fossil CO2
        ramp = np.clip((years - net_zero_year) / negative_years, 0.0, 1.0)
        fossil = fossil + ramp * net_negative / GTCO2_PER_GTC
    return fossil, landuse


def net_zero_path(
    net_zero_year: float,
    *,
    start: int = BUDGET_START,
    shape: str = "linear",
    net_negative: float = 0.0,
    negative_years: float = 20.0,
    background: str = "ssp245",
    end: int = END,
    hold: float = 0.0,
) -> xr.Dataset:
    """A scenario whose net CO2 (fossil + land use) stays at its ``start``-year value in
    ``background`` for ``hold`` years and then falls to zero in ``net_zero_year`` (``shape``:
    ``"linear"`` or ``"cosine"``),
    optionally then to ``net_negative`` GtCO2/yr (<= 0) over ``negative_years``, held to
    ``end``; non-CO2 species by the fossil-CO2 quantile of the shipped SSPs (see the module
    docstring); 1750 to ``start - 1`` is ``background``.

    ``net_zero_year`` may be fractional (the emissions of each year are the decline at that
    year, so every result is continuous in it). Returns a complete scenario Dataset (internal
    units) with attributes ``net_zero_year``, ``shape``, ``net_negative`` and ``infilled``.
    """
    _check_shape(shape)
    start = check_count("start", start, minimum=None)
    end = check_count("end", end, minimum=None)
    if not isinstance(net_zero_year, numbers.Real) or not start < net_zero_year <= end:
        raise ValueError(
            f"net_zero_year must be after start ({start}) and at most end ({end}), "
            f"not {net_zero_year!r}"
        )
    if not isinstance(hold, numbers.Real) or not 0 <= hold < net_zero_year - start:
        raise ValueError(
            f"hold must be >= 0 years and end before net_zero_year ({net_zero_year:g}), "
            f"not {hold!r}"
        )
    if not isinstance(net_negative, numbers.Real) or net_negative > 0:
        raise ValueError(f"net_negative must be <= 0 GtCO2/yr, not {net_negative!r}")
    if net_negative < 0 and not negative_years > 0:
        raise ValueError(f"negative_years must be > 0, not {negative_years!r}")
    bg = _background(background)
    if not 2015 <= start <= int(bg["year"].values[-1]):
        raise ValueError(
            f"start must be between 2015 and {int(bg['year'].values[-1])}, not {start}"
        )
    years = np.arange(start, end + 1)
    fossil, landuse = _co2_paths(
        bg, years, net_zero_year, start, shape, net_negative, negative_years, hold
    )
    part = xr.Dataset(
        {
            "co2_fossil": (
                "year",
                fossil,
                {"units": bg["co2_fossil"].attrs.get("units", "GtC/yr")},
            ),
            "co2_landuse": (
                "year",
                landuse,
                {"units": bg["co2_landuse"].attrs.get("units", "GtC/yr")},
            ),
        },
        coords={"year": years},
    )
    part.attrs["scenario"] = f"net zero {net_zero_year:g}" + (f", hold {hold:g} yr" if hold else "")
    with warnings.catch_warnings():  # stated in the attributes instead
        warnings.simplefilter("ignore", UserWarning)
        ds = complete(part, history=background, harmonise="none", missing="quantile")
    ds.attrs.update(
        net_zero_year=float(net_zero_year),
        hold_years=float(hold),
        shape=shape,
        net_negative=float(net_negative),
        decline_start=int(start),
        background=background,
    )
    return ds


def _net_co2(ds: xr.Dataset) -> np.ndarray:
    """Net CO2 emissions [GtCO2/yr] of a complete scenario in internal units."""
    return (ds["co2_fossil"].values + ds["co2_landuse"].values) * GTCO2_PER_GTC


def _cumulative_from(ds: xr.Dataset, first: int = BUDGET_START) -> np.ndarray:
    """Cumulative net CO2 [GtCO2] from 1 January ``first`` to the end of each year."""
    years = ds["year"].values
    e = np.where(years >= first, _net_co2(ds), 0.0)
    return np.cumsum(e)


# ------------------------------------------------------------------------------ runs
def _members(members: int, seed: int):
    table = ensembles.draw(members, seed)
    return table, _params.matrix(table.drop(columns=["posterior_member"], errors="ignore"))


def _co2_only(ds: xr.Dataset) -> xr.Dataset:
    """Scenario ``ds`` with every species but CO2 held at its first-year value."""
    out = ds.copy()
    for name in layout.SPECIES_NAMES:
        if name not in _CO2 and name in out:
            da = out[name]
            out[name] = ("year", np.full(da.shape, da.values[0], dtype=da.dtype), da.attrs)
    return out


def _gsat(paths: list[xr.Dataset], pmatrix: np.ndarray, co2_only: bool = False) -> np.ndarray:
    """GSAT [pathway, member, year] vs 1850-1900 of every pathway for every member."""
    cases = {str(i): _co2_only(p) if co2_only else p for i, p in enumerate(paths)}
    table = pd.DataFrame(pmatrix, columns=list(_params.PARAMETERS))
    return runner.run_many(cases, table, variables=["gsat"])["gsat"].values


def _peaks(t: np.ndarray, years: np.ndarray, first: int = BUDGET_START):
    """Peak warming and its year index over years >= first; t[..., year]."""
    a = int(np.searchsorted(years, first))
    idx = a + np.argmax(t[..., a:], axis=-1)
    return np.take_along_axis(t, idx[..., None], axis=-1)[..., 0], idx


def _window(t: np.ndarray, years: np.ndarray, window=HIST_WINDOW) -> np.ndarray:
    sel = (years >= window[0]) & (years <= window[1])
    return t[..., sel].mean(axis=-1)


def _crossing(x: np.ndarray, y: np.ndarray, level: float) -> float:
    """First x where y (increasing overall) reaches ``level``, linear between points; NaN
    outside the range of y."""
    above = np.nonzero(y >= level)[0]
    if above.size == 0 or above[0] == 0:
        return math.nan if (above.size == 0 or y[0] > level) else float(x[0])
    i = above[0]
    return float(np.interp(level, [y[i - 1], y[i]], [x[i - 1], x[i]]))


# ------------------------------------------------------------------------------ budget
def budget(
    warming: float,
    likelihood: float | Sequence[float] = LIKELIHOODS,
    *,
    members: int = 500,
    seed: int = 0,
    background: str = "ssp245",
    net_zero_years: Sequence[float] = NET_ZERO_YEARS,
    hold_years: Sequence[float] = HOLD_YEARS,
    shape: str = "linear",
) -> xr.Dataset:
    """Remaining carbon budget [GtCO2 from 1 January 2020] for peak warming ``warming`` [K vs
    1850-1900] at each ``likelihood`` (share of members staying below), by simulation and by
    the assessment framework with the model's own terms (module docstring).

    Parameters
    ----------
    warming
        Peak-warming limit, K above 1850-1900 (GSAT).
    likelihood
        One or more likelihoods in (0, 1), e.g. 0.67 for "likely below".
    members, seed
        Posterior members (:func:`esm.ensembles.draw`).
    background
        Shipped scenario giving the years before 2020 and the pathways' 2020 emissions.
    net_zero_years
        Net-zero years of the pathway family (at least three, increasing, after 2020).
    hold_years
        The family's extension to larger budgets: the 2020 emissions held for each of these
        numbers of years (increasing), then a decline to net zero in the last net-zero year.
    shape
        Decline of the family to net zero: ``"linear"`` or ``"cosine"``.

    Returns
    -------
    xarray.Dataset
        ``budget_simulation``, ``budget_simulation_to_peak``, ``budget_framework`` and
        ``budget_ar6`` by ``likelihood``; the terms by ``member`` (``tcre``, ``zec50``,
        ``warming_historical``, ``warming_nonco2``, ``budget_member``); the family
        (``cumulative_co2`` by ``pathway``; ``peak_warming``, ``peak_year``,
        ``warming_nonco2_at_peak`` by ``pathway`` and ``member``); attributes with the methods,
        the E_2015-2019 term and any likelihood outside the family's range.

    Raises
    ------
    ValueError
        A likelihood outside (0, 1), a limit at or below the members' present warming, too
        few or unordered net-zero years, an unknown shape.
    """
    from esm import metrics

    warming = _check_warming(warming)
    lik = _check_likelihoods(likelihood)
    members = check_count("members", members)
    seed = check_count("seed", seed, minimum=0)
    _check_shape(shape)
    nz = np.asarray(net_zero_years, dtype=float)
    if nz.ndim != 1 or nz.size < 3 or np.any(np.diff(nz) <= 0) or nz[0] <= BUDGET_START:
        raise ValueError(
            f"net_zero_years must be at least three increasing years after {BUDGET_START}, "
            f"not {list(net_zero_years)}"
        )
    if nz[-1] > END:
        raise ValueError(f"net_zero_years must end by {END} (the pathways end in {END})")
    hold = np.asarray(hold_years, dtype=float).reshape(-1)
    if hold.size and (
        np.any(np.diff(hold) <= 0) or hold[0] <= 0 or hold[-1] >= nz[-1] - BUDGET_START
    ):
        raise ValueError(
            f"hold_years must be increasing, > 0 and < {nz[-1] - BUDGET_START:g} (the years "
            f"from {BUDGET_START} to the last net-zero year), not {list(hold_years)}"
        )
    family = [(y, 0.0) for y in nz] + [(nz[-1], h) for h in hold]
    table, pm = _members(members, seed)
    paths = [net_zero_path(y, shape=shape, background=background, hold=h) for y, h in family]
    label = [f"net zero {y:g}" + (f" after holding {h:g} yr" if h else "") for y, h in family]
    years = paths[0]["year"].values
    t = _gsat(paths, pm)
    t_co2 = _gsat(paths, pm, co2_only=True)
    t_now = _window(t[0], years, (2015, 2024))
    if np.median(t_now) >= warming:
        raise ValueError(
            f"warming {warming:g} K is at or below the members' present warming (2015-2024 "
            f"mean, median over members {np.median(t_now):.2f} K); no budget is left"
        )
    peak, peak_idx = _peaks(t, years)  # [pathway, member]
    nonco2 = t - t_co2
    nonco2_peak = np.take_along_axis(nonco2, peak_idx[..., None], axis=-1)[..., 0]
    d_nonco2 = nonco2_peak - _window(nonco2, years)  # relative to 2010-2019
    cum = np.array([_cumulative_from(p) for p in paths])  # [pathway, year]
    cum_nz = cum[:, -1]
    cum_peak = np.take_along_axis(cum[:, None, :], peak_idx[..., None], axis=-1)[..., 0]
    hist = _window(t[0], years)  # [member], the same history in every pathway
    # warming per CO2 along the pathways: CO2-only runs, 2010-2019 mean to their own peak, per
    # CO2 emitted from 1 January 2015 to net zero
    co2_peak, _ = _peaks(t_co2, years)
    cum_from_2015 = np.array([_cumulative_from(p, HIST_WINDOW[0] + 5) for p in paths])
    e_2015_nz = cum_from_2015[:, -1]
    tcre_path = (co2_peak - _window(t_co2, years)) / e_2015_nz[:, None] * 1000.0 * GTCO2_PER_GTC

    # framework, per member, self-consistent in the family's non-CO2 warming
    m = metrics.compute_members(table.drop(columns=["posterior_member"], errors="ignore"))
    tcre, zec = m["tcre"].to_numpy(), m["zec50"].to_numpy()
    # CO2 emitted 2015-2019 (the same history in every pathway)
    e1519 = float(cum_from_2015[0][years == HIST_WINDOW[1]][0])
    per_gtco2 = 1000.0 * GTCO2_PER_GTC
    b_path = (warming - hist - d_nonco2 - zec) / tcre * per_gtco2 - e1519  # [pathway, member]
    b_member = np.empty(members)
    nonco2_member = np.empty(members)
    for j in range(members):
        g = b_path[:, j] - cum_nz
        k = np.nonzero(g <= 0)[0]
        if k.size == 0:  # beyond the family: the latest pathway's non-CO2 warming
            b_member[j], nonco2_member[j] = b_path[-1, j], d_nonco2[-1, j]
        elif k[0] == 0:  # below the earliest pathway: its non-CO2 warming
            b_member[j], nonco2_member[j] = b_path[0, j], d_nonco2[0, j]
        else:
            i = k[0]
            w = g[i - 1] / (g[i - 1] - g[i])
            b_member[j] = cum_nz[i - 1] + w * (cum_nz[i] - cum_nz[i - 1])
            nonco2_member[j] = d_nonco2[i - 1, j] + w * (d_nonco2[i, j] - d_nonco2[i - 1, j])

    sim = np.full(lik.size, np.nan)
    sim_peak = np.full(lik.size, np.nan)
    outside = []
    for i, L in enumerate(lik):
        q = np.quantile(peak, L, axis=1)  # warming not exceeded by share L, per pathway
        c = _crossing(cum_nz, q, warming)
        if math.isnan(c):
            k = 0 if q[0] > warming else -1
            where = "earliest" if k == 0 else "latest"
            outside.append(f"{L:g}: the {where} pathway ({label[k]}) peaks at {q[k]:.2f} K")
            continue
        sim[i] = c
        k = int(np.clip(np.searchsorted(cum_nz, c), 1, len(family) - 1))
        w = (c - cum_nz[k - 1]) / (cum_nz[k] - cum_nz[k - 1])
        sim_peak[i] = np.median((1 - w) * cum_peak[k - 1] + w * cum_peak[k])
    framework = np.quantile(b_member, 1.0 - lik)
    ar6 = AR6_BUDGETS.get(round(warming, 2), {})
    ar6_values = np.array([ar6.get(round(float(L), 2), np.nan) for L in lik])

    g = "GtCO2"
    ds = xr.Dataset(
        {
            "budget_simulation": (
                "likelihood",
                sim,
                {
                    "units": g,
                    "long_name": (
                        "remaining carbon budget from 2020 by simulation: cumulative net CO2 to "
                        "net zero"
                    ),
                },
            ),  # noqa: E501
            "budget_simulation_to_peak": (
                "likelihood",
                sim_peak,
                {
                    "units": g,
                    "long_name": (
                        "cumulative net CO2 from 2020 to the year of peak warming (median over "
                        "members)"
                    ),
                },
            ),  # noqa: E501
            "budget_framework": (
                "likelihood",
                framework,
                {
                    "units": g,
                    "long_name": (
                        "remaining carbon budget from 2020 by the assessment framework with the "
                        "model's terms"
                    ),
                },
            ),  # noqa: E501
            "budget_ar6": (
                "likelihood",
                ar6_values,
                {
                    "units": g,
                    "long_name": "IPCC AR6 WGI Table SPM.2 remaining carbon budget from 2020",
                },
            ),  # noqa: E501
            "tcre": ("member", tcre, {"units": "K (1000 GtC)-1", "long_name": "TCRE (1pctCO2)"}),
            "zec50": ("member", zec, {"units": "K", "long_name": "ZEC50 (esm-1pct-brch-1000PgC)"}),  # noqa: E501
            "warming_historical": (
                "member",
                hist,
                {"units": "K", "long_name": "GSAT 2010-2019 vs 1850-1900"},
            ),  # noqa: E501
            "warming_nonco2": (
                "member",
                nonco2_member,
                {
                    "units": "K",
                    "long_name": (
                        "non-CO2 warming at peak vs 2010-2019, in the pathway at the member's "
                        "budget"
                    ),
                },
            ),  # noqa: E501
            "budget_member": (
                "member",
                b_member,
                {"units": g, "long_name": "framework budget of each member"},
            ),  # noqa: E501
            "cumulative_co2": (
                "pathway",
                cum_nz,
                {"units": g, "long_name": "cumulative net CO2 from 2020 to net zero"},
            ),  # noqa: E501
            "peak_warming": (
                ("pathway", "member"),
                peak,
                {"units": "K", "long_name": "peak GSAT vs 1850-1900 (from 2020)"},
            ),  # noqa: E501
            "peak_year": (("pathway", "member"), years[peak_idx], {"units": "yr"}),
            "tcre_pathway": (
                ("pathway", "member"),
                tcre_path,
                {
                    "units": "K (1000 GtC)-1",
                    "long_name": (
                        "peak warming of the CO2-only run above its 2010-2019 mean per CO2 "
                        "emitted from 2015 to net zero"
                    ),
                },
            ),  # noqa: E501
            "warming_nonco2_at_peak": (
                ("pathway", "member"),
                d_nonco2,
                {"units": "K", "long_name": "non-CO2 warming at peak vs 2010-2019"},
            ),  # noqa: E501
        },
        coords={
            "likelihood": lik,
            "member": np.arange(members),
            "pathway": np.arange(len(family)),
            "net_zero_year": ("pathway", np.array([y for y, _ in family])),
            "hold_years": ("pathway", np.array([h for _, h in family])),
        },
    )
    ds["pathway"].attrs = {"long_name": "pathway of the family (see net_zero_year, hold_years)"}
    ds["net_zero_year"].attrs = {"units": "yr", "long_name": "net-zero year of the pathway"}
    ds["hold_years"].attrs = {
        "units": "yr",
        "long_name": f"years the {BUDGET_START} emissions are held before the decline",
    }
    ds["likelihood"].attrs = {
        "units": "1",
        "long_name": "share of members with peak warming at or below the limit",
    }  # noqa: E501
    ds.attrs.update(
        {
            "title": f"Remaining carbon budget for {warming:g} K",
            "warming_limit_K": warming,
            "budget_start": f"1 January {BUDGET_START}",
            "members": members,
            "seed": seed,
            "background": background,
            "pathway_family": f"net CO2 from its {BUDGET_START} value in {background} falling "
            f"{shape}ly to zero in each net-zero year, then zero to {END}; beyond, the "
            f"{BUDGET_START} value held for hold_years, then falling to zero in {nz[-1]:g}",
            "non_co2": "each non-CO2 species at the fossil-CO2 quantile of the eight shipped "
            "SSPs in each year (esm.scenarios.complete, missing='quantile'), clamped to the "
            "lowest SSP value where fossil CO2 is below every SSP (years per pathway: "
            "esm.budgets.net_zero_path(...).attrs['infilled']); non-CO2 warming = total minus "
            "the run with non-CO2 emissions held at 1750",
            "emissions_2015_2019_GtCO2": e1519,
            "framework": "B = (T_lim - T_hist - dT_nonCO2 - ZEC50) / TCRE - E_2015-2019 per "
            "member (Rogelj et al. 2019; IPCC AR6 WGI 5.5.2); budget at likelihood L = "
            "(1 - L) quantile over members",
            "simulation": "cumulative CO2 to net zero of the pathway whose L-quantile of peak "
            "warming over the members equals the limit (linear between pathways)",
            "ar6_source": "IPCC AR6 WGI SPM Table SPM.2 (historical warming 1.07 K, 2010-2019)",
            "outside_family": "; ".join(outside) or "none",
        }
    )
    if outside:
        warnings.warn(
            "budget: no pathway of the family reaches the limit at likelihood "
            + "; ".join(outside)
            + " (budget_simulation is NaN there; the framework column still has a budget)",
            UserWarning,
            stacklevel=2,
        )
    return ds


def budget_table(ds: xr.Dataset) -> str:
    """The budgets and their terms as printed by ``esm budget``."""
    w = ds.attrs["warming_limit_K"]
    lines = [
        f"Remaining carbon budget from 1 January {BUDGET_START} for peak warming {w:g} K "
        f"(GSAT vs 1850-1900), {ds.attrs['members']} posterior members, GtCO2",
        "",
        f"{'likelihood':>10}  {'simulation':>10}  {'framework':>10}  {'IPCC AR6':>8}",
    ]
    for L in ds["likelihood"].values:
        p = ds.sel(likelihood=L)
        ar6 = float(p["budget_ar6"])
        lines.append(
            f"{100 * L:9.0f}%  {float(p['budget_simulation']):10.0f}  "
            f"{float(p['budget_framework']):10.0f}  "
            + (f"{ar6:8.0f}" if math.isfinite(ar6) else f"{'-':>8}")
        )

    def pct(name):
        q = np.percentile(ds[name].values, [5, 50, 95])
        return f"{q[1]:6.3f} [{q[0]:.3f} to {q[2]:.3f}]"

    lo_ar6, hi_ar6 = AR6_HISTORICAL_WARMING[1:]
    lines += [
        "",
        "Framework terms (median [5-95 %] over members):",
        f"  historical warming 2010-2019  {pct('warming_historical')} K"
        f"   (AR6: {AR6_HISTORICAL_WARMING[0]} [{lo_ar6}-{hi_ar6}] likely)",
        f"  TCRE (1pctCO2)                {pct('tcre')} K per 1000 GtC"
        "   (AR6: 1.65 [1.0-2.3] likely)",
        f"  ZEC50                         {pct('zec50')} K   (AR6: 0 [-0.3 to 0.3] likely)",
        f"  non-CO2 warming at peak       {pct('warming_nonco2')} K vs 2010-2019",
        f"  CO2 emitted 2015-2019         {ds.attrs['emissions_2015_2019_GtCO2']:.0f} GtCO2",
    ]
    med = {
        k: float(np.median(ds[k].values))
        for k in ("warming_historical", "warming_nonco2", "zec50", "tcre")
    }
    left = w - med["warming_historical"] - med["warming_nonco2"] - med["zec50"]
    per_k = 1000.0 * GTCO2_PER_GTC / med["tcre"]
    e1519 = ds.attrs["emissions_2015_2019_GtCO2"]
    sim = ds["budget_simulation"].values
    near = np.median(sim[np.isfinite(sim)]) if np.isfinite(sim).any() else left * per_k - e1519
    mid = int(np.argmin(np.abs(ds["cumulative_co2"].values - near)))
    lines += [
        "",
        "The terms add up (median member): "
        f"({w:g} - {med['warming_historical']:.3f} - {med['warming_nonco2']:.3f} - "
        f"({med['zec50']:.3f})) K = {left:.3f} K of CO2 warming left; / TCRE = "
        f"{left * per_k:.0f} GtCO2 from mid-2015; - {e1519:.0f} = {left * per_k - e1519:.0f} "
        "GtCO2 from 2020.",
        f"Each 0.1 K of any warming term moves the budget by {0.1 * per_k:.0f} GtCO2 (median "
        "TCRE). The likelihood columns are quantiles over members, not sums of quantiles.",
        "Warming per CO2 along the pathways (CO2-only runs, net zero "
        f"{float(ds['net_zero_year'][mid]):g}"
        + (f" after holding {float(ds['hold_years'][mid]):g} yr" if ds["hold_years"][mid] else "")
        + f"): {float(np.median(ds['tcre_pathway'][mid])):.3f} K per "
        "1000 GtC (median), against the 1pctCO2 TCRE above: where they differ, the simulation "
        "and the framework differ.",
    ]
    if ds.attrs.get("outside_family", "none") != "none":
        lines.append(f"Outside the pathway family: {ds.attrs['outside_family']}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ goal
def goal(
    peak_warming: float,
    likelihood: float = 0.5,
    *,
    shape: str = "linear",
    start: int = 2025,
    net_negative: float = 0.0,
    negative_years: float = 20.0,
    members: int = 500,
    seed: int = 0,
    background: str = "ssp245",
    latest: float = float(END),
    xtol: float = 1e-3,
) -> xr.Dataset:
    """The global net CO2 path of the family ``net_zero_path(Y, start=start, shape=shape,
    net_negative=..., negative_years=...)`` whose peak warming over the posterior meets
    ``peak_warming`` [K vs 1850-1900] at ``likelihood`` (share of members at or below it).

    The free parameter is the net-zero year Y in (start, ``latest``], found with Brent's
    method (scipy.optimize.brentq, to ``xtol`` years); the ``likelihood``-quantile of the
    members' peak warming is continuous and increasing in Y.

    Returns
    -------
    xarray.Dataset
        The complete path (every species, 1750-2200, internal units) plus ``co2_net``
        [GtCO2/yr] and ``peak_warming`` by ``member``; attributes ``net_zero_year``,
        ``co2_net_2030``, ``co2_net_2040``, ``co2_net_2050`` [GtCO2/yr],
        ``cumulative_co2_2020_to_net_zero`` [GtCO2], ``peak_warming_percentiles`` (5, 17,
        50, 83, 95) and ``likelihood_met``.

    Raises
    ------
    ValueError
        ``likelihood`` outside (0, 1); a goal at or below present warming, or one that even
        net zero in ``start + 1`` misses (with that path's peak warming); a goal that net
        zero in ``latest`` still meets (the family cannot resolve it); an unknown shape.
    """
    from scipy.optimize import brentq

    peak_warming = _check_warming(peak_warming, "peak_warming")
    likelihood = check_likelihood(likelihood)
    _check_shape(shape)
    members = check_count("members", members)
    seed = check_count("seed", seed, minimum=0)
    start = check_count("start", start, minimum=None)
    if not BUDGET_START <= start <= 2050:
        raise ValueError(f"start must be between {BUDGET_START} and 2050, not {start}")
    if not start + 1 < latest <= END:
        raise ValueError(f"latest must be after start + 1 and at most {END}, not {latest}")
    _, pm = _members(members, seed)
    options = dict(
        start=start,
        shape=shape,
        net_negative=net_negative,
        negative_years=negative_years,
        background=background,
    )
    cache: dict[float, tuple[float, np.ndarray, xr.Dataset]] = {}

    def evaluate(y: float):
        if y not in cache:
            path = net_zero_path(y, **options)
            t = _gsat([path], pm)[0]
            peak, _ = _peaks(t, path["year"].values)
            cache[y] = (float(np.quantile(peak, likelihood)), peak, path)
        return cache[y]

    earliest = float(start + 1)
    q_lo = evaluate(earliest)[0]
    if q_lo > peak_warming:
        raise ValueError(
            f"a peak warming of {peak_warming:g} K at likelihood {likelihood:g} cannot be met by "
            f"this family: even net zero in {earliest:g} (from {start}, {shape}) peaks at "
            f"{q_lo:.2f} K at that likelihood"
        )
    q_hi = evaluate(float(latest))[0]
    if q_hi < peak_warming:
        raise ValueError(
            f"a peak warming of {peak_warming:g} K at likelihood {likelihood:g} is met even "
            f"with net zero in {latest:g} ({q_hi:.2f} K); give a later latest= or a lower goal"
        )
    year = brentq(lambda y: evaluate(y)[0] - peak_warming, earliest, float(latest), xtol=xtol)
    q, peak, path = evaluate(year)
    years = path["year"].values
    net = _net_co2(path)
    cum = _cumulative_from(path)
    nz_idx = int(np.searchsorted(years, math.ceil(year)))
    out = path.copy()
    out["co2_net"] = (
        "year",
        net,
        {"units": "GtCO2/yr", "long_name": "net CO2 emissions (fossil + land use)"},
    )  # noqa: E501
    out["peak_warming"] = ("member", peak, {"units": "K", "long_name": "peak GSAT vs 1850-1900"})
    pct = np.percentile(peak, [5, 17, 50, 83, 95])
    at = {yr: float(net[years == yr][0]) for yr in (2030, 2040, 2050)}
    out.attrs.update(
        {
            "title": f"Net CO2 path for peak warming {peak_warming:g} K at likelihood "
            f"{likelihood:g}",
            "goal_peak_warming_K": peak_warming,
            "goal_likelihood": likelihood,
            "net_zero_year": float(year),
            "co2_net_2030": at[2030],
            "co2_net_2040": at[2040],
            "co2_net_2050": at[2050],
            "cumulative_co2_2020_to_net_zero": float(cum[nz_idx]),
            "peak_warming_percentiles": "5/17/50/83/95 %: "
            + " / ".join(f"{v:.3f}" for v in pct)
            + " K",
            "peak_warming_at_likelihood": q,
            "likelihood_met": float(np.mean(peak <= peak_warming + 1e-9)),
            "members": members,
            "seed": seed,
            "family": f"net CO2 from its {start} value in {background} falling {shape}ly to "
            "zero in net_zero_year"
            + (
                f", then to {net_negative:g} GtCO2/yr over {negative_years:g} years"
                if net_negative < 0
                else ", then zero"
            )
            + f" to {END}; non-CO2 by fossil-CO2 quantile of the shipped SSPs",
            "solver": f"scipy.optimize.brentq on the net-zero year, xtol {xtol:g} yr",
        }
    )
    return out


def goal_table(ds: xr.Dataset) -> str:
    """The goal path summary printed by ``esm goal``."""
    a = ds.attrs
    return "\n".join(
        [
            f"Net CO2 path: peak warming {a['goal_peak_warming_K']:g} K (GSAT vs 1850-1900) at "
            f"likelihood {100 * a['goal_likelihood']:g} %, {a['members']} posterior members",
            f"  family: {a['family']}",
            f"  net zero in          {a['net_zero_year']:.1f}",
            f"  net CO2 2030         {a['co2_net_2030']:6.1f} GtCO2/yr",
            f"  net CO2 2040         {a['co2_net_2040']:6.1f} GtCO2/yr",
            f"  net CO2 2050         {a['co2_net_2050']:6.1f} GtCO2/yr",
            f"  cumulative 2020 to net zero  {a['cumulative_co2_2020_to_net_zero']:.0f} GtCO2",
            f"  peak warming {a['peak_warming_percentiles']}",
        ]
    )


def budget_frame(ds: xr.Dataset):
    """The budgets and term percentiles of :func:`budget` as a tidy table (``quantity``,
    ``likelihood_percent``, ``percentile``, ``value``, ``units``) for CSV output."""
    import pandas as pd

    rows = []
    for name in (
        "budget_simulation",
        "budget_simulation_to_peak",
        "budget_framework",
        "budget_ar6",
    ):
        for L in ds["likelihood"].values:
            value = float(ds[name].sel(likelihood=L))
            rows.append((name, round(100 * float(L), 6), np.nan, value, ds[name].attrs["units"]))
    for name in ("warming_historical", "tcre", "zec50", "warming_nonco2", "budget_member"):
        for q in (5, 17, 50, 83, 95):
            value = float(np.percentile(ds[name].values, q))
            rows.append((name, np.nan, float(q), value, ds[name].attrs["units"]))
    rows.append(
        ("emissions_2015_2019", np.nan, np.nan, ds.attrs["emissions_2015_2019_GtCO2"], "GtCO2")
    )  # noqa: E501
    rows.append(("warming_limit", np.nan, np.nan, ds.attrs["warming_limit_K"], "K"))
    return pd.DataFrame(
        rows, columns=["quantity", "likelihood_percent", "percentile", "value", "units"]
    )  # noqa: E501
