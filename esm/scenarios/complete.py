"""Complete a partial scenario: splice it onto history, harmonise it, fill missing species.

An IAM scenario usually starts in 2015 or later and often lacks species (halogenated gases,
aviation NOx, ...). The model takes the first year of its input as a pre-industrial steady
state, so such a scenario run as it is gives a wrong climate without any error (SSP2-4.5 cut to
start in 2015: GSAT 2100 about 1.4 K instead of 2.7 K). :func:`complete` makes it a 1750-start
scenario, visibly: everything it does is listed in the Dataset attributes and summarised in one
``UserWarning``.

**History.** The shipped scenarios (``esm.scenarios.available()``, except ``historical``) are
bit-for-bit identical in 1750-2022 for every species except ``nox_aviation`` (identical in
1750-2020); from 2023 they differ (``nox_aviation`` from 2021). ``historical`` (1750-2020) equals
them in its years. Halogenated gases under the Montreal Protocol (CFCs, HCFCs, CCl4, CH3CCl3,
halons) are the same in all of them in every year. So all shipped SSPs agree exactly (spread
zero) in 2015, the RCMIP harmonisation year. Their history is fair-calibrate v1.4.1 (CEDS,
GFED, PRIMAP-hist, WMO; RCMIP v5.1.0 for aviation NOx) with Global Carbon Budget 2021 CO2 (see
each scenario's ``source`` attribute).

**Splice.** With ``y0`` the scenario's first year and ``history`` a shipped scenario name or a
scenario Dataset, the output has the history's values for years ``< y0`` (from the history's
first year) and the (harmonised) scenario from ``y0`` on. Natural forcing: a scenario without
``solar``/``volcanic`` keeps the default natural forcing (the runner adds it for all years); a
scenario with them gets the history's (or the default) values before ``y0``.

**Harmonisation** (as aneris does) in ``y0``, converging by ``converge``: with ``x`` the
scenario's and ``h`` the history's value in ``y0`` and ``w(t) = (converge - t) / (converge -
y0)`` for ``y0 <= t < converge`` (0 from ``converge`` on):

* ``"ratio"``: ``x'(t) = x(t) * (1 + (h/x - 1) w(t))``;
* ``"offset"``: ``x'(t) = x(t) + (h - x) w(t)``;
* ``"none"``: unchanged;
* ``"auto"``: ``"offset"`` for ``co2_landuse`` (a net flux that changes sign: a ratio would
  scale sinks and sources alike), when ``x * h <= 0`` (either is zero, or they differ in sign),
  or for CO2 whose scenario changes sign by ``converge`` (net-negative CO2); otherwise
  ``"ratio"`` when ``0.5 <= h/x <= 2``, else ``"offset"`` -- except that a non-CO2 species
  with ``x != 0`` that the offset would make negative before ``converge`` takes ``"ratio"``
  (which keeps the sign; for ``h = 0`` it fades the scenario in from zero).

The harmonised value in ``y0`` is set to ``h`` (equal to the formulas up to round-off) and from
``converge`` on the scenario is unchanged, both exactly. The relative adjustment reported is
``(h - x) / max(|h|, |x|)``; species above :data:`REPORT_THRESHOLD` are named in the warning.
A given method that cannot work (``"ratio"`` with ``x = 0``, or ``"offset"`` that makes a
non-CO2 species negative) is an error.

**Missing species** (``missing``): ``"error"``; ``"zero"`` (zero emissions from ``y0`` on,
history before); ``"background"`` (the shipped scenario ``background``, all years including the
history's); ``"quantile"`` (from ``y0`` on, history before): in each year, the scenario's
(harmonised) fossil CO2 ``L`` is placed in the distribution of fossil CO2 of the eight shipped
SSPs that year -- the sorted distinct values get the positions ``0..n-1`` (tied members share
the mean of their positions) and ``L`` the linearly interpolated position, clamped to the range
-- and each missing species takes the value at that position in the sorted values of the same
SSPs that year (linear between neighbours). This is the idea of Silicone's quantile rolling
windows with a window of one year and the marginal distribution of the follower. Limits: eight
scenarios span a narrow range; a lead value outside the SSP range takes the lowest/highest SSP
value (years listed in the attrs and the warning); where the SSPs agree (2015-2022) every
position gives their common value; followers are not correlated with the lead beyond rank.
Infilled species are not harmonised.

A species that is NaN in every year of a scenario counts as missing; NaN in some years is an
error. A Dataset with dims ``("scenario", "year")`` is completed scenario by scenario.
"""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np
import xarray as xr

from esm.kernels import layout
from esm.scenarios import (
    NATURAL_VARIABLES,
    ScenarioError,
    available,
    check_species_names,
    check_years,
    load,
    natural_forcing,
)
from esm.scenarios.units import UnitError, conversion_factor, internal_unit

__all__ = ["complete", "HISTORY_FIRST_YEAR", "LAST_START_YEAR", "REPORT_THRESHOLD"]

#: Earliest first year of a scenario (the shipped history's first year).
HISTORY_FIRST_YEAR = 1750
#: Latest first year of a scenario that is spliced onto history.
LAST_START_YEAR = 2100
#: Relative adjustment above which a harmonised species is named in the warning.
REPORT_THRESHOLD = 0.10
#: Ratio range of the "auto" rule inside which "ratio" is used.
AUTO_RATIO_RANGE = (0.5, 2.0)

METHODS = ("auto", "ratio", "offset", "none")
MISSING = ("error", "zero", "background", "quantile")
LEAD = "co2_fossil"
_CO2 = ("co2_fossil", "co2_landuse")


def _ssp_names() -> list[str]:
    return [n for n in available() if n != "historical"]


@cache
def _shipped_internal(name: str) -> xr.Dataset:
    return _to_internal(load(name), f"shipped {name}")


def _to_internal(ds: xr.Dataset, what: str) -> xr.Dataset:
    """Species of ``ds`` (dims ('year',)) converted to internal units; other variables kept."""
    out = ds.copy()
    for v in ds.data_vars:
        if v not in layout.SPECIES_NAMES:
            continue
        unit = ds[v].attrs.get("units")
        if unit is None:
            raise ScenarioError(
                f"{what}: variable {v} has no 'units' attribute (e.g. {internal_unit(v)!r})"
            )
        try:
            factor = conversion_factor(v, unit)
        except UnitError as err:
            raise ScenarioError(f"{what}: {err}") from None
        attrs = {**ds[v].attrs, "units": internal_unit(v)}
        out[v] = (ds[v].dims, ds[v].values.astype(np.float64) * factor, attrs)
    return out


def _resolve_history(history) -> tuple[xr.Dataset, str]:
    if isinstance(history, str):
        if history not in available():
            raise ScenarioError(
                f"history: unknown shipped scenario {history!r}; available: "
                f"{', '.join(available())}, or pass a scenario Dataset"
            )
        return _shipped_internal(history), f"shipped {history}"
    if isinstance(history, xr.Dataset):
        if "year" not in history.coords:
            raise ScenarioError("history: the Dataset has no 'year' coordinate")
        check_years(history["year"].values, "history")
        extra = [d for d in history.dims if d != "year"]
        if extra:
            raise ScenarioError(
                f"history: dimension(s) {', '.join(extra)} besides 'year'; give one history"
            )
        name = history.attrs.get("scenario")
        label = f"the given history Dataset ({name})" if name else "the given history Dataset"
        return _to_internal(history, "history"), label
    raise ScenarioError(
        f"history must be a shipped scenario name or an xarray.Dataset, not {type(history)}"
    )


def _history_values(
    hist: xr.Dataset, label: str, species: str, years: np.ndarray, what: str = "history"
) -> np.ndarray:
    if species not in hist.data_vars:
        raise ScenarioError(
            f"{what}: {label} has no {species}; give a history Dataset with every species"
        )
    hy = hist["year"].values
    missing = np.setdiff1d(years, hy)
    if missing.size:
        raise ScenarioError(
            f"{what}: {label} has no {species} in year {int(missing[0])} (it covers "
            f"{int(hy[0])}-{int(hy[-1])}); give a {what} that reaches it"
        )
    values = hist[species].sel(year=years).values.astype(np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        raise ScenarioError(
            f"{what}: {label}: {species} is NaN in year {int(years[bad][0])}; give a complete "
            f"{what}"
        )
    return values


def _weights(years: np.ndarray, y0: int, converge: int) -> np.ndarray:
    """Convergence weight w(t): 1 in y0, linearly to 0 in ``converge``, 0 after."""
    w = (converge - years) / float(converge - y0)
    return np.where(years < converge, w, 0.0)


def _ratio(x: np.ndarray, h0: float, w: np.ndarray) -> np.ndarray:
    out = x * (1.0 + (h0 / x[0] - 1.0) * w)
    out[0] = h0
    return out


def _offset(x: np.ndarray, h0: float, w: np.ndarray) -> np.ndarray:
    out = x + (h0 - x[0]) * w
    out[0] = h0
    return out


def _changes_sign(x: np.ndarray, years: np.ndarray, converge: int) -> bool:
    seg = x[years <= converge]
    return bool(np.any(seg > 0) and np.any(seg < 0))


def _harmonise_one(species, x, h0, years, y0, converge, method, name):
    """(harmonised series, method used, record text, relative adjustment)."""
    x0 = float(x[0])
    rel = 0.0 if h0 == x0 else (h0 - x0) / max(abs(h0), abs(x0))
    unit = internal_unit(species)
    if method == "none":
        return x, "none", f"{species}: none (h={h0:.6g}, x={x0:.6g} {unit} in {y0})", rel
    w = _weights(years, y0, converge)
    note = ""
    if method == "auto":
        if species == "co2_landuse":
            chosen, note = "offset", "auto: net land-use flux"
        elif x0 * h0 <= 0:
            chosen, note = "offset", "auto: x or h is zero, or they differ in sign"
        elif species in _CO2 and _changes_sign(x, years, converge):
            chosen, note = "offset", "auto: net-negative CO2"
        elif AUTO_RATIO_RANGE[0] <= h0 / x0 <= AUTO_RATIO_RANGE[1]:
            chosen, note = "ratio", f"auto: h/x in {AUTO_RATIO_RANGE[0]}-{AUTO_RATIO_RANGE[1]}"
        else:
            chosen, note = "offset", "auto: h/x outside 0.5-2"
        # a non-CO2 species must stay >= 0: a ratio (>= 0, as h >= 0) keeps the sign of x
        if chosen == "offset" and species not in _CO2 and x0 != 0:
            if np.any(_offset(x, h0, w) < 0):
                chosen, note = "ratio", note + ", but the offset would make it negative"
    else:
        chosen = method
    if chosen == "ratio":
        if x0 == 0:
            raise ScenarioError(
                f"{name}: {species} is zero in {y0}, so 'ratio' harmonisation is undefined; "
                f"pass harmonise={{'{species}': 'offset'}} (or 'auto')"
            )
        out = _ratio(x, h0, w)
        detail = f"ratio, factor {h0 / x0:.6g} in {y0}"
    else:
        out = _offset(x, h0, w)
        detail = f"offset, {h0 - x0:+.6g} {unit} in {y0}"
        if species not in _CO2 and np.any(out < 0):
            bad = int(years[np.argmax(out < 0)])
            raise ScenarioError(
                f"{name}: {species} becomes negative in {bad} with 'offset' harmonisation; "
                f"pass harmonise={{'{species}': 'ratio'}} (or 'auto')"
            )
    text = (
        f"{species}: {detail} (h={h0:.6g}, x={x0:.6g} {unit}), relative adjustment "
        f"{100 * rel:+.3g} %, converged by {converge}" + (f" [{note}]" if note else "")
    )
    return out, chosen, text, rel


def _quantile_infill(lead: np.ndarray, years: np.ndarray, species: list[str]):
    """Values of ``species`` at the lead gas's position among the shipped SSPs, per year."""
    ssps = [_shipped_internal(n) for n in _ssp_names()]
    last = min(int(d["year"].values[-1]) for d in ssps)
    if years[-1] > last:
        raise ScenarioError(
            f"missing='quantile': the shipped SSPs end in {last}, the scenario in "
            f"{int(years[-1])}; cut the scenario or use missing='background'"
        )
    lead_ssp = np.array([d[LEAD].sel(year=years).values for d in ssps])  # [n, year]
    n = lead_ssp.shape[0]
    pos = np.empty(years.size)
    outside = []
    for t in range(years.size):
        vals = lead_ssp[:, t]
        uniq, inv = np.unique(vals, return_inverse=True)
        ranks = np.argsort(np.argsort(vals, kind="stable"), kind="stable").astype(np.float64)
        mean_pos = np.array([ranks[inv == k].mean() for k in range(uniq.size)])
        if lead[t] < uniq[0] or lead[t] > uniq[-1]:
            outside.append(int(years[t]))
        pos[t] = np.interp(lead[t], uniq, mean_pos)
    out = {}
    grid = np.arange(n, dtype=np.float64)
    for sp in species:
        vals = np.sort(np.array([d[sp].sel(year=years).values for d in ssps]), axis=0)
        out[sp] = np.array([np.interp(pos[t], grid, vals[:, t]) for t in range(years.size)])
    return out, pos / (n - 1), outside


def _fmt_years(years) -> str:
    years = sorted(int(y) for y in years)
    if not years:
        return ""
    runs, start, prev = [], years[0], years[0]
    for y in years[1:] + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        runs.append(f"{start}-{prev}" if prev > start else f"{start}")
        if y is not None:
            start = prev = y
    return ", ".join(runs)


def complete(
    ds: xr.Dataset,
    *,
    history: str | xr.Dataset = "ssp245",
    harmonise: str | dict[str, str] = "auto",
    converge: int = 2050,
    missing: str = "error",
    background: str = "ssp245",
) -> xr.Dataset:
    """Complete a scenario Dataset for a run from 1750 (see the module docstring).

    Parameters
    ----------
    ds
        Scenario Dataset (``year`` coordinate; optionally a ``scenario`` dimension first).
    history
        Shipped scenario name or scenario Dataset giving the years before the scenario's first
        year ``y0`` and the harmonisation value in ``y0``.
    harmonise
        ``"auto"``, ``"ratio"``, ``"offset"``, ``"none"``, or a dict species -> method (species
        not in it: ``"auto"``).
    converge
        Year from which the harmonised scenario equals the given one.
    missing
        ``"error"``, ``"zero"``, ``"background"`` or ``"quantile"`` for absent species.
    background
        Shipped scenario that ``missing="background"`` takes species from.

    Returns
    -------
    xarray.Dataset
        The completed scenario in internal units with attrs ``history_splice``,
        ``harmonisation``, ``infilled`` and ``completed_by``; one ``UserWarning`` summarises
        what was spliced, harmonised and infilled (none when nothing was).

    Raises
    ------
    esm.scenarios.ScenarioError
        A scenario outside 1750-2100, NaN inside it, missing species with ``missing="error"``,
        or a harmonisation that cannot work.
    """
    if not isinstance(ds, xr.Dataset):
        raise ScenarioError(f"scenario must be an xarray.Dataset, not {type(ds)}")
    if missing not in MISSING:
        raise ScenarioError(f"missing={missing!r}: choose one of {', '.join(MISSING)}")
    if isinstance(harmonise, str):
        if harmonise not in METHODS:
            raise ScenarioError(f"harmonise={harmonise!r}: choose one of {', '.join(METHODS)}")
        methods = dict.fromkeys(layout.SPECIES_NAMES, harmonise)
    elif isinstance(harmonise, dict):
        methods = dict.fromkeys(layout.SPECIES_NAMES, "auto")
        for sp, m in harmonise.items():
            if sp not in layout.SPECIES_NAMES:
                raise ScenarioError(f"harmonise: unknown species {sp!r}")
            if m not in METHODS:
                raise ScenarioError(f"harmonise: {sp}: {m!r}; choose one of {', '.join(METHODS)}")
            methods[sp] = m
    else:
        raise ScenarioError(f"harmonise must be a method name or a dict, not {type(harmonise)}")
    if missing == "background" and background not in available():
        raise ScenarioError(
            f"background: unknown shipped scenario {background!r}; available: "
            f"{', '.join(available())}"
        )
    if int(converge) != converge:
        raise ScenarioError(f"converge must be a whole year, not {converge}")
    opts = dict(
        history=history, methods=methods, converge=int(converge), missing=missing,
        background=background,
    )  # fmt: skip
    if "scenario" in ds.dims:
        parts, summaries = [], []
        splice, harm, infill = [], [], []
        for label in ds["scenario"].values:
            one = ds.sel(scenario=label, drop=True)
            one.attrs = {**ds.attrs, "scenario": str(label)}
            out, summary = _complete_one(one, **opts)
            parts.append(out)
            if summary:
                summaries.append(summary)
            splice.append(f"{label}: {out.attrs['history_splice']}")
            harm += [f"{label}: {s}" for s in out.attrs["harmonisation"]]
            infill += [f"{label}: {s}" for s in out.attrs["infilled"]]
        years = [p["year"].values for p in parts]
        if any(y.size != years[0].size or np.any(y != years[0]) for y in years):
            raise ScenarioError("scenario: completed scenarios cover different years")
        result = xr.concat(parts, dim=_scenario_index(ds["scenario"]), combine_attrs="drop")
        for v in result.data_vars:  # attributes common to every scenario (units always are)
            first = parts[0][v].attrs
            result[v].attrs = {
                k: a for k, a in first.items() if all(p[v].attrs.get(k) == a for p in parts)
            }
        result.attrs = {
            **ds.attrs,
            "history_splice": splice,
            "harmonisation": harm,
            "infilled": infill,
            "completed_by": "esm.scenarios.complete",
        }
        summary = " || ".join(summaries)
    else:
        result, summary = _complete_one(ds, **opts)
    if summary:
        warnings.warn(summary, UserWarning, stacklevel=2)
    return result


def _scenario_index(coord: xr.DataArray) -> xr.DataArray:
    return xr.DataArray(coord.values, dims="scenario", name="scenario", attrs=coord.attrs)


def _complete_one(ds, *, history, methods, converge, missing, background):
    name = ds.attrs.get("scenario", "scenario")
    if "year" not in ds.coords:
        raise ScenarioError(f"{name}: no 'year' coordinate")
    years = check_years(ds["year"].values, name)
    extra = [d for d in ds.dims if d != "year"]
    if extra:
        raise ScenarioError(
            f"{name}: dimension(s) {', '.join(extra)} besides 'year' (only 'scenario' is allowed)"
        )
    check_species_names(ds, name)
    y0 = int(years[0])
    if y0 < HISTORY_FIRST_YEAR:
        raise ScenarioError(
            f"{name}: the scenario starts in {y0}, before {HISTORY_FIRST_YEAR}; cut it with "
            f"ds.sel(year=slice({HISTORY_FIRST_YEAR}, None))"
        )
    if y0 > LAST_START_YEAR:
        raise ScenarioError(
            f"{name}: the scenario starts in {y0}, after {LAST_START_YEAR}; no history to splice "
            f"it onto: give a scenario that starts by {LAST_START_YEAR}"
        )
    # species present (all-NaN counts as absent), in internal units, checked for NaN
    conv = _to_internal(ds, name)
    present = {}
    for sp in layout.SPECIES_NAMES:
        if sp not in conv.data_vars:
            continue
        values = conv[sp].values.astype(np.float64)
        bad = ~np.isfinite(values)
        if bad.all():
            continue
        if bad.any():
            raise ScenarioError(
                f"{name}: {sp} is NaN or infinite in year {int(years[bad][0])}; fill or "
                "interpolate it first (e.g. ds.interpolate_na('year'))"
            )
        present[sp] = values
    absent = [sp for sp in layout.SPECIES_NAMES if sp not in present]
    if absent and missing == "error":
        raise ScenarioError(
            f"{name}: missing species {', '.join(absent)} (from {y0}); pass missing='zero', "
            "'background' (a shipped scenario's values) or 'quantile' (infilled from the "
            "shipped SSPs by fossil CO2)"
        )
    if absent and missing == "quantile" and LEAD not in present:
        raise ScenarioError(
            f"{name}: missing='quantile' needs {LEAD} (the lead gas), which is missing; pass "
            "missing='background' or 'zero'"
        )

    hist, hist_label = _resolve_history(history)
    hist_first = int(hist["year"].values[0])
    splice = y0 > hist_first
    hist_years = np.arange(hist_first, y0) if splice else np.arange(0)
    if splice and hist["year"].values[-1] < y0 - 1:
        raise ScenarioError(
            f"{name}: history {hist_label} ends in {int(hist['year'].values[-1])}, before "
            f"{y0 - 1} (the year before the scenario starts); give a history that reaches it"
        )
    harmonising = splice and any(methods[sp] != "none" for sp in present)
    if harmonising and converge <= y0:
        raise ScenarioError(
            f"{name}: converge={converge} must be after the scenario's first year {y0}; pass "
            f"converge={y0 + 35} (for example) or harmonise='none'"
        )

    # 1. harmonise the species the scenario gives
    harmonised: dict[str, np.ndarray] = {}
    records, large = [], []
    for sp, x in present.items():
        if not splice:
            harmonised[sp] = x
            continue
        if methods[sp] == "none" and y0 not in hist["year"].values:
            harmonised[sp] = x
            records.append(f"{sp}: none (the history has no value in {y0})")
            continue
        h0 = float(_history_values(hist, hist_label, sp, np.array([y0]))[0])
        out, _, text, rel = _harmonise_one(sp, x, h0, years, y0, converge, methods[sp], name)
        harmonised[sp] = out
        records.append(text)
        if methods[sp] != "none" and abs(rel) > REPORT_THRESHOLD:
            large.append(f"{sp} {100 * rel:+.0f} %")
    if not splice:
        records = [f"none: the scenario starts in {y0}, the history's first year or before"]

    # 2. fill missing species over the scenario's years (background: all years)
    filled: dict[str, np.ndarray] = {}
    full_background: dict[str, np.ndarray] = {}
    infill_records, outside = [], []
    if absent and missing == "zero":
        for sp in absent:
            filled[sp] = np.zeros(years.size)
        infill_records = [
            f"{sp}: zero in {y0}-{int(years[-1])}"
            + (f" (history {hist_first}-{y0 - 1} before)" if splice else "")
            for sp in absent
        ]
    elif absent and missing == "background":
        bg = _shipped_internal(background)
        all_years = np.concatenate([hist_years, years])
        for sp in absent:
            full_background[sp] = _history_values(
                bg, f"shipped {background}", sp, all_years, "background"
            )
        infill_records = [
            f"{sp}: shipped {background}, all years {int(all_years[0])}-{int(all_years[-1])}"
            for sp in absent
        ]
    elif absent and missing == "quantile":
        values, q, outside = _quantile_infill(harmonised[LEAD], years, absent)
        filled.update(values)
        note = f"; {LEAD} outside the SSP range in {_fmt_years(outside)}" if outside else ""
        infill_records = [
            f"{sp}: quantile of {LEAD} among shipped {', '.join(_ssp_names())} in "
            f"{y0}-{int(years[-1])} (quantile {q.min():.3g}-{q.max():.3g}){note}"
            + (f" (history {hist_first}-{y0 - 1} before)" if splice else "")
            for sp in absent
        ]
    if not infill_records:
        infill_records = ["none"]

    # 3. splice: history before y0
    data = {}
    for sp in layout.SPECIES_NAMES:
        if sp in full_background:
            series = full_background[sp]
            attrs = {"units": internal_unit(sp), "infilled": f"shipped {background}"}
        else:
            scen = harmonised[sp] if sp in harmonised else filled[sp]
            before = _history_values(hist, hist_label, sp, hist_years) if splice else []
            series = np.concatenate([before, scen])
            attrs = dict(conv[sp].attrs) if sp in present else {}
            attrs["units"] = internal_unit(sp)
            if sp in filled:
                attrs["infilled"] = missing
        data[sp] = (("year",), series, attrs)
    out_years = np.concatenate([hist_years, years])
    nat_present = [v for v in NATURAL_VARIABLES if v in ds.data_vars]
    for v in nat_present:
        before = np.arange(0)
        if splice:
            source = hist if v in hist.data_vars else natural_forcing(hist_years)
            before = source[v].sel(year=hist_years).values
        data[v] = (("year",), np.concatenate([before, ds[v].values]), dict(ds[v].attrs))
    result = xr.Dataset(data, coords={"year": out_years})
    result["year"].attrs = dict(ds["year"].attrs)

    if splice:
        splice_text = f"{hist_first}-{y0 - 1} from {hist_label}"
        if nat_present:
            splice_text += " (species and natural forcing)"
    else:
        splice_text = f"none (the scenario starts in {y0})"
    result.attrs = {
        **ds.attrs,
        "history_splice": splice_text,
        "harmonisation": records,
        "harmonisation_year": y0,
        "harmonisation_converge": converge,
        "infilled": infill_records,
        "completed_by": "esm.scenarios.complete",
    }

    parts = []
    if splice:
        parts.append(f"spliced {splice_text}")
        changed = [sp for sp in present if methods[sp] != "none"]
        if changed:
            parts.append(
                f"harmonised {len(changed)} species in {y0} converging by {converge}"
                + (
                    f" (adjusted more than {100 * REPORT_THRESHOLD:.0f} %: {', '.join(large)})"
                    if large
                    else f" (each adjusted by at most {100 * REPORT_THRESHOLD:.0f} %)"
                )
            )
    if absent:
        source = {
            "zero": "as zero",
            "background": f"from shipped {background}",
            "quantile": f"by {LEAD} quantile among the shipped SSPs",
        }[missing]
        parts.append(f"infilled {len(absent)} species {source}: {', '.join(absent)}")
        if outside:
            parts.append(f"{LEAD} outside the SSP range in {_fmt_years(outside)}")
    summary = ""
    if parts:
        summary = (
            f"{name}: completed by esm.scenarios.complete: "
            + "; ".join(parts)
            + " (details in ds.attrs['history_splice'], ['harmonisation'], ['infilled'])"
        )
    return result, summary
