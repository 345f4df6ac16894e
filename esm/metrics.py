"""Emergent climate and carbon-cycle metrics from the standard experiments.

Definitions (years are CMIP experiment years, 1 = the first year of the experiment):

* ``ecs`` [K]: EBM-analytic equilibrium climate sensitivity, -F2x / lambda, with F2x the
  model's ERF of doubled CO2 (``ecs_gregory``: Gregory et al. 2004 regression of the TOA
  imbalance on GSAT over years 1-150 of abrupt-4xCO2, divided by 2, for comparison with CMIP);
* ``tcr`` [K]: mean GSAT of years 61-80 of 1pctCO2;
* ``tcre`` [K per 1000 GtC]: mean GSAT over years 61-80 of 1pctCO2 divided by the mean
  cumulative compatible emissions over the same years;
* ``zec50`` [K]: mean GSAT of years 41-60 after emissions stop in esm-1pct-brch-1000PgC minus
  the 20-yr mean GSAT of 1pctCO2 centred on the year emissions stop (MacDougall et al. 2020);
* ``beta_land``, ``beta_ocean`` [GtC ppm-1] and ``gamma_land``, ``gamma_ocean`` [GtC K-1]:
  Friedlingstein et al. (2006) / Arora et al. (2020) feedback parameters from 1pctCO2 (COU) and
  1pctCO2-bgc (BGC) at the end of year 70 (2xCO2) and 140 (4xCO2): beta = dC_BGC / dCO2,
  gamma = (dC_COU - dC_BGC) / dT_COU (the BGC run has no warming here, so this is exact);
* ``airborne_fraction_2x``/``_4x``: atmospheric CO2 increase over cumulative compatible
  emissions in 1pctCO2 at the end of years 70 / 140;
* ``tcre_spread_1pct``, ``tcre_spread_flat10``: linearity of warming in cumulative
  emissions: (max - min) / mean of GSAT / cumulative emissions over the part of esm-1pctCO2
  (years 20-140) and esm-flat10 (years 20-100) with cumulative emissions above 200 GtC.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import xarray as xr

from esm import diagnostics
from esm import experiments as X
from esm.constants import GTC_PER_PPM

#: Units and one-line meaning of each metric.
METRICS = {
    "ecs": ("K", "equilibrium climate sensitivity (EBM-analytic, -F2x / lambda)"),
    "ecs_gregory": ("K", "ECS from a Gregory regression of abrupt-4xCO2 years 1-150, / 2"),
    "tcr": ("K", "transient climate response, 1pctCO2 years 61-80"),
    "tcre": ("K (1000 GtC)-1", "transient climate response to cumulative CO2 emissions"),
    "zec50": ("K", "zero emissions commitment 50 yr after 1000 GtC (esm-1pct-brch-1000PgC)"),
    "beta_land_2x": ("GtC ppm-1", "land carbon-concentration feedback at 2xCO2"),
    "beta_ocean_2x": ("GtC ppm-1", "ocean carbon-concentration feedback at 2xCO2"),
    "gamma_land_2x": ("GtC K-1", "land carbon-climate feedback at 2xCO2"),
    "gamma_ocean_2x": ("GtC K-1", "ocean carbon-climate feedback at 2xCO2"),
    "beta_land": ("GtC ppm-1", "land carbon-concentration feedback at 4xCO2"),
    "beta_ocean": ("GtC ppm-1", "ocean carbon-concentration feedback at 4xCO2"),
    "gamma_land": ("GtC K-1", "land carbon-climate feedback at 4xCO2"),
    "gamma_ocean": ("GtC K-1", "ocean carbon-climate feedback at 4xCO2"),
    "airborne_fraction_2x": ("1", "airborne fraction of cumulative emissions, 1pctCO2 at 2x"),
    "airborne_fraction_4x": ("1", "airborne fraction of cumulative emissions, 1pctCO2 at 4x"),
    "tcre_spread_1pct": ("1", "(max-min)/mean of GSAT per cumulative emission, esm-1pctCO2"),
    "tcre_spread_flat10": ("1", "(max-min)/mean of GSAT per cumulative emission, esm-flat10"),
}

#: Targets of validation/targets.csv that each metric is compared with.
TARGETS = {
    "ecs": ("ecs_likely",),
    "tcr": ("tcr_likely",),
    "tcre": ("tcre_likely", "cmip6_tcre"),
    "zec50": ("zec50_project", "zecmip_zec50"),
    "beta_land": ("cmip6_beta_land",),
    "beta_ocean": ("cmip6_beta_ocean",),
    "gamma_land": ("cmip6_gamma_land",),
    "gamma_ocean": ("cmip6_gamma_ocean",),
    "airborne_fraction_2x": ("af_1pct_2x_project",),
}

#: Output variables the metrics need.
VARIABLES = [
    "co2",
    "gsat",
    "ocean_sink",
    "land_sink",
    "emissions_co2_fossil",
    "toa_imbalance",
    "cumulative_emissions_co2",
]


def window_mean(values: np.ndarray, first: int, last: int) -> float:
    """Mean over CMIP experiment years ``first``-``last`` (inclusive) of a series whose
    position 0 is the spin-up year."""
    return float(np.mean(values[first : last + 1]))


def gregory(temperature: np.ndarray, imbalance: np.ndarray) -> tuple[float, float]:
    """Least-squares line N = F + lambda T: returns (F [W m-2], lambda [W m-2 K-1])."""
    slope, intercept = np.polyfit(temperature, imbalance, 1)
    return float(intercept), float(slope)


def feedbacks(cou: xr.Dataset, bgc: xr.Dataset, year: int) -> dict[str, float]:
    """beta and gamma [GtC ppm-1, GtC K-1] at the end of experiment year ``year``."""
    i = int(year)  # position of experiment year ``year`` (position 0 = spin-up year)
    d_co2 = X.CO2_PICONTROL * (1.01**year - 1.0)  # prescribed end-of-year CO2 change
    land_cou = float(cou["land_sink"][: i + 1].sum())
    land_bgc = float(bgc["land_sink"][: i + 1].sum())
    ocean_cou = float(cou["ocean_sink"][: i + 1].sum())
    ocean_bgc = float(bgc["ocean_sink"][: i + 1].sum())
    d_t = window_mean(cou["gsat"].values, year - 9, year + 10)
    return {
        "beta_land": land_bgc / d_co2,
        "beta_ocean": ocean_bgc / d_co2,
        "gamma_land": (land_cou - land_bgc) / d_t,
        "gamma_ocean": (ocean_cou - ocean_bgc) / d_t,
    }


def _tcre_spread(ds: xr.Dataset, first: int, last: int) -> float:
    cum = ds["cumulative_emissions_co2"].values[first : last + 1]
    t = ds["gsat"].values[first : last + 1]
    keep = cum > 200.0
    ratio = t[keep] / cum[keep]
    return float((ratio.max() - ratio.min()) / ratio.mean())


def compute(params: Mapping[str, float] | None = None) -> dict[str, float]:
    """All metrics of :data:`METRICS` for the parameter values (defaults when None)."""
    cou = X.run("1pctCO2", params, variables=VARIABLES)
    bgc = X.run("1pctCO2-bgc", params, variables=VARIABLES)
    abrupt = X.run("abrupt-4xCO2", params, variables=VARIABLES)
    zec = X.run("esm-1pct-brch-1000PgC", params, variables=VARIABLES)
    esm1 = X.run("esm-1pctCO2", params, variables=VARIABLES)
    flat = X.run("esm-flat10", params, variables=VARIABLES)

    out: dict[str, float] = {"ecs": diagnostics.ecs(params)}
    f4x, lam = gregory(abrupt["gsat"].values[1:151], abrupt["toa_imbalance"].values[1:151])
    out["ecs_gregory"] = -f4x / lam / 2.0
    out["tcr"] = window_mean(cou["gsat"].values, 61, 80)
    cum = cou["emissions_co2_fossil"].values.cumsum()
    out["tcre"] = out["tcr"] / window_mean(cum, 61, 80) * 1000.0
    # ZEC: emissions stop after the last emitting year of the branch
    e = zec["emissions_co2_fossil"].values
    stop = int(np.nonzero(e > 0)[0][-1])
    t_cessation = window_mean(cou["gsat"].values, stop - 9, stop + 10)
    out["zec50"] = window_mean(zec["gsat"].values, stop + 41, stop + 60) - t_cessation
    for year, suffix in ((70, "_2x"), (140, "")):
        for k, v in feedbacks(cou, bgc, year).items():
            out[k + suffix] = v
        d_atm = X.CO2_PICONTROL * (1.01**year - 1.0) * GTC_PER_PPM
        out["airborne_fraction" + (suffix or "_4x")] = d_atm / cum[year]
    out["tcre_spread_1pct"] = _tcre_spread(esm1, 20, 140)
    out["tcre_spread_flat10"] = _tcre_spread(flat, 20, 100)
    return {k: out[k] for k in METRICS}


def table(params: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Metrics as a DataFrame (``esm metrics`` prints it).

    Columns: value, units, meaning, and for metrics with targets (:data:`TARGETS`) the
    assessed/model ``range`` of the first target, its ``kind`` and ``inside`` (True/False).
    """
    from esm import observations

    values = compute(params)
    targets = observations.load("targets")
    rows = []
    for k in METRICS:
        row = {
            "metric": k,
            "value": values[k],
            "units": METRICS[k][0],
            "meaning": METRICS[k][1],
            "target": "",
            "low": np.nan,
            "high": np.nan,
            "inside": np.nan,
        }
        if k in TARGETS:
            t = targets.loc[TARGETS[k][0]]
            row.update(
                target=TARGETS[k][0],
                low=t["low"],
                high=t["high"],
                inside=bool(t["low"] <= values[k] <= t["high"]),
            )
        rows.append(row)
    return pd.DataFrame(rows).set_index("metric")


def format_table(df: pd.DataFrame) -> str:
    """Plain-text rendering of :func:`table`."""
    lines = [f"{'metric':22s} {'value':>9s}  {'units':15s} {'range (target)':34s} status"]
    for name, r in df.iterrows():
        rng = ""
        status = ""
        if r["target"]:
            rng = f"[{r['low']:.3g}, {r['high']:.3g}] ({r['target']})"
            status = "inside" if r["inside"] else "OUTSIDE"
        lines.append(f"{name:22s} {r['value']:9.4g}  {r['units']:15s} {rng:34s} {status}")
    return "\n".join(lines)
