"""Figures of the policy questions: the remaining carbon budget (:func:`esm.budget`) and the
path that meets a warming goal (:func:`esm.goal`).

>>> import esm
>>> from esm.figures import budget as budget_figures
>>> budget_figures.plot_budget(esm.budget(2.0, members=200), "budget.png")   # doctest: +SKIP
>>> budget_figures.plot_goal(esm.goal(1.7, 0.5), "goal.png")                 # doctest: +SKIP
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from esm.figures import style


def budget_figure(ds: xr.Dataset) -> Figure:
    """Peak warming against cumulative CO2 from 2020 for the pathway family of
    :func:`esm.budget`: the members' 5-95 % and 17-83 % ranges, one line per likelihood
    (the warming that share of members stays below), the limit, and the budgets by simulation,
    framework and IPCC AR6 on it."""
    w = float(ds.attrs["warming_limit_K"])
    c = ds["cumulative_co2"].values
    peak = ds["peak_warming"].values
    fig = Figure(figsize=(10.0, 5.2), layout="constrained")
    ax = fig.add_subplot()
    q = np.percentile(peak, [5, 17, 83, 95], axis=1)
    ax.fill_between(c, q[0], q[3], color="0.85", label="members 5-95 %")
    ax.fill_between(c, q[1], q[2], color="0.7", label="members 17-83 %")
    handles = []
    for L in ds["likelihood"].values:
        colour = style.LIKELIHOODS.get(round(float(L), 2), "k")
        (line,) = ax.plot(
            c,
            np.quantile(peak, L, axis=1),
            color=colour,
            lw=1.6,
            label=f"{100 * L:.0f} % of members stay below",
        )
        handles.append(line)
        p = ds.sel(likelihood=L)
        for name, marker, fill in (
            ("budget_simulation", "o", colour),
            ("budget_framework", "X", colour),
            ("budget_ar6", "s", "none"),
        ):
            x = float(p[name])
            if np.isfinite(x):
                ax.plot([x], [w], marker=marker, ms=8, mfc=fill, mec=colour, mew=1.6, ls="none")
    ax.axhline(w, color="k", lw=1.0, ls="--")
    ax.text(c[0], w, f" limit {w:g} K", va="bottom", ha="left", fontsize=8)
    style.axes(ax, ds.attrs.get("title", "Remaining carbon budget"), "peak warming, K vs 1850-1900")
    ax.set_xlabel("cumulative net CO2 from 1 January 2020 to net zero, GtCO2")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8))
    top = ax.secondary_xaxis("top", functions=(lambda x: x, lambda x: x))
    hold = ds["hold_years"].values
    ticks = [
        (x, f"{y:g}") for x, y, h in zip(c, ds["net_zero_year"].values, hold, strict=True) if h == 0
    ][::3]
    ticks += [(x, f"+{h:g}") for x, h in zip(c, hold, strict=True) if h > 0][2::3]
    top.set_ticks([x for x, _ in ticks], labels=[t for _, t in ticks], fontsize=7)
    top.set_xlabel(
        "net-zero year of the straight decline from 2020 (+N: 2020 emissions held N years, "
        "net zero in 2100)",
        fontsize=8,
    )
    markers = [
        Line2D([], [], marker="o", color="0.3", ls="none", label="budget: simulation"),
        Line2D([], [], marker="X", color="0.3", ls="none", label="budget: framework"),
        Line2D([], [], marker="s", mfc="none", mec="0.3", ls="none", label="budget: IPCC AR6"),
    ]
    shades = [h for h in ax.get_legend_handles_labels()[0] if h.get_label().startswith("members")]
    style.legend(ax, shades + handles + markers, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    note = (
        f"{ds.attrs['members']} posterior members. Non-CO2 emissions follow the fossil-CO2 "
        "quantile of the shipped SSPs; peak warming over 2020-2100. Markers on the limit: "
        "the budget at each likelihood (colour)."
    )
    style.note(ax, textwrap.fill(note, 38), x=1.02, y=0.0, fontsize=7)
    return fig


def plot_budget(ds: xr.Dataset, path: str | Path, dpi: int = 120) -> Path:
    """Save :func:`budget_figure` of ``ds`` to ``path`` (atomically)."""
    return style.save(budget_figure(ds), path, dpi)


def goal_figure(ds: xr.Dataset) -> Figure:
    """The goal path of :func:`esm.goal`: net CO2 (with the background before the
    decline) and the members' peak-warming distribution against the goal."""
    a = ds.attrs
    years = ds["year"].values
    sel = years >= 2000
    fig = Figure(figsize=(9.0, 4.0), layout="constrained")
    ax, bx = fig.subplots(1, 2, width_ratios=[2, 1])
    ax.plot(years[sel], ds["co2_net"].values[sel], color="C3", lw=1.8, label="net CO2 (goal path)")
    ax.axhline(0.0, color="k", lw=0.6)
    ax.axvline(a["net_zero_year"], color="0.4", lw=0.8, ls=":")
    ax.text(
        a["net_zero_year"],
        ax.get_ylim()[1] * 0.9,
        f" net zero {a['net_zero_year']:.1f}",
        fontsize=8,
    )
    style.axes(ax, "Net CO2 path", "GtCO2/yr")
    style.legend(ax, loc="upper right")
    peak = ds["peak_warming"].values
    bx.hist(peak, bins=30, color="0.6", orientation="horizontal")
    bx.axhline(a["goal_peak_warming_K"], color="k", ls="--", lw=1.0)
    bx.text(
        bx.get_xlim()[1] * 0.98,
        a["goal_peak_warming_K"],
        f"goal {a['goal_peak_warming_K']:g} K\n{100 * a['likelihood_met']:.0f} % below",
        ha="right",
        va="bottom",
        fontsize=8,
    )
    style.axes(bx, "Peak warming of the members", "K vs 1850-1900")
    bx.set_xlabel("members")
    fig.suptitle(a.get("title", ""), fontsize=10)
    return fig


def plot_goal(ds: xr.Dataset, path: str | Path, dpi: int = 120) -> Path:
    """Save :func:`goal_figure` of ``ds`` to ``path`` (atomically)."""
    return style.save(goal_figure(ds), path, dpi)
