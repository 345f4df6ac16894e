"""Figures of the validation report (:func:`esm.report.write_report`, ``esm validate --out``).

>>> from esm import report
>>> from esm.figures import report as report_figures
>>> data = report.collect()                                                 # doctest: +SKIP
>>> report_figures.figure_gsat(data["history"], data["checks"])             # doctest: +SKIP

Each figure is a function of the model and the shipped data only; :func:`save` writes it
without the "Software" tag, so that an unchanged model gives the same PNGs on the same
matplotlib version.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from esm import diagnostics, metrics, observations, validate
from esm.constants import GTCO2_PER_GTC
from esm.figures import style
from esm.report import (
    GSAT_YEARS,
    RECENT,
    TCRE_LIKELY,
    decadal_sinks,
    erf_2019_table,
    fmt,
    fmt_target,
    historical_tcre,
)


def _axes(ax, title: str, xlabel: str, ylabel: str) -> None:
    """The report's panels: :func:`esm.figures.style.axes` with larger tick labels and the
    default ticks."""
    style.axes(ax, title, ylabel, xlabel, ticks=8.5, integer_x=False)


def _legend(ax, handles=None, **kwargs) -> None:
    """The report's legends: :func:`esm.figures.style.legend` on a less transparent box."""
    style.legend(ax, handles, **{"framealpha": 0.85, **kwargs})


def figure_gsat(ds: xr.Dataset, checks: pd.DataFrame) -> Figure:
    """Modelled GSAT vs AR6 GMST and HadCRUT5, with the 2011-2020 mean and AR6 range."""
    a, b = GSAT_YEARS
    gmst = observations.load("gmst")
    model = ds["gsat"].sel(year=slice(a, b))
    fig = Figure(figsize=(8.0, 4.4), layout="constrained")
    ax = fig.add_subplot()
    had = gmst["hadcrut5"].dropna().loc[a:]
    ar6 = gmst["ar6_gmst"].dropna().loc[a:b]
    ax.plot(had.index, had.values, color="tab:blue", lw=0.9, alpha=0.8,
            label=f"HadCRUT5 ({had.index.min()}-{had.index.max()})")  # fmt: skip
    ax.plot(ar6.index, ar6.values, color="k", lw=1.2,
            label=f"AR6 assessed GMST ({ar6.index.min()}-{ar6.index.max()})")  # fmt: skip
    ax.plot(model["year"], model, color=style.MODEL, lw=2.0, label="model GSAT (emission-driven)")
    ax.axhline(0, color="k", lw=0.6)
    # 2011-2020: AR6 very likely range as a box, means as horizontal bars
    r = checks.loc["gsat_2011_2020"]
    ax.fill_between([RECENT[0], RECENT[1]], r["low"], r["high"], color="0.5", alpha=0.3, lw=0,
                    label=f"AR6 {RECENT[0]}-{RECENT[1]}: {fmt_target(r['target'])} "
                    f"[{fmt_target(r['low'])}-{fmt_target(r['high'])}] K")  # fmt: skip
    ax.hlines(r["target"], *RECENT, color="k", lw=2.2)
    ax.hlines(r["model"], *RECENT, color=style.MODEL, lw=2.2, linestyles=":")
    ax.annotate(f"{RECENT[0]}-{RECENT[1]} mean\nmodel {fmt(r['model'], 3)} K\n"
                f"AR6 {fmt_target(r['target'])} ({fmt_target(r['low'])}-"
                f"{fmt_target(r['high'])}) K",
                xy=(RECENT[0], r["high"]), xytext=(1948, 1.12), fontsize=8, va="center",
                arrowprops={"arrowstyle": "->", "color": "0.3", "lw": 0.8},
                bbox=style.BOX)  # fmt: skip
    rmse = checks["model"].get("gmst_rmse_1850_2020")
    title = "Global surface temperature, model vs observations"
    if rmse is not None:
        title += f" (RMSE 1850-2020: {fmt(rmse, 3)} K)"
    _axes(ax, title, "year", "temperature anomaly [K vs 1850-1900]")
    ax.set_xlim(a - 2, max(int(had.index.max()), b) + 2)
    _legend(ax)
    return fig


def figure_concentrations(ds: xr.Dataset) -> Figure:
    """CO2, CH4, N2O: model vs AR6 Annex III (to 2019) and IGCC 2024 (2020 on)."""
    obs = observations.load("ghg_concentrations")
    years = ds["year"].values
    fig = Figure(figsize=(12.0, 3.9), layout="constrained")
    axes = fig.subplots(1, 3)
    for ax, (var, label, units) in zip(
        axes,
        (("co2", "CO$_2$", "ppm"), ("ch4", "CH$_4$", "ppb"), ("n2o", "N$_2$O", "ppb")),
        strict=True,
    ):
        ax.plot(years, ds[var], color=style.MODEL, lw=1.8, label="model (emission-driven)")
        for source, marker, colour in (("AR6 Annex III", "o", "k"), ("IGCC 2024", "s", "tab:blue")):
            o = obs.loc[obs["source"] == source, var]
            ax.plot(o.index, o.values, marker, ms=2.0, color=colour, ls="none",
                    label=f"{source} ({o.index.min()}-{o.index.max()})")  # fmt: skip
        m19, o19 = float(ds[var].sel(year=2019)), float(obs.loc[2019, var])
        ax.text(0.03, 0.60, f"2019 model: {fmt(m19):>6} {units}\n2019 obs.:  {fmt(o19):>6} {units}",
                transform=ax.transAxes, fontsize=8, family="monospace", va="top",
                bbox=style.BOX)  # fmt: skip
        _axes(ax, label, "year", f"{label} [{units}]")
        _legend(ax)
    fig.suptitle("Atmospheric concentrations, emission-driven model vs observations", fontsize=11)
    return fig


def figure_erf_2019(ds: xr.Dataset) -> Figure:
    """ERF 2019 by component: AR6 best as bars with 5-95 % ranges, model as markers."""
    df = erf_2019_table(ds)
    fig = Figure(figsize=(8.0, 6.4), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(df))[::-1]
    colour = ["0.55" if c.startswith("total") else "tab:blue" for c in df.index]
    ax.barh(y, df["best"], height=0.62, color=colour, alpha=0.55,
            label="AR6 best estimate")  # fmt: skip
    ax.errorbar(df["best"], y, xerr=[df["best"] - df["p05"], df["p95"] - df["best"]], fmt="none",
                ecolor="k", elinewidth=1.0, capsize=3, label="AR6 5-95 % range")  # fmt: skip
    inside = df["inside"].to_numpy()
    ax.plot(df["model"][inside], y[inside], "D", color="tab:red", ms=6, mec="k", mew=0.5,
            label="model (inside the AR6 range)")  # fmt: skip
    if (~inside).any():
        ax.plot(df["model"][~inside], y[~inside], "X", color="magenta", ms=9, mec="k", mew=0.5,
                label="model (outside the AR6 range)")  # fmt: skip
    ax.set_yticks(y, [c.replace("_", " ") for c in df.index], fontsize=8.5)
    xmax = float(max(df["p95"].max(), df["model"].max()))
    for yi, m in zip(y, df["model"], strict=True):
        ax.text(xmax * 1.06, yi, fmt(m, 3), va="center", fontsize=7.5, color="tab:red")
    ax.text(xmax * 1.06, y[0] + 0.9, "model", fontsize=7.5, color="tab:red", va="center")
    ax.axvline(0, color="k", lw=0.7)
    ax.set_xlim(float(min(df["p05"].min(), df["model"].min())) - 0.2, xmax * 1.22)
    ax.set_ylim(-0.8, len(df) + 0.2)
    _axes(ax, "Effective radiative forcing 2019 vs 1750", "ERF [W m$^{-2}$]", "")
    style.grid(ax, "x")
    ax.grid(False, axis="y")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=3, fontsize=8,
              frameon=False)  # fmt: skip
    return fig


def figure_carbon_budget(ds: xr.Dataset, checks: pd.DataFrame) -> Figure:
    """(a) 2011-2020 budget model vs GCB2021 with shares; (b) decadal sinks 1960s-2010s."""
    model = diagnostics.carbon_budget(ds, *RECENT)
    gcb = observations.gcb_budget(*RECENT)
    fig = Figure(figsize=(12.0, 4.6), layout="constrained")
    ax_a, ax_b = fig.subplots(1, 2, width_ratios=(1.0, 1.3))
    terms = (
        ("emissions", "emissions\n(fossil + land use)", "gcb_2011_2020_total_emissions"),
        ("atmospheric_growth", "atmospheric\ngrowth", None),
        ("ocean_sink", "ocean sink", "gcb_2011_2020_ocean_sink"),
        ("land_sink", "land sink", "gcb_2011_2020_land_sink"),
    )
    x = np.arange(len(terms))
    w = 0.38
    colours = ("0.35", *(style.FLOWS[key] for key, _, _ in terms[1:]))
    for i, (key, _, target) in enumerate(terms):
        top = {}
        if target and target in checks.index and np.isfinite(checks.loc[target, "low"]):
            lo, hi = checks.loc[target, ["low", "high"]]
            top[w / 2] = hi
            ax_a.errorbar(x[i] + w / 2, gcb[key], yerr=[[gcb[key] - lo], [hi - gcb[key]]],
                          fmt="none", ecolor="k", capsize=3, lw=0.9)  # fmt: skip
        for dx, values, hatch, alpha in ((-w / 2, model, None, 0.9), (w / 2, gcb, "//", 0.45)):
            ax_a.bar(x[i] + dx, values[key], w, color=colours[i], alpha=alpha, hatch=hatch,
                     edgecolor="k", lw=0.5)  # fmt: skip
            share = 100 * values[key] / values["emissions"]
            share = "" if key == "emissions" else f"\n{share:.0f} %"
            y_text = max(values[key], top.get(dx, values[key])) + 0.15
            ax_a.text(x[i] + dx, y_text, f"{values[key]:.2f}{share}", ha="center",
                      va="bottom", fontsize=7.5)  # fmt: skip
    ax_a.set_xticks(x, [label for _, label, _ in terms], fontsize=8.5)
    ax_a.set_ylim(0, max(model["emissions"], gcb["emissions"]) * 1.3)
    handles = [
        Patch(facecolor="0.6", edgecolor="k", lw=0.5, label="model"),
        Patch(
            facecolor="0.85", edgecolor="k", lw=0.5, hatch="//", label="GCB2021 (error bar: 1σ)"
        ),  # fmt: skip
    ]
    _legend(ax_a, handles, loc="upper right")
    _axes(ax_a, f"(a) Carbon budget {RECENT[0]}-{RECENT[1]} (share of emissions)", "",
          "GtC yr$^{-1}$")  # fmt: skip
    ax_a.grid(False, axis="x")

    dec = decadal_sinks(ds)
    xd = np.arange(len(dec))
    w = 0.2
    for j, (var, colour, label) in enumerate(
        (
            ("ocean_sink", style.FLOWS["ocean_sink"], "ocean"),
            ("land_sink", style.FLOWS["land_sink"], "land"),
        )
    ):
        off = (2 * j - 1) * w
        ax_b.bar(xd + off - w / 2, dec[f"model_{var}"], w, color=colour, alpha=0.9,
                 edgecolor="k", lw=0.5, label=f"{label} sink, model")  # fmt: skip
        ax_b.bar(xd + off + w / 2, dec[f"gcb_{var}"], w, color=colour, alpha=0.4, hatch="//",
                 edgecolor="k", lw=0.5, label=f"{label} sink, GCB2021")  # fmt: skip
    ax_b.set_xticks(xd, list(dec.index))
    _axes(ax_b, "(b) Decadal mean sinks", "decade", "GtC yr$^{-1}$")
    ax_b.grid(False, axis="x")
    _legend(ax_b)
    ax_b.set_ylim(0, float(dec.to_numpy().max()) * 1.35)
    return fig


#: Length of the emitting phase of esm-flat10 [yr]; its -zec and -cdr branches start after it.
FLAT10_YEARS = 100

_TCRE_STYLE = {  # experiment: colour, line width, label
    "esm-1pctCO2": ("tab:purple", 1.8, "esm-1pctCO2 (150 yr)"),
    "esm-flat10": ("tab:red", 2.4, "esm-flat10 (10 GtC/yr for 100 yr)"),
    "esm-flat10-zec": ("tab:orange", 1.6, "esm-flat10-zec: then zero emissions (200 yr)"),
    "esm-flat10-cdr": ("tab:blue", 1.6, "esm-flat10-cdr: then removal to net zero"),
}


def _tcre_panel(ax, ds, runs, tcre, emax, branches_only_after_flat10=True) -> None:
    e = np.array([0.0, emax])
    ax.fill_between(e, TCRE_LIKELY[0] * e / 1000, TCRE_LIKELY[1] * e / 1000, color="0.6",
                    alpha=0.25, lw=0,
                    label=f"AR6 likely TCRE {TCRE_LIKELY[0]:.1f}-{TCRE_LIKELY[1]:.1f} "
                    "K per 1000 GtC")  # fmt: skip
    ax.plot(e, tcre * e / 1000, color="k", lw=1.0, ls="--",
            label=f"model TCRE {fmt(tcre, 3)} K per 1000 GtC (1pctCO2)")  # fmt: skip
    for name, run in runs.items():
        colour, lw, label = _TCRE_STYLE.get(name, ("0.3", 1.2, name))
        cum, t = run["cumulative_emissions_co2"].values, run["gsat"].values
        branch = name in ("esm-flat10-zec", "esm-flat10-cdr")
        if branch and branches_only_after_flat10:  # the flat10 part is drawn by esm-flat10
            first = int(np.searchsorted(run["experiment_year"].values, FLAT10_YEARS))
            cum, t = cum[first:], t[first:]
        ax.plot(cum, t, color=colour, lw=lw, label=label, zorder=4 if branch else 3)
        if branch:
            ax.plot(cum[-1], t[-1], "o", color=colour, ms=5, mec="k", mew=0.5, zorder=5)
    hist_e, hist_t = historical_tcre(ds)
    years = ds["year"].sel(year=slice(1850, None)).values
    ax.plot(hist_e, hist_t, color="k", lw=1.3, zorder=4,
            label=f"history {years[0]}-{years[-1]} (all forcings)")  # fmt: skip
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xlim(-0.02 * emax, emax)
    top = ax.secondary_xaxis(
        "top", functions=(lambda g: g * GTCO2_PER_GTC, lambda g: g / GTCO2_PER_GTC)
    )
    top.set_xlabel("[GtCO$_2$]", fontsize=8.5)
    top.tick_params(labelsize=8)


def figure_tcre(ds: xr.Dataset, runs: dict[str, xr.Dataset], tcre: float) -> Figure:
    """Warming vs cumulative CO2 emissions for esm-1pctCO2, flat10 (+ZEC, CDR) and history:
    (a) the whole of esm-1pctCO2, (b) the first 1300 GtC (flat10 branches and history).

    One legend below both panels (outside the data, so it hides neither the AR6 range nor a
    curve); panel titles short enough to fit above their panels.
    """
    fig = Figure(figsize=(11.0, 5.6), layout="constrained")
    ax_a, ax_b = fig.subplots(1, 2)
    emax = max(float(r["cumulative_emissions_co2"].max()) for r in runs.values()) * 1.03
    _tcre_panel(ax_a, ds, {k: v for k, v in runs.items() if k == "esm-1pctCO2"}, tcre, emax)
    ax_a.set_ylim(-0.3, None)
    _axes(ax_a, "(a) Warming vs cumulative CO$_2$ emissions",
          "cumulative CO$_2$ emissions [GtC]", "GSAT [K vs pre-industrial]")  # fmt: skip
    flat = [float(r["cumulative_emissions_co2"].max()) for k, r in runs.items() if "flat10" in k]
    zoom = math.ceil((max(flat) if flat else 1000.0) * 1.2 / 100.0) * 100.0
    _tcre_panel(ax_b, ds, runs, tcre, zoom)
    ax_b.set_ylim(-0.3, TCRE_LIKELY[1] * zoom / 1000 * 0.75)
    _axes(ax_b, f"(b) Zoom to 0-{zoom:.0f} GtC: flat10 and its branches",
          "cumulative CO$_2$ emissions [GtC]", "GSAT [K vs pre-industrial]")  # fmt: skip
    handles, labels = ax_b.get_legend_handles_labels()  # (b) draws everything (a) draws
    fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    return fig


#: Panels of the assessment figure per column: (title, x-axis label, quantities, relative).
#: ``relative``: the x axis is the deviation from the observed value in per cent (quantities
#: with different units and scales in one readable panel).
ASSESSMENT_PANELS = (
    (
        ("Climate sensitivity", "K", ("ecs", "tcr"), False),
        ("TCRE (1pctCO2, years 61-80)", "K per 1000 GtC", ("tcre",), False),
        ("Zero emissions commitment (esm-1pct-brch-1000PgC)", "K", ("zec50",), False),
        ("Carbon-concentration feedback", "GtC ppm$^{-1}$", ("beta_land", "beta_ocean"), False),
        ("Carbon-climate feedback", "GtC K$^{-1}$", ("gamma_land", "gamma_ocean"), False),
        ("Airborne fraction, 1pctCO2 at 2xCO2", "fraction of cumulative emissions",
         ("airborne_fraction_2x",), False),
        ("Carbon sinks (GCB2021)", "GtC yr$^{-1}$",
         ("gcb_2011_2020_ocean_sink", "gcb_2011_2020_land_sink"), False),
    ),
    (
        ("Warming relative to 1850-1900", "K",
         ("gsat_1995_2014", *(f"gsat_2081_2100_{s}" for s in validate.SSPS)), False),
        ("CO$_2$ in 2100 (◆: CMIP6 prescribed)", "ppm",
         tuple(f"co2_2100_{s}" for s in validate.SSPS), False),
        ("Concentrations in 2019, relative to observed", "deviation from observed [%]",
         ("co2_2019", "ch4_2019", "n2o_2019"), True),
        ("Aerosol ERF 2005-2014 vs 1750", "W m$^{-2}$",
         ("erf_aerosol_ari_2005_2014", "erf_aerosol_aci_2005_2014", "erf_aerosol_2005_2014"),
         False),
        ("Ocean heat uptake (AR6 Table 7.1)", "ZJ", ("ohc_ocean_1971_2018",), False),
    ),
)  # fmt: skip

#: Chemical formulae in the figure's labels.
_FORMULAE = (("CO2", "CO$_2$"), ("CH4", "CH$_4$"), ("N2O", "N$_2$O"))


def _assessment_row(ax, y: float, r: pd.Series, scale) -> None:
    """Posterior box-whisker above ``y`` and the assessed range below it."""
    dy, h = 0.2, 0.26
    p5, p17, p50, p83, p95 = (scale(r[c]) for c in metrics.PERCENTILE_COLUMNS)
    c = style.POSTERIOR
    ax.plot([p5, p95], [y + dy] * 2, color=c, lw=1.3, solid_capstyle="butt", zorder=3)
    ax.plot([p5, p5], [y + dy - h / 3, y + dy + h / 3], color=c, lw=1.3, zorder=3)
    ax.plot([p95, p95], [y + dy - h / 3, y + dy + h / 3], color=c, lw=1.3, zorder=3)
    ax.add_patch(Rectangle((p17, y + dy - h / 2), p83 - p17, h, facecolor=style.POSTERIOR_FILL,
                           edgecolor=c, lw=0.9, zorder=4))  # fmt: skip
    ax.plot([p50, p50], [y + dy - h / 2, y + dy + h / 2], color="navy", lw=2.0, zorder=5)
    a = style.ASSESSED
    value, low, high, kind = scale(r["value"]), scale(r["low"]), scale(r["high"]), r["kind"]
    ya = y - dy
    if not (np.isfinite(low) and np.isfinite(high)):
        ax.plot(value, ya, "D", color=a, ms=5.5, zorder=5)
        return
    if kind in ("likely", "1sigma"):  # a 66-68 % range: drawn like the 17-83 % box
        ax.add_patch(Rectangle((low, ya - h / 2), high - low, h, facecolor="0.75",
                               edgecolor=a, lw=0.9, zorder=4))  # fmt: skip
    else:  # 5-95 % / very likely (solid), model range or tolerance band (dashed)
        dashes = "-" if kind in ("very_likely", "5-95") else (0, (3, 2))
        ax.plot([low, high], [ya] * 2, color=a, lw=1.3, ls=dashes, zorder=3)
        for x in (low, high):
            ax.plot([x, x], [ya - h / 3, ya + h / 3], color=a, lw=1.3, zorder=3)
        lk_low, lk_high = scale(r["likely_low"]), scale(r["likely_high"])
        if np.isfinite(lk_low) and np.isfinite(lk_high):
            ax.add_patch(Rectangle((lk_low, ya - h / 2), lk_high - lk_low, h, facecolor="0.75",
                                   edgecolor=a, lw=0.9, zorder=4))  # fmt: skip
    ax.plot([value, value], [ya - h / 2, ya + h / 2], color="k", lw=2.0, zorder=5)


def _assessment_panel(ax, table: pd.DataFrame, title, xlabel, names, relative) -> None:
    rows = table.loc[list(names)]
    labels = []
    extent = []
    for i, (_, r) in enumerate(rows.iterrows()):
        y = len(rows) - 1 - i
        obs = r["value"]
        scale = (lambda x, o=obs: 100.0 * (x / o - 1.0)) if relative else (lambda x: x)
        _assessment_row(ax, y, r, scale)
        extent += [scale(r[c]) for c in ("p5", "p95", "value", "low", "high")]
        label = r["label"] + ("*" if r["calibrated"] else "")
        if relative:
            label += f" ({fmt(obs, 4)} {r['units']})"
        for plain, tex in _FORMULAE:
            label = label.replace(plain, tex)
        labels.append((y, label))
    ax.set_yticks([y for y, _ in labels], [lab for _, lab in labels], fontsize=8.5)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    if relative:
        ax.axvline(0.0, color="k", lw=0.6)
    else:
        lo = np.nanmin(rows[["p5", "low"]].to_numpy(float))
        hi = np.nanmax(rows[["p95", "high"]].to_numpy(float))
        if lo < 0.0 < hi:
            ax.axvline(0.0, color="0.5", lw=0.6)
    style.title(ax, title, fontsize=9.5)
    ax.set_xlabel(xlabel, fontsize=8.5)
    style.grid(ax, "x")
    ax.tick_params(axis="x", labelsize=8)
    ax.tick_params(axis="y", length=0)
    lo, hi = np.nanmin(extent), np.nanmax(extent)
    pad = 0.05 * (hi - lo) if hi > lo else 1.0
    ax.set_xlim(lo - pad, hi + pad)


def figure_assessment(table: pd.DataFrame) -> Figure:
    """Posterior percentiles (box 17-83 %, whisker 5-95 %, median) next to the assessed or
    multi-model range of every quantity of :func:`esm.validate.assessment`."""
    fig = Figure(figsize=(11.5, 10.0), layout="constrained")
    columns = fig.subfigures(1, 2, wspace=0.02)
    for sub, panels in zip(columns, ASSESSMENT_PANELS, strict=True):
        ratios = [len(p[2]) + 1.5 for p in panels]
        axes = sub.subplots(len(panels), 1, height_ratios=ratios)
        for ax, (title, xlabel, names, relative) in zip(axes, panels, strict=True):
            _assessment_panel(ax, table, title, xlabel, names, relative)
    n = table.attrs.get("members", "")
    handles = [
        Patch(facecolor=style.POSTERIOR_FILL, edgecolor=style.POSTERIOR,
              label=f"posterior ({n} members): box 17-83 %, whisker 5-95 %, bar median"),
        Patch(facecolor="0.75", edgecolor=style.ASSESSED,
              label="assessed likely or ±1σ (bar: best estimate or mean)"),
        Line2D([], [], color=style.ASSESSED, lw=1.3, label="assessed very likely / 5-95 %"),
        Line2D([], [], color=style.ASSESSED, lw=1.3, ls=(0, (3, 2)),
               label="model range (ZECMIP) or project tolerance"),
        Line2D([], [], color="k", marker="D", ls="none", ms=5.5,
               label="value without a range"),
    ]  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=8.5, frameon=False)
    fig.suptitle(
        "Calibrated posterior vs assessed and multi-model ranges (* = calibration target; "
        "the others are validation only)",
        fontsize=11,
    )
    return fig


def save(fig: Figure, path: Path, dpi: int, palette: bool = False) -> Path:
    """Save a PNG without the "Software" tag (atomically); ``palette`` stores it with 256
    colours (a third of the size for figures of flat colours, lines and text)."""
    return style.save(fig, path, dpi, metadata={"Software": None}, palette=palette)
