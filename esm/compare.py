"""Two runs side by side: scenario A and scenario B (or one scenario with two parameter sets).

>>> from esm import compare
>>> ds = compare.compare("ssp126", "ssp585")                          # doctest: +SKIP
>>> ds["gsat_difference"].sel(year=2100)                              # B minus A, K
>>> compare.compare("ssp245", "ssp245", params_b={"respiration_q10": 1.0})  # doctest: +SKIP
>>> compare.plot_compare(ds, "compare.png")                           # doctest: +SKIP

``esm compare A B`` on the command line prints :func:`format_table` and draws
:func:`plot_compare`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

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

#: Figures start here (or at the first year of the runs if later).
PLOT_START = 1850

_COLOURS = {"A": "tab:blue", "B": "tab:red"}


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


# ------------------------------------------------------------------------------ figure
def _emissions_differ(ds: xr.Dataset) -> bool:
    d = ds["cumulative_emissions_co2_difference"].values
    return bool(np.nanmax(np.abs(d)) > 1e-6)


def _panels(ds: xr.Dataset):
    """(title, [(variable, line style, part)], y label, units in the notes) per column."""
    last = (
        ("Cumulative CO$_2$ emissions", [("cumulative_emissions_co2", "-", "")], "GtC", "GtC")
        if _emissions_differ(ds)
        else (
            "Natural CO$_2$ sinks",
            [("land_sink", "-", "land"), ("ocean_sink", "--", "ocean")],
            "GtC yr$^{-1}$",
            "GtC/yr",
        )
    )
    return (
        ("CO$_2$ concentration", [("co2", "-", "")], "ppm", "ppm"),
        ("GSAT", [("gsat", "-", "")], "K vs 1850-1900", "K"),
        ("Effective radiative forcing", [("erf", "-", "")], "W m$^{-2}$", "W m$^{-2}$"),
        last,
    )


def _difference_note(ax, ds, var, units, part, row) -> None:
    """The last year's B - A in a box at the top left (``row``: 0, 1 for stacked notes)."""
    y = int(ds["year"].values[-1])
    d = float(ds[f"{var}_difference"].sel(year=y))
    value = f"{d:+.0f}" if abs(d) >= 100 else f"{d:+.3g}"
    ax.text(
        0.02,
        0.96 - 0.1 * row,
        f"{part + ' ' if part else ''}{y}: {value} {units}",
        transform=ax.transAxes,
        va="top",
        fontsize=8,
        bbox={"boxstyle": "round", "fc": "white", "ec": "0.7", "alpha": 0.85},
    )


def figure(ds: xr.Dataset) -> Figure:
    """A and B (top row) and B minus A (bottom row) of CO2, GSAT, ERF and cumulative emissions
    (or, when both runs have the same emissions, the land and ocean sinks), from 1850."""
    from matplotlib.lines import Line2D

    from esm.plotting import _legend, _style

    fig = Figure(figsize=(16, 7.8), layout="constrained")
    panels = _panels(ds)
    axes = fig.subplots(2, len(panels), sharex=True, squeeze=False)
    first = int(ds["year"].values[0])
    shown = ds.sel(year=slice(max(PLOT_START, first), None))
    years = shown["year"].values
    letters = "abcdefgh"
    handles = []
    for j, (title, series, ylabel, units) in enumerate(panels):
        top, bottom = axes[0, j], axes[1, j]
        for run, lw in (("A", 2.6), ("B", 1.4)):  # A wider below B: both show where equal
            for var, ls, _ in series:
                (line,) = top.plot(
                    years, shown[var].sel(run=run), color=_COLOURS[run], ls=ls, lw=lw
                )
                if j == 0:
                    line.set_label(str(ds["label"].sel(run=run).values))
                    handles.append(line)
        for k, (var, ls, part) in enumerate(series):
            d = shown[f"{var}_difference"]
            bottom.plot(years, d, color="k", ls=ls, lw=1.6, label=f"B - A, {part}")
            bottom.fill_between(years, 0, d, color="0.5", alpha=0.15, lw=0)
            _difference_note(bottom, ds, var, units, part, k)
        bottom.axhline(0, color="k", lw=0.6)
        name = title.split(" (")[0]
        _style(top, f"({letters[j]}) {title}", ylabel)
        _style(bottom, f"({letters[j + len(panels)]}) B minus A: {name}", f"$\\Delta$ {units}")
        bottom.set_xlabel("year")
        if len(series) > 1:
            styles = [Line2D([], [], color="0.3", ls=ls, label=part) for _, ls, part in series]
            _legend(top, styles)
            _legend(bottom, loc="lower left")
    axes[0, 0].set_xlim(years[0], years[-1])
    _legend(axes[0, 0], handles, fontsize=9)
    common = ds.attrs.get("parameters_common", "none")
    fig.suptitle(
        f"esm compare {years[0]}-{years[-1]}: runs A and B (top), B minus A (bottom)"
        + (f"; both with {common}" if common != "none" else ""),
        fontsize=12,
    )
    return fig


def plot_compare(ds: xr.Dataset, path: str | Path | None = None, dpi: int = 120) -> Figure:
    """The comparison figure of :func:`compare`'s Dataset; saved to ``path`` if given."""
    fig = figure(ds)
    if path is not None:
        fig.savefig(Path(path), dpi=dpi)
    return fig
