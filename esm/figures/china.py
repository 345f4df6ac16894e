"""Figures of a China pathway's effect (emissions by lever, global GSAT, avoided warming) and
of a lever sweep (the effect against the lever value).

>>> from esm import china
>>> from esm.figures import china as figures
>>> figures.plot_effect(china.effect("neutral-2060"), "effect.png")             # doctest: +SKIP
>>> figures.plot_sweep(china.sweep("neutral-2060", "ccus", [0, 1]), "sweep.png")  # doctest: +SKIP

Each lever group has one colour in every panel (:data:`LEVER_COLOURS`); a lever component
that is zero throughout, or a lever group whose effect on GSAT is below
:data:`NEGLIGIBLE_GSAT`, is not drawn; the legend names it once as "no change".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from esm.figures import style

#: One colour per lever group (the keys of :data:`esm.china.levers.GROUPS`), in every panel
#: (:data:`esm.figures.style.LEVERS`). Red and blue are kept for the reference and the pathway.
LEVER_COLOURS: dict[str, str] = style.LEVERS

#: Lever components of panel (a), stacked downwards from zero: variable, group, label.
COMPONENTS = (
    ("china_ccus", "carbon sequestration", "CCUS (stored)"),
    ("china_ecosystem_sink", "sink increase", "extra ecosystem sink"),
    ("china_conservation", "carbon conservation", "avoided land-use loss"),
)

#: A lever group whose |GSAT change| stays below this [K] in every year counts as no change.
NEGLIGIBLE_GSAT = 5e-4


def _median(da: xr.DataArray) -> xr.DataArray:
    if "percentile" not in da.dims:
        return da
    return da.sel(percentile=50) if 50 in da["percentile"] else da.median("percentile")


#: Legends of the China figures: smaller type, a less transparent box with its edge; under
#: the axes (off the data) or where matplotlib finds room.
_LEGEND = {"fontsize": 7.5, "framealpha": 0.85, "edgecolor": None}
_BELOW = {"loc": "upper center", "bbox_to_anchor": (0.5, -0.13)}


def _legend(ax, unused: list[str], below: bool, ncol: int = 2) -> None:
    """Legend of ``ax`` (``below``: under the axes, off the data, in ``ncol`` columns); levers
    without effect are named in one entry without a symbol."""
    handles = ax.get_legend_handles_labels()[0]
    if unused:
        handles.append(style.text_entry("no change: " + ", ".join(unused)))
    where = {**_BELOW, "ncol": ncol} if below else {"loc": "best"}
    style.legend(ax, handles, **_LEGEND, **where)


def effect_figure(eff: xr.Dataset) -> Figure:
    """Three panels: (a) China CO2 by lever (pathway) and the reference; (b) global GSAT with
    and without the pathway; (c) the GSAT change with its 5-95 % band and the lever groups."""
    fig = Figure(figsize=(14, 5.6), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3)
    years = eff["year"].values
    p = eff.sel(scenario="pathway")
    r = eff.sel(scenario="reference")
    gross, gross_ref = p["china_gross_fossil"].values, r["china_gross_fossil"].values
    ax1.fill_between(years, 0, gross, color="0.75", lw=0, label="gross fossil CO$_2$ (pathway)")
    unused = []
    if np.any(gross_ref > gross):
        ax1.fill_between(years, gross, np.maximum(gross, gross_ref), alpha=0.35, lw=0,
                         color=LEVER_COLOURS["emission reduction"],
                         label="emission reduction: avoided gross fossil")  # fmt: skip
    else:
        unused.append("emission reduction")
    bottom = np.zeros(years.size)
    for var, group, label in COMPONENTS:
        values = p[var].values
        if not np.any(values):
            unused.append(group)
            continue
        ax1.fill_between(years, bottom - values, bottom, color=LEVER_COLOURS[group], alpha=0.7,
                         lw=0, label=f"{group}: {label}")  # fmt: skip
        bottom = bottom - values
    ax1.plot(years, p["china_co2_net"], color="k", lw=1.8, label="net CO$_2$ (pathway)")
    ax1.plot(years, r["china_co2_net"], color=style.SCENARIOS["reference"], lw=1.5, ls="--",
             label="net CO$_2$ (reference)")  # fmt: skip
    ax1.axhline(0, color="k", lw=0.5)
    ax1.set(xlim=(1990, years[-1]), ylabel="GtCO$_2$ yr$^{-1}$", title="(a) China CO$_2$ by lever")

    band = "percentile" in eff.dims
    for scen, colour in style.SCENARIOS.items():
        g = eff["gsat"].sel(scenario=scen)
        if band:
            ax2.fill_between(
                years, g.isel(percentile=0), g.isel(percentile=-1), color=colour, alpha=0.2, lw=0
            )
        ax2.plot(years, _median(g), color=colour, lw=1.6, label=scen)
    shown = eff["gsat"].sel(year=slice(1990, None)).values
    ax2.set_ylim(min(0.0, float(np.nanmin(shown))) - 0.1, float(np.nanmax(shown)) + 0.1)
    ax2.set(
        xlim=(1990, years[-1]),
        ylabel="GSAT [K vs 1850-1900]",
        title=f"(b) global warming, background {eff.attrs.get('background', '')}",
    )

    d = eff["delta_gsat"].sel(case="pathway")
    pathway = style.SCENARIOS["pathway"]
    if band:
        ax3.fill_between(years, d.isel(percentile=0), d.isel(percentile=-1), color=pathway,
                         alpha=0.25, lw=0, label="pathway 5-95 %")  # fmt: skip
    ax3.plot(years, _median(d), color=pathway, lw=2,
             label="pathway (median)" if band else "pathway")  # fmt: skip
    ax3.plot(years, eff["delta_gsat_tcre"].sel(case="pathway"), color="k", ls=":",
             label="TCRE x avoided CO$_2$")  # fmt: skip
    no_effect = []
    for case in eff["case"].values[1:]:
        dc = _median(eff["delta_gsat"].sel(case=case))
        if float(np.nanmax(np.abs(dc.values))) < NEGLIGIBLE_GSAT:
            no_effect.append(str(case))
            continue
        ax3.plot(years, dc, lw=1.3, color=LEVER_COLOURS.get(str(case), "0.5"),
                 label=f"{case} alone")  # fmt: skip
    ax3.axhline(0, color="k", lw=0.5)
    ax3.set(
        xlim=(2000, years[-1]), ylabel="GSAT change [K]", title="(c) warming avoided by the pathway"
    )
    for ax, unused_here, below in ((ax1, unused, True), (ax2, [], False), (ax3, no_effect, True)):
        style.grid(ax)
        _legend(ax, unused_here, below)
        ax.set_xlabel("year")
    n = eff.attrs.get("members", 1)
    fig.suptitle(
        f"China {eff.attrs.get('pathway', '')} vs {eff.attrs.get('reference', '')} "
        f"({n} member{'s' if n != 1 else ''})"
    )
    return fig


def plot_effect(eff: xr.Dataset, path: str | Path, dpi: int = 120) -> Path:
    """Save :func:`effect_figure` of ``eff`` to ``path``; return the path."""
    return style.save(effect_figure(eff), path, dpi)


def _band(ax, x, da, colour, label, **line):
    """Median of ``da`` (dims value[, percentile]) against ``x`` with its 5-95 % band."""
    if "percentile" in da.dims:
        lo, hi = da.isel(percentile=0).values, da.isel(percentile=-1).values
        p = da["percentile"].values
        ax.fill_between(x, lo, hi, color=colour, alpha=0.2, lw=0,
                        label=f"{label}: {p[0]:g}-{p[-1]:g} % range")  # fmt: skip
        label = f"{label}: median"
    ax.plot(x, _median(da).values, color=colour, marker="o", ms=4, label=label, **line)


def sweep_figure(ds: xr.Dataset) -> Figure:
    """Three panels of a lever sweep (:func:`esm.china.sweep`): (a) warming avoided in the end
    year and reduction of peak warming against the lever value, with the members' 5-95 % band
    and the TCRE estimate; (b) China's cumulative net CO2 and the CO2 avoided against the lever
    value; (c) China's net CO2 for each value and the reference."""
    from matplotlib import colormaps

    fig = Figure(figsize=(15, 6.6), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3)
    lever, units = ds.attrs["lever"], ds.attrs.get("lever_units", "")
    x = ds["value"].values
    end = ds.attrs.get("end", int(ds["year"].values[-1]))
    pretty = units.replace("GtCO2/yr", "GtCO$_2$ yr$^{-1}$")
    calendar = lever.endswith("_year")
    xlabel = f"{lever} (year)" if calendar else f"{lever} [{pretty}]" if units else lever
    pathway, reference = ds.attrs.get("pathway", ""), ds.attrs.get("reference", "")

    _band(ax1, x, ds["avoided_warming"], style.SCENARIOS["pathway"], f"warming avoided in {end}",
          lw=2)  # fmt: skip
    peak = ds["peak_warming_reduction"]
    same = _median(peak).values - _median(ds["avoided_warming"]).values
    if np.all(np.abs(same) < NEGLIGIBLE_GSAT):
        # warming still rises at the end: its peak is the end year, the curves coincide
        ax1.plot([], [], ls="none", label=f"reduction of peak warming: the same (GSAT still "
                 f"rises in {end})")  # fmt: skip
    else:  # the median only: its band nearly repeats that of the end year
        ax1.plot(x, _median(peak).values, color="tab:orange", marker="o", ms=3, lw=1.4, ls="--",
                 label="reduction of peak warming" + (": median" if "percentile" in peak.dims
                                                       else ""))  # fmt: skip
    ax1.plot(x, ds["avoided_warming_tcre"].values, color="k", ls=":", marker="x", ms=4,
             label=f"TCRE x avoided CO$_2$ ({end})")  # fmt: skip
    ax1.set(xlabel=xlabel, ylabel=f"K (GSAT of {reference} minus pathway)",
            title="(a) warming avoided")  # fmt: skip

    from esm.china.sweep import CUMULATIVE_FROM

    ax2.plot(x, ds["china_cumulative_co2"].values, color="tab:red", marker="o", ms=4,
             label=f"China net CO$_2$ {CUMULATIVE_FROM}-{end} (pathway)")  # fmt: skip
    ax2.plot(x, ds["cumulative_co2_avoided"].values, color="tab:green", marker="s", ms=4,
             label=f"avoided vs {reference} (to {end})")  # fmt: skip
    ax2.axhline(0, color="k", lw=0.5)
    ax2.set(xlabel=xlabel, ylabel="GtCO$_2$", title="(b) China cumulative net CO$_2$")

    years = ds["year"].values
    show = years >= 2000
    cmap = colormaps["viridis"]
    for i, v in enumerate(x):
        colour = cmap(i / max(len(x) - 1, 1) * 0.9)
        ax3.plot(years[show], ds["china_co2_net"].isel(value=i).values[show], color=colour,
                 lw=1.5, label=f"{lever} = {v:g}")  # fmt: skip
    ax3.plot(years[show], ds["china_co2_net_reference"].values[show], ls="--", lw=1.5,
             color=style.SCENARIOS["reference"], label=reference)  # fmt: skip
    ax3.axhline(0, color="k", lw=0.5)
    ax3.set(xlabel="year", ylabel="GtCO$_2$ yr$^{-1}$", xlim=(2000, years[-1]),
            title="(c) China net CO$_2$ emissions")  # fmt: skip
    note = (
        "net: fossil after CCUS + land use after sinks\n(China's natural land sink is part "
        "of the\nmodelled global sink, not of this flux)"
    )
    ax3.plot([], [], ls="none", label=note)

    if "pathway_value" in ds.attrs:
        for ax in (ax1, ax2):
            ax.axvline(ds.attrs["pathway_value"], color="0.5", lw=1, ls="-.",
                       label=f"{pathway} as defined ({ds.attrs['pathway_value']:g})")  # fmt: skip
    for ax in (ax1, ax2, ax3):
        style.grid(ax)
        _legend(ax, [], below=True, ncol=2 if ax is ax3 else 1)
    if calendar:
        for ax in (ax1, ax2):
            ax.xaxis.get_major_locator().set_params(integer=True)
    n = ds.attrs.get("members", 1)
    title = (
        f"China {pathway} vs {reference}, background {ds.attrs.get('background', '')}: "
        f"effect of {lever} ({n} member{'s' if n != 1 else ''})"
    )
    if "percentile" in ds.dims:
        title += (
            "\nbands: spread of the effect over the members; the members are paired, so the "
            "change from one value to the next is much less uncertain than the band"
        )
    fig.suptitle(title, fontsize=11)
    return fig


def plot_sweep(ds: xr.Dataset, path: str | Path, dpi: int = 120) -> Path:
    """Save :func:`sweep_figure` of ``ds`` to ``path``; return the path."""
    return style.save(sweep_figure(ds), path, dpi)
