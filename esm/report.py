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
the same matplotlib version the same PNGs. The figures are drawn by :mod:`esm.figures.report`
(in the style of every esm figure, :mod:`esm.figures.style`); its ``figure_*`` functions,
:data:`ASSESSMENT_PANELS` and :data:`FLAT10_YEARS` stay reachable here for compatibility.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from esm import diagnostics, metrics, observations, validate
from esm import experiments as X
from esm.figures import moved

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
        "peer": validate.peer_1pct(members, values=values),
        "permafrost": values[
            [f"permafrost_co2_per_k_{ssp}" for ssp in validate.PERMAFROST_SSPS]
        ].describe(percentiles=[0.05, 0.5, 0.95]),
    }


# ------------------------------------------------------------------------------ figure tables
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


def historical_tcre(ds: xr.Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative CO2 emissions since 1850 [GtC] and GSAT [K] of the history run."""
    cum = ds["cumulative_emissions_co2"]
    since = cum.sel(year=slice(1850, None)) - float(cum.sel(year=1849))
    return since.values, ds["gsat"].sel(year=slice(1850, None)).values


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


def peer_section(table: pd.DataFrame) -> list[str]:
    """The report section of :func:`esm.validate.peer_1pct`: TCRE and the airborne fraction
    of the posterior next to a history-constrained peer ensemble."""
    cols = list(metrics.PERCENTILE_COLUMNS)
    body = [
        (f"`{q}`", model, *(fmt(r[c], 3) for c in cols), str(int(r["members"])))
        for (q, model), r in table.iterrows()
    ]
    target = observations.load("targets").loc["posterior_tcre_p83", "low"]
    ours = table.xs(validate.PEER_OURS, level="model")
    peer = table.xs(validate.PEER_LABEL, level="model")
    ratio = {
        name: t.loc["tcre", "p50"] / t.loc["tcr", "p50"]
        for name, t in (("ours", ours), ("peer", peer))
    }
    L = [
        "### TCRE and the airborne fraction next to a history-constrained peer",
        "",
        "TCRE is the TCR times the 1pctCO2 airborne fraction at 2xCO2 over the CO2 added to "
        "the atmosphere by then (about 600 GtC). The posterior takes its TCR from the AR6 "
        "assessment; the historical CO2 record, with the historical emissions, fixes how much "
        "carbon the land and ocean took up while CO2 rose by half, and so leaves the airborne "
        "fraction of a doubling little room. FaIR's constrained ensemble (fair-calibrate v1.4.1, "
        "constrained by the CO2 concentration of 2022, GSAT, ocean heat and the AR6 ECS and "
        "TCR), run through the same experiment with the same definitions "
        "(`validation/fair_peer_1pctco2.csv`, `validation/build_fair_peer.py`), shows the same: "
        f"median TCRE / median TCR is {fmt(ratio['ours'], 3)} per 1000 GtC for esm and "
        f"{fmt(ratio['peer'], 3)} for FaIR, and the 5-95 % range of the airborne fraction is "
        f"{fmt(ours.loc['airborne_fraction_2x', 'p5'], 3)}-"
        f"{fmt(ours.loc['airborne_fraction_2x', 'p95'], 3)} and "
        f"{fmt(peer.loc['airborne_fraction_2x', 'p5'], 3)}-"
        f"{fmt(peer.loc['airborne_fraction_2x', 'p95'], 3)}. The 83rd percentile of TCRE is "
        f"{fmt(ours.loc['tcre', 'p83'], 3)} and {fmt(peer.loc['tcre', 'p83'], 3)} K per 1000 "
        f"GtC, against the target of at least {fmt_target(target)} "
        "(`posterior_tcre_p83`): with the AR6 TCR, meeting it needs airborne fractions that "
        "neither history-constrained carbon cycle gives (`esm.validate.peer_1pct()`):",
        "",
    ]
    L += _md_table(("quantity", "model", *cols, "members"), body, "llrrrrrr")
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
    hist_e, hist_t = historical_tcre(ds)
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
    if "peer" in data:
        L += peer_section(data["peer"])

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
    from esm.figures import report as figures

    out = Path(out_dir)
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    data = collect(members)
    ds, checks = data["history"], data["checks"]
    tcre = float(data["metrics"].loc["tcre", "value"])
    draw = {
        "gsat": lambda: figures.figure_gsat(ds, checks),
        "concentrations": lambda: figures.figure_concentrations(ds),
        "erf_2019": lambda: figures.figure_erf_2019(ds),
        "carbon_budget": lambda: figures.figure_carbon_budget(ds, checks),
        "tcre": lambda: figures.figure_tcre(ds, data["experiments"], tcre),
        "assessment": lambda: figures.figure_assessment(data["assessment"]),
    }
    for name in FIGURES:
        figures.save(draw[name](), fig_dir / f"{name}.png", dpi, palette=name in PALETTE_FIGURES)
    path = out / "report.md"
    path.write_text(markdown(data), encoding="utf-8", newline="\n")
    return path


#: Names that moved to :mod:`esm.figures.report`, still reachable here (``esm.report.NAME``).
#: Looked up on first use: :mod:`esm.figures.report` imports this module's tables and formats.
_MOVED = (
    "ASSESSMENT_PANELS",
    "FLAT10_YEARS",
    "figure_assessment",
    "figure_carbon_budget",
    "figure_concentrations",
    "figure_erf_2019",
    "figure_gsat",
    "figure_tcre",
)

__getattr__ = moved(__name__, _MOVED, "esm.figures.report")
