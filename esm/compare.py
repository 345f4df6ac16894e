"""Two runs side by side: scenario A and scenario B (or one scenario with two parameter sets).

>>> from esm import compare
>>> ds = compare.compare("ssp126", "ssp585")                          # doctest: +SKIP
>>> ds["gsat_difference"].sel(year=2100)                              # B minus A, K
>>> compare.compare("ssp245", "ssp245", params_b={"respiration_q10": 1.0})  # doctest: +SKIP
>>> compare.plot_compare(ds, "compare.png")                           # doctest: +SKIP

``esm compare A B`` on the command line prints :func:`format_table` and draws
:func:`esm.figures.compare.plot_compare`; :func:`plot_compare`, :func:`figure` and
:data:`PLOT_START` are kept here for compatibility (the objects of :mod:`esm.figures.compare`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import xarray as xr

from esm.figures.compare import PLOT_START as PLOT_START  # kept for compatibility
from esm.figures.compare import figure as figure  # kept for compatibility
from esm.figures.compare import plot_compare as plot_compare  # kept for compatibility

#: Output variables kept for both runs (each also as ``<name>_difference``, B minus A).
VARIABLES = (
    "co2",
    "ch4",
    "n2o",
    "gsat",
    "erf",
    "erf_co2",
    "erf_aerosol",
    "emissions_co2_fossil",
    "emissions_co2_landuse",
    "cumulative_emissions_co2",
    "atmospheric_growth",
    "land_sink",
    "ocean_sink",
    "permafrost_emissions_co2",
)

#: Rows of the printed table: variable, name, units as printed, format.
TABLE_ROWS = (
    ("co2", "CO2", "ppm", "{:.1f}"),
    ("ch4", "CH4", "ppb", "{:.0f}"),
    ("gsat", "GSAT", "K", "{:.2f}"),
    ("erf", "ERF", "W m-2", "{:.2f}"),
    ("land_sink", "land sink", "GtC/yr", "{:.2f}"),
    ("ocean_sink", "ocean sink", "GtC/yr", "{:.2f}"),
    ("cumulative_emissions_co2", "cumulative CO2 emissions", "GtC", "{:.0f}"),
)

#: Years shown in the table where the runs have them (plus the last year).
KEY_YEARS = (2030, 2050, 2100)


def _overrides(params: Mapping[str, float] | None) -> dict[str, float]:
    from esm import params as _params

    out = {}
    for name, value in (params or {}).items():
        out[name] = _params.check_value(name, value)
    return out


def _text(params: Mapping[str, float]) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in params.items())


def compare(
    a: str,
    b: str,
    params_a: Mapping[str, float] | None = None,
    params_b: Mapping[str, float] | None = None,
    end: int | None = None,
) -> xr.Dataset:
    """Run scenario ``a`` with ``params_a`` and scenario ``b`` with ``params_b``.

    Returns a Dataset with dimension ``run`` = ``["A", "B"]`` for each of :data:`VARIABLES`
    (coordinates ``scenario`` and ``label`` along ``run``), and ``<name>_difference`` = B minus A
    without the ``run`` dimension. Attributes: ``scenario_a``, ``scenario_b``, ``parameters_a``,
    ``parameters_b`` (the overrides of each run), ``parameters_common`` (overrides equal in
    both) and ``label_a``, ``label_b`` (scenario and the parameters that differ). ``end``: last
    year (default 2100, or the last year of a scenario that ends earlier, e.g. historical).

    Raises ``ValueError`` when A and B are the same scenario with the same parameter values.
    """
    import esm

    pa, pb = _overrides(params_a), _overrides(params_b)
    vec_a, vec_b = esm.params.vector(pa), esm.params.vector(pb)
    if a == b and np.array_equal(vec_a, vec_b):
        raise ValueError(
            f"compare: A and B are both {a} with the same parameters, so they do not differ; "
            "give two scenarios, or change a parameter of one run (--set-a / --set-b NAME=VALUE)"
        )
    common = {k: v for k, v in pa.items() if k in pb and pb[k] == v}
    own_a = {k: v for k, v in pa.items() if k not in common}
    own_b = {k: v for k, v in pb.items() if k not in common}
    if end is None:  # 2100, or the last year both scenarios have (historical ends earlier)
        end = min(2100, *(int(esm.scenarios.load(s)["year"].values[-1]) for s in (a, b)))
    runs = [esm.run(a, pa or None, end=end), esm.run(b, pb or None, end=end)]
    runs = xr.align(*runs, join="inner")
    if runs[0].sizes["year"] == 0:
        raise ValueError(f"compare: {a} and {b} have no year in common")
    labels = []
    for name, scen, own in (("A", a, own_a), ("B", b, own_b)):
        what = _text(own) if own else ("default parameters" if not common else "")
        labels.append(f"{name}: {scen}" + (f", {what}" if what else ""))
    ds = xr.concat(
        [r[list(VARIABLES)] for r in runs],
        dim=pd.Index(["A", "B"], name="run"),
        combine_attrs="drop_conflicts",
    )
    ds = ds.assign_coords(scenario=("run", [a, b]), label=("run", labels))
    for v in VARIABLES:
        diff = ds[v].sel(run="B", drop=True) - ds[v].sel(run="A", drop=True)
        attrs = dict(ds[v].attrs)
        attrs.pop("standard_name", None)
        attrs["long_name"] = f"B minus A: {attrs.get('long_name', v)}"
        ds[f"{v}_difference"] = diff.drop_vars(["scenario", "label"], errors="ignore").assign_attrs(
            attrs
        )
    ds.attrs = {
        "title": "esm compare: run B minus run A",
        "scenario_a": a,
        "scenario_b": b,
        "parameters_a": _text(pa) or "none (defaults)",
        "parameters_b": _text(pb) or "none (defaults)",
        "parameters_common": _text(common) or "none",
        "label_a": labels[0],
        "label_b": labels[1],
    }
    return ds


# ------------------------------------------------------------------------------ table
def key_years(ds: xr.Dataset) -> list[int]:
    """:data:`KEY_YEARS` the comparison has, and its last year."""
    years = [int(y) for y in ds["year"].values]
    return sorted({y for y in KEY_YEARS if y in years} | {years[-1]})


def header(ds: xr.Dataset) -> list[str]:
    """Lines naming the runs: period, A, B and the parameters both share."""
    years = ds["year"].values
    lines = [
        f"esm compare, {years[0]}-{years[-1]}",
        f"  {ds.attrs['label_a']}",
        f"  {ds.attrs['label_b']}",
    ]
    if ds.attrs.get("parameters_common", "none") != "none":
        lines.append(f"  both: {ds.attrs['parameters_common']}")
    return lines


def format_table(ds: xr.Dataset) -> str:
    """The text printed by ``esm compare``: :func:`header`, then one row per quantity and key
    year with A, B and B-A (signed)."""
    width = max(len(f"{n} [{u}]") for _, n, u, _ in TABLE_ROWS)
    lines = header(ds)
    lines.append(f"{'quantity':{width}s}  year  {'A':>10s} {'B':>10s} {'B-A':>10s}")
    for i, (var, name, units, fmt) in enumerate(TABLE_ROWS):
        if i:
            lines.append("")
        for y in key_years(ds):
            a = float(ds[var].sel(run="A", year=y))
            b = float(ds[var].sel(run="B", year=y))
            d = float(ds[f"{var}_difference"].sel(year=y))
            signed = fmt.replace("{:", "{:+")
            lines.append(
                f"{name + ' [' + units + ']':{width}s}  {y:4d}  {fmt.format(a):>10s} "
                f"{fmt.format(b):>10s} {signed.format(d):>10s}"
            )
    return "\n".join(lines)


def to_frame(ds: xr.Dataset) -> pd.DataFrame:
    """Every year of the table's quantities as a long table: variable, units, year, A, B, B-A."""
    frames = []
    for var, *_ in TABLE_ROWS:
        frames.append(
            pd.DataFrame(
                {
                    "variable": var,
                    "units": ds[var].attrs.get("units", ""),
                    "year": ds["year"].values,
                    "A": ds[var].sel(run="A").values,
                    "B": ds[var].sel(run="B").values,
                    "B-A": ds[f"{var}_difference"].values,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out.attrs = {"A": ds.attrs["label_a"], "B": ds.attrs["label_b"]}
    return out
