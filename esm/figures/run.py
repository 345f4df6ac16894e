"""Overview figure of one run against observations.

>>> import esm
>>> from esm.figures import run as run_figure
>>> ds = esm.run("ssp245")                             # doctest: +SKIP
>>> run_figure.plot_run(ds, "ssp245.png")              # doctest: +SKIP

Observations come from the shipped validation data (``esm._data.validation_dir()``) and are
drawn only where the run covers their years. An idealised experiment (a Dataset with an
``experiment_year`` coordinate, from :func:`esm.experiments.run`) is drawn against experiment
years (0 = spin-up year), without observations or the calendar-year carbon-budget shares,
which do not apply to it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

from esm import diagnostics
from esm import observations as _obs
from esm.figures import style

#: Period of the carbon-budget shares and the GSAT summary (GCB2021 / AR6 recent decade).
RECENT = (2011, 2020)

#: Observed GCB2021 sinks are plotted for the years of the atmospheric-growth record.
GCB_YEARS = (1959, 2020)

_ERF_COMPONENTS = (  # label, variables summed, colour
    ("CO$_2$", ("erf_co2",), style.GASES["co2"]),
    ("CH$_4$", ("erf_ch4",), style.GASES["ch4"]),
    ("N$_2$O", ("erf_n2o",), style.GASES["n2o"]),
    ("halogens", ("erf_halogens",), "tab:purple"),
    ("ozone", ("erf_ozone",), "tab:cyan"),
    ("aerosol (ari+aci)", ("erf_aerosol_ari", "erf_aerosol_aci"), "tab:blue"),
    ("other anthrop.", ("erf_other",), "tab:brown"),
    ("natural (solar+volc.)", ("erf_solar", "erf_volcanic"), "0.6"),
)

#: ERF components below this magnitude in every year [W m-2] are listed in a note, not drawn.
NEGLIGIBLE_ERF = 1e-3

_BUDGET = tuple(  # variable, label, colour: each flow is its own line (signs stay visible)
    (var, label, style.FLOWS[var])
    for var, label in (
        ("atmospheric_growth", "atmospheric growth (< 0: CO$_2$ falls)"),
        ("ocean_sink", "ocean sink (< 0: source)"),
        ("land_sink", "land sink (< 0: source)"),
    )
)


# ------------------------------------------------------------------------------ helpers
def within(df: pd.DataFrame, ds: xr.Dataset) -> pd.DataFrame:
    """Rows of ``df`` inside the years of the run."""
    years = ds["year"].values
    return df.loc[(df.index >= years[0]) & (df.index <= years[-1])]


def covers(ds: xr.Dataset, period: tuple[int, int] = RECENT) -> bool:
    """Whether the run has every year of ``period``."""
    years = ds["year"].values
    return bool(years[0] <= period[0] and years[-1] >= period[1])


def gsat_vs_preindustrial(ds: xr.Dataset) -> bool:
    """Whether the GSAT of ``ds`` is relative to 1850-1900 (so that GMST records compare)."""
    return ds["gsat"].attrs.get("reference_period", "").startswith("1850-1900")


def is_experiment(ds: xr.Dataset) -> bool:
    """Whether ``ds`` is an idealised experiment (it counts ``experiment_year``)."""
    return "experiment_year" in ds.variables


def _time(ds: xr.Dataset) -> tuple[np.ndarray, str]:
    """The x values and x-axis label: experiment years for an experiment, else calendar years."""
    if is_experiment(ds):
        return np.asarray(ds["experiment_year"].values), "experiment year"
    return np.asarray(ds["year"].values), "year"


# ------------------------------------------------------------------------------ panels
def _panel_concentrations(ax_co2, ax_other, ds: xr.Dataset, obs: bool) -> None:
    """(a) CO2 [ppm] above, CH4 [ppb, left] and N2O [ppb, right] below."""
    years, xlabel = _time(ds)
    ghg = within(_obs.load("ghg_concentrations"), ds) if obs else None
    gas = style.GASES
    ax_co2.plot(years, ds["co2"], color=gas["co2"], lw=1.8, label="model", zorder=3)
    if ghg is not None and len(ghg):
        ax_co2.plot(ghg.index, ghg["co2"], ".", ms=2.5, color=style.OBSERVED,
                    label="observed (AR6 / IGCC)")  # fmt: skip
    style.axes(ax_co2, "(a) Concentrations", "CO$_2$ [ppm]")
    style.legend(ax_co2, loc="best")
    ax_co2.tick_params(labelbottom=False)

    ax_n2o = ax_other.twinx()
    ax_other.plot(years, ds["ch4"], color=gas["ch4"], lw=1.8, label="CH$_4$ (left)", zorder=3)
    ax_n2o.plot(years, ds["n2o"], color=gas["n2o"], lw=1.8, label="N$_2$O (right)", zorder=3)
    if ghg is not None and len(ghg):
        ax_other.plot(ghg.index, ghg["ch4"], ".", ms=2.5, color=style.OBSERVED)
        ax_n2o.plot(ghg.index, ghg["n2o"], ".", ms=2.5, color=style.OBSERVED)
    style.axes(ax_other, "", "CH$_4$ [ppb]")
    ax_other.yaxis.label.set_color(gas["ch4"])
    ax_n2o.set_ylabel("N$_2$O [ppb]", color=gas["n2o"])
    ax_n2o.tick_params(labelsize=8)
    lines = ax_other.get_lines()[:1] + ax_n2o.get_lines()[:1]
    style.legend(ax_n2o, lines)  # on the twin axes, which is drawn above the CH4 axes
    if np.ptp(ds["ch4"].values) == 0 and np.ptp(ds["n2o"].values) == 0:
        style.note(ax_other, "CH$_4$ and N$_2$O constant", y=0.25)
    ax_other.set_xlabel(xlabel)


def _panel_forcing(ax, ds: xr.Dataset) -> None:
    """(b) ERF by component and in total [W m-2]."""
    years, xlabel = _time(ds)
    anthropogenic = [ds["erf"].values - _natural(ds)]
    zero = []
    for label, names, colour in _ERF_COMPONENTS:
        if not all(n in ds for n in names):
            continue
        values = sum(ds[n].values for n in names)
        if np.nanmax(np.abs(values)) < NEGLIGIBLE_ERF:  # e.g. non-CO2 agents in experiments
            zero.append(label)
            continue
        natural = label.startswith("natural")
        if not natural:
            anthropogenic.append(values)
        ax.plot(years, values, color=colour, lw=0.7 if natural else 1.4, label=label)
    ax.plot(years, ds["erf"], color="k", lw=2.0, label="total", zorder=1.9)
    ax.axhline(0, color="k", lw=0.6)
    style.axes(ax, "(b) Effective radiative forcing", "ERF [W m$^{-2}$]")
    handles = ax.get_legend_handles_labels()[0]
    if zero:  # one legend entry without a line, so that the legend's placement accounts for it
        head = f"not drawn (|ERF| < {NEGLIGIBLE_ERF:g} W m$^{{-2}}$):\n"
        handles.append(style.text_entry(head + textwrap.fill(", ".join(zero), 32)))
    style.legend(ax, handles, fontsize=7.5, ncol=2, loc="best")
    ax.set_xlabel(xlabel)
    _clip_volcanic(ax, ds, np.array(anthropogenic))


def _natural(ds: xr.Dataset) -> np.ndarray:
    return sum(
        (ds[n].values for n in ("erf_solar", "erf_volcanic") if n in ds), np.zeros(ds.sizes["year"])
    )


def _clip_volcanic(ax, ds: xr.Dataset, anthropogenic: np.ndarray) -> None:
    """Keep large volcanic eruptions from squashing the anthropogenic components."""
    lo_anthro = min(float(np.nanmin(anthropogenic)), 0.0)
    hi = max(float(np.nanmax(anthropogenic)), float(ds["erf"].max()), 0.5)
    lo = lo_anthro - 0.15 * (hi - lo_anthro) - 0.5
    if float(ds["erf"].min()) < lo:
        ax.set_ylim(lo, hi + 0.25 * (hi - lo))  # headroom for the legend
        style.note(ax, "volcanic eruptions truncated", x=0.99, y=0.02, ha="right")


def _panel_temperature(ax, ds: xr.Dataset, obs: bool) -> None:
    """(c) GSAT against observed GMST [K vs 1850-1900]."""
    years, xlabel = _time(ds)
    ax.plot(years, ds["gsat"], color=style.MODEL, lw=1.8, label="model GSAT")
    if obs and gsat_vs_preindustrial(ds):
        gmst = within(_obs.load("gmst"), ds)
        ar6 = gmst["ar6_gmst"].dropna()
        had = gmst["hadcrut5"].dropna()
        had = had.loc[had.index >= (ar6.index.max() if len(ar6) else had.index.min())]
        if len(ar6):
            ax.plot(ar6.index, ar6, color=style.OBSERVED, lw=0.8, label="observed GMST (AR6)")
        if len(had) > 1:
            ax.plot(had.index, had, color="tab:blue", lw=1.2, label="HadCRUT5 (after 2020)")
    elif obs:
        ax.text(
            0.02,
            0.55,
            "observations not shown:\nrun lacks 1850-1900",
            fontsize=8,
            transform=ax.transAxes,
            color="0.3",
        )
    ax.axhline(0, color="k", lw=0.6)
    if gsat_vs_preindustrial(ds):
        ref = "1850-1900"
    elif is_experiment(ds):
        ref = "pre-industrial"
    else:
        ref = str(ds["year"].values[0])
    style.axes(ax, "(c) Surface temperature", f"GSAT [K vs {ref}]")
    style.legend(ax)
    ax.set_xlabel(xlabel)


def _panel_budget(ax, ds: xr.Dataset, obs: bool) -> None:
    """(d) Emissions and where they go: atmospheric growth, ocean and land sinks [GtC/yr].

    Each flow is its own line, never a stacked area: the flows change sign (atmospheric CO2
    falls under net-negative emissions, the land turns into a source, volcanic years), and a
    stack would hide which flow is negative. Emissions = growth + ocean + land (+ permafrost).
    """
    years, xlabel = _time(ds)
    emis = ds["emissions_co2_fossil"] + ds["emissions_co2_landuse"]
    ax.plot(years, emis, color="k", lw=1.8, label="emissions (fossil + land use)", zorder=3)
    for var, label, colour in _BUDGET:
        ax.plot(years, ds[var], color=colour, lw=1.5, label=label, zorder=2.5)
    if obs:
        _budget_observations(ax, ds)
    ax.axhline(0, color="k", lw=0.6)
    style.axes(ax, "(d) Carbon budget", "GtC yr$^{-1}$")
    style.legend(ax, fontsize=7.5, loc="best")
    ax.set_xlabel(xlabel)
    if covers(ds) and not is_experiment(ds):
        _budget_textbox(ax, ds)
    if is_experiment(ds):
        _clip_spinup_pulse(ax, ds, emis.values)


def _clip_spinup_pulse(ax, ds: xr.Dataset, emis: np.ndarray) -> None:
    """Keep the CO2 pulse of an abrupt experiment's spin-up year (e.g. ~1900 GtC in one year
    of abrupt-4xCO2) from squashing the rest of the run: scale to the later years, note it."""
    flows = np.vstack([emis] + [ds[v].values for v, _, _ in _BUDGET])
    later = flows[:, 1:]
    lo, hi = min(float(later.min()), 0.0), max(float(later.max()), 0.0)
    peak = float(np.abs(flows[:, 0]).max())
    if later.size and peak > 3.0 * max(hi - lo, 1e-9):
        pad = 0.35 * (hi - lo)  # headroom for the legend
        ax.set_ylim(lo - 0.05 * (hi - lo), hi + pad)
        style.note(ax, f"spin-up year 0 off scale\n(emissions {emis[0]:.0f} GtC yr$^{{-1}}$)",
                   x=0.06, y=0.97, va="top")  # fmt: skip


def _budget_observations(ax, ds: xr.Dataset) -> None:
    """GCB2021 atmospheric growth and sinks as dots in the colour of the model's flow."""
    gcb = _obs.load("gcb2021_budget").loc[GCB_YEARS[0] : GCB_YEARS[1]]
    gcb = within(gcb, ds)
    if not len(gcb):
        return
    for var, _, colour in _BUDGET:
        ax.plot(gcb.index, gcb[var], "o", ms=2.2, color=colour, mec="k", mew=0.3, zorder=2.6)
    ax.plot(
        [],
        [],
        "o",
        ms=3,
        color="w",
        mec="k",
        mew=0.6,
        label=f"GCB2021, same colours ({GCB_YEARS[0]}-{GCB_YEARS[1]})",
    )


def _budget_textbox(ax, ds: xr.Dataset) -> None:
    model = diagnostics.carbon_budget(ds, *RECENT)
    gcb = _obs.gcb_budget(*RECENT)
    lines = [f"{RECENT[0]}-{RECENT[1]} share of emissions", "             model   GCB2021"]
    for key, label in (
        ("airborne_fraction", "airborne"),
        ("ocean_fraction", "ocean"),
        ("land_fraction", "land"),
    ):
        lines.append(f"{label:<9} {100 * model[key]:7.0f} % {100 * gcb[key]:6.0f} %")
    ax.text(  # upper left, where the record's early years leave room; the legend avoids it
        0.03,
        0.97,
        "\n".join(lines),
        transform=ax.transAxes,
        fontsize=7.5,
        family="monospace",
        va="top",
        bbox={**style.BOX, "alpha": 0.9},
    )


# ------------------------------------------------------------------------------ figure
def _title(ds: xr.Dataset) -> str:
    years, _ = _time(ds)
    if is_experiment(ds):
        name = ds.attrs.get("experiment", ds.attrs.get("scenario", "experiment"))
        title = f"esm experiment: {name}, experiment years {years[0]}-{years[-1]}"
        if ds.attrs.get("description"):
            title += f"\n{ds.attrs['description']}"
    else:
        name = ds.attrs.get("scenario", "user scenario")
        title = f"esm run: {name}, {years[0]}-{years[-1]}"
    changed = ds.attrs.get("parameters_changed", "")
    if changed and not changed.startswith("none"):
        title += f"  (parameters: {changed})"
    return title


def figure(ds: xr.Dataset, observations: bool = True) -> Figure:
    """The 4-panel overview of ``ds`` as a matplotlib Figure (not shown, not saved).

    An experiment Dataset (:func:`is_experiment`) is drawn against experiment years and never
    with observations, which are calendar-year records.
    """
    observations = observations and not is_experiment(ds)
    fig = Figure(figsize=(13, 9), layout="constrained")
    grid = fig.add_gridspec(2, 2)
    sub = grid[0, 0].subgridspec(2, 1, height_ratios=(1.2, 1), hspace=0.0)
    ax_co2 = fig.add_subplot(sub[0])
    ax_other = fig.add_subplot(sub[1], sharex=ax_co2)
    _panel_concentrations(ax_co2, ax_other, ds, observations)
    _panel_forcing(fig.add_subplot(grid[0, 1]), ds)
    _panel_temperature(fig.add_subplot(grid[1, 0]), ds, observations)
    _panel_budget(fig.add_subplot(grid[1, 1]), ds, observations)
    fig.suptitle(_title(ds), fontsize=12)
    return fig


def plot_run(ds: xr.Dataset, path: str | Path, observations: bool = True, dpi: int = 120) -> Path:
    """Save the 4-panel overview of a run (format from the suffix, e.g. PNG); return the path.

    Panels: (a) CO2, CH4, N2O; (b) ERF by component; (c) GSAT; (d) carbon budget (each flow
    a line) with the 2011-2020 shares of emissions. Observations are drawn where the run covers
    them. An idealised experiment is drawn against experiment years (0 = spin-up year).
    """
    missing = [v for v in _required() if v not in ds]
    if missing:
        raise KeyError(f"plot_run: dataset lacks variable(s) {', '.join(missing)}")
    return style.save(figure(ds, observations), path, dpi)


def _required() -> list[str]:
    names = ["co2", "ch4", "n2o", "gsat", "erf", "emissions_co2_fossil", "emissions_co2_landuse"]
    return names + [v for v, _, _ in _BUDGET]
