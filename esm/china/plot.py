"""Figure of a China pathway's effect: emissions by lever, global GSAT, avoided warming."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.figure import Figure


def plot_effect(eff: xr.Dataset, path: str | Path, dpi: int = 120) -> Path:
    """Three panels: (a) China CO2 by lever (pathway) and the reference; (b) global GSAT with
    and without the pathway; (c) the GSAT change with its 5-95 % band and the lever groups."""
    fig = Figure(figsize=(14, 4.6), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3)
    years = eff["year"].values
    p = eff.sel(scenario="pathway")
    r = eff.sel(scenario="reference")
    gross, ccus = p["china_gross_fossil"].values, p["china_ccus"].values
    sink, cons = p["china_ecosystem_sink"].values, p["china_conservation"].values
    ax1.fill_between(years, 0, gross, color="0.75", label="gross fossil CO2")
    ax1.fill_between(years, -ccus, 0, color="tab:purple", alpha=0.7, label="CCUS (stored)")
    ax1.fill_between(
        years, -ccus - sink, -ccus, color="tab:green", alpha=0.7, label="extra ecosystem sink"
    )
    ax1.fill_between(
        years, -ccus - sink - cons, -ccus - sink, color="tab:olive", alpha=0.7, label="conservation"
    )
    ax1.plot(years, p["china_co2_net"], color="k", lw=1.8, label="net CO2 (pathway)")
    ax1.plot(
        years, r["china_co2_net"], color="tab:red", lw=1.5, ls="--", label="net CO2 (reference)"
    )
    ax1.axhline(0, color="k", lw=0.5)
    ax1.set(xlim=(1990, years[-1]), ylabel="GtCO$_2$ yr$^{-1}$", title="(a) China CO$_2$ by lever")

    band = "percentile" in eff.dims
    for scen, colour in (("reference", "tab:red"), ("pathway", "tab:blue")):
        g = eff["gsat"].sel(scenario=scen)
        if band:
            ax2.fill_between(
                years, g.isel(percentile=0), g.isel(percentile=-1), color=colour, alpha=0.2, lw=0
            )
            g = g.sel(percentile=50) if 50 in g["percentile"] else g.median("percentile")
        ax2.plot(years, g, color=colour, lw=1.6, label=scen)
    shown = eff["gsat"].sel(year=slice(1990, None)).values
    ax2.set_ylim(min(0.0, float(np.nanmin(shown))) - 0.1, float(np.nanmax(shown)) + 0.1)
    ax2.set(
        xlim=(1990, years[-1]),
        ylabel="GSAT [K vs 1850-1900]",
        title=f"(b) global warming, background {eff.attrs.get('background', '')}",
    )

    d = eff["delta_gsat"].sel(case="pathway")
    if band:
        ax3.fill_between(
            years,
            d.isel(percentile=0),
            d.isel(percentile=-1),
            color="tab:blue",
            alpha=0.25,
            lw=0,
            label="pathway 5-95 %",
        )
        d = d.sel(percentile=50) if 50 in d["percentile"] else d.median("percentile")
    ax3.plot(years, d, color="tab:blue", lw=2, label="pathway (median)")
    ax3.plot(
        years,
        eff["delta_gsat_tcre"].sel(case="pathway"),
        color="k",
        ls=":",
        label="TCRE x avoided CO2",
    )
    colours = iter(["tab:orange", "tab:green", "tab:olive", "tab:purple", "tab:brown"])
    for case in eff["case"].values[1:]:
        dc = eff["delta_gsat"].sel(case=case)
        if band:
            dc = dc.sel(percentile=50) if 50 in dc["percentile"] else dc.median("percentile")
        ax3.plot(years, dc, lw=1.1, color=next(colours, "0.5"), label=f"{case} alone")
    ax3.axhline(0, color="k", lw=0.5)
    ax3.set(
        xlim=(2000, years[-1]), ylabel="GSAT change [K]", title="(c) warming avoided by the pathway"
    )
    for ax in (ax1, ax2, ax3):
        ax.grid(True, lw=0.4, alpha=0.5)
        ax.legend(fontsize=7.5, loc="best", framealpha=0.85)
        ax.set_xlabel("year")
    n = eff.attrs.get("members", 1)
    fig.suptitle(
        f"China {eff.attrs.get('pathway', '')} vs {eff.attrs.get('reference', '')} "
        f"({n} member{'s' if n != 1 else ''})"
    )
    path = Path(path)
    fig.savefig(path, dpi=dpi)
    return path
