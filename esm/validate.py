"""Compare the model with the targets in validation/targets.csv.

:func:`history_checks` runs (or takes) an emission-driven SSP2-4.5 history 1750-2022 with the
default parameters and returns one row per target: the model value, the observed/assessed
value, its range and whether the model lies inside. ``esm validate`` prints this table; the
README quotes it.

:func:`assessment` does the same for the calibrated ensemble: percentiles 5/17/50/83/95 over
the first N members of the shipped posterior (emission-driven SSP runs 1750-2100 and the
idealised experiments of :mod:`esm.metrics`) next to the assessed or multi-model range, and
says which quantities the posterior was calibrated on and which are validation only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from esm import diagnostics, observations
from esm.constants import OCEAN_HEAT_FRACTION


def _mean(var: str, a: int, b: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: float(ds[var].sel(year=slice(a, b)).mean())


def _total(var: str, a: int, b: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: float(ds[var].sel(year=slice(a, b)).sum())


def _at(var: str, year: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: float(ds[var].sel(year=year))


def _change(var: str, a: int, b: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: float(ds[var].sel(year=b) - ds[var].sel(year=a))


def _gmst_rmse(ds: xr.Dataset) -> float:
    obs = observations.load("gmst")["ar6_gmst"].dropna().loc[1850:2020]
    model = ds["gsat"].sel(year=obs.index.values).values
    return float(np.sqrt(np.mean((model - obs.values) ** 2)))


def _heating_rate(a: int, b: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: float(ds["toa_imbalance"].sel(year=slice(a, b)).mean())


def _earth_energy(a: int, b: int) -> Callable[[xr.Dataset], float]:
    return lambda ds: _change("ocean_heat_content", a, b)(ds) / OCEAN_HEAT_FRACTION


_ERF = {
    "co2": "erf_co2",
    "ch4": "erf_ch4",
    "n2o": "erf_n2o",
    "halogens": "erf_halogens",
    "ozone": "erf_ozone",
    "h2o_stratospheric": "erf_h2o_stratospheric",
    "contrails": "erf_contrails",
    "aerosol_ari": "erf_aerosol_ari",
    "aerosol_aci": "erf_aerosol_aci",
    "aerosol": "erf_aerosol",
    "bc_on_snow": "erf_bc_on_snow",
    "land_use": "erf_land_use",
    "volcanic": "erf_volcanic",
    "solar": "erf_solar",
    "total_anthropogenic": "erf_anthropogenic",
    "total": "erf",
}

#: target name -> how to compute it from a historical run (Dataset -> float)
CHECKS: dict[str, Callable[[xr.Dataset], float]] = {
    "gcb_2011_2020_airborne_fraction": lambda ds: diagnostics.carbon_budget(ds, 2011, 2020)[
        "airborne_fraction"
    ],
    "gcb_2011_2020_ocean_sink": _mean("ocean_sink", 2011, 2020),
    "gcb_2011_2020_land_sink": _mean("land_sink", 2011, 2020),
    "gcb_2011_2020_atmospheric_growth": _mean("atmospheric_growth", 2011, 2020),
    "gcb_1850_2020_ocean_sink": _total("ocean_sink", 1850, 2020),
    "gcb_1850_2020_land_sink": _total("land_sink", 1850, 2020),
    "gcb_1850_2020_atmospheric_growth": _total("atmospheric_growth", 1850, 2020),
    "co2_2019": _at("co2", 2019),
    "ch4_2019": _at("ch4", 2019),
    "n2o_2019": _at("n2o", 2019),
    **{f"erf_2019_{k}": _at(v, 2019) for k, v in _ERF.items()},
    "erf_2xco2": lambda ds: diagnostics.f2x(),
    "erf_aerosol_ari_2005_2014": _mean("erf_aerosol_ari", 2005, 2014),
    "erf_aerosol_aci_2005_2014": _mean("erf_aerosol_aci", 2005, 2014),
    "erf_aerosol_2005_2014": _mean("erf_aerosol", 2005, 2014),
    "gsat_2011_2020": _mean("gsat", 2011, 2020),
    "gsat_2001_2020": _mean("gsat", 2001, 2020),
    "gsat_1995_2014": _mean("gsat", 1995, 2014),
    "gsat_2003_2022_fair_constraint": _mean("gsat", 2003, 2022),
    "gmst_rmse_1850_2020": _gmst_rmse,
    "ohc_ocean_1971_2018": _change("ocean_heat_content", 1971, 2018),
    "ohc_ocean_2006_2018": _change("ocean_heat_content", 2006, 2018),
    "earth_energy_gain_1971_2018": _earth_energy(1971, 2018),
    "earth_heating_rate_1971_2006": _heating_rate(1971, 2006),
    "earth_heating_rate_2006_2018": _heating_rate(2006, 2018),
}


def _metric_checks() -> dict[str, str]:
    """target name -> metric of :mod:`esm.metrics` (standard experiments)."""
    from esm.metrics import TARGETS

    return {t: m for m, names in TARGETS.items() for t in names}


#: target name -> metric of :mod:`esm.metrics` (standard experiments, default parameters)
METRIC_CHECKS = _metric_checks()


def history_run(**kwargs) -> xr.Dataset:
    """The emission-driven SSP2-4.5 history 1750-2022 with default (or given) parameters."""
    from esm.runner import run

    return run("ssp245", end=2022, **kwargs)


def history_checks(ds: xr.Dataset | None = None) -> pd.DataFrame:
    """Model value vs target for every entry of :data:`CHECKS` and :data:`METRIC_CHECKS`.


    Columns: ``model``, ``target``, ``low``, ``high``, ``kind`` (what the range means),
    ``units``, ``inside`` (True/False; NaN where the target has no range).
    """
    from esm import metrics

    ds = history_run() if ds is None else ds
    values = metrics.compute()
    targets = observations.load("targets")
    rows = []
    checks = {**CHECKS, **{k: (lambda ds, m=m: values[m]) for k, m in METRIC_CHECKS.items()}}
    for name, compute in checks.items():
        t = targets.loc[name]
        model = compute(ds)
        has_range = np.isfinite(t["low"]) and np.isfinite(t["high"])
        inside = bool(t["low"] <= model <= t["high"]) if has_range else np.nan
        rows.append(
            {
                "name": name,
                "model": model,
                "target": t["value"],
                "low": t["low"],
                "high": t["high"],
                "kind": t["kind"],
                "units": t["units"],
                "inside": inside,
            }
        )
    return pd.DataFrame(rows).set_index("name")


def format_checks(table: pd.DataFrame) -> str:
    """A plain-text table of :func:`history_checks` (``esm validate`` prints it)."""
    lines = [
        f"{'target':34s} {'model':>9s} {'target':>9s} {'range':>21s} {'kind':11s} "
        f"{'units':15s} status"
    ]
    for name, r in table.iterrows():
        rng = f"[{r.low:.3g}, {r.high:.3g}]" if np.isfinite(r.low) else ""
        status = {True: "inside", False: "OUTSIDE"}.get(r.inside, "-")
        lines.append(
            f"{name:34s} {r.model:9.4g} {r.target:9.4g} {rng:>21s} {r.kind:11s} "
            f"{r.units:15s} {status}"
        )
    n_in = int((table["inside"] == True).sum())  # noqa: E712
    n_out = int((table["inside"] == False).sum())  # noqa: E712
    lines.append(f"{n_in} inside, {n_out} outside, {len(table) - n_in - n_out} without a range")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ assessment
#: Members of the shipped posterior that the assessment uses by default (all of them).
ASSESSMENT_MEMBERS = 1000

#: SSPs of the assessment (AR6 WGI Table SPM.1), with their display names.
SSPS = {
    "ssp119": "SSP1-1.9",
    "ssp126": "SSP1-2.6",
    "ssp245": "SSP2-4.5",
    "ssp370": "SSP3-7.0",
    "ssp585": "SSP5-8.5",
}

#: Scenario whose 1750-2022 part is the history of the assessment (as :func:`history_run`).
HISTORY_SCENARIO = "ssp245"

#: Variables of the SSP ensembles (the history scenario needs all, the others gsat and co2).
ASSESSMENT_VARIABLES = (
    "gsat",
    "co2",
    "ch4",
    "n2o",
    "erf_aerosol_ari",
    "erf_aerosol_aci",
    "erf_aerosol",
    "ocean_heat_content",
    "ocean_sink",
    "land_sink",
    "permafrost_emissions_co2",
)

#: What the posterior was fitted to (validation/calibrate_posterior.py), by quantity.
_CAL_ECS = "AR6 distribution, 5/50/95 % = 2/3/5 K"
_CAL_GMST = "GMST history 1850-2020, GSAT 2011-2020"
_CAL_C4MIP = "CMIP6 spread as structural prior"
_CAL_AER = "fair-calibrate ERFari, ERFaci"


@dataclass(frozen=True)
class Quantity:
    """One row of :func:`assessment`."""

    name: str
    label: str  # short label for the figure and table
    units: str
    group: str
    target: str  # row of validation/targets.csv: the range compared with the 5-95 % range
    likely: str = ""  # optional row with a likely range (compared with the 17-83 % range)
    calibrated: str = ""  # the calibration constraint that covers it; "" = validation only


def _quantities() -> tuple[Quantity, ...]:
    q = [
        Quantity("ecs", "ECS", "K", "Climate response", "ecs_very_likely", "ecs_likely", _CAL_ECS),
        Quantity(
            "tcr",
            "TCR",
            "K",
            "Climate response",
            "tcr_very_likely",
            "tcr_likely",
            "normal 1.8 K, sd 0.365 K (AR6 very likely 1.2-2.4 K)",
        ),
        Quantity("tcre", "TCRE", "K (1000 GtC)-1", "Climate response", "tcre_likely"),
        Quantity("zec50", "ZEC50 (1000 GtC)", "K", "Climate response", "zecmip_zec50"),
    ]
    for var, units, sym in (("beta", "GtC ppm-1", "β"), ("gamma", "GtC K-1", "γ")):
        for realm in ("land", "ocean"):
            q.append(
                Quantity(
                    f"{var}_{realm}",
                    f"{sym} {realm} (4xCO2)",
                    units,
                    "Carbon-cycle feedbacks (1pctCO2)",
                    f"cmip6_{var}_{realm}",
                    calibrated=_CAL_C4MIP,
                )
            )
    q.append(
        Quantity(
            "airborne_fraction_2x",
            "airborne fraction at 2xCO2",
            "1",
            "Carbon-cycle feedbacks (1pctCO2)",
            "af_1pct_2x_project",
        )
    )
    q.append(
        Quantity(
            "gsat_1995_2014",
            "GSAT 1995-2014",
            "K",
            "Warming vs 1850-1900",
            "gsat_1995_2014",
            calibrated=_CAL_GMST,
        )
    )
    for ssp, label in SSPS.items():
        q.append(
            Quantity(
                f"gsat_2081_2100_{ssp}",
                f"GSAT 2081-2100 {label}",
                "K",
                "Warming vs 1850-1900",
                f"ar6_gsat_2081_2100_{ssp}",
            )
        )
    q.append(
        Quantity(
            "ohc_ocean_1971_2018",
            "ocean heat uptake 1971-2018",
            "ZJ",
            "Heat and carbon uptake",
            "ohc_ocean_1971_2018",
            calibrated="normal 396 ZJ, sd 67 ZJ (AR6 Table 7.1)",
        )
    )
    for realm in ("ocean", "land"):
        q.append(
            Quantity(
                f"gcb_2011_2020_{realm}_sink",
                f"{realm} sink 2011-2020",
                "GtC yr-1",
                "Heat and carbon uptake",
                f"gcb_2011_2020_{realm}_sink",
                calibrated=f"GCB2021, sd {0.4 if realm == 'ocean' else 0.5} GtC yr-1",
            )
        )
    q += [
        Quantity(
            "co2_2019",
            "CO2 2019",
            "ppm",
            "Concentrations 2019",
            "co2_2019",
            calibrated="CO2 history 1959-2019 and its 2019 level",
        ),
        Quantity(
            "ch4_2019",
            "CH4 2019",
            "ppb",
            "Concentrations 2019",
            "ch4_2019",
            calibrated="CH4 history 1980-2019 and its 2019 level",
        ),
        Quantity(
            "n2o_2019",
            "N2O 2019",
            "ppb",
            "Concentrations 2019",
            "n2o_2019",
            calibrated="N2O history 1980-2019 and its 2019 level",
        ),
    ]
    for ssp, label in SSPS.items():
        q.append(
            Quantity(
                f"co2_2100_{ssp}",
                f"CO2 2100 {label}",
                "ppm",
                "CO2 in 2100 (emission-driven)",
                f"cmip6_co2_2100_{ssp}",
            )
        )
    for part, label, cal in (
        ("aerosol_ari", "ERFari", _CAL_AER),
        ("aerosol_aci", "ERFaci", _CAL_AER),
        ("aerosol", "ERF aerosol total", "sum of the calibrated ERFari and ERFaci"),
    ):
        q.append(
            Quantity(
                f"erf_{part}_2005_2014",
                f"{label} 2005-2014",
                "W m-2",
                "Aerosol ERF vs 1750",
                f"erf_{part}_2005_2014",
                calibrated=cal,
            )
        )
    return tuple(q)


#: The quantities of :func:`assessment`, in table order (grouped).
QUANTITIES: tuple[Quantity, ...] = _quantities()


def _period_mean(ds: xr.Dataset, var: str, a: int, b: int) -> np.ndarray:
    return ds[var].sel(year=slice(a, b)).mean("year").values


#: SSPs whose permafrost release per degree of warming is reported (AR6 WGI 5.4.9).
PERMAFROST_SSPS = ("ssp126", "ssp245", "ssp585")


def member_values(members: int = ASSESSMENT_MEMBERS) -> pd.DataFrame:
    """Per-member values [member, quantity] of every quantity of :data:`QUANTITIES`, of the
    metrics of :mod:`esm.metrics`, and the permafrost CO2 released 2020-2100 per degree of
    warming in 2100 (``permafrost_co2_per_k_<ssp>``, PgC/K) for :data:`PERMAFROST_SSPS`."""
    return _assessment_values(members, extra=True)


def _assessment_values(members: int, extra: bool = False) -> pd.DataFrame:
    """Per-member values [member, quantity] of every quantity of :data:`QUANTITIES`."""
    from esm import metrics
    from esm.ensembles import ensemble
    from esm.params import posterior

    table = metrics.parameter_table(members=members)
    out = metrics.compute_members(table)
    source = posterior().loc[table.index]
    runs = {
        ssp: ensemble(
            ssp,
            members=members,
            source=source,
            variables=ASSESSMENT_VARIABLES
            if ssp == HISTORY_SCENARIO
            else ("gsat", "co2", "permafrost_emissions_co2"),
            progress=False,
        )
        for ssp in SSPS
    }
    hist = runs[HISTORY_SCENARIO]
    values = {name: out[name].to_numpy() for name in out.columns}
    values["gsat_1995_2014"] = _period_mean(hist, "gsat", 1995, 2014)
    for ssp, ds in runs.items():
        values[f"gsat_2081_2100_{ssp}"] = _period_mean(ds, "gsat", 2081, 2100)
        values[f"co2_2100_{ssp}"] = ds["co2"].sel(year=2100).values
    ohc = hist["ocean_heat_content"]
    values["ohc_ocean_1971_2018"] = (ohc.sel(year=2018) - ohc.sel(year=1971)).values
    for realm in ("ocean", "land"):
        values[f"gcb_2011_2020_{realm}_sink"] = _period_mean(hist, f"{realm}_sink", 2011, 2020)
    for gas in ("co2", "ch4", "n2o"):
        values[f"{gas}_2019"] = hist[gas].sel(year=2019).values
    for part in ("aerosol_ari", "aerosol_aci", "aerosol"):
        values[f"erf_{part}_2005_2014"] = _period_mean(hist, f"erf_{part}", 2005, 2014)
    names = [q.name for q in QUANTITIES]
    if extra:
        for ssp in PERMAFROST_SSPS:
            ds = runs[ssp]
            released = ds["permafrost_emissions_co2"].sel(year=slice(2020, 2100)).sum("year")
            values[f"permafrost_co2_per_k_{ssp}"] = (released / ds["gsat"].sel(year=2100)).values
        names = list(dict.fromkeys(names + list(values)))
    return pd.DataFrame({k: values[k] for k in names}, index=table.index)


def assessment(members: int = ASSESSMENT_MEMBERS, values: pd.DataFrame | None = None):
    """The calibrated ensemble against assessed and multi-model ranges.

    For each quantity of :data:`QUANTITIES` (index): ``label``, ``group``, ``units``, the
    unweighted percentiles ``p5``, ``p17``, ``p50``, ``p83``, ``p95`` over the first
    ``members`` members of the shipped posterior (emission-driven SSP runs 1750-2100 and the
    idealised experiments of :mod:`esm.metrics`), and the comparison range from
    ``validation/targets.csv``: ``target`` (its row), ``value``, ``low``, ``high``, ``kind``,
    ``source``, plus ``likely_low``/``likely_high`` where a likely range is also assessed.
    ``calibrated`` is True for the quantities the posterior was fitted to (``constraint``
    names the constraint) and False for validation-only quantities. ``median_inside``: whether
    the posterior median lies inside the range (NaN without one).
    """
    from esm.metrics import percentiles

    values = _assessment_values(int(members)) if values is None else values
    pct = percentiles(values)
    targets = observations.load("targets")
    rows = []
    for q in QUANTITIES:
        t = targets.loc[q.target]
        lk = targets.loc[q.likely] if q.likely else None
        has_range = bool(np.isfinite(t["low"]) and np.isfinite(t["high"]))
        median = pct.loc[q.name, "p50"]
        rows.append(
            {
                "quantity": q.name,
                "label": q.label,
                "group": q.group,
                "units": q.units,
                **pct.loc[q.name].to_dict(),
                "target": q.target,
                "value": t["value"],
                "low": t["low"],
                "high": t["high"],
                "kind": t["kind"],
                "likely_low": lk["low"] if lk is not None else np.nan,
                "likely_high": lk["high"] if lk is not None else np.nan,
                "source": t["source"],
                "calibrated": bool(q.calibrated),
                "constraint": q.calibrated,
                "median_inside": bool(t["low"] <= median <= t["high"]) if has_range else np.nan,
            }
        )
    df = pd.DataFrame(rows).set_index("quantity")
    df.attrs["members"] = len(values)
    return df


def format_assessment(table: pd.DataFrame) -> str:
    """A plain-text table of :func:`assessment` (``esm validate --members N`` prints it)."""
    cols = ["p5", "p17", "p50", "p83", "p95"]
    lines = [
        f"{'quantity':30s} " + " ".join(f"{c:>8s}" for c in cols) + "  "
        f"{'assessed':>22s} {'kind':11s} {'units':15s} role"
    ]
    for name, r in table.iterrows():
        if np.isfinite(r["low"]):
            ref = f"{r['value']:.4g} [{r['low']:.4g}, {r['high']:.4g}]"
        else:
            ref = f"{r['value']:.4g}"
        role = "calibrated" if r["calibrated"] else "validation"
        lines.append(
            f"{name:30s} "
            + " ".join(f"{r[c]:8.4g}" for c in cols)
            + f"  {ref:>22s} {r['kind']:11s} {r['units']:15s} {role}"
        )
    n = table.attrs.get("members")
    lines.append(
        f"unweighted percentiles over the first {n} members of the shipped posterior; "
        f"{int(table['calibrated'].sum())} calibrated, {int((~table['calibrated']).sum())} "
        "validation only"
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Acceptance targets of the calibrated ensemble (rows posterior_* / default_* of targets.csv)
# --------------------------------------------------------------------------------------
def _share(x: np.ndarray, centre: float, half: float) -> float:
    return float(np.mean(np.abs(x - centre) <= half))


def _width(x: np.ndarray) -> float:
    lo, hi = np.percentile(x, [5, 95])
    return float(hi - lo)


def _pct(name: str, q: float) -> Callable[[pd.DataFrame, dict], float]:
    return lambda v, d: float(np.percentile(v[name], q))


#: How each acceptance target is measured: target name -> function(values, defaults).
ACCEPTANCE: dict[str, Callable[[pd.DataFrame, dict], float]] = {
    "posterior_co2_2100_ssp585_width": lambda v, d: _width(v["co2_2100_ssp585"]),
    "posterior_co2_2100_ssp370_width": lambda v, d: _width(v["co2_2100_ssp370"]),
    "posterior_co2_2019_share": lambda v, d: _share(v["co2_2019"], 409.9, 5.0),
    "posterior_ch4_2019_share": lambda v, d: _share(v["ch4_2019"], 1866.3, 40.0),
    "posterior_n2o_2019_share": lambda v, d: _share(v["n2o_2019"], 332.1, 4.0),
    "posterior_tcre_p17": _pct("tcre", 17),
    "posterior_tcre_p83": _pct("tcre", 83),
    "posterior_tcre_p50": _pct("tcre", 50),
    "posterior_ecs_p05": _pct("ecs", 5),
    "posterior_ecs_p50": _pct("ecs", 50),
    "posterior_ecs_p95": _pct("ecs", 95),
    "posterior_tcr_p05": _pct("tcr", 5),
    "posterior_tcr_p95": _pct("tcr", 95),
    "posterior_zec50_p50": _pct("zec50", 50),
    "posterior_zec50_width": lambda v, d: _width(v["zec50"]),
    "default_zec50": lambda v, d: d["zec50"],
    "default_tcre_change_flat10": lambda v, d: abs(d["tcre_change_flat10"]),
    **{
        f"posterior_gsat_2081_2100_{ssp}_width": (
            lambda v, d, ssp=ssp: _width(v[f"gsat_2081_2100_{ssp}"])
        )
        for ssp in SSPS
    },
}


def acceptance(members: int = ASSESSMENT_MEMBERS, values: pd.DataFrame | None = None):
    """The calibrated ensemble against the project's acceptance targets.

    One row per target of :data:`ACCEPTANCE` (``posterior_*``: over the first ``members``
    members of the shipped posterior; ``default_*``: the default parameter set): the measured
    ``value``, the bound(s) ``low``/``high``, ``units`` and ``kind`` from
    ``validation/targets.csv``, ``met`` (True/False) and the target's ``description``.
    ``values`` may pass :func:`member_values` computed before.
    """
    from esm import metrics

    v = member_values(members) if values is None else values
    d = metrics.compute()
    targets = observations.load("targets")
    rows = []
    for name, measure in ACCEPTANCE.items():
        t = targets.loc[name]
        x = measure(v, d)
        met = (not np.isfinite(t["low"]) or x >= t["low"]) and (
            not np.isfinite(t["high"]) or x <= t["high"]
        )
        rows.append(
            {
                "target": name,
                "value": x,
                "low": t["low"],
                "high": t["high"],
                "units": t["units"],
                "kind": t["kind"],
                "met": bool(met),
                "description": t["source"].rsplit(": ", 1)[-1],
            }
        )
    df = pd.DataFrame(rows).set_index("target")
    df.attrs["members"] = len(v)
    return df


#: The 1pctCO2 quantities compared with a history-constrained peer model, and its file.
PEER_QUANTITIES = ("tcr", "tcre", "airborne_fraction_2x")
PEER_FILE = "fair_peer_1pctco2"
PEER_LABEL = "FaIR 2.2.5, fair-calibrate v1.4.1"
PEER_OURS = "esm posterior"


def peer_1pct(members: int = ASSESSMENT_MEMBERS, values: pd.DataFrame | None = None):
    """TCR, TCRE and the 1pctCO2 airborne fraction at 2xCO2 of the posterior next to a peer's.

    The peer is FaIR 2.2.5 with the calibrated, constrained ensemble of fair-calibrate v1.4.1
    (841 members; Smith et al. 2024), run through 1pctCO2 by the same protocol and definitions
    (``validation/fair_peer_1pctco2.csv``, built by ``validation/build_fair_peer.py``). Both
    ensembles are constrained by the historical record and the AR6 ECS and TCR, so the
    comparison shows how far a history-constrained carbon cycle lets the airborne fraction,
    and with it TCRE, spread. Rows: (quantity, model); columns ``p5`` ... ``p95`` and
    ``members``. ``values`` may pass :func:`member_values` computed before.
    """
    from esm.metrics import percentiles

    v = member_values(members) if values is None else values
    peer = observations.load(PEER_FILE)
    cols = list(PEER_QUANTITIES)
    parts = {PEER_OURS: v[cols], PEER_LABEL: peer[cols]}
    out = pd.concat(
        {m: percentiles(x).assign(members=len(x)) for m, x in parts.items()},
        names=["model", "quantity"],
    ).swaplevel()
    return out.reindex(pd.MultiIndex.from_product([cols, list(parts)], names=["quantity", "model"]))


def format_peer(table: pd.DataFrame) -> str:
    """Plain-text rendering of :func:`peer_1pct`."""
    lines = [f"{'quantity':22s} {'model':34s} " + " ".join(f"{c:>7s}" for c in table.columns)]
    for (q, model), r in table.iterrows():
        cells = " ".join(f"{r[c]:7.3f}" for c in table.columns if c != "members")
        lines.append(f"{q:22s} {model:34s} {cells} {int(r['members']):7d}")
    return "\n".join(lines)


def format_acceptance(table: pd.DataFrame) -> str:
    """Plain-text rendering of :func:`acceptance`."""
    lines = [f"{'target':38s} {'value':>9s} {'bound':>18s}  {'units':15s} status"]
    for name, r in table.iterrows():
        lo = f"{r['low']:.3g}" if np.isfinite(r["low"]) else ""
        hi = f"{r['high']:.3g}" if np.isfinite(r["high"]) else ""
        bound = f"[{lo}, {hi}]" if lo and hi else f">= {lo}" if lo else f"<= {hi}"
        status = "met" if r["met"] else "MISSED"
        lines.append(f"{name:38s} {r['value']:9.4g} {bound:>18s}  {r['units']:15s} {status}")
    return "\n".join(lines)
