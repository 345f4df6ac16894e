"""Overview figure of one run against observations.

>>> import esm, esm.plotting
>>> ds = esm.run("ssp245")                           # doctest: +SKIP
>>> esm.plotting.plot_run(ds, "ssp245.png")          # doctest: +SKIP

The figure is drawn on a :class:`matplotlib.figure.Figure` without ``pyplot``, so this module
neither changes the user's matplotlib backend nor keeps figures open. Observations come from
the shipped validation data (``esm._data.validation_dir()``) and are drawn only where the run
covers their years. An idealised experiment (a Dataset with an ``experiment_year`` coordinate,
from :func:`esm.experiments.run`) is drawn against experiment years (0 = spin-up year), without
observations or the calendar-year carbon-budget shares, which do not apply to it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from esm import diagnostics
from esm import observations as _obs

#: Period of the carbon-budget shares and the GSAT summary (GCB2021 / AR6 recent decade).
RECENT = (2011, 2020)

#: Observed GCB2021 sinks are plotted for the years of the atmospheric-growth record.
GCB_YEARS = (1959, 2020)

_ERF_COMPONENTS = (  # label, variables summed, colour
    ("CO$_2$", ("erf_co2",), "tab:red"),
    ("CH$_4$", ("erf_ch4",), "tab:orange"),
    ("N$_2$O", ("erf_n2o",), "tab:olive"),
    ("halogens", ("erf_halogens",), "tab:purple"),
    ("ozone", ("erf_ozone",), "tab:cyan"),
    ("aerosol (ari+aci)", ("erf_aerosol_ari", "erf_aerosol_aci"), "tab:blue"),
    ("other anthrop.", ("erf_other",), "tab:brown"),
    ("natural (solar+volc.)", ("erf_solar", "erf_volcanic"), "0.6"),
)

#: ERF components below this magnitude in every year [W m-2] are listed in a note, not drawn.
NEGLIGIBLE_ERF = 1e-3

_BUDGET = (  # variable, label, colour: each flow is drawn as its own line (signs stay visible)
    ("atmospheric_growth", "atmospheric growth (< 0: CO$_2$ falls)", "tab:orange"),
    ("ocean_sink", "ocean sink (< 0: source)", "tab:blue"),
    ("land_sink", "land sink (< 0: source)", "tab:green"),
)


# ------------------------------------------------------------------------------ helpers
def _within(df: pd.DataFrame, ds: xr.Dataset) -> pd.DataFrame:
    """Rows of ``df`` inside the years of the run."""
    years = ds["year"].values
    return df.loc[(df.index >= years[0]) & (df.index <= years[-1])]


def covers(ds: xr.Dataset, period: tuple[int, int] = RECENT) -> bool:
    """Whether the run has every year of ``period``."""
    years = ds["year"].values
    return bool(years[0] <= period[0] and years[-1] >= period[1])


def _gsat_vs_preindustrial(ds: xr.Dataset) -> bool:
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
def _style(ax, title: str, ylabel: str) -> None:
    ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    ax.set_ylabel(ylabel)
    ax.grid(True, lw=0.4, alpha=0.5)
    ax.tick_params(labelsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


def _legend(ax, handles=None, **kwargs) -> None:
    """A legend on a translucent white box, so that it stays readable over data."""
    style = {"fontsize": 8, "loc": "upper left", "framealpha": 0.8, "edgecolor": "none"}
    args = () if handles is None else (handles, [h.get_label() for h in handles])
    ax.legend(*args, **{**style, **kwargs})


def _panel_concentrations(ax_co2, ax_other, ds: xr.Dataset, obs: bool) -> None:
    """(a) CO2 [ppm] above, CH4 [ppb, left] and N2O [ppb, right] below."""
    years, xlabel = _time(ds)
    ghg = _within(_obs.load("ghg_concentrations"), ds) if obs else None
    ax_co2.plot(years, ds["co2"], color="tab:red", lw=1.8, label="model", zorder=3)
    if ghg is not None and len(ghg):
        ax_co2.plot(ghg.index, ghg["co2"], ".", ms=2.5, color="k", label="observed (AR6 / IGCC)")
    _style(ax_co2, "(a) Concentrations", "CO$_2$ [ppm]")
    _legend(ax_co2, loc="best")
    ax_co2.tick_params(labelbottom=False)

    ax_n2o = ax_other.twinx()
    ax_other.plot(years, ds["ch4"], color="tab:orange", lw=1.8, label="CH$_4$ (left)", zorder=3)
    ax_n2o.plot(years, ds["n2o"], color="tab:olive", lw=1.8, label="N$_2$O (right)", zorder=3)
    if ghg is not None and len(ghg):
        ax_other.plot(ghg.index, ghg["ch4"], ".", ms=2.5, color="k")
        ax_n2o.plot(ghg.index, ghg["n2o"], ".", ms=2.5, color="k")
    _style(ax_other, "", "CH$_4$ [ppb]")
    ax_other.yaxis.label.set_color("tab:orange")
    ax_n2o.set_ylabel("N$_2$O [ppb]", color="tab:olive")
    ax_n2o.tick_params(labelsize=8)
    lines = ax_other.get_lines()[:1] + ax_n2o.get_lines()[:1]
    _legend(ax_n2o, lines)  # on the twin axes, which is drawn above the CH4 axes
    if np.ptp(ds["ch4"].values) == 0 and np.ptp(ds["n2o"].values) == 0:
        _note(ax_other, "CH$_4$ and N$_2$O constant", y=0.25)
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
    _style(ax, "(b) Effective radiative forcing", "ERF [W m$^{-2}$]")
    handles = ax.get_legend_handles_labels()[0]
    if zero:  # one legend entry without a line, so that the legend's placement accounts for it
        head = f"not drawn (|ERF| < {NEGLIGIBLE_ERF:g} W m$^{{-2}}$):\n"
        handles.append(Line2D([], [], ls="none", label=head + textwrap.fill(", ".join(zero), 32)))
    _legend(ax, handles, fontsize=7.5, ncol=2, loc="best")
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
        _note(ax, "volcanic eruptions truncated", x=0.99, y=0.02, ha="right")


def _note(ax, text: str, x: float = 0.02, y: float = 0.02, ha="left", va="bottom") -> None:
    """A small grey note in axes coordinates."""
    ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=7.5, color="0.35")


def _panel_temperature(ax, ds: xr.Dataset, obs: bool) -> None:
    """(c) GSAT against observed GMST [K vs 1850-1900]."""
    years, xlabel = _time(ds)
    ax.plot(years, ds["gsat"], color="tab:red", lw=1.8, label="model GSAT")
    if obs and _gsat_vs_preindustrial(ds):
        gmst = _within(_obs.load("gmst"), ds)
        ar6 = gmst["ar6_gmst"].dropna()
        had = gmst["hadcrut5"].dropna()
        had = had.loc[had.index >= (ar6.index.max() if len(ar6) else had.index.min())]
        if len(ar6):
            ax.plot(ar6.index, ar6, color="k", lw=0.8, label="observed GMST (AR6)")
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
    if _gsat_vs_preindustrial(ds):
        ref = "1850-1900"
    elif is_experiment(ds):
        ref = "pre-industrial"
    else:
        ref = str(ds["year"].values[0])
    _style(ax, "(c) Surface temperature", f"GSAT [K vs {ref}]")
    _legend(ax)
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
    _style(ax, "(d) Carbon budget", "GtC yr$^{-1}$")
    _legend(ax, fontsize=7.5, loc="best")
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
        _note(ax, f"spin-up year 0 off scale\n(emissions {emis[0]:.0f} GtC yr$^{{-1}}$)",
              x=0.06, y=0.97, va="top")  # fmt: skip


def _budget_observations(ax, ds: xr.Dataset) -> None:
    """GCB2021 atmospheric growth and sinks as dots in the colour of the model's flow."""
    gcb = _obs.load("gcb2021_budget").loc[GCB_YEARS[0] : GCB_YEARS[1]]
    gcb = _within(gcb, ds)
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
        bbox={"boxstyle": "round", "fc": "white", "ec": "0.6", "alpha": 0.9},
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
    path = Path(path)
    figure(ds, observations).savefig(path, dpi=dpi)
    return path


def _required() -> list[str]:
    names = ["co2", "ch4", "n2o", "gsat", "erf", "emissions_co2_fossil", "emissions_co2_landuse"]
    return names + [v for v, _, _ in _BUDGET]


# ------------------------------------------------------------------------------ ensembles
def ensemble_percentiles(ds: xr.Dataset, var: str, q=None) -> dict[float, np.ndarray]:
    """Percentiles of ``var`` per year from an ensemble Dataset (``member`` or ``percentile``).

    ``q`` defaults to 5, 17, 50, 83 and 95 for a ``member`` Dataset and to every stored
    percentile for a ``percentile`` Dataset; from a ``percentile`` Dataset only the stored ones
    of ``q`` are returned.
    """
    da = ds[var]
    if "percentile" in da.dims:
        have = [float(p) for p in da["percentile"].values]
        wanted = sorted(have) if q is None else [float(p) for p in q if float(p) in have]
        return {p: da.sel(percentile=p).values for p in wanted}
    q = (5, 17, 50, 83, 95) if q is None else q
    return {p: np.percentile(da.values, p, axis=0) for p in q}


def _plume(ax, years, pct: dict, colour: str, label: str) -> None:
    """Bands between the outermost pair of percentiles (and the next pair inside it, if any)
    and the median if present; a lone percentile other than the median is drawn as a line."""
    if not pct:
        raise ValueError(f"plot_ensemble: {label} has no percentiles to draw")
    qs = sorted(pct)
    alphas = (0.18, 0.32)
    for j in range(min(len(qs) // 2, len(alphas))):
        lo, hi = qs[j], qs[-1 - j]
        band = f"{label} {lo:g}-{hi:g} %"
        ax.fill_between(years, pct[lo], pct[hi], color=colour, alpha=alphas[j], lw=0, label=band)
    if 50 in pct:
        ax.plot(years, pct[50], color=colour, lw=1.8, label=f"{label} median")
    elif len(qs) % 2 == 1:  # the middle one of an odd set is not covered by a band
        mid = qs[len(qs) // 2]
        ax.plot(years, pct[mid], color=colour, lw=1.2, ls="--", label=f"{label} {mid:g} %")


def ensemble_figure(ds: xr.Dataset) -> Figure:
    """Plume figure of an ensemble (``member`` or ``percentile`` Dataset): GSAT and CO2 with
    shaded ranges between the outermost percentiles, the median where present, and
    observations. Raises before drawing when there is nothing to draw."""
    fig = Figure(figsize=(11, 4.4), layout="constrained")
    years = ds["year"].values
    panels = [v for v in ("gsat", "co2") if v in ds]
    if not panels:
        raise KeyError("plot_ensemble: the ensemble has neither gsat nor co2")
    for dim in ("percentile", "member"):
        if dim in ds.dims and ds.sizes[dim] == 0:
            raise ValueError(f"plot_ensemble: the ensemble has no {dim}s (size 0); nothing to draw")
    if "percentile" not in ds.dims and "member" not in ds.dims:
        raise ValueError(
            "plot_ensemble: the Dataset has neither a 'member' nor a 'percentile' dimension; "
            "pass the result of esm.ensemble (esm.plotting.plot_run draws a single run)"
        )
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, var in zip(axes, panels, strict=True):
        _plume(
            ax,
            years,
            ensemble_percentiles(ds, var),
            "tab:red" if var == "gsat" else "tab:blue",
            "model",
        )
        if var == "gsat" and _gsat_vs_preindustrial(ds):
            obs = _within(_obs.load("gmst"), ds)
            ax.plot(obs.index, obs["ar6_gmst"], color="k", lw=0.8, label="observed GMST (AR6)")
            _style(ax, "Global surface air temperature", "GSAT [K vs 1850-1900]")
        elif var == "co2":
            obs = _within(_obs.load("ghg_concentrations"), ds)
            ax.plot(obs.index, obs["co2"], ".", ms=2, color="k", label="observed (AR6 / IGCC)")
            _style(ax, "Atmospheric CO$_2$", "CO$_2$ [ppm]")
        else:
            _style(ax, "Global surface air temperature", "GSAT [K]")
        ax.set_xlabel("year")
        _legend(ax)
    n = ds.attrs.get("members", ds.sizes.get("member", "?"))
    fig.suptitle(
        f"esm ensemble: {ds.attrs.get('scenario', '')}, {n} members "
        f"({ds.attrs.get('parameter_source', '')})"
    )
    return fig


def plot_ensemble(ds: xr.Dataset, path: str | Path, dpi: int = 120) -> Path:
    """Save :func:`ensemble_figure` of ``ds`` to ``path``."""
    fig = ensemble_figure(ds)
    path = Path(path)
    fig.savefig(path, dpi=dpi)
    return path


# ------------------------------------------------------------------------------ budgets
_LIKELIHOOD_COLOURS = {
    0.17: "#e08214",
    0.33: "#a6761d",
    0.5: "#1a9850",
    0.67: "#2166ac",
    0.83: "#542788",
}  # noqa: E501


def _save(fig: Figure, path: str | Path, dpi: int) -> Path:
    """Save ``fig`` to ``path`` atomically (format from the suffix)."""
    from esm import io

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower() or "png"
    io.atomic_write(path, lambda tmp, cancel: fig.savefig(tmp, dpi=dpi, format=fmt))
    return path


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
        colour = _LIKELIHOOD_COLOURS.get(round(float(L), 2), "k")
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
    _style(ax, ds.attrs.get("title", "Remaining carbon budget"), "peak warming, K vs 1850-1900")
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
    _legend(ax, handles=shades + handles + markers, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    note = (
        f"{ds.attrs['members']} posterior members. Non-CO2 emissions follow the fossil-CO2 "
        "quantile of the shipped SSPs; peak warming over 2020-2100. Markers on the limit: "
        "the budget at each likelihood (colour)."
    )
    ax.text(
        1.02,
        0.0,
        textwrap.fill(note, 38),
        transform=ax.transAxes,
        fontsize=7,
        color="0.35",
        va="bottom",
    )
    return fig


def plot_budget(ds: xr.Dataset, path: str | Path, dpi: int = 120) -> Path:
    """Save :func:`budget_figure` of ``ds`` to ``path`` (atomically)."""
    return _save(budget_figure(ds), path, dpi)


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
    _style(ax, "Net CO2 path", "GtCO2/yr")
    _legend(ax, loc="upper right")
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
    _style(bx, "Peak warming of the members", "K vs 1850-1900")
    bx.set_xlabel("members")
    fig.suptitle(a.get("title", ""), fontsize=10)
    return fig


def plot_goal(ds: xr.Dataset, path: str | Path, dpi: int = 120) -> Path:
    """Save :func:`goal_figure` of ``ds`` to ``path`` (atomically)."""
    return _save(goal_figure(ds), path, dpi)
