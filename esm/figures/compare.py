"""The comparison figure of ``esm compare``: runs A and B (top row), B minus A (bottom row).

>>> from esm import compare
>>> from esm.figures import compare as compare_figure
>>> ds = compare.compare("ssp126", "ssp585")                  # doctest: +SKIP
>>> compare_figure.plot_compare(ds, "compare.png")            # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from esm.figures import style

#: Figures start here (or at the first year of the runs if later).
PLOT_START = 1850


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
        bbox={**style.BOX, "ec": "0.7", "alpha": 0.85},
    )


def figure(ds: xr.Dataset) -> Figure:
    """A and B (top row) and B minus A (bottom row) of CO2, GSAT, ERF and cumulative emissions
    (or, when both runs have the same emissions, the land and ocean sinks), from 1850."""
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
                    years, shown[var].sel(run=run), color=style.RUNS[run], ls=ls, lw=lw
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
        style.axes(top, f"({letters[j]}) {title}", ylabel)
        style.axes(bottom, f"({letters[j + len(panels)]}) B minus A: {name}", f"$\\Delta$ {units}")
        bottom.set_xlabel("year")
        if len(series) > 1:
            styles = [Line2D([], [], color="0.3", ls=ls, label=part) for _, ls, part in series]
            style.legend(top, styles)
            style.legend(bottom, loc="lower left")
    axes[0, 0].set_xlim(years[0], years[-1])
    style.legend(axes[0, 0], handles, fontsize=9)
    common = ds.attrs.get("parameters_common", "none")
    fig.suptitle(
        f"esm compare {years[0]}-{years[-1]}: runs A and B (top), B minus A (bottom)"
        + (f"; both with {common}" if common != "none" else ""),
        fontsize=12,
    )
    return fig


def plot_compare(ds: xr.Dataset, path: str | Path | None = None, dpi: int = 120) -> Figure:
    """The comparison figure of :func:`esm.compare.compare`'s Dataset; saved to ``path`` if
    given (atomically, format from the suffix)."""
    fig = figure(ds)
    if path is not None:
        style.save(fig, path, dpi)
    return fig
