"""The effect of a China pathway as one lever takes a series of values (a lever sweep).

>>> from esm import china
>>> s = china.sweep("neutral-2060", "ccus", [0, 0.5, 1, 2], members=100)   # doctest: +SKIP
>>> s.avoided_warming.sel(percentile=50)                                   # doctest: +SKIP

Every value is a complete pathway (the other levers as in ``pathway``), compared with the same
``reference``; all values and members run in one kernel call, member m with the same
parameters for every value, so the differences between values are paired.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import xarray as xr

from esm import runner
from esm.china import emissions as P
from esm.china import levers as L
from esm.china.effect import VARIABLES, _levers, _members, _run_cases, _summary
from esm.constants import GTCO2_PER_GTC
from esm.scenarios import ScenarioError

#: First year of China's cumulative CO2 in a sweep: the first year after the last observation.
CUMULATIVE_FROM = L.LAST_OBSERVED_CO2 + 1


def numeric_levers() -> list[str]:
    """The levers a sweep can vary (those with a numeric range)."""
    return [name for name, spec in L.LEVERS.items() if spec.bounds is not None]


def sweep_values(lever: str, values) -> list[float]:
    """Check ``lever`` and ``values`` (a sequence, or a comma-separated string) for a sweep;
    return the values as floats. Raises KeyError (unknown lever) or ValueError naming the
    problem: a lever that is not numeric, no values, a value that is not a number or outside the
    lever's range."""
    if lever not in L.LEVERS:
        raise KeyError(f"unknown lever {lever!r}; levers: {', '.join(L.LEVERS)}")
    spec = L.LEVERS[lever]
    if spec.bounds is None:
        raise ValueError(
            f"sweep: lever {lever} is not numeric (it takes one of "
            f"{', '.join(L.DECLINE_SHAPES)}); sweep one of {', '.join(numeric_levers())}"
        )
    if isinstance(values, str):
        values = [v for v in (x.strip() for x in values.split(",")) if v]
    values = list(values)
    if not values:
        raise ValueError(f"sweep: no values given for lever {lever}")
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, numbers.Real | str):
            raise ValueError(f"sweep: value {v!r} of lever {lever} is not a number")
        try:
            x = float(v)
        except ValueError:
            raise ValueError(f"sweep: value {v!r} of lever {lever} is not a number") from None
        lo, hi = spec.bounds
        if not lo <= x <= hi:
            raise ValueError(
                f"sweep: value {x:g} of lever {lever} is outside its allowed range "
                f"[{lo:g}, {hi:g}] {spec.units}"
            )
        out.append(x)
    return out


def sweep(
    pathway="neutral-2060",
    lever: str = "ccus",
    values=(0.0, 0.5, 1.0, 2.0),
    reference="reference",
    background="ssp245",
    members: int = 1,
    seed: int = 0,
    end: int = 2100,
    percentiles=(5, 50, 95),
    **levers,
) -> xr.Dataset:
    """Effect of ``pathway`` against ``reference`` for each of ``values`` of ``lever``.

    Parameters
    ----------
    pathway, reference
        Preset names (``esm.china.PRESETS``) or :class:`esm.china.Levers`.
    lever
        A numeric lever (``esm china --list``); not ``co2_decline``.
    values
        The lever values (a sequence or a comma-separated string), each within the lever's
        range. ``neutrality_year`` moves the year levers with it, as in :func:`esm.china.preset`.
    background, members, seed, end, percentiles
        As in :func:`esm.china.effect`.
    **levers
        Other levers of ``pathway`` to override (the same for every value).

    Returns
    -------
    xarray.Dataset
        With a ``value`` dimension (the lever values) and, when ``members > 1``, a
        ``percentile`` dimension over the members. Per value: ``avoided_warming`` [K] (GSAT of
        the reference minus the pathway in ``end``; positive: less warming),
        ``peak_warming_reduction`` [K] (peak GSAT of the reference minus that of the pathway,
        over the run; the peak is the last year while warming still rises), ``peak_gsat`` and
        ``peak_year`` of the pathway, ``delta_co2`` [ppm] in ``end``,
        ``china_cumulative_co2`` [GtCO2] (China's net CO2 from 2024 to ``end``),
        ``cumulative_co2_avoided`` [GtCO2] (reference minus pathway), ``avoided_warming_tcre``
        [K] (TCRE x avoided CO2, default parameters), ``china_net_zero_year`` (first year with
        China's net CO2 <= 0; NaN if none); and the time series ``delta_gsat`` [K] (pathway
        minus reference) and ``china_co2_net`` [GtCO2/yr].
    """
    vals = sweep_values(lever, values)
    if lever in levers:
        raise ValueError(f"sweep: lever {lever} is swept; do not also set it (to {levers[lever]})")
    spec = L.LEVERS[lever]
    bg = P.background(background)
    cases = {"reference": _levers(reference)}
    for i, v in enumerate(vals):
        cases[f"value {i}"] = _levers(pathway, **{**levers, lever: v})
    from esm._checks import check_count

    end = check_count("end", end, minimum=None)
    diverge = min(lv.start_year for lv in cases.values())
    last = int(bg["year"].values[-1])
    if not diverge < end <= last:
        raise ScenarioError(
            f"china: end {end} must lie after the pathways' start year {diverge:g} and at most "
            f"the background's last year {last}"
        )
    composed, china = {}, {}
    for name, lv in cases.items():
        composed[name], china[name] = P.compose(bg, lv)
    table = _members(members, seed)
    years, out, gsat_ref_period = _run_cases(composed, table, end)
    keep = np.isin(bg["year"].values, years)
    iv = {v: i for i, v in enumerate(VARIABLES)}
    gsat = out[..., iv["gsat"]]  # [case, member, year]
    ref, path = gsat[:1], gsat[1:]
    co2 = out[..., iv["co2"]]

    net = np.stack(
        [(china[n]["co2_fossil"] + china[n]["co2_landuse"])[keep] * GTCO2_PER_GTC for n in cases]
    )
    after = years >= CUMULATIVE_FROM
    cumulative = net[1:, after].sum(axis=1)
    avoided = (net[:1] - net[1:]).sum(axis=1)
    net_zero = np.full(len(vals), np.nan)
    for i, row in enumerate(net[1:]):
        hit = np.nonzero(after & (row <= 0))[0]
        if hit.size:
            net_zero[i] = years[hit[0]]
    from esm import metrics

    tcre = metrics.compute()["tcre"]  # K per 1000 GtC, default parameters

    pct = np.asarray(percentiles, dtype=float)
    many = len(table) > 1

    def summary(x):  # x[value, member] -> [value, percentile] or [value]
        if not many:
            return x[:, 0]
        return np.moveaxis(np.percentile(x, pct, axis=1), 0, 1)

    dims = ("value", "percentile") if many else ("value",)
    temperature = {"units": "K", "units_metadata": "temperature: difference"}
    ds = xr.Dataset(
        {
            "avoided_warming": (
                dims,
                summary(ref[:, :, -1] - path[:, :, -1]),
                {**temperature, "long_name": f"warming avoided in {end} (reference minus pathway)"},
            ),
            "peak_warming_reduction": (
                dims,
                summary(ref.max(axis=2) - path.max(axis=2)),
                {
                    **temperature,
                    "long_name": f"peak GSAT of the reference minus peak GSAT of the pathway "
                    f"(peak over the run to {end}; the last year while warming still rises)",
                },
            ),
            "peak_gsat": (
                dims,
                summary(path.max(axis=2)),
                {**temperature, "long_name": f"peak GSAT of the pathway vs {gsat_ref_period}"},
            ),
            "peak_gsat_reference": (
                ("percentile",) if many else (),
                summary(ref.max(axis=2))[0],
                {**temperature, "long_name": f"peak GSAT of the reference vs {gsat_ref_period}"},
            ),
            "peak_year": (
                dims,
                summary(years[path.argmax(axis=2)].astype(float)),
                {"long_name": f"year of peak GSAT of the pathway ({end}: still rising)"},
            ),
            "delta_co2": (
                dims,
                summary(co2[1:, :, -1] - co2[:1, :, -1]),
                {"units": "ppm", "long_name": f"CO2 change in {end} (pathway minus reference)"},
            ),
            "china_cumulative_co2": (
                ("value",),
                cumulative,
                {
                    "units": "GtCO2",
                    "long_name": f"China cumulative net CO2 {CUMULATIVE_FROM}-{end} (pathway)",
                },
            ),
            "cumulative_co2_avoided": (
                ("value",),
                avoided,
                {
                    "units": "GtCO2",
                    "long_name": f"China cumulative net CO2 avoided to {end} "
                    "(reference minus pathway)",
                },
            ),
            "avoided_warming_tcre": (
                ("value",),
                tcre * avoided / GTCO2_PER_GTC / 1000.0,
                {
                    **temperature,
                    "long_name": f"TCRE estimate of the warming avoided in {end} "
                    f"({tcre:.3f} K per 1000 GtC x avoided CO2)",
                },
            ),
            "china_net_zero_year": (
                ("value",),
                net_zero,
                {"long_name": f"first year from {CUMULATIVE_FROM} with China net CO2 <= 0"},
            ),
            "delta_gsat": (
                ("value", "percentile", "year") if many else ("value", "year"),
                _summary(path - ref, pct) if many else (path - ref)[:, 0],
                {**temperature, "long_name": "GSAT change caused by the pathway"},
            ),
            "china_co2_net": (
                ("value", "year"),
                net[1:],
                {
                    "units": "GtCO2 yr-1",
                    "long_name": "China net CO2 emissions (fossil after CCUS + land use after "
                    "sinks)",
                },
            ),
            "china_co2_net_reference": (
                ("year",),
                net[0],
                {"units": "GtCO2 yr-1", "long_name": "China net CO2 emissions (reference)"},
            ),
        },
        coords={"value": np.asarray(vals), "year": years},
    )
    value_attrs = {"long_name": f"{lever}: {spec.description}"}
    if lever.endswith("_year"):
        value_attrs["long_name"] = f"{lever} (calendar year): {spec.description}"
    else:
        value_attrs["units"] = spec.units.replace("/yr", " yr-1")
    ds["value"].attrs.update(value_attrs)
    if many:
        ds = ds.assign_coords(percentile=pct)
    name = pathway if isinstance(pathway, str) else "custom"
    ref_name = reference if isinstance(reference, str) else "custom"
    bg_name = background if isinstance(background, str) else "user"
    with warnings.catch_warnings():  # already said for the swept values
        warnings.simplefilter("ignore")
        base = _levers(pathway, **levers)
    ds.attrs.update(
        {
            "lever": lever,
            "lever_units": spec.units,
            "pathway": str(name),
            "reference": str(ref_name),
            "background": bg_name,
            "members": len(table),
            "end": end,
            "tcre": tcre,
            "levers_set": repr(levers),
            "scenario": f"China {name} vs {ref_name}, background {bg_name}, sweep of {lever}",
            "esm_version": runner._esm_version(),
        }
    )
    value = getattr(base, lever)
    years = {getattr(base, k) for k in L.NEUTRALITY_LEVERS}
    if value is None and lever == "neutrality_year" and len(years) == 1 and None not in years:
        value = years.pop()  # the pathway's year levers all end in one year
    if value is not None:
        ds.attrs["pathway_value"] = float(value)
    return ds


#: Sweep variables that have one value per lever value (and percentile), in table order.
SCALARS = (
    "avoided_warming",
    "peak_warming_reduction",
    "peak_gsat",
    "peak_gsat_reference",
    "peak_year",
    "delta_co2",
    "china_cumulative_co2",
    "cumulative_co2_avoided",
    "avoided_warming_tcre",
    "china_net_zero_year",
)


def to_table(ds: xr.Dataset):
    """A sweep as a tidy table: one row per variable, lever value, percentile and year.

    Columns ``pathway, reference, background, lever, lever_value, variable, unit, percentile,
    year, value``; ``percentile`` is empty for single-member runs and for the China emission
    variables (the same in every member), ``year`` is empty for the per-value summaries.
    """
    import pandas as pd

    rows = []
    meta = [ds.attrs["pathway"], ds.attrs["reference"], ds.attrs["background"], ds.attrs["lever"]]
    for name, da in ds.data_vars.items():
        unit = da.attrs.get("units", "")
        if da.ndim == 0:
            rows.append([*meta, np.nan, name, unit, np.nan, np.nan, float(da)])
            continue
        frame = da.to_dataframe(name=name).reset_index()
        for rec in frame.itertuples(index=False):
            r = rec._asdict()
            rows.append(
                [
                    *meta,
                    r.get("value", np.nan),
                    name,
                    unit,
                    r.get("percentile", np.nan),
                    r.get("year", np.nan),
                    r[name],
                ]
            )
    columns = [
        "pathway",
        "reference",
        "background",
        "lever",
        "lever_value",
        "variable",
        "unit",
        "percentile",
        "year",
        "value",
    ]
    df = pd.DataFrame(rows, columns=columns)
    df["year"] = df["year"].astype("Int64")
    return df
