"""Validation report: the default model against observations and assessments, as Markdown.

>>> from esm.report import write_report
>>> write_report("validation")          # doctest: +SKIP   (= ``esm validate --out validation``)

:func:`write_report` runs the emission-driven SSP2-4.5 history 1750-2022
(:func:`esm.validate.history_run`), the comparison with ``validation/targets.csv``
(:func:`esm.validate.history_checks`), the emergent metrics of the idealised experiments
(:func:`esm.metrics.table`), the flat10MIP experiments and the posterior assessment
(:func:`esm.validate.assessment`: the first 1000 posterior members against assessed ranges),
and writes ``report.md`` with the figures ``figures/*.png`` next to it.

Everything written is a function of the model and the shipped data only: no dates, paths or
machine names, numbers rounded to a fixed number of significant digits, PNGs without the
"Software" tag. Rerunning it on an unchanged model therefore gives the same ``report.md``
byte for byte (``tests/test_report.py`` checks the committed ``validation/report.md``), and on
the same matplotlib version the same PNGs. Figures are drawn on :class:`matplotlib.figure.Figure`
without ``pyplot`` (the user's backend is left alone).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from esm import diagnostics, metrics, observations, validate
from esm import experiments as X
from esm.constants import GTCO2_PER_GTC

#: Command that regenerates the committed report (the lead wires it to :func:`write_report`).
COMMAND = "esm validate --out validation"

#: Significant digits of model values (targets and ranges: at most this many, zeros stripped).
DIGITS = 4

#: Resolution of the PNG figures [dots per inch].
DPI = 110

#: Recent decade of the GSAT and carbon-budget comparisons (AR6 / GCB2021).
RECENT = (2011, 2020)

#: Decades of the sink comparison (GCB2021 sinks from the atmospheric-growth record, 1959 on).
DECADES = tuple((y, y + 9) for y in range(1960, 2020, 10))

#: Observed and modelled GSAT are compared over these years (AR6 GMST; HadCRUT5 to its end).
GSAT_YEARS = (1850, 2022)

#: AR6 likely range of TCRE [K per 1000 GtC] (SPM D.1.1, 0.27-0.63 K per 1000 GtCO2).
TCRE_LIKELY = (1.0, 2.3)

#: Figure file names, in the order of the report.
FIGURES = ("gsat", "concentrations", "erf_2019", "carbon_budget", "tcre", "assessment")

#: Figures stored with a 256-colour palette (large, flat colours only).
PALETTE_FIGURES = ("assessment",)

#: Target groups of the table (first matching prefix wins; metrics are grouped separately).
GROUPS = (
    ("Carbon budget (GCB2021)", ("gcb_",)),
    ("Concentrations", ("co2_", "ch4_", "n2o_")),
    ("Effective radiative forcing", ("erf_",)),
    ("Temperature", ("gsat_", "gmst_")),
    ("Heat uptake", ("ohc_", "earth_")),
)

#: ERF components of ``ar6_erf_2019.csv`` -> model variables summed (top to bottom in the plot).
ERF_COMPONENTS = (
    ("co2", ("erf_co2",)),
    ("ch4", ("erf_ch4",)),
    ("n2o", ("erf_n2o",)),
    ("halogens", ("erf_halogens",)),
    ("ozone", ("erf_ozone",)),
    ("h2o_stratospheric", ("erf_h2o_stratospheric",)),
    ("contrails", ("erf_contrails",)),
    ("bc_on_snow", ("erf_bc_on_snow",)),
    ("land_use", ("erf_land_use",)),
    ("aerosol_ari", ("erf_aerosol_ari",)),
    ("aerosol_aci", ("erf_aerosol_aci",)),
    ("aerosol", ("erf_aerosol",)),
    ("volcanic", ("erf_volcanic",)),
    ("solar", ("erf_solar",)),
    ("total_natural", ("erf_solar", "erf_volcanic")),
    ("total_anthropogenic", ("erf_anthropogenic",)),
    ("total", ("erf",)),
)

_KIND = {  # how a range is described in the text
    "likely": "likely",
    "very_likely": "very likely",
    "5-95": "5-95 %",
    "1sigma": "1σ",
    "range": "model range",
    "at_least": "at least",
    "at_most": "at most",
    "tolerance": "tolerance",
    "none": "no range",
}


# ------------------------------------------------------------------------------ formatting
def fmt(x: float, digits: int = DIGITS, strip: bool = False) -> str:
    """``x`` rounded to ``digits`` significant digits, in positional notation (no exponent).

    Trailing zeros are kept (a fixed number of digits) unless ``strip``. NaN gives "–".
    """
    x = float(x)
    if not math.isfinite(x):
        return "–"
    if x == 0.0:
        return "0"
    decimals = digits - 1 - math.floor(math.log10(abs(x)))
    r = round(x, decimals)
    if r != 0.0:  # rounding may add a digit (9.9996 -> 10.00)
        decimals = digits - 1 - math.floor(math.log10(abs(r)))
        r = round(x, decimals)
    text = f"{r:.{max(decimals, 0)}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.lstrip("-").strip("0.") == "":
        return "0"
    return text


def fmt_target(x: float) -> str:
    """A quoted target value or bound: up to :data:`DIGITS` significant digits."""
    return fmt(x, strip=True)


def fmt_range(low: float, high: float) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return "–"
    return f"{fmt_target(low)} to {fmt_target(high)}"


def fmt_fixed(x: float, decimals: int) -> str:
    """``x`` with a fixed number of decimals, for quantities that may be round-off zeros."""
    text = f"{round(float(x), decimals) + 0.0:.{decimals}f}"
    return text[1:] if text.lstrip("-").strip("0.") == "" and text.startswith("-") else text


def target_range(t: pd.Series) -> str:
    """Target value with its range, e.g. ``0.79 ± 0.07`` or ``3 [2.5, 4]`` (no kind)."""
    value, low, high, kind = t["target"], t["low"], t["high"], t["kind"]
    if not (np.isfinite(low) and np.isfinite(high)):
        return fmt_target(value)
    half = (high - low) / 2.0
    if kind in ("1sigma", "tolerance", "5-95") and math.isclose(low + half, value, rel_tol=1e-3):
        return f"{fmt_target(value)} ± {fmt(half, 3, strip=True)}"
    return f"{fmt_target(value)} [{fmt_target(low)}, {fmt_target(high)}]"


def describe_target(t: pd.Series) -> str:
    """Target value with its range and kind, e.g. ``0.79 ± 0.07 (1σ)``."""
    if not (np.isfinite(t["low"]) and np.isfinite(t["high"])):
        return fmt_target(t["target"])
    return f"{target_range(t)} ({_KIND.get(t['kind'], t['kind'])})"


def status(inside) -> str:
    if inside is True or inside is np.True_:
        return "✓"
    if inside is False or inside is np.False_:
        return "**✗ outside**"
    return "–"


_AUTHOR = re.compile(r"([A-Z][\w'\-]+), (?:[A-Z]\.[ -]?)+(et al\. )?\((\d{4})\)")
_AUTHOR_INLINE = re.compile(r"([A-Z][\w'\-]+) (et al\. )?\((\d{4})\)")
_ORG = re.compile(r"\(([A-Z]{2,}) (\d{4})\)")


def _first_reference(source: str) -> str | None:
    """The earliest author-year reference in ``source`` ("Arora et al. 2020", "IPCC 2021")."""
    found = []
    for pattern in (_AUTHOR, _AUTHOR_INLINE):
        for m in pattern.finditer(source):
            found.append((m.start(), f"{m.group(1)} {'et al. ' if m.group(2) else ''}{m.group(3)}"))
    found += [(m.start(), f"{m.group(1)} {m.group(2)}") for m in _ORG.finditer(source)]
    return min(found)[1] if found else None


def short_source(source: str) -> str:
    """First author and year of a ``targets.csv`` source ("Friedlingstein et al. 2022");
    "project" for acceptance bands set by this project; otherwise the first clause."""
    source = str(source).strip()
    ref = _first_reference(source)
    if source.lower().startswith("project"):
        return f"project, {ref}" if ref else "project"
    if ref:
        return ref
    return re.split(r"[(,;:]", source, maxsplit=1)[0].strip()


def _common_citation(sources: list[str]) -> str:
    """What the source texts of one reference have in common, cut at a clause boundary."""
    if len(sources) == 1:
        return sources[0]
    prefix = sources[0]
    for s in sources[1:]:
        n = 0
        while n < min(len(prefix), len(s)) and prefix[n] == s[n]:
            n += 1
        prefix = prefix[:n]
    ends_clause = all(len(s) == len(prefix) or s[len(prefix)] in ",;:( " for s in sources)
    if not ends_clause:  # cut at the last clause boundary, preferring "; " and ": "
        cut = max(prefix.rfind("; "), prefix.rfind(": "))
        if cut <= 0:
            cut = max(prefix.rfind(", "), prefix.rfind(" ("))
        prefix = prefix[:cut] if cut > 0 else prefix
    return prefix.rstrip(" ,;:(")


def _md_table(header: Iterable[str], rows: Iterable[Iterable[str]], align: str) -> list[str]:
    """Markdown table lines; ``align`` has one of ``l``/``r``/``c`` per column."""
    marks = {"l": ":---", "r": "---:", "c": ":---:"}
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(marks[a] for a in align) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return lines


def _group(name: str) -> str:
    if name in validate.METRIC_CHECKS:
        return "Emergent metrics (idealised experiments)"
    for title, prefixes in GROUPS:
        if name.startswith(prefixes):
            return title
    return "Other"


# ------------------------------------------------------------------------------ inputs
def collect(members: int = validate.ASSESSMENT_MEMBERS) -> dict:
    """Everything the report shows: the history run, the target and metric tables, the
    flat10MIP / esm-1pctCO2 runs for the TCRE figure, the targets' sources, and the posterior
    assessment over the first ``members`` posterior members."""
    ds = validate.history_run()
    checks = validate.history_checks(ds)
    sources = observations.load("targets")["source"]
    checks = checks.assign(source=[sources.get(n, "") for n in checks.index])
    variables = ["gsat", "cumulative_emissions_co2", "emissions_co2_fossil"]
    runs = {
        name: X.run(name, variables=variables)
        for name in ("esm-1pctCO2", "esm-flat10", "esm-flat10-zec", "esm-flat10-cdr")
    }
    return {
        "history": ds,
        "checks": checks,
        "metrics": metrics.table(),
        "experiments": runs,
        **_ensemble_tables(members),
    }


def _ensemble_tables(members: int) -> dict:
    values = validate.member_values(members)
    return {
        "assessment": validate.assessment(members, values=values),
        "acceptance": validate.acceptance(members, values=values),
        "permafrost": values[
            [f"permafrost_co2_per_k_{ssp}" for ssp in validate.PERMAFROST_SSPS]
        ].describe(percentiles=[0.05, 0.5, 0.95]),
    }


# ------------------------------------------------------------------------------ figures
def _style(ax, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, lw=0.4, alpha=0.5)
    ax.tick_params(labelsize=8.5)


def _legend(ax, **kwargs) -> None:
    style = {"fontsize": 8, "loc": "upper left", "framealpha": 0.85, "edgecolor": "none"}
    ax.legend(**{**style, **kwargs})


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
    ax.plot(model["year"], model, color="tab:red", lw=2.0, label="model GSAT (emission-driven)")
    ax.axhline(0, color="k", lw=0.6)
    # 2011-2020: AR6 very likely range as a box, means as horizontal bars
    r = checks.loc["gsat_2011_2020"]
    ax.fill_between([RECENT[0], RECENT[1]], r["low"], r["high"], color="0.5", alpha=0.3, lw=0,
                    label=f"AR6 {RECENT[0]}-{RECENT[1]}: {fmt_target(r['target'])} "
                    f"[{fmt_target(r['low'])}-{fmt_target(r['high'])}] K")  # fmt: skip
    ax.hlines(r["target"], *RECENT, color="k", lw=2.2)
    ax.hlines(r["model"], *RECENT, color="tab:red", lw=2.2, linestyles=":")
    ax.annotate(f"{RECENT[0]}-{RECENT[1]} mean\nmodel {fmt(r['model'], 3)} K\n"
                f"AR6 {fmt_target(r['target'])} ({fmt_target(r['low'])}-"
                f"{fmt_target(r['high'])}) K",
                xy=(RECENT[0], r["high"]), xytext=(1948, 1.12), fontsize=8, va="center",
                arrowprops={"arrowstyle": "->", "color": "0.3", "lw": 0.8},
                bbox={"boxstyle": "round", "fc": "white", "ec": "0.6"})  # fmt: skip
    rmse = checks["model"].get("gmst_rmse_1850_2020")
    title = "Global surface temperature, model vs observations"
    if rmse is not None:
        title += f" (RMSE 1850-2020: {fmt(rmse, 3)} K)"
    _style(ax, title, "year", "temperature anomaly [K vs 1850-1900]")
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
        ax.plot(years, ds[var], color="tab:red", lw=1.8, label="model (emission-driven)")
        for source, marker, colour in (("AR6 Annex III", "o", "k"), ("IGCC 2024", "s", "tab:blue")):
            o = obs.loc[obs["source"] == source, var]
            ax.plot(o.index, o.values, marker, ms=2.0, color=colour, ls="none",
                    label=f"{source} ({o.index.min()}-{o.index.max()})")  # fmt: skip
        m19, o19 = float(ds[var].sel(year=2019)), float(obs.loc[2019, var])
        ax.text(0.03, 0.60, f"2019 model: {fmt(m19):>6} {units}\n2019 obs.:  {fmt(o19):>6} {units}",
                transform=ax.transAxes, fontsize=8, family="monospace", va="top",
                bbox={"boxstyle": "round", "fc": "white", "ec": "0.6"})  # fmt: skip
        _style(ax, label, "year", f"{label} [{units}]")
        _legend(ax)
    fig.suptitle("Atmospheric concentrations, emission-driven model vs observations", fontsize=11)
    return fig


def erf_2019_table(ds: xr.Dataset) -> pd.DataFrame:
    """AR6 ERF 2019 (best, p05, p95) and the model value for each component of
    :data:`ERF_COMPONENTS` that the AR6 table has."""
    ar6 = observations.load("ar6_erf_2019")
    rows = []
    for comp, names in ERF_COMPONENTS:
        if comp not in ar6.index or not all(n in ds for n in names):
            continue
        model = float(sum(ds[n].sel(year=2019) for n in names))
        rows.append({"component": comp, "model": model, **ar6.loc[comp].to_dict()})
    df = pd.DataFrame(rows).set_index("component")
    df["inside"] = (df["p05"] <= df["model"]) & (df["model"] <= df["p95"])
    return df


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
    _style(ax, "Effective radiative forcing 2019 vs 1750", "ERF [W m$^{-2}$]", "")
    ax.grid(True, axis="x", lw=0.4, alpha=0.5)
    ax.grid(False, axis="y")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=3, fontsize=8,
              frameon=False)  # fmt: skip
    return fig


def decadal_sinks(ds: xr.Dataset) -> pd.DataFrame:
    """Decadal mean ocean and land sinks [GtC/yr], model and GCB2021, for :data:`DECADES`."""
    gcb = observations.load("gcb2021_budget")
    rows = []
    for a, b in DECADES:
        row = {"decade": f"{a}s"}
        for var in ("ocean_sink", "land_sink"):
            row[f"model_{var}"] = float(ds[var].sel(year=slice(a, b)).mean())
            row[f"gcb_{var}"] = float(gcb[var].loc[a:b].mean())
        rows.append(row)
    return pd.DataFrame(rows).set_index("decade")


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
    colours = ("0.35", "tab:orange", "tab:blue", "tab:green")
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
    ax_a.legend(handles=handles, fontsize=8, loc="upper right", framealpha=0.85, edgecolor="none")
    _style(ax_a, f"(a) Carbon budget {RECENT[0]}-{RECENT[1]} (share of emissions)", "",
           "GtC yr$^{-1}$")  # fmt: skip
    ax_a.grid(False, axis="x")

    dec = decadal_sinks(ds)
    xd = np.arange(len(dec))
    w = 0.2
    for j, (var, colour, label) in enumerate(
        (("ocean_sink", "tab:blue", "ocean"), ("land_sink", "tab:green", "land"))
    ):
        off = (2 * j - 1) * w
        ax_b.bar(xd + off - w / 2, dec[f"model_{var}"], w, color=colour, alpha=0.9,
                 edgecolor="k", lw=0.5, label=f"{label} sink, model")  # fmt: skip
        ax_b.bar(xd + off + w / 2, dec[f"gcb_{var}"], w, color=colour, alpha=0.4, hatch="//",
                 edgecolor="k", lw=0.5, label=f"{label} sink, GCB2021")  # fmt: skip
    ax_b.set_xticks(xd, list(dec.index))
    _style(ax_b, "(b) Decadal mean sinks", "decade", "GtC yr$^{-1}$")
    ax_b.grid(False, axis="x")
    _legend(ax_b)
    ax_b.set_ylim(0, float(dec.to_numpy().max()) * 1.35)
    return fig


def _historical_tcre(ds: xr.Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative CO2 emissions since 1850 [GtC] and GSAT [K] of the history run."""
    cum = ds["cumulative_emissions_co2"]
    since = cum.sel(year=slice(1850, None)) - float(cum.sel(year=1849))
    return since.values, ds["gsat"].sel(year=slice(1850, None)).values


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
    hist_e, hist_t = _historical_tcre(ds)
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
    _style(ax_a, "(a) Warming vs cumulative CO$_2$ emissions",
           "cumulative CO$_2$ emissions [GtC]", "GSAT [K vs pre-industrial]")  # fmt: skip
    flat = [float(r["cumulative_emissions_co2"].max()) for k, r in runs.items() if "flat10" in k]
    zoom = math.ceil((max(flat) if flat else 1000.0) * 1.2 / 100.0) * 100.0
    _tcre_panel(ax_b, ds, runs, tcre, zoom)
    ax_b.set_ylim(-0.3, TCRE_LIKELY[1] * zoom / 1000 * 0.75)
    _style(ax_b, f"(b) Zoom to 0-{zoom:.0f} GtC: flat10 and its branches",
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

_POSTERIOR_COLOUR = "tab:blue"
_POSTERIOR_FILL = "#a6c8e6"  # opaque (smaller PNG than a transparent fill)
_ASSESSED_COLOUR = "0.15"


def _assessment_row(ax, y: float, r: pd.Series, scale) -> None:
    """Posterior box-whisker above ``y`` and the assessed range below it."""
    dy, h = 0.2, 0.26
    p5, p17, p50, p83, p95 = (scale(r[c]) for c in metrics.PERCENTILE_COLUMNS)
    c = _POSTERIOR_COLOUR
    ax.plot([p5, p95], [y + dy] * 2, color=c, lw=1.3, solid_capstyle="butt", zorder=3)
    ax.plot([p5, p5], [y + dy - h / 3, y + dy + h / 3], color=c, lw=1.3, zorder=3)
    ax.plot([p95, p95], [y + dy - h / 3, y + dy + h / 3], color=c, lw=1.3, zorder=3)
    ax.add_patch(Rectangle((p17, y + dy - h / 2), p83 - p17, h, facecolor=_POSTERIOR_FILL,
                           edgecolor=c, lw=0.9, zorder=4))  # fmt: skip
    ax.plot([p50, p50], [y + dy - h / 2, y + dy + h / 2], color="navy", lw=2.0, zorder=5)
    a = _ASSESSED_COLOUR
    value, low, high, kind = scale(r["value"]), scale(r["low"]), scale(r["high"]), r["kind"]
    ya = y - dy
    if not (np.isfinite(low) and np.isfinite(high)):
        ax.plot(value, ya, "D", color=a, ms=5.5, zorder=5)
        return
    if kind in ("likely", "1sigma"):  # a 66-68 % range: drawn like the 17-83 % box
        ax.add_patch(Rectangle((low, ya - h / 2), high - low, h, facecolor="0.75",
                               edgecolor=a, lw=0.9, zorder=4))  # fmt: skip
    else:  # 5-95 % / very likely (solid), model range or tolerance band (dashed)
        style = "-" if kind in ("very_likely", "5-95") else (0, (3, 2))
        ax.plot([low, high], [ya] * 2, color=a, lw=1.3, ls=style, zorder=3)
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
    ax.set_title(title, loc="left", fontsize=9.5, fontweight="bold")
    ax.set_xlabel(xlabel, fontsize=8.5)
    ax.grid(True, axis="x", lw=0.4, alpha=0.5)
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
        Patch(facecolor=_POSTERIOR_FILL, edgecolor=_POSTERIOR_COLOUR,
              label=f"posterior ({n} members): box 17-83 %, whisker 5-95 %, bar median"),
        Patch(facecolor="0.75", edgecolor=_ASSESSED_COLOUR,
              label="assessed likely or ±1σ (bar: best estimate or mean)"),
        Line2D([], [], color=_ASSESSED_COLOUR, lw=1.3, label="assessed very likely / 5-95 %"),
        Line2D([], [], color=_ASSESSED_COLOUR, lw=1.3, ls=(0, (3, 2)),
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


def _save(fig: Figure, path: Path, dpi: int, palette: bool = False) -> Path:
    """Save a PNG without the "Software" tag; ``palette`` stores it with 256 colours (a
    third of the size for figures of flat colours, lines and text)."""
    if not palette:
        fig.savefig(path, dpi=dpi, metadata={"Software": None})
        return path
    import io

    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    buf.seek(0)
    with Image.open(buf) as im:
        rgb = im.convert("RGB")
    rgb.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, format="png", optimize=True
    )
    return path


# ------------------------------------------------------------------------------ text
def _tcre_linearity(runs: dict[str, xr.Dataset], values: pd.Series) -> list[str]:
    lines = []
    spread_1pct = values.get("tcre_spread_1pct", np.nan)
    spread_flat = values.get("tcre_spread_flat10", np.nan)
    lines.append(
        f"**TCRE linearity.** The model TCRE is {fmt(values['tcre'], 3)} K per 1000 GtC "
        f"(1pctCO2, years 61-80; AR6 likely range {TCRE_LIKELY[0]:.1f}-{TCRE_LIKELY[1]:.1f}). "
        "The ratio of warming to cumulative emissions, wherever cumulative emissions exceed "
        f"200 GtC, varies by {fmt(100 * spread_1pct, 3)} % of its mean along esm-1pctCO2 "
        f"(years 20-140; `tcre_spread_1pct` = {fmt(spread_1pct, 3)}) and by "
        f"{fmt(100 * spread_flat, 3)} % along esm-flat10 (years 20-100; `tcre_spread_flat10` "
        f"= {fmt(spread_flat, 3)})."
    )
    change = values.get("tcre_change_flat10", np.nan)
    if np.isfinite(change):
        lines[-1] += (
            " From the year esm-flat10 reaches 200 GtC to the year it reaches 1000 GtC the ratio "
            f"changes by {fmt_fixed(100 * change, 1)} % (`tcre_change_flat10` = "
            f"{fmt(change, 3)})."
        )
    one = runs.get("esm-1pctCO2")
    if one is not None:
        cum, t = one["cumulative_emissions_co2"].values, one["gsat"].values
        pts = [g for g in (500.0, 1000.0, 2000.0, 3000.0) if g <= cum.max()]
        ratios = [f"{fmt(1000 * np.interp(g, cum, t) / g, 3)} at {g:.0f} GtC" for g in pts]
        lines[-1] += " Along esm-1pctCO2 the ratio is " + ", ".join(ratios) + " (K per 1000 GtC)."
    zec, cdr = runs.get("esm-flat10-zec"), runs.get("esm-flat10-cdr")
    flat = runs.get("esm-flat10")
    if flat is not None and zec is not None:
        t100 = float(flat["gsat"][-1])
        lines[-1] += (
            f" After esm-flat10 stops at {fmt(float(flat['cumulative_emissions_co2'][-1]), 3)} "
            f"GtC and {fmt(t100, 3)} K, esm-flat10-zec ends "
            f"{zec.sizes['year'] - flat.sizes['year']} years later at "
            f"{fmt(float(zec['gsat'][-1]), 3)} K "
            f"(ZEC50 of esm-1pct-brch-1000PgC: {fmt(values['zec50'], 3)} K)"
        )
        if cdr is not None:
            lines[-1] += (
                "; esm-flat10-cdr, which removes the carbon again (cumulative emissions "
                f"{fmt_fixed(float(cdr['cumulative_emissions_co2'][-1]), 0)} GtC at its end), "
                f"ends at {fmt_fixed(float(cdr['gsat'][-1]), 3)} K"
            )
        lines[-1] += "."
    return lines


def _ecs_paragraph(values: pd.Series) -> list[str]:
    ecs, greg = values["ecs"], values.get("ecs_gregory", np.nan)
    cmip = observations.load("cmip6_models")
    text = (
        f"**ECS.** The EBM-analytic ECS (−F2x/λ of the three-layer model) is {fmt(ecs, 3)} K; "
        f"the Gregory estimate from years 1-150 of abrupt-4xCO2 (halved), which is how CMIP6 ECS "
        f"values are derived, is {fmt(greg, 3)} K ({round(100 * (greg / ecs - 1), 1) + 0.0:+.1f} % "
        "relative to the EBM value)."
    )
    e = cmip["ecs"].dropna()
    if len(e):
        below = int((e < ecs).sum())
        text += (
            f" Of the {len(e)} CMIP6 models with a Gregory ECS (Schlund et al. 2020), {below} lie "
            f"below the model's EBM value (CMIP6 median {fmt(float(e.median()), 3)} K, range "
            f"{fmt(float(e.min()), 3)}-{fmt(float(e.max()), 3)} K)."
        )
    t = cmip["tcr"].dropna()
    if len(t) and "tcr" in values:
        text += (
            f" TCR is {fmt(values['tcr'], 3)} K (CMIP6 median {fmt(float(t.median()), 3)} K, "
            f"{len(t)} models)."
        )
    return [text]


def _assessed(r: pd.Series) -> str:
    """The assessed or multi-model value and range of an assessment row, with its kind."""
    t = pd.Series({"target": r["value"], "low": r["low"], "high": r["high"], "kind": r["kind"]})
    text = describe_target(t)
    if np.isfinite(r["likely_low"]) and np.isfinite(r["likely_high"]):
        text += f"; likely {fmt_range(r['likely_low'], r['likely_high'])}"
    return text


def _fmt_pct(x: float) -> str:
    """A percentile: 3 significant digits, but every digit before the decimal point."""
    if not np.isfinite(x) or x == 0.0:
        return fmt(x)
    return fmt(x, max(3, math.floor(math.log10(abs(x))) + 1))


def acceptance_section(table: pd.DataFrame, permafrost: pd.DataFrame) -> list[str]:
    """The report section of :func:`esm.validate.acceptance` and the permafrost release."""
    n = table.attrs.get("members", "")
    met = int(table["met"].sum())
    body = []
    for name, r in table.iterrows():
        lo, hi = r["low"], r["high"]
        if np.isfinite(lo) and np.isfinite(hi):
            bound = fmt_range(lo, hi)
        elif np.isfinite(lo):
            bound = f"≥ {fmt_target(lo)}"
        else:
            bound = f"≤ {fmt_target(hi)}"
        body.append(
            (f"`{name}`", r["description"], fmt(r["value"]), bound, r["units"],
             "met" if r["met"] else "**missed**")
        )  # fmt: skip
    L = [
        "## Acceptance targets of the ensemble",
        "",
        f"The project's targets for the shipped posterior (`esm.validate.acceptance({n})`, "
        f"rows `posterior_*` and `default_*` of `validation/targets.csv`): {met} of "
        f"{len(table)} met. None of these quantities is fitted by the calibration except "
        "where they coincide with a constraint (the 2019 concentrations and ECS / TCR).",
        "",
    ]
    L += _md_table(("target", "what", "model", "bound", "units", "status"), body, "llrrll")
    pf = permafrost.loc[["5%", "50%", "95%"]]
    rows = [
        (
            validate.SSPS[col.rsplit("_", 1)[-1]],
            *(fmt(pf.loc[q, col], 3) for q in ("5%", "50%", "95%")),
        )
        for col in pf.columns
    ]
    L += [
        "",
        "Permafrost CO2 released 2020-2100 per degree of warming in 2100 (vs 1850-1900), "
        f"first {n} posterior members, PgC/K, against the AR6 assessment of 18 (3.1-41) PgC/K "
        "(Canadell et al. 2021, Section 5.4.9; `ar6_permafrost_co2_per_k`):",
        "",
    ]
    L += _md_table(("scenario", "p5", "p50", "p95"), rows, "lrrr")
    L.append("")
    return L


def assessment_section(table: pd.DataFrame) -> list[str]:
    """The report section of :func:`esm.validate.assessment`: text, table and figure."""
    n = table.attrs.get("members", "")
    cal = table["calibrated"].astype(bool)
    inside = table["median_inside"]

    def count(mask) -> str:
        ranged = inside[mask].dropna()
        return f"{int((ranged == True).sum())} of {len(ranged)}"  # noqa: E712

    L = [
        "## Posterior assessment",
        "",
        f"The calibrated ensemble against assessed and multi-model ranges "
        f"(`esm.validate.assessment({n})`). Percentiles are over the first {n} members of the "
        "shipped posterior (`esm/params/posterior.csv`), unweighted: the members were drawn "
        "from the weighted calibration, so each counts once. The SSP quantities and the "
        "history come from emission-driven runs 1750-2100 (SSP2-4.5 history as above); ECS to "
        "the airborne fraction from the idealised experiments (`esm.metrics.table(members="
        f"{n})`). *Calibrated* quantities are constraints of the posterior "
        "(`validation/calibrate_posterior.py`; the constraint is named), so agreement there is "
        "by construction; *validation* quantities were not fitted.",
        "",
        f"The posterior median lies inside the assessed range for {count(~cal)} "
        f"validation-only and {count(cal)} calibrated quantities that have a range. The 5-95 % "
        "range compares with very likely / 5-95 % ranges, the 17-83 % range with likely and "
        "±1σ ranges; model ranges (min-max of a model ensemble) and project tolerances are not "
        "probabilities.",
        "",
    ]
    header = ("quantity", "role", "p5", "p17", "p50", "p83", "p95", "assessed", "units",
              "source")  # fmt: skip
    for group, rows in table.groupby("group", sort=False):
        body = []
        for name, r in rows.iterrows():
            role = f"calibrated: {r['constraint']}" if r["calibrated"] else "validation"
            body.append(
                (f"`{name}`", role, *(_fmt_pct(r[c]) for c in metrics.PERCENTILE_COLUMNS),
                 _assessed(r), r["units"], f"{short_source(r['source'])}, `{r['target']}`")
            )  # fmt: skip
        L += [f"### {group}", ""] + _md_table(header, body, "llrrrrrlll") + [""]
    L += [
        "![posterior vs assessed ranges](figures/assessment.png)",
        "",
        "Posterior (blue: box 17-83 %, whisker 5-95 %, bar median) next to the assessed range "
        "(grey box: likely or ±1σ; solid whisker: very likely or 5-95 %; dashed: model range or "
        "project tolerance; diamond: a value without a range). * marks calibration targets. "
        "The 2019 concentrations are shown as the deviation from the observed value. The CMIP6 "
        "CO2 of 2100 is the concentration prescribed to the concentration-driven CMIP6 runs "
        "(Meinshausen et al. 2020), not an assessed range.",
        "",
    ]
    return L


def outside_targets(checks: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`esm.validate.history_checks` whose model value lies outside the range."""
    return checks.loc[checks["inside"].map(lambda v: v is False or v is np.False_)]


def known_limit(name: str, r: pd.Series) -> str:
    """One line of the known-limits section."""
    above = r["model"] > r["high"]
    gap = r["model"] - r["high"] if above else r["low"] - r["model"]
    metric = validate.METRIC_CHECKS.get(name)
    what = f"`{name}`" + (f" (metric `{metric}`)" if metric else "")
    kind = _KIND.get(r["kind"], r["kind"])
    reason = _LIMIT_REASONS.get(name)
    return (
        f"- {what}: model {fmt(r['model'])} {r['units']} vs {target_range(r)} {r['units']} "
        f"({kind}, {short_source(r['source'])}); {fmt(gap, 2)} {r['units']} "
        f"{'above the upper' if above else 'below the lower'} bound."
        + (f" {reason()}" if reason else "")
    )


def _erf_2xco2_reason() -> str:
    from esm import params

    scale = params.defaults()["erf_scale_co2"]
    return (
        "The tolerance checks the Meinshausen et al. (2020) formula with the 5 % adjustment at "
        f"a CO2 forcing scale of 1; the default parameter set (the posterior's central member) "
        f"has `erf_scale_co2` = {fmt(scale)}, inside its AR6-based prior (sd 0.073)."
    )


#: Why a known limit is outside its range (where the reason is known), by target name.
_LIMIT_REASONS = {"erf_2xco2": _erf_2xco2_reason}


def markdown(data: dict) -> str:
    """The report text (Markdown) from :func:`collect`'s results."""
    import esm
    from esm import params

    ds, checks, mt, runs = data["history"], data["checks"], data["metrics"], data["experiments"]
    values = mt["value"]
    years = ds["year"].values
    n_in = int(checks["inside"].map(lambda v: v is True or v is np.True_).sum())
    out = outside_targets(checks)
    n_none = len(checks) - n_in - len(out)
    L: list[str] = []

    # ---- header
    L += [
        "# esm validation report",
        "",
        f"Generated by `{COMMAND}` (`esm.report.write_report`); do not edit by hand. "
        "Rerunning it on an unchanged model reproduces this file byte for byte "
        "(`tests/test_report.py` checks that).",
        "",
        f"- **Model**: esm {esm.__version__}, default parameters "
        f"({len(params.table())} parameters, listed by `esm.params.table()`).",
        f"- **Run**: emission-driven SSP2-4.5 history {years[0]}-{years[-1]} "
        "(`esm.validate.history_run()`): CO2 emissions of GCB2021 to 2020, then SSP2-4.5; the "
        "other species from the harmonised CMIP6 history of fair-calibrate v1.4.1; solar and "
        "volcanic forcing from fair-calibrate v1.4.1 (`forcings/README.md`).",
        "- **Metrics**: idealised experiments from the pre-industrial steady state "
        "(1pctCO2, 1pctCO2-bgc, abrupt-4xCO2, esm-1pctCO2, esm-1pct-brch-1000PgC, esm-flat10; "
        "`esm.metrics.table()`), plus esm-flat10-zec and esm-flat10-cdr for the TCRE figure.",
        "- **Posterior**: the first members of the shipped posterior against assessed and "
        "multi-model ranges (section *Posterior assessment*, `esm.validate.assessment()`).",
        "- **Targets**: `validation/targets.csv` (observations and assessments; sources at the "
        "end). Model values are rounded to "
        f"{DIGITS} significant digits; the status uses the unrounded value.",
        "",
    ]

    # ---- summary and targets table
    L += [
        "## Summary",
        "",
        f"**{n_in} of {n_in + len(out)} targets with a range are inside it; {len(out)} "
        f"outside**"
        + (f" ({', '.join(f'`{n}`' for n in out.index)})" if len(out) else "")
        + f"; {n_none} targets have no range and are shown for information.",
        "",
        "✓ inside the range, **✗ outside** outside it, – no range. Kinds of range: likely "
        "(IPCC 66 %), very likely (IPCC 5-95 %), 5-95 (percentiles of a distribution), 1sigma "
        "(± one standard deviation), range (model ensemble min-max), tolerance (project "
        "acceptance band).",
        "",
    ]
    header = ("target", "model", "target value", "range", "kind", "units", "status", "source")
    groups: dict[str, list[str]] = {}
    for name in checks.index:
        groups.setdefault(_group(name), []).append(name)
    for title, names in groups.items():
        rows = []
        for name in names:
            r = checks.loc[name]
            bad = r["inside"] is False or r["inside"] is np.False_
            label = f"**`{name}`**" if bad else f"`{name}`"
            rows.append((
                label, fmt(r["model"]), fmt_target(r["target"]), fmt_range(r["low"], r["high"]),
                r["kind"], r["units"], status(r["inside"]), short_source(r["source"]),
            ))  # fmt: skip
        L += [f"### {title}", ""] + _md_table(header, rows, "lrrrllcl") + [""]

    # ---- figures
    c = checks
    gsat = c.loc["gsat_2011_2020"] if "gsat_2011_2020" in c.index else None
    model_b = diagnostics.carbon_budget(ds, *RECENT)
    gcb_b = observations.gcb_budget(*RECENT)
    erf = erf_2019_table(ds)
    L += ["## Figures", ""]
    L += ["### Surface temperature", "", "![GSAT vs observed GMST](figures/gsat.png)", ""]
    if gsat is not None:
        L += [
            f"Modelled GSAT against the AR6 assessed GMST (1850-2020) and HadCRUT5. "
            f"{RECENT[0]}-{RECENT[1]} mean: model {fmt(gsat['model'], 3)} K, AR6 "
            f"{target_range(gsat)} K ({_KIND.get(gsat['kind'], gsat['kind'])}).",
            "",
        ]
    L += ["### Concentrations", "", "![CO2, CH4, N2O](figures/concentrations.png)", ""]
    conc = [n for n in ("co2_2019", "ch4_2019", "n2o_2019") if n in c.index]
    L += [
        "Emission-driven concentrations against AR6 WGI Annex III (to 2019) and IGCC 2024 "
        "(2020 on). In 2019: "
        + ", ".join(f"{n[:3].upper()} {fmt(c.loc[n, 'model'])} {c.loc[n, 'units']} "
                    f"(observed {fmt_target(c.loc[n, 'target'])})" for n in conc) + ".",
        "",
    ]  # fmt: skip
    L += ["### Effective radiative forcing in 2019", "", "![ERF 2019](figures/erf_2019.png)", ""]
    L += [
        "AR6 best estimates with 5-95 % ranges (Forster et al. 2021) and the model. "
        + (f"All {len(erf)} components lie inside the AR6 range." if erf["inside"].all() else
           f"{int(erf['inside'].sum())} of {len(erf)} components lie inside the AR6 range; "
           "outside: " + ", ".join(f"`{k}`" for k in erf.index[~erf["inside"]]) + ".")
        + f" Total anthropogenic ERF: model {fmt(erf.loc['total_anthropogenic', 'model'], 3)}, "
        f"AR6 {fmt(erf.loc['total_anthropogenic', 'best'], 3)} W m-2.",
        "",
    ]  # fmt: skip
    L += ["### Carbon budget", "", "![carbon budget](figures/carbon_budget.png)", ""]
    shares = ", ".join(
        f"{label} {100 * model_b[k]:.0f} % ({100 * gcb_b[k]:.0f} %)"
        for k, label in (("airborne_fraction", "airborne"), ("ocean_fraction", "ocean"),
                         ("land_fraction", "land"))
    )  # fmt: skip
    dec = decadal_sinks(ds)
    ratio = {
        v: (dec[f"model_{v}"].iloc[-1] / dec[f"model_{v}"].iloc[0],
            dec[f"gcb_{v}"].iloc[-1] / dec[f"gcb_{v}"].iloc[0])
        for v in ("ocean_sink", "land_sink")
    }  # fmt: skip
    L += [
        f"(a) {RECENT[0]}-{RECENT[1]} means, model vs GCB2021 (Friedlingstein et al. 2022), "
        f"shares of emissions model (GCB2021): {shares}. (b) Decadal means of the sinks; from "
        f"the {dec.index[0]} to the {dec.index[-1]} the ocean sink grows ×"
        f"{fmt(ratio['ocean_sink'][0], 3)} in the model "
        f"(GCB2021 ×{fmt(ratio['ocean_sink'][1], 3)})"
        f" and the land sink ×{fmt(ratio['land_sink'][0], 3)} "
        f"(GCB2021 ×{fmt(ratio['land_sink'][1], 3)}).",
        "",
    ]
    L += ["### Warming vs cumulative emissions", "", "![TCRE](figures/tcre.png)", ""]
    hist_e, hist_t = _historical_tcre(ds)
    L += [
        "GSAT against cumulative CO2 emissions in the emission-driven idealised experiments "
        "(CO2 only) and in the history (all forcings, cumulative emissions since 1850: "
        f"{fmt(hist_e[-1], 3)} GtC and {fmt(hist_t[-1], 3)} K in {years[-1]}). The dashed line "
        "is the model TCRE, the band the AR6 likely range.",
        "",
    ]

    # ---- metrics
    L += ["## Emergent metrics", "", "From the idealised experiments (`esm.metrics.table()`).", ""]
    targets = observations.load("targets")
    rows = []
    for name, r in mt.iterrows():
        tname = r.get("target", "") or ""
        if isinstance(tname, float):
            tname = ""
        ref = "–"
        if tname and tname in targets.index:
            t = targets.loc[tname]
            tr = pd.Series({"target": t["value"], "low": t["low"], "high": t["high"],
                            "kind": t["kind"]})  # fmt: skip
            ref = f"{describe_target(tr)}, `{tname}`"
        rows.append((f"`{name}`", fmt(r["value"]), r["units"], ref, status(r.get("inside")),
                     r["meaning"]))  # fmt: skip
    L += _md_table(("metric", "model", "units", "target", "status", "meaning"), rows, "lrllcl")
    L += [""] + _tcre_linearity(runs, values) + [""] + _ecs_paragraph(values) + [""]

    # ---- posterior assessment
    if "assessment" in data:
        L += assessment_section(data["assessment"])
    if "acceptance" in data:
        L += acceptance_section(data["acceptance"], data["permafrost"])

    # ---- known limits
    L += ["## Known limits", ""]
    if len(out):
        L += [f"Targets outside their range ({len(out)}):", ""]
        L += [known_limit(name, r) for name, r in out.iterrows()]
    else:
        L += ["None: every target with a range is inside it."]
    L += [""]

    # ---- sources
    L += ["## Sources", ""]
    by_key: dict[str, list[str]] = {}
    users: dict[str, list[str]] = {}
    sources = dict(checks["source"].items())
    if "assessment" in data:
        a = data["assessment"]
        for name in dict.fromkeys(a["target"]):
            sources.setdefault(name, a.loc[a["target"] == name, "source"].iloc[0])
    by_text: dict[str, list[str]] = {}
    for name, s in sources.items():
        key = short_source(s)
        if s not in by_key.setdefault(key, []):
            by_key[key].append(s)
        users.setdefault(key, []).append(name)
        by_text.setdefault(s, []).append(name)
    for key, texts in by_key.items():
        cite = _common_citation(texts)
        if key == "project":
            cite = "acceptance bands set by the esm project (see the `source` column of "
            cite += "`validation/targets.csv`)"
        elif not cite:  # one reference cited by unrelated texts: list each text
            for text in texts:
                names = ", ".join(f"`{n}`" for n in by_text[text])
                L.append(f"- **{key}**: {text.rstrip('.')}. Targets: {names}.")
            continue
        L.append(f"- **{key}**: {cite}. Targets: {', '.join(f'`{n}`' for n in users[key])}.")
    L += [
        "- **Schlund et al. 2020**: Schlund, M. et al. (2020), Earth Syst. Dynam. 11, 1233-1258, "
        "doi:10.5194/esd-11-1233-2020 (CMIP6 ECS and TCR in `validation/cmip6_models.csv`).",
        "- **HadCRUT5**: Morice, C. P. et al. (2021), J. Geophys. Res. Atmos. 126, e2019JD032361, "
        "doi:10.1029/2019JD032361; **IGCC 2024**: Forster, P. M. et al. (2025), ESSD "
        "(observations in the figures; see `validation/README.md`).",
        "",
    ]
    return "\n".join(L)


# ------------------------------------------------------------------------------ entry point
def write_report(
    out_dir: str | Path = "validation",
    *,
    dpi: int = DPI,
    members: int = validate.ASSESSMENT_MEMBERS,
) -> Path:
    """Write ``out_dir/report.md`` and ``out_dir/figures/*.png``; return the report's path.

    ``esm validate --out DIR`` calls this. The report compares the default model with every
    target of ``validation/targets.csv`` and the first ``members`` members of the shipped
    posterior with the assessed ranges (see the module docstring).
    """
    out = Path(out_dir)
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    data = collect(members)
    ds, checks = data["history"], data["checks"]
    tcre = float(data["metrics"].loc["tcre", "value"])
    figures = {
        "gsat": lambda: figure_gsat(ds, checks),
        "concentrations": lambda: figure_concentrations(ds),
        "erf_2019": lambda: figure_erf_2019(ds),
        "carbon_budget": lambda: figure_carbon_budget(ds, checks),
        "tcre": lambda: figure_tcre(ds, data["experiments"], tcre),
        "assessment": lambda: figure_assessment(data["assessment"]),
    }
    for name in FIGURES:
        _save(figures[name](), fig_dir / f"{name}.png", dpi, palette=name in PALETTE_FIGURES)
    path = out / "report.md"
    path.write_text(markdown(data), encoding="utf-8", newline="\n")
    return path
